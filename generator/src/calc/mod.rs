//! Calculator bindings: definitions from the content bound to its facts and the holiday
//! calendar, checked, and run natively (`atlas calc`); the browser runs the same engine
//! compiled to WASM. Imports content and address (and the `calculator-wasm` crate).

pub mod csv;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use calculator_wasm::{CalculatorDef, CalendarData, Fact, FactTable};

use crate::address::{unit_citation, units};
use crate::content::Corpus;
use crate::diagnostics::{Diagnostic, Report};

/// Where each calculator definition comes from.
#[derive(Debug, Clone)]
pub struct Defined {
    /// The definition.
    pub def: CalculatorDef,
    /// The file it is in.
    pub path: PathBuf,
}

/// Everything needed to run any calculator.
#[derive(Debug, Clone)]
pub struct Calculators {
    /// Definitions in a stable order (by id).
    pub defs: Vec<Defined>,
    /// Every content fact a definition refers to that the engine could read, in the engine's
    /// format (the others are never read: a calculator only sees its own facts).
    pub facts: Vec<Fact>,
    /// Facts a definition refers to that the engine could not read, with the reason.
    pub unreadable: BTreeMap<String, String>,
    /// The holiday calendar.
    pub calendar: CalendarData,
}

/// File name of the calendar the calculators use.
pub const CALENDAR: &str = "cn-mainland.toml";

/// Collects definitions and facts; problems go to `report`.
pub fn collect(corpus: &Corpus, report: &mut Report) -> Option<Calculators> {
    let mut defs = Vec::new();
    for l in &corpus.measures {
        defs.extend(l.value.calculators.iter().map(|d| Defined {
            def: d.clone(),
            path: l.path.clone(),
        }));
    }
    if let Some(c) = &corpus.calculators {
        defs.extend(c.value.calculators.iter().map(|d| Defined {
            def: d.clone(),
            path: c.path.clone(),
        }));
    }
    defs.sort_by(|a, b| a.def.id.cmp(&b.def.id));
    let wanted: HashSet<String> = defs
        .iter()
        .flat_map(|d| calculator_wasm::fact_ids(&d.def))
        .collect();
    let (facts, unreadable) = engine_facts(corpus, &wanted);
    let calendar = match corpus.calendars.get(CALENDAR) {
        Some(l) => match toml::from_str::<CalendarData>(l.text()) {
            Ok(c) => c,
            Err(e) => {
                let off = e.span().map_or(0, |s| s.start);
                report.push(Diagnostic::error_at(
                    &l.path,
                    l.text(),
                    off,
                    e.message().to_string(),
                    "see the calendar file's header for its format",
                ));
                return None;
            }
        },
        // No calculators and no calendar: nothing to run, nothing wrong.
        None if defs.is_empty() => return None,
        None => {
            report.push(Diagnostic::file_error(
                &corpus.root.join("calendars").join(CALENDAR),
                "calculators need the holiday calendar, which is missing",
                "restore content/calendars/cn-mainland.toml",
            ));
            return None;
        }
    };
    Some(Calculators {
        defs,
        facts,
        unreadable,
        calendar,
    })
}

/// The content facts with an id in `wanted`, in the engine's format: each `[[fact]]` table as
/// written, plus the measure id and the citation words.
fn engine_facts(
    corpus: &Corpus,
    wanted: &HashSet<String>,
) -> (Vec<Fact>, BTreeMap<String, String>) {
    use rayon::prelude::*;
    // Per measure in parallel, from the facts already parsed (not a second parse of the file).
    let per: Vec<Vec<(String, Result<Fact, String>)>> = corpus
        .measures
        .par_iter()
        .map(|l| {
            let m = &l.value;
            let in_force = calculator_wasm::facts::in_force_id(m.id.get_ref());
            let wants_in_force = wanted.contains(&in_force);
            if !wants_in_force && !m.facts.iter().any(|f| wanted.contains(f.id.get_ref())) {
                return Vec::new();
            }
            // Only anchors and numbers are needed for the citation words.
            let us = units::unit_refs(m);
            let mut by_anchor: HashMap<&str, &units::UnitRef> = HashMap::with_capacity(us.len());
            for u in &us {
                // The first unit with an anchor, as a search in document order finds it.
                by_anchor.entry(u.anchor()).or_insert(u);
            }
            let cite_text_of = |cite: &str| {
                by_anchor
                    .get(cite)
                    .map(|u| format!("{}{}", m.short_title, unit_citation(&u.head, m).0))
                    .unwrap_or_else(|| cite.to_string())
            };
            // The measure's entry into force, as a fact the engine reads: obligations start no
            // earlier than this day.
            let in_force_fact = wants_in_force.then(|| {
                let date = crate::content::effective_date(m).first;
                let cite = m.effective.cite.get_ref();
                let mut t = toml::Table::new();
                let s = |x: &str| toml::Value::String(x.to_string());
                t.insert("id".into(), s(&in_force));
                t.insert("measure".into(), s(m.id.get_ref()));
                t.insert("type".into(), s("in-force"));
                t.insert("force".into(), s("hard"));
                t.insert("label".into(), s("本办法施行日期"));
                t.insert("label_en".into(), s("Entry into force of the measure"));
                t.insert("cite".into(), s(cite));
                t.insert("cite_text".into(), s(&cite_text_of(cite)));
                t.insert("quote".into(), s(m.effective.quote.get_ref()));
                t.insert(
                    "date".into(),
                    s(&format!(
                        "{:04}-{:02}-{:02}",
                        date.year(),
                        u8::from(date.month()),
                        date.day()
                    )),
                );
                let read = toml::Value::Table(t)
                    .try_into::<Fact>()
                    .map_err(|e| e.to_string());
                (in_force.clone(), read)
            });
            m.facts
                .iter()
                .filter(|f| wanted.contains(f.id.get_ref()))
                .map(|f| {
                    let mut t = f.to_table();
                    let cite_text = cite_text_of(f.cite.get_ref());
                    t.insert(
                        "measure".into(),
                        toml::Value::String(m.id.get_ref().clone()),
                    );
                    t.insert("cite_text".into(), toml::Value::String(cite_text));
                    // Display-only keys of the content format that the engine does not model.
                    t.remove("note");
                    t.remove("note_en");
                    let read = toml::Value::Table(t)
                        .try_into::<Fact>()
                        .map_err(|e| e.to_string());
                    (f.id.get_ref().clone(), read)
                })
                .chain(in_force_fact)
                .collect()
        })
        .collect();
    let mut facts = Vec::new();
    let mut bad = BTreeMap::new();
    for (id, read) in per.into_iter().flatten() {
        match read {
            Ok(f) => facts.push(f),
            Err(e) => {
                bad.insert(id, e);
            }
        }
    }
    (facts, bad)
}

impl Calculators {
    /// The definition with this id.
    pub fn get(&self, id: &str) -> Option<&CalculatorDef> {
        self.defs.iter().map(|d| &d.def).find(|d| d.id == id)
    }

    /// The engine's fact table for one definition (only the facts it uses).
    pub fn table_for(&self, def: &CalculatorDef) -> Result<FactTable, String> {
        let ids = calculator_wasm::fact_ids(def);
        for id in &ids {
            if let Some(why) = self.unreadable.get(id) {
                return Err(format!(
                    "fact {id} cannot be read by the calculator engine: {why}"
                ));
            }
        }
        let used: Vec<Fact> = self
            .facts
            .iter()
            .filter(|f| ids.contains(&f.id))
            .cloned()
            .collect();
        FactTable::new(&used).map_err(|e| e.to_string())
    }

    /// The browser bundle of one calculator, as JSON.
    pub fn bundle_json(&self, def: &CalculatorDef) -> String {
        serde_json::to_string(&calculator_wasm::Bundle::new(
            def,
            &self.facts,
            &self.calendar,
        ))
        .unwrap_or_default()
    }

    /// Runs a calculator natively on a JSON object of inputs.
    pub fn run(
        &self,
        id: &str,
        input_json: &str,
    ) -> Result<calculator_wasm::Output, calculator_wasm::InputError> {
        let def = self.get(id).ok_or_else(|| {
            calculator_wasm::InputError::definition(format!("no calculator '{id}'"))
        })?;
        let facts = self
            .table_for(def)
            .map_err(calculator_wasm::InputError::definition)?;
        let cal = calculator_wasm::Calendar::new(&self.calendar)
            .map_err(|e| calculator_wasm::InputError::definition(e.0))?;
        calculator_wasm::run(def, &facts, &cal, input_json)
    }
}

/// Validation of `calcs`, collected from `corpus`: unique ids, a known measure, every bound
/// fact readable, every input wired.
pub fn check(calcs: &Calculators, corpus: &Corpus, report: &mut Report) {
    let measures: std::collections::BTreeSet<&str> = corpus
        .measures
        .iter()
        .map(|l| l.value.id.get_ref().as_str())
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for d in &calcs.defs {
        let at = |msg: String, hint: &str| {
            Diagnostic::file_error(&d.path, format!("calculator '{}': {msg}", d.def.id), hint)
        };
        if !seen.insert(d.def.id.clone()) {
            report.push(at(
                "duplicate calculator id".into(),
                "each calculator needs its own id",
            ));
        }
        if !crate::content::is_safe_id(&d.def.id) {
            report.push(at(
                "id is not a safe slug".into(),
                "use lower-case ASCII letters, digits and hyphens",
            ));
        }
        if !measures.contains(d.def.measure.as_str()) && d.def.measure != "*" {
            report.push(at(
                format!("measure '{}' is not in the collection", d.def.measure),
                "name the measure whose facts it applies, or \"*\" for several",
            ));
        }
        match calcs.table_for(&d.def) {
            Err(e) => report.push(at(e, "bind the calculator to facts of a type the engine reads (see calculator-wasm/src/facts.rs)")),
            Ok(table) => {
                if let Err(e) = calculator_wasm::check_def(&d.def, &table) {
                    report.push(at(e.message, "every bound fact must exist in content/measures and every input named in the definition must be declared"));
                }
            }
        }
    }
}
