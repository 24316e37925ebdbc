//! Calculators in real Chromium from file://: the WASM build gives the same results as the
//! native engine on every hand-worked case, the form works, and bad input gets a clear message
//! beside its field instead of a trap.

#[path = "browser/mod.rs"]
mod harness;

use std::path::Path;

use harness::{file_url, Chromium, Runner};

fn wasm_equals_native_on_every_case(chromium: &Chromium, root: &Path) {
    let calcs = atlas_tests::native_calculators();
    let cases = atlas_tests::calculator_cases();
    assert!(cases.len() >= 20, "only {} cases", cases.len());
    let mut current = String::new();
    let mut tab = None;
    for atlas_tests::CalcCase {
        calculator: id,
        name,
        input,
    } in &cases
    {
        if *id != current {
            if let Some(t) = tab.take() {
                harness::Tab::close(t);
            }
            let t = chromium.open(&file_url(&root.join(format!("calculators/{id}.html")), ""));
            t.wait_for("typeof AtlasCalc !== 'undefined'", "calculator script");
            tab = Some(t);
            current = id.clone();
        }
        let t = tab.as_ref().unwrap();
        let js = format!("return AtlasCalc.runWith({input});");
        let got: serde_json::Value = t.eval(&js);
        let want = atlas_tests::native_answer(&calcs, id, input);
        assert_eq!(got, want, "{id} / {name}: WASM and native differ");
    }
    if let Some(t) = tab {
        t.close();
    }
}

fn form_computes_with_citations(chromium: &Chromium, root: &Path) {
    // 昆明 第十九条: 100万 in 25% / 25% / 50%; recognised 2023-03-15, year 1 passed, year 2 failed.
    let t = chromium.open(&file_url(
        &root.join("calculators/kunming-disbursement.html"),
        "",
    ));
    t.wait_for("typeof AtlasCalc !== 'undefined'", "calculator script");
    let ok: bool = t.eval(
        "const f = document.querySelector('form.calculator');
         f.querySelector('[data-input=base_type]').value = 'rd-center';
         f.querySelector('[data-input=recognized_on]').value = '2023-03-15';
         const s = f.querySelectorAll('[data-input=evaluations] select');
         s[0].value = 'pass'; s[1].value = 'fail';
         f.querySelector('button.run').click();
         return !document.querySelector('.calc-results').hidden;",
    );
    assert!(ok, "results shown");
    let rows: Vec<(String, String, String)> = t.eval(
        "return [...document.querySelectorAll('.calc-results table.lines tbody tr')].map(r => [r.dataset.result, r.children[1].textContent, (r.querySelector('a')||{}).href || '']);",
    );
    let total = rows.iter().find(|r| r.0 == "total").expect("a total line");
    assert!(total.1.contains("1000000.00"), "{total:?}");
    assert!(
        total.2.ends_with("measures/kunming-bases-2020.html#art-19"),
        "{total:?}"
    );
    let summary: String = t.eval("return document.querySelector('textarea.summary').value;");
    assert!(summary.contains("1000000.00"), "{summary}");
    let ics_visible: bool = t.eval("return !document.querySelector('.export-ics').hidden;");
    assert!(ics_visible, "a timeline offers calendar export");
    let log = t.log();
    assert!(log.errors.is_empty(), "console errors: {:?}", log.errors);
    assert!(
        t.non_file_requests().is_empty(),
        "network: {:?}",
        t.non_file_requests()
    );
    t.close();
}

fn bad_input_is_explained_beside_the_field(chromium: &Chromium, root: &Path) {
    let t = chromium.open(&file_url(
        &root.join("calculators/yunnan-enterprise-match.html"),
        "",
    ));
    t.wait_for("typeof AtlasCalc !== 'undefined'", "calculator script");
    for bad in [
        "abc",
        "-5",
        "1e30",
        "1000000000000000000000000000000",
        "1.2345",
        "¥300万",
    ] {
        let js = format!(
            "const f = document.querySelector('form.calculator');
             f.querySelector('[data-input=provincial_funding]').value = {bad:?};
             f.querySelector('button.run').click();
             const p = f.querySelector('[data-error-for=provincial_funding]');
             return [p.hidden, p.textContent, document.querySelector('.form-error').textContent];"
        );
        let (hidden, msg, internal): (bool, String, String) = t.eval(&js);
        assert!(
            !hidden && !msg.is_empty(),
            "{bad}: no message beside the field"
        );
        assert!(internal.is_empty(), "{bad}: internal error {internal}");
    }
    t.close();
    let t = chromium.open(&file_url(
        &root.join("calculators/yunnan-timeline.html"),
        "",
    ));
    t.wait_for("typeof AtlasCalc !== 'undefined'", "calculator script");
    let (hidden, msg): (bool, String) = t.eval(
        "const f = document.querySelector('form.calculator');
         f.querySelector('[data-input=start]').value = '2026-02-30';
         f.querySelector('[data-input=provincial_funding]').value = '3000000';
         f.querySelector('button.run').click();
         const p = f.querySelector('[data-error-for=start]');
         return [p.hidden, p.textContent];",
    );
    assert!(
        !hidden && !msg.is_empty(),
        "2026-02-30 must be refused with a message: {msg}"
    );
    assert!(t.log().errors.is_empty(), "{:?}", t.log().errors);
    t.close();
}

fn english_calculator_page(chromium: &Chromium, root: &Path) {
    let t = chromium.open(&file_url(
        &root.join("en/calculators/yunnan-post-evaluation-bonus.html"),
        "",
    ));
    t.wait_for("typeof AtlasCalc !== 'undefined'", "calculator script");
    let (h1, run): (String, String) = t.eval("return [document.querySelector('h1').textContent, document.querySelector('button.run').textContent];");
    assert!(h1.is_ascii(), "English title: {h1}");
    assert_eq!(run, "Calculate");
    // 第十九条（一）: excellent → 1/3 of the provincial funding; 2,500,000 × 1/3 = 833,333.33 (half-up).
    let bonus: String = t.eval(
        "const r = AtlasCalc.runWith({provincial_funding: '2500000', grade: 'excellent'}); return r.ok.results.bonus;",
    );
    assert_eq!(bonus, "833333.33");
    t.close();
}

fn language_switch_is_remembered(chromium: &Chromium, root: &Path) {
    let t = chromium.open(&file_url(
        &root.join("measures/zhejiang-ijl-2026.html"),
        "#art-16",
    ));
    t.wait_for(
        "document.documentElement.lang === 'zh-Hans'",
        "Chinese page",
    );
    t.click("a.lang-switch");
    t.wait_for("document.documentElement.lang === 'en'", "English page");
    let url = t.url();
    assert!(
        url.contains("/en/measures/zhejiang-ijl-2026.html") && url.ends_with("#art-16"),
        "same article in English: {url}"
    );
    // The article text stays Chinese (authoritative) and is marked so for screen readers.
    let text_lang: String = t.eval("return document.querySelector('.text').lang;");
    assert_eq!(text_lang, "zh-Hans");
    let summary: String =
        t.eval("return document.querySelector('#art-16 .summary-en').textContent;");
    assert!(summary.contains("academic committee"), "{summary}");
    // Opening a Chinese page now lands on its English version: the choice is remembered.
    t.goto(&file_url(&root.join("index.html"), ""));
    t.wait_for(
        "document.documentElement.lang === 'en'",
        "remembered English",
    );
    assert!(t.url().ends_with("/en/index.html"), "{}", t.url());
    t.click("a.lang-switch");
    t.wait_for(
        "document.documentElement.lang === 'zh-Hans'",
        "back to Chinese",
    );
    t.goto(&file_url(&root.join("en/index.html"), ""));
    t.wait_for(
        "document.documentElement.lang === 'zh-Hans'",
        "remembered Chinese",
    );
    assert!(t.log().errors.is_empty(), "{:?}", t.log().errors);
    assert!(
        t.non_file_requests().is_empty(),
        "{:?}",
        t.non_file_requests()
    );
    t.eval::<serde_json::Value>("localStorage.removeItem('atlas-lang'); return null;");
    t.close();
}

/// Dates as a person reads them: 云南 第十八条, a term ending on a Spring Festival day gives the
/// acceptance application due three months after the real end, and the page says in Chinese and
/// English why the term's end did not move; 昆明 第十条 a notice over New Year 2027 skips
/// 1 January and the page says what is not yet known.
fn dates_say_why_in_both_languages(chromium: &Chromium, root: &Path) {
    let type_into = |t: &harness::Tab<'_>, name: &str, text: &str| {
        t.focus(&format!("[data-input={name}]"));
        t.insert_text(text);
    };
    let rows = "return [...document.querySelectorAll('.calc-results table.lines tbody tr')].map(r => [r.dataset.result, r.children[1].textContent]);";
    let trace = "return [...document.querySelectorAll('.calc-results .trace li')].map(li => li.textContent).join('\\n');";
    for (page, term_words, trace_words) in [
        (
            "calculators/yunnan-timeline.html",
            "期限届满日，不因休息日顺延",
            "不适用第二百零三条顺延",
        ),
        (
            "en/calculators/yunnan-timeline.html",
            "a term's end: not moved for a rest day",
            "art. 203 does not move it",
        ),
    ] {
        let t = chromium.open(&file_url(&root.join(page), ""));
        t.wait_for("typeof AtlasCalc !== 'undefined'", "calculator script");
        type_into(&t, "start", "2023-02-15");
        type_into(&t, "provincial_funding", "1000000");
        t.click("button.run");
        t.wait_for("!document.querySelector('.calc-results').hidden", "results");
        let lines: Vec<(String, String)> = t.eval(rows);
        let value = |r: &str| {
            lines
                .iter()
                .find(|l| l.0 == r)
                .map(|l| l.1.clone())
                .unwrap_or_else(|| panic!("no {r} line in {lines:?}"))
        };
        // 2023-02-15 + 3 years = 2026-02-15 (Sunday, 春节), not moved; + 3 months = 2026-05-15.
        let end = value("implementation_end");
        assert!(
            end.starts_with("2026-02-15") && end.contains(term_words),
            "{end}"
        );
        assert_eq!(value("acceptance_application_due"), "2026-05-15");
        let why: String = t.eval(trace);
        assert!(why.contains(trace_words), "{page}: {why}");
        assert!(t.log().errors.is_empty(), "{:?}", t.log().errors);
        t.close();
    }
    let t = chromium.open(&file_url(
        &root.join("calculators/kunming-publicity.html"),
        "",
    ));
    t.wait_for("typeof AtlasCalc !== 'undefined'", "calculator script");
    type_into(&t, "published_on", "2026-12-25");
    t.click("button.run");
    t.wait_for("!document.querySelector('.calc-results').hidden", "results");
    let lines: Vec<(String, String)> = t.eval(rows);
    assert!(
        lines
            .iter()
            .any(|l| l.0 == "publicity_ends" && l.1 == "2027-01-04"),
        "{lines:?}"
    );
    let warnings: String =
        t.eval("return document.querySelector('.calc-results .warnings').textContent;");
    assert!(
        warnings.contains("元旦") && warnings.contains("补假日尚未公布"),
        "{warnings}"
    );
    let why: String = t.eval(trace);
    assert!(why.contains("2027-01-01 元旦"), "{why}");
    t.close();
}

fn main() {
    let names = [
        "wasm_equals_native_on_every_case",
        "form_computes_with_citations",
        "bad_input_is_explained_beside_the_field",
        "english_calculator_page",
        "language_switch_is_remembered",
        "dates_say_why_in_both_languages",
    ];
    let mut runner = Runner::from_args(&names);
    let site = atlas_tests::build("2026-11-21");
    let chromium = Chromium::launch();
    let root = site.root.as_path();
    runner.run("wasm_equals_native_on_every_case", || {
        wasm_equals_native_on_every_case(&chromium, root)
    });
    runner.run("form_computes_with_citations", || {
        form_computes_with_citations(&chromium, root)
    });
    runner.run("bad_input_is_explained_beside_the_field", || {
        bad_input_is_explained_beside_the_field(&chromium, root)
    });
    runner.run("english_calculator_page", || {
        english_calculator_page(&chromium, root)
    });
    runner.run("language_switch_is_remembered", || {
        language_switch_is_remembered(&chromium, root)
    });
    runner.run("dates_say_why_in_both_languages", || {
        dates_say_why_in_both_languages(&chromium, root)
    });
    chromium.close();
    runner.finish();
}
