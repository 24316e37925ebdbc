//! The engine is driven by the facts: change a number in the facts and the result follows
//! (content definitions run on the fixture's deliberately different facts).
//! Also: the JSON surface the browser uses, and refusals of hostile inputs.

mod common;

use calculator_wasm::{run, run_json, Bundle};
use serde_json::Value;

fn result(out: &calculator_wasm::Output, k: &str) -> Value {
    out.results.get(k).cloned().unwrap_or(Value::Null)
}

#[test]
fn changing_a_fact_changes_the_result() {
    let content = common::content();
    let cal = common::calendar();
    let def = common::def(&content, "kunming-disbursement");
    let input = r#"{"base_type":"rd-center","recognized_on":"2023-03-15","evaluations":["pass"]}"#;
    let before = run(def, &common::facts(&content), &cal, input).expect("runs");
    assert_eq!(result(&before, "total"), "1000000.00");
    assert_eq!(result(&before, "paid_total"), "250000.00");

    // The fixture replaces kunming-funding-three-types (150万), kunming-schedule-three-types
    // (40% / 60%) and yunnan-bonus-excellent (1/4); the definitions are the content's.
    let facts = common::overridden(&common::engine_facts(&content), &common::fixture().facts);
    let changed = common::table_of(&content, &facts);
    let after = run(def, &changed, &cal, input).expect("runs");
    // 150万: 40% = 600000 payable, 60% = 900000 pending.
    assert_eq!(result(&after, "total"), "1500000.00");
    assert_eq!(result(&after, "paid_total"), "600000.00");
    assert_eq!(result(&after, "pending_total"), "900000.00");

    let bonus = common::def(&content, "yunnan-post-evaluation-bonus");
    let input = r#"{"provincial_funding":"2500000","grade":"excellent"}"#;
    let out = run(bonus, &common::facts(&content), &cal, input).expect("runs");
    assert_eq!(result(&out, "bonus"), "833333.33");
    let out = run(bonus, &changed, &cal, input).expect("runs");
    assert_eq!(result(&out, "bonus"), "625000.00");

    // A number changed in memory follows too: 不大于参评总数的10% → 20% allows 5 of 25, not 2.
    let mut facts = facts;
    let cap = facts
        .iter_mut()
        .find(|f| f.id == "yunnan-excellent-cap")
        .expect("fact");
    cap.value = Some(calculator_wasm::facts::Num(rust_decimal::Decimal::from(20)));
    let out = run(
        bonus,
        &common::table_of(&content, &facts),
        &cal,
        r#"{"provincial_funding":"100","grade":"good","evaluated_count":25}"#,
    )
    .expect("runs");
    assert_eq!(result(&out, "max_excellent"), 5);
}

#[test]
fn run_json_answers_ok_or_error() {
    let content = common::content();
    let cal = common::calendar_data();
    let def = common::def(&content, "yunnan-enterprise-match");
    let bundle = serde_json::to_string(&Bundle::new(def, &content.facts, &cal)).expect("bundle");
    let ok: Value =
        serde_json::from_str(&run_json(&bundle, r#"{"self_raised":"1000000"}"#)).expect("json");
    assert_eq!(ok["ok"]["results"]["max_provincial_funding"], "333333.33");
    assert_eq!(ok["ok"]["lines"][0]["exact"], "1000000 × 1/3 = 333333.333…");
    let err: Value =
        serde_json::from_str(&run_json(&bundle, r#"{"self_raised":"1e9"}"#)).expect("json");
    assert_eq!(err["error"]["field"], "self_raised");
    let err: Value = serde_json::from_str(&run_json("{", "{}")).expect("json");
    assert_eq!(err["error"]["field"], "bundle");
    let err: Value = serde_json::from_str(&run_json(&bundle, "[1,2]")).expect("json");
    assert_eq!(err["error"]["field"], "input");
    // The bundle carries only the facts the definition binds.
    let b: Bundle = serde_json::from_str(&bundle).expect("bundle");
    assert_eq!(b.facts.len(), 2);
}

#[test]
fn hostile_inputs_are_refused_with_the_field() {
    let content = common::content();
    let facts = common::facts(&content);
    let cal = common::calendar();
    let def = common::def(&content, "zhejiang-committee");
    let many = format!(r#"{{"members":[{}]}}"#, vec!["{}"; 5000].join(","));
    assert_eq!(
        run(def, &facts, &cal, &many).map(|_| ()).unwrap_err().field,
        "members"
    );
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_eq!(
        run(def, &facts, &cal, &deep).map(|_| ()).unwrap_err().field,
        "input"
    );
    let big_age = r#"{"members":[{"age":"1000000000000000000000000000000"}]}"#;
    assert_eq!(
        run(def, &facts, &cal, big_age)
            .map(|_| ())
            .unwrap_err()
            .field,
        "members[0].age"
    );
    let t = common::def(&content, "yunnan-timeline");
    for bad in [
        "9999-01-01",
        "2026-2-30",
        "2026-00-10",
        "tomorrow",
        "2026-01-01T00:00",
    ] {
        let input = format!(r#"{{"start":"{bad}","provincial_funding":"1"}}"#);
        assert_eq!(
            run(t, &facts, &cal, &input).map(|_| ()).unwrap_err().field,
            "start",
            "{bad}"
        );
    }
}
