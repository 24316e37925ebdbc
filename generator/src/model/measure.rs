//! The resolved view of one measure: identity, status, and its text as renderable units.

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use time::Date;

use super::marked::{mark, Context, Marked};

use crate::address::units::{unit_refs, UnitRef};
use crate::address::{self, article_words, clause_number, item_number, Address, Prefix};
use crate::content::measure::{Article, Block, Clause, Erratum, Item, MeasureFile, Para};
use crate::content::vocab::{BlockRole, DocKind, EffectiveRule, ErratumKind, Level};
use crate::content::{date_of, effective_date};

/// A measure as the renderers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Measure {
    /// Stable id and page slug.
    pub id: String,
    /// Full title.
    pub title: String,
    /// Short title.
    pub short_title: String,
    /// English title.
    pub title_en: String,
    /// Short English title.
    pub short_title_en: String,
    /// 办法 or 通知.
    pub kind: DocKind,
    /// Level of government.
    pub level: Level,
    /// Jurisdiction.
    pub jurisdiction: String,
    /// Jurisdiction in English.
    pub jurisdiction_en: String,
    /// Issuer.
    pub issuer: String,
    /// Issuer in English.
    pub issuer_en: String,
    /// 文号, if any.
    pub doc_number: Option<String>,
    /// Issue date, YYYY-MM-DD.
    pub issued: String,
    /// Why the issue date is what it is, when not explicit (English).
    pub issued_note: Option<String>,
    /// The same in Chinese.
    pub issued_note_zh: Option<String>,
    /// Entry into force.
    pub effective: EffectiveView,
    /// The call for applications the text makes, if any.
    pub call: Option<CallView>,
    /// The validity the text states, if any.
    pub validity: Option<ValidityView>,
    /// Status on the as-of date.
    pub status: Status,
    /// What this measure repeals.
    pub repeals: Vec<RepealView>,
    /// Measures in the collection that repeal this one.
    pub repealed_by: Vec<LinkView>,
    /// The verbatim source copy.
    pub source: SourceView,
    /// `《title》（文号）`, the start of every citation.
    pub citation_prefix: String,
    /// Lines before the body.
    pub front: Vec<BlockView>,
    /// Chapters with their articles (one unnamed chapter when the measure has none). Not given
    /// to the measure page's template: `render::text` writes the text and the table of
    /// contents from them.
    #[serde(skip_serializing)]
    pub chapters: Vec<ChapterView>,
    /// Lines after the body.
    pub back: Vec<BlockView>,
    /// The annexed form, if any.
    pub annex: Option<crate::content::measure::Annex>,
    /// Errata on the annex.
    pub annex_errata: Vec<ErratumView>,
    /// Lines after the annex.
    pub closing: Vec<BlockView>,
    /// Every erratum, in document order.
    pub errata: Vec<ErratumView>,
    /// Number of articles (or sections).
    pub article_count: usize,
    /// Facts of this measure, in file order. Not given to the measure page's template, which
    /// shows them through each article's backlinks: with the cited units' full text they were
    /// about a quarter of what every measure page's context copied.
    #[serde(skip_serializing)]
    pub facts: Vec<std::sync::Arc<super::facts::FactView>>,
    /// What this measure says about others.
    pub relations_out: Vec<super::compare::RelationView>,
    /// What other measures say about this one.
    pub relations_in: Vec<super::compare::RelationView>,
    /// The jurisdiction this one lies within.
    pub within: Option<String>,
    /// Whether its units are articles (`art`) or a notice's parts (`sec`).
    pub unit_prefix: Prefix,
}

/// Entry into force, with the rule and how the date follows from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EffectiveView {
    /// First day in force, YYYY-MM-DD.
    pub date: String,
    /// How the text sets it.
    pub rule: EffectiveRule,
    /// The exact words.
    pub quote: String,
    /// Anchor of the unit.
    pub cite: String,
    /// For `days-after-issue`: the period's days and its last day (the page explains the
    /// counting in the catalogue's words).
    pub days: Option<u32>,
    /// The last day of that period, YYYY-MM-DD.
    pub period_ends: Option<String>,
}

/// A call for applications: its last day, quoted and cited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallView {
    /// Last day for filing, YYYY-MM-DD.
    pub closes: String,
    /// The exact words.
    pub quote: String,
    /// Anchor of the unit that says it.
    pub cite: String,
    /// That unit in citation words (`三、`).
    pub cite_label: String,
    /// English (`sec. 3`).
    pub cite_label_en: String,
}

/// A validity the text states, quoted and cited, with the day the measure expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidityView {
    /// First day no longer in force, YYYY-MM-DD.
    pub expires: String,
    /// The exact words.
    pub quote: String,
    /// Anchor of the unit.
    pub cite: String,
    /// The validity's last day, YYYY-MM-DD.
    pub last: String,
    /// The entry into force a validity of years or months is counted from, YYYY-MM-DD; `None`
    /// when the text names the last day (the page explains either in the catalogue's words).
    pub counted_from: Option<String>,
}

/// Status on the as-of date; a page shows the catalogue's `status_<code>` for it.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub enum Status {
    /// 现行有效.
    #[serde(rename = "in-force")]
    InForce,
    /// 尚未施行.
    #[serde(rename = "not-yet")]
    NotYet,
    /// 申报已截止: a call whose closing date has passed.
    #[serde(rename = "expired-call")]
    ExpiredCall,
    /// 申报进行中.
    #[serde(rename = "open-call")]
    OpenCall,
    /// 已废止.
    #[serde(rename = "repealed")]
    Repealed,
    /// 已失效: the validity the text states has run out.
    #[serde(rename = "expired")]
    Expired,
}

impl Status {
    /// The code pages and the dataset carry (`in-force` …).
    pub fn code(self) -> &'static str {
        match self {
            Status::InForce => "in-force",
            Status::NotYet => "not-yet",
            Status::ExpiredCall => "expired-call",
            Status::OpenCall => "open-call",
            Status::Repealed => "repealed",
            Status::Expired => "expired",
        }
    }
}

/// A repealed measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepealView {
    /// Title.
    pub title: String,
    /// Its 文号.
    pub doc_number: Option<String>,
    /// Id of the measure when it is in the collection.
    pub measure: Option<String>,
    /// The exact words.
    pub quote: String,
    /// Anchor of the unit.
    pub cite: String,
    /// The unit in citation words (第二十三条).
    pub cite_label: String,
    /// The same in English (Art. 23).
    pub cite_label_en: String,
}

/// A link to another measure's unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkView {
    /// Measure id.
    pub measure: String,
    /// Its short title.
    pub title: String,
    /// Anchor in that measure.
    pub anchor: String,
}

/// The source copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceView {
    /// File name in content/sources/.
    pub file: String,
    /// SHA-256.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: usize,
    /// Number of lines.
    pub lines: usize,
}

/// A line outside the articles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlockView {
    /// Anchor, e.g. `front-2`.
    pub anchor: String,
    /// What the line is.
    pub role: BlockRole,
    /// Its verbatim text, marked.
    pub text: Marked,
    /// Errata on it.
    pub errata: Vec<ErratumView>,
}

/// A chapter with its articles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChapterView {
    /// Anchor (`ch-2`), empty for the implicit chapter.
    pub anchor: String,
    /// Label (第二章), empty for the implicit chapter.
    pub label: String,
    /// Title.
    pub title: String,
    /// Articles in order.
    pub articles: Vec<ArticleView>,
}

/// An article or section. Templates are given its anchor, number, label, heading and
/// citation (for a table of contents); its text is given to them as HTML (`render::text`), so
/// the rest is not serialised into every page's context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleView {
    /// Anchor, `art-19`.
    pub anchor: String,
    /// Number.
    pub number: u32,
    /// Label as printed.
    pub label: String,
    /// Heading after the label.
    pub heading: Option<String>,
    /// Paragraphs (the first shares the article's anchor).
    #[serde(skip)]
    pub paras: Vec<ParaView>,
    /// Errata on the article itself.
    #[serde(skip)]
    pub errata: Vec<ErratumView>,
    /// English summary.
    #[serde(skip)]
    pub summary_en: String,
    /// Its citation after the measure's [`Measure::citation_prefix`] (`第五条`): the full
    /// citation is the two together. Held apart, the prefix is not repeated on every unit.
    pub cite_tail: String,
    /// Facts, topics, calculators and measures that cite this article.
    #[serde(skip)]
    pub backlinks: Vec<super::compare::Backlink>,
}

/// A paragraph (款).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParaView {
    /// Anchor (the article's for the first paragraph).
    pub anchor: String,
    /// Its verbatim text, marked.
    pub text: Marked,
    /// Clauses.
    pub clauses: Vec<ClauseView>,
    /// Items directly under the paragraph.
    pub items: Vec<ItemView>,
    /// Errata on this paragraph (for p ≥ 2).
    pub errata: Vec<ErratumView>,
    /// Its citation after the measure's prefix (`第五条第二款`).
    pub cite_tail: String,
}

/// A clause (项).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseView {
    /// Anchor.
    pub anchor: String,
    /// Label as printed.
    pub label: String,
    /// Its verbatim text, marked.
    pub text: Marked,
    /// Items.
    pub items: Vec<ItemView>,
    /// Errata on it.
    pub errata: Vec<ErratumView>,
    /// Its citation after the measure's prefix (`第五条第二款第（一）项`).
    pub cite_tail: String,
}

/// An item (目).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemView {
    /// Anchor.
    pub anchor: String,
    /// Label as printed.
    pub label: String,
    /// Its verbatim text, marked.
    pub text: Marked,
    /// Errata on it.
    pub errata: Vec<ErratumView>,
    /// Its citation after the measure's prefix (`第五条第二款第（一）项`).
    pub cite_tail: String,
}

/// A transcriber's note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErratumView {
    /// Anchor of the unit.
    pub target: String,
    /// The unit in citation words (第二十条第（一）项, 正文前第3行).
    pub cite_label: String,
    /// The same in English (Art. 20(1), line 3 before the text).
    pub cite_label_en: String,
    /// The words of the article (or part) the unit is in, both languages (第二十条, Art. 20):
    /// a list naming several units of one article says them once. Empty outside articles.
    pub cite_article: (String, String),
    /// What the note is about.
    pub kind: ErratumKind,
    /// The words concerned.
    pub quote: Option<String>,
    /// Residue in the copy, for artefacts.
    pub artefact: Option<String>,
    /// Note (zh).
    pub note: String,
    /// Note (en).
    pub note_en: String,
}

/// Everything about the collection a measure needs to resolve itself. It owns what it holds,
/// so that a measure's file can be let go as soon as its view is made (see
/// [`super::build_owned`]).
pub struct Collection {
    /// Folded 文号 → (measure id, short title).
    pub doc_numbers: BTreeMap<String, (String, String)>,
    /// Source copies' sizes by file name.
    pub sources: BTreeMap<String, crate::content::SourceSize>,
    /// The status date.
    pub as_of: Date,
    /// Folded 文号 of a repealed measure → the measures that repeal it, in file order.
    pub repealers: HashMap<String, Vec<Repealer>>,
}

/// A measure that repeals another, as the repealed measure's page needs it.
#[derive(Debug, Clone)]
pub struct Repealer {
    /// The repealing measure's id.
    pub id: String,
    /// Its short title.
    pub short_title: String,
    /// The day it takes effect (and the repeal with it).
    pub effective: Date,
    /// Its repeal entry's cite.
    pub cite: String,
}

impl Collection {
    /// The collection of `files`, with their source copies' `sources` sizes, on `as_of`.
    pub fn new(
        files: &[&MeasureFile],
        sources: &BTreeMap<String, crate::content::SourceSize>,
        as_of: Date,
    ) -> Collection {
        let mut doc_numbers = BTreeMap::new();
        let mut repealers: HashMap<String, Vec<Repealer>> = HashMap::new();
        for m in files {
            if let Some(d) = &m.doc_number {
                doc_numbers.insert(
                    crate::text::fold(d.get_ref()),
                    (m.id.get_ref().clone(), m.short_title.clone()),
                );
            }
            for r in &m.repeals {
                if let Some(d) = r.doc_number.as_deref() {
                    repealers
                        .entry(crate::text::fold(d))
                        .or_default()
                        .push(Repealer {
                            id: m.id.get_ref().clone(),
                            short_title: m.short_title.clone(),
                            effective: effective_date(m).first,
                            cite: r.cite.get_ref().clone(),
                        });
                }
            }
        }
        Collection {
            doc_numbers,
            sources: sources.clone(),
            as_of,
            repealers,
        }
    }
}

/// The measure's status on `as_of`.
pub fn status(m: &MeasureFile, col: &Collection) -> Status {
    let repealed = repealers(m, col).iter().any(|r| r.effective <= col.as_of);
    if repealed {
        return Status::Repealed;
    }
    if crate::content::expiry_date(m).is_some_and(|e| e.first <= col.as_of) {
        return Status::Expired;
    }
    let eff = effective_date(m).first;
    if eff > col.as_of {
        return Status::NotYet;
    }
    if let Some(c) = m.call.as_ref().and_then(|c| date_of(c.closes.get_ref())) {
        if c < col.as_of {
            return Status::ExpiredCall;
        }
        return Status::OpenCall;
    }
    Status::InForce
}

/// Measures in the collection that repeal `m`.
fn repealers<'c>(m: &MeasureFile, col: &'c Collection) -> &'c [Repealer] {
    m.doc_number
        .as_ref()
        .and_then(|d| col.repealers.get(&crate::text::fold(d.get_ref())))
        .map_or(&[], Vec::as_slice)
}

struct Builder<'a> {
    m: &'a MeasureFile,
    /// The measure's anchors, collected the first time a text refers to an article.
    anchors: OnceCell<BTreeSet<String>>,
    units: &'a [UnitRef<'a>],
    col: &'a Collection,
    sections: bool,
}

impl Builder<'_> {
    fn errata_for<C: FromIterator<ErratumView>>(&self, anchor: &str) -> C {
        self.m
            .errata
            .iter()
            .filter(|e| e.target.get_ref() == anchor)
            .map(|e| self.erratum_view(e))
            .collect()
    }

    /// The unit at `anchor` in citation words, both languages (empty when there is none).
    fn cite_words(&self, anchor: &str) -> (String, String) {
        self.units
            .iter()
            .find(|u| u.head.anchor == anchor)
            .map(|u| address::unit_citation(&u.head, self.m))
            .unwrap_or_default()
    }

    fn erratum_view(&self, e: &Erratum) -> ErratumView {
        let target = e.target.get_ref();
        let (cite_label, cite_label_en) = self.cite_words(target);
        let cite_article = address::Address::parse(target)
            .map(|a| {
                let art = address::Address::article(a.prefix, a.article).anchor();
                self.cite_words(&art)
            })
            .unwrap_or_default();
        ErratumView {
            target: target.clone(),
            cite_label,
            cite_label_en,
            cite_article,
            kind: *e.kind.get_ref(),
            quote: e.quote.as_ref().map(|q| q.get_ref().clone()),
            artefact: e.artefact.clone(),
            note: e.note.clone(),
            note_en: e.note_en.clone(),
        }
    }

    /// The verbatim `text` of the unit at `anchor`, marked.
    fn marked(&self, anchor: &str, text: &str) -> Marked {
        let sic: Vec<(String, String, String)> = self
            .m
            .errata
            .iter()
            .filter(|e| e.target.get_ref() == anchor && *e.kind.get_ref() == ErratumKind::Typo)
            .filter_map(|e| {
                e.quote
                    .as_ref()
                    .map(|q| (q.get_ref().clone(), e.note.clone(), e.note_en.clone()))
            })
            .collect();
        // Only a reference to an article needs the anchors (see `marked::mark`).
        static NONE: BTreeSet<String> = BTreeSet::new();
        let anchors = if text.contains('第') {
            self.anchors
                .get_or_init(|| self.units.iter().map(|u| u.head.anchor.clone()).collect())
        } else {
            &NONE
        };
        let cx = Context {
            anchors,
            doc_numbers: &self.col.doc_numbers,
            this_measure: self.m.id.get_ref(),
            sic: &sic,
        };
        mark(text, &cx)
    }

    fn block(&self, anchor: String, b: &Block) -> BlockView {
        BlockView {
            text: self.marked(&anchor, b.text.get_ref()),
            role: *b.role.get_ref(),
            errata: self.errata_for(&anchor),
            anchor,
        }
    }

    fn article(&self, a: &Article) -> ArticleView {
        let prefix = if self.sections {
            Prefix::Sec
        } else {
            Prefix::Art
        };
        let n = *a.number.get_ref();
        let art = Address::article(prefix, n);
        let heading = a.heading.as_deref().unwrap_or("");
        let words = article_words(prefix, n, a.label.get_ref(), heading, true);
        let mut paras = Vec::with_capacity(1 + a.paras.len());
        paras.push(self.para(art, &words, a.text.get_ref(), &a.clauses, &a.items));
        for (i, p) in a.paras.iter().enumerate() {
            let Para {
                text,
                clauses,
                items,
            } = p;
            let para = art.para(i as u32 + 2);
            paras.push(self.para(para, &words, text.get_ref(), clauses, items));
        }
        let anchor = art.anchor();
        ArticleView {
            errata: self.errata_for(&anchor),
            anchor,
            number: n,
            label: a.label.get_ref().clone(),
            heading: a.heading.clone(),
            paras,
            summary_en: a.summary_en.clone(),
            cite_tail: words,
            backlinks: Vec::new(),
        }
    }

    /// The paragraph at `para`, whose article is cited as `words`.
    fn para(
        &self,
        para: Address,
        words: &str,
        text: &str,
        clauses: &[Clause],
        items: &[Item],
    ) -> ParaView {
        let anchor = para.anchor();
        let clauses = clauses
            .iter()
            .enumerate()
            .map(|(ci, c)| {
                let clause = para.clause(clause_number(c.label.get_ref()).unwrap_or(ci as u32 + 1));
                let ca = clause.anchor();
                ClauseView {
                    text: self.marked(&ca, c.text.get_ref()),
                    label: c.label.get_ref().clone(),
                    items: self.items(clause, words, &c.items),
                    errata: self.errata_for(&ca),
                    cite_tail: clause.cite_zh(words),
                    anchor: ca,
                }
            })
            .collect();
        ParaView {
            text: self.marked(&anchor, text),
            clauses,
            items: self.items(para, words, items),
            errata: if para.para > 1 {
                self.errata_for(&anchor)
            } else {
                Vec::new()
            },
            cite_tail: para.cite_zh(words),
            anchor,
        }
    }

    /// The items of the clause or paragraph at `parent`.
    fn items(&self, parent: Address, words: &str, items: &[Item]) -> Vec<ItemView> {
        items
            .iter()
            .enumerate()
            .map(|(ii, it)| {
                let item = parent.item(item_number(it.label.get_ref()).unwrap_or(ii as u32 + 1));
                let anchor = item.anchor();
                ItemView {
                    text: self.marked(&anchor, it.text.get_ref()),
                    label: it.label.get_ref().clone(),
                    errata: self.errata_for(&anchor),
                    cite_tail: item.cite_zh(words),
                    anchor,
                }
            })
            .collect()
    }
}

/// Resolves one measure file into its view.
pub fn build(m: &MeasureFile, col: &Collection) -> Measure {
    build_with_units(m, &unit_refs(m), col)
}

/// [`build`] with the measure's units already computed.
pub fn build_with_units<'a>(
    m: &'a MeasureFile,
    all: &'a [UnitRef<'a>],
    col: &Collection,
) -> Measure {
    let prefix = address::citation_prefix(
        &m.title,
        m.doc_number.as_ref().map(|d| d.get_ref().as_str()),
    );
    let sections = !m.sections.is_empty();
    let b = Builder {
        m,
        anchors: OnceCell::new(),
        units: all,
        col,
        sections,
    };
    let mut chapters: Vec<ChapterView> = Vec::new();
    let arts = if sections { &m.sections } else { &m.articles };
    for a in arts {
        let ch = a.chapter.as_ref().map(|c| *c.get_ref());
        let needs_new = match (chapters.last(), ch) {
            (None, _) => true,
            (Some(last), Some(n)) => last.anchor != address::chapter(n),
            (Some(_), None) => false,
        };
        if needs_new {
            let view = match ch.and_then(|n| m.chapters.iter().find(|c| *c.number.get_ref() == n)) {
                Some(c) => ChapterView {
                    anchor: address::chapter(*c.number.get_ref()),
                    label: c.label.clone(),
                    title: c.title.clone(),
                    articles: Vec::new(),
                },
                None => ChapterView {
                    anchor: String::new(),
                    label: String::new(),
                    title: String::new(),
                    articles: Vec::new(),
                },
            };
            chapters.push(view);
        }
        if let Some(last) = chapters.last_mut() {
            last.articles.push(b.article(a));
        }
    }
    // Grown by pushes, kept for the whole build: without their spare room (2 MB at 1,000
    // measures).
    for c in &mut chapters {
        c.articles.shrink_to_fit();
    }
    let in_force = effective_date(m);
    let eff = in_force.first;
    let repeals = m
        .repeals
        .iter()
        .map(|r| RepealView {
            title: r.title.clone(),
            doc_number: r.doc_number.clone(),
            measure: r
                .doc_number
                .as_deref()
                .and_then(|d| col.doc_numbers.get(&crate::text::fold(d)))
                .map(|(id, _)| id.clone()),
            quote: r.quote.get_ref().clone(),
            cite: r.cite.get_ref().clone(),
            cite_label: b.cite_words(r.cite.get_ref()).0,
            cite_label_en: b.cite_words(r.cite.get_ref()).1,
        })
        .collect();
    let repealed_by = repealers(m, col)
        .iter()
        .map(|r| LinkView {
            measure: r.id.clone(),
            title: r.short_title.clone(),
            anchor: r.cite.clone(),
        })
        .collect();
    let size = col
        .sources
        .get(m.source.file.get_ref())
        .copied()
        .unwrap_or_default();
    Measure {
        id: m.id.get_ref().clone(),
        title: m.title.clone(),
        short_title: m.short_title.clone(),
        title_en: m.title_en.clone(),
        short_title_en: m.short_title_en.clone(),
        kind: *m.kind.get_ref(),
        level: *m.level.get_ref(),
        jurisdiction: m.jurisdiction.clone(),
        jurisdiction_en: m.jurisdiction_en.clone(),
        issuer: m.issuer.clone(),
        issuer_en: m.issuer_en.clone(),
        doc_number: m.doc_number.as_ref().map(|d| d.get_ref().clone()),
        issued: date_of(m.issued.get_ref())
            .map(|d| d.to_string())
            .unwrap_or_default(),
        issued_note: m.issued_note.clone(),
        issued_note_zh: m.issued_note_zh.clone(),
        effective: EffectiveView {
            date: eff.to_string(),
            rule: *m.effective.rule.get_ref(),
            quote: m.effective.quote.get_ref().clone(),
            cite: m.effective.cite.get_ref().clone(),
            days: in_force.period.map(|(d, _)| d),
            period_ends: in_force.period.map(|(_, last)| last.to_string()),
        },
        call: m.call.as_ref().and_then(|c| {
            let (cite_label, cite_label_en) = b.cite_words(c.cite.get_ref());
            Some(CallView {
                closes: date_of(c.closes.get_ref())?.to_string(),
                quote: c.quote.get_ref().clone(),
                cite: c.cite.get_ref().clone(),
                cite_label,
                cite_label_en,
            })
        }),
        validity: m.validity.as_ref().and_then(|v| {
            let e = crate::content::expiry_date(m)?;
            Some(ValidityView {
                expires: e.first.to_string(),
                last: e.last.to_string(),
                counted_from: e.counted_from.map(|d| d.to_string()),
                quote: v.quote.get_ref().clone(),
                cite: v.cite.get_ref().clone(),
            })
        }),
        status: status(m, col),
        repeals,
        repealed_by,
        source: SourceView {
            file: m.source.file.get_ref().clone(),
            sha256: m.source.sha256.get_ref().clone(),
            bytes: size.bytes,
            lines: size.lines,
        },
        citation_prefix: prefix,
        front: m
            .front
            .iter()
            .enumerate()
            .map(|(i, x)| b.block(address::front(i + 1), x))
            .collect(),
        chapters,
        back: m
            .back
            .iter()
            .enumerate()
            .map(|(i, x)| b.block(address::back(i + 1), x))
            .collect(),
        annex: m.annex.clone(),
        annex_errata: b.errata_for("annex"),
        closing: m
            .closing
            .iter()
            .enumerate()
            .map(|(i, x)| b.block(address::closing(i + 1), x))
            .collect(),
        errata: m.errata.iter().map(|e| b.erratum_view(e)).collect(),
        article_count: arts.len(),
        facts: Vec::new(),
        relations_out: Vec::new(),
        relations_in: Vec::new(),
        within: m.within.clone(),
        unit_prefix: if sections { Prefix::Sec } else { Prefix::Art },
    }
}
