//! Loading `content/`: the TOML schema (serde types, [`vocab`] for the fixed vocabularies) and
//! reading files into them. Imports only the leaves (diagnostics, text); nothing here
//! interprets the content: `validate` checks it and `model` resolves it.

pub mod fact;
pub(crate) mod glossary;
pub mod measure;
pub mod schema;
mod todo;
pub(crate) mod topics;
pub mod vocab;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Report};
pub use measure::{effective_date, expiry_date, Expiry, InForce, MeasureFile};
pub use topics::TopicsFile;

/// Is `id` safe as a file name and URL segment on every platform?
pub fn is_safe_id(id: &str) -> bool {
    // Windows device names, reserved with any extension (con.html too).
    const RESERVED: &[&str] = &[
        "con", "prn", "aux", "nul", "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
        "com8", "com9", "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8",
        "lpt9",
    ];
    !id.is_empty()
        && id.len() <= 80
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !RESERVED.contains(&id)
}

/// The calendar date of a TOML date value; `None` if it has a time or offset.
pub fn date_of(dt: &toml::value::Datetime) -> Option<time::Date> {
    if dt.time.is_some() || dt.offset.is_some() {
        return None;
    }
    let d = dt.date?;
    let month = time::Month::try_from(d.month).ok()?;
    time::Date::from_calendar_date(i32::from(d.year), month, d.day).ok()
}

/// A parsed file together with its path and, while kept, its text.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    /// Path as shown in diagnostics.
    pub path: PathBuf,
    /// The file's text as parsed: kept by [`load_reusing`] (the next load compares it), let
    /// go by [`load`] once a measure is parsed (42 MB at a thousand measures, a third of the
    /// load's peak).
    text: Option<String>,
    /// The file's text read again, when it was let go and a diagnostic needed it.
    reread: std::sync::OnceLock<String>,
    /// The byte offsets of its `# TODO` comments, found before the text is let go.
    todos: Vec<usize>,
    /// The parsed value.
    pub value: T,
}

impl<T> Loaded<T> {
    /// A file at `path` with text `text`, parsed as `value`.
    pub fn new(path: PathBuf, text: String, value: T) -> Loaded<T> {
        Loaded {
            path,
            todos: todo::offsets(&text),
            text: Some(text),
            reread: std::sync::OnceLock::new(),
            value,
        }
    }

    /// The byte offsets in [`Loaded::text`] of the file's `# TODO` comments (what `atlas
    /// import` left for the author), in order.
    pub fn todos(&self) -> &[usize] {
        &self.todos
    }

    /// The file's text, for the positions of diagnostics. Read again from the file when it
    /// was let go: if the file was changed meanwhile, positions are in its new text (the
    /// next build parses and checks that text).
    pub fn text(&self) -> &str {
        match &self.text {
            Some(t) => t,
            None => self
                .reread
                .get_or_init(|| std::fs::read_to_string(&self.path).unwrap_or_default()),
        }
    }

    /// Lets go of the text; [`Loaded::text`] reads it again if needed.
    pub fn let_go(&mut self) {
        self.text = None;
    }

    /// Whether the text as parsed is kept and is `text`. A text read again is never taken as
    /// the parsed one: the file may have changed since.
    fn kept_text_is(&self, text: &str) -> bool {
        self.text.as_deref() == Some(text)
    }
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
    /// Where each source copy was read from, by the same file names.
    pub source_paths: BTreeMap<String, PathBuf>,
    /// Each source copy's size, by the same file names: kept when the bytes are let go.
    pub source_sizes: BTreeMap<String, SourceSize>,
    /// Holiday calendar files (`content/calendars/*.toml`) by file name, as text.
    pub calendars: BTreeMap<String, Loaded<String>>,
    /// Calculators that span several measures (`content/calculators.toml`).
    pub calculators: Option<Loaded<CalculatorsFile>>,
    /// The glossary of the English edition (`content/glossary.toml`).
    pub glossary: Option<Loaded<glossary::GlossaryFile>>,
    /// What the file system said of each measure file and source copy when it was read, so
    /// that [`load_reusing`] can tell an unchanged file without reading it.
    pub stamps: BTreeMap<PathBuf, Stamp>,
    /// The measure files and source copies this load read anew (every one on a plain
    /// [`load`]; with [`load_reusing`], those not taken from the previous corpus).
    pub fresh: std::collections::BTreeSet<PathBuf>,
}

/// A source copy's size, as its measure's page states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SourceSize {
    /// Bytes.
    pub bytes: usize,
    /// Line feeds.
    pub lines: usize,
}

impl SourceSize {
    /// The size of `bytes`.
    pub fn of(bytes: &[u8]) -> SourceSize {
        SourceSize {
            bytes: bytes.len(),
            lines: bytes.iter().filter(|b| **b == b'\n').count(),
        }
    }
}

/// What `stat` says of a file: its size, modification and status-change times and inode, as
/// git's index keeps them. A file whose stamp is unchanged is taken as unchanged: every write
/// moves the status-change time, which tools that preserve times cannot set back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    /// Status-change time (seconds, nanoseconds) and inode, where the platform has them.
    changed: Option<(i64, i64, u64)>,
}

impl Stamp {
    /// The stamp of the file at `path`, if it can be read.
    pub fn of(path: &Path) -> Option<Stamp> {
        let m = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let changed = {
            use std::os::unix::fs::MetadataExt;
            Some((m.ctime(), m.ctime_nsec(), m.ino()))
        };
        #[cfg(not(unix))]
        let changed = None;
        Some(Stamp {
            len: m.len(),
            modified: m.modified().ok(),
            changed,
        })
    }

    /// Whether this stamp proves the file unchanged since `earlier` was taken: without a
    /// status-change time (other platforms) it never does, and the file is read and compared.
    pub fn same_file_as(&self, earlier: &Stamp) -> bool {
        self.changed.is_some() && self == earlier
    }
}

/// `content/calculators.toml`: calculators whose facts come from several measures.
#[derive(Debug, Clone, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalculatorsFile {
    /// The definitions.
    #[serde(default, rename = "calculator")]
    pub calculators: Vec<calculator_wasm::CalculatorDef>,
    /// The applicant's profile on the planner page: the fields calculator inputs read
    /// (`profile = "<id>"` on an input).
    #[serde(default, rename = "profile")]
    pub profile: Vec<ProfileField>,
}

/// One field of the applicant's profile (`[[profile]]`): asked once on the planner page and
/// given to every calculator input that names it. Its choices, for a list, are those of the
/// inputs that read it.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileField {
    /// Id named by the inputs (`staff`).
    pub id: String,
    /// The kind of value, as the inputs that read it have it.
    #[serde(rename = "type")]
    pub kind: calculator_wasm::def::InputType,
    /// Chinese label.
    pub label: String,
    /// English label.
    pub label_en: String,
    /// Unit beside the field (Chinese).
    #[serde(default)]
    pub unit: String,
    /// English unit.
    #[serde(default)]
    pub unit_en: String,
    /// An example value.
    #[serde(default)]
    pub example: String,
    /// A date that has happened (a registration, a recognition held): one after the status
    /// date gets a message at the field.
    #[serde(default)]
    pub past: bool,
    /// Choices of a list besides those of the inputs that read it: ones only a date input reads
    /// (`profile = "<id>.<choice>.<date>"`).
    #[serde(default)]
    pub values: Vec<calculator_wasm::def::Choice>,
    /// For a list: the dates asked beside each choice ticked (when a recognition was obtained,
    /// when it was revoked), each a date that has happened.
    #[serde(default)]
    pub dates: Vec<ProfileDate>,
    /// For a list with `dates`: the profile date field on which a choice must be held for an
    /// input reading the list to count it (a recognition revoked by then is not held); today
    /// when that field is empty.
    #[serde(default)]
    pub held_on: Option<String>,
}

/// A date asked beside each choice of a dated profile list (`[[profile.dates]]`).
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileDate {
    /// Id, the last part of the key an input reads (`held.national-base.revoked`).
    pub id: String,
    /// Chinese label.
    pub label: String,
    /// English label.
    pub label_en: String,
    /// The choice is held from this date (`false`) or no longer held from it (`true`).
    #[serde(default)]
    pub ends: bool,
}

/// Reads and parses every content file under `root`, collecting every problem.
pub fn load(root: &Path) -> (Corpus, Report) {
    load_with(root, Corpus::default(), Texts::LetGo)
}

/// [`load`], taking each measure and source copy from `previous` instead of reading and parsing
/// it again when its file has not changed (same [`Stamp`], or for a measure the same text):
/// `atlas serve` loads the whole content on every edit, and parsing is most of that. The
/// measures' texts are kept, for the next load to compare.
pub fn load_reusing(root: &Path, previous: Corpus) -> (Corpus, Report) {
    load_with(root, previous, Texts::Keep)
}

/// What a load does with each measure's text once it is parsed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Texts {
    /// Keep it, for a later load to compare.
    Keep,
    /// Let it go (diagnostics read it again).
    LetGo,
}

fn load_with(root: &Path, previous: Corpus, texts: Texts) -> (Corpus, Report) {
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
    let measure_paths = files_with_ext(&measures_dir, "toml", Depth::All, &mut report);
    // Listed now to be read in parallel; its listing problems are reported in their usual place.
    let mut source_listing = Report::default();
    // Source copies are named by their file name alone: only the directory's own files.
    let source_paths = files_with_ext(
        &root.join("sources"),
        "txt",
        Depth::One,
        &mut source_listing,
    );
    // Parsing is most of the load: every file on its own thread, results kept in path order
    // so the corpus and the diagnostics do not depend on scheduling. The sources are read
    // meanwhile.
    let Corpus {
        measures: previous_measures,
        sources: mut previous_sources,
        stamps: previous_stamps,
        ..
    } = previous;
    let (parsed, sources) = rayon::join(
        || parse_measures(&measure_paths, previous_measures, &previous_stamps, texts),
        || {
            source_paths
                .par_iter()
                .map(|p| {
                    let stamp = Stamp::of(p);
                    let unchanged = match (&stamp, previous_stamps.get(p)) {
                        (Some(now), Some(then)) => now.same_file_as(then),
                        _ => false,
                    };
                    // Unchanged copies are taken from `previous` below, not read again.
                    let read = if unchanged {
                        None
                    } else {
                        Some(std::fs::read(p))
                    };
                    (p, stamp, read)
                })
                .collect::<Vec<_>>()
        },
    );
    for (r, stamp, fresh) in parsed {
        match r {
            Ok(loaded) => {
                if let Some(stamp) = stamp {
                    corpus.stamps.insert(loaded.path.clone(), stamp);
                }
                if fresh {
                    corpus.fresh.insert(loaded.path.clone());
                }
                corpus.measures.push(loaded)
            }
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

    // Which of the files beside the measures the content needs (README, Content): the topics
    // whenever a measure has a fact or a topic review, the glossary whenever there are
    // measures (the English edition is always built). calculators.toml is optional, but its
    // absence is said: it may have been lost.
    let has_topics = corpus
        .measures
        .iter()
        .any(|l| !l.value.facts.is_empty() || !l.value.topics.silent.is_empty());
    let has_measures = !corpus.measures.is_empty();
    corpus.calculators = content_file::<CalculatorsFile>(
        root,
        "calculators.toml",
        Need::Optional("no calculators span several measures"),
        &mut report,
    );
    corpus.glossary = content_file::<glossary::GlossaryFile>(
        root,
        "glossary.toml",
        if has_measures {
            Need::Required("every measure's English edition renders its terms by the glossary")
        } else {
            Need::Optional("the English edition has no glossary")
        },
        &mut report,
    );
    corpus.topics = content_file::<TopicsFile>(
        root,
        "topics.toml",
        if has_topics {
            Need::Required("the measures' facts and topic reviews name its topics")
        } else {
            Need::Optional("the comparison has no topics")
        },
        &mut report,
    );

    report.items.append(&mut source_listing.items);
    for (path, stamp, read) in sources {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let before = previous_sources.remove(&name);
        let read = match (read, before) {
            (Some(read), before) => {
                // Read anew; fresh unless the bytes are those read last time.
                if read.as_ref().ok() != before.as_ref() {
                    corpus.fresh.insert(path.clone());
                }
                read
            }
            (None, Some(bytes)) => Ok(bytes),
            (None, None) => {
                corpus.fresh.insert(path.clone());
                std::fs::read(path)
            }
        };
        match read {
            Ok(bytes) => {
                if let Some(stamp) = stamp {
                    corpus.stamps.insert(path.clone(), stamp);
                }
                corpus.source_paths.insert(name.clone(), path.clone());
                corpus
                    .source_sizes
                    .insert(name.clone(), SourceSize::of(&bytes));
                corpus.sources.insert(name, bytes);
            }
            Err(e) => report.push(Diagnostic::file_error(
                path,
                format!("cannot read source copy: {e}"),
                "check the file's permissions",
            )),
        }
    }

    // While a measure file cannot be read, what it refers to is not known.
    if corpus.measures.len() == measure_paths.len() {
        unreferenced_sources(&mut corpus, &mut report);
    }

    for path in files_with_ext(&root.join("calendars"), "toml", Depth::All, &mut report) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                corpus
                    .calendars
                    .insert(name, Loaded::new(path.clone(), text.clone(), text));
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

/// How far below a directory its files are read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Depth {
    /// The directory's own files only; a subdirectory is reported as not read.
    One,
    /// Every file below it.
    All,
}

/// Files with extension `ext` in `dir` (and below it with [`Depth::All`]), sorted, so the build
/// does not depend on directory order. A symbolic link is an error, never followed (content is
/// the content directory's own regular files: a link can point anywhere, or to itself), and so
/// is an entry with the extension that is not a regular file (a pipe would hang the read).
fn files_with_ext(dir: &Path, ext: &str, depth: Depth, report: &mut Report) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let walk = WalkDir::new(dir).sort_by_file_name().min_depth(1);
    let walk = match depth {
        Depth::One => walk.max_depth(1),
        Depth::All => walk,
    };
    for entry in walk {
        match entry {
            Ok(e) if e.path_is_symlink() => report.push(Diagnostic::file_error(
                e.path(),
                "is a symbolic link: content is read from regular files only, and links are not followed",
                "replace the link with the file itself (or remove it)",
            )),
            Ok(e) if e.file_type().is_dir() => {
                if depth == Depth::One {
                    report.push(
                        Diagnostic::file_error(
                            e.path(),
                            format!(
                                "is a directory inside {}: its files are not read and not published",
                                dir.display()
                            ),
                            format!(
                                "move the files a measure refers to into {} itself",
                                dir.display()
                            ),
                        )
                        .warning(),
                    );
                }
            }
            Ok(e) if e.path().extension().is_some_and(|x| x == ext) => {
                if e.file_type().is_file() {
                    out.push(e.into_path());
                } else {
                    report.push(Diagnostic::file_error(
                        e.path(),
                        "is not a regular file",
                        "content files must be plain files",
                    ));
                }
            }
            Ok(_) => {}
            Err(e) => report.push(Diagnostic::file_error(
                e.path().unwrap_or(dir),
                format!("cannot list directory: {e}"),
                "check permissions",
            )),
        }
    }
    out
}

/// Whether a content file must be there.
#[derive(Clone, Copy)]
enum Need {
    /// Missing: an error, saying why it is needed.
    Required(&'static str),
    /// Missing: a warning saying what its absence means (it may have been lost).
    Optional(&'static str),
}

/// Reads `root/name`, one of the content's own files. Missing (as `need` says), unreadable, or
/// not a regular file (a directory, a link, a link loop): a diagnostic naming it.
fn content_file<T: DeserializeOwned>(
    root: &Path,
    name: &str,
    need: Need,
    report: &mut Report,
) -> Option<Loaded<T>> {
    let path = root.join(name);
    let wrong = |what: String, hint: &str| Diagnostic::file_error(&path, what, hint.to_string());
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            match need {
                Need::Required(why) => report.push(wrong(
                    format!("{name} not found: {why}"),
                    "restore the file (git checkout -- content/), or pass the right --content DIR",
                )),
                Need::Optional(meaning) => report.push(
                    wrong(
                        format!("{name} not found: {meaning}"),
                        "if that is meant, add the file empty (a comment is enough)",
                    )
                    .warning(),
                ),
            }
            None
        }
        Err(e) => {
            report.push(wrong(
                format!("cannot read {name}: {e}"),
                "check the path and permissions",
            ));
            None
        }
        Ok(m) if m.file_type().is_symlink() => {
            report.push(wrong(
                format!("{name} is a symbolic link: content is read from regular files only, and links are not followed"),
                "replace the link with the file itself",
            ));
            None
        }
        Ok(m) if m.is_dir() => {
            report.push(wrong(
                format!("{name} is a directory, not a file"),
                "put the TOML file here instead of the directory",
            ));
            None
        }
        Ok(m) if !m.is_file() => {
            report.push(wrong(
                format!("{name} is not a regular file"),
                "put the TOML file here",
            ));
            None
        }
        Ok(_) => parse_file::<T>(&path, report),
    }
}

/// Drops the source copies that no measure refers to, each named in a warning: they are not
/// the text of anything on the site, so they are not published (a private file left in
/// `content/sources/` stays private).
fn unreferenced_sources(corpus: &mut Corpus, report: &mut Report) {
    let referenced: std::collections::BTreeSet<&str> = corpus
        .measures
        .iter()
        .map(|l| l.value.source.file.get_ref().as_str())
        .collect();
    let unreferenced: Vec<String> = corpus
        .source_paths
        .keys()
        .filter(|name| !referenced.contains(name.as_str()))
        .cloned()
        .collect();
    for name in unreferenced {
        corpus.sources.remove(&name);
        corpus.source_sizes.remove(&name);
        if let Some(path) = corpus.source_paths.remove(&name) {
            corpus.stamps.remove(&path);
            corpus.fresh.remove(&path);
            report.push(
                Diagnostic::file_error(
                    &path,
                    "no measure refers to this source copy: it is not published",
                    "name it in a measure's [source] file = \"…\", or move it out of content/sources/",
                )
                .warning(),
            );
        }
    }
}

/// Reads and deserialises one TOML file; a syntax or schema error becomes a positioned diagnostic.
pub fn parse_file<T: DeserializeOwned>(path: &Path, report: &mut Report) -> Option<Loaded<T>> {
    read_and_parse(path).map_err(|d| report.push(d)).ok()
}

/// A measure file parsed, or why it could not be.
type MeasureResult = Result<Loaded<MeasureFile>, Diagnostic>;

/// One measure file's outcome, with the stamp taken before it was read and whether it was
/// read anew (not taken from the previous corpus).
type Parsed = (MeasureResult, Option<Stamp>, bool);

/// A file's stamp, and its text unless the stamp shows it unchanged.
type Looked = (Option<Stamp>, Option<Result<String, Diagnostic>>);

/// Reads and parses the measure files at `paths` on every core, in their order. A file that
/// was in `previous` is taken from there when its stamp is unchanged (not even read), or when
/// its text is the same.
fn parse_measures(
    paths: &[PathBuf],
    previous: Vec<Loaded<MeasureFile>>,
    stamps: &BTreeMap<PathBuf, Stamp>,
    texts: Texts,
) -> Vec<Parsed> {
    if previous.is_empty() {
        return paths
            .par_iter()
            .map(|p| {
                // Taken before reading: a write meanwhile shows as a change next time.
                let stamp = Stamp::of(p);
                let mut parsed = read_and_parse(p);
                if let (Ok(l), Texts::LetGo) = (&mut parsed, texts) {
                    l.let_go();
                }
                (parsed, stamp, true)
            })
            .collect();
    }
    let mut previous: std::collections::HashMap<PathBuf, Loaded<MeasureFile>> =
        previous.into_iter().map(|l| (l.path.clone(), l)).collect();
    // Stamps and texts in parallel; a text only where the stamp does not prove the file the same.
    let looked: Vec<Looked> = paths
        .par_iter()
        .map(|p| {
            let stamp = Stamp::of(p);
            let unchanged = previous.contains_key(p)
                && matches!((&stamp, stamps.get(p)), (Some(now), Some(then)) if now.same_file_as(then));
            let text = if unchanged { None } else { Some(read_text(p)) };
            (stamp, text)
        })
        .collect();
    // Unchanged files are taken now; the others are parsed below, in parallel.
    let mut done: Vec<Option<(MeasureResult, bool)>> = Vec::new();
    let mut to_parse: Vec<(usize, String)> = Vec::new();
    let mut stamps_now = Vec::with_capacity(paths.len());
    for (i, (path, (stamp, text))) in paths.iter().zip(looked).enumerate() {
        stamps_now.push(stamp);
        done.push(match text {
            None => previous.remove(path).map(|old| (Ok(old), false)),
            Some(Ok(text)) => match previous.remove(path) {
                Some(old) if old.kept_text_is(&text) => Some((Ok(old), false)),
                _ => {
                    to_parse.push((i, text));
                    None
                }
            },
            Some(Err(d)) => Some((Err(d), true)),
        });
    }
    let fresh: Vec<(usize, MeasureResult)> = to_parse
        .into_par_iter()
        .map(|(i, text)| {
            let path = &paths[i];
            let parsed = parse_str(path, &text).map(|value| {
                let mut l = Loaded::new(path.clone(), text, value);
                if texts == Texts::LetGo {
                    l.let_go();
                }
                l
            });
            (i, parsed)
        })
        .collect();
    for (i, parsed) in fresh {
        done[i] = Some((parsed, true));
    }
    done.into_iter()
        .zip(stamps_now)
        .filter_map(|(r, stamp)| r.map(|(r, fresh)| (r, stamp, fresh)))
        .collect()
}

/// [`parse_file`] without a report, so that files can be parsed on several threads.
fn read_and_parse<T: DeserializeOwned>(path: &Path) -> Result<Loaded<T>, Diagnostic> {
    let text = read_text(path)?;
    let value = parse_str::<T>(path, &text)?;
    Ok(Loaded::new(path.to_path_buf(), text, value))
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
    } else if message.starts_with("unknown variant") {
        "use one of the values listed above, spelt exactly (lower case, hyphens)".into()
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
