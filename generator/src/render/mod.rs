//! Rendering the model to files with the theme's tera templates. One function per page kind;
//! every link is relative so the folder works from `file://` anywhere.

mod changes;
mod compare;
pub mod i18n;
mod markup;
mod notes;
mod pages;
mod text;

pub use changes::{page_paths, render_changed};
pub use pages::{HOME_ALL_UP_TO, HOME_RECENT};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, Tera};

use crate::model::Site;

/// The calculator engine as one classic script (wasm-bindgen glue + the module in base64),
/// built from calculator-wasm by `build.rs`.
const CALCULATOR_JS: &str = include_str!(concat!(env!("OUT_DIR"), "/calculator.js"));

/// Rendered files: path relative to the output root → bytes. Sorted, so writes are deterministic.
pub type Files = BTreeMap<PathBuf, Vec<u8>>;

/// An error while rendering (template syntax, a missing theme file).
#[derive(Debug)]
pub struct RenderError(pub String);

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Loads every template of the theme.
pub fn templates(theme: &Path) -> Result<Tera, RenderError> {
    let dir = theme.join("templates");
    let mut raw = Vec::new();
    for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let e =
            e.map_err(|e| RenderError(format!("{}: cannot list templates: {e}", dir.display())))?;
        if e.file_type().is_file() {
            let name = e
                .path()
                .strip_prefix(&dir)
                .unwrap_or(e.path())
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(e.path())
                .map_err(|err| RenderError(format!("{}: {err}", e.path().display())))?;
            raw.push((name, text));
        }
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html"]);
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(raw)
        .map_err(|e| RenderError(format!("{}: template error: {}", dir.display(), chain(&e))))?;
    Ok(tera)
}

/// The theme's templates compiled for both editions (they differ in the `loc` filter).
/// Compiled once per build; `atlas serve` keeps them until a theme file changes.
pub struct Theme {
    tera: Vec<Tera>,
    /// The theme directory (static files are copied from `static/`).
    pub dir: PathBuf,
    /// The notes rendered so far (the templates' `markdown` filter reads them too).
    notes: std::sync::Arc<notes::Notes>,
}

impl Theme {
    /// Loads and compiles the theme in `dir`.
    pub fn load(dir: &Path) -> Result<Theme, RenderError> {
        let t = crate::cli::Phase::start();
        let notes = std::sync::Arc::new(notes::Notes::default());
        let mut tera = Vec::new();
        for lang in LANGS {
            let mut one = templates(dir)?;
            one.register_filter(
                "loc",
                Loc {
                    en: lang.code == "en",
                },
            );
            one.register_filter("markdown", notes::Filter(std::sync::Arc::clone(&notes)));
            tera.push(one);
        }
        t.done("templates");
        Ok(Theme {
            tera,
            dir: dir.to_path_buf(),
            notes,
        })
    }
}

/// The HTML of a unit's marked text as the pages write it, with `outside_title` and
/// `outside_mark` as the words for a document not in the collection (for tests).
pub fn marked_html(
    m: &crate::model::marked::Marked,
    outside_title: &str,
    outside_mark: &str,
) -> String {
    let mut out = String::new();
    let words = markup::MarkWords {
        outside_title: outside_title.to_string(),
        outside_mark: outside_mark.to_string(),
    };
    markup::write(&mut out, m, &words);
    out
}

/// The sanitised inline HTML of a note written in Markdown (for tests).
pub fn note_html(markdown: &str) -> String {
    notes::note_html(markdown)
}

/// Tera's escaping (`& < > " ' /` as `&amp; &lt; &gt; &quot; &#x27; &#x2F;`, OWASP's set), done
/// by copying the runs between those characters rather than one char at a time.
pub fn escape_html(input: &str) -> String {
    html_escape::encode_safe(input).into_owned()
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// The languages of the site: the Chinese edition at the root, the English one under `en/`.
pub const LANGS: [Lang; 2] = [
    Lang {
        code: "zh",
        html: "zh-Hans",
        prefix: "",
    },
    Lang {
        code: "en",
        html: "en",
        prefix: "en/",
    },
];

/// One language edition.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Lang {
    /// Catalogue key, `zh` or `en`.
    pub code: &'static str,
    /// Value of the `lang` attribute.
    pub html: &'static str,
    /// Directory of the edition below the site root.
    pub prefix: &'static str,
}

/// `{{ obj | loc(k="title") }}`: the English field (`title_en`; `en` for `zh`; `x_en` for `x_zh`)
/// in the English edition when it is not empty, else the Chinese one.
struct Loc {
    en: bool,
}

impl tera::Filter for Loc {
    fn filter(
        &self,
        value: &tera::Value,
        args: &std::collections::HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        let k = args
            .get("k")
            .and_then(tera::Value::as_str)
            .ok_or_else(|| tera::Error::msg("loc needs k=\"field\""))?;
        let zh = value.get(k).cloned().unwrap_or(tera::Value::Null);
        if !self.en {
            return Ok(zh);
        }
        let en_key = if k == "zh" {
            "en".to_string()
        } else if let Some(stem) = k.strip_suffix("_zh") {
            format!("{stem}_en")
        } else {
            format!("{k}_en")
        };
        match value.get(&en_key) {
            Some(tera::Value::String(s)) if !s.is_empty() => Ok(tera::Value::String(s.clone())),
            _ => Ok(zh),
        }
    }
}

/// Renders template `name`; `size` is a guess of the output's length. Rendered as bytes, as
/// they are written as such: a `String` would be checked for UTF-8 once more (tera writes
/// only UTF-8).
fn render(tera: &Tera, name: &str, ctx: &Context, size: usize) -> Result<Vec<u8>, RenderError> {
    let mut out = Vec::with_capacity(size);
    tera.render_to(name, ctx, &mut out)
        .map_err(|e| RenderError(format!("rendering {name}: {}", chain(&e))))?;
    Ok(out)
}

/// Where rendered files go: straight into the output directory (`atlas build`, so the site
/// is never held in memory) or into a map (`atlas serve`, bundles, tests). Called from the
/// rendering threads at once.
pub trait Sink: Sync {
    /// Stores one file at `rel`, a path relative to the site root.
    fn put(&self, rel: &Path, bytes: &[u8]) -> Result<(), RenderError>;

    /// Whether the files are still wanted: long steps (the search index) ask between pieces of
    /// work and give up when not. `atlas serve`'s data files stop being wanted when a newer
    /// build supersedes theirs.
    fn wanted(&self) -> bool {
        true
    }

    /// Stores at `rel` the file `write` writes. The default collects it and [`Sink::put`]s it;
    /// a sink that writes to disk streams it, so that the largest file (the dataset, tens of
    /// megabytes at a thousand measures) is never held whole.
    fn put_written(
        &self,
        rel: &Path,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), RenderError> {
        let mut bytes = Vec::new();
        write(&mut bytes).map_err(|e| RenderError(format!("{}: {e}", rel.display())))?;
        self.put(rel, &bytes)
    }

    /// Stores at `rel` a copy of the file at `from`. The default reads it and [`Sink::put`]s
    /// it; a sink that writes to disk lets the system copy it.
    fn put_copy(&self, rel: &Path, from: &Path) -> Result<(), RenderError> {
        let bytes =
            std::fs::read(from).map_err(|e| RenderError(format!("{}: {e}", from.display())))?;
        self.put(rel, &bytes)
    }
}

/// The verbatim source copies a site carries, by file name.
pub enum Sources<'a> {
    /// Held in memory (`atlas serve` compares them from build to build; bundles and tests).
    Memory(&'a BTreeMap<String, Vec<u8>>),
    /// Copied from where they were read (`atlas build`, which need not hold them once they
    /// are checked and modelled: 15 MB at a thousand measures).
    Disk(&'a BTreeMap<String, PathBuf>),
}

/// A [`Sink`] that keeps the files in memory.
#[derive(Default)]
pub struct Memory(std::sync::Mutex<Files>);

impl Memory {
    /// The files stored so far.
    pub fn into_files(self) -> Files {
        self.0.into_inner().unwrap_or_else(|p| p.into_inner())
    }
}

impl Sink for Memory {
    fn put(&self, rel: &Path, bytes: &[u8]) -> Result<(), RenderError> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(rel.to_path_buf(), bytes.to_vec());
        Ok(())
    }
}

/// Renders the whole site, both editions, into `sink`; returns the number of files.
pub fn render_site(
    site: &Site,
    theme: &Path,
    catalogue: &i18n::Catalogue,
    sources: &Sources,
    sink: &dyn Sink,
) -> Result<usize, RenderError> {
    let theme = Theme::load(theme)?;
    let jobs = pages::jobs(site);
    // Pages are independent: render them on every core, each written as soon as it is done,
    // while one thread builds the search index and the exports.
    let (pages, data) = rayon::join(
        || render_pages(site, &theme, catalogue, &jobs, sink),
        || render_data(site, catalogue, sources, &theme.dir, sink),
    );
    Ok(pages? + data?)
}

/// Renders every page of both editions (no data files) into `sink`; returns how many.
pub fn render_pages_all(
    site: &Site,
    theme: &Theme,
    catalogue: &i18n::Catalogue,
    sink: &dyn Sink,
) -> Result<usize, RenderError> {
    render_pages(site, theme, catalogue, &pages::jobs(site), sink)
}

/// Renders `jobs` on every core into `sink`; returns how many.
fn render_pages(
    site: &Site,
    theme: &Theme,
    catalogue: &i18n::Catalogue,
    jobs: &[pages::Job],
    sink: &dyn Sink,
) -> Result<usize, RenderError> {
    use rayon::prelude::*;
    prepare_notes(site, theme);
    let r = pages::Renderer::new(site, theme, catalogue);
    // Time spent per kind of page (summed over threads), when ATLAS_TIMINGS asks for it.
    let per_kind = std::env::var_os("ATLAS_TIMINGS")
        .map(|_| std::sync::Mutex::new(BTreeMap::<&str, (usize, f64, usize)>::new()));
    let count = std::sync::atomic::AtomicUsize::new(0);
    jobs.par_iter().try_for_each(|job| {
        let start = std::time::Instant::now();
        let bytes = r.render(job, sink)?;
        count.fetch_add(job.pages.len(), std::sync::atomic::Ordering::Relaxed);
        if let Some(m) = &per_kind {
            let mut m = m.lock().unwrap_or_else(|p| p.into_inner());
            let e = m.entry(job.pages[0].kind).or_default();
            *e = (
                e.0 + job.pages.len(),
                e.1 + start.elapsed().as_secs_f64(),
                e.2 + bytes,
            );
        }
        Ok::<(), RenderError>(())
    })?;
    if let Some(m) = per_kind {
        for (kind, (n, secs, bytes)) in m.into_inner().unwrap_or_else(|p| p.into_inner()) {
            eprintln!(
                "atlas:   {kind:<13} {n:>6} pages {:>9.1} ms (thread time) {:>8.1} MB",
                secs * 1000.0,
                bytes as f64 / 1e6
            );
        }
    }
    Ok(count.into_inner())
}

/// Renders every distinct note of `site` (errata and facts) once, on every core, before the
/// pages that show them are written.
fn prepare_notes(site: &Site, theme: &Theme) {
    let errata = site.measures.iter().flat_map(|m| &m.errata);
    let facts = site.measures.iter().flat_map(|m| &m.facts);
    theme.notes.prepare(
        errata
            .flat_map(|e| [e.note.as_str(), e.note_en.as_str()])
            .chain(facts.flat_map(|f| {
                [f.note.as_deref(), f.note_en.as_deref()]
                    .into_iter()
                    .flatten()
            })),
    );
}

/// Everything that is not a page: the search index, the data exports, the calculator engine
/// and definitions, the verbatim source copies and the theme's static files. Returns how many
/// files.
pub fn render_data(
    site: &Site,
    catalogue: &i18n::Catalogue,
    sources: &Sources,
    theme: &Path,
    sink: &dyn Sink,
) -> Result<usize, RenderError> {
    let counted = Counted {
        sink,
        count: std::sync::atomic::AtomicUsize::new(0),
    };
    let put = |rel: &Path, bytes: &[u8]| counted.put(rel, bytes);
    let t = crate::cli::Phase::start();
    // Each file is written and freed as soon as it is made: they are tens of megabytes at a
    // thousand measures. The first failure to write is the step's error, and stops it.
    let failed = std::cell::OnceCell::new();
    let level_words = |l: crate::content::vocab::Level| {
        catalogue
            .zh
            .get(&["level_", l.code()].concat())
            .cloned()
            .unwrap_or_default()
    };
    let built = crate::search::write(
        site,
        &level_words,
        &|| failed.get().is_none() && counted.wanted(),
        &mut |path, bytes| {
            if failed.get().is_none() {
                if let Err(e) = put(&path, &bytes) {
                    let _ = failed.set(e);
                }
            }
        },
    );
    if let Some(e) = failed.into_inner() {
        return Err(e);
    }
    built.ok_or_else(|| RenderError("superseded by a newer build".into()))?;
    t.done("search");
    let t = crate::cli::Phase::start();
    counted.put_written(Path::new("data/atlas.json"), &mut |w| {
        crate::export::json::write_dataset(site, w)
    })?;
    put(
        Path::new("data/atlas.schema.json"),
        &crate::export::json::schema(),
    )?;
    put(
        Path::new("compare/matrix.csv"),
        &crate::export::csv::matrix(site),
    )?;
    t.done("exports");
    extras(site, sources, theme, &counted)?;
    Ok(counted.count.into_inner())
}

/// A sink that counts what passes through it.
struct Counted<'a> {
    sink: &'a dyn Sink,
    count: std::sync::atomic::AtomicUsize,
}

impl Sink for Counted<'_> {
    fn put(&self, rel: &Path, bytes: &[u8]) -> Result<(), RenderError> {
        self.count
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.sink.put(rel, bytes)
    }

    fn put_written(
        &self,
        rel: &Path,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), RenderError> {
        self.count
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.sink.put_written(rel, write)
    }

    fn put_copy(&self, rel: &Path, from: &Path) -> Result<(), RenderError> {
        self.count
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.sink.put_copy(rel, from)
    }

    fn wanted(&self) -> bool {
        self.sink.wanted()
    }
}

/// Renders the whole site into memory.
pub fn render_to_memory(
    site: &Site,
    theme: &Path,
    catalogue: &i18n::Catalogue,
    sources: &BTreeMap<String, Vec<u8>>,
) -> Result<Files, RenderError> {
    let memory = Memory::default();
    render_site(site, theme, catalogue, &Sources::Memory(sources), &memory)?;
    Ok(memory.into_files())
}

/// The files that are not pages: the calculator engine and definitions, the verbatim source
/// copies and the theme's static files.
fn extras(
    site: &Site,
    sources: &Sources,
    theme: &Path,
    sink: &dyn Sink,
) -> Result<(), RenderError> {
    let put = |rel: &Path, bytes: &[u8]| sink.put(rel, bytes);
    // The engine, compiled to WebAssembly and embedded in a classic script (file:// forbids
    // fetching a .wasm), and one small script per calculator holding its definition and facts.
    if !site.calculators.is_empty() {
        put(Path::new("assets/calculator.js"), CALCULATOR_JS.as_bytes())?;
        for calc in &site.calculators {
            let js = format!(
                "(window.ATLAS_CALC_BUNDLES = window.ATLAS_CALC_BUNDLES || {{}})[{}] = {};\n",
                serde_json::Value::String(calc.id.clone()),
                serde_json::Value::String(calc.bundle.clone())
            );
            put(
                &PathBuf::from("assets/calc").join(format!("{}.js", calc.id)),
                js.as_bytes(),
            )?;
        }
    }
    // The verbatim copies travel with the site so a reader can check any sentence offline.
    match sources {
        Sources::Memory(copies) => {
            for (name, bytes) in copies.iter() {
                put(&PathBuf::from("sources").join(name), bytes)?;
            }
        }
        Sources::Disk(paths) => {
            for (name, path) in paths.iter() {
                sink.put_copy(&PathBuf::from("sources").join(name), path)?;
            }
        }
    }
    copy_static(&theme.join("static"), sink)
}

fn copy_static(dir: &Path, sink: &dyn Sink) -> Result<(), RenderError> {
    if !dir.is_dir() {
        return Ok(());
    }
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.map_err(|e| RenderError(format!("{}: {e}", dir.display())))?;
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            let bytes = std::fs::read(e.path())
                .map_err(|err| RenderError(format!("{}: {err}", e.path().display())))?;
            sink.put(&PathBuf::from("assets").join(rel), &bytes)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{render_data, RenderError, Sink, Sources};
    use std::path::Path;

    /// A sink that fails to store its `fail_at`th file (counting from 1), and keeps the names
    /// of the files it was given.
    struct Failing {
        fail_at: usize,
        given: std::sync::Mutex<Vec<std::path::PathBuf>>,
    }

    impl Sink for Failing {
        fn put(&self, rel: &Path, _bytes: &[u8]) -> Result<(), RenderError> {
            let mut given = self.given.lock().unwrap();
            given.push(rel.to_path_buf());
            if given.len() == self.fail_at {
                return Err(RenderError(format!(
                    "{}: no space left on device",
                    rel.display()
                )));
            }
            Ok(())
        }
    }

    /// A file that cannot be written ends the data step with that file's error, and nothing
    /// is written after it.
    #[test]
    fn a_failed_write_stops_the_data_step() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (corpus, report) = crate::content::load(&dir.join("../content"));
        assert!(!report.has_errors());
        let site = crate::model::build(&corpus, time::macros::date!(2026 - 11 - 21));
        let theme = dir.join("../themes/default");
        let catalogue =
            super::i18n::load(&theme, &mut crate::diagnostics::Report::default()).unwrap();
        let sources = Sources::Memory(&corpus.sources);
        let all = Failing {
            fail_at: 0,
            given: Default::default(),
        };
        let n = render_data(&site, &catalogue, &sources, &theme, &all).unwrap();
        let names = all.given.into_inner().unwrap();
        assert_eq!(n, names.len());
        let at = |name: &str| 1 + names.iter().position(|p| p == Path::new(name)).unwrap();
        // A search file, the dataset, a source copy: each failure is the step's error.
        for fail_at in [
            2,
            at("data/atlas.json"),
            at("sources/000_2e852e097c09fd9b.txt"),
        ] {
            let sink = Failing {
                fail_at,
                given: Default::default(),
            };
            let e = render_data(&site, &catalogue, &sources, &theme, &sink).unwrap_err();
            let given = sink.given.into_inner().unwrap();
            assert_eq!(given.len(), fail_at, "{}", e.0);
            let failed = given[fail_at - 1].display().to_string();
            assert!(
                e.0.contains(&failed) && e.0.contains("no space left on device"),
                "{}",
                e.0
            );
        }
    }

    /// The escaping set on the theme's templates writes exactly what tera's own would, so the
    /// pages are the same bytes: every ASCII character alone and among CJK text, entities
    /// already escaped, and a hostile attribute.
    #[test]
    fn escaping_is_teras() {
        let mut samples: Vec<String> = (0u8..128)
            .map(|b| {
                let c = char::from(b);
                format!("{c}《办法》{c}{c}第（一）项{c}")
            })
            .collect();
        samples.extend(
            [
                "",
                "&amp; &lt;already&gt; &#x2F;",
                "\"><img src=x onerror=alert(1)>",
                "../en/measures/a-b.html?q='1'&x=2",
                "云南省科学技术厅关于印发《云南省国际科技合作基地管理办法》的通知",
            ]
            .map(String::from),
        );
        for s in &samples {
            assert_eq!(super::escape_html(s), tera::escape_html(s), "{s:?}");
        }
    }
}
