//! `atlas::synth`: a small synthetic corpus loads, checks, builds, is deterministic, and its
//! transcriptions carry their generated source copies verbatim.

use std::path::Path;

use atlas::text::fold;

const SEED: u64 = 20_260_101;

fn real() -> atlas::content::Corpus {
    let (corpus, report) = atlas::content::load(&atlas_tests::repo().join("content"));
    assert!(!report.has_errors(), "the real content has errors");
    corpus
}

fn generate(dir: &Path, n: usize, seed: u64) -> std::path::PathBuf {
    atlas::synth::run(&atlas_tests::repo().join("content"), dir, n, seed).expect("synth")
}

#[test]
fn three_measures_load_check_and_build() {
    let tmp = tempfile::tempdir().unwrap();
    let content = generate(tmp.path(), 3, SEED);

    let (corpus, mut report) = atlas::content::load(&content);
    assert!(!report.has_errors(), "load: {:?}", report.items);
    assert_eq!(corpus.measures.len(), 3);
    let _ = atlas::site::check_loaded(&corpus, &mut report);
    let problems: Vec<String> = report.items.iter().map(|d| d.to_string()).collect();
    assert!(!report.has_errors(), "check:\n{}", problems.join("\n"));
    assert!(
        !problems.iter().any(|p| p.contains("not yet reviewed")),
        "every topic must be reviewed:\n{}",
        problems.join("\n")
    );

    // Distinct identities, ~30 articles, a few facts, no calculators.
    let mut titles = std::collections::BTreeSet::new();
    let mut jurisdictions = std::collections::BTreeSet::new();
    let mut docnos = std::collections::BTreeSet::new();
    for l in &corpus.measures {
        let m = &l.value;
        assert!(titles.insert(m.title.clone()));
        assert!(jurisdictions.insert(m.jurisdiction.clone()));
        assert!(docnos.insert(m.doc_number.as_ref().unwrap().get_ref().clone()));
        assert!(
            (20..=40).contains(&m.articles.len()),
            "{}: {} articles",
            m.id.get_ref(),
            m.articles.len()
        );
        assert!(!m.facts.is_empty(), "{} has no facts", m.id.get_ref());
        assert!(m.calculators.is_empty());
        assert!(m.articles.iter().any(|a| !a.clauses.is_empty()));
    }
    // calculators.toml is there, and defines none.
    assert!(corpus
        .calculators
        .as_ref()
        .is_some_and(|c| c.value.calculators.is_empty()));

    let o = atlas::site::Options {
        content: content.clone(),
        theme: atlas_tests::repo().join("themes/default"),
        out: tmp.path().join("site"),
        as_of: Some("2026-01-01".into()),
    };
    let n = atlas::site::build(&o, &mut atlas::diagnostics::Report::default()).expect("build");
    assert!(n > 0);
    for l in &corpus.measures {
        let page = tmp
            .path()
            .join("site/measures")
            .join(format!("{}.html", l.value.id.get_ref()));
        assert!(page.is_file(), "{} missing", page.display());
    }
}

#[test]
fn output_is_deterministic_and_depends_on_the_seed() {
    let corpus = real();
    let a = atlas::synth::synthesize(&corpus, 3, SEED).unwrap();
    let b = atlas::synth::synthesize(&corpus, 3, SEED).unwrap();
    assert!(a == b, "two runs with the same seed differ");

    // Also through the files on disk.
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (c1, c2) = (generate(d1.path(), 3, SEED), generate(d2.path(), 3, SEED));
    let files = |root: &Path| -> Vec<(std::path::PathBuf, Vec<u8>)> {
        walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().strip_prefix(root).unwrap().to_path_buf(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    };
    assert!(files(&c1) == files(&c2), "written corpora differ");

    let other = atlas::synth::synthesize(&corpus, 3, SEED + 1).unwrap();
    assert!(a != other, "a different seed gives the same corpus");
    // A larger corpus starts with different measures only where the seed says so: the first
    // measures of a run do not depend on how many follow.
    let more = atlas::synth::synthesize(&corpus, 5, SEED).unwrap();
    for (k, v) in a.iter().filter(|(k, _)| k.starts_with("measures")) {
        assert_eq!(more.get(k), Some(v), "{} changed with N", k.display());
    }
}

#[test]
fn article_texts_are_verbatim_in_their_sources() {
    let tmp = tempfile::tempdir().unwrap();
    let content = generate(tmp.path(), 3, SEED);
    let (corpus, report) = atlas::content::load(&content);
    assert!(!report.has_errors());
    for l in &corpus.measures {
        let m = &l.value;
        let src = corpus
            .sources
            .get(m.source.file.get_ref())
            .unwrap_or_else(|| panic!("{}: source missing", m.id.get_ref()));
        let src = fold(std::str::from_utf8(src).unwrap());
        let mut pos = 0;
        // Each unit's text, in document order, follows the previous one in the source.
        let mut expect = |what: String| {
            let f = fold(&what);
            if f.is_empty() {
                return;
            }
            match src[pos..].find(&f) {
                Some(at) => pos += at + f.len(),
                None => panic!(
                    "{}: «{what}» is not in its source (in order)",
                    m.id.get_ref()
                ),
            }
        };
        for a in &m.articles {
            expect(a.label.get_ref().clone());
            expect(a.text.get_ref().clone());
            let list = |cs: &[atlas::content::measure::Clause],
                        is: &[atlas::content::measure::Item],
                        expect: &mut dyn FnMut(String)| {
                for c in cs {
                    expect(format!("{}{}", c.label.get_ref(), c.text.get_ref()));
                    for i in &c.items {
                        expect(format!("{}{}", i.label.get_ref(), i.text.get_ref()));
                    }
                }
                for i in is {
                    expect(format!("{}{}", i.label.get_ref(), i.text.get_ref()));
                }
            };
            list(&a.clauses, &a.items, &mut expect);
            for p in &a.paras {
                expect(p.text.get_ref().clone());
                list(&p.clauses, &p.items, &mut expect);
            }
        }
        assert_eq!(
            pos,
            src.len(),
            "{}: source has text after the last article",
            m.id.get_ref()
        );
    }
}

/// Links to measure pages in a page's `table.measures`, in order.
fn listed(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("table.measures tbody tr td:first-child a").unwrap();
    doc.select(&sel)
        .map(|a| {
            let href = a.value().attr("href").unwrap();
            href.trim_start_matches("measures/")
                .trim_end_matches(".html")
                .to_string()
        })
        .collect()
}

#[test]
fn a_large_collection_keeps_the_home_page_small_and_lists_everything_elsewhere() {
    let tmp = tempfile::tempdir().unwrap();
    let content = generate(tmp.path(), 45, SEED);
    let (corpus, report) = atlas::content::load(&content);
    assert!(!report.has_errors());
    let o = atlas::site::Options {
        content,
        theme: atlas_tests::repo().join("themes/default"),
        out: tmp.path().join("site"),
        as_of: Some("2026-01-01".into()),
    };
    atlas::site::build(&o, &mut atlas::diagnostics::Report::default()).expect("build");
    let read = |rel: &str| std::fs::read_to_string(tmp.path().join("site").join(rel)).unwrap();

    // Expected from the content alone: the 30 latest issue dates, ties in file order (the
    // site orders measures by level, jurisdiction and date, so compare as date multisets
    // and check the order of dates on the page).
    let mut dates: Vec<(String, String)> = corpus
        .measures
        .iter()
        .map(|l| {
            (
                l.value.issued.get_ref().to_string(),
                l.value.id.get_ref().clone(),
            )
        })
        .collect();
    dates.sort_by(|a, b| b.0.cmp(&a.0));
    let issued: std::collections::BTreeMap<String, String> = dates
        .iter()
        .map(|(d, id)| (id.clone(), d.clone()))
        .collect();

    for (home, all) in [
        ("index.html", "measures.html"),
        ("en/index.html", "en/measures.html"),
    ] {
        let shown = listed(&read(home));
        assert_eq!(shown.len(), atlas::render::HOME_RECENT, "{home}");
        let shown_dates: Vec<&String> = shown.iter().map(|id| &issued[id]).collect();
        let want: Vec<&String> = dates.iter().take(30).map(|(d, _)| d).collect();
        assert_eq!(
            shown_dates, want,
            "{home}: the most recently issued, newest first"
        );
        assert!(
            read(home).contains("href=\"measures.html\""),
            "{home} links to the full list"
        );
        let every = listed(&read(all));
        assert_eq!(every.len(), 45, "{all} lists every measure");
        let unique: std::collections::BTreeSet<_> = every.iter().collect();
        assert_eq!(unique.len(), 45);
    }
    // Counts per level add up to the collection.
    let doc = scraper::Html::parse_document(&read("index.html"));
    let sel = scraper::Selector::parse("ul.level-counts li").unwrap();
    let total: usize = doc
        .select(&sel)
        .map(|li| {
            let t: String = li.text().collect();
            t.rsplit('：')
                .next()
                .unwrap()
                .trim()
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert_eq!(total, 45);
}
