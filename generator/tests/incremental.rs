//! Rendering only what changed (`atlas serve`): after an edit, the pages rendered again are
//! exactly the pages whose bytes differ between two full builds, and they come out the same
//! as in a full build.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use atlas::render::{Files, Memory, Theme};

mod common;

const AS_OF: &str = "2026-11-21";

fn model(content: &Path) -> atlas::model::Site {
    let (corpus, mut report) = atlas::content::load(content);
    let _ = atlas::site::check_loaded(&corpus, &mut report);
    assert!(!report.has_errors(), "{:?}", report.items);
    let date = time::Date::parse(
        AS_OF,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .unwrap();
    atlas::site::model(&corpus, date)
}

fn pages(site: &atlas::model::Site, theme: &Theme, cat: &atlas::render::i18n::Catalogue) -> Files {
    let m = Memory::default();
    atlas::render::render_pages_all(site, theme, cat, &m, None).expect("render");
    m.into_files()
}

/// Edits `file` under a copy of the real content with `edit`, and checks what is re-rendered.
/// With `exact`, nothing may be re-rendered that did not change (else re-rendering more than
/// needed, e.g. both editions' lists after an English title edit, is allowed).
fn check_edit(file: &str, edit: impl Fn(&str) -> String, expect_at_least: &[&str], exact: bool) {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_dir(&common::repo().join("content"), &content);
    let theme_dir = common::repo().join("themes/default");
    let theme = Theme::load(&theme_dir).unwrap();
    let mut report = atlas::diagnostics::Report::default();
    let cat = atlas::render::i18n::load(&theme_dir, &mut report).unwrap();

    let before = model(&content);
    let path = content.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit must change {file}");
    std::fs::write(&path, edited).unwrap();
    let after = model(&content);

    let (full_before, full_after) = (pages(&before, &theme, &cat), pages(&after, &theme, &cat));
    let differing: BTreeSet<PathBuf> = full_after
        .iter()
        .filter(|(p, b)| full_before.get(*p) != Some(*b))
        .map(|(p, _)| p.clone())
        .collect();

    let m = Memory::default();
    let rendered: BTreeSet<PathBuf> =
        atlas::render::render_changed(&after, &before, &theme, &cat, &m)
            .unwrap()
            .into_iter()
            .collect();
    let out = m.into_files();
    // Nothing that changed is missed …
    for p in &differing {
        assert!(
            rendered.contains(p),
            "{file}: {} changed but was not re-rendered",
            p.display()
        );
    }
    for p in expect_at_least {
        assert!(
            rendered.contains(Path::new(p)),
            "{file}: {p} not re-rendered"
        );
    }
    // … what is re-rendered equals a full build …
    for p in &rendered {
        assert_eq!(out.get(p), full_after.get(p), "{}", p.display());
    }
    // … and little else is rendered: at most the pages showing the edited data.
    let needless: Vec<_> = rendered.difference(&differing).collect();
    assert!(
        !exact || needless.is_empty(),
        "{file}: re-rendered without change: {needless:?}"
    );
}

#[test]
fn an_english_summary_edit_re_renders_only_that_measures_pages() {
    check_edit(
        "measures/yunnan-ijl-2025.toml",
        |t| t.replacen("summary_en = \"", "summary_en = \"Edited. ", 1),
        &[
            "measures/yunnan-ijl-2025.html",
            "en/measures/yunnan-ijl-2025.html",
        ],
        true,
    );
}

#[test]
fn a_title_edit_re_renders_the_lists_that_show_it() {
    check_edit(
        "measures/yunnan-ijl-2025.toml",
        |t| t.replacen("short_title_en = \"", "short_title_en = \"Edited ", 1),
        &[
            "en/index.html",
            "en/compare/index.html",
            "en/measures/yunnan-ijl-2025.html",
        ],
        false,
    );
}

/// `atlas serve` reads the content again on every change but parses only the files that
/// changed: the others are taken from the last load (their text is the very same allocation),
/// and the corpus equals a fresh load.
#[test]
fn reloading_parses_only_the_files_that_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_dir(&common::repo().join("content"), &content);
    // As `atlas serve` loads: keeping the texts, for the next load to compare.
    let (first, report) = atlas::content::load_reusing(&content, Default::default());
    assert!(!report.has_errors(), "{:?}", report.items);
    let before: Vec<(PathBuf, usize)> = first
        .measures
        .iter()
        .map(|l| (l.path.clone(), l.text().as_ptr() as usize))
        .collect();
    let edited = content.join("measures/yunnan-ijl-2025.toml");
    let text = std::fs::read_to_string(&edited).unwrap();
    let changed = text.replacen("summary_en = \"", "summary_en = \"EDITED. ", 1);
    assert_ne!(changed, text);
    std::fs::write(&edited, &changed).unwrap();

    let (again, report) = atlas::content::load_reusing(&content, first);
    assert!(!report.has_errors(), "{:?}", report.items);
    let (fresh, _) = atlas::content::load(&content);
    assert_eq!(again.measures.len(), before.len());
    for ((l, (path, ptr)), f) in again.measures.iter().zip(&before).zip(&fresh.measures) {
        assert_eq!(&l.path, path);
        assert_eq!(l.text(), f.text());
        assert_eq!(format!("{:?}", l.value), format!("{:?}", f.value));
        let reused = l.text().as_ptr() as usize == *ptr;
        assert_eq!(
            reused,
            *path != edited,
            "{}: reused {reused}",
            path.display()
        );
    }
    assert!(again.measures.iter().any(|l| l.text().contains("EDITED. ")));
    assert_eq!(again.sources, fresh.sources);

    // A change that keeps the size and puts the modification time back (as `cp -p` or an
    // archive would) is still seen: the status-change time moved.
    let before = std::fs::metadata(&edited).unwrap().modified().unwrap();
    let same_size = changed.replacen("EDITED. ", "edited. ", 1);
    assert_eq!(same_size.len(), changed.len());
    std::fs::write(&edited, &same_size).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&edited)
        .unwrap()
        .set_modified(before)
        .unwrap();
    let (third, report) = atlas::content::load_reusing(&content, again);
    assert!(!report.has_errors(), "{:?}", report.items);
    assert!(third.measures.iter().any(|l| l.text().contains("edited. ")));
    assert!(!third.measures.iter().any(|l| l.text().contains("EDITED. ")));
}

/// Checking with the serve cache gives exactly the findings of a plain check, through a
/// sequence of edits: a mistake, its fix saved while another file fails to parse (a load that
/// is not checked), and more edits.
#[test]
fn checking_with_the_cache_finds_what_a_full_check_finds() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_dir(&common::repo().join("content"), &content);
    let yunnan = content.join("measures/yunnan-ijl-2025.toml");
    let other = content.join("measures/zhejiang-ijl-2026.toml");
    let good = std::fs::read_to_string(&yunnan).unwrap();
    let other_good = std::fs::read_to_string(&other).unwrap();
    // Article text that is not the source's: a verbatim error.
    let first_text = good.find("\ntext = \"").expect("an article text") + "\ntext = \"".len();
    let wrong = format!("{}甲{}", &good[..first_text], &good[first_text..]);
    let other_broken = other_good.replacen("short_title = ", "short_title = = ", 1);
    let summary = good.replacen("summary_en = \"", "summary_en = \"Edited. ", 1);

    let mut cache = atlas::validate::Cache::default();
    let mut corpus = atlas::content::Corpus::default();
    let steps: [(&str, &str, bool); 6] = [
        (&good, &other_good, false),
        (&wrong, &other_good, true),
        // The fix is saved while the other file is broken: not checked.
        (&good, &other_broken, true),
        (&good, &other_good, false),
        (&summary, &other_good, false),
        (&wrong, &other_good, true),
    ];
    for (step, (text, other_text, errors)) in steps.into_iter().enumerate() {
        for (p, t) in [(&yunnan, text), (&other, other_text)] {
            if std::fs::read_to_string(p).unwrap() != t {
                std::fs::write(p, t).unwrap();
            }
        }
        let (now, loaded) = atlas::content::load_reusing(&content, corpus);
        corpus = now;
        cache.forget_fresh(&corpus);
        if loaded.has_errors() {
            assert_eq!(step, 2, "only the broken file fails to parse");
            continue;
        }
        let mut cached = loaded.clone();
        atlas::validate::check_with(&corpus, &mut cached, &mut cache);
        let (plain_corpus, mut plain) = atlas::content::load(&content);
        atlas::validate::check(&plain_corpus, &mut plain);
        let show = |r: &atlas::diagnostics::Report| {
            r.items.iter().map(|d| d.to_string()).collect::<Vec<_>>()
        };
        assert_eq!(show(&cached), show(&plain), "step {step}");
        assert_eq!(
            cached.has_errors(),
            errors,
            "step {step}: {:?}",
            show(&cached)
        );
    }
}

/// A model built with the serve memo equals a full build through a sequence of edits that
/// reach other measures in every way one measure can (a relation, a calculator, the topic
/// names, a short title seen through 文号 links, a source copy, the status date), and it takes
/// the measures an edit does not reach from the last build rather than resolving them again.
#[test]
fn modelling_with_the_memo_builds_what_a_full_build_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_dir(&common::repo().join("content"), &content);
    let date = |s: &str| {
        time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).unwrap()
    };
    let edit = |file: &str, from: &str, to: &str| {
        let path = content.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let edited = text.replacen(from, to, 1);
        assert_ne!(edited, text, "{file}: '{from}' not found");
        std::fs::write(&path, edited).unwrap();
    };
    type Edit<'a> = (&'a str, &'a str, &'a str, &'a str);
    // (file, from, to, status date); each edit's expected reach is checked below.
    let steps: [Edit; 9] = [
        (
            "measures/yunnan-ijl-2025.toml",
            "summary_en = \"",
            "summary_en = \"Edited. ",
            AS_OF,
        ),
        (
            "measures/kunming-bases-2020.toml",
            "target_en = \"Yunnan provincial",
            "target_en = \"Edited: Yunnan provincial",
            AS_OF,
        ),
        (
            "calculators.toml",
            "title = \"已获认定与重复支持的限制\"",
            "title = \"已获认定与重复支持的限制（改）\"",
            AS_OF,
        ),
        (
            "topics.toml",
            "zh = \"载体类型与分类\"",
            "zh = \"载体类型与分类（改）\"",
            AS_OF,
        ),
        (
            "measures/national-bases-2019.toml",
            "short_title = \"国家国际科技合作基地\"",
            "short_title = \"国家国际科技合作基地（改）\"",
            AS_OF,
        ),
        ("sources/002_957a700021daa88e.txt", "。", "。 ", AS_OF),
        (
            "measures/moe-ijl-2022.toml",
            "summary_en = \"",
            "summary_en = \"Edited. ",
            "2019-01-01",
        ),
        (
            "measures/moe-ijl-2022.toml",
            "summary_en = \"",
            "summary_en = \"Again. ",
            "2019-01-01",
        ),
        (
            "topics.toml",
            "zh = \"申报资格\"",
            "zh = \"申报资格（改）\"",
            "2019-01-01",
        ),
    ];
    let mut memo = atlas::model::Memo::default();
    let (mut corpus, report) = atlas::content::load(&content);
    assert!(!report.has_errors(), "{:?}", report.items);
    let mut last = atlas::model::build_reusing(
        &corpus,
        calcs(&corpus).as_ref(),
        &atlas::site::built_in_words(),
        date(AS_OF),
        &mut memo,
    );
    assert_eq!(last, atlas::site::model(&corpus, date(AS_OF)));
    for (step, (file, from, to, as_of)) in steps.into_iter().enumerate() {
        edit(file, from, to);
        let (now, report) = atlas::content::load_reusing(&content, corpus);
        assert!(!report.has_errors(), "step {step}: {:?}", report.items);
        corpus = now;
        let site = atlas::model::build_reusing(
            &corpus,
            calcs(&corpus).as_ref(),
            &atlas::site::built_in_words(),
            date(as_of),
            &mut memo,
        );
        let (plain, _) = atlas::content::load(&content);
        assert_eq!(site, atlas::site::model(&plain, date(as_of)), "step {step}");
        let kept: Vec<&str> = site
            .measures
            .iter()
            .filter(|m| last.measures.iter().any(|o| std::sync::Arc::ptr_eq(o, m)))
            .map(|m| m.id.as_str())
            .collect();
        let expected: &[&str] = match step {
            // Only the edited measure is resolved again.
            0 => &[
                "kunming-bases-2020",
                "moe-ijl-2022",
                "national-bases-2019",
                "zhejiang-ijl-2026",
            ],
            // Kunming's relation is shown on Yunnan's page too.
            1 => &["moe-ijl-2022", "national-bases-2019", "zhejiang-ijl-2026"],
            // The calculator's title is a backlink on the articles whose facts it applies: the
            // non-duplication rules of every measure but the national one.
            2 => &["national-bases-2019"],
            // Topic names (in backlinks), short titles (in 文号 links) and the status date are
            // taken to reach every measure.
            3 | 4 | 6 => &[],
            // A source copy reaches the measure that cites it; a summary, its own measure.
            5 | 7 => &[
                "kunming-bases-2020",
                "national-bases-2019",
                "yunnan-ijl-2025",
                "zhejiang-ijl-2026",
            ],
            // A group's name is on no measure page.
            _ => &[
                "kunming-bases-2020",
                "moe-ijl-2022",
                "national-bases-2019",
                "yunnan-ijl-2025",
                "zhejiang-ijl-2026",
            ],
        };
        let mut kept_sorted = kept.clone();
        kept_sorted.sort();
        assert_eq!(
            kept_sorted, expected,
            "step {step}: measures taken from the last build"
        );
        last = site;
    }
}

/// `atlas build`'s load lets go of each measure's text and `atlas serve`'s keeps it. A
/// diagnostic on a let-go text is placed exactly as with the text kept (the file is read
/// again), and a text read again after the file changed is never taken for the parsed one:
/// the next reload parses the file anew.
#[test]
fn a_text_let_go_is_read_again_and_never_reused() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_dir(&common::repo().join("content"), &content);
    let file = content.join("measures/moe-ijl-2022.toml");
    let original = std::fs::read_to_string(&file).unwrap();
    let edited = original.replacen("topic = \"carrier-types\"", "topic = \"no-such-topic\"", 1);
    assert_ne!(edited, original);
    std::fs::write(&file, &edited).unwrap();
    // Where the error must be reported: the edited line, counted here on its own; the value
    // starts at column 9, after `topic = `.
    let line = 1 + edited
        .lines()
        .position(|l| l == "topic = \"no-such-topic\"")
        .unwrap();

    let (plain, report) = atlas::content::load(&content);
    assert!(!report.has_errors(), "{:?}", report.items);
    let (kept, _) = atlas::content::load_reusing(&content, Default::default());
    let findings = |corpus| {
        let mut r = atlas::diagnostics::Report::default();
        let _ = atlas::site::check_loaded(corpus, &mut r);
        r.sort();
        r.items
    };
    let from_plain = findings(&plain);
    assert_eq!(format!("{from_plain:?}"), format!("{:?}", findings(&kept)));
    let d = from_plain
        .iter()
        .find(|d| d.message.contains("unknown topic 'no-such-topic'"))
        .unwrap_or_else(|| panic!("{from_plain:?}"));
    assert!(d.file.ends_with("moe-ijl-2022.toml"), "{d}");
    assert_eq!((d.line, d.col), (line, 9), "{d}");

    // The mistake is fixed after a plain load: its text, let go, is read as the file is now;
    // the kept one is the text that was parsed.
    let (before_fix, _) = atlas::content::load(&content);
    std::fs::write(&file, &original).unwrap();
    let measure = |c: &atlas::content::Corpus| c.measures.iter().find(|l| l.path == file).cloned();
    assert_eq!(measure(&before_fix).unwrap().text(), original);
    assert_eq!(measure(&kept).unwrap().text(), edited);
    // Reloading from that corpus parses the file again rather than keep the parse of the
    // mistake because the text read afterwards matches.
    let (fixed, report) = atlas::content::load_reusing(&content, before_fix);
    assert!(!report.has_errors(), "{:?}", report.items);
    let topics: Vec<String> = measure(&fixed)
        .unwrap()
        .value
        .facts
        .iter()
        .map(|f| f.topic.get_ref().clone())
        .collect();
    assert!(topics.iter().any(|t| t == "carrier-types"), "{topics:?}");
    assert!(!topics.iter().any(|t| t == "no-such-topic"), "{topics:?}");
}

/// The calculators of `corpus`.
fn calcs(corpus: &atlas::content::Corpus) -> Option<atlas::calc::Calculators> {
    atlas::calc::collect(
        corpus,
        &atlas::site::built_in_calc_words(),
        &mut atlas::diagnostics::Report::default(),
    )
}
