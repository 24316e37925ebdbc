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
use crate::content::vocab::Force;
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
/// full, with the text of the unit it cites, the quote and the transcribers' note. `measures`
/// names the measures by id; a cell whose measure it lacks is left out.
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
        for f in &cell.facts {
            out.push_str("\n<div class=\"fact-full force-");
            esc(&mut out, f.force.code());
            out.push_str("\" id=\"");
            esc(&mut out, &f.id);
            out.push_str("\">\n<p>");
            label_and_value(f, &mut out, en);
            if f.force == Force::Soft {
                out.push_str(" <span class=\"soft\">");
                out.push_str(&t.soft);
                out.push_str("</span>");
            }
            out.push_str(" — <a href=\"");
            measure_href(&mut out, rel, &m.id);
            out.push('#');
            esc(&mut out, &f.cite);
            out.push_str("\">");
            esc(&mut out, localised(en, &f.cite_label, &f.cite_label_en));
            out.push_str("</a></p>\n<blockquote class=\"unit-text\" lang=\"zh-Hans\">");
            esc(&mut out, &f.unit_text);
            out.push_str("</blockquote>\n<p class=\"quote\">");
            out.push_str(&t.quote);
            out.push_str("：「<span lang=\"zh-Hans\">");
            esc(&mut out, &f.quote);
            out.push_str("</span>」</p>\n");
            if let Some(note) = f.note.as_deref().filter(|n| !n.is_empty()) {
                // The English note where there is one in the English edition.
                let note = match f.note_en.as_deref() {
                    Some(e) if en && !notes.html(e).is_empty() => e,
                    _ => note,
                };
                out.push_str("<p class=\"note\">");
                out.push_str(&notes.html(note));
                out.push_str("</p>");
            }
            out.push_str("\n</div>\n");
        }
        out.push_str("\n</section>\n");
    }
    out
}

/// A fact's label and value, as the matrix and topic pages both show them.
fn label_and_value(f: &FactView, out: &mut String, en: bool) {
    out.push_str("<span class=\"fact-label\">");
    esc(out, localised(en, &f.label, &f.label_en));
    out.push_str("</span> <strong class=\"fact-value\">");
    esc(out, localised(en, &f.value, &f.value_en));
    out.push_str("</strong>");
}

/// The link to measure `id`'s page from a page `rel` below the edition's root.
fn measure_href(out: &mut String, rel: &str, id: &str) {
    esc(out, rel);
    out.push_str("measures/");
    esc(out, id);
    out.push_str(".html");
}
