//! Offline search: the index built at build time and shipped as classic scripts.
//!
//! [`tokenizer`] specifies how text becomes tokens (the browser repeats it for queries);
//! [`index`] turns documents into sharded script files; this module turns the model into
//! documents, one function per kind of document ([`measure_docs`], [`fact_docs`],
//! [`topic_docs`]).

pub mod index;
pub mod tokenizer;

use std::path::PathBuf;

use crate::model::measure::{level_names, ArticleView, Measure};
use crate::model::Site;
use crate::render::Files;
use index::{Choice, Corpus, Doc, MeasureInfo};

/// Adds the search index scripts to the rendered files, under `assets/search/`.
pub fn render(site: &Site, files: &mut Files) {
    for (name, bytes) in index::build(&corpus(site)) {
        files.insert(PathBuf::from("assets/search").join(name), bytes);
    }
}

/// Everything searchable in `site`.
pub fn corpus(site: &Site) -> Corpus {
    let mut c = Corpus::default();
    for m in &site.measures {
        c.measures.push(MeasureInfo {
            id: m.id.clone(),
            short: m.short_title.clone(),
            title: m.title.clone(),
            en: m.short_title_en.clone(),
            level: m.level.clone(),
        });
        if !c.levels.iter().any(|l| l.id == m.level) {
            c.levels.push(Choice {
                id: m.level.clone(),
                zh: level_names(&m.level).0.to_string(),
            });
        }
    }
    for g in &site.groups {
        for tp in &g.topics {
            c.topics.push(Choice {
                id: tp.id.clone(),
                zh: tp.zh.clone(),
            });
        }
    }
    for (i, m) in site.measures.iter().enumerate() {
        c.docs.extend(measure_docs(i, m));
    }
    c.docs.extend(fact_docs(site));
    c.docs.extend(topic_docs(site));
    tag_topics(site, &mut c.docs);
    c
}

/// One document per fact: its label and value, linking to the fact on its topic page (which
/// shows the quote and links on to the article it cites).
pub fn fact_docs(site: &Site) -> Vec<Doc> {
    let positions: std::collections::HashMap<&str, usize> = site
        .measures
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    let index = |id: &str| positions.get(id).copied();
    let mut out = Vec::new();
    for tp in site.groups.iter().flat_map(|g| &g.topics) {
        for f in tp.cells.iter().flat_map(|c| &c.facts) {
            out.push(Doc {
                kind: "fact",
                measure: index(&f.measure),
                href: format!("compare/topics/{}.html#{}", tp.id, f.id),
                label: format!("{}：{}", f.label, f.value),
                context: format!("{} · {}", tp.zh, f.cite_label),
                text: format!("{}：{} / {}: {}", f.label, f.value, f.label_en, f.value_en),
                topics: vec![tp.id.clone()],
            });
        }
    }
    out
}

/// One document per comparison topic: its names and descriptions, linking to its page.
pub fn topic_docs(site: &Site) -> Vec<Doc> {
    let mut out = Vec::new();
    for g in &site.groups {
        for tp in &g.topics {
            out.push(Doc {
                kind: "topic",
                measure: None,
                href: format!("compare/topics/{}.html", tp.id),
                label: tp.zh.clone(),
                context: g.zh.clone(),
                text: [&tp.zh, &tp.en, &tp.description, &tp.description_en]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" / "),
                topics: vec![tp.id.clone()],
            });
        }
    }
    out
}

/// Gives measure text documents the topics of the facts that cite them (or a unit inside
/// them, or the unit they are inside), so results can be filtered by topic.
fn tag_topics(site: &Site, docs: &mut [Doc]) {
    // The facts' citations grouped by page, so each document looks only at its own measure's.
    let mut cites: std::collections::HashMap<String, Vec<(&str, &str)>> =
        std::collections::HashMap::new();
    for tp in site.groups.iter().flat_map(|g| &g.topics) {
        for f in tp.cells.iter().flat_map(|c| &c.facts) {
            cites
                .entry(format!("measures/{}.html", f.measure))
                .or_default()
                .push((f.cite.as_str(), tp.id.as_str()));
        }
    }
    for d in docs
        .iter_mut()
        .filter(|d| matches!(d.kind, "article" | "clause" | "item"))
    {
        let Some((page, anchor)) = d.href.split_once('#') else {
            continue;
        };
        let Some(list) = cites.get(page) else {
            continue;
        };
        for (cite, topic) in list {
            // The fact cites this unit, a unit inside it, or the unit it is part of.
            let related = *cite == anchor || within(anchor, cite) || within(cite, anchor);
            if related && !d.topics.iter().any(|t| t == topic) {
                d.topics.push((*topic).to_string());
            }
        }
    }
}

/// Is anchor `inner` a unit inside `outer` (`art-19-1` inside `art-19`)?
fn within(inner: &str, outer: &str) -> bool {
    inner.len() > outer.len() && inner.starts_with(outer) && inner.as_bytes()[outer.len()] == b'-'
}

/// The documents of one measure: its titles, then every paragraph, clause and item in order.
pub fn measure_docs(index: usize, m: &Measure) -> Vec<Doc> {
    let href = format!("measures/{}.html", m.id);
    let doc = |kind, anchor: &str, label: String, context: String, text: String| Doc {
        kind,
        measure: Some(index),
        href: if anchor.is_empty() {
            href.clone()
        } else {
            format!("{href}#{anchor}")
        },
        label,
        context,
        text,
        topics: Vec::new(),
    };
    let titles = [
        &m.title,
        &m.short_title,
        &m.title_en,
        &m.short_title_en,
        &m.issuer,
        &m.issuer_en,
    ]
    .into_iter()
    .chain(m.doc_number.as_ref())
    .cloned()
    .collect::<Vec<_>>()
    .join(" / ");
    let mut out = vec![doc(
        "measure",
        "",
        m.title.clone(),
        m.title_en.clone(),
        titles,
    )];
    for a in m.chapters.iter().flat_map(|ch| &ch.articles) {
        let context = article_context(a);
        // English words find the article through its summary (the Chinese stays authoritative).
        if !a.summary_en.trim().is_empty() {
            let art = if m.unit_prefix == "sec" {
                format!("Part {}", a.number)
            } else {
                format!("Art. {}", a.number)
            };
            out.push(doc(
                "summary",
                &a.anchor,
                format!("{art} · English summary"),
                context.clone(),
                a.summary_en.clone(),
            ));
        }
        for (pi, p) in a.paras.iter().enumerate() {
            let mut text = plain(&p.html);
            if pi == 0 {
                if let Some(h) = a.heading.as_deref().filter(|h| !h.is_empty()) {
                    text = if text.is_empty() {
                        h.to_string()
                    } else {
                        format!("{h}　{text}")
                    };
                }
            }
            if !text.trim().is_empty() {
                out.push(doc(
                    "article",
                    &p.anchor,
                    short_cite(m, &p.citation),
                    context.clone(),
                    text,
                ));
            }
            let items = p.clauses.iter().flat_map(|c| &c.items).chain(&p.items);
            for c in &p.clauses {
                out.push(doc(
                    "clause",
                    &c.anchor,
                    short_cite(m, &c.citation),
                    context.clone(),
                    format!("{}{}", c.label, plain(&c.html)),
                ));
            }
            for it in items {
                out.push(doc(
                    "item",
                    &it.anchor,
                    short_cite(m, &it.citation),
                    context.clone(),
                    format!("{}{}", it.label, plain(&it.html)),
                ));
            }
        }
    }
    out
}

/// `第十九条 申报条件` — the article's label and heading.
fn article_context(a: &ArticleView) -> String {
    match a.heading.as_deref().filter(|h| !h.is_empty()) {
        Some(h) => format!("{} {h}", a.label),
        None => a.label.clone(),
    }
}

/// A citation without the measure's `《title》（文号）` prefix, which the result shows apart.
fn short_cite(m: &Measure, cite: &str) -> String {
    cite.strip_prefix(m.citation_prefix.as_str())
        .filter(|s| !s.is_empty())
        .unwrap_or(cite)
        .to_string()
}

/// The reading text of the model's safe HTML: tags removed, entities decoded, and interface
/// insertions (the “not in this collection” note) dropped.
pub fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut skip_until_close = false;
    while let Some(lt) = rest.find('<') {
        if !skip_until_close {
            out.push_str(&decode(&rest[..lt]));
        }
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let tag = &rest[lt..lt + gt + 1];
        if tag.contains("not-in-collection") {
            skip_until_close = true;
        } else if skip_until_close && tag.starts_with("</") {
            skip_until_close = false;
        }
        rest = &rest[lt + gt + 1..];
    }
    if !skip_until_close {
        out.push_str(&decode(rest));
    }
    out
}

fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let end = tail.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| entity(&tail[1..e]));
        match (end, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let num = name.strip_prefix('#')?;
            let v = match num.strip_prefix(['x', 'X']) {
                Some(h) => u32::from_str_radix(h, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(v)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn strips_tags_and_interface_text() {
        assert_eq!(plain("a &amp; <a href=\"#x\">b&#39;</a>"), "a & b'");
        assert_eq!(plain("《x》<span class=\"docno external\" title=\"t\">号<span class=\"not-in-collection\">（未收录）</span></span>和"), "《x》号和");
    }
}
