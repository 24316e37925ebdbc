//! A measure's text as HTML: its front matter, chapters and articles down to items, back
//! matter and closing blocks, with their transcribers' notes, backlinks and English summaries;
//! and the table of contents' entries for its chapters and articles.
//!
//! Written here rather than by a template, as Zola writes a page's Markdown: the text is most
//! of a measure page (at a thousand measures, 110 MB of the build's 280), and looking up each
//! of its thousands of values in tera's JSON context was half of the pages' rendering time.
//! `measure.html` places the parts with `{{ text.chapters | safe }}` and so on; the page around
//! them (title, status, table of contents) stays the theme's.

use std::collections::BTreeMap;

use serde::Serialize;

use super::markup::{self, MarkWords};
use super::notes::Notes;
use super::RenderError;
use crate::content::vocab::{ErratumKind, FactType};
use crate::model::compare::Backlink;
use crate::model::measure::{
    ArticleView, BlockView, ChapterView, ClauseView, ErratumView, ItemView, Measure, ParaView,
};

/// The parts of one measure's text in one edition, as HTML.
#[derive(Serialize)]
pub(super) struct Text {
    /// The issuing notice's blocks.
    front: String,
    /// The chapters and their articles.
    chapters: String,
    /// The back matter's blocks.
    back: String,
    /// The closing blocks.
    closing: String,
    /// The notes on the annex.
    annex_errata: String,
    /// The table of contents' entries for the chapters and articles.
    toc: String,
}

/// The edition's UI strings the text uses, escaped once.
struct Labels {
    erratum: String,
    artefact_in_copy: String,
    backlinks: String,
    bl_fact: String,
    bl_topic: String,
    bl_calculator: String,
    bl_relation: String,
    summary_note: String,
    summary_en: String,
    /// Each erratum kind's words, by kind.
    erratum_kinds: BTreeMap<ErratumKind, String>,
}

/// What differs between the editions' texts.
struct Edition<'a> {
    en: bool,
    /// The notes' HTML.
    notes: &'a Notes,
    /// The words for the marks in the text.
    marks: MarkWords,
    /// Path from the page to the edition's root: backlinks are relative to it.
    rel: &'a str,
    t: Labels,
    /// The notes of the article being written that are said once for it (see
    /// [`shared_errata`]): left out where they stand.
    shared: std::cell::RefCell<Vec<ErratumKey>>,
}

/// Writes `m`'s text for the edition with UI strings `strings` (English when `en`), on a page
/// `rel` below the edition's root.
pub(super) fn text(
    m: &Measure,
    strings: &BTreeMap<String, String>,
    notes: &Notes,
    en: bool,
    rel: &str,
) -> Result<Text, RenderError> {
    let get = |key: &str| ui_string(strings, key, "a measure's text");
    // Written into attributes by `markup`, which escapes them itself.
    let raw = |key: &str| {
        strings.get(key).cloned().ok_or_else(|| {
            RenderError(format!(
                "the theme's catalogue has no string '{key}' (needed by a measure's text)"
            ))
        })
    };
    let ed = Edition {
        en,
        notes,
        marks: MarkWords {
            outside_title: raw("not_in_collection_title")?,
            outside_mark: raw("not_in_collection")?,
        },
        rel,
        t: Labels {
            erratum: get("erratum")?,
            artefact_in_copy: get("artefact_in_copy")?,
            backlinks: get("backlinks")?,
            bl_fact: get("bl_fact")?,
            bl_topic: get("bl_topic")?,
            bl_calculator: get("bl_calculator")?,
            bl_relation: get("bl_relation")?,
            summary_note: get("summary_note")?,
            summary_en: get("summary_en")?,
            erratum_kinds: ErratumKind::ALL
                .iter()
                .map(|k| Ok((*k, get(&["erratum_", k.code()].concat())?)))
                .collect::<Result<_, RenderError>>()?,
        },
        shared: Default::default(),
    };
    let blocks = |bs: &[BlockView]| {
        let mut out = String::new();
        for b in bs {
            ed.block(b, &mut out);
        }
        out
    };
    // About 2 KB of HTML per article.
    let mut chapters = String::with_capacity(m.article_count * 2048);
    ed.chapters(m, &mut chapters);
    let mut annex_errata = String::new();
    ed.errata(&m.annex_errata, &mut annex_errata);
    let mut toc = String::with_capacity(m.article_count * 96);
    ed.toc(m, &mut toc);
    Ok(Text {
        toc,
        front: blocks(&m.front),
        chapters,
        back: blocks(&m.back),
        closing: blocks(&m.closing),
        annex_errata,
    })
}

/// The catalogue's string `key`, escaped once; when the theme lacks it, an error saying what
/// (`needed_by`) needs it.
pub(super) fn ui_string(
    strings: &BTreeMap<String, String>,
    key: &str,
    needed_by: &str,
) -> Result<String, RenderError> {
    strings
        .get(key)
        .map(|s| super::escape_html(s))
        .ok_or_else(|| {
            RenderError(format!(
                "the theme's catalogue has no string '{key}' (needed by {needed_by})"
            ))
        })
}

/// Appends `s` escaped as the templates escape (see [`super::escape_html`]).
pub(super) fn esc(out: &mut String, s: &str) {
    html_escape::encode_safe_to_string(s, out);
}

impl Edition<'_> {
    /// The table of contents' entries: each chapter, named, with its articles; in the English
    /// edition an article is also given its number in English (`Art. 19`, `Part 3`).
    fn toc(&self, m: &Measure, out: &mut String) {
        for ch in &m.chapters {
            let named = !ch.label.is_empty();
            if named {
                out.push_str("<li><a href=\"#");
                esc(out, &ch.anchor);
                out.push_str("\">");
                if self.en {
                    out.push_str("<span lang=\"zh-Hans\">");
                    chapter_name(ch, ' ', out);
                    out.push_str("</span>");
                } else {
                    chapter_name(ch, ' ', out);
                }
                out.push_str("</a><ol>");
            }
            out.push('\n');
            for a in &ch.articles {
                out.push_str("<li><a href=\"#");
                esc(out, &a.anchor);
                out.push_str("\">");
                if self.en {
                    out.push_str(m.unit_prefix.word_en());
                    out.push_str(&a.number.to_string());
                    out.push_str(" <span lang=\"zh-Hans\">");
                    esc(out, &a.label);
                    out.push_str("</span>");
                } else {
                    esc(out, &a.label);
                }
                if let Some(h) = a.heading.as_deref().filter(|h| !h.is_empty()) {
                    out.push_str(" <span lang=\"zh-Hans\">");
                    esc(out, h);
                    out.push_str("</span>");
                }
                out.push_str("</a></li>");
            }
            out.push('\n');
            if named {
                out.push_str("</ol></li>");
            }
        }
    }

    /// A front, back or closing block.
    fn block(&self, b: &BlockView, out: &mut String) {
        out.push_str("<p id=\"");
        esc(out, &b.anchor);
        out.push_str("\" class=\"block role-");
        esc(out, b.role.code());
        out.push_str("\">");
        markup::write(out, &b.text, &self.marks);
        out.push_str("</p>");
        self.errata(&b.errata, out);
    }

    fn chapters(&self, m: &Measure, out: &mut String) {
        for ch in &m.chapters {
            out.push_str("\n<section");
            if !ch.anchor.is_empty() {
                out.push_str(" id=\"");
                esc(out, &ch.anchor);
                out.push('"');
            }
            out.push_str(" class=\"chapter\">\n");
            if !ch.label.is_empty() {
                out.push_str("<h2 class=\"chapter-title\">");
                chapter_name(ch, '　', out);
                out.push_str("</h2>");
            }
            out.push('\n');
            for a in &ch.articles {
                self.article(m, a, out);
            }
            out.push_str("\n</section>\n");
        }
    }

    fn article(&self, m: &Measure, a: &ArticleView, out: &mut String) {
        out.push_str("\n<article id=\"");
        esc(out, &a.anchor);
        out.push_str("\" class=\"article\">\n<h3 class=\"article-head\"");
        out.push_str(" data-cite=\"");
        esc(out, &a.cite_tail);
        out.push_str("\">");
        self.artefacts(&a.errata, out);
        if self.en {
            // Headed as the contents name it (Art. 19), the number as printed beside it.
            out.push_str("<a class=\"label\" lang=\"en\" href=\"#");
            esc(out, &a.anchor);
            out.push_str("\">");
            out.push_str(m.unit_prefix.word_en());
            out.push_str(&a.number.to_string());
            out.push_str("</a> <span class=\"label-zh\">");
            esc(out, &a.label);
            out.push_str("</span>");
        } else {
            self.label(&a.anchor, &a.label, out);
        }
        if let Some(h) = a.heading.as_deref().filter(|h| !h.is_empty()) {
            out.push_str("<span class=\"heading\">");
            esc(out, h);
            out.push_str("</span>");
        }
        out.push_str("</h3>\n");
        // A note the transcribers made alike on several units of the article (a list marker
        // left before each clause) is said once, after the article's text, naming the units.
        let shared = shared_errata(a);
        *self.shared.borrow_mut() = shared.iter().map(|(e, _)| key(e)).collect();
        for (i, p) in a.paras.iter().enumerate() {
            // The first paragraph shares the article's anchor.
            self.para(p, i > 0, out);
        }
        self.shared.borrow_mut().clear();
        out.push('\n');
        self.errata(&a.errata, out);
        self.write_shared(&shared, out);
        out.push('\n');
        self.backlinks(&a.label, &a.backlinks, out);
        out.push('\n');
        self.summary(&a.summary_en, out);
        out.push_str("\n</article>\n");
    }

    fn para(&self, p: &ParaView, with_anchor: bool, out: &mut String) {
        out.push_str("\n<div class=\"para\"");
        if with_anchor {
            out.push_str(" id=\"");
            esc(out, &p.anchor);
            out.push('"');
        }
        out.push_str(">\n");
        if !p.text.text.is_empty() {
            out.push_str("<p>");
            markup::write(out, &p.text, &self.marks);
            out.push_str("</p>");
        }
        out.push('\n');
        if !p.clauses.is_empty() {
            out.push_str("<ol class=\"clauses\">");
            for c in &p.clauses {
                self.clause(c, out);
            }
            out.push_str("</ol>");
        }
        out.push('\n');
        self.items(&p.items, out);
        out.push('\n');
        self.errata(&p.errata, out);
        out.push_str("\n</div>\n");
    }

    fn clause(&self, c: &ClauseView, out: &mut String) {
        out.push_str("<li id=\"");
        esc(out, &c.anchor);
        out.push('"');
        self.cited(&c.cite_tail, &c.errata, &c.anchor, &c.label, out);
        markup::write(out, &c.text, &self.marks);
        out.push('\n');
        self.items(&c.items, out);
        out.push('\n');
        self.errata(&c.errata, out);
        out.push_str("</li>");
    }

    /// The end of a citable unit's opening tag (its citation without the measure's prefix, for
    /// the copy button: atlas.js puts the two together) and the start of its content: the
    /// conversion residue its notes name, then its label.
    fn cited(
        &self,
        cite_tail: &str,
        errata: &[ErratumView],
        anchor: &str,
        label: &str,
        out: &mut String,
    ) {
        out.push_str(" data-cite=\"");
        esc(out, cite_tail);
        out.push_str("\">");
        self.artefacts(errata, out);
        self.label(anchor, label, out);
    }

    /// A unit's label, linking to the unit.
    fn label(&self, anchor: &str, label: &str, out: &mut String) {
        out.push_str("<a class=\"label\" href=\"#");
        esc(out, anchor);
        out.push_str("\">");
        esc(out, label);
        out.push_str("</a>");
    }

    fn items(&self, items: &[ItemView], out: &mut String) {
        if items.is_empty() {
            return;
        }
        out.push_str("<ol class=\"items\">");
        for i in items {
            out.push_str("<li id=\"");
            esc(out, &i.anchor);
            out.push('"');
            self.cited(&i.cite_tail, &i.errata, &i.anchor, &i.label, out);
            markup::write(out, &i.text, &self.marks);
            self.errata(&i.errata, out);
            out.push_str("</li>");
        }
        out.push_str("</ol>");
    }

    /// The transcribers' notes on a unit (but those said once for the article, see
    /// [`shared_errata`]).
    fn errata(&self, errata: &[ErratumView], out: &mut String) {
        let shared = self.shared.borrow();
        let own: Vec<&ErratumView> = errata
            .iter()
            .filter(|e| !shared.contains(&key(e)))
            .collect();
        if own.is_empty() {
            return;
        }
        self.errata_open(out);
        for e in own {
            self.erratum(e, None, out);
        }
        out.push_str("</aside>");
    }

    /// The notes said once for an article, each with the labels of the units it is on.
    fn write_shared(&self, shared: &[(&ErratumView, Vec<&str>)], out: &mut String) {
        if shared.is_empty() {
            return;
        }
        self.errata_open(out);
        for (e, labels) in shared {
            self.erratum(e, Some(labels), out);
        }
        out.push_str("</aside>");
    }

    /// The start of an aside holding notes (in the English edition marked English: it stands
    /// inside the Chinese text).
    fn errata_open(&self, out: &mut String) {
        out.push_str("<aside class=\"errata\"");
        if self.en {
            out.push_str(" lang=\"en\"");
        }
        out.push_str(" aria-label=\"");
        out.push_str(&self.t.erratum);
        out.push_str("\">");
    }

    /// One note, naming the units it is on when it is said for several.
    fn erratum(&self, e: &ErratumView, units: Option<&Vec<&str>>, out: &mut String) {
        {
            out.push_str("<p class=\"erratum erratum-");
            esc(out, e.kind.code());
            out.push_str("\"><span class=\"tag\">");
            out.push_str(&self.t.erratum);
            out.push_str(" · ");
            out.push_str(&self.t.erratum_kinds[&e.kind]);
            out.push_str("</span> ");
            if let Some(units) = units {
                out.push_str("<span class=\"units\" lang=\"zh-Hans\">");
                for u in units {
                    esc(out, u);
                }
                out.push_str("</span> ");
            }
            let (first, second) = if self.en {
                (&e.note_en, &e.note)
            } else {
                (&e.note, &e.note_en)
            };
            if self.en {
                out.push_str(&super::lang::html(&self.notes.html(first)));
            } else {
                out.push_str(&self.notes.html(first));
            }
            if let Some(a) = e.artefact.as_deref().filter(|a| !a.is_empty()) {
                out.push_str(" <span class=\"artefact-shown\">");
                out.push_str(&self.t.artefact_in_copy);
                // The corner brackets are Chinese punctuation, marked as such in English.
                out.push_str(if self.en {
                    "<span lang=\"zh-Hans\">「<code>"
                } else {
                    "「<code>"
                });
                esc(out, a);
                out.push_str(if self.en {
                    "</code>」</span></span>"
                } else {
                    "</code>」</span>"
                });
            }
            out.push_str(if self.en {
                " <span class=\"muted\" lang=\"zh-Hans\">"
            } else {
                " <span class=\"en\" lang=\"en\">"
            });
            out.push_str(&self.notes.html(second));
            out.push_str("</span></p>");
        }
    }

    /// The conversion residue a unit's notes say its heading carries in the copy.
    fn artefacts(&self, errata: &[ErratumView], out: &mut String) {
        for e in errata.iter().filter(|e| e.kind == ErratumKind::Artefact) {
            out.push_str("<span class=\"artefact\" title=\"");
            esc(out, &e.note);
            out.push_str("\">");
            esc(out, e.artefact.as_deref().unwrap_or_default());
            out.push_str("</span>");
        }
    }

    /// What links to an article, grouped by kind: the kind said once, each link by its own
    /// words (a fact's label and value once, a topic's or a calculator's name).
    fn backlinks(&self, label: &str, links: &[Backlink], out: &mut String) {
        if links.is_empty() {
            return;
        }
        out.push_str("<aside class=\"backlinks\"");
        if self.en {
            out.push_str(" lang=\"en\"");
        }
        out.push_str(" aria-label=\"");
        out.push_str(&self.t.backlinks);
        out.push('：');
        esc(out, label);
        out.push_str("\"><span class=\"tag\">");
        out.push_str(&self.t.backlinks);
        out.push_str("</span>");
        let mut kind = "";
        for b in links {
            if b.kind() != kind {
                if !kind.is_empty() {
                    out.push_str("</span>");
                }
                kind = b.kind();
                out.push_str(" <span class=\"bl-group\"><span class=\"bl-kind bl-kind-");
                esc(out, kind);
                out.push_str("\">");
                out.push_str(match kind {
                    "fact" => &self.t.bl_fact,
                    "topic" => &self.t.bl_topic,
                    "calculator" => &self.t.bl_calculator,
                    _ => &self.t.bl_relation,
                });
                out.push_str("</span> ");
            } else {
                out.push_str(" · ");
            }
            out.push_str("<a class=\"bl bl-");
            esc(out, b.kind());
            out.push_str("\" href=\"");
            esc(out, self.rel);
            esc(out, &b.href());
            out.push_str("\">");
            match b {
                // A naming rule's value is the text's own words (with the English name it
                // gives): marked as such.
                Backlink::Fact(f) if f.kind == FactType::Naming => {
                    super::lang::text(out, localised(self.en, &f.label, &f.label_en), self.en);
                    out.push_str(if self.en { ": " } else { "：" });
                    out.push_str("<span class=\"verbatim\" lang=\"zh-Hans\">");
                    esc(out, &f.value);
                    out.push_str("</span>");
                }
                _ => super::lang::text(out, &b.label(self.en), self.en),
            }
            out.push_str("</a>");
        }
        out.push_str("</span></aside>");
    }

    /// An article's English summary: open in the English edition, folded in the Chinese.
    fn summary(&self, summary: &str, out: &mut String) {
        if summary.is_empty() {
            return;
        }
        if self.en {
            out.push_str("<div class=\"summary-en open\" lang=\"en\"><p class=\"summary-head\">");
            out.push_str(&self.t.summary_note);
            out.push_str("</p><p>");
        } else {
            out.push_str("<details class=\"summary-en\" lang=\"en\"><summary>");
            out.push_str(&self.t.summary_en);
            out.push_str(" <span class=\"muted\">(");
            out.push_str(&self.t.summary_note);
            out.push_str(")</span></summary><p>");
        }
        esc(out, summary);
        out.push_str(if self.en {
            "</p></div>"
        } else {
            "</p></details>"
        });
    }
}

/// The English value in the English edition when there is one, else the Chinese (what the
/// templates' `loc` filter does).
pub(super) fn localised<'a>(en: bool, zh: &'a str, en_value: &'a str) -> &'a str {
    if en && !en_value.is_empty() {
        en_value
    } else {
        zh
    }
}

/// A chapter's label and title, escaped, with `sep` between them (a space in the contents, an
/// ideographic space in the heading).
fn chapter_name(ch: &ChapterView, sep: char, out: &mut String) {
    esc(out, &ch.label);
    out.push(sep);
    esc(out, &ch.title);
}

/// What makes two notes the same note: kind, words and residue.
type ErratumKey = (ErratumKind, String, String, Option<String>);

fn key(e: &ErratumView) -> ErratumKey {
    (
        e.kind,
        e.note.clone(),
        e.note_en.clone(),
        e.artefact.clone(),
    )
}

/// The notes that stand alike on two or more units inside article `a` (its paragraphs,
/// clauses and items), each with the labels of those units in order.
fn shared_errata(a: &ArticleView) -> Vec<(&ErratumView, Vec<&str>)> {
    let mut all: Vec<(&ErratumView, &str)> = Vec::new();
    for p in &a.paras {
        all.extend(p.errata.iter().map(|e| (e, "")));
        for c in &p.clauses {
            all.extend(c.errata.iter().map(|e| (e, c.label.as_str())));
            for i in &c.items {
                all.extend(i.errata.iter().map(|e| (e, i.label.as_str())));
            }
        }
        for i in &p.items {
            all.extend(i.errata.iter().map(|e| (e, i.label.as_str())));
        }
    }
    let mut out: Vec<(&ErratumView, Vec<&str>)> = Vec::new();
    for (e, label) in &all {
        if let Some(x) = out.iter_mut().find(|(o, _)| key(o) == key(e)) {
            x.1.push(label);
        } else {
            out.push((e, vec![label]));
        }
    }
    out.retain(|(_, labels)| labels.len() > 1);
    out
}
