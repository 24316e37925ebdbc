//! What `atlas import` left for the author: every `# TODO` comment it wrote is reported until
//! the author has done what it asks and deleted it, so a half-completed measure is never taken
//! for a finished one.

use crate::content::{Loaded, MeasureFile};
use crate::diagnostics::{Diagnostic, Report};

/// Reports each `# TODO` comment in `l`'s file as unfinished work, at the comment.
pub(super) fn check(l: &Loaded<MeasureFile>, report: &mut Report) {
    // The offsets were found at load: a file without any is not read again.
    if l.todos().is_empty() {
        return;
    }
    let text = l.text();
    for &at in l.todos() {
        // A file changed since it was parsed may no longer have the comment there; the next
        // build reads it afresh.
        let Some(rest) = text.get(at..).filter(|r| r.starts_with('#')) else {
            continue;
        };
        let todo = rest.lines().next().unwrap_or_default().trim_end();
        report.push(
            Diagnostic::error_at(
                &l.path,
                text,
                at,
                format!("unfinished: {todo}"),
                "do what the comment asks, then delete it (atlas import marks what it could not fill from the text, and what it filled but a person must confirm)",
            )
            .warning(),
        );
    }
}
