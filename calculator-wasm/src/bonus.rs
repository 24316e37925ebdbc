//! Graded bonus: a grade maps to a share of a base amount (a one-off payment, rounded half-up
//! to the fen); the top grade has a quota, a share of the number evaluated, rounded down since
//! it is a maximum (不大于).
//!
//! Bindings: `scale` (grade-scale), `share` (per grade, `by` the grade input; a grade without
//! an entry gets nothing and a "not specified" note), `top_quota` (share).
//! Options: `base` (money input), `grade` (enum input), `count` (int input, optional).

use serde_json::Value;

use crate::engine::{Ctx, SILENT_EN, SILENT_ZH};
use crate::facts::FactValue;
use crate::inputs::InputValue;
use crate::money::{Money, Rounding};
use crate::output::InputError;

/// Runs the graded-bonus primitive.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), InputError> {
    let base_name = ctx.option("base")?;
    let grade_name = ctx.option("grade")?;
    let count_name = ctx.option("count")?;
    let scale = ctx.bound_required("scale")?;
    let FactValue::GradeScale(grades) = &scale.value else {
        return Err(InputError::definition("scale must be a grade-scale"));
    };
    let base = ctx
        .inputs
        .money(base_name)
        .ok_or_else(|| InputError::new(base_name, "is required", "为必填项"))?;
    let grade_id = ctx
        .inputs
        .enum_value(grade_name)
        .ok_or_else(|| InputError::new(grade_name, "is required", "为必填项"))?
        .to_string();
    let grade = grades.iter().find(|g| g.id == grade_id).ok_or_else(|| {
        InputError::new(
            grade_name,
            "is not a grade of this scale",
            "不是本办法的评估等级",
        )
    })?;

    match ctx.bound("share")? {
        Some(fact) => {
            let FactValue::Share(share) = fact.value else {
                return Err(InputError::definition("share must be a share"));
            };
            let product = base.times(share);
            let bonus = product.round(Rounding::Payment);
            ctx.result("bonus", Value::String(bonus.to_string()));
            ctx.out.lines.push(crate::output::Line {
                result: "bonus".into(),
                label: format!("{}：奖励经费", grade.label),
                label_en: format!("{}: bonus", grade.label_en),
                value: format!("{bonus} 元"),
                exact: (!product.is_exact()).then(|| product.expression()),
                citation: Some(fact.citation.clone()),
            });
            ctx.trace(
                "bonus",
                "share",
                format!("{} × {} (grade {})", base, share, grade.label_en),
            );
            if !product.is_exact() {
                ctx.trace(
                    "bonus",
                    "rounding-payment",
                    format!(
                        "{} → {bonus} (a payment: rounded half-up to the fen)",
                        product.expression()
                    ),
                );
            }
        }
        None => {
            ctx.result("bonus", Value::String(Money::ZERO.to_string()));
            ctx.line(
                "bonus",
                &format!("{}：奖励经费", grade.label),
                &format!("{}: bonus", grade.label_en),
                "0.00 元".into(),
                Some(&scale.citation),
            );
            ctx.note(
                format!("评估结果为“{}”的奖励经费：{SILENT_ZH}。", grade.label),
                format!("A bonus for grade \"{}\": {SILENT_EN}.", grade.label_en),
                Some(&scale.citation),
            );
            ctx.trace(
                "bonus",
                "silence",
                format!("no share is bound for grade {}: 0", grade.label_en),
            );
        }
    }

    if let Some(InputValue::Int(count)) = ctx.inputs.get(count_name).cloned() {
        let quota = ctx.bound_required("top_quota")?;
        let q = match &quota.value {
            FactValue::Share(q) => *q,
            // "不大于参评总数的10%": a percentage maximum is the share of the count it allows.
            FactValue::Maximum {
                value,
                unit: crate::facts::Unit::Percent,
                ..
            } => crate::fraction::Fraction::parse(&format!("{value}%"))
                .map_err(|_| InputError::definition("top_quota: the percentage is not a share"))?,
            _ => {
                return Err(InputError::definition(
                    "top_quota must be a share or a percentage maximum",
                ))
            }
        };
        let max = q.floor_of(count);
        ctx.result("max_excellent", Value::from(max));
        let top = grades
            .first()
            .map(|g| (g.label.clone(), g.label_en.clone()))
            .unwrap_or_default();
        ctx.line(
            "max_excellent",
            &format!("“{}”名额上限", top.0),
            &format!("Most \"{}\" grades", top.1),
            format!("{max}"),
            Some(&quota.citation),
        );
        ctx.trace(
            "max_excellent",
            "rounding-maximum",
            format!(
                "{count} × {q} = {}/{}, rounded down to {max} (a maximum: 不大于)",
                u128::from(count) * u128::from(q.num()),
                q.den()
            ),
        );
    }
    Ok(())
}
