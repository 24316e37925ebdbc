//! Offline search: the index built at build time and shipped as classic scripts. Imports the
//! model (and content's vocabularies).
//!
//! [`tokenizer`] specifies how text becomes tokens (the browser repeats it for queries);
//! [`query`] how a query is read (terms, article numbers, the glossary's other wordings);
//! [`index`] turns documents into script files (and ships `engine.js`, the browser side that
//! reads them); this module turns the model into documents, one function per kind of document
//! ([`measure_docs`], [`fact_docs`], [`topic_docs`]).
//!
//! At 1,000 measures there are about 113,000 documents but only 30,000 distinct texts, so the
//! index works per text; documents borrow their strings from the model, and nothing here
//! builds a `serde_json::Value` or a string per token.

pub mod index;
pub mod query;
pub mod tokenizer;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::address::Address;
use crate::content::vocab::{FactType, Level};
use crate::model::measure::{ArticleView, Measure};
use crate::model::Site;
use index::{Choice, Corpus, Doc, Docs, MeasureInfo};

/// [`index::EN`] as a string, for joining a text's Chinese and English words.
const EN_STR: &str = "\u{1f}";

/// Writes the search index scripts, handing each file to `put` (its path from the site root,
/// under `assets/search/`, and its bytes) as soon as it is made, while `wanted` says they are
/// wanted (see [`index::build_while`]); `None` when given up. The documents are made a
/// measure at a time and indexed as they are made: at a thousand measures, all of them at
/// once took 45 MB.
pub fn write(
    site: &Site,
    level_words: &dyn Fn(Level) -> (String, String),
    wanted: &dyn Fn() -> bool,
    put: &mut dyn FnMut(PathBuf, Vec<u8>),
) -> Option<()> {
    let c = header(site, level_words);
    if !wanted() {
        return None;
    }
    index::build_from(&c, &SiteDocs::new(site, &c), wanted, &mut |name, bytes| {
        put(PathBuf::from("assets/search").join(name), bytes)
    })
}

/// Everything searchable in `site`, every document at once (for tests and benchmarks; a build
/// uses [`write`]). Documents borrow their strings from `site` where they can; `level_words`
/// names a level in the Chinese edition.
pub fn corpus<'a>(site: &'a Site, level_words: &dyn Fn(Level) -> (String, String)) -> Corpus<'a> {
    let mut c = header(site, level_words);
    let mut docs = Vec::new();
    SiteDocs::new(site, &c).each_segment(&mut |segment| {
        docs.append(segment);
        true
    });
    c.docs = docs;
    c
}

/// The corpus without its documents: measures, levels, topics and the pages documents link
/// to (each measure's, then each topic's).
fn header<'a>(site: &'a Site, level_words: &dyn Fn(Level) -> (String, String)) -> Corpus<'a> {
    let mut c = Corpus::default();
    for m in &site.measures {
        c.measures.push(MeasureInfo {
            id: m.id.clone(),
            short: m.short_title.clone(),
            en: m.short_title_en.clone(),
            level: m.level.code().to_string(),
        });
        if !c.levels.iter().any(|l| l.id == m.level.code()) {
            c.levels.push(Choice {
                id: m.level.code().to_string(),
                zh: level_words(m.level).0,
                en: level_words(m.level).1,
            });
        }
        c.pages.push(format!("measures/{}.html", m.id));
    }
    for tp in site.groups.iter().flat_map(|g| &g.topics) {
        c.topics.push(Choice {
            id: tp.id.clone(),
            zh: tp.zh.clone(),
            en: tp.en.clone(),
        });
        let path = format!("compare/topics/{}.html", tp.id);
        if !c.pages.contains(&path) {
            c.pages.push(path);
        }
    }
    c.synonyms = site
        .glossary
        .iter()
        .map(|t| t.search_words().map(str::to_string).collect())
        .collect();
    c
}

/// A site's documents, a segment at a time: each measure's (tagged with the topics of the
/// facts that cite them), then the facts, then the topics.
struct SiteDocs<'a> {
    site: &'a Site,
    /// Each topic's page (in the order of `Corpus::topics`).
    topic_pages: Vec<usize>,
    /// Each measure's facts' citations, with the fact's topic.
    cites: Vec<Vec<(&'a str, usize)>>,
}

impl<'a> SiteDocs<'a> {
    fn new(site: &'a Site, header: &Corpus<'_>) -> Self {
        let topic_pages = header
            .topics
            .iter()
            .map(|t| {
                let path = format!("compare/topics/{}.html", t.id);
                header.pages.iter().rposition(|p| *p == path).unwrap_or(0)
            })
            .collect();
        // The facts' citations grouped by measure, so each document looks only at its own.
        let positions = measure_positions(site);
        let mut cites: Vec<Vec<(&str, usize)>> = vec![Vec::new(); site.measures.len()];
        for (t, tp) in site.groups.iter().flat_map(|g| &g.topics).enumerate() {
            for f in tp.cells.iter().flat_map(|c| &c.facts) {
                if let Some(&m) = positions.get(f.measure.as_str()) {
                    cites[m].push((f.cite.as_str(), t));
                }
            }
        }
        SiteDocs {
            site,
            topic_pages,
            cites,
        }
    }

    /// Gives measure `m`'s text documents `docs` the topics of the facts that cite them (or a
    /// unit inside them, or the unit they are inside), so results can be filtered by topic.
    fn tag_topics(&self, m: usize, docs: &mut [Doc<'_>]) {
        let list = &self.cites[m];
        for d in docs
            .iter_mut()
            .filter(|d| matches!(d.kind, "article" | "clause" | "item") && !d.anchor.is_empty())
        {
            for &(cite, topic) in list {
                if related(d.anchor, cite) && !d.topics.contains(&topic) {
                    d.topics.push(topic);
                }
            }
        }
    }
}

impl<'a> index::Docs<'a> for SiteDocs<'a> {
    fn each_segment(&self, f: &mut dyn FnMut(&mut Vec<Doc<'a>>) -> bool) {
        let mut segment = Vec::new();
        for (i, m) in self.site.measures.iter().enumerate() {
            segment.clear();
            // Page i is measure i's (see `header`).
            measure_docs(i, i, m, &mut segment);
            self.tag_topics(i, &mut segment);
            if !f(&mut segment) {
                return;
            }
        }
        segment.clear();
        fact_docs(self.site, &self.topic_pages, &mut segment);
        if !f(&mut segment) {
            return;
        }
        segment.clear();
        topic_docs(self.site, &self.topic_pages, &mut segment);
        f(&mut segment);
    }
}

/// Each measure's place in the site, by id.
fn measure_positions(site: &Site) -> HashMap<&str, usize> {
    site.measures
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect()
}

/// One document per fact: its label and value, linking to the fact on its topic page (which
/// shows the quote and links on to the article it cites). `topic_pages`: each topic's page.
pub fn fact_docs<'a>(site: &'a Site, topic_pages: &[usize], out: &mut Vec<Doc<'a>>) {
    let positions = measure_positions(site);
    for (t, tp) in site.groups.iter().flat_map(|g| &g.topics).enumerate() {
        for f in tp.cells.iter().flat_map(|c| &c.facts) {
            // The label is the result's name; the text says it again only to be found by it
            // (the engine leaves a leading label out of the snippet), then the value once
            // unless it is the same words.
            let said = |label: &str, sep: &str, value: &str| {
                if value.trim().is_empty() || label.trim() == value.trim() {
                    label.to_string()
                } else {
                    concat(&[label, sep, value])
                }
            };
            // A naming pattern is the measure's own words (both names, as it gives them).
            let quoted = |v: &str| {
                if f.kind == FactType::Naming && !v.is_empty() {
                    concat(&["「", v, "」"])
                } else {
                    v.to_string()
                }
            };
            let text = concat(&[
                &said(&f.label, "：", &quoted(&f.value)),
                EN_STR,
                &said(&f.label_en, ": ", &quoted(&f.value_en)),
            ]);
            out.push(Doc {
                kind: "fact",
                measure: positions.get(f.measure.as_str()).copied(),
                page: topic_pages[t],
                anchor: &f.id,
                label: Cow::Borrowed(&f.label),
                label_en: Cow::Borrowed(&f.label_en),
                context: concat(&[&tp.zh, " · ", &f.cite_label]).into(),
                context_en: concat(&[&tp.en, " · ", &f.cite_label_en]).into(),
                text: text.into(),
                topics: vec![t],
                article: 0,
            });
        }
    }
}

/// One document per comparison topic: its names and descriptions, linking to its page.
pub fn topic_docs<'a>(site: &'a Site, topic_pages: &[usize], out: &mut Vec<Doc<'a>>) {
    let mut t = 0;
    for g in &site.groups {
        for tp in &g.topics {
            out.push(Doc {
                kind: "topic",
                measure: None,
                page: topic_pages[t],
                anchor: "",
                label: Cow::Borrowed(&tp.zh),
                label_en: Cow::Borrowed(&tp.en),
                context: g.zh.as_str().into(),
                context_en: g.en.as_str().into(),
                text: concat(&[
                    &tp.zh,
                    "　",
                    &tp.description,
                    EN_STR,
                    &tp.en,
                    " ",
                    &tp.description_en,
                ])
                .into(),
                topics: vec![t],
                article: 0,
            });
            t += 1;
        }
    }
}

/// Does a fact citing `cite` concern the unit at `anchor`: the same unit, a unit inside it, or
/// the unit it is part of (`art-19-1` and `art-19`)? The cheap tests come first and the
/// prefixes are compared from their ends, where anchors differ: this runs for every unit
/// against every citation of its measure.
fn related(anchor: &str, cite: &str) -> bool {
    let (short, long) = if anchor.len() <= cite.len() {
        (anchor.as_bytes(), cite.as_bytes())
    } else {
        (cite.as_bytes(), anchor.as_bytes())
    };
    (long.len() == short.len() || long[short.len()] == b'-')
        && long[..short.len()].iter().rev().eq(short.iter().rev())
}

/// Appends the documents of one measure (`index` in the site, on page `page`): its titles,
/// then every paragraph, clause and item in order.
pub fn measure_docs<'a>(index: usize, page: usize, m: &'a Measure, out: &mut Vec<Doc<'a>>) {
    // Article numbers for article-number queries; a notice's numbered sections are not articles.
    let articles = m.unit_prefix != crate::address::Prefix::Sec;
    let mut article = 0;
    let doc = |kind,
               anchor: &'a str,
               label: (Cow<'a, str>, Cow<'a, str>),
               context: &(Arc<str>, Arc<str>),
               text,
               article| Doc {
        kind,
        measure: Some(index),
        page,
        anchor,
        label: label.0,
        label_en: label.1,
        context: Arc::clone(&context.0),
        context_en: Arc::clone(&context.1),
        text,
        topics: Vec::new(),
        article,
    };
    // The result shows the measure's name above its label: the titles' context is the issuer.
    let zh = [&m.title, &m.short_title, &m.issuer]
        .into_iter()
        .chain(m.doc_number.as_ref())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" / ");
    let en = [&m.title_en, &m.short_title_en, &m.issuer_en]
        .map(String::as_str)
        .join(" / ");
    out.push(doc(
        "measure",
        "",
        (Cow::Borrowed(&m.title), Cow::Borrowed(&m.title_en)),
        &(
            Arc::from(m.issuer.as_str()),
            Arc::from(m.issuer_en.as_str()),
        ),
        concat(&[&zh, EN_STR, &en]).into(),
        0,
    ));
    let en_label = |anchor: &str| -> Cow<'a, str> {
        Address::parse(anchor)
            .map(|a| a.cite_en())
            .unwrap_or_default()
            .into()
    };
    for a in m.chapters.iter().flat_map(|ch| &ch.articles) {
        // One context per article, shared by its documents: in English, the heading alone
        // (the label already says "Art. 19"; the heading is Chinese and shown as such).
        let context: (Arc<str>, Arc<str>) = (
            article_context(a).into(),
            a.heading.as_deref().unwrap_or("").into(),
        );
        if articles {
            article = a.number;
        }
        // English words find the article through its summary (the Chinese stays authoritative).
        if !a.summary_en.trim().is_empty() {
            out.push(doc(
                "summary",
                &a.anchor,
                (Cow::Borrowed(&a.cite_tail), en_label(&a.anchor)),
                &context,
                concat(&[EN_STR, &a.summary_en]).into(),
                article,
            ));
        }
        for (pi, p) in a.paras.iter().enumerate() {
            let mut text = Cow::Borrowed(p.text.text.as_str());
            if pi == 0 {
                if let Some(h) = a.heading.as_deref().filter(|h| !h.is_empty()) {
                    text = if text.is_empty() {
                        Cow::Borrowed(h)
                    } else {
                        concat(&[h, "　", &text]).into()
                    };
                }
            }
            if !text.trim().is_empty() {
                out.push(doc(
                    "article",
                    &p.anchor,
                    (Cow::Borrowed(&p.cite_tail), en_label(&p.anchor)),
                    &context,
                    text,
                    article,
                ));
            }
            let items = p.clauses.iter().flat_map(|c| &c.items).chain(&p.items);
            for c in &p.clauses {
                out.push(doc(
                    "clause",
                    &c.anchor,
                    (Cow::Borrowed(&c.cite_tail), en_label(&c.anchor)),
                    &context,
                    labelled(&c.label, &c.text.text),
                    article,
                ));
            }
            for it in items {
                out.push(doc(
                    "item",
                    &it.anchor,
                    (Cow::Borrowed(&it.cite_tail), en_label(&it.anchor)),
                    &context,
                    labelled(&it.label, &it.text.text),
                    article,
                ));
            }
        }
    }
}

/// The strings one after the other (`format!` costs several times more, a hundred thousand
/// times over).
fn concat(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        s.push_str(p);
    }
    s
}

/// A clause's or item's label followed by its text.
fn labelled<'a>(label: &str, text: &str) -> Cow<'a, str> {
    concat(&[label, text]).into()
}

/// `第十九条 申报条件` — the article's label and heading.
fn article_context(a: &ArticleView) -> String {
    match a.heading.as_deref().filter(|h| !h.is_empty()) {
        Some(h) => concat(&[&a.label, " ", h]),
        None => a.label.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::related;

    #[test]
    fn units_relate_to_their_parts_and_wholes() {
        assert!(related("art-19", "art-19"));
        assert!(related("art-19-1", "art-19"));
        assert!(related("art-19", "art-19-1-i2"));
        assert!(!related("art-1", "art-19"));
        assert!(!related("art-19", "art-1"));
        assert!(!related("art-19-1", "art-19-2"));
        assert!(!related("art-23", "art-19"));
    }
}
