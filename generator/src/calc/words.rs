//! The words calc hands on, read from the theme by the site and passed to [`super::collect`],
//! so that calc makes no words of its own: the labels of the facts the generator makes for the
//! engine from a measure's own dates (its entry into force, call, expiry and repeal; keys
//! `status_fact_*` of `i18n.toml`), and the engine's words a theme's `engine.toml` changes.

use std::collections::BTreeMap;

/// One label in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

/// The labels of the status facts, and the engine's words that differ from its defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalcWords {
    /// The measure's entry into force.
    pub in_force: Label,
    /// The day its call closes.
    pub call_closes: Label,
    /// The day it expires.
    pub expires: Label,
    /// The day it is repealed.
    pub repealed: Label,
    /// The theme's engine words that differ from the engine's (none for the built-in theme),
    /// for the calculators' bundles.
    pub engine: calculator_wasm::words::Words,
}

/// The catalogue keys the labels are read from, in field order.
const KEYS: [&str; 4] = [
    "status_fact_in_force",
    "status_fact_call_closes",
    "status_fact_expires",
    "status_fact_repealed",
];

impl CalcWords {
    /// The labels in a catalogue's two tables, or the keys missing (`[zh] status_fact_expires`,
    /// …); the engine's words are its defaults.
    pub fn from_catalogue(
        zh: &BTreeMap<String, String>,
        en: &BTreeMap<String, String>,
    ) -> Result<CalcWords, Vec<String>> {
        let mut missing = Vec::new();
        let [in_force, call_closes, expires, repealed] = KEYS.map(|k| {
            let mut get = |t: &BTreeMap<String, String>, lang: &str| {
                t.get(k).cloned().unwrap_or_else(|| {
                    missing.push(format!("[{lang}] {k}"));
                    String::new()
                })
            };
            Label {
                zh: get(zh, "zh"),
                en: get(en, "en"),
            }
        });
        if missing.is_empty() {
            Ok(CalcWords {
                in_force,
                call_closes,
                expires,
                repealed,
                engine: calculator_wasm::words::Words::default(),
            })
        } else {
            Err(missing)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_come_from_the_catalogue_and_missing_keys_are_named() {
        let table = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let all: Vec<(&str, &str)> = KEYS.iter().map(|k| (*k, *k)).collect();
        let mut en = table(&all);
        en.insert("status_fact_expires".into(), "Lapses".into());
        let w = CalcWords::from_catalogue(&table(&all), &en).unwrap();
        assert_eq!(w.expires.en, "Lapses");
        assert_eq!(w.expires.zh, "status_fact_expires");
        let missing = CalcWords::from_catalogue(&table(&all[1..]), &en).unwrap_err();
        assert_eq!(missing, vec!["[zh] status_fact_in_force".to_string()]);
    }
}
