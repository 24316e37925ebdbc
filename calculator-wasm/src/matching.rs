//! Matching ratio with a cap, both directions: the least own funding for given public funding
//! (a minimum: rounded up), and the most public funding for given own funding (a maximum:
//! rounded down, then capped); and, when both are given, whether they comply.
//!
//! Bindings: `ratio` (a ratio `[own, public]`, e.g. 自筹:财政 不低于 3:1), `cap` (cap on public funding).
//! Options: `own` and `public` (money inputs; at least one is required), `min_result`,
//! `max_result` (result names). Labels: the two result names and `compliant`, in the
//! measure's own words.

use serde_json::{json, Value};

use crate::engine::Ctx;
use crate::facts::FactValue;
use crate::money::Rounding;
use crate::output::{InputError, Line, Shown};

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
        let (p, p_en) = ctx.input_label(public_name);
        let (o, o_en) = ctx.input_label(own_name);
        let mut e = InputError::said(
            public_name,
            crate::w!(
                "matching_give_either",
                public = p,
                public_en = p_en,
                own = o,
                own_en = o_en
            ),
        );
        e.also.push(own_name.to_string());
        return Err(e);
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
        let (l, l_en) = ctx.words(min_name, &[])?;
        let shown = Shown::money(min_own);
        ctx.out.lines.push(Line {
            result: min_name.into(),
            item: None,
            label: l.clone(),
            label_en: l_en.clone(),
            value: shown.zh,
            value_en: shown.en,
            status: None,
            exact: (!product.is_exact()).then(|| product.expression()),
            citation: Some(ratio_fact.citation.clone()),
        });
        let (zh, en) = crate::w!(
            "matching_ratio_minimum",
            cite = ratio_fact.citation.text,
            cite_en = ratio_fact.citation.text_en,
            ratio = ratio,
            public = p.display_zh(),
            public_en = p.display_en(),
            exact = product.exact_decimal(),
            label = l,
            label_en = l_en,
            min = min_own.display_zh(),
            min_en = min_own.display_en()
        );
        ctx.trace(
            min_name,
            "ratio-minimum",
            en,
            zh,
            Some(&ratio_fact.citation),
        );
        if p > cap {
            let (pn, pn_en) = ctx.input_label(public_name);
            let (zh, en) = crate::w!(
                "matching_above_cap",
                input = pn,
                input_en = pn_en,
                public = p.display_zh(),
                public_en = p.display_en(),
                cap = cap.display_zh(),
                cap_en = cap.display_en()
            );
            problems.push(json!({"rule": cap_fact.citation.fact, "message": en, "message_zh": zh}));
            let (zh, en) = crate::w!("sentence", text = zh, text_en = en);
            ctx.warn(zh, en, Some(&cap_fact.citation));
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
        let (l, l_en) = ctx.words(max_name, &[])?;
        let shown = Shown::money(max_public);
        ctx.out.lines.push(Line {
            result: max_name.into(),
            item: None,
            label: l.clone(),
            label_en: l_en.clone(),
            value: shown.zh,
            value_en: shown.en,
            status: None,
            exact: (!product.is_exact() && by_ratio <= cap).then(|| product.expression()),
            citation: Some(citation.clone()),
        });
        let (zh, en) = crate::w!(
            "matching_ratio_maximum",
            cite = ratio_fact.citation.text,
            cite_en = ratio_fact.citation.text_en,
            ratio = ratio,
            own = o.display_zh(),
            own_en = o.display_en(),
            exact = product.exact_decimal(),
            max = by_ratio.display_zh(),
            max_en = by_ratio.display_en()
        );
        ctx.trace(
            max_name,
            "ratio-maximum",
            en,
            zh,
            Some(&ratio_fact.citation),
        );
        if by_ratio > cap {
            let (zh, en) = crate::w!(
                "matching_capped",
                cite = cap_fact.citation.text,
                cite_en = cap_fact.citation.text_en,
                by_ratio = by_ratio.display_zh(),
                by_ratio_en = by_ratio.display_en(),
                label = l,
                label_en = l_en,
                cap = cap.display_zh(),
                cap_en = cap.display_en()
            );
            ctx.trace(max_name, "cap", en, zh, Some(&cap_fact.citation));
        }
    }
    if let (Some(o), Some(p)) = (own, public) {
        // Exact comparison in fen: own × b ≥ public × a.
        let ratio_ok = o.fen() * i128::from(ratio.b) >= p.fen() * i128::from(ratio.a);
        let (on, on_en) = ctx.input_label(own_name);
        let (pn, pn_en) = ctx.input_label(public_name);
        if !ratio_ok {
            let (zh, en) = crate::w!(
                "matching_below_ratio",
                own_input = on,
                own_input_en = on_en,
                own = o.display_zh(),
                own_en = o.display_en(),
                public_input = pn,
                public_input_en = pn_en,
                public = p.display_zh(),
                public_en = p.display_en(),
                ratio = ratio
            );
            problems
                .push(json!({"rule": ratio_fact.citation.fact, "message": en, "message_zh": zh}));
        }
        let compliant = ratio_ok && p <= cap;
        ctx.result("compliant", Value::Bool(compliant));
        let (l, l_en) = ctx.words("compliant", &[])?;
        ctx.line(
            "compliant",
            &l,
            &l_en,
            Shown::status(if compliant { "met" } else { "not-met" }),
            Some(&ratio_fact.citation),
        );
        let args = (
            ratio_fact.citation.text.as_str(),
            ratio_fact.citation.text_en.as_str(),
            o.display_zh(),
            o.display_en(),
            p.display_zh(),
            p.display_en(),
        );
        let (zh, en) = if ratio_ok {
            crate::w!(
                "matching_ratio_at_least",
                cite = args.0,
                cite_en = args.1,
                own = args.2,
                own_en = args.3,
                public = args.4,
                public_en = args.5,
                ratio = ratio
            )
        } else {
            crate::w!(
                "matching_ratio_below",
                cite = args.0,
                cite_en = args.1,
                own = args.2,
                own_en = args.3,
                public = args.4,
                public_en = args.5,
                ratio = ratio
            )
        };
        ctx.trace(
            "compliant",
            "ratio-check",
            en,
            zh,
            Some(&ratio_fact.citation),
        );
    }
    ctx.result("problems", Value::Array(problems));
    Ok(())
}
