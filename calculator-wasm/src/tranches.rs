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
use crate::output::InputError;
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

/// Runs the tranche primitive.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), InputError> {
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
        .ok_or_else(|| InputError::new(start_name, "is required", "为必填项"))?;
    let conditions: Vec<String> = match ctx.inputs.get(cond_name) {
        Some(InputValue::EnumList(v)) => v.clone(),
        _ => Vec::new(),
    };
    if conditions.len() > shares.len() {
        return Err(InputError::new(
            cond_name,
            format!(
                "has {} entries; there are only {} tranches",
                conditions.len(),
                shares.len()
            ),
            format!("共{}项，但只有{}期拨付", conditions.len(), shares.len()),
        ));
    }
    let parts = split(total, shares)
        .ok_or_else(|| InputError::definition("schedule shares do not sum to 1"))?;

    ctx.result("total", Value::String(total.to_string()));
    ctx.line(
        "total",
        &total_fact.label,
        &total_fact.label_en,
        format!("{total} 元"),
        Some(&total_fact.citation),
    );
    ctx.trace(
        "total",
        "fact",
        format!("total {total} yuan from fact {}", total_fact.citation.fact),
    );

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
        let due = end_of(ctx.cal, start, span, interval_kind)
            .map_err(|e| InputError::new(start_name, e.0, "日期超出范围"))?;
        let name = format!("tranches[{i}]");
        ctx.trace_applied(&name, &due.applied);
        if due.provisional {
            ctx.provisional(&name, due.end);
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
        ctx.trace(
            &name,
            "tranche",
            format!(
                "tranche {n}: {} × {} = {} yuan, due after {} ({}), condition {}",
                total,
                part.share,
                part.amount,
                span.label_en(),
                format_date(due.end),
                match conditions.get(i) {
                    Some(c) => c.as_str(),
                    None => "not given",
                }
            ),
        );
        rows.push(json!({
            "n": n,
            "share": part.share.to_string(),
            "amount": part.amount.to_string(),
            "payable_on": format_date(due.end),
            "status": status,
        }));
        let status_zh = match status {
            "payable" => "可拨付 · payable",
            "withheld" => "不予拨付 · withheld",
            _ => "待评估 · pending",
        };
        let mut line_value = format!("{} 元，{}，{status_zh}", part.amount, format_date(due.end));
        if !expr.is_exact() {
            line_value = format!("{line_value}（{}）", expr.expression());
        }
        ctx.line(
            &name,
            &format!("第{n}期（{}）", part.share),
            &format!("Tranche {n} ({})", part.share),
            line_value,
            Some(&shares_fact.citation),
        );
    }
    ctx.result("tranches", Value::Array(rows));
    ctx.result("paid_total", Value::String(paid.to_string()));
    ctx.result("withheld_total", Value::String(withheld.to_string()));
    ctx.result("pending_total", Value::String(pending.to_string()));
    ctx.line(
        "paid_total",
        "可拨付合计",
        "Payable in total",
        format!("{paid} 元"),
        None,
    );
    ctx.line(
        "withheld_total",
        "不予拨付合计",
        "Withheld in total",
        format!("{withheld} 元"),
        None,
    );
    if !withhold_rest && conditions.iter().any(|c| c != pass) {
        ctx.note(
            "某一年度评估不合格，仅不拨付该期经费；办法未规定对以后各期的影响（资格取消另见相关条款）。".into(),
            "A failed evaluation withholds that year's tranche only; the measure does not say it affects later tranches (loss of status is governed elsewhere).".into(),
            Some(&shares_fact.citation),
        );
    }
    Ok(())
}
