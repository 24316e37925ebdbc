//! After the published arrangements: the statutory holidays of 《全国年节及纪念日放假办法》
//! (2024 amendment, 第二条) from `[statutory]` in content/calendars/cn-mainland.toml.
//!
//! The movable-feast table is checked against the tyme4rs crate for every year it holds, against
//! the 清明 formula, against the published arrangements 2019–2026 in the same file, and against
//! published dates for 2027–2035; the rules give the known holidays of 2027.

mod common;

use calculator_wasm::calendar::{DayKind, Movable};
use calculator_wasm::Calendar;
use time::macros::date;
use time::{Date, Duration, Month};
use tyme4rs::tyme::lunar::LunarDay;
use tyme4rs::tyme::solar::{SolarDay, SolarTerm};

fn solar(d: SolarDay) -> Date {
    Date::from_calendar_date(
        d.get_year() as i32,
        Month::try_from(d.get_month() as u8).expect("month"),
        d.get_day() as u8,
    )
    .expect("date")
}

fn table() -> Vec<calculator_wasm::calendar::MovableDates> {
    common::calendar_data()
        .statutory
        .expect("the calendar has [statutory]")
        .movable
}

#[test]
fn the_table_agrees_with_tyme4rs_every_year() {
    let rows = table();
    let years: Vec<i32> = rows.iter().map(|r| r.year).collect();
    assert_eq!(
        years,
        (2019..=2100).collect::<Vec<_>>(),
        "one row a year, 2019–2100"
    );
    let mut wrong = Vec::new();
    for r in &rows {
        let y = r.year as isize;
        let want = [
            (
                Movable::SpringFestival,
                solar(LunarDay::from_ymd(y, 1, 1).get_solar_day()),
            ),
            (
                Movable::Qingming,
                solar(SolarTerm::from_name(y, "清明").get_solar_day()),
            ),
            (
                Movable::DragonBoat,
                solar(LunarDay::from_ymd(y, 5, 5).get_solar_day()),
            ),
            (
                Movable::MidAutumn,
                solar(LunarDay::from_ymd(y, 8, 15).get_solar_day()),
            ),
        ];
        for (m, d) in want {
            if r.get(m) != d {
                wrong.push(format!("{} {m:?}: table {}, tyme4rs {d}", r.year, r.get(m)));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// 清明 in the 21st century by the usual formula: day of April = ⌊Y × 0.2422 + 4.81⌋ − ⌊Y / 4⌋,
/// Y = year − 2000 (independent of tyme4rs's ephemeris).
#[test]
fn qingming_matches_the_formula() {
    for r in table().iter().filter(|r| r.year < 2100) {
        let y = i64::from(r.year - 2000);
        let day = (y * 2422 + 48_100) / 10_000 - y / 4;
        assert_eq!(
            i64::from(r.qingming.0.day()),
            day,
            "{}: 清明 on April {day} by the formula",
            r.year
        );
        assert_eq!(r.qingming.0.month(), Month::April);
    }
}

/// Published dates, written down by hand independently of tyme4rs: Chinese New Year 2027–2033 as
/// listed on excelnotes.com ("Chinese New Year", 2022–2033); 2034–2035 and 端午 / 中秋
/// 2027–2030 from published calendars for those years.
#[test]
fn published_dates_2027_to_2035() {
    let rows = table();
    let row = |y: i32| rows.iter().find(|r| r.year == y).expect("year in table");
    let spring = [
        (2027, date!(2027 - 02 - 06)),
        (2028, date!(2028 - 01 - 26)),
        (2029, date!(2029 - 02 - 13)),
        (2030, date!(2030 - 02 - 03)),
        (2031, date!(2031 - 01 - 23)),
        (2032, date!(2032 - 02 - 11)),
        (2033, date!(2033 - 01 - 31)),
        (2034, date!(2034 - 02 - 19)),
        (2035, date!(2035 - 02 - 08)),
    ];
    for (y, d) in spring {
        assert_eq!(row(y).spring_festival.0, d, "{y} 正月初一");
    }
    // 端午 and 中秋 2027–2030.
    for (y, db, ma) in [
        (2027, date!(2027 - 06 - 09), date!(2027 - 09 - 15)),
        (2028, date!(2028 - 05 - 28), date!(2028 - 10 - 03)),
        (2029, date!(2029 - 06 - 16), date!(2029 - 09 - 22)),
        (2030, date!(2030 - 06 - 05), date!(2030 - 09 - 12)),
    ] {
        assert_eq!(row(y).dragon_boat.0, db, "{y} 端午");
        assert_eq!(row(y).mid_autumn.0, ma, "{y} 中秋");
    }
}

/// In every published year the movable feasts fall in a holiday period of the State Council's
/// arrangement (2019–2024 under the 2013 version: 春节 = 初一–初三).
#[test]
fn the_table_agrees_with_the_published_arrangements_2019_to_2026() {
    let cal = common::calendar();
    let mut wrong = Vec::new();
    for r in table().iter().filter(|r| r.year <= 2026) {
        let sf = r.spring_festival.0;
        let days = [
            ("初一", sf),
            ("初二", sf + Duration::days(1)),
            ("初三", sf + Duration::days(2)),
            ("清明", r.qingming.0),
            ("端午", r.dragon_boat.0),
            ("中秋", r.mid_autumn.0),
        ];
        for (name, d) in days {
            if !matches!(cal.kind(d), DayKind::Holiday(_)) {
                wrong.push(format!(
                    "{}: {name} {d} is {:?} in the data",
                    r.year,
                    cal.kind(d)
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Under the 2024 version (from 2025) every day the rules name is a rest day in the published
/// 2025 and 2026 arrangements: the rules reproduce what the State Council applied.
#[test]
fn the_rules_name_only_rest_days_in_2025_and_2026() {
    let cal = common::calendar();
    let mut d = date!(2025 - 01 - 01);
    let mut named = 0;
    while d <= date!(2026 - 12 - 31) {
        if let Some(h) = cal.statutory_holiday(d) {
            named += 1;
            assert!(
                !cal.is_working_day(d),
                "{d} ({h}) is a working day in the data"
            );
        }
        d = d.next_day().expect("next");
    }
    // 13 days a year: 1 + 4 + 1 + 2 + 1 + 1 + 3.
    assert_eq!(named, 26);
    // Before the 2024 version applies the rules say nothing.
    assert_eq!(cal.statutory_holiday(date!(2024 - 02 - 09)), None);
}

#[test]
fn the_holidays_of_2027() {
    let cal = common::calendar();
    let holiday = |d: Date| match cal.kind(d) {
        DayKind::StatutoryHoliday(h) => Some(h),
        _ => None,
    };
    // 正月初一 2027-02-06: 除夕 02-05 and 初一–初三 02-06..08.
    for (d, name) in [
        (date!(2027 - 01 - 01), "元旦"),
        (date!(2027 - 02 - 05), "春节"),
        (date!(2027 - 02 - 08), "春节"),
        (date!(2027 - 04 - 05), "清明节"),
        (date!(2027 - 05 - 01), "劳动节"),
        (date!(2027 - 05 - 02), "劳动节"),
        (date!(2027 - 06 - 09), "端午节"),
        (date!(2027 - 09 - 15), "中秋节"),
        (date!(2027 - 10 - 01), "国庆节"),
        (date!(2027 - 10 - 03), "国庆节"),
    ] {
        assert_eq!(holiday(d).as_deref(), Some(name), "{d}");
        assert!(!cal.is_working_day(d), "{d}");
        assert!(cal.is_provisional(d));
    }
    for d in [
        date!(2027 - 02 - 04),
        date!(2027 - 02 - 09),
        date!(2027 - 05 - 03),
        date!(2027 - 10 - 04),
    ] {
        assert!(
            cal.is_working_day(d),
            "{d} is an ordinary working day by the law alone"
        );
    }
    // 2027-10-02 is a Saturday and a holiday: the kind names the holiday.
    assert_eq!(holiday(date!(2027 - 10 - 02)).as_deref(), Some("国庆节"));
    // Beyond the table, fixed-date holidays still count, movable ones are unknown.
    assert_eq!(holiday(date!(2150 - 10 - 01)).as_deref(), Some("国庆节"));
    assert!(!cal.movable_known(2150));
    assert!(cal.movable_known(2100));
}

#[test]
fn bad_statutory_rules_are_refused() {
    let base = common::calendar_data();
    let mut both = base.clone();
    if let Some(s) = both.statutory.as_mut() {
        s.holidays[1].month = Some(1);
        s.holidays[1].day = Some(1);
    }
    assert!(
        Calendar::new(&both).is_err(),
        "a holiday both fixed and movable"
    );
    let mut order = base.clone();
    if let Some(s) = order.statutory.as_mut() {
        s.movable.swap(0, 1);
    }
    assert!(Calendar::new(&order).is_err(), "rows out of order");
    let mut year = base;
    if let Some(s) = year.statutory.as_mut() {
        s.movable[0].year = 2018;
        s.movable.sort_by_key(|r| r.year);
    }
    assert!(
        Calendar::new(&year).is_err(),
        "a date outside its row's year"
    );
}
