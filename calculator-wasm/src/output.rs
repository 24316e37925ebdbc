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
    /// Dated obligations and events, one per obligation, for a calendar.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<Event>,
}

/// A dated obligation or event, as a calendar shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    /// A stable key (result name and item), for the calendar's UID.
    pub key: String,
    /// The day, `YYYY-MM-DD`.
    pub date: String,
    /// Title in Chinese (with the amount and the year concerned, where there are).
    pub title: String,
    /// Title in English.
    pub title_en: String,
    /// What it is and why this day (Chinese).
    pub description: String,
    /// English.
    pub description_en: String,
    /// The article it rests on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
    /// Whether the day rests on holiday arrangements not yet published.
    pub provisional: bool,
}

/// A display line.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    /// Result name it shows.
    pub result: String,
    /// For a list result, which item (from 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<usize>,
    /// Chinese label.
    pub label: String,
    /// English label.
    pub label_en: String,
    /// Value as displayed in Chinese (`833,333.33 元（约 83.33 万元）`).
    pub value: String,
    /// Value as displayed in English (`CNY 833,333.33 (about 0.83 million)`).
    pub value_en: String,
    /// For a line that states an outcome, its code: `met`, `not-met`, `cannot-tell`,
    /// `payable`, `withheld`, `pending` …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The exact arithmetic when rounding changed the value (`2500000 × 1/3 = 833333.333…`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact: Option<String>,
    /// Where the rule comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
}

/// A value as shown, in both languages, with the outcome code of a line that states one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
    /// Outcome code (see [`Line::status`]).
    pub status: Option<&'static str>,
}

impl Shown {
    /// The same text in both languages (a date, a number).
    pub fn same(text: impl Into<String>) -> Shown {
        let t = text.into();
        Shown {
            zh: t.clone(),
            en: t,
            status: None,
        }
    }

    /// Chinese and English.
    pub fn two(zh: impl Into<String>, en: impl Into<String>) -> Shown {
        Shown {
            zh: zh.into(),
            en: en.into(),
            status: None,
        }
    }

    /// An amount: `833,333.33 元（约 83.33 万元）` / `CNY 833,333.33 (about 0.83 million)`.
    pub fn money(m: crate::money::Money) -> Shown {
        Shown::two(m.display_zh(), m.display_en())
    }

    /// An outcome in words (see [`status_words`]).
    pub fn status(code: &'static str) -> Shown {
        let (zh, en) = status_words(code);
        Shown {
            zh,
            en,
            status: Some(code),
        }
    }

    /// Appends text in each language.
    pub fn push(mut self, zh: &str, en: &str) -> Shown {
        self.zh.push_str(zh);
        self.en.push_str(en);
        self
    }
}

/// The words of an outcome code, Chinese and English (an unknown code: "cannot tell").
pub fn status_words(code: &str) -> (String, String) {
    match code {
        "met" => crate::w!("status_met"),
        "not-applicable" => crate::w!("status_not_applicable"),
        "met-soft" => crate::w!("status_met_soft"),
        "not-met" => crate::w!("status_not_met"),
        "payable" => crate::w!("status_payable"),
        "withheld" => crate::w!("status_withheld"),
        "pending" => crate::w!("status_pending"),
        "excluded" => crate::w!("status_excluded"),
        "excluded-in-principle" => crate::w!("status_excluded_in_principle"),
        "open" => crate::w!("status_open"),
        "yes" => crate::w!("status_yes"),
        "no" => crate::w!("status_no"),
        _ => crate::w!("status_cannot_tell"),
    }
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

/// One step of the "why" trace: a sentence in each language, and the rule it rests on.
#[derive(Debug, Clone, Serialize)]
pub struct TraceStep {
    /// Result name (for programs; never shown).
    pub result: String,
    /// Rule id, e.g. `civil-code-203`, `rounding-payment` (for programs; never shown).
    pub rule: String,
    /// What happened (English).
    pub text: String,
    /// What happened (Chinese).
    pub text_zh: String,
    /// The article of the measure the step applies, when it applies one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
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
    /// Other fields the message names (a check between two inputs).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
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
            also: Vec::new(),
        }
    }

    /// An error about an input field, in the catalogue's (Chinese, English) words.
    pub fn said(field: impl Into<String>, (zh, en): (String, String)) -> InputError {
        InputError::new(field, en, zh)
    }

    /// "is required", about the input field `field`.
    pub fn required(field: impl Into<String>) -> InputError {
        InputError::said(field, crate::w!("input_required"))
    }

    /// An error in the definition or facts (a build-time bug, not the user's input).
    pub fn definition(message: impl Into<String>) -> InputError {
        let m = message.into();
        let (message_zh, _) = crate::w!("error_definition", message = m);
        InputError {
            field: "definition".into(),
            message_zh,
            message: m,
            also: Vec::new(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for InputError {}
