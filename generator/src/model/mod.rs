//! The resolved corpus: what render, search and export see — verbatim text with its marks
//! ([`marked`]), facts, topics, relations, backlinks; no HTML and no UI words (a fact's value
//! is said in the catalogue's [`words`], which the site hands in). Built once after validation
//! from content, address and calc; nothing downstream re-parses content.

pub(crate) mod calculators;
pub(crate) mod compare;
pub(crate) mod facts;
pub mod marked;
pub mod measure;
mod memo;
pub(crate) mod planner;
pub mod words;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use time::Date;

use crate::calc::Calculators;
use crate::content::Corpus;
use facts::FactView;
pub use measure::Measure;
pub use memo::Memo;
pub use words::FactWords;

/// The whole site's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Site {
    /// Status date, YYYY-MM-DD.
    pub as_of: String,
    /// Measures, national first, then by jurisdiction and date. Shared, so that a rebuild
    /// (`atlas serve`) keeps the measures that did not change instead of copying them.
    pub measures: Vec<Arc<Measure>>,
    /// Topic groups with one cell per measure.
    pub groups: Vec<compare::GroupView>,
    /// Every relation between measures.
    pub relations: Vec<compare::RelationView>,
    /// Issue, entry-into-force, call and repeal dates, in order.
    pub timeline: Vec<compare::Event>,
    /// Number of facts in the collection.
    pub fact_count: usize,
    /// Calculators.
    pub calculators: Vec<calculators::CalcView>,
    /// The planner page (every calculator from one profile), when calculators take part.
    pub planner: Option<planner::PlannerView>,
    /// Glossary of the English edition.
    pub glossary: Vec<crate::content::glossary::Term>,
}

/// What every page may show about the collection: the status date and each measure's identity.
/// Pages get this rather than the whole [`Site`], which is large.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteSummary {
    /// Status date, YYYY-MM-DD.
    pub as_of: String,
    /// Measures in site order.
    pub measures: Vec<MeasureSummary>,
}

/// A measure's identity and status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeasureSummary {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// English title.
    pub title_en: String,
    /// Short title.
    pub short_title: String,
    /// Short English title.
    pub short_title_en: String,
    /// Level.
    pub level: crate::content::vocab::Level,
    /// Jurisdiction.
    pub jurisdiction: String,
    /// English jurisdiction.
    pub jurisdiction_en: String,
    /// Enclosing jurisdiction.
    pub within: Option<String>,
    /// Issuer.
    pub issuer: String,
    /// English issuer.
    pub issuer_en: String,
    /// 文号.
    pub doc_number: Option<String>,
    /// Issue date.
    pub issued: String,
    /// Entry into force.
    pub effective: measure::EffectiveView,
    /// Status.
    pub status: measure::Status,
    /// Whether its units are articles or a notice's parts.
    pub unit_prefix: crate::address::Prefix,
}

impl Site {
    /// The summary every page gets.
    pub fn summary(&self) -> SiteSummary {
        SiteSummary {
            as_of: self.as_of.clone(),
            measures: self
                .measures
                .iter()
                .map(|m| MeasureSummary {
                    id: m.id.clone(),
                    title: m.title.clone(),
                    title_en: m.title_en.clone(),
                    short_title: m.short_title.clone(),
                    short_title_en: m.short_title_en.clone(),
                    level: m.level,
                    jurisdiction: m.jurisdiction.clone(),
                    jurisdiction_en: m.jurisdiction_en.clone(),
                    within: m.within.clone(),
                    issuer: m.issuer.clone(),
                    issuer_en: m.issuer_en.clone(),
                    doc_number: m.doc_number.clone(),
                    issued: m.issued.clone(),
                    effective: m.effective.clone(),
                    status: m.status,
                    unit_prefix: m.unit_prefix,
                })
                .collect(),
        }
    }
}

/// Resolves the validated corpus, whose calculators are `calcs`, saying values in `words`.
pub fn build(corpus: &Corpus, calcs: Option<&Calculators>, words: &FactWords, as_of: Date) -> Site {
    build_reusing(corpus, calcs, words, as_of, &mut Memo::default())
}

/// [`build`], letting go of each measure's text (its blocks, chapters, articles and annex) as
/// soon as its view is made, for a caller that needs the corpus no more (`atlas build`): at a
/// thousand measures the parsed text and the views would otherwise be held together. The
/// result is the same as [`build`]'s.
pub fn build_owned(
    mut corpus: Corpus,
    calcs: Option<&Calculators>,
    words: &FactWords,
    as_of: Date,
) -> Site {
    let mut memo = Memo::default();
    let resolver = Resolver::new(&corpus, calcs, words, as_of);
    let files = std::mem::take(&mut corpus.measures);
    let (entries, files): (Vec<Entry>, Vec<_>) = files
        .into_par_iter()
        .enumerate()
        .map(|(index, mut l)| {
            let entry = resolver.entry(index, &l.value);
            shed_text(&mut l.value);
            (entry, l)
        })
        .unzip();
    corpus.measures = files;
    finish(&corpus, as_of, &resolver, entries, &mut memo)
}

/// Empties what only a measure's own view reads: its text. Its identity, facts, topics,
/// relations and calculators stay, as the collection's pages need them.
fn shed_text(m: &mut crate::content::MeasureFile) {
    m.front = Vec::new();
    m.chapters = Vec::new();
    m.articles = Vec::new();
    m.sections = Vec::new();
    m.back = Vec::new();
    m.annex = None;
    m.closing = Vec::new();
}

/// One measure on its way into the model: its view (finished when taken from the memo, else
/// with its facts but not yet what others say of it) and the relations it states.
struct Entry {
    /// Its place in the corpus's measures.
    index: usize,
    measure: Arc<Measure>,
    relations: Vec<compare::RelationView>,
    /// Taken from the memo (to be kept if what others say of it is unchanged too).
    kept: Option<memo::Decoration>,
}

/// What resolving one measure needs of the others, and of the collection.
struct Resolver<'c> {
    col: measure::Collection,
    /// The calculators' definitions and facts, read before any measure lets go of its text.
    calculators: Option<&'c Calculators>,
    /// The words values are said in.
    words: &'c FactWords,
}

impl<'c> Resolver<'c> {
    /// The resolver of `corpus` on `as_of`.
    fn new(
        corpus: &Corpus,
        calculators: Option<&'c Calculators>,
        words: &'c FactWords,
        as_of: Date,
    ) -> Resolver<'c> {
        let files: Vec<&crate::content::MeasureFile> =
            corpus.measures.iter().map(|l| &l.value).collect();
        let col = measure::Collection::new(&files, &corpus.source_sizes, as_of);
        Resolver {
            col,
            calculators,
            words,
        }
    }

    /// Each measure on its own: its view, its facts and its relations, from one set of units.
    fn resolve(
        &self,
        m: &crate::content::MeasureFile,
    ) -> (Arc<Measure>, Vec<compare::RelationView>) {
        let us = crate::address::units::unit_refs(m);
        let lookup = compare::unit_lookup(&us);
        let mut view = measure::build_with_units(m, &us, &self.col);
        // Collected anew, not mapped in place: an in-place `collect` would keep the views'
        // allocation (hundreds of bytes per fact) for a list of pointers (4.5 MB at 1,000 measures).
        let facts = compare::fact_views(m, &lookup, self.words);
        view.facts = Vec::with_capacity(facts.len());
        view.facts.extend(facts.into_iter().map(Arc::new));
        let rels = compare::measure_relations(m, &lookup, &self.col.doc_numbers);
        (Arc::new(view), rels)
    }

    /// The entry of measure `index`, `m`, resolved anew.
    fn entry(&self, index: usize, m: &crate::content::MeasureFile) -> Entry {
        let (measure, relations) = self.resolve(m);
        Entry {
            index,
            measure,
            relations,
            kept: None,
        }
    }
}

/// [`build`], taking from `memo` the measures that neither changed nor can see a change (see
/// [`memo`]), and leaving in it what the next build can take. The result is the same as
/// [`build`]'s.
pub fn build_reusing(
    corpus: &Corpus,
    calcs: Option<&Calculators>,
    words: &FactWords,
    as_of: Date,
    memo: &mut Memo,
) -> Site {
    let shared = memo::shared_inputs(corpus, words, as_of);
    // Compared once: it is as long as the list of measures.
    let same = memo.sees_the_same(&shared);
    let reused: Vec<Option<&memo::Kept>> = corpus
        .measures
        .iter()
        .map(|l| {
            same.then(|| memo.reusable(corpus, &l.path, l.value.source.file.get_ref()))
                .flatten()
        })
        .collect();
    let resolver = Resolver::new(corpus, calcs, words, as_of);
    let entries: Vec<Entry> = corpus
        .measures
        .par_iter()
        .zip(&reused)
        .enumerate()
        .map(|(index, (l, k))| match k {
            Some(k) => Entry {
                index,
                measure: k.measure.clone(),
                relations: k.relations.clone(),
                kept: Some(k.decoration.clone()),
            },
            None => resolver.entry(index, &l.value),
        })
        .collect();
    drop(reused);
    let site = finish(corpus, as_of, &resolver, entries, memo);
    memo.shared = shared;
    site
}

/// The site of the resolved `entries`: the collection's pages' data, and what others say of
/// each measure. A kept entry whose decoration changed is resolved again from `corpus`, which
/// has all its text then ([`build_owned`] keeps nothing).
fn finish(
    corpus: &Corpus,
    as_of: Date,
    resolver: &Resolver,
    mut entries: Vec<Entry>,
    memo: &mut Memo,
) -> Site {
    entries.sort_by(|a, b| {
        let (a, b) = (&a.measure, &b.measure);
        (a.level, &a.jurisdiction_en, &a.issued, &a.id).cmp(&(
            b.level,
            &b.jurisdiction_en,
            &b.issued,
            &b.id,
        ))
    });
    let order: Vec<String> = entries.iter().map(|e| e.measure.id.clone()).collect();
    let facts: HashMap<&str, &[Arc<FactView>]> = entries
        .iter()
        .map(|e| (e.measure.id.as_str(), e.measure.facts.as_slice()))
        .collect();
    let groups = compare::groups(corpus, &order, &facts);
    drop(facts);
    let topic_links: BTreeMap<String, Arc<compare::Link>> = groups
        .iter()
        .flat_map(|g| &g.topics)
        .map(|t| {
            let link = compare::Link {
                label: t.zh.clone(),
                label_en: t.en.clone(),
                href: ["compare/topics/", &t.id, ".html"].concat(),
            };
            (t.id.clone(), Arc::new(link))
        })
        .collect();
    let relations: Vec<compare::RelationView> = entries
        .iter()
        .flat_map(|e| e.relations.iter().cloned())
        .collect();
    // Relations by citing and by cited measure, in their order, instead of a scan per measure.
    let mut by_from: HashMap<&str, Vec<&compare::RelationView>> = HashMap::new();
    let mut by_to: HashMap<&str, Vec<&compare::RelationView>> = HashMap::new();
    for r in &relations {
        if r.kind != crate::content::vocab::RelationKind::Repeals {
            by_from.entry(r.from.as_str()).or_default().push(r);
        }
        if let Some(to) = &r.to {
            by_to.entry(to.as_str()).or_default().push(r);
        }
    }
    let calculators = {
        let measures: Vec<&Measure> = entries.iter().map(|e| &*e.measure).collect();
        resolver
            .calculators
            .as_ref()
            .map(|c| calculators::build(c, &measures, as_of))
            .unwrap_or_default()
    };
    let planner = {
        let measures: Vec<&Measure> = entries.iter().map(|e| &*e.measure).collect();
        resolver
            .calculators
            .as_ref()
            .and_then(|c| planner::build(c, &calculators, &measures, as_of))
    };
    let calculator_links = calculator_backlinks(&calculators);
    let cloned = |list: Option<&Vec<&compare::RelationView>>| -> Vec<compare::RelationView> {
        list.into_iter().flatten().map(|r| (*r).clone()).collect()
    };
    // What others say of each measure; a kept view whose decoration changed is resolved again,
    // as its backlinks cannot be told apart from its own.
    let finished: Vec<(Entry, memo::Decoration)> = entries
        .into_par_iter()
        .map(|mut e| {
            let id = e.measure.id.clone();
            let decoration = memo::Decoration {
                relations_in: cloned(by_to.get(id.as_str())),
                calculators: calculator_links
                    .get(id.as_str())
                    .cloned()
                    .unwrap_or_default(),
            };
            if e.kept.as_ref() != Some(&decoration) {
                if e.kept.is_some() {
                    e.measure = resolver.resolve(&corpus.measures[e.index].value).0;
                }
                // Just resolved, so the only owner: no copy is made.
                let m = Arc::make_mut(&mut e.measure);
                m.relations_out = cloned(by_from.get(id.as_str()));
                m.relations_in = decoration.relations_in.clone();
                attach_backlinks(m, &topic_links);
                attach_calculator_backlinks(m, &decoration.calculators);
            }
            (e, decoration)
        })
        .collect();
    let mut measures = Vec::with_capacity(finished.len());
    memo.kept.clear();
    for (e, decoration) in finished {
        measures.push(e.measure.clone());
        let l = &corpus.measures[e.index];
        if let Some(file) = corpus.stamps.get(&l.path) {
            memo.kept.insert(
                l.path.clone(),
                memo::Kept {
                    file: file.clone(),
                    source: memo::source_stamp(corpus, l.value.source.file.get_ref()).cloned(),
                    measure: e.measure,
                    relations: e.relations,
                    decoration,
                },
            );
        }
    }
    let timeline = timeline(&measures, as_of);
    let fact_count = measures.iter().map(|m| m.facts.len()).sum();
    let glossary = corpus
        .glossary
        .as_ref()
        .map(|g| g.value.terms.clone())
        .unwrap_or_default();
    Site {
        as_of: as_of.to_string(),
        measures,
        groups,
        relations,
        timeline,
        fact_count,
        calculators,
        planner,
        glossary,
    }
}

/// Gives every article the facts, topics and relations that cite it.
fn attach_backlinks(m: &mut Measure, topics: &BTreeMap<String, Arc<compare::Link>>) {
    use compare::Backlink;
    let mut by_article: BTreeMap<u32, Vec<Backlink>> = BTreeMap::new();
    for f in &m.facts {
        let Some(a) = crate::address::article_number(&f.cite) else {
            continue;
        };
        let list = by_article.entry(a).or_default();
        list.push(Backlink::Fact(Arc::clone(f)));
        if let Some(link) = topics.get(&f.topic) {
            let known = |b: &Backlink| matches!(b, Backlink::Topic(l) if Arc::ptr_eq(l, link));
            if !list.iter().any(known) {
                list.push(Backlink::Topic(Arc::clone(link)));
            }
        }
    }
    for r in &m.relations_out {
        let Some(a) = crate::address::article_number(&r.cite) else {
            continue;
        };
        let href = match &r.to {
            Some(id) => ["measures/", id, ".html"].concat(),
            None => "compare/relations.html".into(),
        };
        by_article
            .entry(a)
            .or_default()
            .push(Backlink::Relation(Arc::new(compare::Link {
                label: r.target.clone(),
                label_en: r.target_en.clone(),
                href,
            })));
    }
    for ch in &mut m.chapters {
        for a in &mut ch.articles {
            if let Some(mut b) = by_article.remove(&a.number) {
                // Topics after facts, each kind in a stable order.
                b.sort_by_cached_key(|x| (x.kind(), x.href().into_owned()));
                // Made to length: kept for the whole build.
                a.backlinks = b.into_iter().collect();
            }
        }
    }
}

/// The calculator links of each measure (by id): (article number, link), in calculator order.
fn calculator_backlinks(
    calcs: &[calculators::CalcView],
) -> HashMap<&str, Vec<(u32, compare::Backlink)>> {
    let mut out: HashMap<&str, Vec<(u32, compare::Backlink)>> = HashMap::new();
    for c in calcs {
        let link = Arc::new(compare::Link {
            label: c.title.clone(),
            label_en: c.title_en.clone(),
            href: format!("calculators/{}.html", c.id),
        });
        for f in &c.facts {
            let Some(a) = crate::address::article_number(&f.cite) else {
                continue;
            };
            let list = out.entry(f.measure.as_str()).or_default();
            let same = |b: &compare::Backlink| b.href() == link.href.as_str();
            if !list.iter().any(|(n, b)| *n == a && same(b)) {
                list.push((a, compare::Backlink::Calculator(Arc::clone(&link))));
            }
        }
    }
    out
}

/// Gives every article the calculators that apply a rule it states.
fn attach_calculator_backlinks(m: &mut Measure, links: &[(u32, compare::Backlink)]) {
    for (a, link) in links {
        for art in m
            .chapters
            .iter_mut()
            .flat_map(|ch| ch.articles.iter_mut())
            .filter(|x| x.number == *a)
        {
            if !art.backlinks.iter().any(|b| b.href() == link.href()) {
                art.backlinks.push(link.clone());
                art.backlinks.shrink_to_fit();
            }
        }
    }
}

/// Every dated event of the collection.
fn timeline(measures: &[Arc<Measure>], as_of: Date) -> Vec<compare::Event> {
    let today = as_of.to_string();
    let mut out = Vec::new();
    for m in measures {
        let mut push = |date: &str, kind: compare::EventKind| {
            if !date.is_empty() {
                out.push(compare::Event {
                    date: date.to_string(),
                    measure: m.id.clone(),
                    title: m.short_title.clone(),
                    title_en: m.short_title_en.clone(),
                    kind,
                    future: date > today.as_str(),
                });
            }
        };
        push(&m.issued, compare::EventKind::Issued);
        push(&m.effective.date, compare::EventKind::Effective);
        if let Some(c) = &m.call {
            push(&c.closes, compare::EventKind::CallCloses);
        }
    }
    // The first measure in site order with each id, as a search from the start finds it.
    let mut by_id: HashMap<&str, &Arc<Measure>> = HashMap::with_capacity(measures.len());
    for m in measures {
        by_id.entry(m.id.as_str()).or_insert(m);
    }
    for m in measures {
        for r in &m.repealed_by {
            if let Some(by) = by_id.get(r.measure.as_str()) {
                out.push(compare::Event {
                    date: by.effective.date.clone(),
                    measure: m.id.clone(),
                    title: m.short_title.clone(),
                    title_en: m.short_title_en.clone(),
                    kind: compare::EventKind::Repealed,
                    future: by.effective.date > today,
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.date, &a.measure, a.kind).cmp(&(&b.date, &b.measure, b.kind)));
    out
}
