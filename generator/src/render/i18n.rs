//! The UI string catalogue (`themes/default/i18n.toml`): one table per language, same keys.

use std::collections::BTreeMap;
use std::path::Path;

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

/// Loads the catalogue and reports keys missing in either language.
pub fn load(theme: &Path, report: &mut Report) -> Option<Catalogue> {
    let path = theme.join("i18n.toml");
    let loaded = crate::content::parse_file::<Catalogue>(&path, report)?;
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
