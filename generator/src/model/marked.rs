//! A unit's verbatim text with what the site lays over it: references to its own articles,
//! document numbers, and the words a transcriber's note is about. The text is exactly the
//! source's and is never changed; the marks only say which byte ranges are what. `render`
//! turns a [`Marked`] into HTML, `search` and `export` read its text.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use serde::Serialize;

use crate::address::refs::{find_refs, RefKind};
use crate::address::{Address, Prefix};

/// A verbatim text and its marks, in order and never overlapping.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Marked {
    /// The source's words.
    pub text: String,
    /// What lies over parts of it.
    pub spans: Vec<Span>,
}

/// A mark over `range`, a byte range of the text on character boundaries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    /// Which bytes.
    pub range: Range<usize>,
    /// What they are.
    pub mark: Mark,
}

/// What a span of a verbatim text is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Mark {
    /// A reference to a unit of the same measure (第十九条, 第五条第（二）项), by its anchor.
    Unit(String),
    /// The measure's own document number.
    OwnDocNumber,
    /// The document number of another measure of the collection.
    Measure {
        /// Its id.
        id: String,
        /// Its short title.
        title: String,
    },
    /// A document number of a document that is not in the collection.
    Outside,
    /// Words a transcriber's note says are a slip in the original, kept as printed.
    Sic {
        /// The note, in Chinese.
        note: String,
        /// The note, in English.
        note_en: String,
    },
}

/// What marking a text needs to know about its measure and the collection.
pub struct Context<'a> {
    /// Anchors of this measure's units.
    pub anchors: &'a BTreeSet<String>,
    /// Folded document number → (measure id, short title) for measures in the collection.
    pub doc_numbers: &'a BTreeMap<String, (String, String)>,
    /// Id of the measure the text is in.
    pub this_measure: &'a str,
    /// Quotes of the typo notes on this unit, with their notes (Chinese, English).
    pub sic: &'a [(String, String, String)],
}

/// `text` with its references, document numbers and noted slips marked. Where marks would
/// overlap, the one starting first (the longer, at the same start) wins.
pub fn mark(text: &str, cx: &Context) -> Marked {
    let mut spans: Vec<Span> = Vec::new();
    for r in find_refs(text) {
        let mark = match r.kind {
            RefKind::Article { article, clause } => {
                // The clause when the measure has it, else the article, else nothing.
                let art = Address::article(Prefix::Art, article);
                let anchor = clause
                    .map(|k| art.clause(k).anchor())
                    .filter(|a| cx.anchors.contains(a))
                    .unwrap_or_else(|| art.anchor());
                if !cx.anchors.contains(&anchor) {
                    continue;
                }
                Mark::Unit(anchor)
            }
            RefKind::DocNumber(folded) => match cx.doc_numbers.get(&folded) {
                Some((id, _)) if id == cx.this_measure => Mark::OwnDocNumber,
                Some((id, title)) => Mark::Measure {
                    id: id.clone(),
                    title: title.clone(),
                },
                None => Mark::Outside,
            },
        };
        spans.push(Span {
            range: r.range,
            mark,
        });
    }
    for (quote, note, note_en) in cx.sic {
        if quote.is_empty() {
            continue;
        }
        if let Some(pos) = text.find(quote.as_str()) {
            spans.push(Span {
                range: pos..pos + quote.len(),
                mark: Mark::Sic {
                    note: note.clone(),
                    note_en: note_en.clone(),
                },
            });
        }
    }
    spans.sort_by_key(|s| (s.range.start, std::cmp::Reverse(s.range.end)));
    let mut end = 0;
    spans.retain(|s| {
        let keep = s.range.start >= end;
        if keep {
            end = s.range.end;
        }
        keep
    });
    Marked {
        text: text.to_string(),
        spans,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx<'a>(
        anchors: &'a BTreeSet<String>,
        docs: &'a BTreeMap<String, (String, String)>,
        sic: &'a [(String, String, String)],
    ) -> Context<'a> {
        Context {
            anchors,
            doc_numbers: docs,
            this_measure: "x",
            sic,
        }
    }

    #[test]
    fn references_and_document_numbers_are_marked_and_the_text_kept() {
        let anchors: BTreeSet<String> = ["art-19".to_string(), "art-5-2".to_string()].into();
        let mut docs = BTreeMap::new();
        docs.insert(
            "云科规〔2022〕2号".to_string(),
            ("old".to_string(), "旧办法".to_string()),
        );
        let text = "<b>见第十九条、第五条第（二）项和云科规〔2022〕2号及教技〔2014〕3号";
        let m = mark(text, &cx(&anchors, &docs, &[]));
        assert_eq!(m.text, text);
        let marks: Vec<(&str, &Mark)> = m
            .spans
            .iter()
            .map(|s| (&text[s.range.clone()], &s.mark))
            .collect();
        assert_eq!(
            marks,
            vec![
                ("第十九条", &Mark::Unit("art-19".into())),
                ("第五条第（二）项", &Mark::Unit("art-5-2".into())),
                (
                    "云科规〔2022〕2号",
                    &Mark::Measure {
                        id: "old".into(),
                        title: "旧办法".into()
                    }
                ),
                ("教技〔2014〕3号", &Mark::Outside),
            ]
        );
    }

    #[test]
    fn noted_slips_are_marked_and_overlaps_resolved() {
        let anchors: BTreeSet<String> = ["art-18".to_string()].into();
        let docs = BTreeMap::new();
        let sic = vec![
            (
                "前提提交".to_string(),
                "应为“前提交”".to_string(),
                "sic".to_string(),
            ),
            (
                "第十八条前提".to_string(),
                "overlaps".to_string(),
                String::new(),
            ),
        ];
        let text = "依第十八条前提提交报告";
        let m = mark(text, &cx(&anchors, &docs, &sic));
        let ranges: Vec<&str> = m.spans.iter().map(|s| &text[s.range.clone()]).collect();
        // The longer mark at the same start wins; the slip after it overlaps it and goes.
        assert_eq!(ranges, vec!["第十八条前提"]);
    }
}
