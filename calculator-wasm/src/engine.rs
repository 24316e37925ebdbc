//! Running a calculator: the shared context every primitive works with.

use std::collections::BTreeMap;

use serde_json::Value;
use time::Date;

use crate::calendar::Calendar;
use crate::dates::format_date;
use crate::def::{Binding, CalculatorDef, Condition, Primitive};
use crate::facts::{in_force_id, Citation, FactTable, FactValue, TypedFact};
use crate::inputs::{InputValue, Inputs};
use crate::output::{InputError, Line, Message, Output, Shown, TraceStep};
use crate::periods::{Applied, Period, PeriodKind};
use crate::{
    bonus, composition, consistency, exclusion, matching, status, thresholds, timeline, tranches,
};

/// Everything a primitive needs while it runs, and the output it builds.
pub struct Ctx<'a> {
    /// The definition.
    pub def: &'a CalculatorDef,
    /// The facts.
    pub facts: &'a FactTable,
    /// The calendar.
    pub cal: &'a Calendar,
    /// Checked inputs.
    pub inputs: Inputs,
    /// Results of checks (`None` = cannot tell).
    pub checks: BTreeMap<String, Option<bool>>,
    /// Dates computed by steps.
    pub dates: BTreeMap<String, Date>,
    /// The output being built.
    pub out: Output,
    /// What each check required and what was entered, for the verdict.
    pub check_words: BTreeMap<String, thresholds::CheckWords>,
    provisional_until: Option<Date>,
}

impl<'a> Ctx<'a> {
    /// A fact by id, or a definition error.
    pub fn fact(&self, id: &str) -> Result<&'a TypedFact, InputError> {
        self.facts
            .get(id)
            .ok_or_else(|| InputError::definition(format!("{}: fact {id} is missing", self.def.id)))
    }

    /// The fact bound to `param`; `Ok(None)` when bound per enum value and the measure gives
    /// nothing for the value chosen (or the enum input is absent).
    pub fn bound(&self, param: &str) -> Result<Option<&'a TypedFact>, InputError> {
        match self.def.bind.get(param) {
            None => Err(InputError::definition(format!(
                "{}: parameter {param} is not bound",
                self.def.id
            ))),
            Some(Binding::Fact(id)) => self.fact(id).map(Some),
            Some(Binding::ByInput { by, facts }) => {
                match self.inputs.enum_value(by).and_then(|v| facts.get(v)) {
                    Some(id) => self.fact(id).map(Some),
                    None => Ok(None),
                }
            }
        }
    }

    /// The fact bound to `param`, which must exist.
    pub fn bound_required(&self, param: &str) -> Result<&'a TypedFact, InputError> {
        self.bound(param)?.ok_or_else(|| {
            InputError::definition(format!(
                "{}: no fact bound to {param} for this input",
                self.def.id
            ))
        })
    }

    /// A string option.
    pub fn option(&self, name: &str) -> Result<&'a str, InputError> {
        self.def
            .options
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| {
                InputError::definition(format!("{}: option {name} is missing", self.def.id))
            })
    }

    /// Records a named result.
    pub fn result(&mut self, name: &str, value: Value) {
        self.out.results.insert(name.to_string(), value);
    }

    /// Adds a display line.
    pub fn line(
        &mut self,
        result: &str,
        label: &str,
        label_en: &str,
        value: Shown,
        citation: Option<&Citation>,
    ) {
        self.line_item(result, None, (label, label_en), value, citation);
    }

    /// Adds a display line for item `item` (from 1) of a list result.
    pub fn line_item(
        &mut self,
        result: &str,
        item: Option<usize>,
        (label, label_en): (&str, &str),
        value: Shown,
        citation: Option<&Citation>,
    ) {
        self.out.lines.push(Line {
            result: result.to_string(),
            item,
            label: label.to_string(),
            label_en: label_en.to_string(),
            value: value.zh,
            value_en: value.en,
            status: value.status.map(String::from),
            exact: None,
            citation: citation.cloned(),
        });
    }

    /// The words the definition gives for `key` (`labels.<key>`), with `{name}` placeholders
    /// replaced; a definition error when the content gives none.
    pub fn words(
        &self,
        key: &str,
        vars: &[(&str, &str, &str)],
    ) -> Result<(String, String), InputError> {
        let l = self.def.labels.get(key).ok_or_else(|| {
            InputError::definition(format!("{}: labels.{key} is missing", self.def.id))
        })?;
        let (mut zh, mut en) = (l.label.clone(), l.label_en.clone());
        for (name, z, e) in vars {
            let pat = format!("{{{name}}}");
            zh = zh.replace(&pat, z);
            en = en.replace(&pat, e);
        }
        Ok((zh, en))
    }

    /// The label of an input, a field of a record-list input, or a step, in Chinese and English
    /// (for messages that name what the applicant entered).
    pub fn input_label(&self, name: &str) -> (String, String) {
        fn find<'d>(
            defs: &'d [crate::def::InputDef],
            name: &str,
        ) -> Option<&'d crate::def::InputDef> {
            defs.iter()
                .find(|i| i.name == name)
                .or_else(|| defs.iter().find_map(|i| find(&i.fields, name)))
        }
        if let Some(i) = find(&self.def.inputs, name) {
            return (i.label.clone(), i.label_en.clone());
        }
        self.def
            .steps
            .iter()
            .find(|s| s.id == name)
            .map(|s| (s.label.clone(), s.label_en.clone()))
            .unwrap_or_default()
    }

    /// Adds a dated obligation or event for the calendar.
    #[allow(clippy::too_many_arguments)]
    pub fn event(
        &mut self,
        key: String,
        date: Date,
        (title, title_en): (String, String),
        (description, description_en): (String, String),
        citation: Option<&Citation>,
        provisional: bool,
    ) {
        self.out.events.push(crate::output::Event {
            key,
            date: format_date(date),
            title,
            title_en,
            description,
            description_en,
            citation: citation.cloned(),
            provisional,
        });
    }

    /// Adds a warning.
    pub fn warn(&mut self, text: String, text_en: String, citation: Option<&Citation>) {
        self.out.warnings.push(Message {
            text,
            text_en,
            citation: citation.cloned(),
        });
    }

    /// Adds a note.
    pub fn note(&mut self, text: String, text_en: String, citation: Option<&Citation>) {
        self.out.notes.push(Message {
            text,
            text_en,
            citation: citation.cloned(),
        });
    }

    /// Adds a trace step: what happened, in English and Chinese, and the rule it rests on.
    pub fn trace(
        &mut self,
        result: &str,
        rule: &str,
        text: String,
        text_zh: String,
        citation: Option<&Citation>,
    ) {
        self.out.trace.push(TraceStep {
            result: result.to_string(),
            rule: rule.to_string(),
            text,
            text_zh,
            citation: citation.cloned(),
        });
    }

    /// Adds the rules a date computation applied to the trace.
    pub fn trace_applied(
        &mut self,
        result: &str,
        applied: &[Applied],
        citation: Option<&Citation>,
    ) {
        for a in applied {
            self.trace(result, a.rule, a.text.clone(), a.text_zh.clone(), citation);
        }
    }

    /// The measure's first day in force and its fact (`None` for a calculator spanning several
    /// measures, or one whose bundle does not carry it).
    pub fn in_force(&self) -> Option<(Date, &'a TypedFact)> {
        let f = self.facts.get(&in_force_id(&self.def.measure))?;
        match f.value {
            FactValue::InForce(d) => Some((d, f)),
            _ => None,
        }
    }

    /// Marks `result` as resting on days up to `upto` beyond the calendar data; the warning
    /// saying what is unknown is added once, at the end of the run.
    pub fn provisional(&mut self, result: &str, upto: Date) {
        self.provisional_until = Some(self.provisional_until.map_or(upto, |d| d.max(upto)));
        let list = self
            .out
            .results
            .entry("provisional")
            .or_insert_with(|| Value::Array(vec![]));
        if let Value::Array(a) = list {
            if !a.iter().any(|v| v == result) {
                a.push(Value::String(result.to_string()));
            }
        }
    }

    /// A period fact's value.
    pub fn period(&self, fact: &TypedFact) -> Result<Period, InputError> {
        match fact.value {
            FactValue::Period(p) => Ok(p),
            // "一般不超过3年": a term stated as a maximum lasts at most that period; the step
            // uses the full period and the fact's force (soft here) is reported with it.
            FactValue::Maximum { value, unit, .. } => unit
                .period_unit()
                .and_then(|u| crate::periods::Period::from_value(value, u))
                .ok_or_else(|| {
                    InputError::definition(format!(
                        "fact {} is a maximum but not of a time unit",
                        fact.citation.fact
                    ))
                }),
            _ => Err(InputError::definition(format!(
                "fact {} is not a period",
                fact.citation.fact
            ))),
        }
    }

    /// Whether a period fact is a time to act or a term (content says it; nothing is assumed).
    pub fn period_kind(&self, fact: &TypedFact) -> Result<PeriodKind, InputError> {
        fact.period_kind.ok_or_else(|| {
            InputError::definition(format!(
                "fact {} does not say whether it is a time to act or a term that runs out: add period_kind = \"deadline\" or \"term\"",
                fact.citation.fact
            ))
        })
    }

    /// A date from an input or an earlier step.
    pub fn date_of(&self, name: &str) -> Option<Date> {
        self.inputs
            .date(name)
            .or_else(|| self.dates.get(name).copied())
    }

    /// Whether a condition holds (absent condition: true).
    pub fn holds(&self, cond: Option<&Condition>) -> bool {
        let Some(c) = cond else { return true };
        if let Some(check) = &c.check {
            if self.checks.get(check).copied().flatten() != Some(true) {
                return false;
            }
        }
        if let Some(input) = &c.input {
            let v = self.inputs.get(input);
            if c.absent {
                return v.is_none();
            }
            let Some(v) = v else { return false };
            let text = match v {
                InputValue::Enum(s) => Some(s.as_str()),
                _ => None,
            };
            if let Some(eq) = &c.equals {
                if text != Some(eq.as_str()) {
                    return false;
                }
            }
            if !c.one_of.is_empty() && !text.is_some_and(|t| c.one_of.iter().any(|o| o == t)) {
                return false;
            }
        }
        true
    }
}

/// Runs `def` with `facts` and `cal` on `input_json`.
pub fn run(
    def: &CalculatorDef,
    facts: &FactTable,
    cal: &Calendar,
    input_json: &str,
) -> Result<Output, InputError> {
    run_as_of(def, facts, cal, input_json, None)
}

/// [`run`], with `as_of` the day the measure's status is read on when the definition names no
/// date input for it (the site's status date).
pub fn run_as_of(
    def: &CalculatorDef,
    facts: &FactTable,
    cal: &Calendar,
    input_json: &str,
    as_of: Option<Date>,
) -> Result<Output, InputError> {
    let new_ctx = |inputs: Inputs| Ctx {
        def,
        facts,
        cal,
        inputs,
        checks: BTreeMap::new(),
        dates: BTreeMap::new(),
        out: Output {
            calculator: def.id.clone(),
            ..Output::default()
        },
        check_words: BTreeMap::new(),
        provisional_until: None,
    };
    if let Some(scope) = &def.scope {
        // Whom the rule is for is read before anything else is required: a host the rule is not
        // for is told so even while other inputs are still missing (a value that does not read
        // is reported by the full reading below).
        let relaxed: Vec<_> = def
            .inputs
            .iter()
            .cloned()
            .map(|mut i| {
                i.optional = true;
                i
            })
            .collect();
        if let Ok(inputs) = Inputs::parse(input_json, &relaxed, facts) {
            let mut ctx = new_ctx(inputs);
            let given = scope
                .when
                .input
                .as_deref()
                .is_some_and(|i| ctx.inputs.get(i).is_some());
            if given && !ctx.holds(Some(&scope.when)) {
                // Not whom the rule is for: said, cited, and nothing computed (the measure says
                // nothing of the others here).
                let f = ctx.fact(&scope.fact)?;
                let (zh, en) = crate::w!(
                    "scope_rule_is_for",
                    who = scope.who,
                    who_en = scope.who_en,
                    quote = f.citation.quote
                );
                let shown = Shown::status("not-applicable").push(&zh, &en);
                ctx.result("verdict", Value::String("not-applicable".into()));
                // Worded as every verdict is (结论 / Verdict).
                let (v, v_en) = crate::w!("label_verdict");
                ctx.line("applies", &v, &v_en, shown, Some(&f.citation));
                return Ok(ctx.out);
            }
        }
    }
    let mut ctx = new_ctx(Inputs::parse(input_json, &def.inputs, facts)?);
    consistency::run(&mut ctx, false)?;
    thresholds::run_checks(&mut ctx)?;
    match def.primitive {
        Primitive::Tranches => tranches::run(&mut ctx)?,
        Primitive::GradedBonus => bonus::run(&mut ctx)?,
        Primitive::Matching => matching::run(&mut ctx)?,
        Primitive::Timeline => {}
        Primitive::Eligibility => thresholds::run_eligibility(&mut ctx)?,
        Primitive::Composition => composition::run(&mut ctx)?,
        Primitive::Exclusion => exclusion::run(&mut ctx)?,
    }
    timeline::run_steps(&mut ctx)?;
    // Checks against computed dates (accepted before the term ends) once the steps are known.
    consistency::run(&mut ctx, true)?;
    timeline::run_annual(&mut ctx)?;
    for s in &def.silences {
        if ctx.holds(s.when.as_ref()) {
            let (zh, en) = crate::w!("silence", label = s.label, label_en = s.label_en);
            ctx.note(zh, en, None);
        }
    }
    for c in &def.confirm {
        if ctx.holds(c.when.as_ref()) {
            let f = ctx.fact(&c.fact)?;
            let (zh, en) = crate::w!(
                "confirm_yourself",
                label = f.label,
                quote = f.citation.quote,
                label_en = f.label_en
            );
            ctx.note(zh, en, Some(&f.citation));
        }
    }
    status::run(&mut ctx, as_of)?;
    if let Some(upto) = ctx.provisional_until {
        let (zh, en) = provisional_warning(cal, upto);
        ctx.warn(zh, en, None);
    }
    Ok(ctx.out)
}

/// What a provisional answer does not know: the State Council's arrangement for the years after
/// the data (make-up working days, bridge days, and 补假 for a holiday on a weekend), and for
/// years beyond the movable-feast table, the lunar holidays as well.
fn provisional_warning(cal: &Calendar, upto: Date) -> (String, String) {
    let ends = cal.data_ends();
    let first = ends.year().saturating_add(1);
    let years = if upto.year() > first {
        format!("{first}–{}", upto.year())
    } else {
        first.to_string()
    };
    let (mut zh, mut en) = match cal.statutory_title() {
        Some(law) => crate::w!(
            "provisional_after_published",
            ends = format_date(ends),
            law = law,
            years = years
        ),
        None => crate::w!("provisional_weekends_only", ends = format_date(ends)),
    };
    let missing: Vec<i32> = (first..=upto.year())
        .filter(|y| !cal.movable_known(*y))
        .collect();
    if cal.statutory_title().is_some() {
        if let (Some(a), Some(b)) = (missing.first(), missing.last()) {
            let span = if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            };
            let (z, e) = crate::w!("provisional_movable_unknown", span = span);
            zh.push_str(&z);
            en.push_str(&e);
        }
    }
    (zh, en)
}
