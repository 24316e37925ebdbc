//! The calendar file agrees with the `chinese_holiday` crate (2026.0.1) on every day it covers
//! (2019-01-01..=2026-12-25, where the crate's data stops); the last days of 2026 are checked
//! as ordinary weeks.

mod common;

use chinese_holiday::{chinese_holiday, DayKind as CrateKind, Ymd};
use time::macros::date;
use time::Date;

fn crate_says_working(d: Date) -> bool {
    let ymd = Ymd::new(d.year() as u16, u8::from(d.month()), d.day());
    !matches!(
        chinese_holiday(ymd),
        CrateKind::NormalHoliday
            | CrateKind::NewYearsDayHoliday
            | CrateKind::SpringFestivalHoliday
            | CrateKind::ChingMingFestivalHoliday
            | CrateKind::InternationalWorkersDayHoliday
            | CrateKind::DragonBoatFestivalHoliday
            | CrateKind::MidAutumnFestivalHoliday
            | CrateKind::NationalDayHoliday
            | CrateKind::OtherHoliday
    )
}

#[test]
fn every_day_2019_to_2026_matches_the_crate() {
    let cal = common::calendar();
    assert_eq!(cal.data_ends(), date!(2026 - 12 - 31));
    let mut d = date!(2019 - 01 - 01);
    let mut mismatches = Vec::new();
    let mut days = 0;
    while d <= date!(2026 - 12 - 31) {
        let ours = cal.is_working_day(d);
        let theirs = if d <= date!(2026 - 12 - 25) {
            crate_says_working(d)
        } else {
            !calculator_wasm::calendar::is_weekend(d)
        };
        if ours != theirs {
            mismatches.push(format!("{d}: ours {ours}, crate {theirs}"));
        }
        assert!(!cal.is_provisional(d));
        days += 1;
        d = d.next_day().expect("next day");
    }
    assert_eq!(days, 2922);
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn known_days() {
    let cal = common::calendar();
    // 2026 Spring Festival: 2-15..2-23 off; Saturdays 2-14 and 2-28 worked.
    assert!(cal.is_working_day(date!(2026 - 02 - 14)));
    assert!(cal.is_working_day(date!(2026 - 02 - 28)));
    assert!(!cal.is_working_day(date!(2026 - 02 - 23)));
    assert!(cal.is_working_day(date!(2026 - 02 - 24)));
    // 2020 extension of the Spring Festival to 2 February (a Sunday anyway) and 31 January (Friday).
    assert!(!cal.is_working_day(date!(2020 - 01 - 31)));
    // An ordinary Saturday.
    assert!(!cal.is_working_day(date!(2026 - 03 - 07)));
    assert!(cal.is_provisional(date!(2027 - 01 - 01)));
}
