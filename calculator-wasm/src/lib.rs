//! JointLab Atlas rules engine: generic, data-driven calculators for the measures.
//!
//! The engine knows nothing of HTML or files. Every number of a measure comes from a
//! [`Fact`] passed in at run time; a [`CalculatorDef`] names a generic primitive and binds its
//! parameters to fact ids; [`Calendar`] supplies working days. [`run`] checks the user's input
//! JSON and returns an [`Output`] or an [`InputError`] naming the field.
//!
//! For the browser, the generator serialises a [`Bundle`] (def + the facts it binds + calendar
//! data) to JSON; the wasm build exposes `run_json(bundle_json, input_json)` (see `wasm.rs`).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod bonus;
pub mod calendar;
pub mod composition;
pub mod consistency;
pub mod dates;
pub mod def;
pub mod engine;
pub mod exclusion;
pub mod facts;
pub mod fraction;
pub mod inputs;
pub mod matching;
pub mod money;
pub mod output;
pub mod periods;
pub mod status;
pub mod thresholds;
pub mod timeline;
pub mod tranches;
pub mod typecheck;
#[cfg(target_arch = "wasm32")]
mod wasm;
pub mod words;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

pub use calendar::{Calendar, CalendarData};
pub use def::CalculatorDef;
pub use engine::run;
pub use facts::{Fact, FactTable};
pub use output::{InputError, Output};

use def::Binding;

/// Everything the browser needs to run one calculator.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    /// The definition.
    pub def: CalculatorDef,
    /// The facts it binds (others may be present; they are ignored).
    pub facts: Vec<Fact>,
    /// Calendar data.
    pub calendar: CalendarData,
    /// The site's status date: what "now" is for a measure's status when the calculator has
    /// no date input for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<dates::Day>,
    /// The theme's words where they differ from the engine's defaults (none: the defaults).
    #[serde(default, skip_serializing_if = "words::Words::is_empty")]
    pub words: words::Words,
}

impl Bundle {
    /// A bundle holding only the facts `def` refers to (keeps the page small).
    pub fn new(def: &CalculatorDef, all_facts: &[Fact], calendar: &CalendarData) -> Bundle {
        let ids = used_fact_ids(def);
        Bundle {
            def: def.clone(),
            facts: all_facts
                .iter()
                .filter(|f| ids.contains(&f.id))
                .cloned()
                .collect(),
            calendar: calendar.clone(),
            as_of: None,
            words: words::Words::default(),
        }
    }
}

/// Every fact id a definition refers to.
pub fn fact_ids(def: &CalculatorDef) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for b in def.bind.values() {
        match b {
            Binding::Fact(id) => {
                ids.insert(id.clone());
            }
            Binding::ByInput { facts, .. } => ids.extend(facts.values().cloned()),
        }
    }
    ids.extend(def.checks.iter().map(|c| c.fact.clone()));
    ids.extend(def.steps.iter().map(|s| s.period.clone()));
    ids.extend(def.parts.iter().filter_map(|p| p.offset.clone()));
    for a in &def.annual {
        ids.insert(a.date.clone());
        ids.extend(a.min_age.clone());
    }
    ids.extend(def.rules.iter().map(|r| r.fact.clone()));
    ids.extend(def.confirm.iter().map(|c| c.fact.clone()));
    ids.extend(def.scope.iter().map(|s| s.fact.clone()));
    // Obligations start no earlier than the measure's entry into force.
    if def.measure != "*" && (!def.steps.is_empty() || !def.annual.is_empty()) {
        ids.insert(facts::in_force_id(&def.measure));
    }
    ids.extend(def.inputs.iter().filter_map(|i| i.values_from.clone()));
    ids
}

/// Every fact id a definition may read: [`fact_ids`] (which must exist) and the measure's
/// status facts (which exist only where the measure has a call, a validity or a repeal).
pub fn used_fact_ids(def: &CalculatorDef) -> BTreeSet<String> {
    let mut ids = fact_ids(def);
    if def.measure != "*" {
        ids.extend(facts::status_ids(&def.measure));
    }
    ids
}

/// Checks at build time that every fact a definition refers to exists and every input it names
/// is declared (the generator should fail the build on an error).
pub fn check_def(def: &CalculatorDef, facts: &FactTable) -> Result<(), InputError> {
    for id in fact_ids(def) {
        if facts.get(&id).is_none() {
            return Err(InputError::definition(format!(
                "{}: fact {id} is missing",
                def.id
            )));
        }
    }
    let inputs: BTreeSet<&str> = def.inputs.iter().map(|i| i.name.as_str()).collect();
    let steps: BTreeSet<&str> = def.steps.iter().map(|s| s.id.as_str()).collect();
    let known = |n: &str| inputs.contains(n) || steps.contains(n);
    let mut names: Vec<&str> = Vec::new();
    names.extend(def.checks.iter().map(|c| c.input.as_str()));
    names.extend(def.checks.iter().filter_map(|c| c.at.as_deref()));
    names.extend(def.steps.iter().map(|s| s.from.as_str()));
    for a in &def.annual {
        names.extend([a.from.as_str(), a.until.as_str()]);
        names.extend(a.stop.as_deref());
        names.extend(a.horizon.as_deref());
    }
    for b in def.bind.values() {
        if let Binding::ByInput { by, .. } = b {
            names.push(by);
        }
    }
    for c in &def.consistency {
        names.extend([c.input.as_str(), c.than.as_str()]);
    }
    for p in &def.parts {
        names.extend(p.on.as_deref());
        names.extend(p.condition.as_deref());
    }
    names.extend(def.as_of.as_deref());
    if let Some(s) = &def.scope {
        match s.when.input.as_deref() {
            Some(n) => names.push(n),
            None => {
                return Err(InputError::definition(format!(
                    "{}: scope.when needs an input (whom the rule is for)",
                    def.id
                )))
            }
        }
    }
    if let Some(n) = names.into_iter().find(|n| !known(n)) {
        return Err(InputError::definition(format!(
            "{}: {n} is neither an input nor a step",
            def.id
        )));
    }
    if let Some(key) = required_labels(def)
        .into_iter()
        .find(|k| !def.labels.contains_key(k))
    {
        return Err(InputError::definition(format!(
            "{}: labels.{key} is missing: the primitive shows a result in the measure's own words",
            def.id
        )));
    }
    Ok(())
}

/// The `labels` keys a definition's primitive shows results with.
pub fn required_labels(def: &CalculatorDef) -> Vec<String> {
    use def::Primitive;
    let opt = |k: &str| def.options.get(k).cloned();
    match def.primitive {
        Primitive::Tranches => [
            "total",
            "tranches",
            "paid_total",
            "withheld_total",
            "pending_total",
        ]
        .map(String::from)
        .to_vec(),
        Primitive::GradedBonus => {
            let mut v = vec!["bonus".to_string()];
            if def.bind.contains_key("top_quota") {
                v.push("max_excellent".into());
            }
            v
        }
        Primitive::Matching => [
            opt("min_result"),
            opt("max_result"),
            Some("compliant".into()),
        ]
        .into_iter()
        .flatten()
        .collect(),
        _ => Vec::new(),
    }
}

/// A bundle read once, with its facts typed and its calendar built, to run on many inputs (the
/// planner runs every calculator again at each change of the profile).
#[derive(Debug)]
pub struct Prepared {
    bundle: Bundle,
    facts: FactTable,
    cal: Calendar,
}

impl Prepared {
    /// Types the bundle's facts and builds its calendar.
    pub fn new(bundle: Bundle) -> Result<Prepared, InputError> {
        let _words = words::Overriding::new(&bundle.words);
        let error = |field: &str, (zh, en): (String, String)| InputError::new(field, en, zh);
        let facts = FactTable::new(&bundle.facts)
            .map_err(|e| error("facts", w!("error_facts", error = e)))?;
        let cal = Calendar::new(&bundle.calendar)
            .map_err(|e| error("calendar", w!("error_calendar", error = e.0)))?;
        Ok(Prepared { bundle, facts, cal })
    }

    /// Reads a bundle from JSON and prepares it.
    pub fn from_json(bundle_json: &str) -> Result<Prepared, InputError> {
        let bundle = serde_json::from_str::<Bundle>(bundle_json).map_err(|e| {
            let (zh, en) = w!("error_bundle", error = e);
            InputError::new("bundle", en, zh)
        })?;
        Prepared::new(bundle)
    }

    /// Runs the calculator on `input_json`, in the bundle's words.
    pub fn run(&self, input_json: &str) -> Result<Output, InputError> {
        let _words = words::Overriding::new(&self.bundle.words);
        engine::run_as_of(
            &self.bundle.def,
            &self.facts,
            &self.cal,
            input_json,
            self.bundle.as_of.map(|d| d.0),
        )
    }
}

/// Runs a whole bundle on `input_json` (what the wasm surface does).
pub fn run_bundle(bundle: &Bundle, input_json: &str) -> Result<Output, InputError> {
    Prepared::new(bundle.clone())?.run(input_json)
}

/// `{"ok": output}` or `{"error": …}` for the outcome of a run, as JSON.
pub fn answer_json(result: Result<Output, InputError>) -> String {
    let value = match result {
        Ok(out) => serde_json::json!({ "ok": out }),
        Err(e) => serde_json::json!({ "error": e }),
    };
    value.to_string()
}

/// `{"ok": output}` or `{"error": {field, message, message_zh}}` for a bundle and input, both JSON.
pub fn run_json(bundle_json: &str, input_json: &str) -> String {
    answer_json(Prepared::from_json(bundle_json).and_then(|p| p.run(input_json)))
}
