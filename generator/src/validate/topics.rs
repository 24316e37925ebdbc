//! Rules for the topic taxonomy and each measure's review of it.

use std::collections::BTreeSet;

use crate::content::{Loaded, MeasureFile, TopicsFile};
use crate::diagnostics::{Diagnostic, Report};

/// Checks the taxonomy itself; returns its topic ids.
pub(super) fn taxonomy(l: &Loaded<TopicsFile>, report: &mut Report) -> BTreeSet<String> {
    let groups: BTreeSet<&str> = l
        .value
        .groups
        .iter()
        .map(|g| g.id.get_ref().as_str())
        .collect();
    let mut ids = BTreeSet::new();
    for t in &l.value.topics {
        let id = t.id.get_ref();
        if !crate::content::is_safe_id(id) {
            report.push(Diagnostic::error_at(
                &l.path,
                l.text(),
                t.id.span().start,
                format!("topic id '{id}' is not a safe slug"),
                "use lower-case ASCII letters, digits and hyphens",
            ));
        }
        if !ids.insert(id.clone()) {
            report.push(Diagnostic::error_at(
                &l.path,
                l.text(),
                t.id.span().start,
                format!("duplicate topic id '{id}'"),
                "each topic once",
            ));
        }
        if !groups.contains(t.group.get_ref().as_str()) {
            report.push(Diagnostic::error_at(
                &l.path,
                l.text(),
                t.group.span().start,
                format!("unknown group '{}'", t.group.get_ref()),
                "add the [[group]] or use an existing one",
            ));
        }
    }
    ids
}

/// Checks one measure's review of the topics (`ids`, from [`taxonomy`]).
pub(super) fn review(m: &Loaded<MeasureFile>, ids: &BTreeSet<String>, report: &mut Report) {
    let mut covered: BTreeSet<&str> = m
        .value
        .facts
        .iter()
        .map(|f| f.topic.get_ref().as_str())
        .collect();
    for s in &m.value.topics.silent {
        if !ids.contains(s.get_ref()) {
            report.push(Diagnostic::error_at(
                &m.path,
                m.text(),
                s.span().start,
                format!("unknown topic '{}' in topics.silent", s.get_ref()),
                "use a topic id from content/topics.toml",
            ));
        } else if covered.contains(s.get_ref().as_str()) {
            report.push(Diagnostic::error_at(
                &m.path,
                m.text(),
                s.span().start,
                format!(
                    "topic '{}' is marked silent but the measure has facts on it",
                    s.get_ref()
                ),
                "remove it from topics.silent",
            ));
        }
        covered.insert(s.get_ref());
    }
    let unreviewed: Vec<&str> = ids
        .iter()
        .map(String::as_str)
        .filter(|t| !covered.contains(t))
        .collect();
    if !unreviewed.is_empty() && !m.value.facts.is_empty() {
        report.push(
            Diagnostic::file_error(&m.path, format!("{} topic(s) not yet reviewed: {}", unreviewed.len(), unreviewed.join(", ")), "add facts on them, or list them in [topics] silent = [...] once you have checked the measure says nothing")
                .warning(),
        );
    }
}
