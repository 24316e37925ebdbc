//! Ids and slugs can never write outside the output directory. Every id that becomes a file
//! name — measure, fact, topic and calculator — is a safe slug; `atlas check` rejects `../x`,
//! absolute paths, Windows device names, Unicode look-alikes and empty ids with a positioned,
//! clear message, and the writer refuses any path that would leave the site even if one got
//! through.

use std::path::{Path, PathBuf};

use atlas::content::is_safe_id;
use atlas::content::{Corpus, Loaded, MeasureFile, TopicsFile};
use atlas::diagnostics::Report;

/// Ids that must never become a file name.
const BAD: &[&str] = &[
    "",
    "../x",
    "..",
    ".",
    "../../etc/passwd",
    "/etc/passwd",
    "/tmp/x",
    "C:\\x",
    "c:",
    "a/b",
    "a\\b",
    "x.html",
    "con",
    "CON",
    "nul",
    "aux",
    "prn",
    "com1",
    "com9",
    "lpt1",
    "lpt9",
    "com0",
    "ｙｕｎｎａｎ-ijl-2025",   // fullwidth letters
    "yunnаn-ijl-2025",         // Cyrillic а
    "уunnan-ijl-2025",         // Cyrillic у
    "yunnan\u{200b}-ijl-2025", // zero-width space
    "yunnan-ijl-2025\u{0}",    // NUL
    "yunnan ijl",
    "Yunnan-IJL-2025",
    "-x",
    "x-",
    "x\n",
    "%2e%2e",
];

#[test]
fn unsafe_ids_are_not_slugs() {
    for id in BAD {
        assert!(!is_safe_id(id), "{id:?} passes is_safe_id");
    }
    for ok in [
        "yunnan-ijl-2025",
        "a",
        "x1",
        "con1",
        "console",
        "nul-x",
        "com10",
    ] {
        assert!(is_safe_id(ok), "{ok:?} is a fine slug");
    }
    assert!(!is_safe_id(&"a".repeat(81)), "overlong ids are rejected");
}

fn corpus() -> Corpus {
    let (c, r) = atlas::content::load(&atlas_tests::repo().join("content"));
    assert!(!r.has_errors());
    c
}

/// Errors of `atlas check` on `c`, as printed.
fn errors(c: &Corpus) -> Vec<String> {
    let mut r = Report::default();
    let _ = atlas::site::check_loaded(c, &mut r);
    r.items
        .iter()
        .map(ToString::to_string)
        .filter(|s| s.contains("error"))
        .collect()
}

/// Replaces the first `key = "…"` line starting with `prefix` in measure `index`.
fn with_measure_line(c: &Corpus, file: &str, from: &str, to: &str) -> Corpus {
    let mut c = c.clone();
    let i = c
        .measures
        .iter()
        .position(|l| l.path.ends_with(file))
        .unwrap();
    let text = c.measures[i].text().replacen(from, to, 1);
    assert_ne!(text, c.measures[i].text(), "{from} is in {file}");
    let path = c.measures[i].path.clone();
    let value = atlas::content::parse_str::<MeasureFile>(&path, &text)
        .unwrap_or_else(|d| panic!("still parses: {d}"));
    c.measures[i] = Loaded::new(path, text, value);
    c
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The ids tried through the whole of `atlas check` (one of each sort; all of [`BAD`] go
/// through [`is_safe_id`] above).
const SAMPLE: &[&str] = &[
    "",
    "../x",
    "/etc/passwd",
    "a\\b",
    "con",
    "com9",
    "lpt1",
    "ｙｕｎｎａｎ-ijl-2025",
    "yunnаn-ijl-2025",
    "x.html",
];

/// Checks each bad id in parallel: `atlas check` must name it and say it is not a safe slug.
fn each_bad_id(kind: &str, make: impl Fn(&str) -> Corpus + Sync) {
    std::thread::scope(|s| {
        let handles: Vec<_> = SAMPLE
            .iter()
            .map(|id| {
                let make = &make;
                s.spawn(move || {
                    let errs = errors(&make(id));
                    let said = errs
                        .iter()
                        .any(|e| e.contains("not a safe slug") || e.contains("safe"));
                    (id, said, errs)
                })
            })
            .collect();
        for h in handles {
            let (id, said, errs) = h.join().expect("check does not panic");
            assert!(
                said,
                "{kind} id {id:?}: no 'not a safe slug' error; got:\n{}",
                errs.join("\n")
            );
        }
    });
}

#[test]
fn measure_ids() {
    let c = corpus();
    each_bad_id("measure", |id| {
        with_measure_line(
            &c,
            "moe-ijl-2022.toml",
            "id = \"moe-ijl-2022\"",
            &format!("id = {}", toml_str(id)),
        )
    });
    // The message is positioned and says what to do.
    let errs = errors(&with_measure_line(
        &c,
        "moe-ijl-2022.toml",
        "id = \"moe-ijl-2022\"",
        "id = \"../x\"",
    ));
    let e = errs.iter().find(|e| e.contains("../x")).unwrap();
    assert!(e.contains("moe-ijl-2022.toml:1:"), "{e}");
    assert!(e.contains("hint:") && e.contains("lower-case"), "{e}");
}

#[test]
fn fact_ids() {
    let c = corpus();
    let text = &c
        .measures
        .iter()
        .find(|l| l.path.ends_with("moe-ijl-2022.toml"))
        .unwrap()
        .text();
    let first = text
        .lines()
        .skip_while(|l| *l != "[[fact]]")
        .nth(1)
        .unwrap()
        .to_string();
    assert!(first.starts_with("id = "), "{first}");
    each_bad_id("fact", |id| {
        with_measure_line(
            &c,
            "moe-ijl-2022.toml",
            &first,
            &format!("id = {}", toml_str(id)),
        )
    });
}

#[test]
fn topic_ids() {
    let c = corpus();
    let t = c.topics.as_ref().unwrap();
    let first = t
        .text()
        .lines()
        .skip_while(|l| *l != "[[topic]]")
        .nth(1)
        .unwrap()
        .to_string();
    each_bad_id("topic", |id| {
        let mut c = c.clone();
        let t = c.topics.as_mut().unwrap();
        let text = t
            .text()
            .replacen(&first, &format!("id = {}", toml_str(id)), 1);
        let value = atlas::content::parse_str::<TopicsFile>(&t.path, &text).unwrap();
        *t = Loaded::new(t.path.clone(), text, value);
        c
    });
}

#[test]
fn calculator_ids() {
    let c = corpus();
    let l = c.calculators.as_ref().unwrap();
    let first = l
        .text()
        .lines()
        .find(|x| x.starts_with("id = "))
        .unwrap()
        .to_string();
    each_bad_id("calculator", |id| {
        let mut c = c.clone();
        let l = c.calculators.as_mut().unwrap();
        let text = l
            .text()
            .replacen(&first, &format!("id = {}", toml_str(id)), 1);
        let value =
            atlas::content::parse_str::<atlas::content::CalculatorsFile>(&l.path, &text).unwrap();
        *l = Loaded::new(l.path.clone(), text, value);
        c
    });
    // A calculator defined inside a measure file too.
    each_bad_id("calculator (in a measure)", |id| {
        with_measure_line(
            &c,
            "kunming-bases-2020.toml",
            "id = \"kunming-disbursement\"",
            &format!("id = {}", toml_str(id)),
        )
    });
}

/// Even a path that got past validation cannot leave the site: the writer refuses it and the
/// previous site stays.
#[test]
fn the_writer_refuses_paths_outside_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let mut ok = atlas::render::Files::new();
    ok.insert(PathBuf::from("index.html"), b"first".to_vec());
    atlas::output::write_site(&out, &ok).unwrap();
    for bad in [
        "../escaped.html",
        "/tmp/atlas-escaped.html",
        "a/../../escaped.html",
        "./x/../../e",
    ] {
        let mut files = ok.clone();
        files.insert(PathBuf::from(bad), b"bad".to_vec());
        let e = atlas::output::write_site(&out, &files).expect_err(bad);
        assert!(e.to_string().contains("outside the site"), "{bad}: {e}");
        assert!(!dir.path().join("escaped.html").exists());
        assert!(!Path::new("/tmp/atlas-escaped.html").exists());
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"first");
    }
    // Nothing but the site is left beside it.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["site".to_string()]);
}
