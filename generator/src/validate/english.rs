//! The English edition: every article has a summary, every fact, topic and title its English,
//! and the summaries use the glossary's renderings. Missing English is a warning (a measure can
//! be published in Chinese first); a rendering the glossary forbids is an error.

use crate::content::Corpus;
use crate::diagnostics::{Diagnostic, Report};

/// Runs the English-edition rules.
pub fn check(corpus: &Corpus, report: &mut Report) {
    let terms = corpus
        .glossary
        .as_ref()
        .map(|g| g.value.terms.as_slice())
        .unwrap_or_default();
    for l in &corpus.measures {
        let m = &l.value;
        let warn = |off: usize, msg: String, hint: &str| {
            Diagnostic::error_at(&l.path, &l.text, off, msg, hint).warning()
        };
        if m.title_en.trim().is_empty() || m.short_title_en.trim().is_empty() {
            report.push(warn(
                m.id.span().start,
                "missing English title".into(),
                "fill title_en and short_title_en",
            ));
        }
        for a in m.articles.iter().chain(&m.sections) {
            let at = a.label.span().start;
            if a.summary_en.trim().is_empty() {
                report.push(warn(
                    at,
                    format!("{} has no English summary", a.label.get_ref()),
                    "write summary_en: plain, faithful, with the numbers as the text gives them",
                ));
                continue;
            }
            let lower = a.summary_en.to_lowercase();
            for t in terms {
                for bad in &t.avoid {
                    if !bad.trim().is_empty() && lower.contains(&bad.to_lowercase()) {
                        report.push(Diagnostic::error_at(
                            &l.path,
                            &l.text,
                            at,
                            format!(
                                "the summary of {} renders {} as “{}”",
                                a.label.get_ref(),
                                t.zh.get_ref(),
                                bad.trim()
                            ),
                            format!(
                                "use the glossary's rendering “{}” (content/glossary.toml)",
                                t.en
                            ),
                        ));
                    }
                }
            }
        }
        for f in &m.facts {
            if f.label_en.trim().is_empty() {
                report.push(warn(
                    f.id.span().start,
                    format!("fact {} has no English label", f.id.get_ref()),
                    "fill label_en",
                ));
            }
        }
    }
    if let Some(t) = &corpus.topics {
        for x in &t.value.topics {
            if x.en.trim().is_empty() {
                report.push(
                    Diagnostic::error_at(
                        &t.path,
                        &t.text,
                        x.id.span().start,
                        format!("topic {} has no English name", x.id.get_ref()),
                        "fill en",
                    )
                    .warning(),
                );
            }
        }
    }
}
