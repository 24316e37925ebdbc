//! The comparison matrix as CSV: one row per topic and measure. Written for spreadsheets:
//! UTF-8 with a byte order mark (without it Excel on a Chinese Windows reads the file in the
//! local code page), and no cell a spreadsheet would take for a formula.

use crate::calc::csv::neutralise;
use crate::model::Site;

/// Header of the matrix CSV.
pub(crate) const HEADER: [&str; 12] = [
    "group",
    "topic",
    "topic_zh",
    "measure",
    "measure_title",
    "state",
    "fact",
    "label",
    "value",
    "force",
    "citation",
    "anchor",
];

/// The UTF-8 byte order mark the file starts with.
pub(crate) const BOM: &str = "\u{feff}";

/// Writes the matrix: a row per fact, and one row for a silent or unreviewed cell.
pub(crate) fn matrix(site: &Site) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(BOM.as_bytes().to_vec());
    // Writing to a Vec cannot fail; a failure here would be a bug in the csv crate.
    let mut row = |r: &[&str]| {
        w.write_record(r.iter().map(|c| neutralise(c).into_owned()))
            .expect("csv into memory")
    };
    row(&HEADER);
    let titles: std::collections::BTreeMap<&str, &str> = site
        .measures
        .iter()
        .map(|m| (m.id.as_str(), m.short_title.as_str()))
        .collect();
    for g in &site.groups {
        for t in &g.topics {
            for c in &t.cells {
                let title = titles.get(c.measure.as_str()).copied().unwrap_or("");
                if c.facts.is_empty() {
                    row(&[
                        &g.id, &t.id, &t.zh, &c.measure, title, c.state, "", "", "", "", "", "",
                    ]);
                }
                for f in &c.facts {
                    let anchor = format!("measures/{}.html#{}", f.measure, f.cite);
                    row(&[
                        &g.id,
                        &t.id,
                        &t.zh,
                        &c.measure,
                        title,
                        c.state,
                        &f.id,
                        &f.label,
                        &f.value,
                        f.force.code(),
                        &f.cite_label,
                        &anchor,
                    ]);
                }
            }
        }
    }
    w.into_inner().unwrap_or_default()
}
