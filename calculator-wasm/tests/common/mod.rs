//! Loads what the integration tests run on: the calculator definitions and facts of the real
//! content (`content/measures/*.toml`, `content/calculators.toml`), the holiday calendar, and the
//! small fixture of facts that deliberately differ from the content.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use calculator_wasm::{CalculatorDef, Calendar, CalendarData, Fact, FactTable};
use serde::Deserialize;

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn content_dir() -> PathBuf {
    crate_dir().join("../content")
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Where a calculator definition was found.
#[derive(Debug, Clone)]
pub struct Placed {
    /// The definition.
    pub def: CalculatorDef,
    /// File name under `content/` (e.g. `measures/yunnan-ijl-2025.toml`).
    pub file: String,
    /// The measure id of that file, `None` for `calculators.toml`.
    pub file_measure: Option<String>,
}

/// The content as the engine sees it.
#[derive(Clone)]
pub struct Content {
    /// Every content fact the engine's [`Fact`] format reads, as written plus `measure`.
    pub facts: Vec<Fact>,
    /// Content facts the engine's format cannot read, with the reason (fine unless bound).
    pub unreadable: BTreeMap<String, String>,
    /// Definitions from the measure files and `calculators.toml`, in file order.
    pub placed: Vec<Placed>,
    /// The definitions alone.
    pub calculators: Vec<CalculatorDef>,
    /// Measure id → its verbatim source file under `content/sources/`.
    pub sources: BTreeMap<String, String>,
}

fn parse(path: &Path) -> toml::Table {
    toml::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn calculators_of(t: &toml::Table, path: &Path) -> Vec<CalculatorDef> {
    match t.get("calculator") {
        None => Vec::new(),
        Some(toml::Value::Array(list)) => list
            .iter()
            .map(|v| {
                v.clone()
                    .try_into::<CalculatorDef>()
                    .unwrap_or_else(|e| panic!("{}: [[calculator]]: {e}", path.display()))
            })
            .collect(),
        Some(_) => panic!(
            "{}: `calculator` must be [[calculator]] tables",
            path.display()
        ),
    }
}

/// Reads `content/` (once per test binary): each measure's `[[fact]]` tables with
/// `measure = <the file's id>` added, deserialised into the engine's [`Fact`]; each
/// `[[calculator]]` into a [`CalculatorDef`].
pub fn content() -> Content {
    static CONTENT: std::sync::OnceLock<Content> = std::sync::OnceLock::new();
    CONTENT.get_or_init(load_content).clone()
}

fn load_content() -> Content {
    let dir = content_dir().join("measures");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    let mut facts = Vec::new();
    let mut unreadable = BTreeMap::new();
    let mut placed = Vec::new();
    let mut sources = BTreeMap::new();
    for path in &paths {
        let t = parse(path);
        let measure = t
            .get("id")
            .and_then(toml::Value::as_str)
            .unwrap_or_else(|| panic!("{}: no measure id", path.display()))
            .to_string();
        if let Some(file) = t
            .get("source")
            .and_then(|s| s.get("file"))
            .and_then(toml::Value::as_str)
        {
            sources.insert(measure.clone(), file.to_string());
        }
        facts.push(in_force_fact(&t, &measure));
        facts.extend(call_fact(&t, &measure));
        if let Some(toml::Value::Array(list)) = t.get("fact") {
            for v in list {
                let toml::Value::Table(ft) = v else {
                    panic!("{}: `fact` must be [[fact]] tables", path.display())
                };
                let mut ft = ft.clone();
                let id = ft
                    .get("id")
                    .and_then(toml::Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                ft.insert("measure".into(), toml::Value::String(measure.clone()));
                match toml::Value::Table(ft).try_into::<Fact>() {
                    Ok(f) => facts.push(f),
                    Err(e) => {
                        unreadable.insert(id, e.to_string());
                    }
                }
            }
        }
        let file = format!(
            "measures/{}",
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        for def in calculators_of(&t, path) {
            placed.push(Placed {
                def,
                file: file.clone(),
                file_measure: Some(measure.clone()),
            });
        }
    }
    let shared = content_dir().join("calculators.toml");
    if shared.is_file() {
        for def in calculators_of(&parse(&shared), &shared) {
            placed.push(Placed {
                def,
                file: "calculators.toml".into(),
                file_measure: None,
            });
        }
    }
    let calculators = placed.iter().map(|p| p.def.clone()).collect();
    Content {
        facts,
        unreadable,
        placed,
        calculators,
        sources,
    }
}

/// The engine's `<measure>:in-force` fact from a measure's `[effective]` table, as the generator
/// makes it: `on-date` → that date; `days-after-issue` → the day after the N-day period counted
/// from the day after issue (Civil Code art. 201); `on-issue` → the date of issue.
fn in_force_fact(t: &toml::Table, measure: &str) -> Fact {
    let eff = t
        .get("effective")
        .and_then(toml::Value::as_table)
        .unwrap_or_else(|| panic!("{measure}: no [effective]"));
    let date_of = |v: Option<&toml::Value>| -> time::Date {
        let text = v.map(ToString::to_string).unwrap_or_default();
        calculator_wasm::dates::parse_date(text.trim_matches('"'))
            .unwrap_or_else(|e| panic!("{measure}: {e}"))
    };
    let issued = date_of(t.get("issued"));
    let date = match eff.get("rule").and_then(toml::Value::as_str) {
        Some("on-date") => date_of(eff.get("date")),
        Some("days-after-issue") => {
            let days = eff
                .get("days")
                .and_then(toml::Value::as_integer)
                .unwrap_or(0);
            issued + time::Duration::days(days + 1)
        }
        _ => issued,
    };
    let mut ft = toml::Table::new();
    let s = |x: &str| toml::Value::String(x.to_string());
    ft.insert(
        "id".into(),
        s(&calculator_wasm::facts::in_force_id(measure)),
    );
    ft.insert("measure".into(), s(measure));
    ft.insert("type".into(), s("in-force"));
    ft.insert("force".into(), s("hard"));
    for k in ["cite", "quote"] {
        ft.insert(k.into(), eff.get(k).cloned().unwrap_or_else(|| s("")));
    }
    ft.insert("date".into(), s(&calculator_wasm::dates::format_date(date)));
    toml::Value::Table(ft)
        .try_into::<Fact>()
        .unwrap_or_else(|e| panic!("{measure}: in-force fact: {e}"))
}

/// The engine's `<measure>:call-closes` fact from a measure's `[call]` table: the last day of
/// filing, as the text gives it.
fn call_fact(t: &toml::Table, measure: &str) -> Option<Fact> {
    let call = t.get("call").and_then(toml::Value::as_table)?;
    let mut ft = toml::Table::new();
    let s = |x: &str| toml::Value::String(x.to_string());
    ft.insert(
        "id".into(),
        s(&calculator_wasm::facts::status_ids(measure)[0]),
    );
    ft.insert("measure".into(), s(measure));
    ft.insert("type".into(), s("call-closes"));
    ft.insert("force".into(), s("hard"));
    for k in ["cite", "quote"] {
        ft.insert(k.into(), call.get(k).cloned().unwrap_or_else(|| s("")));
    }
    ft.insert("date".into(), s(&call.get("closes")?.to_string()));
    Some(
        toml::Value::Table(ft)
            .try_into::<Fact>()
            .unwrap_or_else(|e| panic!("{measure}: call fact: {e}")),
    )
}

/// The content facts, exactly as the generator passes them to the engine.
pub fn engine_facts(c: &Content) -> Vec<Fact> {
    c.facts.clone()
}

/// Every fact id any content calculator refers to.
pub fn bound_ids(c: &Content) -> BTreeSet<String> {
    c.calculators
        .iter()
        .flat_map(calculator_wasm::used_fact_ids)
        .collect()
}

/// The fact table of the facts the calculators use (other content facts, e.g. an `amount` in
/// persons, are display-only and need not type-check for the engine).
pub fn table_of(c: &Content, facts: &[Fact]) -> FactTable {
    let ids = bound_ids(c);
    let used: Vec<Fact> = facts
        .iter()
        .filter(|f| ids.contains(&f.id))
        .cloned()
        .collect();
    FactTable::new(&used).unwrap_or_else(|e| panic!("content facts: {e}"))
}

/// [`table_of`] the content facts.
pub fn facts(c: &Content) -> FactTable {
    table_of(c, &engine_facts(c))
}

pub fn def<'a>(c: &'a Content, id: &str) -> &'a CalculatorDef {
    c.calculators
        .iter()
        .find(|d| d.id == id)
        .unwrap_or_else(|| panic!("no calculator {id} in content"))
}

/// `tests/fixtures/atlas.toml`: facts with content ids whose numbers deliberately differ.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    #[serde(rename = "fact")]
    pub facts: Vec<Fact>,
}

pub fn fixture() -> Fixture {
    let p = crate_dir().join("tests/fixtures/atlas.toml");
    toml::from_str(&read(&p)).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// `facts` with every fact of `overrides` replacing the one with its id (which must exist).
pub fn overridden(facts: &[Fact], overrides: &[Fact]) -> Vec<Fact> {
    let mut out = facts.to_vec();
    for o in overrides {
        let slot = out
            .iter_mut()
            .find(|f| f.id == o.id)
            .unwrap_or_else(|| panic!("override {}: no content fact with that id", o.id));
        *slot = o.clone();
    }
    out
}

pub fn calendar_data() -> CalendarData {
    let p = content_dir().join("calendars/cn-mainland.toml");
    toml::from_str(&read(&p)).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

pub fn calendar() -> Calendar {
    Calendar::new(&calendar_data()).expect("calendar data is valid")
}
