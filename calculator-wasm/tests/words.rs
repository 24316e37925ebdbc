//! The engine's words: a theme's override reaches a result through the bundle, and the
//! defaults are those of the default theme's `engine.toml` (which `build.rs` also checks key by
//! key against the code: a key used but missing, or present but unused, fails the build).

mod common;

use std::collections::BTreeMap;

use calculator_wasm::{run_bundle, Bundle};

/// A bundle of the content's national eligibility calculator, with `words`.
fn bundle(words: calculator_wasm::words::Words) -> Bundle {
    let content = common::content();
    let def = common::def(&content, "national-eligibility");
    let mut b = Bundle::new(
        def,
        &common::engine_facts(&content),
        &common::calendar_data(),
    );
    b.words = words;
    b
}

/// The English value of the verdict line for a base type with no quantified condition, whose
/// verdict is "cannot tell".
fn verdict_en(b: &Bundle) -> String {
    let out = run_bundle(b, r#"{"base_type": "innovation-park"}"#).expect("runs");
    out.lines
        .iter()
        .find(|l| l.result == "eligible")
        .map(|l| l.value_en.clone())
        .expect("a verdict line")
}

#[test]
fn a_theme_overriding_one_word_shows_it_in_the_result() {
    let plain = verdict_en(&bundle(Default::default()));
    assert!(plain.starts_with("cannot tell"), "{plain}");

    let mut words = calculator_wasm::words::Words::default();
    words
        .en
        .insert("status_cannot_tell".into(), "not decidable".into());
    let b = bundle(words);
    let overridden = verdict_en(&b);
    assert!(overridden.starts_with("not decidable"), "{overridden}");
    assert!(!overridden.contains("cannot tell"), "{overridden}");
    // The other language and the other words keep their defaults.
    let out = run_bundle(&b, r#"{"base_type": "innovation-park"}"#).expect("runs");
    let line = out
        .lines
        .iter()
        .find(|l| l.result == "eligible")
        .expect("line");
    assert!(line.value.starts_with("无法判断"), "{}", line.value);

    // Through JSON, as the page sends it; and the override ends with the run.
    let json = serde_json::to_string(&b).expect("bundle JSON");
    assert!(json.contains(r#""words":{"en":{"status_cannot_tell":"not decidable"}}"#));
    let page = calculator_wasm::run_json(&json, r#"{"base_type": "innovation-park"}"#);
    assert!(page.contains("not decidable"));
    assert!(verdict_en(&bundle(Default::default())).starts_with("cannot tell"));
}

#[test]
fn a_bundle_without_overrides_serialises_no_words_field() {
    let json = serde_json::to_string(&bundle(Default::default())).expect("bundle JSON");
    assert!(!json.contains("\"words\""));
}

#[test]
fn the_compiled_words_are_the_default_theme_file() {
    #[derive(serde::Deserialize)]
    struct File {
        zh: BTreeMap<String, String>,
        en: BTreeMap<String, String>,
    }
    let path = common::crate_dir().join("../themes/default/engine.toml");
    let file: File = toml::from_str(&common::read(&path)).expect("engine.toml");
    let compiled: Vec<(String, String, String)> = calculator_wasm::words::defaults()
        .iter()
        .map(|(k, z, e)| (k.to_string(), z.to_string(), e.to_string()))
        .collect();
    let from_file: Vec<(String, String, String)> = file
        .zh
        .iter()
        .map(|(k, z)| (k.clone(), z.clone(), file.en[k].clone()))
        .collect();
    assert_eq!(compiled, from_file);
}

/// Every key of engine.toml is named by the engine's code, and every key the code names is in
/// the file (build.rs refuses to build otherwise; this says so where tests are read).
#[test]
fn every_key_is_used_and_every_used_key_exists() {
    let src = common::crate_dir().join("src");
    let mut used = std::collections::BTreeSet::new();
    for e in std::fs::read_dir(&src).expect("src").flatten() {
        let text = common::read(&e.path());
        for (i, _) in text.match_indices("w!(") {
            let rest = text[i + 3..].trim_start();
            if let Some(rest) = rest.strip_prefix('"') {
                if let Some(end) = rest.find('"') {
                    used.insert(rest[..end].to_string());
                }
            }
        }
    }
    let defined: std::collections::BTreeSet<String> = calculator_wasm::words::defaults()
        .iter()
        .map(|(k, _, _)| k.to_string())
        .collect();
    assert_eq!(used, defined);
}
