//! The UI string catalogue (`themes/default/i18n.toml`): one table per language, same keys.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Report};

/// UI strings by language, then key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// Chinese strings.
    pub zh: BTreeMap<String, String>,
    /// English strings.
    pub en: BTreeMap<String, String>,
}

/// Loads the catalogue — the built-in theme's, with each key `theme/i18n.toml` gives (when
/// there is one) in place of its own — and reports keys missing in either language.
pub fn load(theme: &Path, report: &mut Report) -> Option<Catalogue> {
    let (path, text, _) = theme_text(theme, "i18n.toml", report)??;
    let loaded = match crate::content::parse_str::<Catalogue>(&path, &text) {
        Ok(value) => crate::content::Loaded::new(path.clone(), text, value),
        Err(d) => {
            report.push(d);
            return None;
        }
    };
    let mut loaded = loaded;
    if !path.starts_with(super::theme_files::BUILT_IN) {
        // A theme's own catalogue overrides the built-in one key by key: it may hold only the
        // words it changes (the site's name, say), and keeps working when a later version of
        // atlas adds words.
        let built_in = load(Path::new(super::theme_files::BUILT_IN), report)?;
        for (mine, theirs) in [
            (&mut loaded.value.zh, built_in.zh),
            (&mut loaded.value.en, built_in.en),
        ] {
            for (k, v) in theirs {
                mine.entry(k).or_insert(v);
            }
        }
    }
    let c = &loaded.value;
    for (have, lack, name) in [(&c.zh, &c.en, "en"), (&c.en, &c.zh, "zh")] {
        for k in have.keys().filter(|k| !lack.contains_key(*k)) {
            let off = loaded.text().find(&format!("\n{k} ")).map_or(0, |i| i + 1);
            report.push(Diagnostic::error_at(
                &path,
                loaded.text(),
                off,
                format!("UI string '{k}' has no [{name}] translation"),
                format!("add {k} = \"…\" to the [{name}] table"),
            ));
        }
    }
    Some(loaded.value)
}

/// A theme's `engine.toml`: the calculators' words it changes, per language (either table may
/// be left out, and each holds only the keys it changes).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct EngineFile {
    #[serde(default)]
    zh: BTreeMap<String, String>,
    #[serde(default)]
    en: BTreeMap<String, String>,
}

/// The engine words of the theme whose overrides are in `theme` that differ from the engine's
/// own (which are the built-in `engine.toml`, compiled into the engine): empty for the
/// built-in theme, so its pages carry no words. Keys the engine does not have are errors.
pub fn engine_words(theme: &Path, report: &mut Report) -> Option<calculator_wasm::words::Words> {
    let (path, text, built_in) = theme_text(theme, "engine.toml", report)?
        .unwrap_or_else(|| (PathBuf::new(), String::new(), true));
    if built_in {
        return Some(calculator_wasm::words::Words::default());
    }
    let read = match crate::content::parse_str::<EngineFile>(&path, &text) {
        Ok(value) => value,
        Err(d) => {
            report.push(d);
            return None;
        }
    };
    let mut words = calculator_wasm::words::Words::default();
    let mut ok = true;
    for (lang, theirs, mine) in [
        ("zh", read.zh, &mut words.zh),
        ("en", read.en, &mut words.en),
    ] {
        for (k, v) in theirs {
            let Some((zh, en)) = calculator_wasm::words::default(&k) else {
                let off = text.find(&format!("\n{k} ")).map_or(0, |i| i + 1);
                report.push(Diagnostic::error_at(
                    &path,
                    &text,
                    off,
                    format!("calculator word '{k}' is not one the engine says"),
                    "check the key against the built-in theme's engine.toml (atlas theme eject)",
                ));
                ok = false;
                continue;
            };
            let default = if lang == "zh" { zh } else { en };
            // Only the words that change travel to the pages.
            if v != default {
                mine.insert(k, v);
            }
        }
    }
    ok.then_some(words)
}

/// The text of the theme's file `name` (a local override or the built-in one): its path, its
/// text and whether it is the built-in file. `None` when it cannot be read (reported);
/// `Some(None)` when the theme has no such file.
fn theme_text(
    theme: &Path,
    name: &str,
    report: &mut Report,
) -> Option<Option<(PathBuf, String, bool)>> {
    let file = match super::theme_files::read(theme, name) {
        Ok(Some(f)) => f,
        Ok(None) => return Some(None),
        Err(e) => {
            report.push(Diagnostic::file_error(
                &theme.join(name),
                e.0,
                "check the file's permissions",
            ));
            return None;
        }
    };
    let built_in = file.origin.starts_with(super::theme_files::BUILT_IN);
    let path = file.origin;
    let Ok(text) = String::from_utf8(file.bytes.into_owned()) else {
        report.push(Diagnostic::file_error(
            &path,
            "file is not valid UTF-8",
            "save the file as UTF-8",
        ));
        return None;
    };
    Some(Some((path, text, built_in)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_themes_engine_words_keep_only_what_changes_and_refuse_unknown_keys() {
        let dir = tempfile::tempdir().unwrap();
        let mut report = Report::default();
        let none = engine_words(dir.path(), &mut report).expect("the built-in theme's");
        assert!(none.is_empty(), "the built-in theme changes no engine word");

        let (zh, _) = calculator_wasm::words::default("status_met").unwrap();
        std::fs::write(
            dir.path().join("engine.toml"),
            format!("[zh]\nstatus_met = \"{zh}\"\n\n[en]\nstatus_cannot_tell = \"unknown\"\n"),
        )
        .unwrap();
        let w = engine_words(dir.path(), &mut report).expect("reads");
        assert!(
            w.zh.is_empty(),
            "a word equal to the default is not carried"
        );
        assert_eq!(
            w.en.get("status_cannot_tell").map(String::as_str),
            Some("unknown")
        );
        assert!(!report.has_errors());

        std::fs::write(
            dir.path().join("engine.toml"),
            "[en]\nstatus_cannot_tel = \"unknown\"\n",
        )
        .unwrap();
        assert!(engine_words(dir.path(), &mut report).is_none());
        assert!(report.has_errors());
    }
}
