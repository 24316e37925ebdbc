//! What a calculator input's `profile = "…"` names: a whole field of the applicant's profile
//! (`staff`), or one date of one choice of a dated list (`held.national-base.revoked`, the date
//! a recognition held was revoked). Shared by `atlas check` and the planner page.

use calculator_wasm::def::{Choice, InputDef, InputType};

use crate::content::{ProfileDate, ProfileField};

use super::Calculators;

/// A resolved `profile = "…"`.
#[derive(Debug, Clone, Copy)]
pub enum ProfileRead<'p> {
    /// The whole field.
    Field(&'p ProfileField),
    /// One date of one choice of a dated list.
    Date {
        /// The list.
        field: &'p ProfileField,
        /// The choice's id.
        choice: &'p str,
        /// Which of its dates.
        date: &'p ProfileDate,
    },
}

impl<'p> ProfileRead<'p> {
    /// The field read (for a date, its list).
    pub fn field(&self) -> &'p ProfileField {
        match self {
            ProfileRead::Field(f) | ProfileRead::Date { field: f, .. } => f,
        }
    }

    /// The kind of value the input receives.
    pub fn kind(&self) -> InputType {
        match self {
            ProfileRead::Field(f) => f.kind,
            ProfileRead::Date { .. } => InputType::Date,
        }
    }
}

/// Resolves `name` among the declared fields: `<field>` or `<field>.<choice>.<date>` (ids are
/// plain, without dots, so the split is unambiguous). `None` when nothing declared matches; the
/// choice is not checked here (see [`choices`]).
pub fn resolve<'p>(profile: &'p [ProfileField], name: &'p str) -> Option<ProfileRead<'p>> {
    let mut parts = name.split('.');
    let id = parts.next()?;
    let field = profile.iter().find(|f| f.id == id)?;
    match (parts.next(), parts.next(), parts.next()) {
        (None, _, _) => Some(ProfileRead::Field(field)),
        (Some(choice), Some(date), None) if !choice.is_empty() => {
            let date = field.dates.iter().find(|d| d.id == date)?;
            Some(ProfileRead::Date {
                field,
                choice,
                date,
            })
        }
        _ => None,
    }
}

/// The choices of a list field: those of every input that reads it as a list (their own values
/// or the categories of the fact they take them from), then those declared on it, each once.
pub fn choices(field: &ProfileField, calcs: &Calculators) -> Vec<Choice> {
    let mut out: Vec<Choice> = Vec::new();
    let readers = calcs
        .defs
        .iter()
        .flat_map(|d| &d.def.inputs)
        .filter(|i| i.profile.as_deref() == Some(field.id.as_str()));
    let found = readers.flat_map(|i| input_choices(i, calcs));
    for c in found.chain(field.values.iter().cloned()) {
        if !out.iter().any(|x| x.id == c.id) {
            out.push(c);
        }
    }
    out
}

fn input_choices(i: &InputDef, calcs: &Calculators) -> Vec<Choice> {
    let mut out = i.values.clone();
    if let Some(f) = i
        .values_from
        .as_ref()
        .and_then(|from| calcs.facts.iter().find(|f| &f.id == from))
    {
        let choice = |id: &str, label: &str, label_en: &str| Choice {
            id: id.to_string(),
            label: label.to_string(),
            label_en: label_en.to_string(),
        };
        out.extend(
            f.categories
                .iter()
                .map(|c| choice(&c.id, &c.label, &c.label_en)),
        );
        out.extend(
            f.grades
                .iter()
                .map(|g| choice(&g.id, &g.label, &g.label_en)),
        );
    }
    out
}
