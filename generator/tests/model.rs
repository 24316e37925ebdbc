//! `atlas build` models the content with `model::build_owned`, which lets go of each measure's
//! text as soon as its view is made. Whatever it lets go of, the site must be the one
//! `model::build` makes from the whole corpus.

use std::path::Path;

mod common;

fn date(s: &str) -> time::Date {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).unwrap()
}

fn load(content: &Path) -> atlas::content::Corpus {
    let (corpus, mut report) = atlas::content::load(content);
    let _ = atlas::site::check_loaded(&corpus, &mut report);
    assert!(!report.has_errors(), "{:?}", report.items);
    corpus
}

#[test]
fn letting_go_of_the_text_models_the_same_real_site() {
    let content = common::repo().join("content");
    // Two status dates: a measure's status comes from other measures (their repeals) as well
    // as its own dates, and the others' text is let go of in any order.
    for as_of in ["2019-01-01", "2026-11-21"] {
        let whole = atlas::site::model(&load(&content), date(as_of));
        let c = load(&content);
        let calcs = atlas::calc::collect(&c, &mut atlas::diagnostics::Report::default());
        let owned = atlas::model::build_owned(c, calcs.as_ref(), date(as_of));
        assert!(
            whole.measures.iter().any(|m| !m.repeals.is_empty()),
            "the real content has repeals"
        );
        assert!(
            !whole.calculators.is_empty(),
            "the real content has calculators"
        );
        assert!(
            !whole.relations.is_empty(),
            "the real content has relations"
        );
        assert_eq!(owned, whole, "as of {as_of}");
    }
}

#[test]
fn letting_go_of_the_text_models_the_same_synthetic_site() {
    let tmp = tempfile::tempdir().unwrap();
    let content =
        atlas::synth::run(&common::repo().join("content"), tmp.path(), 30, 5).expect("synth");
    let whole = atlas::site::model(&load(&content), date("2026-11-21"));
    let c = load(&content);
    let calcs = atlas::calc::collect(&c, &mut atlas::diagnostics::Report::default());
    let owned = atlas::model::build_owned(c, calcs.as_ref(), date("2026-11-21"));
    assert_eq!(whole.measures.len(), 30);
    assert!(whole.fact_count > 0);
    assert_eq!(owned, whole);
}
