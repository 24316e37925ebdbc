//! Serde types for one measure file (`content/measures/*.toml`).
//!
//! These types are the TOML schema and nothing else: every table denies unknown keys so a
//! misspelt key is reported with its line and column instead of being silently ignored.
//! Values that validation must point at are wrapped in [`Spanned`] to keep their position.

use serde::{Deserialize, Serialize};
use toml::value::Datetime;
use toml::Spanned;

use calculator_wasm::periods::{self, Period, PeriodUnit};
use time::Date;

use super::fact::Fact;
use super::vocab::{BlockRole, DocKind, EffectiveRule, ErratumKind, Level, RelationKind};

/// One measure (办法) or notice (通知), transcribed verbatim and structured.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureFile {
    /// Stable id, also the page slug, e.g. `yunnan-ijl-2025`.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Full official title, verbatim.
    pub title: String,
    /// Short Chinese title for tables.
    pub short_title: String,
    /// English title (the measure's own rendering where it gives one).
    pub title_en: String,
    /// Short English title for tables.
    pub short_title_en: String,
    /// Document kind: `办法` or `通知`.
    #[schemars(with = "DocKind")]
    pub kind: Spanned<DocKind>,
    /// Level of government.
    #[schemars(with = "Level")]
    pub level: Spanned<Level>,
    /// Jurisdiction, e.g. `云南省`.
    pub jurisdiction: String,
    /// Jurisdiction in English, e.g. `Yunnan Province`.
    pub jurisdiction_en: String,
    /// The jurisdiction this one lies within, for the hierarchy (昆明市 → `云南省`).
    #[serde(default)]
    pub within: Option<String>,
    /// Issuing body, e.g. `云南省科学技术厅`.
    pub issuer: String,
    /// Issuing body in English.
    pub issuer_en: String,
    /// Document number (文号) where the copy has one, e.g. `云科规〔2025〕12号`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub doc_number: Option<Spanned<String>>,
    /// Date of issue (TOML date).
    #[schemars(with = "crate::content::schema::TomlDate")]
    pub issued: Spanned<Datetime>,
    /// Why the issue date is what it is, when the copy is not explicit (e.g. a web page's posting date).
    #[serde(default)]
    pub issued_note: Option<String>,
    /// The same note in Chinese, for the Chinese edition (which shows the English one, marked
    /// as English, when there is none).
    #[serde(default)]
    pub issued_note_zh: Option<String>,
    /// How the measure enters into force.
    pub effective: Effective,
    /// For a notice with a filing window: when the call closes (after that it is an expired call).
    #[serde(default)]
    pub call: Option<Call>,
    /// A validity the text states (有效期5年, 有效期至…): after it the measure is expired (失效).
    #[serde(default)]
    pub validity: Option<Validity>,
    /// The verbatim source file this transcription follows.
    pub source: SourceRef,
    /// Earlier measures this one repeals, in the collection or not.
    #[serde(default)]
    pub repeals: Vec<Repeal>,
    /// Lines before the body: issuing notice, headers, the measure's own title.
    #[serde(default)]
    pub front: Vec<Block>,
    /// Chapters (第X章); articles point at them by number.
    #[serde(default, rename = "chapter")]
    pub chapters: Vec<Chapter>,
    /// Articles (第X条) of a 办法.
    #[serde(default, rename = "article")]
    pub articles: Vec<Article>,
    /// Numbered sections (一、二、…) of a 通知.
    #[serde(default, rename = "section")]
    pub sections: Vec<Article>,
    /// Lines after the body and before any annex (signature, printing note, contacts).
    #[serde(default)]
    pub back: Vec<Block>,
    /// An annexed application form, structured.
    #[serde(default)]
    pub annex: Option<Annex>,
    /// Lines after the annex.
    #[serde(default)]
    pub closing: Vec<Block>,
    /// Transcriber notes on the copy's typos, artefacts and gaps; the text itself stays as in the copy.
    #[serde(default, rename = "erratum")]
    pub errata: Vec<Erratum>,
    /// Typed facts (rules stated as data), each cited and quoted.
    #[serde(default, rename = "fact")]
    pub facts: Vec<Fact>,
    /// Topics reviewed and found silent in this measure.
    #[serde(default)]
    pub topics: TopicReview,
    /// What this measure says about other measures (in the collection or not).
    #[serde(default, rename = "relation")]
    pub relations: Vec<Relation>,
    /// Calculators built on this measure's facts (the engine's own definition format).
    #[serde(default, rename = "calculator")]
    pub calculators: Vec<calculator_wasm::CalculatorDef>,
}

/// A statement of this measure about another measure or kind of base.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    /// Id of the measure referred to, when it is in the collection.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub measure: Option<Spanned<String>>,
    /// What is referred to, in words, when it is not (or not only) a measure of the collection.
    pub target: String,
    /// The same in English.
    pub target_en: String,
    /// What it says of it (not `repeals`: a repeal is a `[[repeals]]` entry).
    #[schemars(with = "RelationKind")]
    pub kind: Spanned<RelationKind>,
    /// The exact words.
    #[schemars(with = "String")]
    pub quote: Spanned<String>,
    /// Anchor of the unit that says it.
    #[schemars(with = "String")]
    pub cite: Spanned<String>,
}

/// When a measure enters into force.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Effective {
    /// `on-date` (a date in the text), `days-after-issue` (自颁布之日起N日后), `on-issue` (自发布之日起).
    #[schemars(with = "EffectiveRule")]
    pub rule: Spanned<EffectiveRule>,
    /// The date, for `on-date`.
    #[serde(default)]
    #[schemars(with = "Option<crate::content::schema::TomlDate>")]
    pub date: Option<Spanned<Datetime>>,
    /// The number of days, for `days-after-issue`.
    #[serde(default)]
    pub days: Option<u32>,
    /// The exact words of the rule.
    #[schemars(with = "String")]
    pub quote: Spanned<String>,
    /// Anchor of the unit that says it, e.g. `art-30`.
    #[schemars(with = "String")]
    pub cite: Spanned<String>,
}

/// The filing window of a notice (通知).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Call {
    /// Last day for filing; the call has expired after it.
    #[schemars(with = "crate::content::schema::TomlDate")]
    pub closes: Spanned<Datetime>,
    /// The exact words.
    #[schemars(with = "String")]
    pub quote: Spanned<String>,
    /// Anchor of the unit that says it.
    #[schemars(with = "String")]
    pub cite: Spanned<String>,
}

/// A measure's validity, as the text states it: a period from its entry into force
/// (`years`/`months`), or the last day it is valid (`until`).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Validity {
    /// 有效期N年.
    #[serde(default)]
    #[schemars(with = "Option<u32>")]
    pub years: Option<Spanned<u32>>,
    /// 有效期N个月.
    #[serde(default)]
    #[schemars(with = "Option<u32>")]
    pub months: Option<Spanned<u32>>,
    /// 有效期至…: the last day in force.
    #[serde(default)]
    #[schemars(with = "Option<crate::content::schema::TomlDate>")]
    pub until: Option<Spanned<Datetime>>,
    /// The exact words.
    #[schemars(with = "String")]
    pub quote: Spanned<String>,
    /// Anchor of the unit that says it.
    #[schemars(with = "String")]
    pub cite: Spanned<String>,
}

/// When a measure stops being in force under its stated validity, and how that follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expiry {
    /// The first day no longer in force.
    pub first: Date,
    /// The validity's last day.
    pub last: Date,
    /// For a validity of years or months: the entry into force it is counted from (that day
    /// included); `None` when the text names the last day.
    pub counted_from: Option<Date>,
}

/// The day a measure expires under its `[validity]`, if it states one.
///
/// 有效期N年 includes the day of entry into force, so the measure is in force up to the day
/// before the corresponding day N years later and expired from that corresponding day (the
/// earlier of the two readings, safe for an applicant).
pub fn expiry_date(m: &MeasureFile) -> Option<Expiry> {
    let v = m.validity.as_ref()?;
    if let Some(u) = &v.until {
        let last = super::date_of(u.get_ref())?;
        let first = periods::day_after(last).ok()?;
        return Some(Expiry {
            first,
            last,
            counted_from: None,
        });
    }
    let months = v
        .years
        .as_ref()
        .map(|y| *y.get_ref() * 12)
        .or(v.months.as_ref().map(|m| *m.get_ref()))?;
    let eff = effective_date(m).first;
    let (corresponding, _) = periods::add_months(eff, months).ok()?;
    let last = corresponding.previous_day()?;
    Some(Expiry {
        first: corresponding,
        last,
        counted_from: Some(eff),
    })
}

/// The verbatim copy a transcription follows.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    /// File name under `content/sources/`.
    #[schemars(with = "String")]
    pub file: Spanned<String>,
    /// Lower-case hex SHA-256 of that file.
    #[schemars(with = "String")]
    pub sha256: Spanned<String>,
}

/// A measure repealed by this one.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Repeal {
    /// Title as given in the text (without 《》).
    pub title: String,
    /// Its document number, where the text gives one.
    #[serde(default)]
    pub doc_number: Option<String>,
    /// The exact words that repeal it.
    #[schemars(with = "String")]
    pub quote: Spanned<String>,
    /// Anchor of the unit that says it.
    #[schemars(with = "String")]
    pub cite: Spanned<String>,
}

/// A free-standing line of the copy outside the articles (headers, notice, signature …).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Block {
    /// What the line is.
    #[schemars(with = "BlockRole")]
    pub role: Spanned<BlockRole>,
    /// The line, verbatim.
    #[schemars(with = "String")]
    pub text: Spanned<String>,
}

/// A chapter heading (第X章).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Chapter {
    /// 1-based chapter number.
    #[schemars(with = "u32")]
    pub number: Spanned<u32>,
    /// Verbatim label, e.g. `第一章`.
    pub label: String,
    /// Verbatim title after the label, e.g. `总　则`.
    pub title: String,
}

/// An article (第X条) or a notice's numbered section (一、).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Article {
    /// Integer number (第十九条 → 19; 一、→ 1).
    #[schemars(with = "u32")]
    pub number: Spanned<u32>,
    /// Verbatim label, e.g. `第十九条` or `一、`.
    #[schemars(with = "String")]
    pub label: Spanned<String>,
    /// Chapter number this article belongs to, if the measure has chapters.
    #[serde(default)]
    #[schemars(with = "Option<u32>")]
    pub chapter: Option<Spanned<u32>>,
    /// Verbatim heading that follows the label (Yunnan 第五条「职责分工」, a section's 「建设要求」).
    #[serde(default)]
    pub heading: Option<String>,
    /// The first paragraph (款) — `""` when the article opens with a clause.
    #[schemars(with = "String")]
    pub text: Spanned<String>,
    /// Clauses (项, （一）…) of the first paragraph.
    #[serde(default, rename = "clause")]
    pub clauses: Vec<Clause>,
    /// Items (目, 1. …) directly under the first paragraph.
    #[serde(default, rename = "item")]
    pub items: Vec<Item>,
    /// Further paragraphs (款).
    #[serde(default, rename = "para")]
    pub paras: Vec<Para>,
    /// Plain English summary; the Chinese text is authoritative.
    #[serde(default)]
    pub summary_en: String,
}

/// A further paragraph (款) of an article.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Para {
    /// The paragraph's own text (`""` when it is only a list).
    #[schemars(with = "String")]
    pub text: Spanned<String>,
    /// Its clauses.
    #[serde(default, rename = "clause")]
    pub clauses: Vec<Clause>,
    /// Its items.
    #[serde(default, rename = "item")]
    pub items: Vec<Item>,
}

/// A clause (项), e.g. `（一）…`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    /// Verbatim label, `（一）` or `(一)` as in the copy.
    #[schemars(with = "String")]
    pub label: Spanned<String>,
    /// Text after the label.
    #[schemars(with = "String")]
    pub text: Spanned<String>,
    /// Items (目) of the clause.
    #[serde(default, rename = "item")]
    pub items: Vec<Item>,
}

/// An item (目), e.g. `1. …`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Verbatim label, e.g. `1.`.
    #[schemars(with = "String")]
    pub label: Spanned<String>,
    /// Text after the label.
    #[schemars(with = "String")]
    pub text: Spanned<String>,
}

/// A transcriber's note on the copy. The displayed text stays as in the copy.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Erratum {
    /// Anchor of the unit concerned (`art-18`, `art-20-1`, `front-3`, `annex`).
    #[schemars(with = "String")]
    pub target: Spanned<String>,
    /// What the note is about.
    #[schemars(with = "ErratumKind")]
    pub kind: Spanned<ErratumKind>,
    /// The exact words of the unit the note is about, when it is about words.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub quote: Option<Spanned<String>>,
    /// For `artefact`: text present in the copy just before the target unit that belongs to no unit
    /// (a word processor's bookmark, a list marker). Shown flagged, never as part of the text.
    #[serde(default)]
    pub artefact: Option<String>,
    /// For `numbering-gap`: the numbers the copy skips before the target.
    #[serde(default)]
    pub missing: Vec<u32>,
    /// The note, in Chinese.
    pub note: String,
    /// The note, in English.
    pub note_en: String,
}

/// The annexed application form of a notice, structured.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Annex {
    /// Verbatim label line, `附件`.
    pub label: String,
    /// Verbatim title, e.g. `国际合作联合实验室立项申报书`.
    pub title: String,
    /// Cover-page fields to fill in (`实验室名称： _____`).
    #[serde(default, rename = "cover_field")]
    pub cover_fields: Vec<CoverField>,
    /// Lines at the foot of the cover (issuing office, year).
    #[serde(default)]
    pub cover_lines: Vec<String>,
    /// Filling instructions (填表说明).
    #[serde(default)]
    pub instructions: Option<Instructions>,
    /// The basic-information table.
    #[serde(default)]
    pub form: Option<Form>,
    /// Narrative sections with their sub-sections.
    #[serde(default, rename = "section")]
    pub sections: Vec<AnnexSection>,
}

/// A blank on the form's cover page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoverField {
    /// The field name, e.g. `实验室名称`.
    pub label: String,
    /// The blank exactly as printed after the name, e.g. `： _____`.
    pub blank: String,
}

/// Filling instructions.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Instructions {
    /// Heading, `填表说明`.
    pub title: String,
    /// Numbered instructions.
    #[serde(rename = "item")]
    pub items: Vec<Item>,
}

/// The form's table of fields.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Form {
    /// Heading, e.g. `基本信息表`.
    pub title: String,
    /// Fields in reading order (row by row, left to right).
    #[serde(rename = "field")]
    pub fields: Vec<FormField>,
}

/// One cell to fill in the form's table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FormField {
    /// Row header, e.g. `实验室主任` (repeated on every field of the group).
    pub group: String,
    /// Second-level row header, e.g. `中方`.
    #[serde(default)]
    pub subgroup: Option<String>,
    /// Field label, e.g. `出生年月`; empty when the group header is the label.
    #[serde(default)]
    pub label: String,
    /// Check-box options, for a choice field.
    #[serde(default)]
    pub options: Vec<String>,
    /// How a check box is printed in the copy (the conversion left HTML markup).
    #[serde(default)]
    pub checkbox_marker: Option<String>,
    /// Word limit of a narrative field.
    #[serde(default)]
    pub word_limit: Option<u32>,
    /// The limit exactly as printed, e.g. `(限 500 字内)`.
    #[serde(default)]
    pub limit_text: Option<String>,
}

/// A numbered section of the form (一、联合实验室建设目的和意义).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnexSection {
    /// Verbatim label, `一、`.
    pub label: String,
    /// Verbatim title.
    pub title: String,
    /// Guidance under the section title.
    #[serde(default)]
    pub guidance: Vec<String>,
    /// Sub-sections (1.1 …) or numbered items.
    #[serde(default, rename = "sub")]
    pub subs: Vec<AnnexSub>,
}

/// A sub-section of the form (1.1 需求分析) with its guidance.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnexSub {
    /// Verbatim label, e.g. `1.1` or `1.`.
    pub label: String,
    /// Verbatim title.
    pub title: String,
    /// Guidance paragraphs (重点说明…).
    #[serde(default)]
    pub guidance: Vec<String>,
}

/// Topics the transcriber reviewed and found this measure silent on.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicReview {
    /// Topic ids on which the measure says nothing.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub silent: Vec<Spanned<String>>,
}

/// When a measure enters into force, and what the counting was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InForce {
    /// The first day in force.
    pub first: Date,
    /// For `days-after-issue`: the period's days and its last day.
    pub period: Option<(u32, Date)>,
}

/// First day in force, and how it follows from the rule.
pub fn effective_date(m: &MeasureFile) -> InForce {
    let issued = super::date_of(m.issued.get_ref()).unwrap_or(Date::MIN);
    match m.effective.rule.get_ref() {
        EffectiveRule::OnDate => InForce {
            first: m
                .effective
                .date
                .as_ref()
                .and_then(|d| super::date_of(d.get_ref()))
                .unwrap_or(issued),
            period: None,
        },
        EffectiveRule::DaysAfterIssue => {
            let days = m.effective.days.unwrap_or(0);
            // Civil Code arts. 201–202, counted by the calculators' own period code: the day of
            // issue is not counted, the period ends at the end of its last day, and the measure
            // applies from the day after. (Art. 203 does not move it: nothing is to be done.)
            let period = Period {
                count: days,
                unit: PeriodUnit::Day,
            };
            let last = periods::nominal_end(issued, period).map_or(issued, |(d, _)| d);
            InForce {
                first: periods::day_after(last).unwrap_or(last),
                period: Some((days, last)),
            }
        }
        EffectiveRule::OnIssue => InForce {
            first: issued,
            period: None,
        },
    }
}
