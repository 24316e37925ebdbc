//! The single-file edition from file:// in Chromium: `cargo bench -p atlas-tests --bench single_file`.
//!
//! For the real collection and synthetic corpora (`atlas synth`, 100 and 1,000 measures unless
//! `ATLAS_BENCH_SIZES=N,M…` says otherwise; `real` may be one of them) it builds the site, writes
//! both offline editions and prints: the single file's and the zip's sizes and their ratio, how
//! long writing the single file took, how long the home page takes to show when the file is
//! opened from `file://` (from the start of the navigation to the first frame after the router
//! has written the page, `ATLAS_BENCH_RUNS` fresh tabs, default 5), and how long a measure page
//! takes to open from the home page (from the router's `nav` — what a click on a link calls —
//! to the first frame after it is written; up to 10 different measures, so each one inflates a
//! stream not inflated before).
//!
//! Times come from `performance.now()` in the page (0.1 ms resolution; its origin is the start
//! of the navigation). An init script marks the end of each page: the router ends writing a
//! page with `document.close()`, and the mark is taken in the first animation frame after it.

#[path = "../browser/mod.rs"]
mod harness;

use std::path::{Path, PathBuf};
use std::time::Instant;

use harness::{file_url, Chromium};

/// Records, for every page the router writes, the time of the first frame after it.
const MARK: &str = "(function () {
  var close = Document.prototype.close;
  window.__shown = [];
  Document.prototype.close = function () {
    var r = close.apply(this, arguments);
    requestAnimationFrame(function () { window.__shown.push(performance.now()); });
    return r;
  };
})();";

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

struct Corpus {
    name: String,
    _dir: tempfile::TempDir,
    html: PathBuf,
    zip: PathBuf,
    /// Measure pages to open, relative to the site.
    measures: Vec<String>,
    write_ms: f64,
}

fn corpus(name: &str, n: Option<usize>) -> Corpus {
    let dir = tempfile::tempdir().expect("tempdir");
    let real = atlas_tests::repo().join("content");
    let content = match n {
        Some(n) => atlas::synth::run(&real, dir.path(), n, 1).expect("atlas synth"),
        None => real,
    };
    let o = atlas::site::Options {
        content,
        theme: atlas_tests::repo().join("themes/default"),
        out: dir.path().join("site"),
        as_of: Some("2026-11-21".into()),
    };
    let (files, as_of) =
        atlas::site::build_in_memory(&o, &mut atlas::diagnostics::Report::default())
            .expect("build");
    let t = Instant::now();
    let single = atlas::output::bundle::single_file(&files);
    let write_ms = t.elapsed().as_secs_f64() * 1000.0;
    drop(single);
    let (zip, html) =
        atlas::output::bundle::write(&dir.path().join("dist"), &files, as_of).expect("bundle");
    // Ten measures spread over the corpus, so that each lies in a stream of its own.
    let all: Vec<String> = files
        .keys()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .filter(|p| p.starts_with("measures/") && p.ends_with(".html"))
        .collect();
    let step = (all.len() / 10).max(1);
    let measures = all.into_iter().step_by(step).take(10).collect();
    Corpus {
        name: name.to_string(),
        _dir: dir,
        html,
        zip,
        measures,
        write_ms,
    }
}

fn size(p: &Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

fn bench(chromium: &Chromium, c: &Corpus, runs: usize) {
    let (h, z) = (size(&c.html), size(&c.zip));
    let url = file_url(&c.html, "");
    let mut home = Vec::new();
    let mut open = Vec::new();
    for run in 0..runs {
        let t = chromium.open("about:blank");
        t.add_init_script(MARK);
        t.goto(&url);
        t.wait_for(
            "window.__shown && window.__shown.length > 0 && document.querySelector('table.measures') !== null",
            "home page",
        );
        home.push(t.eval::<f64>("return window.__shown[0];"));
        if run == 0 {
            for m in &c.measures {
                let ms: f64 = t.eval(&format!(
                    "const n = window.__shown.length; const t0 = performance.now();
                     ATLAS_SF.nav({m:?});
                     while (window.__shown.length === n) {{ await new Promise(r => setTimeout(r, 1)); }}
                     if (!document.querySelector('.text')) {{ throw new Error('not a measure page'); }}
                     const t1 = window.__shown[n];
                     ATLAS_SF.nav('../index.html');
                     while (window.__shown.length === n + 1) {{ await new Promise(r => setTimeout(r, 1)); }}
                     return t1 - t0;"
                ));
                open.push(ms);
            }
        }
        assert!(
            t.log().errors.is_empty(),
            "{}: {:?}",
            c.name,
            t.log().errors
        );
        t.close();
    }
    let home_max = home.iter().cloned().fold(0.0, f64::max);
    let open_max = open.iter().cloned().fold(0.0, f64::max);
    println!(
        "{:<14} single file {:>11} B  zip {:>11} B  ratio {:.3}  written in {:>7.0} ms  home page p50 {:>6.0} ms (max {:>6.0}, {} runs)  measure p50 {:>5.0} ms (max {:>5.0}, {} pages)",
        c.name,
        h,
        z,
        h as f64 / z as f64,
        c.write_ms,
        median(&mut home),
        home_max,
        home.len(),
        median(&mut open),
        open_max,
        open.len(),
    );
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is read from the command line.
    let sizes = std::env::var("ATLAS_BENCH_SIZES").unwrap_or_else(|_| "real,100,1000".into());
    let runs = std::env::var("ATLAS_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let chromium = Chromium::launch();
    for s in sizes.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let c = if s == "real" {
            corpus("real (5)", None)
        } else {
            let n: usize = s.parse().expect("ATLAS_BENCH_SIZES: real or numbers");
            corpus(&format!("{n} measures"), Some(n))
        };
        bench(&chromium, &c, runs);
    }
    chromium.close();
}
