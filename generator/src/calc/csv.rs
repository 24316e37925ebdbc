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

/// A problem with a CSV run: the input cannot be used (nothing is written), or the output
/// could not be written.
#[derive(Debug)]
pub enum CsvError {
    /// The input CSV is unusable: a header or row is malformed, a column is unknown or twice.
    Input(String),
    /// Reading the input or writing the output failed.
    Io(std::io::Error),
}

impl std::fmt::Display for CsvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CsvError::Input(e) => f.write_str(e),
            CsvError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// Runs `id` on every row of the CSV that `open` reads (a header of input names) and writes the
/// results to `out` as CSV, a row at a time.
///
/// Rows are streamed, never held: memory does not grow with their number. The output's header
/// names every result any row gives, so the input is read twice: the first pass checks every
/// row (a malformed one is an error before anything is written) and collects the result
/// names, the second computes and writes each row. Every cell is written safe to open in a
/// spreadsheet (see [`neutralise`]).
pub fn run_csv<R: std::io::Read>(
    calcs: &Calculators,
    id: &str,
    open: &dyn Fn() -> std::io::Result<R>,
    out: &mut dyn std::io::Write,
) -> Result<(), CsvError> {
    let def = calcs.get(id).ok_or_else(|| {
        CsvError::Input(format!(
            "no calculator '{id}'; `atlas calc list` shows them"
        ))
    })?;
    // The fact table and the calendar, once for all rows.
    let facts = calcs
        .table_for(def)
        .map_err(|e| CsvError::Input(e.to_string()))?;
    let cal = calculator_wasm::Calendar::new(&calcs.calendar).map_err(|e| CsvError::Input(e.0))?;
    let run = |headers: &::csv::StringRecord, rec: &::csv::StringRecord| {
        let mut obj = Map::new();
        for (h, cell) in headers.iter().zip(rec.iter()) {
            if let Some(v) = cell_value(def, h, cell) {
                obj.insert(h.to_string(), v);
            }
        }
        calculator_wasm::run(def, &facts, &cal, &Value::Object(obj).to_string())
    };

    // First pass: every row checked, the result names in the order they first appear.
    let mut rdr = ::csv::Reader::from_reader(open().map_err(CsvError::Io)?);
    let headers = rdr
        .headers()
        .map_err(|e| CsvError::Input(format!("CSV header: {e}")))?
        .clone();
    for (i, h) in headers.iter().enumerate() {
        if !def.inputs.iter().any(|d| d.name == h) {
            let names: Vec<&str> = def.inputs.iter().map(|i| i.name.as_str()).collect();
            return Err(CsvError::Input(format!(
                "CSV column '{h}' is not an input of {id} (inputs: {})",
                names.join(", ")
            )));
        }
        if headers.iter().take(i).any(|earlier| earlier == h) {
            return Err(CsvError::Input(format!(
                "CSV column '{h}' appears twice in the header; each input has one column"
            )));
        }
    }
    let mut result_names: Vec<String> = Vec::new();
    let mut rec = ::csv::StringRecord::new();
    let mut n = 1;
    while next_row(&mut rdr, &mut rec, &mut n)? {
        if let Ok(o) = run(&headers, &rec) {
            for k in o.results.keys() {
                if !result_names.contains(k) {
                    result_names.push(k.clone());
                }
            }
        }
    }

    // Second pass: each row computed and written.
    let mut rdr = ::csv::Reader::from_reader(open().map_err(CsvError::Io)?);
    if rdr
        .headers()
        .map_err(|e| CsvError::Input(format!("CSV header: {e}")))?
        != &headers
    {
        return Err(CsvError::Input(
            "the CSV file changed while it was read".into(),
        ));
    }
    let mut w = ::csv::Writer::from_writer(out);
    let io = |e: ::csv::Error| match e.into_kind() {
        ::csv::ErrorKind::Io(e) => CsvError::Io(e),
        other => CsvError::Input(format!("{other:?}")),
    };
    let mut line: Vec<String> = headers.iter().map(String::from).collect();
    line.extend(result_names.iter().cloned());
    line.push("error".into());
    write_row(&mut w, &line).map_err(io)?;
    let mut n = 1;
    while next_row(&mut rdr, &mut rec, &mut n)? {
        line.clear();
        line.extend(rec.iter().map(String::from));
        match run(&headers, &rec) {
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
        write_row(&mut w, &line).map_err(io)?;
    }
    w.flush().map_err(CsvError::Io)
}

/// Reads the next row into `rec`, or says there is none. `row` counts the rows as a
/// spreadsheet numbers them (the header is row 1), for the message of a malformed one.
fn next_row<R: std::io::Read>(
    rdr: &mut ::csv::Reader<R>,
    rec: &mut ::csv::StringRecord,
    row: &mut usize,
) -> Result<bool, CsvError> {
    *row += 1;
    rdr.read_record(rec)
        .map_err(|e| CsvError::Input(format!("CSV row {row}: {e}")))
}

/// Writes one row, every cell [`neutralise`]d.
fn write_row<W: std::io::Write>(w: &mut ::csv::Writer<W>, line: &[String]) -> ::csv::Result<()> {
    for cell in line {
        w.write_field(neutralise(cell).as_bytes())?;
    }
    w.write_record(None::<&[u8]>)
}

/// A cell as written to a CSV file that a spreadsheet may open: one starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return would be read as a formula (`=cmd|' /C calc'!A0`,
/// `@SUM(A1:A9)`), so it gets a leading `'`, as OWASP recommends; a number (`-5`, `+1.5`,
/// `-2e3`) is left as it is.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_number(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Whether `s` is a plain decimal number: a sign, digits with at most one point, an exponent.
fn is_number(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match s.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
        None => (s, None),
    };
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((a, b)) => {
            (digits(a) || a.is_empty())
                && (digits(b) || b.is_empty())
                && !(a.is_empty() && b.is_empty())
        }
        None => digits(mantissa),
    };
    mantissa_ok && exponent.is_none_or(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        for hostile in [
            "=cmd|' /C calc'!A0",
            "+1+1",
            "-2+3",
            "@SUM(A1:A9)",
            "\tx",
            "\rx",
            "=HYPERLINK(\"https://example.org\")",
            "-inf",
            "-",
            "+",
            "-1e",
            "--1",
            "-.",
        ] {
            let out = neutralise(hostile);
            assert_eq!(out, format!("'{hostile}"), "{hostile:?}");
            // Undone, it is the value again.
            assert_eq!(&out[1..], hostile);
        }
        for kept in [
            "-5",
            "+3",
            "-0.5",
            "-.5",
            "+1.",
            "-2e3",
            "-2E+3",
            "1=1",
            "a+b",
            "",
            "833333.33",
            "2026-01-01",
        ] {
            assert_eq!(neutralise(kept), kept, "{kept:?}");
        }
    }
}
