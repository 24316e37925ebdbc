//! Turning a unit's verbatim text into safe HTML: escaping, links for references, and marks
//! for words an erratum is about. The text itself is never changed.

use std::collections::BTreeMap;

use crate::address::refs::{find_refs, RefKind};
use crate::address::{Address, Prefix};

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_into(&mut out, s);
    out
}

/// Appends `s` escaped to `out`, copying the runs between special characters whole.
fn escape_into(out: &mut String, s: &str) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // The special characters are ASCII, so `i` is a character boundary.
        out.push_str(&s[start..i]);
        out.push_str(rep);
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// What the text renderer needs to know about the rest of the collection.
pub struct LinkContext<'a> {
    /// Anchors of this measure's units.
    pub anchors: &'a std::collections::BTreeSet<String>,
    /// Folded document number → (measure id, short title) for measures in the collection.
    pub doc_numbers: &'a BTreeMap<String, (String, String)>,
    /// Id of the measure being rendered.
    pub this_measure: &'a str,
    /// Prefix of links to other measure pages relative to the current page (e.g. `""` or `measures/`).
    pub measure_href_prefix: &'a str,
    /// Quotes of errata on this unit, with their notes (marked as [sic]).
    pub sic: &'a [(String, String)],
}

/// A piece of markup laid over a byte range of the text.
struct Mark {
    start: usize,
    end: usize,
    open: String,
    close: &'static str,
}

/// Renders `text` to HTML with reference links and erratum marks.
pub fn render_text(text: &str, cx: &LinkContext) -> String {
    let mut marks: Vec<Mark> = Vec::new();
    for r in find_refs(text) {
        match r.kind {
            RefKind::Article { article, clause } => {
                // The clause when the measure has it, else the article.
                let art = Address::article(Prefix::Art, article);
                let anchor = clause.map(|k| art.clause(k).anchor()).filter(|a| cx.anchors.contains(a)).unwrap_or_else(|| art.anchor());
                if cx.anchors.contains(&anchor) {
                    marks.push(Mark { start: r.range.start, end: r.range.end, open: format!("<a class=\"xref\" href=\"#{anchor}\">"), close: "</a>" });
                }
            }
            RefKind::DocNumber(folded) => match cx.doc_numbers.get(&folded) {
                Some((id, title)) if id == cx.this_measure => {
                    marks.push(Mark { start: r.range.start, end: r.range.end, open: "<span class=\"docno self\">".into(), close: "</span>" });
                    let _ = title;
                }
                Some((id, title)) => marks.push(Mark {
                    start: r.range.start,
                    end: r.range.end,
                    open: format!("<a class=\"docno\" href=\"{}{}.html\" title=\"{}\">", cx.measure_href_prefix, escape(id), escape(title)),
                    close: "</a>",
                }),
                None => marks.push(Mark {
                    start: r.range.start,
                    end: r.range.end,
                    open: "<span class=\"docno external\" title=\"不在本合集中 · not in this collection\">".into(),
                    close: "<span class=\"not-in-collection\">（未收录）</span></span>",
                }),
            },
        }
    }
    for (quote, note) in cx.sic {
        if quote.is_empty() {
            continue;
        }
        if let Some(pos) = text.find(quote.as_str()) {
            marks.push(Mark {
                start: pos,
                end: pos + quote.len(),
                open: format!("<span class=\"sic\" title=\"{}\">", escape(note)),
                close: "</span>",
            });
        }
    }
    marks.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let mut out = String::with_capacity(text.len() + 64 * marks.len());
    let mut pos = 0;
    for m in marks {
        if m.start < pos {
            continue; // overlapping marks: the first one wins
        }
        escape_into(&mut out, &text[pos..m.start]);
        out.push_str(&m.open);
        escape_into(&mut out, &text[m.start..m.end]);
        out.push_str(m.close);
        pos = m.end;
    }
    escape_into(&mut out, &text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn escapes_and_links() {
        let anchors: BTreeSet<String> = ["art-19".to_string(), "art-5-2".to_string()].into();
        let mut docs = BTreeMap::new();
        docs.insert(
            "云科规〔2022〕2号".to_string(),
            ("old".to_string(), "旧办法".to_string()),
        );
        let cx = LinkContext {
            anchors: &anchors,
            doc_numbers: &docs,
            this_measure: "x",
            measure_href_prefix: "",
            sic: &[],
        };
        let html = render_text(
            "<b>见第十九条、第五条第（二）项和云科规〔2022〕2号及教技〔2014〕3号",
            &cx,
        );
        assert!(html.starts_with("&lt;b&gt;见<a class=\"xref\" href=\"#art-19\">第十九条</a>"));
        assert!(html.contains("href=\"#art-5-2\">第五条第（二）项</a>"));
        assert!(html.contains("href=\"old.html\""));
        assert!(html.contains("docno external"));
    }

    #[test]
    fn marks_sic_words() {
        let anchors = BTreeSet::new();
        let docs = BTreeMap::new();
        let sic = vec![("前提提交".to_string(), "应为“前提交”".to_string())];
        let cx = LinkContext {
            anchors: &anchors,
            doc_numbers: &docs,
            this_measure: "x",
            measure_href_prefix: "",
            sic: &sic,
        };
        let html = render_text("于每年 1 月 31 日前提提交上一年度报告", &cx);
        assert!(html.contains("<span class=\"sic\" title=\"应为“前提交”\">前提提交</span>"));
    }
}
