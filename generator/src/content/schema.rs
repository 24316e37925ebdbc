//! JSON Schemas of the content files, generated from the serde types above (schemars), so
//! they cannot drift from what `atlas check` reads. `atlas schema` writes them; an editor that
//! reads the `#:schema` directive or a taplo rule (Even Better TOML) then completes the keys,
//! shows their doc comments and flags an unknown key or a value outside a vocabulary as it is
//! typed.
//!
//! The `[[calculator]]` tables (of measures and of `calculators.toml`) are the calculator
//! engine's definitions: their schema is the engine's (its `schema` feature). Rules across keys
//! and files (a cite that exists, a quote found in its unit, a fact a calculator binds) are
//! `atlas check`'s.

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

/// A TOML local date (`issued = 2025-12-25`). JSON Schema has no date type: editors that
/// validate TOML (taplo) compare a date as a string in the `date` format.
pub struct TomlDate;

impl JsonSchema for TomlDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "TomlDate".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date",
            "description": "A date without time, written bare in TOML: 2025-12-25"
        })
    }
}

/// Any value (a fact's `value`, whose form depends on its `type`; `atlas check` checks it).
pub struct AnyValue;

impl JsonSchema for AnyValue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "AnyValue".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"description": "Its form depends on the fact's type (atlas check checks it)"})
    }
}

/// The schema of each content file kind: (file name under `schemas/`, the content files it
/// is for as a glob, the schema as pretty JSON with a final newline).
pub fn all() -> Vec<(&'static str, &'static str, String)> {
    let one = |s: Schema| {
        let mut t = serde_json::to_string_pretty(&s).unwrap_or_default();
        t.push('\n');
        t
    };
    vec![
        (
            "measure.schema.json",
            "content/measures/*.toml",
            one(schemars::schema_for!(super::MeasureFile)),
        ),
        (
            "topics.schema.json",
            "content/topics.toml",
            one(schemars::schema_for!(super::TopicsFile)),
        ),
        (
            "glossary.schema.json",
            "content/glossary.toml",
            one(schemars::schema_for!(super::glossary::GlossaryFile)),
        ),
        (
            "calculators.schema.json",
            "content/calculators.toml",
            one(schemars::schema_for!(super::CalculatorsFile)),
        ),
    ]
}

/// A taplo configuration (`.taplo.toml`, read by Even Better TOML and the taplo CLI) that
/// gives each content file kind its schema, the schemas being in the folder `schemas`
/// relative to the configuration file.
pub fn taplo_config(schemas: &str) -> String {
    let mut t = String::from(
        "# Editor support for the content files: taplo and Even Better TOML (VS Code) read this\n\
         # file and check each file against its JSON Schema as you type. `atlas schema` writes\n\
         # the schemas.\n",
    );
    for (name, glob, _) in all() {
        t.push_str(&format!(
            "\n[[rule]]\ninclude = [\"{glob}\"]\n\n[rule.schema]\npath = \"./{schemas}/{name}\"\n"
        ));
    }
    t
}
