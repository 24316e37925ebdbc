//! A hand-worked calculator case typed into a calculator page's form as a person does it:
//! choosing from the options offered, ticking boxes, adding list rows, typing into fields and
//! clicking the button; then the results read from the page and compared with the case's
//! expected values as they must be shown (`833,333.33`, a date, a verdict word).
//!
//! A case the form cannot express (a field the form does not have, a value it does not offer,
//! more rows than the measure allows, a JSON float) is reported as such: the form offering only
//! what the measure allows is itself what is checked.

#![allow(dead_code)] // each test binary uses a different part

use serde_json::Value;

use crate::harness::{Chromium, Tab};

/// What the page showed after the button was clicked.
#[derive(Debug, serde::Deserialize)]
pub struct Shown {
    /// Each result line: result name, item (0 = none), status code, label, value, citation.
    pub rows: Vec<(String, usize, String, String, String, String)>,
    /// The warnings box's text.
    pub warnings: Vec<String>,
    /// The notes box's text.
    pub notes: Vec<String>,
    /// The "why" steps.
    pub trace: Vec<String>,
    /// Every visible field error and the form error.
    pub errors: Vec<String>,
    /// Whether the results section is shown.
    pub results: bool,
}

/// The outcome of typing a case into the form.
pub enum Typed {
    /// Typed and run; what the page showed.
    Shown(Shown),
    /// The form cannot say this, and why.
    NotExpressible(String),
}

fn js_str(s: &str) -> String {
    serde_json::to_string(s).expect("JSON string")
}

/// Types `input` into the calculator form on `tab` and clicks the button.
pub fn type_case(tab: &Tab<'_>, input: &Value) -> Typed {
    let Value::Object(fields) = input else {
        return Typed::NotExpressible("input is not an object".into());
    };
    for (name, v) in fields {
        let sel = format!("form.calculator [data-input={}]", js_str(name));
        let kind: Option<String> = tab.eval(&format!(
            "const n = document.querySelector({}); return n ? n.getAttribute('data-kind') : null;",
            js_str(&sel)
        ));
        let Some(kind) = kind else {
            return Typed::NotExpressible(format!("the form has no field {name}"));
        };
        let text = |v: &Value| -> Option<String> {
            match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
                Value::Bool(b) => Some(b.to_string()),
                _ => None,
            }
        };
        match kind.as_str() {
            "enum" => {
                let Some(want) = text(v) else {
                    return Typed::NotExpressible(format!("{name}: {v} is not a choice"));
                };
                if !choose(tab, &sel, &want) {
                    return Typed::NotExpressible(format!("{name}: {want} is not offered"));
                }
            }
            "enum-list" => {
                let Value::Array(items) = v else {
                    return Typed::NotExpressible(format!("{name}: not a list"));
                };
                let (rows, fixed): (usize, usize) = tab.eval(&format!(
                    "const f = document.querySelector({}); return [f.querySelectorAll('select').length, parseInt(f.dataset.rows, 10) || 0];",
                    js_str(&sel)
                ));
                if fixed > 0 && items.len() > fixed {
                    return Typed::NotExpressible(format!(
                        "{name}: {} items, the measure allows {fixed}",
                        items.len()
                    ));
                }
                for _ in rows..items.len() {
                    tab.click(&format!("{sel} button.add-item"));
                }
                for (i, item) in items.iter().enumerate() {
                    let Some(want) = text(item) else {
                        return Typed::NotExpressible(format!("{name}[{i}]: not a choice"));
                    };
                    let one = format!("{sel} ol.list-rows > li:nth-child({}) select", i + 1);
                    if !choose(tab, &one, &want) {
                        return Typed::NotExpressible(format!("{name}: {want} is not offered"));
                    }
                }
            }
            "enum-set" => {
                let Value::Array(items) = v else {
                    return Typed::NotExpressible(format!("{name}: not a list"));
                };
                for item in items {
                    let want = text(item).unwrap_or_default();
                    let boxsel = format!("{sel} input[type=checkbox][value={}]", js_str(&want));
                    let there: bool = tab.eval(&format!(
                        "return !!document.querySelector({});",
                        js_str(&boxsel)
                    ));
                    if !there {
                        return Typed::NotExpressible(format!("{name}: {want} is not offered"));
                    }
                    tab.click(&boxsel);
                }
            }
            "record-list" => {
                let Value::Array(records) = v else {
                    return Typed::NotExpressible(format!("{name}: not a list"));
                };
                for _ in records {
                    tab.click(&format!("{sel} button.add-row"));
                }
                for (i, rec) in records.iter().enumerate() {
                    let Value::Object(rec) = rec else {
                        return Typed::NotExpressible(format!("{name}[{i}]: not a record"));
                    };
                    for (f, fv) in rec {
                        let cell = format!(
                            "{sel} tbody tr:nth-child({}) [data-field={}]",
                            i + 1,
                            js_str(f)
                        );
                        let fkind: Option<String> = tab.eval(&format!(
                            "const n = document.querySelector({}); return n ? n.getAttribute('data-kind') : null;",
                            js_str(&cell)
                        ));
                        match (fkind.as_deref(), fv) {
                            (None, _) => {
                                return Typed::NotExpressible(format!(
                                    "the form's {name} rows have no field {f}"
                                ))
                            }
                            (Some("bool"), Value::Bool(b)) => {
                                if *b {
                                    tab.click(&cell);
                                }
                            }
                            (Some(_), fv) => match text(fv) {
                                Some(t) => {
                                    tab.focus(&cell);
                                    tab.insert_text(&t);
                                }
                                None => {
                                    return Typed::NotExpressible(format!(
                                        "{name}[{i}].{f}: {fv} cannot be typed"
                                    ))
                                }
                            },
                        }
                    }
                }
            }
            "bool" => {
                if v == &Value::Bool(true) {
                    tab.click(&sel);
                }
            }
            _ => {
                let Some(t) = text(v) else {
                    return Typed::NotExpressible(format!(
                        "{name}: {v} is not text a person types"
                    ));
                };
                if !t.is_empty() {
                    tab.focus(&sel);
                    tab.insert_text(&t);
                }
            }
        }
    }
    tab.click("form.calculator button.run");
    Typed::Shown(tab.eval(READ))
}

/// Chooses `want` in the select `sel` as a person does (an option that is offered), firing the
/// change event the page listens to; false when no such option is offered.
fn choose(tab: &Tab<'_>, sel: &str, want: &str) -> bool {
    tab.eval(&format!(
        "const s = document.querySelector({}); const i = [...s.options].findIndex(o => o.value === {});
         if (i < 0) return false; s.focus(); s.selectedIndex = i; s.dispatchEvent(new Event('change', {{bubbles: true}})); return true;",
        js_str(sel),
        js_str(want)
    ))
}

const READ: &str = "const vis = e => e && !e.hidden && e.offsetParent !== null;
  return {
    rows: [...document.querySelectorAll('.calc-results table.lines tbody tr')].map(r => [
      r.dataset.result, parseInt(r.dataset.item || '0', 10), r.dataset.status || '',
      r.children[0].textContent, r.children[1].textContent, r.children[2].textContent]),
    warnings: [...document.querySelectorAll('.calc-results .warnings li')].map(li => li.textContent),
    notes: [...document.querySelectorAll('.calc-results .notes li')].map(li => li.textContent),
    trace: [...document.querySelectorAll('.calc-results .trace li')].map(li => li.textContent),
    errors: [...document.querySelectorAll('form.calculator .field-error, form.calculator .form-error')].filter(vis).map(p => p.textContent),
    results: !document.querySelector('.calc-results').hidden,
  };";

/// `833333.33` → `833,333.33`.
pub fn grouped(amount: &str) -> String {
    let (int, frac) = amount.split_once('.').unwrap_or((amount, ""));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if frac.is_empty() {
        out
    } else {
        format!("{out}.{frac}")
    }
}

fn is_amount(s: &str) -> bool {
    let (a, b) = s.split_once('.').unwrap_or(("", ""));
    !a.is_empty()
        && a.bytes().all(|c| c.is_ascii_digit())
        && b.len() == 2
        && b.bytes().all(|c| c.is_ascii_digit())
}

fn is_date(s: &str) -> bool {
    s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-'
}

/// Compares what the page showed with a case's expected results; each difference as a line.
pub fn compare(shown: &Shown, case: &atlas_tests::CalcCase, en: bool) -> Vec<String> {
    let mut bad = Vec::new();
    let rows_of = |k: &str| -> Vec<&(String, usize, String, String, String, String)> {
        shown.rows.iter().filter(|r| r.0 == k).collect()
    };
    if let Some(field) = &case.error_field {
        if shown.errors.is_empty() {
            bad.push(format!("expected an error on {field}; none shown"));
        }
        for e in &shown.errors {
            let root = field.split(['[', '.']).next().unwrap_or_default();
            if e.contains('[') || e.contains(root) && root.contains('_') {
                bad.push(format!("the error names an internal field: {e}"));
            }
        }
        return bad;
    }
    if !shown.results {
        bad.push(format!("no results shown; errors: {:?}", shown.errors));
        return bad;
    }
    let status_ok = |st: &str, want: &Value| -> bool {
        match want {
            Value::Bool(true) => matches!(st, "met" | "met-soft" | "yes"),
            Value::Bool(false) => matches!(st, "not-met" | "no"),
            _ => st == "cannot-tell",
        }
    };
    // The verdict is the line of the overall result (eligible, valid); where the case gives the
    // verdict, that line says it and `eligible`/`valid` are the conditions' result behind it.
    let verdict_rows: Vec<_> = shown
        .rows
        .iter()
        .filter(|r| r.3 == if en { "Verdict" } else { "结论" })
        .collect();
    for (k, want) in &case.expect {
        let rows = rows_of(k);
        if k == "verdict" {
            let w = want.as_str().unwrap_or_default();
            if !verdict_rows.iter().any(|r| r.2 == w) {
                bad.push(format!("verdict {w} not shown: {verdict_rows:?}"));
            }
            continue;
        }
        if k == "measure_status" {
            let w = want.as_str().unwrap_or_default();
            // Said in the verdict where there is one, else as a warning (status.rs words).
            let word = match (w, en) {
                ("call-closed", false) => "截止",
                ("call-closed", true) => "call closed",
                ("repealed", false) => "废止",
                ("repealed", true) => "repealed",
                ("expired", false) => "失效",
                ("expired", true) => "no longer in force",
                ("not-yet", false) => "尚未施行",
                (_, _) => "not yet",
            };
            let said = verdict_rows.iter().any(|r| r.4.contains(word))
                || shown.warnings.iter().any(|t| t.contains(word));
            if w != "in-force" && !said {
                bad.push(format!("the measure's status {w} is not said"));
            }
            continue;
        }
        if (k == "eligible" || k == "valid") && case.expect.contains_key("verdict") {
            continue;
        }
        let want = if want == &Value::String("__null__".into()) {
            Value::Null
        } else {
            want.clone()
        };
        match (&want, k.as_str()) {
            (Value::Array(items), "unmet" | "soft_unmet") => {
                for id in items.iter().filter_map(Value::as_str) {
                    let ok = rows_of(id).iter().any(|r| {
                        r.2 == "not-met" || r.4.contains(if en { "not met" } else { "不符合" })
                    });
                    if !ok {
                        bad.push(format!("{k}: {id} is not shown as not met"));
                    }
                }
            }
            (Value::Array(items), "missing") => {
                let verdict = rows_of("eligible");
                for id in items.iter().filter_map(Value::as_str) {
                    let shown_missing = verdict.iter().any(|r| r.2 == "cannot-tell")
                        && rows_of(id).iter().all(|r| r.2 == "cannot-tell");
                    if !shown_missing {
                        bad.push(format!("missing: {id} is not shown as cannot tell"));
                    }
                }
            }
            (Value::Array(items), "provisional") => {
                if !items.is_empty() && shown.warnings.is_empty() {
                    bad.push("provisional dates but no warning shown".into());
                }
            }
            (Value::Array(items), "open" | "excluded" | "problems") => {
                if rows.len() != items.len() {
                    bad.push(format!(
                        "{k}: {} rows shown, {} expected",
                        rows.len(),
                        items.len()
                    ));
                }
                if k == "excluded" {
                    for (r, item) in rows.iter().zip(items) {
                        if Some(r.2.as_str()) != item["status"].as_str() {
                            bad.push(format!("excluded: {r:?} is not {}", item["status"]));
                        }
                    }
                }
            }
            (Value::Array(items), _) => {
                // A list result shown one line per item (tranches, yearly dues).
                if rows.len() != items.len() {
                    bad.push(format!(
                        "{k}: {} rows shown, {} expected: {rows:?}",
                        rows.len(),
                        items.len()
                    ));
                }
                for (i, item) in items.iter().enumerate() {
                    let Some(r) = rows.iter().find(|r| r.1 == i + 1) else {
                        bad.push(format!("{k}: no row {}", i + 1));
                        continue;
                    };
                    if let Some(a) = item.get("amount").and_then(Value::as_str) {
                        if !r.4.contains(&grouped(a)) {
                            bad.push(format!("{k} {}: {} lacks {}", i + 1, r.4, grouped(a)));
                        }
                    }
                    for d in ["payable_on", "due"] {
                        if let Some(d) = item.get(d).and_then(Value::as_str) {
                            if !r.4.starts_with(d)
                                && !r.4.contains(&format!(", {d}"))
                                && !r.4.contains(&format!("，{d}"))
                            {
                                bad.push(format!("{k} {}: {} lacks the date {d}", i + 1, r.4));
                            }
                        }
                    }
                    if let Some(l) = item.get("latest_art_203").and_then(Value::as_str) {
                        if !r.4.contains(l) {
                            bad.push(format!("{k} {}: {} lacks the latest day {l}", i + 1, r.4));
                        }
                    }
                    if let Some(st) = item.get("status").and_then(Value::as_str) {
                        if r.2 != st {
                            bad.push(format!("{k} {}: status {} is not {st}", i + 1, r.2));
                        }
                    }
                }
            }
            _ if rows.is_empty() => bad.push(format!("{k} = {want} is not shown")),
            (Value::Bool(_) | Value::Null, _) => {
                if !rows.iter().any(|r| status_ok(&r.2, &want)) {
                    bad.push(format!("{k}: {rows:?} does not say {want}"));
                }
            }
            (Value::String(s), _) if is_amount(s) => {
                if !rows.iter().any(|r| r.4.contains(&grouped(s))) {
                    bad.push(format!("{k}: {rows:?} does not show {}", grouped(s)));
                }
            }
            (Value::String(s), _) if is_date(s) => {
                if !rows.iter().any(|r| r.4.starts_with(s.as_str())) {
                    bad.push(format!("{k}: {rows:?} does not show {s}"));
                }
            }
            (Value::Number(n), _) => {
                let n = n.to_string();
                if !rows
                    .iter()
                    .any(|r| r.4.split(|c: char| !c.is_ascii_digit()).any(|w| w == n))
                {
                    bad.push(format!("{k}: {rows:?} does not show {n}"));
                }
            }
            _ => {
                let s = want.as_str().unwrap_or_default();
                if !rows.iter().any(|r| r.4.contains(s)) {
                    bad.push(format!("{k}: {rows:?} does not show {s}"));
                }
            }
        }
    }
    for k in &case.absent {
        if !rows_of(k).is_empty() {
            bad.push(format!("{k} is shown but must be absent"));
        }
    }
    if let Some(n) = case.warnings {
        if shown.warnings.len() != n {
            bad.push(format!(
                "{} warnings shown, {n} expected: {:?}",
                shown.warnings.len(),
                shown.warnings
            ));
        }
    }
    if en {
        for w in &case.warnings_contain {
            if !shown.warnings.iter().any(|x| x.contains(w.as_str())) {
                bad.push(format!("no warning shown with {w:?}: {:?}", shown.warnings));
            }
        }
        for w in &case.notes_contain {
            if !shown.notes.iter().any(|x| x.contains(w.as_str())) {
                bad.push(format!("no note shown with {w:?}: {:?}", shown.notes));
            }
        }
    }
    bad
}

/// Words that must not appear in what a person reads: internal names of the calculator
/// (input and result names, fact ids, rule ids), array indices, paths, and the other
/// language's outcome words.
pub fn internals_in(shown: &Shown, names: &[String], en: bool) -> Vec<String> {
    let mut texts: Vec<&str> = Vec::new();
    for r in &shown.rows {
        texts.extend([r.3.as_str(), r.4.as_str(), r.5.as_str()]);
    }
    texts.extend(shown.warnings.iter().map(String::as_str));
    texts.extend(shown.notes.iter().map(String::as_str));
    texts.extend(shown.trace.iter().map(String::as_str));
    texts.extend(shown.errors.iter().map(String::as_str));
    let other: &[&str] = if en {
        &[
            "符合",
            "不符合",
            "无法判断",
            "可拨付",
            "不予拨付",
            "待评估",
            "不予支持",
        ]
    } else {
        &[
            " met",
            "not met",
            "cannot tell",
            "payable",
            "withheld",
            "pending",
            "excluded",
            "yuan",
        ]
    };
    let mut bad = Vec::new();
    for t in texts {
        let lower = t.to_lowercase();
        for n in names {
            // A name is internal when it is an identifier (has _ or -), e.g. `provincial_funding`,
            // `kunming-funding-three-types`, `civil-code-203`.
            if (n.contains('_') || n.contains('-')) && t.contains(n.as_str()) {
                bad.push(format!("{n:?} in {t:?}"));
            }
        }
        if t.contains("[0]") || t.contains("[1]") || t.contains("content/") || t.contains(".toml") {
            bad.push(format!("an index or a path in {t:?}"));
        }
        for w in other {
            if lower.contains(w) {
                bad.push(format!("the other language's {w:?} in {t:?}"));
            }
        }
    }
    bad
}

/// Every hand-worked case typed into the form of its page as a person does (choices, rows,
/// typing, the button), in `edition` (the page URL for a calculator id), and the shown results
/// compared with the case's expected values; and nothing internal in what is shown.
pub fn form_cases(chromium: &Chromium, url: &dyn Fn(&str) -> String, en: bool) {
    let calcs = atlas_tests::native_calculators();
    let mut failures = Vec::new();
    let mut typed = 0;
    for case in atlas_tests::calculator_cases() {
        let t = chromium.open(&url(&case.calculator));
        t.wait_for(
            "typeof AtlasCalc !== 'undefined' && document.querySelector('form.calculator')",
            "calculator form",
        );
        let label = format!("{} / {}", case.calculator, case.name);
        match type_case(&t, &case.input) {
            Typed::NotExpressible(why) => {
                // Only input a measure refuses may be impossible to enter.
                if case.error_field.is_none() {
                    failures.push(format!(
                        "{label}: the form cannot say this valid input: {why}"
                    ));
                }
            }
            Typed::Shown(shown) => {
                typed += 1;
                for b in compare(&shown, &case, en) {
                    failures.push(format!("{label}: {b}"));
                }
                let mut names: Vec<String> = case
                    .input
                    .as_object()
                    .map(|o| o.keys().cloned().collect())
                    .unwrap_or_default();
                names.push(case.calculator.clone());
                if let serde_json::Value::Object(o) =
                    atlas_tests::native_answer(&calcs, &case.calculator, &case.input)
                {
                    if let Some(out) = o.get("ok") {
                        names.extend(
                            out["results"]
                                .as_object()
                                .into_iter()
                                .flat_map(|r| r.keys().cloned()),
                        );
                        for s in out["trace"].as_array().into_iter().flatten() {
                            names.extend(s["rule"].as_str().map(String::from));
                            names.extend(s["citation"]["fact"].as_str().map(String::from));
                        }
                        for l in out["lines"].as_array().into_iter().flatten() {
                            names.extend(l["citation"]["fact"].as_str().map(String::from));
                        }
                    }
                }
                for b in internals_in(&shown, &names, en) {
                    failures.push(format!("{label}: {b}"));
                }
            }
        }
        assert!(t.log().errors.is_empty(), "{label}: {:?}", t.log().errors);
        assert!(
            t.non_file_requests().is_empty(),
            "{:?}",
            t.non_file_requests()
        );
        t.close();
    }
    assert!(typed >= 60, "only {typed} cases typed");
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
