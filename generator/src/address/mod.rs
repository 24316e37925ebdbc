//! How a provision is addressed: its anchor on the page (`#art-19-1`, a public URL contract),
//! its citation words (第十九条第（一）项, `Art. 19(1)`), the units a measure is made of, and
//! the references found inside a text. Imports `content` and `text` only; import, validate,
//! calc, model, render, search and synth all ask this module, so the scheme is written once.
//!
//! The scheme, for an article (`art`, 第N条) or a notice's numbered part (`sec`, 一、):
//!
//! | unit | anchor | citation |
//! |---|---|---|
//! | article 19 | `art-19` | 第十九条 · Art. 19 |
//! | its second paragraph (款) | `art-19-p2` | 第十九条第二款 · Art. 19 para. 2 |
//! | clause (一) of the first paragraph | `art-19-1` | 第十九条第（一）项 · Art. 19(1) |
//! | item 2 of that clause | `art-19-1-2` | 第十九条第（一）项第2目 · Art. 19(1) item 2 |
//! | item 3 directly under paragraph 2 | `art-16-p2-i3` | 第十六条第二款第3目 · Art. 16 para. 2 item 3 |
//! | part 3 of a notice | `sec-3` | “三、…”（its label and heading） · Part 3 |
//!
//! Lines outside the articles are `front-N`, `back-N` and `closing-N`; chapters `ch-N`; the
//! annexed form `annex`, `annex-cover`, `annex-instructions(-iJ)`, `annex-form-N`,
//! `annex-sec-K(-M)`.

pub mod refs;
pub mod units;

use crate::content::MeasureFile;
use crate::text::{chinese_number, chinese_numeral};

/// What an article-level unit is called: an article of a 办法 or a numbered part of a 通知.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Prefix {
    /// 第N条: anchors `art-N`.
    Art,
    /// 一、二、 (a notice's parts): anchors `sec-N`.
    Sec,
}

impl Prefix {
    /// `art` or `sec`.
    pub fn as_str(self) -> &'static str {
        match self {
            Prefix::Art => "art",
            Prefix::Sec => "sec",
        }
    }

    /// `Art. ` for an article, `Part ` for a numbered part of a notice: how the English edition
    /// names one before its number.
    pub fn word_en(self) -> &'static str {
        match self {
            Prefix::Art => "Art. ",
            Prefix::Sec => "Part ",
        }
    }
}

/// Where a provision is inside its measure: an article (or part) and, below it, a paragraph,
/// a clause and an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Address {
    /// Article or part.
    pub prefix: Prefix,
    /// Its number.
    pub article: u32,
    /// Paragraph (款), 1 for the first (which shares the article's anchor).
    pub para: u32,
    /// Clause (项) of that paragraph.
    pub clause: Option<u32>,
    /// Item (目): of the clause when there is one, else directly under the paragraph.
    pub item: Option<u32>,
}

impl Address {
    /// Article (or part) `n`.
    pub fn article(prefix: Prefix, n: u32) -> Address {
        Address {
            prefix,
            article: n,
            para: 1,
            clause: None,
            item: None,
        }
    }

    /// Paragraph `p` (1 = the first) of this article.
    pub fn para(self, p: u32) -> Address {
        Address { para: p, ..self }
    }

    /// Clause `k` of this paragraph.
    pub fn clause(self, k: u32) -> Address {
        Address {
            clause: Some(k),
            ..self
        }
    }

    /// Item `j` of this clause, or of this paragraph when no clause is set.
    pub fn item(self, j: u32) -> Address {
        Address {
            item: Some(j),
            ..self
        }
    }

    /// The unit's anchor: `art-19`, `art-19-p2`, `art-19-1`, `art-19-1-2`, `art-16-p2-i3`.
    pub fn anchor(&self) -> String {
        let mut s = format!("{}-{}", self.prefix.as_str(), self.article);
        if self.para > 1 {
            s.push_str(&format!("-p{}", self.para));
        }
        match (self.clause, self.item) {
            (Some(k), Some(j)) => s.push_str(&format!("-{k}-{j}")),
            (Some(k), None) => s.push_str(&format!("-{k}")),
            (None, Some(j)) => s.push_str(&format!("-i{j}")),
            (None, None) => {}
        }
        s
    }

    /// Reads an anchor written by [`Address::anchor`]; `None` for any other anchor (a front
    /// line, a chapter, the annex) or one that is not well formed.
    pub fn parse(anchor: &str) -> Option<Address> {
        let (prefix, rest) = if let Some(r) = anchor.strip_prefix("art-") {
            (Prefix::Art, r)
        } else {
            (Prefix::Sec, anchor.strip_prefix("sec-")?)
        };
        let mut parts = rest.split('-');
        let mut a = Address::article(prefix, number(parts.next()?)?);
        let mut next = parts.next();
        if let Some(p) = next.and_then(|x| x.strip_prefix('p')) {
            a.para = number(p)?;
            next = parts.next();
        }
        match next {
            None => {}
            Some(i) if i.starts_with('i') => a.item = Some(number(&i[1..])?),
            Some(k) => {
                a.clause = Some(number(k)?);
                if let Some(j) = parts.next() {
                    a.item = Some(number(j)?);
                }
            }
        }
        (parts.next().is_none()).then_some(a)
    }

    /// Whether the unit at `other` lies within this one (or is it): an article holds its
    /// paragraphs, clauses and items, a paragraph its clauses and items, a clause its items.
    /// An article's anchor is also its first paragraph's; it is read as the whole article.
    pub fn contains(&self, other: &Address) -> bool {
        if self.prefix != other.prefix || self.article != other.article {
            return false;
        }
        if self.para == 1 && self.clause.is_none() && self.item.is_none() {
            return true;
        }
        if self.para != other.para {
            return false;
        }
        match (self.clause, self.item) {
            (None, None) => true,
            (Some(k), None) => other.clause == Some(k),
            (k, Some(j)) => other.clause == k && other.item == Some(j),
        }
    }

    /// Chinese citation words after the measure's [`citation_prefix`]: 第十九条第二款第（一）项第2目.
    /// `article_words` are the article's own (see [`article_words`]).
    pub fn cite_zh(&self, article_words: &str) -> String {
        let mut s = article_words.to_string();
        if self.para > 1 {
            s.push_str(&format!("第{}款", chinese_numeral(self.para)));
        }
        if let Some(k) = self.clause {
            s.push_str(&format!("第（{}）项", chinese_numeral(k)));
        }
        if let Some(j) = self.item {
            // Items are cited with the digits they are labelled with (1. 2.).
            s.push_str(&format!("第{j}目"));
        }
        s
    }

    /// English citation words: `Art. 19 para. 2(1) item 2`, `Part 3`.
    pub fn cite_en(&self) -> String {
        let mut s = format!("{}{}", self.prefix.word_en(), self.article);
        if self.para > 1 {
            s.push_str(&format!(" para. {}", self.para));
        }
        if let Some(k) = self.clause {
            s.push_str(&format!("({k})"));
        }
        if let Some(j) = self.item {
            s.push_str(&format!(" item {j}"));
        }
        s
    }
}

/// Citation words for a unit in both languages, as facts and calculators cite it after the
/// measure's short title: 第七条第（四）项 · `Art. 7(4)`; a notice's part by its label and
/// heading (see [`section_label`]); the annex as 附件 · `Annex`.
pub fn unit_citation(u: &units::Unit, m: &MeasureFile) -> (String, String) {
    let Some(a) = u.address else {
        // A line outside the articles by its place and number (`front-3`: the third line
        // before the text); a chapter by its label and title.
        let line = |anchor: &str, prefix: &str| {
            anchor
                .strip_prefix(prefix)
                .and_then(|n| n.parse::<u32>().ok())
                .unwrap_or(0)
        };
        return match u.kind {
            units::UnitKind::Annex => ("附件".to_string(), "Annex".to_string()),
            units::UnitKind::Front => {
                let n = line(&u.anchor, "front-");
                (
                    format!("正文前第{n}行"),
                    format!("line {n} before the text"),
                )
            }
            units::UnitKind::Back => {
                let n = line(&u.anchor, "back-");
                (format!("正文后第{n}行"), format!("line {n} after the text"))
            }
            units::UnitKind::Closing => {
                let n = line(&u.anchor, "closing-");
                (
                    format!("附件后第{n}行"),
                    format!("line {n} after the annex"),
                )
            }
            _ => {
                let n = line(&u.anchor, "ch-");
                let ch = m.chapters.iter().find(|c| *c.number.get_ref() == n);
                let zh = ch.map_or_else(String::new, |c| c.label.clone());
                (zh, format!("Chapter {n}"))
            }
        };
    };
    let words = match a.prefix {
        Prefix::Sec => section_label(m, a.article).unwrap_or_default(),
        Prefix::Art => article_words(Prefix::Art, a.article, "", "", false),
    };
    (a.cite_zh(&words), a.cite_en())
}

/// The words that name part `n` of a notice: its label and heading (`一、建设要求`).
pub fn section_label(m: &MeasureFile, n: u32) -> Option<String> {
    m.sections
        .iter()
        .find(|s| *s.number.get_ref() == n)
        .map(|s| [s.label.get_ref(), s.heading.as_deref().unwrap_or("")].concat())
}

/// A number written in decimal digits, as anchors hold them (no sign, no leading `+`).
fn number(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// How an article-level unit is named in a citation: 第十九条 for an article; for a notice's
/// part its label and heading as printed (一、建设要求), in quotation marks when `quoted`
/// (as the page's copy-citation words give it: “一、建设要求”).
pub fn article_words(prefix: Prefix, n: u32, label: &str, heading: &str, quoted: bool) -> String {
    match (prefix, quoted) {
        (Prefix::Art, _) => format!("第{}条", chinese_numeral(n)),
        (Prefix::Sec, true) => format!("“{label}{heading}”"),
        (Prefix::Sec, false) => format!("{label}{heading}"),
    }
}

/// The start of every citation of a measure: `《title》（文号）`, or `《title》` without a 文号.
pub fn citation_prefix(title: &str, doc_number: Option<&str>) -> String {
    match doc_number {
        Some(d) => format!("《{title}》（{d}）"),
        None => format!("《{title}》"),
    }
}

/// Anchor of the `n`th line before the body: `front-3`.
pub fn front(n: usize) -> String {
    format!("front-{n}")
}

/// Anchor of the `n`th line after the body: `back-2`.
pub fn back(n: usize) -> String {
    format!("back-{n}")
}

/// Anchor of the `n`th line after the annex: `closing-1`.
pub fn closing(n: usize) -> String {
    format!("closing-{n}")
}

/// Anchor of chapter `n`: `ch-2`.
pub fn chapter(n: u32) -> String {
    format!("ch-{n}")
}

/// The article (or part) number of an anchor inside it: `art-19-1` → 19 (also `sec-`).
pub fn article_number(anchor: &str) -> Option<u32> {
    Address::parse(anchor).map(|a| a.article)
}

/// Number of a clause label: `（一）` or `(一)` → 1.
pub fn clause_number(label: &str) -> Option<u32> {
    let inner = label
        .trim()
        .trim_start_matches(['（', '('])
        .trim_end_matches(['）', ')']);
    chinese_number(inner.trim())
}

/// Number of an item label: `1.` / `1、` / `1．` → 1.
pub fn item_number(label: &str) -> Option<u32> {
    let t = label.trim();
    let end = t
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(t.len());
    t[..end].parse().ok()
}

/// Number in an article or part label: 第十九条 → 19; 一、 or 1. → 1.
pub fn label_number(label: &str, prefix: Prefix) -> Option<u32> {
    match prefix {
        Prefix::Art => label
            .strip_prefix('第')?
            .strip_suffix('条')
            .and_then(chinese_number),
        Prefix::Sec => {
            let bare = label.trim_end_matches(['、', '.', '．']);
            bare.trim()
                .parse::<u32>()
                .ok()
                .or_else(|| chinese_number(bare))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_round_trip_and_read_as_the_site_writes_them() {
        let art = Address::article(Prefix::Art, 19);
        for (a, anchor) in [
            (art, "art-19"),
            (art.para(2), "art-19-p2"),
            (art.clause(1), "art-19-1"),
            (art.clause(1).item(2), "art-19-1-2"),
            (
                Address::article(Prefix::Art, 16).para(2).item(3),
                "art-16-p2-i3",
            ),
            (
                Address::article(Prefix::Art, 5).para(2).clause(1).item(2),
                "art-5-p2-1-2",
            ),
            (Address::article(Prefix::Sec, 3), "sec-3"),
        ] {
            assert_eq!(a.anchor(), anchor);
            assert_eq!(Address::parse(anchor), Some(a), "{anchor}");
        }
        for bad in [
            "art-",
            "art-x",
            "front-1",
            "art-19-1-2-3",
            "art-19-ix",
            "art-+1",
            "ch-2",
        ] {
            assert_eq!(Address::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn units_within_units() {
        let a = |s: &str| Address::parse(s).unwrap();
        for (outer, inner) in [
            ("art-19", "art-19"),
            ("art-19", "art-19-1"),
            ("art-19", "art-19-p2-i3"),
            ("art-19-p2", "art-19-p2-1-2"),
            ("art-19-1", "art-19-1-2"),
            ("sec-1", "sec-1-i2"),
        ] {
            assert!(a(outer).contains(&a(inner)), "{outer} ⊇ {inner}");
        }
        for (outer, inner) in [
            ("art-1", "art-19"),
            ("art-19-1", "art-19"),
            ("art-19-1", "art-19-2"),
            ("art-19-p2", "art-19-1"),
            ("art-19-1-2", "art-19-1-3"),
            ("art-19", "sec-19"),
        ] {
            assert!(!a(outer).contains(&a(inner)), "{outer} ⊉ {inner}");
        }
    }

    #[test]
    fn citations_in_both_languages() {
        let words = article_words(Prefix::Art, 19, "第十九条", "", false);
        let a = Address::article(Prefix::Art, 19);
        assert_eq!(
            a.para(2).clause(1).item(2).cite_zh(&words),
            "第十九条第二款第（一）项第2目"
        );
        assert_eq!(a.clause(4).cite_en(), "Art. 19(4)");
        assert_eq!(a.para(2).item(3).cite_en(), "Art. 19 para. 2 item 3");
        let sec = article_words(Prefix::Sec, 3, "三、", "申报程序", true);
        assert_eq!(
            Address::article(Prefix::Sec, 3).cite_zh(&sec),
            "“三、申报程序”"
        );
        assert_eq!(Address::article(Prefix::Sec, 3).cite_en(), "Part 3");
        assert_eq!(
            citation_prefix("云南省国际联合实验室管理办法", Some("云科规〔2025〕12号")),
            "《云南省国际联合实验室管理办法》（云科规〔2025〕12号）"
        );
    }

    #[test]
    fn clause_item_and_article_numbers() {
        assert_eq!(clause_number("（一）"), Some(1));
        assert_eq!(clause_number("(二)"), Some(2));
        assert_eq!(clause_number("（十二）"), Some(12));
        assert_eq!(item_number("1."), Some(1));
        assert_eq!(item_number("12、"), Some(12));
        assert_eq!(item_number("x"), None);
        assert_eq!(label_number("第十九条", Prefix::Art), Some(19));
        assert_eq!(label_number("三、", Prefix::Sec), Some(3));
        assert_eq!(label_number("4.", Prefix::Sec), Some(4));
        assert_eq!(article_number("art-19-1-i2"), None);
        assert_eq!(article_number("art-19-p2-i2"), Some(19));
        assert_eq!(article_number("sec-4"), Some(4));
    }
}
