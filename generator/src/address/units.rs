//! The addressable units of a measure (chapters, articles, paragraphs, clauses, items, blocks)
//! with their stable anchors, computed once from the content and shared by validation,
//! facts, references and renderers.

use std::borrow::Cow;
use std::ops::Range;

use super::{clause_number, item_number, Address, Prefix};
use crate::content::measure::{Article, Clause, Item, MeasureFile, Para};

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
    /// Where it is, for an article, part, paragraph, clause or item (`None` for a line, a
    /// chapter or the annex).
    pub address: Option<Address>,
    /// The unit's own text (without label).
    pub own_text: String,
    /// The unit's text with all its sub-units, in order, labels included for sub-units.
    pub full_text: String,
    /// Byte range of the unit's text value in the TOML file (for diagnostics).
    pub span: Range<usize>,
}

/// All units of a measure in document order.
pub fn units(m: &MeasureFile) -> Vec<Unit> {
    unit_refs(m).into_iter().map(UnitRef::into_unit).collect()
}

/// Where a unit's text is in the measure, so that it is copied only when asked for.
#[derive(Debug, Clone)]
enum Source<'a> {
    /// A line, or a chapter's title: its own text and its full text.
    Text(&'a str),
    Article(&'a Article),
    Para(&'a Para),
    Clause(&'a Clause),
    Item(&'a Item),
    /// A unit of the annex, whose text is assembled from the form.
    Owned(String),
}

/// A unit as [`Unit`] describes it, with its texts read from the measure when needed.
#[derive(Debug, Clone)]
pub struct UnitRef<'a> {
    /// The unit without its texts (`own_text` and `full_text` are empty).
    pub head: Unit,
    source: Source<'a>,
}

impl<'a> UnitRef<'a> {
    /// [`Unit::anchor`].
    pub fn anchor(&self) -> &str {
        &self.head.anchor
    }

    /// [`Unit::own_text`], without a copy.
    pub fn own_text(&self) -> &str {
        match &self.source {
            Source::Text(t) => t,
            Source::Article(a) => a.text.get_ref(),
            Source::Para(p) => p.text.get_ref(),
            Source::Clause(c) => c.text.get_ref(),
            Source::Item(i) => i.text.get_ref(),
            Source::Owned(t) => t,
        }
    }

    /// [`Unit::full_text`]: the unit's text with all its sub-units, labels included for them.
    pub fn full_text(&self) -> Cow<'_, str> {
        match &self.source {
            Source::Text(t) => Cow::Borrowed(t),
            Source::Item(i) => Cow::Borrowed(i.text.get_ref()),
            Source::Owned(t) => Cow::Borrowed(t),
            Source::Article(a) => {
                let mut full = String::new();
                if let Some(h) = &a.heading {
                    full.push_str(h);
                }
                full.push_str(a.text.get_ref());
                list_text(&a.clauses, &a.items, &mut full);
                for p in &a.paras {
                    full.push_str(p.text.get_ref());
                    list_text(&p.clauses, &p.items, &mut full);
                }
                Cow::Owned(full)
            }
            Source::Para(p) => {
                let mut full = p.text.get_ref().clone();
                list_text(&p.clauses, &p.items, &mut full);
                Cow::Owned(full)
            }
            Source::Clause(c) => {
                let mut full = c.text.get_ref().clone();
                items_text(&c.items, &mut full);
                Cow::Owned(full)
            }
        }
    }

    /// Whether [`UnitRef::full_text`] contains `needle`; the full text is only assembled when
    /// no single piece of it does.
    pub fn full_text_contains(&self, needle: &str) -> bool {
        let pieces: &mut dyn Iterator<Item = &str> = match &self.source {
            Source::Article(a) => &mut a
                .heading
                .as_deref()
                .into_iter()
                .chain([a.text.get_ref().as_str()])
                .chain(list_pieces(&a.clauses, &a.items))
                .chain(a.paras.iter().flat_map(|p| {
                    [p.text.get_ref().as_str()]
                        .into_iter()
                        .chain(list_pieces(&p.clauses, &p.items))
                })),
            Source::Para(p) => &mut [p.text.get_ref().as_str()]
                .into_iter()
                .chain(list_pieces(&p.clauses, &p.items)),
            Source::Clause(c) => &mut [c.text.get_ref().as_str()]
                .into_iter()
                .chain(c.items.iter().flat_map(item_pieces)),
            _ => return self.full_text().contains(needle),
        };
        for p in pieces {
            if p.contains(needle) {
                return true;
            }
        }
        self.full_text().contains(needle)
    }

    /// The unit with its texts.
    pub fn into_unit(self) -> Unit {
        let own_text = self.own_text().to_string();
        let full_text = self.full_text().into_owned();
        Unit {
            own_text,
            full_text,
            ..self.head
        }
    }
}

/// The pieces [`list_text`] appends, in order.
fn list_pieces<'a>(clauses: &'a [Clause], items: &'a [Item]) -> impl Iterator<Item = &'a str> {
    clauses
        .iter()
        .flat_map(|c| {
            [c.label.get_ref().as_str(), c.text.get_ref().as_str()]
                .into_iter()
                .chain(c.items.iter().flat_map(item_pieces))
        })
        .chain(items.iter().flat_map(item_pieces))
}

fn item_pieces(it: &Item) -> [&str; 2] {
    [it.label.get_ref().as_str(), it.text.get_ref().as_str()]
}

/// Appends the text of a paragraph's clauses (label, text, items) and items (label, text).
fn list_text(clauses: &[Clause], items: &[Item], out: &mut String) {
    for c in clauses {
        out.push_str(c.label.get_ref());
        out.push_str(c.text.get_ref());
        items_text(&c.items, out);
    }
    items_text(items, out);
}

fn items_text(items: &[Item], out: &mut String) {
    for it in items {
        out.push_str(it.label.get_ref());
        out.push_str(it.text.get_ref());
    }
}

/// The units of a measure in document order, as [`units`] gives them but with their texts
/// left in the measure (see [`UnitRef`]).
pub fn unit_refs(m: &MeasureFile) -> Vec<UnitRef<'_>> {
    let mut out = Vec::with_capacity(estimate(m));
    for (i, b) in m.front.iter().enumerate() {
        out.push(block(
            super::front(i + 1),
            UnitKind::Front,
            b.text.get_ref(),
            b.text.span(),
        ));
    }
    for c in &m.chapters {
        let n = *c.number.get_ref();
        out.push(block(
            super::chapter(n),
            UnitKind::Chapter,
            &c.title,
            c.number.span(),
        ));
    }
    for a in &m.articles {
        article_units(a, Prefix::Art, &mut out);
    }
    for a in &m.sections {
        article_units(a, Prefix::Sec, &mut out);
    }
    for (i, b) in m.back.iter().enumerate() {
        out.push(block(
            super::back(i + 1),
            UnitKind::Back,
            b.text.get_ref(),
            b.text.span(),
        ));
    }
    if let Some(annex) = &m.annex {
        annex_units(annex, &mut out);
    }
    for (i, b) in m.closing.iter().enumerate() {
        out.push(block(
            super::closing(i + 1),
            UnitKind::Closing,
            b.text.get_ref(),
            b.text.span(),
        ));
    }
    out
}

/// Roughly how many units a measure has, to size the vector once.
fn estimate(m: &MeasureFile) -> usize {
    let list = |a: &Article| {
        1 + a.clauses.iter().map(|c| 1 + c.items.len()).sum::<usize>()
            + a.items.len()
            + a.paras
                .iter()
                .map(|p| 1 + p.clauses.len() + p.items.len())
                .sum::<usize>()
    };
    m.front.len()
        + m.chapters.len()
        + m.articles
            .iter()
            .chain(&m.sections)
            .map(list)
            .sum::<usize>()
        + m.back.len()
        + m.closing.len()
        + usize::from(m.annex.is_some()) * 16
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

/// A unit without numbers (a line, a chapter, the annex's parts).
fn plain_head(anchor: String, kind: UnitKind, span: Range<usize>) -> Unit {
    Unit {
        anchor,
        kind,
        address: None,
        own_text: String::new(),
        full_text: String::new(),
        span,
    }
}

fn block<'a>(anchor: String, kind: UnitKind, text: &'a str, span: Range<usize>) -> UnitRef<'a> {
    UnitRef {
        head: plain_head(anchor, kind, span),
        source: Source::Text(text),
    }
}

/// Units of the annexed form: the whole annex (`annex`), its cover (`annex-cover`), the
/// instructions (`annex-instructions`, items `annex-instructions-iJ`), each table field
/// (`annex-form-N`) and each section (`annex-sec-K`, sub-sections `annex-sec-K-M`).
fn annex_units(annex: &crate::content::measure::Annex, out: &mut Vec<UnitRef<'_>>) {
    let plain = |anchor: String, text: String| UnitRef {
        head: plain_head(anchor, UnitKind::Annex, 0..0),
        source: Source::Owned(text),
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
        all.push_str(&text);
        out[idx].source = Source::Owned(text);
    }
    out[start].source = Source::Owned(all);
}

/// The unit at `address`.
fn numbered(address: Address, kind: UnitKind, span: Range<usize>) -> Unit {
    Unit {
        anchor: address.anchor(),
        kind,
        address: Some(address),
        own_text: String::new(),
        full_text: String::new(),
        span,
    }
}

fn article_units<'a>(a: &'a Article, prefix: Prefix, out: &mut Vec<UnitRef<'a>>) {
    let n = *a.number.get_ref();
    let art = Address::article(prefix, n);
    let head = numbered(art, UnitKind::Article, a.text.span());
    out.push(UnitRef {
        head,
        source: Source::Article(a),
    });
    list_units(art, &a.clauses, &a.items, out);
    for (i, p) in a.paras.iter().enumerate() {
        let para = art.para(i as u32 + 2);
        out.push(UnitRef {
            head: numbered(para, UnitKind::Para, p.text.span()),
            source: Source::Para(p),
        });
        list_units(para, &p.clauses, &p.items, out);
    }
}

/// Units for the clauses and items of the paragraph at `para`.
fn list_units<'a>(
    para: Address,
    clauses: &'a [Clause],
    items: &'a [Item],
    out: &mut Vec<UnitRef<'a>>,
) {
    for (ci, c) in clauses.iter().enumerate() {
        // A clause whose label has no numeral still gets a stable anchor by position.
        let clause = para.clause(clause_number(c.label.get_ref()).unwrap_or(ci as u32 + 1));
        out.push(UnitRef {
            head: numbered(clause, UnitKind::Clause, c.text.span()),
            source: Source::Clause(c),
        });
        for (ii, it) in c.items.iter().enumerate() {
            let j = item_number(it.label.get_ref()).unwrap_or(ii as u32 + 1);
            out.push(UnitRef {
                head: numbered(clause.item(j), UnitKind::Item, it.text.span()),
                source: Source::Item(it),
            });
        }
    }
    for (ii, it) in items.iter().enumerate() {
        let j = item_number(it.label.get_ref()).unwrap_or(ii as u32 + 1);
        out.push(UnitRef {
            head: numbered(para.item(j), UnitKind::Item, it.text.span()),
            source: Source::Item(it),
        });
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
