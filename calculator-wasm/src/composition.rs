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
use crate::output::{InputError, Shown};

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
    let (ml, ml_en) = ctx.input_label(members_name);
    ctx.line(
        "size",
        &format!("{ml}：人数"),
        &format!("{ml_en}: number"),
        Shown::two(format!("{size}人"), format!("{size}")),
        None,
    );
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
                ctx.trace(
                    "size",
                    "min-count",
                    format!(
                        "{}: {size} members entered, at least {} required: {}",
                        fact.citation.text_en,
                        min.normalize(),
                        if ok { "met" } else { "not met" }
                    ),
                    format!(
                        "{}：填写{size}人，要求{}人以上：{}",
                        fact.citation.text,
                        min.normalize(),
                        if ok { "符合" } else { "不符合" }
                    ),
                    Some(&fact.citation),
                );
                Some((
                    ok,
                    format!("人数{size}人，应为{}人以上", min.normalize()),
                    format!("{size} members; at least {} required", min.normalize()),
                ))
            }
            RuleKind::OddCount => {
                let ok = size % 2 == 1;
                ctx.trace(
                    "size",
                    "odd-count",
                    format!(
                        "{}: the number must be odd; {size} is {}",
                        fact.citation.text_en,
                        if ok { "odd" } else { "even" }
                    ),
                    format!(
                        "{}：人数应为单数；{size}{}",
                        fact.citation.text,
                        if ok { "是单数" } else { "是双数" }
                    ),
                    Some(&fact.citation),
                );
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
                let result = format!("max_{f}_members");
                ctx.result(&result, Value::from(max));
                let (fl, fl_en) = ctx.input_label(f);
                ctx.line(
                    &result,
                    &format!("“{fl}”人数上限（{share}）"),
                    &format!("Most members marked “{fl_en}” ({share})"),
                    Shown::two(format!("{max}人"), format!("{max}")),
                    Some(&fact.citation),
                );
                let ok = n <= max;
                ctx.trace(
                    &format!("max_{f}_members"),
                    "max-share",
                    format!(
                        "{}: {} at most {share} of {size} = {max} (a maximum is rounded down); {n} entered: {}",
                        fact.citation.text_en,
                        rule.label_en,
                        if ok { "met" } else { "too many" }
                    ),
                    format!(
                        "{}：{}不超过{size}人的{share}，上限向下取整为{max}人；填写{n}人：{}",
                        fact.citation.text,
                        rule.label,
                        if ok { "符合" } else { "超过" }
                    ),
                    Some(&fact.citation),
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
        if let (Some((ok, _, _)), RuleKind::RoleNot | RuleKind::RoleMaxAge | RuleKind::InputMax) =
            (&verdict, rule.kind)
        {
            let c = &fact.citation;
            ctx.trace(
                "problems",
                "rule",
                format!(
                    "{}: {} — {}",
                    c.text_en,
                    rule.label_en,
                    if *ok { "met" } else { "not met" }
                ),
                format!(
                    "{}：{}——{}",
                    c.text,
                    rule.label,
                    if *ok { "符合" } else { "不符合" }
                ),
                Some(c),
            );
        }
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
            Some((false, zh, en)) if soft => {
                soft_failed.push((zh.clone(), en.clone()));
                ctx.warn(
                    format!("{zh}（原文为“一般”或“原则上”，非硬性条件）"),
                    format!("{en} (a soft rule: 一般/原则上)"),
                    Some(&fact.citation),
                )
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
            ctx.warn(
                format!("“{ml}”中没有人勾选“{rl}”：与{rl}有关的规定无法核对。"),
                format!("No one in “{ml_en}” is marked “{rl_en}”: the rules on the {rl_en} cannot be checked."),
                Some(citation),
            );
        } else if n > 1 {
            problems.push(json!({
                "rule": citation.fact,
                "anchor": citation.anchor,
                "message": format!("{n} members of “{ml_en}” are marked “{rl_en}”; there is one {rl_en}"),
                "message_zh": format!("“{ml}”中有{n}人勾选“{rl}”；{rl}只有一人"),
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
        verdict = verdict.push(
            &format!("：{}", zh.join("；")),
            &format!(": {}", en.join("; ")),
        );
    }
    if !problems.is_empty() {
        verdict = verdict.push(
            &format!("：{}项规定未满足", problems.len()),
            &format!(": {} rule(s) not met", problems.len()),
        );
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
