//! Injected markup is inert. `tests/fixtures/hostile/` is a content directory whose measure,
//! source copy, facts, errata notes, relation, repeal and topic carry `<script>`, `<img onerror>`,
//! `<svg onload>`, `<iframe>`, `javascript:` links and `</textarea>`; every payload that could run
//! sets `window.__pwned` or calls `alert`. It passes `atlas check` (the source copy holds the
//! same text), so it is built like real content, then:
//!
//! - the raw HTML of every page has no element, event-handler attribute or `javascript:` URL
//!   from the content, and the hostile words are still shown, as text (escaped, not dropped);
//! - in headless Chromium, every page of both editions, searches for hostile strings with every
//!   result opened, the header search box, and the single-file edition run no injected script:
//!   `window.__pwned` stays undefined, no dialog is called, no console error or CSP report;
//! - two builds of the hostile content, and two bundles (zip and single file) of the real
//!   content, are byte-identical.

#[path = "browser/mod.rs"]
mod harness;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use harness::{encode, file_url, Chromium, Runner, Tab};
use scraper::Html;

const AS_OF: &str = "2026-11-21";
const M: &str = "hostile-2026";

/// Runs before every page: records dialogs instead of opening them.
const INIT: &str = "window.__dialogs = 0; \
    window.alert = window.confirm = window.prompt = window.print = function () { window.__dialogs++; };";

struct Built {
    _dir: tempfile::TempDir,
    root: PathBuf,
    files: atlas::render::Files,
    as_of: time::Date,
}

fn content() -> PathBuf {
    atlas_tests::repo().join("tests/fixtures/hostile")
}

fn build(content: &Path) -> Built {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("site");
    let o = atlas::site::Options {
        content: content.to_path_buf(),
        theme: atlas_tests::repo().join("themes/default"),
        out: root.clone(),
        as_of: Some(AS_OF.into()),
    };
    let (files, as_of) =
        atlas::site::build_in_memory(&o, &mut atlas::diagnostics::Report::default())
            .unwrap_or_else(|e| panic!("the hostile content builds: {e}"));
    Built {
        _dir: dir,
        root,
        files,
        as_of,
    }
}

fn html_pages(root: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().strip_prefix(root).unwrap().to_path_buf())
        .collect();
    v.sort();
    v
}

// ------------------------------------------------------------------ raw HTML

/// Problems in one page's HTML: anything from the content that would be markup.
fn inert_problems(rel: &str, raw: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = raw.to_lowercase();
    for bad in [
        "<script>window.__pwned",
        "<script>alert",
        "<img src=x",
        "<svg",
        "<iframe",
        "</textarea><script",
        "<b onmouseover",
        "<a href=\"javascript:",
    ] {
        if lower.contains(bad) {
            out.push(format!("{rel}: raw {bad}"));
        }
    }
    let doc = Html::parse_document(raw);
    for node in doc.tree.nodes() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        let name = el.name();
        if matches!(
            name,
            "iframe" | "frame" | "svg" | "object" | "embed" | "textarea" | "img" | "base"
        ) {
            out.push(format!("{rel}: <{name}> element"));
        }
        for (attr, value) in el.attrs() {
            if attr.starts_with("on") {
                out.push(format!("{rel}: <{name} {attr}=…>"));
            }
            let v: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_lowercase();
            if matches!(
                attr,
                "href" | "src" | "action" | "formaction" | "xlink:href"
            ) && (v.starts_with("javascript:") || v.starts_with("data:text/html"))
            {
                out.push(format!("{rel}: <{name} {attr}=\"{value}\">"));
            }
        }
        if name == "script" && el.attr("type") == Some("application/ld+json") {
            // Data, never run (issue 27's legal metadata carries the content's titles): it must
            // be JSON with no `<` that could close the element early.
            let body: String = scraper::ElementRef::wrap(node)
                .map(|e| e.text().collect())
                .unwrap_or_default();
            if body.contains('<') || serde_json::from_str::<serde_json::Value>(&body).is_err() {
                out.push(format!("{rel}: JSON-LD that is not inert JSON: {body}"));
            }
        } else if name == "script" {
            let src = el.attr("src").unwrap_or_default();
            if !src.contains("assets/") {
                let body: String = scraper::ElementRef::wrap(node)
                    .map(|e| e.text().collect())
                    .unwrap_or_default();
                if body.contains("__pwned") || body.contains("alert(") {
                    out.push(format!("{rel}: inline script from the content: {body}"));
                }
            }
        }
    }
    out
}

fn raw_html_is_inert(b: &Built) {
    let pages = html_pages(&b.root);
    assert!(pages.len() > 40, "both editions built: {pages:?}");
    let mut problems = Vec::new();
    for rel in &pages {
        let raw = std::fs::read_to_string(b.root.join(rel)).unwrap();
        problems.extend(inert_problems(&rel.to_string_lossy(), &raw));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The check itself sees an injection: the same page with one unescaped payload fails.
    let raw = std::fs::read_to_string(b.root.join(format!("measures/{M}.html"))).unwrap();
    let spoiled = raw.replacen("&lt;script&gt;", "<script>", 1);
    assert!(!inert_problems("spoiled", &spoiled).is_empty());
}

/// Text content of the elements matching `selector` on a page.
fn texts(root: &Path, rel: &str, selector: &str) -> String {
    let doc = Html::parse_document(&std::fs::read_to_string(root.join(rel)).unwrap());
    doc.select(&atlas_tests::sel(selector))
        .map(|e| e.text().collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

fn hostile_words_are_shown_as_text(b: &Built) {
    let page = format!("measures/{M}.html");
    let cases: &[(&str, &str, &str)] = &[
        (
            &page,
            "#art-1",
            "为规范联合实验室<script>window.__pwned=1</script>管理，制定本办法。",
        ),
        (
            &page,
            "#art-2",
            "<a href=\"javascript:window.__pwned=1\">官网</a>公开。",
        ),
        (
            &page,
            "#art-3-2",
            "\"><svg onload=\"window.__pwned=1\">外籍专家不少于2人",
        ),
        (&page, "#art-3-3", "javascript:alert(1)与'-alert(1)-'。"),
        (
            &page,
            "#art-4",
            "<iframe src=\"javascript:window.__pwned=1\"></iframe>",
        ),
        (
            &page,
            "h1",
            "</textarea><script>window.__pwned=1</script>联合实验室管理办法",
        ),
        (
            &page,
            "body",
            "</textarea><script>window.__pwned=1</script>",
        ),
        (
            "compare/topics/hostile-markup.html",
            "h1",
            "<script>window.__pwned=1</script>恶意主题</textarea>",
        ),
        (
            "compare/topics/hostile-markup.html",
            "body",
            "<script>window.__pwned=1</script>专职人员",
        ),
        (
            "en/compare/topics/hostile-markup.html",
            "h1",
            "<img src=x onerror=\"window.__pwned=1;alert(1)\">Hostile topic",
        ),
        (
            "compare/relations.html",
            "body",
            "<script>window.__pwned=1</script>原测科规〔2020〕2号</textarea>",
        ),
        (
            &format!("en/measures/{M}.html"),
            "body",
            "<script>window.__pwned=1</script>Purpose of these measures",
        ),
        (
            "index.html",
            "body",
            "</textarea><script>window.__pwned=1</script>联合实验室管理办法",
        ),
    ];
    let mut missing = Vec::new();
    for (rel, selector, want) in cases {
        let got = texts(&b.root, rel, selector);
        if !got.contains(want) {
            missing.push(format!("{rel} {selector}: {want:?} not in {got:?}"));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

// ------------------------------------------------------------------ Chromium

/// Whether anything ran: `(typeof window.__pwned, dialogs called)`.
fn pwned(tab: &Tab) -> (String, u32) {
    tab.eval(
        "return [typeof window.__pwned, window.__dialogs === undefined ? 999 : window.__dialogs];",
    )
}

fn assert_clean(tab: &Tab, what: &str) {
    let (p, d) = pwned(tab);
    assert_eq!(p, "undefined", "{what}: injected script ran");
    assert_eq!(d, 0, "{what}: a dialog was called");
}

fn settle(tab: &Tab) {
    tab.wait_for("document.readyState === 'complete'", "load");
    // Deferred scripts, lazily injected index chunks and image error events have run by now.
    std::thread::sleep(std::time::Duration::from_millis(150));
}

fn no_script_runs_on_any_page(c: &Chromium, root: &Path) {
    let tab = c.open("about:blank");
    tab.add_init_script(INIT);
    let pages = html_pages(root);
    for rel in &pages {
        tab.goto(&file_url(&root.join(rel), ""));
        settle(&tab);
        assert_clean(&tab, &rel.to_string_lossy());
    }
    let log = tab.log();
    assert!(log.errors.is_empty(), "console: {:?}", log.errors);
    assert!(
        tab.non_file_requests().is_empty(),
        "{:?}",
        tab.non_file_requests()
    );
    eprintln!("  {} pages loaded, nothing ran", pages.len());
}

const QUERIES: &[&str] = &[
    "<script>window.__pwned=1</script>",
    "window.__pwned",
    "script",
    "onerror",
    "javascript",
    "</textarea>",
    "恶意办法",
    "恶意主题",
    "年度报告",
    "外籍专家",
    "300万元",
    "Hostile",
];

fn searching_and_opening_results_runs_nothing(c: &Chromium, root: &Path) {
    let tab = c.open("about:blank");
    tab.add_init_script(INIT);
    let mut opened = 0;
    for edition in ["", "en/"] {
        for q in QUERIES {
            let url = file_url(
                &root.join(format!("{edition}search.html")),
                &format!("?q={}", encode(q)),
            );
            tab.goto(&url);
            tab.wait_for(
                "document.getElementById('search-app') && document.getElementById('search-app').hasAttribute('data-done')",
                &format!("results for {q}"),
            );
            settle(&tab);
            assert_clean(&tab, &format!("{edition}search {q}"));
            let bad: usize = tab.eval(
                "return document.querySelectorAll('#search-results img, #search-results svg, #search-results iframe, #search-results script, .search-snippet *:not(mark):not(span[lang]), .search-snippet mark *:not(span[lang]), .search-snippet span[lang] *, .search-snippet span:not([lang=zh]):not([lang=en])').length;",
            );
            // Only the marks of the matches and the language of a run of the other language.
            assert_eq!(bad, 0, "{edition}search {q}: markup in the results");
            let hrefs: Vec<String> = tab.eval(
                "return Array.from(document.querySelectorAll('#search-results a')).map(a => a.href);",
            );
            for h in hrefs.iter().take(8) {
                assert!(h.starts_with("file://"), "result link {h}");
                // Two results on one page differ only in the fragment: a same-document
                // navigation fires no load event, so leave the page first.
                tab.goto("about:blank");
                tab.goto(h);
                settle(&tab);
                assert_clean(&tab, &format!("{edition}search {q} → {h}"));
                opened += 1;
            }
        }
    }
    assert!(
        opened > 10,
        "the hostile strings are found ({opened} results opened)"
    );
    // The header box on every page suggests as you type.
    tab.goto(&file_url(&root.join("index.html"), ""));
    settle(&tab);
    for q in [
        "<script>",
        "恶意",
        "</textarea><img src=x onerror=alert(1)>",
    ] {
        tab.eval::<serde_json::Value>(
            "const i = document.getElementById('site-q'); i.value = ''; return null;",
        );
        tab.focus("#site-q");
        tab.insert_text(q);
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert_clean(&tab, &format!("header box {q}"));
        let bad: usize = tab.eval("return document.querySelectorAll('#site-q-list img, #site-q-list svg, #site-q-list script').length;");
        assert_eq!(bad, 0, "header box {q}");
    }
    let log = tab.log();
    assert!(log.errors.is_empty(), "console: {:?}", log.errors);
    eprintln!("  {opened} results opened, nothing ran");
}

fn single_file_edition_runs_nothing(c: &Chromium, b: &Built) {
    let dist = b._dir.path().join("dist");
    let (_zip, html) = atlas::output::bundle::write(&dist, &b.files, b.as_of).expect("bundle");
    // The pages travel compressed inside the edition's three script elements (its index, its
    // data and its router): nothing in them may end a script element or open a comment. The
    // file is windows-1252, one character per byte.
    let lower: String = std::fs::read(&html)
        .unwrap()
        .iter()
        .map(|&b| b.to_ascii_lowercase() as char)
        .collect();
    assert_eq!(
        lower.matches("</script").count(),
        3,
        "script ends in the single file"
    );
    assert_eq!(
        lower.matches("<!--").count(),
        0,
        "comment openers in the single file"
    );
    let tab = c.open("about:blank");
    tab.add_init_script(INIT);
    tab.goto(&file_url(&html, ""));
    settle(&tab);
    assert_clean(&tab, "single file");
    let mut routes: Vec<String> = html_pages(&b.root)
        .iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    for q in ["<script>window.__pwned=1</script>", "恶意办法", "onerror"] {
        routes.push(format!("search.html?q={}", encode(q)));
        routes.push(format!("en/search.html?q={}", encode(q)));
    }
    for r in &routes {
        tab.eval::<serde_json::Value>(&format!(
            "location.hash = {}; return null;",
            serde_json::Value::String(format!("#!/{r}"))
        ));
        std::thread::sleep(std::time::Duration::from_millis(120));
        assert_clean(&tab, &format!("single file #!/{r}"));
    }
    let bad: usize = tab.eval("return document.querySelectorAll('img, svg, iframe').length;");
    assert_eq!(bad, 0);
    let log = tab.log();
    assert!(log.errors.is_empty(), "console: {:?}", log.errors);
    eprintln!("  {} routes of the single file, nothing ran", routes.len());
}

// ------------------------------------------------------------------ reproducibility

fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(root).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn hostile_rebuild_is_byte_identical(b: &Built) {
    let again = build(&content());
    let (x, y) = (tree(&b.root), tree(&again.root));
    assert_eq!(
        x.keys().collect::<Vec<_>>(),
        y.keys().collect::<Vec<_>>(),
        "same files"
    );
    let differ: Vec<_> = x
        .iter()
        .filter(|(k, v)| y[*k] != **v)
        .map(|(k, _)| k)
        .collect();
    assert!(differ.is_empty(), "differ: {differ:?}");
}

fn bundles_are_byte_identical() {
    let mut outs = Vec::new();
    for _ in 0..2 {
        let b = build(&atlas_tests::repo().join("content"));
        let dist = b._dir.path().join("dist");
        let (zip, html) = atlas::output::bundle::write(&dist, &b.files, b.as_of).expect("bundle");
        outs.push((std::fs::read(zip).unwrap(), std::fs::read(html).unwrap(), b));
    }
    assert!(outs[0].0 == outs[1].0, "the zip editions differ");
    assert!(outs[0].1 == outs[1].1, "the single-file editions differ");
    // The hostile content's editions too.
    let mut h = Vec::new();
    for _ in 0..2 {
        let b = build(&content());
        h.push((
            atlas::output::bundle::zip(&b.files, b.as_of).unwrap(),
            atlas::output::bundle::single_file(&b.files),
        ));
    }
    assert!(h[0].0 == h[1].0, "hostile zip editions differ");
    assert!(h[0].1 == h[1].1, "hostile single files differ");
}

fn main() {
    let names = [
        "raw_html_is_inert",
        "hostile_words_are_shown_as_text",
        "no_script_runs_on_any_page",
        "searching_and_opening_results_runs_nothing",
        "single_file_edition_runs_nothing",
        "hostile_rebuild_is_byte_identical",
        "bundles_are_byte_identical",
    ];
    let mut runner = Runner::from_args(&names);
    let b = build(&content());
    runner.run("raw_html_is_inert", || raw_html_is_inert(&b));
    runner.run("hostile_words_are_shown_as_text", || {
        hostile_words_are_shown_as_text(&b)
    });
    runner.run("hostile_rebuild_is_byte_identical", || {
        hostile_rebuild_is_byte_identical(&b)
    });
    runner.run("bundles_are_byte_identical", bundles_are_byte_identical);
    let browser = [
        "no_script_runs_on_any_page",
        "searching_and_opening_results_runs_nothing",
        "single_file_edition_runs_nothing",
    ];
    if browser.iter().any(|n| runner.wants(n)) {
        let chromium = Chromium::launch();
        runner.run("no_script_runs_on_any_page", || {
            no_script_runs_on_any_page(&chromium, &b.root)
        });
        runner.run("searching_and_opening_results_runs_nothing", || {
            searching_and_opening_results_runs_nothing(&chromium, &b.root)
        });
        runner.run("single_file_edition_runs_nothing", || {
            single_file_edition_runs_nothing(&chromium, &b)
        });
        chromium.close();
    }
    runner.finish();
}
