//! The resolved corpus: what every renderer sees. Built once after validation; renderers never
//! re-parse content or recompute a cross-reference.

pub mod markup;
pub mod measure;
pub mod refs;
pub mod units;

use std::collections::BTreeMap;

use serde::Serialize;
use time::Date;

use crate::content::Corpus;
pub use measure::Measure;

/// The whole site's data.
#[derive(Debug, Clone, Serialize)]
pub struct Site {
    /// Status date, YYYY-MM-DD.
    pub as_of: String,
    /// Measures, national first, then by jurisdiction and date.
    pub measures: Vec<Measure>,
}

/// Resolves the validated corpus.
pub fn build(corpus: &Corpus, as_of: Date) -> Site {
    let files: Vec<&crate::content::MeasureFile> = corpus.measures.iter().map(|l| &l.value).collect();
    let mut doc_numbers = BTreeMap::new();
    for m in &files {
        if let Some(d) = &m.doc_number {
            doc_numbers.insert(crate::text::fold(d.get_ref()), (m.id.get_ref().clone(), m.short_title.clone()));
        }
    }
    let col = measure::Collection { doc_numbers, files: &files, sources: &corpus.sources, as_of };
    let mut measures: Vec<Measure> = files.iter().map(|m| measure::build(m, &col)).collect();
    measures.sort_by(|a, b| (a.level_rank, &a.jurisdiction_en, &a.issued, &a.id).cmp(&(b.level_rank, &b.jurisdiction_en, &b.issued, &b.id)));
    Site { as_of: as_of.to_string(), measures }
}
