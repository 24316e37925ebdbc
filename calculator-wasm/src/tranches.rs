//! Tranche schedules: shares of a total paid in order, each on a condition, each due at the end
//! of its interval (the k-th tranche at k × `interval` after the start, arts. 201–202; art. 203
//! only when the interval fact is a time to act, not when it is a term such as a year that runs
//! out).
//!
//! Bindings: `total` (amount), `shares` (schedule), `interval` (period).
//! Options: `start` (date input), `conditions` (enum-list input: one result per tranche),
//! `pass` (the value meaning the condition is met), `on_fail`:
//! * `withhold-this` — a failed condition withholds that tranche only (Kunming 第十九、二十条
//!   tie each tranche to its own year's evaluation and say nothing of later ones);
//! * `withhold-rest` — a failure withholds that tranche and every later one.
//!
//! A tranche whose condition is not given is `pending`. Each share is rounded half-up to the
//! fen as a payment, except the last, which takes the remainder so the tranches always sum to
//! the total exactly.

use serde_json::{json, Value};

use crate::dates::format_date;
use crate::engine::Ctx;
use crate::facts::FactValue;
use crate::fraction::Fraction;
use crate::inputs::InputValue;
use crate::money::{Money, Rounding};
use crate::output::{status_words, InputError, Shown};
use crate::periods::{end_of, Period};

/// One computed tranche.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tranche {
    /// Its share.
    pub share: Fraction,
    /// Its amount.
    pub amount: Money,
}

/// Splits `total` by `shares` (which must sum to 1): half-up per share, remainder on the last.
pub fn split(total: Money, shares: &[Fraction]) -> Option<Vec<Tranche>> {
    let mut sum = Fraction::new(0, 1)?;
    for s in shares {
        sum = sum.checked_add(s)?;
    }
    if sum != Fraction::new(1, 1)? {
        return None;
    }
    let mut out = Vec::with_capacity(shares.len());
    let mut paid = Money::ZERO;
    for (i, s) in shares.iter().enumerate() {
        let amount = if i + 1 == shares.len() {
            Money::from_fen(total.fen() - paid.fen())?
        } else {
            total.times(*s).round(Rounding::Payment)
        };
        paid = paid.checked_add(amount)?;
        out.push(Tranche { share: *s, amount });
    }
    Some(out)
}

/// Runs the tranche primitive: timed by events when the definition has `parts`, else by
/// intervals.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), InputError> {
    if ctx.def.parts.is_empty() {
        run_intervals(ctx)
    } else {
        run_parts(ctx)
    }
}

/// Tranches of an awarded amount (option `total`, a money input, at most the `cap` fact; or
/// the `total` fact where the measure fixes it), each timed by an event ([`PartDef`]).
///
/// [`PartDef`]: crate::def::PartDef
fn run_parts(ctx: &mut Ctx<'_>) -> Result<(), InputError> {
    let def = ctx.def;
    let shares_fact = ctx.bound_required("shares")?;
    let FactValue::Schedule(shares) = &shares_fact.value else {
        return Err(InputError::definition("shares must be a schedule"));
    };
    if shares.len() != def.parts.len() {
        return Err(InputError::definition(format!(
            "{}: {} parts for a schedule of {} shares",
            def.id,
            def.parts.len(),
            shares.len()
        )));
    }
    let pass = ctx.option("pass").unwrap_or("pass");
    // The total: the amount awarded (an input), bounded by the cap; or a fixed amount.
    let (total, total_citation) = match def.options.get("total") {
        Some(name) => {
            let awarded = ctx
                .inputs
                .money(name)
                .ok_or_else(|| InputError::required(name.as_str()))?;
            let cap_fact = ctx.bound_required("cap")?;
            let (FactValue::Cap(cap) | FactValue::Amount(cap)) = cap_fact.value else {
                return Err(InputError::definition("cap must be a cap"));
            };
            if awarded > cap {
                let (l, l_en) = ctx.input_label(name);
                let mut e = InputError::said(
                    name.as_str(),
                    crate::w!(
                        "tranches_above_cap",
                        input = l,
                        input_en = l_en,
                        awarded = awarded.display_zh(),
                        awarded_en = awarded.display_en(),
                        cap = cap.display_zh(),
                        cap_en = cap.display_en(),
                        cite = cap_fact.citation.text,
                        cite_en = cap_fact.citation.text_en
                    ),
                );
                e.also.clear();
                return Err(e);
            }
            let (zh, en) = crate::w!(
                "tranches_within_cap",
                awarded = awarded.display_zh(),
                awarded_en = awarded.display_en(),
                cap = cap.display_zh(),
                cap_en = cap.display_en(),
                cite = cap_fact.citation.text,
                cite_en = cap_fact.citation.text_en
            );
            ctx.trace("total", "cap", en, zh, Some(&cap_fact.citation));
            (awarded, cap_fact.citation.clone())
        }
        None => {
            let f = ctx.bound_required("total")?;
            let (FactValue::Amount(t) | FactValue::Cap(t)) = f.value else {
                return Err(InputError::definition("total must be an amount"));
            };
            (t, f.citation.clone())
        }
    };
    let split_parts = split(total, shares)
        .ok_or_else(|| InputError::definition("schedule shares do not sum to 1"))?;
    ctx.result("total", Value::String(total.to_string()));
    let (l_zh, l_en) = ctx.words("total", &[])?;
    ctx.line(
        "total",
        &l_zh,
        &l_en,
        Shown::money(total),
        Some(&total_citation),
    );

    let mut rows = Vec::new();
    let (mut paid, mut withheld, mut pending) = (Money::ZERO, Money::ZERO, Money::ZERO);
    for (i, (part, p)) in def.parts.iter().zip(&split_parts).enumerate() {
        let n = i + 1;
        // When: a date input, an offset from it, or no date (after the condition).
        let mut date = part.on.as_deref().and_then(|on| ctx.date_of(on));
        let mut citation = shares_fact.citation.clone();
        let mut provisional = false;
        if let (Some(base), Some(off)) = (date, part.offset.as_deref()) {
            let f = ctx.fact(off)?;
            let period = ctx.period(f)?;
            let kind = ctx.period_kind(f)?;
            let end = end_of(ctx.cal, base, period, kind).map_err(|e| {
                InputError::said(
                    part.on.as_deref().unwrap_or_default(),
                    crate::w!("date_out_of_range", error = e.0),
                )
            })?;
            ctx.trace_applied("tranches", &end.applied, Some(&f.citation));
            provisional = end.provisional;
            if provisional {
                ctx.provisional("tranches", end.end);
            }
            date = Some(end.end);
            citation = f.citation.clone();
        }
        let outcome = part
            .condition
            .as_deref()
            .and_then(|c| ctx.inputs.enum_value(c));
        let status = match (part.condition.as_deref(), outcome) {
            (Some(_), Some(v)) if v == pass => "payable",
            (Some(_), Some(_)) => "withheld",
            (Some(_), None) => "pending",
            (None, _) if date.is_some() || part.on.is_none() => "payable",
            (None, _) => "pending",
        };
        let bucket = match status {
            "payable" => &mut paid,
            "withheld" => &mut withheld,
            _ => &mut pending,
        };
        *bucket = bucket.checked_add(p.amount).unwrap_or(*bucket);
        let share = p.share.to_string();
        let (lz, le) = ctx.words(
            "tranches",
            &[
                ("n", &n.to_string(), &n.to_string()),
                ("share", &share, &share),
                ("when", &part.label, &part.label_en),
            ],
        )?;
        let (st_zh, st_en) = status_words(status);
        let (when_zh, when_en) = match (date, part.on.is_some()) {
            (Some(d), _) => (format_date(d), format_date(d)),
            (None, true) => crate::w!("date_not_yet_known"),
            (None, false) => crate::w!(
                "on_no_fixed_date",
                when = part.label,
                when_en = part.label_en
            ),
        };
        let (zh, en) = crate::w!(
            "trace_tranche_part",
            cite = shares_fact.citation.text,
            cite_en = shares_fact.citation.text_en,
            n = n,
            share = share,
            total = total.display_zh(),
            total_en = total.display_en(),
            amount = p.amount.display_zh(),
            amount_en = p.amount.display_en(),
            paid = part.label,
            paid_en = part.label_en,
            day = when_zh,
            day_en = when_en,
            status = st_zh,
            status_en = st_en
        );
        ctx.trace("tranches", "tranche", en, zh, Some(&shares_fact.citation));
        if status == "withheld" {
            if let (Some(zh), Some(en)) = (&part.on_fail, &part.on_fail_en) {
                ctx.note(zh.clone(), en.clone(), Some(&shares_fact.citation));
            }
        }
        if let (Some(d), true) = (date, status != "withheld") {
            ctx.event(
                format!("part-{n}"),
                d,
                crate::w!(
                    "event_tranche_title",
                    label = lz,
                    label_en = le,
                    amount = p.amount.display_zh(),
                    amount_en = p.amount.display_en()
                ),
                crate::w!(
                    "event_part_description",
                    label = lz,
                    label_en = le,
                    amount = p.amount.display_zh(),
                    amount_en = p.amount.display_en(),
                    when = part.label,
                    when_en = part.label_en,
                    cite = citation.text,
                    cite_en = citation.text_en
                ),
                Some(&citation),
                provisional,
            );
        }
        rows.push(json!({
            "n": n,
            "share": share,
            "amount": p.amount.to_string(),
            "payable_on": date.map(format_date),
            "status": status,
        }));
        let (due_zh, due_en) = crate::w!(
            "part_when_status",
            when = when_zh,
            when_en = when_en,
            status = st_zh,
            status_en = st_en
        );
        let mut value = Shown::money(p.amount).push(&due_zh, &due_en);
        value.status = Some(status);
        ctx.line_item("tranches", Some(n), (&lz, &le), value, Some(&citation));
    }
    totals(ctx, rows, [paid, withheld, pending], &shares_fact.citation)?;
    Ok(())
}

/// Tranches at the end of successive intervals from a start date (the k-th at k × interval).
fn run_intervals(ctx: &mut Ctx<'_>) -> Result<(), InputError> {
    let total_fact = ctx.bound_required("total")?;
    let shares_fact = ctx.bound_required("shares")?;
    let interval_fact = ctx.bound_required("interval")?;
    let (FactValue::Amount(total) | FactValue::Cap(total)) = total_fact.value else {
        return Err(InputError::definition("total must be an amount"));
    };
    let FactValue::Schedule(shares) = &shares_fact.value else {
        return Err(InputError::definition("shares must be a schedule"));
    };
    let interval = ctx.period(interval_fact)?;
    let interval_kind = ctx.period_kind(interval_fact)?;
    let start_name = ctx.option("start")?;
    let cond_name = ctx.option("conditions")?;
    let pass = ctx.option("pass")?;
    let withhold_rest = match ctx.option("on_fail")? {
        "withhold-this" => false,
        "withhold-rest" => true,
        other => return Err(InputError::definition(format!("unknown on_fail {other:?}"))),
    };
    let start = ctx
        .inputs
        .date(start_name)
        .ok_or_else(|| InputError::required(start_name))?;
    let conditions: Vec<String> = match ctx.inputs.get(cond_name) {
        Some(InputValue::EnumList(v)) => v.clone(),
        _ => Vec::new(),
    };
    if conditions.len() > shares.len() {
        return Err(InputError::said(
            cond_name,
            crate::w!(
                "tranches_too_many_results",
                entries = conditions.len(),
                tranches = shares.len()
            ),
        ));
    }
    let parts = split(total, shares)
        .ok_or_else(|| InputError::definition("schedule shares do not sum to 1"))?;

    ctx.result("total", Value::String(total.to_string()));
    let (l_zh, l_en) = ctx.words("total", &[])?;
    ctx.line(
        "total",
        &l_zh,
        &l_en,
        Shown::money(total),
        Some(&total_fact.citation),
    );
    let (zh, en) = crate::w!(
        "trace_total_fact",
        cite = total_fact.citation.text,
        cite_en = total_fact.citation.text_en,
        total = total.display_zh(),
        total_en = total.display_en(),
        label = l_zh,
        label_en = l_en
    );
    ctx.trace("total", "fact", en, zh, Some(&total_fact.citation));

    let mut rows = Vec::new();
    let (mut paid, mut withheld, mut pending) = (Money::ZERO, Money::ZERO, Money::ZERO);
    let mut failed_before = false;
    for (i, part) in parts.iter().enumerate() {
        let n = i + 1;
        let k = u32::try_from(n).unwrap_or(u32::MAX);
        let span = Period {
            count: interval.count.saturating_mul(k),
            unit: interval.unit,
        };
        let due = end_of(ctx.cal, start, span, interval_kind).map_err(|e| {
            InputError::said(start_name, crate::w!("date_out_of_range", error = e.0))
        })?;
        ctx.trace_applied("tranches", &due.applied, Some(&interval_fact.citation));
        if due.provisional {
            ctx.provisional("tranches", due.end);
        }
        let status = match conditions.get(i) {
            _ if failed_before && withhold_rest => "withheld",
            Some(c) if c == pass => "payable",
            Some(_) => "withheld",
            None => "pending",
        };
        if status == "withheld" {
            failed_before = true;
        }
        let bucket = match status {
            "payable" => &mut paid,
            "withheld" => &mut withheld,
            _ => &mut pending,
        };
        *bucket = bucket.checked_add(part.amount).unwrap_or(*bucket);
        let expr = total.times(part.share);
        let (cond_zh, cond_en) = match conditions.get(i) {
            Some(c) if c == pass => crate::w!("evaluation_passed"),
            Some(_) => crate::w!("evaluation_failed"),
            None => crate::w!("evaluation_not_given"),
        };
        let (st_zh, st_en) = status_words(status);
        let due_s = format_date(due.end);
        let (zh, en) = crate::w!(
            "trace_tranche_due",
            cite = shares_fact.citation.text,
            cite_en = shares_fact.citation.text_en,
            n = n,
            share = part.share,
            total = total.display_zh(),
            total_en = total.display_en(),
            amount = part.amount.display_zh(),
            amount_en = part.amount.display_en(),
            span = span.label_zh(),
            span_en = span.label_en(),
            due = due_s,
            evaluation = cond_zh,
            evaluation_en = cond_en,
            status = st_zh,
            status_en = st_en
        );
        ctx.trace("tranches", "tranche", en, zh, Some(&shares_fact.citation));
        rows.push(json!({
            "n": n,
            "share": part.share.to_string(),
            "amount": part.amount.to_string(),
            "payable_on": due_s,
            "status": status,
        }));
        let share = part.share.to_string();
        let (l_zh, l_en) = ctx.words(
            "tranches",
            &[
                ("n", &n.to_string(), &n.to_string()),
                ("share", &share, &share),
            ],
        )?;
        if status != "withheld" {
            let (cz, ce) = (
                shares_fact.citation.text.clone(),
                shares_fact.citation.text_en.clone(),
            );
            ctx.event(
                format!("tranche-{n}"),
                due.end,
                crate::w!(
                    "event_tranche_title",
                    label = l_zh,
                    label_en = l_en,
                    amount = part.amount.display_zh(),
                    amount_en = part.amount.display_en()
                ),
                crate::w!(
                    "event_tranche_description",
                    label = l_zh,
                    label_en = l_en,
                    amount = part.amount.display_zh(),
                    amount_en = part.amount.display_en(),
                    span = span.label_zh(),
                    span_en = span.label_en(),
                    due = due_s,
                    status = st_zh,
                    status_en = st_en,
                    cite = cz,
                    cite_en = ce
                ),
                Some(&shares_fact.citation),
                due.provisional,
            );
        }
        let (due_zh, due_en) = crate::w!(
            "tranche_due_status",
            due = due_s,
            status = st_zh,
            status_en = st_en
        );
        let mut value = Shown::money(part.amount).push(&due_zh, &due_en);
        value.status = Some(status);
        ctx.out.lines.push(crate::output::Line {
            result: "tranches".into(),
            item: Some(n),
            label: l_zh,
            label_en: l_en,
            value: value.zh,
            value_en: value.en,
            status: value.status.map(String::from),
            exact: (!expr.is_exact()).then(|| expr.expression()),
            citation: Some(shares_fact.citation.clone()),
        });
    }
    totals(ctx, rows, [paid, withheld, pending], &shares_fact.citation)?;
    if conditions.iter().any(|c| c != pass) {
        if let Some(l) = ctx.def.labels.get("on_fail") {
            let (zh, en) = (l.label.clone(), l.label_en.clone());
            ctx.note(zh, en, Some(&shares_fact.citation));
        }
    }
    Ok(())
}

/// The tranche rows and the paid / withheld / pending totals, as results and as lines (both
/// ways of timing tranches end the same way).
fn totals(
    ctx: &mut Ctx<'_>,
    rows: Vec<Value>,
    [paid, withheld, pending]: [crate::money::Money; 3],
    citation: &crate::facts::Citation,
) -> Result<(), InputError> {
    ctx.result("tranches", Value::Array(rows));
    for (key, amount) in [
        ("paid_total", paid),
        ("withheld_total", withheld),
        ("pending_total", pending),
    ] {
        ctx.result(key, Value::String(amount.to_string()));
        let (l_zh, l_en) = ctx.words(key, &[])?;
        ctx.line(key, &l_zh, &l_en, Shown::money(amount), Some(citation));
    }
    Ok(())
}
