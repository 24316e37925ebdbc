//! "Adding a measure is adding a TOML file": a fictitious 13-article measure
//! (`tests/fixtures/fictitious/`), written only in TOML, passes `atlas check`, builds, shows its
//! status at two dates (not yet in force, then expired after its five-year validity, the measure
//! it repeals repealed), and its calculators compute the hand-worked cases of
//! `tests/fixtures/fictitious/cases.toml`, natively and in the built pages' WebAssembly.

#[path = "fixtures/completed.rs"]
mod completed;
#[path = "browser/mod.rs"]
mod harness;

use std::path::Path;

use harness::{file_url, Chromium, Runner};

fn checks_without_errors(content: &Path) {
    let mut report = atlas::diagnostics::Report::default();
    let checked = atlas::site::check(content, &mut report);
    let errors: Vec<String> = report
        .items
        .iter()
        .map(|d| d.to_string())
        .filter(|d| d.contains("error"))
        .collect();
    assert!(checked.is_some() && errors.is_empty(), "{errors:#?}");
}

fn status_of(site: &Path, id: &str) -> String {
    let html =
        scraper::Html::parse_document(&std::fs::read_to_string(site.join("index.html")).unwrap());
    html.select(&atlas_tests::sel("table.measures tbody tr"))
        .find(|tr| {
            tr.select(&atlas_tests::sel("a"))
                .any(|a| a.value().attr("href") == Some(&format!("measures/{id}.html")))
        })
        .and_then(|tr| tr.value().attr("data-status").map(String::from))
        .unwrap_or_else(|| panic!("{id} not on the home page"))
}

fn dataset_status(site: &Path, id: &str) -> String {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("data/atlas.json")).unwrap())
            .unwrap();
    v["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .and_then(|m| m["status"].as_str())
        .unwrap_or_default()
        .to_string()
}

/// 第十三条 “本办法自2027年1月1日起施行，有效期5年”: on 2026-12-15 not yet in force and the 2019
/// measure in force; on 2032-06-01 expired (five years from 2027-01-01 include that day, so the
/// last day is 2031-12-31 and it is expired from 2032-01-01) and the 2019 measure repealed (since
/// 2027-01-01) — on the home page, the measure page's status box, the matrix filter and the dataset.
fn status_at_two_dates(early: &Path, late: &Path) {
    assert_eq!(status_of(early, "fict-platforms-2026"), "not-yet");
    assert_eq!(status_of(early, "fict-bases-2019"), "in-force");
    assert_eq!(status_of(late, "fict-platforms-2026"), "expired");
    assert_eq!(status_of(late, "fict-bases-2019"), "repealed");
    assert_eq!(dataset_status(late, "fict-platforms-2026"), "expired");
    assert_eq!(dataset_status(early, "fict-platforms-2026"), "not-yet");
    let page = std::fs::read_to_string(late.join("measures/fict-platforms-2026.html")).unwrap();
    assert!(page.contains("已失效"), "status box says 已失效");
    assert!(
        page.contains("2032-01-01") && page.contains("「有效期5年」"),
        "the validity is quoted with its day"
    );
    let en = std::fs::read_to_string(late.join("en/measures/fict-platforms-2026.html")).unwrap();
    assert!(en.contains("Expired"), "English status box");
    let matrix = std::fs::read_to_string(late.join("compare/index.html")).unwrap();
    assert!(
        matrix.contains("value=\"expired\""),
        "the matrix filters by expired"
    );
}

struct Case {
    name: String,
    calculator: String,
    input: serde_json::Value,
    expect: serde_json::Map<String, serde_json::Value>,
    error_field: Option<String>,
    absent: Vec<String>,
    notes_contain: Vec<String>,
}

fn cases() -> Vec<Case> {
    let text =
        std::fs::read_to_string(atlas_tests::repo().join("tests/fixtures/fictitious/cases.toml"))
            .unwrap();
    let v: toml::Value = toml::from_str(&text).unwrap();
    v["case"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let json = |k: &str| {
                serde_json::to_value(
                    c.get(k)
                        .cloned()
                        .unwrap_or(toml::Value::Table(Default::default())),
                )
                .unwrap()
            };
            let strings = |k: &str| -> Vec<String> {
                c.get(k)
                    .and_then(|x| x.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|s| s.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            Case {
                name: c["name"].as_str().unwrap().into(),
                calculator: c["calculator"].as_str().unwrap().into(),
                input: json("input"),
                expect: json("expect").as_object().cloned().unwrap_or_default(),
                error_field: c
                    .get("error_field")
                    .and_then(|x| x.as_str())
                    .map(String::from),
                absent: strings("absent"),
                notes_contain: strings("notes_contain"),
            }
        })
        .collect()
}

/// Each case natively: the expected results (a list item's keys not given, e.g. a tranche's
/// `payable_on` when the text fixes no date, must be null).
fn calculators_compute_the_cases(content: &Path) {
    let mut report = atlas::diagnostics::Report::default();
    let checked = atlas::site::check(content, &mut report).expect("checks");
    let calcs = checked.calculators.expect("calculators");
    let mut bad = Vec::new();
    for c in cases() {
        let got = calcs.run(&c.calculator, &c.input.to_string());
        match (got, &c.error_field) {
            (Err(e), Some(f)) if &e.field == f => {}
            (Err(e), _) => bad.push(format!("{}: error {e}", c.name)),
            (Ok(_), Some(f)) => bad.push(format!("{}: expected an error on {f}", c.name)),
            (Ok(out), None) => {
                for (k, want) in &c.expect {
                    let got = out
                        .results
                        .get(k)
                        .cloned()
                        .unwrap_or(serde_json::Value::Null);
                    let ok = match (want, &got) {
                        (serde_json::Value::Array(w), serde_json::Value::Array(g))
                            if k == "tranches" =>
                        {
                            w.len() == g.len()
                                && w.iter().zip(g).all(|(w, g)| {
                                    ["n", "share", "amount", "payable_on", "status"].iter().all(
                                        |f| {
                                            w.get(*f).unwrap_or(&serde_json::Value::Null)
                                                == g.get(*f).unwrap_or(&serde_json::Value::Null)
                                        },
                                    )
                                })
                        }
                        _ => &got == want,
                    };
                    if !ok {
                        bad.push(format!("{}: {k} = {got}, expected {want}", c.name));
                    }
                }
                for k in &c.absent {
                    if out.results.contains_key(k) {
                        bad.push(format!("{}: {k} must be absent", c.name));
                    }
                }
                for n in &c.notes_contain {
                    if !out.notes.iter().any(|m| m.text_en.contains(n.as_str())) {
                        bad.push(format!("{}: no note with {n:?}", c.name));
                    }
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Each case through the built page's WebAssembly equals the native engine (as of the site's
/// date), and the page's form offers the review grades of the grade-scale fact.
fn wasm_equals_native(chromium: &Chromium, content: &Path, site: &Path, as_of: &str) {
    let mut report = atlas::diagnostics::Report::default();
    let calcs = atlas::site::check(content, &mut report)
        .unwrap()
        .calculators
        .unwrap();
    let day =
        time::Date::parse(as_of, &time::format_description::well_known::Iso8601::DATE).unwrap();
    for c in cases() {
        let t = chromium.open(&file_url(
            &site.join(format!("calculators/{}.html", c.calculator)),
            "",
        ));
        t.wait_for("typeof AtlasCalc !== 'undefined'", "calculator");
        let got: serde_json::Value = t.eval(&format!("return AtlasCalc.runWith({});", c.input));
        let want = match calcs.run_as_of(&c.calculator, &c.input.to_string(), Some(day)) {
            Ok(o) => serde_json::json!({ "ok": o }),
            Err(e) => serde_json::json!({ "error": e }),
        };
        assert_eq!(got, want, "{}: WASM and native differ", c.name);
        t.close();
    }
    let t = chromium.open(&file_url(&site.join("calculators/fict-bonus.html"), ""));
    let grades: Vec<String> = t.eval("return [...document.querySelectorAll('[data-input=grade] option')].map(o => o.textContent);");
    assert_eq!(grades, ["优秀", "合格", "不合格"]);
    t.close();
}

/// As of 2032-06-01 the measure has expired: the calculators say so.
fn calculators_say_expired(content: &Path) {
    let mut report = atlas::diagnostics::Report::default();
    let calcs = atlas::site::check(content, &mut report)
        .unwrap()
        .calculators
        .unwrap();
    let day = time::Date::parse(
        "2032-06-01",
        &time::format_description::well_known::Iso8601::DATE,
    )
    .unwrap();
    let out = calcs
        .run_as_of(
            "fict-bonus",
            r#"{"city_grant":"1000000","grade":"excellent"}"#,
            Some(day),
        )
        .unwrap();
    assert_eq!(out.results["measure_status"], "expired");
    assert!(
        out.warnings
            .iter()
            .any(|w| w.text.contains("自2032-01-01起失效")),
        "{:?}",
        out.warnings
    );
}

/// The planner page lists the fictitious measure's calculators although no code knows them: its
/// inputs name the profile fields they read (`profile = "grant"`, `"start"`). Typed into the
/// form: a grant of 1,200,000 yuan from 2027-03-15 — 第六条 40% on recognition: 480,000.00 on
/// 2027-03-15 (in the merged timeline), 60% after the end-of-term review: 720,000.00 awaiting
/// it; 第七条 2:1: own funds at least 2,400,000.00.
fn planner_lists_the_measure(chromium: &Chromium, site: &Path) {
    let t = chromium.open(&file_url(&site.join("planner.html"), ""));
    t.wait_for("typeof AtlasPlanner !== 'undefined'", "planner script");
    for (key, text) in [
        ("profile-grant", "1200000"),
        ("profile-start", "2027-03-15"),
    ] {
        t.focus(&format!("form.planner [data-input={key}]"));
        t.insert_text(text);
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    let rows: Vec<(String, String, String, String)> = t.eval(
        "return [...document.querySelectorAll('.plan-calc[data-calc=fict-grant] tbody tr, .plan-calc[data-calc=fict-match] tbody tr')]
           .map(r => [r.dataset.result, r.dataset.item || '', r.dataset.status || '', r.children[1].textContent]);",
    );
    let has = |result: &str, item: &str, status: &str, value: &str| {
        rows.iter()
            .any(|r| r.0 == result && r.1 == item && r.2 == status && r.3.contains(value))
    };
    assert!(has("tranches", "1", "payable", "480,000.00"), "{rows:#?}");
    assert!(has("tranches", "2", "pending", "720,000.00"), "{rows:#?}");
    assert!(has("min_own_funds", "", "", "2,400,000.00"), "{rows:#?}");
    let events: Vec<(String, String)> = t.eval(
        "return [...document.querySelectorAll('.plan-timeline tbody tr')].map(r => [r.children[0].textContent, r.dataset.calc]);",
    );
    assert!(
        events
            .iter()
            .any(|(d, c)| d.starts_with("2027-03-15") && c == "fict-grant"),
        "{events:?}"
    );
    assert!(t.log().errors.is_empty(), "{:?}", t.log().errors);
    t.close();
}

/// A new collection grows a second measure as the authoring guide says — `atlas init`, the
/// source copy, `atlas import`, the keys it marks TODO completed — and the built site, opened
/// from disk in Chromium, shows the imported text, its entry into force and its repeals, and
/// finds it by search.
fn an_imported_measure_opens_in_chromium(chromium: &Chromium) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("c");
    atlas::site::init(&root).expect("init");
    let file = "000_2e852e097c09fd9b.txt";
    let text =
        std::fs::read_to_string(atlas_tests::repo().join("content/sources").join(file)).unwrap();
    std::fs::write(root.join("content/sources").join(file), &text).unwrap();
    let skeleton = atlas::import::skeleton(&text, file);
    // What the author fills in; every TODO comment goes once done.
    let done = completed::complete(&skeleton, &completed::YUNNAN_FILLED);
    std::fs::write(root.join("content/measures/yunnan-ijl-2025.toml"), done).unwrap();
    let site = root.join("site");
    let o = atlas::site::Options {
        content: root.join("content"),
        // No theme folder: the theme inside atlas.
        theme: root.join("themes/default"),
        out: site.clone(),
        as_of: Some("2026-11-21".into()),
    };
    let mut report = atlas::diagnostics::Report::default();
    atlas::site::build(&o, &mut report)
        .unwrap_or_else(|e| panic!("build: {e}: {:?}", report.items));

    let t = chromium.open(&file_url(&site.join("index.html"), ""));
    let listed: Vec<String> = t.eval(
        "return [...document.querySelectorAll('table.measures a[href*=\"measures/\"]')].map(a => a.getAttribute('href'));",
    );
    assert!(
        listed
            .iter()
            .any(|h| h.ends_with("measures/yunnan-ijl-2025.html")),
        "the home page lists the imported measure: {listed:?}"
    );
    t.goto(&file_url(&site.join("measures/yunnan-ijl-2025.html"), ""));
    t.wait_for("document.readyState === 'complete'", "the measure page");
    // 第十九条 as the source gives it; 第三十条 in force 2026-02-01, repealing 云科规〔2022〕2号.
    let (art19, body): (String, String) = t
        .eval("return [document.getElementById('art-19').textContent, document.body.textContent];");
    assert!(
        art19.contains("后评估结果分为优秀、良好、合格和不合格"),
        "{art19}"
    );
    assert!(body.contains("2026-02-01"), "the entry into force is shown");
    assert!(body.contains("云科规〔2022〕2号"), "the repeal is shown");
    t.goto(&file_url(
        &site.join("search.html"),
        "?q=%E5%90%8E%E8%AF%84%E4%BC%B0",
    ));
    t.wait_for(
        "document.querySelectorAll('.search-results li.search-hit').length > 0",
        "search results for 后评估",
    );
    let hrefs: Vec<String> = t.eval(
        "return [...document.querySelectorAll('.search-results li.search-hit a')].map(a => a.getAttribute('href'));",
    );
    assert!(
        hrefs
            .iter()
            .any(|h| h.contains("measures/yunnan-ijl-2025.html") && h.ends_with("#art-19")),
        "{hrefs:?}"
    );
    assert!(t.log().errors.is_empty(), "{:?}", t.log().errors);
    t.close();
}

fn main() {
    let names = [
        "checks_without_errors",
        "status_at_two_dates",
        "calculators_compute_the_cases",
        "calculators_say_expired",
        "wasm_equals_native",
        "planner_lists_the_measure",
        "an_imported_measure_opens_in_chromium",
    ];
    let mut runner = Runner::from_args(&names);
    let (dir, content) = atlas_tests::fictitious_content();
    let early = dir.path().join("early");
    let late = dir.path().join("late");
    runner.run("checks_without_errors", || checks_without_errors(&content));
    atlas_tests::build_at(&content, &early, "2026-12-15");
    atlas_tests::build_at(&content, &late, "2032-06-01");
    runner.run("status_at_two_dates", || status_at_two_dates(&early, &late));
    runner.run("calculators_compute_the_cases", || {
        calculators_compute_the_cases(&content)
    });
    runner.run("calculators_say_expired", || {
        calculators_say_expired(&content)
    });
    let chromium = Chromium::launch();
    runner.run("wasm_equals_native", || {
        wasm_equals_native(&chromium, &content, &early, "2026-12-15")
    });
    runner.run("planner_lists_the_measure", || {
        planner_lists_the_measure(&chromium, &early)
    });
    runner.run("an_imported_measure_opens_in_chromium", || {
        an_imported_measure_opens_in_chromium(&chromium)
    });
    chromium.close();
    runner.finish();
}
