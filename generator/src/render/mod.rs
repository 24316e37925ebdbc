//! Rendering the model to pages with the theme's tera templates and UI catalogue ([`i18n`]):
//! all the site's HTML and every UI word come from here. Every link is relative so the
//! folder works from `file://` anywhere. Imports the model (and content's vocabularies).

mod changes;
mod compare;
pub mod i18n;
pub mod jsonld;
mod lang;
mod markup;
mod notes;
mod pages;
mod text;
pub mod theme_files;

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

pub use crate::error::RenderError;

/// Loads every template of the theme: the built-in ones, each overridden by the file of the
/// same name under `theme/templates/` when there is one ([`theme_files`]).
pub fn templates(theme: &Path) -> Result<Tera, RenderError> {
    let mut raw = Vec::new();
    for f in theme_files::files_under(theme, "templates")? {
        let name = f.name["templates/".len()..].to_string();
        let text = String::from_utf8(f.bytes.into_owned()).map_err(|_| {
            RenderError(format!(
                "{}: template is not valid UTF-8; save it as UTF-8",
                f.origin.display()
            ))
        })?;
        raw.push((name, text));
    }
    let dir = theme.join("templates");
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
    /// The theme directory: its files override the built-in theme's ([`theme_files`]).
    pub dir: PathBuf,
    /// The notes rendered so far (the templates' `markdown` filter reads them too).
    notes: std::sync::Arc<notes::Notes>,
}

impl Theme {
    /// Loads and compiles the theme in `dir`.
    pub fn load(dir: &Path) -> Result<Theme, RenderError> {
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
            one.register_filter(
                "markdown",
                notes::Filter(std::sync::Arc::clone(&notes), lang.code == "en"),
            );
            one.register_filter(
                "zh_marked",
                lang::Filter {
                    en: lang.code == "en",
                },
            );
            tera.push(one);
        }
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

/// Renders every page of both editions (no data files) into `sink`; returns how many.
/// `stats`, when given, gathers the time and bytes spent on each kind of page.
pub fn render_pages_all(
    site: &Site,
    theme: &Theme,
    catalogue: &i18n::Catalogue,
    sink: &dyn Sink,
    stats: Option<&PageStats>,
) -> Result<usize, RenderError> {
    render_pages(site, theme, catalogue, &pages::jobs(site), sink, stats)
}

/// Time (summed over threads) and bytes spent on each kind of page, for `ATLAS_TIMINGS`.
#[derive(Default)]
pub struct PageStats(std::sync::Mutex<BTreeMap<&'static str, (usize, f64, usize)>>);

impl PageStats {
    /// Each kind of page: (kind, pages, seconds of thread time, bytes), by kind.
    pub fn lines(self) -> Vec<(&'static str, usize, f64, usize)> {
        self.0
            .into_inner()
            .unwrap_or_else(|p| p.into_inner())
            .into_iter()
            .map(|(k, (n, secs, bytes))| (k, n, secs, bytes))
            .collect()
    }
}

/// Renders `jobs` on every core into `sink`; returns how many.
fn render_pages(
    site: &Site,
    theme: &Theme,
    catalogue: &i18n::Catalogue,
    jobs: &[pages::Job],
    sink: &dyn Sink,
    stats: Option<&PageStats>,
) -> Result<usize, RenderError> {
    use rayon::prelude::*;
    prepare_notes(site, theme);
    let r = pages::Renderer::new(site, theme, catalogue);
    let count = std::sync::atomic::AtomicUsize::new(0);
    jobs.par_iter().try_for_each(|job| {
        let start = std::time::Instant::now();
        let bytes = r.render(job, sink)?;
        count.fetch_add(job.pages.len(), std::sync::atomic::Ordering::Relaxed);
        if let Some(PageStats(m)) = stats {
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

/// The site's files that are neither pages nor data: the calculator engine, each calculator's
/// definitions and facts, and the theme's static files ([`theme_files`]). Returns how many.
pub fn assets(site: &Site, theme: &Path, sink: &dyn Sink) -> Result<usize, RenderError> {
    let mut n = 0;
    // The engine, compiled to WebAssembly and embedded in a classic script (file:// forbids
    // fetching a .wasm), and one small script per calculator holding its definition and facts.
    if !site.calculators.is_empty() {
        sink.put(Path::new("assets/calculator.js"), CALCULATOR_JS.as_bytes())?;
        n += 1;
        for calc in &site.calculators {
            let js = format!(
                "(window.ATLAS_CALC_BUNDLES = window.ATLAS_CALC_BUNDLES || {{}})[{}] = {};\n",
                serde_json::Value::String(calc.id.clone()),
                serde_json::Value::String(calc.bundle.clone())
            );
            sink.put(
                &PathBuf::from("assets/calc").join(format!("{}.js", calc.id)),
                js.as_bytes(),
            )?;
            n += 1;
        }
    }
    Ok(n + copy_static(theme, sink)?)
}

/// The theme's static files (built in, overridden file by file from `theme/static/`) under
/// `assets/`.
fn copy_static(theme: &Path, sink: &dyn Sink) -> Result<usize, RenderError> {
    let files = theme_files::files_under(theme, "static")?;
    for f in &files {
        sink.put(
            &PathBuf::from("assets").join(&f.name["static/".len()..]),
            &f.bytes,
        )?;
    }
    Ok(files.len())
}

#[cfg(test)]
mod tests {

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
