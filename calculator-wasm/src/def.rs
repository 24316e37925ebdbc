//! Calculator definitions: which generic primitive to run, its inputs, and which facts it binds.
//!
//! A [`CalculatorDef`] holds no numbers of a measure: every number comes from a fact id in
//! `bind`, `checks`, `steps`, `annual` or `rules`. It reads from TOML (`[[calculator]]`) and JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The generic calculators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Primitive {
    /// Payments in shares of a total, each on a condition and a due date ([`crate::tranches`]).
    Tranches,
    /// Grade → share of a base, with a quota for the top grade ([`crate::bonus`]).
    GradedBonus,
    /// Matching ratio with a cap ([`crate::matching`]).
    Matching,
    /// Dates only: `steps`, `annual` and `checks` ([`crate::timeline`]).
    Timeline,
    /// Threshold checks combined all-of / any-of ([`crate::thresholds`]).
    Eligibility,
    /// Committee composition rules ([`crate::composition`]).
    Composition,
    /// Recognitions held → applications excluded ([`crate::exclusion`]).
    Exclusion,
}

/// A calculator: a primitive, its inputs and its bindings to facts.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CalculatorDef {
    /// Public id, e.g. `kunming-disbursement`.
    pub id: String,
    /// Chinese title.
    pub title: String,
    /// English title.
    pub title_en: String,
    /// Measure id the calculator belongs to (`*` for one spanning several measures).
    pub measure: String,
    /// Which generic calculator runs.
    pub primitive: Primitive,
    /// Inputs, in form order.
    pub inputs: Vec<InputDef>,
    /// Primitive parameter → fact id (or per value of an enum input → fact id).
    #[serde(default)]
    pub bind: BTreeMap<String, Binding>,
    /// Primitive options that are not numbers (input wiring, policy choices), see each primitive.
    #[serde(default)]
    pub options: BTreeMap<String, String>,
    /// Threshold checks (all primitives; eligibility combines them).
    #[serde(default)]
    pub checks: Vec<CheckDef>,
    /// Any-of groups of checks.
    #[serde(default)]
    pub groups: Vec<GroupDef>,
    /// Dates computed as periods from an input date or an earlier step.
    #[serde(default)]
    pub steps: Vec<StepDef>,
    /// Yearly due dates over a span.
    #[serde(default)]
    pub annual: Vec<AnnualDef>,
    /// Composition or exclusion rules.
    #[serde(default)]
    pub rules: Vec<RuleDef>,
    /// Points the measure is silent on, reported as notes.
    #[serde(default)]
    pub silences: Vec<SilenceDef>,
    /// The words of results and notes that are the measure's (`min_self_raised`, `tranche` …):
    /// each primitive says which keys it needs; `{n}`, `{share}`, `{grade}` are filled in.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, LabelDef>,
    /// Checks between the applicant's inputs (of whom ≤ the whole; not before): an error, or a
    /// warning where the measure allows it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consistency: Vec<ConsistencyDef>,
    /// Qualitative conditions (requirement facts) the calculator cannot check: listed for the
    /// applicant to confirm.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub confirm: Vec<ConfirmDef>,
    /// The date input that is "now" for the measure's status (call closed, expired, repealed);
    /// without it, the site's status date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// Tranches timed by events (the tranche primitive's event form): one per share of the
    /// schedule, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<PartDef>,
    /// Who the calculator is for, what to have at hand, what it does not cover (Chinese).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub intro: String,
    /// English of `intro`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub intro_en: String,
    /// `false`: the planner page, which runs every calculator from the applicant's profile,
    /// leaves this one out (an administrator's calculator, or one about things no profile
    /// says). The engine never reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planner: Option<bool>,
    /// Whom the rule is for (第二十三条: 其中中方依托单位是企业的…): when the condition's input
    /// is given and the condition does not hold, the answer is "does not apply", cited, and
    /// nothing is computed; when it is not given, the rule is computed as for those it is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<ScopeDef>,
}

/// Whom a calculator's rule is for: a condition on an input and the fact that says so.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ScopeDef {
    /// Who the rule is for, e.g. `{ input = "host_kind", equals = "enterprise" }`.
    pub when: Condition,
    /// The fact whose words say so (its quote and citation are shown).
    pub fact: String,
    /// Those it is for, in words, as "does not apply" names them (`企业依托单位`, `高校`).
    pub who: String,
    /// English (`enterprise hosts`, `universities`).
    pub who_en: String,
}

/// A tranche timed by an event: paid on a date input (recognition), an offset from it (a
/// period fact), or once a condition is met with no date the text fixes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PartDef {
    /// When it is paid, in words (`认定时`, `期末考核合格后`).
    pub label: String,
    /// English.
    pub label_en: String,
    /// The date input (or step) it is paid on, or counted from with `offset`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<String>,
    /// A period fact counted from `on`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<String>,
    /// The enum input saying whether its condition was met (the option `pass` is the value
    /// that means met); none: no condition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// What follows when the condition is not met, in the measure's words (Chinese).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_fail: Option<String>,
    /// English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_fail_en: Option<String>,
}

/// How two inputs must relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ConsistencyKind {
    /// A number not more than another (外籍研究人员 ≤ 专职科技人员).
    AtMost,
    /// A date not before another date (an input or a step).
    NotBefore,
}

/// A check between two of the applicant's inputs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ConsistencyDef {
    /// How they must relate.
    pub kind: ConsistencyKind,
    /// The input checked.
    pub input: String,
    /// The input (or step) it is compared with.
    pub than: String,
    /// Only a warning: the measure does not forbid it, but it is unusual.
    #[serde(default)]
    pub warn: bool,
    /// What is wrong, naming the fields; `{a}` and `{b}` are the two values entered.
    pub message: String,
    /// English.
    pub message_en: String,
}

/// A qualitative condition to confirm.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ConfirmDef {
    /// A fact id (a requirement, with its article and quote).
    pub fact: String,
    /// Only when this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
}

/// Words in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LabelDef {
    /// Chinese.
    pub label: String,
    /// English.
    pub label_en: String,
}

/// Kinds of input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum InputType {
    /// Yuan, two decimals (`"2500000"`, `"250万"`).
    Money,
    /// `YYYY-MM-DD`.
    Date,
    /// A non-negative whole number.
    Int,
    /// `true` / `false`.
    Bool,
    /// One of `values`.
    Enum,
    /// A list of `values`.
    EnumList,
    /// A percentage 0–100 with up to four decimals (`"3.5"` = 3.5%).
    Percent,
    /// A list of records with `fields`.
    RecordList,
}

/// One allowed value of an enum input.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Machine id.
    pub id: String,
    /// Chinese label.
    pub label: String,
    /// English label.
    pub label_en: String,
}

/// One input of a calculator.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct InputDef {
    /// Field name in the input JSON.
    pub name: String,
    /// Kind.
    #[serde(rename = "type")]
    pub kind: InputType,
    /// Chinese label.
    pub label: String,
    /// English label.
    pub label_en: String,
    /// Whether it may be left out.
    #[serde(default)]
    pub optional: bool,
    /// Allowed values of an enum or enum-list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<Choice>,
    /// Take the allowed values from a `categories` or `grade-scale` fact instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values_from: Option<String>,
    /// Fields of a record-list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<InputDef>,
    /// The unit the value is in, as shown beside the field (`人`, `项`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// English unit (`people`, `items`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_en: Option<String>,
    /// An example value, as shown beside the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// For an enum-list whose order matters (one result per year): the label of item `{n}`.
    /// Without it the list is a set, shown as one checkbox per value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_label: Option<String>,
    /// English of `item_label`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_label_en: Option<String>,
    /// The field of the applicant's profile (`[[profile]]` in `content/calculators.toml`) this
    /// input reads on the planner page, which runs every calculator from one profile. The
    /// engine never reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// `false`: not asked on the planner page, where the calculator runs without it (an event
    /// still to come, such as a later revocation, is no fact about an applicant). Only for an
    /// optional input. The engine never reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planner: Option<bool>,
}

/// A primitive parameter bound to facts.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Binding {
    /// One fact id.
    Fact(String),
    /// A fact id per value of an enum input; a value without an entry means the measure is silent.
    ByInput {
        /// Enum input name.
        by: String,
        /// Value → fact id.
        facts: BTreeMap<String, String>,
    },
}

/// When a check, step or note applies.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// An input: present, or equal to `equals`, or one of `in`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// A check id that must be met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    /// Required value of the enum input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<String>,
    /// Allowed values of the enum input.
    #[serde(default, rename = "in", skip_serializing_if = "Vec::is_empty")]
    pub one_of: Vec<String>,
    /// Applies only when the input is absent.
    #[serde(default)]
    pub absent: bool,
}

/// What a failed check means.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum CheckRole {
    /// A requirement: failing it is a problem (hard) or a warning (soft).
    #[default]
    Requirement,
    /// A condition for something else (e.g. midterm evaluation): only its result matters.
    Condition,
}

/// Compare an input with a `minimum`, `maximum` or `cap` fact.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckDef {
    /// Result name.
    pub id: String,
    /// Chinese label.
    pub label: String,
    /// English label.
    pub label_en: String,
    /// Input compared (a date, for a time-unit fact: the start of the span).
    pub input: String,
    /// Fact id.
    pub fact: String,
    /// For a time-unit fact: the date input the span is measured to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// Only when this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// Requirement (default) or condition.
    #[serde(default)]
    pub role: CheckRole,
}

/// Met when any of its checks is met (三-valued: cannot tell when none met and some unknown).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GroupDef {
    /// Result name.
    pub id: String,
    /// Chinese label.
    pub label: String,
    /// English label.
    pub label_en: String,
    /// Check ids.
    pub any_of: Vec<String>,
}

/// How a step's date is derived from its period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    /// The period's last day (arts. 201–203).
    #[default]
    End,
    /// The day after the period's nominal last day (first day a bar no longer applies; art. 203
    /// does not lengthen a bar).
    DayAfter,
}

/// A date = period fact counted from an input date or an earlier step.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StepDef {
    /// Result name.
    pub id: String,
    /// Chinese label.
    pub label: String,
    /// English label.
    pub label_en: String,
    /// Input date or earlier step id.
    pub from: String,
    /// Period fact id.
    pub period: String,
    /// Only when this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// End (default) or day-after.
    #[serde(default)]
    pub kind: StepKind,
}

/// Which year a yearly report covers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Covers {
    /// Due in the year it reports on (本年度执行情况报告, 11月30日前).
    #[default]
    CurrentYear,
    /// Due in the next year (1月31日前提交上一年度报告).
    PreviousYear,
}

/// Yearly due dates (an `annual-date` fact) for the years of a span.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AnnualDef {
    /// Result name.
    pub id: String,
    /// Chinese label.
    pub label: String,
    /// English label.
    pub label_en: String,
    /// `annual-date` fact id.
    pub date: String,
    /// Span start (input date or step id); only dues after it, and no earlier than the
    /// measure's entry into force, are listed.
    pub from: String,
    /// Span end (input date or step id): the last year reported on.
    pub until: String,
    /// An optional input date after which nothing is due (e.g. revocation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop: Option<String>,
    /// Which year a report covers.
    #[serde(default)]
    pub covers: Covers,
    /// Period fact: a due date applies only once this much time has passed since `from` (认定满一年).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_age: Option<String>,
    /// The text sets no end to the obligation: an input date up to which dues are listed. The
    /// result says the text sets no end; without the input, the list stops at `until` and says
    /// that the obligation goes on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizon: Option<String>,
}

/// Kinds of composition / exclusion rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum RuleKind {
    /// Size at least a `minimum` fact.
    MinCount,
    /// Size is odd (a `requirement` fact).
    OddCount,
    /// Members with `flag` at most a `share` fact of the size.
    MaxShare,
    /// No member with `role` has `flag` (a `requirement` fact).
    RoleNot,
    /// Members with `role` at most a `maximum` (age) fact.
    RoleMaxAge,
    /// A number input at most a `maximum` fact.
    InputMax,
    /// Holding any of `held_any` excludes `application` (an `exclusion` fact).
    Excludes,
}

/// A composition or exclusion rule.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// Kind.
    pub kind: RuleKind,
    /// Fact id.
    pub fact: String,
    /// Boolean member field (`host`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
    /// Boolean member field naming a role (`chair`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Input for `input-max`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// Recognitions that trigger an exclusion.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub held_any: Vec<String>,
    /// Application excluded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<String>,
    /// Chinese label of the application or rule.
    #[serde(default)]
    pub label: String,
    /// English label.
    #[serde(default)]
    pub label_en: String,
}

/// A point the measure is silent on.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SilenceDef {
    /// What is not specified (Chinese).
    pub label: String,
    /// English.
    pub label_en: String,
    /// Only when this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
}
