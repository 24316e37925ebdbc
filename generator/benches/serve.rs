//! Live-editing latency of `atlas serve`: `cargo bench -p atlas --bench serve`.
//!
//! Synthesises a corpus (`atlas synth`, 1,000 measures unless `ATLAS_BENCH_SIZES` says
//! otherwise), starts `atlas serve` on it as a child, and then, `ATLAS_BENCH_EDITS` times
//! (default 10), changes one article's English summary in a different measure file and polls
//! that measure's English page over HTTP every 2 ms until the new words are served. The time
//! from the write to the first response carrying them is what a reader waits for (the page's
//! reload request itself is one more local GET). Prints the median, 95th percentile and
//! maximum per corpus size, and the server's own per-phase timings of the last rebuild.
//!
//! Environment: `ATLAS_BENCH_SIZES=1000,5000`, `ATLAS_BENCH_EDITS=N`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

// The integration tests' helpers: HTTP GET and copying a directory tree.
#[path = "../tests/common/mod.rs"]
mod test_common;

const SEED: u64 = 1;

/// The server child, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The body of a GET on loopback, or `None` if the request failed.
fn get(addr: &str, path: &str) -> Option<String> {
    test_common::http_get(addr, path).map(|(_, body)| body)
}

/// The value of the first `key = "…"` line of a TOML text.
fn first_value<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines()
        .find_map(|l| {
            l.strip_prefix(key)?
                .trim_start()
                .strip_prefix('=')?
                .trim()
                .strip_prefix('"')
        })
        .and_then(|v| v.split('"').next())
}

/// `text` with `marker` put in front of the first one-line English summary (a `"""` summary
/// is left alone, as a line edit could break it).
fn edit_summary(text: &str, marker: &str) -> String {
    let mut done = false;
    let mut out = String::with_capacity(text.len() + marker.len() + 2);
    for line in text.split_inclusive('\n') {
        match line.strip_prefix("summary_en = \"") {
            Some(rest) if !done && !rest.starts_with("\"\"") => {
                out.push_str(&format!("summary_en = \"{marker}. {rest}"));
                done = true;
            }
            _ => out.push_str(line),
        }
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn bench_size(atlas: &Path, real: &Path, tmp: &Path, n: usize, edits: usize) {
    let dir = tmp.join(format!("serve-{n}"));
    let content = atlas::synth::run(real, &dir, n, SEED).expect("atlas synth");
    let theme_src = real.parent().expect("repo").join("themes");
    // A copy, so that the bench never touches the repository's theme.
    test_common::copy_dir(&theme_src, &dir.join("themes"));
    let mut child = Command::new(atlas)
        .args(["serve", "--port", "0", "--content"])
        .arg(&content)
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("ATLAS_TIMINGS", "1")
        .spawn()
        .expect("spawn atlas serve");
    let stderr = child.stderr.take().expect("stderr");
    let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let sink = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let mut l = sink.lock().unwrap_or_else(|p| p.into_inner());
            l.push_str(&line);
            l.push('\n');
        }
    });
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("address line");
    let server = Server(child);
    let addr = line
        .trim()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    // The first build is done when the server answers; let the data files settle too.
    let t = Instant::now();
    while get(&addr, "/").is_none() {
        assert!(
            t.elapsed() < Duration::from_secs(300),
            "server never answered"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_secs(2));

    let mut files: Vec<PathBuf> = std::fs::read_dir(content.join("measures"))
        .expect("measures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let mut took = Vec::new();
    for k in 0..edits {
        let path = &files[(k * 7919) % files.len()];
        let text = std::fs::read_to_string(path).expect("read measure");
        let id = first_value(&text, "id").expect("measure id").to_string();
        let marker = format!("Edited for the serve bench {k}");
        let edited = edit_summary(&text, &marker);
        assert_ne!(edited, text, "{} has no English summary", path.display());
        let page = format!("/en/measures/{id}.html");
        let start = Instant::now();
        std::fs::write(path, &edited).expect("write");
        loop {
            if get(&addr, &page).is_some_and(|b| b.contains(&marker)) {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "edit {k} never served; server log:\n{}",
                log.lock().unwrap_or_else(|p| p.into_inner())
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        took.push(start.elapsed());
        // Let the search index and data files follow before the next edit.
        std::thread::sleep(Duration::from_millis(1500));
    }
    drop(server);
    took.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{n:>8} {:>6} {:>9.0} {:>9.0} {:>9.0}",
        took.len(),
        ms(percentile(&took, 0.5)),
        ms(percentile(&took, 0.95)),
        ms(*took.last().expect("edits"))
    );
    let log = log.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let last: Vec<&str> = log
        .lines()
        .rev()
        .skip_while(|l| !l.contains("page(s) rendered"))
        .take_while(|l| !l.contains("search index and data updated"))
        .collect();
    for l in last.iter().rev() {
        println!("         {l}");
    }
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf();
    let atlas = PathBuf::from(env!("CARGO_BIN_EXE_atlas"));
    let sizes: Vec<usize> = match std::env::var("ATLAS_BENCH_SIZES") {
        Ok(s) => s.split(',').filter_map(|x| x.trim().parse().ok()).collect(),
        Err(_) => vec![1000],
    };
    let edits: usize = std::env::var("ATLAS_BENCH_EDITS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10)
        .max(1);
    let tmp = tempfile::Builder::new()
        .prefix("atlas-serve-bench-")
        .tempdir()
        .expect("temp dir");
    println!(
        "\natlas serve: write of one article's English summary → first HTTP response with it; {} CPU(s)\n",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "{:>8} {:>6} {:>9} {:>9} {:>9}",
        "measures", "edits", "p50 ms", "p95 ms", "max ms"
    );
    for n in sizes {
        bench_size(&atlas, &root.join("content"), tmp.path(), n, edits);
    }
}
