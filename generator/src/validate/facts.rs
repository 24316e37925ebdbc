//! Rules for facts: unique ids, known topics and types, the fields each type needs, and a
//! quote that is a verbatim part of the cited unit.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use rust_decimal::Decimal;

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
        if let Some((off, msg)) = value_against_quote(f) {
            report.push(at(
                off,
                msg,
                "the value must be what the quote states (15 or 十五, 1/3 or 三分之一, 25% or 百分之二十五, 300万 = 3000000 yuan, 2026年2月1日 = 2026-02-01): correct the value, or quote the words that state it",
            ));
        }
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
                e.to_string(),
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
    // The English edition says what a period counts from in the content's own words.
    if f.from.is_some() && f.from_en.as_deref().is_none_or(|s| s.trim().is_empty()) {
        err(
            at,
            "this period says what it counts from (`from`) only in Chinese".into(),
            "add from_en = \"…\" with the event in English as it reads after \"from\", e.g. from_en = \"recognition\"".into(),
        );
    }
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

/// A number a quote states, with what follows it.
#[derive(Debug, Clone, PartialEq)]
struct Mention {
    /// The number as written.
    value: Decimal,
    /// Followed by 万 (×10000).
    wan: bool,
    /// Followed by % (or written 百分之…).
    percent: bool,
    /// Followed by 年半 (N and a half years).
    and_a_half_year: bool,
}

/// The numbers a quote states: each number, and the fractions and ratios (numerator or first
/// term first) they form.
struct Numbers {
    mentions: Vec<Mention>,
    fractions: Vec<(u64, u64)>,
    ratios: Vec<(u64, u64)>,
}

/// Every number `quote` states: ASCII digits (`300`, `1.5`), Chinese numerals (`十五`, `两`),
/// fractions (`1/3`, `三分之一`, `百分之十`), with 万 / % after them.
fn numbers_in(quote: &str) -> Numbers {
    let chars: Vec<char> = crate::text::fold(quote).chars().collect();
    let numeral = |c: char| "零〇一二两三四五六七八九十百千".contains(c);
    let mut mentions = Vec::new();
    let mut fractions: Vec<(u64, u64)> = Vec::new();
    let mut ratios: Vec<(u64, u64)> = Vec::new();
    // (start, end, value) of each number run, in order.
    let mut runs: Vec<(usize, usize, Decimal)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || (chars[i] == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())))
            {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            if let Ok(v) = text.parse::<Decimal>() {
                runs.push((start, i, v));
            }
        } else if numeral(c) {
            let start = i;
            while i < chars.len() && numeral(chars[i]) {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            if let Some(v) = crate::text::chinese_number(&text) {
                runs.push((start, i, Decimal::from(v)));
            }
        } else {
            i += 1;
        }
    }
    let after = |end: usize, s: &str| {
        chars[end..]
            .iter()
            .take(s.chars().count())
            .collect::<String>()
            == s
    };
    for (k, (_, end, v)) in runs.iter().enumerate() {
        mentions.push(Mention {
            value: *v,
            wan: after(*end, "万"),
            percent: after(*end, "%"),
            and_a_half_year: after(*end, "年半"),
        });
        let next = runs.get(k + 1);
        let whole = |d: Decimal| {
            u64::try_from(d.trunc().mantissa() / 10i128.pow(d.scale()))
                .ok()
                .filter(|_| d.fract().is_zero())
        };
        if let Some((s2, _, v2)) = next {
            let between: String = chars[*end..*s2].iter().collect();
            match between.as_str() {
                "/" => fractions.extend(whole(*v).zip(whole(*v2))),
                "分之" => fractions.extend(whole(*v2).zip(whole(*v))),
                ":" => ratios.extend(whole(*v).zip(whole(*v2))),
                _ => {}
            }
        }
        if let (Some(n), true) = (whole(*v), after(*end, "%")) {
            fractions.push((n, 100));
        }
    }
    // 百分之十: 百 (100) 分之 十 (10) gives the fraction 10/100; say it is a percentage too
    // (10% already is one).
    for (n, d) in fractions.clone() {
        let value = Decimal::from(n);
        if d == 100 && !mentions.iter().any(|m| m.percent && m.value == value) {
            mentions.push(Mention {
                value,
                wan: false,
                percent: true,
                and_a_half_year: false,
            });
        }
    }
    Numbers {
        mentions,
        fractions,
        ratios,
    }
}

/// Whether `quote` states the day `y`-`m`-`d` (2026年2月1日, 2019年04月03日 or 2026-02-01).
pub(super) fn states_date(quote: &str, y: u16, m: u8, d: u8) -> bool {
    let mentions = numbers_in(quote).mentions;
    let want = [Decimal::from(y), Decimal::from(m), Decimal::from(d)];
    mentions
        .windows(3)
        .any(|w| w.iter().map(|x| x.value).eq(want))
}

fn same_fraction(a: (u64, u64), b: (u64, u64)) -> bool {
    u128::from(a.0) * u128::from(b.1) == u128::from(b.0) * u128::from(a.1)
}

/// Where a fact's value contradicts its own quote: the offset to point at and the message.
fn value_against_quote(f: &Fact) -> Option<(usize, String)> {
    let quote = f.quote.get_ref();
    let Numbers {
        mentions,
        fractions,
        ratios,
    } = numbers_in(quote);
    let kind = *f.kind.get_ref();
    let at_value = f
        .value
        .as_ref()
        .map_or(f.kind.span().start, |v| v.span().start);
    match kind {
        FactType::Date => {
            let toml::Value::Datetime(dt) = f.value.as_ref()?.get_ref() else {
                return None;
            };
            let d = dt.date?;
            let iso = format!("{:04}-{:02}-{:02}", d.year, d.month, d.day);
            // 2019年4月3日, 2019年04月03日 or 2019-04-03: three numbers in a row.
            let want = [
                Decimal::from(d.year),
                Decimal::from(d.month),
                Decimal::from(d.day),
            ];
            let stated = mentions
                .windows(3)
                .any(|w| w.iter().map(|m| m.value).eq(want));
            (!stated).then(|| {
                (
                    at_value,
                    format!("the date {iso} is not the date the quote states (“{quote}”)"),
                )
            })
        }
        FactType::AnnualDate => {
            let (m, d) = (f.month?, f.day?);
            let stated = mentions
                .windows(2)
                .any(|w| w[0].value == Decimal::from(m) && w[1].value == Decimal::from(d));
            (!stated).then(|| {
                (
                    f.kind.span().start,
                    format!("{m}月{d}日 is not the day the quote states (“{quote}”)"),
                )
            })
        }
        FactType::Share => {
            let s = f.share.as_ref()?;
            let want = parse_share(s.get_ref())?;
            (!fractions.iter().any(|x| same_fraction(*x, want))).then(|| {
                (
                    s.span().start,
                    format!(
                        "the share {} is not a share the quote states (“{quote}”)",
                        s.get_ref()
                    ),
                )
            })
        }
        FactType::Schedule => f.shares.iter().find_map(|s| {
            let want = parse_share(s.get_ref())?;
            (!fractions.iter().any(|x| same_fraction(*x, want))).then(|| {
                (
                    s.span().start,
                    format!(
                        "the share {} is not a share the quote states (“{quote}”)",
                        s.get_ref()
                    ),
                )
            })
        }),
        FactType::Ratio => {
            let [a, b] = f.ratio.as_slice() else {
                return None;
            };
            let (a, b) = (u64::from(*a), u64::from(*b));
            let stated = ratios.iter().any(|r| *r == (a, b) || *r == (b, a));
            (!stated).then(|| {
                (
                    f.kind.span().start,
                    format!("the ratio {a}:{b} is not the ratio the quote states (“{quote}”)"),
                )
            })
        }
        FactType::Minimum
        | FactType::Maximum
        | FactType::Amount
        | FactType::Cap
        | FactType::Period
        | FactType::WorkingDays => {
            let v = decimal_value(f.value.as_ref()?.get_ref()).ok()?;
            let unit = f.unit.as_ref().map(|u| *u.get_ref());
            let ten_k = Decimal::from(10_000);
            let stated = mentions.iter().any(|m| match unit {
                Some(Unit::Yuan) => m.value == v || (m.wan && m.value * ten_k == v),
                Some(Unit::WanYuan) => m.value == v || m.value == v * ten_k,
                Some(Unit::Year) => {
                    m.value == v || (m.and_a_half_year && m.value + Decimal::new(5, 1) == v)
                }
                Some(Unit::Month) => {
                    m.value == v
                        || m.value * Decimal::from(12) == v
                        || (m.and_a_half_year
                            && m.value * Decimal::from(12) + Decimal::from(6) == v)
                }
                _ => m.value == v,
            });
            (!stated).then(|| {
                (
                    at_value,
                    format!(
                        "the value {} is not a number the quote states (“{quote}”)",
                        v.normalize()
                    ),
                )
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::fact::DecimalError;

    fn mentioned(q: &str) -> Vec<String> {
        let Numbers {
            mentions: m,
            fractions: f,
            ratios: r,
        } = numbers_in(q);
        let mut out: Vec<String> = m
            .iter()
            .map(|m| {
                format!(
                    "{}{}{}",
                    m.value,
                    if m.wan { "万" } else { "" },
                    if m.percent { "%" } else { "" }
                )
            })
            .collect();
        out.extend(f.iter().map(|(a, b)| format!("{a}/{b}")));
        out.extend(r.iter().map(|(a, b)| format!("{a}:{b}")));
        out
    }

    #[test]
    fn numbers_a_quote_states() {
        assert_eq!(mentioned("专职科研人员不少于十五人"), ["15"]);
        assert_eq!(mentioned("不超过三分之一"), ["3", "1", "1/3"]);
        assert_eq!(mentioned("最高不超过150万元"), ["150万"]);
        assert_eq!(mentioned("配套比例不低于3:1"), ["3", "1", "3:1"]);
        assert_eq!(mentioned("不大于参评总数的10%"), ["10%", "10/100"]);
        assert!(mentioned("百分之二十五").contains(&"25%".to_string()));
        assert!(mentioned("一年半后").contains(&"1".to_string()));
    }

    #[test]
    fn shares_parse_exactly() {
        assert_eq!(parse_share("1/3"), Some((1, 3)));
        assert_eq!(parse_share("25%"), Some((2500, 10_000)));
        assert_eq!(parse_share("x"), None);
        assert_eq!(parse_share("1/0"), None);
    }

    #[test]
    fn floats_are_refused() {
        assert_eq!(
            decimal_value(&toml::Value::Float(0.1)),
            Err(DecimalError::Float(0.1))
        );
        assert_eq!(
            decimal_value(&toml::Value::String("1.5".into()))
                .unwrap()
                .to_string(),
            "1.5"
        );
    }
}
