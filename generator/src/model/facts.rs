//! Facts as the comparison pages show them: a short value in both languages, the force, and a
//! citation that links to the exact unit.

use serde::Serialize;

use crate::content::fact::{decimal_value, Fact};
use crate::content::vocab::{FactType, Force, Unit};
use crate::model::words::FactWords;

/// A fact resolved for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactView {
    /// Fact id (also its anchor on topic pages).
    pub id: String,
    /// Measure id.
    pub measure: String,
    /// Topic id.
    pub topic: String,
    /// Fact type.
    pub kind: FactType,
    /// How binding it is.
    pub force: Force,
    /// Short label.
    pub label: String,
    /// Short English label.
    pub label_en: String,
    /// Short value, e.g. `≥ 20 人`.
    pub value: String,
    /// Short value in English, e.g. `≥ 20 persons`.
    pub value_en: String,
    /// Anchor of the cited unit.
    pub cite: String,
    /// Citation in words, e.g. `第七条第（四）项`.
    pub cite_label: String,
    /// Citation in English, e.g. `Art. 7(4)`.
    pub cite_label_en: String,
    /// The exact words.
    pub quote: String,
    /// The cited unit's full text (for topic pages).
    pub unit_text: String,
    /// Note.
    pub note: Option<String>,
    /// English note.
    pub note_en: Option<String>,
    /// Machine-readable value for export (number, share, ratio …) as compact JSON text: a
    /// parsed tree costs some 700 bytes a fact, the text under a hundred, and only the
    /// dataset reads it.
    pub data: String,
}

fn num(f: &Fact) -> String {
    f.value
        .as_ref()
        .and_then(|v| decimal_value(v.get_ref()).ok())
        .map(|d| d.normalize().to_string())
        .unwrap_or_default()
}

/// Short value of a fact in Chinese and English, in `words`, plus its machine-readable form.
pub(crate) fn display(f: &Fact, words: &FactWords) -> (String, String, serde_json::Value) {
    use serde_json::json;
    let unit_code = f.unit.as_ref().map(|u| *u.get_ref());
    let unit = unit_code.map_or("", Unit::code);
    let n = num(f);
    let (zh, en) = (words.edition(false), words.edition(true));
    // The number and its unit, in each edition.
    let uz = zh.unit(unit_code, &n);
    let ue = en.unit(unit_code, &n);
    let value_json = f.value.as_ref().map(|v| match v.get_ref() {
        toml::Value::Datetime(d) => json!(d.to_string()),
        _ => json!(n),
    });
    match f.kind.get_ref() {
        FactType::Minimum => {
            let op = if f.strict { ">" } else { "≥" };
            (
                format!("{op} {n} {uz}"),
                format!("{op} {n} {ue}"),
                json!({"min": n, "unit": unit, "strict": f.strict}),
            )
        }
        FactType::Maximum => (
            format!("≤ {n} {uz}"),
            format!("≤ {n} {ue}"),
            json!({"max": n, "unit": unit}),
        ),
        FactType::Amount => (
            format!("{n} {uz}"),
            format!("{n} {ue}"),
            json!({"amount": n, "unit": unit}),
        ),
        FactType::Cap => (
            zh.cap(&format!("{n} {uz}")),
            en.cap(&format!("{n} {ue}")),
            json!({"cap": n, "unit": unit}),
        ),
        FactType::Share => {
            let s = f
                .share
                .as_ref()
                .map(|s| s.get_ref().clone())
                .unwrap_or_default();
            (s.clone(), s.clone(), json!({"share": s}))
        }
        FactType::Schedule => {
            let v: Vec<String> = f.shares.iter().map(|s| s.get_ref().clone()).collect();
            (v.join(" / "), v.join(" / "), json!({"shares": v}))
        }
        FactType::Ratio => {
            let r = f
                .ratio
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(":");
            (r.clone(), r, json!({"ratio": f.ratio}))
        }
        FactType::GradeScale => (
            f.grades
                .iter()
                .map(|g| g.label.as_str())
                .collect::<Vec<_>>()
                .join(" / "),
            f.grades
                .iter()
                .map(|g| g.label_en.as_str())
                .collect::<Vec<_>>()
                .join(" / "),
            json!({"grades": f.grades.iter().map(|g| json!({"id": g.id, "label": g.label, "label_en": g.label_en, "consequence": g.consequence, "consequence_en": g.consequence_en})).collect::<Vec<_>>()}),
        ),
        FactType::Period | FactType::WorkingDays => {
            let from = f.from.as_deref().map(|x| zh.from(x)).unwrap_or_default();
            // The event's English words are content (`from_en`); its machine name is not
            // English prose.
            let from_en = f.from_en.as_deref().map(|x| en.from(x)).unwrap_or_default();
            (
                format!("{n} {uz}{from}"),
                format!("{n} {ue}{from_en}"),
                json!({"value": n, "unit": unit, "from": f.from, "event": f.event, "period_kind": f.period_kind.as_ref().map(|k| k.get_ref())}),
            )
        }
        FactType::AnnualDate => {
            let (m, d) = (f.month.unwrap_or(0), f.day.unwrap_or(0));
            // 前 read conservatively excludes the day named (the calculators take the day before).
            let named_day = f.named_day.as_ref().map(|n| n.get_ref().code());
            let included = named_day == Some("included");
            (
                zh.yearly(m, d, included),
                en.yearly(m, d, included),
                json!({"month": m, "day": d, "named_day": named_day}),
            )
        }
        FactType::Categories => (
            f.categories
                .iter()
                .map(|c| c.label.as_str())
                .collect::<Vec<_>>()
                .join("、"),
            f.categories
                .iter()
                .map(|c| c.label_en.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            json!({"categories": f.categories.iter().map(|c| json!({"id": c.id, "label": c.label, "label_en": c.label_en})).collect::<Vec<_>>()}),
        ),
        FactType::Naming => {
            let p = f.pattern.clone().unwrap_or_default();
            (p.clone(), p.clone(), json!({"pattern": p}))
        }
        FactType::Date => {
            let d = value_json.clone().unwrap_or_default();
            let s = d.as_str().unwrap_or_default().to_string();
            (s.clone(), s, json!({"date": d}))
        }
        FactType::Exclusion | FactType::Requirement => {
            (f.label.clone(), f.label_en.clone(), json!({}))
        }
    }
}
