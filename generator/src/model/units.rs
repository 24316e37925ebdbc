//! The addressable units of a measure (chapters, articles, paragraphs, clauses, items, blocks)
//! with their stable anchors, computed once from the content and shared by validation,
//! facts, references and renderers.

use std::ops::Range;

use crate::content::measure::{Article, Clause, Item, MeasureFile, Para};
use crate::text::chinese_number;

/// What kind of unit an anchor names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnitKind {
    /// A line before the body.
    Front,
    /// A chapter heading.
    Chapter,
    /// An article (条) or a notice's section.
    Article,
    /// A further paragraph (款) of an article.
    Para,
    /// A clause (项).
    Clause,
    /// An item (目).
    Item,
    /// A line after the body.
    Back,
    /// The annex.
    Annex,
    /// A line after the annex.
    Closing,
}

/// One addressable unit.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Stable anchor, e.g. `art-19-1`.
    pub anchor: String,
    /// What it is.
    pub kind: UnitKind,
    /// Article (or section) number it belongs to, if any.
    pub article: Option<u32>,
    /// Paragraph number within the article (1 = the first).
    pub para: Option<u32>,
    /// Clause number, if a clause or inside one.
    pub clause: Option<u32>,
    /// Item number, if an item.
    pub item: Option<u32>,
    /// The unit's own text (without label).
    pub own_text: String,
    /// The unit's text with all its sub-units, in order, labels included for sub-units.
    pub full_text: String,
    /// Byte range of the unit's text value in the TOML file (for diagnostics).
    pub span: Range<usize>,
}

/// Number of a clause label: `（一）` or `(一)` → 1.
pub fn clause_number(label: &str) -> Option<u32> {
    let inner = label
        .trim()
        .trim_start_matches(['（', '('])
        .trim_end_matches(['）', ')']);
    chinese_number(inner.trim())
}

/// Number of an item label: `1.` / `1、` / `1．` → 1.
pub fn item_number(label: &str) -> Option<u32> {
    let digits: String = label
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

/// Prefix of article anchors: `art` for a 办法, `sec` for a notice's sections.
pub fn article_prefix(is_section: bool) -> &'static str {
    if is_section {
        "sec"
    } else {
        "art"
    }
}

/// All units of a measure in document order.
pub fn units(m: &MeasureFile) -> Vec<Unit> {
    let mut out = Vec::new();
    for (i, b) in m.front.iter().enumerate() {
        out.push(block_unit(
            format!("front-{}", i + 1),
            UnitKind::Front,
            b.text.get_ref(),
            b.text.span(),
        ));
    }
    for c in &m.chapters {
        let n = *c.number.get_ref();
        out.push(Unit {
            anchor: format!("ch-{n}"),
            kind: UnitKind::Chapter,
            article: None,
            para: None,
            clause: None,
            item: None,
            own_text: c.title.clone(),
            full_text: c.title.clone(),
            span: c.number.span(),
        });
    }
    for a in &m.articles {
        article_units(a, "art", &mut out);
    }
    for a in &m.sections {
        article_units(a, "sec", &mut out);
    }
    for (i, b) in m.back.iter().enumerate() {
        out.push(block_unit(
            format!("back-{}", i + 1),
            UnitKind::Back,
            b.text.get_ref(),
            b.text.span(),
        ));
    }
    if let Some(annex) = &m.annex {
        annex_units(annex, &mut out);
    }
    for (i, b) in m.closing.iter().enumerate() {
        out.push(block_unit(
            format!("closing-{}", i + 1),
            UnitKind::Closing,
            b.text.get_ref(),
            b.text.span(),
        ));
    }
    out
}

/// Text of one form field as printed: group, subgroup, label, options, limit.
pub fn form_field_text(f: &crate::content::measure::FormField) -> String {
    let mut t = format!(
        "{}{}{}",
        f.group,
        f.subgroup.as_deref().unwrap_or(""),
        f.label
    );
    for o in &f.options {
        t.push_str(o);
    }
    if let Some(l) = &f.limit_text {
        t.push_str(l);
    }
    t
}

/// Units of the annexed form: the whole annex (`annex`), its cover (`annex-cover`), the
/// instructions (`annex-instructions`, items `annex-instructions-iJ`), each table field
/// (`annex-form-N`) and each section (`annex-sec-K`, sub-sections `annex-sec-K-M`).
fn annex_units(annex: &crate::content::measure::Annex, out: &mut Vec<Unit>) {
    let plain = |anchor: String, text: String| Unit {
        anchor,
        kind: UnitKind::Annex,
        article: None,
        para: None,
        clause: None,
        item: None,
        own_text: text.clone(),
        full_text: text,
        span: 0..0,
    };
    let start = out.len();
    out.push(plain("annex".into(), String::new()));
    let mut all = format!("{}{}", annex.label, annex.title);
    let mut cover: String = annex
        .cover_fields
        .iter()
        .map(|f| format!("{}{}", f.label, f.blank))
        .collect();
    cover.extend(annex.cover_lines.iter().map(String::as_str));
    all.push_str(&cover);
    out.push(plain("annex-cover".into(), cover));
    if let Some(ins) = &annex.instructions {
        let text: String = ins
            .items
            .iter()
            .map(|i| format!("{}{}", i.label.get_ref(), i.text.get_ref()))
            .collect();
        all.push_str(&ins.title);
        all.push_str(&text);
        out.push(plain("annex-instructions".into(), text));
        for (j, i) in ins.items.iter().enumerate() {
            out.push(plain(
                format!("annex-instructions-i{}", j + 1),
                i.text.get_ref().clone(),
            ));
        }
    }
    if let Some(form) = &annex.form {
        all.push_str(&form.title);
        for (n, f) in form.fields.iter().enumerate() {
            let text = form_field_text(f);
            all.push_str(&text);
            out.push(plain(format!("annex-form-{}", n + 1), text));
        }
    }
    for (k, sec) in annex.sections.iter().enumerate() {
        let mut text = format!("{}{}", sec.label, sec.title);
        text.extend(sec.guidance.iter().map(String::as_str));
        let idx = out.len();
        out.push(plain(format!("annex-sec-{}", k + 1), String::new()));
        for (m, sub) in sec.subs.iter().enumerate() {
            let mut st = format!("{}{}", sub.label, sub.title);
            st.extend(sub.guidance.iter().map(String::as_str));
            text.push_str(&st);
            out.push(plain(format!("annex-sec-{}-{}", k + 1, m + 1), st));
        }
        out[idx].own_text = text.clone();
        out[idx].full_text = text.clone();
        all.push_str(&text);
    }
    out[start].own_text = all.clone();
    out[start].full_text = all;
}

fn block_unit(anchor: String, kind: UnitKind, text: &str, span: Range<usize>) -> Unit {
    Unit {
        anchor,
        kind,
        article: None,
        para: None,
        clause: None,
        item: None,
        own_text: text.into(),
        full_text: text.into(),
        span,
    }
}

/// Anchor of paragraph `p` of article anchor `base` (the first paragraph shares the article's anchor).
pub fn para_anchor(base: &str, p: u32) -> String {
    if p <= 1 {
        base.to_string()
    } else {
        format!("{base}-p{p}")
    }
}

fn article_units(a: &Article, prefix: &str, out: &mut Vec<Unit>) {
    let n = *a.number.get_ref();
    let base = format!("{prefix}-{n}");
    let start = out.len();
    let mut full = String::new();
    if let Some(h) = &a.heading {
        full.push_str(h);
    }
    full.push_str(a.text.get_ref());
    out.push(Unit {
        anchor: base.clone(),
        kind: UnitKind::Article,
        article: Some(n),
        para: Some(1),
        clause: None,
        item: None,
        own_text: a.text.get_ref().clone(),
        full_text: String::new(),
        span: a.text.span(),
    });
    full.push_str(&list_units(&base, n, 1, &a.clauses, &a.items, out));
    for (i, p) in a.paras.iter().enumerate() {
        let pn = i as u32 + 2;
        full.push_str(&para_units(&base, n, pn, p, out));
    }
    out[start].full_text = full;
}

fn para_units(base: &str, n: u32, pn: u32, p: &Para, out: &mut Vec<Unit>) -> String {
    let anchor = para_anchor(base, pn);
    let idx = out.len();
    out.push(Unit {
        anchor: anchor.clone(),
        kind: UnitKind::Para,
        article: Some(n),
        para: Some(pn),
        clause: None,
        item: None,
        own_text: p.text.get_ref().clone(),
        full_text: String::new(),
        span: p.text.span(),
    });
    let mut full = p.text.get_ref().clone();
    full.push_str(&list_units(&anchor, n, pn, &p.clauses, &p.items, out));
    out[idx].full_text = full.clone();
    full
}

/// Units for the clauses and items of one paragraph; returns their combined text.
fn list_units(
    base: &str,
    n: u32,
    pn: u32,
    clauses: &[Clause],
    items: &[Item],
    out: &mut Vec<Unit>,
) -> String {
    let mut full = String::new();
    for (ci, c) in clauses.iter().enumerate() {
        // A clause whose label has no numeral still gets a stable anchor by position.
        let k = clause_number(c.label.get_ref()).unwrap_or(ci as u32 + 1);
        let anchor = format!("{base}-{k}");
        let idx = out.len();
        out.push(Unit {
            anchor: anchor.clone(),
            kind: UnitKind::Clause,
            article: Some(n),
            para: Some(pn),
            clause: Some(k),
            item: None,
            own_text: c.text.get_ref().clone(),
            full_text: String::new(),
            span: c.text.span(),
        });
        let mut cfull = c.text.get_ref().clone();
        for (ii, it) in c.items.iter().enumerate() {
            let j = item_number(it.label.get_ref()).unwrap_or(ii as u32 + 1);
            cfull.push_str(it.label.get_ref());
            cfull.push_str(it.text.get_ref());
            out.push(Unit {
                anchor: format!("{anchor}-{j}"),
                kind: UnitKind::Item,
                article: Some(n),
                para: Some(pn),
                clause: Some(k),
                item: Some(j),
                own_text: it.text.get_ref().clone(),
                full_text: it.text.get_ref().clone(),
                span: it.text.span(),
            });
        }
        out[idx].full_text = cfull.clone();
        full.push_str(c.label.get_ref());
        full.push_str(&cfull);
    }
    for (ii, it) in items.iter().enumerate() {
        let j = item_number(it.label.get_ref()).unwrap_or(ii as u32 + 1);
        out.push(Unit {
            anchor: format!("{base}-i{j}"),
            kind: UnitKind::Item,
            article: Some(n),
            para: Some(pn),
            clause: None,
            item: Some(j),
            own_text: it.text.get_ref().clone(),
            full_text: it.text.get_ref().clone(),
            span: it.text.span(),
        });
        full.push_str(it.label.get_ref());
        full.push_str(it.text.get_ref());
    }
    full
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clause_and_item_numbers() {
        assert_eq!(clause_number("（一）"), Some(1));
        assert_eq!(clause_number("(二)"), Some(2));
        assert_eq!(clause_number("（十二）"), Some(12));
        assert_eq!(item_number("1."), Some(1));
        assert_eq!(item_number("12、"), Some(12));
        assert_eq!(item_number("x"), None);
    }
}

#[cfg(test)]
mod annex_tests {
    use super::*;

    #[test]
    fn annex_units_have_anchors_for_fields_and_sections() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../content/measures/moe-ijl-2022.toml");
        let m: MeasureFile = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let us = units(&m);
        let find = |a: &str| {
            us.iter()
                .find(|u| u.anchor == a)
                .unwrap_or_else(|| panic!("no {a}"))
        };
        // Read off the source: the first narrative field of the form is 建设意义及发展目标 (限 500 字内).
        let narrative = us
            .iter()
            .find(|u| u.full_text.starts_with("建设意义及发展目标"))
            .expect("narrative field");
        assert!(
            narrative.anchor.starts_with("annex-form-")
                && narrative.full_text.contains("(限 500 字内)")
        );
        assert!(find("annex-sec-5")
            .full_text
            .starts_with("五、未来三年建设计划"));
        assert!(find("annex-instructions-i2")
            .full_text
            .contains("外方单位依托是指"));
        assert!(find("annex").full_text.contains("8.1合作协议"));
        if std::env::var("DUMP_ANNEX").is_ok() {
            for u in us.iter().filter(|u| u.anchor.starts_with("annex")) {
                eprintln!(
                    "{} | {}",
                    u.anchor,
                    u.full_text.chars().take(60).collect::<String>()
                );
            }
        }
    }
}
