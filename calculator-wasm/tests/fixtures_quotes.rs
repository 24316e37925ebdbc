//! The content the calculators run on: every bound fact is readable by the engine and quoted
//! verbatim from its source, every definition binds existing facts and sits in the right file,
//! the public calculator ids are all there, and definitions round-trip through JSON.

mod common;

use std::collections::BTreeSet;

use calculator_wasm::check_def;

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn source(content: &common::Content, measure: &str) -> String {
    let file = content
        .sources
        .get(measure)
        .unwrap_or_else(|| panic!("unknown measure {measure}"));
    squash(&common::read(
        &common::content_dir().join("sources").join(file),
    ))
}

/// The ids (and so the pages and bundles) other code relies on.
const PUBLIC_IDS: &[&str] = &[
    "kunming-disbursement",
    "kunming-eligibility",
    "kunming-publicity",
    "moe-eligibility",
    "national-eligibility",
    "non-duplication",
    "yunnan-eligibility",
    "yunnan-enterprise-match",
    "yunnan-post-evaluation-bonus",
    "yunnan-timeline",
    "zhejiang-committee",
    "zhejiang-eligibility",
    "zhejiang-timeline",
];

#[test]
fn quotes_are_verbatim() {
    let content = common::content();
    let bound = common::bound_ids(&content);
    let fixture = common::fixture();
    let mut bad = Vec::new();
    let used = content.facts.iter().filter(|f| bound.contains(&f.id));
    for f in used.chain(fixture.facts.iter()) {
        if f.quote.trim().is_empty() || !source(&content, &f.measure).contains(&squash(&f.quote)) {
            bad.push(format!("{}: {:?}", f.id, f.quote));
        }
    }
    assert!(
        bad.is_empty(),
        "quotes not found in sources:\n{}",
        bad.join("\n")
    );
}

#[test]
fn bound_facts_are_readable_by_the_engine() {
    let content = common::content();
    let bad: Vec<String> = common::bound_ids(&content)
        .into_iter()
        .filter_map(|id| {
            content
                .unreadable
                .get(&id)
                .map(|why| format!("{id}: {why}"))
        })
        .collect();
    assert!(
        bad.is_empty(),
        "bound facts the engine cannot read:\n{}",
        bad.join("\n")
    );
    // Type-checks every bound content fact (FactTable::new refuses a malformed one). The status
    // facts a definition may read (<measure>:call-closes, :expires, …) are made by the generator
    // from the measure's header, not written as facts, so they are not counted here.
    let written: std::collections::BTreeSet<&str> =
        content.facts.iter().map(|f| f.id.as_str()).collect();
    let bound = common::bound_ids(&content);
    assert_eq!(
        common::facts(&content).len(),
        bound
            .iter()
            .filter(|id| written.contains(id.as_str()))
            .count()
    );
}

#[test]
fn definitions_bind_existing_facts() {
    let content = common::content();
    let facts = common::facts(&content);
    for def in &content.calculators {
        check_def(def, &facts).unwrap_or_else(|e| panic!("{}: {e}", def.id));
    }
}

#[test]
fn definitions_are_where_they_belong() {
    let content = common::content();
    let mut seen = BTreeSet::new();
    for p in &content.placed {
        assert!(
            seen.insert(p.def.id.as_str()),
            "duplicate calculator {}",
            p.def.id
        );
        match &p.file_measure {
            // A measure file holds that measure's calculators, bound to its own facts.
            Some(m) => {
                assert_eq!(&p.def.measure, m, "{} in {}", p.def.id, p.file);
                for id in calculator_wasm::fact_ids(&p.def) {
                    let f = content
                        .facts
                        .iter()
                        .find(|f| f.id == id)
                        .unwrap_or_else(|| panic!("{}: no fact {id}", p.def.id));
                    assert_eq!(&f.measure, m, "{} binds {id} of another measure", p.def.id);
                }
            }
            None => assert_eq!(p.def.measure, "*", "{} in {}", p.def.id, p.file),
        }
    }
    let ids: BTreeSet<&str> = content.calculators.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, PUBLIC_IDS.iter().copied().collect::<BTreeSet<_>>());
}

#[test]
fn definitions_and_facts_round_trip_through_json() {
    let content = common::content();
    for def in &content.calculators {
        let json = serde_json::to_string(def).expect("to json");
        let back: calculator_wasm::CalculatorDef = serde_json::from_str(&json).expect("from json");
        assert_eq!(
            serde_json::to_string(&back).expect("again"),
            json,
            "{}",
            def.id
        );
    }
    let json = serde_json::to_string(&content.facts).expect("facts to json");
    let back: Vec<calculator_wasm::Fact> = serde_json::from_str(&json).expect("facts from json");
    assert_eq!(back.len(), content.facts.len());
    let cal = common::calendar_data();
    let json = serde_json::to_string(&cal).expect("calendar to json");
    let back: calculator_wasm::CalendarData =
        serde_json::from_str(&json).expect("calendar from json");
    assert_eq!(back.data_ends, cal.data_ends);
}
