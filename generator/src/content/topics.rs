//! Serde types for the topic taxonomy (`content/topics.toml`).

use serde::Deserialize;
use toml::Spanned;

/// The whole taxonomy: groups and the topics in them.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicsFile {
    /// Groups in display order.
    #[serde(rename = "group")]
    pub groups: Vec<TopicGroup>,
    /// Topics in display order.
    #[serde(rename = "topic")]
    pub topics: Vec<Topic>,
}

/// A group of topics (eligibility, money …).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicGroup {
    /// Stable id, e.g. `eligibility`.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
}

/// A topic the measures may regulate.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    /// Stable id, also the page slug, e.g. `staffing-minimums`.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Group id.
    #[schemars(with = "String")]
    pub group: Spanned<String>,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
    /// One-line Chinese description.
    #[serde(default)]
    pub description: String,
    /// One-line English description.
    #[serde(default)]
    pub description_en: String,
}
