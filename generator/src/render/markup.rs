//! A unit's [`Marked`] text as HTML: the words escaped, each mark an element around its words.
//! The elements' text nodes, joined, are exactly the source's words: what the site says about
//! a mark (a document not in the collection, the note on a slip) is in attributes, which the
//! theme shows beside the words (a tooltip, a badge drawn by CSS from `data-mark`), never in
//! the sentence and never copied with it.

use crate::model::marked::{Mark, Marked};

/// The edition's words for the marks, as they stand in the catalogue (not escaped).
pub(super) struct MarkWords {
    /// Tooltip of a document number that is not in the collection.
    pub(super) outside_title: String,
    /// Its badge.
    pub(super) outside_mark: String,
}

/// Appends `s` escaped for element content and quoted attribute values (`& < > " '`).
fn esc(out: &mut String, s: &str) {
    html_escape::encode_quoted_attribute_to_string(s, out);
}

/// Appends the HTML of `m`.
pub(super) fn write(out: &mut String, m: &Marked, words: &MarkWords) {
    let text = m.text.as_str();
    let mut pos = 0;
    for s in &m.spans {
        esc(out, &text[pos..s.range.start]);
        let close = match &s.mark {
            Mark::Unit(anchor) => {
                out.push_str("<a class=\"xref\" href=\"#");
                esc(out, anchor);
                out.push_str("\">");
                "</a>"
            }
            Mark::OwnDocNumber => {
                out.push_str("<span class=\"docno self\">");
                "</span>"
            }
            Mark::Measure { id, title } => {
                out.push_str("<a class=\"docno\" href=\"");
                esc(out, id);
                out.push_str(".html\" title=\"");
                esc(out, title);
                out.push_str("\">");
                "</a>"
            }
            Mark::Outside => {
                out.push_str("<span class=\"docno external\" title=\"");
                esc(out, &words.outside_title);
                out.push_str("\" data-mark=\"");
                esc(out, &words.outside_mark);
                out.push_str("\">");
                "</span>"
            }
            Mark::Sic { note, note_en } => {
                out.push_str("<span class=\"sic\" title=\"");
                esc(out, note);
                out.push_str(" / ");
                esc(out, note_en);
                out.push_str("\">");
                "</span>"
            }
        };
        esc(out, &text[s.range.clone()]);
        out.push_str(close);
        pos = s.range.end;
    }
    esc(out, &text[pos..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::marked::Span;

    #[test]
    fn marks_become_elements_and_the_text_nodes_stay_the_source() {
        let text = "<b>见第十九条和教技〔2014〕3号";
        let at = |w: &str| {
            let i = text.find(w).unwrap();
            i..i + w.len()
        };
        let m = Marked {
            text: text.into(),
            spans: vec![
                Span {
                    range: at("第十九条"),
                    mark: Mark::Unit("art-19".into()),
                },
                Span {
                    range: at("教技〔2014〕3号"),
                    mark: Mark::Outside,
                },
            ],
        };
        let words = MarkWords {
            outside_title: "本合集未收录该文件".into(),
            outside_mark: "未收录".into(),
        };
        let mut html = String::new();
        write(&mut html, &m, &words);
        assert_eq!(
            html,
            "&lt;b&gt;见<a class=\"xref\" href=\"#art-19\">第十九条</a>和<span class=\"docno external\" \
             title=\"本合集未收录该文件\" data-mark=\"未收录\">教技〔2014〕3号</span>"
        );
        // Stripping the tags and unescaping gives the text back, with no word added.
        let stripped = regex_free_strip(&html);
        assert_eq!(stripped, text);
    }

    /// The text nodes of `html`, joined and unescaped (the few entities `esc` writes).
    fn regex_free_strip(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&amp;", "&")
    }
}
