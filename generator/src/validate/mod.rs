//! `atlas check`: every rule over the loaded content. Each finding is a [`Diagnostic`];
//! all are collected, none panics.

pub mod english;
pub mod facts;
pub mod structure;
pub mod topics;
pub mod verbatim;

use std::collections::BTreeMap;

use crate::content::Corpus;
use crate::diagnostics::{Diagnostic, Report};

/// Runs every rule on the corpus and appends the findings to `report`.
pub fn check(corpus: &Corpus, report: &mut Report) {
    let mut ids: BTreeMap<&str, &std::path::Path> = BTreeMap::new();
    let mut docnos: BTreeMap<String, &str> = BTreeMap::new();
    for l in &corpus.measures {
        let m = &l.value;
        if let Some(prev) = ids.insert(m.id.get_ref(), &l.path) {
            report.push(Diagnostic::error_at(
                &l.path,
                &l.text,
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
                report.push(Diagnostic::error_at(
                    &l.path,
                    &l.text,
                    d.span().start,
                    format!("document number {} is also given by '{prev}'", d.get_ref()),
                    "a document number identifies one measure",
                ));
            }
        }
        structure::check(l, report);
        verbatim::check(l, &corpus.sources, report);
    }
    for l in &corpus.measures {
        for r in &l.value.relations {
            if let Some(id) = &r.measure {
                if !ids.contains_key(id.get_ref().as_str()) {
                    report.push(Diagnostic::error_at(&l.path, &l.text, id.span().start, format!("relation names measure '{}', which is not in the collection", id.get_ref()), "use the id of a measure under content/measures/, or leave measure out and describe the target in words"));
                }
            }
        }
    }
    let topic_ids = topics::check(corpus, report);
    facts::check(&corpus.measures, topic_ids.as_ref(), report);
    crate::calc::check(corpus, report);
    english::check(corpus, report);
}
