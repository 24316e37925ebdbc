//! Rebuilding after each edit (`atlas serve`): the content is loaded, checked and modelled again on every
//! change (that is what finds errors anywhere), but files that did not change are neither read
//! nor checked again, measures that neither changed nor see a change are not resolved again,
//! and only the pages whose data changed are rendered again; the compiled theme is kept until
//! a theme file changes. The search index and data exports follow as a separate [`DataJob`],
//! so that the edited page reloads first and the next edit need not wait for them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use super::timing::Phase;
use super::{data, Options};
use crate::error::{Error, Result};
use crate::model::Site;
use crate::render::i18n::Catalogue;
use crate::render::{Memory, Theme};

/// Source copies by file name, shared with the data step of the same build.
type Sources = Arc<BTreeMap<String, Vec<u8>>>;

/// What the last good build left: enough to render only what changes next time.
#[derive(Default)]
pub struct Session {
    /// The compiled theme and its catalogue; `None` after a theme file changed.
    theme: Option<(Theme, Catalogue)>,
    /// The last good model, the sources it was built with (shared with its data step) and
    /// the catalogue its pages were rendered with.
    last: Option<(Arc<Site>, Sources, Catalogue)>,
    /// Paths of the pages of the last good build.
    pages: BTreeSet<PathBuf>,
    /// The content as last read, good or not: unchanged files are not parsed again.
    parsed: crate::content::Corpus,
    /// The per-measure findings of the last checks: unchanged measures are not checked again.
    checked: crate::validate::Cache,
    /// The measures of the last model: unchanged ones are not resolved again.
    modelled: crate::model::Memo,
}

/// The outcome of the first step of a rebuild: what to change in the served site.
pub struct Pages {
    /// Pages rendered again, by path.
    pub changed: BTreeMap<PathBuf, Vec<u8>>,
    /// Pages that are gone (their measure was removed).
    pub removed: Vec<PathBuf>,
    /// Whether the data files (search index, exports) differ from the last good build's.
    pub data_stale: bool,
}

/// The second step of a build: its search index, exports, engine, source copies and static
/// files. Holds the build's model, so it can run on its own thread while the next build starts.
pub struct DataJob {
    site: Arc<Site>,
    catalogue: Catalogue,
    sources: Sources,
    theme: PathBuf,
}

impl DataJob {
    /// Renders the data files; gives up with an error at the first file written, or the first
    /// check inside the search index, after `live` turns false (a newer build supersedes this
    /// one), so that a stale job stops early.
    pub fn run(&self, live: &(dyn Fn() -> bool + Sync)) -> Result<BTreeMap<PathBuf, Vec<u8>>> {
        let memory = Memory::default();
        let sink = WhileLive {
            inner: &memory,
            live,
        };
        data::write(
            &self.site,
            &self.catalogue,
            &data::Sources::Memory(&self.sources),
            &self.theme,
            &sink,
        )?;
        Ok(memory.into_files())
    }
}

/// A sink that refuses files once its build is superseded.
struct WhileLive<'a> {
    inner: &'a Memory,
    live: &'a (dyn Fn() -> bool + Sync),
}

impl crate::render::Sink for WhileLive<'_> {
    fn put(
        &self,
        rel: &std::path::Path,
        bytes: &[u8],
    ) -> std::result::Result<(), crate::render::RenderError> {
        if !(self.live)() {
            return Err(crate::render::RenderError(
                "superseded by a newer build".into(),
            ));
        }
        self.inner.put(rel, bytes)
    }

    fn wanted(&self) -> bool {
        (self.live)()
    }
}

impl Session {
    /// Forgets the compiled theme: the next build loads it again.
    pub fn theme_changed(&mut self) {
        self.theme = None;
    }

    /// Checks and models the content and renders the pages that changed since the last good
    /// build (all of them the first time or after a theme change). A content or catalogue
    /// error holds every diagnostic.
    pub fn pages(&mut self, o: &Options) -> Result<Pages> {
        let as_of = o.as_of()?;
        let t = Phase::start();
        let (corpus, report) =
            crate::content::load_reusing(&o.content, std::mem::take(&mut self.parsed));
        self.checked.forget_fresh(&corpus);
        t.done("load");
        let result = self.pages_of(o, &corpus, report, as_of);
        self.parsed = corpus;
        result
    }

    /// The data step of the last good build.
    pub fn data_job(&self, o: &Options) -> Option<DataJob> {
        self.last
            .as_ref()
            .map(|(site, sources, catalogue)| DataJob {
                site: Arc::clone(site),
                catalogue: catalogue.clone(),
                sources: Arc::clone(sources),
                theme: o.theme.clone(),
            })
    }

    /// [`Session::pages`] once the content is read.
    fn pages_of(
        &mut self,
        o: &Options,
        corpus: &crate::content::Corpus,
        mut report: crate::diagnostics::Report,
        as_of: time::Date,
    ) -> Result<Pages> {
        // The theme first: the calculators' facts are labelled in its catalogue's words.
        let fresh_theme = self.theme.is_none();
        if fresh_theme {
            let catalogue = crate::render::i18n::load(&o.theme, &mut report);
            let theme = Theme::load(&o.theme);
            match (catalogue, theme) {
                (Some(c), Ok(t)) if !report.has_errors() => self.theme = Some((t, c)),
                (_, Err(e)) => return Err(e.into()),
                _ => {}
            }
        }
        let labels = match &self.theme {
            Some((_, c)) => super::calc_words(c, &o.theme, &mut report)?,
            // The build stops on the catalogue's errors below; the labels are not used.
            None => super::built_in_calc_words(),
        };
        let t = Phase::start();
        let mut calculators = None;
        if !report.has_errors() {
            crate::validate::check_with(corpus, &mut report, &mut self.checked);
            calculators = crate::calc::collect(corpus, &labels, &mut report);
            if let Some(c) = &calculators {
                crate::calc::check(c, corpus, &mut report);
            }
        }
        t.done("validate");
        report.sort();
        if report.has_errors() {
            return Err(super::content_error(&report));
        }
        let (theme, catalogue) = self
            .theme
            .as_ref()
            .ok_or_else(|| Error::Catalogue(Vec::new()))?;
        let words = super::fact_words(catalogue, &o.theme, &mut report)?;
        let t = Phase::start();
        let site = crate::model::build_reusing(
            corpus,
            calculators.as_ref(),
            &words,
            as_of,
            &mut self.modelled,
        );
        t.done("model");
        let t = Phase::start();
        let memory = Memory::default();
        // The last build's source copies, when they are unchanged (shared, not copied again).
        let (data_stale, same_sources) = match &self.last {
            Some((old, old_sources, _)) if !fresh_theme => {
                // Whether the data files must follow is a second walk over the model: meanwhile.
                let (done, (same_model, same_sources)) = rayon::join(
                    || crate::render::render_changed(&site, old, theme, catalogue, &memory),
                    || (site == **old, corpus.sources == **old_sources),
                );
                done?;
                (
                    !(same_model && same_sources),
                    same_sources.then(|| Arc::clone(old_sources)),
                )
            }
            _ => {
                crate::render::render_pages_all(&site, theme, catalogue, &memory, None)?;
                (true, None)
            }
        };
        // Copied when changed: the parsed content keeps its own, to be reused by the next load.
        let sources = same_sources.unwrap_or_else(|| Arc::new(corpus.sources.clone()));
        t.done("render");
        let pages = crate::render::page_paths(&site);
        // Pages of measures that are gone go too.
        let removed = self.pages.difference(&pages).cloned().collect();
        self.pages = pages;
        // The old model is large: freed on another thread (or by its data step, if running).
        let old = self
            .last
            .replace((Arc::new(site), sources, catalogue.clone()));
        std::thread::spawn(move || drop(old));
        Ok(Pages {
            changed: memory.into_files(),
            removed,
            data_stale,
        })
    }
}
