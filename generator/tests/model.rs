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
        let calcs = atlas::calc::collect(
            &c,
            &atlas::site::built_in_calc_words(),
            &mut atlas::diagnostics::Report::default(),
        );
        let owned = atlas::model::build_owned(
            c,
            calcs.as_ref(),
            &atlas::site::built_in_words(),
            date(as_of),
        );
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
    let calcs = atlas::calc::collect(
        &c,
        &atlas::site::built_in_calc_words(),
        &mut atlas::diagnostics::Report::default(),
    );
    let owned = atlas::model::build_owned(
        c,
        calcs.as_ref(),
        &atlas::site::built_in_words(),
        date("2026-11-21"),
    );
    assert_eq!(whole.measures.len(), 30);
    assert!(whole.fact_count > 0);
    assert_eq!(owned, whole);
}

/// A fact's value is said in the theme's words, not the model's: a catalogue that names the
/// year otherwise changes the English value of Zhejiang 第十六条 每届任期五年 ("5 years (from
/// each appointment)"); a catalogue without a word is refused, naming the key.
#[test]
fn values_are_said_in_the_catalogues_words() {
    let text = std::fs::read_to_string(common::repo().join("themes/default/i18n.toml")).unwrap();
    #[derive(serde::Deserialize)]
    struct Cat {
        zh: std::collections::BTreeMap<String, String>,
        en: std::collections::BTreeMap<String, String>,
    }
    let mut cat: Cat = toml::from_str(&text).unwrap();
    let value = |words: &atlas::model::FactWords| {
        let c = load(&common::repo().join("content"));
        let calcs = atlas::calc::collect(
            &c,
            &atlas::site::built_in_calc_words(),
            &mut atlas::diagnostics::Report::default(),
        );
        let site = atlas::model::build(&c, calcs.as_ref(), words, date("2026-11-21"));
        site.measures
            .iter()
            .flat_map(|m| m.facts.iter())
            .find(|f| f.id == "zhejiang-committee-term")
            .map(|f| f.value_en.clone())
            .unwrap()
    };
    let built_in = atlas::model::FactWords::from_catalogue(&cat.zh, &cat.en).unwrap();
    assert_eq!(value(&built_in), "5 years (from each appointment)");
    cat.en.insert("unit_year".into(), "yr|yrs".into());
    let mine = atlas::model::FactWords::from_catalogue(&cat.zh, &cat.en).unwrap();
    assert_eq!(value(&mine), "5 yrs (from each appointment)");
    cat.en.remove("fact_from");
    let missing = atlas::model::FactWords::from_catalogue(&cat.zh, &cat.en).unwrap_err();
    assert_eq!(missing, vec!["[en] fact_from".to_string()]);
}
