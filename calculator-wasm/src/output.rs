//! What a calculation returns: named results, display lines, warnings, notes and a trace.

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::facts::Citation;

/// Result of [`crate::run`].
#[derive(Debug, Clone, Default, Serialize)]
pub struct Output {
    /// Calculator id.
    pub calculator: String,
    /// Named values (money as `"833333.33"`, dates as `"YYYY-MM-DD"`, lists, booleans, null
    /// for "cannot tell").
    pub results: Map<String, Value>,
    /// Lines to display, each with its citation.
    pub lines: Vec<Line>,
    /// Soft rules not met, provisional dates, doubtful inputs.
    pub warnings: Vec<Message>,
    /// Silences of the measure and readings of it.
    pub notes: Vec<Message>,
    /// How each result was reached.
    pub trace: Vec<TraceStep>,
}

/// A display line.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    /// Result name it shows.
    pub result: String,
    /// Chinese label.
    pub label: String,
    /// English label.
    pub label_en: String,
    /// Value as displayed.
    pub value: String,
    /// The exact arithmetic when rounding changed the value (`2500000 × 1/3 = 833333.333…`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact: Option<String>,
    /// Where the rule comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
}

/// A warning or note.
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    /// Chinese.
    pub text: String,
    /// English.
    pub text_en: String,
    /// Rule concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
}

/// One step of the "why" trace.
#[derive(Debug, Clone, Serialize)]
pub struct TraceStep {
    /// Result name.
    pub result: String,
    /// Rule id, e.g. `civil-code-203`, `rounding-payment`.
    pub rule: String,
    /// What happened (English).
    pub text: String,
    /// What happened (Chinese), where the step has been written in both languages.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub text_zh: String,
}

/// A refused input (or a broken bundle, with `field` = `definition`, `facts` or `calendar`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputError {
    /// The input field (`members[2].age`), or the bundle part.
    pub field: String,
    /// What is wrong (English).
    pub message: String,
    /// What is wrong (Chinese).
    pub message_zh: String,
}

impl InputError {
    /// An error about an input field.
    pub fn new(
        field: impl Into<String>,
        message: impl Into<String>,
        message_zh: impl Into<String>,
    ) -> InputError {
        InputError {
            field: field.into(),
            message: message.into(),
            message_zh: message_zh.into(),
        }
    }

    /// An error in the definition or facts (a build-time bug, not the user's input).
    pub fn definition(message: impl Into<String>) -> InputError {
        let m = message.into();
        InputError {
            field: "definition".into(),
            message_zh: format!("计算器定义有误：{m}"),
            message: m,
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for InputError {}
