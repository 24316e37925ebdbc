//! The measure's status on the day the answer is for: in force, not yet in force, expired
//! (失效, its validity ran out), repealed, or its call closed. The day is the definition's
//! `as_of` input when given, else the site's status date. A measure that is not open on that day
//! says so: a warning with the article, and in an eligibility verdict (a closed call, an expired
//! or repealed measure is "not met"; one not yet in force is "cannot tell").

use serde_json::Value;
use time::Date;

use crate::dates::format_date;
use crate::def::Primitive;
use crate::engine::Ctx;
use crate::facts::{in_force_id, status_ids, Citation, FactValue};
use crate::output::{status_words, InputError};

/// The status code on `on`, the day it began and the rule (`None`: in force).
fn status_on(ctx: &Ctx<'_>, on: Date) -> Option<(&'static str, Date, Citation)> {
    let m = &ctx.def.measure;
    let fact = |id: &str| ctx.facts.get(id);
    let [call, expires, repealed] = status_ids(m);
    if let Some(f) = fact(&repealed) {
        if let FactValue::Repealed(d) = f.value {
            if d <= on {
                return Some(("repealed", d, f.citation.clone()));
            }
        }
    }
    if let Some(f) = fact(&expires) {
        if let FactValue::Expires(d) = f.value {
            if d <= on {
                return Some(("expired", d, f.citation.clone()));
            }
        }
    }
    if let Some(f) = fact(&in_force_id(m)) {
        if let FactValue::InForce(d) = f.value {
            if on < d {
                return Some(("not-yet", d, f.citation.clone()));
            }
        }
    }
    if let Some(f) = fact(&call) {
        if let FactValue::CallCloses(d) = f.value {
            if d < on {
                return Some(("call-closed", d, f.citation.clone()));
            }
        }
    }
    None
}

/// Adds the measure's status on the as-of day to the answer.
pub fn run(ctx: &mut Ctx<'_>, site_as_of: Option<Date>) -> Result<(), InputError> {
    if ctx.def.measure == "*" {
        return Ok(());
    }
    let on = match ctx.def.as_of.as_deref() {
        Some(name) => ctx.date_of(name).or(site_as_of),
        None => site_as_of,
    };
    let Some(on) = on else { return Ok(()) };
    let Some((code, since, citation)) = status_on(ctx, on) else {
        ctx.result("measure_status", Value::String("in-force".into()));
        return Ok(());
    };
    ctx.result("measure_status", Value::String(code.into()));
    let (o, s) = (format_date(on), format_date(since));
    let (zh, en) = match code {
        "repealed" => (
            format!("本办法已于{s}废止：按{o}计，不能再依本办法申请或获得支持。"),
            format!("The measure was repealed on {s}: as of {o} no application or support can rest on it."),
        ),
        "expired" => (
            format!("本办法有效期已届满，自{s}起失效：按{o}计，不能再依本办法申请或获得支持。"),
            format!("The measure's validity has run out: it is no longer in force from {s}; as of {o} no application or support can rest on it."),
        ),
        "not-yet" => (
            format!("本办法自{s}起施行，{o}尚未施行：结果为施行后的情形。"),
            format!("The measure is in force from {s}, not yet on {o}: the results are for after that day."),
        ),
        _ => (
            format!("申报已于{s}截止：按{o}计，本次申报已不能提交。"),
            format!("The call closed on {s}: as of {o} an application can no longer be filed under it."),
        ),
    };
    // In a verdict the status is said there; elsewhere it is a warning (never both).
    let verdict_line = if matches!(
        ctx.def.primitive,
        Primitive::Eligibility | Primitive::Composition
    ) {
        ctx.out
            .lines
            .iter_mut()
            .rev()
            .find(|l| l.label_en == "Verdict")
    } else {
        None
    };
    let verdict = if code == "not-yet" {
        "cannot-tell"
    } else {
        "not-met"
    };
    let Some(line) = verdict_line else {
        ctx.warn(zh, en, Some(&citation));
        return Ok(());
    };
    let (w, w_en) = status_words(verdict);
    line.status = Some(verdict.into());
    line.value = format!("{w}：{zh}");
    line.value_en = format!("{w_en}: {en}");
    line.citation = Some(citation);
    ctx.result("verdict", Value::String(verdict.into()));
    Ok(())
}
