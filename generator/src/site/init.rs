//! `atlas init DIR`: a new collection that builds at once — one short sample measure (clearly a
//! sample) with its source copy, the topics, the glossary and the holiday calendar of this
//! repository, a README and a `.gitignore`. The theme is not copied: it is inside the binary
//! (`render::theme_files`), and `atlas theme eject` writes it out for editing.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Embeds the files of a new collection, by their paths in it.
macro_rules! embed {
    ($($path:literal => $from:literal),* $(,)?) => {
        &[$(($path, include_bytes!($from) as &[u8])),*]
    };
}

/// What `atlas init` writes: path in the new collection → bytes. The sample lives in
/// `generator/sample/`; topics, glossary and calendar are this repository's own.
const FILES: &[(&str, &[u8])] = embed![
    "README.md" => "../../sample/README.md",
    ".gitignore" => "../../sample/.gitignore",
    "content/measures/sample-bases-2024.toml" => "../../sample/content/measures/sample-bases-2024.toml",
    "content/sources/sample-bases-2024.txt" => "../../sample/content/sources/sample-bases-2024.txt",
    "content/calculators.toml" => "../../sample/content/calculators.toml",
    "content/topics.toml" => "../../../content/topics.toml",
    "content/glossary.toml" => "../../../content/glossary.toml",
    "content/calendars/cn-mainland.toml" => "../../../content/calendars/cn-mainland.toml",
];

/// Writes a new collection into `dir`, which must not exist or be empty (nothing is ever
/// overwritten). Returns the paths written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(io(dir))?;
        if entries.next().is_some() {
            return Err(Error::Output(format!(
                "{}: the folder is not empty; atlas init writes a new collection only into a new or empty folder",
                dir.display()
            )));
        }
    }
    // Editor support: the content files' schemas and the taplo rules that apply them.
    let schemas = crate::content::schema::all();
    let taplo = crate::content::schema::taplo_config("schemas");
    let generated = schemas
        .iter()
        .map(|(name, _, json)| (format!("schemas/{name}"), json.as_bytes()))
        .chain([(".taplo.toml".to_string(), taplo.as_bytes())]);
    let files = FILES
        .iter()
        .map(|(name, bytes)| (name.to_string(), *bytes))
        .chain(generated);
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, bytes).map_err(io(&path))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    /// A new collection passes `atlas check` with no error, and its sample measure says it is
    /// one (its English title, which the pages show).
    #[test]
    fn a_new_collection_checks() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("my-atlas");
        super::init(&root).unwrap();
        let mut report = crate::diagnostics::Report::default();
        let checked = crate::site::check(&root.join("content"), &mut report);
        let errors: Vec<String> = report
            .items
            .iter()
            .filter(|d| d.severity == crate::diagnostics::Severity::Error)
            .map(|d| d.to_string())
            .collect();
        assert!(checked.is_some(), "{errors:#?}");
        let c = checked.unwrap();
        assert_eq!(c.corpus.measures.len(), 1);
        assert!(c.corpus.measures[0].value.title_en.contains("(sample)"));
    }

    /// A folder with anything in it is refused, and left as it was.
    #[test]
    fn a_folder_that_is_not_empty_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let e = super::init(dir.path()).unwrap_err().to_string();
        assert!(e.contains("not empty"), "{e}");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1);
    }
}
