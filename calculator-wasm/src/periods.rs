//! Periods under the PRC Civil Code (民法典) arts. 201–203, and yearly due dates.
//!
//! * art. 201: the start day is not counted; counting begins the next day.
//! * art. 202: a period in months or years ends on the corresponding day of the final month,
//!   or on that month's last day when there is no such day (2025-08-31 + 6 months → 2026-02-28).
//!   A period in days ends N days after the start day.
//! * art. 203: when the last day is a statutory holiday or rest day, the period ends on the
//!   next working day (make-up working days count as working days).
//! * Working-day periods (5个工作日) count working days only, from the day after the start.
//!
//! Every result keeps the rules it applied (for a "why" trace) and whether it relied on days
//! beyond the calendar data (provisional).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::calendar::{weekday_zh, Calendar, DayKind};
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
        match self.unit {
            PeriodUnit::Day => format!("{}日", self.count),
            PeriodUnit::Month => format!("{}个月", self.count),
            PeriodUnit::Year => format!("{}年", self.count),
            PeriodUnit::WorkingDay => format!("{}个工作日", self.count),
        }
    }

    /// `3 years`, `18 months`, `15 days`, `5 working days`.
    pub fn label_en(&self) -> String {
        let (one, many) = match self.unit {
            PeriodUnit::Day => ("day", "days"),
            PeriodUnit::Month => ("month", "months"),
            PeriodUnit::Year => ("year", "years"),
            PeriodUnit::WorkingDay => ("working day", "working days"),
        };
        format!(
            "{} {}",
            self.count,
            if self.count == 1 { one } else { many }
        )
    }
}

/// One rule applied while computing a date, for the "why" trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// Rule id: `civil-code-201`, `civil-code-202`, `civil-code-202-month-end`, `civil-code-203`,
    /// `working-days`, `annual-date`.
    pub rule: &'static str,
    /// What it did, in English.
    pub text: String,
}

/// The end of a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodEnd {
    /// The last day before art. 203 (for working-day periods: the last working day counted).
    pub nominal: Date,
    /// The last day after art. 203.
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
/// rules applied. Working-day periods need the calendar and are handled by [`period_end`].
pub fn nominal_end(start: Date, period: Period) -> Result<(Date, Vec<Applied>), PeriodError> {
    let s = format_date(start);
    let mut applied = vec![Applied {
        rule: "civil-code-201",
        text: format!("{s}: the start day is not counted; counting begins the next day (art. 201)"),
    }];
    let months = match period.unit {
        PeriodUnit::Day => {
            let d = start
                .checked_add(time::Duration::days(i64::from(period.count)))
                .ok_or_else(|| PeriodError("date out of range".into()))?;
            applied.push(Applied {
                rule: "civil-code-202",
                text: format!(
                    "{s} + {}: the period ends on {} (art. 202)",
                    period.label_en(),
                    format_date(d)
                ),
            });
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
        applied.push(Applied {
            rule: "civil-code-202-month-end",
            text: format!(
                "{s} + {}: the final month has no day {}, so the period ends on its last day {} (art. 202)",
                period.label_en(),
                start.day(),
                format_date(d)
            ),
        });
    } else {
        applied.push(Applied {
            rule: "civil-code-202",
            text: format!(
                "{s} + {}: the period ends on the corresponding day {} (art. 202)",
                period.label_en(),
                format_date(d)
            ),
        });
    }
    Ok((d, applied))
}

/// Whether `period` counted from `start` has fully elapsed on `at` (for requirements such as
/// 实质运行两年以上: no act is due, so art. 203 does not move anything).
pub fn has_elapsed(start: Date, period: Period, at: Date) -> Result<bool, PeriodError> {
    Ok(nominal_end(start, period)?.0 <= at)
}

/// Moves `date` to the next working day when it is a rest day (art. 203).
fn next_working_day(
    cal: &Calendar,
    date: Date,
    applied: &mut Vec<Applied>,
) -> Result<(Date, bool), PeriodError> {
    let mut d = date;
    let mut provisional = cal.is_provisional(d);
    for _ in 0..MAX_REST_RUN {
        if cal.is_working_day(d) {
            if d != date {
                let why = match cal.kind(date) {
                    DayKind::Holiday(h) => format!("a day of the {h} holiday"),
                    _ => format!("a {} ({}, rest day)", date.weekday(), weekday_zh(date)),
                };
                applied.push(Applied {
                    rule: "civil-code-203",
                    text: format!(
                        "{} is {why}: the period ends on the next working day, {} (art. 203)",
                        format_date(date),
                        format_date(d)
                    ),
                });
            }
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

/// The last day of `period` counted from `start` under arts. 201–203.
pub fn period_end(cal: &Calendar, start: Date, period: Period) -> Result<PeriodEnd, PeriodError> {
    if period.unit == PeriodUnit::WorkingDay {
        return working_days_end(cal, start, period.count);
    }
    let (nominal, mut applied) = nominal_end(start, period)?;
    let (end, provisional) = next_working_day(cal, nominal, &mut applied)?;
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
    let limit = count.saturating_mul(3).saturating_add(MAX_REST_RUN);
    for _ in 0..limit {
        d = d
            .next_day()
            .ok_or_else(|| PeriodError("date out of range".into()))?;
        provisional |= cal.is_provisional(d);
        if cal.is_working_day(d) {
            seen += 1;
            if seen == count {
                let applied = vec![
                    Applied {
                        rule: "civil-code-201",
                        text: format!("{}: the start day is not counted (art. 201)", format_date(start)),
                    },
                    Applied {
                        rule: "working-days",
                        text: format!(
                            "counting only working days (weekends and holidays skipped, make-up days counted), the {count}th working day is {}",
                            format_date(d)
                        ),
                    },
                ];
                return Ok(PeriodEnd {
                    nominal: d,
                    end: d,
                    applied,
                    provisional,
                });
            }
        }
    }
    Err(PeriodError("working-day period did not end".into()))
}

/// The due date for a yearly date such as 每年11月30日前 in `year`.
///
/// Reading: "11月30日前" means *on or before* 30 November (the customary administrative usage;
/// the text sets no earlier cut-off). The day is the last day of a reporting window, so when it
/// is a rest day art. 203 moves it to the next working day; the nominal day is kept for display.
/// A day that does not exist in `year` (29 February) becomes the month's last day.
pub fn annual_due(cal: &Calendar, year: i32, month: u8, day: u8) -> Result<PeriodEnd, PeriodError> {
    let err = || PeriodError("bad annual date".into());
    let m = Month::try_from(month).map_err(|_| err())?;
    let d = day.min(time::util::days_in_month(m, year));
    let nominal = Date::from_calendar_date(year, m, d).map_err(|_| err())?;
    let mut applied = vec![Applied {
        rule: "annual-date",
        text: format!(
            "{month}月{day}日前 in {year}: due on or before {}",
            format_date(nominal)
        ),
    }];
    let (end, provisional) = next_working_day(cal, nominal, &mut applied)?;
    Ok(PeriodEnd {
        nominal,
        end,
        applied,
        provisional,
    })
}

/// The day after `date` (e.g. the first day after a bar of 三年内不得再次申报).
pub fn day_after(date: Date) -> Result<Date, PeriodError> {
    date.next_day()
        .ok_or_else(|| PeriodError("date out of range".into()))
}
