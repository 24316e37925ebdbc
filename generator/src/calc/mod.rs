//! Calculator bindings: definitions from the content bound to its facts and the holiday
//! calendar, checked, and run natively (`atlas calc`); the browser runs the same engine
//! compiled to WASM. Imports content and address (and the `calculator-wasm` crate).

pub mod csv;
pub mod profile;
mod words;

pub use words::{CalcWords, Label};

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use calculator_wasm::{CalculatorDef, CalendarData, Fact, FactTable};

use crate::address::{unit_citation, units};
use crate::content::Corpus;
use crate::diagnostics::{Diagnostic, Report};

/// Where each calculator definition comes from.
#[derive(Debug, Clone)]
pub struct Defined {
    /// The definition.
    pub def: CalculatorDef,
    /// The file it is in.
    pub path: PathBuf,
    /// Its place among the file's `[[calculator]]` tables.
    pub index: usize,
}

/// Everything needed to run any calculator.
#[derive(Debug, Clone)]
pub struct Calculators {
    /// Definitions in a stable order (by id).
    pub defs: Vec<Defined>,
    /// Every content fact a definition refers to that the engine could read, in the engine's
    /// format (the others are never read: a calculator only sees its own facts).
    pub facts: Vec<Fact>,
    /// Facts a definition refers to that the engine could not read, with the reason.
    pub unreadable: BTreeMap<String, String>,
    /// The holiday calendar.
    pub calendar: CalendarData,
    /// The fields of the applicant's profile that calculator inputs read (planner page).
    pub profile: Vec<crate::content::ProfileField>,
    /// The theme's engine words that differ from the engine's defaults.
    pub engine_words: calculator_wasm::words::Words,
}

/// File name of the calendar the calculators use.
pub const CALENDAR: &str = "cn-mainland.toml";

/// Collects definitions and facts, the status facts labelled in `words`; problems go to
/// `report`.
pub fn collect(corpus: &Corpus, words: &CalcWords, report: &mut Report) -> Option<Calculators> {
    let mut defs = Vec::new();
    for l in &corpus.measures {
        defs.extend(
            l.value
                .calculators
                .iter()
                .enumerate()
                .map(|(index, d)| Defined {
                    def: d.clone(),
                    path: l.path.clone(),
                    index,
                }),
        );
    }
    if let Some(c) = &corpus.calculators {
        defs.extend(
            c.value
                .calculators
                .iter()
                .enumerate()
                .map(|(index, d)| Defined {
                    def: d.clone(),
                    path: c.path.clone(),
                    index,
                }),
        );
    }
    defs.sort_by(|a, b| a.def.id.cmp(&b.def.id));
    let wanted: HashSet<String> = defs
        .iter()
        .flat_map(|d| calculator_wasm::used_fact_ids(&d.def))
        .collect();
    let (facts, unreadable) = engine_facts(corpus, &wanted, words);
    let calendar = match corpus.calendars.get(CALENDAR) {
        Some(l) => match toml::from_str::<CalendarData>(l.text()) {
            Ok(c) => c,
            Err(e) => {
                let off = e.span().map_or(0, |s| s.start);
                report.push(Diagnostic::error_at(
                    &l.path,
                    l.text(),
                    off,
                    e.message().to_string(),
                    "see the calendar file's header for its format",
                ));
                return None;
            }
        },
        // No calculators and no calendar: nothing to run, nothing wrong.
        None if defs.is_empty() => return None,
        None => {
            report.push(Diagnostic::file_error(
                &corpus.root.join("calendars").join(CALENDAR),
                "calculators need the holiday calendar, which is missing",
                "restore content/calendars/cn-mainland.toml",
            ));
            return None;
        }
    };
    let profile = corpus
        .calculators
        .as_ref()
        .map(|c| c.value.profile.clone())
        .unwrap_or_default();
    Some(Calculators {
        defs,
        facts,
        unreadable,
        calendar,
        profile,
        engine_words: words.engine.clone(),
    })
}

/// The content facts with an id in `wanted`, in the engine's format: each `[[fact]]` table as
/// written, plus the measure id and the citation words.
fn engine_facts(
    corpus: &Corpus,
    wanted: &HashSet<String>,
    words: &CalcWords,
) -> (Vec<Fact>, BTreeMap<String, String>) {
    use rayon::prelude::*;
    // Per measure in parallel, from the facts already parsed (not a second parse of the file).
    let per: Vec<Vec<(String, Result<Fact, String>)>> = corpus
        .measures
        .par_iter()
        .map(|l| {
            let m = &l.value;
            let in_force = calculator_wasm::facts::in_force_id(m.id.get_ref());
            let wants_in_force = wanted.contains(&in_force);
            let [call_id, expires_id, repealed_id] =
                calculator_wasm::facts::status_ids(m.id.get_ref());
            if !wants_in_force && !m.facts.iter().any(|f| wanted.contains(f.id.get_ref())) {
                return Vec::new();
            }
            // Only anchors and numbers are needed for the citation words.
            let us = units::unit_refs(m);
            let mut by_anchor: HashMap<&str, &units::UnitRef> = HashMap::with_capacity(us.len());
            for u in &us {
                // The first unit with an anchor, as a search in document order finds it.
                by_anchor.entry(u.anchor()).or_insert(u);
            }
            let cite_text_of = |cite: &str| {
                by_anchor
                    .get(cite)
                    .map(|u| format!("{}{}", m.short_title, unit_citation(&u.head, m).0))
                    .unwrap_or_else(|| cite.to_string())
            };
            let cite_text_en_of = |cite: &str| {
                by_anchor
                    .get(cite)
                    .map(|u| format!("{}, {}", m.short_title_en, unit_citation(&u.head, m).1))
                    .unwrap_or_else(|| cite.to_string())
            };
            // The measure's entry into force, as a fact the engine reads: obligations start no
            // earlier than this day.
            let in_force_fact = wants_in_force.then(|| {
                let date = crate::content::effective_date(m).first;
                let cite = m.effective.cite.get_ref();
                let mut t = toml::Table::new();
                let s = |x: &str| toml::Value::String(x.to_string());
                t.insert("id".into(), s(&in_force));
                t.insert("measure".into(), s(m.id.get_ref()));
                t.insert("type".into(), s("in-force"));
                t.insert("force".into(), s("hard"));
                t.insert("label".into(), s(&words.in_force.zh));
                t.insert("label_en".into(), s(&words.in_force.en));
                t.insert("cite".into(), s(cite));
                t.insert("cite_text".into(), s(&cite_text_of(cite)));
                t.insert("cite_text_en".into(), s(&cite_text_en_of(cite)));
                t.insert("quote".into(), s(m.effective.quote.get_ref()));
                t.insert(
                    "date".into(),
                    s(&format!(
                        "{:04}-{:02}-{:02}",
                        date.year(),
                        u8::from(date.month()),
                        date.day()
                    )),
                );
                let read = toml::Value::Table(t)
                    .try_into::<Fact>()
                    .map_err(|e| e.to_string());
                (in_force.clone(), read)
            });
            let date_fact =
                |id: &str, kind: &str, label: &Label, cite: &str, quote: &str, date: time::Date| {
                    let mut t = toml::Table::new();
                    let s = |x: &str| toml::Value::String(x.to_string());
                    t.insert("id".into(), s(id));
                    t.insert("measure".into(), s(m.id.get_ref()));
                    t.insert("type".into(), s(kind));
                    t.insert("force".into(), s("hard"));
                    t.insert("label".into(), s(&label.zh));
                    t.insert("label_en".into(), s(&label.en));
                    t.insert("cite".into(), s(cite));
                    t.insert("cite_text".into(), s(&cite_text_of(cite)));
                    t.insert("cite_text_en".into(), s(&cite_text_en_of(cite)));
                    t.insert("quote".into(), s(quote));
                    t.insert("date".into(), s(&calculator_wasm::dates::format_date(date)));
                    let read = toml::Value::Table(t)
                        .try_into::<Fact>()
                        .map_err(|e| e.to_string());
                    (id.to_string(), read)
                };
            // The measure's call, its validity and its repeal: what may close it on a date.
            let mut status_facts = Vec::new();
            if wanted.contains(&call_id) {
                if let Some(c) = &m.call {
                    if let Some(d) = crate::content::date_of(c.closes.get_ref()) {
                        status_facts.push(date_fact(
                            &call_id,
                            "call-closes",
                            &words.call_closes,
                            c.cite.get_ref(),
                            c.quote.get_ref(),
                            d,
                        ));
                    }
                }
            }
            if wanted.contains(&expires_id) {
                if let (Some(v), Some(e)) = (&m.validity, crate::content::expiry_date(m)) {
                    status_facts.push(date_fact(
                        &expires_id,
                        "expires",
                        &words.expires,
                        v.cite.get_ref(),
                        v.quote.get_ref(),
                        e.first,
                    ));
                }
            }
            if wanted.contains(&repealed_id) {
                if let Some((d, cite, quote, by)) = repeal_of(corpus, m) {
                    let (cite_text, cite_text_en) = (
                        format!("{}{}", by.short_title, cite_of(by, &cite).0),
                        format!("{}, {}", by.short_title_en, cite_of(by, &cite).1),
                    );
                    let mut f =
                        date_fact(&repealed_id, "repealed", &words.repealed, &cite, &quote, d);
                    if let Ok(fact) = &mut f.1 {
                        fact.measure = by.id.get_ref().clone();
                        fact.cite_text = cite_text;
                        fact.cite_text_en = cite_text_en;
                    }
                    status_facts.push(f);
                }
            }
            m.facts
                .iter()
                .filter(|f| wanted.contains(f.id.get_ref()))
                .map(|f| {
                    let mut t = f.to_table();
                    let cite_text = cite_text_of(f.cite.get_ref());
                    t.insert(
                        "measure".into(),
                        toml::Value::String(m.id.get_ref().clone()),
                    );
                    t.insert("cite_text".into(), toml::Value::String(cite_text));
                    t.insert(
                        "cite_text_en".into(),
                        toml::Value::String(cite_text_en_of(f.cite.get_ref())),
                    );
                    // Display-only keys of the content format that the engine does not model.
                    t.remove("note");
                    t.remove("note_en");
                    let read = toml::Value::Table(t)
                        .try_into::<Fact>()
                        .map_err(|e| e.to_string());
                    (f.id.get_ref().clone(), read)
                })
                .chain(in_force_fact)
                .chain(status_facts)
                .collect()
        })
        .collect();
    let mut facts = Vec::new();
    let mut bad = BTreeMap::new();
    for (id, read) in per.into_iter().flatten() {
        match read {
            Ok(f) => facts.push(f),
            Err(e) => {
                bad.insert(id, e);
            }
        }
    }
    (facts, bad)
}

/// The measure of `corpus` that repeals `m`, if any: the day it takes effect, its repeal
/// entry's anchor and quote, and the repealing measure.
fn repeal_of<'c>(
    corpus: &'c Corpus,
    m: &crate::content::MeasureFile,
) -> Option<(time::Date, String, String, &'c crate::content::MeasureFile)> {
    let mine = crate::text::fold(m.doc_number.as_ref()?.get_ref());
    corpus.measures.iter().map(|l| &l.value).find_map(|other| {
        let r = other
            .repeals
            .iter()
            .find(|r| r.doc_number.as_deref().map(crate::text::fold) == Some(mine.clone()))?;
        Some((
            crate::content::effective_date(other).first,
            r.cite.get_ref().clone(),
            r.quote.get_ref().clone(),
            other,
        ))
    })
}

/// The citation words (Chinese, English) of anchor `cite` in `m`.
fn cite_of(m: &crate::content::MeasureFile, cite: &str) -> (String, String) {
    units::unit_refs(m)
        .iter()
        .find(|u| u.anchor() == cite)
        .map(|u| unit_citation(&u.head, m))
        .unwrap_or_else(|| (cite.to_string(), cite.to_string()))
}

/// Why a calculator's facts cannot be handed to the engine.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// A fact the definition binds is not one the engine reads.
    #[error("fact {fact} cannot be read by the calculator engine: {why}")]
    Unreadable {
        /// The fact's id.
        fact: String,
        /// Why the engine cannot read it.
        why: String,
    },
    /// The engine refused the facts (a duplicate id, a value of the wrong type).
    #[error("{0}")]
    Engine(calculator_wasm::facts::FactError),
}

impl Calculators {
    /// The definition with this id.
    pub fn get(&self, id: &str) -> Option<&CalculatorDef> {
        self.defs.iter().map(|d| &d.def).find(|d| d.id == id)
    }

    /// The engine's fact table for one definition (only the facts it uses).
    pub fn table_for(&self, def: &CalculatorDef) -> Result<FactTable, TableError> {
        let ids = calculator_wasm::used_fact_ids(def);
        for id in &ids {
            if let Some(why) = self.unreadable.get(id) {
                return Err(TableError::Unreadable {
                    fact: id.clone(),
                    why: why.clone(),
                });
            }
        }
        let used: Vec<Fact> = self
            .facts
            .iter()
            .filter(|f| ids.contains(&f.id))
            .cloned()
            .collect();
        FactTable::new(&used).map_err(TableError::Engine)
    }

    /// The browser bundle of one calculator, as JSON; `as_of` is the site's status date.
    pub fn bundle_json(&self, def: &CalculatorDef, as_of: Option<time::Date>) -> String {
        let mut b = calculator_wasm::Bundle::new(def, &self.facts, &self.calendar);
        b.as_of = as_of.map(calculator_wasm::dates::Day);
        b.words = self.engine_words.clone();
        serde_json::to_string(&b).unwrap_or_default()
    }

    /// Runs a calculator natively on a JSON object of inputs.
    pub fn run(
        &self,
        id: &str,
        input_json: &str,
    ) -> Result<calculator_wasm::Output, calculator_wasm::InputError> {
        self.run_as_of(id, input_json, None)
    }

    /// [`Calculators::run`] with the status date a site's page uses (`as_of`), so that a
    /// measure's status (call closed, expired, repealed) is read on that day.
    pub fn run_as_of(
        &self,
        id: &str,
        input_json: &str,
        as_of: Option<time::Date>,
    ) -> Result<calculator_wasm::Output, calculator_wasm::InputError> {
        let def = self.get(id).ok_or_else(|| {
            calculator_wasm::InputError::definition(format!("no calculator '{id}'"))
        })?;
        let facts = self
            .table_for(def)
            .map_err(|e| calculator_wasm::InputError::definition(e.to_string()))?;
        let cal = calculator_wasm::Calendar::new(&self.calendar)
            .map_err(|e| calculator_wasm::InputError::definition(e.0))?;
        // The page's words, as its bundle gives them.
        let _words = calculator_wasm::words::Overriding::new(&self.engine_words);
        calculator_wasm::engine::run_as_of(def, &facts, &cal, input_json, as_of)
    }
}

/// Validation of `calcs`, collected from `corpus`: unique ids, a known measure, every bound
/// fact readable, every input wired.
pub fn check(calcs: &Calculators, corpus: &Corpus, report: &mut Report) {
    let measures: std::collections::BTreeSet<&str> = corpus
        .measures
        .iter()
        .map(|l| l.value.id.get_ref().as_str())
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for d in &calcs.defs {
        let at = |msg: String, hint: &str| {
            Diagnostic::file_error(&d.path, format!("calculator '{}': {msg}", d.def.id), hint)
        };
        if !seen.insert(d.def.id.clone()) {
            report.push(at(
                "duplicate calculator id".into(),
                "each calculator needs its own id",
            ));
        }
        if !crate::content::is_safe_id(&d.def.id) {
            report.push(at(
                "id is not a safe slug".into(),
                "use lower-case ASCII letters, digits and hyphens",
            ));
        }
        if !measures.contains(d.def.measure.as_str()) && d.def.measure != "*" {
            report.push(at(
                format!("measure '{}' is not in the collection", d.def.measure),
                "name the measure whose facts it applies, or \"*\" for several",
            ));
        }
        if d.def.intro.trim().is_empty() || d.def.intro_en.trim().is_empty() {
            let msg = format!("calculator '{}': intro and intro_en are missing", d.def.id);
            let hint = "say in two or three sentences who the calculator is for, what to have at hand and what it does not cover (intro = \"…\", intro_en = \"…\")";
            report.push(error_in(corpus, d, &[], msg, hint));
        }
        match calcs.table_for(&d.def) {
            Err(e) => report.push(at(e.to_string(), "bind the calculator to facts of a type the engine reads (see calculator-wasm/src/facts.rs)")),
            Ok(table) => {
                if let Err(e) = calculator_wasm::check_def(&d.def, &table) {
                    report.push(at(e.message, "every bound fact must exist in content/measures and every input named in the definition must be declared"));
                }
                let text = source_text(corpus, &d.path);
                for e in calculator_wasm::typecheck::typecheck(&d.def, &table) {
                    let msg = format!("calculator '{}': {}", d.def.id, e.message);
                    match text.and_then(|t| span_of(t, d.index, &e.path).map(|off| (t, off))) {
                        Some((t, off)) => report.push(Diagnostic::error_at(&d.path, t, off, msg, e.hint)),
                        None => report.push(Diagnostic::file_error(&d.path, msg, e.hint)),
                    }
                }
            }
        }
    }
    check_profile(calcs, corpus, report);
}

/// The planner's profile: ids unique, and every input that reads a field names a declared one
/// of its own kind (a count cannot feed a date), so that the planner page never gives a
/// calculator a value it refuses.
fn check_profile(calcs: &Calculators, corpus: &Corpus, report: &mut Report) {
    use calculator_wasm::typecheck::Seg;
    // Without calculators.toml (allowed: its absence is a warning) there is no profile, and
    // the planner asks every input under its measure.
    let Some(file) = &corpus.calculators else {
        return;
    };
    let declared = file.value.profile.as_slice();
    let mut seen = std::collections::BTreeSet::new();
    for f in declared {
        let plain = !f.id.is_empty()
            && f.id.len() <= 64
            && f.id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if !seen.insert(f.id.as_str()) || !plain {
            report.push(Diagnostic::file_error(
                &file.path,
                format!("profile field '{}': id repeated or not plain", f.id),
                "give each [[profile]] field its own id of lower-case ASCII letters, digits and hyphens or underscores",
            ));
        }
    }
    for f in declared {
        use calculator_wasm::def::InputType;
        let problem = if !f.dates.is_empty() && f.kind != InputType::EnumList {
            Some("`dates` are asked beside the choices of a list: give the field type \"enum-list\" or leave `dates` out".to_string())
        } else if f.held_on.is_some() && f.dates.is_empty() {
            Some(
                "`held_on` needs `dates` (which date starts or ends a choice being held)"
                    .to_string(),
            )
        } else {
            f.held_on.as_ref().and_then(|on| {
                (!declared
                    .iter()
                    .any(|g| &g.id == on && g.kind == InputType::Date))
                .then(|| {
                    format!("`held_on` names '{on}', which is not a date field of the profile")
                })
            })
        };
        if let Some(problem) = problem {
            report.push(Diagnostic::file_error(
                &file.path,
                format!("profile field '{}': {problem}", f.id),
                "see the comment above [[profile]] in content/calculators.toml",
            ));
        }
    }
    for d in &calcs.defs {
        for (i, input) in d.def.inputs.iter().enumerate() {
            if input.planner == Some(false) && !input.optional {
                let msg = format!(
                    "calculator '{}': input '{}' is required but not asked on the planner page (`planner = false`)",
                    d.def.id, input.name
                );
                let hint = "make the input `optional = true`, or leave `planner` out";
                let at = [
                    Seg::Key("inputs".into()),
                    Seg::Index(i),
                    Seg::Key("planner".into()),
                ];
                report.push(error_in(corpus, d, &at, msg, hint));
            }
            let Some(name) = &input.profile else { continue };
            let read = profile::resolve(declared, name);
            let problem = match read {
                None => format!(
                    "input '{}' reads profile field '{name}', which no [[profile]] of calculators.toml declares (a date of a dated list is '<field>.<choice>.<date>')",
                    input.name
                ),
                Some(r) if r.kind() != input.kind => format!(
                    "input '{}' is a {} but profile field '{name}' is a {}",
                    input.name,
                    kind_word(input.kind),
                    kind_word(r.kind())
                ),
                Some(profile::ProfileRead::Date { field, choice, .. })
                    if !profile::choices(field, calcs).iter().any(|c| c.id == choice) =>
                {
                    format!(
                        "input '{}' reads a date of '{choice}', which is not a choice of profile field '{}'",
                        input.name, field.id
                    )
                }
                Some(_) => continue,
            };
            let msg = format!("calculator '{}': {problem}", d.def.id);
            let hint = "name a field declared under [[profile]] in content/calculators.toml, of the input's type, or leave `profile` out";
            let at = [
                Seg::Key("inputs".into()),
                Seg::Index(i),
                Seg::Key("profile".into()),
            ];
            report.push(error_in(corpus, d, &at, msg, hint));
        }
    }
}

/// An error at `at` inside calculator `d`'s table (at the file when the text is gone).
fn error_in(
    corpus: &Corpus,
    d: &Defined,
    at: &[calculator_wasm::typecheck::Seg],
    msg: String,
    hint: &str,
) -> Diagnostic {
    match source_text(corpus, &d.path).and_then(|t| span_of(t, d.index, at).map(|o| (t, o))) {
        Some((t, off)) => Diagnostic::error_at(&d.path, t, off, msg, hint),
        None => Diagnostic::file_error(&d.path, msg, hint),
    }
}

/// An input type as content writes it (`int`, `enum-list`).
fn kind_word(k: calculator_wasm::def::InputType) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

/// The text of the content file at `path` (a measure file or `calculators.toml`), if still held.
fn source_text<'c>(corpus: &'c Corpus, path: &std::path::Path) -> Option<&'c str> {
    corpus
        .measures
        .iter()
        .find(|l| l.path == path)
        .map(|l| l.text())
        .or_else(|| {
            corpus
                .calculators
                .as_ref()
                .filter(|c| c.path == path)
                .map(|c| c.text())
        })
        .filter(|t| !t.is_empty())
}

/// The offset of `path` inside the `index`th `[[calculator]]` table of `text` (the deepest part
/// of the path that exists: a key that is missing points at its table).
fn span_of(text: &str, index: usize, path: &[calculator_wasm::typecheck::Seg]) -> Option<usize> {
    use calculator_wasm::typecheck::Seg;
    use toml::de::DeValue;
    let doc = toml::de::DeTable::parse(text).ok()?;
    let calcs = doc
        .get_ref()
        .iter()
        .find(|(k, _)| k.get_ref() == "calculator")?
        .1;
    let DeValue::Array(list) = calcs.get_ref() else {
        return None;
    };
    let mut here = list.get(index)?;
    let mut at = here.span().start;
    for seg in path {
        let next = match (seg, here.get_ref()) {
            (Seg::Key(k), DeValue::Table(t)) => {
                t.iter().find(|(key, _)| key.get_ref() == k).map(|(_, v)| v)
            }
            (Seg::Index(i), DeValue::Array(a)) => a.get(*i),
            _ => None,
        };
        match next {
            Some(v) => {
                here = v;
                at = v.span().start;
            }
            None => break,
        }
    }
    Some(at)
}
