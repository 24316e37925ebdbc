//! The engine's words: every status word, reason, note and message it produces, by key, in
//! Chinese and English. The defaults are the default theme's `engine.toml`, compiled in by
//! `build.rs` (which fails the build on a missing or unused key); a theme that overrides some
//! of them ships those in [`crate::Bundle::words`], preferred while the bundle runs.
//!
//! Code names a word with the [`w!`](crate::w) macro: the key, then the placeholders' values.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use serde::{Deserialize, Serialize};

include!(concat!(env!("OUT_DIR"), "/words_table.rs"));

/// Words that replace defaults, per language, key → template.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Words {
    /// Chinese.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub zh: BTreeMap<String, String>,
    /// English.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub en: BTreeMap<String, String>,
}

impl Words {
    /// Whether it replaces nothing.
    pub fn is_empty(&self) -> bool {
        self.zh.is_empty() && self.en.is_empty()
    }
}

/// The default words, sorted by key: (key, Chinese, English).
pub fn defaults() -> &'static [(&'static str, &'static str, &'static str)] {
    WORDS
}

/// The default (Chinese, English) of `key`, if the engine has it.
pub fn default(key: &str) -> Option<(&'static str, &'static str)> {
    WORDS
        .binary_search_by(|(k, _, _)| (*k).cmp(key))
        .ok()
        .and_then(|i| WORDS.get(i))
        .map(|(_, zh, en)| (*zh, *en))
}

thread_local! {
    // The run's overrides: one thread runs one calculation at a time (the browser has one).
    static OVERRIDES: RefCell<Words> = RefCell::new(Words::default());
}

/// Holds `words` as the overrides until dropped (then the previous ones again).
pub struct Overriding(Words);

impl Overriding {
    /// Prefers `words` to the defaults until the guard is dropped.
    pub fn new(words: &Words) -> Overriding {
        Overriding(OVERRIDES.with(|o| o.replace(words.clone())))
    }
}

impl Drop for Overriding {
    fn drop(&mut self) {
        let previous = std::mem::take(&mut self.0);
        OVERRIDES.with(|o| *o.borrow_mut() = previous);
    }
}

/// The (Chinese, English) of `key`, overrides preferred, its placeholders filled from `args`.
/// Use the [`w!`](crate::w) macro, whose keys `build.rs` checks.
pub fn pair(key: &str, args: &[(&str, &dyn fmt::Display)]) -> (String, String) {
    let (zh, en) = default(key).unwrap_or((key, key));
    OVERRIDES.with(|o| {
        let o = o.borrow();
        let zh = o.zh.get(key).map_or(zh, String::as_str);
        let en = o.en.get(key).map_or(en, String::as_str);
        (fill(zh, args), fill(en, args))
    })
}

/// `template` with each `{name}` of `args` replaced by its value, in one pass (a value is
/// never read as a template); other braces are kept as written. Values are borrowed as
/// `Display`, not turned into strings first: each use of a word stays small in the WebAssembly.
pub fn fill(template: &str, args: &[(&str, &dyn fmt::Display)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        let (before, from) = rest.split_at(i);
        out.push_str(before);
        let value = from.find('}').and_then(|end| {
            let name = from.get(1..end)?;
            let (_, v) = args.iter().find(|(n, _)| *n == name)?;
            Some((v, end))
        });
        match value {
            Some((v, end)) => {
                // Writing to a String cannot fail.
                let _ = write!(out, "{v}");
                rest = from.get(end + 1..).unwrap_or("");
            }
            None => {
                out.push('{');
                rest = from.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

/// The (Chinese, English) words of a key of `engine.toml`, placeholders filled by name:
/// `w!("status_met")`, `w!("money_amount", amount = a)` (each value by `Display`).
#[macro_export]
macro_rules! w {
    ($key:literal) => {
        $crate::words::pair($key, &[])
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::words::pair(
            $key,
            &[$((stringify!($name), &($value) as &dyn ::core::fmt::Display)),+],
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_named_placeholders_once() {
        let args: [(&str, &dyn fmt::Display); 2] = [("a", &"{b}"), ("b", &2)];
        assert_eq!(fill("{a}+{b}={c}", &args), "{b}+2={c}");
        assert_eq!(fill("no braces", &[]), "no braces");
        assert_eq!(fill("{unclosed", &args), "{unclosed");
    }

    #[test]
    fn the_table_is_sorted_so_lookups_find_every_key() {
        assert!(WORDS.windows(2).all(|p| p[0].0 < p[1].0));
        for (k, zh, en) in WORDS {
            assert_eq!(default(k), Some((*zh, *en)));
        }
    }

    #[test]
    fn overrides_are_preferred_while_held_then_dropped() {
        let (zh, en) = default("status_cannot_tell").unwrap();
        let mut words = Words::default();
        words
            .en
            .insert("status_cannot_tell".into(), "unknown".into());
        {
            let _g = Overriding::new(&words);
            assert_eq!(
                crate::w!("status_cannot_tell"),
                (zh.to_string(), "unknown".to_string())
            );
        }
        assert_eq!(
            crate::w!("status_cannot_tell"),
            (zh.to_string(), en.to_string())
        );
    }
}
