//! Calculators in real Chromium from file://: the WASM build gives the same results as the
//! native engine on every hand-worked case, the form works, and bad input gets a clear message
//! beside its field instead of a trap.

#[path = "browser/calc_form.rs"]
mod calc_form;
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
        ..
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
    // Shown as an applicant reads it: separators and 万元.
    assert!(total.1.contains("1,000,000.00 元（100 万元）"), "{total:?}");
    assert!(
        total.2.ends_with("measures/kunming-bases-2020.html#art-19"),
        "{total:?}"
    );
    let summary: String = t.eval("return document.querySelector('textarea.summary').value;");
    assert!(summary.contains("1,000,000.00 元"), "{summary}");
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
    // A page opened by its own address is shown in its language: the remembered choice applies
    // only to the Chinese home page as the entry point (a shared English link stays English).
    t.goto(&file_url(&root.join("en/index.html"), ""));
    t.wait_for(
        "document.documentElement.lang === 'en'",
        "an English address stays English",
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

fn form_cases_zh(chromium: &Chromium, root: &Path) {
    calc_form::form_cases(
        chromium,
        &|id| file_url(&root.join(format!("calculators/{id}.html")), ""),
        false,
    );
}

fn form_cases_en(chromium: &Chromium, root: &Path) {
    calc_form::form_cases(
        chromium,
        &|id| file_url(&root.join(format!("en/calculators/{id}.html")), ""),
        true,
    );
}

/// On every calculator page, zh and en: every drop-down offers choices, every set of boxes has
/// boxes, and no id of the calculator is shown under its title.
fn every_select_offers_choices(root: &Path) {
    let site_pages = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.path().to_string_lossy().contains("calculators/")
                && e.path().extension().is_some_and(|x| x == "html")
                && !e.path().ends_with("index.html")
        })
        .map(|e| e.path().to_path_buf())
        .collect::<Vec<_>>();
    assert!(
        site_pages.len() >= 24,
        "{} calculator pages",
        site_pages.len()
    );
    let mut bad = Vec::new();
    for p in &site_pages {
        let html = scraper::Html::parse_document(&std::fs::read_to_string(p).unwrap());
        for s in html.select(&atlas_tests::sel("form.calculator select")) {
            let offered = s
                .select(&atlas_tests::sel("option"))
                .filter(|o| !o.value().attr("value").unwrap_or_default().is_empty())
                .count();
            if offered == 0 {
                bad.push(format!(
                    "{}: a select offers nothing: {}",
                    p.display(),
                    s.html()
                ));
            }
        }
        for f in html.select(&atlas_tests::sel("fieldset[data-kind=enum-set]")) {
            if f.select(&atlas_tests::sel("input[type=checkbox]")).count() == 0 {
                bad.push(format!("{}: a list of boxes offers nothing", p.display()));
            }
        }
        // The page opens with who it is for, what to have at hand, what it does not cover.
        let intro = html
            .select(&atlas_tests::sel("main h1 ~ p.calc-intro"))
            .next()
            .map(|p| p.text().collect::<String>())
            .unwrap_or_default();
        let en = p.to_string_lossy().contains("/en/");
        let sentences = intro.matches(if en { ". " } else { "。" }).count()
            + usize::from(en && intro.ends_with('.'));
        if !(2..=4).contains(&sentences)
            || (en
                && intro
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
        {
            bad.push(format!(
                "{}: the opening sentences are missing or in the other language: {intro:?}",
                p.display()
            ));
        }
        let id = p.file_stem().unwrap().to_string_lossy().to_string();
        let main = html
            .select(&atlas_tests::sel("main"))
            .next()
            .map(|m| m.text().collect::<String>())
            .unwrap_or_default();
        for under_title in html.select(&atlas_tests::sel("main p.muted, main code")) {
            if under_title.text().collect::<String>().contains(&id) {
                bad.push(format!("{}: the id {id} is shown", p.display()));
            }
        }
        if main.contains("content/") {
            bad.push(format!("{}: a file path is shown", p.display()));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// The calendar file of a timeline, as the export button writes it, read by an independent
/// parser: one all-day event per obligation on its day (DTEND the next day), titled in the
/// page's language with the amount where there is one and the year a report concerns, a
/// description citing the article. Expected days are the hand-worked cases' results.
fn ics_of_each_timeline(chromium: &Chromium, root: &Path) {
    use icalendar::Component;
    // (case name, expected (day, words in the Chinese title, words in the English title)).
    type Want = (&'static str, &'static str, &'static str);
    let cases: [(&str, &[Want]); 5] = [
        (
            // 第十九条: tranche 1 paid 2024-03-15, tranche 2 withheld (no event), tranche 3 pending.
            "rd-center, year 2 failed",
            &[
                (
                    "20240315",
                    "第1期经费（25%）：250,000.00 元（25 万元）",
                    "Tranche 1 (25%): CNY 250,000.00 (0.25 million)",
                ),
                (
                    "20260315",
                    "第3期经费（50%）：500,000.00 元（50 万元）",
                    "Tranche 3 (50%): CNY 500,000.00 (0.5 million)",
                ),
            ],
        ),
        (
            "200万 exactly: midterm required; all dates",
            &[
                ("20270801", "中期评估", "Midterm evaluation"),
                ("20290201", "实施期满", "Implementation term ends"),
                ("20290503", "提出验收申请截止", "Acceptance application due"),
                ("20310615", "后评估", "Post-evaluation"),
                (
                    "20270927",
                    "中期评估整改方案截止",
                    "Midterm rectification plan due",
                ),
                (
                    "20271210",
                    "中期评估整改完成截止",
                    "Midterm rectification due",
                ),
                ("20261129", "（2026年度）", "(year 2026)"),
                ("20271129", "（2027年度）", "(year 2027)"),
                ("20281129", "（2028年度）", "(year 2028)"),
                ("20291129", "（2029年度）", "(year 2029)"),
            ],
        ),
        (
            "recognised in August: first report after one full year",
            &[
                ("20290801", "建设期满", "Construction period ends"),
                ("20280130", "（2027年度）", "(year 2027)"),
                ("20290130", "（2028年度）", "(year 2028)"),
                ("20300130", "（2029年度）", "(year 2029)"),
            ],
        ),
        (
            "unqualified, notified 2026-01-30",
            &[
                ("20260228", "提交整改方案截止", "Rectification plan due"),
                (
                    "20260730",
                    "完成整改并提交整改报告截止",
                    "Rectification and report due",
                ),
            ],
        ),
        (
            // 第十条（三）5个工作日 across the 2026 Spring Festival.
            "publicity: 5 working days across the 2026 Spring Festival",
            &[("20260224", "公示期届满", "Public notice ends")],
        ),
    ];
    let all = atlas_tests::calculator_cases();
    for (name, want) in cases {
        let case = all
            .iter()
            .find(|c| c.name.starts_with(name))
            .unwrap_or_else(|| panic!("no case {name}"));
        for (prefix, en) in [("", false), ("en/", true)] {
            let t = chromium.open(&file_url(
                &root.join(format!("{prefix}calculators/{}.html", case.calculator)),
                "",
            ));
            t.wait_for("typeof AtlasCalc !== 'undefined'", "calculator script");
            let calc_form::Typed::Shown(_) = calc_form::type_case(&t, &case.input) else {
                panic!("{name}: not typed")
            };
            let visible: bool = t.eval("return !document.querySelector('.export-ics').hidden;");
            let text: String = t.eval("return AtlasCalc.ics();");
            t.close();
            assert!(visible, "{name}: the calendar export is offered");
            assert!(
                text.lines().all(|l| l.len() <= 75 + 1),
                "{name}: a line longer than 75 octets"
            );
            assert!(text.contains("\r\n"), "{name}: lines end in CRLF");
            let cal: icalendar::Calendar = text
                .parse()
                .unwrap_or_else(|e| panic!("{name}: not RFC 5545: {e}\n{text}"));
            let events: Vec<&icalendar::Event> =
                cal.components.iter().filter_map(|c| c.as_event()).collect();
            assert_eq!(events.len(), want.len(), "{name} ({prefix}): {text}");
            for (day, zh, en_words) in want {
                let words = if en { *en_words } else { *zh };
                let hit = events.iter().find(|e| {
                    e.property_value("DTSTART") == Some(day)
                        && e.get_summary().is_some_and(|s| s.contains(words))
                });
                let e = hit.unwrap_or_else(|| {
                    panic!("{name} ({prefix}): no event on {day} titled with {words:?}:\n{text}")
                });
                let next = time::Date::parse(
                    day,
                    &time::macros::format_description!("[year][month][day]"),
                )
                .unwrap()
                .next_day()
                .unwrap()
                .format(&time::macros::format_description!("[year][month][day]"))
                .unwrap();
                assert_eq!(
                    e.property_value("DTEND"),
                    Some(next.as_str()),
                    "{name}: all-day on {day}"
                );
                let desc = e.get_description().unwrap_or_default();
                assert!(
                    desc.to_lowercase().contains(if en { "art." } else { "第" })
                        && desc.contains(if en { "Rests on" } else { "依据" }),
                    "{name}: the description cites the article: {desc}"
                );
                let summary = e.get_summary().unwrap_or_default();
                let other = if en {
                    summary
                        .chars()
                        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
                } else {
                    summary.contains("Tranche") || summary.contains("due")
                };
                assert!(!other, "{name}: a title in the other language: {summary}");
            }
        }
    }
}

fn main() {
    let names = [
        "wasm_equals_native_on_every_case",
        "form_computes_with_citations",
        "bad_input_is_explained_beside_the_field",
        "english_calculator_page",
        "language_switch_is_remembered",
        "dates_say_why_in_both_languages",
        "every_select_offers_choices",
        "form_cases_zh",
        "form_cases_en",
        "ics_of_each_timeline",
    ];
    let mut runner = Runner::from_args(&names);
    let site = atlas_tests::build(atlas_tests::AS_OF);
    // ATLAS_SITE_UNDER_TEST points the checks at another built site (e.g. one built by an
    // earlier version, to see a check fail there); by default the site just built.
    let other = std::env::var_os("ATLAS_SITE_UNDER_TEST").map(std::path::PathBuf::from);
    let chromium = Chromium::launch();
    let root = other.as_deref().unwrap_or(site.root.as_path());
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
    runner.run("every_select_offers_choices", || {
        every_select_offers_choices(root)
    });
    runner.run("form_cases_zh", || form_cases_zh(&chromium, root));
    runner.run("form_cases_en", || form_cases_en(&chromium, root));
    runner.run("ics_of_each_timeline", || {
        ics_of_each_timeline(&chromium, root)
    });
    chromium.close();
    runner.finish();
}
