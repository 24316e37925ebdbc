//! Quality gates over the built site: every page is valid HTML (the Nu Html Checker, `vnu.jar`)
//! and every page type passes axe-core in real Chromium from `file://` with no violation of
//! impact serious or critical. One build, one JVM for all pages, one browser for all pages
//! (`harness = false`, see [`harness::Runner`]).
//!
//! Both tools come from npm into `tests/tools/` (package.json + package-lock.json there):
//!
//! ```text
//! (cd tests/tools && npm ci --ignore-scripts)
//! ```
//!
//! `--ignore-scripts` skips vnu-jar's postinstall, which would download a Java runtime; the
//! machine's Java 17 runs the jar. `$VNU_JAR`, `$AXE_JS` and `$JAVA` override the paths. When a
//! tool is missing the gate fails with that hint: it never passes without having run.
//!
//! Each gate first checks a small page with known faults (a canary) in the same run, so a tool
//! that runs but reports nothing cannot pass silently either.

#[path = "browser/mod.rs"]
mod harness;

use std::path::{Path, PathBuf};
use std::process::Command;

use harness::{encode, file_url, Chromium, Runner};
use serde::Deserialize;

/// A page with faults both tools must see: an image without alt text, a stray end tag.
const CANARY: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>canary</title></head>
<body><main><h1>Canary</h1><p><img src="x.png"></p></span></main></body></html>
"#;

fn main() {
    let names = ["html_is_valid", "axe_no_serious_violations"];
    let mut runner = Runner::from_args(&names);
    let site = atlas_tests::build("2026-11-21");
    let root = site.root.as_path();
    runner.run("html_is_valid", || html_is_valid(&site));
    if runner.wants("axe_no_serious_violations") {
        let chromium = Chromium::launch();
        runner.run("axe_no_serious_violations", || {
            axe_no_serious_violations(&chromium, root)
        });
        chromium.close();
    }
    runner.finish();
}

fn tools() -> PathBuf {
    atlas_tests::repo().join("tests/tools/node_modules")
}

/// A tool file from `$var`, else `tests/tools/node_modules/<rel>`; panics with the install hint.
fn tool(var: &str, rel: &str) -> PathBuf {
    if let Some(p) = std::env::var_os(var).map(PathBuf::from) {
        assert!(
            p.is_file(),
            "${var} is set to {} but no such file exists",
            p.display()
        );
        return p;
    }
    let p = tools().join(rel);
    if !p.is_file() {
        atlas_tests::install_node_tools();
    }
    assert!(
        p.is_file(),
        "{} not found: {}",
        p.display(),
        atlas_tests::NODE_TOOLS_HINT
    );
    p
}

#[derive(Deserialize)]
struct VnuReport {
    messages: Vec<VnuMessage>,
}

#[derive(Deserialize)]
struct VnuMessage {
    #[serde(rename = "type")]
    kind: String,
    url: Option<String>,
    #[serde(rename = "lastLine")]
    line: Option<u64>,
    message: String,
    extract: Option<String>,
}

/// The Nu Html Checker reports no error on any page of the site.
fn html_is_valid(site: &atlas_tests::BuiltSite) {
    let root = site.root.as_path();
    let jar = tool("VNU_JAR", "vnu-jar/build/dist/vnu.jar");
    let java = std::env::var("JAVA").unwrap_or_else(|_| "java".into());
    let canary_dir = tempfile::tempdir().expect("tempdir");
    let canary = canary_dir.path().join("canary.html");
    std::fs::write(&canary, CANARY).unwrap();
    let pages: Vec<PathBuf> = site.pages().iter().map(|p| root.join(p)).collect();
    assert!(pages.len() > 20, "only {} pages built", pages.len());
    let start = std::time::Instant::now();
    let out = Command::new(&java)
        .args(["-Xss16m", "-jar"])
        .arg(&jar)
        .args(["--errors-only", "--format", "json", "--stdout"])
        .arg(&canary)
        .args(&pages)
        .output()
        .unwrap_or_else(|e| {
            panic!("could not run `{java}` (Java 17+ runs vnu.jar; Debian: `apt-get install -y openjdk-17-jre-headless`): {e}")
        });
    println!(
        "vnu checked {} pages in {:.1}s",
        pages.len(),
        start.elapsed().as_secs_f64()
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: VnuReport = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "vnu output is not its JSON report ({e}); exit {:?}\nstdout: {}\nstderr: {}",
            out.status.code(),
            stdout.chars().take(2000).collect::<String>(),
            String::from_utf8_lossy(&out.stderr)
                .chars()
                .take(2000)
                .collect::<String>()
        )
    });
    let root_url = root.canonicalize().unwrap().to_string_lossy().into_owned();
    let (canary_msgs, site_msgs): (Vec<_>, Vec<_>) = report
        .messages
        .iter()
        .partition(|m| m.url.as_deref().is_some_and(|u| u.ends_with("canary.html")));
    assert!(
        canary_msgs.iter().any(|m| m.message.contains("alt"))
            && canary_msgs.iter().any(|m| m.message.contains("span")),
        "vnu did not report the canary's known errors (is it checking at all?): {:?}",
        canary_msgs.iter().map(|m| &m.message).collect::<Vec<_>>()
    );
    let lines: Vec<String> = site_msgs
        .iter()
        .map(|m| {
            let url = m.url.as_deref().unwrap_or("?");
            let page = url
                .split_once(root_url.as_str())
                .map_or(url, |(_, r)| r.trim_start_matches('/'));
            format!(
                "{page}:{} [{}] {}\n    {}",
                m.line.unwrap_or(0),
                m.kind,
                m.message,
                m.extract.as_deref().unwrap_or("").replace('\n', " ")
            )
        })
        .collect();
    assert!(
        lines.is_empty(),
        "the Nu Html Checker found {} error(s) in {} pages:\n{}",
        lines.len(),
        pages.len(),
        lines.join("\n")
    );
}

#[derive(Deserialize, Debug)]
struct AxeViolation {
    id: String,
    impact: Option<String>,
    help: String,
    nodes: Vec<AxeNode>,
}

#[derive(Deserialize, Debug)]
struct AxeNode {
    target: serde_json::Value,
    html: String,
    summary: Option<String>,
}

/// One page to audit: path under the site root, query and fragment, a JS condition for "ready",
/// and text to type into the header search box first (to audit the open suggestion list).
struct AxePage {
    rel: String,
    suffix: String,
    ready: &'static str,
    header_query: Option<&'static str>,
}

const LOADED: &str = "document.readyState === 'complete'";
const RESULTS: &str = "document.getElementById('search-app').hasAttribute('data-done')";

fn page(rel: &str, suffix: String, ready: &'static str) -> AxePage {
    AxePage {
        rel: rel.into(),
        suffix,
        ready,
        header_query: None,
    }
}

/// The page types: home, measures zh and en, the comparison pages, sources, search results,
/// the calculators index, a calculator page when there is one, and the glossary when built.
fn axe_pages(root: &Path) -> Vec<AxePage> {
    let mut pages: Vec<AxePage> = [
        "index.html",
        "en/index.html",
        "measures/yunnan-ijl-2025.html",
        "en/measures/yunnan-ijl-2025.html",
        "compare/index.html",
        "compare/side-by-side.html",
        "compare/relations.html",
        "sources.html",
        "calculators/index.html",
    ]
    .iter()
    .map(|p| page(p, String::new(), LOADED))
    .collect();
    pages.push(page(
        "search.html",
        format!("?q={}", encode("年度报告")),
        RESULTS,
    ));
    pages.push(page(
        "en/search.html",
        format!("?q={}", encode("学术委员会")),
        RESULTS,
    ));
    // A topic page, with the header box's suggestion list open.
    pages.push(AxePage {
        header_query: Some("3:1"),
        ..page("compare/topics/funding-amount.html", String::new(), LOADED)
    });
    // Page types that only some builds have.
    for rel in ["glossary.html", "planner.html", "en/planner.html"] {
        if root.join(rel).is_file() {
            pages.push(page(rel, String::new(), LOADED));
        }
    }
    // One calculator page (they share a template): the largest, so the most kinds of field,
    // in both editions.
    if let Ok(rd) = std::fs::read_dir(root.join("calculators")) {
        let biggest = rd
            .filter_map(Result::ok)
            .filter(|e| {
                let n = e.file_name();
                let n = n.to_string_lossy();
                n.ends_with(".html") && n != "index.html"
            })
            .max_by_key(|e| (e.metadata().map_or(0, |m| m.len()), e.file_name()));
        if let Some(e) = biggest {
            let name = e.file_name().to_string_lossy().into_owned();
            pages.push(page(&format!("calculators/{name}"), String::new(), LOADED));
            pages.push(page(
                &format!("en/calculators/{name}"),
                String::new(),
                LOADED,
            ));
        }
    }
    pages
}

/// axe-core finds no serious or critical violation on any page type.
fn axe_no_serious_violations(c: &Chromium, root: &Path) {
    let axe_src = std::fs::read_to_string(tool("AXE_JS", "axe-core/axe.min.js")).unwrap();
    let canary_dir = tempfile::tempdir().expect("tempdir");
    let canary = canary_dir.path().join("canary.html");
    std::fs::write(&canary, CANARY).unwrap();

    let mut pages = vec![page(&canary.to_string_lossy(), String::new(), LOADED)];
    pages.extend(axe_pages(root).into_iter().map(|p| AxePage {
        rel: root.join(&p.rel).to_string_lossy().into_owned(),
        ..p
    }));
    let start = std::time::Instant::now();
    let mut problems = Vec::new();
    let mut checked = 0;
    // Moderate and minor findings: reported, not failing.
    let mut lesser = std::collections::BTreeMap::<String, Vec<String>>::new();
    for p in &pages {
        let path = Path::new(&p.rel);
        let suffix = &p.suffix;
        let rel = path
            .strip_prefix(root)
            .map_or("canary".into(), |r| r.display().to_string());
        assert!(path.is_file(), "{rel} was not built");
        let tab = c.open(&file_url(path, suffix));
        tab.wait_for(p.ready, &format!("{rel} ready"));
        if let Some(q) = p.header_query {
            tab.focus("#site-q");
            tab.insert_text(q);
            tab.wait_for(
                "!document.getElementById('site-q-list').hidden && document.querySelector('#site-q-list a')",
                &format!("{rel}: header suggestions for {q}"),
            );
        }
        // file:// forbids fetching the script, so it goes in as the body of the evaluation.
        let loaded: String = tab.eval(&format!(
            "{axe_src}\n;return typeof window.axe === 'object' ? axe.version : 'missing';"
        ));
        assert_ne!(loaded, "missing", "{rel}: axe-core did not load");
        let violations: Vec<AxeViolation> = tab.eval(
            "const r = await axe.run(document, { resultTypes: ['violations'] });
             return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.map(n => ({ target: n.target, html: n.html.slice(0, 200),
                 summary: n.failureSummary })) }));",
        );
        let serious: Vec<&AxeViolation> = violations
            .iter()
            .filter(|v| matches!(v.impact.as_deref(), Some("serious" | "critical")))
            .collect();
        if rel == "canary" {
            assert!(
                serious.iter().any(|v| v.id == "image-alt"),
                "axe-core did not report the canary's missing alt text (is it checking at all?): {violations:?}"
            );
            continue;
        }
        checked += 1;
        for v in violations
            .iter()
            .filter(|v| !serious.iter().any(|x| x.id == v.id))
        {
            lesser
                .entry(format!("{} ({})", v.id, v.impact.as_deref().unwrap_or("?")))
                .or_default()
                .extend(v.nodes.iter().map(|n| format!("{rel} {}", n.target)));
        }
        for v in serious {
            let open = p
                .header_query
                .map_or(String::new(), |q| format!(" (header box: {q})"));
            problems.push(format!(
                "{rel}{suffix}{open}: {} ({}) {}: {} element(s)",
                v.id,
                v.impact.as_deref().unwrap_or("?"),
                v.help,
                v.nodes.len()
            ));
            for n in v.nodes.iter().take(5) {
                problems.push(format!(
                    "    {} {}\n      {}",
                    n.target,
                    n.html,
                    n.summary.as_deref().unwrap_or("").replace('\n', "\n      ")
                ));
            }
        }
        tab.close();
    }
    println!(
        "axe-core checked {checked} page states in {:.1}s",
        start.elapsed().as_secs_f64()
    );
    for (id, nodes) in &lesser {
        println!(
            "  note (not gating): {id} on {} element(s): {}",
            nodes.len(),
            nodes.join(", ")
        );
    }
    assert!(
        problems.is_empty(),
        "axe-core found serious or critical violations on {checked} page states:\n{}",
        problems.join("\n")
    );
}
