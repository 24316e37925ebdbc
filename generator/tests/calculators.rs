//! The calculators as the generator loads them from `content/`: the whole content checks clean
//! (definitions bound to readable content facts), and the engine's hand-worked cases
//! (`calculator-wasm/tests/cases/*.toml`) give the same answers through `atlas::calc`, the path
//! `atlas calc` and the site's bundles take.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn load() -> atlas::content::Corpus {
    let (corpus, mut report) = atlas::content::load(&repo().join("content"));
    let _ = atlas::site::check_loaded(&corpus, &mut report);
    report.sort();
    let all: Vec<String> = report.items.iter().map(ToString::to_string).collect();
    assert!(
        !report.has_errors(),
        "{} error(s) in content:\n{}",
        report.error_count(),
        all.join("\n")
    );
    corpus
}

#[test]
fn content_with_calculators_checks_clean() {
    let corpus = load();
    let in_measures: usize = corpus
        .measures
        .iter()
        .map(|l| l.value.calculators.len())
        .sum();
    let shared = corpus
        .calculators
        .as_ref()
        .map_or(0, |c| c.value.calculators.len());
    assert_eq!(in_measures, 12, "single-measure calculators");
    assert_eq!(shared, 1, "calculators in content/calculators.toml");
    let mut report = atlas::diagnostics::Report::default();
    let calcs = atlas::calc::collect(&corpus, &atlas::site::built_in_calc_words(), &mut report)
        .expect("calculators");
    assert!(!report.has_errors());
    for d in &calcs.defs {
        calcs
            .table_for(&d.def)
            .unwrap_or_else(|e| panic!("{}: {e}", d.def.id));
    }
}

#[test]
fn hand_worked_cases_through_the_generator() {
    let corpus = load();
    let mut report = atlas::diagnostics::Report::default();
    let calcs = atlas::calc::collect(&corpus, &atlas::site::built_in_calc_words(), &mut report)
        .expect("calculators");
    let dir = repo().join("calculator-wasm/tests/cases");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("cases dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    let (mut count, mut failures) = (0, Vec::new());
    for path in &paths {
        let text = std::fs::read_to_string(path).expect("case file");
        let file: toml::Table = toml::from_str(&text).expect("case TOML");
        let Some(toml::Value::Array(cases)) = file.get("case") else {
            continue;
        };
        for case in cases {
            count += 1;
            let s = |k: &str| {
                case.get(k)
                    .and_then(toml::Value::as_str)
                    .unwrap_or_default()
            };
            let label = format!("{} / {}", path.display(), s("name"));
            let input = serde_json::to_string(case.get("input").expect("input")).expect("json");
            match (calcs.run(s("calculator"), &input), s("error_field")) {
                (Err(e), "") => failures.push(format!("{label}: unexpected error {e}")),
                (Err(e), field) if e.field != field => failures.push(format!(
                    "{label}: error on {}, expected on {field}",
                    e.field
                )),
                (Err(_), _) => {}
                (Ok(_), field) if !field.is_empty() => {
                    failures.push(format!("{label}: expected an error on {field}"))
                }
                (Ok(out), _) => {
                    if let Some(toml::Value::Table(expect)) = case.get("expect") {
                        for (k, want) in expect {
                            let mut want = serde_json::to_value(want).expect("json");
                            if want == Value::String("__null__".into()) {
                                want = Value::Null;
                            }
                            let got = out.results.get(k).cloned();
                            if got.as_ref() != Some(&want) {
                                failures.push(format!("{label}: {k} = {got:?}, expected {want}"));
                            }
                        }
                    }
                    if let Some(toml::Value::Array(absent)) = case.get("absent") {
                        for k in absent.iter().filter_map(toml::Value::as_str) {
                            if out.results.contains_key(k) {
                                failures.push(format!("{label}: {k} should be absent"));
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(count > 20, "only {count} cases found");
    assert!(
        failures.is_empty(),
        "{} failing:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
