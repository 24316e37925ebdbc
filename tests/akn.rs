//! The Akoma Ntoso 3.0 export (issue 27): every measure's `data/akn/<id>.xml` is valid against
//! the OASIS schema (vendored in `tests/tools/akn/`, checked with xmllint), holds every unit of
//! the measure's text word for word under its AKN eId, names each unit as the site's anchors
//! do, and says what the source texts say (Yunnan's 30 articles, its 文号 …): its lifecycle
//! dates the issue, the entry into force and a repeal as the content does, it names the editor
//! as the theme names the site, and an annexed form is an attachment, word for word.
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

/// An `<eventRef>`'s eId, date, type, source and refersTo.
type Event = [String; 5];

fn event(eid: &str, date: &str, kind: &str, source: &str, refers: &str) -> Event {
    [eid, date, kind, source, refers].map(String::from)
}

/// The events of `meta`'s `<lifecycle>`, in order; asserts that each event's source is a
/// document of the `<references>` (`<original>`, the expression itself, or the `<passiveRef>`
/// of a repealing act) and that it refers to a `TLCEvent` there.
fn lifecycle(meta: Node) -> Vec<Event> {
    let life = kid(meta, "lifecycle");
    assert_eq!(life.attribute("source"), Some("#atlas"));
    let refs = kid(meta, "references");
    let named = |h: &str| {
        let id = h.strip_prefix('#').unwrap();
        refs.children()
            .find(|c| c.attribute("eId") == Some(id))
            .unwrap_or_else(|| panic!("{h} is not in <references>"))
    };
    let expression = kid(
        kid(kid(meta, "identification"), "FRBRExpression"),
        "FRBRuri",
    );
    kids(life, "eventRef")
        .into_iter()
        .map(|e| {
            let a = |k: &str| {
                e.attribute(k)
                    .unwrap_or_else(|| panic!("eventRef without {k}"))
            };
            let source = named(a("source"));
            match source.tag_name().name() {
                "original" => assert_eq!(source.attribute("href"), expression.attribute("value")),
                "passiveRef" => assert_eq!(a("type"), "repeal"),
                other => panic!("an event from a <{other}>"),
            }
            assert_eq!(named(a("refersTo")).tag_name().name(), "TLCEvent");
            event(a("eId"), a("date"), a("type"), a("source"), a("refersTo"))
        })
        .collect()
}

/// The date of issue the content file gives.
fn issued(t: &toml::Table) -> String {
    t["issued"].to_string()
}

/// The first day in force from the content file's rule: the date it names; the day of issue;
/// or, `days` after issue, the day after the period's last day (the day of issue is not
/// counted: Civil Code arts. 201–202).
fn entry_into_force(t: &toml::Table) -> String {
    let e = t["effective"].as_table().unwrap();
    let day = |s: &str| {
        time::Date::parse(
            s,
            &time::macros::format_description!("[year]-[month]-[day]"),
        )
        .unwrap()
    };
    match s(e, "rule") {
        "on-date" => e["date"].to_string(),
        "on-issue" => issued(t),
        "days-after-issue" => {
            let days = e["days"].as_integer().unwrap();
            (day(&issued(t)) + time::Duration::days(days + 1)).to_string()
        }
        r => panic!("rule {r}"),
    }
}

/// The site's name in English, as the theme's catalogue gives it.
fn site_name(theme: &Path) -> String {
    let t: toml::Table = std::fs::read_to_string(theme.join("i18n.toml"))
        .unwrap()
        .parse()
        .unwrap();
    t["en"]["site_name"].as_str().unwrap().to_string()
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

        // The dated events: issue and entry into force, as the content file gives them (none
        // of the bundled measures is repealed by another of them).
        let meta = kid(act, "meta");
        assert_eq!(
            lifecycle(meta),
            [
                event("evt_issue", &issued(t), "generation", "#original", "#issue"),
                event(
                    "evt_entry_into_force",
                    &entry_into_force(t),
                    "generation",
                    "#original",
                    "#entry_into_force"
                ),
            ],
            "{id}"
        );
        // The editor is named as the site is (the default theme's catalogue, in English).
        let editor = kids(kid(meta, "references"), "TLCOrganization")
            .into_iter()
            .find(|o| o.attribute("eId") == Some("atlas"))
            .unwrap();
        assert_eq!(
            editor.attribute("showAs"),
            Some(site_name(&repo().join("themes/default")).as_str())
        );

        // The notes: one editorial note per erratum, in order, with the transcriber's words,
        // each referenced from its unit.
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
            assert_eq!(refs.len(), 1, "{id}: {nid} referenced once");
            if s(e, "target") == "annex" {
                // A note on the annex is referenced from the attachment's label.
                let p = refs[0].parent().unwrap();
                assert_eq!(p.attribute("class"), Some("label"), "{id}: {nid}");
                assert!(p.ancestors().any(|a| a.has_tag_name((AKN, "attachment"))));
            }
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

/// A measure repealed by another of the collection has the repeal in its lifecycle from the
/// day the repealing measure takes effect (fictitious measures: 某科规〔2026〕5号, in force
/// 2027-01-01, repeals 某科规〔2019〕3号), its source the repealing act; before that day, no
/// repeal. A theme that renames the site renames the editor.
#[test]
fn a_repeal_is_in_the_lifecycle() {
    let (dir, content) = atlas_tests::fictitious_content();
    let theme = dir.path().join("theme");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(
        theme.join("i18n.toml"),
        "[zh]\nsite_name = \"示例市政策图谱\"\n\n[en]\nsite_name = \"Sample City Atlas\"\n",
    )
    .unwrap();
    let read = |t: &str| -> toml::Table {
        std::fs::read_to_string(content.join(format!("measures/{t}.toml")))
            .unwrap()
            .parse()
            .unwrap()
    };
    let (old, new) = (read("fict-bases-2019"), read("fict-platforms-2026"));
    assert_eq!(
        array(&new, "repeals")[0]["doc_number"].as_str(),
        old["doc_number"].as_str()
    );
    let at = |as_of: &str, theme: &Path| {
        let out = dir.path().join(format!("site-{as_of}"));
        let o = atlas::site::Options {
            content: content.clone(),
            theme: theme.to_path_buf(),
            out: out.clone(),
            as_of: Some(as_of.into()),
        };
        let mut report = atlas::diagnostics::Report::default();
        let r = atlas::site::build(&o, &mut report);
        assert!(r.is_ok(), "{r:?}: {:#?}", report.items);
        let path = out.join("data/akn/fict-bases-2019.xml");
        validate(std::slice::from_ref(&path));
        std::fs::read_to_string(path).unwrap()
    };
    let first_day = entry_into_force(&new);
    assert_eq!(first_day, "2027-01-01");

    let xml = at("2027-06-01", &theme);
    let doc = Document::parse(&xml).unwrap();
    let meta = kid(kid(doc.root_element(), "act"), "meta");
    let events = lifecycle(meta);
    assert_eq!(
        events.last().unwrap(),
        &event(
            "evt_repeal_1",
            &first_day,
            "repeal",
            "#repealer_1",
            "#repeal"
        )
    );
    let refs = kid(meta, "references");
    let by = kid(refs, "passiveRef");
    assert_eq!(by.attribute("eId"), Some("repealer_1"));
    assert_eq!(
        by.attribute("href"),
        Some("/akn/cn/act/2026/fict-platforms-2026")
    );
    assert_eq!(by.attribute("showAs"), new["title"].as_str());
    let editor = kids(refs, "TLCOrganization")
        .into_iter()
        .find(|o| o.attribute("eId") == Some("atlas"))
        .unwrap();
    assert_eq!(editor.attribute("showAs"), Some(site_name(&theme).as_str()));
    assert_eq!(site_name(&theme), "Sample City Atlas");

    let xml = at("2026-12-31", &repo().join("themes/default"));
    let doc = Document::parse(&xml).unwrap();
    let meta = kid(kid(doc.root_element(), "act"), "meta");
    assert_eq!(
        lifecycle(meta),
        [
            event(
                "evt_issue",
                &issued(&old),
                "generation",
                "#original",
                "#issue"
            ),
            event(
                "evt_entry_into_force",
                &entry_into_force(&old),
                "generation",
                "#original",
                "#entry_into_force"
            ),
        ],
        "not yet repealed"
    );
}

/// The Ministry of Education's notice exports its annexed form (附件) as an attachment, every
/// word as the content file gives it: the label and title, the cover's blanks and lines, the
/// filling instructions, each field of the table, each section with its sub-sections and their
/// guidance.
#[test]
fn the_annex_is_an_attachment() {
    let site = atlas_tests::build("2026-11-21");
    let measures = measures();
    let with_annex: Vec<&String> = measures
        .iter()
        .filter(|(_, t)| t.contains_key("annex"))
        .map(|(id, _)| id)
        .collect();
    assert_eq!(with_annex, ["moe-ijl-2022"]);
    for (id, t) in &measures {
        let xml = std::fs::read_to_string(site.root.join(format!("data/akn/{id}.xml"))).unwrap();
        let doc = Document::parse(&xml).unwrap();
        let act = kid(doc.root_element(), "act");
        let Some(annex) = t.get("annex").and_then(|a| a.as_table()) else {
            assert!(
                kids(act, "attachments").is_empty(),
                "{id}: no annex, no attachment"
            );
            continue;
        };
        let att = kid(kid(act, "attachments"), "attachment");
        assert_eq!(att.attribute("eId"), Some("att_1"));
        let d = kid(att, "doc");
        assert_eq!(d.attribute("name"), Some("annex"));
        let this = kid(
            kid(kid(kid(d, "meta"), "identification"), "FRBRWork"),
            "FRBRthis",
        );
        assert_eq!(
            this.attribute("value"),
            Some(format!("/akn/cn/act/2022/{id}/!annex_1").as_str())
        );
        let preface = kids(kid(d, "preface"), "p");
        assert_eq!(text(preface[0]), s(annex, "label"));
        assert_eq!(text(kid(preface[1], "docTitle")), s(annex, "title"));
        let body = kid(d, "mainBody");
        let part = |name: &str| {
            kids(body, "hcontainer")
                .into_iter()
                .filter(|h| h.attribute("name") == Some(name))
                .collect::<Vec<_>>()
        };
        let ps = |n: Node| kids(n, "p").into_iter().map(text).collect::<Vec<_>>();

        // The cover: each blank as printed, then the lines at its foot.
        let mut cover: Vec<String> = array(annex, "cover_field")
            .iter()
            .map(|f| format!("{}{}", s(f, "label"), s(f, "blank")))
            .collect();
        cover.extend(
            annex["cover_lines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap().to_string()),
        );
        assert_eq!(ps(kid(part("cover")[0], "content")), cover);

        let ins = annex["instructions"].as_table().unwrap();
        let h = part("instructions")[0];
        assert_eq!(text(kid(h, "heading")), s(ins, "title"));
        let points = kids(h, "point");
        let items = array(ins, "item");
        assert_eq!(points.len(), items.len());
        for (p, i) in points.iter().zip(&items) {
            assert_eq!(text(kid(*p, "num")), s(i, "label"));
            assert_eq!(ps(kid(*p, "content")), [s(i, "text")]);
        }

        // The table: a row per field, its headers then what is to be filled in.
        let form = annex["form"].as_table().unwrap();
        let h = part("form")[0];
        assert_eq!(text(kid(h, "heading")), s(form, "title"));
        let rows = kids(kid(kid(h, "content"), "table"), "tr");
        let fields = array(form, "field");
        assert_eq!(rows.len(), fields.len());
        for (r, f) in rows.iter().zip(&fields) {
            let cells: Vec<(String, Vec<String>)> = r
                .children()
                .filter(|c| c.is_element())
                .map(|c| (c.tag_name().name().to_string(), ps(c)))
                .collect();
            let mut want = vec![("th".to_string(), vec![s(f, "group").to_string()])];
            if let Some(sub) = f.get("subgroup") {
                want.push(("th".into(), vec![sub.as_str().unwrap().into()]));
            }
            if !s(f, "label").is_empty() {
                want.push(("th".into(), vec![s(f, "label").into()]));
            }
            let mut fill: Vec<String> = f
                .get("options")
                .and_then(|o| o.as_array())
                .into_iter()
                .flatten()
                .map(|o| o.as_str().unwrap().to_string())
                .collect();
            fill.extend(f.get("limit_text").map(|l| l.as_str().unwrap().to_string()));
            want.push(("td".into(), fill));
            assert_eq!(cells, want, "{id}: {f:?}");
        }

        // The sections, with their sub-sections and guidance.
        let secs = part("section");
        let want = array(annex, "section");
        assert_eq!(secs.len(), want.len());
        let guidance = |t: &toml::Table| -> Vec<String> {
            t.get("guidance")
                .and_then(|g| g.as_array())
                .into_iter()
                .flatten()
                .map(|g| g.as_str().unwrap().to_string())
                .collect()
        };
        for (h, w) in secs.iter().zip(&want) {
            assert_eq!(text(kid(*h, "num")), s(w, "label"));
            assert_eq!(text(kid(*h, "heading")), s(w, "title"));
            let g: Vec<String> = kids(*h, "intro").into_iter().flat_map(ps).collect();
            assert_eq!(g, guidance(w));
            let subs = kids(*h, "hcontainer");
            let want_subs = array(w, "sub");
            assert_eq!(subs.len(), want_subs.len(), "{}", s(w, "title"));
            for (sh, sw) in subs.iter().zip(&want_subs) {
                assert_eq!(sh.attribute("name"), Some("subsection"));
                assert_eq!(text(kid(*sh, "num")), s(sw, "label"));
                assert_eq!(text(kid(*sh, "heading")), s(sw, "title"));
                let g: Vec<String> = kids(*sh, "content").into_iter().flat_map(ps).collect();
                assert_eq!(g, guidance(sw));
            }
        }
    }
}
