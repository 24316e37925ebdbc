//! Machine-readable legal metadata on each measure page: schema.org `Legislation` in JSON-LD,
//! so that a search engine or another register can tell that the page is a piece of
//! legislation, its identifier (文号), its dates, its legal force on the status date, who
//! passed it, what it repeals, and where each article is. Only what the content states is
//! written: a property the measure does not give is left out, never guessed.

use serde_json::{json, Map, Value};

use crate::model::measure::{Measure, Status};

/// schema.org's `LegalForceStatus` for a status on the status date; `None` where the status
/// says nothing of legal force (a call whose time to apply has closed is neither repealed nor
/// expired, and the text says nothing more).
pub fn legal_force(status: Status) -> Option<&'static str> {
    match status {
        Status::InForce | Status::OpenCall => Some("https://schema.org/InForce"),
        Status::NotYet | Status::Repealed | Status::Expired => {
            Some("https://schema.org/NotInForce")
        }
        Status::ExpiredCall => None,
    }
}

/// The JSON-LD of measure `m`, for a page `depth` folders below the site root (the source
/// copy is linked relative to it). Safe to place inside `<script>`: `<`, `>` and `&` are
/// written as JSON escapes.
pub fn legislation(m: &Measure, depth: usize) -> String {
    let mut o = Map::new();
    o.insert("@context".into(), json!("https://schema.org"));
    o.insert("@type".into(), json!("Legislation"));
    o.insert("@id".into(), json!(format!("{}.html", m.id)));
    o.insert("name".into(), json!(m.title));
    o.insert("alternateName".into(), json!(m.title_en));
    if let Some(n) = &m.doc_number {
        o.insert("legislationIdentifier".into(), json!(n));
    }
    o.insert("legislationType".into(), json!(m.kind.code()));
    o.insert("legislationDate".into(), json!(m.issued));
    if !m.effective.date.is_empty() {
        o.insert(
            "legislationDateOfApplicability".into(),
            json!(m.effective.date),
        );
    }
    if let Some(v) = &m.validity {
        // schema.org's `expires`: the first day the measure is no longer in force.
        o.insert("expires".into(), json!(v.expires));
    }
    if let Some(force) = legal_force(m.status) {
        o.insert("legislationLegalForce".into(), json!(force));
    }
    o.insert(
        "legislationJurisdiction".into(),
        json!(match &m.within {
            Some(w) => format!("{w}{}", m.jurisdiction),
            None => m.jurisdiction.clone(),
        }),
    );
    o.insert(
        "legislationPassedBy".into(),
        json!({"@type": "GovernmentOrganization", "name": m.issuer}),
    );
    o.insert("inLanguage".into(), json!("zh-Hans"));
    if !m.repeals.is_empty() {
        let repeals: Vec<Value> = m
            .repeals
            .iter()
            .map(|r| {
                let mut one = Map::new();
                one.insert("@type".into(), json!("Legislation"));
                if let Some(id) = &r.measure {
                    one.insert("@id".into(), json!(format!("{id}.html")));
                }
                one.insert("name".into(), json!(r.title));
                if let Some(n) = &r.doc_number {
                    one.insert("legislationIdentifier".into(), json!(n));
                }
                Value::Object(one)
            })
            .collect();
        o.insert("legislationRepeals".into(), Value::Array(repeals));
    }
    o.insert(
        "isBasedOn".into(),
        json!({
            "@type": "MediaObject",
            "contentUrl": format!("{}sources/{}", "../".repeat(depth), m.source.file),
            "encodingFormat": "text/plain",
            "sha256": m.source.sha256,
        }),
    );
    let parts: Vec<Value> = m
        .chapters
        .iter()
        .flat_map(|c| &c.articles)
        .map(|a| {
            json!({
                "@type": "Legislation",
                "@id": format!("{}.html#{}", m.id, a.anchor),
                "name": match &a.heading {
                    Some(h) => format!("{} {h}", a.label),
                    None => a.label.clone(),
                },
            })
        })
        .collect();
    if !parts.is_empty() {
        o.insert("hasPart".into(), Value::Array(parts));
    }
    let text = serde_json::to_string(&Value::Object(o)).unwrap_or_default();
    // Inside <script> only `</script` (and `<!--`) could end the element early.
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Repealed and expired measures are no longer in force; a closed call says nothing.
    #[test]
    fn legal_force_follows_the_status() {
        assert_eq!(
            legal_force(Status::Repealed),
            Some("https://schema.org/NotInForce")
        );
        assert_eq!(
            legal_force(Status::Expired),
            Some("https://schema.org/NotInForce")
        );
        assert_eq!(
            legal_force(Status::InForce),
            Some("https://schema.org/InForce")
        );
        assert_eq!(legal_force(Status::ExpiredCall), None);
    }
}
