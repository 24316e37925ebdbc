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
use crate::output::InputError;

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
        _ => return Err(InputError::new(members_name, "is required", "为必填项")),
    };
    let size = u64::try_from(members.len()).unwrap_or(u64::MAX);
    ctx.result("size", Value::from(size));
    let mut problems: Vec<Value> = Vec::new();
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
                ctx.trace(
                    "size",
                    "min-count",
                    format!("{size} members ≥ {}? {}", min.normalize(), ok),
                );
                Some((
                    ok,
                    format!("人数{size}人，应为{}人以上", min.normalize()),
                    format!("{size} members; at least {} required", min.normalize()),
                ))
            }
            RuleKind::OddCount => {
                let ok = size % 2 == 1;
                ctx.trace("size", "odd-count", format!("{size} is odd? {ok}"));
                Some((
                    ok,
                    format!("人数{size}人，应为单数"),
                    format!("{size} members; the number must be odd"),
                ))
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
                ctx.result(&format!("max_{f}_members"), Value::from(max));
                let ok = n <= max;
                ctx.trace(
                    &format!("max_{f}_members"),
                    "max-share",
                    format!("{size} × {share} rounded down = {max} (a maximum, 不超过); {n} have {f}: {}", if ok { "ok" } else { "too many" }),
                );
                Some((
                    ok,
                    format!("{}{n}人，超过上限{max}人（{share}）", rule.label),
                    format!("{} {n}, above the limit of {max} ({share})", rule.label_en),
                ))
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
                    Some((
                        ok,
                        format!("{}{worst}周岁，超过{}周岁", rule.label, lim.0.normalize()),
                        format!("{} is {worst}, above {}", rule.label_en, lim.0.normalize()),
                    ))
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
                        Some((
                            ok,
                            format!(
                                "{}{x}，超过{}{}",
                                rule.label,
                                lim.0.normalize(),
                                unit_zh(fact)
                            ),
                            format!("{} {x}, above {}", rule.label_en, lim.0.normalize()),
                        ))
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
        match verdict {
            None => ctx.note(
                format!(
                    "{}：信息不足，未检查。",
                    if rule.label.is_empty() {
                        &fact.label
                    } else {
                        &rule.label
                    }
                ),
                format!(
                    "{}: not enough information, not checked.",
                    if rule.label_en.is_empty() {
                        &fact.label_en
                    } else {
                        &rule.label_en
                    }
                ),
                Some(&fact.citation),
            ),
            Some((true, _, _)) => {}
            Some((false, zh, en)) if soft => ctx.warn(
                format!("{zh}（原文为“一般”或“原则上”，非硬性条件）"),
                format!("{en} (a soft rule: 一般/原则上)"),
                Some(&fact.citation),
            ),
            Some((false, zh, en)) => {
                problems.push(json!({"rule": rule.fact, "message": en, "message_zh": zh, "anchor": fact.citation.anchor}));
            }
        }
    }
    // Roles the rules speak of should be held by exactly one member.
    let mut roles: Vec<&str> = def.rules.iter().filter_map(|r| r.role.as_deref()).collect();
    roles.dedup();
    for role in roles {
        let n = members.iter().filter(|m| flag(m, role)).count();
        if n > 1 {
            ctx.warn(
                format!("有{n}人标记为{role}，通常只有一人。"),
                format!("{n} members are marked {role}; normally there is one."),
                None,
            );
        }
    }
    let valid = problems.is_empty();
    ctx.result("valid", Value::Bool(valid));
    ctx.line(
        "valid",
        "组成是否符合规定",
        "Composition valid",
        if valid {
            "符合 · yes".into()
        } else {
            "不符合 · no".into()
        },
        None,
    );
    for p in &problems {
        let (zh, en) = (
            p["message_zh"].as_str().unwrap_or_default(),
            p["message"].as_str().unwrap_or_default(),
        );
        ctx.line("problems", zh, en, "不符合 · not met".into(), None);
    }
    ctx.result("problems", Value::Array(problems));
    Ok(())
}

fn unit_zh(fact: &TypedFact) -> &'static str {
    match fact.value {
        FactValue::Maximum { unit, .. } | FactValue::Minimum { unit, .. } => unit.suffix_zh(),
        _ => "",
    }
}
