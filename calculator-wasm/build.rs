//! Compiles the engine's words — the default theme's `themes/default/engine.toml`, `[zh]` and
//! `[en]` tables of key → template with `{name}` placeholders — into a sorted Rust table in
//! `$OUT_DIR/words_table.rs`, so the WebAssembly build carries no TOML parser.
//!
//! The build fails when a key the code uses (the `w!` macro in `src/`) is missing from the
//! file, when a key of the file is used nowhere, when a key lacks one language, and when a
//! template names a placeholder that a use of its key does not fill: a missing word is a build
//! error, never a panic in the browser.

use std::collections::{BTreeMap, BTreeSet};
use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let file = manifest.join("../themes/default/engine.toml");
    let src = manifest.join("src");
    println!("cargo:rerun-if-changed={}", file.display());
    println!("cargo:rerun-if-changed={}", src.display());

    let text =
        fs::read_to_string(&file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    let table: toml::Table = toml::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not valid TOML: {e}", file.display()));
    let lang = |l: &str| -> BTreeMap<String, String> {
        let t = table
            .get(l)
            .and_then(toml::Value::as_table)
            .unwrap_or_else(|| panic!("{} has no [{l}] table", file.display()));
        t.iter()
            .map(|(k, v)| {
                let s = v
                    .as_str()
                    .unwrap_or_else(|| panic!("{}: [{l}] {k} is not a string", file.display()));
                (k.clone(), s.to_string())
            })
            .collect()
    };
    let (zh, en) = (lang("zh"), lang("en"));

    let used = used_keys(&src);
    let mut problems = Vec::new();
    for k in zh.keys().filter(|k| !en.contains_key(*k)) {
        problems.push(format!("[en] {k} is missing (it is in [zh])"));
    }
    for k in en.keys().filter(|k| !zh.contains_key(*k)) {
        problems.push(format!("[zh] {k} is missing (it is in [en])"));
    }
    for k in used
        .keys()
        .filter(|k| !zh.contains_key(*k) && !en.contains_key(*k))
    {
        problems.push(format!(
            "{k} is used by the engine but missing from the file"
        ));
    }
    for k in zh.keys().filter(|k| !used.contains_key(*k)) {
        problems.push(format!(
            "{k} is used nowhere in calculator-wasm/src (remove it)"
        ));
    }
    // Every placeholder of a template is filled by every use of its key (a typo is caught
    // here rather than shown to an applicant as `{amout}`).
    for (k, uses) in &used {
        for (l, t) in [("zh", zh.get(k)), ("en", en.get(k))] {
            let Some(t) = t else { continue };
            for p in placeholders(t) {
                if uses.iter().any(|names| !names.contains(p)) {
                    problems.push(format!(
                        "[{l}] {k}: {{{p}}} is not filled by every use of the key"
                    ));
                }
            }
        }
    }
    if !problems.is_empty() {
        panic!("{}:\n  {}", file.display(), problems.join("\n  "));
    }

    let mut out = String::from(
        "/// Every word of the engine, sorted by key: (key, Chinese, English).\n\
         pub(crate) static WORDS: &[(&str, &str, &str)] = &[\n",
    );
    for (k, z) in &zh {
        writeln!(out, "    ({k:?}, {z:?}, {:?}),", en[k]).expect("write to a String");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR")).join("words_table.rs");
    fs::write(&dest, out).unwrap_or_else(|e| panic!("cannot write {}: {e}", dest.display()));
}

/// Each key of a `w!("key", name = value, …)` (the macro's literal key) in the `.rs` files under `dir`, with the
/// placeholder names each use of it fills.
fn used_keys(dir: &Path) -> BTreeMap<String, Vec<BTreeSet<String>>> {
    let mut keys: BTreeMap<String, Vec<BTreeSet<String>>> = BTreeMap::new();
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            for (k, uses) in used_keys(&path) {
                keys.entry(k).or_default().extend(uses);
            }
            continue;
        }
        if path.extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap_or_default();
        let mut rest = text.as_str();
        while let Some(i) = rest.find("w!(") {
            rest = rest[i + 3..].trim_start();
            // Only a literal key (rustfmt may put it on the next line).
            let Some(after) = rest.strip_prefix('"') else {
                continue;
            };
            rest = after;
            let Some(end) = rest.find('"') else { break };
            let key = rest[..end].to_string();
            rest = &rest[end + 1..];
            keys.entry(key).or_default().push(arg_names(rest));
        }
    }
    keys
}

/// The `name` of each top-level `name = value` argument before the macro call's closing
/// parenthesis, at the start of `rest`.
fn arg_names(rest: &str) -> BTreeSet<String> {
    let mut depth = 0usize;
    let mut args = Vec::new();
    let mut current = String::new();
    let mut in_string = false;
    let mut prev = ' ';
    for c in rest.chars() {
        if in_string {
            if c == '"' && prev != '\\' {
                in_string = false;
            }
            prev = c;
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => break,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => args.push(std::mem::take(&mut current)),
            _ if depth == 0 => current.push(c),
            _ => {}
        }
        prev = c;
    }
    args.push(current);
    args.iter()
        .filter_map(|a| {
            let (name, _) = a.split_once('=')?;
            Some(name.trim().to_string())
        })
        .filter(|n| !n.is_empty())
        .collect()
}

/// The placeholder names of a template, `{name}`.
fn placeholders(t: &str) -> BTreeSet<&str> {
    let mut names = BTreeSet::new();
    let mut rest = t;
    while let Some(i) = rest.find('{') {
        rest = &rest[i + 1..];
        match rest.find('}') {
            Some(end) => {
                names.insert(&rest[..end]);
                rest = &rest[end + 1..];
            }
            None => break,
        }
    }
    names
}
