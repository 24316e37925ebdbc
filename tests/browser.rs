//! Browser tests: the built site opened from `file://` in real headless Chromium, no server.
//! One browser for the whole binary (`harness = false`, see [`harness::Runner`]).
//!
//! The expected answers were read from the verbatim sources in `content/sources/`, not from the
//! index: e.g. 年度报告 occurs in 昆明 第十五条 (“实行年度报告制度”), 浙江 第十八条 (“上一年度报告”)
//! and 浙江 第二十五条（一）（三）.

#[path = "browser/mod.rs"]
mod harness;

use std::path::Path;

use harness::{encode, file_url, Chromium, Runner, Tab};

const YN: &str = "yunnan-ijl-2025";
const ZJ: &str = "zhejiang-ijl-2026";
const KM: &str = "kunming-bases-2020";

/// Query → units that contain it as a phrase (measure, anchor), read from the sources.
/// Every one must be among the phrase hits, and the first hit must be one of them.
const QUERIES: &[(&str, &[(&str, &str)])] = &[
    (
        "年度报告",
        &[
            (KM, "art-15"),
            (ZJ, "art-18"),
            (ZJ, "art-25-1"),
            (ZJ, "art-25-3"),
        ],
    ),
    ("3:1", &[(YN, "art-23")]),
    ("3：1", &[(YN, "art-23")]),
    ("外籍", &[(YN, "art-7-4")]),
    ("学术委员会", &[(YN, "art-11"), (ZJ, "art-16")]),
    ("300万元", &[(YN, "art-23"), (KM, "art-6-3")]),
    ("300 万元", &[(YN, "art-23"), (KM, "art-6-3")]),
];

fn main() {
    let names = [
        "harness_sees_errors_and_requests",
        "tokenizer_vectors",
        "queries_find_the_articles",
        "enter_opens_and_highlights",
        "click_opens_and_highlights",
        "filters_by_measure_and_level",
        "header_box_suggests",
        "english_titles",
        "no_console_errors_no_network",
        "snippets_are_text_not_html",
        "copy_citation",
        "query_set_in_both_editions",
        "hostile_queries_are_calm",
        "typing_finds_what_people_mean",
    ];
    let mut runner = Runner::from_args(&names);
    let site = atlas_tests::build("2026-11-21");
    let chromium = Chromium::launch();
    let root = site.root.as_path();
    runner.run("harness_sees_errors_and_requests", || {
        harness_sees_errors_and_requests(&chromium, root)
    });
    runner.run("tokenizer_vectors", || tokenizer_vectors(&chromium, root));
    runner.run("queries_find_the_articles", || {
        queries_find_the_articles(&chromium, root)
    });
    runner.run("enter_opens_and_highlights", || {
        enter_opens_and_highlights(&chromium, root)
    });
    runner.run("click_opens_and_highlights", || {
        click_opens_and_highlights(&chromium, root)
    });
    runner.run("filters_by_measure_and_level", || {
        filters_by_measure_and_level(&chromium, root)
    });
    runner.run("header_box_suggests", || {
        header_box_suggests(&chromium, root)
    });
    runner.run("english_titles", || english_titles(&chromium, root));
    runner.run("no_console_errors_no_network", || {
        no_console_errors_no_network(&chromium, root)
    });
    runner.run("snippets_are_text_not_html", || {
        snippets_are_text_not_html(&chromium, root)
    });
    runner.run("copy_citation", || copy_citation(&chromium, root));
    runner.run("query_set_in_both_editions", || {
        query_set_in_both_editions(&chromium, root)
    });
    runner.run("hostile_queries_are_calm", || {
        hostile_queries_are_calm(&chromium, root)
    });
    runner.run("typing_finds_what_people_mean", || {
        typing_finds_what_people_mean(&chromium, root)
    });
    chromium.close();
    runner.finish();
}

/// Opens the results page for `q` (and extra parameters) and waits for the results.
fn search_page<'a>(c: &'a Chromium, root: &Path, q: &str, extra: &str) -> Tab<'a> {
    let tab = c.open(&file_url(
        &root.join("search.html"),
        &format!("?q={}{extra}", encode(q)),
    ));
    tab.wait_for(
        "document.getElementById('search-app').hasAttribute('data-done')",
        &format!("results for {q}"),
    );
    tab
}

/// Result links on the page as (measure id, anchor).
fn hits(tab: &Tab) -> Vec<(String, String)> {
    let hrefs: Vec<String> = tab.eval("return Array.from(document.querySelectorAll('#search-results a')).map(a => a.getAttribute('href'));");
    hrefs.iter().map(|h| atlas_tests::split_href(h)).collect()
}

fn tokenizer_vectors(c: &Chromium, root: &Path) {
    let vectors = std::fs::read_to_string(atlas_tests::repo().join("tests/tokenizer-vectors.json"))
        .expect("vectors");
    let tab = c.open(&file_url(&root.join("search.html"), ""));
    tab.wait_for("window.AtlasSearch && AtlasSearch.tokenize", "search.js");
    let failures: Vec<String> = tab.eval(&format!(
        r#"const v = {vectors};
        const bad = [];
        for (const x of v.vectors) {{
          const got = AtlasSearch.tokenize(x.input);
          const toks = got.map(t => t.t), offs = got.map(t => [t.s, t.e]);
          if (JSON.stringify(toks) !== JSON.stringify(x.tokens)) bad.push(x.input + ': tokens ' + JSON.stringify(toks));
          if (x.offsets && JSON.stringify(offs) !== JSON.stringify(x.offsets)) bad.push(x.input + ': offsets ' + JSON.stringify(offs));
        }}
        for (const h of v.hashes) {{
          const got = AtlasSearch.hash(h.key);
          if (got !== h.hash) bad.push('hash ' + h.key + ': ' + got);
        }}
        if (v.vectors.length < 20) bad.push('too few vectors');
        for (const x of v.queries) {{
          const got = await new Promise(res => AtlasSearch.analyse(x.input, res));
          for (const k of ['article', 'terms', 'need', 'phrase', 'alternatives'])
            if (JSON.stringify(got[k]) !== JSON.stringify(x[k])) bad.push(x.input + ': ' + k + ' ' + JSON.stringify(got[k]));
        }}
        if (v.queries.length < 20) bad.push('too few query vectors');
        return bad;"#
    ));
    assert!(
        failures.is_empty(),
        "JS tokenizer differs from the vectors:\n{}",
        failures.join("\n")
    );
}

fn queries_find_the_articles(c: &Chromium, root: &Path) {
    let mut problems = Vec::new();
    for (q, expected) in QUERIES {
        let tab = search_page(c, root, q, "");
        let got = hits(&tab);
        let phrase_hits: usize =
            tab.eval("return document.querySelectorAll('#search-results .search-hit').length;");
        for (m, a) in *expected {
            if !got
                .iter()
                .take(expected.len() + 3)
                .any(|(gm, ga)| gm == m && ga == a)
            {
                problems.push(format!(
                    "{q}: {m}#{a} not among the first {} hits {got:?}",
                    expected.len() + 3
                ));
            }
        }
        match got.first() {
            Some((m, a)) if expected.iter().any(|(em, ea)| em == m && ea == a) => {}
            other => problems.push(format!("{q}: first hit {other:?} is not an exact match")),
        }
        // Every snippet of an expected hit shows the query words marked.
        let marks: Vec<String> = tab.eval("return Array.from(document.querySelectorAll('#search-results li:first-child mark')).map(m => m.textContent);");
        let folded_q = atlas_tests::fold(q);
        if marks.is_empty() || marks.iter().any(|m| atlas_tests::fold(m) != folded_q) {
            problems.push(format!("{q}: first snippet marks {marks:?}"));
        }
        assert!(phrase_hits >= expected.len());
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Arrow keys + Enter on the results page open the article, which is highlighted.
fn enter_opens_and_highlights(c: &Chromium, root: &Path) {
    let tab = search_page(c, root, "年度报告", "");
    let first = hits(&tab)[0].clone();
    let second = hits(&tab)[1].clone();
    tab.focus("#search-q");
    tab.press("#search-q", "ArrowDown");
    tab.press("#search-q", "ArrowDown");
    let active: String = tab
        .eval("return document.querySelector('#search-results li.active a').getAttribute('href');");
    assert_eq!(
        atlas_tests::split_href(&active),
        second,
        "two ArrowDowns select the second result"
    );
    tab.press("#search-q", "ArrowUp");
    tab.press("#search-q", "Enter");
    tab.wait_for(
        &format!(
            "location.pathname.endsWith('/{}.html') && document.readyState === 'complete'",
            first.0
        ),
        "navigation to the first hit",
    );
    let url = tab.url();
    assert!(
        url.ends_with(&format!("#{}", first.1)),
        "URL {url} has the anchor #{}",
        first.1
    );
    assert!(url.contains("?hl="), "URL {url} carries the query");
    check_landing(&tab, &first.1, "年度报告");
}

/// The landed unit has the search words marked, and nothing outside it.
fn check_landing(tab: &Tab, anchor: &str, q: &str) {
    tab.wait_for(
        &format!("document.getElementById('{anchor}').querySelector('mark')"),
        "marks in the target",
    );
    let marks: Vec<String> = tab.eval(&format!("return Array.from(document.getElementById('{anchor}').querySelectorAll('mark')).map(m => m.textContent);"));
    assert!(
        marks
            .iter()
            .any(|m| atlas_tests::fold(m) == atlas_tests::fold(q)),
        "marks {marks:?} in #{anchor} include {q}"
    );
    let outside: usize = tab.eval(&format!("return Array.from(document.querySelectorAll('mark')).filter(m => !document.getElementById('{anchor}').contains(m)).length;"));
    assert_eq!(outside, 0, "no marks outside #{anchor}");
    let landed: bool = tab.eval(&format!(
        "return document.getElementById('{anchor}').classList.contains('search-landed');"
    ));
    assert!(landed);
}

fn click_opens_and_highlights(c: &Chromium, root: &Path) {
    let tab = search_page(c, root, "外籍", "");
    assert_eq!(hits(&tab)[0], (YN.to_string(), "art-7-4".to_string()));
    tab.click("#search-results li:first-child a");
    tab.wait_for(
        &format!("location.pathname.endsWith('/{YN}.html') && document.readyState === 'complete'"),
        "navigation",
    );
    assert!(tab.url().ends_with("#art-7-4"), "{}", tab.url());
    check_landing(&tab, "art-7-4", "外籍");
    // The clause is 第七条（四）: its text is what the source says.
    let text: String = tab.eval("return document.getElementById('art-7-4').textContent;");
    assert!(text.contains("其中外籍研究人员应不少于5人"), "{text}");
}

/// The measure each result belongs to (facts link to topic pages, so ask the index).
fn hit_measures(tab: &Tab) -> Vec<String> {
    tab.eval(
        "const meta = AtlasSearch.loaded.meta; return Array.from(document.querySelectorAll('#search-results a'))\
         .map(a => { const m = meta.docs.m[+a.dataset.doc]; return m < 0 ? '' : meta.measures[m].id; });",
    )
}

fn filters_by_measure_and_level(c: &Chromium, root: &Path) {
    let tab = search_page(c, root, "年度报告", &format!("&m={ZJ}"));
    let got = hit_measures(&tab);
    assert!(
        !got.is_empty() && got.iter().all(|m| m == ZJ),
        "only Zhejiang: {got:?}"
    );
    assert!(hits(&tab).contains(&(ZJ.to_string(), "art-18".to_string())));
    let tab = search_page(c, root, "年度报告", "&level=municipal");
    let got = hit_measures(&tab);
    assert!(
        !got.is_empty() && got.iter().all(|m| m == KM),
        "only the municipal measure: {got:?}"
    );
    assert_eq!(hits(&tab)[0], (KM.to_string(), "art-15".to_string()));
    // Changing a select re-runs the search and updates the shareable URL.
    tab.eval::<serde_json::Value>(
        "const s = document.getElementById('search-level'); s.value = 'provincial'; s.dispatchEvent(new Event('change')); return null;",
    );
    tab.wait_for(
        "document.querySelector('#search-results a') && Array.from(document.querySelectorAll('#search-results a')).every(a => !a.href.includes('kunming'))",
        "re-filtered results",
    );
    assert!(tab.url().contains("level=provincial"), "{}", tab.url());
    assert!(
        hit_measures(&tab).iter().all(|m| m == YN || m == ZJ),
        "provincial: Yunnan and Zhejiang"
    );
    // Topic: the query names the topic, so its hits are the articles the annual-reporting
    // facts cite (content/measures/*.toml), those with the words as typed first; Zhejiang
    // 第二十五条 (grounds for revocation) is not among them.
    let topic = search_page(c, root, "年度报告", "&topic=annual-reporting");
    let got: Vec<(String, String)> = hits(&topic)
        .into_iter()
        .filter(|(m, _)| m.ends_with(|c: char| c.is_ascii_digit()))
        .collect();
    let own = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(m, a)| (m.to_string(), a.to_string()))
            .collect()
    };
    let mut exact = got[..2].to_vec();
    exact.sort();
    assert_eq!(
        exact,
        own(&[(KM, "art-15"), (ZJ, "art-18")]),
        "exact phrases first: {got:?}"
    );
    let mut all = got.clone();
    all.sort();
    assert_eq!(
        all,
        own(&[
            (KM, "art-15"),
            ("national-bases-2019", "art-14"),
            (YN, "art-20"),
            (ZJ, "art-18")
        ]),
        "measure text hits under the topic"
    );
}

fn header_box_suggests(c: &Chromium, root: &Path) {
    let tab = c.open(&file_url(&root.join("index.html"), ""));
    tab.focus("#site-q");
    tab.insert_text("学术委员会");
    tab.wait_for("!document.getElementById('site-q-list').hidden && document.querySelector('#site-q-list a')", "suggestions");
    let got: Vec<String> = tab.eval("return Array.from(document.querySelectorAll('#site-q-list a')).map(a => a.getAttribute('href'));");
    let got: Vec<(String, String)> = got.iter().map(|h| atlas_tests::split_href(h)).collect();
    for want in [(YN, "art-11"), (ZJ, "art-16")] {
        assert!(
            got.iter().take(2).any(|(m, a)| m == want.0 && a == want.1),
            "{want:?} in the first two suggestions {got:?}"
        );
    }
    // Enter with no selection goes to the shareable results page.
    tab.press("#site-q", "Enter");
    tab.wait_for("location.pathname.endsWith('/search.html') && document.getElementById('search-app') && document.getElementById('search-app').hasAttribute('data-done')", "results page");
    let q: String = tab.eval("return new URLSearchParams(location.search).get('q');");
    assert_eq!(q, "学术委员会");
    assert_eq!(
        tab.eval::<String>("return document.getElementById('search-q').value;"),
        "学术委员会"
    );
}

fn english_titles(c: &Chromium, root: &Path) {
    let tab = search_page(c, root, "Yunnan International Joint Laboratories", "");
    let got = hits(&tab);
    assert_eq!(got.first().map(|h| h.0.as_str()), Some(YN), "{got:?}");
    let tab = search_page(c, root, "ZHEJIANG", "");
    assert_eq!(hits(&tab).first().map(|h| h.0.as_str()), Some(ZJ));
    // The English edition's results page links into the English edition.
    let tab = c.open(&file_url(
        &root.join("en/search.html"),
        &format!("?q={}", encode("外籍")),
    ));
    tab.wait_for(
        "document.getElementById('search-app').hasAttribute('data-done')",
        "English results",
    );
    let first: String = tab.eval("return document.querySelector('#search-results a').href;");
    assert!(
        first.contains(&format!("/en/measures/{YN}.html?hl=")) && first.ends_with("#art-7-4"),
        "{first}"
    );
}

/// The harness itself: it must see console errors, exceptions and non-file requests, or the
/// “no errors, no network” checks would pass on a blind harness.
fn harness_sees_errors_and_requests(c: &Chromium, _root: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("bad.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><meta charset=utf-8><title>bad</title><img src=\"http://127.0.0.1:9/x.png\">\
         <script>console.error('boom'); setTimeout(function () { throw new Error('thrown'); }, 0);</script>",
    )
    .unwrap();
    let tab = c.open(&file_url(&page, ""));
    tab.wait_for("document.readyState === 'complete'", "load");
    std::thread::sleep(std::time::Duration::from_millis(200));
    let log = tab.log();
    assert!(
        log.errors.iter().any(|e| e.contains("boom")),
        "console.error seen: {log:?}"
    );
    assert!(
        log.errors.iter().any(|e| e.contains("thrown")),
        "exception seen: {log:?}"
    );
    assert_eq!(
        tab.non_file_requests(),
        vec!["http://127.0.0.1:9/x.png".to_string()],
        "{log:?}"
    );
}

fn no_console_errors_no_network(c: &Chromium, root: &Path) {
    let pages = [
        ("index.html", String::new()),
        (
            &*format!("measures/{YN}.html"),
            "?hl=%E5%AD%A6%E6%9C%AF%E5%A7%94%E5%91%98%E4%BC%9A#art-11".to_string(),
        ),
        ("search.html", format!("?q={}", encode("年度报告"))),
    ];
    let mut problems = Vec::new();
    for (rel, suffix) in pages {
        let tab = c.open(&file_url(&root.join(rel), &suffix));
        if rel == "search.html" {
            tab.wait_for(
                "document.getElementById('search-app').hasAttribute('data-done')",
                "results",
            );
        } else {
            tab.wait_for("document.readyState === 'complete'", "load");
            // Use the header box too, so the index scripts load on this page as well.
            tab.focus("#site-q");
            tab.insert_text("3:1");
            tab.wait_for("document.querySelector('#site-q-list a')", "suggestions");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        let log = tab.log();
        if log.requests.is_empty() {
            problems.push(format!(
                "{rel}: no request recorded at all (is the network log working?)"
            ));
        }
        for e in &log.errors {
            problems.push(format!("{rel}: {e}"));
        }
        for u in tab.non_file_requests() {
            problems.push(format!("{rel}: request to {u}"));
        }
        assert!(
            log.requests.iter().any(|u| u.contains("assets/search/")),
            "{rel}: index scripts were loaded: {:?}",
            log.requests
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn snippets_are_text_not_html(c: &Chromium, root: &Path) {
    // A query with markup in it must come back as text, and the page must not gain elements.
    let tab = search_page(c, root, "<img src=x onerror=alert(1)>年度报告", "");
    let imgs: usize = tab.eval("return document.querySelectorAll('img').length;");
    assert_eq!(imgs, 0);
    // Every snippet contains only text nodes and <mark> elements holding text.
    let bad: usize = tab.eval(
        "return Array.from(document.querySelectorAll('.search-snippet *')).filter(e => e.tagName !== 'MARK' || e.children.length).length;",
    );
    assert_eq!(bad, 0);
    // Indexed text with '<' and '&' (R&D in Kunming 第五条) is shown literally.
    let tab = search_page(c, root, "R&D", "");
    let snippets: Vec<String> = tab.eval(
        "return [...document.querySelectorAll('#search-results .search-snippet')].map(e => e.textContent);",
    );
    assert!(snippets.iter().any(|s| s.contains("(R&D)")), "{snippets:?}");
    assert!(
        !snippets.iter().any(|s| s.contains("&amp;")),
        "{snippets:?}"
    );
}

fn copy_citation(c: &Chromium, root: &Path) {
    let tab = c.open(&file_url(
        &root.join(format!("measures/{YN}.html")),
        "#art-19-1",
    ));
    tab.wait_for("document.readyState === 'complete'", "load");
    let sel = "#art-19-1 > button.copy-cite";
    // atlas.js gives every article heading and clause carrying a citation its button, named
    // for what it copies.
    let counts: Vec<usize> = tab.eval(
        "return [document.querySelectorAll('.text [data-cite]:not(button)').length, \
         document.querySelectorAll('.text button.copy-cite').length, \
         document.querySelectorAll('.text h3 > button.copy-cite').length, \
         document.querySelectorAll('.text article').length];",
    );
    assert!(counts[0] > 0 && counts[0] == counts[1], "{counts:?}");
    assert_eq!(counts[2], counts[3], "one button per article heading");
    let label: String = tab.eval(&format!(
        "return document.querySelector('{sel}').getAttribute('aria-label');"
    ));
    assert_eq!(
        label,
        "复制引用：《云南省国际联合实验室管理办法》（云科规〔2025〕12号）第十九条第（一）项"
    );
    tab.click(sel);
    tab.wait_for(
        &format!("document.querySelector('{sel}').hasAttribute('data-copied')"),
        "copied",
    );
    let copied: String = tab.eval(&format!(
        "return document.querySelector('{sel}').getAttribute('data-copied');"
    ));
    // The citation, then the provision's own address, so that it leads back where pasted.
    assert_eq!(
        copied,
        format!(
            "《云南省国际联合实验室管理办法》（云科规〔2025〕12号）第十九条第（一）项 {}",
            file_url(&root.join(format!("measures/{YN}.html")), "#art-19-1")
        )
    );
}

/// The query set of tests/search-queries.toml in both editions: every query's provisions among
/// its first k results; prints recall@5 and the mean reciprocal rank.
fn query_set_in_both_editions(c: &Chromium, root: &Path) {
    let set = atlas_tests::search_queries();
    assert!(set.len() >= 40, "{} queries", set.len());
    let mut problems = Vec::new();
    for edition in ["search.html", "en/search.html"] {
        let mut results = Vec::new();
        for q in &set {
            let tab = c.open(&file_url(
                &root.join(edition),
                &format!("?q={}", encode(&q.q)),
            ));
            tab.wait_for(
                "document.getElementById('search-app').hasAttribute('data-done')",
                &format!("results for {}", q.q),
            );
            let hrefs: Vec<String> = tab.eval("return Array.from(document.querySelectorAll('#search-results a')).map(a => a.getAttribute('href'));");
            results.push(
                hrefs
                    .iter()
                    .map(|h| atlas_tests::provision(h))
                    .collect::<Vec<_>>(),
            );
            for e in tab.log().errors {
                problems.push(format!("{edition} {}: {e}", q.q));
            }
            tab.close();
        }
        let s = atlas_tests::score_queries(&set, &results);
        println!(
            "query set, {edition}: {} queries, recall@5 {:.3}, MRR {:.3}",
            set.len(),
            s.recall5,
            s.mrr
        );
        problems.extend(s.misses.into_iter().map(|m| format!("{edition} {m}")));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Waits for the results page to finish a run after `before` (its data-done counter).
fn wait_done_after(tab: &Tab, before: &str, what: &str) {
    tab.wait_for(
        &format!("(document.getElementById('search-app').getAttribute('data-done') || '') !== {before:?}"),
        what,
    );
}

/// What a person sees in the results page: (status, note, number of results).
fn shown(tab: &Tab) -> (String, String, usize) {
    tab.eval("return [document.querySelector('.search-status').textContent, (document.querySelector('.search-note') || {textContent: ''}).textContent, document.querySelectorAll('#search-results .search-hit').length];")
}

/// Punctuation alone, nothing, a 100 KB paste and malformed %-escapes in ?q=, ?hl= and the hash:
/// a calm message on the page, never an exception.
fn hostile_queries_are_calm(c: &Chromium, root: &Path) {
    let tab = c.open(&file_url(&root.join("search.html"), ""));
    tab.wait_for(
        "window.AtlasSearch && document.getElementById('search-app')",
        "results page",
    );
    let empty: String = tab.eval("return document.getElementById('search-app').dataset.empty;");
    let cut: String = tab.eval("return document.getElementById('search-app').dataset.cut;");
    assert!(!empty.is_empty() && !cut.is_empty());
    let huge = "年度报告".repeat(25_600); // 100 KB of UTF-16
    for (typed, want_status, want_note) in [
        (".", Some(empty.as_str()), None),
        ("。", Some(empty.as_str()), None),
        ("?", Some(empty.as_str()), None),
        ("？！……", Some(empty.as_str()), None),
        ("%", Some(empty.as_str()), None),
        (huge.as_str(), None, Some(cut.replace("{n}", "200"))),
    ] {
        let before: String = tab
            .eval("return document.getElementById('search-app').getAttribute('data-done') || '';");
        tab.focus("#search-q");
        tab.eval::<serde_json::Value>("document.getElementById('search-q').select(); return null;");
        tab.insert_text(typed);
        wait_done_after(
            &tab,
            &before,
            &format!("the page's answer to {:.20}", typed),
        );
        let (status, note, n) = shown(&tab);
        if let Some(w) = want_status {
            assert_eq!(status, w, "status for {typed:?}");
            assert_eq!(n, 0, "{typed:?}: no results");
        } else {
            assert!(
                !status.is_empty() && n > 0,
                "{status:?}, {n} results for the long query"
            );
        }
        if let Some(w) = want_note {
            assert!(note.contains(&w), "note {note:?} says the query was cut");
        }
    }
    // Clearing the box clears the page.
    let before: String =
        tab.eval("return document.getElementById('search-app').getAttribute('data-done') || '';");
    tab.eval::<serde_json::Value>("document.getElementById('search-q').select(); return null;");
    tab.press("#search-q", "Backspace");
    wait_done_after(&tab, &before, "cleared box");
    assert_eq!(shown(&tab), (String::new(), String::new(), 0));
    assert!(tab.log().errors.is_empty(), "{:?}", tab.log().errors);
    tab.close();

    // Malformed escapes in the address.
    for suffix in [
        "?q=%",
        "?q=%E5%B9%B4%E5",
        "?q=%ZZ%E5%B9%B4%E5%BA%A6",
        "?q=.&m=%",
        "?q=#%",
    ] {
        let tab = c.open(&file_url(&root.join("search.html"), suffix));
        tab.wait_for(
            "document.getElementById('search-app').hasAttribute('data-done')",
            suffix,
        );
        let (status, _, _) = shown(&tab);
        assert!(
            !status.is_empty() || suffix == "?q=#%",
            "{suffix}: a message, got {status:?}"
        );
        assert!(
            tab.log().errors.is_empty(),
            "{suffix}: {:?}",
            tab.log().errors
        );
        tab.close();
    }
    // ?q=%E5%B9%B4%E5 keeps what it can read: 年 and the broken escape as typed.
    let tab = c.open(&file_url(&root.join("search.html"), "?q=%E5%B9%B4%E5"));
    tab.wait_for(
        "document.getElementById('search-app').hasAttribute('data-done')",
        "partial escape",
    );
    assert_eq!(
        tab.eval::<String>("return document.getElementById('search-q').value;"),
        "年%E5"
    );
    tab.close();
    for suffix in [
        "?hl=x#%",
        "?hl=%#%E5",
        "?hl=%E5%B9%B4%E5#art-19",
        "?hl=.#art-19",
    ] {
        let tab = c.open(&file_url(&root.join(format!("measures/{YN}.html")), suffix));
        tab.wait_for(
            "document.readyState === 'complete' && window.AtlasSearch",
            suffix,
        );
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(
            tab.log().errors.is_empty(),
            "{suffix}: {:?}",
            tab.log().errors
        );
        tab.close();
    }
}

/// A person types into the results page: several words in any order, an article number with
/// a place, an English phrase, a slip of one character, traditional characters — and reads
/// why each result matched.
fn typing_finds_what_people_mean(c: &Chromium, root: &Path) {
    let tab = c.open(&file_url(&root.join("search.html"), ""));
    tab.wait_for(
        "window.AtlasSearch && document.getElementById('search-app')",
        "results page",
    );
    let ask = |typed: &str| -> (Vec<(String, String)>, Vec<String>, String) {
        let before: String = tab
            .eval("return document.getElementById('search-app').getAttribute('data-done') || '';");
        tab.focus("#search-q");
        tab.eval::<serde_json::Value>("document.getElementById('search-q').select(); return null;");
        tab.insert_text(typed);
        wait_done_after(&tab, &before, typed);
        let why: Vec<String> = tab.eval("return Array.from(document.querySelectorAll('#search-results .search-hit')).map(li => (li.querySelector('.search-why') || {textContent: ''}).textContent);");
        let note: String = tab.eval("return document.querySelector('.search-note').textContent;");
        (hits(&tab), why, note)
    };
    // 云南 第二十条 says 本年度执行情况报告: the annual-report rule, found through its topic.
    let (got, why, _) = ask("年度报告");
    let i = got
        .iter()
        .position(|h| h == &(YN.to_string(), "art-20".to_string()))
        .expect("Yunnan 第二十条");
    assert!(i < 5, "{got:?}");
    assert!(why[i].contains("主题：年度报告"), "{:?}", why[i]);
    // Zhejiang 第二十五条 mentions annual reports among the grounds for revocation: after the rules.
    let revocation = got
        .iter()
        .position(|h| h.0 == ZJ && h.1.starts_with("art-25"))
        .expect("ZJ 25");
    assert!(revocation > i, "{got:?}");
    // An article number with the place.
    let (got, why, _) = ask("昆明 第十九条");
    assert_eq!(got[0], (KM.to_string(), "art-19".to_string()));
    assert!(why[0].contains("条号"), "{why:?}");
    // English through the glossary: the 3:1 rule.
    let (got, why, _) = ask("matching funds");
    let i = got
        .iter()
        .position(|h| h == &(YN.to_string(), "art-23".to_string()))
        .expect("Yunnan 第二十三条");
    assert!(
        i < 5 && (why[i].contains("同义词") || why[i].contains("主题")),
        "{got:?} {why:?}"
    );
    // One character wrong: did you mean.
    let (got, _, note) = ask("中期平估");
    assert!(note.contains("中期评估"), "{note:?}");
    assert!(
        got.iter()
            .take(3)
            .any(|h| h == &(YN.to_string(), "art-18-1".to_string())),
        "{got:?}"
    );
    // The words apart and in another order.
    let (got, why, _) = ask("涉密 敏感");
    assert_eq!(got[0], (YN.to_string(), "art-15".to_string()));
    assert!(
        why[0].contains("分开") || why[0].contains("相近"),
        "{why:?}"
    );
    assert!(tab.log().errors.is_empty(), "{:?}", tab.log().errors);
}
