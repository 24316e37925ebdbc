//! Diagnostics: every problem found in the content, with where it is and how to fix it.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a finding is. Errors fail `atlas check` and `atlas build`; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The content cannot be built as it is.
    Error,
    /// Worth fixing, but the site can be built.
    Warning,
}

/// One finding: `file:line:col: error: message` plus a hint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file concerned (as given to the loader, relative when possible).
    pub file: PathBuf,
    /// 1-based line, 0 when the finding concerns the whole file.
    pub line: usize,
    /// 1-based column (in characters), 0 when unknown.
    pub col: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl Diagnostic {
    /// An error at a byte offset of `text` (the file's contents).
    pub fn error_at(
        file: &Path,
        text: &str,
        offset: usize,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        let (line, col) = line_col(text, offset);
        Diagnostic {
            file: file.to_path_buf(),
            line,
            col,
            severity: Severity::Error,
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// An error about a whole file.
    pub fn file_error(file: &Path, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            line: 0,
            col: 0,
            severity: Severity::Error,
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// Turns this finding into a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Whatever the content holds (a key, a quote, a file name), nothing reaches the
        // terminal that it would act on, and one finding stays on its lines.
        let file = shown_path(&self.file);
        let message = escape_controls(&self.message);
        if self.line > 0 {
            write!(f, "{file}:{}:{}: {sev}: {message}", self.line, self.col)?;
        } else {
            write!(f, "{file}: {sev}: {message}")?;
        }
        if !self.hint.is_empty() {
            write!(f, "\n  hint: {}", escape_controls(&self.hint))?;
        }
        Ok(())
    }
}

/// Whether a terminal would act on `c` rather than show it: control characters (ESC, BEL,
/// newline, carriage return, DEL, C1) and the bidirectional embeddings, overrides and
/// isolates, which reorder what follows.
fn acts_on_terminal(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` for a terminal: each character a terminal would act on written as `\u{1b}`.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(acts_on_terminal) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if acts_on_terminal(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A path as findings print it: as it is when plain (letters, digits, `. _ - / + @ ~ ,`),
/// else in double quotes, with `"` and `\` escaped and control characters as `\u{…}`, so that
/// a space, a colon or a newline in a file name cannot blur `file:line:col`.
pub fn shown_path(path: &Path) -> Cow<'_, str> {
    let s = path.to_string_lossy();
    let plain = |c: char| {
        c.is_alphanumeric() || "._-/+@~,".contains(c) || (cfg!(windows) && "\\:".contains(c))
    };
    if !s.is_empty() && s.chars().all(plain) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if acts_on_terminal(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    Cow::Owned(out)
}

/// 1-based line and column (counted in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..offset].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// All findings of a run, in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Report {
    /// The findings.
    pub items: Vec<Diagnostic>,
}

impl Report {
    /// Adds a finding.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// True when any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Sorts by file, line and column so output is deterministic.
    pub fn sort(&mut self) {
        self.items.sort();
        self.items.dedup();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key or file name carrying ESC, BEL or a newline prints as text on the finding's own
    /// line: nothing a terminal would act on (retitle, clear, a new line) gets through.
    #[test]
    fn control_characters_are_escaped_and_unusual_names_quoted() {
        let d = Diagnostic::error_at(
            Path::new("content/measures/a\nb\u{1b}]0;owned\u{7}.toml"),
            "x",
            0,
            "unknown field `\u{1b}[2J\u{7}`",
            "remove \u{202e}it",
        );
        let shown = d.to_string();
        assert_eq!(
            shown,
            "\"content/measures/a\\u{a}b\\u{1b}]0;owned\\u{7}.toml\":1:1: error: unknown field `\\u{1b}[2J\\u{7}`\n  hint: remove \\u{202e}it"
        );
        assert!(!shown.chars().any(|c| c != '\n' && acts_on_terminal(c)));
        assert_eq!(shown.lines().count(), 2);
        // Plain names stay as they are, Chinese ones too; a space, a colon or a quote is quoted.
        assert_eq!(
            shown_path(Path::new("content/measures/yunnan-ijl-2025.toml")),
            "content/measures/yunnan-ijl-2025.toml"
        );
        assert_eq!(
            shown_path(Path::new("content/sources/云南.txt")),
            "content/sources/云南.txt"
        );
        assert_eq!(
            shown_path(Path::new("my content/a:1.toml")),
            "\"my content/a:1.toml\""
        );
        assert_eq!(shown_path(Path::new("a\"b\\c")), "\"a\\\"b\\\\c\"");
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let t = "ab\n云南x";
        // offset of 'x' is 3 (line 2) + 3 bytes for 云 + 3 for 南
        assert_eq!(line_col(t, 3 + 6), (2, 3));
        assert_eq!(line_col(t, 0), (1, 1));
    }
}
