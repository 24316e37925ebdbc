//! The library's error type: what can stop a check, a build or a bundle. Findings in the
//! content are not errors of this kind but [`crate::diagnostics::Diagnostic`]s, collected in a
//! report; [`Error::Content`] says that there were some.

use std::path::PathBuf;

use crate::diagnostics::{Diagnostic, Severity};

/// Why a command could not do its work. Its message is one line, for `atlas <command>: error:`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The content has errors; each is a diagnostic with its position and a hint.
    #[error("content has {} error(s)", .0.iter().filter(|d| d.severity == Severity::Error).count())]
    Content(Vec<Diagnostic>),
    /// The theme's UI catalogue is missing, unreadable or incomplete (see the diagnostics).
    #[error("the theme's UI catalogue has errors")]
    Catalogue(Vec<Diagnostic>),
    /// An option's value cannot be used.
    #[error("{0}")]
    Option(String),
    /// A template failed, a theme file is missing, or a file could not be stored.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The output directory cannot be used, or writing into it failed.
    #[error("{0}")]
    Output(String),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A newer build took over (`atlas serve`).
    #[error("superseded by a newer build")]
    Superseded,
}

impl Error {
    /// The diagnostics behind a content or catalogue error (none for the others).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Content(d) | Error::Catalogue(d) => d,
            _ => &[],
        }
    }
}

/// A template failed, a theme file is missing, or a rendered file could not be stored: the
/// message names the file.
#[derive(Debug)]
pub struct RenderError(pub String);

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RenderError {}

/// The library's results.
pub type Result<T, E = Error> = std::result::Result<T, E>;
