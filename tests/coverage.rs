//! Every sentence of every source copy is on the site, verbatim.
//!
//! Independent of the generator's own check: this reads the source copies and the built HTML
//! pages only. The mapping of source files to measures is the one in content/sources/README.md.

use atlas_tests::{build, fold, reading_text, repo, sel};

const SOURCES: &[(&str, &str)] = &[
    ("000_2e852e097c09fd9b.txt", "yunnan-ijl-2025"),
    ("001_3a036f1c194d19e4.txt", "zhejiang-ijl-2026"),
    ("002_957a700021daa88e.txt", "moe-ijl-2022"),
    ("003_f89d865f2fb62fb6.txt", "kunming-bases-2020"),
    ("004_190e752f788d2911.txt", "national-bases-2019"),
];

/// The copy's check boxes are conversion residue; the site draws them as boxes.
const CHECKBOX: &str = "<input type=\"checkbox\"/>";

fn page_text(site: &atlas_tests::BuiltSite, id: &str) -> String {
    let html = site.page(&format!("measures/{id}.html"));
    let main = html.select(&sel("main")).next().expect("main element");
    fold(&reading_text(main))
}

/// Sentences (ending in 。；！？) of the text before the annex, white space folded.
fn sentences(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in folded.chars() {
        cur.push(c);
        if matches!(c, '。' | '；' | '！' | '？' | ';') {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[test]
fn every_sentence_of_every_source_is_on_its_page() {
    let site = build("2026-11-21");
    for (file, id) in SOURCES {
        let source = std::fs::read_to_string(repo().join("content/sources").join(file)).unwrap();
        let text = page_text(&site, id);
        // The MOE annex is a form: it is shown structured, so its cells are checked one by one below.
        let body = match source.find("\n附件\n") {
            Some(i) => &source[..i],
            None => &source[..],
        };
        let sentences = sentences(body);
        assert!(
            sentences.len() > 10,
            "{file}: too few sentences ({})",
            sentences.len()
        );
        let missing: Vec<&String> = sentences
            .iter()
            .filter(|s| !text.contains(s.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "{file} → measures/{id}.html lacks {} sentence(s), first: «{}»",
            missing.len(),
            missing[0]
        );
    }
}

#[test]
fn every_line_and_form_cell_of_every_source_is_on_its_page() {
    let site = build("2026-11-21");
    let mut checked = 0;
    for (file, id) in SOURCES {
        let source = std::fs::read_to_string(repo().join("content/sources").join(file)).unwrap();
        let text = page_text(&site, id);
        for (n, line) in source.lines().enumerate() {
            for cell in line.split(['\t']).flat_map(|c| c.split(CHECKBOX)) {
                let cell = fold(cell);
                if cell.is_empty() {
                    continue;
                }
                checked += 1;
                assert!(
                    text.contains(&cell),
                    "{file}:{}: «{cell}» is not on measures/{id}.html",
                    n + 1
                );
            }
        }
    }
    assert!(checked > 450, "only {checked} lines checked");
}

#[test]
fn a_missing_sentence_would_be_noticed() {
    // The check above must be able to fail: drop one sentence from a page's text.
    let site = build("2026-11-21");
    let text = page_text(&site, "yunnan-ijl-2025");
    let sentence = fold("有关评估验收工作实施细则另行制定。");
    assert!(text.contains(&sentence));
    assert!(!text.replacen(&sentence, "", 1).contains(&sentence));
}
