//! Reading and checking the user's input JSON against a calculator's [`InputDef`]s.
//!
//! Every refusal names the field and what is wrong; nothing here can panic.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::Value;
use time::Date;

use crate::dates::parse_date;
use crate::def::{InputDef, InputType};
use crate::facts::{FactTable, FactValue};
use crate::money::Money;
use crate::output::InputError;

/// Largest whole number accepted (people, projects, ages …).
const MAX_INT: u64 = 1_000_000;
/// Most items in a list input.
const MAX_ITEMS: usize = 1_000;
/// Largest input JSON accepted, in bytes.
pub const MAX_INPUT_BYTES: usize = 200_000;

/// A checked input value.
#[derive(Debug, Clone, PartialEq)]
pub enum InputValue {
    /// Money.
    Money(Money),
    /// A date.
    Date(Date),
    /// A whole number.
    Int(u64),
    /// A boolean.
    Bool(bool),
    /// An enum value id.
    Enum(String),
    /// Enum value ids.
    EnumList(Vec<String>),
    /// A percentage (3.5 = 3.5%).
    Percent(Decimal),
    /// Records.
    Records(Vec<BTreeMap<String, InputValue>>),
}

/// The checked inputs; absent optional inputs are simply missing.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    values: BTreeMap<String, InputValue>,
}

impl Inputs {
    /// A value by name.
    pub fn get(&self, name: &str) -> Option<&InputValue> {
        self.values.get(name)
    }

    /// A date input.
    pub fn date(&self, name: &str) -> Option<Date> {
        match self.values.get(name) {
            Some(InputValue::Date(d)) => Some(*d),
            _ => None,
        }
    }

    /// A money input.
    pub fn money(&self, name: &str) -> Option<Money> {
        match self.values.get(name) {
            Some(InputValue::Money(m)) => Some(*m),
            _ => None,
        }
    }

    /// An enum input.
    pub fn enum_value(&self, name: &str) -> Option<&str> {
        match self.values.get(name) {
            Some(InputValue::Enum(s)) => Some(s),
            _ => None,
        }
    }

    /// Parses `json` (an object) against `defs`.
    pub fn parse(json: &str, defs: &[InputDef], facts: &FactTable) -> Result<Inputs, InputError> {
        if json.len() > MAX_INPUT_BYTES {
            return Err(InputError::said("input", crate::w!("input_too_big")));
        }
        let v: Value = serde_json::from_str(json)
            .map_err(|e| InputError::said("input", crate::w!("input_not_json", error = e)))?;
        // JSON leaves a key given twice to the reader (serde_json keeps the last): refused,
        // naming it, rather than one of the values silently chosen.
        if let Some(key) = duplicate_key(json) {
            return Err(InputError::said(key.as_str(), crate::w!("input_twice")));
        }
        let Value::Object(obj) = v else {
            return Err(InputError::said("input", crate::w!("input_not_object")));
        };
        if let Some(k) = obj.keys().find(|k| !defs.iter().any(|d| &d.name == *k)) {
            return Err(InputError::said(k.as_str(), crate::w!("input_unknown")));
        }
        let values = parse_fields(&obj, defs, facts, "")?;
        Ok(Inputs { values })
    }
}

/// The first key given twice in one object of `json` (valid JSON), as a path
/// (`members[2].age`).
fn duplicate_key(json: &str) -> Option<String> {
    let found = std::cell::RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(json);
    let _ = serde::de::DeserializeSeed::deserialize(
        Keys {
            path: String::new(),
            found: &found,
        },
        &mut de,
    );
    found.into_inner()
}

/// Walks a JSON value, noting in `found` the first key repeated within an object.
struct Keys<'a> {
    path: String,
    found: &'a std::cell::RefCell<Option<String>>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Keys<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Keys<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        while seq
            .next_element_seed(Keys {
                path: format!("{}[{i}]", self.path),
                found: self.found,
            })?
            .is_some()
        {
            i += 1;
        }
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = if self.path.is_empty() {
                key.clone()
            } else {
                format!("{}.{key}", self.path)
            };
            if !seen.insert(key) {
                *self.found.borrow_mut() = Some(path);
                return Err(serde::de::Error::custom("duplicate key"));
            }
            map.next_value_seed(Keys {
                path,
                found: self.found,
            })?;
        }
        Ok(())
    }
}

fn parse_fields(
    obj: &serde_json::Map<String, Value>,
    defs: &[InputDef],
    facts: &FactTable,
    prefix: &str,
) -> Result<BTreeMap<String, InputValue>, InputError> {
    let mut out = BTreeMap::new();
    for def in defs {
        let field = format!("{prefix}{}", def.name);
        let raw = obj.get(&def.name);
        let blank = match raw {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) => s.trim().is_empty(),
            Some(Value::Array(a)) => a.is_empty() && def.optional,
            _ => false,
        };
        if blank {
            if def.optional {
                continue;
            }
            return Err(InputError::required(field));
        }
        if let Some(raw) = raw {
            out.insert(def.name.clone(), parse_value(raw, def, facts, &field)?);
        }
    }
    Ok(out)
}

/// Allowed ids of an enum input: its `values`, or those of its `values_from` fact.
pub fn allowed_values(def: &InputDef, facts: &FactTable) -> Result<Vec<String>, InputError> {
    if let Some(id) = &def.values_from {
        let fact = facts.get(id).ok_or_else(|| {
            InputError::definition(format!(
                "input {}: values_from fact {id} is missing",
                def.name
            ))
        })?;
        return match &fact.value {
            FactValue::Categories(c) => Ok(c.iter().map(|c| c.id.clone()).collect()),
            FactValue::GradeScale(g) => Ok(g.iter().map(|g| g.id.clone()).collect()),
            _ => Err(InputError::definition(format!(
                "input {}: {id} is not a categories or grade-scale fact",
                def.name
            ))),
        };
    }
    Ok(def.values.iter().map(|c| c.id.clone()).collect())
}

fn parse_value(
    raw: &Value,
    def: &InputDef,
    facts: &FactTable,
    field: &str,
) -> Result<InputValue, InputError> {
    let e = |words: (String, String)| InputError::said(field, words);
    match def.kind {
        InputType::Money => {
            let text = scalar_text(raw).ok_or_else(|| e(crate::w!("input_not_money")))?;
            Money::parse(&text)
                .map(InputValue::Money)
                .map_err(|m| InputError::new(field, m.message_en(), m.message_zh()))
        }
        InputType::Date => {
            let Value::String(s) = raw else {
                return Err(e(crate::w!("input_not_date")));
            };
            parse_date(s)
                .map(InputValue::Date)
                .map_err(|m| InputError::said(field, crate::w!("input_bad_date", error = m)))
        }
        InputType::Int => parse_int(raw, field).map(InputValue::Int),
        InputType::Bool => match raw {
            Value::Bool(b) => Ok(InputValue::Bool(*b)),
            Value::String(s) if s == "true" => Ok(InputValue::Bool(true)),
            Value::String(s) if s == "false" => Ok(InputValue::Bool(false)),
            _ => Err(e(crate::w!("input_not_bool"))),
        },
        InputType::Percent => {
            let text = scalar_text(raw).ok_or_else(|| e(crate::w!("input_not_percent")))?;
            let t = text.trim().trim_end_matches('%').trim();
            if t.starts_with('-') {
                return Err(e(crate::w!("input_negative")));
            }
            let (int, frac) = t.split_once('.').unwrap_or((t, ""));
            let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
            if int.is_empty()
                || !digits(int)
                || !digits(frac)
                || (t.contains('.') && frac.is_empty())
            {
                return Err(e(crate::w!("input_percent_not_a_number")));
            }
            if frac.len() > 4 {
                return Err(e(crate::w!("input_percent_decimals")));
            }
            if int.trim_start_matches('0').len() > 3 {
                return Err(e(crate::w!("input_percent_range")));
            }
            let d: Decimal = t.parse().map_err(|_| e(crate::w!("input_not_a_number")))?;
            if d > Decimal::from(100) {
                return Err(e(crate::w!("input_percent_range")));
            }
            Ok(InputValue::Percent(d))
        }
        InputType::Enum => {
            let Value::String(s) = raw else {
                return Err(e(crate::w!("input_not_listed")));
            };
            let allowed = allowed_values(def, facts)?;
            if !allowed.iter().any(|a| a == s.trim()) {
                return Err(InputError::said(field, one_of(&allowed)));
            }
            Ok(InputValue::Enum(s.trim().to_string()))
        }
        InputType::EnumList => {
            let Value::Array(items) = raw else {
                return Err(e(crate::w!("input_not_list")));
            };
            if items.len() > MAX_ITEMS {
                return Err(e(crate::w!("input_too_many_items")));
            }
            let allowed = allowed_values(def, facts)?;
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::String(s) if allowed.iter().any(|a| a == s.trim()) => {
                        out.push(s.trim().to_string())
                    }
                    _ => return Err(InputError::said(format!("{field}[{i}]"), one_of(&allowed))),
                }
            }
            Ok(InputValue::EnumList(out))
        }
        InputType::RecordList => {
            let Value::Array(items) = raw else {
                return Err(e(crate::w!("input_not_list")));
            };
            if items.len() > MAX_ITEMS {
                return Err(e(crate::w!("input_too_many_items")));
            }
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let f = format!("{field}[{i}]");
                let Value::Object(obj) = item else {
                    return Err(InputError::said(f, crate::w!("input_not_record")));
                };
                if let Some(k) = obj
                    .keys()
                    .find(|k| !def.fields.iter().any(|d| &d.name == *k))
                {
                    return Err(InputError::said(
                        format!("{f}.{k}"),
                        crate::w!("input_unknown_field"),
                    ));
                }
                out.push(parse_fields(obj, &def.fields, facts, &format!("{f}."))?);
            }
            Ok(InputValue::Records(out))
        }
    }
}

/// "must be one of" the `allowed` ids, each language with its list separator.
fn one_of(allowed: &[String]) -> (String, String) {
    let (sep, sep_en) = crate::w!("list_separator");
    crate::w!(
        "input_one_of",
        values = allowed.join(&sep),
        values_en = allowed.join(&sep_en)
    )
}

/// A string, or an integer JSON number, as text (float numbers are refused: no float money).
fn scalar_text(raw: &Value) -> Option<String> {
    match raw {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) if n.is_u64() || n.is_i64() => Some(n.to_string()),
        _ => None,
    }
}

fn parse_int(raw: &Value, field: &str) -> Result<u64, InputError> {
    let e = |words: (String, String)| InputError::said(field, words);
    let text = match raw {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return Err(e(crate::w!("input_not_whole"))),
    };
    if text.starts_with('-') {
        return Err(e(crate::w!("input_negative")));
    }
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(e(crate::w!("input_not_whole")));
    }
    if text.trim_start_matches('0').len() > 7 {
        return Err(e(crate::w!("input_too_large")));
    }
    let n: u64 = text.parse().map_err(|_| e(crate::w!("input_not_whole")))?;
    if n > MAX_INT {
        return Err(e(crate::w!("input_too_large")));
    }
    Ok(n)
}

#[cfg(test)]
mod duplicate_tests {
    use super::duplicate_key;

    #[test]
    fn a_key_given_twice_is_named_with_its_path() {
        assert_eq!(
            duplicate_key(r#"{"a": 1, "b": 2, "a": 3}"#).as_deref(),
            Some("a")
        );
        assert_eq!(
            duplicate_key(r#"{"members": [{"age": 1}, {"age": 2}, {"age": 3, "age": 4}]}"#)
                .as_deref(),
            Some("members[2].age")
        );
        assert_eq!(duplicate_key(r#"{"a": {"x": 1}, "b": {"x": 2}}"#), None);
        assert_eq!(duplicate_key(r#"[{"a": 1}, {"a": 1}]"#), None);
    }
}
