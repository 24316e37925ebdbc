//! Serde types for typed facts: the rules of a measure stated as data.
//!
//! One struct covers every fact type; which optional fields a type needs is checked by
//! `validate::facts`, so a wrong or missing field is reported with its position.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;

use super::vocab::{FactType, Force, NamedDay, PeriodKind, Unit};

/// A rule of a measure stated as data, cited and quoted.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// Unique id across the collection, e.g. `yunnan-staff-min`.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Topic id from `content/topics.toml`.
    #[schemars(with = "String")]
    pub topic: Spanned<String>,
    /// Which of the fields below carry the rule.
    #[serde(rename = "type")]
    #[schemars(with = "FactType")]
    pub kind: Spanned<FactType>,
    /// `hard` (应, 须, 不得, 不少于) or `soft` (原则上, 一般, 鼓励, 可).
    #[schemars(with = "Force")]
    pub force: Spanned<Force>,
    /// Short Chinese label, e.g. `专职科技人员`.
    pub label: String,
    /// Short English label.
    pub label_en: String,
    /// Anchor of the cited unit, e.g. `art-7-4` (article 7, clause 4).
    #[schemars(with = "String")]
    pub cite: Spanned<String>,
    /// The exact words of the cited unit the fact rests on.
    #[schemars(with = "String")]
    pub quote: Spanned<String>,
    /// Numeric value as a decimal string or integer, in `unit`.
    #[serde(default)]
    #[schemars(with = "Option<crate::content::schema::AnyValue>")]
    pub value: Option<Spanned<toml::Value>>,
    /// Unit of `value`.
    #[serde(default)]
    #[schemars(with = "Option<Unit>")]
    pub unit: Option<Spanned<Unit>>,
    /// For a minimum: `true` when the text says strictly more (超过), `false` for at least (不少于).
    #[serde(default)]
    pub strict: bool,
    /// What a relative period counts from, e.g. `通报之日`.
    #[serde(default)]
    pub from: Option<String>,
    /// The same in English, as it reads after "from", e.g. `the day of notification`.
    #[serde(default)]
    pub from_en: Option<String>,
    /// Machine name of that event, e.g. `notified`.
    #[serde(default)]
    pub event: Option<String>,
    /// A share or fraction, `"1/3"` or `"25%"`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub share: Option<Spanned<String>>,
    /// Shares of a schedule in order, e.g. `["25%", "25%", "50%"]`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub shares: Vec<Spanned<String>>,
    /// A ratio `[3, 1]` (first : second).
    #[serde(default)]
    pub ratio: Vec<u32>,
    /// For an annual date: month (1–12).
    #[serde(default)]
    pub month: Option<u32>,
    /// For an annual date: day of month.
    #[serde(default)]
    pub day: Option<u32>,
    /// For an annual date: `excluded` when the text says 前 (the day named may already be late,
    /// so the last day is the day before), `included` when it includes the day (截至, 含当日).
    #[serde(default)]
    #[schemars(with = "Option<NamedDay>")]
    pub named_day: Option<Spanned<NamedDay>>,
    /// For a period (and a maximum or minimum in time units used as one): `deadline` when
    /// someone must act within it (Civil Code art. 203 moves a last day on a rest day), `term`
    /// when it simply runs out (a construction period, 一年半后, a bar; never moved).
    #[serde(default)]
    #[schemars(with = "Option<PeriodKind>")]
    pub period_kind: Option<Spanned<PeriodKind>>,
    /// Grades of a grade scale, best first.
    #[serde(default, rename = "grade")]
    pub grades: Vec<Grade>,
    /// Categories of a list.
    #[serde(default, rename = "category")]
    pub categories: Vec<Category>,
    /// A naming pattern, verbatim.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Free-text explanation in Chinese.
    #[serde(default)]
    pub note: Option<String>,
    /// Free-text explanation in English.
    #[serde(default)]
    pub note_en: Option<String>,
}

impl Fact {
    /// The fact as a TOML table with the keys it was written with (the calculator engine reads
    /// facts in this form). `note` and `note_en`, which only the pages show, are left out; a key
    /// whose value is its default may be missing where it was written, or the reverse, which
    /// reads the same.
    pub fn to_table(&self) -> toml::Table {
        use toml::Value;
        let s = |x: &str| Value::String(x.to_string());
        let mut t = toml::Table::new();
        t.insert("id".into(), s(self.id.get_ref()));
        t.insert("topic".into(), s(self.topic.get_ref()));
        t.insert("type".into(), s(self.kind.get_ref().code()));
        t.insert("force".into(), s(self.force.get_ref().code()));
        t.insert("label".into(), s(&self.label));
        t.insert("label_en".into(), s(&self.label_en));
        t.insert("cite".into(), s(self.cite.get_ref()));
        t.insert("quote".into(), s(self.quote.get_ref()));
        if let Some(v) = &self.value {
            t.insert("value".into(), v.get_ref().clone());
        }
        if let Some(u) = &self.unit {
            t.insert("unit".into(), s(u.get_ref().code()));
        }
        if self.strict {
            t.insert("strict".into(), Value::Boolean(true));
        }
        for (key, v) in [
            ("from", &self.from),
            ("event", &self.event),
            ("pattern", &self.pattern),
        ] {
            if let Some(v) = v {
                t.insert(key.into(), s(v));
            }
        }
        if let Some(x) = &self.share {
            t.insert("share".into(), s(x.get_ref()));
        }
        if !self.shares.is_empty() {
            let list = self.shares.iter().map(|x| s(x.get_ref())).collect();
            t.insert("shares".into(), Value::Array(list));
        }
        if !self.ratio.is_empty() {
            let list = self
                .ratio
                .iter()
                .map(|n| Value::Integer(i64::from(*n)))
                .collect();
            t.insert("ratio".into(), Value::Array(list));
        }
        if let Some(n) = self.month {
            t.insert("month".into(), Value::Integer(i64::from(n)));
        }
        if let Some(n) = self.day {
            t.insert("day".into(), Value::Integer(i64::from(n)));
        }
        if let Some(v) = &self.named_day {
            t.insert("named_day".into(), s(v.get_ref().code()));
        }
        if let Some(v) = &self.period_kind {
            t.insert("period_kind".into(), s(v.get_ref().code()));
        }
        if !self.grades.is_empty() {
            let list = self
                .grades
                .iter()
                .map(|g| {
                    let mut x = toml::Table::new();
                    x.insert("id".into(), s(&g.id));
                    x.insert("label".into(), s(&g.label));
                    x.insert("label_en".into(), s(&g.label_en));
                    x.insert("consequence".into(), s(&g.consequence));
                    x.insert("consequence_en".into(), s(&g.consequence_en));
                    Value::Table(x)
                })
                .collect();
            t.insert("grade".into(), Value::Array(list));
        }
        if !self.categories.is_empty() {
            let list = self
                .categories
                .iter()
                .map(|c| {
                    let mut x = toml::Table::new();
                    x.insert("id".into(), s(&c.id));
                    x.insert("label".into(), s(&c.label));
                    x.insert("label_en".into(), s(&c.label_en));
                    if let Some(cite) = &c.cite {
                        x.insert("cite".into(), s(cite.get_ref()));
                    }
                    Value::Table(x)
                })
                .collect();
            t.insert("category".into(), Value::Array(list));
        }
        t
    }
}

/// A grade of a grade scale and what follows from it.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Grade {
    /// Machine id, e.g. `excellent`.
    pub id: String,
    /// As printed, e.g. `优秀`.
    pub label: String,
    /// English label.
    pub label_en: String,
    /// Consequence in Chinese (may be empty when the text gives none).
    #[serde(default)]
    pub consequence: String,
    /// Consequence in English.
    #[serde(default)]
    pub consequence_en: String,
}

/// One category of a list (base types, priority fields …).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Machine id, e.g. `rd-center`.
    pub id: String,
    /// As printed.
    pub label: String,
    /// English label.
    pub label_en: String,
    /// Anchor of the unit that defines the category, if not the fact's own.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub cite: Option<Spanned<String>>,
}

/// Why a fact's value is not a number [`decimal_value`] reads.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DecimalError {
    /// A string that is not a decimal number.
    #[error("'{0}' is not a decimal number")]
    NotDecimal(String),
    /// A TOML float: inexact, so refused.
    #[error("{0} is a float; write it as a string, e.g. \"{0}\", so it stays exact")]
    Float(f64),
    /// Neither an integer nor a string.
    #[error("{0} is not a number")]
    NotANumber(String),
}

/// Reads a fact's numeric value: an integer or a decimal string (never a float, which is
/// inexact).
pub fn decimal_value(v: &toml::Value) -> Result<Decimal, DecimalError> {
    match v {
        toml::Value::Integer(i) => Ok(Decimal::from(*i)),
        toml::Value::String(s) => {
            Decimal::from_str(s.trim()).map_err(|_| DecimalError::NotDecimal(s.clone()))
        }
        toml::Value::Float(f) => Err(DecimalError::Float(*f)),
        other => Err(DecimalError::NotANumber(other.to_string())),
    }
}

/// Reads `"1/3"` or `"25%"` as (numerator, denominator).
pub fn parse_share(s: &str) -> Option<(u64, u64)> {
    let s = s.trim();
    if let Some(p) = s.strip_suffix('%') {
        let d = Decimal::from_str(p.trim()).ok()?;
        let scaled = d * Decimal::from(100);
        if scaled.fract().is_zero() && scaled >= Decimal::ZERO {
            return Some((
                u64::try_from(scaled.trunc().mantissa() / 10i128.pow(scaled.scale())).ok()?,
                10_000,
            ));
        }
        return None;
    }
    let (a, b) = s.split_once('/')?;
    let (a, b): (u64, u64) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (b > 0).then_some((a, b))
}
