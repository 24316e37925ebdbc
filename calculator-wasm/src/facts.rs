//! The engine's facts: typed rules of a measure, each with its citation.
//!
//! [`Fact`] is the serialised form (TOML in content, JSON in the browser bundle); it mirrors the
//! content files' `[[fact]]` tables plus `measure` and `cite_text`. [`FactTable::new`] checks
//! each fact and turns it into a typed [`FactValue`].

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::dates::Day;
use crate::fraction::{Fraction, Ratio};
use crate::money::Money;
use crate::periods::{NamedDay, Period, PeriodKind, PeriodUnit};

/// Hard (应, 须, 不得, 不少于) or soft (原则上, 一般, 鼓励): soft rules give warnings, not failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Force {
    /// Binding.
    Hard,
    /// As a rule / in principle.
    Soft,
}

/// Units a fact's value may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    /// 人.
    Person,
    /// 元.
    Yuan,
    /// 万元 (×10000 yuan).
    WanYuan,
    /// 年.
    Year,
    /// 个月.
    Month,
    /// 日.
    Day,
    /// 工作日.
    WorkingDay,
    /// %.
    Percent,
    /// 平方米.
    Sqm,
    /// 项.
    Item,
    /// 次.
    Times,
    /// 周岁.
    Age,
    /// 篇.
    Article,
    /// 项 (projects).
    Project,
    /// A calendar date.
    Date,
}

impl Unit {
    /// Whether amounts in this unit are money.
    pub fn is_money(self) -> bool {
        matches!(self, Unit::Yuan | Unit::WanYuan)
    }

    /// The period unit, for time units.
    pub fn period_unit(self) -> Option<PeriodUnit> {
        match self {
            Unit::Year => Some(PeriodUnit::Year),
            Unit::Month => Some(PeriodUnit::Month),
            Unit::Day => Some(PeriodUnit::Day),
            Unit::WorkingDay => Some(PeriodUnit::WorkingDay),
            _ => None,
        }
    }

    /// The unit's words after a number: Chinese, and English as `one|other` (after exactly 1,
    /// after any other number; one form serves both).
    fn words(self) -> (String, String) {
        match self {
            Unit::Person => crate::w!("unit_person"),
            Unit::Yuan => crate::w!("unit_yuan"),
            Unit::WanYuan => crate::w!("unit_wan_yuan"),
            Unit::Year => crate::w!("unit_year"),
            Unit::Month => crate::w!("unit_month"),
            Unit::Day => crate::w!("unit_day"),
            Unit::WorkingDay => crate::w!("unit_working_day"),
            Unit::Percent => crate::w!("unit_percent"),
            Unit::Sqm => crate::w!("unit_sqm"),
            Unit::Item | Unit::Project => crate::w!("unit_item"),
            Unit::Times => crate::w!("unit_times"),
            Unit::Age => crate::w!("unit_age"),
            Unit::Article => crate::w!("unit_article"),
            Unit::Date => (String::new(), String::new()),
        }
    }

    /// Chinese unit suffix for display.
    pub fn suffix_zh(self) -> String {
        self.words().0
    }

    /// `n` followed by the unit, Chinese and English (`3人` / `3 people`, `1 person`).
    pub fn number(self, n: &str) -> (String, String) {
        let (zh, en) = self.words();
        let en = match en.split_once('|') {
            Some((one, _)) if n == "1" => one.to_string(),
            Some((_, other)) => other.to_string(),
            None => en,
        };
        (format!("{n}{zh}"), format!("{n}{en}"))
    }
}

/// A number written as a string (`"3"`, `"1.5"`) or an integer; floats are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Num(pub Decimal);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.normalize().to_string())
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Num, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal number as a string, or an integer")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Num, E> {
                let t = v.trim();
                if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                    return Err(E::custom(format!("not a plain decimal number: {v:?}")));
                }
                t.parse::<Decimal>()
                    .map(Num)
                    .map_err(|_| E::custom(format!("not a number: {v:?}")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
                Ok(Num(Decimal::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
                Ok(Num(Decimal::from(v)))
            }
        }
        d.deserialize_any(V)
    }
}

/// A grade of a grade scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grade {
    /// Machine id, e.g. `excellent`.
    pub id: String,
    /// As printed, e.g. `优秀`.
    pub label: String,
    /// English label.
    pub label_en: String,
    /// Consequence in Chinese (content files may carry it; ignored by the engine).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub consequence: String,
    /// Consequence in English.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub consequence_en: String,
}

/// A category of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Machine id, e.g. `rd-center`.
    pub id: String,
    /// As printed.
    pub label: String,
    /// English label.
    pub label_en: String,
    /// Anchor of the defining unit, when not the fact's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cite: Option<String>,
}

/// A fact as serialised: one flat table, the fields used depending on `type`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// Unique id, e.g. `kunming-total-rd-center`.
    pub id: String,
    /// Measure id, e.g. `kunming-bases-2020`.
    pub measure: String,
    /// Fact type: `minimum`, `maximum`, `amount`, `cap`, `share`, `schedule`, `ratio`,
    /// `grade-scale`, `period`, `working-days`, `annual-date`, `categories`, `exclusion`,
    /// `requirement`, `naming`, `date`; and `in-force`, which the generator makes from a
    /// measure's entry into force (id `<measure>:in-force`, see [`in_force_id`]).
    #[serde(rename = "type")]
    pub kind: String,
    /// Hard or soft.
    pub force: Force,
    /// Short Chinese label.
    #[serde(default)]
    pub label: String,
    /// Short English label.
    #[serde(default)]
    pub label_en: String,
    /// Anchor of the cited unit, e.g. `art-19-1`.
    pub cite: String,
    /// Citation as shown, e.g. `第十九条第（一）项`; defaults to the anchor.
    #[serde(default)]
    pub cite_text: String,
    /// Citation as shown in English, e.g. `Kunming measures, art. 19(1)`; defaults to
    /// `cite_text`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cite_text_en: String,
    /// The exact words the fact rests on.
    #[serde(default)]
    pub quote: String,
    /// Numeric value in `unit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Num>,
    /// Unit of `value`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Unit>,
    /// Minimum: strictly more (超过); maximum: strictly less (低于/不足).
    #[serde(default)]
    pub strict: bool,
    /// A share, `"1/3"` or `"25%"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<String>,
    /// Shares of a schedule, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shares: Vec<String>,
    /// A ratio `[a, b]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ratio: Vec<u32>,
    /// Annual date: month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<u8>,
    /// Annual date: day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<u8>,
    /// Annual date: whether the day named is itself the last day (`included`) or, as for 前,
    /// possibly already late (`excluded`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub named_day: Option<NamedDay>,
    /// A period (or a time-unit maximum used as one): a time to act (`deadline`, art. 203
    /// applies) or a term that runs out (`term`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_kind: Option<PeriodKind>,
    /// An `in-force` fact: the measure's first day in force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Day>,
    /// Grades, best first.
    #[serde(default, rename = "grade", skip_serializing_if = "Vec::is_empty")]
    pub grades: Vec<Grade>,
    /// Categories.
    #[serde(default, rename = "category", skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Category>,
    /// Content-only fields the engine accepts and ignores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// What a relative period counts from (content-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The same in English (content-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_en: Option<String>,
    /// Machine name of that event (content-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// Naming pattern (content-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Explanation (Chinese).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Explanation (English).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_en: Option<String>,
}

/// A fact's typed value.
#[derive(Debug, Clone, PartialEq)]
pub enum FactValue {
    /// At least (`strict`: more than) `value` `unit`.
    Minimum {
        /// Threshold.
        value: Decimal,
        /// Unit.
        unit: Unit,
        /// 超过 (strictly more) rather than 不少于/以上 (at least).
        strict: bool,
    },
    /// At most (`strict`: less than) `value` `unit`.
    Maximum {
        /// Threshold.
        value: Decimal,
        /// Unit.
        unit: Unit,
        /// Strictly less.
        strict: bool,
    },
    /// A money amount.
    Amount(Money),
    /// A money cap.
    Cap(Money),
    /// A fraction of an amount or count.
    Share(Fraction),
    /// Shares paid in order.
    Schedule(Vec<Fraction>),
    /// A ratio a : b.
    Ratio(Ratio),
    /// Grades, best first.
    GradeScale(Vec<Grade>),
    /// A period.
    Period(Period),
    /// A yearly date.
    AnnualDate {
        /// Month 1–12.
        month: u8,
        /// Day of month.
        day: u8,
        /// How the named day counts.
        named_day: NamedDay,
    },
    /// A measure's first day in force.
    InForce(time::Date),
    /// The last day of a call for applications (`<measure>:call-closes`).
    CallCloses(time::Date),
    /// The first day a measure is no longer in force because its validity ran out
    /// (`<measure>:expires`, 失效).
    Expires(time::Date),
    /// The day a later measure repealing it took effect (`<measure>:repealed`).
    Repealed(time::Date),
    /// A list of categories.
    Categories(Vec<Category>),
    /// A qualitative rule (exclusion, requirement, naming, date): only its citation matters.
    Rule,
}

impl FactValue {
    /// Short name of the variant, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            FactValue::Minimum { .. } => "minimum",
            FactValue::Maximum { .. } => "maximum",
            FactValue::Amount(_) => "amount",
            FactValue::Cap(_) => "cap",
            FactValue::Share(_) => "share",
            FactValue::Schedule(_) => "schedule",
            FactValue::Ratio(_) => "ratio",
            FactValue::GradeScale(_) => "grade-scale",
            FactValue::Period(_) => "period",
            FactValue::AnnualDate { .. } => "annual-date",
            FactValue::InForce(_) => "in-force",
            FactValue::CallCloses(_) => "call-closes",
            FactValue::Expires(_) => "expires",
            FactValue::Repealed(_) => "repealed",
            FactValue::Categories(_) => "categories",
            FactValue::Rule => "rule",
        }
    }
}

/// Where a rule comes from, as shown beside a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// Fact id.
    pub fact: String,
    /// Measure id.
    pub measure: String,
    /// Anchor of the cited unit.
    pub anchor: String,
    /// Citation text, e.g. `第十九条`.
    pub text: String,
    /// Citation text in English, e.g. `art. 19`.
    pub text_en: String,
    /// The exact words.
    pub quote: String,
    /// Hard or soft.
    pub force: Force,
}

/// A checked fact.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedFact {
    /// Typed value.
    pub value: FactValue,
    /// Citation.
    pub citation: Citation,
    /// Chinese label.
    pub label: String,
    /// English label.
    pub label_en: String,
    /// For a period (or a time-unit maximum): a time to act or a term; `None` when not said.
    pub period_kind: Option<PeriodKind>,
}

/// The id of the fact holding a measure's entry into force.
pub fn in_force_id(measure: &str) -> String {
    format!("{measure}:in-force")
}

/// The ids of the facts that may say a measure is no longer open on a date: its call's last
/// day, the end of its validity, its repeal (present only where the measure has them).
pub fn status_ids(measure: &str) -> [String; 3] {
    [
        format!("{measure}:call-closes"),
        format!("{measure}:expires"),
        format!("{measure}:repealed"),
    ]
}

impl TypedFact {
    /// Whether the rule is soft (原则上, 一般).
    pub fn is_soft(&self) -> bool {
        self.citation.force == Force::Soft
    }
}

/// Why a fact was refused: names the fact and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactError {
    /// Fact id.
    pub fact: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for FactError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fact {}: {}", self.fact, self.message)
    }
}

/// Fact id → typed fact.
#[derive(Debug, Clone, Default)]
pub struct FactTable {
    facts: BTreeMap<String, TypedFact>,
}

impl FactTable {
    /// Checks and types every fact; ids must be unique.
    pub fn new(facts: &[Fact]) -> Result<FactTable, FactError> {
        let mut table = BTreeMap::new();
        for f in facts {
            let typed = type_fact(f)?;
            if table.insert(f.id.clone(), typed).is_some() {
                return Err(FactError {
                    fact: f.id.clone(),
                    message: "duplicate id".into(),
                });
            }
        }
        Ok(FactTable { facts: table })
    }

    /// Looks a fact up.
    pub fn get(&self, id: &str) -> Option<&TypedFact> {
        self.facts.get(id)
    }

    /// Number of facts.
    pub fn len(&self) -> usize {
        self.facts.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }
}

fn type_fact(f: &Fact) -> Result<TypedFact, FactError> {
    let err = |m: String| FactError {
        fact: f.id.clone(),
        message: m,
    };
    let need_value = || {
        f.value
            .map(|n| n.0)
            .ok_or_else(|| err("needs `value`".into()))
    };
    let need_unit = || f.unit.ok_or_else(|| err("needs `unit`".into()));
    let money = |cap: bool| -> Result<FactValue, FactError> {
        let v = need_value()?;
        let m = match need_unit()? {
            Unit::Yuan => Money::from_yuan(v),
            Unit::WanYuan => Money::from_wan(v),
            u => {
                return Err(err(format!(
                    "a money fact needs unit yuan or wan-yuan, not {u:?}"
                )))
            }
        }
        .ok_or_else(|| err("bad money value".into()))?;
        Ok(if cap {
            FactValue::Cap(m)
        } else {
            FactValue::Amount(m)
        })
    };
    let value = match f.kind.as_str() {
        "minimum" => FactValue::Minimum {
            value: need_value()?,
            unit: need_unit()?,
            strict: f.strict,
        },
        "maximum" => FactValue::Maximum {
            value: need_value()?,
            unit: need_unit()?,
            strict: f.strict,
        },
        "amount" => money(false)?,
        "cap" => money(true)?,
        "share" => {
            let s = f
                .share
                .as_deref()
                .ok_or_else(|| err("needs `share`".into()))?;
            FactValue::Share(Fraction::parse(s).map_err(|e| err(e.0))?)
        }
        "schedule" => {
            if f.shares.is_empty() {
                return Err(err("needs `shares`".into()));
            }
            let shares = f
                .shares
                .iter()
                .map(|s| Fraction::parse(s).map_err(|e| err(e.0)))
                .collect::<Result<Vec<_>, _>>()?;
            FactValue::Schedule(shares)
        }
        "ratio" => match f.ratio.as_slice() {
            [a, b] => FactValue::Ratio(
                Ratio::new(u64::from(*a), u64::from(*b)).ok_or_else(|| err("bad ratio".into()))?,
            ),
            _ => return Err(err("`ratio` needs two terms [a, b]".into())),
        },
        "grade-scale" => {
            if f.grades.is_empty() {
                return Err(err("needs `grade` entries".into()));
            }
            FactValue::GradeScale(f.grades.clone())
        }
        "period" | "working-days" => {
            let unit = need_unit()?
                .period_unit()
                .ok_or_else(|| err("a period needs unit day, month, year or working-day".into()))?;
            FactValue::Period(
                Period::from_value(need_value()?, unit)
                    .ok_or_else(|| err("bad period value".into()))?,
            )
        }
        "annual-date" => {
            let (month, day) = (f.month.unwrap_or(0), f.day.unwrap_or(0));
            let m = time::Month::try_from(month).map_err(|_| err("bad `month`".into()))?;
            // Validate against a leap year so 2月29日 is allowed (clamped in common years).
            if day == 0 || day > time::util::days_in_month(m, 2024) {
                return Err(err("bad `day`".into()));
            }
            let named_day = f.named_day.ok_or_else(|| {
                err("needs `named_day`: \"excluded\" for 前 (the named day may already be late), \"included\" when the text includes it".into())
            })?;
            FactValue::AnnualDate {
                month,
                day,
                named_day,
            }
        }
        "in-force" | "call-closes" | "expires" | "repealed" => {
            let d = f
                .date
                .ok_or_else(|| err(format!("a {} fact needs `date`", f.kind)))?
                .0;
            match f.kind.as_str() {
                "in-force" => FactValue::InForce(d),
                "call-closes" => FactValue::CallCloses(d),
                "expires" => FactValue::Expires(d),
                _ => FactValue::Repealed(d),
            }
        }
        "categories" => {
            if f.categories.is_empty() {
                return Err(err("needs `category` entries".into()));
            }
            FactValue::Categories(f.categories.clone())
        }
        "exclusion" | "requirement" | "naming" | "date" => FactValue::Rule,
        other => return Err(err(format!("unknown type {other:?}"))),
    };
    Ok(TypedFact {
        value,
        citation: Citation {
            fact: f.id.clone(),
            measure: f.measure.clone(),
            anchor: f.cite.clone(),
            text: if f.cite_text.is_empty() {
                f.cite.clone()
            } else {
                f.cite_text.clone()
            },
            text_en: match (f.cite_text_en.is_empty(), f.cite_text.is_empty()) {
                (false, _) => f.cite_text_en.clone(),
                (true, false) => f.cite_text.clone(),
                (true, true) => f.cite.clone(),
            },
            quote: f.quote.clone(),
            force: f.force,
        },
        label: f.label.clone(),
        label_en: f.label_en.clone(),
        period_kind: f.period_kind,
    })
}
