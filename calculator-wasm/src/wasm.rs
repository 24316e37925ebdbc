//! The browser surface: one function, JSON in and out. Errors are returned, never thrown; the
//! engine is written so that no input can panic (and with panic=abort a panic could not be caught).

use wasm_bindgen::prelude::wasm_bindgen;

/// Runs a calculator: `bundle_json` = `{def, facts, calendar}`, `input_json` = the form's
/// values. Returns `{"ok": {results, lines, warnings, notes, trace}}` or
/// `{"error": {field, message, message_zh}}`.
#[wasm_bindgen]
pub fn run_json(bundle_json: &str, input_json: &str) -> String {
    crate::run_json(bundle_json, input_json)
}
