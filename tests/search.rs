//! Search without a browser: the Rust tokenizer against the shared vectors, and the index files
//! of a real build (format, budget, and that every document is the page's own text).

use std::collections::BTreeMap;
use std::path::Path;

use atlas::search::tokenizer::{hash, tokenize};
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
    assert!(bad.is_empty(), "{}", bad.join("\n"));
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

struct Index {
    meta: Value,
    docs: Vec<Value>,
    shards: Vec<Value>,
    bytes: usize,
}

fn read_index(root: &Path) -> Index {
    let dir = root.join("assets/search");
    let (name, meta) = payload(&dir.join("meta.js"));
    assert_eq!(name, "meta");
    let mut bytes = std::fs::metadata(dir.join("meta.js")).unwrap().len() as usize;
    let mut docs = Vec::new();
    for (c, start) in meta["chunks"].as_array().unwrap().iter().enumerate() {
        let p = dir.join(format!("d-{c}.js"));
        bytes += std::fs::metadata(&p).unwrap().len() as usize;
        let (name, rows) = payload(&p);
        assert_eq!(name, format!("d{c}"));
        assert_eq!(
            docs.len() as u64,
            start.as_u64().unwrap(),
            "chunk {c} starts where the previous ended"
        );
        docs.extend(rows.as_array().unwrap().iter().cloned());
    }
    let mut shards = Vec::new();
    for s in 0..meta["shards"].as_u64().unwrap() {
        let p = dir.join(format!("t-{s}.js"));
        bytes += std::fs::metadata(&p).unwrap().len() as usize;
        let (name, data) = payload(&p);
        assert_eq!(name, format!("t{s}"));
        shards.push(data);
    }
    let files = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(
        files,
        1 + meta["chunks"].as_array().unwrap().len() + shards.len(),
        "no stray index files"
    );
    Index {
        meta,
        docs,
        shards,
        bytes,
    }
}

/// Documents whose postings hold every token of `q` at consecutive positions (decoded here
/// from the documented format, independently of search.js).
fn phrase_docs(ix: &Index, q: &str) -> Vec<String> {
    phrase_docs_of(ix, q, &["article", "clause", "item"])
}

fn phrase_docs_of(ix: &Index, q: &str, wanted: &[&str]) -> Vec<String> {
    let toks = tokenize(q);
    let n = ix.shards.len() as u32;
    let mut per_token: Vec<BTreeMap<usize, Vec<usize>>> = Vec::new();
    for t in &toks {
        let flat: Vec<usize> = ix.shards[(hash(&t.text) % n) as usize]["t"][&t.text]
            .as_array()
            .map(|a| a.iter().map(|x| x.as_u64().unwrap() as usize).collect())
            .unwrap_or_default();
        let mut m = BTreeMap::new();
        let (mut i, mut doc) = (0, 0);
        while i < flat.len() {
            doc += flat[i];
            let c = flat[i + 1];
            let mut p = 0;
            let ps: Vec<usize> = flat[i + 2..i + 2 + c]
                .iter()
                .map(|d| {
                    p += d;
                    p
                })
                .collect();
            m.insert(doc, ps);
            i += 2 + c;
        }
        per_token.push(m);
    }
    // The measures' own text only (facts and topics restate it).
    let kinds = ix.meta["kinds"].as_array().unwrap();
    let text_kind = |d: usize| {
        let k = &kinds[ix.meta["docs"]["k"][d].as_u64().unwrap() as usize];
        k.as_str().is_some_and(|k| wanted.contains(&k))
    };
    let mut out = Vec::new();
    for (doc, starts) in per_token[0].iter().filter(|(d, _)| text_kind(**d)) {
        let hit = starts.iter().any(|p| {
            per_token
                .iter()
                .enumerate()
                .all(|(k, m)| m.get(doc).is_some_and(|ps| ps.contains(&(p + k))))
        });
        if hit {
            out.push(ix.docs[*doc][0].as_str().unwrap().to_string());
        }
    }
    out
}

#[test]
fn index_files_answer_the_known_queries() {
    let site = build("2026-11-21");
    let ix = read_index(&site.root);
    let ndocs = ix.docs.len();
    for col in ["m", "k", "n"] {
        assert_eq!(
            ix.meta["docs"][col].as_array().unwrap().len(),
            ndocs,
            "column {col}"
        );
    }
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
}

/// Every document links to an element that exists, and a text document's words are exactly
/// the words of the unit it links to.
#[test]
fn every_document_is_the_text_of_its_anchor() {
    let site = build("2026-11-21");
    let ix = read_index(&site.root);
    let mut pages = BTreeMap::new();
    let mut bad = Vec::new();
    let kinds = ix.meta["kinds"].as_array().unwrap().clone();
    for (i, d) in ix.docs.iter().enumerate() {
        let kind = kinds[ix.meta["docs"]["k"][i].as_u64().unwrap() as usize]
            .as_str()
            .unwrap();
        let href = d[0].as_str().unwrap();
        let text = d[3].as_str().unwrap();
        let (path, anchor) = href.split_once('#').unwrap_or((href, ""));
        let html = pages
            .entry(path.to_string())
            .or_insert_with(|| site.page(path));
        if anchor.is_empty() {
            continue; // a measure's titles: checked by the browser test on English titles
        }
        let el = html.select(&sel(&format!("[id=\"{anchor}\"]"))).next();
        match el {
            None => bad.push(format!("{href}: no such anchor")),
            Some(el) => {
                // Facts restate a unit in their own words; only the measures' text is verbatim.
                let verbatim = matches!(kind, "article" | "clause" | "item");
                if verbatim && !fold(&reading_text(el)).contains(&fold(text)) {
                    bad.push(format!("{href}: {text:?} is not the unit's text"));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn first_page_stays_small_and_loads_no_index() {
    let site = build("2026-11-21");
    let ix = read_index(&site.root);
    for rel in site.pages() {
        let html = std::fs::read_to_string(site.root.join(&rel)).unwrap();
        assert!(
            !html.contains("assets/search/"),
            "{}: the index is loaded on demand only",
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
    let per_doc = ix.bytes / ix.docs.len();
    eprintln!(
        "first page: {bytes} bytes; index: {} bytes for {} documents ({per_doc} bytes each)",
        ix.bytes,
        ix.docs.len()
    );
    assert!(
        bytes <= 100 * 1024,
        "first page is {bytes} bytes, over the 100 KB budget"
    );
    assert!(per_doc < 2048, "index costs {per_doc} bytes a document");
    for s in std::fs::read_dir(site.root.join("assets/search")).unwrap() {
        let len = s.unwrap().metadata().unwrap().len();
        assert!(
            len < 64 * 1024,
            "an index file is {len} bytes: chunks stay small"
        );
    }
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
