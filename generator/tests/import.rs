//! `atlas import` on every source copy: the skeleton parses in the measure schema, and its
//! structure (article/section numbers, clause and item counts) equals that of the finished
//! transcription in `content/measures/`.

use std::path::{Path, PathBuf};

use atlas::content::measure::{Article, Clause, Item};
use atlas::content::{parse_str, MeasureFile};

fn content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

/// Number, then (clause count, item count per clause, item count) for the first paragraph and
/// every further paragraph.
type Shape = Vec<(u32, Vec<(usize, Vec<usize>, usize)>)>;

fn list_shape(clauses: &[Clause], items: &[Item]) -> (usize, Vec<usize>, usize) {
    (
        clauses.len(),
        clauses.iter().map(|c| c.items.len()).collect(),
        items.len(),
    )
}

fn shape(units: &[Article]) -> Shape {
    units
        .iter()
        .map(|a| {
            let mut paras = vec![list_shape(&a.clauses, &a.items)];
            paras.extend(a.paras.iter().map(|p| list_shape(&p.clauses, &p.items)));
            (*a.number.get_ref(), paras)
        })
        .collect()
}

fn transcriptions() -> Vec<(PathBuf, MeasureFile)> {
    let dir = content().join("measures");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("content/measures exists") {
        let path = entry.expect("dir entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).expect("readable");
            let m = parse_str::<MeasureFile>(&path, &text)
                .unwrap_or_else(|d| panic!("{}: {d:?}", path.display()));
            out.push((path, m));
        }
    }
    out
}

fn check_source(file: &str) {
    let path = content().join("sources").join(file);
    let text = std::fs::read_to_string(&path).expect("source readable");
    let skeleton = atlas::import::skeleton(&text, file);
    let imported = parse_str::<MeasureFile>(Path::new(file), &skeleton).unwrap_or_else(|d| {
        panic!("skeleton of {file} does not parse as a MeasureFile: {d:?}\n{skeleton}")
    });
    assert_eq!(imported.source.file.get_ref(), file);

    let all = transcriptions();
    let (tpath, done) = all
        .iter()
        .find(|(_, m)| m.source.file.get_ref() == file)
        .unwrap_or_else(|| panic!("no transcription in content/measures follows {file}"));
    assert_eq!(
        imported.source.sha256.get_ref(),
        done.source.sha256.get_ref(),
        "{}",
        tpath.display()
    );
    assert_eq!(
        shape(&imported.articles),
        shape(&done.articles),
        "articles of {file} vs {}",
        tpath.display()
    );
    assert_eq!(
        shape(&imported.sections),
        shape(&done.sections),
        "sections of {file} vs {}",
        tpath.display()
    );
    assert_eq!(
        imported.chapters.len(),
        done.chapters.len(),
        "chapters of {file}"
    );
    assert!(
        !imported.articles.is_empty() || !imported.sections.is_empty(),
        "{file}: no body found"
    );
    // What it repeals, as the transcription (written by hand from the text) records it:
    // title, document number, the repealing sentence and its article.
    let repeals = |m: &MeasureFile| {
        m.repeals
            .iter()
            .map(|r| {
                (
                    r.title.clone(),
                    r.doc_number.clone(),
                    r.quote.get_ref().clone(),
                    r.cite.get_ref().clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(repeals(&imported), repeals(done), "repeals of {file}");
}

#[test]
fn import_yunnan() {
    check_source("000_2e852e097c09fd9b.txt");
}

#[test]
fn import_zhejiang() {
    check_source("001_3a036f1c194d19e4.txt");
}

#[test]
fn import_moe() {
    check_source("002_957a700021daa88e.txt");
}

#[test]
fn import_kunming() {
    check_source("003_f89d865f2fb62fb6.txt");
}

#[test]
fn import_national() {
    check_source("004_190e752f788d2911.txt");
}
