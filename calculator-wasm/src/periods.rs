//! Periods under the PRC Civil Code (民法典) arts. 201–203, and yearly due dates.
//!
//! * art. 201: the start day is not counted; counting begins the next day.
//! * art. 202: a period in months or years ends on the corresponding day of the final month,
//!   or on that month's last day when there is no such day (2025-08-31 + 6 months → 2026-02-28).
//!   A period in days ends N days after the start day.
//! * art. 203: when the last day of a time *to act* is a statutory holiday or rest day, the
//!   period ends on the next working day (make-up working days count as working days). It does
//!   not move the end of a term that merely runs out ([`PeriodKind`], a property of each fact),
//!   and a period counted from an earlier one runs from that one's real (nominal) end.
//! * Working-day periods (5个工作日) count working days only, from the day after the start.
//!
//! Every result keeps the rules it applied (for a "why" trace) and whether it relied on days
//! beyond the calendar data (provisional).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::calendar::{weekday_words, Calendar, DayKind};
use crate::dates::format_date;

/// Longest run of rest days art. 203 will skip before giving up (no arrangement comes close).
const MAX_REST_RUN: u32 = 60;
/// Largest count accepted in a period (days, months or working days).
const MAX_COUNT: u32 = 36_600;

/// Unit of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PeriodUnit {
    /// Calendar days (日).
    Day,
    /// Months (个月).
    Month,
    /// Years (年).
    Year,
    /// Working days (工作日).
    WorkingDay,
}

/// A period as a whole count of one unit (1.5 years is held as 18 months).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// How many units.
    pub count: u32,
    /// Which unit.
    pub unit: PeriodUnit,
}

impl Period {
    /// From a decimal value (`1.5` years → 18 months); `None` when not a whole count of the
    /// unit (or of months, for years), zero, negative or too large.
    pub fn from_value(value: Decimal, unit: PeriodUnit) -> Option<Period> {
        let (value, unit) = match unit {
            PeriodUnit::Year if !value.fract().is_zero() => {
                (value.checked_mul(Decimal::from(12))?, PeriodUnit::Month)
            }
            u => (value, u),
        };
        if !value.fract().is_zero() || value <= Decimal::ZERO || value > Decimal::from(MAX_COUNT) {
            return None;
        }
        let count = u32::try_from(value.mantissa() / 10i128.pow(value.scale())).ok()?;
        Some(Period { count, unit })
    }

    /// `3年`, `18个月`, `15日`, `5个工作日`.
    pub fn label_zh(&self) -> String {
        self.label().0
    }

    /// `3 years`, `18 months`, `15 days`, `5 working days`.
    pub fn label_en(&self) -> String {
        self.label().1
    }

    /// The period in both languages (the `_one` key after exactly 1).
    fn label(&self) -> (String, String) {
        let n = self.count;
        match (self.unit, n == 1) {
            (PeriodUnit::Day, true) => crate::w!("period_day_one", n = n),
            (PeriodUnit::Day, false) => crate::w!("period_day", n = n),
            (PeriodUnit::Month, true) => crate::w!("period_month_one", n = n),
            (PeriodUnit::Month, false) => crate::w!("period_month", n = n),
            (PeriodUnit::Year, true) => crate::w!("period_year_one", n = n),
            (PeriodUnit::Year, false) => crate::w!("period_year", n = n),
            (PeriodUnit::WorkingDay, true) => crate::w!("period_working_day_one", n = n),
            (PeriodUnit::WorkingDay, false) => crate::w!("period_working_day", n = n),
        }
    }
}

/// What a period is, as the text states it (a property of the fact, set in content).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PeriodKind {
    /// A time within which someone must act (自通报之日起15日内提交, 实施期满后3个月内提出):
    /// art. 203 moves a last day that is a rest day to the next working day.
    Deadline,
    /// A term, waiting time or bar that simply runs out (建设期为3年, 一年半后, 满2年后,
    /// 三年内不得再次申报): art. 203 does not move its end, and a period counted from it runs
    /// from its real end.
    Term,
}

/// One rule applied while computing a date, for the "why" trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// Rule id: `civil-code-201`, `civil-code-202`, `civil-code-202-month-end`, `civil-code-203`,
    /// `term-not-moved`, `working-days`, `annual-date`, `annual-date-before`.
    pub rule: &'static str,
    /// What it did, in English.
    pub text: String,
    /// What it did, in Chinese.
    pub text_zh: String,
}

impl Applied {
    fn new(rule: &'static str, text: String, text_zh: String) -> Applied {
        Applied {
            rule,
            text,
            text_zh,
        }
    }
}

/// The end of a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodEnd {
    /// The last day by arts. 201–202 (for working-day periods: the last working day counted).
    pub nominal: Date,
    /// The last day to rely on: for a deadline, after art. 203; for a term, `nominal`.
    pub end: Date,
    /// Rules applied, in order.
    pub applied: Vec<Applied>,
    /// Whether any day relied on lies beyond the calendar data.
    pub provisional: bool,
}

/// Why a period could not be computed (only for absurd spans).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodError(pub String);

/// Adds whole months, clamping to the month's last day (art. 202).
pub fn add_months(start: Date, months: u32) -> Result<(Date, bool), PeriodError> {
    let err = || PeriodError("date out of range".into());
    let index =
        i64::from(start.year()) * 12 + i64::from(u8::from(start.month())) - 1 + i64::from(months);
    let year = i32::try_from(index.div_euclid(12)).map_err(|_| err())?;
    let month = u8::try_from(index.rem_euclid(12) + 1).map_err(|_| err())?;
    let month = Month::try_from(month).map_err(|_| err())?;
    let last = time::util::days_in_month(month, year);
    let day = start.day().min(last);
    let date = Date::from_calendar_date(year, month, day).map_err(|_| err())?;
    Ok((date, day != start.day()))
}

/// The nominal last day of `period` counted from `start` (arts. 201–202, no art. 203), with the
/// rules applied. Working-day periods need the calendar and are handled by [`end_of`].
pub fn nominal_end(start: Date, period: Period) -> Result<(Date, Vec<Applied>), PeriodError> {
    let s = format_date(start);
    let (pz, pe) = period.label();
    let mut applied = vec![said(
        "civil-code-201",
        crate::w!("art_201_next_day", start = s),
    )];
    let months = match period.unit {
        PeriodUnit::Day => {
            let d = start
                .checked_add(time::Duration::days(i64::from(period.count)))
                .ok_or_else(|| PeriodError("date out of range".into()))?;
            applied.push(said(
                "civil-code-202",
                crate::w!(
                    "art_202_days",
                    start = s,
                    period = pz,
                    period_en = pe,
                    end = format_date(d)
                ),
            ));
            return Ok((d, applied));
        }
        PeriodUnit::Month => period.count,
        PeriodUnit::Year => period
            .count
            .checked_mul(12)
            .ok_or_else(|| PeriodError("period too long".into()))?,
        PeriodUnit::WorkingDay => return Err(PeriodError("working days need a calendar".into())),
    };
    let (d, clamped) = add_months(start, months)?;
    if clamped {
        applied.push(said(
            "civil-code-202-month-end",
            crate::w!(
                "art_202_month_end",
                start = s,
                period = pz,
                period_en = pe,
                day = start.day(),
                end = format_date(d)
            ),
        ));
    } else {
        applied.push(said(
            "civil-code-202",
            crate::w!(
                "art_202_corresponding_day",
                start = s,
                period = pz,
                period_en = pe,
                end = format_date(d)
            ),
        ));
    }
    Ok((d, applied))
}

/// A rule applied, its words given (Chinese, English) as the catalogue gives them.
fn said(rule: &'static str, (zh, en): (String, String)) -> Applied {
    Applied::new(rule, en, zh)
}

/// (English, Chinese) from the catalogue's (Chinese, English).
fn en_zh((zh, en): (String, String)) -> (String, String) {
    (en, zh)
}

/// Whether `period` counted from `start` has fully elapsed on `at` (for requirements such as
/// 实质运行两年以上: no act is due, so art. 203 does not move anything).
pub fn has_elapsed(start: Date, period: Period, at: Date) -> Result<bool, PeriodError> {
    Ok(nominal_end(start, period)?.0 <= at)
}

/// Why `date` is not a working day, in English and Chinese (`None` for a working day).
pub fn rest_reason(cal: &Calendar, date: Date) -> Option<(String, String)> {
    match cal.kind(date) {
        DayKind::Workday | DayKind::MakeUpWorkday(_) => None,
        DayKind::Holiday(h) => Some(en_zh(crate::w!("rest_holiday", holiday = h))),
        DayKind::StatutoryHoliday(h) => {
            Some(en_zh(crate::w!("rest_statutory_holiday", holiday = h)))
        }
        DayKind::Weekend => {
            let (day, day_en) = weekday_words(date);
            Some(en_zh(crate::w!("rest_weekend", day = day, day_en = day_en)))
        }
    }
}

/// The first working day on or after `date`, and whether any day looked at lies beyond the
/// calendar data.
fn next_working_day(cal: &Calendar, date: Date) -> Result<(Date, bool), PeriodError> {
    let mut d = date;
    let mut provisional = cal.is_provisional(d);
    for _ in 0..MAX_REST_RUN {
        if cal.is_working_day(d) {
            return Ok((d, provisional));
        }
        d = d
            .next_day()
            .ok_or_else(|| PeriodError("date out of range".into()))?;
        provisional |= cal.is_provisional(d);
    }
    Err(PeriodError(format!(
        "no working day within {MAX_REST_RUN} days after {}",
        format_date(date)
    )))
}

/// Art. 203 on the last day of a time to act: the next working day when `date` is a rest day,
/// with the rule applied (if it moved anything).
fn art_203(
    cal: &Calendar,
    date: Date,
    applied: &mut Vec<Applied>,
) -> Result<(Date, bool), PeriodError> {
    let (d, provisional) = next_working_day(cal, date)?;
    if d != date {
        let (why, why_zh) = rest_reason(cal, date).unwrap_or_default();
        applied.push(said(
            "civil-code-203",
            crate::w!(
                "art_203_next_working_day",
                day = format_date(date),
                why = why_zh,
                why_en = why,
                end = format_date(d)
            ),
        ));
    }
    Ok((d, provisional))
}

/// The last day of a time to act, `period` counted from `start` under arts. 201–203 (the same
/// as [`end_of`] with [`PeriodKind::Deadline`]).
pub fn period_end(cal: &Calendar, start: Date, period: Period) -> Result<PeriodEnd, PeriodError> {
    end_of(cal, start, period, PeriodKind::Deadline)
}

/// The end of `period` counted from `start`: arts. 201–202, and for a [`PeriodKind::Deadline`]
/// art. 203. A [`PeriodKind::Term`] ends on its nominal last day even when that is a rest day:
/// art. 203 lengthens the time to do an act, it does not move an expiry.
pub fn end_of(
    cal: &Calendar,
    start: Date,
    period: Period,
    kind: PeriodKind,
) -> Result<PeriodEnd, PeriodError> {
    if period.unit == PeriodUnit::WorkingDay {
        return working_days_end(cal, start, period.count);
    }
    let (nominal, mut applied) = nominal_end(start, period)?;
    let (end, provisional) = match kind {
        PeriodKind::Deadline => art_203(cal, nominal, &mut applied)?,
        PeriodKind::Term => {
            if let Some((why, why_zh)) = rest_reason(cal, nominal) {
                applied.push(said(
                    "term-not-moved",
                    crate::w!(
                        "term_not_moved",
                        day = format_date(nominal),
                        why = why_zh,
                        why_en = why
                    ),
                ));
            }
            // Calendar days only: the date does not depend on any holiday arrangement.
            (nominal, false)
        }
    };
    Ok(PeriodEnd {
        nominal,
        end,
        applied,
        provisional,
    })
}

/// The `count`-th working day after `start` (the start day itself is not counted).
fn working_days_end(cal: &Calendar, start: Date, count: u32) -> Result<PeriodEnd, PeriodError> {
    if count == 0 || count > MAX_COUNT {
        return Err(PeriodError("bad working-day count".into()));
    }
    let mut d = start;
    let mut seen = 0u32;
    let mut provisional = false;
    let mut skipped: Vec<String> = Vec::new();
    let limit = count.saturating_mul(3).saturating_add(MAX_REST_RUN);
    for _ in 0..limit {
        d = d
            .next_day()
            .ok_or_else(|| PeriodError("date out of range".into()))?;
        provisional |= cal.is_provisional(d);
        if cal.is_working_day(d) {
            seen += 1;
            if seen == count {
                let s = format_date(start);
                let e = format_date(d);
                let mut applied = vec![
                    said("civil-code-201", crate::w!("art_201", start = s)),
                    said(
                        "working-days",
                        crate::w!("working_days_counted", count = count, end = e),
                    ),
                ];
                if !skipped.is_empty() {
                    let (sep, sep_en) = crate::w!("list_separator");
                    applied.push(said(
                        "statutory-holidays",
                        crate::w!(
                            "statutory_holidays_skipped",
                            days = skipped.join(&sep),
                            days_en = skipped.join(&sep_en)
                        ),
                    ));
                }
                return Ok(PeriodEnd {
                    nominal: d,
                    end: d,
                    applied,
                    provisional,
                });
            }
        } else if let DayKind::StatutoryHoliday(h) = cal.kind(d) {
            skipped.push(format!("{} {h}", format_date(d)));
        }
    }
    Err(PeriodError("working-day period did not end".into()))
}

/// How a yearly date such as 每年11月30日前 treats the day it names (a property of the fact).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NamedDay {
    /// 前 / 以前: the law does not say whether 前 includes the day named (民法典 第一千二百五十九条
    /// defines 以上, 以下, 以内, 届满, 不满, 超过, 以外 only), so the conservative reading is that
    /// the named day itself may already be late: the last day is the day before.
    Excluded,
    /// 截至, (含当日), 之前（含）: the named day is the last day.
    Included,
}

/// A yearly due date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnualDue {
    /// The day the text names (11月30日 of the year).
    pub named: Date,
    /// The last day to act on the conservative reading (the day before `named` for
    /// [`NamedDay::Excluded`]).
    pub due: Date,
    /// The next working day when `due` is a rest day: the latest that art. 203 would allow.
    /// Shown beside `due`, never instead of it.
    pub latest_art_203: Option<Date>,
    /// Rules applied, in order.
    pub applied: Vec<Applied>,
    /// Whether the rest-day check relied on days beyond the calendar data.
    pub provisional: bool,
}

/// The due date for a yearly date such as 每年11月30日前 in `year`.
///
/// The date shown as due is the one the text fixes (on `named_day`'s reading), never moved: a
/// fixed date is not a period counted by the applicant, and moving it later is not the
/// conservative reading. Where the last day is a rest day, art. 203 could be argued to allow
/// the next working day: that day is returned as `latest_art_203`, beside the due date.
/// A day that does not exist in `year` (29 February) becomes the month's last day.
pub fn annual_due(
    cal: &Calendar,
    year: i32,
    month: u8,
    day: u8,
    named_day: NamedDay,
) -> Result<AnnualDue, PeriodError> {
    let err = || PeriodError("bad annual date".into());
    let m = Month::try_from(month).map_err(|_| err())?;
    let d = day.min(time::util::days_in_month(m, year));
    let named = Date::from_calendar_date(year, m, d).map_err(|_| err())?;
    let n = format_date(named);
    let (due, mut applied) = match named_day {
        NamedDay::Included => (
            named,
            vec![said(
                "annual-date",
                crate::w!(
                    "annual_date_included",
                    year = year,
                    month = month,
                    day = day,
                    named = n
                ),
            )],
        ),
        NamedDay::Excluded => {
            let before = named.previous_day().ok_or_else(err)?;
            let b = format_date(before);
            (
                before,
                vec![said(
                    "annual-date-before",
                    crate::w!(
                        "annual_date_before",
                        year = year,
                        month = month,
                        day = day,
                        named = n,
                        last = b
                    ),
                )],
            )
        }
    };
    let (latest, provisional) = match rest_reason(cal, due) {
        Some((why, why_zh)) => {
            let (next, prov) = next_working_day(cal, due)?;
            let (dd, nn) = (format_date(due), format_date(next));
            applied.push(said(
                "civil-code-203-latest",
                crate::w!(
                    "art_203_latest",
                    due = dd,
                    why = why_zh,
                    why_en = why,
                    next = nn
                ),
            ));
            (Some(next), prov)
        }
        None => (None, cal.is_provisional(due)),
    };
    Ok(AnnualDue {
        named,
        due,
        latest_art_203: latest,
        applied,
        provisional,
    })
}

/// The day after `date` (e.g. the first day after a bar of 三年内不得再次申报).
pub fn day_after(date: Date) -> Result<Date, PeriodError> {
    date.next_day()
        .ok_or_else(|| PeriodError("date out of range".into()))
}
