//! The English edition's summaries use the glossary's renderings, and only those.
//!
//! Reads `content/glossary.toml` and every `content/measures/*.toml` directly (independent of the
//! generator) and checks, for every article (and the MOE notice's sections):
//!
//! - it has a non-empty `summary_en`;
//! - for every glossary term whose Chinese occurs in the unit's verbatim text (heading, text and
//!   its clauses, items and paragraphs, at any depth), the summary contains the term's English
//!   rendering, case-insensitively — unless the term is marked `optional = true`;
//! - no summary contains any rendering the glossary lists under `avoid`;
//! - every summary is printable ASCII plus a few typographic characters, with no Chinese outside
//!   a quoted title 《…》.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde::Deserialize;
use toml::{Table, Value};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Glossary {
    term: Vec<Term>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Term {
    zh: String,
    en: String,
    #[serde(default)]
    avoid: Vec<String>,
    note_en: String,
    #[serde(default)]
    optional: bool,
    /// Search wordings (checked by `atlas check` and the search tests, not here).
    #[serde(default, rename = "search_zh")]
    _search_zh: Vec<String>,
    #[serde(default, rename = "search_en")]
    _search_en: Vec<String>,
}

/// Units (articles or sections) each measure must have; guards against the test silently
/// visiting nothing.
const EXPECTED_UNITS: &[(&str, usize)] = &[
    ("yunnan-ijl-2025", 30),
    ("zhejiang-ijl-2026", 33),
    ("kunming-bases-2020", 28),
    ("national-bases-2019", 23),
    ("moe-ijl-2022", 3),
];

/// Typographic characters allowed in summaries besides printable ASCII.
const TYPOGRAPHIC: &[char] = &['‘', '’', '“', '”', '–', '—', '…'];

fn repo() -> PathBuf {
    atlas_tests::repo()
}

fn glossary() -> Glossary {
    let path = repo().join("content/glossary.toml");
    let text = std::fs::read_to_string(&path).expect("content/glossary.toml");
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every measure file: (id from the file name, parsed table).
fn measures() -> Vec<(String, Table)> {
    let dir = repo().join("content/measures");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("content/measures")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let table: Table =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            (id, table)
        })
        .collect()
}

/// The verbatim strings of a unit: its heading and text, and those of its clauses, items and
/// paragraphs at any depth.
fn verbatim(unit: &Table, out: &mut Vec<String>) {
    for key in ["heading", "text"] {
        if let Some(Value::String(s)) = unit.get(key) {
            out.push(s.clone());
        }
    }
    for key in ["clause", "item", "para"] {
        if let Some(Value::Array(children)) = unit.get(key) {
            for child in children {
                if let Value::Table(t) = child {
                    verbatim(t, out);
                }
            }
        }
    }
}

/// A measure's units: (display label, table).
fn units(table: &Table) -> Vec<(String, &Table)> {
    let mut out = Vec::new();
    for (key, prefix) in [("article", "art"), ("section", "sec")] {
        if let Some(Value::Array(items)) = table.get(key) {
            for item in items {
                let t = item.as_table().expect("article/section is a table");
                let n = t.get("number").and_then(Value::as_integer).unwrap_or(-1);
                out.push((format!("{prefix}-{n}"), t));
            }
        }
    }
    out
}

/// Characters of `s` that are neither printable ASCII nor allowed typography, outside 《…》.
fn bad_chars(s: &str) -> Vec<char> {
    let mut depth = 0usize;
    let mut bad = Vec::new();
    for c in s.chars() {
        match c {
            '《' => depth += 1,
            '》' if depth > 0 => depth -= 1,
            _ if depth > 0 => {}
            ' '..='~' => {}
            _ if TYPOGRAPHIC.contains(&c) => {}
            _ => bad.push(c),
        }
    }
    if depth > 0 {
        bad.push('《');
    }
    bad
}

#[test]
fn glossary_is_well_formed() {
    let g = glossary();
    assert!(
        g.term.len() >= 27,
        "glossary has only {} terms",
        g.term.len()
    );
    let mut seen = BTreeSet::new();
    let mut problems = Vec::new();
    for t in &g.term {
        if !seen.insert(t.zh.clone()) {
            problems.push(format!("{}: listed twice", t.zh));
        }
        if t.zh.trim().is_empty() || t.en.trim().is_empty() {
            problems.push(format!("{:?}: empty zh or en", t.zh));
        }
        if t.note_en.trim().is_empty() || t.note_en.contains('\n') {
            problems.push(format!("{}: note_en must be one non-empty line", t.zh));
        }
        if !bad_chars(&t.en).is_empty() {
            problems.push(format!(
                "{}: rendering {:?} is not plain English",
                t.zh, t.en
            ));
        }
        let en = t.en.to_lowercase();
        for a in &t.avoid {
            if a.trim().is_empty() {
                problems.push(format!("{}: empty avoid entry", t.zh));
            } else if en.contains(&a.to_lowercase()) {
                problems.push(format!(
                    "{}: avoids {a:?}, which its own rendering contains",
                    t.zh
                ));
            }
        }
    }
    // A term's avoid list must not forbid another term's rendering.
    for t in &g.term {
        for a in &t.avoid {
            for u in &g.term {
                if u.en.to_lowercase().contains(&a.to_lowercase()) {
                    problems.push(format!(
                        "{} avoids {a:?}, but {} renders as {:?}",
                        t.zh, u.zh, u.en
                    ));
                }
            }
        }
    }
    // A term whose Chinese contains another's must render so as to contain the other's English,
    // or every unit using the longer term would also have to spell out the shorter one separately.
    for t in &g.term {
        for u in &g.term {
            if t.zh != u.zh
                && t.zh.contains(&u.zh)
                && !t.en.to_lowercase().contains(&u.en.to_lowercase())
            {
                problems.push(format!(
                    "{} contains {}, but {:?} does not contain {:?}",
                    t.zh, u.zh, t.en, u.en
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "glossary problems:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_unit_has_an_english_summary() {
    let mut problems = Vec::new();
    let measures = measures();
    for (id, expected) in EXPECTED_UNITS {
        let Some((_, table)) = measures.iter().find(|(m, _)| m == id) else {
            problems.push(format!("{id}: measure file missing"));
            continue;
        };
        let units = units(table);
        if units.len() != *expected {
            problems.push(format!("{id}: {} units, expected {expected}", units.len()));
        }
    }
    for (id, table) in &measures {
        for (label, unit) in units(table) {
            match unit.get("summary_en") {
                Some(Value::String(s)) if !s.trim().is_empty() => {
                    if s.trim() != s {
                        problems.push(format!(
                            "{id} {label}: summary has leading or trailing space"
                        ));
                    }
                    let lower = s.to_lowercase();
                    for word in ["summary", "authoritative"] {
                        if lower.contains(word) {
                            problems.push(format!(
                                "{id} {label}: summary says {word:?}; the site adds that label"
                            ));
                        }
                    }
                }
                _ => problems.push(format!("{id} {label}: no summary_en")),
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn summaries_use_the_glossary_renderings() {
    let g = glossary();
    let mut problems = Vec::new();
    let mut checked = 0usize;
    for (id, table) in measures() {
        for (label, unit) in units(&table) {
            let summary = unit.get("summary_en").and_then(Value::as_str).unwrap_or("");
            if summary.trim().is_empty() {
                continue; // reported by every_unit_has_an_english_summary
            }
            let lower = summary.to_lowercase();
            let mut texts = Vec::new();
            verbatim(unit, &mut texts);
            let zh = texts.join("\n");
            for t in &g.term {
                if zh.contains(&t.zh) {
                    checked += 1;
                    if !t.optional && !lower.contains(&t.en.to_lowercase()) {
                        problems.push(format!(
                            "{id} {label}: the text has {} but the summary lacks {:?}",
                            t.zh, t.en
                        ));
                    }
                }
                for a in &t.avoid {
                    if lower.contains(&a.to_lowercase()) {
                        problems.push(format!(
                            "{id} {label}: the summary uses {a:?}; write {:?} for {}",
                            t.en, t.zh
                        ));
                    }
                }
            }
        }
    }
    assert!(
        checked > 300,
        "only {checked} term occurrences checked; is the content there?"
    );
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn summaries_are_plain_english() {
    let mut problems = Vec::new();
    for (id, table) in measures() {
        for (label, unit) in units(&table) {
            let summary = unit.get("summary_en").and_then(Value::as_str).unwrap_or("");
            let bad = bad_chars(summary);
            if !bad.is_empty() {
                problems.push(format!("{id} {label}: characters {bad:?} in {summary:?}"));
            }
            if !summary.is_empty() && !summary.chars().any(|c| c.is_ascii_alphabetic()) {
                problems.push(format!("{id} {label}: no English words in {summary:?}"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
