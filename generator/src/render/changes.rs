//! Rendering again only the pages whose data changed (`atlas serve`): each page is compared
//! through the model values it is given, so an edit to one article re-renders that measure's
//! two pages and whatever shows what changed, not the whole site.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use super::pages::{self, Fill, Job};
use super::{i18n, RenderError, Sink, Theme};
use crate::model::Site;

/// Renders into `sink` every page of `site` whose data differs from `old` (every page when the
/// status date differs); returns the paths rendered, from the site root.
pub fn render_changed(
    site: &Site,
    old: &Site,
    theme: &Theme,
    catalogue: &i18n::Catalogue,
    sink: &dyn Sink,
) -> Result<Vec<PathBuf>, RenderError> {
    let all = pages::jobs(site);
    let jobs: Vec<Job> = if site.as_of != old.as_of {
        all
    } else {
        use rayon::prelude::*;
        let diff = Diff::new(site, old);
        // Comparing a measure's model is a walk over all its text: on every core.
        all.into_par_iter().filter(|j| diff.changed(j)).collect()
    };
    super::render_pages(site, theme, catalogue, &jobs, sink, None)?;
    Ok(jobs
        .iter()
        .flat_map(|j| j.pages.iter().map(|p| p.file()))
        .collect())
}

/// Every page path of `site`, from the site root: what a served site holds besides data files.
pub fn page_paths(site: &Site) -> BTreeSet<PathBuf> {
    pages::jobs(site)
        .iter()
        .flat_map(|j| j.pages.iter().map(|p| p.file()))
        .collect()
}

/// What differs between two models, computed once for all pages.
struct Diff<'a> {
    old: &'a Site,
    new: &'a Site,
    /// The measures' identities and statuses (what lists of measures show).
    summary_same: bool,
    /// Whether what the sources page shows of any measure changed.
    sources_changed: bool,
    /// Whether the topic groups with their cells changed (several pages show them).
    groups_changed: bool,
    measures: HashMap<&'a str, &'a std::sync::Arc<crate::model::Measure>>,
    topics: HashMap<&'a str, &'a crate::model::compare::TopicView>,
    calculators: HashMap<&'a str, &'a crate::model::calculators::CalcView>,
}

impl<'a> Diff<'a> {
    fn new(new: &'a Site, old: &'a Site) -> Self {
        let measures: HashMap<_, _> = old.measures.iter().map(|m| (m.id.as_str(), m)).collect();
        let shown = |m: &crate::model::Measure| {
            (
                m.id.clone(),
                m.title.clone(),
                m.title_en.clone(),
                m.doc_number.clone(),
                m.source.clone(),
                m.article_count,
                m.errata.clone(),
            )
        };
        let sources_changed = new.measures.len() != old.measures.len()
            || new
                .measures
                .iter()
                .zip(&old.measures)
                .any(|(a, b)| shown(a) != shown(b));
        Diff {
            old,
            new,
            // A planner that appears or goes changes the links of the pages listing measures.
            summary_same: new.summary() == old.summary()
                && new.planner.is_some() == old.planner.is_some(),
            sources_changed,
            groups_changed: new.groups != old.groups,
            measures,
            topics: old
                .groups
                .iter()
                .flat_map(|g| &g.topics)
                .map(|t| (t.id.as_str(), t))
                .collect(),
            calculators: old.calculators.iter().map(|c| (c.id.as_str(), c)).collect(),
        }
    }

    fn changed(&self, job: &Job) -> bool {
        let (new, old) = (self.new, self.old);
        let lists = !self.summary_same;
        match job.fill {
            // A measure the model took over from the last build is the very same value.
            Fill::Measure(m) => !self
                .measures
                .get(m.id.as_str())
                .is_some_and(|old| std::ptr::eq(&***old, m) || ***old == *m),
            Fill::Topic(t) => lists || self.topics.get(t.id.as_str()) != Some(&t),
            Fill::Calculator(c) => self.calculators.get(c.id.as_str()) != Some(&c),
            Fill::Home | Fill::Measures => lists,
            Fill::Search => lists || self.groups_changed,
            Fill::Sources => lists || self.sources_changed,
            Fill::Glossary => new.glossary != old.glossary,
            Fill::Matrix => lists || self.groups_changed,
            Fill::Relations => {
                lists || new.relations != old.relations || new.timeline != old.timeline
            }
            Fill::Calculators => lists || new.calculators != old.calculators,
            Fill::Planner(_) => lists || new.planner != old.planner,
        }
    }
}
