//! Calculators as the site shows them: the form's inputs (choices resolved from facts), the
//! rules each one applies with their citations, and the browser bundle.

use std::collections::HashMap;

use serde::Serialize;

use crate::calc::Calculators;
use crate::model::facts::FactView;
use crate::model::Measure;

/// One choice of an enum input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChoiceView {
    /// Value sent to the engine.
    pub id: String,
    /// Chinese label.
    pub label: String,
    /// English label.
    pub label_en: String,
}

/// One input of a calculator's form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputView {
    /// Input name (a public interface).
    pub name: String,
    /// money / date / int / bool / enum / enum-list / percent / record-list.
    pub kind: String,
    /// Chinese label.
    pub label: String,
    /// English label.
    pub label_en: String,
    /// May be left empty.
    pub optional: bool,
    /// Choices for enum inputs.
    pub choices: Vec<ChoiceView>,
    /// Fields of a record-list input.
    pub fields: Vec<InputView>,
    /// Unit shown beside the field (Chinese), if any.
    pub unit: String,
    /// Unit shown beside the field (English).
    pub unit_en: String,
    /// An example value.
    pub example: String,
    /// An enum-list whose order matters: the label of row `{n}` (Chinese); empty for a set,
    /// shown as one checkbox per choice.
    pub item_label: String,
    /// English of `item_label`.
    pub item_label_en: String,
    /// For such a list, how many rows the definition allows (`0`: open-ended, rows are added
    /// and removed by the applicant).
    pub rows: usize,
}

/// A calculator page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalcView {
    /// Id (page slug, public interface).
    pub id: String,
    /// Chinese title.
    pub title: String,
    /// English title.
    pub title_en: String,
    /// Measure id, or `*` for several.
    pub measure: String,
    /// The measure's short title (empty for a calculator across measures).
    pub measure_title: String,
    /// The measure's short English title.
    pub measure_title_en: String,
    /// Primitive name.
    pub primitive: String,
    /// Who it is for, what to have at hand, what it does not cover (Chinese).
    pub intro: String,
    /// English.
    pub intro_en: String,
    /// Form inputs.
    pub inputs: Vec<InputView>,
    /// The rules it applies, with citations.
    pub facts: Vec<FactView>,
    /// The bundle (definition, facts, calendar) as JSON, for the browser (written as its own
    /// script, never part of a page's context).
    #[serde(skip)]
    pub bundle: String,
}

fn input_view(
    i: &calculator_wasm::def::InputDef,
    def: &calculator_wasm::CalculatorDef,
    calcs: &Calculators,
) -> InputView {
    let kind = serde_json::to_value(i.kind)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default();
    let mut choices: Vec<ChoiceView> = i
        .values
        .iter()
        .map(|c| ChoiceView {
            id: c.id.clone(),
            label: c.label.clone(),
            label_en: c.label_en.clone(),
        })
        .collect();
    if let Some(from) = &i.values_from {
        if let Some(f) = calcs.facts.iter().find(|f| &f.id == from) {
            // A categories fact or a grade scale: the choices the measure allows.
            choices.extend(f.categories.iter().map(|c| ChoiceView {
                id: c.id.clone(),
                label: c.label.clone(),
                label_en: c.label_en.clone(),
            }));
            choices.extend(f.grades.iter().map(|g| ChoiceView {
                id: g.id.clone(),
                label: g.label.clone(),
                label_en: g.label_en.clone(),
            }));
        }
    }
    InputView {
        name: i.name.clone(),
        kind,
        label: i.label.clone(),
        label_en: i.label_en.clone(),
        optional: i.optional,
        choices,
        fields: i.fields.iter().map(|f| input_view(f, def, calcs)).collect(),
        unit: i.unit.clone().unwrap_or_default(),
        unit_en: i.unit_en.clone().unwrap_or_default(),
        example: i.example.clone().unwrap_or_default(),
        item_label: i.item_label.clone().unwrap_or_default(),
        item_label_en: i.item_label_en.clone().unwrap_or_default(),
        rows: list_rows(i, def, calcs),
    }
}

/// How many rows an ordered enum-list allows: one per tranche for the conditions of a tranche
/// schedule (the longest schedule it may be bound to), else open-ended (0).
fn list_rows(
    i: &calculator_wasm::def::InputDef,
    def: &calculator_wasm::CalculatorDef,
    calcs: &Calculators,
) -> usize {
    use calculator_wasm::def::{Binding, Primitive};
    if def.primitive != Primitive::Tranches
        || def.options.get("conditions").map(String::as_str) != Some(i.name.as_str())
    {
        return 0;
    }
    let ids: Vec<&String> = match def.bind.get("shares") {
        Some(Binding::Fact(id)) => vec![id],
        Some(Binding::ByInput { facts, .. }) => facts.values().collect(),
        None => Vec::new(),
    };
    ids.iter()
        .filter_map(|id| calcs.facts.iter().find(|f| &&f.id == id))
        .map(|f| f.shares.len())
        .max()
        .unwrap_or(0)
}

/// The calculator pages' data, in id order.
pub(crate) fn build(
    calcs: &Calculators,
    measures: &[&Measure],
    as_of: time::Date,
) -> Vec<CalcView> {
    // Measures and facts looked up by id rather than scanned for each calculator: where most
    // measures have calculators, scans would cost calculators × facts. Fact ids are unique
    // (validated); a fact's place in site order keeps each calculator's facts in that order.
    let mut by_id: HashMap<&str, &Measure> = HashMap::with_capacity(measures.len());
    for m in measures {
        by_id.entry(m.id.as_str()).or_insert(m);
    }
    let facts_by_id: HashMap<&str, (usize, &FactView)> = measures
        .iter()
        .flat_map(|m| &m.facts)
        .enumerate()
        .map(|(i, f)| (f.id.as_str(), (i, &**f)))
        .collect();
    calcs
        .defs
        .iter()
        .map(|d| {
            let def = &d.def;
            let m = by_id.get(def.measure.as_str());
            let mut found: Vec<(usize, &FactView)> = calculator_wasm::fact_ids(def)
                .iter()
                .filter_map(|id| facts_by_id.get(id.as_str()).copied())
                .collect();
            found.sort_by_key(|(i, _)| *i);
            let facts = found.into_iter().map(|(_, f)| f.clone()).collect();
            CalcView {
                id: def.id.clone(),
                title: def.title.clone(),
                title_en: def.title_en.clone(),
                measure: def.measure.clone(),
                // A calculator across measures has none: the theme names it (`several_measures`).
                measure_title: m.map(|m| m.short_title.clone()).unwrap_or_default(),
                measure_title_en: m.map(|m| m.short_title_en.clone()).unwrap_or_default(),
                primitive: serde_json::to_value(def.primitive)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
                intro: def.intro.clone(),
                intro_en: def.intro_en.clone(),
                inputs: def
                    .inputs
                    .iter()
                    .map(|i| input_view(i, def, calcs))
                    .collect(),
                facts,
                bundle: calcs.bundle_json(def, Some(as_of)),
            }
        })
        .collect()
}
