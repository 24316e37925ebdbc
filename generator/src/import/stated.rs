//! What a source text states of its own metadata, read by `atlas import` so that the author
//! does not copy it by hand: the date of issue from the date line, the issuer from the
//! signature, and the entry into force (a date, on issue, or N days after issue) and a
//! validity (有效期N年) from the article that sets them, quoted and cited. What is not found is
//! left to the author, marked TODO.

use super::parse::{Block, Doc};

/// The entry into force as the text states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Rule {
    /// 自2026年2月1日起施行: the date, `YYYY-MM-DD`.
    OnDate(String),
    /// 自颁布之日起30日后实施.
    DaysAfterIssue(u32),
    /// 自发布之日起实施.
    OnIssue,
}

/// A rule or validity with its exact words and the anchor of its article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Quoted<T> {
    pub(super) value: T,
    pub(super) quote: String,
    pub(super) cite: String,
}

/// What the text states.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Stated {
    /// The date line (落款日期), `YYYY-MM-DD`.
    pub(super) issued: Option<String>,
    /// The signature (落款).
    pub(super) issuer: Option<String>,
    pub(super) effective: Option<Quoted<Rule>>,
    /// 有效期N年: N.
    pub(super) validity_years: Option<Quoted<u32>>,
    /// The measures it repeals (…废止): title and document number, in the order named.
    pub(super) repeals: Vec<Quoted<Repealed>>,
}

/// A measure repealed: its title (without 《》) and, where the text gives it, its document
/// number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Repealed {
    pub(super) title: String,
    pub(super) doc_number: Option<String>,
}

/// Reads what `doc` states of its metadata.
pub(super) fn read(doc: &Doc) -> Stated {
    let blocks = || doc.front.iter().chain(&doc.back);
    let first = |role: &str| blocks().find(|b: &&Block| b.role == role);
    let mut s = Stated {
        issued: first("date").and_then(|b| date(&b.text).map(|(d, _)| d)),
        issuer: first("signature").map(|b| b.text.clone()),
        ..Stated::default()
    };
    let prefix = doc.prefix();
    for u in &doc.units {
        let cite = crate::address::Address::article(prefix, u.number).anchor();
        for p in &u.paras {
            for (quote, value) in repeals(&p.text) {
                s.repeals.push(Quoted {
                    value,
                    quote,
                    cite: cite.clone(),
                });
            }
        }
    }
    // The last articles first: the entry into force closes a measure.
    for u in doc.units.iter().rev() {
        let cite = crate::address::Address::article(prefix, u.number).anchor();
        for p in &u.paras {
            if s.effective.is_none() {
                s.effective = effective(&p.text).map(|(value, quote)| Quoted {
                    value,
                    quote,
                    cite: cite.clone(),
                });
            }
            if s.validity_years.is_none() {
                s.validity_years = validity(&p.text).map(|(value, quote)| Quoted {
                    value,
                    quote,
                    cite: cite.clone(),
                });
            }
        }
    }
    s
}

/// A date written `2025年12月25日` (spaces allowed between the parts) at the start of `text`:
/// `YYYY-MM-DD` and the bytes it takes.
fn date(text: &str) -> Option<(String, usize)> {
    let mut at = 0;
    let mut parts = [0u32; 3];
    for (i, mark) in ['年', '月', '日'].into_iter().enumerate() {
        let rest = &text[at..];
        let digits = rest.trim_start();
        at += rest.len() - digits.len();
        let n = digits.bytes().take_while(u8::is_ascii_digit).count();
        parts[i] = digits[..n].parse().ok()?;
        at += n;
        let rest = &text[at..];
        let after = rest.trim_start().strip_prefix(mark)?;
        at += rest.len() - after.len();
    }
    let [y, m, d] = parts;
    let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
    time::Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(d).ok()?).ok()?;
    Some((format!("{y:04}-{m:02}-{d:02}"), at))
}

/// Each sentence of `text` that repeals (…废止。) with the measures it names: the sentence,
/// and each 《title》 with the document number in the brackets right after it, if any.
fn repeals(text: &str) -> Vec<(String, Repealed)> {
    let mut out = Vec::new();
    for sentence in text.split_inclusive('。') {
        let sentence = sentence.trim();
        if !sentence.trim_end_matches('。').ends_with("废止") {
            continue;
        }
        let mut rest = sentence;
        while let Some(open) = rest.find('《') {
            let after = &rest[open + '《'.len_utf8()..];
            let Some(close) = after.find('》') else {
                break;
            };
            let title = after[..close].to_string();
            rest = &after[close + '》'.len_utf8()..];
            let doc_number = rest
                .strip_prefix('（')
                .and_then(|r| r.find('）').map(|e| &r[..e]))
                .filter(|n| n.ends_with('号'))
                .map(str::to_string);
            out.push((sentence.to_string(), Repealed { title, doc_number }));
        }
    }
    out
}

/// The words that come before 自 in a rule on the measure itself.
const SUBJECTS: &[&str] = &["本办法", "本通知", "本细则", "本规定"];

/// The entry-into-force rule in `text` and its exact words.
fn effective(text: &str) -> Option<(Rule, String)> {
    for (start, _) in text.match_indices('自') {
        let from = SUBJECTS
            .iter()
            .find(|s| text[..start].ends_with(*s))
            .map_or(start, |s| start - s.len());
        let rest = &text[start + '自'.len_utf8()..];
        let end = ["施行", "实施"]
            .iter()
            .filter_map(|w| rest.find(w).map(|i| i + w.len()))
            .min()?;
        // A rule is short: 自2026年2月1日起施行 or 自颁布之日起 30 日后实施.
        if rest[..end].chars().count() > 24 {
            continue;
        }
        let words = &rest[..end];
        let quote = text[from..start + '自'.len_utf8() + end].to_string();
        let plain: String = words.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some((d, n)) = date(words) {
            let tail: String = words[n..].chars().filter(|c| !c.is_whitespace()).collect();
            if tail == "起施行" || tail == "起实施" {
                return Some((Rule::OnDate(d), quote));
            }
        }
        for act in ["颁布", "发布", "印发", "公布"] {
            let Some(after) = plain
                .strip_prefix(act)
                .and_then(|r| r.strip_prefix("之日起"))
            else {
                continue;
            };
            if after == "施行" || after == "实施" {
                return Some((Rule::OnIssue, quote));
            }
            let n = after.bytes().take_while(u8::is_ascii_digit).count();
            let tail = &after[n..];
            if n > 0 && (tail == "日后施行" || tail == "日后实施") {
                return Some((Rule::DaysAfterIssue(after[..n].parse().ok()?), quote));
            }
        }
    }
    None
}

/// 有效期N年 in `text`: N and the words.
fn validity(text: &str) -> Option<(u32, String)> {
    let (i, _) = text.match_indices("有效期").next()?;
    let rest = &text[i + "有效期".len()..];
    let spaced = rest.len() - rest.trim_start().len();
    let digits = &rest[spaced..];
    let n = digits.bytes().take_while(u8::is_ascii_digit).count();
    let years: u32 = digits[..n].parse().ok()?;
    let after = &digits[n..];
    let gap = after.len() - after.trim_start().len();
    after[gap..].starts_with('年').then(|| {
        let end = i + "有效期".len() + spaced + n + gap + '年'.len_utf8();
        (years, text[i..end].to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The forms the real measures use (content/sources): a date with and without spaces,
    /// N days after promulgation, on publication; words that only look alike are not taken.
    #[test]
    fn entry_into_force_in_the_words_of_the_texts() {
        assert_eq!(
            effective("本办法自2026年2月1日起施行。已批准成立的"),
            Some((
                Rule::OnDate("2026-02-01".into()),
                "本办法自2026年2月1日起施行".into()
            ))
        );
        assert_eq!(
            effective("本办法自 2026 年 7 月 10 日起施行。原《…》同时废止。"),
            Some((
                Rule::OnDate("2026-07-10".into()),
                "本办法自 2026 年 7 月 10 日起施行".into()
            ))
        );
        assert_eq!(
            effective("本办法自颁布之日起 30 日后实施，解释权属昆明市科技局。"),
            Some((
                Rule::DaysAfterIssue(30),
                "本办法自颁布之日起 30 日后实施".into()
            ))
        );
        assert_eq!(
            effective("本办法由科技部负责解释，自发布之日起实施。"),
            Some((Rule::OnIssue, "自发布之日起实施".into()))
        );
        assert_eq!(
            effective("原《国际科技合作基地管理办法（试行）》自本管理办法实施之日起废止。"),
            None
        );
        assert_eq!(
            effective("科技部鼓励各国合基地根据国家战略和自身优势"),
            None
        );
        assert_eq!(
            validity("本办法自2027年1月1日起施行，有效期5年。"),
            Some((5, "有效期5年".into()))
        );
        assert_eq!(date("2020年6月16日"), Some(("2020-06-16".into(), 16)));
        assert_eq!(date("2026年2月30日"), None);
    }
}
