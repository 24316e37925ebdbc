//! Graded bonus: a grade maps to a share of a base amount (a one-off payment, rounded half-up
//! to the fen); where the measure sets a quota for the top grade, a share of the number
//! evaluated, it is rounded down since it is a maximum (不大于).
//!
//! Bindings: `scale` (grade-scale), `share` (per grade, `by` the grade input; a grade without
//! an entry gets nothing and a "not specified" note), `top_quota` (share or percentage maximum;
//! only where the measure sets one).
//! Options: `base` (money input), `grade` (enum input), `count` (int input; only with a quota).
//! Labels: `bonus` (`{grade}`), and with a quota `max_excellent` (`{grade}`, the top grade).

use serde_json::Value;

use crate::engine::Ctx;
use crate::facts::FactValue;
use crate::fraction::Fraction;
use crate::inputs::InputValue;
use crate::money::{Money, Rounding};
use crate::output::{InputError, Line, Shown};

/// Runs the graded-bonus primitive.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), InputError> {
    let base_name = ctx.option("base")?;
    let grade_name = ctx.option("grade")?;
    let scale = ctx.bound_required("scale")?;
    let FactValue::GradeScale(grades) = &scale.value else {
        return Err(InputError::definition("scale must be a grade-scale"));
    };
    let base = ctx
        .inputs
        .money(base_name)
        .ok_or_else(|| InputError::required(base_name))?;
    let grade_id = ctx
        .inputs
        .enum_value(grade_name)
        .ok_or_else(|| InputError::required(grade_name))?
        .to_string();
    let grade = grades.iter().find(|g| g.id == grade_id).ok_or_else(|| {
        let (zh, en) = crate::w!("bonus_not_a_grade");
        InputError::new(grade_name, en, zh)
    })?;
    let (label, label_en) = ctx.words("bonus", &[("grade", &grade.label, &grade.label_en)])?;

    match ctx.bound("share")? {
        Some(fact) => {
            let FactValue::Share(share) = fact.value else {
                return Err(InputError::definition("share must be a share"));
            };
            let product = base.times(share);
            let bonus = product.round(Rounding::Payment);
            ctx.result("bonus", Value::String(bonus.to_string()));
            let shown = Shown::money(bonus);
            ctx.out.lines.push(Line {
                result: "bonus".into(),
                item: None,
                label: label.clone(),
                label_en: label_en.clone(),
                value: shown.zh,
                value_en: shown.en,
                status: None,
                exact: (!product.is_exact()).then(|| product.expression()),
                citation: Some(fact.citation.clone()),
            });
            let (zh, en) = crate::w!(
                "bonus_share",
                cite = fact.citation.text,
                grade = grade.label,
                base = base.display_zh(),
                cite_en = fact.citation.text_en,
                grade_en = grade.label_en,
                base_en = base.display_en(),
                share = share,
                exact = product.exact_decimal()
            );
            ctx.trace("bonus", "share", en, zh, Some(&fact.citation));
            if !product.is_exact() {
                let (zh, en) = crate::w!(
                    "rounding_payment",
                    expression = product.expression(),
                    rounded = bonus.display_zh(),
                    rounded_en = bonus.display_en()
                );
                ctx.trace("bonus", "rounding-payment", en, zh, None);
            }
        }
        None => {
            ctx.result("bonus", Value::String(Money::ZERO.to_string()));
            ctx.line(
                "bonus",
                &label,
                &label_en,
                Shown::money(Money::ZERO),
                Some(&scale.citation),
            );
            let (zh, en) = crate::w!(
                "bonus_silence",
                grade = grade.label,
                grade_en = grade.label_en
            );
            ctx.note(zh, en, Some(&scale.citation));
            let (zh, en) = crate::w!(
                "trace_bonus_silence",
                cite = scale.citation.text,
                grade = grade.label,
                cite_en = scale.citation.text_en,
                grade_en = grade.label_en
            );
            ctx.trace("bonus", "silence", en, zh, Some(&scale.citation));
        }
    }

    // The quota for the top grade, where the measure sets one and the count is given.
    if !ctx.def.bind.contains_key("top_quota") {
        return Ok(());
    }
    let count_name = ctx.option("count")?;
    let Some(InputValue::Int(count)) = ctx.inputs.get(count_name).cloned() else {
        return Ok(());
    };
    let quota = ctx.bound_required("top_quota")?;
    let q = quota_share(quota)?;
    let max = q.floor_of(count);
    ctx.result("max_excellent", Value::from(max));
    let top = grades.first().cloned().unwrap_or_else(|| grade.clone());
    let (l, l_en) = ctx.words("max_excellent", &[("grade", &top.label, &top.label_en)])?;
    ctx.line(
        "max_excellent",
        &l,
        &l_en,
        Shown::same(max.to_string()),
        Some(&quota.citation),
    );
    let product = u128::from(count) * u128::from(q.num());
    let (zh, en) = crate::w!(
        "bonus_quota",
        cite = quota.citation.text,
        grade = top.label,
        cite_en = quota.citation.text_en,
        grade_en = top.label_en,
        share = q,
        count = count,
        product = product,
        den = q.den(),
        max = max
    );
    ctx.trace(
        "max_excellent",
        "rounding-maximum",
        en,
        zh,
        Some(&quota.citation),
    );
    // A top grade the quota cannot hold: the grade or the count entered is doubtful.
    if grade.id == top.id && max == 0 {
        let (g, f) = (ctx.input_label(grade_name), ctx.input_label(count_name));
        let (zh, en) = crate::w!(
            "bonus_quota_zero",
            input = g.0,
            grade = top.label,
            count_input = f.0,
            input_en = g.1,
            grade_en = top.label_en,
            count_input_en = f.1,
            count = count
        );
        ctx.warn(zh, en, Some(&quota.citation));
    }
    Ok(())
}

/// A quota as a share: a `share` fact, or a percentage maximum ("不大于参评总数的10%").
fn quota_share(quota: &crate::facts::TypedFact) -> Result<Fraction, InputError> {
    match &quota.value {
        FactValue::Share(q) => Ok(*q),
        FactValue::Maximum {
            value,
            unit: crate::facts::Unit::Percent,
            ..
        } => Fraction::parse(&format!("{value}%"))
            .map_err(|_| InputError::definition("top_quota: the percentage is not a share")),
        _ => Err(InputError::definition(
            "top_quota must be a share or a percentage maximum",
        )),
    }
}
