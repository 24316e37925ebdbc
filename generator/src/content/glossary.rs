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
    /// Other Chinese wordings a reader may search for this term with (年报 and 年度执行情况报告
    /// for 年度报告): the search treats them, `zh`, `en` and [`Term::search_en`] as one.
    #[serde(default)]
    pub search_zh: Vec<Spanned<String>>,
    /// Other English words for the term (matching funds, co-funding for 自筹).
    #[serde(default)]
    pub search_en: Vec<Spanned<String>>,
}

impl Term {
    /// Every wording the search treats as this term: `zh`, the other Chinese wordings, `en`,
    /// the other English words, in that order.
    pub fn search_words(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.zh.get_ref().as_str())
            .chain(self.search_zh.iter().map(|s| s.get_ref().as_str()))
            .chain(std::iter::once(self.en.as_str()))
            .chain(self.search_en.iter().map(|s| s.get_ref().as_str()))
    }
}
