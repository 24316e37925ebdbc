//! The JSON Schemas of the content files (`atlas schema`, `schemas/` of this repository): they
//! are the ones generated from the serde types, every content file this repository ships
//! satisfies them, and they flag what an author gets wrong (a misspelt key, a value outside a
//! fixed vocabulary, a missing key) as `atlas check` would.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// A TOML value as the JSON that editors validate (taplo compares a date as a string).
fn json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(json).collect()),
        toml::Value::Table(t) => Value::Object(t.into_iter().map(|(k, v)| (k, json(v))).collect()),
    }
}

fn read(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    json(toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// The schema named `name` as generated.
fn schema(name: &str) -> Value {
    let (_, _, text) = atlas::content::schema::all()
        .into_iter()
        .find(|(n, _, _)| *n == name)
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The validation errors of `instance` against the schema `name`.
fn errors(name: &str, instance: &Value) -> Vec<String> {
    let s = schema(name);
    let v = jsonschema::validator_for(&s).unwrap();
    v.iter_errors(instance).map(|e| e.to_string()).collect()
}

#[test]
fn the_repositorys_schemas_and_taplo_rules_are_the_generated_ones() {
    let repo = atlas_tests::repo();
    for (name, _, text) in atlas::content::schema::all() {
        let committed = std::fs::read_to_string(repo.join("schemas").join(name))
            .unwrap_or_else(|e| panic!("schemas/{name}: {e}; run `atlas schema`"));
        assert!(
            committed == text,
            "schemas/{name} is stale; run `atlas schema`"
        );
    }
    assert_eq!(
        std::fs::read_to_string(repo.join(".taplo.toml")).unwrap(),
        atlas::content::schema::taplo_config("schemas")
    );
}

#[test]
fn every_shipped_content_file_satisfies_its_schema() {
    let repo = atlas_tests::repo();
    let measure_dirs = [
        repo.join("content/measures"),
        repo.join("tests/fixtures/fictitious/measures"),
        repo.join("generator/sample/content/measures"),
    ];
    let mut n = 0;
    for dir in &measure_dirs {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p: PathBuf = e.path();
            if p.extension().is_some_and(|x| x == "toml") {
                let errs = errors("measure.schema.json", &read(&p));
                assert!(errs.is_empty(), "{}: {errs:#?}", p.display());
                n += 1;
            }
        }
    }
    assert!(n >= 8, "{n} measure files");
    for (file, name) in [
        ("content/topics.toml", "topics.schema.json"),
        ("content/glossary.toml", "glossary.schema.json"),
        ("content/calculators.toml", "calculators.schema.json"),
    ] {
        let errs = errors(name, &read(&repo.join(file)));
        assert!(errs.is_empty(), "{file}: {errs:#?}");
    }
}

#[test]
fn a_misspelt_key_a_value_outside_a_vocabulary_and_a_missing_key_are_flagged() {
    let sample =
        atlas_tests::repo().join("generator/sample/content/measures/sample-bases-2024.toml");
    let good = std::fs::read_to_string(&sample).unwrap();
    let flagged = |from: &str, to: &str| {
        assert!(good.contains(from), "{from}");
        let bad = good.replacen(from, to, 1);
        let errs = errors("measure.schema.json", &json(toml::from_str(&bad).unwrap()));
        // atlas check refuses the same file, so the schema says no more than the checks.
        let parsed = toml::from_str::<atlas::content::MeasureFile>(&bad);
        assert!(parsed.is_err(), "atlas would accept {to}");
        errs
    };
    // A key misspelt at the top and inside an article.
    let e = flagged("doc_number =", "doc_nubmer =");
    assert!(e.iter().any(|e| e.contains("doc_nubmer")), "{e:#?}");
    let e = flagged("label = \"第三条\"", "lable = \"第三条\"");
    assert!(e.iter().any(|e| e.contains("lable")), "{e:#?}");
    // A level outside the vocabulary.
    let e = flagged("level = \"municipal\"", "level = \"city\"");
    assert!(e.iter().any(|e| e.contains("city")), "{e:#?}");
    // A required key left out.
    let e = flagged("issuer = \"示例市科学技术局\"\n", "");
    assert!(e.iter().any(|e| e.contains("issuer")), "{e:#?}");
}

/// Inside a `[[calculator]]` too (the engine's definitions): a misspelt key, an input type
/// outside the engine's, an unknown key in its scope.
#[test]
fn calculator_tables_are_checked_as_well() {
    let file = atlas_tests::repo().join("content/measures/yunnan-ijl-2025.toml");
    let good = std::fs::read_to_string(&file).unwrap();
    assert!(errors("measure.schema.json", &read(&file)).is_empty());
    let flagged = |from: &str, to: &str, word: &str| {
        assert!(good.contains(from), "{from}");
        let bad = good.replacen(from, to, 1);
        let errs = errors("measure.schema.json", &json(toml::from_str(&bad).unwrap()));
        assert!(errs.iter().any(|e| e.contains(word)), "{to}: {errs:#?}");
        // atlas check refuses the same file.
        assert!(
            toml::from_str::<atlas::content::MeasureFile>(&bad).is_err(),
            "{to}"
        );
    };
    flagged(
        "primitive = \"eligibility\"",
        "primitiv = \"eligibility\"",
        "primitiv",
    );
    flagged("type = \"money\"", "type = \"cash\"", "cash");
    flagged(
        "who_en = \"enterprise hosts\"\n\n[calculator.bind]",
        "who_in_english = \"enterprise hosts\"\n\n[calculator.bind]",
        "who_in_english",
    );
}
