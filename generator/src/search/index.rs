//! The inverted index and its serialisation as classic scripts.
//!
//! # Files (under `assets/search/`)
//!
//! Every file is a classic script calling `AtlasSearch.load(name, data)`; `search.js` injects
//! them with `<script src>` when a search needs them (never `fetch`, which `file://` forbids).
//!
//! - `meta.js` — `name = "meta"`: format version, number of token shards, the first document
//!   of each document chunk, the measures (id, titles, level), the levels, the topics, the
//!   document kinds, and three columns over all documents: `m` measure index (−1 for none),
//!   `k` kind index, `n` token count. Filters and ranking need nothing else before a search.
//! - `t-<s>.js` — `name = "t<s>"`: the keys whose [`hash`] modulo the shard count is `s`:
//!   `{"t": {token: postings}, "c": {han_char: doc_counts}}`. Token postings are one flat
//!   array of groups `doc_delta, count, pos_delta × count` (document numbers increasing, the
//!   first delta from 0; positions increasing, the first delta from 0). Character entries are
//!   flat pairs `doc_delta, count`.
//! - `d-<c>.js` — `name = "d<c>"`: documents `[href, label, context, text]` from the chunk's
//!   first document on. `text` is exactly the string that was tokenized, so the page can find
//!   the matched spans again with the same tokenizer.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};

use super::tokenizer::{han_chars, hash, tokenize};

/// Size a token shard or a document chunk aims at, in bytes.
pub const TARGET_BYTES: usize = 24 * 1024;

/// One searchable document: an article's paragraph, a clause, an item, a measure's titles, and
/// later a fact or a topic. Every kind becomes a `Doc` in one function and nothing else changes.
#[derive(Debug, Clone, Serialize)]
pub struct Doc {
    /// Kind, one of [`KINDS`].
    pub kind: &'static str,
    /// Index of the measure in `Site::measures`, if the document belongs to one.
    pub measure: Option<usize>,
    /// Link from the site root, e.g. `measures/yunnan-ijl-2025.html#art-19-1`.
    pub href: String,
    /// What the result is called, e.g. `第十九条第（一）项`.
    pub label: String,
    /// A line of context shown under the label (the article heading, the measure title).
    pub context: String,
    /// Plain text: what is tokenized and what snippets are cut from.
    pub text: String,
    /// Topic ids the document belongs to (filters).
    pub topics: Vec<String>,
}

/// Document kinds, in the order their indexes are written.
pub const KINDS: [&str; 7] = [
    "measure", "article", "clause", "item", "fact", "topic", "summary",
];

/// A measure as the search filters and result list need it.
#[derive(Debug, Clone, Serialize)]
pub struct MeasureInfo {
    /// Id.
    pub id: String,
    /// Short title.
    pub short: String,
    /// Full title.
    pub title: String,
    /// Short English title.
    pub en: String,
    /// Level id.
    pub level: String,
}

/// A filter value: id and display name.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    /// Id used in URLs.
    pub id: String,
    /// Chinese name.
    pub zh: String,
}

/// Everything the index is built from.
#[derive(Debug, Default)]
pub struct Corpus {
    /// Measures, in site order.
    pub measures: Vec<MeasureInfo>,
    /// Levels present.
    pub levels: Vec<Choice>,
    /// Topics (empty until the model has them).
    pub topics: Vec<Choice>,
    /// Documents.
    pub docs: Vec<Doc>,
}

/// The serialised index: file name under `assets/search/` → script bytes.
pub type IndexFiles = BTreeMap<String, Vec<u8>>;

fn script(name: &str, data: &Value) -> Vec<u8> {
    // JSON is valid JavaScript except for U+2028/2029 in old engines; escape them anyway.
    let json = data
        .to_string()
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    format!("AtlasSearch.load({},{json});\n", Value::from(name)).into_bytes()
}

/// Appends `[a,b,c…]` with the numbers written directly (no JSON value tree: the postings of a
/// large corpus are millions of numbers).
fn push_array(out: &mut String, nums: impl Iterator<Item = usize>) {
    use std::fmt::Write;
    out.push('[');
    for (i, n) in nums.enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{n}");
    }
    out.push(']');
}

/// Postings of one token: per document, the gap from the previous document, the number of
/// positions and the gaps between positions.
fn flat_tokens(list: &[(usize, Vec<usize>)]) -> String {
    let mut nums = Vec::with_capacity(list.len() * 4);
    let mut prev_doc = 0;
    for (doc, positions) in list {
        nums.push(doc - prev_doc);
        prev_doc = *doc;
        nums.push(positions.len());
        let mut prev = 0;
        for p in positions {
            nums.push(p - prev);
            prev = *p;
        }
    }
    let mut out = String::with_capacity(nums.len() * 3 + 2);
    push_array(&mut out, nums.into_iter());
    out
}

/// Per-character counts: per document, the gap from the previous document and the count.
fn flat_chars(list: &[(usize, usize)]) -> String {
    let mut prev_doc = 0;
    let nums = list.iter().flat_map(|(doc, count)| {
        let gap = doc - prev_doc;
        prev_doc = *doc;
        [gap, *count]
    });
    let mut out = String::with_capacity(list.len() * 6 + 2);
    push_array(&mut out, nums);
    out
}

/// `{"key":value,…}` with the keys in order (as serde_json's sorted map writes them).
fn push_object(out: &mut String, entries: &[(&str, String)]) {
    out.push('{');
    for (i, (k, v)) in entries.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&Value::from(*k).to_string());
        out.push(':');
        out.push_str(v);
    }
    out.push('}');
}

/// Builds the index files for `corpus`.
pub fn build(corpus: &Corpus) -> IndexFiles {
    use std::collections::HashMap;
    // Hash maps while collecting (documents are visited in order, so every list is already
    // sorted by document); keys are sorted once at the end so the output is deterministic.
    let mut tokens: HashMap<String, Vec<(usize, Vec<usize>)>> = HashMap::new();
    let mut chars: HashMap<char, Vec<(usize, usize)>> = HashMap::new();
    let mut lens = Vec::with_capacity(corpus.docs.len());
    for (d, doc) in corpus.docs.iter().enumerate() {
        let toks = tokenize(&doc.text);
        lens.push(toks.len());
        let mut by_token: HashMap<&str, Vec<usize>> = HashMap::new();
        for (pos, t) in toks.iter().enumerate() {
            by_token.entry(t.text.as_str()).or_default().push(pos);
        }
        for (t, positions) in by_token {
            match tokens.get_mut(t) {
                Some(list) => list.push((d, positions)),
                None => {
                    tokens.insert(t.to_string(), vec![(d, positions)]);
                }
            }
        }
        // One pass counts every folded character; looking each one up is then cheap.
        let mut counts: HashMap<char, usize> = HashMap::new();
        for x in doc.text.chars() {
            *counts.entry(super::tokenizer::fold(x)).or_default() += 1;
        }
        for c in han_chars(&doc.text) {
            chars
                .entry(c)
                .or_default()
                .push((d, counts.get(&c).copied().unwrap_or(0)));
        }
    }

    let mut token_json: Vec<(String, String)> = tokens
        .into_iter()
        .map(|(k, v)| {
            let j = flat_tokens(&v);
            (k, j)
        })
        .collect();
    token_json.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut char_json: Vec<(String, String)> = chars
        .into_iter()
        .map(|(k, v)| (k.to_string(), flat_chars(&v)))
        .collect();
    char_json.sort_unstable_by(|a, b| a.0.cmp(&b.0));

    // Shard count: enough shards for each to stay near the target size.
    let total: usize = token_json
        .iter()
        .chain(&char_json)
        .map(|(k, v)| k.len() + 6 + v.len())
        .sum();
    let shards = total.div_ceil(TARGET_BYTES).max(1);
    let mut shard_t: Vec<Vec<(&str, String)>> = vec![Vec::new(); shards];
    let mut shard_c: Vec<Vec<(&str, String)>> = vec![Vec::new(); shards];
    for (k, v) in &token_json {
        shard_t[hash(k) as usize % shards].push((k, v.clone()));
    }
    for (k, v) in &char_json {
        shard_c[hash(k) as usize % shards].push((k, v.clone()));
    }

    let mut files = IndexFiles::new();
    for (s, (t, c)) in shard_t.into_iter().zip(shard_c).enumerate() {
        // {"c":{…},"t":{…}}: the same text serde_json writes for the sorted map.
        let mut body = String::from("{\"c\":");
        push_object(&mut body, &c);
        body.push_str(",\"t\":");
        push_object(&mut body, &t);
        body.push('}');
        let body = body
            .replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029");
        files.insert(
            format!("t-{s}.js"),
            format!(
                "AtlasSearch.load({},{body});\n",
                Value::from(format!("t{s}"))
            )
            .into_bytes(),
        );
    }

    // Document chunks, filled in order up to the target size.
    let mut chunk_starts = Vec::new();
    let mut chunks: Vec<Vec<Value>> = Vec::new();
    let mut current_bytes = 0;
    for (d, doc) in corpus.docs.iter().enumerate() {
        if current_bytes == 0 {
            chunk_starts.push(d);
            chunks.push(Vec::new());
        }
        let row = json!([doc.href, doc.label, doc.context, doc.text]);
        current_bytes += row.to_string().len();
        chunks.last_mut().expect("a chunk was opened").push(row);
        if current_bytes >= TARGET_BYTES {
            current_bytes = 0;
        }
    }
    for (c, rows) in chunks.into_iter().enumerate() {
        files.insert(
            format!("d-{c}.js"),
            script(&format!("d{c}"), &Value::Array(rows)),
        );
    }

    let kind_index = |k: &str| KINDS.iter().position(|x| *x == k).unwrap_or(0);
    let topic_index = |t: &String| corpus.topics.iter().position(|x| &x.id == t);
    let mut meta = json!({
        "v": 1,
        "shards": shards,
        "chunks": chunk_starts,
        "measures": corpus.measures,
        "levels": corpus.levels,
        "topics": corpus.topics,
        "kinds": KINDS,
        "docs": {
            "m": corpus.docs.iter().map(|d| d.measure.map_or(-1, |m| m as i64)).collect::<Vec<_>>(),
            "k": corpus.docs.iter().map(|d| kind_index(d.kind)).collect::<Vec<_>>(),
            "n": lens,
        },
    });
    if !corpus.topics.is_empty() {
        meta["docs"]["tp"] = json!(corpus
            .docs
            .iter()
            .map(|d| d.topics.iter().filter_map(topic_index).collect::<Vec<_>>())
            .collect::<Vec<_>>());
    }
    files.insert("meta.js".into(), script("meta", &meta));
    files
}
