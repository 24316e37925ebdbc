//! Search latency in real Chromium: `cargo bench -p atlas-tests --bench search_latency`.
//!
//! Builds a synthetic corpus (`atlas synth`, 1,000 measures by default; `ATLAS_BENCH_MEASURES=N`)
//! and the real site, opens each search page from `file://`, and times queries through the
//! page's own search (`AtlasSearch.search`) with `performance.now()`: the first query (which
//! loads the index chunks it needs by script injection, `meta.js` included for the first of
//! all), the first page of 100 results (that query plus loading those documents' chunks), and
//! warm repetitions. Prints p50 and p95 in milliseconds, the bytes loaded before any search, the
//! bytes loaded on first use (engine and `meta.js`), and index bytes per document.
//!
//! `ATLAS_BENCH_SITES=DIR,DIR…` measures sites already built instead (by two versions of
//! `atlas`, say), `ATLAS_BENCH_ROUNDS` times each (default 3), taking turns, so that both are
//! timed under the same load: an A/B comparison on a shared machine.

#[path = "../browser/mod.rs"]
mod harness;

use std::path::Path;

use harness::{file_url, Chromium};

const QUERIES: &[&str] = &[
    "年度报告",
    "3:1",
    "外籍",
    "学术委员会",
    "300万元",
    "annual report",
    "国际联合实验室",
    "整改",
    "绩效评价",
    "知识产权",
    "中期评估",
    "R&D",
    "2023",
    "合作协议",
    "主任",
];

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn bytes_under(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
        .sum()
}

fn measure(chromium: &Chromium, name: &str, site: &Path) {
    let t = chromium.open(&file_url(&site.join("search.html"), ""));
    // The results page loads the engine at once (other pages on first focus of the box).
    t.wait_for("typeof AtlasSearch !== 'undefined'", "search engine");
    let first_page: u64 = [
        "index.html",
        "assets/style.css",
        "assets/search.js",
        "assets/atlas.js",
    ]
    .iter()
    .map(|f| {
        std::fs::metadata(site.join(f))
            .map(|m| m.len())
            .unwrap_or(0)
    })
    .sum();
    let mut cold = Vec::new();
    let mut page = Vec::new();
    let mut warm = Vec::new();
    for q in QUERIES {
        let first = format!(
            "return await new Promise(res => {{ const t0 = performance.now(); AtlasSearch.search({q:?}, {{}}, (err, r) => {{ const t1 = performance.now(); AtlasSearch.docs(r.hits.slice(0, 100).map(h => h.doc), () => res([t1 - t0, performance.now() - t0, r.total])); }}); }});"
        );
        let (ms, results_ms, total): (f64, f64, i64) = t.eval(&first);
        assert!(total > 0, "{q}: no results");
        cold.push(ms);
        page.push(results_ms);
        let js = format!(
            "return await new Promise(res => {{ const t0 = performance.now(); AtlasSearch.search({q:?}, {{}}, (err, r) => res([performance.now() - t0, err ? -1 : r.total])); }});"
        );
        for _ in 0..20 {
            let (ms, _): (f64, i64) = t.eval(&js);
            warm.push(ms);
        }
    }
    cold.sort_by(f64::total_cmp);
    page.sort_by(f64::total_cmp);
    warm.sort_by(f64::total_cmp);
    let dir = site.join("assets/search");
    let index = bytes_under(&dir);
    let size = |f: &str| std::fs::metadata(dir.join(f)).map(|m| m.len()).unwrap_or(0);
    let files = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
    let docs: u64 = t.eval("return AtlasSearch.loaded.meta.docs.m.length;");
    println!(
        "{name:>10}: warm p50 {:6.2} ms  p95 {:6.2} ms | first query p50 {:6.1} ms  p95 {:6.1} ms | 100 results p50 {:6.1} ms  p95 {:6.1} ms",
        percentile(&warm, 0.5),
        percentile(&warm, 0.95),
        percentile(&cold, 0.5),
        percentile(&cold, 0.95),
        percentile(&page, 0.5),
        percentile(&page, 0.95),
    );
    println!(
        "{:>10}  first page {:.1} KB | on first use: engine {:.1} KB + meta {:.1} KB | index {:.1} MB in {files} files, {:.0} B/doc ({docs} docs)",
        "",
        first_page as f64 / 1024.0,
        size("engine.js") as f64 / 1024.0,
        size("meta.js") as f64 / 1024.0,
        index as f64 / 1_048_576.0,
        index as f64 / docs.max(1) as f64
    );
    t.close();
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` would pass nothing useful: run only under bench.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    if let Ok(sites) = std::env::var("ATLAS_BENCH_SITES") {
        let rounds: usize = std::env::var("ATLAS_BENCH_ROUNDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(3);
        let chromium = Chromium::launch();
        for round in 1..=rounds {
            for site in sites.split(',').filter(|s| !s.is_empty()) {
                let name = format!(
                    "{round}: {}",
                    Path::new(site)
                        .file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                );
                measure(&chromium, &name, Path::new(site));
            }
        }
        chromium.close();
        return;
    }
    let n: usize = std::env::var("ATLAS_BENCH_MEASURES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    atlas_tests::build_into(&atlas_tests::repo().join("content"), &real);
    let content = atlas::synth::run(
        &atlas_tests::repo().join("content"),
        &dir.path().join("synth"),
        n,
        1,
    )
    .expect("synth");
    let synth = dir.path().join("synth-site");
    atlas_tests::build_into(&content, &synth);
    let chromium = Chromium::launch();
    measure(&chromium, "real (5)", &real);
    measure(&chromium, &format!("synth {n}"), &synth);
    chromium.close();
}
