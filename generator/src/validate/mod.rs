//! `atlas check`: every rule over the loaded content. Each finding is a [`Diagnostic`];
//! all are collected, none panics. Imports content and address (the calculators' own rules
//! are `calc::check`; the pipeline runs both).
//!
//! The rules that look at one measure at a time run on all measures in parallel; the few that
//! compare measures (unique ids and document numbers) run first, in file order. Findings are
//! appended in the same order as if every rule ran over the measures one after the other.

mod english;
mod facts;
pub mod notes;
mod structure;
mod topics;
mod unfinished;
mod verbatim;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use rayon::prelude::*;

use crate::address::units::unit_refs;
use crate::content::{Corpus, Loaded, MeasureFile};
use crate::diagnostics::{Diagnostic, Report};

/// Runs every rule on the corpus and appends the findings to `report`.
pub fn check(corpus: &Corpus, report: &mut Report) {
    check_with(corpus, report, &mut Cache::default());
}

/// The findings of the per-measure rules from earlier checks (`atlas serve`): a measure whose
/// file and source copy were not read anew since, checked against the same topic taxonomy,
/// glossary and fact ids, gets its earlier findings without being checked again.
#[derive(Default)]
pub struct Cache {
    /// The texts of the topic taxonomy and the glossary the findings were made with.
    inputs: Option<(Option<String>, Option<String>)>,
    /// By measure file: the duplicate-fact findings it was checked with, and its findings.
    per: HashMap<std::path::PathBuf, (Vec<(usize, Diagnostic)>, Findings)>,
}

impl Cache {
    /// Forgets the findings on every measure that `corpus` read anew or whose source copy it
    /// read anew. To be called after every load, checked or not: a file changed in a load that
    /// was not checked is taken unchanged by the next.
    pub fn forget_fresh(&mut self, corpus: &Corpus) {
        let sources = corpus.root.join("sources");
        for l in &corpus.measures {
            if corpus.fresh.contains(&l.path)
                || corpus
                    .fresh
                    .contains(&sources.join(l.value.source.file.get_ref()))
            {
                self.per.remove(&l.path);
            }
        }
    }
}

/// [`check`], reusing and updating `cache` (see [`Cache`]).
pub fn check_with(corpus: &Corpus, report: &mut Report, cache: &mut Cache) {
    // Rules across measures, in file order (the first holder of an id is the one named).
    let mut ids: HashMap<&str, &Path> = HashMap::with_capacity(corpus.measures.len());
    let mut docnos: HashMap<String, &str> = HashMap::new();
    let mut across: Vec<Vec<Diagnostic>> = Vec::with_capacity(corpus.measures.len());
    for l in &corpus.measures {
        let m = &l.value;
        let mut found = Vec::new();
        // The message names the latest earlier holder of the id (or document number).
        if let Some(prev) = ids.insert(m.id.get_ref(), &l.path) {
            found.push(Diagnostic::error_at(
                &l.path,
                l.text(),
                m.id.span().start,
                format!(
                    "duplicate measure id '{}' (also in {})",
                    m.id.get_ref(),
                    prev.display()
                ),
                "each measure needs its own id",
            ));
        }
        if let Some(d) = &m.doc_number {
            if let Some(prev) = docnos.insert(crate::text::fold(d.get_ref()), m.id.get_ref()) {
                found.push(Diagnostic::error_at(
                    &l.path,
                    l.text(),
                    d.span().start,
                    format!("document number {} is also given by '{prev}'", d.get_ref()),
                    "a document number identifies one measure",
                ));
            }
        }
        across.push(found);
    }
    let mut taxonomy = Report::default();
    let topic_ids = corpus
        .topics
        .as_ref()
        .map(|t| topics::taxonomy(t, &mut taxonomy));
    let fact_dups = facts::duplicates(&corpus.measures);
    let english = english::Terms::new(corpus);

    let inputs = (
        corpus.topics.as_ref().map(|t| t.text().to_string()),
        corpus.glossary.as_ref().map(|g| g.text().to_string()),
    );
    if cache.inputs.as_ref() != Some(&inputs) {
        cache.per.clear();
        cache.inputs = Some(inputs);
    }
    let mut per: Vec<Findings> = corpus
        .measures
        .par_iter()
        .zip(&fact_dups)
        .map(|(l, dups)| match cache.per.get(&l.path) {
            Some((d, found)) if d == dups => found.clone(),
            _ => one(l, corpus, topic_ids.as_ref(), dups, &english),
        })
        .collect();
    cache.per = corpus
        .measures
        .iter()
        .zip(&fact_dups)
        .zip(&per)
        .map(|((l, d), f)| (l.path.clone(), (d.clone(), f.clone())))
        .collect();

    for (found, f) in across.into_iter().zip(&mut per) {
        report.items.extend(found);
        report.items.append(&mut f.own);
    }
    for l in &corpus.measures {
        for r in &l.value.relations {
            if let Some(id) = &r.measure {
                if !ids.contains_key(id.get_ref().as_str()) {
                    report.push(Diagnostic::error_at(&l.path, l.text(), id.span().start, format!("relation names measure '{}', which is not in the collection", id.get_ref()), "use the id of a measure under content/measures/, or leave measure out and describe the target in words"));
                }
            }
        }
    }
    report.items.append(&mut taxonomy.items);
    for f in &mut per {
        report.items.append(&mut f.topics);
    }
    for f in &mut per {
        report.items.append(&mut f.facts);
    }
    for f in &mut per {
        report.items.append(&mut f.english);
    }
    english::check_topics(corpus, report);
    english::check_search_words(corpus, report);
}

/// The findings on one measure, by rule, to be appended in the rules' order.
#[derive(Default, Clone)]
struct Findings {
    /// Structure and verbatim text.
    own: Vec<Diagnostic>,
    /// The measure's review of the topics.
    topics: Vec<Diagnostic>,
    /// Its facts.
    facts: Vec<Diagnostic>,
    /// Its English edition.
    english: Vec<Diagnostic>,
}

/// Every rule that looks at one measure only.
fn one(
    l: &Loaded<MeasureFile>,
    corpus: &Corpus,
    topic_ids: Option<&BTreeSet<String>>,
    fact_dups: &[(usize, Diagnostic)],
    terms: &english::Terms,
) -> Findings {
    // The units are computed once and shared by the structural and the fact rules.
    let all = unit_refs(&l.value);
    let by_anchor = structure::unit_map(&all);
    let mut own = Report::default();
    structure::check_units(l, &all, &by_anchor, &mut own);
    verbatim::check(l, &corpus.sources, &mut own);
    notes::check(l, &mut own);
    unfinished::check(l, &mut own);
    let mut topics = Report::default();
    if let Some(ids) = topic_ids {
        topics::review(l, ids, &mut topics);
    }
    let mut facts = Report::default();
    facts::check_measure(l, &by_anchor, topic_ids, fact_dups, &mut facts);
    let mut english = Report::default();
    terms.check_measure(l, &mut english);
    Findings {
        own: own.items,
        topics: topics.items,
        facts: facts.items,
        english: english.items,
    }
}
