//! Rules for facts: unique ids, known topics and types, the fields each type needs, and a
//! quote that is a verbatim part of the cited unit.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use crate::content::fact::{decimal_value, parse_share, Fact};
use crate::content::measure::MeasureFile;
use crate::content::vocab::{FactType, Unit};
use crate::content::Loaded;
use crate::diagnostics::{Diagnostic, Report};
use crate::validate::structure::UnitMap;

/// For each measure, its facts whose id an earlier fact already has: (fact index, finding).
pub(super) fn duplicates(measures: &[Loaded<MeasureFile>]) -> Vec<Vec<(usize, Diagnostic)>> {
    // The message names the latest earlier file with the id.
    let mut ids: HashMap<&str, &Path> = HashMap::new();
    measures
        .iter()
        .map(|l| {
            let mut out = Vec::new();
            for (i, f) in l.value.facts.iter().enumerate() {
                let id = f.id.get_ref();
                if let Some(prev) = ids.insert(id, &l.path) {
                    out.push((
                        i,
                        Diagnostic::error_at(
                            &l.path,
                            l.text(),
                            f.id.span().start,
                            format!("duplicate fact id '{id}' (also in {})", prev.display()),
                            "fact ids are unique across the collection; prefix them with the measure",
                        ),
                    ));
                }
            }
            out
        })
        .collect()
}

/// The fact rules on one measure; `dups` are its findings from [`duplicates`].
pub(super) fn check_measure(
    l: &Loaded<MeasureFile>,
    by_anchor: &UnitMap,
    topics: Option<&BTreeSet<String>>,
    dups: &[(usize, Diagnostic)],
    report: &mut Report,
) {
    let mut dups = dups.iter().peekable();
    for (i, f) in l.value.facts.iter().enumerate() {
        let id = f.id.get_ref();
        let at = |off: usize, msg: String, hint: &str| {
            Diagnostic::error_at(&l.path, l.text(), off, msg, hint)
        };
        while let Some((_, d)) = dups.next_if(|(j, _)| *j == i) {
            report.push(d.clone());
        }
        if !crate::content::is_safe_id(id) {
            report.push(at(
                f.id.span().start,
                format!("fact id '{id}' is not a safe slug"),
                "use lower-case ASCII letters, digits and hyphens",
            ));
        }
        if let Some(t) = topics {
            if !t.contains(f.topic.get_ref()) {
                report.push(at(
                    f.topic.span().start,
                    format!("unknown topic '{}'", f.topic.get_ref()),
                    "use a topic id from content/topics.toml, or add the topic there",
                ));
            }
        }
        crate::validate::structure::cite_quote_in(l, report, by_anchor, &f.cite, &f.quote);
        type_fields(l, f, report);
    }
}

/// What to write for `named_day`.
const NAMED_DAY_HINT: &str = "named_day = \"excluded\" for 前/以前 (the day named may already be late), \"included\" for 截至/含当日";
/// What to write for `period_kind`.
const PERIOD_KIND_HINT: &str = "period_kind = \"deadline\" when someone must act within the period (…内提交; art. 203 moves a last day on a rest day), \"term\" when it simply runs out (建设期, 一年半后, 三年内不得; never moved)";

fn type_fields(l: &Loaded<MeasureFile>, f: &Fact, report: &mut Report) {
    let kind = *f.kind.get_ref();
    let mut err = |off: usize, msg: String, hint: String| {
        report.push(Diagnostic::error_at(&l.path, l.text(), off, msg, hint))
    };
    let at = f.kind.span().start;
    if let Some(v) = &f.value {
        if kind == FactType::Date {
            if !matches!(v.get_ref(), toml::Value::Datetime(_)) {
                err(
                    v.span().start,
                    "a date fact's value must be a TOML date".into(),
                    "write value = 2026-02-01".into(),
                );
            }
        } else if let Err(e) = decimal_value(v.get_ref()) {
            err(
                v.span().start,
                e,
                "write the number as in the text, e.g. value = 300 or value = \"1.5\"".into(),
            );
        }
    }
    let needs_value = matches!(
        kind,
        FactType::Minimum
            | FactType::Maximum
            | FactType::Amount
            | FactType::Cap
            | FactType::Period
            | FactType::WorkingDays
            | FactType::Date
    );
    if needs_value && (f.value.is_none() || (kind != FactType::Date && f.unit.is_none())) {
        err(
            at,
            format!("a {kind} fact needs value and unit"),
            "add value = N and unit = \"…\"".into(),
        );
    }
    let time_unit = f.unit.as_ref().is_some_and(|u| {
        matches!(
            u.get_ref(),
            Unit::Year | Unit::Month | Unit::Day | Unit::WorkingDay
        )
    });
    let is_period = matches!(kind, FactType::Period | FactType::WorkingDays);
    match &f.period_kind {
        Some(k) if !(is_period || time_unit) => err(
            k.span().start,
            format!("period_kind belongs to periods, not to a {kind} fact"),
            "remove it".into(),
        ),
        None if is_period => err(
            at,
            format!("a {kind} fact needs period_kind"),
            PERIOD_KIND_HINT.into(),
        ),
        _ => {}
    }
    if f.named_day.is_some() && kind != FactType::AnnualDate {
        err(
            at,
            format!("named_day belongs to annual-date facts, not to a {kind} fact"),
            "remove it".into(),
        );
    }
    match kind {
        FactType::Share => match &f.share {
            Some(s) if parse_share(s.get_ref()).is_some() => {}
            Some(s) => err(
                s.span().start,
                format!("'{}' is not a share", s.get_ref()),
                "write \"1/3\" or \"25%\"".into(),
            ),
            None => err(
                at,
                "a share fact needs share = \"1/3\" or \"25%\"".into(),
                String::new(),
            ),
        },
        FactType::Schedule => {
            if f.shares.is_empty() {
                err(
                    at,
                    "a schedule fact needs shares = [\"25%\", …]".into(),
                    String::new(),
                );
            }
            for s in &f.shares {
                if parse_share(s.get_ref()).is_none() {
                    err(
                        s.span().start,
                        format!("'{}' is not a share", s.get_ref()),
                        "write \"1/3\" or \"25%\"".into(),
                    );
                }
            }
        }
        FactType::Ratio if f.ratio.len() != 2 || f.ratio.contains(&0) => err(
            at,
            "a ratio fact needs ratio = [a, b] with a, b > 0".into(),
            "3:1 is ratio = [3, 1]".into(),
        ),
        FactType::GradeScale if f.grades.is_empty() => err(
            at,
            "a grade-scale fact needs [[fact.grade]] entries".into(),
            String::new(),
        ),
        FactType::Categories if f.categories.is_empty() => err(
            at,
            "a categories fact needs [[fact.category]] entries".into(),
            String::new(),
        ),
        FactType::Naming if f.pattern.is_none() => err(
            at,
            "a naming fact needs pattern = \"…\"".into(),
            String::new(),
        ),
        FactType::AnnualDate => {
            if f.named_day.is_none() {
                err(
                    at,
                    "an annual-date fact needs named_day".into(),
                    NAMED_DAY_HINT.into(),
                );
            }
            let ok = match (f.month, f.day) {
                (Some(mo), Some(d)) => time::Month::try_from(mo as u8)
                    .ok()
                    .is_some_and(|m| d >= 1 && d <= u32::from(time::util::days_in_month(m, 2001))),
                _ => false,
            };
            if !ok {
                err(
                    at,
                    "an annual-date fact needs a valid month and day".into(),
                    "每年11月30日前 is month = 11, day = 30".into(),
                );
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_parse_exactly() {
        assert_eq!(parse_share("1/3"), Some((1, 3)));
        assert_eq!(parse_share("25%"), Some((2500, 10_000)));
        assert_eq!(parse_share("x"), None);
        assert_eq!(parse_share("1/0"), None);
    }

    #[test]
    fn floats_are_refused() {
        assert!(decimal_value(&toml::Value::Float(0.1)).is_err());
        assert_eq!(
            decimal_value(&toml::Value::String("1.5".into()))
                .unwrap()
                .to_string(),
            "1.5"
        );
    }
}
