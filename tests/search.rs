//! Search without a browser: the Rust tokenizer against the shared vectors, and the index files
//! of a real build (format, budget, determinism, and that every document is the page's own
//! text). The index is decoded here from the format documented in `generator/src/search/index.rs`,
//! independently of the generator's writer and of the engine.

#[path = "browser/mod.rs"]
mod harness;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use atlas::search::tokenizer::{fold as fold_char, hash, is_han, tokenize};
use atlas_tests::{build, fold, reading_text, repo, sel};
use serde_json::Value;

fn vectors() -> Value {
    let text = std::fs::read_to_string(repo().join("tests/tokenizer-vectors.json"))
        .expect("tests/tokenizer-vectors.json");
    serde_json::from_str(&text).expect("vectors are JSON")
}

#[test]
fn rust_tokenizer_matches_the_vectors() {
    let v = vectors();
    let mut bad = Vec::new();
    let list = v["vectors"].as_array().expect("vectors");
    assert!(list.len() >= 20, "enough vectors");
    for x in list {
        let input = x["input"].as_str().unwrap();
        let got = tokenize(input);
        let toks: Vec<&str> = got.iter().map(|t| t.text.as_str()).collect();
        let want: Vec<&str> = x["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        if toks != want {
            bad.push(format!("{input:?}: got {toks:?}, want {want:?}"));
        }
        if let Some(offs) = x.get("offsets") {
            let want: Vec<(usize, usize)> = offs
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    (
                        p[0].as_u64().unwrap() as usize,
                        p[1].as_u64().unwrap() as usize,
                    )
                })
                .collect();
            let got: Vec<(usize, usize)> = got.iter().map(|t| (t.start, t.end)).collect();
            if got != want {
                bad.push(format!("{input:?}: offsets {got:?}, want {want:?}"));
            }
        }
    }
    for h in v["hashes"].as_array().unwrap() {
        let key = h["key"].as_str().unwrap();
        if u64::from(hash(key)) != h["hash"].as_u64().unwrap() {
            bad.push(format!("hash {key:?} = {}", hash(key)));
        }
    }
    // How queries are read (query.rs), with the glossary's wordings of content/glossary.toml.
    let groups = glossary_wordings();
    let queries = v["queries"].as_array().expect("queries");
    assert!(queries.len() >= 20, "enough query vectors");
    for x in queries {
        let input = x["input"].as_str().unwrap();
        let q = atlas::search::query::parse(input);
        let got = serde_json::json!({
            "article": q.article.as_ref().map(|a| serde_json::json!([a.n, a.sub, a.kind])),
            "terms": q.terms.iter().map(|t| t.toks.clone()).collect::<Vec<_>>(),
            "need": q.terms.iter().map(|t| t.need.clone()).collect::<Vec<_>>(),
            "phrase": q.phrase,
            "alternatives": atlas::search::query::alternatives(&q, &groups),
        });
        for key in ["article", "terms", "need", "phrase", "alternatives"] {
            if got[key] != x[key] {
                bad.push(format!("{input:?}: {key} {} != {}", got[key], x[key]));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// The glossary's terms as the search treats them: zh, search_zh, en, search_en of each, read
/// from content/glossary.toml here (not through the generator).
fn glossary_wordings() -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(repo().join("content/glossary.toml")).unwrap();
    let v: toml::Value = toml::from_str(&text).unwrap();
    let strings = |t: &toml::Value, key: &str| -> Vec<String> {
        match t.get(key) {
            Some(toml::Value::String(s)) => vec![s.clone()],
            Some(toml::Value::Array(a)) => {
                a.iter().map(|s| s.as_str().unwrap().to_string()).collect()
            }
            _ => Vec::new(),
        }
    };
    v["term"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            ["zh", "search_zh", "en", "search_en"]
                .iter()
                .flat_map(|k| strings(t, k))
                .collect()
        })
        .collect()
}

/// The traditional → simplified pairs of generator/src/search/simplified.txt, read here.
fn simplified() -> BTreeMap<char, char> {
    std::fs::read_to_string(repo().join("generator/src/search/simplified.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let mut cs = l.chars();
            (cs.next().unwrap(), cs.next().unwrap())
        })
        .collect()
}

/// The tokenizer's rules written out plainly (a buffer of folded code points, then one loop),
/// as a second implementation to compare the generator's one-pass scanner with.
fn reference_tokens(text: &str) -> Vec<(String, usize, usize)> {
    thread_local!(static SIMPLIFIED: BTreeMap<char, char> = simplified());
    let fold = |c: char| match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0)
            .unwrap()
            .to_ascii_lowercase(),
        0x3000 => ' ',
        _ => SIMPLIFIED
            .with(|t| t.get(&c).copied())
            .unwrap_or(c.to_ascii_lowercase()),
    };
    let han =
        |c: char| matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x3007);
    let word = |c: char| c.is_ascii_digit() || c.is_ascii_lowercase();
    let cs: Vec<char> = text.chars().map(fold).collect();
    let mut off = vec![0];
    for c in text.chars() {
        off.push(off.last().unwrap() + c.len_utf16());
    }
    let digit = |i: usize| cs.get(i).is_some_and(char::is_ascii_digit);
    let (mut out, mut i) = (Vec::new(), 0);
    while i < cs.len() {
        let start = i;
        if word(cs[i]) {
            let mut w = String::new();
            while i < cs.len() {
                let c = cs[i];
                if word(c) {
                    w.push(c);
                } else if ".:,".contains(c) && digit(i - 1) && digit(i + 1) {
                    if c != ',' {
                        w.push(c);
                    }
                } else if c == '%' && digit(i - 1) {
                    w.push(c);
                    i += 1;
                    break;
                } else {
                    break;
                }
                i += 1;
            }
            out.push((w, off[start], off[i]));
        } else if han(cs[i]) {
            while i < cs.len() && han(cs[i]) {
                i += 1;
            }
            if i - start == 1 {
                out.push((cs[start].to_string(), off[start], off[i]));
            }
            for k in start..i.saturating_sub(1) {
                out.push((cs[k..k + 2].iter().collect(), off[k], off[k + 2]));
            }
        } else {
            i += 1;
        }
    }
    out
}

/// The generator's scanner agrees with the plain reference on every text of the real site and
/// on the awkward cases: joiners at the ends of words, `%` runs, width forms, astral characters.
#[test]
fn scanner_agrees_with_the_reference() {
    let site = build("2026-11-21");
    let ix = read_index(&site.root);
    let mut inputs: Vec<String> = ix.texts.clone();
    let parts = [
        "1.",
        ".1",
        "1.2.3",
        "3:1:",
        "2,000,",
        ",5",
        "25%%",
        "5%5",
        "a%",
        "%1",
        "１２３４",
        "Ａｂｃ",
        "ＡＢ１．５",
        "年",
        "年度",
        "国际联合",
        "〇",
        "㐀",
        "豈",
        "𠀀",
        "😀",
        "　",
        " ",
        "x",
        "R&D",
        "3：1",
        "１，０００",
        "報",
        "國際",
        "乾",
    ];
    for a in parts {
        for b in parts {
            for c in ["", "年", "1", "."] {
                inputs.push(format!("{a}{b}{c}"));
                inputs.push(format!("{c}{a}{c}{b}"));
            }
        }
    }
    let mut bad = Vec::new();
    for text in &inputs {
        let got: Vec<(String, usize, usize)> = tokenize(text)
            .into_iter()
            .map(|t| (t.text, t.start, t.end))
            .collect();
        if got != reference_tokens(text) {
            bad.push(format!("{text:?}: {got:?} != {:?}", reference_tokens(text)));
        }
    }
    assert!(
        bad.is_empty(),
        "{}",
        bad.iter().take(10).cloned().collect::<Vec<_>>().join("\n")
    );
}

/// The digits of number strings, as index.rs documents them: `!` to `~` without `"` and `\`;
/// the first 60 are final digits, the last 32 leading (base-32) digits.
const ALPHABET: &str =
    "!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";

fn nums(s: &str) -> Vec<i64> {
    let mut out = Vec::new();
    let mut q = 0i64;
    for c in s.chars() {
        let d = ALPHABET
            .find(c)
            .unwrap_or_else(|| panic!("{c:?} is not a digit")) as i64;
        if d >= 60 {
            q = q * 32 + d - 60;
        } else {
            out.push(q * 60 + d);
            q = 0;
        }
    }
    assert_eq!(q, 0, "a number string ends with a final digit");
    out
}

fn unzig(v: i64) -> i64 {
    if v % 2 == 0 {
        v / 2
    } else {
        -(v + 1) / 2
    }
}

/// The JSON payload of an index script `AtlasSearch.load("name",{...});`.
fn payload(path: &Path) -> (String, Value) {
    let s = std::fs::read_to_string(path).unwrap();
    let rest = s
        .strip_prefix("AtlasSearch.load(")
        .unwrap_or_else(|| panic!("{}: not an index script", path.display()));
    let body = rest.trim_end().strip_suffix(");").expect("ends with );");
    let mut de = serde_json::Deserializer::from_str(body).into_iter::<Value>();
    let name = de.next().unwrap().unwrap().as_str().unwrap().to_string();
    let at = de.byte_offset();
    let data: Value =
        serde_json::from_str(body[at..].trim_start().strip_prefix(',').unwrap()).unwrap();
    (name, data)
}

/// One document as the index describes it.
struct IxDoc {
    href: String,
    label: String,
    context: String,
    label_en: String,
    context_en: String,
    kind: String,
    measure: Option<usize>,
    text: usize,
    topics: Vec<usize>,
}

/// Postings of one key: text → positions (token keys) or → count (character keys, one
/// "position" holding the count).
type Postings = BTreeMap<usize, Vec<usize>>;

struct Index {
    meta: Value,
    docs: Vec<IxDoc>,
    texts: Vec<String>,
    /// Token count of each text.
    lens: Vec<usize>,
    tokens: BTreeMap<String, Postings>,
    chars: BTreeMap<String, Postings>,
    bytes: usize,
    files: Vec<(String, usize)>,
    /// `arts.js`: each article's (measure, number, first document).
    arts: Vec<(usize, i64, usize)>,
}

impl Index {
    fn text(&self, d: usize) -> &str {
        &self.texts[self.docs[d].text]
    }
}

fn decode_postings(s: &str, with_positions: bool) -> Postings {
    let n = nums(s);
    let mut out = Postings::new();
    let (mut i, mut text) = (0, -1i64);
    while i < n.len() {
        if !with_positions {
            // A character: 2 × gap + 1 and the count minus two, or 2 × gap for one occurrence.
            text += n[i] / 2 + 1;
            let count = if n[i] % 2 == 1 {
                i += 1;
                n[i] as usize + 2
            } else {
                1
            };
            i += 1;
            out.insert(text as usize, vec![count]);
            continue;
        }
        text += n[i] + 1;
        let count = n[i + 1] as usize + 1;
        i += 2;
        let mut ps: Vec<usize> = Vec::with_capacity(count);
        for k in 0..count {
            let p = if k == 0 {
                n[i]
            } else {
                ps[k - 1] as i64 + n[i] + 1
            };
            ps.push(p as usize);
            i += 1;
        }
        out.insert(text as usize, ps);
    }
    out
}

fn read_index(root: &Path) -> Index {
    let dir = root.join("assets/search");
    let mut files: Vec<(String, usize)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().len() as usize,
            )
        })
        .collect();
    files.sort();
    let bytes = files.iter().map(|f| f.1).sum();
    let (name, meta) = payload(&dir.join("meta.js"));
    assert_eq!(name, "meta");
    assert_eq!(meta["v"], 3, "format version");
    let ndocs = meta["ndocs"].as_u64().unwrap() as usize;

    // Per-document columns.
    let mk = nums(meta["docs"]["mk"].as_str().unwrap());
    let xs = nums(meta["docs"]["x"].as_str().unwrap());
    assert_eq!(
        (mk.len(), xs.len()),
        (ndocs, ndocs),
        "one entry per document"
    );
    let kinds: Vec<String> = meta["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    let mut topics = vec![Vec::new(); ndocs];
    let tp = nums(meta["docs"]["tp"].as_str().unwrap());
    let (mut i, mut doc) = (0, -1i64);
    while i < tp.len() {
        doc += tp[i] + 1;
        let n = tp[i + 1] as usize;
        topics[doc as usize] = tp[i + 2..i + 2 + n].iter().map(|t| *t as usize).collect();
        i += 2 + n;
    }

    // Texts.
    let lens: Vec<usize> = nums(meta["n"].as_str().unwrap())
        .into_iter()
        .map(|n| n as usize)
        .collect();
    let mut texts = Vec::new();
    for (c, start) in meta["texts"].as_array().unwrap().iter().enumerate() {
        let (name, list) = payload(&dir.join(format!("x-{c}.js")));
        assert_eq!(name, format!("x{c}"));
        assert_eq!(
            texts.len() as u64,
            start.as_u64().unwrap(),
            "text chunk {c}"
        );
        texts.extend(
            list.as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string()),
        );
    }
    assert_eq!(texts.len(), lens.len(), "a token count per text");

    // Documents.
    let chunks = meta["chunks"].as_array().unwrap();
    let mut docs = Vec::with_capacity(ndocs);
    let (mut m, mut x) = (0i64, -1i64);
    for (c, start) in chunks.iter().enumerate() {
        let (name, chunk) = payload(&dir.join(format!("d-{c}.js")));
        assert_eq!(name, format!("d{c}"));
        assert_eq!(
            docs.len() as u64,
            start.as_u64().unwrap(),
            "document chunk {c}"
        );
        let strings: Vec<&str> = chunk["s"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        let rows = nums(chunk["r"].as_str().unwrap());
        for r in rows.chunks(6) {
            let d = docs.len();
            let [page, anchor, label, context, label_en, context_en] =
                [0, 1, 2, 3, 4, 5].map(|k| strings[r[k] as usize]);
            m += unzig(mk[d] / 8);
            x += 1 + unzig(xs[d]);
            docs.push(IxDoc {
                href: if anchor.is_empty() {
                    page.to_string()
                } else {
                    format!("{page}#{anchor}")
                },
                label: label.to_string(),
                context: context.to_string(),
                label_en: label_en.to_string(),
                context_en: context_en.to_string(),
                kind: kinds[(mk[d] % 8) as usize].clone(),
                measure: (m > 0).then(|| m as usize - 1),
                text: x as usize,
                topics: std::mem::take(&mut topics[d]),
            });
        }
    }
    assert_eq!(docs.len(), ndocs, "every document has a row");

    // Token shards: every key sits in the shard its hash says.
    let cuts: Vec<u32> = meta["cuts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_u64().unwrap() as u32)
        .collect();
    let (mut tokens, mut chars) = (BTreeMap::new(), BTreeMap::new());
    for s in 0..=cuts.len() {
        let (name, data) = payload(&dir.join(format!("t-{s}.js")));
        assert_eq!(name, format!("t{s}"));
        for (part, out, positions) in [("t", &mut tokens, true), ("c", &mut chars, false)] {
            for (k, v) in data[part].as_object().unwrap() {
                let shard = cuts.iter().filter(|c| **c <= hash(k)).count();
                assert_eq!(shard, s, "key {k:?} is in the shard of its hash");
                out.insert(k.clone(), decode_postings(v.as_str().unwrap(), positions));
            }
        }
    }
    // Article starts: document gap, then zigzag(number − expected) (index.rs).
    let (name, arts_data) = payload(&dir.join("arts.js"));
    assert_eq!(name, "arts");
    let a = nums(arts_data.as_str().unwrap());
    assert_eq!(a.len() % 2, 0, "pairs");
    let mut arts = Vec::new();
    let (mut doc, mut prev) = (0i64, None::<(usize, i64)>);
    for p in a.chunks(2) {
        doc += p[0];
        let m = docs[doc as usize]
            .measure
            .expect("an article belongs to a measure");
        let expected = match prev {
            Some((pm, pn)) if pm == m => pn + 1,
            _ => 1,
        };
        let n = expected + unzig(p[1]);
        arts.push((m, n, doc as usize));
        prev = Some((m, n));
    }
    // engine.js, meta.js, arts.js and the chunks and shards.
    let expected = 3 + chunks.len() + meta["texts"].as_array().unwrap().len() + cuts.len() + 1;
    assert_eq!(files.len(), expected, "no stray index files: {files:?}");
    Index {
        meta,
        docs,
        texts,
        lens,
        tokens,
        chars,
        bytes,
        files,
        arts,
    }
}

/// Documents whose text holds every token of `q` at consecutive positions.
fn phrase_docs(ix: &Index, q: &str) -> Vec<String> {
    phrase_docs_of(ix, q, &["article", "clause", "item"])
}

fn phrase_docs_of(ix: &Index, q: &str, wanted: &[&str]) -> Vec<String> {
    let ids = phrase_doc_ids(ix, q);
    // The measures' own text only (facts and topics restate it).
    ids.into_iter()
        .map(|d| &ix.docs[d])
        .filter(|d| wanted.contains(&d.kind.as_str()))
        .map(|d| d.href.clone())
        .collect()
}

/// Documents (by index) whose text holds every token of `q` at consecutive positions.
fn phrase_doc_ids(ix: &Index, q: &str) -> BTreeSet<usize> {
    let toks = tokenize(q);
    let empty = Postings::new();
    let per_token: Vec<&Postings> = toks
        .iter()
        .map(|t| ix.tokens.get(&t.text).unwrap_or(&empty))
        .collect();
    let hit = |text: usize| {
        per_token[0].get(&text).is_some_and(|starts| {
            starts.iter().any(|p| {
                per_token
                    .iter()
                    .enumerate()
                    .all(|(k, m)| m.get(&text).is_some_and(|ps| ps.contains(&(p + k))))
            })
        })
    };
    (0..ix.docs.len())
        .filter(|d| hit(ix.docs[*d].text))
        .collect()
}

/// `arts.js` names, for every article of every measure numbered in articles (read from
/// content/measures), the first document of that article: its summary, linking to the article.
#[test]
fn article_table_points_at_each_article() {
    let site = build("2026-11-21");
    let ix = read_index(&site.root);
    let measures = ix.meta["measures"].as_array().unwrap();
    let mut want = Vec::new();
    for e in std::fs::read_dir(repo().join("content/measures")).unwrap() {
        let v: toml::Value =
            toml::from_str(&std::fs::read_to_string(e.unwrap().path()).unwrap()).unwrap();
        let id = v["id"].as_str().unwrap();
        let m = measures.iter().position(|x| x[0] == id).unwrap();
        for a in v
            .get("article")
            .and_then(|a| a.as_array())
            .into_iter()
            .flatten()
        {
            want.push((m, a["number"].as_integer().unwrap()));
        }
    }
    want.sort();
    let mut got: Vec<(usize, i64)> = ix.arts.iter().map(|(m, n, _)| (*m, *n)).collect();
    got.sort();
    assert_eq!(
        got, want,
        "one entry per article, none for the MOE call's parts"
    );
    for (m, n, d) in &ix.arts {
        let id = measures[*m][0].as_str().unwrap();
        let doc = &ix.docs[*d];
        assert_eq!(
            doc.href,
            format!("measures/{id}.html#art-{n}"),
            "article {n} of {id}"
        );
        // The document before it belongs to another article (or is the measure's title).
        let before = &ix.docs[d - 1];
        assert!(
            before.href != doc.href && !before.href.starts_with(&format!("{}-", doc.href)),
            "{} precedes article {n} of {id}: not its first document",
            before.href
        );
    }
}

#[test]
fn index_files_answer_the_known_queries() {
    let site = build("2026-11-21");
    let ix = read_index(&site.root);
    // Answers read from content/sources (see tests/browser.rs for the quotes).
    let cases: &[(&str, &[&str])] = &[
        ("外籍", &["measures/yunnan-ijl-2025.html#art-7-4"]),
        ("3:1", &["measures/yunnan-ijl-2025.html#art-23"]),
        (
            "学术委员会",
            &[
                "measures/yunnan-ijl-2025.html#art-11",
                "measures/zhejiang-ijl-2026.html#art-16",
            ],
        ),
        (
            "年度报告",
            &[
                "measures/zhejiang-ijl-2026.html#art-18",
                "measures/zhejiang-ijl-2026.html#art-25-1",
                "measures/zhejiang-ijl-2026.html#art-25-3",
                "measures/kunming-bases-2020.html#art-15",
            ],
        ),
        (
            "300万元",
            &[
                "measures/yunnan-ijl-2025.html#art-23",
                "measures/kunming-bases-2020.html#art-6-3",
            ],
        ),
    ];
    for (q, want) in cases {
        let mut got = phrase_docs(&ix, q);
        got.sort();
        let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(got, want, "units containing {q}");
    }
    assert_eq!(phrase_docs(&ix, "300 万元"), phrase_docs(&ix, "300万元"));
    // A one-character query uses the character table: 奖 appears once in the national bases'
    // 第十三条 (给予表彰及奖励) and never in Kunming's measure.
    let jiang = &ix.chars["奖"];
    let count = |href: &str| {
        let d = ix
            .docs
            .iter()
            .find(|d| d.href == href && d.kind == "article");
        jiang.get(&d.expect(href).text).map(|c| c[0])
    };
    assert_eq!(count("measures/national-bases-2019.html#art-13"), Some(1));
    assert!(ix
        .docs
        .iter()
        .filter(|d| d.href.starts_with("measures/kunming-bases-2020.html"))
        .all(|d| !jiang.contains_key(&d.text)));
}

/// The postings are exactly what the tokenizer makes of the texts: every token at every
/// position, every Han character with its count, every text's token count, and nothing else.
#[test]
fn postings_are_the_tokens_of_the_texts() {
    let site = build("2026-11-21");
    let ix = read_index(&site.root);
    let mut tokens: BTreeMap<String, Postings> = BTreeMap::new();
    let mut chars: BTreeMap<String, Postings> = BTreeMap::new();
    for (t, text) in ix.texts.iter().enumerate() {
        let toks = tokenize(text);
        assert_eq!(ix.lens[t], toks.len(), "token count of text {t}");
        for (p, tk) in toks.iter().enumerate() {
            tokens
                .entry(tk.text.clone())
                .or_default()
                .entry(t)
                .or_default()
                .push(p);
        }
        for c in text.chars().map(fold_char).filter(|c| is_han(*c)) {
            let e = chars
                .entry(c.to_string())
                .or_default()
                .entry(t)
                .or_default();
            match e.first_mut() {
                Some(n) => *n += 1,
                None => e.push(1),
            }
        }
    }
    assert_eq!(
        ix.tokens.len(),
        tokens.len(),
        "one entry per distinct token"
    );
    assert!(
        ix.tokens == tokens,
        "token postings differ from the tokenizer's"
    );
    assert!(ix.chars == chars, "character counts differ from the texts'");
}

/// Documents with the same words share one stored text; every text is used.
#[test]
fn documents_share_their_texts() {
    let site = build("2026-11-21");
    let ix = read_index(&site.root);
    let mut seen = std::collections::HashSet::new();
    assert!(
        ix.texts.iter().all(|t| seen.insert(t.as_str())),
        "texts are distinct"
    );
    let mut used = vec![false; ix.texts.len()];
    for d in &ix.docs {
        used[d.text] = true;
    }
    assert!(used.iter().all(|u| *u), "every text belongs to a document");
    // Texts are numbered in order of first use.
    let mut next = 0;
    for d in &ix.docs {
        assert!(d.text <= next, "text {} before text {next}", d.text);
        next = next.max(d.text + 1);
    }
    let shared = ix.docs.len() - ix.texts.len();
    eprintln!("{} documents, {} texts", ix.docs.len(), ix.texts.len());
    assert!(
        shared > 0,
        "the real site has repeated texts (e.g. identical clauses)"
    );
}

/// Every document links to an element that exists, and a text document's words are exactly
/// the words of the unit it links to; its measure and topics are those of the site.
#[test]
fn every_document_is_the_text_of_its_anchor() {
    let site = build("2026-11-21");
    let ix = read_index(&site.root);
    let measures = ix.meta["measures"].as_array().unwrap();
    let mut pages = BTreeMap::new();
    let mut bad = Vec::new();
    for (i, d) in ix.docs.iter().enumerate() {
        let text = ix.text(i);
        let (path, anchor) = d.href.split_once('#').unwrap_or((&d.href, ""));
        if let (Some(m), true) = (d.measure, path.starts_with("measures/")) {
            let id = measures[m][0].as_str().unwrap();
            if path != format!("measures/{id}.html") {
                bad.push(format!("{}: measure {id}", d.href));
            }
        }
        if d.label.is_empty() {
            bad.push(format!("{}: no label", d.href));
        }
        // The English edition names every result in English: a unit by its citation.
        let unit = matches!(d.kind.as_str(), "article" | "clause" | "item" | "summary");
        if d.label_en.is_empty()
            || (unit && !d.label_en.starts_with("Art. ") && !d.label_en.starts_with("Part "))
        {
            bad.push(format!("{}: English name {:?}", d.href, d.label_en));
        }
        if d.context_en
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
            && !unit
        {
            bad.push(format!(
                "{}: Chinese in the English context {:?}",
                d.href, d.context_en
            ));
        }
        let html = pages
            .entry(path.to_string())
            .or_insert_with(|| site.page(path));
        if anchor.is_empty() {
            continue; // a measure's titles: checked by the browser test on English titles
        }
        let el = html.select(&sel(&format!("[id=\"{anchor}\"]"))).next();
        match el {
            None => bad.push(format!("{}: no such anchor", d.href)),
            Some(el) => {
                // Facts restate a unit in their own words; only the measures' text is verbatim.
                let verbatim = matches!(d.kind.as_str(), "article" | "clause" | "item");
                if verbatim && !fold(&reading_text(el)).contains(&fold(text)) {
                    bad.push(format!("{}: {text:?} is not the unit's text", d.href));
                }
                if verbatim && d.context.is_empty() {
                    bad.push(format!("{}: no context", d.href));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // Topic filters: the annual-reporting facts cite Kunming 第十五条 and Zhejiang 第十八条.
    let topics = ix.meta["topics"].as_array().unwrap();
    let annual = topics
        .iter()
        .position(|t| t["id"] == "annual-reporting")
        .expect("topic annual-reporting");
    let tagged: Vec<&str> = ix
        .docs
        .iter()
        .filter(|d| d.kind == "article" && d.topics.contains(&annual))
        .map(|d| d.href.as_str())
        .collect();
    for want in [
        "measures/kunming-bases-2020.html#art-15",
        "measures/zhejiang-ijl-2026.html#art-18",
    ] {
        assert!(
            tagged.contains(&want),
            "{want} under annual-reporting: {tagged:?}"
        );
    }
}

#[test]
fn first_page_stays_small_and_loads_no_index() {
    let site = build("2026-11-21");
    let ix = read_index(&site.root);
    for rel in site.pages() {
        let html = std::fs::read_to_string(site.root.join(&rel)).unwrap();
        assert!(
            !html.contains("assets/search/"),
            "{}: the index and the engine are loaded on demand only",
            rel.display()
        );
    }
    // Home page plus everything it loads before a search.
    let home = site.page("index.html");
    let mut bytes = std::fs::metadata(site.root.join("index.html"))
        .unwrap()
        .len() as usize;
    for e in home.select(&sel("link[rel=stylesheet][href], script[src]")) {
        let r = e
            .value()
            .attr("href")
            .or_else(|| e.value().attr("src"))
            .unwrap();
        bytes += std::fs::metadata(site.root.join(r))
            .unwrap_or_else(|err| panic!("{r}: {err}"))
            .len() as usize;
    }
    let loader = std::fs::metadata(site.root.join("assets/search.js"))
        .unwrap()
        .len();
    let per_doc = ix.bytes / ix.docs.len();
    eprintln!(
        "first page: {bytes} bytes (search box {loader}); index: {} bytes in {} files for {} documents ({per_doc} bytes each)",
        ix.bytes,
        ix.files.len(),
        ix.docs.len()
    );
    assert!(
        bytes <= 100 * 1024,
        "first page is {bytes} bytes, over the 100 KB budget"
    );
    assert!(
        loader <= 4 * 1024,
        "the search code every page loads is {loader} bytes"
    );
    assert!(per_doc < 1024, "index costs {per_doc} bytes a document");
    for (name, len) in &ix.files {
        assert!(*len < 64 * 1024, "{name} is {len} bytes: files stay small");
    }
}

/// At scale the index stays small: a synthetic corpus of 40 measures (the same clauses copied
/// with other names, as real measures copy each other) costs well under the old ~900 bytes a
/// document, most of it shared text, in files of bounded size.
#[test]
fn synthetic_corpus_index_is_compact() {
    let tmp = tempfile::tempdir().unwrap();
    let content = atlas::synth::run(&repo().join("content"), tmp.path(), 40, 7).expect("synth");
    let (corpus, report) = atlas::content::load(&content);
    assert!(!report.has_errors());
    let as_of = time::Date::from_calendar_date(2026, time::Month::January, 1).unwrap();
    let site = atlas::site::model(&corpus, as_of);
    let c = atlas::search::corpus(&site, &|l| (l.code().to_string(), l.code().to_string()));
    let files = atlas::search::index::build(&c);
    let bytes: usize = files
        .iter()
        .filter(|(k, _)| k.as_str() != "engine.js")
        .map(|(_, v)| v.len())
        .sum();
    let per_doc = bytes / c.docs.len();
    let texts = files.keys().filter(|k| k.starts_with("x-")).count();
    eprintln!(
        "40 measures: {} documents, {bytes} index bytes ({per_doc} a document) in {} files ({texts} text chunks)",
        c.docs.len(),
        files.len()
    );
    assert!(per_doc < 400, "{per_doc} bytes a document");
    assert!(files.values().all(|v| v.len() < 64 * 1024));
    // The same corpus gives the same bytes.
    assert!(
        atlas::search::index::build(&atlas::search::corpus(&site, &|l| (
            l.code().to_string(),
            l.code().to_string()
        ))) == files
    );
    // A build makes and indexes the documents a measure at a time, and document chunks span
    // measures: the same files.
    let mut written = atlas::search::index::IndexFiles::new();
    atlas::search::write(
        &site,
        &|l| (l.code().to_string(), l.code().to_string()),
        &|| true,
        &mut |path, bytes| {
            let name = path
                .strip_prefix("assets/search")
                .expect("under assets/search");
            written.insert(name.to_string_lossy().into_owned(), bytes);
        },
    )
    .expect("wanted throughout");
    assert_eq!(written.len(), files.len());
    assert!(written == files);
}

/// English words find the articles through their summaries: the hits for "annual report" are
/// exactly the articles whose summary says it (read from content/measures), among them
/// Kunming 第十五条 (实行年度报告制度) and Zhejiang 第十八条 (年报制度).
#[test]
fn english_queries_find_articles_through_their_summaries() {
    let site = build("2026-11-21");
    let ix = read_index(&site.root);
    let mut want = Vec::new();
    for e in std::fs::read_dir(atlas_tests::repo().join("content/measures")).unwrap() {
        let path = e.unwrap().path();
        let v: toml::Value = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let id = v["id"].as_str().unwrap().to_string();
        for (key, prefix) in [("article", "art"), ("section", "sec")] {
            for a in v.get(key).and_then(|a| a.as_array()).into_iter().flatten() {
                let summary = a["summary_en"].as_str().unwrap_or("").to_lowercase();
                if summary.contains("annual report") {
                    want.push(format!(
                        "measures/{id}.html#{prefix}-{}",
                        a["number"].as_integer().unwrap()
                    ));
                }
            }
        }
    }
    want.sort();
    let mut got = phrase_docs_of(&ix, "annual report", &["summary"]);
    got.sort();
    assert_eq!(got, want);
    assert!(
        got.contains(&"measures/kunming-bases-2020.html#art-15".to_string()),
        "{got:?}"
    );
    assert!(
        got.contains(&"measures/zhejiang-ijl-2026.html#art-18".to_string()),
        "{got:?}"
    );
    // Case and width do not matter.
    let mut upper = phrase_docs_of(&ix, "ANNUAL Report", &["summary"]);
    upper.sort();
    assert_eq!(upper, got);
}

/// Documents (by index) whose text has every key one word of `q` needs (query.rs rule 3: its
/// words and lone Han characters — these through the character table — and of a run of Han
/// pairs the first, every other one and the last, so 国际联合实验室 needs 国际, 联合, 实验 and
/// 验室): what a one-word query matches before ranking.
fn all_words_docs(ix: &Index, q: &str) -> BTreeSet<usize> {
    let toks = tokenize(q);
    let pair = |i: usize| toks[i].text.chars().count() == 2 && toks[i].text.chars().all(is_han);
    let mut keys: BTreeSet<String> = BTreeSet::new();
    let mut i = 0;
    while i < toks.len() {
        let mut j = i;
        while pair(i) && j + 1 < toks.len() && pair(j + 1) && toks[j + 1].start == toks[j].start + 1
        {
            j += 1;
        }
        for k in (i..=j).step_by(2).chain([j]) {
            keys.insert(toks[k].text.clone());
        }
        i = j + 1;
    }
    let empty = Postings::new();
    let lists: Vec<&Postings> = keys
        .iter()
        .map(|k| {
            let table = if k.chars().count() == 1 && k.chars().all(is_han) {
                &ix.chars
            } else {
                &ix.tokens
            };
            table.get(k).unwrap_or(&empty)
        })
        .collect();
    (0..ix.docs.len())
        .filter(|d| lists.iter().all(|l| l.contains_key(&ix.docs[*d].text)))
        .collect()
}

/// In Chromium, on a synthetic site of 30 measures: pages load neither the engine nor the
/// index until the search box is used; then a word found in most units (国际联合实验室)
/// counts every document that has it, shows exact phrases first and measure text before the
/// facts restating it; a one-character query counts every document with the character; and
/// a measure filter keeps that measure's documents only. Expectations come from the index as
/// decoded here.
#[test]
fn in_chromium_common_words_at_scale() {
    use harness::{file_url, Chromium};
    let tmp = tempfile::tempdir().unwrap();
    let content = atlas::synth::run(&repo().join("content"), tmp.path(), 30, 11).expect("synth");
    let root = tmp.path().join("site");
    let o = atlas::site::Options {
        content,
        theme: repo().join("themes/default"),
        out: root.clone(),
        as_of: Some("2026-01-01".into()),
    };
    atlas::site::build(&o, &mut atlas::diagnostics::Report::default()).expect("build");
    let ix = read_index(&root);
    let chromium = Chromium::launch();

    // Before any search: no engine, no index. On focus: the engine and meta.js only.
    let home = chromium.open(&file_url(&root.join("index.html"), ""));
    home.wait_for("document.readyState === 'complete'", "home page");
    std::thread::sleep(std::time::Duration::from_millis(200));
    let searched = |tab: &harness::Tab| -> Vec<String> {
        let mut v: Vec<String> = tab
            .log()
            .requests
            .iter()
            .filter_map(|u| u.split("assets/search/").nth(1).map(str::to_string))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    assert!(searched(&home).is_empty(), "{:?}", searched(&home));
    home.focus("#site-q");
    home.wait_for(
        "window.AtlasSearch && AtlasSearch.loaded.meta",
        "engine and meta on focus",
    );
    assert_eq!(searched(&home), ["engine.js", "meta.js"]);
    home.insert_text("国际联合实验室");
    home.wait_for("document.querySelector('#site-q-list a')", "suggestions");
    let suggested: usize = home.eval("return document.querySelectorAll('#site-q-list a').length;");
    assert_eq!(suggested, 8);

    let q = "国际联合实验室";
    let phrase: BTreeSet<String> = phrase_docs_of(
        &ix,
        q,
        &[
            "measure", "article", "clause", "item", "fact", "topic", "summary",
        ],
    )
    .into_iter()
    .collect();
    // The glossary's English rendering of 国际联合实验室 finds the English summaries that have
    // it as a phrase too (query.rs rule 5).
    let all: BTreeSet<usize> = all_words_docs(&ix, q)
        .union(&phrase_doc_ids(&ix, "international joint laboratory"))
        .copied()
        .collect();
    assert!(
        phrase.len() > 100,
        "a common phrase: {} documents",
        phrase.len()
    );
    let tab = chromium.open(&file_url(&root.join("search.html"), ""));
    tab.wait_for("window.AtlasSearch", "engine on the results page");
    let run = |q: &str, filters: &str| -> (usize, Vec<(String, i64, String)>) {
        tab.eval(&format!(
            "return await new Promise(res => AtlasSearch.search({q:?}, {filters}, (e, r) => AtlasSearch.docs(r.hits.map(h => h.doc), (e2, rows) => res([r.total, r.hits.map(h => [rows[h.doc][0], h.why.level, AtlasSearch.loaded.meta.kinds[AtlasSearch.loaded.meta.docs.k[h.doc]]])]))));"
        ))
    };
    let (total, hits) = run(q, "{}");
    assert_eq!(
        total,
        all.len(),
        "every document with all the words is counted"
    );
    assert_eq!(hits.len(), 100, "the first 100 are returned");
    for (href, level, _) in &hits {
        assert!(
            *level == 4 && phrase.contains(href),
            "{href}: an exact phrase first"
        );
    }
    // Measure text before facts and topics restating it, when there are that many.
    let own = ix
        .docs
        .iter()
        .filter(|d| phrase.contains(&d.href) && !matches!(d.kind.as_str(), "fact" | "topic"))
        .count();
    assert!(own >= 100 && hits.iter().all(|h| h.2 != "fact" && h.2 != "topic"));

    // One Han character: the character table, every document with it counted.
    let (total, hits) = run("奖", "{}");
    assert_eq!(total, all_words_docs(&ix, "奖").len());
    assert!(total > 0 && hits.iter().all(|h| h.1 == 4));

    // A measure's filter.
    let id = ix.meta["measures"][3][0].as_str().unwrap().to_string();
    let (total, hits) = run(q, &format!("{{measure: {id:?}}}"));
    let want = all
        .iter()
        .filter(|d| ix.docs[**d].measure == Some(3))
        .count();
    assert_eq!(total, want);
    assert!(!hits.is_empty());
    for (href, _, kind) in &hits {
        assert!(
            href.starts_with(&format!("measures/{id}.html")) || kind == "fact",
            "{href} under the filter {id}"
        );
    }

    // The shareable results page shows the first 100 and says how many there are.
    let page = chromium.open(&file_url(
        &root.join("search.html"),
        &format!("?q={}", harness::encode(q)),
    ));
    page.wait_for(
        "document.getElementById('search-app').hasAttribute('data-done')",
        "results page",
    );
    let (shown, status): (usize, String) = page.eval(
        "return [document.querySelectorAll('#search-results .search-hit').length, document.querySelector('.search-status').textContent];",
    );
    assert_eq!(shown, 100);
    assert!(status.contains(&all.len().to_string()), "{status}");
    for t in [home, tab, page] {
        t.close();
    }
    chromium.close();
}
