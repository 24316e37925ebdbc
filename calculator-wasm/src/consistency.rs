//! Checks between the applicant's own inputs: a part not more than the whole (外籍研究人员 of
//! 专职科技人员), a date not before another (revoked before recognised, accepted before the
//! term ends). A failure is an error naming both fields, or, where the measure does not forbid
//! it, a warning. The message is the content's, with `{a}` and `{b}` the values entered.

use crate::dates::format_date;
use crate::def::ConsistencyKind;
use crate::engine::Ctx;
use crate::inputs::InputValue;
use crate::output::InputError;

/// Runs the checks whose values are known: inputs only (`after_steps` false), or those that
/// compare with a computed date (`after_steps` true).
pub fn run(ctx: &mut Ctx<'_>, after_steps: bool) -> Result<(), InputError> {
    let def = ctx.def;
    for c in &def.consistency {
        let on_step = def.steps.iter().any(|s| s.id == c.than);
        if on_step != after_steps {
            continue;
        }
        let (ok, a, b) = match c.kind {
            ConsistencyKind::AtMost => match (ctx.inputs.get(&c.input), ctx.inputs.get(&c.than)) {
                (Some(InputValue::Int(a)), Some(InputValue::Int(b))) => {
                    (a <= b, a.to_string(), b.to_string())
                }
                (Some(InputValue::Money(a)), Some(InputValue::Money(b))) => {
                    (a <= b, a.display_zh(), b.display_zh())
                }
                _ => continue,
            },
            ConsistencyKind::NotBefore => match (ctx.date_of(&c.input), ctx.date_of(&c.than)) {
                (Some(a), Some(b)) => (a >= b, format_date(a), format_date(b)),
                _ => continue,
            },
        };
        if ok {
            continue;
        }
        let fill = |m: &str| m.replace("{a}", &a).replace("{b}", &b);
        if c.warn {
            ctx.warn(fill(&c.message), fill(&c.message_en), None);
        } else {
            let mut e = InputError::new(c.input.as_str(), fill(&c.message_en), fill(&c.message));
            e.also.push(c.than.clone());
            return Err(e);
        }
    }
    Ok(())
}
