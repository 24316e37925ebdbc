//! Thresholds and eligibility: an input against a minimum or maximum, combined all-of / any-of,
//! each giving met, not met, or cannot tell (input missing).
//!
//! 不少于 / 以上 / 不低于 include the number; 超过 excludes it (民法典 art. 1259: "以上、以下、
//! 以内、届满" include the number, "不满、超过、以外" do not). A fact marks 超过 with `strict`.

use rust_decimal::Decimal;
use serde_json::Value;

use crate::def::{CheckDef, CheckRole, Primitive};
use crate::engine::Ctx;
use crate::facts::{FactValue, TypedFact, Unit};
use crate::inputs::InputValue;
use crate::output::InputError;
use crate::periods::{has_elapsed, Period};

/// Three-valued "and": false wins, then unknown.
pub fn all_of(items: &[Option<bool>]) -> Option<bool> {
    if items.contains(&Some(false)) {
        Some(false)
    } else if items.contains(&None) {
        None
    } else {
        Some(true)
    }
}

/// Three-valued "or": true wins, then unknown.
pub fn any_of(items: &[Option<bool>]) -> Option<bool> {
    if items.contains(&Some(true)) {
        Some(true)
    } else if items.contains(&None) {
        None
    } else {
        Some(false)
    }
}

fn status_text(v: Option<bool>) -> String {
    match v {
        Some(true) => "符合 · met".into(),
        Some(false) => "不符合 · not met".into(),
        None => "无法判断 · cannot tell".into(),
    }
}

/// Bound, unit, strictness and direction (true = minimum) of a threshold fact.
fn threshold(fact: &TypedFact) -> Result<(Decimal, Unit, bool, bool), InputError> {
    match &fact.value {
        FactValue::Minimum {
            value,
            unit,
            strict,
        } => Ok((*value, *unit, *strict, true)),
        FactValue::Maximum {
            value,
            unit,
            strict,
        } => Ok((*value, *unit, *strict, false)),
        FactValue::Cap(m) => Ok((m.yuan(), Unit::Yuan, false, false)),
        other => Err(InputError::definition(format!(
            "fact {} is a {}, not a minimum, maximum or cap",
            fact.citation.fact,
            other.type_name()
        ))),
    }
}

/// Evaluates one check; `None` when an input it needs is missing.
pub fn evaluate(ctx: &mut Ctx<'_>, check: &CheckDef) -> Result<Option<bool>, InputError> {
    let fact = ctx.fact(&check.fact)?;
    let (bound, unit, strict, minimum) = threshold(fact)?;
    let Some(input) = ctx.inputs.get(&check.input).cloned() else {
        return Ok(None);
    };
    let op = match (minimum, strict) {
        (true, false) => "≥",
        (true, true) => ">",
        (false, false) => "≤",
        (false, true) => "<",
    };
    if let Some(pu) = unit.period_unit() {
        // A span of time: from the input date to the `at` date.
        let at_name = check.at.as_deref().ok_or_else(|| {
            InputError::definition(format!("check {} needs `at` for a time span", check.id))
        })?;
        let (Some(from), Some(at)) = (ctx.date_of(&check.input), ctx.date_of(at_name)) else {
            return Ok(None);
        };
        let period = Period::from_value(bound, pu).ok_or_else(|| {
            InputError::definition(format!("fact {} is not a whole period", check.fact))
        })?;
        let elapsed = has_elapsed(from, period, at)
            .map_err(|e| InputError::new(at_name, e.0, "日期超出范围"))?;
        let met = if minimum { elapsed } else { !elapsed };
        ctx.trace(
            &check.id,
            "threshold-span",
            format!(
                "{}: from {from} to {at}, {} {op} {} elapsed? {}",
                check.label_en,
                "time",
                period.label_en(),
                yes(met)
            ),
        );
        return Ok(Some(met));
    }
    let (x, shown) = match (&input, unit) {
        (InputValue::Money(m), Unit::Yuan) => (m.yuan(), format!("{m} yuan")),
        (InputValue::Money(m), Unit::WanYuan) => (m.yuan(), format!("{m} yuan")),
        (InputValue::Int(n), u) if !u.is_money() && u != Unit::Percent => {
            (Decimal::from(*n), n.to_string())
        }
        (InputValue::Percent(p), Unit::Percent) => (*p, format!("{p}%")),
        _ => {
            return Err(InputError::definition(format!(
                "check {}: input {} does not match the unit of fact {}",
                check.id, check.input, check.fact
            )))
        }
    };
    let b = if unit == Unit::WanYuan {
        bound * Decimal::from(10_000)
    } else {
        bound
    };
    let met = match (minimum, strict) {
        (true, false) => x >= b,
        (true, true) => x > b,
        (false, false) => x <= b,
        (false, true) => x < b,
    };
    let reading = if strict {
        "超过 excludes the number"
    } else {
        "以上/不少于/不超过 include the number"
    };
    ctx.trace(
        &check.id,
        "threshold",
        format!(
            "{}: {shown} {op} {}{}? {} ({reading}; Civil Code art. 1259)",
            check.label_en,
            bound.normalize(),
            unit.suffix_zh(),
            yes(met)
        ),
    );
    Ok(Some(met))
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// Evaluates every applicable check into `ctx.checks` and the results; failed soft rules become
/// warnings, and failed hard ones too unless the primitive is eligibility (which reports them).
pub fn run_checks(ctx: &mut Ctx<'_>) -> Result<(), InputError> {
    let def = ctx.def;
    for check in &def.checks {
        if !ctx.holds(check.when.as_ref()) {
            continue;
        }
        let v = evaluate(ctx, check)?;
        ctx.checks.insert(check.id.clone(), v);
        ctx.result(&check.id, v.map_or(Value::Null, Value::Bool));
        let fact = ctx.fact(&check.fact)?;
        ctx.line(
            &check.id,
            &check.label,
            &check.label_en,
            status_text(v),
            Some(&fact.citation),
        );
        if v.is_none() {
            let list = ctx
                .out
                .results
                .entry("missing")
                .or_insert_with(|| Value::Array(vec![]));
            if let Value::Array(a) = list {
                let name = Value::String(check.input.clone());
                if !a.contains(&name) {
                    a.push(name);
                }
            }
        }
        if v == Some(false) && check.role == CheckRole::Requirement {
            let soft = fact.is_soft();
            if soft || def.primitive != Primitive::Eligibility {
                let (zh, en) = if soft {
                    (
                        "（原则上/一般性要求，非硬性条件）",
                        " (a soft rule: 原则上/一般, not a strict condition)",
                    )
                } else {
                    ("", "")
                };
                ctx.warn(
                    format!("不符合：{}{zh}", check.label),
                    format!("Not met: {}{en}", check.label_en),
                    Some(&fact.citation),
                );
            }
        }
    }
    Ok(())
}

/// Combines the checks: groups are any-of, everything else all-of. Soft rules not met count as
/// met for the overall result (they were reported as warnings).
pub fn run_eligibility(ctx: &mut Ctx<'_>) -> Result<(), InputError> {
    let def = ctx.def;
    let mut items = Vec::new();
    let mut unmet = Vec::new();
    let mut soft_unmet = Vec::new();
    let soft_of = |ctx: &Ctx<'_>, id: &str| -> Result<bool, InputError> {
        let c = def
            .checks
            .iter()
            .find(|c| c.id == id && ctx.holds(c.when.as_ref()));
        match c {
            Some(c) => Ok(ctx.fact(&c.fact)?.is_soft()),
            None => Err(InputError::definition(format!(
                "group refers to unknown check {id}"
            ))),
        }
    };
    for g in &def.groups {
        let members: Vec<Option<bool>> = g
            .any_of
            .iter()
            .filter_map(|id| ctx.checks.get(id).copied())
            .collect();
        if members.is_empty() {
            continue;
        }
        let v = any_of(&members);
        let mut all_soft = true;
        for id in g.any_of.iter().filter(|id| ctx.checks.contains_key(*id)) {
            all_soft &= soft_of(ctx, id)?;
        }
        ctx.result(&g.id, v.map_or(Value::Null, Value::Bool));
        ctx.line(&g.id, &g.label, &g.label_en, status_text(v), None);
        ctx.trace(
            &g.id,
            "any-of",
            format!(
                "{}: met when any of {} is met",
                g.label_en,
                g.any_of.join(", ")
            ),
        );
        if v == Some(false) {
            if all_soft {
                soft_unmet.push(g.id.clone());
            } else {
                unmet.push(g.id.clone());
            }
        }
        items.push(if v == Some(false) && all_soft {
            Some(true)
        } else {
            v
        });
    }
    for c in &def.checks {
        if c.role != CheckRole::Requirement
            || !ctx.holds(c.when.as_ref())
            || def.groups.iter().any(|g| g.any_of.contains(&c.id))
        {
            continue;
        }
        let Some(v) = ctx.checks.get(&c.id).copied() else {
            continue;
        };
        let soft = ctx.fact(&c.fact)?.is_soft();
        if v == Some(false) {
            if soft {
                soft_unmet.push(c.id.clone());
            } else {
                unmet.push(c.id.clone());
            }
        }
        items.push(if v == Some(false) && soft {
            Some(true)
        } else {
            v
        });
    }
    let overall = all_of(&items);
    ctx.result("eligible", overall.map_or(Value::Null, Value::Bool));
    ctx.result(
        "unmet",
        Value::Array(unmet.into_iter().map(Value::String).collect()),
    );
    ctx.result(
        "soft_unmet",
        Value::Array(soft_unmet.into_iter().map(Value::String).collect()),
    );
    ctx.out
        .results
        .entry("missing")
        .or_insert_with(|| Value::Array(vec![]));
    ctx.line(
        "eligible",
        "是否符合条件",
        "Eligible",
        status_text(overall),
        None,
    );
    ctx.trace(
        "eligible",
        "all-of",
        "eligible when every condition (or group of alternatives) is met; soft rules only warn"
            .into(),
    );
    Ok(())
}
