//! Every measure page carries schema.org `Legislation` JSON-LD (issue 27). The values are
//! checked against what the source texts state (文号, the date line, the article that sets the
//! entry into force, what is repealed: `content/sources/README.md` lists them), the status
//! against hand-worked dates, and every node, property and value against the schema.org
//! vocabulary as the pinned schema-dts release defines it (`tests/schemaorg`): the types, each
//! property's domain (the node's type or a supertype) and its ranges.

use std::path::Path;

use atlas_tests::schemaorg::Vocabulary;
use atlas_tests::sel;
use serde_json::Value;

/// The JSON-LD of the page at `rel` under `site`: exactly one block, parsed.
fn jsonld(site: &Path, rel: &str) -> Value {
    let html = scraper::Html::parse_document(
        &std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}")),
    );
    let blocks: Vec<String> = html
        .select(&sel(r#"script[type="application/ld+json"]"#))
        .map(|s| s.text().collect())
        .collect();
    assert_eq!(blocks.len(), 1, "{rel}: one JSON-LD block");
    serde_json::from_str(&blocks[0]).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The node conforms to schema.org as the pinned vocabulary defines it: its `@type` and every
/// nested node's are schema.org types, each property is defined on its node's type or a
/// supertype, and each value is of one of the property's ranges.
fn conforms(vocab: &Vocabulary, ld: &Value, what: &str) {
    let errors = vocab.check(ld);
    assert!(errors.is_empty(), "{what}: {errors:#?}\n{ld:#}");
}

/// The check finds what is wrong: a misspelt property, a date in another form, a number where
/// an organization or person is meant, a type that does not exist, an enumeration member that
/// is not one, a nested node of the wrong type or with a misspelt property, an `@id` that is not
/// a URL. And it passes what the vocabulary allows.
#[test]
fn the_vocabulary_check_reports_each_fault() {
    let vocab = Vocabulary::load();
    let good = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Legislation",
        "@id": "a.html",
        "name": "甲",
        "legislationDate": "2025-12-25",
        "legislationLegalForce": "InForce",
        "legislationPassedBy": {"@type": "GovernmentOrganization", "name": "乙"},
        "legislationRepeals": [{"@id": "b.html"}, {"@type": "Legislation", "name": "丙"}],
        "legislationIdentifier": "https://example.org/eli/1",
        "expires": "2030-01-01T00:00:00+08:00",
        "isBasedOn": "../sources/a.txt",
    });
    assert_eq!(vocab.check(&good), Vec::<String>::new());

    let bad = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Legislation",
        "@id": "a b.html",
        "legislationDat": "2025-12-25",
        "legislationDateOfApplicability": "2026/02/01",
        "legislationPassedBy": 42,
        "legislationLegalForce": "https://schema.org/InEffect",
        "legislationRepeals": [
            {"@type": "Person", "name": "丁"},
            {"@type": "Legislation", "nmae": "戊"},
        ],
        "hasPart": {"@type": "Legislaton"},
    });
    let errors = vocab.check(&bad);
    for (fault, expected) in [
        ("@id", "$: @id \"a b.html\" is not a URL"),
        (
            "misspelt",
            "$: legislationDat is not a property of Legislation",
        ),
        (
            "date form",
            "$.legislationDateOfApplicability: \"2026/02/01\" is not a Date",
        ),
        (
            "number",
            "$.legislationPassedBy: 42 is not a Organization or Person or IdReference",
        ),
        (
            "member",
            "$.legislationLegalForce: \"https://schema.org/InEffect\" is not a LegalForceStatus",
        ),
        (
            "type of a value",
            "$.legislationRepeals[0]: {\"@type\":\"Person\",\"name\":\"丁\"} is not a Legislation",
        ),
        (
            "nested property",
            "$.legislationRepeals[1]: nmae is not a property of Legislation",
        ),
        (
            "type",
            "$.hasPart: @type \"Legislaton\" is not a schema.org type",
        ),
    ] {
        assert!(
            errors.iter().any(|e| e.starts_with(expected)),
            "{fault}: no {expected:?} in {errors:#?}"
        );
    }
    assert_eq!(errors.len(), 9, "{errors:#?}");
}

/// A file that is not the vocabulary as expected is refused, not read as an empty one.
#[test]
#[should_panic(expected = "has its format changed?")]
fn an_unexpected_vocabulary_file_is_refused() {
    // Well formed, but far from the whole vocabulary (a truncated or reshaped file).
    Vocabulary::parse(
        r#"interface ThingBase extends Partial<IdReference> {
    "name"?: SchemaValue<Text, "name">;
}
export interface ThingLeaf extends ThingBase {
    "@type": "Thing";
}
export type Thing = ThingLeaf;
"#,
    );
}

/// The real measures as of 2026-11-21: identifiers, dates, force, issuer and repeals as the
/// source texts state them, and every article a part whose anchor is on the page.
#[test]
fn real_measures_carry_their_legal_metadata() {
    let vocab = Vocabulary::load();
    let site = atlas_tests::build("2026-11-21");
    let dir = std::fs::read_dir(site.root.join("measures")).unwrap();
    let mut seen = 0;
    for e in dir.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".html") {
            continue;
        }
        for rel in [format!("measures/{name}"), format!("en/measures/{name}")] {
            let ld = jsonld(&site.root, &rel);
            conforms(&vocab, &ld, &rel);
            assert_eq!(ld["@type"], "Legislation");
            // Issuers are government bodies; the copy is a file.
            assert_eq!(
                ld["legislationPassedBy"]["@type"], "GovernmentOrganization",
                "{rel}"
            );
            assert_eq!(ld["isBasedOn"]["@type"], "MediaObject", "{rel}");
            assert_eq!(ld["inLanguage"], "zh-Hans", "{rel}: the text is Chinese");
            // Every part is an article of the page, by its anchor.
            let page = site.page(&rel);
            for part in ld["hasPart"].as_array().into_iter().flatten() {
                let id = part["@id"].as_str().unwrap();
                let anchor = id.split_once('#').unwrap().1;
                assert!(
                    page.select(&sel(&format!("#{anchor}"))).next().is_some(),
                    "{rel}: part {id} has no element"
                );
            }
            // The source copy it is based on is in the site, with the SHA-256 it states.
            let copy = &ld["isBasedOn"]["contentUrl"];
            let path = site
                .root
                .join(Path::new(&rel).parent().unwrap())
                .join(copy.as_str().unwrap());
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{rel}: {copy}: {e}"));
            let sha = sha2_hex(&bytes);
            assert_eq!(ld["isBasedOn"]["sha256"], sha.as_str(), "{rel}");
            seen += 1;
        }
    }
    assert_eq!(seen, 10, "five measures, two editions");

    // 云科规〔2025〕12号: issued 2025-12-25, in force 2026-02-01 (第三十条); it repeals
    // 云科规〔2022〕2号 and a 公告 without a 文号.
    let y = jsonld(&site.root, "measures/yunnan-ijl-2025.html");
    assert_eq!(y["legislationIdentifier"], "云科规〔2025〕12号");
    assert_eq!(y["legislationDate"], "2025-12-25");
    assert_eq!(y["legislationDateOfApplicability"], "2026-02-01");
    assert_eq!(y["legislationLegalForce"], "https://schema.org/InForce");
    assert_eq!(y["legislationPassedBy"]["name"], "云南省科学技术厅");
    assert_eq!(y["legislationJurisdiction"], "云南省");
    let repeals = y["legislationRepeals"].as_array().unwrap();
    assert!(repeals
        .iter()
        .any(|r| r["legislationIdentifier"] == "云科规〔2022〕2号"
            && r["name"] == "云南省国际联合创新平台管理办法（试行）"));
    // The check bites on a real page's JSON-LD as well: a fault of each kind put into it.
    let mut bad = y.clone();
    let o = bad.as_object_mut().unwrap();
    let date = o.remove("legislationDate").unwrap();
    o.insert("legislationDat".into(), date);
    o.insert(
        "legislationDateOfApplicability".into(),
        "2026年2月1日".into(),
    );
    bad["isBasedOn"]["@type"] = "MediaObjekt".into();
    bad["hasPart"][0]["legislationPassedBy"] = 1.into();
    let errors = vocab.check(&bad);
    for expected in [
        "$: legislationDat is not a property",
        "$.legislationDateOfApplicability: \"2026年2月1日\" is not a Date",
        "$.isBasedOn: @type \"MediaObjekt\" is not a schema.org type",
        "$.hasPart[0].legislationPassedBy: 1 is not a Organization",
    ] {
        assert!(
            errors.iter().any(|e| e.starts_with(expected)),
            "no {expected:?} in {errors:#?}"
        );
    }
    // The misplaced type also makes isBasedOn's value fit none of its ranges.
    assert_eq!(errors.len(), 5, "{errors:#?}");

    // 第三十条 is the last article: thirty parts.
    assert_eq!(y["hasPart"].as_array().unwrap().len(), 30);
    assert_eq!(y["hasPart"][29]["@id"], "yunnan-ijl-2025.html#art-30");

    // 浙科发外〔2026〕21号: in force 2026-07-10 (第三十三条).
    let z = jsonld(&site.root, "en/measures/zhejiang-ijl-2026.html");
    assert_eq!(z["legislationIdentifier"], "浙科发外〔2026〕21号");
    assert_eq!(z["legislationDate"], "2026-06-09");
    assert_eq!(z["legislationDateOfApplicability"], "2026-07-10");

    // Kunming: 昆明市 within 云南省; in force 30 days after 2020-06-16.
    let k = jsonld(&site.root, "measures/kunming-bases-2020.html");
    assert_eq!(k["legislationJurisdiction"], "云南省昆明市");
    assert_eq!(k["legislationIdentifier"], "昆科规〔2020〕1号");

    // The national copy carries no 文号: none is claimed.
    let n = jsonld(&site.root, "measures/national-bases-2019.html");
    assert!(n.get("legislationIdentifier").is_none(), "{n}");
    assert_eq!(n["legislationPassedBy"]["name"], "科学技术部");
}

/// Legal force as of the status date: not yet in force before the entry into force; a
/// measure whose validity has run out, and one repealed, are no longer in force. The fictitious
/// measure (tests/fixtures/fictitious) enters into force on 2027-01-01 for 5 years: 有效期 counts
/// the first day, so its last day is 2031-12-31 and it is expired from 2032-01-01.
#[test]
fn legal_force_follows_the_status_date() {
    let (_dir, content) = atlas_tests::fictitious_content();
    let at = |as_of: &str| {
        let out = content.parent().unwrap().join(format!("site-{as_of}"));
        let o = atlas::site::Options {
            content: content.clone(),
            theme: atlas_tests::repo().join("themes/default"),
            out: out.clone(),
            as_of: Some(as_of.into()),
        };
        let mut report = atlas::diagnostics::Report::default();
        let r = atlas::site::build(&o, &mut report);
        assert!(r.is_ok(), "{r:?}: {:#?}", report.items);
        out
    };
    let vocab = Vocabulary::load();
    let before = at("2026-12-15");
    let p = jsonld(&before, "measures/fict-platforms-2026.html");
    conforms(&vocab, &p, "before");
    assert_eq!(p["legislationLegalForce"], "https://schema.org/NotInForce");
    assert_eq!(p["legislationDateOfApplicability"], "2027-01-01");
    assert_eq!(p["expires"], "2032-01-01");
    let old = jsonld(&before, "measures/fict-bases-2019.html");
    conforms(&vocab, &old, "before, the old measure");
    assert_eq!(old["legislationLegalForce"], "https://schema.org/InForce");
    let repeals = p["legislationRepeals"].as_array().unwrap();
    assert_eq!(repeals.len(), 1);
    assert_eq!(repeals[0]["legislationIdentifier"], "某科规〔2019〕3号");
    assert_eq!(repeals[0]["@id"], "fict-bases-2019.html");

    let during = at("2031-12-31");
    let p = jsonld(&during, "measures/fict-platforms-2026.html");
    assert_eq!(p["legislationLegalForce"], "https://schema.org/InForce");
    let old = jsonld(&during, "measures/fict-bases-2019.html");
    assert_eq!(
        old["legislationLegalForce"],
        "https://schema.org/NotInForce"
    );

    let after = at("2032-01-01");
    let p = jsonld(&after, "en/measures/fict-platforms-2026.html");
    conforms(&vocab, &p, "after");
    assert_eq!(p["legislationLegalForce"], "https://schema.org/NotInForce");
}

fn sha2_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
