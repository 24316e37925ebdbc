//! Matching ratio with a cap, both directions: the least own funding for given public funding
//! (a minimum: rounded up), and the most public funding for given own funding (a maximum:
//! rounded down, then capped); and, when both are given, whether they comply.
//!
//! Bindings: `ratio` (a ratio `[own, public]`, e.g. 自筹:财政 不低于 3:1), `cap` (cap on public funding).
//! Options: `own` and `public` (money inputs; at least one is required), `min_result`,
//! `max_result` (result names).

use serde_json::{json, Value};

use crate::engine::Ctx;
use crate::facts::FactValue;
use crate::money::Rounding;
use crate::output::{InputError, Line};

/// Runs the matching primitive.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), InputError> {
    let ratio_fact = ctx.bound_required("ratio")?;
    let cap_fact = ctx.bound_required("cap")?;
    let FactValue::Ratio(ratio) = ratio_fact.value else {
        return Err(InputError::definition("ratio must be a ratio"));
    };
    let (FactValue::Cap(cap) | FactValue::Amount(cap)) = cap_fact.value else {
        return Err(InputError::definition("cap must be a cap"));
    };
    let own_name = ctx.option("own")?;
    let public_name = ctx.option("public")?;
    let min_name = ctx.option("min_result")?;
    let max_name = ctx.option("max_result")?;
    let own = ctx.inputs.money(own_name);
    let public = ctx.inputs.money(public_name);
    if own.is_none() && public.is_none() {
        return Err(InputError::new(
            public_name,
            format!("give {public_name} or {own_name} (or both)"),
            "请至少填写一项金额",
        ));
    }
    let own_per_public = ratio
        .first_per_second()
        .ok_or_else(|| InputError::definition("bad ratio"))?;
    let public_per_own = ratio
        .second_per_first()
        .ok_or_else(|| InputError::definition("bad ratio"))?;
    let mut problems = Vec::new();

    if let Some(p) = public {
        let product = p.times(own_per_public);
        let min_own = product.round(Rounding::Minimum);
        ctx.result(min_name, Value::String(min_own.to_string()));
        ctx.out.lines.push(Line {
            result: min_name.into(),
            label: "最低自筹货币资金".into(),
            label_en: "Least own cash funding".into(),
            value: format!("{min_own} 元"),
            exact: (!product.is_exact()).then(|| product.expression()),
            citation: Some(ratio_fact.citation.clone()),
        });
        ctx.trace(
            min_name,
            "ratio-minimum",
            format!(
                "{} (own : public ≥ {ratio}) → {min_own}, rounded up (a minimum)",
                product.expression()
            ),
        );
        if p > cap {
            problems.push(json!({"rule": cap_fact.citation.fact, "message": format!("public funding {p} exceeds the cap {cap}"), "message_zh": format!("财政经费{p}元超过上限{cap}元")}));
            ctx.warn(
                format!("财政经费{p}元超过上限{cap}元。"),
                format!("Public funding {p} exceeds the cap of {cap} yuan."),
                Some(&cap_fact.citation),
            );
        }
    }
    if let Some(o) = own {
        let product = o.times(public_per_own);
        let by_ratio = product.round(Rounding::Maximum);
        let max_public = by_ratio.min(cap);
        ctx.result(max_name, Value::String(max_public.to_string()));
        let citation = if by_ratio > cap {
            &cap_fact.citation
        } else {
            &ratio_fact.citation
        };
        ctx.out.lines.push(Line {
            result: max_name.into(),
            label: "最高财政经费".into(),
            label_en: "Most public funding".into(),
            value: format!("{max_public} 元"),
            exact: (!product.is_exact() && by_ratio <= cap).then(|| product.expression()),
            citation: Some(citation.clone()),
        });
        ctx.trace(
            max_name,
            "ratio-maximum",
            format!(
                "{} → {by_ratio}, rounded down (a maximum)",
                product.expression()
            ),
        );
        if by_ratio > cap {
            ctx.trace(
                max_name,
                "cap",
                format!("{by_ratio} is above the cap {cap}: capped at {cap}"),
            );
        }
    }
    if let (Some(o), Some(p)) = (own, public) {
        // Exact comparison in fen: own × b ≥ public × a.
        let ratio_ok = o.fen() * i128::from(ratio.b) >= p.fen() * i128::from(ratio.a);
        if !ratio_ok {
            problems.push(json!({"rule": ratio_fact.citation.fact, "message": format!("own funding {o} is below {ratio} of public funding {p}"), "message_zh": format!("自筹{o}元低于财政经费{p}元的{ratio}")}));
        }
        let compliant = ratio_ok && p <= cap;
        ctx.result("compliant", Value::Bool(compliant));
        ctx.line(
            "compliant",
            "是否符合配套要求",
            "Complies",
            if compliant {
                "符合 · yes".into()
            } else {
                "不符合 · no".into()
            },
            Some(&ratio_fact.citation),
        );
        ctx.trace(
            "compliant",
            "ratio-check",
            format!(
                "{o} × {} ≥ {p} × {}? {}",
                ratio.b,
                ratio.a,
                if ratio_ok { "yes" } else { "no" }
            ),
        );
    }
    ctx.result("problems", Value::Array(problems));
    Ok(())
}
