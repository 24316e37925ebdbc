//! `data/atlas.json`: measures, their units and facts, topics and relations; and
//! `data/atlas.schema.json`, the JSON Schema of that file, generated from these types.

use schemars::JsonSchema;
use serde::Serialize;
use std::sync::Arc;

use crate::model::marked::Marked;
use crate::model::{Measure, Site};

/// The dataset.
#[derive(Serialize, JsonSchema)]
pub(crate) struct Dataset<'a> {
    /// Format version of this file.
    pub version: u32,
    /// Status date.
    pub as_of: &'a str,
    /// Measures.
    // Each one becomes its `MeasureOut` only while it is written, so that the whole dataset
    // is never held in memory beside the model.
    #[serde(serialize_with = "each_measure")]
    #[schemars(with = "Vec<MeasureOut<'static>>")]
    pub measures: &'a [Arc<Measure>],
    /// Topic groups and topics.
    pub groups: Vec<GroupOut<'a>>,
    /// Relations between measures.
    pub relations: Vec<RelationOut<'a>>,
}

/// A measure.
#[derive(Serialize, JsonSchema)]
pub(crate) struct MeasureOut<'a> {
    /// Stable id.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// English title.
    pub title_en: &'a str,
    /// 办法 or 通知.
    pub kind: &'a str,
    /// national / ministerial / provincial / municipal.
    pub level: &'a str,
    /// Issuer.
    pub issuer: &'a str,
    /// 文号.
    pub doc_number: Option<&'a str>,
    /// Issue date.
    pub issued: &'a str,
    /// First day in force.
    pub effective: &'a str,
    /// Status code on `as_of`.
    pub status: &'a str,
    /// Page, relative to the site root.
    pub url: String,
    /// Source copy file name and SHA-256.
    pub source: (&'a str, &'a str),
    /// Articles or sections, with their clauses and items.
    pub units: Vec<UnitOut<'a>>,
    /// Facts.
    pub facts: Vec<FactOut<'a>>,
}

/// An addressable unit with its verbatim text.
#[derive(Serialize, JsonSchema)]
pub(crate) struct UnitOut<'a> {
    /// Anchor on the measure page.
    pub anchor: &'a str,
    /// Citation words (the measure's citation prefix and the unit's own).
    pub citation: String,
    /// Verbatim text (without label).
    pub text: &'a str,
}

/// A fact.
#[derive(Serialize, JsonSchema)]
pub(crate) struct FactOut<'a> {
    /// Fact id.
    pub id: &'a str,
    /// Topic id.
    pub topic: &'a str,
    /// Fact type.
    #[serde(rename = "type")]
    pub kind: &'a str,
    /// hard / soft.
    pub force: &'a str,
    /// Label.
    pub label: &'a str,
    /// English label.
    pub label_en: &'a str,
    /// Short value.
    pub value: &'a str,
    /// Anchor cited.
    pub cite: &'a str,
    /// Citation words.
    pub citation: &'a str,
    /// Exact words.
    pub quote: &'a str,
    /// Typed value.
    #[schemars(with = "serde_json::Value")]
    pub data: JsonText<'a>,
}

/// JSON text written as the value it holds (so that it is pretty-printed with the rest).
pub(crate) struct JsonText<'a>(pub &'a str);

impl Serialize for JsonText<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let value: serde_json::Value =
            serde_json::from_str(self.0).map_err(serde::ser::Error::custom)?;
        value.serialize(s)
    }
}

/// A topic group.
#[derive(Serialize, JsonSchema)]
pub(crate) struct GroupOut<'a> {
    /// Id.
    pub id: &'a str,
    /// Chinese name.
    pub zh: &'a str,
    /// English name.
    pub en: &'a str,
    /// Topics.
    pub topics: Vec<TopicOut<'a>>,
}

/// A topic and the state of each measure on it.
#[derive(Serialize, JsonSchema)]
pub(crate) struct TopicOut<'a> {
    /// Id.
    pub id: &'a str,
    /// Chinese name.
    pub zh: &'a str,
    /// English name.
    pub en: &'a str,
    /// measure id → facts / silent / unreviewed.
    pub states: std::collections::BTreeMap<&'a str, &'a str>,
}

/// A relation.
#[derive(Serialize, JsonSchema)]
pub(crate) struct RelationOut<'a> {
    /// Citing measure.
    pub from: &'a str,
    /// Anchor in it.
    pub cite: &'a str,
    /// Kind.
    pub kind: &'a str,
    /// Target in words.
    pub target: &'a str,
    /// Target measure, when in the collection.
    pub to: Option<&'a str>,
}

/// Builds the dataset from the model, borrowing its text.
pub(crate) fn dataset(site: &Site) -> Dataset<'_> {
    let groups = site
        .groups
        .iter()
        .map(|g| GroupOut {
            id: &g.id,
            zh: &g.zh,
            en: &g.en,
            topics: g
                .topics
                .iter()
                .map(|t| TopicOut {
                    id: &t.id,
                    zh: &t.zh,
                    en: &t.en,
                    states: t
                        .cells
                        .iter()
                        .map(|c| (c.measure.as_str(), c.state))
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let relations = site
        .relations
        .iter()
        .map(|r| RelationOut {
            from: &r.from,
            cite: &r.cite,
            kind: r.kind.code(),
            target: &r.target,
            to: r.to.as_deref(),
        })
        .collect();
    Dataset {
        version: 1,
        as_of: &site.as_of,
        measures: &site.measures,
        groups,
        relations,
    }
}

fn each_measure<S: serde::Serializer>(measures: &&[Arc<Measure>], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(measures.iter().map(|m| measure_out(m)))
}

/// One measure of the dataset.
pub(crate) fn measure_out<'a>(m: &'a Measure) -> MeasureOut<'a> {
    let unit = |anchor, tail: &str, text: &'a Marked| UnitOut {
        anchor,
        citation: [m.citation_prefix.as_str(), tail].concat(),
        text: &text.text,
    };
    let mut units = Vec::new();
    for ch in &m.chapters {
        for a in &ch.articles {
            for p in &a.paras {
                units.push(unit(&p.anchor, &p.cite_tail, &p.text));
                for c in &p.clauses {
                    units.push(unit(&c.anchor, &c.cite_tail, &c.text));
                    units.extend(
                        c.items
                            .iter()
                            .map(|i| unit(&i.anchor, &i.cite_tail, &i.text)),
                    );
                }
                units.extend(
                    p.items
                        .iter()
                        .map(|i| unit(&i.anchor, &i.cite_tail, &i.text)),
                );
            }
        }
    }
    MeasureOut {
        id: &m.id,
        title: &m.title,
        title_en: &m.title_en,
        kind: m.kind.code(),
        level: m.level.code(),
        issuer: &m.issuer,
        doc_number: m.doc_number.as_deref(),
        issued: &m.issued,
        effective: &m.effective.date,
        status: m.status.code(),
        url: format!("measures/{}.html", m.id),
        source: (&m.source.file, &m.source.sha256),
        units,
        facts: m
            .facts
            .iter()
            .map(|f| FactOut {
                id: &f.id,
                topic: &f.topic,
                kind: f.kind.code(),
                force: f.force.code(),
                label: &f.label,
                label_en: &f.label_en,
                value: &f.value,
                cite: &f.cite,
                citation: &f.cite_label,
                quote: &f.quote,
                data: JsonText(&f.data),
            })
            .collect(),
    }
}

/// Writes the dataset to `w`, pretty-printed.
pub(crate) fn write_dataset(site: &Site, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(w, &dataset(site)).map_err(std::io::Error::from)
}

/// The dataset's JSON Schema, pretty-printed.
pub(crate) fn schema() -> Vec<u8> {
    serde_json::to_vec_pretty(&schemars::schema_for!(Dataset)).unwrap_or_default()
}
