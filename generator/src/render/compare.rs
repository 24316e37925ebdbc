//! The bulk of the comparison pages as HTML: a topic's row of cells (one per measure, shared by
//! the matrix and the side-by-side view) and the facts a topic page quotes.
//!
//! Written here rather than by templates for the reason [`super::text`] gives: at a thousand
//! measures a row has a thousand cells and the four matrix pages are 36 MB, and looking up each
//! fact's values in tera's JSON context was most of their rendering time. `compare/matrix.html`,
//! `compare/side.html` and `compare/topic.html` place the parts (`{{ topic.cells_html | safe }}`,
//! `{{ facts_html | safe }}`); the pages around them stay the theme's.

use std::collections::{BTreeMap, HashMap};

use super::notes::Notes;
use super::text::{esc, localised, ui_string};
use super::RenderError;
use crate::address::Address;
use crate::content::vocab::{FactType, Force};
use crate::model::compare::TopicView;
use crate::model::facts::FactView;
use crate::model::measure::Status;
use crate::model::Measure;

/// The edition's UI strings the comparison parts use, escaped once.
pub(super) struct Labels {
    soft: String,
    soft_hint: String,
    silent: String,
    unreviewed: String,
    quote: String,
    /// Each status's words, by code.
    status: BTreeMap<&'static str, String>,
}

impl Labels {
    /// The strings of an edition's catalogue `strings`.
    pub(super) fn of(strings: &BTreeMap<String, String>) -> Result<Labels, RenderError> {
        let get = |key: &str| ui_string(strings, key, "the comparison pages");
        Ok(Labels {
            soft: get("soft")?,
            soft_hint: get("soft_hint")?,
            silent: get("silent")?,
            unreviewed: get("unreviewed")?,
            quote: get("quote")?,
            status: [
                Status::InForce,
                Status::NotYet,
                Status::ExpiredCall,
                Status::OpenCall,
                Status::Repealed,
                Status::Expired,
            ]
            .into_iter()
            .map(|s| Ok((s.code(), get(&["status_", s.code()].concat())?)))
            .collect::<Result<_, RenderError>>()?,
        })
    }
}

/// A topic's row of cells, one `<td>` per measure: its facts (each linking to the unit it
/// cites, on a page `rel` below the edition's root), or that it is silent or not yet reviewed.
pub(super) fn cells(topic: &TopicView, t: &Labels, en: bool, rel: &str) -> String {
    let facts: usize = topic.cells.iter().map(|c| c.facts.len()).sum();
    let mut out = String::with_capacity(topic.cells.len() * 96 + facts * 512);
    for cell in &topic.cells {
        out.push_str("<td data-measure=\"");
        esc(&mut out, &cell.measure);
        out.push_str("\" class=\"cell-");
        esc(&mut out, cell.state);
        out.push_str("\">");
        match cell.state {
            "facts" => {
                out.push_str("<ul class=\"facts\">");
                for f in &cell.facts {
                    let cite_label = localised(en, &f.cite_label, &f.cite_label_en);
                    out.push_str("<li class=\"fact force-");
                    esc(&mut out, f.force.code());
                    out.push_str("\"><a href=\"");
                    measure_href(&mut out, rel, &f.measure);
                    out.push('#');
                    esc(&mut out, &f.cite);
                    out.push_str("\" title=\"");
                    esc(&mut out, cite_label);
                    out.push('：');
                    esc(&mut out, &f.quote);
                    out.push_str("\">");
                    label_and_value(f, &mut out, en);
                    out.push_str("</a>");
                    if f.force == Force::Soft {
                        out.push_str(" <span class=\"soft\" title=\"");
                        out.push_str(&t.soft_hint);
                        out.push_str("\">");
                        out.push_str(&t.soft);
                        out.push_str("</span>");
                    }
                    out.push_str(" <span class=\"cite-label\">");
                    esc(&mut out, cite_label);
                    out.push_str("</span></li>");
                }
                out.push_str("</ul>");
            }
            "silent" => {
                out.push_str("<span class=\"silent\">");
                out.push_str(&t.silent);
                out.push_str("</span>");
            }
            _ => {
                out.push_str("<span class=\"unreviewed\">");
                out.push_str(&t.unreviewed);
                out.push_str("</span>");
            }
        }
        out.push_str("\n</td>");
    }
    out
}

/// A topic page's sections for the measures that say something on the topic: each fact in
/// short form with its citation and note, and the text of the units they cite, each unit
/// once (a fact citing a clause of an article another fact cites is shown with that
/// article), the words each fact rests on marked in it. `measures` names the measures by id;
/// a cell whose measure it lacks is left out.
pub(super) fn facts(
    topic: &TopicView,
    measures: &HashMap<&str, &Measure>,
    t: &Labels,
    notes: &Notes,
    en: bool,
    rel: &str,
) -> String {
    let mut out = String::new();
    for cell in topic.cells.iter().filter(|c| c.state == "facts") {
        let Some(m) = measures.get(cell.measure.as_str()) else {
            continue;
        };
        out.push_str("\n<section class=\"topic-measure cell-facts\" aria-labelledby=\"tm-");
        esc(&mut out, &m.id);
        out.push_str("\">\n<h2 id=\"tm-");
        esc(&mut out, &m.id);
        out.push_str("\"><a href=\"");
        measure_href(&mut out, rel, &m.id);
        out.push_str("\">");
        esc(&mut out, localised(en, &m.short_title, &m.short_title_en));
        out.push_str("</a> <span class=\"status status-");
        esc(&mut out, m.status.code());
        out.push_str("\">");
        out.push_str(&t.status[m.status.code()]);
        out.push_str("</span></h2>\n");
        for group in unit_groups(&cell.facts) {
            out.push_str("<div class=\"cited-unit\">");
            for f in &group {
                fact_full(f, m, t, notes, en, rel, &mut out);
            }
            unit_text(&group, t, &mut out);
            out.push_str("</div>\n");
        }
        out.push_str("\n</section>\n");
    }
    out
}

/// `facts` in groups citing the same unit, or units within the first one's: the first fact
/// of a group cites the widest unit of it.
fn unit_groups(facts: &[std::sync::Arc<FactView>]) -> Vec<Vec<&FactView>> {
    let addr = |f: &FactView| Address::parse(&f.cite);
    let within = |outer: &FactView, inner: &FactView| {
        outer.cite == inner.cite
            || matches!((addr(outer), addr(inner)), (Some(o), Some(i)) if o.contains(&i))
    };
    let mut groups: Vec<Vec<&FactView>> = Vec::new();
    for f in facts {
        if let Some(g) = groups.iter_mut().find(|g| within(g[0], f)) {
            g.push(f);
        } else if let Some(g) = groups.iter_mut().find(|g| within(f, g[0])) {
            // A wider unit than the group's: it heads the group from now on.
            g.insert(0, f);
        } else {
            groups.push(vec![f]);
        }
    }
    groups
}

/// One fact on a topic page: its short form, the citation and the note.
fn fact_full(
    f: &FactView,
    m: &Measure,
    t: &Labels,
    notes: &Notes,
    en: bool,
    rel: &str,
    out: &mut String,
) {
    out.push_str("\n<div class=\"fact-full force-");
    esc(out, f.force.code());
    out.push_str("\" id=\"");
    esc(out, &f.id);
    out.push_str("\">\n<div class=\"fact-line\">");
    label_and_value(f, out, en);
    if f.force == Force::Soft {
        out.push_str(" <span class=\"soft\">");
        out.push_str(&t.soft);
        out.push_str("</span>");
    }
    out.push_str(" — <a href=\"");
    measure_href(out, rel, &m.id);
    out.push('#');
    esc(out, &f.cite);
    out.push_str("\">");
    esc(out, localised(en, &f.cite_label, &f.cite_label_en));
    out.push_str("</a></div>\n");
    if let Some(note) = f.note.as_deref().filter(|n| !n.is_empty()) {
        // The English note where there is one in the English edition.
        let note = match f.note_en.as_deref() {
            Some(e) if en && !notes.html(e).is_empty() => e,
            _ => note,
        };
        out.push_str("<p class=\"note\">");
        if en {
            out.push_str(&super::lang::html(&notes.html(note)));
        } else {
            out.push_str(&notes.html(note));
        }
        out.push_str("</p>");
    }
    out.push_str("\n</div>\n");
}

/// The text of the unit a group of facts cites, once, with the words each fact quotes
/// marked; a quote the text does not hold as written is given beside it.
fn unit_text(group: &[&FactView], t: &Labels, out: &mut String) {
    let text = group[0].unit_text.as_str();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut apart: Vec<&str> = Vec::new();
    for f in group {
        match text.find(f.quote.as_str()).filter(|_| !f.quote.is_empty()) {
            Some(i) => spans.push((i, i + f.quote.len())),
            None if !apart.contains(&f.quote.as_str()) => apart.push(&f.quote),
            None => {}
        }
    }
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (a, b) in spans {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    out.push_str("<blockquote class=\"unit-text verbatim\" lang=\"zh-Hans\">");
    let mut at = 0;
    for (a, b) in merged {
        esc(out, &text[at..a]);
        out.push_str("<mark class=\"quote\">");
        esc(out, &text[a..b]);
        out.push_str("</mark>");
        at = b;
    }
    esc(out, &text[at..]);
    out.push_str("</blockquote>\n");
    for q in apart {
        out.push_str("<p class=\"quote\">");
        out.push_str(&t.quote);
        out.push_str("：「<span lang=\"zh-Hans\">");
        esc(out, q);
        out.push_str("</span>」</p>\n");
    }
}

/// A fact's label and value, as the matrix and topic pages both show them: said once when
/// they are the same words (a requirement's or an exclusion's value is its label); a list of
/// categories as a list. A value that is the text's own words (a naming pattern, quoted with
/// its English name) is marked as such, so that neither edition takes it for its own prose.
/// In the English edition the Chinese the words quote is marked as Chinese.
fn label_and_value(f: &FactView, out: &mut String, en: bool) {
    let label = localised(en, &f.label, &f.label_en);
    let value = localised(en, &f.value, &f.value_en);
    if label.trim() != value.trim() {
        out.push_str("<span class=\"fact-label\">");
        super::lang::text(out, label, en);
        out.push_str("</span> ");
    }
    if f.kind == FactType::Categories {
        if let Some(items) = categories(f, en).filter(|c| c.len() > 1) {
            out.push_str("<ul class=\"fact-value categories\">");
            for c in items {
                out.push_str("<li>");
                super::lang::text(out, &c, en);
                out.push_str("</li>");
            }
            out.push_str("</ul>");
            return;
        }
    }
    out.push_str("<strong class=\"fact-value");
    if f.kind == FactType::Naming {
        out.push_str(" verbatim\" lang=\"zh-Hans");
    }
    out.push_str("\">");
    super::lang::text(out, value, en && f.kind != FactType::Naming);
    out.push_str("</strong>");
}

/// The labels of a categories fact's categories in the edition's language (the Chinese one
/// where there is no English), read from its machine-readable value.
fn categories(f: &FactView, en: bool) -> Option<Vec<String>> {
    let data: serde_json::Value = serde_json::from_str(&f.data).ok()?;
    data.get("categories")?
        .as_array()?
        .iter()
        .map(|c| {
            let zh = c.get("label")?.as_str()?;
            let e = c
                .get("label_en")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("");
            Some(localised(en, zh, e).to_string())
        })
        .collect()
}

/// The link to measure `id`'s page from a page `rel` below the edition's root.
fn measure_href(out: &mut String, rel: &str, id: &str) {
    esc(out, rel);
    out.push_str("measures/");
    esc(out, id);
    out.push_str(".html");
}
