//! The comparison site: every topic on the matrix, every cell a fact, "silent" or "not yet
//! reviewed", citations that resolve, and the exports.

use atlas_tests::{build, reading_text, repo, sel};

fn topic_ids() -> Vec<String> {
    let text = std::fs::read_to_string(repo().join("content/topics.toml")).unwrap();
    let v: toml::Value = toml::from_str(&text).unwrap();
    v["topic"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn matrix_has_every_topic_and_every_measure() {
    let site = build("2026-11-21");
    let html = site.page("compare/index.html");
    let topics = topic_ids();
    assert!(topics.len() >= 30, "the issue lists over thirty topics");
    for t in &topics {
        let row = html
            .select(&sel(&format!("tr#topic-{t}")))
            .next()
            .unwrap_or_else(|| panic!("no row for topic {t}"));
        assert_eq!(
            row.select(&sel("td")).count(),
            5,
            "topic {t}: one cell per measure"
        );
        assert!(
            site.root.join(format!("compare/topics/{t}.html")).is_file(),
            "no page for topic {t}"
        );
    }
}

#[test]
fn every_topic_is_reviewed_for_every_measure() {
    let site = build("2026-11-21");
    let html = site.page("compare/index.html");
    let unreviewed: Vec<String> = html
        .select(&sel("td.cell-unreviewed"))
        .map(|td| {
            format!(
                "{} / {}",
                td.value().attr("data-measure").unwrap(),
                reading_text(td.parent().and_then(scraper::ElementRef::wrap).unwrap())
            )
        })
        .collect();
    assert!(
        unreviewed.is_empty(),
        "{} unreviewed cells, e.g. {:?}",
        unreviewed.len(),
        unreviewed.first()
    );
}

#[test]
fn known_rules_appear_with_their_values_and_citations() {
    // Independently read from the sources: Yunnan 第七条（四） 20 staff / 5 foreign; 第二十三条 3:1 and 300万元;
    // Kunming 第十九条 25% / 25% / 50%; Zhejiang 第十五条 director 65 (原则上, soft).
    let site = build("2026-11-21");
    let html = site.page("compare/index.html");
    let cell = |topic: &str, measure: &str| {
        let td = html
            .select(&sel(&format!(
                "tr#topic-{topic} td[data-measure=\"{measure}\"]"
            )))
            .next()
            .unwrap();
        (
            reading_text(td),
            td.select(&sel("a"))
                .filter_map(|a| a.value().attr("href").map(String::from))
                .collect::<Vec<_>>(),
        )
    };
    let (text, links) = cell("staffing-minimums", "yunnan-ijl-2025");
    assert!(text.contains("20") && text.contains("5"), "{text}");
    assert!(
        links
            .iter()
            .any(|l| l.ends_with("yunnan-ijl-2025.html#art-7-4")),
        "{links:?}"
    );
    let (text, links) = cell("matching-funds", "yunnan-ijl-2025");
    assert!(text.contains("3:1"), "{text}");
    assert!(links.iter().any(|l| l.ends_with("#art-23")), "{links:?}");
    let (text, _) = cell("funding-amount", "yunnan-ijl-2025");
    assert!(text.contains("300"), "{text}");
    let (text, links) = cell("disbursement-schedule", "kunming-bases-2020");
    assert!(text.contains("25% / 25% / 50%"), "{text}");
    assert!(
        links
            .iter()
            .any(|l| l.contains("kunming-bases-2020.html#art-19") || l.contains("#art-20")),
        "{links:?}"
    );
    let (text, _) = cell("director-requirements", "zhejiang-ijl-2026");
    assert!(
        text.contains("65") && text.contains("弹性"),
        "soft wording shown as such: {text}"
    );
    // In English, periods read as English: Zhejiang 第十八条 认定满一年 is one year (singular)
    // counted from recognition (the event's words, not its machine name `recognized`);
    // 第十六条 每届任期五年 five years from each appointment.
    let en = site.page("en/compare/index.html");
    let cell_en = |topic: &str| {
        reading_text(
            en.select(&sel(&format!(
                "tr#topic-{topic} td[data-measure=\"zhejiang-ijl-2026\"]"
            )))
            .next()
            .unwrap(),
        )
    };
    let text = cell_en("annual-reporting");
    assert!(text.contains("1 year (from recognition)"), "{text}");
    let text = cell_en("academic-committee");
    assert!(text.contains("5 years (from each appointment)"), "{text}");
}

#[test]
fn silent_measures_say_so() {
    // Kunming says nothing about an academic committee (checked in the source: no 学术委员会).
    let source =
        std::fs::read_to_string(repo().join("content/sources/003_f89d865f2fb62fb6.txt")).unwrap();
    assert!(!source.contains("学术委员会"));
    let site = build("2026-11-21");
    let html = site.page("compare/index.html");
    let td = html
        .select(&sel(
            "tr#topic-academic-committee td[data-measure=\"kunming-bases-2020\"]",
        ))
        .next()
        .unwrap();
    assert_eq!(td.value().attr("class"), Some("cell-silent"));
    assert!(reading_text(td).contains("未规定"));
}

#[test]
fn csv_and_json_exports_are_complete_and_valid() {
    let site = build("2026-11-21");
    let mut rdr = csv::Reader::from_path(site.root.join("compare/matrix.csv")).unwrap();
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(&headers[1], "topic");
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    for t in topic_ids() {
        let measures: std::collections::BTreeSet<&str> = rows
            .iter()
            .filter(|r| r[1] == *t)
            .map(|r| r.get(3).unwrap())
            .collect();
        assert_eq!(measures.len(), 5, "topic {t} has a row per measure");
    }
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.root.join("data/atlas.json")).unwrap()).unwrap();
    let schema: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.root.join("data/atlas.schema.json")).unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&data)
        .map(|e| e.to_string())
        .take(5)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let facts: usize = data["measures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["facts"].as_array().unwrap().len())
        .sum();
    assert!(facts >= 100, "only {facts} facts exported");
    // Every fact's anchor exists on its measure page.
    for m in data["measures"].as_array().unwrap() {
        let page = site.page(m["url"].as_str().unwrap());
        for f in m["facts"].as_array().unwrap() {
            let anchor = f["cite"].as_str().unwrap();
            assert!(
                page.select(&sel(&format!("[id=\"{anchor}\"]")))
                    .next()
                    .is_some(),
                "{}: no #{anchor}",
                m["id"]
            );
        }
    }
}

#[test]
fn articles_show_what_cites_them() {
    let site = build("2026-11-21");
    let html = site.page("measures/yunnan-ijl-2025.html");
    let art = html
        .select(&sel("#art-23 aside.backlinks"))
        .next()
        .expect("backlinks on 第二十三条");
    let hrefs: Vec<&str> = art
        .select(&sel("a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        hrefs
            .iter()
            .any(|h| h.contains("compare/topics/matching-funds.html")),
        "{hrefs:?}"
    );
}

#[test]
fn relations_and_timeline_are_listed() {
    let site = build("2026-11-21");
    let html = site.page("compare/relations.html");
    let text = reading_text(html.select(&sel("main")).next().unwrap());
    // Repeals: Yunnan 第三十条 (two), Zhejiang 第三十三条, national 第二十三条.
    assert!(
        text.contains("云科规〔2022〕2号")
            && text.contains("浙科发外〔2022〕23 号")
            && text.contains("国际科技合作基地管理办法（试行）"),
        "{text}"
    );
    // Timeline in date order with the as-of marker between 2026-07-10 and nothing later.
    let dates: Vec<String> = html
        .select(&sel(".timeline time"))
        .map(|t| t.value().attr("datetime").unwrap().to_string())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    assert_eq!(dates.first().map(String::as_str), Some("2019-04-03"));
    assert!(dates.contains(&"2020-07-17".to_string()) && dates.contains(&"2026-07-10".to_string()));
    // On one day a measure is issued before it enters into force: the national measures
    // (published 2019-04-03, "自发布之日起实施", 第二十二条) and the MOE notice (2022-12-30).
    // (The as-of marker is an item without a date.)
    let events: Vec<(String, String)> = html
        .select(&sel(".timeline li"))
        .filter_map(|li| {
            let day = li.select(&sel("time")).next()?.value().attr("datetime")?;
            let class = li.value().attr("class").unwrap_or_default();
            Some((class.to_string(), day.to_string()))
        })
        .collect();
    for day in ["2019-04-03", "2022-12-30"] {
        let kinds: Vec<&str> = events
            .iter()
            .filter(|(_, d)| d == day)
            .map(|(k, _)| k.split(' ').next().unwrap_or_default())
            .collect();
        assert_eq!(kinds, ["ev-issued", "ev-effective"], "{day}");
    }
}

#[test]
fn topic_pages_show_each_measure_once_in_the_matrix_state() {
    let site = build("2026-11-21");
    let matrix = site.page("compare/index.html");
    for t in topic_ids() {
        // What the matrix says of each measure on this topic.
        let states: Vec<(String, String)> = matrix
            .select(&sel(&format!("tr#topic-{t} td")))
            .map(|td| {
                let v = td.value();
                (
                    v.attr("data-measure").unwrap().to_string(),
                    v.attr("class")
                        .unwrap()
                        .trim_start_matches("cell-")
                        .to_string(),
                )
            })
            .collect();
        for prefix in ["", "en/"] {
            let page = site.page(&format!("{prefix}compare/topics/{t}.html"));
            let mut shown: Vec<(String, String)> = page
                .select(&sel("section.topic-measure h2[id^=\"tm-\"]"))
                .map(|h| {
                    let id = h.value().attr("id").unwrap().trim_start_matches("tm-");
                    (id.to_string(), "facts".to_string())
                })
                .collect();
            for state in ["silent", "unreviewed"] {
                let items = sel(&format!("section#{state} li[data-measure]"));
                let ids: Vec<String> = page
                    .select(&items)
                    .map(|li| li.value().attr("data-measure").unwrap().to_string())
                    .collect();
                if let Some(h) = page.select(&sel(&format!("#{state}-h"))).next() {
                    assert!(
                        reading_text(h).contains(&format!("{}", ids.len())),
                        "{prefix}{t}: the {state} heading counts its list"
                    );
                }
                shown.extend(ids.into_iter().map(|id| (id, state.to_string())));
            }
            let mut want = states.clone();
            want.sort();
            shown.sort();
            assert_eq!(
                shown, want,
                "{prefix}{t}: every measure once, as on the matrix"
            );
        }
    }
    // Kunming says nothing about an academic committee: listed under "not specified", linked.
    let page = site.page("compare/topics/academic-committee.html");
    let li = page
        .select(&sel(
            "section#silent li[data-measure=\"kunming-bases-2020\"]",
        ))
        .next()
        .expect("Kunming in the silent list");
    assert!(li
        .select(&sel("a"))
        .any(|a| a.value().attr("href") == Some("../../measures/kunming-bases-2020.html")));
    let section = page.select(&sel("section#silent")).next().unwrap();
    assert!(reading_text(section).contains("未作规定"));
    let en = site.page("en/compare/topics/academic-committee.html");
    let section = en.select(&sel("section#silent")).next().unwrap();
    assert!(reading_text(section).contains("specifies nothing"));
}

/// `compare/matrix.csv` opens in a spreadsheet as written: UTF-8 with a byte order mark (Excel
/// on a Chinese Windows reads a file without one in the local code page), one header cell per
/// column, and a fact label that a spreadsheet would run as a formula written with a leading
/// `'` (OWASP), a number left a number.
#[test]
fn matrix_csv_opens_in_a_spreadsheet() {
    let tmp = tempfile::tempdir().unwrap();
    let content = atlas_tests::content_with_labels(tmp.path(), &atlas_tests::HOSTILE_LABELS);
    let site = atlas_tests::build_from(&content, "2026-11-21");
    let bytes = std::fs::read(site.root.join("compare/matrix.csv")).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 byte order mark");
    let mut rdr = csv::Reader::from_reader(&bytes[3..]);
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(headers.len(), 12);
    assert_eq!(&headers[0], "group");
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert!(rows.iter().all(|r| r.len() == headers.len()));
    let label = |fact: &str| {
        rows.iter()
            .find(|r| &r[6] == fact)
            .map(|r| (r[7].to_string(), r[8].to_string()))
            .unwrap_or_else(|| panic!("no row for {fact}"))
    };
    for (fact, hostile) in atlas_tests::HOSTILE_LABELS {
        let (l, v) = label(fact);
        let want = if hostile == "-5" {
            hostile.to_string()
        } else {
            format!("'{hostile}")
        };
        assert_eq!(l, want, "{fact}: label");
        // A requirement's value is its label.
        assert_eq!(v, want, "{fact}: value");
    }
    // No cell of the file starts a formula.
    for r in &rows {
        for c in r.iter() {
            assert!(
                !c.starts_with(['=', '+', '@', '\t', '\r']) && (!c.starts_with('-') || c == "-5"),
                "{c:?}"
            );
        }
    }
}
