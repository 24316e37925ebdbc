//! Rebuilding for `atlas serve`: the content is loaded, checked and modelled again on every
//! change (that is what finds errors anywhere), but files that did not change are neither read
//! nor checked again, measures that neither changed nor see a change are not resolved again,
//! and only the pages whose data changed are rendered again; the compiled theme is kept until a theme file changes; the search index
//! and data exports follow in a second step so that the edited page reloads first.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use crate::cli::Options;
use crate::model::Site;
use crate::render::i18n::Catalogue;
use crate::render::{Memory, Theme};

/// Files served, by path from the site root. Shared between versions of the site, so that a
/// rebuild copies pointers, not bytes.
pub type Served = BTreeMap<PathBuf, Arc<Vec<u8>>>;

/// What the last good build left: enough to render only what changes next time.
#[derive(Default)]
pub struct Session {
    /// The compiled theme and its catalogue; `None` after a theme file changed.
    theme: Option<(Theme, Catalogue)>,
    /// The last good model, and the sources it was built with.
    last: Option<(Site, BTreeMap<String, Vec<u8>>)>,
    /// Paths of the pages and of the data files of the last good build.
    pages: BTreeSet<PathBuf>,
    data: BTreeSet<PathBuf>,
    /// The content as last read, good or not: unchanged files are not parsed again.
    parsed: crate::content::Corpus,
    /// The per-measure findings of the last checks: unchanged measures are not checked again.
    checked: crate::validate::Cache,
    /// The measures of the last model: unchanged ones are not resolved again.
    modelled: crate::model::Memo,
}

/// The outcome of the first step of a rebuild.
pub struct Pages {
    /// The site with the changed pages (data files as before).
    pub files: Served,
    /// How many pages were rendered again.
    pub rendered: usize,
    /// Whether the data files (search index, exports) must follow.
    pub data_stale: bool,
}

impl Session {
    /// Forgets the compiled theme: the next build loads it again.
    pub fn theme_changed(&mut self) {
        self.theme = None;
    }

    /// Checks and models the content and renders the pages that changed since the last good
    /// build (all of them the first time or after a theme change) on top of `served`. The error
    /// text holds every diagnostic.
    pub fn pages(&mut self, o: &Options, served: &Served) -> Result<Pages, String> {
        let as_of = crate::cli::as_of(o)?;
        let t = crate::cli::Phase::start();
        let (corpus, report) =
            crate::content::load_reusing(&o.content, std::mem::take(&mut self.parsed));
        self.checked.forget_fresh(&corpus);
        t.done("load");
        let result = self.pages_of(o, &corpus, report, as_of, served);
        if result.is_ok() {
            if let Some((_, sources)) = &mut self.last {
                // Copied: the parsed content keeps its own, to be reused by the next load.
                sources.clone_from(&corpus.sources);
            }
        }
        self.parsed = corpus;
        result
    }

    /// [`Session::pages`] once the content is read. The sources of the new model are left
    /// empty: the caller moves them in.
    fn pages_of(
        &mut self,
        o: &Options,
        corpus: &crate::content::Corpus,
        mut report: crate::diagnostics::Report,
        as_of: time::Date,
        served: &Served,
    ) -> Result<Pages, String> {
        let t = crate::cli::Phase::start();
        if !report.has_errors() {
            crate::validate::check_with(corpus, &mut report, &mut self.checked);
        }
        t.done("validate");
        report.sort();
        let fresh_theme = self.theme.is_none();
        if fresh_theme {
            let catalogue = crate::render::i18n::load(&o.theme, &mut report);
            let theme = Theme::load(&o.theme);
            match (catalogue, theme) {
                (Some(c), Ok(t)) if !report.has_errors() => self.theme = Some((t, c)),
                (_, Err(e)) => return Err(e.to_string()),
                _ => {}
            }
        }
        if report.has_errors() {
            let text: Vec<String> = report
                .items
                .iter()
                .filter(|d| d.severity == crate::diagnostics::Severity::Error)
                .map(|d| d.to_string())
                .collect();
            return Err(text.join("\n"));
        }
        let (theme, catalogue) = self
            .theme
            .as_ref()
            .ok_or("the theme's UI catalogue could not be read")?;
        let t = crate::cli::Phase::start();
        let site = crate::model::build_reusing(corpus, as_of, &mut self.modelled);
        t.done("model");
        let t = crate::cli::Phase::start();
        let memory = Memory::default();
        let (rendered, data_stale) = match &self.last {
            Some((old, old_sources)) if !fresh_theme => {
                // Whether the data files must follow is a second walk over the model: meanwhile.
                let (done, stale) = rayon::join(
                    || crate::render::render_changed(&site, old, theme, catalogue, &memory),
                    || site != *old || corpus.sources != *old_sources,
                );
                (done.map_err(|e| e.to_string())?.len(), stale)
            }
            _ => {
                let all = crate::render::page_paths(&site);
                crate::render::render_pages_all(&site, theme, catalogue, &memory)
                    .map_err(|e| e.to_string())?;
                (all.len(), true)
            }
        };
        t.done("render");
        let t = crate::cli::Phase::start();
        let pages = crate::render::page_paths(&site);
        let mut files = served.clone();
        // Pages of measures that are gone go too.
        for gone in self.pages.difference(&pages) {
            files.remove(gone);
        }
        for (path, bytes) in memory.into_files() {
            files.insert(path, Arc::new(bytes));
        }
        self.pages = pages;
        // The old model is large: freed on another thread, after the new pages are served.
        let old = self.last.replace((site, BTreeMap::new()));
        std::thread::spawn(move || drop(old));
        t.done("publish");
        Ok(Pages {
            files,
            rendered,
            data_stale,
        })
    }

    /// The second step: the search index, exports, engine, source copies and static files of
    /// the last good build, on top of `served`.
    pub fn data(&mut self, o: &Options, served: &Served) -> Result<Served, String> {
        let (site, sources) = self.last.as_ref().ok_or("nothing built yet")?;
        let memory = Memory::default();
        crate::render::render_data(site, sources, &o.theme, &memory).map_err(|e| e.to_string())?;
        let data = memory.into_files();
        let mut files = served.clone();
        for path in &self.data {
            if !data.contains_key(path) {
                files.remove(path);
            }
        }
        self.data = data.keys().cloned().collect();
        for (path, bytes) in data {
            files.insert(path, Arc::new(bytes));
        }
        Ok(files)
    }
}
