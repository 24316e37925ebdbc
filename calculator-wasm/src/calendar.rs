//! Working days: weekends and the State Council's holiday arrangements, from data.
//!
//! The data ([`CalendarData`]) is read from `content/calendars/*.toml` by the generator and
//! passed to the browser as JSON; [`Calendar`] indexes it. Beyond the data's last day only
//! weekends are known, so any answer resting on such a day is *provisional*.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::{Date, Weekday};

use crate::dates::Day;

/// A calendar file: holidays and make-up working days per year, as published.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarData {
    /// Calendar id, e.g. `cn-mainland`.
    pub id: String,
    /// Name, e.g. `中国大陆法定节假日`.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// First day the data covers.
    pub data_starts: Day,
    /// Last day the data covers; later days are provisional (weekends only).
    pub data_ends: Day,
    /// One entry per year.
    #[serde(rename = "year")]
    pub years: Vec<YearData>,
}

/// The arrangement of one year.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearData {
    /// Calendar year.
    pub year: i32,
    /// The notices that set it (a later adjustment notice is listed after the first).
    #[serde(rename = "source")]
    pub sources: Vec<Notice>,
    /// Holiday periods (放假), every day of which is a rest day.
    #[serde(rename = "holiday")]
    pub holidays: Vec<HolidayPeriod>,
    /// Weekend days that are working days (调休上班).
    #[serde(default, rename = "workday")]
    pub workdays: Vec<MakeUpDay>,
}

/// A published notice.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// Title, e.g. `国务院办公厅关于2026年部分节假日安排的通知`.
    pub title: String,
    /// Where it is published.
    pub url: String,
}

/// A holiday period (放假调休), inclusive.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayPeriod {
    /// As in the notice, e.g. `春节`.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// First rest day.
    pub from: Day,
    /// Last rest day.
    pub to: Day,
}

/// A make-up working day.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MakeUpDay {
    /// The (weekend) date worked.
    pub date: Day,
    /// Name of the holiday it makes up for, e.g. `春节`.
    pub holiday: String,
}

/// What kind of day a date is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayKind {
    /// An ordinary Monday–Friday.
    Workday,
    /// A weekend day worked to make up for a holiday.
    MakeUpWorkday(String),
    /// Saturday or Sunday.
    Weekend,
    /// A day of a holiday period (name).
    Holiday(String),
}

/// Why calendar data was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarError(pub String);

/// Longest holiday period accepted (the 2020 Spring Festival extension was 10 days).
const MAX_PERIOD_DAYS: i64 = 31;

/// An index of a calendar's data.
#[derive(Debug, Clone)]
pub struct Calendar {
    starts: Date,
    ends: Date,
    holidays: BTreeMap<Date, String>,
    workdays: BTreeMap<Date, String>,
}

impl Calendar {
    /// Indexes the data, checking that periods are ordered, inside the covered span, and that
    /// make-up days are weekend days not inside a holiday.
    pub fn new(data: &CalendarData) -> Result<Calendar, CalendarError> {
        let (starts, ends) = (data.data_starts.0, data.data_ends.0);
        if ends < starts {
            return Err(CalendarError("data_ends is before data_starts".into()));
        }
        let mut holidays = BTreeMap::new();
        let mut workdays = BTreeMap::new();
        let mut years = BTreeSet::new();
        for y in &data.years {
            if !years.insert(y.year) {
                return Err(CalendarError(format!("year {} is listed twice", y.year)));
            }
            for h in &y.holidays {
                let (from, to) = (h.from.0, h.to.0);
                let len = (to - from).whole_days();
                if !(0..MAX_PERIOD_DAYS).contains(&len) {
                    return Err(CalendarError(format!(
                        "{} {}: bad period {}..{}",
                        y.year, h.name, h.from, h.to
                    )));
                }
                let mut d = from;
                while d <= to {
                    if holidays.insert(d, h.name.clone()).is_some() {
                        return Err(CalendarError(format!(
                            "{} is in two holiday periods",
                            Day(d)
                        )));
                    }
                    let Some(next) = d.next_day() else { break };
                    d = next;
                }
            }
            for w in &y.workdays {
                if !is_weekend(w.date.0) {
                    return Err(CalendarError(format!(
                        "make-up day {} is not a weekend day",
                        w.date
                    )));
                }
                if workdays.insert(w.date.0, w.holiday.clone()).is_some() {
                    return Err(CalendarError(format!(
                        "make-up day {} listed twice",
                        w.date
                    )));
                }
            }
        }
        if let Some(d) = workdays.keys().find(|d| holidays.contains_key(*d)) {
            return Err(CalendarError(format!(
                "{} is both a holiday and a make-up day",
                Day(*d)
            )));
        }
        Ok(Calendar {
            starts,
            ends,
            holidays,
            workdays,
        })
    }

    /// Last day the data covers.
    pub fn data_ends(&self) -> Date {
        self.ends
    }

    /// First day the data covers.
    pub fn data_starts(&self) -> Date {
        self.starts
    }

    /// Whether `date` lies outside the data, so holidays there are unknown.
    pub fn is_provisional(&self, date: Date) -> bool {
        date > self.ends || date < self.starts
    }

    /// What kind of day `date` is (weekends only, outside the data).
    pub fn kind(&self, date: Date) -> DayKind {
        if let Some(h) = self.workdays.get(&date) {
            return DayKind::MakeUpWorkday(h.clone());
        }
        if let Some(h) = self.holidays.get(&date) {
            return DayKind::Holiday(h.clone());
        }
        if is_weekend(date) {
            DayKind::Weekend
        } else {
            DayKind::Workday
        }
    }

    /// Whether `date` is a working day: a make-up day, or a Monday–Friday outside holidays.
    pub fn is_working_day(&self, date: Date) -> bool {
        matches!(
            self.kind(date),
            DayKind::Workday | DayKind::MakeUpWorkday(_)
        )
    }
}

/// Saturday or Sunday.
pub fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// Chinese weekday name for display, e.g. `星期六`.
pub fn weekday_zh(date: Date) -> &'static str {
    match date.weekday() {
        Weekday::Monday => "星期一",
        Weekday::Tuesday => "星期二",
        Weekday::Wednesday => "星期三",
        Weekday::Thursday => "星期四",
        Weekday::Friday => "星期五",
        Weekday::Saturday => "星期六",
        Weekday::Sunday => "星期日",
    }
}
