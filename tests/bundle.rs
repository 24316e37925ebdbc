//! The offline editions: the zip holds the whole site; the single HTML file holds every file of
//! it, compressed, is at most 1.1 × the zip, and works on its own from file:// in Chromium —
//! navigation, Back/Forward, deep links to an article, search and calculators — with no request
//! but itself, and says so plainly in a browser that cannot unpack it.

#[path = "browser/calc_form.rs"]
mod calc_form;
#[path = "browser/mod.rs"]
mod harness;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use harness::{file_url, Chromium, Runner};

struct Editions {
    _dir: tempfile::TempDir,
    site: PathBuf,
    zip: PathBuf,
    html: PathBuf,
}

/// Builds `content` and bundles it, in a temporary directory.
fn bundle_of(content: &Path, dir: tempfile::TempDir) -> Editions {
    let o = atlas::site::Options {
        content: content.to_path_buf(),
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
        site: dir.path().join("site"),
        zip: dist.join("jointlab-atlas-2026-11-21.zip"),
        html: dist.join("jointlab-atlas-2026-11-21.html"),
        _dir: dir,
    }
}

fn bundle() -> Editions {
    bundle_of(
        &atlas_tests::repo().join("content"),
        tempfile::tempdir().unwrap(),
    )
}

/// Where `needle` starts in `hay`, from `from` on.
fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// The text of the script element whose start tag is `tag`, and where it lies in the file.
fn element<'a>(html: &'a [u8], tag: &str) -> (usize, &'a [u8]) {
    let start = find(html, tag.as_bytes(), 0).unwrap_or_else(|| panic!("no {tag}")) + tag.len();
    let end = find(html, b"</script>", start).expect("element ends");
    (start, &html[start..end])
}

/// Reads the single file back as the format is described in `output/bundle.rs`, independently
/// of the router: the index names each file's stream and place; a stream's text, with line
/// breaks skipped and `=` escapes undone, is zlib. Returns every file and how many distinct
/// places hold them.
fn unpack(html: &[u8]) -> (BTreeMap<String, Vec<u8>>, usize) {
    let (_, index) = element(html, "<script type=\"application/json\" id=\"sf-index\">");
    let index: serde_json::Value = serde_json::from_slice(index).expect("index is JSON");
    let (_, data) = element(
        html,
        "<script type=\"application/octet-stream\" id=\"sf-data\">",
    );
    let mut streams = Vec::new();
    for r in index["streams"].as_array().expect("streams") {
        let (a, b) = (
            r[0].as_u64().unwrap() as usize,
            r[1].as_u64().unwrap() as usize,
        );
        let mut raw = Vec::new();
        let mut it = data[a..b].iter();
        while let Some(&c) = it.next() {
            match c {
                b'\n' | b'\r' => {}
                b'=' => raw.push(it.next().expect("escaped byte") - 64),
                _ => raw.push(c),
            }
        }
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(&raw[..]), &mut out)
            .expect("a zlib stream");
        streams.push(out);
    }
    let mut files = BTreeMap::new();
    let mut places = std::collections::BTreeSet::new();
    for f in index["files"].as_array().expect("files") {
        let (k, s, o, n) = (
            f[0].as_str().unwrap().to_string(),
            f[1].as_u64().unwrap() as usize,
            f[2].as_u64().unwrap() as usize,
            f[3].as_u64().unwrap() as usize,
        );
        places.insert((s, o, n));
        files.insert(k, streams[s][o..o + n].to_vec());
    }
    (files, places.len())
}

/// Every file of the folder edition comes back byte for byte out of the single file; identical
/// files are stored once; outside its data the file is ASCII (it is declared windows-1252, so
/// that the compressed bytes need no base64).
fn single_file_holds_every_file(e: &Editions) {
    let html = std::fs::read(&e.html).unwrap();
    let (files, places) = unpack(&html);
    let mut site = BTreeMap::new();
    for f in walkdir::WalkDir::new(&e.site)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = f
            .path()
            .strip_prefix(&e.site)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if f.file_type().is_file() && rel != atlas::output::MARKER {
            site.insert(rel, std::fs::read(f.path()).unwrap());
        }
    }
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        site.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (k, v) in &site {
        assert!(files[k] == *v, "{k} differs in the single file");
    }
    let distinct: std::collections::BTreeSet<&Vec<u8>> = site.values().collect();
    assert_eq!(places, distinct.len(), "each distinct file stored once");
    let (data_at, data) = element(
        &html,
        "<script type=\"application/octet-stream\" id=\"sf-data\">",
    );
    let outside = html[..data_at].iter().chain(&html[data_at + data.len()..]);
    assert!(
        outside.clone().all(u8::is_ascii),
        "non-ASCII outside the data"
    );
    assert!(
        data.iter().all(|&b| !matches!(b, 0 | b'\r' | b'<')),
        "a byte the HTML parser would change, or '<', in the data"
    );
    assert!(
        data.split(|&b| b == b'\n').all(|l| l.len() <= 1001),
        "a line longer than the file's own line length"
    );
}

/// A synthetic corpus of `n` measures, built and bundled in a temporary directory.
fn synthetic(n: usize) -> Editions {
    let dir = tempfile::tempdir().unwrap();
    let content = atlas::synth::run(&atlas_tests::repo().join("content"), dir.path(), n, 1)
        .expect("atlas synth");
    bundle_of(&content, dir)
}

/// The single file is at most 1.1 × the zip of the same site (issue #26), for the real
/// collection and 100 synthetic measures. Before it was compressed: 4.8 MB against a 1.3 MB zip,
/// and 29.6 MB against 6.2 MB.
fn single_file_is_about_as_small_as_the_zip(real: &Editions) {
    let ratio = |e: &Editions| {
        let (h, z) = (
            std::fs::metadata(&e.html).unwrap().len(),
            std::fs::metadata(&e.zip).unwrap().len(),
        );
        eprintln!(
            "  single file {h} B, zip {z} B, ratio {:.3}",
            h as f64 / z as f64
        );
        h as f64 / z as f64
    };
    assert!(ratio(real) <= 1.1, "real collection");
    let t = Instant::now();
    let synth = synthetic(100);
    eprintln!(
        "  100 measures synthesised, built and bundled in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    // The synthetic pages really are in it.
    let html = std::fs::read(&synth.html).unwrap();
    let (files, _) = unpack(&html);
    assert!(
        files
            .keys()
            .filter(|k| k.starts_with("measures/") && k.ends_with(".html"))
            .count()
            >= 100,
        "100 measure pages in the single file"
    );
    assert!(ratio(&synth) <= 1.1, "100 synthetic measures");
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
    closes_clean(t);
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

/// Back and Forward go through the pages opened in the single file, and a link to another
/// measure's article lands on that article.
fn single_file_back_and_forward(chromium: &Chromium, html: &Path) {
    let t = chromium.open(&file_url(html, ""));
    let home = "document.querySelector('table.measures') !== null";
    let yunnan = "document.getElementById('art-19-1') !== null";
    t.wait_for(home, "home page");
    t.click("table.measures a[href='measures/yunnan-ijl-2025.html']");
    t.wait_for(yunnan, "Yunnan page");
    // 《云南省国际联合实验室管理办法》 is cited by the Kunming measure's 第二十一条.
    t.click("a[href='kunming-bases-2020.html#art-21']");
    t.wait_for(
        "location.hash === '#!/measures/kunming-bases-2020.html#art-21' && document.getElementById('art-21') !== null && document.getElementById('art-21').classList.contains('sf-target')",
        "Kunming 第二十一条",
    );
    let head: String =
        t.eval("return document.querySelector('#art-21 .article-head').textContent.trim();");
    assert!(head.starts_with("第二十一条"), "{head}");
    t.eval::<serde_json::Value>("history.back(); return null;");
    t.wait_for(
        &format!("{yunnan} && location.hash === '#!/measures/yunnan-ijl-2025.html'"),
        "Back to Yunnan",
    );
    t.eval::<serde_json::Value>("history.back(); return null;");
    t.wait_for(
        &format!("{home} && location.hash === '#!/index.html'"),
        "Back to the home page",
    );
    t.eval::<serde_json::Value>("history.forward(); return null;");
    t.wait_for(yunnan, "Forward to Yunnan");
    t.eval::<serde_json::Value>("history.forward(); return null;");
    t.wait_for(
        "document.getElementById('art-21') !== null && document.getElementById('art-21').classList.contains('sf-target')",
        "Forward to Kunming 第二十一条",
    );
    closes_clean(t);
}

/// `…html#!/measures/<id>.html#art-19` opens the measure at 第十九条: the article is marked and
/// scrolled to the top of the window.
fn single_file_deep_link(chromium: &Chromium, html: &Path) {
    let t = chromium.open(&file_url(html, "#!/measures/yunnan-ijl-2025.html#art-19"));
    t.wait_for(
        "document.getElementById('art-19') !== null && document.getElementById('art-19').classList.contains('sf-target')",
        "第十九条 marked",
    );
    let head: String =
        t.eval("return document.querySelector('#art-19 .article-head').textContent.trim();");
    assert!(head.starts_with("第十九条"), "{head}");
    // Layout may still settle for a frame: read where the article is once it has.
    t.wait_for(
        "(() => { const r = document.getElementById('art-19').getBoundingClientRect(); return window.scrollY > 0 && r.top >= -1 && r.top < 100; })()",
        "第十九条 at the top of the window",
    );
    assert!(t.log().errors.is_empty(), "{:?}", t.log().errors);
    t.close();
}

/// Routes naming what every JavaScript object has (`constructor`, `__proto__`, …) are not pages
/// of the file: they open the home page, not a blank one (issue #24, item 6).
fn single_file_object_routes(chromium: &Chromium, html: &Path) {
    let home =
        "document.querySelector('table.measures') !== null && location.hash === '#!/index.html'";
    for r in [
        "constructor",
        "__proto__",
        "toString",
        "hasOwnProperty",
        "valueOf",
        "__defineGetter__",
    ] {
        let t = chromium.open(&file_url(html, &format!("#!/{r}")));
        t.wait_for(home, &format!("home page for #!/{r}"));
        assert!(t.log().errors.is_empty(), "#!/{r}: {:?}", t.log().errors);
        t.close();
    }
    // The same routes typed into the address of an open file.
    let t = chromium.open(&file_url(html, "#!/measures/yunnan-ijl-2025.html"));
    t.wait_for("document.getElementById('art-19') !== null", "Yunnan page");
    for r in ["constructor", "__proto__", "toString"] {
        t.eval::<serde_json::Value>(&format!("location.hash = '#!/{r}'; return null;"));
        t.wait_for(home, &format!("home page after #!/{r}"));
        t.eval::<serde_json::Value>(
            "location.hash = '#!/measures/yunnan-ijl-2025.html'; return null;",
        );
        t.wait_for(
            "document.getElementById('art-19') !== null",
            "Yunnan page again",
        );
    }
    assert!(t.log().errors.is_empty(), "{:?}", t.log().errors);
    t.close();
}

/// A browser without DecompressionStream is told why the file cannot open, in both languages,
/// instead of being left with a blank page.
fn single_file_without_decompression_stream(chromium: &Chromium, html: &Path) {
    let t = chromium.open("about:blank");
    t.add_init_script("delete window.DecompressionStream;");
    t.goto(&file_url(html, ""));
    t.wait_for(
        "document.getElementById('sf-unsupported') !== null && !document.getElementById('sf-unsupported').hidden",
        "the message",
    );
    let shown: String = t.eval("return document.body.innerText;");
    assert!(shown.contains("此浏览器无法打开本单文件版"), "{shown}");
    assert!(
        shown.contains("This browser cannot open the single-file edition"),
        "{shown}"
    );
    assert!(shown.contains("zip"), "{shown}");
    assert!(
        !shown.contains("正在打开"),
        "the opening line stays: {shown}"
    );
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

/// The query set of tests/search-queries.toml in the single file: every query's provisions
/// among its first k results, with no request but the file; prints recall@5 and MRR.
fn single_file_query_set(chromium: &Chromium, html: &Path) {
    let set = atlas_tests::search_queries();
    let mut results = Vec::new();
    let mut problems = Vec::new();
    for q in &set {
        let t = chromium.open(&file_url(
            html,
            &format!("#!/search.html?q={}", harness::encode(&q.q)),
        ));
        t.wait_for(
            "document.getElementById('search-app') && document.getElementById('search-app').hasAttribute('data-done')",
            &q.q,
        );
        let hrefs: Vec<String> = t.eval("return Array.from(document.querySelectorAll('#search-results a')).map(a => a.getAttribute('href'));");
        results.push(
            hrefs
                .iter()
                .map(|h| atlas_tests::provision(h))
                .collect::<Vec<_>>(),
        );
        for e in t.log().errors {
            problems.push(format!("{}: {e}", q.q));
        }
        for u in t.non_file_requests() {
            problems.push(format!("{}: request to {u}", q.q));
        }
        t.close();
    }
    let s = atlas_tests::score_queries(&set, &results);
    println!(
        "query set, single file: {} queries, recall@5 {:.3}, MRR {:.3}",
        set.len(),
        s.recall5,
        s.mrr
    );
    problems.extend(s.misses);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
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

/// The planner in the single file: a shared link's profile (in the address after `#!/`) is
/// read, the engine runs every calculator, and typing updates the address. 云南 第七条（四）:
/// 30 staff (≥ 20), 2 foreign (< 5, soft); 第八条（二）: 12 results (≥ 10) — met with a soft
/// shortfall; Yunnan's project dates from 2027-03-15 make the merged timeline.
fn single_file_planner(chromium: &Chromium, html: &Path) {
    let t = chromium.open(&file_url(
        html,
        "#!/planner.html?staff=30&foreign_staff=2&completed_items=12&start=2027-03-15&grant=2000000",
    ));
    t.wait_for("typeof AtlasPlanner !== 'undefined'", "planner page");
    let (status, rows): (String, usize) = t.eval(
        "return [document.querySelector('.plan-calc[data-calc=yunnan-eligibility] .plan-state').dataset.status,
                 document.querySelectorAll('.plan-timeline tbody tr[data-calc=yunnan-timeline]').length];",
    );
    assert_eq!(status, "met-soft");
    assert!(rows >= 3, "{rows} Yunnan dates");
    t.focus("form.planner [data-input=\"profile-staff\"]");
    t.insert_text("0");
    std::thread::sleep(std::time::Duration::from_millis(500));
    let url = t.url();
    assert!(
        url.contains("#!/planner.html?") && url.contains("staff=300"),
        "{url}"
    );
    assert!(t.log().errors.is_empty(), "{:?}", t.log().errors);
    t.close();
}

fn main() {
    let names = [
        "zip_holds_the_whole_site",
        "single_file_holds_every_file",
        "single_file_is_about_as_small_as_the_zip",
        "single_file_navigates",
        "single_file_back_and_forward",
        "single_file_deep_link",
        "single_file_object_routes",
        "single_file_without_decompression_stream",
        "single_file_searches",
        "single_file_calculates",
        "single_file_calculators_equal_native",
        "single_file_query_set",
        "single_file_forms",
        "single_file_planner",
    ];
    let mut runner = Runner::from_args(&names);
    let e = bundle();
    runner.run("zip_holds_the_whole_site", || zip_holds_the_whole_site(&e));
    runner.run("single_file_holds_every_file", || {
        single_file_holds_every_file(&e)
    });
    runner.run("single_file_is_about_as_small_as_the_zip", || {
        single_file_is_about_as_small_as_the_zip(&e)
    });
    let chromium = Chromium::launch();
    runner.run("single_file_navigates", || {
        single_file_navigates(&chromium, &e.html)
    });
    runner.run("single_file_back_and_forward", || {
        single_file_back_and_forward(&chromium, &e.html)
    });
    runner.run("single_file_deep_link", || {
        single_file_deep_link(&chromium, &e.html)
    });
    runner.run("single_file_object_routes", || {
        single_file_object_routes(&chromium, &e.html)
    });
    runner.run("single_file_without_decompression_stream", || {
        single_file_without_decompression_stream(&chromium, &e.html)
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
    runner.run("single_file_planner", || {
        single_file_planner(&chromium, &e.html)
    });
    chromium.close();
    runner.finish();
}

/// Closes `t` after checking it logged no error and asked for nothing but `file://`.
fn closes_clean(t: harness::Tab<'_>) {
    assert!(t.log().errors.is_empty(), "{:?}", t.log().errors);
    assert!(
        t.non_file_requests().is_empty(),
        "{:?}",
        t.non_file_requests()
    );
    t.close();
}
