//! Property and fuzz tests, bounded so they run in `cargo test`: no input makes atlas panic, hang
//! or blow up its output.
//!
//! Targets: the TOML loader and `atlas check` on mutated real measure files, `atlas import` on
//! arbitrary text, the reference linker and the text renderer, the search tokenizer, and every
//! calculator on arbitrary JSON. Each case runs on its own thread with a deadline, so a hang
//! fails the test instead of stalling CI.
//!
//! Knobs (environment):
//! - `ATLAS_FUZZ_CASES`: cases per target (default: see each target, a few seconds in all);
//! - `ATLAS_FUZZ_SEED`: a number for another fixed seed, or `random` for a fresh one per run
//!   (default: a fixed seed, so CI is deterministic);
//! - `ATLAS_FUZZ_CASE_SECS`: the per-case deadline (default 20 s; a case normally takes ms).
//!
//! A failing input found here is kept in `tests/fixtures/regressions/` (see
//! [`regressions_replay`]) and replayed on every run.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use atlas::calc::Calculators;
use atlas::content::{Corpus, Loaded, MeasureFile};
use atlas::diagnostics::Report;
use atlas::model::marked::{mark, Context};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed, TestRunner};
use serde_json::{json, Value};

// ---------------------------------------------------------------- knobs and helpers

/// Cases per target: `ATLAS_FUZZ_CASES`, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("ATLAS_FUZZ_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

fn case_deadline() -> Duration {
    Duration::from_secs(
        std::env::var("ATLAS_FUZZ_CASE_SECS")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(20),
    )
}

fn config(default_cases: u32) -> Config {
    let seed = match std::env::var("ATLAS_FUZZ_SEED").ok().as_deref() {
        Some("random") => RngSeed::Random,
        Some(n) => RngSeed::Fixed(n.trim().parse().unwrap_or(0x0a71a5)),
        None => RngSeed::Fixed(0x0a71a5),
    };
    Config {
        cases: cases(default_cases),
        failure_persistence: None,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: seed,
        max_shrink_iters: 2000,
        ..Config::default()
    }
}

/// Runs `f` on its own thread and fails if it takes longer than the per-case deadline (a hang)
/// or panics (the panic is passed on, so proptest shrinks it).
fn within<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    let h = std::thread::Builder::new()
        .stack_size(16 << 20)
        .spawn(move || {
            let v = f();
            let _ = tx.send(v);
        })
        .expect("spawn");
    match rx.recv_timeout(case_deadline()) {
        Ok(v) => {
            let _ = h.join();
            v
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what}: no answer within {:?} (a hang?)", case_deadline())
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => match h.join() {
            Err(p) => std::panic::resume_unwind(p),
            Ok(()) => unreachable!("thread ended without an answer"),
        },
    }
}

/// Runs a proptest strategy with `config`, panicking with the minimal failing input.
fn run<S: Strategy>(
    name: &str,
    cfg: Config,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(cfg);
    let start = std::time::Instant::now();
    if let Err(e) = runner.run(&strategy, test) {
        panic!(
            "{name}: {e}\nKeep the input as a regression case in tests/fixtures/regressions/ (see regressions_replay)."
        );
    }
    eprintln!(
        "fuzz {name}: {} cases in {:.2}s",
        runner.config().cases,
        start.elapsed().as_secs_f64()
    );
}

fn repo() -> PathBuf {
    atlas_tests::repo()
}

/// The real content, loaded once.
fn corpus() -> &'static Corpus {
    static C: OnceLock<Corpus> = OnceLock::new();
    C.get_or_init(|| {
        let (c, report) = atlas::content::load(&repo().join("content"));
        assert!(!report.has_errors(), "the real content loads");
        c
    })
}

fn calculators() -> &'static Calculators {
    static C: OnceLock<Calculators> = OnceLock::new();
    C.get_or_init(|| {
        let mut r = Report::default();
        atlas::calc::collect(corpus(), &atlas::site::built_in_calc_words(), &mut r)
            .expect("the content defines calculators")
    })
}

/// Pieces that make hostile and tricky text: markup, references, numbers, odd code points.
const PIECES: &[&str] = &[
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "javascript:alert(1)",
    "</textarea>",
    "<svg/onload=alert(1)>",
    "\"'><",
    "&amp;",
    "&lt;script&gt;",
    "]]>",
    "<!--",
    "第十九条",
    "第五条第（二）项",
    "第十九、二十条",
    "第一百零一条",
    "第十十十十十十十十十十十十十十十十条",
    "第九九九九九九九九九九九九九九九九九九九九九条",
    "第亿亿亿亿亿亿条",
    "第〇条",
    "第（",
    "第",
    "条",
    "《办法》第三条",
    "（云科规〔2025〕12号）第五条",
    "云科规〔2025〕12号",
    "教技〔2014〕3号",
    "〔",
    "〔〕号",
    "第一章 总则",
    "第二章",
    "（一）",
    "(二)",
    "1.",
    "一、",
    "附件",
    "附件：申报书",
    "3:1",
    "3：1",
    "25%",
    "300万元",
    "2,000",
    "1.5.",
    "\n",
    "\r\n",
    "\n\n\n",
    "\t",
    " ",
    "　",
    "\u{0}",
    "\u{feff}",
    "\u{200b}",
    "\u{202e}",
    "\u{fffd}",
    "𠀀",
    "🙂",
    "é",
    "ｃｏｎ",
    "\\",
    "\"\"\"",
    "'''",
    "[bookmark: _GoBack]",
    "- ",
    "年度报告",
    "联合实验室",
];

/// Text made of hostile pieces and arbitrary characters.
fn hostile_text(max_pieces: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => prop::sample::select(PIECES).prop_map(str::to_string),
        1 => "\\PC{0,12}",
        1 => ".{0,6}",
        1 => "[第条章项目款一二三四五六七八九十百零〇（）()、〔〕号0-9.:%]{0,8}",
    ];
    prop::collection::vec(piece, 0..max_pieces).prop_map(|v| v.concat())
}

// ---------------------------------------------------------------- 1. TOML loader + check

/// One edit of a measure file's lines.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Duplicate(usize),
    Swap(usize, usize),
    Replace(usize, String),
    Insert(usize, String),
    /// Replace the character at this fraction of the line with another.
    Flip(usize, usize, char),
    /// Cut the line at a character.
    Truncate(usize, usize),
    /// Give the `key = …` on this line (or the next such line) a new string value.
    Value(usize, String),
    /// Delete the table (`[[…]]` header and its keys) this line is in.
    DeleteTable(usize),
    /// Repeat the table this line is in.
    DuplicateTable(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let line = any::<usize>();
    prop_oneof![
        2 => line.prop_map(Edit::Delete),
        1 => line.prop_map(Edit::Duplicate),
        1 => (line, any::<usize>()).prop_map(|(a, b)| Edit::Swap(a, b)),
        1 => (line, toml_line()).prop_map(|(a, s)| Edit::Replace(a, s)),
        1 => (line, toml_line()).prop_map(|(a, s)| Edit::Insert(a, s)),
        2 => (line, any::<usize>(), flip_char()).prop_map(|(a, b, c)| Edit::Flip(a, b, c)),
        1 => (line, any::<usize>()).prop_map(|(a, b)| Edit::Truncate(a, b)),
        6 => (line, value_text()).prop_map(|(a, s)| Edit::Value(a, s)),
        2 => line.prop_map(Edit::DeleteTable),
        1 => line.prop_map(Edit::DuplicateTable),
    ]
}

/// New values for existing keys: hostile text, unsafe ids, anchors, numbers as text.
fn value_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => hostile_text(5),
        2 => prop::sample::select(vec![
            "../x", "/etc/passwd", "..", ".", "", "con", "nul", "com1", "lpt1", "aux", "prn",
            "ｙｕｎｎａｎ", "уunnan-ijl-2025", "a/b", "a\\b", "c:", "x.html", "-x-", "art-999",
            "art-1-99", "art-1-p9-i9", "front-999", "annex", "yunnan-ijl-2025", "kunming-bases-2020",
            "1/0", "0/0", "101%", "-25%", "1e9999", "2026-02-30", "minimum", "share", "hard", "soft",
            "wan-yuan", "on-date", "days-after-issue", "refers-to", "typo", "artefact",
        ])
        .prop_map(str::to_string),
    ]
}

/// Start and end (exclusive) line of the table line `i` is in.
fn table_span(lines: &[String], i: usize) -> (usize, usize) {
    let is_header = |l: &String| l.trim_start().starts_with('[') && !l.contains('=');
    let start = (0..=i).rev().find(|&k| is_header(&lines[k])).unwrap_or(0);
    let end = (start + 1..lines.len())
        .find(|&k| is_header(&lines[k]))
        .unwrap_or(lines.len());
    (start, end)
}

fn flip_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::sample::select(vec![
            '"', '\'', '[', ']', '=', '{', '}', '\\', '#', '\n', ',', '.', '-', '0', '9', 'x',
            '第', '条', '〔', '\u{0}', '　', 'Ａ',
        ]),
        any::<char>(),
    ]
}

/// Lines that look like TOML of a measure file, with hostile values.
fn toml_line() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "id",
        "text",
        "label",
        "number",
        "cite",
        "quote",
        "topic",
        "type",
        "value",
        "unit",
        "title",
        "note",
        "summary_en",
        "role",
        "kind",
        "target",
        "measure",
        "chapter",
        "share",
        "shares",
        "ratio",
        "issued",
        "date",
        "days",
        "rule",
        "sha256",
        "file",
        "silent",
    ]);
    let value = prop_oneof![
        hostile_text(6).prop_map(|s| format!("{s:?}")),
        any::<i64>().prop_map(|n| n.to_string()),
        Just("1e400".to_string()),
        Just("99999999999999999999999".to_string()),
        Just("2026-02-30".to_string()),
        Just("0000-00-00".to_string()),
        Just("[]".to_string()),
        Just("[\"../x\", \"/etc/passwd\", \"con\"]".to_string()),
        Just("{}".to_string()),
        Just("nan".to_string()),
        Just("\"art-1\"".to_string()),
        Just("\"\"".to_string()),
    ];
    prop_oneof![
        (key, value).prop_map(|(k, v)| format!("{k} = {v}")),
        prop::sample::select(vec![
            "[[article]]",
            "[[article.clause]]",
            "[[article.para]]",
            "[[fact]]",
            "[[erratum]]",
            "[[relation]]",
            "[[calculator]]",
            "[[chapter]]",
            "[[front]]",
            "[annex]",
            "[topics]",
            "[effective]",
            "[source]",
        ])
        .prop_map(str::to_string),
        "\\PC{0,40}",
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for e in edits {
        if lines.is_empty() {
            lines.push(String::new());
        }
        let n = lines.len();
        match e {
            Edit::Delete(i) => {
                lines.remove(i % n);
            }
            Edit::Duplicate(i) => {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
            Edit::Swap(a, b) => lines.swap(a % n, b % n),
            Edit::Replace(i, s) => lines[i % n] = s.clone(),
            Edit::Insert(i, s) => lines.insert(i % (n + 1), s.clone()),
            Edit::Flip(i, at, c) => {
                let l = &mut lines[i % n];
                let chars: Vec<char> = l.chars().collect();
                if !chars.is_empty() {
                    let k = at % chars.len();
                    *l = chars[..k]
                        .iter()
                        .chain(std::iter::once(c))
                        .chain(&chars[k + 1..])
                        .collect();
                }
            }
            Edit::Truncate(i, at) => {
                let l = &mut lines[i % n];
                let chars: Vec<char> = l.chars().collect();
                let k = at % (chars.len() + 1);
                *l = chars[..k].iter().collect();
            }
            Edit::Value(i, v) => {
                if let Some(k) = (0..n)
                    .map(|d| (i + d) % n)
                    .find(|&k| lines[k].contains(" = "))
                {
                    let key = lines[k].split(" = ").next().unwrap_or_default().to_string();
                    lines[k] = format!("{key} = {}", toml::Value::String(v.clone()));
                }
            }
            Edit::DeleteTable(i) => {
                let (a, b) = table_span(&lines, i % n);
                lines.drain(a..b);
            }
            Edit::DuplicateTable(i) => {
                let (a, b) = table_span(&lines, i % n);
                let copy: Vec<String> = lines[a..b].to_vec();
                lines.splice(b..b, copy);
            }
        }
    }
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

static PARSED: AtomicUsize = AtomicUsize::new(0);
static PASSED: AtomicUsize = AtomicUsize::new(0);

/// Parses `text` as measure `index` of the real corpus and checks the corpus with it in place.
/// Returns `None` when it does not parse, else whether `atlas check` found an error. When the
/// check passes, the site model and the search corpus are built too (they must not panic).
fn load_and_check(index: usize, text: String) -> Option<bool> {
    let c = corpus();
    let orig = &c.measures[index];
    let path = orig.path.clone();
    let value = match atlas::content::parse_str::<MeasureFile>(&path, &text) {
        Ok(v) => {
            PARSED.fetch_add(1, Ordering::Relaxed);
            v
        }
        Err(d) => {
            // The diagnostic must be positioned and printable.
            let shown = d.to_string();
            assert!(!shown.is_empty());
            return None;
        }
    };
    let mut corpus = c.clone();
    corpus.measures[index] = Loaded::new(path, text, value);
    let mut report = Report::default();
    let _ = atlas::site::check_loaded(&corpus, &mut report);
    for d in &report.items {
        let _ = d.to_string();
    }
    if report.has_errors() {
        return Some(true);
    }
    PASSED.fetch_add(1, Ordering::Relaxed);
    let as_of = time::Date::from_calendar_date(2026, time::Month::November, 21).unwrap();
    let site = atlas::site::model(&corpus, as_of);
    let _ = atlas::search::corpus(&site, &|l| (l.code().to_string(), l.code().to_string()));
    Some(false)
}

#[test]
fn toml_mutations_never_panic() {
    let n = corpus().measures.len();
    let strategy = (0..n, prop::collection::vec(edit(), 1..4));
    run("toml_mutations", config(40), strategy, |(i, edits)| {
        let text = apply(corpus().measures[i].text(), &edits);
        within("load + check", move || load_and_check(i, text));
        Ok(())
    });
    // Shared with the other tests of this binary, so only indicative.
    eprintln!(
        "fuzz toml_mutations: {} parsed, {} passed check (counts include other tests)",
        PARSED.load(Ordering::Relaxed),
        PASSED.load(Ordering::Relaxed)
    );
}

/// Deleting one Han character from any verbatim line (`text = "…"`) of a measure is always
/// reported: atlas never silently drops part of a sentence.
#[test]
fn a_dropped_character_is_always_reported() {
    // (measure, line) of every verbatim text line with Han characters.
    let mut targets = Vec::new();
    for (i, l) in corpus().measures.iter().enumerate() {
        for (k, line) in l.text().lines().enumerate() {
            if line.starts_with("text = \"") && line.chars().any(atlas::search::tokenizer::is_han) {
                targets.push((i, k));
            }
        }
    }
    assert!(targets.len() > 100, "found the verbatim lines");
    let strategy = (prop::sample::select(targets), any::<prop::sample::Index>());
    run("dropped_character", config(24), strategy, |((i, k), at)| {
        let text = corpus().measures[i].text();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let han: Vec<usize> = lines[k]
            .char_indices()
            .filter(|(_, c)| atlas::search::tokenizer::is_han(*c))
            .map(|(p, _)| p)
            .collect();
        let p = han[at.index(han.len())];
        let removed = lines[k].remove(p);
        let mutated = lines.join("\n") + "\n";
        let what = format!("measure {i} line {} without '{removed}'", k + 1);
        let r = within("load + check", move || load_and_check(i, mutated));
        prop_assert_eq!(r, Some(true), "{} passed atlas check", what);
        Ok(())
    });
}

// ---------------------------------------------------------------- 2. import

fn check_skeleton(text: String) -> Result<(), String> {
    let len = text.len();
    let out = within("skeleton", move || {
        atlas::import::skeleton(&text, "fuzz.txt")
    });
    if out.len() > 64 * len + 16_384 {
        return Err(format!(
            "skeleton of {len} bytes is {} bytes long",
            out.len()
        ));
    }
    atlas::content::parse_str::<MeasureFile>(Path::new("fuzz.toml"), &out)
        .map_err(|d| format!("skeleton does not parse as a measure: {d}\n{out}"))?;
    Ok(())
}

#[test]
fn import_skeleton_always_parses() {
    run("import_skeleton", config(192), hostile_text(40), |text| {
        check_skeleton(text).map_err(TestCaseError::fail)
    });
}

/// Lines of the real sources, shuffled and cut: realistic structure, broken order.
#[test]
fn import_skeleton_on_mangled_sources() {
    let lines: Vec<String> = corpus()
        .sources
        .values()
        .flat_map(|b| {
            String::from_utf8_lossy(b)
                .lines()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    let strategy = prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(lines),
            1 => hostile_text(4),
        ],
        0..80,
    );
    run("import_mangled_sources", config(64), strategy, |ls| {
        check_skeleton(ls.join("\n")).map_err(TestCaseError::fail)
    });
}

// ---------------------------------------------------------------- 3. references and markup

/// Removes the markup the pages' writer may add, checking that nothing else is markup, and
/// unescapes the rest: the result must be the input text.
fn strip_known_markup(html: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = html;
    while let Some(p) = rest.find('<') {
        out.push_str(&rest[..p]);
        let tag_end = rest[p..]
            .find('>')
            .ok_or_else(|| format!("unclosed tag in {html}"))?;
        let tag = &rest[p..p + tag_end + 1];
        let known = tag == "</a>"
            || tag == "</span>"
            || tag.starts_with("<a class=\"xref\" href=\"#art-")
            || tag.starts_with("<a class=\"docno\" href=\"")
            || tag.starts_with("<span class=\"docno")
            || tag.starts_with("<span class=\"sic\" title=\"");
        if !known {
            return Err(format!("unexpected markup {tag} in {html}"));
        }
        // Attribute values are escaped: no quote, no angle bracket inside.
        let inner = &tag[1..tag.len() - 1];
        if inner.contains('<') {
            return Err(format!("unescaped '<' in a tag: {tag}"));
        }
        rest = &rest[p + tag_end + 1..];
    }
    out.push_str(rest);
    Ok(out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&"))
}

fn check_markup(text: String, sic: Vec<(String, String)>, title: String) -> Result<(), String> {
    let refs = atlas::address::refs::find_refs(&text);
    for r in &refs {
        if r.range.start > r.range.end
            || r.range.end > text.len()
            || !text.is_char_boundary(r.range.start)
            || !text.is_char_boundary(r.range.end)
        {
            return Err(format!("bad range {:?} in {text:?}", r.range));
        }
    }
    let anchors: BTreeSet<String> = (1..40)
        .flat_map(|a| {
            let mut v = vec![format!("art-{a}")];
            v.extend((1..6).map(|k| format!("art-{a}-{k}")));
            v
        })
        .collect();
    let mut docs = BTreeMap::new();
    docs.insert(
        "云科规〔2025〕12号".to_string(),
        ("yunnan-ijl-2025".to_string(), title.clone()),
    );
    docs.insert("教技〔2014〕3号".to_string(), ("other".to_string(), title));
    let sic: Vec<(String, String, String)> =
        sic.into_iter().map(|(q, n)| (q, n.clone(), n)).collect();
    let cx = Context {
        anchors: &anchors,
        doc_numbers: &docs,
        this_measure: "yunnan-ijl-2025",
        sic: &sic,
    };
    let marked = mark(&text, &cx);
    if marked.text != text {
        return Err(format!("marking changed the text: {text:?}"));
    }
    let html = atlas::render::marked_html(&marked, "<script>t", "\"m");
    if html.len() > 8 * text.len() + 400 * (refs.len() + sic.len()) + 64 {
        return Err(format!(
            "{} bytes of HTML for {} bytes of text",
            html.len(),
            text.len()
        ));
    }
    let lower = html.to_lowercase();
    for bad in [
        "<script",
        "<img",
        "<svg",
        "</textarea",
        "<a href=\"javascript",
    ] {
        if lower.contains(bad) {
            return Err(format!("{bad} in {html}"));
        }
    }
    let back = strip_known_markup(&html)?;
    if back != text {
        return Err(format!(
            "the text changed:\n in:  {text:?}\n out: {back:?}\n html: {html}"
        ));
    }
    Ok(())
}

#[test]
fn references_and_markup_are_safe_and_lossless() {
    let strategy = (
        hostile_text(30),
        prop::collection::vec((hostile_text(3), hostile_text(3)), 0..3),
        hostile_text(3),
    );
    run(
        "refs_and_markup",
        config(384),
        strategy,
        |(text, sic, title)| {
            within("marked_html", move || check_markup(text, sic, title))
                .map_err(TestCaseError::fail)
        },
    );
}

/// Every tag in a sanitised note is one of the allowed inline tags, with no event handler and
/// no link but http(s).
fn check_note(md: &str) -> Result<(), String> {
    let m = md.to_string();
    let out = within("note_html", move || atlas::render::note_html(&m));
    let mut rest = out.as_str();
    while let Some(p) = rest.find('<') {
        let end = rest[p..]
            .find('>')
            .ok_or_else(|| format!("unclosed tag in {out}"))?;
        let tag = rest[p + 1..p + end].to_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if !["em", "strong", "code", "a", "br", "p", "del"].contains(&name.as_str()) {
            return Err(format!("tag <{tag}> in {out}"));
        }
        let attrs = &tag[name.len()..];
        if attrs.contains(" on") || attrs.contains("javascript:") || attrs.contains("style") {
            return Err(format!("attribute in <{tag}> in {out}"));
        }
        if let Some(h) = attrs.split("href=\"").nth(1) {
            // Relative links are harmless; a link with a scheme must be http(s).
            let target = h.split('"').next().unwrap_or_default();
            let scheme = target.split_once(':').map(|(s, _)| s);
            if scheme.is_some_and(|s| !s.contains('/') && s != "http" && s != "https") {
                return Err(format!("link <{tag}> in {out}"));
            }
        }
        rest = &rest[p + end + 1..];
    }
    Ok(())
}

#[test]
fn notes_are_sanitised() {
    run("notes", config(256), hostile_text(20), |md| {
        check_note(&md).map_err(TestCaseError::fail)
    });
}

// ---------------------------------------------------------------- 4. search tokenizer

fn check_tokens(text: &str) -> Result<(), String> {
    let units: usize = text.chars().map(char::len_utf16).sum();
    let t = text.to_string();
    let toks = within("tokenize", move || atlas::search::tokenizer::tokenize(&t));
    if toks.len() > units {
        return Err(format!("{} tokens from {units} code units", toks.len()));
    }
    let mut last = 0;
    for tk in &toks {
        if tk.text.is_empty() || tk.start >= tk.end || tk.end > units {
            return Err(format!("bad token {tk:?} in {text:?}"));
        }
        if tk.start < last.min(tk.start) {
            return Err(format!("tokens out of order in {text:?}"));
        }
        last = tk.start;
        if tk
            .text
            .chars()
            .any(|c| c.is_ascii_uppercase() || c.is_whitespace())
        {
            return Err(format!("token not folded: {tk:?}"));
        }
    }
    Ok(())
}

#[test]
fn tokenizer_is_total_and_spans_are_sound() {
    run(
        "tokenizer",
        config(512),
        prop_oneof![hostile_text(40), "\\PC{0,300}", any::<String>()],
        |text| check_tokens(&text).map_err(TestCaseError::fail),
    );
}

// ---------------------------------------------------------------- 5. calculators

/// Words that are the ids of enum values somewhere in the content, plus junk.
fn enum_words() -> Vec<String> {
    let mut words = BTreeSet::new();
    for l in &corpus().measures {
        for line in l.text().lines() {
            if let Some(v) = line.strip_prefix("id = \"") {
                words.insert(v.trim_end_matches('"').to_string());
            }
        }
    }
    for k in 0..calculators().defs.len() {
        for i in inputs(k) {
            words.extend(i.values.iter().cloned());
            for f in &i.fields {
                words.extend(f.values.iter().cloned());
            }
        }
    }
    words.extend(["".into(), "pass".into(), "fail".into(), "excellent".into()]);
    words.into_iter().collect()
}

/// A JSON value built from a seed: arbitrary shapes, huge numbers, long strings, deep nesting.
fn hostile_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        Just(json!(1e308)),
        Just(json!(-1e308)),
        Just(json!(5e-324)),
        hostile_text(4).prop_map(Value::String),
        prop::sample::select(vec![
            "2500000",
            "-5",
            "1e30",
            "1e400",
            "10^30",
            "0.001",
            "833333.333",
            "250万",
            "NaN",
            "Infinity",
            "-0",
            "0x10",
            "١٢٣",
            "２５００",
            "2023-03-15",
            "2026-02-30",
            "9999-12-31",
            "0000-01-01",
            "-2023-01-01",
            "2023-3-5",
            "true",
            "null",
            "[]",
            "{}",
        ])
        .prop_map(|s| Value::String(s.to_string())),
        (1usize..5000).prop_map(|n| Value::String("9".repeat(n))),
        (1usize..20000).prop_map(|n| Value::String("长".repeat(n))),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{0,12}", inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// One input of a calculator, read from its definition as JSON (the tests depend on the
/// public JSON shape of `atlas calc list`, not on the engine's types).
#[derive(Debug, Clone)]
struct Input {
    name: String,
    kind: String,
    values: Vec<String>,
    fields: Vec<Input>,
}

impl Input {
    fn from_json(v: &Value) -> Input {
        Input {
            name: v["name"].as_str().unwrap_or_default().to_string(),
            kind: v["type"].as_str().unwrap_or_default().to_string(),
            values: v["values"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|c| c["id"].as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            fields: v["fields"]
                .as_array()
                .map(|a| a.iter().map(Input::from_json).collect())
                .unwrap_or_default(),
        }
    }
}

/// The inputs of calculator `index`.
fn inputs(index: usize) -> Vec<Input> {
    let def = &calculators().defs[index].def;
    def.inputs
        .iter()
        .map(|i| Input::from_json(&serde_json::to_value(i).expect("input serialises")))
        .collect()
}

/// What to put in one input: a plausible value of its type (chosen by `r`), a hostile value, or
/// nothing.
#[derive(Debug, Clone)]
struct Pick {
    how: u8,
    r: u64,
    hostile: Value,
}

fn pick() -> impl Strategy<Value = Pick> {
    (0u8..10, any::<u64>(), hostile_json()).prop_map(|(how, r, hostile)| Pick { how, r, hostile })
}

fn plausible(def: &Input, r: u64, words: &[String]) -> Value {
    let w = |k: u64| Value::String(words[(k as usize) % words.len()].clone());
    let pick_str = |opts: &[&str]| Value::String(opts[(r as usize) % opts.len()].to_string());
    match def.kind.as_str() {
        "money" => pick_str(&[
            "2500000",
            "0",
            "0.01",
            "833333.33",
            "-5",
            "1e30",
            "1000000000000000000000000000000",
            "79228162514264337593543950335",
            "79228162514264337593543950336",
            "3.999",
            "250万",
            "",
            " 100 ",
            "1,000",
        ]),
        "date" => {
            let y = (r % 10_000) as i64 - if r.is_multiple_of(13) { 10_000 } else { 0 };
            let m = (r >> 16) % 14;
            let d = (r >> 24) % 33;
            if r.is_multiple_of(3) {
                pick_str(&[
                    "2023-03-15",
                    "2026-02-28",
                    "2024-02-29",
                    "2019-01-01",
                    "2026-12-31",
                    "2027-01-01",
                ])
            } else {
                Value::String(format!("{y:04}-{m:02}-{d:02}"))
            }
        }
        "int" => match r % 6 {
            0 => json!(r % 50),
            1 => json!(u64::MAX),
            2 => json!(-1),
            3 => json!(1e20),
            4 => json!(r),
            _ => json!((r % 50).to_string()),
        },
        "bool" => match r % 3 {
            0 => json!(true),
            1 => json!(false),
            _ => json!("true"),
        },
        "percent" => pick_str(&[
            "3.5",
            "0",
            "100",
            "100.00001",
            "-0",
            "1e-9",
            "25",
            "33.3333",
            "33.33333",
        ]),
        "enum" => {
            if def.values.is_empty() || r.is_multiple_of(4) {
                w(r)
            } else {
                Value::String(def.values[(r as usize / 4) % def.values.len()].clone())
            }
        }
        "enum-list" => {
            let n = (r % 7) as usize;
            Value::Array(
                (0..n)
                    .map(|k| {
                        if def.values.is_empty() || (r >> k).is_multiple_of(3) {
                            w(r.rotate_left(k as u32 * 7))
                        } else {
                            Value::String(def.values[(r as usize + k) % def.values.len()].clone())
                        }
                    })
                    .collect(),
            )
        }
        _ => {
            let n = (r % 5) as usize;
            Value::Array(
                (0..n)
                    .map(|k| {
                        let mut o = serde_json::Map::new();
                        for (j, f) in def.fields.iter().enumerate() {
                            let rr = r.rotate_left((k * 11 + j * 5) as u32);
                            if !rr.is_multiple_of(9) {
                                o.insert(f.name.clone(), plausible(f, rr, words));
                            }
                        }
                        Value::Object(o)
                    })
                    .collect(),
            )
        }
    }
}

fn run_calc(index: usize, input: String) -> Result<(), String> {
    let calcs = calculators();
    let id = calcs.defs[index].def.id.clone();
    let out = within("calculator", move || {
        calculators()
            .run(&id, &input)
            .map(|o| serde_json::to_string(&o).unwrap_or_default())
            .map_err(|e| (e.field, e.message, e.message_zh))
    });
    match out {
        Ok(json) => {
            if json.is_empty() {
                return Err("output does not serialise".into());
            }
            Ok(())
        }
        Err((_field, message, message_zh)) => {
            if message.trim().is_empty() || message_zh.trim().is_empty() {
                return Err("an error without a message".into());
            }
            Ok(())
        }
    }
}

#[test]
fn calculators_take_any_json() {
    let n = calculators().defs.len();
    assert!(n >= 10, "the calculators are defined");
    let words = enum_words();
    let strategy = (
        0..n,
        prop::collection::vec(pick(), 12),
        prop::option::of(("[a-z_]{1,10}", hostile_json())),
    );
    run("calculators", config(128), strategy, |(i, picks, extra)| {
        let mut obj = serde_json::Map::new();
        for (inp, p) in inputs(i).iter().zip(picks.iter().cycle()) {
            match p.how {
                0 => {}
                1 | 2 => {
                    obj.insert(inp.name.clone(), p.hostile.clone());
                }
                _ => {
                    obj.insert(inp.name.clone(), plausible(inp, p.r, &words));
                }
            }
        }
        if let Some((k, v)) = extra {
            obj.insert(k, v);
        }
        run_calc(i, Value::Object(obj).to_string()).map_err(TestCaseError::fail)
    });
}

#[test]
fn calculators_take_any_text() {
    let n = calculators().defs.len();
    let strategy = (
        0..n,
        prop_oneof![
            hostile_json().prop_map(|v| v.to_string()),
            "\\PC{0,200}",
            hostile_text(10),
        ],
    );
    run("calculators_text", config(128), strategy, |(i, text)| {
        run_calc(i, text).map_err(TestCaseError::fail)
    });
}

// ---------------------------------------------------------------- regressions

/// Every file in `tests/fixtures/regressions/*.json` is `{"target": …, "input": …}`: an input
/// that once failed (or an extreme kept on purpose), replayed through the same checks.
#[test]
fn regressions_replay() {
    let dir = repo().join("tests/fixtures/regressions");
    let mut n = 0;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    entries.sort();
    for p in entries {
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let target = case["target"].as_str().unwrap_or_default();
        let input = expand(&case["input"]);
        let r: Result<(), String> = match target {
            "skeleton" => check_skeleton(input.as_str().unwrap().to_string()),
            "markup" => check_markup(
                input.as_str().unwrap().to_string(),
                Vec::new(),
                "标题".into(),
            ),
            "tokenizer" => check_tokens(input.as_str().unwrap()),
            "note" => check_note(input.as_str().unwrap()),
            "calculator" => {
                let id = case["calculator"].as_str().unwrap();
                let i = calculators()
                    .defs
                    .iter()
                    .position(|d| d.def.id == id)
                    .unwrap_or_else(|| panic!("{}: no calculator {id}", p.display()));
                let text = match &input {
                    Value::String(s) => s.clone(),
                    v => v.to_string(),
                };
                run_calc(i, text)
            }
            "measure" => {
                let m = case["measure"].as_str().unwrap();
                let i = corpus()
                    .measures
                    .iter()
                    .position(|l| l.value.id.get_ref() == m)
                    .unwrap();
                let text = input.as_str().unwrap().to_string();
                let expect_error = case["expect_error"].as_bool().unwrap_or(false);
                let r = within("load + check", move || load_and_check(i, text));
                if expect_error && r == Some(false) {
                    Err("passed atlas check".into())
                } else {
                    Ok(())
                }
            }
            other => panic!("{}: unknown target '{other}'", p.display()),
        };
        if let Err(e) = r {
            panic!("{}: {e}", p.display());
        }
        n += 1;
    }
    assert!(n > 0, "no regression cases in {}", dir.display());
    eprintln!("regressions: {n} cases replayed");
}

/// Inputs too large to keep literally are written as `{"repeat": S, "times": N}` (S repeated N
/// times) or `{"concat": [ … ]}` of such parts.
fn expand(v: &Value) -> Value {
    match v {
        Value::Object(o) if o.contains_key("repeat") => Value::String(
            o["repeat"]
                .as_str()
                .unwrap()
                .repeat(o["times"].as_u64().unwrap() as usize),
        ),
        Value::Object(o) if o.contains_key("concat") => Value::String(
            o["concat"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| expand(p).as_str().unwrap().to_string())
                .collect(),
        ),
        other => other.clone(),
    }
}
