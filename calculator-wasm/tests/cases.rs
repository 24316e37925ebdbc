//! Runs every example case in `tests/cases/*.toml` (answers worked out by hand from the text)
//! on the calculators and facts of the real content (`content/`).
//!
//! A case gives `calculator`, `input` (a table, sent as JSON) and either `expect` (results that
//! must match exactly; keys not listed are not compared), or `error_field`. Optional
//! `warnings_contain` / `notes_contain` / `verdict_contains` are substrings of the English texts
//! (the verdict: the value of the line labelled "Verdict"); `warnings` is an exact count; `absent`
//! lists results that must not be there.

mod common;

use calculator_wasm::run;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    #[serde(rename = "case")]
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    calculator: String,
    input: toml::Table,
    #[serde(default)]
    expect: toml::Table,
    #[serde(default)]
    error_field: Option<String>,
    #[serde(default)]
    warnings_contain: Vec<String>,
    #[serde(default)]
    notes_contain: Vec<String>,
    #[serde(default)]
    verdict_contains: Vec<String>,
    #[serde(default)]
    warnings: Option<usize>,
    #[serde(default)]
    absent: Vec<String>,
}

#[test]
fn hand_worked_cases() {
    let content = common::content();
    let facts = common::facts(&content);
    let cal = common::calendar();
    let dir = common::crate_dir().join("tests/cases");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("cases dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.sort();
    let mut count = 0;
    let mut failures = Vec::new();
    for path in paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
    {
        let file: CaseFile = toml::from_str(&common::read(path))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for case in file.cases {
            count += 1;
            let def = common::def(&content, &case.calculator);
            let input = serde_json::to_string(&case.input).expect("input to JSON");
            let label = format!(
                "{} / {}",
                path.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default(),
                case.name
            );
            match (run(def, &facts, &cal, &input), &case.error_field) {
                (Err(e), Some(field)) => {
                    if &e.field != field {
                        failures.push(format!(
                            "{label}: error on {} ({}), expected on {field}",
                            e.field, e.message
                        ));
                    }
                }
                (Err(e), None) => failures.push(format!("{label}: unexpected error {e}")),
                (Ok(_), Some(field)) => {
                    failures.push(format!("{label}: expected an error on {field}"))
                }
                (Ok(out), None) => {
                    for (k, want) in &case.expect {
                        // TOML has no null: the string "__null__" stands for "cannot tell".
                        let mut want: Value = serde_json::to_value(want).expect("expect to JSON");
                        if want == Value::String("__null__".into()) {
                            want = Value::Null;
                        }
                        let got = out
                            .results
                            .get(k)
                            .cloned()
                            .unwrap_or(Value::String("<absent>".into()));
                        if got != want {
                            failures.push(format!("{label}: {k} = {got}, expected {want}"));
                        }
                    }
                    for k in &case.absent {
                        if out.results.contains_key(k) {
                            failures.push(format!(
                                "{label}: {k} should be absent, is {}",
                                out.results[k]
                            ));
                        }
                    }
                    for w in &case.warnings_contain {
                        if !out.warnings.iter().any(|m| m.text_en.contains(w.as_str())) {
                            failures.push(format!(
                                "{label}: no warning containing {w:?}; got {:?}",
                                out.warnings.iter().map(|m| &m.text_en).collect::<Vec<_>>()
                            ));
                        }
                    }
                    for n in &case.notes_contain {
                        if !out.notes.iter().any(|m| m.text_en.contains(n.as_str())) {
                            failures.push(format!(
                                "{label}: no note containing {n:?}; got {:?}",
                                out.notes.iter().map(|m| &m.text_en).collect::<Vec<_>>()
                            ));
                        }
                    }
                    let verdict = out
                        .lines
                        .iter()
                        .rev()
                        .find(|l| l.label_en == "Verdict")
                        .map(|l| l.value_en.as_str())
                        .unwrap_or("<no verdict line>");
                    for v in &case.verdict_contains {
                        if !verdict.contains(v.as_str()) {
                            failures.push(format!(
                                "{label}: the verdict {verdict:?} does not contain {v:?}"
                            ));
                        }
                    }
                    if let Some(n) = case.warnings {
                        if out.warnings.len() != n {
                            failures.push(format!(
                                "{label}: {} warnings, expected {n}: {:?}",
                                out.warnings.len(),
                                out.warnings.iter().map(|m| &m.text_en).collect::<Vec<_>>()
                            ));
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

/// Every public calculator has at least one case.
#[test]
fn every_calculator_has_cases() {
    let content = common::content();
    let dir = common::crate_dir().join("tests/cases");
    let mut named = std::collections::BTreeSet::new();
    for e in std::fs::read_dir(&dir).expect("cases dir").flatten() {
        let path = e.path();
        if path.extension().is_some_and(|x| x == "toml") {
            let file: CaseFile = toml::from_str(&common::read(&path))
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            named.extend(file.cases.into_iter().map(|c| c.calculator));
        }
    }
    let missing: Vec<&str> = content
        .calculators
        .iter()
        .map(|d| d.id.as_str())
        .filter(|id| !named.contains(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "calculators without a case: {missing:?}"
    );
}
