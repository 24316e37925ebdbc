//! The inverted index and its serialisation as classic scripts.
//!
//! # Files (under `assets/search/`), format version 3
//!
//! `engine.js` is the search engine ([`ENGINE`]); the theme's small `assets/search.js` injects
//! it on first use. Every other file is a classic script calling `AtlasSearch.load(name, data)`;
//! the engine injects them with `<script src>` when a search needs them (never `fetch`, which
//! `file://` forbids). The name of file `x-<n>.js` is `x<n>`; `meta.js` is `meta`.
//!
//! Documents that carry the same text (a clause copied from measure to measure, the summary of a
//! standard article) share one **text**: postings, token counts and the stored string are per
//! distinct text, and each document points at its text. Text ids follow the first document
//! that uses them.
//!
//! ## Number strings
//!
//! Lists of small non-negative integers are written as strings over the 92 printable ASCII
//! characters from `!` to `~` except `"` and `\`, in code order ([`ALPHABET`]); no character
//! needs escaping in JSON or JavaScript. The first 60 characters are *final* digits, the other
//! 32 *leading* digits. A number `n` is written as the base-32 leading digits of `n / 60` (most
//! significant first, none when `n < 60`) followed by the final digit `n % 60`: numbers below
//! 60 take one character, below 1,920 two, below 61,440 three.
//!
//! ## `meta.js` (loaded on the first search, not with the page)
//!
//! `{"v":3, "cuts":[h…], "texts":[t…], "chunks":[d…], "ndocs":N, "measures":[[id, short, en, level]…],
//! "levels":[{id,zh,en}…], "topics":[{id,zh,en}…], "kinds":[…], "docs":{"mk":S, "x":S, "tp":S},
//! "n":S, "syn":[[word…]…]}` where
//!
//! - `cuts`: token shard `s ≥ 1` holds the keys whose [`hash`] is at least `cuts[s-1]` (and
//!   below `cuts[s]`); shard 0 the keys below `cuts[0]`. Shards are cut by size, in hash order.
//! - `texts`: the first text of each text chunk `x-<c>.js`; `chunks`: the first document of
//!   each document chunk `d-<c>.js`. Both kinds of chunk are cut by size.
//! - `measures[i][3]`: index into `levels`.
//! - `docs.mk`: per document, `kind + 8 × zigzag(m − m_prev)` where `kind` indexes `kinds` and
//!   `m` is the measure index plus one (0 = no measure), `m_prev` that of the previous document
//!   (0 before the first).
//! - `docs.x`: per document, `zigzag(text − (text_prev + 1))` (`text_prev` = −1 before the
//!   first): documents copied in order from another measure cost one character each.
//! - `docs.tp`: for each document with topics, in order: `doc − doc_prev − 1` (`doc_prev` = −1
//!   before the first), the number of topics, and the topic indexes.
//! - `n`: per text, its number of tokens.
//! - `syn`: the glossary's terms, each as the wordings the search treats as one (its Chinese,
//!   other Chinese wordings, its English rendering, other English words; `content/glossary.toml`).
//!
//! `zigzag(v)` is `2v` for `v ≥ 0` and `−2v − 1` below.
//!
//! ## `t-<s>.js`: token shards
//!
//! `{"t": {token: S}, "c": {han_char: S}}`. A token's string holds, for each text containing
//! it in increasing order, `text − text_prev − 1` (`text_prev` = −1 before the first), the
//! number of occurrences minus one, and the positions: the first as is, then each one's gap from
//! the previous minus one. A character's string holds, per text containing it, `2 × gap + 1`
//! followed by its number of occurrences minus two when it occurs more than once, else
//! `2 × gap` alone (two thirds of the entries: 0.6 MB less at 1,000 measures than a count for
//! each). One-character Han queries, and the suggestions for a query one character off, use
//! this table.
//!
//! ## `arts.js`: where each article starts, loaded for a query naming an article number
//!
//! `"S"`: for every article of a measure numbered in articles (not sections), in document
//! order: its first document's gap from the previous article's first document (`doc −
//! doc_prev`, `doc_prev` = 0 before the first) and `zigzag(number − expected)`, where
//! `expected` is the previous article's number plus one within the same measure (the measure
//! of a document is in `docs.mk`), 1 for a measure's first article. Both are one character for
//! most articles. An article's documents run up to the next article's first document or the
//! next measure.
//!
//! ## `x-<c>.js` and `d-<c>.js`: texts and documents, loaded for the results shown
//!
//! `x-<c>.js`: the array of texts from the chunk's first text on. Each is exactly the string
//! that was tokenized, so the page can find the matched spans again with the same tokenizer.
//!
//! `d-<c>.js`: the documents from the chunk's first on, as `{"s": [string…], "r": S}` where `r`
//! holds four indexes into the chunk's own string table per document: page, anchor, label,
//! context. The link is the page, then `#` and the anchor unless the anchor is empty.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use super::tokenizer::{hash, Scanner, Tok};

/// Size a token shard aims at, in bytes. Larger files mean fewer of them to write; smaller
/// ones less to parse for a first query. At this size a query's first search parses a few
/// hundred kilobytes at most (one shard per distinct token).
pub const SHARD_BYTES: usize = 48 * 1024;

/// The search engine the pages load on first use (`assets/search/engine.js`), before [`engine`]
/// puts the folding table in.
pub const ENGINE: &str = include_str!("engine.js");

/// The engine as written to the site: [`ENGINE`] with the tokenizer's traditional → simplified
/// table (`tokenizer::SIMPLIFIED`) in place of `"@SIMPLIFIED@"`, as a number string of, per
/// pair in code-point order, the traditional character's gap from the previous one minus one
/// (from U+3400) and `zigzag(simplified − traditional)`: 2,751 pairs in about 11 KB.
pub fn engine() -> String {
    let mut table = Vec::with_capacity(12 * 1024);
    let mut prev = 0x3400 - 1;
    for (t, s) in super::tokenizer::simplified_pairs() {
        let (t, s) = (t as u32, s as u32);
        push_num(&mut table, t - prev - 1);
        push_num(&mut table, zigzag(i64::from(s) - i64::from(t)));
        prev = t;
    }
    let table = String::from_utf8(table).expect("number strings are ASCII");
    compact(ENGINE).replacen("\"@SIMPLIFIED@\"", &format!("\"{table}\""), 1)
}

/// `js` without its comment lines, blank lines and indentation: what the browser loads needs
/// none of them (the commented engine is `generator/src/search/engine.js`), and they were half
/// of it. Only whole-line comments are dropped — a `//` line, or a `/*` … `*/` block that starts
/// a line — so strings and regular expressions, which never span lines in the engine, are
/// untouched; every statement keeps its own line, so no semicolon is inserted differently.
pub fn compact(js: &str) -> String {
    let mut out = String::with_capacity(js.len() / 2);
    out.push_str(
        "/* JointLab Atlas search engine; commented source: generator/src/search/engine.js */\n",
    );
    let mut in_block = false;
    for line in js.lines() {
        let mut t = line.trim();
        if in_block {
            match t.find("*/") {
                Some(end) => {
                    in_block = false;
                    t = t[end + 2..].trim();
                }
                None => continue,
            }
        } else if t.starts_with("/*") {
            match t.find("*/") {
                Some(end) => t = t[end + 2..].trim(),
                None => {
                    in_block = true;
                    continue;
                }
            }
        }
        if t.is_empty() || t.starts_with("//") {
            continue;
        }
        out.push_str(t);
        out.push('\n');
    }
    out
}

/// Size a document chunk aims at. Showing a result loads its document chunk and its text
/// chunk, and the results of a common word come from everywhere in the corpus: these stay
/// small so that a page of results loads little beyond what it shows.
pub const DOC_BYTES: usize = 16 * 1024;

/// Size a text chunk aims at (see [`DOC_BYTES`]).
pub const TEXT_BYTES: usize = 24 * 1024;

/// The digits of number strings (see the module documentation).
pub const ALPHABET: &[u8; 92] =
    b"!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";

/// Number of final digits; the remaining 32 characters are leading digits.
const FINAL: u32 = 60;

/// One searchable document: an article's paragraph, a clause, an item, a measure's titles, a
/// fact or a topic. Every kind becomes a `Doc` in one function and nothing else changes.
#[derive(Debug, Clone)]
pub struct Doc<'a> {
    /// Kind, one of [`KINDS`].
    pub kind: &'static str,
    /// Index of the measure in `Site::measures`, if the document belongs to one.
    pub measure: Option<usize>,
    /// The page it links to, as an index into [`Corpus::pages`].
    pub page: usize,
    /// The anchor on that page, e.g. `art-19-1`; empty for the page itself.
    pub anchor: &'a str,
    /// What the result is called in the Chinese edition, e.g. `第十九条第（一）项`.
    pub label: Cow<'a, str>,
    /// What it is called in the English edition (`Art. 19(1)`); empty when it has no English
    /// name (the English edition then shows `label`, marked as Chinese).
    pub label_en: Cow<'a, str>,
    /// A line of context shown under the label in the Chinese edition (the article's label and
    /// heading); shared by the documents of one article.
    pub context: Arc<str>,
    /// The same in the English edition; empty when there is none to show.
    pub context_en: Arc<str>,
    /// Plain text: what is tokenized and what snippets are cut from. Chinese words first, then,
    /// after [`EN`], English words, so that each edition shows a snippet in its own language
    /// (either part may be empty).
    pub text: Cow<'a, str>,
    /// The topics the document belongs to (filters), as indexes into [`Corpus::topics`].
    pub topics: Vec<usize>,
    /// The number of the article the document is part of, in a measure numbered in articles
    /// (第十九条 → 19); 0 for none. Article-number queries jump to it (`arts.js`).
    pub article: u32,
}

impl Doc<'_> {
    /// The link from the site root, e.g. `measures/yunnan-ijl-2025.html#art-19-1`.
    pub fn href(&self, corpus: &Corpus<'_>) -> String {
        let page = &corpus.pages[self.page];
        if self.anchor.is_empty() {
            page.clone()
        } else {
            format!("{page}#{}", self.anchor)
        }
    }
}

/// Separates a document text's Chinese words from its English ones (a tokenizer separator,
/// never in a query).
pub const EN: char = '\u{1f}';

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
    /// English name (a query naming a topic ranks the units on it first).
    pub en: String,
}

/// Everything the index is built from.
#[derive(Debug, Default)]
pub struct Corpus<'a> {
    /// Measures, in site order.
    pub measures: Vec<MeasureInfo>,
    /// Levels present.
    pub levels: Vec<Choice>,
    /// Topics (empty until the model has them).
    pub topics: Vec<Choice>,
    /// Pages documents link to, from the site root (`measures/x.html`).
    pub pages: Vec<String>,
    /// Documents.
    pub docs: Vec<Doc<'a>>,
    /// The glossary's terms, each as the wordings the search treats as one (`meta.js` `syn`).
    pub synonyms: Vec<Vec<String>>,
}

/// The serialised index: file name under `assets/search/` → script bytes.
pub type IndexFiles = std::collections::BTreeMap<String, Vec<u8>>;

/// The maps below hash millions of short keys, where SipHash's DoS resistance buys nothing and
/// costs most of the lookup time: FxHash (rustc's own, from the `rustc-hash` crate) instead.
pub(super) type FxMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;

/// Strings numbered in order of first use, each held once (one that borrows is not copied).
type Interner<T> = indexmap::IndexSet<T, rustc_hash::FxBuildHasher>;

/// Appends `n` as a number-string number (see the module documentation).
#[inline]
pub fn push_num(out: &mut Vec<u8>, n: u32) {
    let mut q = n / FINAL;
    if q > 0 {
        let mut lead = [0u8; 8];
        let mut k = 0;
        while q > 0 {
            lead[k] = ALPHABET[(FINAL + q % 32) as usize];
            q /= 32;
            k += 1;
        }
        out.extend(lead[..k].iter().rev());
    }
    out.push(ALPHABET[(n % FINAL) as usize]);
}

/// Reads a number string back (the inverse of [`push_num`]; tests and tools use it).
pub fn read_nums(s: &str) -> Option<Vec<u32>> {
    let mut out = Vec::new();
    let mut q: u32 = 0;
    for b in s.bytes() {
        let d = ALPHABET.iter().position(|a| *a == b)? as u32;
        if d >= FINAL {
            q = q.checked_mul(32)?.checked_add(d - FINAL)?;
        } else {
            out.push(q.checked_mul(FINAL)?.checked_add(d)?);
            q = 0;
        }
    }
    (q == 0).then_some(out)
}

fn zigzag(v: i64) -> u32 {
    (if v >= 0 { v * 2 } else { -v * 2 - 1 }) as u32
}

/// Bytes that [`push_str`] must look at: controls, `"`, `\\` and 0xE2 (the first byte of
/// U+2028 and U+2029). Everything else is copied in runs.
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t[0xE2] = true;
    t
};

/// Whether any byte of `w` is one of [`SPECIAL`] (bit tricks: a byte below 0x20, or equal to
/// `"`, `\\` or 0xE2).
fn any_special(w: u64) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(LO * n) & !x & HI != 0;
    below(w, 0x20)
        || below(w ^ (LO * 0x22), 1)
        || below(w ^ (LO * 0x5C), 1)
        || below(w ^ (LO * 0xE2), 1)
}

/// Appends `s` as a JSON string that is also safe as a JavaScript literal (U+2028 and U+2029
/// escaped for old engines).
fn push_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let b = s.as_bytes();
    let mut from = 0;
    let mut i = 0;
    while i < b.len() {
        // Eight bytes at a time while none of them needs a look (most text).
        while let Some(w) = b.get(i..i + 8) {
            if any_special(u64::from_le_bytes(w.try_into().expect("eight bytes"))) {
                break;
            }
            i += 8;
        }
        let Some(&c) = b.get(i) else { break };
        if !SPECIAL[c as usize] {
            i += 1;
            continue;
        }
        let (esc, len): (&[u8], usize) = match c {
            b'"' => (b"\\\"", 1),
            b'\\' => (b"\\\\", 1),
            b'\n' => (b"\\n", 1),
            b'\r' => (b"\\r", 1),
            b'\t' => (b"\\t", 1),
            0xE2 if b[i + 1] == 0x80 && b[i + 2] == 0xA8 => (b"\\u2028", 3),
            0xE2 if b[i + 1] == 0x80 && b[i + 2] == 0xA9 => (b"\\u2029", 3),
            0xE2 => {
                i += 1;
                continue;
            }
            _ => {
                out.extend_from_slice(&b[from..i]);
                out.extend_from_slice(format!("\\u{c:04x}").as_bytes());
                i += 1;
                from = i;
                continue;
            }
        };
        out.extend_from_slice(&b[from..i]);
        out.extend_from_slice(esc);
        i += len;
        from = i;
    }
    out.extend_from_slice(&b[from..]);
    out.push(b'"');
}

/// `AtlasSearch.load("name",` — every index file starts so.
fn open_script(name: &str, capacity: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(capacity + 32);
    out.extend_from_slice(b"AtlasSearch.load(");
    push_str(&mut out, name);
    out.push(b',');
    out
}

fn close_script(out: &mut Vec<u8>) {
    out.extend_from_slice(b");\n");
}

/// Postings under construction: number strings written as texts are visited in order.
#[derive(Default)]
struct Postings {
    /// Keys, numbered in order of first occurrence (deterministic for a given corpus).
    keys: Vec<String>,
    lists: Vec<List>,
}

/// One key's number string, and the last text written to it plus one (0 = none yet), side by
/// side so that appending touches one place in memory.
#[derive(Default)]
struct List {
    data: Vec<u8>,
    last: u32,
}

impl Postings {
    fn add(&mut self, key: String) -> u32 {
        self.keys.push(key);
        self.lists.push(List::default());
        self.keys.len() as u32 - 1
    }

    /// Starts the entry of `text` for key `id`: writes the text gap.
    fn start(&mut self, id: u32, text: u32) -> &mut Vec<u8> {
        self.start_flagged(id, text, None)
    }

    /// Starts the entry of `text` for key `id`: writes the text gap, or with `flag` the gap
    /// doubled plus the flag.
    fn start_flagged(&mut self, id: u32, text: u32, flag: Option<bool>) -> &mut Vec<u8> {
        let l = &mut self.lists[id as usize];
        // Lists grow by half, not double: they are all held until the end, where doubling
        // left a third of their room unused (4 MB at 1,000 measures).
        if l.data.capacity() - l.data.len() < 16 {
            l.data.reserve_exact((l.data.len() / 2).max(16));
        }
        let gap = text - l.last;
        l.last = text + 1;
        push_num(&mut l.data, flag.map_or(gap, |f| gap * 2 + u32::from(f)));
        &mut l.data
    }
}

/// Token ids by kind of token: Han characters, pairs and short words are numbers, so most
/// lookups hash one integer or index a table instead of hashing and comparing strings.
struct TokenIds {
    /// Lone Han characters by code point (`u32::MAX` = none yet).
    han: Vec<u32>,
    /// Pairs (`a << 32 | b`, below 2⁵³) and words of up to seven bytes (their bytes, little
    /// endian, with bit 63 set).
    small: FxMap<u64, u32>,
    /// Longer words.
    words: FxMap<Box<str>, u32>,
}

/// Every Han code point of the tokenizer is below this.
const HAN_END: usize = 0xFB00;

impl TokenIds {
    fn new() -> Self {
        let mut small = FxMap::default();
        small.reserve(1 << 15);
        TokenIds {
            han: vec![u32::MAX; HAN_END],
            small,
            words: FxMap::default(),
        }
    }

    fn id(&mut self, post: &mut Postings, t: Tok<'_>) -> u32 {
        let key = match t {
            Tok::Han(c) => {
                let slot = &mut self.han[c as usize];
                if *slot == u32::MAX {
                    *slot = post.add(c.to_string());
                }
                return *slot;
            }
            Tok::Bigram(a, b) => (u64::from(a) << 32) | u64::from(b),
            Tok::Word(w) if w.len() < 8 => {
                let mut b = [0u8; 8];
                b[..w.len()].copy_from_slice(w.as_bytes());
                u64::from_le_bytes(b) | 1 << 63
            }
            Tok::Word(w) => {
                return match self.words.get(w) {
                    Some(id) => *id,
                    None => {
                        let id = post.add(w.to_string());
                        self.words.insert(w.into(), id);
                        id
                    }
                };
            }
        };
        match self.small.get(&key) {
            Some(id) => *id,
            None => {
                let id = post.add(t.to_string());
                self.small.insert(key, id);
                id
            }
        }
    }
}

/// Groups the occurrences of one text by key without sorting: keys in order of first
/// occurrence, each with its positions in increasing order (a linked list through
/// `next`). Sorting every text's (key, position) pairs cost more than tokenizing.
#[derive(Default)]
struct Grouper {
    /// Next position with the same key (`u32::MAX` = last), by position.
    next: Vec<u32>,
    /// Keys in order of first occurrence.
    keys: Vec<u32>,
    /// Per key.
    slots: Vec<Slot>,
    /// Number of the current text, plus one.
    epoch: u32,
}

/// A key's state in the current text (one cache line holds four).
#[derive(Default, Clone, Copy)]
struct Slot {
    /// The text it was last seen in ([`Grouper::epoch`]).
    stamp: u32,
    first: u32,
    last: u32,
    count: u32,
}

impl Grouper {
    fn clear(&mut self) {
        self.next.clear();
        self.keys.clear();
        self.epoch += 1;
    }

    fn add(&mut self, key: u32) {
        let k = key as usize;
        if k >= self.slots.len() {
            let n = (k + 1).max(self.slots.len() * 2);
            self.slots.resize(n, Slot::default());
        }
        let pos = self.next.len() as u32;
        self.next.push(u32::MAX);
        let slot = &mut self.slots[k];
        if slot.stamp != self.epoch {
            *slot = Slot {
                stamp: self.epoch,
                first: pos,
                last: pos,
                count: 1,
            };
            self.keys.push(key);
        } else {
            self.next[slot.last as usize] = pos;
            slot.last = pos;
            slot.count += 1;
        }
    }

    /// Each key with its number of occurrences and an iterator over their positions.
    fn groups(&self) -> impl Iterator<Item = (u32, u32, Positions<'_>)> + '_ {
        self.keys.iter().map(move |&k| {
            let slot = self.slots[k as usize];
            let p = Positions {
                next: &self.next,
                at: slot.first,
            };
            (k, slot.count, p)
        })
    }
}

/// The positions of one key in a [`Grouper`], increasing.
struct Positions<'a> {
    next: &'a [u32],
    at: u32,
}

impl Iterator for Positions<'_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        if self.at == u32::MAX {
            return None;
        }
        let p = self.at;
        self.at = self.next[p as usize];
        Some(p)
    }
}

/// Builds the index files for `corpus`.
pub fn build(corpus: &Corpus<'_>) -> IndexFiles {
    build_while(corpus, &|| true).unwrap_or_default()
}

/// How many texts are indexed between two checks of whether the index is still wanted: a few
/// milliseconds' work.
const TEXTS_PER_CHECK: usize = 1024;

/// Builds the index files for `corpus` while `wanted` says they are wanted; gives up (`None`) at
/// the first check after it says no. `atlas serve` builds the index beside the next edit: at
/// thousands of measures it takes seconds, which a superseded build should not keep from the
/// newer one.
pub fn build_while(corpus: &Corpus<'_>, wanted: &dyn Fn() -> bool) -> Option<IndexFiles> {
    let mut files = IndexFiles::new();
    build_into(corpus, wanted, &mut |name, bytes| {
        files.insert(name, bytes);
    })?;
    Some(files)
}

/// Where documents come from, in order, a segment at a time: a site's measures one by one
/// (`search::write`, so that its hundred thousand documents are never all held), or a
/// corpus's documents (`Vec<Doc>`).
pub trait Docs<'a> {
    /// Calls `f` with each segment of documents in order until it returns `false`; `f` may
    /// take strings out of the documents it is given.
    fn each_segment(&self, f: &mut dyn FnMut(&mut Vec<Doc<'a>>) -> bool);
}

impl<'a> Docs<'a> for Vec<Doc<'a>> {
    fn each_segment(&self, f: &mut dyn FnMut(&mut Vec<Doc<'a>>) -> bool) {
        for chunk in self.chunks(1024) {
            if !f(&mut chunk.to_vec()) {
                return;
            }
        }
    }
}

/// [`build_while`], handing each file to `emit` (its name and bytes) as soon as it is made
/// rather than holding them all: at a thousand measures they are 27 MB, made while the
/// postings they come from are still held.
pub fn build_into(
    corpus: &Corpus<'_>,
    wanted: &dyn Fn() -> bool,
    emit: &mut dyn FnMut(String, Vec<u8>),
) -> Option<()> {
    build_from(corpus, &corpus.docs, wanted, emit)
}

/// [`build_into`] for the documents `docs` gives (`corpus.docs` is not read): each document is
/// indexed, recorded and written to its chunk as it comes, and only its text is kept (once per
/// distinct text) until the texts are written.
pub fn build_from<'a>(
    corpus: &Corpus<'a>,
    docs: &dyn Docs<'a>,
    wanted: &dyn Fn() -> bool,
    emit: &mut dyn FnMut(String, Vec<u8>),
) -> Option<()> {
    // Distinct texts, numbered in order of first use.
    let mut texts: Interner<Cow<'a, str>> = Interner::default();
    let mut indexer = Indexer::new();
    let mut records = Records::default();
    let mut chunks = DocChunks::new();
    let mut given_up = false;
    docs.each_segment(&mut |segment| {
        for d in segment.iter_mut() {
            let (t, new) = texts.insert_full(std::mem::take(&mut d.text));
            let t = t as u32;
            if new {
                if t as usize % TEXTS_PER_CHECK == 0 && !wanted() {
                    given_up = true;
                    return false;
                }
                indexer.add(t, &texts[t as usize]);
            }
            records.push(d, t);
            chunks.push(d, &corpus.pages[d.page], emit);
        }
        true
    });
    if given_up {
        return None;
    }
    let doc_starts = chunks.finish(emit);
    let Indexer {
        tokens,
        chars,
        lens,
        ..
    } = indexer;
    // The engine that reads these files ships with them: it changes when the format does.
    emit("engine.js".into(), engine().into_bytes());
    let mut arts = open_script("arts", records.arts.len() + 2);
    push_nums(&mut arts, &records.arts);
    close_script(&mut arts);
    emit("arts.js".into(), arts);
    let cuts = write_shards(&tokens, &chars, emit);
    drop((tokens, chars));
    let text_starts = write_texts(texts.as_slice(), emit);
    drop(texts);
    emit(
        "meta.js".into(),
        meta(corpus, &records, &lens, &cuts, &text_starts, &doc_starts),
    );
    Some(())
}

/// The postings of the texts indexed so far.
struct Indexer {
    tokens: Postings,
    ids: TokenIds,
    chars: Postings,
    char_ids: Vec<u32>,
    /// Per text, its number of tokens.
    lens: Vec<u32>,
    group: Grouper,
    scanner: Scanner,
    /// Per Han character (by id in `chars`): the text it was last counted in, plus one, and
    /// its count there.
    char_counts: Vec<(u32, u32)>,
    text_chars: Vec<u32>,
}

impl Indexer {
    fn new() -> Self {
        Indexer {
            tokens: Postings::default(),
            ids: TokenIds::new(),
            chars: Postings::default(),
            char_ids: vec![u32::MAX; HAN_END],
            lens: Vec::new(),
            group: Grouper::default(),
            scanner: Scanner::default(),
            char_counts: Vec::new(),
            text_chars: Vec::new(),
        }
    }

    /// Indexes text `t`, `text`: texts come in increasing order, so each key's list only ever
    /// grows at its end, written straight into number strings.
    fn add(&mut self, t: u32, text: &str) {
        let Indexer {
            tokens,
            ids,
            chars,
            char_ids,
            lens,
            group,
            scanner,
            char_counts,
            text_chars,
        } = self;
        group.clear();
        text_chars.clear();
        // Han characters are counted from the tokens as they pass (a run's characters are
        // the first of each of its pairs, and the second of its last pair), which saves a
        // second pass over the text.
        let mut pending: Option<(char, usize)> = None;
        let mut count = |c: char| {
            let slot = &mut char_ids[c as usize];
            if *slot == u32::MAX {
                *slot = chars.add(c.to_string());
                char_counts.push((0, 0));
            }
            let id = *slot;
            let e = &mut char_counts[id as usize];
            if e.0 != t + 1 {
                *e = (t + 1, 0);
                text_chars.push(id);
            }
            e.1 += 1;
        };
        scanner.scan(text, |tok, start, end| {
            let id = ids.id(tokens, tok);
            group.add(id);
            if let Some((b, pair_end)) = pending.take() {
                // The previous pair ended a run unless this pair overlaps it.
                if !(matches!(tok, Tok::Bigram(..)) && start + 1 == pair_end) {
                    count(b);
                }
            }
            match tok {
                Tok::Han(c) => count(c),
                Tok::Bigram(a, b) => {
                    count(a);
                    pending = Some((b, end));
                }
                Tok::Word(_) => {}
            }
        });
        if let Some((b, _)) = pending {
            count(b);
        }
        lens.push(group.next.len() as u32);
        for (id, count, positions) in group.groups() {
            let d = tokens.start(id, t);
            push_num(d, count - 1);
            let mut prev = None;
            for p in positions {
                push_num(d, prev.map_or(p, |q: u32| p - q - 1));
                prev = Some(p);
            }
        }
        for &id in text_chars.iter() {
            let count = char_counts[id as usize].1;
            let d = chars.start_flagged(id, t, Some(count > 1));
            if count > 1 {
                push_num(d, count - 2);
            }
        }
    }
}

/// What `meta.js` says of each document (`docs.mk`, `docs.x`, `docs.tp`), written as the
/// documents pass.
#[derive(Default)]
struct Records {
    count: usize,
    mk: Vec<u8>,
    x: Vec<u8>,
    tp: Vec<u8>,
    prev_m: i64,
    /// The previous document's text, plus one.
    prev_x: i64,
    /// The previous document with topics, plus one.
    prev_tp: i64,
    /// `arts.js` (see the module documentation), and the previous article start as (document,
    /// measure, number).
    arts: Vec<u8>,
    prev_art: (i64, i64, u32),
}

impl Records {
    fn push(&mut self, doc: &Doc<'_>, text: u32) {
        let d = self.count as i64;
        self.count += 1;
        let kind = KINDS.iter().position(|k| *k == doc.kind).unwrap_or(0) as u32;
        let m = doc.measure.map_or(0, |m| m as i64 + 1);
        push_num(&mut self.mk, kind + 8 * zigzag(m - self.prev_m));
        self.prev_m = m;
        let t = i64::from(text);
        push_num(&mut self.x, zigzag(t - self.prev_x));
        self.prev_x = t + 1;
        let (art_doc, art_m, art_n) = self.prev_art;
        if doc.article != 0 && (m != art_m || doc.article != art_n) {
            let expected = if m == art_m { art_n + 1 } else { 1 };
            push_num(&mut self.arts, (d - art_doc) as u32);
            push_num(
                &mut self.arts,
                zigzag(i64::from(doc.article) - i64::from(expected)),
            );
            self.prev_art = (d, m, doc.article);
        }
        let ts = &doc.topics;
        if !ts.is_empty() {
            push_num(&mut self.tp, (d - self.prev_tp) as u32);
            self.prev_tp = d + 1;
            push_num(&mut self.tp, ts.len() as u32);
            for t in ts {
                push_num(&mut self.tp, *t as u32);
            }
        }
    }
}

/// Token shards, cut by size in hash order; returns the first hash of every shard but the first.
fn write_shards(
    tokens: &Postings,
    chars: &Postings,
    emit: &mut dyn FnMut(String, Vec<u8>),
) -> Vec<u32> {
    /// One key's entry; a key's token and character entries share a shard.
    struct Entry<'a> {
        hash: u32,
        key: &'a str,
        is_char: bool,
        data: &'a [u8],
    }
    impl Entry<'_> {
        fn bytes(&self) -> usize {
            self.key.len() + self.data.len() + 6
        }
    }
    fn entries(p: &Postings, is_char: bool) -> impl Iterator<Item = Entry<'_>> {
        p.keys.iter().zip(&p.lists).map(move |(k, l)| Entry {
            hash: hash(k),
            key: k,
            is_char,
            data: &l.data,
        })
    }
    let mut entries: Vec<Entry<'_>> = entries(tokens, false).chain(entries(chars, true)).collect();
    entries.sort_unstable_by(|a, b| (a.hash, a.key, a.is_char).cmp(&(b.hash, b.key, b.is_char)));
    let mut shards: Vec<&[Entry<'_>]> = Vec::new();
    let mut cuts = Vec::new();
    let (mut from, mut size) = (0, 0);
    for (i, e) in entries.iter().enumerate() {
        // Cut only between different hashes: the browser finds a key's shard by its hash.
        if size >= SHARD_BYTES && e.hash != entries[i - 1].hash {
            shards.push(&entries[from..i]);
            cuts.push(e.hash);
            from = i;
            size = 0;
        }
        size += e.bytes();
    }
    shards.push(&entries[from..]);
    for (s, list) in shards.iter().enumerate() {
        let bytes: usize = list.iter().map(Entry::bytes).sum();
        let mut out = open_script(&format!("t{s}"), bytes + 16);
        for (part, is_char) in [("{\"t\":{", false), ("},\"c\":{", true)] {
            out.extend_from_slice(part.as_bytes());
            let mut first = true;
            for e in list.iter().filter(|e| e.is_char == is_char) {
                if !first {
                    out.push(b',');
                }
                first = false;
                push_str(&mut out, e.key);
                out.push(b':');
                out.push(b'"');
                out.extend_from_slice(e.data);
                out.push(b'"');
            }
        }
        out.extend_from_slice(b"}}");
        close_script(&mut out);
        emit(format!("t-{s}.js"), out);
    }
    cuts
}

/// Appends `items` as a JSON array of strings.
fn push_strs(out: &mut Vec<u8>, items: &[impl AsRef<str>]) {
    out.push(b'[');
    for (i, w) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_str(out, w.as_ref());
    }
    out.push(b']');
}

/// Text chunks, filled in order up to the target size; returns each chunk's first text.
fn write_texts(
    texts: &indexmap::set::Slice<Cow<'_, str>>,
    emit: &mut dyn FnMut(String, Vec<u8>),
) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut from = 0;
    while from < texts.len() {
        let c = starts.len();
        starts.push(from);
        let mut out = open_script(&format!("x{c}"), TEXT_BYTES + 1024);
        out.push(b'[');
        let mut to = from;
        while to < texts.len() && (to == from || out.len() < TEXT_BYTES) {
            if to > from {
                out.push(b',');
            }
            push_str(&mut out, &texts[to]);
            to += 1;
        }
        out.push(b']');
        close_script(&mut out);
        emit(format!("x-{c}.js"), out);
        from = to;
    }
    starts
}

/// A string of a document chunk's table: taken from the document (borrowed from the model
/// where it can be), or an article's context, shared with its documents.
enum TableStr<'a> {
    Taken(Cow<'a, str>),
    Shared(Arc<str>),
}

impl AsRef<str> for TableStr<'_> {
    fn as_ref(&self) -> &str {
        match self {
            TableStr::Taken(s) => s,
            TableStr::Shared(s) => s,
        }
    }
}

// A table string is its text, however it is held.
impl PartialEq for TableStr<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_ref() == other.as_ref()
    }
}

impl Eq for TableStr<'_> {}

impl std::hash::Hash for TableStr<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.as_ref().hash(h);
    }
}

/// Document chunks, filled in order up to [`DOC_BYTES`], each with its own string table, and
/// written as soon as they are full.
struct DocChunks<'a> {
    strings: Interner<TableStr<'a>>,
    table_bytes: usize,
    rows: Vec<u8>,
    /// Documents so far.
    count: usize,
    /// Each chunk's first document.
    starts: Vec<usize>,
    // Consecutive documents mostly share their page and their article's context: look those
    // up again only when they change (within a chunk).
    last_page: (usize, u32),
    last_context: Option<(Arc<str>, u32)>,
    last_context_en: Option<(Arc<str>, u32)>,
}

impl<'a> DocChunks<'a> {
    fn new() -> Self {
        DocChunks {
            strings: Interner::default(),
            table_bytes: 0,
            rows: Vec::with_capacity(4096),
            count: 0,
            starts: Vec::new(),
            last_page: (usize::MAX, 0),
            last_context: None,
            last_context_en: None,
        }
    }

    fn intern(&mut self, s: TableStr<'a>) -> u32 {
        let len = s.as_ref().len();
        let (id, new) = self.strings.insert_full(s);
        let id = id as u32;
        if new {
            self.table_bytes += len + 3;
        }
        id
    }

    /// Adds `d` (taking its label), on page `page`, writing the current chunk first if it is
    /// full.
    fn push(&mut self, d: &mut Doc<'a>, page: &str, emit: &mut dyn FnMut(String, Vec<u8>)) {
        // Every document adds to `rows`: they are empty exactly when the chunk is.
        if !self.rows.is_empty() && self.table_bytes + self.rows.len() >= DOC_BYTES {
            self.write(emit);
        }
        if self.rows.is_empty() {
            self.starts.push(self.count);
        }
        self.count += 1;
        if self.last_page.0 != d.page {
            let id = self.intern(TableStr::Taken(Cow::Owned(page.to_string())));
            self.last_page = (d.page, id);
        }
        let anchor = self.intern(TableStr::Taken(Cow::Borrowed(d.anchor)));
        let label = self.intern(TableStr::Taken(std::mem::take(&mut d.label)));
        let label_en = self.intern(TableStr::Taken(std::mem::take(&mut d.label_en)));
        let context = self.shared(&d.context, false);
        let context_en = self.shared(&d.context_en, true);
        for i in [
            self.last_page.1,
            anchor,
            label,
            context,
            label_en,
            context_en,
        ] {
            push_num(&mut self.rows, i);
        }
    }

    /// The string id of a context (English when `en`), looked up again only when it changes.
    fn shared(&mut self, context: &Arc<str>, en: bool) -> u32 {
        let last = if en {
            &self.last_context_en
        } else {
            &self.last_context
        };
        if let Some((c, id)) = last {
            if Arc::ptr_eq(c, context) {
                return *id;
            }
        }
        let id = self.intern(TableStr::Shared(Arc::clone(context)));
        let last = if en {
            &mut self.last_context_en
        } else {
            &mut self.last_context
        };
        *last = Some((Arc::clone(context), id));
        id
    }

    /// Writes the current chunk and starts the next.
    fn write(&mut self, emit: &mut dyn FnMut(String, Vec<u8>)) {
        let c = self.starts.len() - 1;
        let mut out = open_script(&format!("d{c}"), self.table_bytes + self.rows.len() + 16);
        out.extend_from_slice(b"{\"s\":[");
        for (i, s) in self.strings.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            push_str(&mut out, s.as_ref());
        }
        out.extend_from_slice(b"],\"r\":\"");
        out.extend_from_slice(&self.rows);
        out.extend_from_slice(b"\"}");
        close_script(&mut out);
        emit(format!("d-{c}.js"), out);
        self.strings.clear();
        self.table_bytes = 0;
        self.rows.clear();
        self.last_page = (usize::MAX, 0);
        self.last_context = None;
        self.last_context_en = None;
    }

    /// Writes the last chunk; returns each chunk's first document.
    fn finish(mut self, emit: &mut dyn FnMut(String, Vec<u8>)) -> Vec<usize> {
        if !self.rows.is_empty() {
            self.write(emit);
        }
        self.starts
    }
}

fn push_list(out: &mut Vec<u8>, nums: impl IntoIterator<Item = usize>) {
    out.push(b'[');
    for (i, n) in nums.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(n.to_string().as_bytes());
    }
    out.push(b']');
}

fn push_nums(out: &mut Vec<u8>, nums: &[u8]) {
    out.push(b'"');
    out.extend_from_slice(nums);
    out.push(b'"');
}

fn push_choices(out: &mut Vec<u8>, list: &[Choice]) {
    out.push(b'[');
    for (i, c) in list.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"id\":");
        push_str(out, &c.id);
        out.extend_from_slice(b",\"zh\":");
        push_str(out, &c.zh);
        out.extend_from_slice(b",\"en\":");
        push_str(out, &c.en);
        out.push(b'}');
    }
    out.push(b']');
}

/// `meta.js`: what filtering and ranking need before any document is loaded.
fn meta(
    corpus: &Corpus<'_>,
    docs: &Records,
    lens: &[u32],
    cuts: &[u32],
    text_starts: &[usize],
    doc_starts: &[usize],
) -> Vec<u8> {
    let mut out = open_script("meta", docs.count * 4 + corpus.measures.len() * 120);
    out.extend_from_slice(b"{\"v\":3,\"cuts\":");
    push_list(&mut out, cuts.iter().map(|c| *c as usize));
    out.extend_from_slice(b",\"texts\":");
    push_list(&mut out, text_starts.iter().copied());
    out.extend_from_slice(b",\"chunks\":");
    push_list(&mut out, doc_starts.iter().copied());
    out.extend_from_slice(format!(",\"ndocs\":{}", docs.count).as_bytes());
    out.extend_from_slice(b",\"measures\":[");
    for (i, m) in corpus.measures.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'[');
        for s in [&m.id, &m.short, &m.en] {
            push_str(&mut out, s);
            out.push(b',');
        }
        let level = corpus.levels.iter().position(|l| l.id == m.level);
        out.extend_from_slice(level.unwrap_or(0).to_string().as_bytes());
        out.push(b']');
    }
    out.extend_from_slice(b"],\"levels\":");
    push_choices(&mut out, &corpus.levels);
    out.extend_from_slice(b",\"topics\":");
    push_choices(&mut out, &corpus.topics);
    out.extend_from_slice(b",\"kinds\":");
    push_strs(&mut out, &KINDS);
    out.extend_from_slice(b",\"docs\":{\"mk\":");
    push_nums(&mut out, &docs.mk);
    out.extend_from_slice(b",\"x\":");
    push_nums(&mut out, &docs.x);
    out.extend_from_slice(b",\"tp\":");
    push_nums(&mut out, &docs.tp);
    out.extend_from_slice(b"},\"n\":");
    let mut n = Vec::with_capacity(lens.len() * 2);
    for l in lens {
        push_num(&mut n, *l);
    }
    push_nums(&mut out, &n);
    out.extend_from_slice(b",\"syn\":[");
    for (i, group) in corpus.synonyms.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_strs(&mut out, group);
    }
    out.extend_from_slice(b"]}");
    close_script(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_strings_round_trip() {
        let nums = [
            0,
            1,
            59,
            60,
            61,
            1919,
            1920,
            61_439,
            61_440,
            1_000_000,
            u32::MAX,
        ];
        let mut s = Vec::new();
        for n in nums {
            push_num(&mut s, n);
        }
        let s = String::from_utf8(s).unwrap();
        assert_eq!(read_nums(&s).unwrap(), nums);
        // One character below 60, two below 1,920, three below 61,440.
        let len = |n| {
            let mut v = Vec::new();
            push_num(&mut v, n);
            v.len()
        };
        assert_eq!((len(59), len(60), len(1919), len(1920)), (1, 2, 2, 3));
        assert_eq!((len(61_439), len(61_440)), (3, 4));
        assert!(!s.contains(['"', '\\']));
    }

    #[test]
    fn an_unwanted_index_is_given_up() {
        // Enough distinct texts for several checks.
        let texts: Vec<String> = (0..3 * TEXTS_PER_CHECK)
            .map(|i| format!("国际联合实验室 {i}"))
            .collect();
        let mut c = Corpus::default();
        c.pages.push("measures/x.html".into());
        for t in &texts {
            c.docs.push(Doc {
                kind: "unit",
                measure: None,
                page: 0,
                anchor: "",
                label: t.as_str().into(),
                label_en: "".into(),
                context: "".into(),
                context_en: "".into(),
                text: t.as_str().into(),
                topics: Vec::new(),
                article: 0,
            });
        }
        let asked = std::cell::Cell::new(0);
        let full = build(&c);
        assert!(full.contains_key("meta.js"));
        // Wanted throughout: the same files as `build`, after one check per 1,024 texts.
        let same = build_while(&c, &|| {
            asked.set(asked.get() + 1);
            true
        });
        assert!(same.as_ref() == Some(&full));
        assert_eq!(asked.get(), 3);
        // No longer wanted after the first check: given up at the second.
        asked.set(0);
        let given_up = build_while(&c, &|| {
            asked.set(asked.get() + 1);
            asked.get() < 2
        });
        assert!(given_up.is_none());
        assert_eq!(asked.get(), 2);
    }

    #[test]
    fn compact_drops_comment_lines_only() {
        let js = "/* head\n   more */\nvar a = \"//x\"; // kept: code first\n  // gone\n  /** doc */\n  f(/\\*/);\n\n  /* a */ g();\n";
        let c = compact(js);
        let body: Vec<&str> = c.lines().skip(1).collect();
        assert_eq!(
            body,
            ["var a = \"//x\"; // kept: code first", "f(/\\*/);", "g();"]
        );
        // The engine as shipped has its table and no comment line.
        let e = engine();
        assert!(!e.contains("@SIMPLIFIED@") && e.len() < ENGINE.len());
        assert!(e
            .lines()
            .skip(1)
            .all(|l| !l.starts_with("//") && !l.starts_with("/*") && !l.starts_with(' ')));
    }

    #[test]
    fn strings_are_json_and_javascript() {
        let mut out = Vec::new();
        push_str(&mut out, "a\"b\\c\n\u{1}\u{2028}\u{2029}中");
        let s = String::from_utf8(out).unwrap();
        assert_eq!(s, r#""a\"b\\c\n\u0001\u2028\u2029中""#);
        // Long runs go eight bytes at a time; specials anywhere in them are still found.
        for k in 0..20 {
            let mut text = "abcdefghijklmnopqrstuvwxyz".repeat(2);
            text.insert(k, '"');
            text.insert_str(k + 9, "“x”\u{2028}");
            let mut out = Vec::new();
            push_str(&mut out, &text);
            let back: String = serde_json::from_str(std::str::from_utf8(&out).unwrap()).unwrap();
            assert_eq!(back, text);
            assert!(!std::str::from_utf8(&out).unwrap().contains('\u{2028}'));
        }
        let back: String = serde_json::from_str(&s).unwrap();
        assert_eq!(back, "a\"b\\c\n\u{1}\u{2028}\u{2029}中");
    }
}
