//! Property tests: tranches sum to the total; a rounded bound never violates its ratio;
//! period ends never land on a rest day; no input makes the engine panic.

mod common;

use calculator_wasm::fraction::{Fraction, Ratio};
use calculator_wasm::money::{Money, Rounding};
use calculator_wasm::periods::{
    annual_due, end_of, period_end, NamedDay, Period, PeriodKind, PeriodUnit,
};
use calculator_wasm::tranches::split;
use calculator_wasm::{run, Calendar};
use proptest::prelude::*;
use time::{Date, Duration};

fn money(fen: i64) -> Money {
    Money::from_fen(i128::from(fen)).expect("in range")
}

proptest! {
    #[test]
    fn tranches_sum_to_the_total(fen in 0i64..1_000_000_000_000_000, weights in prop::collection::vec(1u64..1000, 1..6)) {
        let sum: u64 = weights.iter().sum();
        let shares: Vec<Fraction> = weights.iter().map(|w| Fraction::new(*w, sum).expect("fraction")).collect();
        let total = money(fen);
        let parts = split(total, &shares).expect("shares sum to 1");
        let paid: i128 = parts.iter().map(|p| p.amount.fen()).sum();
        prop_assert_eq!(paid, total.fen());
        // Every tranche but the last is its exact share rounded half-up; all are within a fen per tranche.
        for p in &parts {
            let exact = total.fen() * i128::from(p.share.num());
            let diff = (p.amount.fen() * i128::from(p.share.den()) - exact).abs();
            prop_assert!(diff <= i128::from(p.share.den()) * i128::try_from(parts.len()).expect("len"));
        }
    }

    #[test]
    fn rounded_bounds_never_break_the_ratio(own in 0i64..1_000_000_000_000, public in 0i64..1_000_000_000_000, a in 1u64..20, b in 1u64..20) {
        let ratio = Ratio::new(a, b).expect("ratio");
        let (own, public) = (money(own), money(public));
        // Least own funding for `public`: own × b ≥ public × a.
        let min_own = public.times(ratio.first_per_second().expect("f")).round(Rounding::Minimum);
        prop_assert!(min_own.fen() * i128::from(b) >= public.fen() * i128::from(a));
        // …and it is the least such amount in fen.
        prop_assert!(min_own.fen() == 0 || (min_own.fen() - 1) * i128::from(b) < public.fen() * i128::from(a));
        // Most public funding for `own`: public × a ≤ own × b, and one fen more would break it.
        let max_public = own.times(ratio.second_per_first().expect("f")).round(Rounding::Maximum);
        prop_assert!(max_public.fen() * i128::from(a) <= own.fen() * i128::from(b));
        prop_assert!((max_public.fen() + 1) * i128::from(a) > own.fen() * i128::from(b));
    }

    #[test]
    fn period_ends_are_working_days(offset in 0i64..(12 * 366), count in 1u32..40, unit in 0u8..4) {
        let cal: Calendar = common::calendar();
        let start = Date::from_calendar_date(2019, time::Month::January, 1).expect("date") + Duration::days(offset);
        let unit = [PeriodUnit::Day, PeriodUnit::Month, PeriodUnit::Year, PeriodUnit::WorkingDay][usize::from(unit)];
        let end = period_end(&cal, start, Period { count, unit }).expect("period");
        prop_assert!(cal.is_working_day(end.end));
        prop_assert!(end.end >= end.nominal);
        prop_assert!(end.nominal > start);
        // Art. 203 only skips a run of rest days (the longest arrangement is under two weeks).
        prop_assert!((end.end - end.nominal).whole_days() < 14);
    }

    /// After the calendar data (2027–2035) a time to act never ends on a day the law makes a
    /// holiday, nor on a weekend; a term ends on its nominal day whatever that day is.
    #[test]
    fn deadlines_after_the_data_avoid_known_holidays(offset in 0i64..(9 * 366), count in 1u32..40, unit in 0u8..4) {
        let cal: Calendar = common::calendar();
        let start = Date::from_calendar_date(2026, time::Month::June, 1).expect("date") + Duration::days(offset);
        let unit = [PeriodUnit::Day, PeriodUnit::Month, PeriodUnit::Year, PeriodUnit::WorkingDay][usize::from(unit)];
        let p = Period { count, unit };
        let end = end_of(&cal, start, p, PeriodKind::Deadline).expect("period");
        if end.end.year() >= 2027 {
            prop_assert!(cal.statutory_holiday(end.end).is_none(), "{} is {:?}", end.end, cal.statutory_holiday(end.end));
            prop_assert!(!calculator_wasm::calendar::is_weekend(end.end));
            prop_assert!(end.provisional);
        }
        let term = end_of(&cal, start, p, PeriodKind::Term).expect("period");
        if unit != PeriodUnit::WorkingDay {
            prop_assert_eq!(term.end, term.nominal);
            prop_assert_eq!(term.nominal, end.nominal);
            prop_assert!(!term.provisional);
        }
    }

    /// A yearly date is shown as the text fixes it: never moved; art. 203's next working day only
    /// beside it, and only when the last day is a rest day.
    #[test]
    fn yearly_dates_are_never_moved(year in 2019i32..2036, month in 1u8..13, day in 1u8..32, excluded in any::<bool>()) {
        let cal: Calendar = common::calendar();
        let named_day = if excluded { NamedDay::Excluded } else { NamedDay::Included };
        let due = annual_due(&cal, year, month, day, named_day).expect("due");
        prop_assert!(due.due <= due.named);
        prop_assert_eq!((due.named - due.due).whole_days(), i64::from(excluded));
        match due.latest_art_203 {
            Some(l) => {
                prop_assert!(!cal.is_working_day(due.due));
                prop_assert!(l > due.due && cal.is_working_day(l));
            }
            None => prop_assert!(cal.is_working_day(due.due)),
        }
    }

    #[test]
    fn no_input_panics(calc in 0usize..64, key in 0usize..8, value in prop_oneof![
        any::<String>(),
        "-?[0-9]{0,40}(\\.[0-9]{0,5})?(万|万元|%)?",
        "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}",
        Just("[]".to_string()),
    ], raw in any::<bool>()) {
        let content = common::content();
        let facts = common::facts(&content);
        let cal = common::calendar();
        let def = &content.calculators[calc % content.calculators.len()];
        let name = def.inputs.get(key % def.inputs.len()).map(|i| i.name.clone()).unwrap_or_default();
        let v = if raw { value.clone() } else { serde_json::to_string(&value).expect("json") };
        let input = format!("{{\"{name}\": {v}}}");
        let _ = run(def, &facts, &cal, &input);
        let _ = run(def, &facts, &cal, &value);
    }
}
