//! The comparison data: topics × measures, relations between measures, the timeline, and the
//! backlinks each article receives. Computed once; the compare pages only display it.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;

use super::facts::{display, FactView};
use crate::address::unit_citation;
use crate::address::units::UnitRef;
use crate::content::vocab::RelationKind;
use crate::content::{Corpus, MeasureFile};

/// A topic group with its topics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupView {
    /// Group id.
    pub id: String,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
    /// Topics in order.
    pub topics: Vec<TopicView>,
}

/// A topic and what each measure says on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicView {
    /// Topic id (page slug).
    pub id: String,
    /// Group id.
    pub group: String,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
    /// Chinese description.
    pub description: String,
    /// English description.
    pub description_en: String,
    /// One cell per measure, in the site's measure order.
    pub cells: Vec<Cell>,
    /// Number of measures with facts on it.
    pub covered: usize,
}

/// What one measure says on one topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// Measure id.
    pub measure: String,
    /// `facts`, `silent` (reviewed: the measure says nothing) or `unreviewed` (not yet transcribed).
    pub state: &'static str,
    /// The facts, when there are any (shared with the measure's own list).
    pub facts: Vec<Arc<FactView>>,
}

/// A statement of one measure about another (or about a kind of base outside the collection).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelationView {
    /// Citing measure.
    pub from: String,
    /// Its short title.
    pub from_title: String,
    /// Its short English title.
    pub from_title_en: String,
    /// Anchor in the citing measure.
    pub cite: String,
    /// Citation words.
    pub cite_label: String,
    /// Citation words in English.
    pub cite_label_en: String,
    /// The exact words.
    pub quote: String,
    /// What it says of the target.
    pub kind: RelationKind,
    /// What is referred to.
    pub target: String,
    /// The same in English.
    pub target_en: String,
    /// The measure referred to, when in the collection.
    pub to: Option<String>,
}

/// One dated event of the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// YYYY-MM-DD.
    pub date: String,
    /// Measure id.
    pub measure: String,
    /// Its short title.
    pub title: String,
    /// Its short English title.
    pub title_en: String,
    /// What happens that day.
    pub kind: EventKind,
    /// True when the date is after the as-of date.
    pub future: bool,
}

/// What happens to a measure on a day of the timeline; a page shows the catalogue's
/// `ev_<code>` for it. Ordered as a measure's life runs (issued before it enters into force on
/// the same day), which is how the timeline orders the events of one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    /// It is issued.
    Issued,
    /// It enters into force.
    Effective,
    /// Its call for applications closes.
    CallCloses,
    /// It is repealed (the repealing measure enters into force).
    Repealed,
}

impl EventKind {
    /// The code pages carry (`call-closes` …).
    pub fn code(self) -> &'static str {
        match self {
            EventKind::Issued => "issued",
            EventKind::Effective => "effective",
            EventKind::CallCloses => "call-closes",
            EventKind::Repealed => "repealed",
        }
    }
}

/// Something that cites an article. A fact's words and link are made when a page shows them:
/// made for every article and kept, they repeated what the fact holds (with the topics' links,
/// 5 MB at 1,000 measures).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Backlink {
    /// A fact citing the article, shown on its topic's page.
    Fact(Arc<FactView>),
    /// The topic of such a fact (one link per topic, shared).
    Topic(Arc<Link>),
    /// What the article says of another measure: to that measure, else the relations page.
    Relation(Arc<Link>),
    /// A calculator applying a rule the article states (one link per calculator, shared).
    Calculator(Arc<Link>),
}

/// A link's words in both languages and its target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// Label.
    pub label: String,
    /// English label (the Chinese one is shown when empty).
    pub label_en: String,
    /// Link relative to the site root.
    pub href: String,
}

impl Backlink {
    /// fact / topic / relation / calculator.
    pub fn kind(&self) -> &'static str {
        match self {
            Backlink::Fact(_) => "fact",
            Backlink::Topic(_) => "topic",
            Backlink::Relation(_) => "relation",
            Backlink::Calculator(_) => "calculator",
        }
    }

    /// Link relative to the site root.
    pub fn href(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Backlink::Fact(f) => ["compare/topics/", &f.topic, ".html#", &f.id]
                .concat()
                .into(),
            Backlink::Topic(l) | Backlink::Relation(l) | Backlink::Calculator(l) => {
                l.href.as_str().into()
            }
        }
    }

    /// The words shown in the English edition when `en`, else in the Chinese one: a fact's
    /// label and value, said once when they are the same words.
    pub fn label(&self, en: bool) -> std::borrow::Cow<'_, str> {
        match self {
            Backlink::Fact(f) => {
                let (label, value, sep) = if en && !f.label_en.is_empty() {
                    (&f.label_en, &f.value_en, ": ")
                } else {
                    (&f.label, &f.value, "：")
                };
                if label.trim() == value.trim() || value.is_empty() {
                    label.as_str().into()
                } else {
                    [label.as_str(), sep, value].concat().into()
                }
            }
            Backlink::Topic(l) | Backlink::Relation(l) | Backlink::Calculator(l) => {
                if en && !l.label_en.is_empty() {
                    l.label_en.as_str().into()
                } else {
                    l.label.as_str().into()
                }
            }
        }
    }
}

/// A measure's units by anchor (of two with the same anchor, the later).
pub(crate) fn unit_lookup<'a>(us: &'a [UnitRef<'a>]) -> HashMap<&'a str, &'a UnitRef<'a>> {
    let mut map = HashMap::with_capacity(us.len());
    for u in us {
        map.insert(u.anchor(), u);
    }
    map
}

/// The facts of one measure, resolved, their values in `words`; `lookup` is [`unit_lookup`]
/// of its units.
pub(crate) fn fact_views(
    m: &MeasureFile,
    lookup: &HashMap<&str, &UnitRef>,
    words: &super::words::FactWords,
) -> Vec<FactView> {
    let mut views = Vec::with_capacity(m.facts.len());
    for f in &m.facts {
        let Some(u) = lookup.get(f.cite.get_ref().as_str()) else {
            continue;
        };
        let (cite_label, cite_label_en) = unit_citation(&u.head, m);
        let (value, value_en, data) = display(f, words);
        views.push(FactView {
            id: f.id.get_ref().clone(),
            measure: m.id.get_ref().clone(),
            topic: f.topic.get_ref().clone(),
            kind: *f.kind.get_ref(),
            force: *f.force.get_ref(),
            label: f.label.clone(),
            label_en: f.label_en.clone(),
            value,
            value_en,
            cite: f.cite.get_ref().clone(),
            cite_label,
            cite_label_en,
            quote: f.quote.get_ref().clone(),
            unit_text: u.full_text().into_owned(),
            note: f.note.clone(),
            note_en: f.note_en.clone(),
            data: data.to_string(),
        });
    }
    views
}

/// A measure's id, facts by topic and silent topics.
type Column<'a> = (
    &'a String,
    HashMap<&'a str, Vec<Arc<FactView>>>,
    &'a [&'a str],
);

/// The topic groups with one cell per measure (`order` is the site's measure order).
pub(crate) fn groups(
    corpus: &Corpus,
    order: &[String],
    facts: &HashMap<&str, &[Arc<FactView>]>,
) -> Vec<GroupView> {
    use rayon::prelude::*;
    let Some(t) = &corpus.topics else {
        return Vec::new();
    };
    let silent: HashMap<&str, Vec<&str>> = corpus
        .measures
        .iter()
        .map(|l| {
            (
                l.value.id.get_ref().as_str(),
                l.value
                    .topics
                    .silent
                    .iter()
                    .map(|s| s.get_ref().as_str())
                    .collect(),
            )
        })
        .collect();
    // Each measure's facts by topic and its silent topics, sorted out once rather than once
    // per topic.
    let columns: Vec<Column> = order
        .iter()
        .map(|mid| {
            let mut by_topic: HashMap<&str, Vec<Arc<FactView>>> = HashMap::new();
            for f in facts.get(mid.as_str()).copied().unwrap_or_default() {
                by_topic
                    .entry(f.topic.as_str())
                    .or_default()
                    .push(Arc::clone(f));
            }
            (
                mid,
                by_topic,
                silent.get(mid.as_str()).map_or(&[][..], Vec::as_slice),
            )
        })
        .collect();
    let topic = |x: &crate::content::topics::Topic| {
        let id = x.id.get_ref();
        let cells: Vec<Cell> = columns
            .iter()
            .map(|(mid, by_topic, silent)| {
                let fs = by_topic.get(id.as_str()).cloned().unwrap_or_default();
                let state = if !fs.is_empty() {
                    "facts"
                } else if silent.contains(&id.as_str()) {
                    "silent"
                } else {
                    "unreviewed"
                };
                Cell {
                    measure: (*mid).clone(),
                    state,
                    facts: fs,
                }
            })
            .collect();
        TopicView {
            id: id.clone(),
            group: x.group.get_ref().clone(),
            zh: x.zh.clone(),
            en: x.en.clone(),
            description: x.description.clone(),
            description_en: x.description_en.clone(),
            covered: cells.iter().filter(|c| c.state == "facts").count(),
            cells,
        }
    };
    t.value
        .groups
        .iter()
        .map(|g| GroupView {
            id: g.id.get_ref().clone(),
            zh: g.zh.clone(),
            en: g.en.clone(),
            // Topics are independent of each other: one per thread.
            topics: t
                .value
                .topics
                .iter()
                .filter(|x| x.group.get_ref() == g.id.get_ref())
                .collect::<Vec<_>>()
                .into_par_iter()
                .map(topic)
                .collect(),
        })
        .collect()
}

/// The relations one measure states, then its repeals; `lookup` is [`unit_lookup`] of its units,
/// `doc_numbers` the collection's (see [`super::measure::Collection::doc_numbers`]).
pub(crate) fn measure_relations(
    m: &MeasureFile,
    lookup: &HashMap<&str, &UnitRef>,
    doc_numbers: &BTreeMap<String, (String, String)>,
) -> Vec<RelationView> {
    let mut out = Vec::with_capacity(m.relations.len() + m.repeals.len());
    let labels = |cite: &str| {
        lookup
            .get(cite)
            .map(|u| unit_citation(&u.head, m))
            .unwrap_or_default()
    };
    for r in &m.relations {
        let (cl, ce) = labels(r.cite.get_ref());
        out.push(RelationView {
            from: m.id.get_ref().clone(),
            from_title: m.short_title.clone(),
            from_title_en: m.short_title_en.clone(),
            cite: r.cite.get_ref().clone(),
            cite_label: cl,
            cite_label_en: ce,
            quote: r.quote.get_ref().clone(),
            kind: *r.kind.get_ref(),
            target: r.target.clone(),
            target_en: r.target_en.clone(),
            to: r.measure.as_ref().map(|x| x.get_ref().clone()),
        });
    }
    for r in &m.repeals {
        let (cl, ce) = labels(r.cite.get_ref());
        let to = r
            .doc_number
            .as_deref()
            .and_then(|d| doc_numbers.get(&crate::text::fold(d)))
            .map(|(id, _)| id.clone());
        out.push(RelationView {
            from: m.id.get_ref().clone(),
            from_title: m.short_title.clone(),
            from_title_en: m.short_title_en.clone(),
            cite: r.cite.get_ref().clone(),
            cite_label: cl,
            cite_label_en: ce,
            quote: r.quote.get_ref().clone(),
            kind: RelationKind::Repeals,
            target: match &r.doc_number {
                Some(d) => format!("《{}》（{}）", r.title, d),
                None => format!("《{}》", r.title),
            },
            target_en: String::new(),
            to,
        });
    }
    out
}
