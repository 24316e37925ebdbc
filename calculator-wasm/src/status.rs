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
        "repealed" => crate::w!("measure_repealed", since = s, on = o),
        "expired" => crate::w!("measure_expired", since = s, on = o),
        "not-yet" => crate::w!("measure_not_yet", since = s, on = o),
        _ => crate::w!("measure_call_closed", since = s, on = o),
    };
    // In a verdict the status is said there; elsewhere it is a warning (never both).
    let verdict_en = crate::w!("label_verdict").1;
    let verdict_line = if matches!(
        ctx.def.primitive,
        Primitive::Eligibility | Primitive::Composition
    ) {
        ctx.out
            .lines
            .iter_mut()
            .rev()
            .find(|l| l.label_en == verdict_en)
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
    (line.value, line.value_en) = crate::w!(
        "verdict_because",
        status = w,
        reason = zh,
        status_en = w_en,
        reason_en = en
    );
    line.citation = Some(citation);
    ctx.result("verdict", Value::String(verdict.into()));
    Ok(())
}
