//! Loading `content/`: the TOML schema (serde types) and reading files into them.
//!
//! Nothing here interprets the content; `validate` checks it and `model` resolves it.

pub mod fact;
pub mod glossary;
pub mod measure;
pub mod topics;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Report};
pub use measure::MeasureFile;
pub use topics::TopicsFile;

/// A parsed file together with its path and text (kept for positions in diagnostics).
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    /// Path as shown in diagnostics.
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
    /// The parsed value.
    pub value: T,
}

/// Everything read from a content directory.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// The content directory.
    pub root: PathBuf,
    /// Measures, sorted by path.
    pub measures: Vec<Loaded<MeasureFile>>,
    /// The topic taxonomy, when present.
    pub topics: Option<Loaded<TopicsFile>>,
    /// Verbatim source copies by file name (`content/sources/*.txt`), as bytes.
    pub sources: BTreeMap<String, Vec<u8>>,
    /// Holiday calendar files (`content/calendars/*.toml`) by file name, as text.
    pub calendars: BTreeMap<String, Loaded<String>>,
    /// Calculators that span several measures (`content/calculators.toml`).
    pub calculators: Option<Loaded<CalculatorsFile>>,
    /// The glossary of the English edition (`content/glossary.toml`).
    pub glossary: Option<Loaded<glossary::GlossaryFile>>,
}

/// `content/calculators.toml`: calculators whose facts come from several measures.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalculatorsFile {
    /// The definitions.
    #[serde(default, rename = "calculator")]
    pub calculators: Vec<calculator_wasm::CalculatorDef>,
}

/// Reads and parses every content file under `root`, collecting every problem.
pub fn load(root: &Path) -> (Corpus, Report) {
    load_reusing(root, Corpus::default())
}

/// [`load`], taking each measure from `previous` instead of parsing it again when its file's
/// text has not changed: `atlas serve` reads the whole content on every edit, and parsing is
/// most of that.
pub fn load_reusing(root: &Path, previous: Corpus) -> (Corpus, Report) {
    let mut report = Report::default();
    let mut corpus = Corpus {
        root: root.to_path_buf(),
        ..Corpus::default()
    };

    if !root.is_dir() {
        report.push(Diagnostic::file_error(
            root,
            "content directory not found",
            "run atlas from the project root, or pass --content DIR",
        ));
        return (corpus, report);
    }

    let measures_dir = root.join("measures");
    let measure_paths = files_with_ext(&measures_dir, "toml", &mut report);
    // Listed now to be read in parallel; its listing problems are reported in their usual place.
    let mut source_listing = Report::default();
    let source_paths = files_with_ext(&root.join("sources"), "txt", &mut source_listing);
    // Parsing is most of the load: every file on its own thread, results kept in path order
    // so the corpus and the diagnostics do not depend on scheduling. The sources are read
    // meanwhile.
    let (parsed, sources) = rayon::join(
        || parse_measures(&measure_paths, previous.measures),
        || {
            source_paths
                .par_iter()
                .map(|p| (p, std::fs::read(p)))
                .collect::<Vec<_>>()
        },
    );
    for r in parsed {
        match r {
            Ok(loaded) => corpus.measures.push(loaded),
            Err(d) => report.push(d),
        }
    }
    if corpus.measures.is_empty() && !report.has_errors() {
        report.push(Diagnostic::file_error(
            &measures_dir,
            "no measure files found",
            "add one TOML file per measure under content/measures/ (atlas import SOURCE.txt prints a skeleton)",
        ));
    }

    let calc_path = root.join("calculators.toml");
    if calc_path.is_file() {
        corpus.calculators = parse_file::<CalculatorsFile>(&calc_path, &mut report);
    }

    let glossary_path = root.join("glossary.toml");
    if glossary_path.is_file() {
        corpus.glossary = parse_file::<glossary::GlossaryFile>(&glossary_path, &mut report);
    }

    let topics_path = root.join("topics.toml");
    if topics_path.is_file() {
        corpus.topics = parse_file::<TopicsFile>(&topics_path, &mut report);
    }

    report.items.append(&mut source_listing.items);
    for (path, read) in sources {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match read {
            Ok(bytes) => {
                corpus.sources.insert(name, bytes);
            }
            Err(e) => report.push(Diagnostic::file_error(
                path,
                format!("cannot read source copy: {e}"),
                "check the file's permissions",
            )),
        }
    }

    for path in files_with_ext(&root.join("calendars"), "toml", &mut report) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                corpus.calendars.insert(
                    name,
                    Loaded {
                        path: path.clone(),
                        value: text.clone(),
                        text,
                    },
                );
            }
            Err(e) => report.push(Diagnostic::file_error(
                &path,
                format!("cannot read calendar: {e}"),
                "the file must be UTF-8 TOML",
            )),
        }
    }
    (corpus, report)
}

/// Files with extension `ext` below `dir`, sorted, so the build does not depend on directory order.
fn files_with_ext(dir: &Path, ext: &str, report: &mut Report) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == ext) => {
                out.push(e.into_path());
            }
            Ok(_) => {}
            Err(e) => report.push(Diagnostic::file_error(
                dir,
                format!("cannot list directory: {e}"),
                "check permissions",
            )),
        }
    }
    out
}

/// Reads and deserialises one TOML file; a syntax or schema error becomes a positioned diagnostic.
pub fn parse_file<T: DeserializeOwned>(path: &Path, report: &mut Report) -> Option<Loaded<T>> {
    read_and_parse(path).map_err(|d| report.push(d)).ok()
}

/// Reads and parses the measure files at `paths` on every core, in their order; a file whose
/// text is that of a file at the same path in `previous` is taken from there.
fn parse_measures(
    paths: &[PathBuf],
    previous: Vec<Loaded<MeasureFile>>,
) -> Vec<Result<Loaded<MeasureFile>, Diagnostic>> {
    if previous.is_empty() {
        return paths.par_iter().map(|p| read_and_parse(p)).collect();
    }
    let texts: Vec<_> = paths.par_iter().map(|p| read_text(p)).collect();
    let mut previous: std::collections::HashMap<PathBuf, Loaded<MeasureFile>> =
        previous.into_iter().map(|l| (l.path.clone(), l)).collect();
    // Unchanged files are taken now; the others are parsed below, in parallel.
    let mut out: Vec<Option<Result<Loaded<MeasureFile>, Diagnostic>>> = paths
        .iter()
        .zip(&texts)
        .map(|(path, text)| match text {
            Ok(text) => previous
                .remove(path)
                .filter(|old| old.text == *text)
                .map(Ok),
            Err(d) => Some(Err(d.clone())),
        })
        .collect();
    let fresh: Vec<_> = paths
        .par_iter()
        .zip(texts)
        .zip(&out)
        .filter(|(_, done)| done.is_none())
        .map(|((path, text), _)| {
            let text = text.unwrap_or_default();
            parse_str(path, &text).map(|value| Loaded {
                path: path.clone(),
                text,
                value,
            })
        })
        .collect();
    let mut fresh = fresh.into_iter();
    for slot in &mut out {
        if slot.is_none() {
            *slot = fresh.next();
        }
    }
    out.into_iter().flatten().collect()
}

/// [`parse_file`] without a report, so that files can be parsed on several threads.
fn read_and_parse<T: DeserializeOwned>(path: &Path) -> Result<Loaded<T>, Diagnostic> {
    let text = read_text(path)?;
    let value = parse_str::<T>(path, &text)?;
    Ok(Loaded {
        path: path.to_path_buf(),
        text,
        value,
    })
}

/// A content file's text, or a diagnostic saying why it cannot be read.
fn read_text(path: &Path) -> Result<String, Diagnostic> {
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => Ok(t),
            Err(e) => {
                let off = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                Err(Diagnostic::error_at(
                    path,
                    &text,
                    off,
                    "file is not valid UTF-8",
                    "save the file as UTF-8",
                ))
            }
        },
        Err(e) => Err(Diagnostic::file_error(
            path,
            format!("cannot read file: {e}"),
            "check the path and permissions",
        )),
    }
}

/// Deserialises TOML text, mapping errors to a diagnostic with line, column and a hint.
pub fn parse_str<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, Diagnostic> {
    toml::from_str::<T>(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let message = e.message().trim().to_string();
        let hint = hint_for(&message);
        Diagnostic::error_at(path, text, offset, message, hint)
    })
}

/// A fix suggestion for the common TOML and schema errors.
fn hint_for(message: &str) -> String {
    if message.starts_with("unknown field") {
        "remove the key or correct its spelling; the expected keys are listed above".into()
    } else if message.starts_with("missing field") {
        "add the key to this table".into()
    } else if message.contains("invalid type") {
        "check the value's type: text in quotes, numbers bare, dates as YYYY-MM-DD".into()
    } else if message.contains("duplicate key") {
        "each key may appear once per table".into()
    } else {
        "check the TOML syntax at this position (quotes, brackets, one key = value per line)".into()
    }
}
