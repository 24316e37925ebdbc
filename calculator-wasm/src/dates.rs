//! Calendar dates as `YYYY-MM-DD`: strict parsing, formatting, and a serde type that reads a
//! string (JSON) or a native TOML date.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Month};

/// Earliest year accepted in any input (the PRC; anything earlier is a typo).
const MIN_YEAR: i32 = 1949;
/// Latest year accepted in any input.
const MAX_YEAR: i32 = 2200;

/// Parses a strict `YYYY-MM-DD` date, refusing impossible days such as `2026-02-30`.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("is empty".into());
    }
    let parts: Vec<&str> = t.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(format!("is not a date in the form YYYY-MM-DD: {t:?}"));
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(y, 4) || !(digits(m, 2) || digits(m, 1)) || !(digits(d, 2) || digits(d, 1)) {
        return Err(format!("is not a date in the form YYYY-MM-DD: {t:?}"));
    }
    let year: i32 = y.parse().map_err(|_| format!("has a bad year: {y:?}"))?;
    let month: u8 = m.parse().map_err(|_| format!("has a bad month: {m:?}"))?;
    let day: u8 = d.parse().map_err(|_| format!("has a bad day: {d:?}"))?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(format!(
            "has an implausible year {year} (allowed {MIN_YEAR}–{MAX_YEAR})"
        ));
    }
    let month = Month::try_from(month).map_err(|_| format!("has no month {month}"))?;
    Date::from_calendar_date(year, month, day).map_err(|_| format!("does not exist: {t}"))
}

/// Formats a date as `YYYY-MM-DD`.
pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// A date that (de)serialises as `"YYYY-MM-DD"` and also reads a native TOML date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub Date);

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_date(self.0))
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_date(self.0))
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        d.deserialize_any(DayVisitor)
    }
}

struct DayVisitor;

impl<'de> Visitor<'de> for DayVisitor {
    type Value = Day;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date YYYY-MM-DD")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Day, E> {
        parse_date(v)
            .map(Day)
            .map_err(|e| E::custom(format!("date {e}")))
    }

    /// The `toml` crate hands a native date over as a one-entry map holding its text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Day, A::Error> {
        let Some((_key, text)) = map.next_entry::<String, String>()? else {
            return Err(de::Error::custom("empty date"));
        };
        self.visit_str(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_dates() {
        assert!(parse_date("2026-02-28").is_ok());
        assert!(parse_date("2024-02-29").is_ok());
        assert!(parse_date("2026-02-30").is_err());
        assert!(parse_date("2026-13-01").is_err());
        assert!(parse_date("26-01-01").is_err());
        assert!(parse_date("99999-01-01").is_err());
        assert!(parse_date("").is_err());
        assert!(parse_date("2026/01/01").is_err());
        assert!(parse_date("-2026-01-01").is_err());
    }
}
