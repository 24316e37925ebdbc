//! Nothing that is not the source's words appears inside a verbatim sentence: for every unit
//! of every measure, on both editions' pages, the text nodes of the unit's own text, joined,
//! are exactly its text in the transcription (which `atlas check` proves equal to the source
//! copy). Whatever the site says about the words — a document not in the collection, a slip
//! in the original, a link — lives in elements and attributes around them, never in the text.

use atlas::address::units::{unit_refs, UnitKind};
use atlas_tests::{build, sel};
use scraper::{ElementRef, Html, Node};

/// The text nodes of `el` that carry the unit's own words: everything but its label, its
/// sub-units (clauses, items), the notes and backlinks beside it and the residue an artefact
/// note shows.
fn own_text(el: ElementRef, out: &mut String) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                let beside = matches!(e.name(), "ol" | "aside" | "details" | "button" | "div")
                    || e.classes().any(|c| c == "label" || c == "artefact");
                if !beside {
                    if let Some(r) = ElementRef::wrap(child) {
                        own_text(r, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The element holding the own text of the unit at `anchor` of kind `kind` on `page`.
fn holder<'a>(page: &'a Html, anchor: &str, kind: UnitKind) -> Option<ElementRef<'a>> {
    let by_id = |css: String| page.select(&sel(&css)).next();
    match kind {
        // The article's first paragraph shares its anchor; its words are in the paragraph's <p>.
        UnitKind::Article => by_id(format!("article[id=\"{anchor}\"] > div.para:not([id]) > p")),
        UnitKind::Para => by_id(format!("div.para[id=\"{anchor}\"] > p")),
        UnitKind::Clause | UnitKind::Item => by_id(format!("li[id=\"{anchor}\"]")),
        UnitKind::Front | UnitKind::Back | UnitKind::Closing => {
            by_id(format!("p[id=\"{anchor}\"]"))
        }
        UnitKind::Chapter | UnitKind::Annex => None,
    }
}

#[test]
fn every_verbatim_unit_on_every_page_is_exactly_the_sources_words() {
    let site = build("2026-11-21");
    let (corpus, report) = atlas::content::load(&atlas_tests::repo().join("content"));
    assert!(!report.has_errors());
    let mut checked = 0;
    let mut problems = Vec::new();
    for l in &corpus.measures {
        let m = &l.value;
        for prefix in ["", "en/"] {
            let rel = format!("{prefix}measures/{}.html", m.id.get_ref());
            let page = site.page(&rel);
            for u in unit_refs(m) {
                let expected = u.own_text();
                let Some(el) = holder(&page, u.anchor(), u.head.kind) else {
                    // Chapters are headings; the annex is a form, checked by tests/coverage.rs.
                    // An article that opens with a clause has no words of its own.
                    if !matches!(u.head.kind, UnitKind::Chapter | UnitKind::Annex)
                        && !expected.is_empty()
                    {
                        problems.push(format!("{rel}#{}: not found", u.anchor()));
                    }
                    continue;
                };
                let mut shown = String::new();
                own_text(el, &mut shown);
                // The page's writer puts a line break between a unit's words and its sub-units.
                let shown = shown.trim_matches('\n');
                if shown != expected {
                    problems.push(format!(
                        "{rel}#{}:\n  source: {expected}\n  page:   {shown}",
                        u.anchor()
                    ));
                }
                checked += 1;
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {checked} units differ from the source:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // Five measures, both editions: hundreds of units (660), not a handful.
    assert!(checked > 600, "only {checked} units checked");
}
