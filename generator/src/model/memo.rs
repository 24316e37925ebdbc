//! What one model build leaves for the next (`atlas serve`): every measure's finished view
//! with what it was made from, so that after an edit only the measures the edit reaches are
//! resolved again. A measure's view is a function of its own file, its source copy, and a few
//! things every measure can see of the others ([`shared_inputs`]); it is then decorated with
//! what others say of it ([`Decoration`]). Anything else changing means a full rebuild.

use std::collections::HashMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use time::Date;

use super::compare::{Backlink, RelationView};
use super::words::FactWords;
use super::Measure;
use crate::content::{Corpus, Stamp};

/// The finished views of the last build, by measure file. Empty to begin with, which makes
/// [`super::build_reusing`] a full build.
#[derive(Debug, Default)]
pub struct Memo {
    /// [`shared_inputs`] of the last build.
    pub(super) shared: String,
    /// By measure file path.
    pub(super) kept: HashMap<PathBuf, Kept>,
}

/// One measure as the last build finished it.
#[derive(Debug)]
pub(super) struct Kept {
    /// The measure file's and its source copy's stamps when they were read.
    pub file: Stamp,
    pub source: Option<Stamp>,
    /// The finished view (facts, relations and backlinks included).
    pub measure: Arc<Measure>,
    /// The relations the measure states, then its repeals.
    pub relations: Vec<RelationView>,
    /// What others said of it.
    pub decoration: Decoration,
}

/// What a measure's page shows that other files decide: the relations pointing at it and the
/// calculators that apply its articles.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Decoration {
    pub relations_in: Vec<RelationView>,
    /// (article number, link), in calculator order.
    pub calculators: Vec<(u32, Backlink)>,
}

impl Memo {
    /// The kept view of the measure at `path`, if neither its file nor its source copy has
    /// changed since (as the loader's stamps tell). Only for a build whose [`shared_inputs`]
    /// are the memo's (see [`Memo::sees_the_same`]).
    pub(super) fn reusable(&self, corpus: &Corpus, path: &Path, source: &str) -> Option<&Kept> {
        let k = self.kept.get(path)?;
        let file = corpus.stamps.get(path)?;
        let same_source = match (source_stamp(corpus, source), &k.source) {
            (Some(now), Some(then)) => now.same_file_as(then),
            (None, None) => true,
            _ => false,
        };
        (file.same_file_as(&k.file) && same_source).then_some(k)
    }

    /// Whether a build with these [`shared_inputs`] may take views from the memo.
    pub(super) fn sees_the_same(&self, shared: &str) -> bool {
        !self.kept.is_empty() && self.shared == shared
    }
}

/// The stamp of the source copy `file`, as the loader took it.
pub(super) fn source_stamp<'a>(corpus: &'a Corpus, file: &str) -> Option<&'a Stamp> {
    corpus.stamps.get(&corpus.root.join("sources").join(file))
}

/// Everything one measure's view can see of the others, and the rest of what it depends on
/// beyond its own files: the status date, the topic taxonomy, and each measure's id, 文号,
/// short title, dates and repeals (which make 文号 links, "repealed by" rows and statuses).
/// Positions in files are left out, so that an edit higher up a file does not count.
pub(super) fn shared_inputs(corpus: &Corpus, words: &FactWords, as_of: Date) -> String {
    let mut s = String::with_capacity(64 + corpus.measures.len() * 160);
    let _ = writeln!(s, "{as_of}");
    // The words every fact's value is said in (the theme's catalogue may change).
    let _ = writeln!(s, "{words:?}");
    if let Some(t) = &corpus.topics {
        for t in &t.value.topics {
            let _ = writeln!(
                s,
                "{}\t{}\t{}\t{}",
                t.id.get_ref(),
                t.group.get_ref(),
                t.zh,
                t.en
            );
        }
    }
    for l in &corpus.measures {
        let m = &l.value;
        let e = &m.effective;
        let _ = write!(
            s,
            "{}\t{:?}\t{}\t{}\t{}\t{:?}\t{:?}",
            m.id.get_ref(),
            m.doc_number.as_ref().map(|d| d.get_ref()),
            m.short_title,
            m.issued.get_ref(),
            e.rule.get_ref(),
            e.date.as_ref().map(|d| d.get_ref()),
            e.days,
        );
        for r in &m.repeals {
            let _ = write!(s, "\t{:?}\t{}", r.doc_number, r.cite.get_ref());
        }
        s.push('\n');
    }
    s
}
