//! Composition rules for a body of members (e.g. an academic committee): minimum size, odd size,
//! the most members of a group (a share of the size), who may hold a role, age limits.
//! Hard rules not met are `problems` (and make `valid` false); soft ones (一般, 原则上) are warnings.
//!
//! Option: `members` (record-list input with boolean flags and an optional `age`).
//! Results: `size`, `valid`, `problems` [{rule, message, message_zh}], and for a max-share rule
//! `max_<flag>_members` (rounded down: it is a maximum).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::def::RuleKind;
use crate::engine::Ctx;
use crate::facts::{FactValue, TypedFact, Unit};
use crate::inputs::InputValue;
use crate::output::{status_words, InputError, Shown};

type Member = BTreeMap<String, InputValue>;

fn flag(m: &Member, name: &str) -> bool {
    matches!(m.get(name), Some(InputValue::Bool(true)))
}

fn age(m: &Member) -> Option<u64> {
    match m.get("age") {
        Some(InputValue::Int(a)) => Some(*a),
        _ => None,
    }
}

/// A `maximum` or `minimum` fact's value.
fn limit(fact: &TypedFact) -> Result<(Decimal, bool), InputError> {
    match fact.value {
        FactValue::Maximum { value, strict, .. } | FactValue::Minimum { value, strict, .. } => {
            Ok((value, strict))
        }
        _ => Err(InputError::definition(format!(
            "fact {} must be a minimum or maximum",
            fact.citation.fact
        ))),
    }
}

fn within_max(x: u64, (value, strict): (Decimal, bool)) -> bool {
    let x = Decimal::from(x);
    if strict {
        x < value
    } else {
        x <= value
    }
}

/// Runs the composition primitive.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), InputError> {
    let members_name = ctx.option("members")?;
    let members: Vec<Member> = match ctx.inputs.get(members_name) {
        Some(InputValue::Records(r)) => r.clone(),
        _ => return Err(InputError::required(members_name)),
    };
    let size = u64::try_from(members.len()).unwrap_or(u64::MAX);
    ctx.result("size", Value::from(size));
    let (ml, ml_en) = ctx.input_label(members_name);
    let (l, l_en) = crate::w!("members_number_label", members = ml, members_en = ml_en);
    let (v, v_en) = crate::w!("members_count", n = size);
    ctx.line("size", &l, &l_en, Shown::two(v, v_en), None);
    let mut problems: Vec<Value> = Vec::new();
    let mut soft_failed: Vec<(String, String)> = Vec::new();
    let def = ctx.def;
    for rule in &def.rules {
        let fact = ctx.fact(&rule.fact)?;
        let soft = fact.is_soft();
        // (ok, message_zh, message_en); None = cannot check
        let verdict: Option<(bool, String, String)> = match rule.kind {
            RuleKind::MinCount => {
                let (min, strict) = limit(fact)?;
                let x = Decimal::from(size);
                let ok = if strict { x > min } else { x >= min };
                let (o, o_en) = status_words(if ok { "met" } else { "not-met" });
                let (zh, en) = crate::w!(
                    "trace_min_count",
                    cite = fact.citation.text,
                    cite_en = fact.citation.text_en,
                    size = size,
                    min = min.normalize(),
                    outcome = o,
                    outcome_en = o_en
                );
                ctx.trace("size", "min-count", en, zh, Some(&fact.citation));
                let (zh, en) = crate::w!("min_count_not_met", size = size, min = min.normalize());
                Some((ok, zh, en))
            }
            RuleKind::OddCount => {
                let ok = size % 2 == 1;
                let (zh, en) = if ok {
                    crate::w!(
                        "trace_odd_count_odd",
                        cite = fact.citation.text,
                        cite_en = fact.citation.text_en,
                        size = size
                    )
                } else {
                    crate::w!(
                        "trace_odd_count_even",
                        cite = fact.citation.text,
                        cite_en = fact.citation.text_en,
                        size = size
                    )
                };
                ctx.trace("size", "odd-count", en, zh, Some(&fact.citation));
                let (zh, en) = crate::w!("odd_count_not_met", size = size);
                Some((ok, zh, en))
            }
            RuleKind::MaxShare => {
                let FactValue::Share(share) = fact.value else {
                    return Err(InputError::definition(format!(
                        "fact {} must be a share",
                        rule.fact
                    )));
                };
                let f = rule
                    .flag
                    .as_deref()
                    .ok_or_else(|| InputError::definition("max-share needs `flag`"))?;
                let n = members.iter().filter(|m| flag(m, f)).count();
                let n = u64::try_from(n).unwrap_or(u64::MAX);
                let max = share.floor_of(size);
                let result = format!("max_{f}_members");
                ctx.result(&result, Value::from(max));
                let (fl, fl_en) = ctx.input_label(f);
                let (l, l_en) =
                    crate::w!("max_share_label", flag = fl, flag_en = fl_en, share = share);
                let (v, v_en) = crate::w!("members_count", n = max);
                ctx.line(
                    &result,
                    &l,
                    &l_en,
                    Shown::two(v, v_en),
                    Some(&fact.citation),
                );
                let ok = n <= max;
                let (o, o_en) = if ok {
                    status_words("met")
                } else {
                    crate::w!("too_many")
                };
                let (zh, en) = crate::w!(
                    "trace_max_share",
                    cite = fact.citation.text,
                    cite_en = fact.citation.text_en,
                    label = rule.label,
                    label_en = rule.label_en,
                    share = share,
                    size = size,
                    max = max,
                    n = n,
                    outcome = o,
                    outcome_en = o_en
                );
                ctx.trace(
                    &format!("max_{f}_members"),
                    "max-share",
                    en,
                    zh,
                    Some(&fact.citation),
                );
                let (zh, en) = crate::w!(
                    "max_share_not_met",
                    label = rule.label,
                    label_en = rule.label_en,
                    n = n,
                    max = max,
                    share = share
                );
                Some((ok, zh, en))
            }
            RuleKind::RoleNot => {
                let role = rule
                    .role
                    .as_deref()
                    .ok_or_else(|| InputError::definition("role-not needs `role`"))?;
                let f = rule
                    .flag
                    .as_deref()
                    .ok_or_else(|| InputError::definition("role-not needs `flag`"))?;
                let holders: Vec<&Member> = members.iter().filter(|m| flag(m, role)).collect();
                if holders.is_empty() {
                    None
                } else {
                    let ok = !holders.iter().any(|m| flag(m, f));
                    Some((ok, rule.label.clone(), rule.label_en.clone()))
                }
            }
            RuleKind::RoleMaxAge => {
                let role = rule
                    .role
                    .as_deref()
                    .ok_or_else(|| InputError::definition("role-max-age needs `role`"))?;
                if !matches!(
                    fact.value,
                    FactValue::Maximum {
                        unit: Unit::Age,
                        ..
                    }
                ) {
                    return Err(InputError::definition(format!(
                        "fact {} must be a maximum in age",
                        rule.fact
                    )));
                }
                let lim = limit(fact)?;
                let ages: Vec<Option<u64>> =
                    members.iter().filter(|m| flag(m, role)).map(age).collect();
                if ages.is_empty() || ages.contains(&None) {
                    None
                } else {
                    let worst = ages.iter().flatten().max().copied().unwrap_or(0);
                    let ok = within_max(worst, lim);
                    let (zh, en) = crate::w!(
                        "max_age_not_met",
                        label = rule.label,
                        label_en = rule.label_en,
                        age = worst,
                        max = lim.0.normalize()
                    );
                    Some((ok, zh, en))
                }
            }
            RuleKind::InputMax => {
                let input = rule
                    .input
                    .as_deref()
                    .ok_or_else(|| InputError::definition("input-max needs `input`"))?;
                let lim = limit(fact)?;
                match ctx.inputs.get(input) {
                    Some(InputValue::Int(x)) => {
                        let ok = within_max(*x, lim);
                        let (zh, en) = crate::w!(
                            "input_max_not_met",
                            label = rule.label,
                            label_en = rule.label_en,
                            value = x,
                            max = lim.0.normalize(),
                            unit = unit_zh(fact)
                        );
                        Some((ok, zh, en))
                    }
                    _ => None,
                }
            }
            RuleKind::Excludes => {
                return Err(InputError::definition(
                    "an excludes rule in a composition calculator",
                ))
            }
        };
        if let (Some((ok, _, _)), RuleKind::RoleNot | RuleKind::RoleMaxAge | RuleKind::InputMax) =
            (&verdict, rule.kind)
        {
            let c = &fact.citation;
            let (o, o_en) = status_words(if *ok { "met" } else { "not-met" });
            let (zh, en) = crate::w!(
                "trace_rule",
                cite = c.text,
                cite_en = c.text_en,
                label = rule.label,
                label_en = rule.label_en,
                outcome = o,
                outcome_en = o_en
            );
            ctx.trace("problems", "rule", en, zh, Some(c));
        }
        match verdict {
            None => {
                let (zh, en) = crate::w!(
                    "rule_not_checked",
                    label = if rule.label.is_empty() {
                        &fact.label
                    } else {
                        &rule.label
                    },
                    label_en = if rule.label_en.is_empty() {
                        &fact.label_en
                    } else {
                        &rule.label_en
                    }
                );
                ctx.note(zh, en, Some(&fact.citation))
            }
            Some((true, _, _)) => {}
            Some((false, zh, en)) if soft => {
                soft_failed.push((zh.clone(), en.clone()));
                let (zh, en) = crate::w!("soft_rule_not_met", problem = zh, problem_en = en);
                ctx.warn(zh, en, Some(&fact.citation))
            }
            Some((false, zh, en)) => {
                problems.push(json!({"rule": rule.fact, "message": en, "message_zh": zh, "anchor": fact.citation.anchor}));
            }
        }
    }
    // A role the rules speak of (the chair) is held by one member: none means the rules on it
    // cannot be checked, two or more is a mistake in the list.
    let mut roles: Vec<(&str, &crate::facts::Citation)> = Vec::new();
    for r in &def.rules {
        if let Some(role) = r.role.as_deref() {
            if !roles.iter().any(|(x, _)| *x == role) {
                roles.push((role, &ctx.fact(&r.fact)?.citation));
            }
        }
    }
    let mut unknown = false;
    for (role, citation) in roles {
        let n = members.iter().filter(|m| flag(m, role)).count();
        let (rl, rl_en) = ctx.input_label(role);
        let (ml, ml_en) = ctx.input_label(members_name);
        if n == 0 {
            unknown = true;
            let (zh, en) = crate::w!(
                "role_nobody",
                members = ml,
                members_en = ml_en,
                role = rl,
                role_en = rl_en
            );
            ctx.warn(zh, en, Some(citation));
        } else if n > 1 {
            let (zh, en) = crate::w!(
                "role_many",
                members = ml,
                members_en = ml_en,
                role = rl,
                role_en = rl_en,
                n = n
            );
            problems.push(json!({
                "rule": citation.fact,
                "anchor": citation.anchor,
                "message": en,
                "message_zh": zh,
            }));
        }
    }
    let valid = if !problems.is_empty() {
        Some(false)
    } else if unknown {
        None
    } else {
        Some(true)
    };
    ctx.result("valid", valid.map_or(Value::Null, Value::Bool));
    for p in &problems {
        let (zh, en) = (
            p["message_zh"].as_str().unwrap_or_default().to_string(),
            p["message"].as_str().unwrap_or_default().to_string(),
        );
        let citation = def
            .rules
            .iter()
            .find(|r| Some(r.fact.as_str()) == p["rule"].as_str())
            .and_then(|r| ctx.facts.get(&r.fact))
            .map(|f| f.citation.clone());
        ctx.line(
            "problems",
            &zh,
            &en,
            Shown::status("not-met"),
            citation.as_ref(),
        );
    }
    let code = match valid {
        Some(true) if !soft_failed.is_empty() => "met-soft",
        v => crate::thresholds::status_code(v),
    };
    let mut verdict = Shown::status(code);
    if code == "met-soft" {
        let (zh, en): (Vec<String>, Vec<String>) = soft_failed.into_iter().unzip();
        let (sep, sep_en) = crate::w!("list_separator_clauses");
        let (zh, en) = crate::w!(
            "verdict_reasons",
            items = zh.join(&sep),
            items_en = en.join(&sep_en)
        );
        verdict = verdict.push(&zh, &en);
    }
    if !problems.is_empty() {
        let (zh, en) = crate::w!("verdict_rules_not_met", n = problems.len());
        verdict = verdict.push(&zh, &en);
    }
    ctx.result("verdict", Value::String(code.into()));
    let (v, v_en) = crate::w!("label_verdict");
    ctx.line("valid", &v, &v_en, verdict, None);
    ctx.result("problems", Value::Array(problems));
    Ok(())
}

fn unit_zh(fact: &TypedFact) -> String {
    match fact.value {
        FactValue::Maximum { unit, .. } | FactValue::Minimum { unit, .. } => unit.suffix_zh(),
        _ => String::new(),
    }
}
