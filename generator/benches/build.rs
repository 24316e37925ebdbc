//! Build benchmark: `cargo bench -p atlas --bench build`.
//!
//! Builds the real site and synthetic corpora (`atlas synth`) of 100 and 1,000 measures — and
//! 5,000 with `ATLAS_BENCH_BIG=1` — each with the `atlas` binary as a child process, so the
//! peak memory of one build is the child's own (`ru_maxrss` from `wait4`). Prints, per corpus,
//! the median wall time of `ATLAS_BENCH_RUNS` runs into a clean output directory (default 3; a
//! build over 30 s runs once) and of as many runs that replace the previous site (what an
//! editor's rebuild does; new files cost the kernel more than replaced ones on some machines),
//! pages written, pages per second, output bytes and peak memory, and the search figures:
//! index bytes per article/clause/item document and the bytes of the first page (the home page
//! and the CSS and scripts it loads, before any search).
//!
//! Each clean run writes into a directory of its own that did not exist before, and no site is
//! deleted until the bench ends: deleting a site of thousands of files slows the files created
//! after it on this machine's journal-less ext4 (see `common::empty_files`). A clean site is
//! emptied when the next run starts; the last one is what the rebuilds replace. Everything is
//! deleted with the temporary directory at the end. Deleting a large site just before running
//! the bench slows it the same way for up to six minutes.
//!
//! Environment: `ATLAS_BENCH_BIG=1` adds 5,000 measures; `ATLAS_BENCH_RUNS=N` sets the runs;
//! `ATLAS_BENCH_SIZES=100,1000` replaces the synthetic sizes; `ATLAS_BENCH_KEEP=1` keeps the
//! temporary directory; `ATLAS_BENCH_TIMINGS=1` shows the child's phase timings.

mod common;
use common::wait_with_rusage;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const AS_OF: &str = "2026-01-01";
const SEED: u64 = 1;

struct Run {
    wall: Duration,
    max_rss_kib: i64,
    stderr: String,
}

/// Runs `atlas build` as a child and returns its wall time and peak resident memory; into
/// `out`, a new directory for a clean build or the site to replace for a rebuild.
fn build_once(atlas: &Path, root: &Path, content: &Path, out: &Path) -> Run {
    let mut cmd = Command::new(atlas);
    cmd.current_dir(root)
        .args(["build", "--content"])
        .arg(content)
        .arg("--out")
        .arg(out)
        .args(["--as-of", AS_OF])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    // The child reports its own peak memory (VmHWM) with its phase timings; they are printed
    // only with ATLAS_BENCH_TIMINGS.
    cmd.env("ATLAS_TIMINGS", "1");
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn atlas");
    // Read stderr on a thread so a chatty child cannot block on a full pipe.
    let mut pipe = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut pipe, &mut s);
        s
    });
    let (ok, rusage_kib) = wait_with_rusage(child);
    let wall = start.elapsed();
    let stderr = reader.join().unwrap_or_default();
    // ru_maxrss of a child keeps the high-water mark of the forked bench process across exec on
    // Linux (this process holds the synthetic corpus), so the child's own VmHWM is preferred.
    let max_rss_kib = stderr
        .lines()
        .filter_map(|l| l.split("(peak ").nth(1))
        .filter_map(|v| v.split_whitespace().next()?.parse::<i64>().ok())
        .max()
        .unwrap_or(rusage_kib);
    assert!(
        ok,
        "atlas build failed for {}:\n{stderr}",
        content.display()
    );
    Run {
        wall,
        max_rss_kib,
        stderr,
    }
}

#[derive(Default)]
struct Tally {
    pages: u64,
    files: u64,
    bytes: u64,
}

fn tally(dir: &Path) -> Tally {
    let mut t = Tally::default();
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if e.file_type().is_file() {
            t.files += 1;
            t.bytes += e.metadata().map(|m| m.len()).unwrap_or(0);
            if e.path().extension().is_some_and(|x| x == "html") {
                t.pages += 1;
            }
        }
    }
    t
}

/// The home page plus every stylesheet and script it references (what a first visit loads).
fn first_page_bytes(site: &Path) -> (u64, Vec<String>) {
    let home = site.join("index.html");
    let html = std::fs::read_to_string(&home).expect("index.html");
    let mut total = html.len() as u64;
    let mut loaded = vec![format!("index.html {}", html.len())];
    for (tag, attr) in [("<link", "href=\""), ("<script", "src=\"")] {
        for chunk in html.split(tag).skip(1) {
            let head = &chunk[..chunk.find('>').unwrap_or(chunk.len())];
            if tag == "<link" && !head.contains("stylesheet") {
                continue;
            }
            let Some(at) = head.find(attr) else { continue };
            let rest = &head[at + attr.len()..];
            let url = &rest[..rest.find('"').unwrap_or(rest.len())];
            if url.contains("://") {
                continue;
            }
            let path = site.join(url.split(['?', '#']).next().unwrap_or(url));
            if let Ok(m) = std::fs::metadata(&path) {
                total += m.len();
                loaded.push(format!("{url} {}", m.len()));
            }
        }
    }
    (total, loaded)
}

/// Article, clause and item documents of the search index, counted from the model.
fn unit_docs(content: &Path) -> usize {
    let (corpus, report) = atlas::content::load(content);
    assert!(
        !report.has_errors(),
        "content at {} has errors",
        content.display()
    );
    let as_of = time::Date::from_calendar_date(2026, time::Month::January, 1).unwrap();
    let site = atlas::site::model(&corpus, as_of);
    atlas::search::corpus(&site, &|l| (l.code().to_string(), l.code().to_string()))
        .docs
        .iter()
        .filter(|d| matches!(d.kind, "article" | "clause" | "item"))
        .count()
}

fn dir_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
        .sum()
}

fn human(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1024.0 * 1024.0 * 1024.0 {
        format!("{:.2} GiB", b / (1024.0 * 1024.0 * 1024.0))
    } else if b >= 1024.0 * 1024.0 {
        format!("{:.1} MiB", b / (1024.0 * 1024.0))
    } else {
        format!("{:.1} KiB", b / 1024.0)
    }
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument selects corpora by name.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf();
    let atlas = PathBuf::from(env!("CARGO_BIN_EXE_atlas"));
    let runs: usize = std::env::var("ATLAS_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3)
        .max(1);
    let mut sizes: Vec<usize> = match std::env::var("ATLAS_BENCH_SIZES") {
        Ok(s) => s.split(',').filter_map(|x| x.trim().parse().ok()).collect(),
        Err(_) => vec![100, 1000],
    };
    if std::env::var("ATLAS_BENCH_BIG").is_ok_and(|v| v == "1") && !sizes.contains(&5000) {
        sizes.push(5000);
    }
    let tmp = tempfile::Builder::new()
        .prefix("atlas-bench-")
        .tempdir()
        .expect("temp dir");
    let real = root.join("content");

    let mut corpora: Vec<(String, PathBuf)> = vec![("real".into(), real.clone())];
    for &n in &sizes {
        let t = Instant::now();
        let dir = atlas::synth::run(&real, &tmp.path().join(format!("synth-{n}")), n, SEED)
            .expect("atlas synth");
        eprintln!(
            "generated {n} synthetic measures in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        corpora.push((format!("synth-{n}"), dir));
    }
    corpora.retain(|(name, _)| filter.is_empty() || filter.iter().any(|f| name.contains(f)));

    println!(
        "\natlas build (release, child process, --as-of {AS_OF}); median of up to {runs} run(s); {} CPU(s)\n",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "{:<11} {:>8} {:>6} {:>9} {:>10} {:>8} {:>9} {:>11} {:>10} {:>10} {:>11} {:>11}",
        "corpus",
        "measures",
        "runs",
        "wall s",
        "rebuild s",
        "pages",
        "pages/s",
        "output",
        "peak RSS",
        "units",
        "index B/doc",
        "first page"
    );
    for (name, content) in &corpora {
        let mut results: Vec<Run> = Vec::new();
        let mut out = PathBuf::new();
        for run in 0..runs {
            if run > 0 {
                common::empty_files(&out);
            }
            // A directory no earlier run used, and nothing deleted first (see the top).
            out = tmp.path().join(format!("site-{name}-{run}"));
            let r = build_once(&atlas, &root, content, &out);
            let slow = r.wall > Duration::from_secs(30);
            results.push(r);
            if slow {
                break;
            }
        }
        // As many runs again, each replacing the site the one before wrote.
        let mut rebuilds: Vec<Duration> = (0..results.len())
            .map(|_| build_once(&atlas, &root, content, &out).wall)
            .collect();
        rebuilds.sort();
        let rebuild = rebuilds[rebuilds.len() / 2];
        results.sort_by_key(|r| r.wall);
        let med = &results[results.len() / 2];
        let peak = results.iter().map(|r| r.max_rss_kib).max().unwrap_or(0);
        let t = tally(&out);
        let measures = std::fs::read_dir(content.join("measures"))
            .map(|d| d.count())
            .unwrap_or(0);
        let docs = unit_docs(content);
        let index = dir_bytes(&out.join("assets/search"));
        let (first, loaded) = first_page_bytes(&out);
        println!(
            "{:<11} {:>8} {:>6} {:>9.2} {:>10.2} {:>8} {:>9.0} {:>11} {:>10} {:>10} {:>11.1} {:>11}",
            name,
            measures,
            results.len(),
            med.wall.as_secs_f64(),
            rebuild.as_secs_f64(),
            t.pages,
            t.pages as f64 / med.wall.as_secs_f64(),
            human(t.bytes),
            human(peak as u64 * 1024),
            docs,
            index as f64 / docs.max(1) as f64,
            human(first),
        );
        println!(
            "{:<11} files {}, search index {} ({} files), first page = {}",
            "",
            t.files,
            human(index),
            std::fs::read_dir(out.join("assets/search")).map_or(0, |d| d.count()),
            loaded.join(" + ")
        );
        if std::env::var_os("ATLAS_BENCH_TIMINGS").is_some() {
            for l in med.stderr.lines().filter(|l| l.contains("ms")) {
                println!("{:<11} {l}", "");
            }
        }
    }
    if std::env::var("ATLAS_BENCH_KEEP").is_ok_and(|v| v == "1") {
        let kept = tmp.keep();
        println!("\nkept {}", kept.display());
    }
}
