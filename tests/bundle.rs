//! The offline editions: the zip holds the whole site; the single HTML file works on its own
//! from file:// in Chromium — navigation, search and calculators — with no request but itself.

#[path = "browser/calc_form.rs"]
mod calc_form;
#[path = "browser/mod.rs"]
mod harness;

use std::path::{Path, PathBuf};

use harness::{file_url, Chromium, Runner};

struct Editions {
    _dir: tempfile::TempDir,
    zip: PathBuf,
    html: PathBuf,
}

fn bundle() -> Editions {
    let dir = tempfile::tempdir().unwrap();
    let o = atlas::site::Options {
        content: atlas_tests::repo().join("content"),
        theme: atlas_tests::repo().join("themes/default"),
        out: dir.path().join("site"),
        as_of: Some("2026-11-21".into()),
    };
    let (files, as_of) =
        atlas::site::build_in_memory(&o, &mut atlas::diagnostics::Report::default())
            .expect("build");
    atlas::output::bundle::write(&dir.path().join("dist"), &files, as_of).expect("bundle");
    let dist = dir.path().join("dist");
    Editions {
        zip: dist.join("jointlab-atlas-2026-11-21.zip"),
        html: dist.join("jointlab-atlas-2026-11-21.html"),
        _dir: dir,
    }
}

fn zip_holds_the_whole_site(e: &Editions) {
    let mut z = zip::ZipArchive::new(std::fs::File::open(&e.zip).unwrap()).unwrap();
    let names: Vec<String> = (0..z.len())
        .map(|i| z.by_index(i).unwrap().name().to_string())
        .collect();
    for must in [
        "index.html",
        "measures/yunnan-ijl-2025.html",
        "en/index.html",
        "compare/index.html",
        "assets/calculator.js",
        "sources/000_2e852e097c09fd9b.txt",
        "search.html",
    ] {
        assert!(
            names.contains(&format!("jointlab-atlas-2026-11-21/{must}")),
            "zip lacks {must}"
        );
    }
    let mut s = String::new();
    std::io::Read::read_to_string(
        &mut z
            .by_name("jointlab-atlas-2026-11-21/sources/002_957a700021daa88e.txt")
            .unwrap(),
        &mut s,
    )
    .unwrap();
    assert_eq!(
        s,
        std::fs::read_to_string(
            atlas_tests::repo().join("content/sources/002_957a700021daa88e.txt")
        )
        .unwrap()
    );
}

fn single_file_navigates(chromium: &Chromium, html: &Path) {
    let t = chromium.open(&file_url(html, ""));
    t.wait_for(
        "document.querySelector('table.measures') !== null",
        "home page",
    );
    t.click("table.measures a[href='measures/yunnan-ijl-2025.html']");
    t.wait_for(
        "document.getElementById('art-19-1') !== null",
        "Yunnan page",
    );
    let cite: String =
        t.eval("return document.querySelector('#art-19-1 .copy-cite').dataset.cite;");
    assert_eq!(
        cite,
        "《云南省国际联合实验室管理办法》（云科规〔2025〕12号）第十九条第（一）项"
    );
    t.click("a.lang-switch");
    t.wait_for("document.documentElement.lang === 'en'", "English edition");
    t.eval::<serde_json::Value>("localStorage.removeItem('atlas-lang'); return null;");
    assert!(
        t.non_file_requests().is_empty(),
        "{:?}",
        t.non_file_requests()
    );
    assert!(t.log().errors.is_empty(), "{:?}", t.log().errors);
    t.close();
}

fn single_file_searches(chromium: &Chromium, html: &Path) {
    let t = chromium.open(&file_url(html, "#!/search.html?q=%E5%A4%96%E7%B1%8D"));
    // 外籍 occurs in Yunnan 第七条（四） (外籍研究人员应不少于5人).
    t.wait_for("[...document.querySelectorAll('a')].some(a => (a.getAttribute('href')||'').includes('yunnan-ijl-2025.html') && (a.getAttribute('href')||'').includes('art-7-4'))", "search result for 外籍");
    assert!(t.log().errors.is_empty(), "{:?}", t.log().errors);
    assert!(
        t.non_file_requests().is_empty(),
        "{:?}",
        t.non_file_requests()
    );
    t.close();
}

fn single_file_calculates(chromium: &Chromium, html: &Path) {
    let t = chromium.open(&file_url(
        html,
        "#!/calculators/yunnan-post-evaluation-bonus.html",
    ));
    t.wait_for("typeof AtlasCalc !== 'undefined'", "calculator page");
    // 第十九条（二）: good → 1/5; 3,000,000 × 1/5 = 600,000.00.
    let bonus: String = t.eval("return AtlasCalc.runWith({provincial_funding: '3000000', grade: 'good'}).ok.results.bonus;");
    assert_eq!(bonus, "600000.00");
    // A second calculator page in the same window (the engine is loaded once).
    t.eval::<serde_json::Value>("ATLAS_SF.nav('yunnan-enterprise-match.html'); return null;");
    t.wait_for(
        "document.querySelector('form.calculator').dataset.calc === 'yunnan-enterprise-match'",
        "second calculator",
    );
    // 第二十三条: 自筹 ≥ 3 × 省级; 1,000,000 provincial → at least 3,000,000 self-raised.
    let min: String = t.eval(
        "return AtlasCalc.runWith({provincial_funding: '1000000'}).ok.results.min_self_raised;",
    );
    assert_eq!(min, "3000000.00");
    assert!(t.log().errors.is_empty(), "{:?}", t.log().errors);
    t.close();
}

/// Every hand-worked calculator case, through the single file's WASM, equals the native engine.
fn single_file_calculators_equal_native(chromium: &Chromium, html: &Path) {
    let calcs = atlas_tests::native_calculators();
    let t = chromium.open(&file_url(html, "#!/calculators/index.html"));
    t.wait_for("document.querySelector('h1') !== null", "calculators index");
    let mut n = 0;
    for case in atlas_tests::calculator_cases() {
        let (id, input) = (case.calculator.as_str(), &case.input);
        t.eval::<serde_json::Value>(&format!("ATLAS_SF.nav('{id}.html'); return null;"));
        t.wait_for(&format!("typeof AtlasCalc !== 'undefined' && document.querySelector('form.calculator') && document.querySelector('form.calculator').dataset.calc === '{id}'"), id);
        let got: serde_json::Value = t.eval(&format!("return AtlasCalc.runWith({input});"));
        assert_eq!(
            got,
            atlas_tests::native_answer(&calcs, id, input),
            "{id}: single file and native differ on {input}"
        );
        t.eval::<serde_json::Value>("ATLAS_SF.nav('index.html'); return null;");
        n += 1;
    }
    assert!(n >= 20, "only {n} cases");
    assert!(t.log().errors.is_empty(), "{:?}", t.log().errors);
    t.close();
}

/// The query set of the site's search tests, in the single file.
fn single_file_query_set(chromium: &Chromium, html: &Path) {
    // Read from the sources (see tests/browser.rs): query → a unit that contains it.
    let queries = [
        ("年度报告", "kunming-bases-2020.html#art-15"),
        ("3:1", "yunnan-ijl-2025.html#art-23"),
        ("外籍", "yunnan-ijl-2025.html#art-7-4"),
        ("学术委员会", "zhejiang-ijl-2026.html#art-16"),
        ("300 万元", "yunnan-ijl-2025.html#art-23"),
        ("annual report", "kunming-bases-2020.html#art-15"),
    ];
    for (q, want) in queries {
        let t = chromium.open(&file_url(
            html,
            &format!("#!/search.html?q={}", harness::encode(q)),
        ));
        t.wait_for(
            &format!("[...document.querySelectorAll('#search-results a')].some(a => (a.getAttribute('href')||'').split('?')[0].endsWith('{}') || (a.getAttribute('href')||'').replace(/\\?[^#]*/, '').endsWith('{}'))", want, want),
            q,
        );
        assert!(t.log().errors.is_empty(), "{q}: {:?}", t.log().errors);
        assert!(
            t.non_file_requests().is_empty(),
            "{q}: {:?}",
            t.non_file_requests()
        );
        t.close();
    }
}

/// Every hand-worked case typed into the single file's calculator forms, Chinese and English.
fn single_file_forms(chromium: &Chromium, html: &Path) {
    calc_form::form_cases(
        chromium,
        &|id| file_url(html, &format!("#!/calculators/{id}.html")),
        false,
    );
    calc_form::form_cases(
        chromium,
        &|id| file_url(html, &format!("#!/en/calculators/{id}.html")),
        true,
    );
}

fn main() {
    let names = [
        "zip_holds_the_whole_site",
        "single_file_navigates",
        "single_file_searches",
        "single_file_calculates",
        "single_file_calculators_equal_native",
        "single_file_query_set",
        "single_file_forms",
    ];
    let mut runner = Runner::from_args(&names);
    let e = bundle();
    runner.run("zip_holds_the_whole_site", || zip_holds_the_whole_site(&e));
    let chromium = Chromium::launch();
    runner.run("single_file_navigates", || {
        single_file_navigates(&chromium, &e.html)
    });
    runner.run("single_file_searches", || {
        single_file_searches(&chromium, &e.html)
    });
    runner.run("single_file_calculates", || {
        single_file_calculates(&chromium, &e.html)
    });
    runner.run("single_file_calculators_equal_native", || {
        single_file_calculators_equal_native(&chromium, &e.html)
    });
    runner.run("single_file_query_set", || {
        single_file_query_set(&chromium, &e.html)
    });
    runner.run("single_file_forms", || {
        single_file_forms(&chromium, &e.html)
    });
    chromium.close();
    runner.finish();
}
