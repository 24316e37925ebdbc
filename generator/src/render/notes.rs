//! Transcribers' and analysts' notes are Markdown: rendered with pulldown-cmark, then cleaned
//! with ammonia so that whatever a note contains, only inert formatting reaches the page.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use pulldown_cmark::{html, Parser};
use rayon::prelude::*;

/// Notes rendered so far, by their Markdown: many measures share notes, and rendering and
/// cleaning is the dearest part of a note. Shared by the Rust-written parts and the templates'
/// `markdown` filter; kept with the compiled theme.
#[derive(Default)]
pub(crate) struct Notes(RwLock<HashMap<String, Arc<str>>>);

impl Notes {
    /// The HTML of `markdown`.
    pub(crate) fn html(&self, markdown: &str) -> Arc<str> {
        if let Some(h) = self
            .0
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(markdown)
        {
            return Arc::clone(h);
        }
        let h: Arc<str> = note_html(markdown).into();
        self.0
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(markdown.to_string(), Arc::clone(&h));
        h
    }

    /// Renders, on every core, those of `notes` not rendered yet.
    pub(crate) fn prepare<'a>(&self, notes: impl Iterator<Item = &'a str>) {
        let missing: std::collections::HashSet<&str> = {
            let known = self.0.read().unwrap_or_else(|p| p.into_inner());
            notes.filter(|n| !known.contains_key(*n)).collect()
        };
        let done: Vec<(String, Arc<str>)> = missing
            .into_par_iter()
            .map(|n| (n.to_string(), note_html(n).into()))
            .collect();
        self.0
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .extend(done);
    }
}

/// `{{ note | markdown | safe }}`: a note's HTML in a template; in the English edition (the
/// flag) with the Chinese it quotes marked (see [`super::lang`]).
pub(crate) struct Filter(pub(crate) Arc<Notes>, pub(crate) bool);

impl tera::Filter for Filter {
    fn filter(
        &self,
        value: &tera::Value,
        _: &HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        let markdown = value
            .as_str()
            .ok_or_else(|| tera::Error::msg("markdown needs a string"))?;
        let html = self.0.html(markdown);
        Ok(tera::Value::String(if self.1 {
            super::lang::html(&html)
        } else {
            html.to_string()
        }))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// Inline-level HTML of a note: Markdown rendered, sanitised, the wrapping paragraph removed.
/// A note nested too deeply to be cleaned in bounded time (`atlas check` refuses it) is shown
/// as its plain text.
pub(super) fn note_html(markdown: &str) -> String {
    if markdown.trim().is_empty() {
        return String::new();
    }
    if crate::validate::notes::too_deep(markdown).is_some() {
        return html_escape::encode_safe(markdown).into_owned();
    }
    let mut raw = String::with_capacity(markdown.len() + 16);
    html::push_html(
        &mut raw,
        Parser::new_ext(markdown, crate::validate::notes::MARKDOWN),
    );
    let clean = ammonia::Builder::default()
        // Notes are short remarks: emphasis, code, links and line breaks are all they need.
        .tags(
            ["em", "strong", "code", "a", "br", "p", "del"]
                .into_iter()
                .collect(),
        )
        .url_schemes(["https", "http"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&raw)
        .to_string();
    let trimmed = clean.trim();
    // A single paragraph is shown inline beside the text.
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_rendered() {
        assert_eq!(note_html("应为 *前提交*"), "应为 <em>前提交</em>");
        assert_eq!(
            note_html("`[bookmark: _GoBack]`"),
            "<code>[bookmark: _GoBack]</code>"
        );
    }

    /// 100,000 nested list markers (26 s at 30,000 before) or elements: shown as text, at once.
    #[test]
    fn deep_notes_are_shown_as_text_at_once() {
        for deep in [
            format!("{}x", "- ".repeat(100_000)),
            format!("{}x", "> ".repeat(100_000)),
            format!("{}x", "<em>".repeat(100_000)),
            format!("{}x{}", "*a ".repeat(50_000), " a*".repeat(50_000)),
        ] {
            let t = std::time::Instant::now();
            let out = note_html(&deep);
            assert!(
                t.elapsed() < std::time::Duration::from_secs(1),
                "{:?}",
                t.elapsed()
            );
            // Plain text: every `<` escaped, the words all there.
            assert!(
                !out.contains('<') && out.len() >= deep.len(),
                "{}",
                &out[..80]
            );
        }
    }

    #[test]
    fn script_and_handlers_are_removed() {
        for hostile in [
            "<script>alert(1)</script>x",
            "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "</textarea><script>alert(1)</script>",
            "<a href=\"https://example.org\" onclick=\"alert(1)\">x</a>",
        ] {
            let out = note_html(hostile);
            for bad in [
                "<script",
                "onerror",
                "javascript:",
                "onclick",
                "<img",
                "</textarea",
            ] {
                assert!(!out.to_lowercase().contains(bad), "{hostile} → {out}");
            }
        }
    }
}
