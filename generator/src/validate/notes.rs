//! Transcribers' notes (errata, facts) are Markdown, rendered and then cleaned by an HTML
//! parser whose time grows with the square of the nesting depth (30,000 nested list markers
//! took 26 s). A note may nest at most [`MAX_NESTING`] levels; `atlas check` reports a deeper
//! one with its position, and the renderer shows such a note as plain text even when no check
//! ran before it.

use pulldown_cmark::{Event, Options, Parser, Tag};
use serde::Deserialize;
use toml::Spanned;

use crate::content::{Loaded, MeasureFile};
use crate::diagnostics::{Diagnostic, Report};

/// The deepest nesting a note may have: lists (a list with its item counts once), quotes,
/// emphasis, links, headings and HTML elements written in the note, each a level.
pub const MAX_NESTING: usize = 32;

/// The Markdown extensions notes are read with (the renderer uses the same).
pub const MARKDOWN: Options = Options::ENABLE_STRIKETHROUGH;

/// Where `markdown` first nests deeper than [`MAX_NESTING`]: the byte offset in it, or `None`.
/// Linear in the note's length: it stops at the first level too many.
pub fn too_deep(markdown: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(markdown, MARKDOWN).into_offset_iter() {
        match event {
            // The item is part of its list's level.
            Event::Start(Tag::Item) | Event::End(pulldown_cmark::TagEnd::Item) => {}
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Html(h) | Event::InlineHtml(h) => {
                if let Some(at) = html_depth(&h, &mut depth) {
                    return Some(range.start + at.min(range.len()));
                }
            }
            _ => {}
        }
        if depth > MAX_NESTING {
            return Some(range.start);
        }
    }
    None
}

/// Elements that never take content, so never nest.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Follows the elements opened and closed by raw HTML `h` from `depth`; the offset in `h` of the
/// first tag that nests deeper than [`MAX_NESTING`].
fn html_depth(h: &str, depth: &mut usize) -> Option<usize> {
    let b = h.as_bytes();
    let mut i = 0;
    while let Some(lt) = h[i..].find('<').map(|p| p + i) {
        i = lt + 1;
        match b.get(i) {
            Some(b'/') => *depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let name: String = h[i..]
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .map(|c| c.to_ascii_lowercase())
                    .collect();
                let end = h[i..].find('>').map_or(h.len(), |p| p + i);
                let self_closing = h[..end].ends_with('/');
                if !VOID.contains(&name.as_str()) && !self_closing {
                    *depth += 1;
                    if *depth > MAX_NESTING {
                        return Some(lt);
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// The notes of a measure file with their positions (read again only when a note is too deep).
#[derive(Deserialize)]
struct Positions {
    #[serde(default)]
    erratum: Vec<NotesAt>,
    #[serde(default)]
    fact: Vec<NotesAt>,
}

#[derive(Deserialize)]
struct NotesAt {
    note: Option<Spanned<String>>,
    note_en: Option<Spanned<String>>,
}

/// Reports every note of `l` nested deeper than [`MAX_NESTING`], at the note.
pub(super) fn check(l: &Loaded<MeasureFile>, report: &mut Report) {
    let m = &l.value;
    // (table, index, key, note)
    let mut deep: Vec<(&str, usize, &str, usize)> = Vec::new();
    for (i, e) in m.errata.iter().enumerate() {
        for (key, note) in [("note", &e.note), ("note_en", &e.note_en)] {
            if let Some(at) = too_deep(note) {
                deep.push(("erratum", i, key, at));
            }
        }
    }
    for (i, f) in m.facts.iter().enumerate() {
        for (key, note) in [("note", &f.note), ("note_en", &f.note_en)] {
            if let Some(at) = note.as_deref().and_then(too_deep) {
                deep.push(("fact", i, key, at));
            }
        }
    }
    if deep.is_empty() {
        return;
    }
    let text = l.text();
    let positions = toml::from_str::<Positions>(text).ok();
    for (table, i, key, at) in deep {
        let span = positions.as_ref().and_then(|p| {
            let list = if table == "erratum" {
                &p.erratum
            } else {
                &p.fact
            };
            let n = list.get(i)?;
            if key == "note" {
                n.note.as_ref()
            } else {
                n.note_en.as_ref()
            }
            .map(Spanned::span)
        });
        report.push(Diagnostic::error_at(
            &l.path,
            text,
            span.map_or(0, |s| s.start),
            format!(
                "{key} of [[{table}]] {} nests deeper than {MAX_NESTING} levels (at byte {at} of the note)",
                i + 1
            ),
            "a note is a short remark: flatten its lists, quotes and emphasis",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_is_counted_in_lists_quotes_emphasis_and_html() {
        let list = |n: usize| format!("{}x", "- ".repeat(n));
        assert_eq!(too_deep(&list(MAX_NESTING)), None);
        // The 33rd list marker opens the level too many.
        assert_eq!(too_deep(&list(MAX_NESTING + 1)), Some(2 * MAX_NESTING));
        let quote = |n: usize| format!("{}x", "> ".repeat(n));
        // The innermost quote holds a paragraph, a level of its own.
        assert_eq!(too_deep(&quote(MAX_NESTING - 1)), None);
        assert_eq!(too_deep(&quote(MAX_NESTING)), Some(2 * MAX_NESTING));
        let html = |n: usize| format!("{}x", "<span>".repeat(n));
        // Inside the paragraph (one level) 31 elements fit.
        assert_eq!(too_deep(&html(MAX_NESTING - 1)), None);
        assert_eq!(too_deep(&html(MAX_NESTING)), Some(6 * (MAX_NESTING - 1)));
        // Closed elements, void and self-closing ones do not add up.
        assert_eq!(too_deep(&"<b>x</b>".repeat(100)), None);
        assert_eq!(too_deep(&"<br>".repeat(100)), None);
        assert_eq!(too_deep(&"<i/>".repeat(100)), None);
        let emphasis = |n: usize| format!("{}x{}", "*a ".repeat(n), " a*".repeat(n));
        assert_eq!(too_deep(&emphasis(20)), None);
        assert!(too_deep(&emphasis(40)).is_some());
        // 100,000 levels: refused at the 33rd, at once.
        for (deep, at) in [
            (list(100_000), 2 * MAX_NESTING),
            (quote(100_000), 2 * MAX_NESTING),
            (html(100_000), 6 * (MAX_NESTING - 1)),
        ] {
            let t = std::time::Instant::now();
            assert_eq!(too_deep(&deep), Some(at));
            assert!(
                t.elapsed() < std::time::Duration::from_secs(1),
                "{:?}",
                t.elapsed()
            );
        }
        // Ordinary notes pass.
        assert_eq!(
            too_deep("应为 *前提交*；见 [第十九条](#art-19)\n\n- a\n- b"),
            None
        );
    }
}
