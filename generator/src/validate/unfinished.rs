//! What `atlas import` left for the author: every `# TODO` comment it wrote is reported until
//! the author has done what it asks and deleted it, so a half-completed measure is never taken
//! for a finished one.

use crate::content::{Loaded, MeasureFile};
use crate::diagnostics::{Diagnostic, Report};

/// Reports each `# TODO` comment in `l`'s file as unfinished work, at the comment.
pub(super) fn check(l: &Loaded<MeasureFile>, report: &mut Report) {
    let text = l.text();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if let Some(at) = todo_comment(line) {
            let todo = line[at..].trim_end();
            report.push(
                Diagnostic::error_at(
                    &l.path,
                    text,
                    start + at,
                    format!("unfinished: {todo}"),
                    "do what the comment asks, then delete it (atlas import marks what it could not fill from the text, and what it filled but a person must confirm)",
                )
                .warning(),
            );
        }
        start += line.len();
    }
}

/// Where a `# TODO` comment starts in `line`: a `#` outside a string followed by `TODO`.
fn todo_comment(line: &str) -> Option<usize> {
    let (mut basic, mut literal, mut escaped) = (false, false, false);
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if basic => escaped = true,
            '"' if !literal => basic = !basic,
            '\'' if !basic => literal = !literal,
            '#' if !basic && !literal => {
                let rest = line[i + 1..].trim_start();
                return rest.starts_with("TODO").then_some(i);
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::todo_comment;

    #[test]
    fn only_comments_are_todos() {
        assert_eq!(todo_comment("id = \"\"  # TODO: the file stem"), Some(9));
        assert_eq!(todo_comment("# TODO: complete every key"), Some(0));
        assert_eq!(todo_comment("text = \"# TODO is in the text\""), None);
        assert_eq!(todo_comment("text = 'a # TODO'"), None);
        assert_eq!(todo_comment("text = \"say \\\"#\\\" # TODO\""), None);
        assert_eq!(todo_comment("title = \"x\" # checked"), None);
    }
}
