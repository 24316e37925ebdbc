//! Thresholds and eligibility: an input against a minimum or maximum, combined all-of / any-of,
//! each giving met, not met, or cannot tell (input missing).
//!
//! 不少于 / 以上 / 不低于 include the number; 超过 excludes it (民法典 art. 1259: "以上、以下、
//! 以内、届满" include the number, "不满、超过、以外" do not). A fact marks 超过 with `strict`.

use rust_decimal::Decimal;
use serde_json::Value;

use crate::dates::format_date;
use crate::def::{CheckDef, CheckRole, Primitive};
use crate::engine::Ctx;
use crate::facts::{FactValue, TypedFact, Unit};
use crate::inputs::InputValue;
use crate::output::{status_words, InputError, Shown};
use crate::periods::Period;

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

/// The outcome code of a three-valued result.
pub fn status_code(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "met",
        Some(false) => "not-met",
        None => "cannot-tell",
    }
}

/// What a check requires and what was entered, in words: (`不少于20人`, `at least 20 people`)
/// and (`15人`, `15 people`).
struct Figures {
    required: (String, String),
    entered: Option<(String, String)>,
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
    evaluate_with_figures(ctx, check).map(|(v, _)| v)
}

fn evaluate_with_figures(
    ctx: &mut Ctx<'_>,
    check: &CheckDef,
) -> Result<(Option<bool>, Figures), InputError> {
    let fact = ctx.fact(&check.fact)?;
    if let FactValue::Period(period) = fact.value {
        return bar(ctx, check, period);
    }
    let (bound, unit, strict, minimum) = threshold(fact)?;
    // The bound with its comparison: 不少于20人 / at least 20 people.
    let op = |(value, value_en): (String, String)| match (minimum, strict) {
        (true, false) => crate::w!("op_at_least", value = value, value_en = value_en),
        (true, true) => crate::w!("op_more_than", value = value, value_en = value_en),
        (false, false) => crate::w!("op_at_most", value = value, value_en = value_en),
        (false, true) => crate::w!("op_less_than", value = value, value_en = value_en),
    };
    let b = if unit == Unit::WanYuan {
        bound * Decimal::from(10_000)
    } else {
        bound
    };
    let num = |d: Decimal, u: Unit| -> (String, String) {
        if u.is_money() {
            match crate::money::Money::from_yuan(d) {
                Some(m) => (m.display_zh(), m.display_en()),
                None => (d.normalize().to_string(), d.normalize().to_string()),
            }
        } else {
            // One person, one item, one year.
            u.number(&d.normalize().to_string())
        }
    };
    let shown_unit = if unit == Unit::WanYuan {
        Unit::Yuan
    } else {
        unit
    };
    let mut figures = Figures {
        required: op(num(b, shown_unit)),
        entered: None,
    };
    let Some(input) = ctx.inputs.get(&check.input).cloned() else {
        return Ok((None, figures));
    };
    let c = &fact.citation;
    if let Some(pu) = unit.period_unit() {
        // A span of time: from the input date to the `at` date.
        let period = Period::from_value(bound, pu).ok_or_else(|| {
            InputError::definition(format!("fact {} is not a whole period", check.fact))
        })?;
        let Some((from, at, ends)) = span_dates(ctx, check, period)? else {
            return Ok((None, figures));
        };
        // The span is completed on the period's last day.
        let elapsed = ends <= at;
        let met = if minimum { elapsed } else { !elapsed };
        let (f, t, e) = (format_date(from), format_date(at), format_date(ends));
        figures.required = op((period.label_zh(), period.label_en()));
        figures.entered = Some(crate::w!("date_span", from = f, to = t));
        let (elapsed_zh, elapsed_en) = if elapsed {
            crate::w!("span_elapsed")
        } else {
            crate::w!("span_not_elapsed")
        };
        let (zh, en) = crate::w!(
            "trace_threshold_span",
            cite = c.text,
            cite_en = c.text_en,
            label = check.label,
            label_en = check.label_en,
            period = period.label_zh(),
            period_en = period.label_en(),
            from = f,
            ends = e,
            at = t,
            elapsed = elapsed_zh,
            elapsed_en = elapsed_en
        );
        ctx.trace(&check.id, "threshold-span", en, zh, Some(c));
        return Ok((Some(met), figures));
    }
    let x = match (&input, unit) {
        (InputValue::Money(m), u) if u.is_money() => m.yuan(),
        (InputValue::Int(n), u) if !u.is_money() && u != Unit::Percent => Decimal::from(*n),
        (InputValue::Percent(p), Unit::Percent) => *p,
        _ => {
            return Err(InputError::definition(format!(
                "check {}: input {} does not match the unit of fact {}",
                check.id, check.input, check.fact
            )))
        }
    };
    let met = match (minimum, strict) {
        (true, false) => x >= b,
        (true, true) => x > b,
        (false, false) => x <= b,
        (false, true) => x < b,
    };
    let entered = num(x, shown_unit);
    let (reading_zh, reading_en) = if strict {
        crate::w!("reading_excludes_number")
    } else {
        crate::w!("reading_includes_number")
    };
    let (outcome_zh, outcome_en) = status_words(if met { "met" } else { "not-met" });
    let (zh, en) = crate::w!(
        "trace_threshold",
        cite = c.text,
        cite_en = c.text_en,
        label = check.label,
        label_en = check.label_en,
        entered = entered.0,
        entered_en = entered.1,
        required = figures.required.0,
        required_en = figures.required.1,
        reading = reading_zh,
        reading_en = reading_en,
        outcome = outcome_zh,
        outcome_en = outcome_en
    );
    ctx.trace(&check.id, "threshold", en, zh, Some(c));
    figures.entered = Some(entered);
    Ok((Some(met), figures))
}

/// A check against a bar (被取消资格的，三年内不得再次申请): the period fact counted from the input
/// date (art. 201: from the next day; art. 202: it ends on the corresponding day), a term that
/// runs out and is not moved (art. 203 is for acts due within a period). Met when the `at` date
/// falls after the bar's last day; on that day the bar still holds.
fn bar(
    ctx: &mut Ctx<'_>,
    check: &CheckDef,
    period: Period,
) -> Result<(Option<bool>, Figures), InputError> {
    let c = ctx.fact(&check.fact)?.citation.clone();
    let Some((from, at, ends)) = span_dates(ctx, check, period)? else {
        return Ok((
            None,
            Figures {
                required: crate::w!(
                    "bar_required",
                    period = period.label_zh(),
                    period_en = period.label_en()
                ),
                entered: None,
            },
        ));
    };
    let met = at > ends;
    let (f, t, e) = (format_date(from), format_date(at), format_date(ends));
    let (outcome, outcome_en) = if met {
        crate::w!("bar_over")
    } else {
        crate::w!("bar_holds")
    };
    let (zh, en) = crate::w!(
        "trace_bar",
        cite = c.text,
        cite_en = c.text_en,
        label = check.label,
        label_en = check.label_en,
        period = period.label_zh(),
        period_en = period.label_en(),
        from = f,
        ends = e,
        at = t,
        outcome = outcome,
        outcome_en = outcome_en
    );
    ctx.trace(&check.id, "bar", en, zh, Some(&c));
    let figures = Figures {
        required: crate::w!("bar_required_until", ends = e),
        entered: Some(crate::w!("date_span", from = f, to = t)),
    };
    Ok((Some(met), figures))
}

/// The dates of a check over time: the input date, the `at` date and the last day of `period`
/// counted from the input (arts. 201–202); `None` while either date is missing.
fn span_dates(
    ctx: &Ctx<'_>,
    check: &CheckDef,
    period: Period,
) -> Result<Option<(time::Date, time::Date, time::Date)>, InputError> {
    let at_name = check.at.as_deref().ok_or_else(|| {
        InputError::definition(format!("check {} needs `at` for a time span", check.id))
    })?;
    let (Some(from), Some(at)) = (ctx.date_of(&check.input), ctx.date_of(at_name)) else {
        return Ok(None);
    };
    let (ends, _) = crate::periods::nominal_end(from, period)
        .map_err(|e| InputError::said(at_name, crate::w!("date_out_of_range", error = e.0)))?;
    Ok(Some((from, at, ends)))
}

/// What a check required and what was entered, kept for the verdict.
#[derive(Debug, Clone)]
pub struct CheckWords {
    /// The check's label (Chinese, English).
    pub label: (String, String),
    /// What is required (`不少于20人`, `at least 20 people`).
    pub required: (String, String),
    /// What was entered, when it was.
    pub entered: Option<(String, String)>,
    /// The rule.
    pub citation: crate::facts::Citation,
}

/// Evaluates every applicable check into `ctx.checks` and the results; failed soft rules become
/// warnings, and failed hard ones too unless the primitive is eligibility (which reports them).
pub fn run_checks(ctx: &mut Ctx<'_>) -> Result<(), InputError> {
    let def = ctx.def;
    for check in &def.checks {
        if !ctx.holds(check.when.as_ref()) {
            continue;
        }
        let (v, figures) = evaluate_with_figures(ctx, check)?;
        ctx.checks.insert(check.id.clone(), v);
        ctx.result(&check.id, v.map_or(Value::Null, Value::Bool));
        let fact = ctx.fact(&check.fact)?;
        let soft = fact.is_soft();
        let mut shown = if check.role == CheckRole::Condition {
            Shown::status(match v {
                Some(true) => "yes",
                Some(false) => "no",
                None => "cannot-tell",
            })
        } else {
            Shown::status(status_code(v))
        };
        match &figures.entered {
            Some((zh, en)) => {
                let (z, e) = crate::w!(
                    "check_entered_required",
                    entered = zh,
                    entered_en = en,
                    required = figures.required.0,
                    required_en = figures.required.1
                );
                shown = shown.push(&z, &e);
            }
            None => {
                let (n, n_en) = ctx.input_label(&check.input);
                let (z, e) = crate::w!(
                    "check_not_given_required",
                    input = n,
                    input_en = n_en,
                    required = figures.required.0,
                    required_en = figures.required.1
                );
                shown = shown.push(&z, &e);
            }
        }
        if soft && v == Some(false) {
            let (z, e) = crate::w!("check_soft_rule");
            shown = shown.push(&z, &e);
        }
        ctx.line(
            &check.id,
            &check.label,
            &check.label_en,
            shown,
            Some(&fact.citation),
        );
        ctx.check_words.insert(
            check.id.clone(),
            CheckWords {
                label: (check.label.clone(), check.label_en.clone()),
                required: figures.required.clone(),
                entered: figures.entered.clone(),
                citation: fact.citation.clone(),
            },
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
        if v == Some(false)
            && check.role == CheckRole::Requirement
            // An eligibility verdict lists its soft shortfalls with both figures itself; a
            // warning would say it a second time.
            && def.primitive != Primitive::Eligibility
        {
            let (e_zh, e_en) = figures.entered.clone().unwrap_or_default();
            let (soft_zh, soft_en) = if soft {
                crate::w!("warning_soft_rule")
            } else {
                (String::new(), String::new())
            };
            let (zh, en) = crate::w!(
                "warning_not_met",
                label = check.label,
                label_en = check.label_en,
                entered = e_zh,
                entered_en = e_en,
                required = figures.required.0,
                required_en = figures.required.1,
                soft = soft_zh,
                soft_en = soft_en
            );
            ctx.warn(zh, en, Some(&fact.citation));
        }
    }
    Ok(())
}

/// Combines the checks: groups are any-of, everything else all-of. Soft rules not met count as
/// met for `eligible` (they are warnings); the verdict says "met, but soft requirements not
/// met" and lists them. Nothing checked is "cannot tell", never "met".
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
        let citation = g
            .any_of
            .iter()
            .find_map(|id| ctx.check_words.get(id))
            .map(|w| w.citation.clone());
        ctx.line(
            &g.id,
            &g.label,
            &g.label_en,
            Shown::status(status_code(v)),
            citation.as_ref(),
        );
        let names: Vec<&CheckWords> = g
            .any_of
            .iter()
            .filter_map(|id| ctx.check_words.get(id))
            .collect();
        let (zh, en): (Vec<&str>, Vec<&str>) = names
            .iter()
            .map(|w| (w.label.0.as_str(), w.label.1.as_str()))
            .unzip();
        let (cz, ce) = citation
            .as_ref()
            .map(|c| (c.text.clone(), c.text_en.clone()))
            .unwrap_or_default();
        let (sep, sep_en) = crate::w!("list_separator_clauses");
        let (zh, en) = crate::w!(
            "trace_any_of",
            cite = cz,
            cite_en = ce,
            label = g.label,
            label_en = g.label_en,
            items = zh.join(&sep),
            items_en = en.join(&sep_en)
        );
        ctx.trace(&g.id, "any-of", en, zh, citation.as_ref());
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
    // Nothing checked: the calculator cannot say the conditions are met.
    let overall = if items.is_empty() {
        None
    } else {
        all_of(&items)
    };
    ctx.result("eligible", overall.map_or(Value::Null, Value::Bool));
    ctx.result(
        "unmet",
        Value::Array(unmet.iter().cloned().map(Value::String).collect()),
    );
    ctx.result(
        "soft_unmet",
        Value::Array(soft_unmet.iter().cloned().map(Value::String).collect()),
    );
    ctx.out
        .results
        .entry("missing")
        .or_insert_with(|| Value::Array(vec![]));
    let label_of = |ctx: &Ctx<'_>, id: &str| -> (String, String) {
        if let Some(w) = ctx.check_words.get(id) {
            return w.label.clone();
        }
        def.groups
            .iter()
            .find(|g| g.id == id)
            .map(|g| (g.label.clone(), g.label_en.clone()))
            .unwrap_or_default()
    };
    let code = match overall {
        Some(false) => "not-met",
        None => "cannot-tell",
        Some(true) if !soft_unmet.is_empty() => "met-soft",
        Some(true) => "met",
    };
    let mut verdict = Shown::status(code);
    let list = |ids: &[String]| -> (String, String) {
        let (zh, en): (Vec<String>, Vec<String>) = ids
            .iter()
            .map(|id| {
                let (l, l_en) = label_of(ctx, id);
                match ctx.check_words.get(id) {
                    Some(w) => {
                        let (e, e_en) = w.entered.clone().unwrap_or_default();
                        crate::w!(
                            "verdict_item",
                            label = l,
                            label_en = l_en,
                            entered = e,
                            entered_en = e_en,
                            required = w.required.0,
                            required_en = w.required.1,
                            cite = w.citation.text,
                            cite_en = w.citation.text_en
                        )
                    }
                    None => (l, l_en),
                }
            })
            .unzip();
        let (sep, sep_en) = crate::w!("list_separator_clauses");
        (zh.join(&sep), en.join(&sep_en))
    };
    match code {
        "not-met" | "met-soft" => {
            let (zh, en) = list(if code == "not-met" {
                &unmet
            } else {
                &soft_unmet
            });
            let (zh, en) = crate::w!("verdict_reasons", items = zh, items_en = en);
            verdict = verdict.push(&zh, &en);
        }
        "cannot-tell" => {
            let missing: Vec<String> = ctx
                .out
                .results
                .get("missing")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            if missing.is_empty() {
                let (zh, en) = crate::w!("verdict_nothing_to_check");
                verdict = verdict.push(&zh, &en);
            } else if let [only] = missing.as_slice() {
                let (l, l_en) = ctx.input_label(only);
                let (zh, en) = crate::w!("verdict_give_one", input = l, input_en = l_en);
                verdict = verdict.push(&zh, &en);
            } else {
                // Each condition's line already names what it lacks; the names of related
                // inputs share most of their words, so listing them again would say them twice.
                let n = missing.len();
                let (zh, en) = crate::w!("verdict_give_many", n = n);
                verdict = verdict.push(&zh, &en);
            }
        }
        _ => {}
    }
    ctx.result("verdict", Value::String(code.into()));
    let (v, v_en) = crate::w!("label_verdict");
    ctx.line("eligible", &v, &v_en, verdict, None);
    let (zh, en) = crate::w!("trace_all_of");
    ctx.trace("eligible", "all-of", en, zh, None);
    Ok(())
}
