//! Structural rules of one measure: identity, dates, numbering, anchors, errata, references.

use std::collections::{BTreeSet, HashMap};

use toml::value::Datetime;
use toml::Spanned;

use crate::address::refs::{find_refs, RefKind};
use crate::address::units::{UnitKind, UnitRef};
use crate::address::{clause_number, item_number, label_number, Address, Prefix};
use crate::content::measure::{Article, MeasureFile};
use crate::content::vocab::{DocKind, EffectiveRule, ErratumKind, RelationKind};
use crate::content::Loaded;
use crate::content::{date_of, is_safe_id};
use crate::diagnostics::{Diagnostic, Report};
use crate::text::{chinese_number, chinese_numeral};

struct Ctx<'a> {
    l: &'a Loaded<MeasureFile>,
    report: &'a mut Report,
}

impl Ctx<'_> {
    fn err(&mut self, offset: usize, msg: impl Into<String>, hint: impl Into<String>) {
        let d = Diagnostic::error_at(&self.l.path, self.l.text(), offset, msg, hint);
        self.report.push(d);
    }
    fn warn(&mut self, offset: usize, msg: impl Into<String>, hint: impl Into<String>) {
        let d = Diagnostic::error_at(&self.l.path, self.l.text(), offset, msg, hint).warning();
        self.report.push(d);
    }
    fn date(&mut self, v: &Spanned<Datetime>, what: &str) {
        if date_of(v.get_ref()).is_none() {
            self.err(
                v.span().start,
                format!("{what} must be a calendar date, got {}", v.get_ref()),
                "write a TOML date such as 2025-12-25 (no time, no quotes)",
            );
        }
    }
}

/// A measure's units by anchor; of two units with the same anchor the later one is kept.
pub(super) type UnitMap<'a> = HashMap<&'a str, &'a UnitRef<'a>>;

/// The units by anchor, as [`UnitMap`] describes.
pub(super) fn unit_map<'a>(all: &'a [UnitRef<'a>]) -> UnitMap<'a> {
    let mut map = HashMap::with_capacity(all.len());
    for u in all {
        map.insert(u.anchor(), u);
    }
    map
}

/// [`check`] with the measure's units (`all`, and by anchor) already computed.
pub(super) fn check_units(
    l: &Loaded<MeasureFile>,
    all: &[UnitRef],
    by_anchor: &UnitMap,
    report: &mut Report,
) {
    let m = &l.value;
    let mut cx = Ctx { l, report };
    let id = m.id.get_ref();
    if !is_safe_id(id) {
        cx.err(
            m.id.span().start,
            format!("id '{id}' is not a safe slug"),
            "use lower-case ASCII letters, digits and single hyphens, e.g. yunnan-ijl-2025",
        );
    }
    if let Some(stem) = l.path.file_stem() {
        if stem.to_string_lossy() != *id && is_safe_id(id) {
            cx.err(
                m.id.span().start,
                format!(
                    "id '{id}' does not match the file name '{}'",
                    l.path.display()
                ),
                format!("rename the file to {id}.toml or change the id"),
            );
        }
    }
    cx.date(&m.issued, "issued");
    effective(&mut cx, m);
    if let Some(call) = &m.call {
        cx.date(&call.closes, "call.closes");
        date_in_quote(&mut cx, &call.closes, &call.quote, "call.closes");
    }
    if let Some(v) = &m.validity {
        if let Some(u) = &v.until {
            cx.date(u, "validity.until");
            date_in_quote(&mut cx, u, &v.quote, "validity.until");
        }
        let given = [v.years.is_some(), v.months.is_some(), v.until.is_some()]
            .iter()
            .filter(|x| **x)
            .count();
        if given != 1 {
            cx.err(
                v.cite.span().start,
                "a validity needs exactly one of years, months, until",
                "有效期5年 is years = 5; 有效期至2030年12月31日 is until = 2030-12-31",
            );
        }
    }
    if *m.kind.get_ref() == DocKind::Notice && !m.articles.is_empty() {
        cx.err(
            m.articles[0].number.span().start,
            "a notice (通知) has [[section]]s, not [[article]]s",
            "rename [[article]] to [[section]]",
        );
    }
    chapters(&mut cx, m);
    numbering(&mut cx, m, &m.articles, Prefix::Art);
    numbering(&mut cx, m, &m.sections, Prefix::Sec);
    // Duplicated anchors, each reported against the unit seen just before with that anchor
    // (only looked for when the map has fewer anchors than there are units).
    let mut seen: HashMap<&str, &UnitRef> = HashMap::new();
    for u in all.iter().filter(|_| by_anchor.len() < all.len()) {
        if let Some(prev) = seen.insert(u.anchor(), u) {
            let (line, _) = crate::diagnostics::line_col(l.text(), prev.head.span.start);
            cx.err(
                u.head.span.start,
                format!(
                    "duplicated anchor '{}' (also used at line {line})",
                    u.anchor()
                ),
                "two units have the same number: renumber one, or merge them",
            );
        }
    }
    let seen = by_anchor;
    errata(&mut cx, m, seen);
    references(&mut cx, m, all, seen);
    for r in &m.repeals {
        cite_quote(&mut cx, seen, &r.cite, &r.quote);
    }
    for r in &m.relations {
        if *r.kind.get_ref() == RelationKind::Repeals {
            cx.err(
                r.kind.span().start,
                "a repeal is not a [[relation]]",
                "write it as a [[repeals]] entry (title, doc_number, quote, cite)",
            );
        }
        cite_quote(&mut cx, seen, &r.cite, &r.quote);
    }
    cite_quote(&mut cx, seen, &m.effective.cite, &m.effective.quote);
    if let Some(c) = &m.call {
        cite_quote(&mut cx, seen, &c.cite, &c.quote);
    }
    if let Some(v) = &m.validity {
        cite_quote(&mut cx, seen, &v.cite, &v.quote);
    }
}

/// Checks that `cite` names a unit and `quote` is a verbatim part of it.
pub(super) fn cite_quote_in(
    l: &Loaded<MeasureFile>,
    report: &mut Report,
    units: &UnitMap,
    cite: &Spanned<String>,
    quote: &Spanned<String>,
) {
    let mut cx = Ctx { l, report };
    cite_quote(&mut cx, units, cite, quote);
}

fn cite_quote(cx: &mut Ctx, units: &UnitMap, cite: &Spanned<String>, quote: &Spanned<String>) {
    match units.get(cite.get_ref().as_str()) {
        None => cx.err(
            cite.span().start,
            format!(
                "cited unit '{}' does not exist in this measure",
                cite.get_ref()
            ),
            nearest_hint(units, cite.get_ref()),
        ),
        Some(u) => {
            if quote.get_ref().is_empty() {
                cx.err(
                    quote.span().start,
                    "quote is empty",
                    "copy the exact words the rule rests on",
                );
            } else if !u.full_text_contains(quote.get_ref()) {
                cx.err(
                    quote.span().start,
                    format!("quote «{}» is not in the text of {}", quote.get_ref(), cite.get_ref()),
                    "copy the words exactly as in the cited unit (spaces and punctuation included), or cite the unit that contains them",
                );
            }
        }
    }
}

fn nearest_hint(units: &UnitMap, anchor: &str) -> String {
    let prefix: String = anchor.split('-').take(2).collect::<Vec<_>>().join("-");
    // In anchor order, the first eight (only on this error path is the map sorted).
    let mut near: Vec<&str> = units
        .keys()
        .copied()
        .filter(|a| a.starts_with(&prefix) && a.len() <= prefix.len() + 6)
        .collect();
    near.sort_unstable();
    near.truncate(8);
    if near.is_empty() {
        "anchors look like art-19, art-19-1 (clause 1), art-19-1-2 (item 2 of clause 1), art-16-p2 (second paragraph)".into()
    } else {
        format!("existing anchors nearby: {}", near.join(", "))
    }
}

fn effective(cx: &mut Ctx, m: &MeasureFile) {
    let e = &m.effective;
    match e.rule.get_ref() {
        EffectiveRule::OnDate => match &e.date {
            Some(d) => {
                cx.date(d, "effective.date");
                date_in_quote(cx, d, &e.quote, "effective.date");
            }
            None => cx.err(
                e.rule.span().start,
                "rule on-date needs effective.date",
                "add date = YYYY-MM-DD",
            ),
        },
        EffectiveRule::DaysAfterIssue => {
            if e.days.is_none() {
                cx.err(
                    e.rule.span().start,
                    "rule days-after-issue needs effective.days",
                    "add days = N (自颁布之日起N日后实施)",
                );
            }
        }
        EffectiveRule::OnIssue => {}
    }
}

/// A date the content gives beside its quote must be the date the quote states.
fn date_in_quote(cx: &mut Ctx, d: &Spanned<Datetime>, quote: &Spanned<String>, what: &str) {
    let Some(date) = d.get_ref().date else { return };
    if !super::facts::states_date(quote.get_ref(), date.year, date.month, date.day) {
        cx.err(
            d.span().start,
            format!(
                "{what} {:04}-{:02}-{:02} is not the date its quote states (“{}”)",
                date.year,
                date.month,
                date.day,
                quote.get_ref()
            ),
            "correct the date, or quote the words that state it (2026年2月1日 = 2026-02-01)",
        );
    }
}

fn chapters(cx: &mut Ctx, m: &MeasureFile) {
    for (i, c) in m.chapters.iter().enumerate() {
        let n = *c.number.get_ref();
        if n != i as u32 + 1 {
            cx.err(
                c.number.span().start,
                format!("chapter number {n} out of sequence (expected {})", i + 1),
                "chapters are numbered 1, 2, 3 … in order",
            );
        }
        let label_n = c
            .label
            .strip_prefix('第')
            .and_then(|s| s.strip_suffix('章'))
            .and_then(chinese_number);
        if label_n != Some(n) {
            cx.err(
                c.number.span().start,
                format!("chapter label '{}' does not say number {n}", c.label),
                format!("label should be 第{}章", chinese_numeral(n)),
            );
        }
    }
    let mut last = 0;
    for a in &m.articles {
        if let Some(c) = &a.chapter {
            let n = *c.get_ref();
            if !m.chapters.iter().any(|ch| *ch.number.get_ref() == n) {
                cx.err(
                    c.span().start,
                    format!("article refers to chapter {n}, which does not exist"),
                    "add the [[chapter]] or correct the number",
                );
            } else if n < last {
                cx.err(
                    c.span().start,
                    format!("chapter {n} comes after chapter {last}"),
                    "articles must be in document order",
                );
            }
            last = n;
        }
    }
}

fn numbering(cx: &mut Ctx, m: &MeasureFile, arts: &[Article], prefix: Prefix) {
    let mut prev = 0u32;
    for a in arts {
        let n = *a.number.get_ref();
        let anchor = Address::article(prefix, n).anchor();
        if label_number(a.label.get_ref(), prefix) != Some(n) {
            cx.err(
                a.label.span().start,
                format!("label '{}' does not say number {n}", a.label.get_ref()),
                "the label must be the copy's own (第十九条 for 19); correct number or label",
            );
        }
        if n == prev + 1 {
            // in sequence
        } else if n <= prev {
            // Duplicates are reported once, as duplicated anchors.
            if n < prev {
                cx.err(
                    a.number.span().start,
                    format!(
                        "{anchor} comes after {}: numbers must increase",
                        Address::article(prefix, prev).anchor()
                    ),
                    "put the articles in document order",
                );
            }
        } else {
            let missing: Vec<u32> = (prev + 1..n).collect();
            let explained = m.errata.iter().any(|e| {
                *e.kind.get_ref() == ErratumKind::NumberingGap
                    && e.target.get_ref() == &anchor
                    && e.missing == missing
            });
            if !explained {
                let list = missing
                    .iter()
                    .map(|x| x.to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                cx.err(
                    a.number.span().start,
                    format!("numbers jump from {prev} to {n}: {list} missing"),
                    format!("if the copy really skips them, add [[erratum]] kind = \"numbering-gap\", target = \"{anchor}\", missing = [{list}] with a note; otherwise correct the number"),
                );
            }
        }
        prev = prev.max(n);
        list_numbering(cx, &a.clauses, &a.items);
        for p in &a.paras {
            list_numbering(cx, &p.clauses, &p.items);
        }
    }
}

fn list_numbering(
    cx: &mut Ctx,
    clauses: &[crate::content::measure::Clause],
    items: &[crate::content::measure::Item],
) {
    for (i, c) in clauses.iter().enumerate() {
        match clause_number(c.label.get_ref()) {
            Some(k) if k == i as u32 + 1 => {}
            Some(k) => cx.err(
                c.label.span().start,
                format!(
                    "clause {} is number {k}, expected {}",
                    c.label.get_ref(),
                    i + 1
                ),
                "clauses are numbered （一）（二）… in order",
            ),
            None => cx.err(
                c.label.span().start,
                format!("clause label '{}' has no number", c.label.get_ref()),
                "write the label as in the copy, e.g. （一）",
            ),
        }
        item_seq(cx, &c.items);
    }
    item_seq(cx, items);
}

fn item_seq(cx: &mut Ctx, items: &[crate::content::measure::Item]) {
    for (i, it) in items.iter().enumerate() {
        match item_number(it.label.get_ref()) {
            Some(j) if j == i as u32 + 1 => {}
            Some(j) => cx.err(
                it.label.span().start,
                format!(
                    "item {} is number {j}, expected {}",
                    it.label.get_ref(),
                    i + 1
                ),
                "items are numbered 1. 2. … in order",
            ),
            None => cx.err(
                it.label.span().start,
                format!("item label '{}' has no number", it.label.get_ref()),
                "write the label as in the copy, e.g. 1.",
            ),
        }
    }
}

fn errata(cx: &mut Ctx, m: &MeasureFile, units: &UnitMap) {
    for e in &m.errata {
        let Some(u) = units.get(e.target.get_ref().as_str()) else {
            cx.err(
                e.target.span().start,
                format!("erratum target '{}' does not exist", e.target.get_ref()),
                nearest_hint(units, e.target.get_ref()),
            );
            continue;
        };
        if let Some(q) = &e.quote {
            if !u.full_text_contains(q.get_ref()) {
                cx.err(
                    q.span().start,
                    format!(
                        "erratum quote «{}» is not in the text of {}",
                        q.get_ref(),
                        e.target.get_ref()
                    ),
                    "quote the words exactly as printed in that unit",
                );
            }
        }
        if *e.kind.get_ref() == ErratumKind::Artefact
            && e.artefact.as_deref().is_none_or(str::is_empty)
        {
            cx.err(
                e.kind.span().start,
                "an artefact erratum needs artefact = \"…\" (the residue as it stands in the copy)",
                "e.g. artefact = \"[bookmark: _GoBack]\"",
            );
        }
        if *e.kind.get_ref() == ErratumKind::NumberingGap && e.missing.is_empty() {
            cx.err(
                e.kind.span().start,
                "a numbering-gap erratum needs missing = [N, …]",
                "list the numbers the copy skips",
            );
        }
        if e.note.trim().is_empty() || e.note_en.trim().is_empty() {
            cx.err(
                e.target.span().start,
                "erratum needs both note and note_en",
                "explain the quirk in Chinese and English",
            );
        }
    }
}

fn references(cx: &mut Ctx, m: &MeasureFile, all: &[UnitRef], by_anchor: &UnitMap) {
    let articles: BTreeSet<u32> = m.articles.iter().map(|a| *a.number.get_ref()).collect();
    let max = articles.iter().max().copied().unwrap_or(0);
    if m.articles.is_empty() {
        return;
    }
    for u in all.iter().filter(|u| {
        matches!(
            u.head.kind,
            UnitKind::Article | UnitKind::Para | UnitKind::Clause | UnitKind::Item
        )
    }) {
        let own = u.own_text();
        for r in find_refs(own) {
            if let RefKind::Article { article, clause } = r.kind {
                // The span of a TOML string starts at its opening quote; +1 to point into the text.
                let off = u.head.span.start + 1 + own[..r.range.start].len();
                if !articles.contains(&article) {
                    cx.err(
                        off,
                        format!("reference to 第{}条 (article {article}), but this measure has no such article (it has {} articles, up to {max})", chinese_numeral(article), articles.len()),
                        "check the number in the source copy; a reference to another document must follow its 《title》",
                    );
                } else if let Some(k) = clause {
                    let anchor = Address::article(Prefix::Art, article).clause(k).anchor();
                    if !by_anchor.contains_key(anchor.as_str()) {
                        cx.warn(off, format!("reference to clause {k} of article {article}, which has no such clause"), "check the clause number");
                    }
                }
            }
        }
    }
}
