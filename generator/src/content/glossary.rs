//! Serde types for the glossary of the English edition (`content/glossary.toml`).

use serde::{Deserialize, Serialize};
use toml::Spanned;

/// The glossary: one English rendering per Chinese term.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryFile {
    /// Terms in display order.
    #[serde(rename = "term")]
    pub terms: Vec<Term>,
}

/// One term.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The Chinese term as the measures write it.
    pub zh: Spanned<String>,
    /// Its one English rendering.
    pub en: String,
    /// Renderings the English text must not use.
    #[serde(default)]
    pub avoid: Vec<String>,
    /// What the term means in these measures.
    #[serde(default)]
    pub note_en: String,
    /// May be left out of a short summary.
    #[serde(default)]
    pub optional: bool,
}
