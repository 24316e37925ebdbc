//! `data/atlas.json`: measures, their units and facts, topics and relations; and
//! `data/atlas.schema.json`, the JSON Schema of that file, generated from these types.

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::Site;

/// The dataset.
#[derive(Serialize, JsonSchema)]
pub struct Dataset {
    /// Format version of this file.
    pub version: u32,
    /// Status date.
    pub as_of: String,
    /// Measures.
    pub measures: Vec<MeasureOut>,
    /// Topic groups and topics.
    pub groups: Vec<GroupOut>,
    /// Relations between measures.
    pub relations: Vec<RelationOut>,
}

/// A measure.
#[derive(Serialize, JsonSchema)]
pub struct MeasureOut {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// English title.
    pub title_en: String,
    /// 办法 or 通知.
    pub kind: String,
    /// national / ministerial / provincial / municipal.
    pub level: String,
    /// Issuer.
    pub issuer: String,
    /// 文号.
    pub doc_number: Option<String>,
    /// Issue date.
    pub issued: String,
    /// First day in force.
    pub effective: String,
    /// Status code on `as_of`.
    pub status: String,
    /// Page, relative to the site root.
    pub url: String,
    /// Source copy file name and SHA-256.
    pub source: (String, String),
    /// Articles or sections, with their clauses and items.
    pub units: Vec<UnitOut>,
    /// Facts.
    pub facts: Vec<FactOut>,
}

/// An addressable unit with its verbatim text.
#[derive(Serialize, JsonSchema)]
pub struct UnitOut {
    /// Anchor on the measure page.
    pub anchor: String,
    /// Citation words.
    pub citation: String,
    /// Verbatim text (without label).
    pub text: String,
}

/// A fact.
#[derive(Serialize, JsonSchema)]
pub struct FactOut {
    /// Fact id.
    pub id: String,
    /// Topic id.
    pub topic: String,
    /// Fact type.
    #[serde(rename = "type")]
    pub kind: String,
    /// hard / soft.
    pub force: String,
    /// Label.
    pub label: String,
    /// English label.
    pub label_en: String,
    /// Short value.
    pub value: String,
    /// Anchor cited.
    pub cite: String,
    /// Citation words.
    pub citation: String,
    /// Exact words.
    pub quote: String,
    /// Typed value.
    pub data: serde_json::Value,
}

/// A topic group.
#[derive(Serialize, JsonSchema)]
pub struct GroupOut {
    /// Id.
    pub id: String,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
    /// Topics.
    pub topics: Vec<TopicOut>,
}

/// A topic and the state of each measure on it.
#[derive(Serialize, JsonSchema)]
pub struct TopicOut {
    /// Id.
    pub id: String,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
    /// measure id → facts / silent / unreviewed.
    pub states: std::collections::BTreeMap<String, String>,
}

/// A relation.
#[derive(Serialize, JsonSchema)]
pub struct RelationOut {
    /// Citing measure.
    pub from: String,
    /// Anchor in it.
    pub cite: String,
    /// Kind.
    pub kind: String,
    /// Target in words.
    pub target: String,
    /// Target measure, when in the collection.
    pub to: Option<String>,
}

/// Builds the dataset from the model.
pub fn dataset(site: &Site) -> Dataset {
    let measures = site
        .measures
        .iter()
        .map(|m| {
            let mut units = Vec::new();
            for ch in &m.chapters {
                for a in &ch.articles {
                    for p in &a.paras {
                        units.push(UnitOut {
                            anchor: p.anchor.clone(),
                            citation: p.citation.clone(),
                            text: strip_tags(&p.html),
                        });
                        for c in &p.clauses {
                            units.push(UnitOut {
                                anchor: c.anchor.clone(),
                                citation: c.citation.clone(),
                                text: strip_tags(&c.html),
                            });
                            units.extend(c.items.iter().map(|i| UnitOut {
                                anchor: i.anchor.clone(),
                                citation: i.citation.clone(),
                                text: strip_tags(&i.html),
                            }));
                        }
                        units.extend(p.items.iter().map(|i| UnitOut {
                            anchor: i.anchor.clone(),
                            citation: i.citation.clone(),
                            text: strip_tags(&i.html),
                        }));
                    }
                }
            }
            MeasureOut {
                id: m.id.clone(),
                title: m.title.clone(),
                title_en: m.title_en.clone(),
                kind: m.kind.clone(),
                level: m.level.clone(),
                issuer: m.issuer.clone(),
                doc_number: m.doc_number.clone(),
                issued: m.issued.clone(),
                effective: m.effective.date.clone(),
                status: m.status.code.clone(),
                url: format!("measures/{}.html", m.id),
                source: (m.source.file.clone(), m.source.sha256.clone()),
                units,
                facts: m
                    .facts
                    .iter()
                    .map(|f| FactOut {
                        id: f.id.clone(),
                        topic: f.topic.clone(),
                        kind: f.kind.clone(),
                        force: f.force.clone(),
                        label: f.label.clone(),
                        label_en: f.label_en.clone(),
                        value: f.value.clone(),
                        cite: f.cite.clone(),
                        citation: f.cite_label.clone(),
                        quote: f.quote.clone(),
                        data: f.data.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    let groups = site
        .groups
        .iter()
        .map(|g| GroupOut {
            id: g.id.clone(),
            zh: g.zh.clone(),
            en: g.en.clone(),
            topics: g
                .topics
                .iter()
                .map(|t| TopicOut {
                    id: t.id.clone(),
                    zh: t.zh.clone(),
                    en: t.en.clone(),
                    states: t
                        .cells
                        .iter()
                        .map(|c| (c.measure.clone(), c.state.clone()))
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let relations = site
        .relations
        .iter()
        .map(|r| RelationOut {
            from: r.from.clone(),
            cite: r.cite.clone(),
            kind: r.kind.clone(),
            target: r.target.clone(),
            to: r.to.clone(),
        })
        .collect();
    Dataset {
        version: 1,
        as_of: site.as_of.clone(),
        measures,
        groups,
        relations,
    }
}

/// Text of rendered unit HTML (our own markup: tags and the five entities).
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("（未收录）", "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The dataset and its schema, pretty-printed.
pub fn files(site: &Site) -> (Vec<u8>, Vec<u8>) {
    let data = serde_json::to_vec_pretty(&dataset(site)).unwrap_or_default();
    let schema = serde_json::to_vec_pretty(&schemars::schema_for!(Dataset)).unwrap_or_default();
    (data, schema)
}
