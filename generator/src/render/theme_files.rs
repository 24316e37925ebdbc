//! The theme's files: the default theme is inside the binary, and a theme directory (by default
//! `themes/default/` in the working directory, or `--theme DIR`) overrides it file by file, as
//! Zola's and mdBook's themes do. So `atlas build` works in any folder, and a collection that
//! wants another header changes one template, not a copy of all of them.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use super::RenderError;

/// What diagnostics call a file of the built-in theme (it has no path on disk).
pub const BUILT_IN: &str = "(built-in theme)";

/// Embeds the default theme's files, by their paths under `themes/default/`.
macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../../../themes/default/", $path)) as &[u8])),*]
    };
}

/// The default theme (`themes/default/` of this repository), every file; a test checks that
/// the list names every file of the folder.
const DEFAULT: &[(&str, &[u8])] = embed![
    "engine.toml",
    "i18n.toml",
    "static/atlas.js",
    "static/calc-core.js",
    "static/calc-ui.js",
    "static/compare.js",
    "static/planner.js",
    "static/search.js",
    "static/style.css",
    "templates/annex.html",
    "templates/base.html",
    "templates/calculators/calculator.html",
    "templates/calculators/field.html",
    "templates/calculators/index.html",
    "templates/compare/matrix.html",
    "templates/compare/measure-item.html",
    "templates/compare/nav.html",
    "templates/compare/relations.html",
    "templates/compare/side.html",
    "templates/compare/topic.html",
    "templates/erratum.html",
    "templates/glossary.html",
    "templates/index.html",
    "templates/level.html",
    "templates/measure-table.html",
    "templates/measure.html",
    "templates/measures.html",
    "templates/planner.html",
    "templates/planner/field.html",
    "templates/search.html",
    "templates/sources.html",
];

/// One file of the theme as a build uses it.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// Its path under the theme (`templates/base.html`), with `/`.
    pub name: String,
    /// Where it came from, for messages: the override on disk, or `(built-in theme)/…`.
    pub origin: PathBuf,
    /// Its bytes.
    pub bytes: Cow<'static, [u8]>,
}

/// The names of the built-in theme's files.
pub fn built_in_names() -> impl Iterator<Item = &'static str> {
    DEFAULT.iter().map(|(n, _)| *n)
}

/// The file `name` (`i18n.toml`, `templates/base.html`) of the theme whose overrides are in
/// `dir`: the override when `dir` has it, else the built-in one; `None` when neither has it.
pub fn read(dir: &Path, name: &str) -> Result<Option<ThemeFile>, RenderError> {
    let path = dir.join(name);
    if path.is_file() {
        let bytes = std::fs::read(&path)
            .map_err(|e| RenderError(format!("{}: cannot read file: {e}", path.display())))?;
        return Ok(Some(ThemeFile {
            name: name.to_string(),
            origin: path,
            bytes: Cow::Owned(bytes),
        }));
    }
    Ok(DEFAULT
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, b)| built_in(n, b)))
}

fn built_in(name: &str, bytes: &'static [u8]) -> ThemeFile {
    ThemeFile {
        name: name.to_string(),
        origin: Path::new(BUILT_IN).join(name),
        bytes: Cow::Borrowed(bytes),
    }
}

/// Every file under the folder `sub` (`templates`, `static`) of the theme whose overrides are
/// in `dir`: the built-in ones, each replaced by the override of the same name, and the files
/// only the overrides have. Sorted by name; names are relative to the theme, with `/`.
pub fn files_under(dir: &Path, sub: &str) -> Result<Vec<ThemeFile>, RenderError> {
    let mut files: std::collections::BTreeMap<String, ThemeFile> = DEFAULT
        .iter()
        .filter(|(n, _)| n.starts_with(sub) && n[sub.len()..].starts_with('/'))
        .map(|(n, b)| (n.to_string(), built_in(n, b)))
        .collect();
    let local = dir.join(sub);
    if local.is_dir() {
        for e in walkdir::WalkDir::new(&local).sort_by_file_name() {
            let e = e.map_err(|e| RenderError(format!("{}: cannot list: {e}", local.display())))?;
            if !e.file_type().is_file() {
                continue;
            }
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            let name = rel.to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(e.path())
                .map_err(|err| RenderError(format!("{}: {err}", e.path().display())))?;
            files.insert(
                name.clone(),
                ThemeFile {
                    name,
                    origin: e.path().to_path_buf(),
                    bytes: Cow::Owned(bytes),
                },
            );
        }
    }
    Ok(files.into_values().collect())
}

/// Writes the built-in theme into `to` (`atlas theme eject`) for editing; refuses to replace
/// any file already there, and then writes none. Returns the paths written.
pub fn eject(to: &Path) -> std::io::Result<Vec<PathBuf>> {
    let targets: Vec<(PathBuf, &[u8])> = DEFAULT.iter().map(|(n, b)| (to.join(n), *b)).collect();
    if let Some((p, _)) = targets.iter().find(|(p, _)| p.exists()) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!(
                "{} already exists; nothing was written (remove it, or eject into another folder)",
                p.display()
            ),
        ));
    }
    for (p, bytes) in &targets {
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(p, bytes)?;
    }
    Ok(targets.into_iter().map(|(p, _)| p).collect())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The embedded list names every file of `themes/default/` and nothing else, so a file
    /// added to the theme cannot be left out of the binary.
    #[test]
    fn every_file_of_the_default_theme_is_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes/default");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        on_disk.sort();
        let embedded: Vec<String> = super::built_in_names().map(String::from).collect();
        assert_eq!(embedded, on_disk);
        for name in &embedded {
            assert_eq!(
                super::read(Path::new("/nonexistent-theme"), name)
                    .unwrap()
                    .unwrap()
                    .bytes
                    .as_ref(),
                std::fs::read(dir.join(name)).unwrap().as_slice(),
                "{name}"
            );
        }
    }

    /// An override replaces its file only; a file only the override has is added.
    #[test]
    fn a_local_file_overrides_its_namesake_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("static")).unwrap();
        std::fs::write(dir.path().join("static/style.css"), "body{}").unwrap();
        std::fs::write(dir.path().join("static/extra.js"), "1").unwrap();
        let files = super::files_under(dir.path(), "static").unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "static/atlas.js",
                "static/calc-core.js",
                "static/calc-ui.js",
                "static/compare.js",
                "static/extra.js",
                "static/planner.js",
                "static/search.js",
                "static/style.css"
            ]
        );
        let css = files.iter().find(|f| f.name == "static/style.css").unwrap();
        assert_eq!(css.bytes.as_ref(), b"body{}");
        let js = files.iter().find(|f| f.name == "static/atlas.js").unwrap();
        assert!(js.origin.starts_with(super::BUILT_IN));
    }
}
