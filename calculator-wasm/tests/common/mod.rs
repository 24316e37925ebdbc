//! Loads the fixtures shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use calculator_wasm::{CalculatorDef, Calendar, CalendarData, Fact, FactTable};
use serde::Deserialize;

/// The fixture file: facts and calculator definitions.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    #[serde(rename = "fact")]
    pub facts: Vec<Fact>,
    #[serde(rename = "calculator")]
    pub calculators: Vec<CalculatorDef>,
}

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn fixture() -> Fixture {
    let p = crate_dir().join("tests/fixtures/atlas.toml");
    toml::from_str(&read(&p)).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

pub fn calendar_data() -> CalendarData {
    let p = crate_dir().join("../content/calendars/cn-mainland.toml");
    toml::from_str(&read(&p)).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

pub fn calendar() -> Calendar {
    Calendar::new(&calendar_data()).expect("calendar data is valid")
}

pub fn facts(f: &Fixture) -> FactTable {
    FactTable::new(&f.facts).expect("facts are valid")
}

pub fn def<'a>(f: &'a Fixture, id: &str) -> &'a CalculatorDef {
    f.calculators
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no calculator {id}"))
}
