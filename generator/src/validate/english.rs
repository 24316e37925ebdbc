//! The English edition: every article has a summary, every fact, topic and title its English,
//! and the summaries use the glossary's renderings. Missing English is a warning (a measure can
//! be published in Chinese first); a rendering the glossary forbids is an error.

use aho_corasick::{AhoCorasick, AhoCorasickKind};

use crate::content::glossary::Term;
use crate::content::{Corpus, Loaded, MeasureFile};
use crate::diagnostics::{Diagnostic, Report};

/// The glossary's forbidden renderings, lower-cased once and searched for all at once.
pub(super) struct Terms<'a> {
    /// (term, rendering as written, rendering lower-cased), in glossary order; pattern `i` of
    /// `search` is `avoid[i].2`.
    avoid: Vec<(&'a Term, &'a str, String)>,
    /// Finds every occurrence of every rendering, overlapping ones included, in one pass over
    /// a summary (instead of one substring search per rendering). `None` when the glossary
    /// forbids nothing, or forbids so much that the automaton cannot be built (then each
    /// rendering is searched for on its own).
    search: Option<AhoCorasick>,
}

impl<'a> Terms<'a> {
    /// The forbidden renderings of the corpus's glossary (none without a glossary).
    pub(super) fn new(corpus: &'a Corpus) -> Self {
        let terms = corpus
            .glossary
            .as_ref()
            .map(|g| g.value.terms.as_slice())
            .unwrap_or_default();
        let avoid: Vec<(&Term, &str, String)> = terms
            .iter()
            .flat_map(|t| t.avoid.iter().map(move |bad| (t, bad.as_str())))
            .filter(|(_, bad)| !bad.trim().is_empty())
            .map(|(t, bad)| (t, bad, bad.to_lowercase()))
            .collect();
        let search = if avoid.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::DFA))
                .prefilter(false)
                .build(avoid.iter().map(|(_, _, lower)| lower))
                .or_else(|_| AhoCorasick::new(avoid.iter().map(|(_, _, lower)| lower)))
                .ok()
        };
        Terms { avoid, search }
    }

    /// Indices into `avoid` of the renderings `lower` (a lower-cased summary) contains, in order.
    fn found(&self, lower: &str) -> Vec<usize> {
        let mut found: Vec<usize> = match &self.search {
            // Most summaries are clean: one quick test, and the overlapping search only if not.
            Some(ac) if !ac.is_match(lower) => Vec::new(),
            Some(ac) => ac
                .find_overlapping_iter(lower)
                .map(|m| m.pattern().as_usize())
                .collect(),
            None => (0..self.avoid.len())
                .filter(|&i| lower.contains(self.avoid[i].2.as_str()))
                .collect(),
        };
        found.sort_unstable();
        found.dedup();
        found
    }

    /// The English-edition rules on one measure.
    pub(super) fn check_measure(&self, l: &Loaded<MeasureFile>, report: &mut Report) {
        let m = &l.value;
        let warn = |off: usize, msg: String, hint: &str| {
            Diagnostic::error_at(&l.path, l.text(), off, msg, hint).warning()
        };
        if m.title_en.trim().is_empty() || m.short_title_en.trim().is_empty() {
            report.push(warn(
                m.id.span().start,
                "missing English title".into(),
                "fill title_en and short_title_en",
            ));
        }
        let mut buf = String::new();
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
            if self.avoid.is_empty() {
                continue;
            }
            // ASCII text lower-cases in place, into one buffer for all summaries; anything
            // else goes through `str::to_lowercase` (final sigma and all).
            let owned: String;
            let lower: &str = if a.summary_en.is_ascii() {
                buf.clear();
                buf.push_str(&a.summary_en);
                buf.make_ascii_lowercase();
                &buf
            } else {
                owned = a.summary_en.to_lowercase();
                &owned
            };
            for i in self.found(lower) {
                let (t, bad, _) = self.avoid[i];
                report.push(Diagnostic::error_at(
                    &l.path,
                    l.text(),
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
}

/// Every topic has its English name.
pub(super) fn check_topics(corpus: &Corpus, report: &mut Report) {
    if let Some(t) = &corpus.topics {
        for x in &t.value.topics {
            if x.en.trim().is_empty() {
                report.push(
                    Diagnostic::error_at(
                        &t.path,
                        t.text(),
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

/// The glossary's search wordings (`search_zh`, `search_en`): each says something the search
/// can match (a Chinese wording has Han characters and no Latin letters, an English one the
/// reverse), none repeats its term's other wordings, and no wording belongs to two terms (a
/// query must lead to one meaning).
pub(super) fn check_search_words(corpus: &Corpus, report: &mut Report) {
    use crate::search::tokenizer::{is_han, tokenize};
    let Some(g) = &corpus.glossary else { return };
    let key = |s: &str| {
        tokenize(s)
            .into_iter()
            .map(|t| t.text)
            .collect::<Vec<_>>()
            .join(" ")
    };
    // Every term's own wordings first: a search wording may not be another term's.
    let mut owner: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    for t in &g.value.terms {
        for w in [t.zh.get_ref().as_str(), t.en.as_str()] {
            owner.entry(key(w)).or_insert(t.zh.get_ref().as_str());
        }
    }
    for t in &g.value.terms {
        let mut own: std::collections::HashSet<String> =
            [key(t.zh.get_ref()), key(&t.en)].into_iter().collect();
        let lists = [(&t.search_zh, true), (&t.search_en, false)];
        for (list, chinese) in lists {
            for w in list {
                let err = |msg: String, hint: &str| {
                    Diagnostic::error_at(&g.path, g.text(), w.span().start, msg, hint)
                };
                let s = w.get_ref();
                let han = s.chars().any(is_han);
                let latin = s.chars().any(|c| c.is_ascii_alphabetic());
                let k = key(s);
                if k.is_empty() {
                    report.push(err(
                        format!(
                            "search wording “{s}” of {} has no word to search for",
                            t.zh.get_ref()
                        ),
                        "write Chinese characters, letters or digits",
                    ));
                } else if chinese && (!han || latin) {
                    report.push(err(
                        format!("search_zh “{s}” of {} is not Chinese", t.zh.get_ref()),
                        "put English words under search_en",
                    ));
                } else if !chinese && (han || !latin) {
                    report.push(err(
                        format!("search_en “{s}” of {} is not English", t.zh.get_ref()),
                        "put Chinese wordings under search_zh",
                    ));
                } else if !own.insert(k.clone()) {
                    report.push(err(
                        format!(
                            "search wording “{s}” repeats another wording of {}",
                            t.zh.get_ref()
                        ),
                        "list each wording once",
                    ));
                } else if let Some(other) = owner
                    .insert(k, t.zh.get_ref().as_str())
                    .filter(|o| *o != t.zh.get_ref().as_str())
                {
                    report.push(err(
                        format!(
                            "search wording “{s}” of {} is also a wording of {other}",
                            t.zh.get_ref()
                        ),
                        "give a wording to one term only, so a query leads to one meaning",
                    ));
                }
            }
        }
    }
}
