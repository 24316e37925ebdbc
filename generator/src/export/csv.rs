//! The comparison matrix as CSV: one row per topic and measure. Written for spreadsheets:
//! UTF-8 with a byte order mark (without it Excel on a Chinese Windows reads the file in the
//! local code page), and no cell a spreadsheet would take for a formula.

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

/// `cell` as a spreadsheet must read it: a cell starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return would be run as a formula, so it gets a leading `'` (OWASP, "CSV
/// injection"), unless it is a number (`-5`, `+1.5`), which a spreadsheet reads as one.
pub(crate) fn neutral(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_number(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Whether `s` is a plain decimal number: an optional sign, digits with at most one point,
/// an optional exponent.
fn is_number(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match s.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
        None => (s, None),
    };
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((a, b)) => {
            (digits(a) || a.is_empty())
                && (digits(b) || b.is_empty())
                && !(a.is_empty() && b.is_empty())
        }
        None => digits(mantissa),
    };
    mantissa_ok && exponent.is_none_or(digits)
}

/// Writes the matrix: a row per fact, and one row for a silent or unreviewed cell.
pub(crate) fn matrix(site: &Site) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(BOM.as_bytes().to_vec());
    // Writing to a Vec cannot fail; a failure here would be a bug in the csv crate.
    let mut row = |r: &[&str]| {
        w.write_record(r.iter().map(|c| neutral(c).into_owned()))
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

#[cfg(test)]
mod tests {
    use super::neutral;

    #[test]
    fn formulas_are_neutralised_numbers_kept() {
        // OWASP's list of characters that start a formula, and harmless cells around them.
        for (cell, written) in [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("-", "'-"),
            ("-5", "-5"),
            ("+1.5", "+1.5"),
            ("-.5", "-.5"),
            ("-1e3", "-1e3"),
            ("≥ 20 人", "≥ 20 人"),
            ("3:1", "3:1"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(neutral(cell), written, "{cell:?}");
        }
    }
}
