//! Non-duplication: recognitions already held → applications a measure excludes, and why.
//! A hard rule (不再支持) excludes; a soft one (原则上不重复) excludes "in principle" and warns.
//!
//! Option: `held` (enum-list input). Rules: `kind = "excludes"`, `held_any`, `application`.
//! Results: `excluded` [{application, label, label_en, status, because, measure, anchor}],
//! `open` [application ids no rule excludes].

use serde_json::{json, Value};

use crate::def::RuleKind;
use crate::engine::Ctx;
use crate::facts::Force;
use crate::inputs::InputValue;
use crate::output::{InputError, Shown};

/// Runs the exclusion primitive.
pub fn run(ctx: &mut Ctx<'_>) -> Result<(), InputError> {
    let held_name = ctx.option("held")?;
    let held: Vec<String> = match ctx.inputs.get(held_name) {
        Some(InputValue::EnumList(v)) => v.clone(),
        _ => Vec::new(),
    };
    let def = ctx.def;
    let held_def = def.inputs.iter().find(|i| i.name == held_name);
    let mut excluded = Vec::new();
    let mut open: Vec<String> = Vec::new();
    let mut hit: Vec<String> = Vec::new();
    for rule in &def.rules {
        if rule.kind != RuleKind::Excludes {
            return Err(InputError::definition(
                "an exclusion calculator takes only excludes rules",
            ));
        }
        let app = rule
            .application
            .as_deref()
            .ok_or_else(|| InputError::definition("excludes needs `application`"))?;
        let fact = ctx.fact(&rule.fact)?;
        let because: Vec<&String> = held.iter().filter(|h| rule.held_any.contains(h)).collect();
        if because.is_empty() {
            if !open.iter().any(|a| a == app) {
                open.push(app.to_string());
            }
            continue;
        }
        hit.push(app.to_string());
        let soft = fact.citation.force == Force::Soft;
        let status = if soft {
            "excluded-in-principle"
        } else {
            "excluded"
        };
        let sep = crate::w!("list_separator");
        let held_words = |en: bool| -> String {
            because
                .iter()
                .map(|h| {
                    let c = held_def.and_then(|d| d.values.iter().find(|c| &c.id == *h));
                    match (c, en) {
                        (Some(c), false) => crate::w!("quoted", text = c.label).0,
                        (Some(c), true) => crate::w!("quoted", text = c.label_en).1,
                        (None, _) => (*h).clone(),
                    }
                })
                .collect::<Vec<_>>()
                .join(if en { sep.1.as_str() } else { sep.0.as_str() })
        };
        let (st_zh, st_en) = crate::output::status_words(status);
        let (zh, en) = crate::w!(
            "trace_excludes",
            cite = fact.citation.text,
            held = held_words(false),
            rule = rule.label,
            status = st_zh,
            cite_en = fact.citation.text_en,
            held_en = held_words(true),
            rule_en = rule.label_en,
            status_en = st_en
        );
        ctx.trace(app, "excludes", en, zh, Some(&fact.citation));
        excluded.push(json!({
            "application": app,
            "label": rule.label,
            "label_en": rule.label_en,
            "status": status,
            "because": because,
            "measure": fact.citation.measure,
            "anchor": fact.citation.anchor,
        }));
        ctx.line(
            "excluded",
            &rule.label,
            &rule.label_en,
            Shown::status(status),
            Some(&fact.citation),
        );
        if soft {
            let (zh, en) = crate::w!(
                "excluded_in_principle_only",
                rule = rule.label,
                rule_en = rule.label_en
            );
            ctx.warn(zh, en, Some(&fact.citation));
        }
    }
    open.retain(|a| !hit.contains(a));
    for a in &open {
        if let Some(rule) = def
            .rules
            .iter()
            .find(|r| r.application.as_deref() == Some(a))
        {
            let citation = ctx.fact(&rule.fact)?.citation.clone();
            ctx.line(
                "open",
                &rule.label,
                &rule.label_en,
                Shown::status("open"),
                Some(&citation),
            );
        }
    }
    ctx.result("excluded", Value::Array(excluded));
    ctx.result(
        "open",
        Value::Array(open.into_iter().map(Value::String).collect()),
    );
    Ok(())
}
