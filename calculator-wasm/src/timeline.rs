//! Deadlines and timelines: dates counted as periods from an input date or an earlier date,
//! and yearly due dates over a span.
//!
//! Which periods art. 203 moves is a property of each period fact (`period_kind`): a time to
//! act ends on the next working day when its last day is a rest day; a term that runs out is
//! never moved, and a step counted from another step runs from that step's real (nominal) end.
//! Obligations (deadlines and yearly dues) start no earlier than the measure's entry into force.

use serde_json::{json, Value};
use time::Date;

use crate::dates::format_date;
use crate::def::{AnnualDef, Covers, StepKind};
use crate::engine::Ctx;
use crate::facts::FactValue;
use crate::output::{InputError, Shown};
use crate::periods::{annual_due, day_after, end_of, rest_reason, NamedDay, PeriodKind};

/// Most years listed by one yearly rule.
const MAX_YEARS: i32 = 100;

/// A month's name (Chinese, English), for "before 30 November"; empty for no month.
fn month_words(month: u8) -> (String, String) {
    match month {
        1 => crate::w!("month_january"),
        2 => crate::w!("month_february"),
        3 => crate::w!("month_march"),
        4 => crate::w!("month_april"),
        5 => crate::w!("month_may"),
        6 => crate::w!("month_june"),
        7 => crate::w!("month_july"),
        8 => crate::w!("month_august"),
        9 => crate::w!("month_september"),
        10 => crate::w!("month_october"),
        11 => crate::w!("month_november"),
        12 => crate::w!("month_december"),
        _ => (String::new(), String::new()),
    }
}

/// Computes every step whose condition holds and whose start date is known.
pub fn run_steps(ctx: &mut Ctx<'_>) -> Result<(), InputError> {
    let def = ctx.def;
    let in_force = ctx.in_force();
    for step in &def.steps {
        if !ctx.holds(step.when.as_ref()) {
            continue;
        }
        let Some(from) = ctx.date_of(&step.from) else {
            continue;
        };
        let fact = ctx.fact(&step.period)?;
        let period = ctx.period(fact)?;
        // A bar (三年内不得再次申报) is not an act due by its last day: it runs out.
        let kind = match step.kind {
            StepKind::End => ctx.period_kind(fact)?,
            StepKind::DayAfter => PeriodKind::Term,
        };
        let end = end_of(ctx.cal, from, period, kind).map_err(|e| {
            InputError::said(
                step.from.as_str(),
                crate::w!("date_out_of_range", error = e.0),
            )
        })?;
        let date = match step.kind {
            StepKind::End => end.end,
            StepKind::DayAfter => day_after(end.nominal).map_err(|e| {
                InputError::said(
                    step.from.as_str(),
                    crate::w!("date_out_of_range", error = e.0),
                )
            })?,
        };
        if kind == PeriodKind::Deadline {
            if let Some((eff, eff_fact)) = in_force.filter(|(eff, _)| date < *eff) {
                let (d, e) = (format_date(date), format_date(eff));
                let (zh, en) = crate::w!("trace_before_in_force", day = d, in_force = e);
                ctx.trace(
                    &step.id,
                    "before-in-force",
                    en,
                    zh,
                    Some(&eff_fact.citation),
                );
                let (zh, en) = crate::w!(
                    "step_before_in_force",
                    label = step.label,
                    label_en = step.label_en,
                    day = d,
                    in_force = e
                );
                ctx.note(zh, en, Some(&eff_fact.citation));
                continue;
            }
        }
        if step.kind == StepKind::DayAfter {
            ctx.trace_applied(
                &step.id,
                end.applied.get(..2).unwrap_or_default(),
                Some(&fact.citation),
            );
            let (zh, en) = crate::w!(
                "trace_day_after_bar",
                last = format_date(end.nominal),
                next = format_date(date)
            );
            ctx.trace(&step.id, "day-after", en, zh, Some(&fact.citation));
        } else {
            ctx.trace_applied(&step.id, &end.applied, Some(&fact.citation));
        }
        // A later step counts from the real end of this period: art. 203 lengthens the time to
        // act, it does not move the day from which another period runs.
        ctx.dates.insert(step.id.clone(), end.nominal);
        ctx.result(&step.id, Value::String(format_date(date)));
        let mut value = Shown::same(format_date(date));
        if step.kind == StepKind::End {
            if let Some((why, why_zh)) = rest_reason(ctx.cal, end.nominal) {
                let n = format_date(end.nominal);
                if end.nominal != end.end {
                    let (zh, en) = crate::w!("moved_art_203", day = n, why = why_zh, why_en = why);
                    value = value.push(&zh, &en);
                } else if kind == PeriodKind::Term {
                    let (zh, en) = crate::w!("term_end_not_moved");
                    value = value.push(&zh, &en);
                }
            }
        }
        ctx.event(
            step.id.clone(),
            date,
            (step.label.clone(), step.label_en.clone()),
            crate::w!(
                "event_description",
                label = step.label,
                label_en = step.label_en,
                value = value.zh,
                value_en = value.en,
                cite = fact.citation.text,
                cite_en = fact.citation.text_en
            ),
            Some(&fact.citation),
            end.provisional,
        );
        ctx.line(
            &step.id,
            &step.label,
            &step.label_en,
            value,
            Some(&fact.citation),
        );
        if fact.is_soft() {
            let (zh, en) = crate::w!("soft_term", label = step.label, label_en = step.label_en);
            ctx.warn(zh, en, Some(&fact.citation));
        }
        if end.provisional {
            ctx.provisional(&step.id, end.end);
        }
    }
    Ok(())
}

/// The label of an input or step, for messages.
fn name_of<'a>(ctx: &Ctx<'a>, name: &str) -> (&'a str, &'a str) {
    let def = ctx.def;
    def.steps
        .iter()
        .find(|s| s.id == name)
        .map(|s| (s.label.as_str(), s.label_en.as_str()))
        .or_else(|| {
            def.inputs
                .iter()
                .find(|i| i.name == name)
                .map(|i| (i.label.as_str(), i.label_en.as_str()))
        })
        .unwrap_or(("", ""))
}

/// Lists yearly due dates for each rule whose span is known.
pub fn run_annual(ctx: &mut Ctx<'_>) -> Result<(), InputError> {
    let def = ctx.def;
    let in_force = ctx.in_force();
    for rule in &def.annual {
        let Some(from) = ctx.date_of(&rule.from) else {
            continue;
        };
        let horizon = rule.horizon.as_deref().and_then(|h| ctx.date_of(h));
        let until = ctx.date_of(&rule.until);
        if horizon.is_none() && until.is_none() {
            continue;
        }
        let stop = rule.stop.as_deref().and_then(|s| ctx.date_of(s));
        let fact = ctx.fact(&rule.date)?;
        let FactValue::AnnualDate {
            month,
            day,
            named_day,
        } = fact.value
        else {
            return Err(InputError::definition(format!(
                "fact {} is not an annual date",
                rule.date
            )));
        };
        let min_age = match &rule.min_age {
            Some(id) => {
                let f = ctx.fact(id)?;
                Some(ctx.period(f)?)
            }
            None => None,
        };
        let first = from.year();
        // Without a horizon: the report years up to `until`'s, as the definition says.
        let last = match horizon {
            Some(h) => h.year(),
            None => until.map_or(first, |u| u.year()),
        }
        .min(first.saturating_add(MAX_YEARS));
        let mut dues = Vec::new();
        let mut provisional_until: Option<Date> = None;
        let mut before_in_force = 0usize;
        for year in first..=last {
            let due_year = match rule.covers {
                Covers::CurrentYear => year,
                Covers::PreviousYear => year.saturating_add(1),
            };
            let due = annual_due(ctx.cal, due_year, month, day, named_day).map_err(|e| {
                InputError::said(
                    rule.from.as_str(),
                    crate::w!("date_out_of_range", error = e.0),
                )
            })?;
            let named = format_date(due.named);
            if due.named <= from {
                let (zh, en) = crate::w!(
                    "trace_annual_before_start",
                    day = named,
                    start = format_date(from)
                );
                ctx.trace(
                    &rule.id,
                    "annual-before-start",
                    en,
                    zh,
                    Some(&fact.citation),
                );
                continue;
            }
            if horizon.is_some_and(|h| due.due > h) {
                continue;
            }
            if stop.is_some_and(|s| due.named > s) {
                let (zh, en) = crate::w!("trace_annual_after_stop", day = named);
                ctx.trace(&rule.id, "annual-after-stop", en, zh, Some(&fact.citation));
                continue;
            }
            if let Some((eff, _)) = in_force.filter(|(eff, _)| due.due < *eff) {
                before_in_force += 1;
                let (zh, en) = crate::w!(
                    "trace_annual_before_in_force",
                    day = format_date(due.due),
                    in_force = format_date(eff)
                );
                ctx.trace(
                    &rule.id,
                    "annual-before-in-force",
                    en,
                    zh,
                    in_force.map(|(_, f)| &f.citation),
                );
                continue;
            }
            if let Some(p) = min_age {
                let aged = end_of(ctx.cal, from, p, PeriodKind::Term).map_err(|e| {
                    InputError::said(
                        rule.from.as_str(),
                        crate::w!("date_out_of_range", error = e.0),
                    )
                })?;
                if aged.nominal > due.named {
                    let (zh, en) = crate::w!(
                        "trace_annual_min_age",
                        day = named,
                        period = p.label_zh(),
                        period_en = p.label_en(),
                        start = format_date(from),
                        reached = format_date(aged.nominal)
                    );
                    ctx.trace(
                        &rule.id,
                        "annual-min-age",
                        en,
                        zh,
                        rule.min_age
                            .as_deref()
                            .and_then(|id| ctx.facts.get(id))
                            .map(|f| &f.citation),
                    );
                    continue;
                }
            }
            ctx.trace_applied(&rule.id, &due.applied, Some(&fact.citation));
            if due.provisional {
                let upto = due.latest_art_203.unwrap_or(due.due);
                provisional_until = Some(provisional_until.map_or(upto, |d| d.max(upto)));
            }
            let mut item = json!({
                "year": year,
                "due": format_date(due.due),
                "nominal": named,
                "provisional": due.provisional,
            });
            if let (Some(l), Value::Object(o)) = (due.latest_art_203, &mut item) {
                o.insert("latest_art_203".into(), Value::String(format_date(l)));
            }
            dues.push(item);
            let (label, label_en) = crate::w!(
                "annual_label",
                label = rule.label,
                label_en = rule.label_en,
                year = year
            );
            let value = due_value(&due, month, day, named_day);
            let n = dues.len();
            ctx.event(
                format!("{}-{year}", rule.id),
                due.due,
                (label.clone(), label_en.clone()),
                crate::w!(
                    "event_description",
                    label = label,
                    label_en = label_en,
                    value = value.zh,
                    value_en = value.en,
                    cite = fact.citation.text,
                    cite_en = fact.citation.text_en
                ),
                Some(&fact.citation),
                due.provisional,
            );
            ctx.line_item(
                &rule.id,
                Some(n),
                (&label, &label_en),
                value,
                Some(&fact.citation),
            );
        }
        ctx.result(&rule.id, Value::Array(dues));
        if let Some(upto) = provisional_until {
            ctx.provisional(&rule.id, upto);
        }
        if let Some((eff, eff_fact)) = in_force.filter(|_| before_in_force > 0) {
            let e = format_date(eff);
            let (zh, en) = crate::w!(
                "annual_before_in_force",
                label = rule.label,
                label_en = rule.label_en,
                in_force = e,
                count = before_in_force
            );
            ctx.note(zh, en, Some(&eff_fact.citation));
        }
        if rule.horizon.is_some() {
            open_end_note(ctx, rule, horizon, until);
        }
    }
    Ok(())
}

/// Says that the text sets no end to a yearly obligation, and where the list stops.
fn open_end_note(ctx: &mut Ctx<'_>, rule: &AnnualDef, horizon: Option<Date>, until: Option<Date>) {
    let (label, label_en) = (rule.label.as_str(), rule.label_en.as_str());
    let (zh, en) = match (horizon, until) {
        (Some(h), _) => {
            crate::w!(
                "open_end_to_horizon",
                label = label,
                label_en = label_en,
                horizon = format_date(h)
            )
        }
        (None, Some(u)) => {
            let (s, s_en) = name_of(ctx, &rule.until);
            crate::w!(
                "open_end_to_until",
                label = label,
                label_en = label_en,
                until = s,
                until_en = s_en,
                day = format_date(u)
            )
        }
        (None, None) => return,
    };
    let citation = ctx.facts.get(&rule.date).map(|f| f.citation.clone());
    ctx.note(zh, en, citation.as_ref());
}

/// The displayed value of a yearly due date: the last day, the text's words, and the latest day
/// art. 203 would allow, beside it.
fn due_value(due: &crate::periods::AnnualDue, month: u8, day: u8, named_day: NamedDay) -> Shown {
    let d = format_date(due.due);
    let (_, month_en) = month_words(month);
    let mut zh = Vec::new();
    let mut en = Vec::new();
    if named_day == NamedDay::Excluded {
        let (z, e) = crate::w!(
            "due_day_excluded",
            month = month,
            month_en = month_en,
            day = day
        );
        zh.push(z);
        en.push(e);
    }
    if let Some(l) = due.latest_art_203 {
        let (z, e) = crate::w!("due_latest_art_203", latest = format_date(l));
        zh.push(z);
        en.push(e);
    }
    if zh.is_empty() {
        Shown::same(d)
    } else {
        let (sep, sep_en) = crate::w!("list_separator_clauses");
        let (zh, en) = crate::w!(
            "due_with_notes",
            due = d,
            notes = zh.join(&sep),
            notes_en = en.join(&sep_en)
        );
        Shown::two(zh, en)
    }
}
