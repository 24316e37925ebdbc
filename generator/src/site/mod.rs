//! The pipeline as a library: what the `atlas` commands do, callable by anyone. It imports
//! every stage and nothing imports it; the binary only parses arguments, prints and serves.
//!
//! ```text
//! check:  content::load → validate::check → calc::collect + calc::check
//! build:  check → model::build_owned → render (pages)  ┐ in parallel, into output's
//!                                    → data (search,   ┘ new directory, swapped in
//!                                      exports, assets)    when all is written
//! bundle: build in memory → output::bundle (zip, single file)
//! serve:  Session — the same steps, reusing what did not change since the last build
//! ```

mod data;
mod init;
mod session;
mod timing;

pub use data::Sources;
pub use init::init;
pub use session::{DataJob, Pages, Session};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use time::Date;

use crate::calc::{CalcWords, Calculators};
use crate::content::Corpus;
use crate::diagnostics::{Diagnostic, Report, Severity};
use crate::error::{Error, Result};
use crate::model::FactWords;
use crate::render::i18n::Catalogue;
use crate::render::{Files, Theme};
use timing::Phase;

/// Where a command reads and writes, and the status date.
#[derive(Debug, Clone)]
pub struct Options {
    /// The content directory.
    pub content: PathBuf,
    /// The theme directory.
    pub theme: PathBuf,
    /// The output directory (build, bundle).
    pub out: PathBuf,
    /// The status date, `YYYY-MM-DD`; see [`Options::as_of`].
    pub as_of: Option<String>,
}

impl Default for Options {
    /// `content/`, `themes/default/` and `site/` in the working directory, status today.
    fn default() -> Self {
        Options {
            content: "content".into(),
            theme: "themes/default".into(),
            out: "site".into(),
            as_of: None,
        }
    }
}

impl Options {
    /// The status date: [`Options::as_of`] if given, else `SOURCE_DATE_EPOCH` (reproducible
    /// builds), else today (UTC).
    pub fn as_of(&self) -> Result<Date> {
        if let Some(s) = &self.as_of {
            let fmt = time::macros::format_description!("[year]-[month]-[day]");
            return Date::parse(s, &fmt).map_err(|_| {
                Error::Option(format!(
                    "--as-of '{s}' is not a date; write YYYY-MM-DD, e.g. 2026-11-21"
                ))
            });
        }
        if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
            let secs: i64 = epoch.trim().parse().map_err(|_| {
                Error::Option(format!(
                    "SOURCE_DATE_EPOCH '{epoch}' is not a number of seconds"
                ))
            })?;
            return time::OffsetDateTime::from_unix_timestamp(secs)
                .map(|t| t.date())
                .map_err(|e| Error::Option(format!("SOURCE_DATE_EPOCH: {e}")));
        }
        Ok(time::OffsetDateTime::now_utc().date())
    }
}

/// Content that passed every check, with its calculators.
pub struct Checked {
    /// What was read.
    pub corpus: Corpus,
    /// The calculators' definitions, facts and calendar (`None`: the content has none).
    pub calculators: Option<Calculators>,
}

/// Reads and checks the content under `content`; every finding (errors and warnings) goes to
/// `report`, sorted. `None` when there are errors.
pub fn check(content: &Path, report: &mut Report) -> Option<Checked> {
    check_in(content, &built_in_calc_words(), report)
}

/// [`check`], the calculators' status facts labelled in `words` (a theme's).
fn check_in(content: &Path, words: &CalcWords, report: &mut Report) -> Option<Checked> {
    let t = Phase::start();
    let (corpus, mut found) = crate::content::load(content);
    t.done("load");
    let t = Phase::start();
    let calculators = if found.has_errors() {
        None
    } else {
        check_loaded_in(&corpus, words, &mut found)
    };
    t.done("validate");
    found.sort();
    let ok = !found.has_errors();
    report.items.append(&mut found.items);
    ok.then_some(Checked {
        corpus,
        calculators,
    })
}

/// Every rule of `atlas check` on content already read (`validate` and the calculators');
/// returns the calculators, if the content defines any.
pub fn check_loaded(corpus: &Corpus, report: &mut Report) -> Option<Calculators> {
    check_loaded_in(corpus, &built_in_calc_words(), report)
}

/// [`check_loaded`], the calculators' status facts labelled in `words`.
fn check_loaded_in(corpus: &Corpus, words: &CalcWords, report: &mut Report) -> Option<Calculators> {
    crate::validate::check(corpus, report);
    let calculators = crate::calc::collect(corpus, words, report);
    if let Some(c) = &calculators {
        crate::calc::check(c, corpus, report);
    }
    calculators
}

/// The model of a checked corpus as of `as_of`, its calculators collected on the way, its
/// values in the built-in theme's words (for tests and tools; the build uses [`build`]).
pub fn model(corpus: &Corpus, as_of: Date) -> crate::model::Site {
    let calcs = crate::calc::collect(corpus, &built_in_calc_words(), &mut Report::default());
    crate::model::build(corpus, calcs.as_ref(), &built_in_words(), as_of)
}

/// The words of facts' values in the built-in theme's catalogue.
pub fn built_in_words() -> FactWords {
    let theme = Path::new(crate::render::theme_files::BUILT_IN);
    let c = crate::render::i18n::load(theme, &mut Report::default())
        .expect("the built-in catalogue loads (a test of the theme says so)");
    FactWords::from_catalogue(&c.zh, &c.en)
        .expect("the built-in catalogue has every word of a value")
}

/// The labels of the calculators' status facts in the built-in theme's catalogue.
pub fn built_in_calc_words() -> CalcWords {
    let theme = Path::new(crate::render::theme_files::BUILT_IN);
    let c = crate::render::i18n::load(theme, &mut Report::default())
        .expect("the built-in catalogue loads (a test of the theme says so)");
    CalcWords::from_catalogue(&c.zh, &c.en)
        .expect("the built-in catalogue has every label of a status fact")
}

/// The words calc hands on: the labels of the calculators' status facts in `catalogue`, and
/// the engine words the theme changes; or the catalogue error naming the keys it lacks.
fn calc_words(catalogue: &Catalogue, theme: &Path, report: &mut Report) -> Result<CalcWords> {
    let mut words = CalcWords::from_catalogue(&catalogue.zh, &catalogue.en)
        .map_err(|missing| missing_keys(&missing, theme, report))?;
    let mut found = Report::default();
    let engine = crate::render::i18n::engine_words(theme, &mut found);
    let diagnostics = found.items.clone();
    report.items.append(&mut found.items);
    words.engine = engine.ok_or(Error::Catalogue(diagnostics))?;
    Ok(words)
}

/// The words of facts' values in `catalogue`, or the catalogue error naming the keys it lacks
/// (a theme's own i18n.toml replaces the built-in one whole).
fn fact_words(catalogue: &Catalogue, theme: &Path, report: &mut Report) -> Result<FactWords> {
    FactWords::from_catalogue(&catalogue.zh, &catalogue.en)
        .map_err(|missing| missing_keys(&missing, theme, report))
}

/// The catalogue error for the keys `missing` from the theme's i18n.toml (also in `report`).
fn missing_keys(missing: &[String], theme: &Path, report: &mut Report) -> Error {
    let path = theme.join("i18n.toml");
    let found: Vec<Diagnostic> = missing
        .iter()
        .map(|k| {
            Diagnostic::file_error(
                &path,
                format!("UI string {k} is missing"),
                "add it: the built-in theme's i18n.toml (atlas theme eject) has every key",
            )
        })
        .collect();
    report.items.extend(found.iter().cloned());
    Error::Catalogue(found)
}

/// The error for `report`'s errors.
fn content_error(report: &Report) -> Error {
    Error::Content(
        report
            .items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .collect(),
    )
}

/// The theme's catalogue, or the catalogue error (its findings also go to `report`).
fn catalogue(theme: &Path, report: &mut Report) -> Result<Catalogue> {
    let mut found = Report::default();
    let c = crate::render::i18n::load(theme, &mut found);
    let failed = found.has_errors();
    let diagnostics = found.items.clone();
    report.items.append(&mut found.items);
    match c {
        Some(c) if !failed => Ok(c),
        _ => Err(Error::Catalogue(diagnostics)),
    }
}

/// What rendering needs: the model, the catalogue and the status date.
struct Prepared {
    site: crate::model::Site,
    catalogue: Catalogue,
    as_of: Date,
}

/// The source copies a build carries: always where they were read, and their bytes when kept.
#[derive(Default)]
struct Copies {
    bytes: BTreeMap<String, Vec<u8>>,
    paths: BTreeMap<String, PathBuf>,
}

/// Checks and models the content and reads the theme's catalogue. The source copies' bytes
/// are kept when `keep_bytes`, else let go once checked (15 MB at a thousand measures).
fn prepare(o: &Options, report: &mut Report, keep_bytes: bool) -> Result<(Prepared, Copies)> {
    let as_of = o.as_of()?;
    // The catalogue first: the calculators' facts are labelled in its words.
    let catalogue = catalogue(&o.theme, report)?;
    let labels = calc_words(&catalogue, &o.theme, report)?;
    let checked = check_in(&o.content, &labels, report).ok_or_else(|| content_error(report))?;
    let Checked {
        mut corpus,
        calculators,
    } = checked;
    let copies = Copies {
        bytes: if keep_bytes {
            std::mem::take(&mut corpus.sources)
        } else {
            corpus.sources.clear();
            BTreeMap::new()
        },
        paths: std::mem::take(&mut corpus.source_paths),
    };
    let words = fact_words(&catalogue, &o.theme, report)?;
    let t = Phase::start();
    // The model lets go of each measure's text as it is resolved, and of the rest after.
    let site = crate::model::build_owned(corpus, calculators.as_ref(), &words, as_of);
    t.done("model");
    Ok((
        Prepared {
            site,
            catalogue,
            as_of,
        },
        copies,
    ))
}

/// Checks, models, renders and writes the site to `o.out`; returns the number of files.
/// Pages are written as they are rendered, so the site is never held in memory; the previous
/// site survives any failure. Findings go to `report`.
pub fn build(o: &Options, report: &mut Report) -> Result<usize> {
    // Copied from where they were read: the copies' bytes are not needed past the checks.
    let (p, copies) = prepare(o, report, false)?;
    let t = Phase::start();
    let theme = Theme::load(&o.theme)?;
    t.done("templates");
    let t = Phase::start();
    let n = crate::output::write_site_with(&o.out, |sink| {
        render_all(&p, &theme, &Sources::Disk(&copies.paths), sink)
    })?;
    t.done("render+write");
    // Freeing the model takes tens of milliseconds: another thread does it, which the process
    // does not wait for when it exits.
    std::thread::spawn(move || drop(p));
    Ok(n)
}

/// Pages and data files of `p` into `sink`, at once on every core; returns how many.
fn render_all(
    p: &Prepared,
    theme: &Theme,
    sources: &Sources,
    sink: &dyn crate::render::Sink,
) -> Result<usize> {
    let stats = timing::on().then(crate::render::PageStats::default);
    let (pages, data) = rayon::join(
        || crate::render::render_pages_all(&p.site, theme, &p.catalogue, sink, stats.as_ref()),
        || data::write(&p.site, &p.catalogue, sources, &theme.dir, sink),
    );
    timing::pages(stats);
    Ok(pages? + data?)
}

/// Builds the site into memory and writes it to `o.out` too; returns the files and the status
/// date (bundles need every file in memory anyway).
pub fn build_in_memory(o: &Options, report: &mut Report) -> Result<(Files, Date)> {
    let (p, copies) = prepare(o, report, true)?;
    let theme = Theme::load(&o.theme)?;
    let t = Phase::start();
    let memory = crate::render::Memory::default();
    render_all(&p, &theme, &Sources::Memory(&copies.bytes), &memory)?;
    let files = memory.into_files();
    t.done("render");
    let t = Phase::start();
    crate::output::write_site(&o.out, &files)?;
    t.done("write");
    Ok((files, p.as_of))
}

/// Builds the site (into `o.out`) and writes its offline editions into `dist`: the zip of the
/// folder and the single HTML file. Returns their paths.
pub fn bundle(o: &Options, dist: &Path, report: &mut Report) -> Result<(PathBuf, PathBuf)> {
    let (files, as_of) = build_in_memory(o, report)?;
    crate::output::bundle::write(dist, &files, as_of)
}
