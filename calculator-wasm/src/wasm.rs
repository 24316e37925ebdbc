//! The browser surface: one function, JSON in and out. Errors are returned, never thrown; the
//! engine is written so that no input can panic (and with panic=abort a panic could not be caught).

use wasm_bindgen::prelude::wasm_bindgen;

/// Runs a calculator: `bundle_json` = `{def, facts, calendar}`, `input_json` = the form's
/// values. Returns `{"ok": {results, lines, warnings, notes, trace}}` or
/// `{"error": {field, message, message_zh}}`.
///
/// A page runs the same bundle again and again (the planner, every calculator at each change of
/// the profile): each bundle is read and prepared once and kept, keyed by its text's length and
/// 64-bit hash (a page holds tens of bundles, not billions; a bundle that does not read is not
/// kept).
#[wasm_bindgen]
pub fn run_json(bundle_json: &str, input_json: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bundle_json.hash(&mut h);
    let key = (bundle_json.len(), h.finish());
    PREPARED.with(|cache| {
        let mut cache = cache.borrow_mut();
        let prepared = match cache.entry(key) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                match crate::Prepared::from_json(bundle_json) {
                    Ok(p) => e.insert(p),
                    Err(err) => return crate::answer_json(Err(err)),
                }
            }
        };
        crate::answer_json(prepared.run(input_json))
    })
}

thread_local! {
    static PREPARED: std::cell::RefCell<std::collections::HashMap<(usize, u64), crate::Prepared>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}
