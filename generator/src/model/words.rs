//! The words a fact's short value is said in — unit names, "最高 … / up to …", "每年…日前 /
//! before … each year", the event a period counts from — held by the theme's catalogue
//! (`i18n.toml`, keys `unit_*`, `fact_*` and `months`) and handed to the model by the site, so
//! that the model makes no words of its own. A unit's English name is `one|other` ("year|years"):
//! the first after exactly 1, the second otherwise; a single name serves both.

use std::collections::BTreeMap;

use crate::content::vocab::Unit;

/// The words of both editions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactWords {
    /// The Chinese edition's.
    pub zh: Edition,
    /// The English edition's.
    pub en: Edition,
}

/// One edition's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    /// Per unit (in `Unit::ALL` order): its name after 1, and after any other number.
    units: Vec<(String, String)>,
    /// `最高 {value}`.
    cap: String,
    /// `（自{event}起）`.
    from: String,
    /// `每年 {month} 月 {day} 日前`: the day named excluded.
    yearly_before: String,
    /// `每年 {month} 月 {day} 日（含）前`: the day named included.
    yearly_by: String,
    /// The twelve months' names.
    months: Vec<String>,
}

/// The catalogue keys the words are read from (besides one `unit_<code>` per unit).
const KEYS: [&str; 5] = [
    "fact_cap",
    "fact_from",
    "fact_yearly_before",
    "fact_yearly_by",
    "months",
];

impl FactWords {
    /// The words in a catalogue's two tables, or the keys missing (`[zh] unit_year`, …).
    pub fn from_catalogue(
        zh: &BTreeMap<String, String>,
        en: &BTreeMap<String, String>,
    ) -> Result<FactWords, Vec<String>> {
        let mut missing = Vec::new();
        let zh = Edition::read(zh, "zh", &mut missing);
        let en = Edition::read(en, "en", &mut missing);
        if missing.is_empty() {
            Ok(FactWords { zh, en })
        } else {
            Err(missing)
        }
    }

    /// The edition's words: English when `en`.
    pub(crate) fn edition(&self, en: bool) -> &Edition {
        if en {
            &self.en
        } else {
            &self.zh
        }
    }
}

/// The catalogue key of a unit's name.
fn unit_key(u: Unit) -> String {
    format!("unit_{}", u.code().replace('-', "_"))
}

impl Edition {
    fn read(t: &BTreeMap<String, String>, lang: &str, missing: &mut Vec<String>) -> Edition {
        let mut get = |k: &str| -> String {
            t.get(k).cloned().unwrap_or_else(|| {
                missing.push(format!("[{lang}] {k}"));
                String::new()
            })
        };
        let units = Unit::ALL
            .iter()
            .map(|u| {
                let name = get(&unit_key(*u));
                match name.split_once('|') {
                    Some((one, other)) => (one.to_string(), other.to_string()),
                    None => (name.clone(), name),
                }
            })
            .collect();
        let [cap, from, yearly_before, yearly_by, months] = KEYS.map(&mut get);
        let months: Vec<String> = months.split('|').map(str::to_string).collect();
        if months.len() != 12 {
            missing.push(format!("[{lang}] months (twelve names, separated by |)"));
        }
        Edition {
            units,
            cap,
            from,
            yearly_before,
            yearly_by,
            months,
        }
    }

    /// The name of `unit` after the number `n` ("1 year", "5 years"); empty for none.
    pub(crate) fn unit(&self, unit: Option<Unit>, n: &str) -> &str {
        let Some(i) = unit.and_then(|u| Unit::ALL.iter().position(|x| *x == u)) else {
            return "";
        };
        let (one, other) = &self.units[i];
        if n == "1" {
            one
        } else {
            other
        }
    }

    /// "Up to `value`".
    pub(crate) fn cap(&self, value: &str) -> String {
        self.cap.replace("{value}", value)
    }

    /// What a period counts from, said after it.
    pub(crate) fn from(&self, event: &str) -> String {
        self.from.replace("{event}", event)
    }

    /// A yearly date: "before" the day named, or "by" it when `included`.
    pub(crate) fn yearly(&self, month: u32, day: u32, included: bool) -> String {
        let name = month
            .checked_sub(1)
            .and_then(|i| self.months.get(i as usize))
            .map_or("", String::as_str);
        let t = if included {
            &self.yearly_by
        } else {
            &self.yearly_before
        };
        t.replace("{month}", name)
            .replace("{day}", &day.to_string())
    }
}
