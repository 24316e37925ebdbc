//! Deadlines and timelines: dates counted as periods from an input date or an earlier date,
//! and yearly due dates over a span.

use serde_json::{json, Value};

use crate::dates::format_date;
use crate::def::{Covers, StepKind};
use crate::engine::Ctx;
use crate::facts::FactValue;
use crate::output::InputError;
use crate::periods::{annual_due, day_after, period_end};

/// Most years listed by one yearly rule.
const MAX_YEARS: i32 = 100;

/// Computes every step whose condition holds and whose start date is known.
pub fn run_steps(ctx: &mut Ctx<'_>) -> Result<(), InputError> {
    let def = ctx.def;
    for step in &def.steps {
        if !ctx.holds(step.when.as_ref()) {
            continue;
        }
        let Some(from) = ctx.date_of(&step.from) else {
            continue;
        };
        let fact = ctx.fact(&step.period)?;
        let period = ctx.period(fact)?;
        let end = period_end(ctx.cal, from, period)
            .map_err(|e| InputError::new(step.from.as_str(), e.0, "日期超出范围"))?;
        let date = match step.kind {
            StepKind::End => end.end,
            // A bar (三年内不得再次申报) is not an act due by its last day, so art. 203 does not
            // lengthen it: the first free day follows the nominal last day.
            StepKind::DayAfter => day_after(end.nominal)
                .map_err(|e| InputError::new(step.from.as_str(), e.0, "日期超出范围"))?,
        };
        if step.kind == StepKind::DayAfter {
            ctx.trace_applied(&step.id, end.applied.get(..2).unwrap_or_default());
            ctx.trace(
                &step.id,
                "day-after",
                format!(
                    "the bar's last day is {}; art. 203 does not lengthen a bar, so the first day after it is {}",
                    format_date(end.nominal),
                    format_date(date)
                ),
            );
        } else {
            ctx.trace_applied(&step.id, &end.applied);
        }
        ctx.dates.insert(step.id.clone(), date);
        ctx.result(&step.id, Value::String(format_date(date)));
        let mut value = format_date(date);
        if end.nominal != end.end && step.kind == StepKind::End {
            value = format!(
                "{value}（{}为休息日，顺延 · {} is a rest day, moved on）",
                format_date(end.nominal),
                format_date(end.nominal)
            );
        }
        ctx.line(
            &step.id,
            &step.label,
            &step.label_en,
            value,
            Some(&fact.citation),
        );
        if fact.is_soft() {
            ctx.warn(
                format!("{}：原文为“一般”或“原则上”，实际期限以合同或主管部门要求为准。", step.label),
                format!("{}: the text says 一般/原则上 (as a rule), so the actual term may differ by contract or decision.", step.label_en),
                Some(&fact.citation),
            );
        }
        if end.provisional {
            ctx.provisional(&step.id);
        }
    }
    Ok(())
}

/// Lists yearly due dates for each rule whose span is known.
pub fn run_annual(ctx: &mut Ctx<'_>) -> Result<(), InputError> {
    let def = ctx.def;
    for rule in &def.annual {
        let (Some(from), Some(until)) = (ctx.date_of(&rule.from), ctx.date_of(&rule.until)) else {
            continue;
        };
        let stop = rule.stop.as_deref().and_then(|s| ctx.date_of(s));
        let fact = ctx.fact(&rule.date)?;
        let FactValue::AnnualDate { month, day } = fact.value else {
            return Err(InputError::definition(format!(
                "fact {} is not an annual date",
                rule.date
            )));
        };
        let min_age = match &rule.min_age {
            Some(id) => {
                let f = ctx.fact(id)?;
                Some((ctx.period(f)?, f))
            }
            None => None,
        };
        let first = from.year();
        let last = until.year().min(first.saturating_add(MAX_YEARS));
        let mut dues = Vec::new();
        let mut provisional = false;
        for year in first..=last {
            let due_year = match rule.covers {
                Covers::CurrentYear => year,
                Covers::PreviousYear => year.saturating_add(1),
            };
            let due = annual_due(ctx.cal, due_year, month, day)
                .map_err(|e| InputError::new(rule.from.as_str(), e.0, "日期超出范围"))?;
            if due.nominal <= from {
                ctx.trace(
                    &rule.id,
                    "annual-before-start",
                    format!(
                        "{}: due before the start {}, not listed",
                        format_date(due.nominal),
                        format_date(from)
                    ),
                );
                continue;
            }
            if stop.is_some_and(|s| due.nominal > s) {
                ctx.trace(
                    &rule.id,
                    "annual-after-stop",
                    format!(
                        "{}: after the end date, not listed",
                        format_date(due.nominal)
                    ),
                );
                continue;
            }
            if let Some((p, _)) = min_age {
                let aged = period_end(ctx.cal, from, p)
                    .map_err(|e| InputError::new(rule.from.as_str(), e.0, "日期超出范围"))?;
                if aged.nominal > due.nominal {
                    ctx.trace(
                        &rule.id,
                        "annual-min-age",
                        format!(
                            "{}: not yet {} since {} (reached on {}), not listed",
                            format_date(due.nominal),
                            p.label_en(),
                            format_date(from),
                            format_date(aged.nominal)
                        ),
                    );
                    continue;
                }
            }
            ctx.trace_applied(&rule.id, &due.applied);
            provisional |= due.provisional;
            dues.push(json!({
                "year": year,
                "due": format_date(due.end),
                "nominal": format_date(due.nominal),
                "provisional": due.provisional,
            }));
            let mut value = format_date(due.end);
            if due.nominal != due.end {
                value = format!(
                    "{value}（{}为休息日，顺延 · rest day, moved on）",
                    format_date(due.nominal)
                );
            }
            let label = format!("{}（{year}年度）", rule.label);
            let label_en = format!("{} (year {year})", rule.label_en);
            ctx.line(&rule.id, &label, &label_en, value, Some(&fact.citation));
        }
        ctx.result(&rule.id, Value::Array(dues));
        if provisional {
            ctx.provisional(&rule.id);
        }
    }
    Ok(())
}
