//! Finding references inside a measure's text: its own articles ("第十九条", "本办法第十九条",
//! "第五条第（二）项", "第十九、二十条") and document numbers ("云科规〔2022〕2号").

use std::ops::Range;

use crate::text::{chinese_number, fold};

/// A reference found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefKind {
    /// An article of the same measure, optionally one of its clauses.
    Article {
        /// Article number.
        article: u32,
        /// Clause number (第（二）项), if given.
        clause: Option<u32>,
    },
    /// A document number, folded for comparison (`云科规〔2022〕2号`).
    DocNumber(String),
}

/// A reference and the byte range of its words in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    /// Byte range in the scanned text.
    pub range: Range<usize>,
    /// What it refers to.
    pub kind: RefKind,
}

fn is_numeral(c: char) -> bool {
    matches!(
        c,
        '零' | '〇'
            | '一'
            | '二'
            | '两'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
    )
}

/// Is `c` a CJK ideograph (the letters of a document-number prefix such as 云科规)?
fn is_han(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF)
}

/// Every reference in `text`, in order. References to articles of *another* document
/// (directly after a 《title》 or its （文号）) are not returned.
pub fn find_refs(text: &str) -> Vec<Ref> {
    // Every reference starts at a 第 or has a 〔; most texts have neither.
    if !text.contains('第') && !text.contains('〔') {
        return Vec::new();
    }
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if c == '第' {
            if let Some((refs, next)) = article_ref_at(text, &chars, i) {
                if !follows_other_document(&text[..pos]) {
                    out.extend(refs);
                }
                i = next;
                continue;
            }
        } else if c == '〔' {
            if let Some((r, next)) = doc_number_at(text, &chars, i) {
                out.push(r);
                i = next;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// True when the words just before a reference name another document: `…》第五条`, `…》（文号）第五条`.
fn follows_other_document(before: &str) -> bool {
    let t = before.trim_end();
    t.ends_with('》')
        || (t.ends_with(['）', ')'])
            && t.contains('》')
            && t.rfind('》') > t.rfind(['。', '；', '，']))
}

fn read_numeral(chars: &[(usize, char)], mut j: usize) -> Option<(u32, usize)> {
    let start = j;
    while j < chars.len() && is_numeral(chars[j].1) {
        j += 1;
    }
    if j == start {
        return None;
    }
    let s: String = chars[start..j].iter().map(|(_, c)| c).collect();
    chinese_number(&s).map(|n| (n, j))
}

/// `第十九条`, `第十九、二十条`, `第五条第（二）项` starting at index `i` (the 第).
fn article_ref_at(text: &str, chars: &[(usize, char)], i: usize) -> Option<(Vec<Ref>, usize)> {
    let mut numbers = Vec::new();
    let (n, mut j) = read_numeral(chars, i + 1)?;
    numbers.push(n);
    while j < chars.len() && chars[j].1 == '、' {
        let (n2, j2) = read_numeral(chars, j + 1)?;
        numbers.push(n2);
        j = j2;
    }
    if j >= chars.len() || chars[j].1 != '条' {
        return None;
    }
    j += 1;
    let mut end = byte_at(text, chars, j);
    let mut clause = None;
    // Optional 第（二）项 / 第(二)项.
    if numbers.len() == 1
        && j + 1 < chars.len()
        && chars[j].1 == '第'
        && matches!(chars[j + 1].1, '（' | '(')
    {
        if let Some((k, k_end)) = read_numeral(chars, j + 2) {
            if k_end + 1 < chars.len()
                && matches!(chars[k_end].1, '）' | ')')
                && chars[k_end + 1].1 == '项'
            {
                clause = Some(k);
                j = k_end + 2;
                end = byte_at(text, chars, j);
            }
        }
    }
    let start = chars[i].0;
    let refs = numbers
        .into_iter()
        .map(|article| Ref {
            range: start..end,
            kind: RefKind::Article { article, clause },
        })
        .collect();
    Some((refs, j))
}

fn byte_at(text: &str, chars: &[(usize, char)], j: usize) -> usize {
    chars.get(j).map_or(text.len(), |(p, _)| *p)
}

/// `云科规〔2022〕2号` around the 〔 at index `i`.
fn doc_number_at(text: &str, chars: &[(usize, char)], i: usize) -> Option<(Ref, usize)> {
    // Prefix: up to 6 ideographs right before the bracket.
    let mut s = i;
    // Function words end the prefix: "…和云科规〔2022〕2号" has the prefix 云科规.
    const STOP: &[char] = &[
        '和', '与', '及', '或', '的', '为', '在', '于', '按', '照', '据', '见', '经', '将',
    ];
    while s > 0 && i - s < 6 && is_han(chars[s - 1].1) && !STOP.contains(&chars[s - 1].1) {
        s -= 1;
    }
    if s == i {
        return None;
    }
    let mut j = i + 1;
    let year_start = j;
    while j < chars.len() && chars[j].1.is_ascii_digit() {
        j += 1;
    }
    if j - year_start != 4 || j >= chars.len() || chars[j].1 != '〕' {
        return None;
    }
    j += 1;
    while j < chars.len() && chars[j].1 == ' ' {
        j += 1;
    }
    let num_start = j;
    while j < chars.len() && chars[j].1.is_ascii_digit() {
        j += 1;
    }
    if j == num_start {
        return None;
    }
    while j < chars.len() && chars[j].1 == ' ' {
        j += 1;
    }
    if j >= chars.len() || chars[j].1 != '号' {
        return None;
    }
    j += 1;
    let range = chars[s].0..byte_at(text, chars, j);
    let folded = fold(&text[range.clone()]);
    Some((
        Ref {
            range,
            kind: RefKind::DocNumber(folded),
        },
        j,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(t: &str) -> Vec<RefKind> {
        find_refs(t).into_iter().map(|r| r.kind).collect()
    }

    #[test]
    fn finds_article_references() {
        assert_eq!(
            kinds("按照本办法第十九条执行"),
            vec![RefKind::Article {
                article: 19,
                clause: None
            }]
        );
        assert_eq!(
            kinds("依第五条第（二）项"),
            vec![RefKind::Article {
                article: 5,
                clause: Some(2)
            }]
        );
        assert_eq!(
            kinds("依第十九、二十条拨付"),
            vec![
                RefKind::Article {
                    article: 19,
                    clause: None
                },
                RefKind::Article {
                    article: 20,
                    clause: None
                }
            ]
        );
    }

    #[test]
    fn range_covers_the_words() {
        let t = "见第五条第(二)项。";
        let r = &find_refs(t)[0];
        assert_eq!(&t[r.range.clone()], "第五条第(二)项");
    }

    #[test]
    fn ignores_other_documents_and_non_articles() {
        assert!(kinds("依照《某某办法》第五条").is_empty());
        assert!(kinds("依照《某某办法》（某发〔2020〕1号）第五条").len() == 1); // only the doc number
        assert!(kinds("第18次厅务会").is_empty());
        assert!(kinds("第一章").is_empty());
    }

    #[test]
    fn finds_document_numbers() {
        assert_eq!(
            kinds("《原方案》（浙科发外〔2022〕23 号）废止"),
            vec![RefKind::DocNumber("浙科发外〔2022〕23号".into())]
        );
        assert_eq!(
            kinds("云科规〔2025〕12号"),
            vec![RefKind::DocNumber("云科规〔2025〕12号".into())]
        );
        assert!(kinds("〔2022〕2号").is_empty());
    }
}
