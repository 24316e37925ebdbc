//! The planner page's data: one profile for every calculator of the collection. Which
//! calculators take part, which profile field each input reads and the profile's words all come
//! from content (`[[profile]]` in `calculators.toml`, `profile = "…"` on an input, `planner =
//! false` on a calculator); nothing here knows a measure.

use serde::Serialize;

use crate::calc::profile::{resolve, ProfileRead};
use crate::calc::Calculators;
use crate::model::calculators::{CalcView, ChoiceView, InputView};
use crate::model::measure::{CallView, Status};
use crate::model::Measure;

/// The planner page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannerView {
    /// The profile's fields, in the order declared; `name` is the form key (`profile-staff`).
    pub profile: Vec<InputView>,
    /// Measures with calculators in the planner, in site order; calculators spanning several
    /// measures last (id `*`).
    pub measures: Vec<PlannerMeasure>,
    /// The places of the local measures: a unit's place decides which local measures apply.
    pub places: Vec<Place>,
    /// What the page's script needs (every calculator's inputs and the key each reads), as JSON
    /// safe to put inside a `<script>` element.
    #[serde(skip)]
    pub spec: String,
}

/// A measure on the planner page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannerMeasure {
    /// Measure id, or `*`.
    pub id: String,
    /// Short title (Chinese).
    pub title: String,
    /// Short title (English).
    pub title_en: String,
    /// Inputs of its calculators that no profile field covers, once per name; `name` is the
    /// form key (`<measure>--<input>`).
    pub fields: Vec<InputView>,
    /// Its calculators in the planner, in id order.
    pub calculators: Vec<PlannerCalc>,
    /// Where it applies (`昆明市`; empty for calculators spanning several measures).
    pub jurisdiction: String,
    /// English.
    pub jurisdiction_en: String,
    /// Whether it applies everywhere (issued nationally or by a ministry, or spanning measures).
    pub everywhere: bool,
    /// The call for applications its text makes, if any (none for calculators spanning
    /// measures).
    pub call: Option<CallView>,
    /// Its status on the site's status date (a call open or closed); none for `*`.
    pub status: Option<Status>,
}

/// A place the profile can name: the jurisdiction of a local measure, with the one it lies in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    /// The jurisdiction as the measures write it (`昆明市`), the form's value.
    pub id: String,
    /// Chinese label (`云南省昆明市`).
    pub label: String,
    /// English label.
    pub label_en: String,
    /// The places a unit here is also in (`云南省`), space-separated for the page's script.
    pub within: String,
}

/// A calculator on the planner page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannerCalc {
    /// Id (its page is `calculators/<id>.html`).
    pub id: String,
    /// Chinese title.
    pub title: String,
    /// English title.
    pub title_en: String,
    /// Primitive name.
    pub primitive: String,
}

#[derive(Serialize)]
struct SpecInput<'a> {
    name: &'a str,
    key: String,
    kind: &'a str,
    optional: bool,
    label: &'a str,
    label_en: &'a str,
    /// A choice's values (an `enum`): when it is the one thing missing, the planner shows the
    /// outcome of each (a bonus by grade, a verdict by type of base).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    choices: &'a [ChoiceView],
    /// A list reading a profile list whose choices are more than its own: the ones it takes
    /// (the others are for other inputs).
    #[serde(skip_serializing_if = "Option::is_none")]
    accepts: Option<Vec<&'a str>>,
}

#[derive(Serialize)]
struct SpecCalc<'a> {
    id: &'a str,
    measure: &'a str,
    primitive: &'a str,
    inputs: Vec<SpecInput<'a>>,
    /// Whether the rule is for some applicants only (`[calculator.scope]`): the engine then
    /// says "does not apply" to the others before every input is filled in.
    scoped: bool,
}

/// A date of a dated list, named for a message at its field.
#[derive(Serialize)]
struct SpecDate {
    id: String,
    label: String,
    label_en: String,
}

/// A dated list of the profile: which of its choices are held on the day that counts.
#[derive(Serialize)]
struct SpecDated {
    /// Form key of the list (`profile-held`); a date's key is `<key>.<choice>.<date>`.
    key: String,
    choices: Vec<String>,
    /// Dates from which a choice is held (a recognition obtained).
    starts: Vec<SpecDate>,
    /// Dates from which it no longer is (a recognition revoked); not before any start.
    ends: Vec<SpecDate>,
    /// The profile date on which it must be held (the planned filing date); today if empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    on: Option<String>,
}

#[derive(Serialize)]
struct Spec<'a> {
    calculators: Vec<SpecCalc<'a>>,
    /// Profile keys whose date must not be after today.
    past: Vec<String>,
    /// The dated lists.
    dated: Vec<SpecDated>,
    as_of: String,
}

/// Kinds the planner's form asks for: a list with an order (one result per year) or of records
/// belongs on the calculator's own page; such an input is left out (a required one makes its
/// calculator "cannot tell").
fn askable(i: &InputView) -> bool {
    !(i.kind == "record-list" || (i.kind == "enum-list" && !i.item_label.is_empty()))
}

fn spec_dates(dates: &[crate::content::ProfileDate], ends: bool) -> Vec<SpecDate> {
    dates
        .iter()
        .filter(|d| d.ends == ends)
        .map(|d| SpecDate {
            id: d.id.clone(),
            label: d.label.clone(),
            label_en: d.label_en.clone(),
        })
        .collect()
}

fn profile_key(id: &str) -> String {
    format!("profile-{id}")
}

fn local_key(measure: &str, input: &str) -> String {
    let m = if measure == "*" { "all" } else { measure };
    format!("{m}--{input}")
}

/// The planner's data, or `None` when no calculator takes part.
pub(crate) fn build(
    calcs: &Calculators,
    views: &[CalcView],
    measures: &[&Measure],
    as_of: time::Date,
) -> Option<PlannerView> {
    let in_planner: Vec<(&CalcView, &calculator_wasm::CalculatorDef)> = views
        .iter()
        .filter_map(|v| {
            let d = calcs.defs.iter().find(|d| d.def.id == v.id)?;
            (d.def.planner != Some(false)).then_some((v, &d.def))
        })
        .collect();
    if in_planner.is_empty() {
        return None;
    }
    // The profile: each declared field read by at least one calculator of the planner, its
    // choices the union of those of the inputs that read it.
    let mut profile: Vec<InputView> = Vec::new();
    for f in &calcs.profile {
        // Inputs reading the field itself, and inputs reading one date of one of its choices.
        let mut read = false;
        let mut readers: Vec<&InputView> = Vec::new();
        for (v, d) in &in_planner {
            for (iv, i) in v.inputs.iter().zip(&d.inputs) {
                match i
                    .profile
                    .as_deref()
                    .and_then(|p| resolve(&calcs.profile, p))
                {
                    Some(ProfileRead::Field(g)) if g.id == f.id => readers.push(iv),
                    Some(ProfileRead::Date { field: g, .. }) if g.id == f.id => read = true,
                    _ => {}
                }
            }
        }
        if readers.is_empty() && !read {
            continue;
        }
        let mut choices: Vec<ChoiceView> = Vec::new();
        let declared = f.values.iter().map(|c| ChoiceView {
            id: c.id.clone(),
            label: c.label.clone(),
            label_en: c.label_en.clone(),
        });
        for c in readers
            .iter()
            .flat_map(|r| r.choices.iter().cloned())
            .chain(declared)
        {
            if !choices.iter().any(|x| x.id == c.id) {
                choices.push(c);
            }
        }
        let kind = serde_json::to_value(f.kind)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        // A dated list: its dates are asked beside each choice ticked (the template names them
        // `<field>.<choice>.<date>`).
        let dates = f
            .dates
            .iter()
            .map(|d| InputView {
                name: d.id.clone(),
                kind: "date".into(),
                label: d.label.clone(),
                label_en: d.label_en.clone(),
                optional: true,
                choices: Vec::new(),
                fields: Vec::new(),
                unit: String::new(),
                unit_en: String::new(),
                example: String::new(),
                item_label: String::new(),
                item_label_en: String::new(),
                rows: 0,
            })
            .collect();
        profile.push(InputView {
            name: profile_key(&f.id),
            kind,
            label: f.label.clone(),
            label_en: f.label_en.clone(),
            optional: true,
            choices,
            fields: dates,
            unit: f.unit.clone(),
            unit_en: f.unit_en.clone(),
            example: f.example.clone(),
            item_label: String::new(),
            item_label_en: String::new(),
            rows: 0,
        });
    }
    use crate::content::vocab::Level;
    let mut order: Vec<(String, String, String, Option<&Measure>)> = measures
        .iter()
        .map(|m| {
            (
                m.id.clone(),
                m.short_title.clone(),
                m.short_title_en.clone(),
                Some(*m),
            )
        })
        .collect();
    order.push(("*".into(), String::new(), String::new(), None));
    let mut out = Vec::new();
    let mut spec = Vec::new();
    let mut places: Vec<Place> = Vec::new();
    for (id, title, title_en, measure) in order {
        let here: Vec<&(&CalcView, &calculator_wasm::CalculatorDef)> =
            in_planner.iter().filter(|(v, _)| v.measure == id).collect();
        if here.is_empty() {
            continue;
        }
        let mut fields: Vec<InputView> = Vec::new();
        for (v, d) in &here {
            let mut inputs = Vec::new();
            for (iv, i) in v.inputs.iter().zip(&d.inputs) {
                // A field no [[profile]] declares (no calculators.toml) is asked under the measure.
                let read = i
                    .profile
                    .as_deref()
                    .and_then(|p| resolve(&calcs.profile, p));
                let reads = i.profile.as_ref().filter(|_| read.is_some());
                let key = match reads {
                    Some(p) => profile_key(p),
                    None => local_key(&id, &i.name),
                };
                let asked = reads.is_some() || (askable(iv) && i.planner != Some(false));
                if reads.is_none() && asked {
                    match fields.iter_mut().find(|f| f.name == key) {
                        // The same name in two calculators of one measure is one fact about the
                        // applicant; it is optional only if every calculator may go without it.
                        Some(f) => f.optional &= iv.optional,
                        None => fields.push(InputView {
                            name: key.clone(),
                            ..iv.clone()
                        }),
                    }
                }
                // A missing input is named as the form names it: the profile's words (a date of
                // a dated list by the input's own, which say which recognition).
                let (label, label_en) = match read {
                    Some(ProfileRead::Field(f)) => (f.label.as_str(), f.label_en.as_str()),
                    _ => (iv.label.as_str(), iv.label_en.as_str()),
                };
                inputs.push(SpecInput {
                    name: &i.name,
                    key: if asked { key } else { String::new() },
                    kind: &iv.kind,
                    optional: iv.optional,
                    label,
                    label_en,
                    choices: if iv.kind == "enum" { &iv.choices } else { &[] },
                    accepts: matches!(read, Some(ProfileRead::Field(_)))
                        .then(|| iv.choices.iter().map(|c| c.id.as_str()).collect())
                        .filter(|c: &Vec<&str>| !c.is_empty()),
                });
            }
            spec.push(SpecCalc {
                id: &v.id,
                measure: &v.measure,
                primitive: &v.primitive,
                inputs,
                scoped: d.scope.is_some(),
            });
        }
        let everywhere =
            measure.is_none_or(|m| matches!(m.level, Level::National | Level::Ministerial));
        if let (Some(m), false) = (measure, everywhere) {
            if !places.iter().any(|p| p.id == m.jurisdiction) {
                let within = m.within.clone().unwrap_or_default();
                places.push(Place {
                    id: m.jurisdiction.clone(),
                    label: format!("{within}{}", m.jurisdiction),
                    label_en: m.jurisdiction_en.clone(),
                    within,
                });
            }
        }
        out.push(PlannerMeasure {
            jurisdiction: measure.map(|m| m.jurisdiction.clone()).unwrap_or_default(),
            jurisdiction_en: measure
                .map(|m| m.jurisdiction_en.clone())
                .unwrap_or_default(),
            everywhere,
            call: measure.and_then(|m| m.call.clone()),
            status: measure.map(|m| m.status),
            id: id.clone(),
            title,
            title_en,
            fields,
            calculators: here
                .iter()
                .map(|(v, _)| PlannerCalc {
                    id: v.id.clone(),
                    title: v.title.clone(),
                    title_en: v.title_en.clone(),
                    primitive: v.primitive.clone(),
                })
                .collect(),
        });
    }
    // Every date of a dated list has happened, like a `past` field's.
    let mut past: Vec<String> = calcs
        .profile
        .iter()
        .filter(|f| f.past)
        .map(|f| profile_key(&f.id))
        .collect();
    let mut dated = Vec::new();
    for f in profile.iter().filter(|f| !f.fields.is_empty()) {
        for c in &f.choices {
            past.extend(
                f.fields
                    .iter()
                    .map(|d| format!("{}.{}.{}", f.name, c.id, d.name)),
            );
        }
        let Some(declared) = calcs.profile.iter().find(|d| profile_key(&d.id) == f.name) else {
            continue;
        };
        dated.push(SpecDated {
            key: f.name.clone(),
            choices: f.choices.iter().map(|c| c.id.clone()).collect(),
            starts: spec_dates(&declared.dates, false),
            ends: spec_dates(&declared.dates, true),
            on: declared.held_on.as_deref().map(profile_key),
        });
    }
    let spec = Spec {
        calculators: spec,
        past,
        dated,
        as_of: as_of.to_string(),
    };
    // `</` cannot end the script element it is written into.
    let spec = serde_json::to_string(&spec)
        .unwrap_or_default()
        .replace("</", "<\\/");
    places.sort_by(|a, b| a.label.cmp(&b.label));
    Some(PlannerView {
        profile,
        measures: out,
        places,
        spec,
    })
}
