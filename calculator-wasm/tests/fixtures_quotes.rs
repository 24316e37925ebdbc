//! Every fact's quote is verbatim in its source text, and every definition binds existing facts.

mod common;

use calculator_wasm::check_def;

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn quotes_are_verbatim() {
    let fx = common::fixture();
    let dir = common::crate_dir().join("../content/sources");
    let source = |measure: &str| {
        let file = match measure {
            "yunnan-ijl-2025" => "000_2e852e097c09fd9b.txt",
            "zhejiang-ijl-2026" => "001_3a036f1c194d19e4.txt",
            "moe-ijl-2022" => "002_957a700021daa88e.txt",
            "kunming-bases-2020" => "003_f89d865f2fb62fb6.txt",
            other => panic!("unknown measure {other}"),
        };
        squash(&common::read(&dir.join(file)))
    };
    let mut bad = Vec::new();
    for f in &fx.facts {
        if !source(&f.measure).contains(&squash(&f.quote)) {
            bad.push(format!("{}: {:?}", f.id, f.quote));
        }
    }
    assert!(
        bad.is_empty(),
        "quotes not found in sources:\n{}",
        bad.join("\n")
    );
}

#[test]
fn definitions_bind_existing_facts() {
    let fx = common::fixture();
    let facts = common::facts(&fx);
    for def in &fx.calculators {
        check_def(def, &facts).unwrap_or_else(|e| panic!("{}: {e}", def.id));
    }
}

#[test]
fn definitions_and_facts_round_trip_through_json() {
    let fx = common::fixture();
    for def in &fx.calculators {
        let json = serde_json::to_string(def).expect("to json");
        let back: calculator_wasm::CalculatorDef = serde_json::from_str(&json).expect("from json");
        assert_eq!(
            serde_json::to_string(&back).expect("again"),
            json,
            "{}",
            def.id
        );
    }
    let json = serde_json::to_string(&fx.facts).expect("facts to json");
    let back: Vec<calculator_wasm::Fact> = serde_json::from_str(&json).expect("facts from json");
    assert_eq!(back.len(), fx.facts.len());
    let cal = common::calendar_data();
    let json = serde_json::to_string(&cal).expect("calendar to json");
    let back: calculator_wasm::CalendarData =
        serde_json::from_str(&json).expect("calendar from json");
    assert_eq!(back.data_ends, cal.data_ends);
}
