//! `atlas calc run ID --csv FILE`: one calculation per CSV row, results as CSV.
//!
//! Each input column holds the input's value; list inputs are written as JSON (`["pass","fail"]`)
//! or, for a list of choices, separated by `;`. The output repeats the inputs and adds one
//! column per result (lists and objects as JSON), plus `error` for a row that failed.

use calculator_wasm::CalculatorDef;
use serde_json::{Map, Value};

use super::Calculators;

/// Turns one CSV cell into the JSON value of an input.
fn cell_value(def: &CalculatorDef, name: &str, cell: &str) -> Option<Value> {
    let cell = cell.trim();
    if cell.is_empty() {
        return None;
    }
    let kind = def
        .inputs
        .iter()
        .find(|i| i.name == name)
        .map(|i| format!("{:?}", i.kind).to_lowercase());
    if cell.starts_with('[') || cell.starts_with('{') {
        if let Ok(v) = serde_json::from_str::<Value>(cell) {
            return Some(v);
        }
    }
    match kind.as_deref() {
        Some(k) if k.contains("list") => Some(Value::Array(
            cell.split(';')
                .map(|s| Value::String(s.trim().to_string()))
                .collect(),
        )),
        Some("bool") => Some(Value::Bool(matches!(cell, "true" | "yes" | "1" | "是"))),
        Some("int") => cell
            .parse::<i64>()
            .map(Value::from)
            .ok()
            .or_else(|| Some(Value::String(cell.to_string()))),
        _ => Some(Value::String(cell.to_string())),
    }
}

/// Runs `id` on every row of `input` (CSV with a header of input names); returns CSV.
pub fn run_csv(calcs: &Calculators, id: &str, input: &[u8]) -> Result<Vec<u8>, String> {
    let def = calcs
        .get(id)
        .ok_or_else(|| format!("no calculator '{id}'; `atlas calc list` shows them"))?;
    let mut rdr = ::csv::Reader::from_reader(input);
    let headers = rdr
        .headers()
        .map_err(|e| format!("CSV header: {e}"))?
        .clone();
    for h in &headers {
        if !def.inputs.iter().any(|i| i.name == h) {
            let names: Vec<&str> = def.inputs.iter().map(|i| i.name.as_str()).collect();
            return Err(format!(
                "CSV column '{h}' is not an input of {id} (inputs: {})",
                names.join(", ")
            ));
        }
    }
    let mut rows = Vec::new();
    let mut result_names: Vec<String> = Vec::new();
    for (n, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| format!("CSV row {}: {e}", n + 2))?;
        let mut obj = Map::new();
        for (h, cell) in headers.iter().zip(rec.iter()) {
            if let Some(v) = cell_value(def, h, cell) {
                obj.insert(h.to_string(), v);
            }
        }
        let out = calcs.run(id, &Value::Object(obj).to_string());
        if let Ok(o) = &out {
            for k in o.results.keys() {
                if !result_names.contains(k) {
                    result_names.push(k.clone());
                }
            }
        }
        rows.push((rec, out));
    }
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = headers.iter().map(String::from).collect();
    header.extend(result_names.iter().cloned());
    header.push("error".into());
    w.write_record(&header).map_err(|e| e.to_string())?;
    for (rec, out) in rows {
        let mut line: Vec<String> = rec.iter().map(String::from).collect();
        match out {
            Ok(o) => {
                for k in &result_names {
                    line.push(match o.results.get(k) {
                        Some(Value::String(s)) => s.clone(),
                        Some(Value::Null) | None => String::new(),
                        Some(v) => v.to_string(),
                    });
                }
                line.push(String::new());
            }
            Err(e) => {
                line.extend(result_names.iter().map(|_| String::new()));
                line.push(format!("{}: {}", e.field, e.message));
            }
        }
        w.write_record(&line).map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}
