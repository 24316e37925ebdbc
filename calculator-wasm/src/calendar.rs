//! Working days: weekends and the State Council's holiday arrangements, from data.
//!
//! The data ([`CalendarData`]) is read from `content/calendars/*.toml` by the generator and
//! passed to the browser as JSON; [`Calendar`] indexes it. Beyond the data's last day the
//! State Council has not yet published the arrangement: the statutory holidays that
//! 《全国年节及纪念日放假办法》 fixes every year ([`Statutory`]: 1 January, the Spring Festival,
//! 清明, 1–2 May, 端午, 中秋, 1–3 October) are still holidays, but the make-up working days
//! (调休上班), bridge days (调休放假) and substitute days off (补假) are unknown, so any answer
//! resting on such a day is *provisional*.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month, Weekday};

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
    /// The holidays the law fixes every year, used after `data_ends`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statutory: Option<Statutory>,
}

/// 《全国年节及纪念日放假办法》: the holidays of every year (第二条), as rules, and the dates of
/// the movable feasts per year. Used only for days after the published arrangements end.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statutory {
    /// Title of the law.
    pub title: String,
    /// English title.
    pub title_en: String,
    /// The version applied (the decision that last amended it).
    pub version: String,
    /// First day that version applies; the rules are not used for earlier days.
    pub applies_from: Day,
    /// What the law leaves open (第六条 补假 and the yearly 调休), verbatim.
    pub open_quote: String,
    /// The holidays of 第二条.
    #[serde(rename = "holiday")]
    pub holidays: Vec<StatutoryHoliday>,
    /// Gregorian dates of the movable feasts, one row per year, in order.
    pub movable: Vec<MovableDates>,
}

/// One holiday of 第二条: a fixed day (`month`, `day`) or a movable feast (`on`), plus
/// `offset` days, lasting `days` days.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatutoryHoliday {
    /// As in the law, e.g. `春节`.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// The clause, verbatim, e.g. `春节，放假4天（农历除夕、正月初一至初三）`.
    pub quote: String,
    /// Month of a fixed-date holiday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<u8>,
    /// Day of a fixed-date holiday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<u8>,
    /// Column of the movable table for a movable feast.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<Movable>,
    /// Days from that date to the first day off (除夕 is the day before 正月初一: -1).
    #[serde(default)]
    pub offset: i8,
    /// Number of days off.
    pub days: u8,
}

/// The movable feasts, columns of [`MovableDates`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Movable {
    /// 正月初一.
    SpringFestival,
    /// 清明 (the solar term's day).
    Qingming,
    /// 五月初五.
    DragonBoat,
    /// 八月十五.
    MidAutumn,
}

/// The Gregorian dates of the movable feasts in one year.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MovableDates {
    /// Gregorian year.
    pub year: i32,
    /// 正月初一.
    pub spring_festival: Day,
    /// 清明.
    pub qingming: Day,
    /// 端午 (五月初五).
    pub dragon_boat: Day,
    /// 中秋 (八月十五).
    pub mid_autumn: Day,
}

impl MovableDates {
    /// The date of one feast.
    pub fn get(&self, m: Movable) -> Date {
        match m {
            Movable::SpringFestival => self.spring_festival.0,
            Movable::Qingming => self.qingming.0,
            Movable::DragonBoat => self.dragon_boat.0,
            Movable::MidAutumn => self.mid_autumn.0,
        }
    }
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
    /// After the published arrangements: a day the law makes a holiday every year (name); the
    /// year's 调休 and 补假 are not known yet.
    StatutoryHoliday(String),
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
    statutory: Option<StatutoryIndex>,
}

/// The statutory rules, checked, with the movable dates by year.
#[derive(Debug, Clone)]
struct StatutoryIndex {
    title: String,
    applies_from: Date,
    holidays: Vec<StatutoryHoliday>,
    movable: BTreeMap<i32, MovableDates>,
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
        let statutory = data.statutory.as_ref().map(index_statutory).transpose()?;
        Ok(Calendar {
            starts,
            ends,
            holidays,
            workdays,
            statutory,
        })
    }

    /// The statutory holiday `date` is a day of under the law's rules, whether or not the data
    /// covers it (`None` before the rules apply, or for a movable feast whose year is not in
    /// the table).
    pub fn statutory_holiday(&self, date: Date) -> Option<&str> {
        let st = self.statutory.as_ref()?;
        if date < st.applies_from {
            return None;
        }
        let row = st.movable.get(&date.year());
        st.holidays.iter().find_map(|h| {
            let base = match (h.on, h.month, h.day) {
                (Some(m), _, _) => row?.get(m),
                (None, Some(mo), Some(d)) => {
                    Date::from_calendar_date(date.year(), Month::try_from(mo).ok()?, d).ok()?
                }
                _ => return None,
            };
            let first = base.checked_add(Duration::days(i64::from(h.offset)))?;
            let last = first.checked_add(Duration::days(i64::from(h.days) - 1))?;
            (first..=last).contains(&date).then_some(h.name.as_str())
        })
    }

    /// Whether the movable feasts (Spring Festival, 清明, 端午, 中秋) of `year` are known.
    pub fn movable_known(&self, year: i32) -> bool {
        self.statutory
            .as_ref()
            .is_some_and(|s| s.movable.contains_key(&year))
    }

    /// The law the statutory holidays come from, for messages (`None` without rules).
    pub fn statutory_title(&self) -> Option<&str> {
        self.statutory.as_ref().map(|s| s.title.as_str())
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

    /// What kind of day `date` is. After the data: the law's statutory holidays and weekends;
    /// before it: weekends only.
    pub fn kind(&self, date: Date) -> DayKind {
        if let Some(h) = self.workdays.get(&date) {
            return DayKind::MakeUpWorkday(h.clone());
        }
        if let Some(h) = self.holidays.get(&date) {
            return DayKind::Holiday(h.clone());
        }
        if date > self.ends {
            if let Some(h) = self.statutory_holiday(date) {
                return DayKind::StatutoryHoliday(h.to_string());
            }
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

/// Checks the statutory rules: each holiday either fixed or movable, a sane length, and the
/// movable table in year order with each date inside its year.
fn index_statutory(s: &Statutory) -> Result<StatutoryIndex, CalendarError> {
    let err = |m: String| Err(CalendarError(format!("statutory: {m}")));
    for h in &s.holidays {
        let fixed_ok = match (h.month, h.day) {
            (Some(mo), Some(d)) => Month::try_from(mo)
                .ok()
                .is_some_and(|m| d >= 1 && d <= time::util::days_in_month(m, 2001)),
            (None, None) => false,
            _ => return err(format!("{}: give both month and day", h.name)),
        };
        if fixed_ok == h.on.is_some() {
            return err(format!(
                "{}: give either a valid month and day or `on`, not both",
                h.name
            ));
        }
        if h.days == 0 || i64::from(h.days) > MAX_PERIOD_DAYS || h.offset.unsigned_abs() > 7 {
            return err(format!("{}: bad days or offset", h.name));
        }
    }
    let mut movable = BTreeMap::new();
    let mut last = None;
    for row in &s.movable {
        if last.is_some_and(|y| y >= row.year) {
            return err(format!("movable dates: {} is out of order", row.year));
        }
        last = Some(row.year);
        for m in [
            Movable::SpringFestival,
            Movable::Qingming,
            Movable::DragonBoat,
            Movable::MidAutumn,
        ] {
            if row.get(m).year() != row.year {
                return err(format!(
                    "movable dates: {:?} of {} is in another year",
                    m, row.year
                ));
            }
        }
        movable.insert(row.year, row.clone());
    }
    Ok(StatutoryIndex {
        title: s.title.clone(),
        applies_from: s.applies_from.0,
        holidays: s.holidays.clone(),
        movable,
    })
}

/// Saturday or Sunday.
pub fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// The weekday's name for display, Chinese and English, e.g. `星期六` / `Saturday`.
pub fn weekday_words(date: Date) -> (String, String) {
    match date.weekday() {
        Weekday::Monday => crate::w!("weekday_monday"),
        Weekday::Tuesday => crate::w!("weekday_tuesday"),
        Weekday::Wednesday => crate::w!("weekday_wednesday"),
        Weekday::Thursday => crate::w!("weekday_thursday"),
        Weekday::Friday => crate::w!("weekday_friday"),
        Weekday::Saturday => crate::w!("weekday_saturday"),
        Weekday::Sunday => crate::w!("weekday_sunday"),
    }
}
