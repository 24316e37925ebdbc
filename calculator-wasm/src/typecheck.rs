//! Type-checking a calculator definition against its facts before any page is written: each
//! binding against the fact type (and unit) the primitive reads, each input an option names
//! against the kind the primitive needs, every required option present, checks against the
//! unit of their fact, steps against periods. A definition that passes cannot fail with
//! "计算器定义有误" for a reason of types when someone runs it.
//!
//! Each finding carries the path of the offending key inside the `[[calculator]]` table
//! (`bind.total`, `checks[2].fact`, `options`), so `atlas check` can point at its line.

use crate::def::{Binding, CalculatorDef, InputType, Primitive, RuleKind};
use crate::facts::{FactTable, FactValue, TypedFact, Unit};

/// A step of a path inside the calculator's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A key.
    Key(String),
    /// An item of an array of tables.
    Index(usize),
}

/// A definition error: where, what, how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefError {
    /// Path of the key inside the `[[calculator]]` table.
    pub path: Vec<Seg>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

/// What a fact parameter may be.
#[derive(Clone, Copy)]
enum Want {
    Money,
    Schedule,
    Period,
    GradeScale,
    Share,
    Quota,
    Ratio,
}

impl Want {
    fn accepts(self, f: &TypedFact) -> bool {
        match (self, &f.value) {
            (Want::Money, FactValue::Amount(_) | FactValue::Cap(_)) => true,
            (Want::Schedule, FactValue::Schedule(_)) => true,
            (Want::Period, FactValue::Period(_)) => true,
            (Want::Period, FactValue::Maximum { unit, .. }) => unit.period_unit().is_some(),
            (Want::GradeScale, FactValue::GradeScale(_)) => true,
            (Want::Share, FactValue::Share(_)) => true,
            (Want::Quota, FactValue::Share(_)) => true,
            (Want::Quota, FactValue::Maximum { unit, .. }) => *unit == Unit::Percent,
            (Want::Ratio, FactValue::Ratio(_)) => true,
            _ => false,
        }
    }

    fn words(self) -> &'static str {
        match self {
            Want::Money => "an amount or a cap (money)",
            Want::Schedule => "a schedule of shares",
            Want::Period => "a period (or a maximum in years, months or days)",
            Want::GradeScale => "a grade scale",
            Want::Share => "a share",
            Want::Quota => "a share or a percentage maximum",
            Want::Ratio => "a ratio",
        }
    }
}

/// Every type error of `def` against `facts` (facts that are missing are reported elsewhere).
pub fn typecheck(def: &CalculatorDef, facts: &FactTable) -> Vec<DefError> {
    let mut errs = Vec::new();
    let input_kind = |name: &str| def.inputs.iter().find(|i| i.name == name).map(|i| i.kind);
    // Bindings the primitive reads, and what each must be.
    let params: &[(&str, Want, bool)] = match def.primitive {
        Primitive::Tranches if def.parts.is_empty() => &[
            ("total", Want::Money, true),
            ("shares", Want::Schedule, true),
            ("interval", Want::Period, true),
        ],
        Primitive::Tranches if def.options.contains_key("total") => {
            &[("cap", Want::Money, true), ("shares", Want::Schedule, true)]
        }
        Primitive::Tranches => &[
            ("total", Want::Money, true),
            ("shares", Want::Schedule, true),
        ],
        Primitive::GradedBonus => &[
            ("scale", Want::GradeScale, true),
            ("share", Want::Share, true),
            ("top_quota", Want::Quota, false),
        ],
        Primitive::Matching => &[("ratio", Want::Ratio, true), ("cap", Want::Money, true)],
        _ => &[],
    };
    for (param, want, required) in params {
        let path = vec![key("bind"), key(param)];
        match def.bind.get(*param) {
            None if *required => errs.push(DefError {
                path: vec![key("bind")],
                message: format!(
                    "the {} primitive needs bind.{param}",
                    prim_name(def.primitive)
                ),
                hint: format!("bind {param} to the id of {} fact", want.words()),
            }),
            None => {}
            Some(b) => {
                let ids: Vec<&String> = match b {
                    Binding::Fact(id) => vec![id],
                    Binding::ByInput { facts, by } => {
                        if !matches!(input_kind(by), Some(InputType::Enum)) {
                            errs.push(DefError {
                                path: path.clone(),
                                message: format!(
                                    "bind.{param} is chosen by {by}, which is not an enum input"
                                ),
                                hint: "choose a binding by an enum input (by = \"<enum input>\")"
                                    .into(),
                            });
                        }
                        facts.values().collect()
                    }
                };
                for id in ids {
                    if let Some(f) = facts.get(id) {
                        if !want.accepts(f) {
                            errs.push(DefError {
                                path: path.clone(),
                                message: format!(
                                    "bind.{param} is fact {id}, a {} fact; the {} primitive reads {} here",
                                    f.value.type_name(),
                                    prim_name(def.primitive),
                                    want.words()
                                ),
                                hint: format!("bind {param} to {} fact", want.words()),
                            });
                        }
                    }
                }
            }
        }
    }
    // Options: required, and naming inputs of the kind the primitive needs.
    let options: Vec<(&str, Option<InputType>)> = match def.primitive {
        Primitive::Tranches if def.parts.is_empty() => vec![
            ("start", Some(InputType::Date)),
            ("conditions", Some(InputType::EnumList)),
            ("pass", None),
            ("on_fail", None),
        ],
        Primitive::Tranches => Vec::new(),
        Primitive::GradedBonus => {
            let mut v = vec![
                ("base", Some(InputType::Money)),
                ("grade", Some(InputType::Enum)),
            ];
            if def.bind.contains_key("top_quota") {
                v.push(("count", Some(InputType::Int)));
            }
            v
        }
        Primitive::Matching => vec![
            ("own", Some(InputType::Money)),
            ("public", Some(InputType::Money)),
            ("min_result", None),
            ("max_result", None),
        ],
        Primitive::Composition => vec![("members", Some(InputType::RecordList))],
        Primitive::Exclusion => vec![("held", Some(InputType::EnumList))],
        Primitive::Timeline | Primitive::Eligibility => Vec::new(),
    };
    for (opt, kind) in options {
        match (def.options.get(opt), kind) {
            (None, _) => errs.push(DefError {
                path: vec![key("options")],
                message: format!(
                    "the {} primitive needs the option {opt}",
                    prim_name(def.primitive)
                ),
                hint: match kind {
                    Some(k) => format!(
                        "add {opt} = \"<name of a {} input>\" to options",
                        kind_name(k)
                    ),
                    None => format!("add {opt} = \"…\" to options"),
                },
            }),
            (Some(name), Some(k)) if input_kind(name) != Some(k) => errs.push(DefError {
                path: vec![key("options")],
                message: format!(
                    "options.{opt} names {name}, which is not a {} input",
                    kind_name(k)
                ),
                hint: format!(
                    "declare {name} as type = \"{}\" or name another input",
                    kind_name(k)
                ),
            }),
            _ => {}
        }
    }
    if def.primitive == Primitive::Tranches && !def.parts.is_empty() {
        if let Some(name) = def.options.get("total") {
            if input_kind(name) != Some(InputType::Money) {
                errs.push(DefError {
                    path: vec![key("options")],
                    message: format!("options.total names {name}, which is not a money input"),
                    hint: "the amount awarded is a money input".into(),
                });
            }
        }
        for (i, p) in def.parts.iter().enumerate() {
            let at = |k: &str| vec![key("parts"), Seg::Index(i), key(k)];
            if let Some(c) = &p.condition {
                if input_kind(c) != Some(InputType::Enum) {
                    errs.push(DefError {
                        path: at("condition"),
                        message: format!(
                            "parts[{i}].condition names {c}, which is not an enum input"
                        ),
                        hint: "a condition is an enum input whose `pass` value means met".into(),
                    });
                }
            }
            if let Some(on) = &p.on {
                if input_kind(on).is_some_and(|k| k != InputType::Date) {
                    errs.push(DefError {
                        path: at("on"),
                        message: format!("parts[{i}].on names {on}, which is not a date"),
                        hint: "name a date input or a step".into(),
                    });
                }
            }
            if let Some(off) = &p.offset {
                if facts.get(off).is_some_and(|f| !Want::Period.accepts(f)) {
                    errs.push(DefError {
                        path: at("offset"),
                        message: format!("parts[{i}].offset is fact {off}, which is not a period"),
                        hint: "an offset is a period fact counted from `on`".into(),
                    });
                }
            }
        }
    }
    // Checks: a threshold fact, compared with an input of its unit.
    for (i, c) in def.checks.iter().enumerate() {
        let Some(f) = facts.get(&c.fact) else {
            continue;
        };
        let path = vec![key("checks"), Seg::Index(i), key("fact")];
        let unit = match &f.value {
            FactValue::Minimum { unit, .. } | FactValue::Maximum { unit, .. } => *unit,
            FactValue::Cap(_) => Unit::Yuan,
            // A bar (三年内不得再次申请): counted from a date input to the `at` date.
            FactValue::Period(_) => {
                if input_kind(&c.input) != Some(InputType::Date) || c.at.is_none() {
                    errs.push(DefError {
                        path,
                        message: format!(
                            "check {} is bound to the period fact {}: a bar is counted from a date input to an `at` date",
                            c.id, c.fact
                        ),
                        hint: "give the date the bar runs from as `input` and the date to judge as `at`".into(),
                    });
                }
                continue;
            }
            other => {
                errs.push(DefError {
                    path,
                    message: format!(
                        "check {} is bound to fact {}, a {} fact: a check compares with a minimum, a maximum, a cap or a bar (a period)",
                        c.id,
                        c.fact,
                        other.type_name()
                    ),
                    hint: "bind the check to a minimum, maximum or cap fact, or a period (a bar)"
                        .into(),
                });
                continue;
            }
        };
        let Some(kind) = input_kind(&c.input) else {
            continue;
        };
        let fits = match kind {
            InputType::Money => unit.is_money(),
            InputType::Int => {
                !unit.is_money() && unit != Unit::Percent && unit.period_unit().is_none()
            }
            InputType::Percent => unit == Unit::Percent,
            InputType::Date => unit.period_unit().is_some() && c.at.is_some(),
            _ => false,
        };
        if !fits {
            errs.push(DefError {
                path,
                message: format!(
                    "check {} compares the {} input {} with fact {} in {}",
                    c.id,
                    kind_name(kind),
                    c.input,
                    c.fact,
                    unit_name(unit)
                ),
                hint: "compare money with yuan/wan-yuan, whole numbers with persons, items …, percentages with percent, a date (with `at`) with a time span".into(),
            });
        }
    }
    for (i, s) in def.steps.iter().enumerate() {
        if let Some(f) = facts.get(&s.period) {
            if !Want::Period.accepts(f) {
                errs.push(DefError {
                    path: vec![key("steps"), Seg::Index(i), key("period")],
                    message: format!(
                        "step {} counts fact {}, a {} fact, not a period",
                        s.id,
                        s.period,
                        f.value.type_name()
                    ),
                    hint: "a step counts a period fact (or a maximum in years, months or days)"
                        .into(),
                });
            } else if f.period_kind.is_none() {
                errs.push(DefError {
                    path: vec![key("steps"), Seg::Index(i), key("period")],
                    message: format!("step {} counts fact {}, which does not say whether it is a time to act or a term", s.id, s.period),
                    hint: "add period_kind = \"deadline\" or \"term\" to the fact".into(),
                });
            }
        }
    }
    for (i, a) in def.annual.iter().enumerate() {
        if facts
            .get(&a.date)
            .is_some_and(|f| !matches!(f.value, FactValue::AnnualDate { .. }))
        {
            errs.push(DefError {
                path: vec![key("annual"), Seg::Index(i), key("date")],
                message: format!(
                    "annual {} reads fact {}, which is not an annual-date fact",
                    a.id, a.date
                ),
                hint: "bind it to an annual-date fact (每年11月30日前: month = 11, day = 30)"
                    .into(),
            });
        }
    }
    for (i, r) in def.rules.iter().enumerate() {
        let Some(f) = facts.get(&r.fact) else {
            continue;
        };
        let ok = match r.kind {
            RuleKind::MinCount => matches!(f.value, FactValue::Minimum { .. }),
            RuleKind::MaxShare => matches!(f.value, FactValue::Share(_)),
            RuleKind::RoleMaxAge => matches!(
                f.value,
                FactValue::Maximum {
                    unit: Unit::Age,
                    ..
                }
            ),
            RuleKind::InputMax => matches!(
                f.value,
                FactValue::Maximum { .. } | FactValue::Minimum { .. }
            ),
            RuleKind::OddCount | RuleKind::RoleNot | RuleKind::Excludes => true,
        };
        if !ok {
            errs.push(DefError {
                path: vec![key("rules"), Seg::Index(i), key("fact")],
                message: format!("a {:?} rule reads fact {}, a {} fact", r.kind, r.fact, f.value.type_name()),
                hint: "min-count reads a minimum, max-share a share, role-max-age a maximum in age, input-max a maximum".into(),
            });
        }
    }
    for (i, input) in def.inputs.iter().enumerate() {
        if let Some(from) = &input.values_from {
            if facts.get(from).is_some_and(|f| {
                !matches!(f.value, FactValue::Categories(_) | FactValue::GradeScale(_))
            }) {
                errs.push(DefError {
                    path: vec![key("inputs"), Seg::Index(i), key("values_from")],
                    message: format!("input {} takes its values from {from}, which is neither a categories nor a grade-scale fact", input.name),
                    hint: "values_from names a categories or grade-scale fact".into(),
                });
            }
            if !matches!(input.kind, InputType::Enum | InputType::EnumList) {
                errs.push(DefError {
                    path: vec![key("inputs"), Seg::Index(i), key("values_from")],
                    message: format!("input {} has values_from but is not an enum", input.name),
                    hint: "use type = \"enum\" or \"enum-list\"".into(),
                });
            }
        }
        if matches!(input.kind, InputType::Enum | InputType::EnumList)
            && input.values.is_empty()
            && input.values_from.is_none()
        {
            errs.push(DefError {
                path: vec![key("inputs"), Seg::Index(i)],
                message: format!("input {} offers no values", input.name),
                hint: "give values = [...] or values_from = \"<categories or grade-scale fact>\""
                    .into(),
            });
        }
    }
    errs
}

fn prim_name(p: Primitive) -> &'static str {
    match p {
        Primitive::Tranches => "tranches",
        Primitive::GradedBonus => "graded-bonus",
        Primitive::Matching => "matching",
        Primitive::Timeline => "timeline",
        Primitive::Eligibility => "eligibility",
        Primitive::Composition => "composition",
        Primitive::Exclusion => "exclusion",
    }
}

fn kind_name(k: InputType) -> &'static str {
    match k {
        InputType::Money => "money",
        InputType::Date => "date",
        InputType::Int => "int",
        InputType::Bool => "bool",
        InputType::Enum => "enum",
        InputType::EnumList => "enum-list",
        InputType::Percent => "percent",
        InputType::RecordList => "record-list",
    }
}

fn unit_name(u: Unit) -> &'static str {
    match u {
        Unit::Person => "person",
        Unit::Yuan => "yuan",
        Unit::WanYuan => "wan-yuan",
        Unit::Year => "year",
        Unit::Month => "month",
        Unit::Day => "day",
        Unit::WorkingDay => "working-day",
        Unit::Percent => "percent",
        Unit::Sqm => "sqm",
        Unit::Item => "item",
        Unit::Times => "times",
        Unit::Age => "age",
        Unit::Article => "article",
        Unit::Project => "project",
        Unit::Date => "date",
    }
}
