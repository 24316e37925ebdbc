//! The Akoma Ntoso 3.0 export (issue 27): every measure's `data/akn/<id>.xml` is valid against
//! the OASIS schema (vendored in `tests/tools/akn/`, checked with xmllint), holds every unit of
//! the measure's text word for word under its AKN eId, names each unit as the site's anchors
//! do, and says what the source texts say (Yunnan's 30 articles, its 文号 …).
//!
//! The verbatim text is compared with the content files read here with the `toml` crate, not
//! with the generator's model, and the XML is read back with roxmltree, not the writer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use atlas_tests::repo;
use roxmltree::{Document, Node};

const AKN: &str = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0";

/// The measures of the bundled content, by id, as their TOML.
fn measures() -> BTreeMap<String, toml::Table> {
    let dir = repo().join("content/measures");
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "toml") {
            let t: toml::Table = std::fs::read_to_string(&path).unwrap().parse().unwrap();
            out.insert(t["id"].as_str().unwrap().to_string(), t);
        }
    }
    assert_eq!(out.len(), 5, "the five bundled measures");
    out
}

/// xmllint, which must be installed: the test fails rather than skips without it.
fn xmllint() -> &'static str {
    let ok = Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "xmllint not found: install libxml2-utils (apt-get install -y libxml2-utils) to validate \
         the Akoma Ntoso export against tests/tools/akn/akomantoso30.xsd"
    );
    "xmllint"
}

/// Validates `files` against the vendored OASIS schema; panics with xmllint's report.
fn validate(files: &[PathBuf]) {
    let schema = repo().join("tests/tools/akn/akomantoso30.xsd");
    let out = Command::new(xmllint())
        .arg("--noout")
        .arg("--nonet")
        .arg("--schema")
        .arg(&schema)
        .args(files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the Akoma Ntoso export is not valid against {}:\n{}",
        schema.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The text of `n`, all its descendants' text joined (a `<ref>`'s words included, a
/// `<noteRef/>` adding nothing).
fn text(n: Node) -> String {
    n.descendants()
        .filter(|d| d.is_text())
        .map(|d| d.text().unwrap())
        .collect()
}

/// The child elements of `n` named `name` (in the AKN namespace).
fn kids<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Vec<Node<'a, 'i>> {
    n.children()
        .filter(|c| c.is_element() && c.tag_name().name() == name)
        .inspect(|c| assert_eq!(c.tag_name().namespace(), Some(AKN)))
        .collect()
}

fn kid<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Node<'a, 'i> {
    let k = kids(n, name);
    assert_eq!(k.len(), 1, "one <{name}> in {:?}", n.attribute("eId"));
    k[0]
}

/// The words of a unit: its content's `<p>`, or its intro's when it has points (none when
/// its points follow its heading directly).
fn unit_text(n: Node) -> String {
    let holder = kids(n, "content")
        .into_iter()
        .chain(kids(n, "intro"))
        .next();
    match holder {
        Some(h) => text(kid(h, "p")),
        None => {
            assert!(
                !kids(n, "point").is_empty(),
                "{:?} has no content, intro or points",
                n.attribute("eId")
            );
            String::new()
        }
    }
}

fn array<'t>(t: &'t toml::Table, key: &str) -> Vec<&'t toml::Table> {
    t.get(key)
        .and_then(|v| v.as_array())
        .map(|a| a.iter().map(|x| x.as_table().unwrap()).collect())
        .unwrap_or_default()
}

fn s<'t>(t: &'t toml::Table, key: &str) -> &'t str {
    t[key].as_str().unwrap()
}

/// Asserts that the points under `unit` are the `clause`s then `item`s of `t`, label and text
/// word for word, nested; returns how many units it compared.
fn same_points(unit: Node, t: &toml::Table, what: &str) -> usize {
    let want: Vec<&toml::Table> = array(t, "clause")
        .into_iter()
        .chain(array(t, "item"))
        .collect();
    let got = kids(unit, "point");
    assert_eq!(got.len(), want.len(), "{what}: points");
    let mut n = 0;
    for (p, w) in got.iter().zip(want) {
        let id = p.attribute("eId").unwrap();
        assert_eq!(text(kid(*p, "num")), s(w, "label"), "{what} {id}: num");
        assert_eq!(unit_text(*p), s(w, "text"), "{what} {id}: verbatim text");
        n += 1 + same_points(*p, w, what);
    }
    n
}

/// The site anchor of the AKN eId `eid` (`art_19__para_2__point_1` → `art-19-p2-1`), given
/// whether a point directly under a paragraph is an item (`-iN`) rather than a clause.
fn anchor_of(eid: &str, item_under_para: bool) -> String {
    let mut parts = eid.split("__");
    let mut a = parts.next().unwrap().replace('_', "-");
    let mut depth = 0;
    for p in parts {
        if let Some(n) = p.strip_prefix("para_") {
            if n != "1" {
                a.push_str(&format!("-p{n}"));
            }
        } else if let Some(n) = p.strip_prefix("point_") {
            depth += 1;
            let i = if depth == 1 && item_under_para {
                "i"
            } else {
                ""
            };
            a.push_str(&format!("-{i}{n}"));
        }
    }
    a
}

/// The ids of the elements of a page.
fn page_ids(path: &Path) -> BTreeSet<String> {
    let html = scraper::Html::parse_document(&std::fs::read_to_string(path).unwrap());
    html.select(&atlas_tests::sel("[id]"))
        .map(|e| e.value().attr("id").unwrap().to_string())
        .collect()
}

/// Every measure's export exists, is valid Akoma Ntoso 3.0, holds every unit verbatim under an
/// eId the site's anchor maps to, and its notes are those of the content, each referenced.
#[test]
fn every_measure_exports_valid_akoma_ntoso() {
    let site = atlas_tests::build("2026-11-21");
    let measures = measures();
    let dir = site.root.join("data/akn");
    let written: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let want: BTreeSet<String> = measures.keys().map(|id| format!("{id}.xml")).collect();
    assert_eq!(written, want, "one data/akn/<id>.xml per measure");
    let files: Vec<PathBuf> = want.iter().map(|f| dir.join(f)).collect();
    validate(&files);

    for (id, t) in &measures {
        let xml = std::fs::read_to_string(dir.join(format!("{id}.xml"))).unwrap();
        let doc = Document::parse(&xml).unwrap_or_else(|e| panic!("{id}: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "akomaNtoso");
        assert_eq!(root.tag_name().namespace(), Some(AKN));
        let act = kid(root, "act");

        // eIds are unique; every internal link lands on one.
        let eids: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute("eId"))
            .collect();
        let unique: BTreeSet<&str> = eids.iter().copied().collect();
        assert_eq!(unique.len(), eids.len(), "{id}: eIds are unique");
        for n in doc.descendants().filter(|n| n.is_element()) {
            if let Some(h) = n.attribute("href").and_then(|h| h.strip_prefix('#')) {
                assert!(unique.contains(h), "{id}: #{h} names no element");
            }
        }

        // The units: the same articles (or parts), paragraphs, clauses and items as the
        // content file, in order, each word for word; each article's eId is the site's
        // anchor, which the measure page has.
        let page = page_ids(&site.root.join(format!("measures/{id}.html")));
        let sections = t.contains_key("section");
        let (key, element) = if sections {
            ("section", "section")
        } else {
            ("article", "article")
        };
        let body = kid(act, "body");
        let arts: Vec<Node> = body
            .descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == element)
            .collect();
        let want_arts = array(t, key);
        assert_eq!(arts.len(), want_arts.len(), "{id}: {element}s");
        let mut units = 0;
        for (a, w) in arts.iter().zip(&want_arts) {
            let number = w["number"].as_integer().unwrap();
            let eid = a.attribute("eId").unwrap();
            let prefix = if sections { "sec" } else { "art" };
            assert_eq!(eid, format!("{prefix}_{number}"), "{id}");
            let anchor = anchor_of(eid, false);
            assert_eq!(anchor, format!("{prefix}-{number}"));
            assert!(
                page.contains(&anchor),
                "{id}: {eid} ↔ #{anchor} on the page"
            );
            assert_eq!(text(kid(*a, "num")), s(w, "label"), "{id} {eid}");
            match w.get("heading").and_then(|h| h.as_str()) {
                Some(h) if !h.is_empty() => assert_eq!(text(kid(*a, "heading")), h),
                _ => assert!(kids(*a, "heading").is_empty(), "{id} {eid}: no heading"),
            }
            let paras = kids(*a, "paragraph");
            let want_paras: Vec<&toml::Table> =
                std::iter::once(*w).chain(array(w, "para")).collect();
            assert_eq!(paras.len(), want_paras.len(), "{id} {eid}: paragraphs");
            for (i, (p, wp)) in paras.iter().zip(want_paras).enumerate() {
                let pid = p.attribute("eId").unwrap();
                assert_eq!(pid, format!("{eid}__para_{}", i + 1));
                assert!(page.contains(&anchor_of(pid, false)), "{id}: {pid}");
                assert_eq!(unit_text(*p), s(wp, "text"), "{id} {pid}: verbatim text");
                units += 1 + same_points(*p, wp, &format!("{id} {pid}"));
                let under_para_items = !array(wp, "item").is_empty();
                for pt in p.descendants().filter(|n| n.has_tag_name((AKN, "point"))) {
                    let e = pt.attribute("eId").unwrap();
                    let anchor = anchor_of(e, under_para_items);
                    assert!(page.contains(&anchor), "{id}: {e} ↔ #{anchor} on the page");
                }
            }
        }
        assert!(units >= want_arts.len());

        // The notes: one editorial note per erratum, in order, with the transcriber's words,
        // each referenced from its unit (the annex is not exported, so its notes are not).
        let errata = array(t, "erratum");
        let notes: Vec<Node> = act
            .descendants()
            .filter(|n| n.has_tag_name((AKN, "note")))
            .collect();
        assert_eq!(notes.len(), errata.len(), "{id}: one note per erratum");
        for (n, e) in notes.iter().zip(&errata) {
            assert_eq!(n.attribute("class"), Some("editorial"));
            let ps = kids(*n, "p");
            assert_eq!(text(ps[0]), s(e, "note"), "{id}");
            let nid = n.attribute("eId").unwrap();
            let refs: Vec<Node> = body
                .parent()
                .unwrap()
                .descendants()
                .filter(|r| {
                    r.has_tag_name((AKN, "noteRef"))
                        && r.attribute("href") == Some(&format!("#{nid}"))
                })
                .collect();
            if s(e, "target") == "annex" {
                assert!(refs.is_empty());
                continue;
            }
            assert_eq!(refs.len(), 1, "{id}: {nid} referenced once");
            // After the unit's words, never inside them.
            let p = refs[0].parent().unwrap();
            assert_eq!(p.tag_name().name(), "p");
            assert!(refs[0]
                .next_siblings()
                .all(|x| x.is_element() && x.has_tag_name((AKN, "noteRef"))));
        }
    }
}

/// What the source texts say, found in the export: Yunnan's 30 articles in 8 chapters, its
/// 文号 and date of issue, the three clauses of Art. 19; the Ministry of Education's notice in
/// three numbered parts.
#[test]
fn the_export_says_what_the_sources_say() {
    let site = atlas_tests::build("2026-11-21");
    let read = |id: &str| {
        std::fs::read_to_string(site.root.join(format!("data/akn/{id}.xml")))
            .unwrap_or_else(|e| panic!("data/akn/{id}.xml: {e}"))
    };
    let xml = read("yunnan-ijl-2025");
    let doc = Document::parse(&xml).unwrap();
    let named = |name: &str| -> Vec<Node> {
        doc.descendants()
            .filter(|n| n.has_tag_name((AKN, name)))
            .collect()
    };
    assert_eq!(named("article").len(), 30);
    assert_eq!(named("chapter").len(), 8);
    assert_eq!(text(named("docNumber")[0]), "云科规〔2025〕12号");
    assert_eq!(text(named("docTitle")[0]), "云南省国际联合实验室管理办法");
    let work = named("FRBRWork")[0];
    assert_eq!(
        kid(work, "FRBRdate").attribute("date"),
        Some("2025-12-25"),
        "印发 2025年12月25日"
    );
    assert_eq!(kid(work, "FRBRcountry").attribute("value"), Some("cn"));
    let lang = named("FRBRlanguage")[0];
    assert_eq!(lang.attribute("language"), Some("zho"));
    let issuer = named("TLCOrganization")
        .into_iter()
        .find(|o| o.attribute("eId") == Some("issuer"))
        .unwrap();
    assert_eq!(issuer.attribute("showAs"), Some("云南省科学技术厅"));
    let art19 = named("article")
        .into_iter()
        .find(|a| a.attribute("eId") == Some("art_19"))
        .unwrap();
    assert_eq!(text(kid(art19, "num")), "第十九条");
    let para = kid(art19, "paragraph");
    let points: Vec<(String, String)> = kids(para, "point")
        .into_iter()
        .map(|p| (p.attribute("eId").unwrap().to_string(), text(kid(p, "num"))))
        .collect();
    assert_eq!(
        points,
        [
            ("art_19__para_1__point_1".into(), "（一）".into()),
            ("art_19__para_1__point_2".into(), "（二）".into()),
            ("art_19__para_1__point_3".into(), "（三）".into()),
        ]
    );
    // Art. 30 sets the entry into force, word for word.
    let art30 = named("article")
        .into_iter()
        .find(|a| a.attribute("eId") == Some("art_30"))
        .unwrap();
    assert!(text(art30).contains("本办法自2026年2月1日起施行。"));
    // The issuing notice precedes the body, as the preamble.
    let preamble = text(named("preamble")[0]);
    assert!(preamble.contains("云南省科技厅关于印发《云南省国际联合实验室管理办法》的通知"));

    let xml = read("moe-ijl-2022");
    let doc = Document::parse(&xml).unwrap();
    let secs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((AKN, "section")))
        .map(|n| n.attribute("eId").unwrap().to_string())
        .collect();
    assert_eq!(secs, ["sec_1", "sec_2", "sec_3"]);

    // Each measure page, in both editions, offers its export.
    for page in [
        "measures/yunnan-ijl-2025.html",
        "en/measures/yunnan-ijl-2025.html",
    ] {
        let path = site.root.join(page);
        let html = scraper::Html::parse_document(&std::fs::read_to_string(&path).unwrap());
        let links: Vec<&str> = html
            .select(&atlas_tests::sel(
                r#"link[rel="alternate"][type="application/akn+xml"]"#,
            ))
            .map(|l| l.value().attr("href").unwrap())
            .collect();
        assert_eq!(links.len(), 1, "{page}");
        let target = path.parent().unwrap().join(links[0]);
        assert_eq!(
            std::fs::canonicalize(target).unwrap(),
            std::fs::canonicalize(site.root.join("data/akn/yunnan-ijl-2025.xml")).unwrap(),
            "{page}"
        );
    }
}
