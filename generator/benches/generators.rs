//! Side-by-side benchmark against Hugo and mdBook: `cargo bench -p atlas --bench generators`
//! (or `scripts/compare-generators [SIZES…]`).
//!
//! For each size N it synthesises N measures once (`atlas synth`), then writes the equivalent
//! Markdown corpus from the same resolved measures (`atlas::model::build`): one Markdown file for
//! every measure page Atlas writes — the Chinese page and the English page of each measure, so
//! 2 × N pages — each with the measure's title, its identity line, every issuing-notice line,
//! chapter, article (label, heading, paragraphs, clauses, items, English summary) and closing
//! line, in the page's order, as plain text. The same files go into a Hugo site (`hugo.toml`
//! and a tiny layout of its own, no theme) and an mdBook book (`book.toml`, `src/SUMMARY.md`
//! listing every chapter). Then, with a new output directory for every run and the three
//! tools interleaved run by run, it times `atlas build` (this workspace's release binary, a new
//! process each run), `hugo` and `mdbook build`, and prints per tool the measure pages built
//! (checked on disk, equal for all three), the other HTML files each writes of its own accord,
//! the median wall time, measure pages per second, peak RSS (`ru_maxrss` from `wait4`), output
//! bytes and — when `strace` is installed — the write, open and total system calls of one extra
//! run under `strace -f -c`. Last come the ratios Atlas/Hugo and Atlas/mdBook in pages/s.
//!
//! Atlas does more than the other two in the timed run: it also writes the comparison, topic,
//! calculator and search pages and the search index. Hugo builds the home page and two section
//! lists (taxonomies, RSS and sitemap are off); mdBook its index, table-of-contents and 404 pages
//! and its search index (its all-in-one print page is off: Atlas has none).
//!
//! No output is deleted until the end: deleting the previous run's thousands of files would
//! slow the next run's on this machine's journal-less ext4 (see `common::empty_files`). Each
//! output is emptied once it has been counted, which gives the disk back and frees no inode.
//!
//! Missing tools are installed when possible: Hugo with `apt-get install -y hugo` (only as root
//! with apt-get present), mdBook with `cargo install mdbook --locked`. A tool that cannot be
//! installed, or whose build fails, is reported as skipped; the benchmark goes on without it.
//!
//! Environment: `ATLAS_BENCH_SIZES=1000,5000` (default) sets the sizes; `ATLAS_BENCH_RUNS=N`
//! (default 5) the runs per tool; `ATLAS_BENCH_KEEP=1` keeps the temporary directory;
//! `ATLAS_BENCH_NO_INSTALL=1` never installs, only uses tools already present;
//! `ATLAS_BENCH_NO_STRACE=1` skips the system-call counts; `ATLAS_BENCH_SLOW_SECS=S` (default
//! 600): a tool whose first run at a size takes longer runs only once there, and says so (mdBook
//! grows faster than linearly with the number of chapters).

use std::collections::BTreeMap;
use std::fmt::Write as _;
mod common;
use common::{empty_files, wait_with_rusage};

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use atlas::model::measure::{ArticleView, BlockView, ItemView};
use atlas::model::Measure;

const AS_OF: &str = "2026-01-01";
const SEED: u64 = 1;

/// The three generators compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Atlas,
    Hugo,
    Mdbook,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Atlas => "atlas",
            Kind::Hugo => "hugo",
            Kind::Mdbook => "mdbook",
        }
    }
}

/// A generator that is ready to run.
struct Tool {
    kind: Kind,
    program: PathBuf,
    version: String,
}

/// Where one size's inputs live.
struct Corpus {
    /// The synthetic `content/` directory (Atlas's input).
    content: PathBuf,
    /// The Hugo site (`hugo.toml`, `content/`, `layouts/`).
    hugo_site: PathBuf,
    /// The mdBook book (`book.toml`, `src/`).
    book: PathBuf,
    /// Measure ids, in site order.
    ids: Vec<String>,
}

/// One timed run.
struct Run {
    wall: Duration,
    max_rss_kib: i64,
}

/// What one tool did at one size.
#[derive(Default)]
struct Outcome {
    runs: Vec<Run>,
    failed: Option<String>,
    /// The first run took longer than `ATLAS_BENCH_SLOW_SECS`: no more timed runs.
    slow: bool,
    measure_pages: usize,
    html_files: usize,
    files: usize,
    bytes: u64,
    syscalls: Option<Syscalls>,
    strace_note: Option<String>,
}

/// System calls of one run under `strace -f -c`.
#[derive(Debug, Default, Clone, Copy)]
struct Syscalls {
    writes: u64,
    opens: u64,
    total: u64,
}

fn main() {
    // `cargo bench` passes `--bench`; anything else (e.g. `cargo test --benches`) only gets a note.
    if !std::env::args().any(|a| a == "--bench") {
        eprintln!("generators: run with `cargo bench -p atlas --bench generators`; nothing done");
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf();
    let runs: usize = std::env::var("ATLAS_BENCH_RUNS")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(5)
        .max(1);
    let sizes: Vec<usize> = match std::env::var("ATLAS_BENCH_SIZES") {
        Ok(s) => s
            .split(',')
            .filter_map(|x| x.trim().parse().ok())
            .filter(|&n| n > 0)
            .collect(),
        Err(_) => vec![1000, 5000],
    };
    let install = !flag("ATLAS_BENCH_NO_INSTALL");
    let slow = Duration::from_secs_f64(
        std::env::var("ATLAS_BENCH_SLOW_SECS")
            .ok()
            .and_then(|s| s.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s > 0.0)
            .unwrap_or(600.0),
    );
    let tmp = tempfile::Builder::new()
        .prefix("atlas-generators-")
        .tempdir()
        .expect("temp dir");

    let mut tools = vec![Tool {
        kind: Kind::Atlas,
        program: PathBuf::from(env!("CARGO_BIN_EXE_atlas")),
        version: format!("atlas {} (release)", env!("CARGO_PKG_VERSION")),
    }];
    let mut skipped: Vec<String> = Vec::new();
    for (kind, found) in [
        (Kind::Hugo, ensure_hugo(install)),
        (Kind::Mdbook, ensure_mdbook(install)),
    ] {
        match found {
            Ok(program) => {
                let version = tool_version(kind, &program);
                tools.push(Tool {
                    kind,
                    program,
                    version,
                });
            }
            Err(why) => {
                eprintln!("{}: skipped: {why}", kind.name());
                skipped.push(format!("{}: {why}", kind.name()));
            }
        }
    }
    let strace = if flag("ATLAS_BENCH_NO_STRACE") {
        Err("ATLAS_BENCH_NO_STRACE=1".to_string())
    } else {
        which("strace")
            .ok_or_else(|| "strace not found; apt-get install strace to count them".to_string())
    };

    println!(
        "\nSide-by-side build benchmark; median of {runs} run(s) per tool, tools interleaved, clean \
         output each run; {} CPU(s)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    for t in &tools {
        println!(
            "  {:<7} {}  ({})",
            t.kind.name(),
            t.version,
            t.program.display()
        );
    }
    for s in &skipped {
        println!("  skipped {s}");
    }
    match &strace {
        Ok(p) => println!(
            "  system calls: one extra run per tool under {} -f -c",
            p.display()
        ),
        Err(why) => println!("  system calls: not counted ({why})"),
    }

    let real = root.join("content");
    for &n in &sizes {
        let dir = tmp.path().join(format!("n{n}"));
        let t = Instant::now();
        let corpus = match prepare(&real, &dir, n) {
            Ok(c) => c,
            Err(e) => {
                println!("\n{n} measures: could not prepare the corpus: {e}");
                continue;
            }
        };
        eprintln!(
            "prepared {n} measures (content, Hugo site, mdBook book) in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        let pages = corpus.ids.len() * 2;
        let mut outcomes: BTreeMap<Kind, Outcome> = BTreeMap::new();
        for t in &tools {
            outcomes.insert(t.kind, Outcome::default());
        }
        for run in 0..runs {
            for t in &tools {
                let o = outcomes.get_mut(&t.kind).expect("outcome");
                if o.failed.is_some() || o.slow {
                    continue;
                }
                // A new directory each run, nothing deleted before it (see the top).
                let out = dir.join(format!("out-{}-{run}", t.kind.name()));
                let mut cmd = command(t, &root, &corpus, &out, &dir);
                match time_child(&mut cmd) {
                    Ok(r) => {
                        eprintln!(
                            "  {n} measures, run {}/{runs}: {:<6} {:.2} s",
                            run + 1,
                            t.kind.name(),
                            r.wall.as_secs_f64()
                        );
                        o.slow = run == 0 && runs > 1 && r.wall > slow;
                        o.runs.push(r);
                        if run == 0 {
                            o.measure_pages = measure_pages_on_disk(t.kind, &out, &corpus.ids);
                            let (files, html, bytes) = tally(&out);
                            (o.files, o.html_files, o.bytes) = (files, html, bytes);
                            if o.measure_pages != pages {
                                o.failed = Some(format!(
                                    "built {} of the {pages} measure pages",
                                    o.measure_pages
                                ));
                            }
                        }
                    }
                    Err(e) => o.failed = Some(e),
                }
                // Counted: give its disk back, keep its inodes (see the top).
                if !flag("ATLAS_BENCH_KEEP") {
                    empty_files(&out);
                }
            }
        }
        if let Ok(strace) = &strace {
            for t in &tools {
                let o = outcomes.get_mut(&t.kind).expect("outcome");
                if o.failed.is_some() {
                    continue;
                }
                let out = dir.join(format!("out-{}-strace", t.kind.name()));
                let cmd = command(t, &root, &corpus, &out, &dir);
                match count_syscalls(strace, &cmd, &dir.join(format!("strace-{}", t.kind.name()))) {
                    Ok(s) => o.syscalls = Some(s),
                    Err(e) => o.strace_note = Some(e),
                }
            }
        }
        report(n, pages, &tools, &outcomes, slow);
        // Outputs reach gigabytes at 5,000 measures: give the disk back before the next size
        // without freeing inodes (see the top).
        if !flag("ATLAS_BENCH_KEEP") {
            empty_files(&dir);
        }
    }
    if !skipped.is_empty() {
        println!("\nSkipped: {}", skipped.join("; "));
    }
    if flag("ATLAS_BENCH_KEEP") {
        let kept = tmp.keep();
        println!("\nkept {}", kept.display());
    }
}

/// True when the environment variable is `1`.
fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == "1")
}

/// Prints one size's table and ratios.
fn report(
    n: usize,
    pages: usize,
    tools: &[Tool],
    outcomes: &BTreeMap<Kind, Outcome>,
    slow: Duration,
) {
    println!(
        "\n{n} measures → {pages} measure pages per tool ({n} Chinese + {n} English), same text in \
         the same order"
    );
    println!(
        "{:<7} {:>6} {:>11} {:>6} {:>9} {:>9} {:>10} {:>11} {:>9} {:>9} {:>10}",
        "tool",
        "pages",
        "other HTML",
        "runs",
        "median s",
        "pages/s",
        "peak RSS",
        "output",
        "writes",
        "opens",
        "syscalls"
    );
    let mut rates: BTreeMap<Kind, f64> = BTreeMap::new();
    let mut notes: Vec<String> = Vec::new();
    for t in tools {
        let o = &outcomes[&t.kind];
        if let Some(why) = &o.failed {
            println!("{:<7} skipped: {why}", t.kind.name());
            continue;
        }
        let mut walls: Vec<Duration> = o.runs.iter().map(|r| r.wall).collect();
        walls.sort();
        let median = walls[walls.len() / 2].as_secs_f64();
        let rate = o.measure_pages as f64 / median;
        rates.insert(t.kind, rate);
        let peak = o.runs.iter().map(|r| r.max_rss_kib).max().unwrap_or(0);
        let (w, op, all) = match o.syscalls {
            Some(s) => (
                s.writes.to_string(),
                s.opens.to_string(),
                s.total.to_string(),
            ),
            None => ("-".into(), "-".into(), "-".into()),
        };
        println!(
            "{:<7} {:>6} {:>11} {:>6} {:>9.2} {:>9.0} {:>10} {:>11} {:>9} {:>9} {:>10}",
            t.kind.name(),
            o.measure_pages,
            o.html_files.saturating_sub(o.measure_pages),
            o.runs.len(),
            median,
            rate,
            human(peak.max(0) as u64 * 1024),
            human(o.bytes),
            w,
            op,
            all
        );
        if o.slow {
            notes.push(format!(
                "{}: first run over {} s, so it ran once (ATLAS_BENCH_SLOW_SECS)",
                t.kind.name(),
                slow.as_secs_f64()
            ));
        }
        if let Some(note) = &o.strace_note {
            notes.push(format!(
                "{}: system calls not counted: {note}",
                t.kind.name()
            ));
        }
    }
    println!(
        "(pages = measure pages checked on disk; other HTML = the tool's own extra pages; pages/s = \
         pages / median s; writes = write/writev/pwrite*, opens = open/openat/creat, from one extra \
         run under strace -f -c)"
    );
    for note in notes {
        println!("{note}");
    }
    if let Some(&atlas) = rates.get(&Kind::Atlas) {
        for other in [Kind::Hugo, Kind::Mdbook] {
            match rates.get(&other) {
                Some(&r) => {
                    let ratio = atlas / r;
                    println!(
                        "atlas / {:<6} pages/s: {:.2}× ({})",
                        other.name(),
                        ratio,
                        if ratio >= 1.0 {
                            "atlas ahead"
                        } else {
                            "atlas behind"
                        }
                    );
                }
                None => println!("atlas / {:<6} pages/s: n/a (skipped)", other.name()),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Corpus: synthetic content, and the same pages as Markdown for Hugo and mdBook.

/// Synthesises `n` measures into `dir/content` and writes the Hugo site and the mdBook book.
fn prepare(real: &Path, dir: &Path, n: usize) -> Result<Corpus, String> {
    let content = atlas::synth::run(real, dir, n, SEED).map_err(|e| e.to_string())?;
    let (loaded, report) = atlas::content::load(&content);
    if report.has_errors() {
        return Err(format!("{} has errors", content.display()));
    }
    let as_of =
        time::Date::from_calendar_date(2026, time::Month::January, 1).map_err(|e| e.to_string())?;
    let site = atlas::site::model(&loaded, as_of);

    let hugo_site = dir.join("hugo");
    let book = dir.join("mdbook");
    write_hugo_skeleton(&hugo_site)?;
    write_book_skeleton(&book)?;
    let mut summary = String::from("# Summary\n\n# 中文\n\n");
    let mut summary_en = String::from("\n# English\n\n");
    let mut ids = Vec::with_capacity(site.measures.len());
    for (weight, m) in site.measures.iter().enumerate() {
        for (lang, title) in [("zh", &m.title), ("en", &m.title_en)] {
            let body = measure_markdown(m, lang == "en");
            let front = format!(
                "+++\ntitle = {}\nweight = {}\n+++\n\n",
                toml_string(title),
                weight + 1
            );
            put(
                &hugo_site.join(format!("content/{lang}/{}.md", m.id)),
                &(front + &body),
            )?;
            put(&book.join(format!("src/{lang}/{}.md", m.id)), &body)?;
            let line = format!("- [{}]({lang}/{}.md)\n", md_escape(title), m.id);
            if lang == "zh" {
                summary.push_str(&line);
            } else {
                summary_en.push_str(&line);
            }
        }
        ids.push(m.id.clone());
    }
    put(&book.join("src/SUMMARY.md"), &(summary + &summary_en))?;
    Ok(Corpus {
        content,
        hugo_site,
        book,
        ids,
    })
}

/// Writes a file, creating its folder.
fn put(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// A TOML basic string (a JSON string is one: same escapes).
fn toml_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// `hugo.toml` and a minimal layout: every page is a real HTML document with its content.
fn write_hugo_skeleton(site: &Path) -> Result<(), String> {
    put(
        &site.join("hugo.toml"),
        "# Written by the atlas generators benchmark.\n\
         baseURL = \"https://example.invalid/\"\n\
         languageCode = \"zh-Hans\"\n\
         title = \"Atlas benchmark corpus\"\n\
         disableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\"]\n\
         [markup.goldmark.renderer]\n\
         unsafe = false\n",
    )?;
    let head = "<!DOCTYPE html>\n<html lang=\"{{ site.LanguageCode }}\">\n<head>\n\
                <meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, \
                initial-scale=1\">\n<title>{{ .Title }} · {{ site.Title }}</title>\n</head>\n<body>\n";
    put(
        &site.join("layouts/_default/single.html"),
        &format!(
            "{head}<nav><a href=\"{{{{ \"/\" | relURL }}}}\">{{{{ site.Title }}}}</a></nav>\n\
             <main>\n{{{{ .Content }}}}\n</main>\n</body>\n</html>\n"
        ),
    )?;
    put(
        &site.join("layouts/_default/list.html"),
        &format!(
            "{head}<main>\n<h1>{{{{ .Title }}}}</h1>\n<ul>\n{{{{ range .Pages }}}}<li><a \
             href=\"{{{{ .RelPermalink }}}}\">{{{{ .Title }}}}</a></li>\n{{{{ end }}}}</ul>\n\
             </main>\n</body>\n</html>\n"
        ),
    )
}

/// `book.toml`: default HTML renderer with its search; the print page off (Atlas has none).
fn write_book_skeleton(book: &Path) -> Result<(), String> {
    put(
        &book.join("book.toml"),
        "# Written by the atlas generators benchmark.\n\
         [book]\n\
         title = \"Atlas benchmark corpus\"\n\
         language = \"zh\"\n\
         src = \"src\"\n\
         \n\
         [build]\n\
         create-missing = false\n\
         \n\
         [output.html.print]\n\
         enable = false\n",
    )
}

/// The Markdown of one measure page: the Chinese page, or with `en` the English one.
fn measure_markdown(m: &Measure, en: bool) -> String {
    let mut s = String::with_capacity(16 * 1024);
    let (title, subtitle) = if en {
        (&m.title_en, &m.title)
    } else {
        (&m.title, &m.title_en)
    };
    let _ = writeln!(s, "# {}\n\n{}\n", md_escape(title), md_escape(subtitle));
    let doc = m.doc_number.as_deref().unwrap_or("—");
    let identity = if en {
        format!(
            "Status: {} ({AS_OF}) · Level: {} · {} · Issuer: {} · Document number: {doc} · Issued: {} \
             · In force: {}",
            m.status.code(), m.level, m.jurisdiction_en, m.issuer_en, m.issued, m.effective.date
        )
    } else {
        format!(
            "状态：{}（{AS_OF}）· 层级：{} · {} · 发布机关：{} · 文号：{doc} · 发布日期：{} · 施行日期：{}",
            m.status.code(), m.level, m.jurisdiction, m.issuer, m.issued, m.effective.date
        )
    };
    let _ = writeln!(s, "{}\n", md_escape(&identity));
    blocks(&mut s, &m.front);
    for ch in &m.chapters {
        if !ch.label.is_empty() {
            let _ = writeln!(s, "## {}　{}\n", md_escape(&ch.label), md_escape(&ch.title));
        }
        for a in &ch.articles {
            article(&mut s, a, en);
        }
    }
    blocks(&mut s, &m.back);
    blocks(&mut s, &m.closing);
    s
}

fn blocks(s: &mut String, bs: &[BlockView]) {
    for b in bs {
        let t = plain(&b.text.text);
        if !t.is_empty() {
            let _ = writeln!(s, "{}\n", md_escape(&t));
        }
    }
}

fn article(s: &mut String, a: &ArticleView, en: bool) {
    match &a.heading {
        Some(h) => {
            let _ = writeln!(s, "### {} {}\n", md_escape(&a.label), md_escape(h));
        }
        None => {
            let _ = writeln!(s, "### {}\n", md_escape(&a.label));
        }
    }
    for p in &a.paras {
        let t = plain(&p.text.text);
        if !t.is_empty() {
            let _ = writeln!(s, "{}\n", md_escape(&t));
        }
        for c in &p.clauses {
            let _ = writeln!(
                s,
                "- {}{}",
                md_escape(&c.label),
                md_escape(&plain(&c.text.text))
            );
            items(s, &c.items, "  ");
        }
        items(s, &p.items, "");
        if !p.clauses.is_empty() || !p.items.is_empty() {
            s.push('\n');
        }
    }
    if !a.summary_en.is_empty() {
        let head = if en {
            "Summary (the Chinese text is authoritative): "
        } else {
            "英文摘要（以中文原文为准）："
        };
        let _ = writeln!(s, "{head}{}\n", md_escape(&a.summary_en));
    }
}

fn items(s: &mut String, items: &[ItemView], indent: &str) {
    for i in items {
        let _ = writeln!(
            s,
            "{indent}- {}{}",
            md_escape(&i.label),
            md_escape(&plain(&i.text.text))
        );
    }
}

/// A unit's text on one line (line breaks become spaces), for Markdown.
fn plain(text: &str) -> String {
    text.replace(['\n', '\r', '\t'], " ").trim().to_string()
}

/// Escapes text so both Markdown renderers show it as it is: every ASCII character that can
/// start markup gets a backslash, and a leading `1.` cannot open a list.
fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    for (i, c) in text.char_indices() {
        let list_marker = digits > 0 && i == digits && matches!(c, '.' | ')');
        if list_marker
            || matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '!'
            )
            || (i == 0 && matches!(c, '-' | '+' | '='))
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Running the tools.

/// The command that builds `corpus` with tool `t` into `out`.
fn command(t: &Tool, root: &Path, corpus: &Corpus, out: &Path, scratch: &Path) -> Command {
    let mut cmd = Command::new(&t.program);
    match t.kind {
        Kind::Atlas => {
            cmd.current_dir(root)
                .args(["build", "--content"])
                .arg(&corpus.content)
                .arg("--out")
                .arg(out)
                .args(["--as-of", AS_OF]);
        }
        Kind::Hugo => {
            cmd.current_dir(&corpus.hugo_site)
                .args(["--quiet", "--source"])
                .arg(&corpus.hugo_site)
                .arg("--destination")
                .arg(out)
                .arg("--cacheDir")
                .arg(scratch.join("hugo-cache"));
        }
        Kind::Mdbook => {
            cmd.current_dir(&corpus.book)
                .arg("build")
                .arg(&corpus.book)
                .arg("--dest-dir")
                .arg(out);
        }
    }
    cmd.stdin(Stdio::null());
    cmd
}

/// Runs the command as a child; returns its wall time and peak resident memory, or why it failed.
///
/// On Linux a child's `ru_maxrss` keeps the high-water mark of the forked bench process across
/// exec (this process holds the corpora), so where GNU time is installed the tool runs under
/// `/usr/bin/time -f %M`, whose own small process is the one that forks the tool.
fn time_child(cmd: &mut Command) -> Result<Run, String> {
    let gnu_time = Path::new("/usr/bin/time");
    let peak_file = std::env::temp_dir().join(format!("atlas-bench-peak-{}", std::process::id()));
    let mut wrapped;
    let cmd = if gnu_time.is_file() {
        wrapped = Command::new(gnu_time);
        wrapped
            .args(["-f", "%M", "-o"])
            .arg(&peak_file)
            .arg(cmd.get_program())
            .args(cmd.get_args())
            .stdin(Stdio::null());
        if let Some(dir) = cmd.get_current_dir() {
            wrapped.current_dir(dir);
        }
        &mut wrapped
    } else {
        cmd
    };
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().map_err(|e| format!("cannot start: {e}"))?;
    // Read stderr on a thread so a chatty child cannot block on a full pipe.
    let mut pipe = child.stderr.take().expect("stderr is piped");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut pipe, &mut s);
        s
    });
    let (ok, rusage_kib) = wait_with_rusage(child);
    let wall = start.elapsed();
    let stderr = reader.join().unwrap_or_default();
    let max_rss_kib = std::fs::read_to_string(&peak_file)
        .ok()
        .and_then(|t| t.lines().last()?.trim().parse::<i64>().ok())
        .unwrap_or(rusage_kib);
    let _ = std::fs::remove_file(&peak_file);
    if ok {
        Ok(Run { wall, max_rss_kib })
    } else {
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        Err(format!("build failed: {}", tail.join(" | ")))
    }
}

/// Runs the command once under `strace -f -c` and sums its write and open calls.
fn count_syscalls(strace: &Path, cmd: &Command, log: &Path) -> Result<Syscalls, String> {
    let mut s = Command::new(strace);
    s.args(["-f", "-c", "-o"])
        .arg(log)
        .arg("--")
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(dir) = cmd.get_current_dir() {
        s.current_dir(dir);
    }
    let out = s
        .output()
        .map_err(|e| format!("cannot start strace: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!(
            "strace run failed: {}",
            err.lines().last().unwrap_or("")
        ));
    }
    let text = std::fs::read_to_string(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let mut sc = Syscalls::default();
    // Rows: % time, seconds, usecs/call, calls, [errors], syscall. The total row is skipped.
    for line in text.lines() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.len() < 5 || cols[0].parse::<f64>().is_err() {
            continue;
        }
        let name = cols[cols.len() - 1];
        let Ok(calls) = cols[3].parse::<u64>() else {
            continue;
        };
        if name == "total" {
            continue;
        }
        sc.total += calls;
        if matches!(
            name,
            "write" | "writev" | "pwrite64" | "pwritev" | "pwritev2"
        ) {
            sc.writes += calls;
        }
        if matches!(name, "open" | "openat" | "openat2" | "creat") {
            sc.opens += calls;
        }
    }
    if sc.total == 0 {
        return Err("strace counted nothing (is ptrace allowed here?)".into());
    }
    Ok(sc)
}

/// How many of the expected measure pages (both editions) the tool wrote.
fn measure_pages_on_disk(kind: Kind, out: &Path, ids: &[String]) -> usize {
    ids.iter()
        .flat_map(|id| {
            let pair: [PathBuf; 2] = match kind {
                Kind::Atlas => [
                    out.join(format!("measures/{id}.html")),
                    out.join(format!("en/measures/{id}.html")),
                ],
                Kind::Hugo => [
                    out.join(format!("zh/{id}/index.html")),
                    out.join(format!("en/{id}/index.html")),
                ],
                Kind::Mdbook => [
                    out.join(format!("zh/{id}.html")),
                    out.join(format!("en/{id}.html")),
                ],
            };
            pair
        })
        .filter(|p| p.is_file())
        .count()
}

/// Files, HTML files and bytes under `dir`.
fn tally(dir: &Path) -> (usize, usize, u64) {
    let (mut files, mut html, mut bytes) = (0, 0, 0);
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if e.file_type().is_file() {
            files += 1;
            bytes += e.metadata().map(|m| m.len()).unwrap_or(0);
            if e.path().extension().is_some_and(|x| x == "html") {
                html += 1;
            }
        }
    }
    (files, html, bytes)
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

// ---------------------------------------------------------------------------------------------
// Finding and installing Hugo and mdBook.

/// An executable named `name` on `PATH`.
fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

#[cfg(unix)]
fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

#[cfg(not(unix))]
fn is_root() -> bool {
    false
}

/// Runs an installer, its output on our stderr; true when it succeeded.
fn run_installer(cmd: &mut Command) -> bool {
    eprintln!("running {cmd:?}");
    cmd.stdin(Stdio::null())
        .stdout(Stdio::from(std::io::stderr()))
        .stderr(Stdio::inherit())
        .status()
        .is_ok_and(|s| s.success())
}

/// Hugo on `PATH`, installed with apt-get when missing and allowed.
fn ensure_hugo(install: bool) -> Result<PathBuf, String> {
    if let Some(p) = which("hugo") {
        return Ok(p);
    }
    let how = "install it with `apt-get install hugo` (Debian/Ubuntu, as root) or see \
               https://gohugo.io/installation/";
    if !install {
        return Err(format!("hugo not found; {how}"));
    }
    let Some(apt) = which("apt-get") else {
        return Err(format!("hugo not found and no apt-get here; {how}"));
    };
    if !is_root() {
        return Err(format!("hugo not found and not running as root; {how}"));
    }
    let apt_install = |apt: &Path| {
        run_installer(
            Command::new(apt)
                .args(["install", "-y", "-q", "--no-install-recommends", "hugo"])
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )
    };
    // Hugo needs none of its recommends (Go, git) to build a site. A fresh machine may have no
    // package lists yet: update once, then try again.
    if !apt_install(&apt) {
        run_installer(Command::new(&apt).args(["update", "-q"]));
        apt_install(&apt);
    }
    which("hugo").ok_or_else(|| format!("apt-get could not install hugo; {how}"))
}

/// mdBook on `PATH` or in Cargo's bin folder, installed with `cargo install` when missing.
fn ensure_mdbook(install: bool) -> Result<PathBuf, String> {
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|h| h.join("bin").join("mdbook"));
    let find = || which("mdbook").or_else(|| cargo_bin.clone().filter(|p| is_executable(p)));
    if let Some(p) = find() {
        return Ok(p);
    }
    let how = "install it with `cargo install mdbook --locked`";
    if !install {
        return Err(format!("mdbook not found; {how}"));
    }
    let cargo = std::env::var_os("CARGO")
        .map(PathBuf::from)
        .filter(|p| is_executable(p))
        .or_else(|| which("cargo"));
    let Some(cargo) = cargo else {
        return Err(format!("mdbook not found and no cargo here; {how}"));
    };
    // Run outside the workspace so its config and lock file play no part.
    let ok = run_installer(
        Command::new(cargo)
            .args(["install", "mdbook", "--locked"])
            .current_dir(std::env::temp_dir()),
    );
    match find() {
        Some(p) => Ok(p),
        None if ok => Err(format!(
            "cargo install mdbook succeeded but mdbook is neither on PATH nor in {}",
            cargo_bin.map_or("~/.cargo/bin".into(), |p| p.display().to_string())
        )),
        None => Err(format!("cargo install mdbook failed; {how}")),
    }
}

/// The tool's version line.
fn tool_version(kind: Kind, program: &Path) -> String {
    let arg = if kind == Kind::Hugo {
        "version"
    } else {
        "--version"
    };
    Command::new(program)
        .arg(arg)
        .stdin(Stdio::null())
        .output()
        .ok()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| format!("{} (version unknown)", kind.name()))
}
