//! The built site: home page, measure pages, anchors, citations, links, determinism, offline.

use atlas_tests::{broken_links, build, reading_text, sel};
use scraper::Html;

/// (id, status as of 2026-11-21, status as of 2026-01-15) worked out from the texts' dates:
/// Yunnan in force 2026-02-01 (第三十条); Zhejiang issued 2026-06-09, in force 2026-07-10
/// (第三十三条); Kunming 30 days after 2020-06-16; the MOE call closed 2023-02-28; national 2019.
const STATUS: &[(&str, &str, &str)] = &[
    ("yunnan-ijl-2025", "in-force", "not-yet"),
    ("zhejiang-ijl-2026", "in-force", "not-yet"),
    ("moe-ijl-2022", "expired-call", "expired-call"),
    ("kunming-bases-2020", "in-force", "in-force"),
    ("national-bases-2019", "in-force", "in-force"),
];

fn status_on_home(site: &atlas_tests::BuiltSite, id: &str) -> String {
    let html = site.page("index.html");
    let row = html
        .select(&sel("table.measures tbody tr"))
        .find(|tr| {
            tr.select(&sel("a"))
                .any(|a| a.value().attr("href") == Some(&format!("measures/{id}.html")))
        })
        .unwrap_or_else(|| panic!("{id} not listed on the home page"));
    row.value().attr("data-status").unwrap().to_string()
}

#[test]
fn home_lists_all_five_measures_with_status_as_of_the_date() {
    let late = build("2026-11-21");
    let early = build("2026-01-15");
    for (id, s_late, s_early) in STATUS {
        assert_eq!(status_on_home(&late, id), *s_late, "{id} on 2026-11-21");
        assert_eq!(status_on_home(&early, id), *s_early, "{id} on 2026-01-15");
    }
    let boundary = build("2026-02-01");
    assert_eq!(
        status_on_home(&boundary, "yunnan-ijl-2025"),
        "in-force",
        "in force on its first day"
    );
    let before = build("2026-01-31");
    assert_eq!(status_on_home(&before, "yunnan-ijl-2025"), "not-yet");
}

#[test]
fn kunming_entry_into_force_follows_civil_code_counting() {
    // Issued 2020-06-16; 自颁布之日起30日后实施: day 1 is 06-17, day 30 is 07-16, in force 07-17.
    let site = build("2026-11-21");
    let html = site.page("measures/kunming-bases-2020.html");
    let dd = html
        .select(&sel(".status-box dd time"))
        .map(|t| t.value().attr("datetime").unwrap().to_string())
        .collect::<Vec<_>>();
    assert!(dd.contains(&"2020-07-17".to_string()), "{dd:?}");
    let text = reading_text(html.select(&sel(".status-box")).next().unwrap());
    assert!(
        text.contains("第二百零一条") && text.contains("2020-07-16"),
        "{text}"
    );
}

#[test]
fn every_article_clause_and_item_has_its_stable_anchor() {
    let site = build("2026-11-21");
    // Counted by hand in the source copies.
    for (id, articles, expect) in [
        (
            "yunnan-ijl-2025",
            30,
            ["art-19-1", "art-19-3", "art-7-4", "art-30"],
        ),
        (
            "zhejiang-ijl-2026",
            33,
            ["art-16", "art-20-3", "art-25-6", "art-33"],
        ),
        (
            "kunming-bases-2020",
            28,
            ["art-16-p2-i8", "art-19", "art-6-5", "art-29"],
        ),
        (
            "national-bases-2019",
            23,
            ["art-5-1-5", "art-5-2-4", "art-10-i4", "art-23"],
        ),
        ("moe-ijl-2022", 3, ["sec-1-i4", "sec-2", "sec-3", "annex"]),
    ] {
        let html = site.page(&format!("measures/{id}.html"));
        let n = html.select(&sel("article.article")).count();
        assert_eq!(n, articles, "{id}: article count");
        for a in expect {
            assert!(
                html.select(&sel(&format!("[id=\"{a}\"]"))).next().is_some(),
                "{id}: no #{a}"
            );
        }
    }
    let kunming = site.page("measures/kunming-bases-2020.html");
    assert!(
        kunming.select(&sel("#art-18")).next().is_none(),
        "Kunming has no 第十八条"
    );
}

#[test]
fn copy_citation_gives_the_full_reference() {
    let site = build("2026-11-21");
    // Each article heading and clause carries its citation without the start every citation
    // of the measure shares, which the text carries once; the copy button (added by atlas.js,
    // which tests/browser.rs clicks) copies the two together.
    let cite = |html: &Html, selector: &str| {
        let prefix = html
            .select(&sel(".text[data-citation-prefix]"))
            .next()
            .and_then(|t| t.value().attr("data-citation-prefix"))
            .expect("the text carries the citation prefix");
        html.select(&sel(selector))
            .next()
            .and_then(|b| b.value().attr("data-cite"))
            .map(|c| format!("{prefix}{c}"))
    };
    let html = site.page("measures/yunnan-ijl-2025.html");
    assert_eq!(
        cite(&html, "[id=\"art-19-1\"][data-cite]").as_deref(),
        Some("《云南省国际联合实验室管理办法》（云科规〔2025〕12号）第十九条第（一）项")
    );
    assert_eq!(
        cite(&html, "#art-23 > h3[data-cite]").as_deref(),
        Some("《云南省国际联合实验室管理办法》（云科规〔2025〕12号）第二十三条")
    );
    // The prefix is written once, not on every unit.
    let units: Vec<_> = html.select(&sel(".text [data-cite]")).collect();
    assert!(units.len() > 20);
    assert!(units
        .iter()
        .all(|u| !u.value().attr("data-cite").unwrap().contains('《')));
    let national = site.page("measures/national-bases-2019.html");
    assert_eq!(
        cite(&national, "#art-13 > h3[data-cite]").as_deref(),
        Some("《国家国际科技合作基地管理办法》第十三条"),
        "no 文号 in the national copy"
    );
}

#[test]
fn errata_are_shown_beside_the_original_text() {
    let site = build("2026-11-21");
    let k = site.page("measures/kunming-bases-2020.html");
    let art21 = k.select(&sel("#art-21")).next().unwrap();
    assert!(
        reading_text(art21).contains("国家 and 省级"),
        "text stays as printed"
    );
    assert!(art21
        .select(&sel(".sic"))
        .any(|s| s.text().collect::<String>() == "国家 and 省级"));
    assert!(
        k.select(&sel("#art-19 aside.errata")).next().is_some(),
        "the gap note sits at 第十九条"
    );
    let z = site.page("measures/zhejiang-ijl-2026.html");
    assert!(reading_text(z.select(&sel("#art-18")).next().unwrap()).contains("前提提交"));
    let y = site.page("measures/yunnan-ijl-2025.html");
    let art27 = y.select(&sel("#art-27")).next().unwrap();
    assert_eq!(
        art27
            .select(&sel(".artefact"))
            .next()
            .unwrap()
            .text()
            .collect::<String>(),
        "[bookmark: _GoBack]"
    );
}

#[test]
fn document_numbers_link_into_the_collection_or_say_they_are_not_in_it() {
    let site = build("2026-11-21");
    let z = site.page("measures/zhejiang-ijl-2026.html");
    let ext = z
        .select(&sel("#art-33 .docno.external"))
        .next()
        .expect("浙科发外〔2022〕23 号 is not in the collection");
    assert!(ext
        .text()
        .collect::<String>()
        .contains("浙科发外〔2022〕23 号"));
    let moe = site.page("measures/moe-ijl-2022.html");
    assert!(moe
        .select(&sel("#sec-1 .docno.external"))
        .any(|e| e.text().collect::<String>().contains("教技〔2014〕3号")));
}

#[test]
fn every_internal_link_and_fragment_resolves_and_nothing_is_remote() {
    let site = build("2026-11-21");
    let broken = broken_links(&site.root);
    assert!(
        broken.is_empty(),
        "{} broken link(s):\n{}",
        broken.len(),
        broken.join("\n")
    );
    for p in site.pages() {
        let html = site.page(p.to_str().unwrap());
        let csp = html
            .select(&sel("meta[http-equiv=\"Content-Security-Policy\"]"))
            .next();
        assert!(
            csp.is_some_and(|m| m
                .value()
                .attr("content")
                .unwrap()
                .contains("default-src 'self'")),
            "{}: no CSP",
            p.display()
        );
        let lang = if p.starts_with("en") { "en" } else { "zh-Hans" };
        assert_eq!(
            html.select(&sel("html"))
                .next()
                .unwrap()
                .value()
                .attr("lang"),
            Some(lang),
            "{}",
            p.display()
        );
    }
}

#[test]
fn same_input_gives_byte_identical_output() {
    let a = build("2026-11-21");
    let b = build("2026-11-21");
    let files = |s: &atlas_tests::BuiltSite| {
        walkdir::WalkDir::new(&s.root)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().strip_prefix(&s.root).unwrap().to_path_buf(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    let (fa, fb) = (files(&a), files(&b));
    assert!(fa.len() > 10);
    assert_eq!(fa.len(), fb.len());
    for ((pa, ba), (pb, bb)) in fa.iter().zip(&fb) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{} differs between two builds", pa.display());
    }
}

#[test]
fn verbatim_source_copies_ship_with_the_site() {
    let site = build("2026-11-21");
    for f in ["000_2e852e097c09fd9b.txt", "004_190e752f788d2911.txt"] {
        let shipped = std::fs::read(site.root.join("sources").join(f)).unwrap();
        let original = std::fs::read(atlas_tests::repo().join("content/sources").join(f)).unwrap();
        assert_eq!(shipped, original);
    }
}

#[test]
fn the_contents_list_every_chapter_and_article_in_order() {
    let site = build("2026-11-21");
    for rel in [
        "measures/kunming-bases-2020.html",
        "en/measures/kunming-bases-2020.html",
    ] {
        let html = site.page(rel);
        let listed: Vec<String> = html
            .select(&sel("nav.toc a"))
            .filter_map(|a| a.value().attr("href"))
            .filter(|h| h.starts_with("#ch-") || h.starts_with("#art-"))
            .map(String::from)
            .collect();
        let in_text: Vec<String> = html
            .select(&sel(".text section.chapter[id], .text article[id]"))
            .filter_map(|e| e.value().id())
            .map(|id| format!("#{id}"))
            .collect();
        assert_eq!(listed, in_text, "{rel}");
        assert_eq!(listed.first().map(String::as_str), Some("#ch-1"), "{rel}");
        // The copy skips 第十八条: so do the contents.
        assert!(listed.contains(&"#art-17".into()) && listed.contains(&"#art-19".into()));
        assert!(!listed.contains(&"#art-18".into()), "{rel}");
    }
    let entry = |rel: &str, anchor: &str| {
        site.page(rel)
            .select(&sel(&format!("nav.toc a[href=\"#{anchor}\"]")))
            .next()
            .map(|a| a.text().collect::<String>())
    };
    let kunming = "measures/kunming-bases-2020.html";
    assert_eq!(entry(kunming, "ch-1").as_deref(), Some("第一章 总则"));
    assert_eq!(entry(kunming, "art-19").as_deref(), Some("第十九条"));
    assert_eq!(
        entry(&format!("en/{kunming}"), "art-19").as_deref(),
        Some("Art. 19 第十九条")
    );
    // The Ministry's notice is in numbered parts with headings.
    assert_eq!(
        entry("measures/moe-ijl-2022.html", "sec-2").as_deref(),
        Some("二、 推荐要求")
    );
    assert_eq!(
        entry("en/measures/moe-ijl-2022.html", "sec-2").as_deref(),
        Some("Part 2 二、 推荐要求")
    );
}

#[test]
fn each_measure_links_its_verbatim_source_copy_byte_for_byte() {
    use sha2::Digest;
    let site = build("2026-11-21");
    let sources = atlas_tests::repo().join("content/sources");
    let mut checked = 0;
    for id in [
        "national-bases-2019",
        "moe-ijl-2022",
        "yunnan-ijl-2025",
        "zhejiang-ijl-2026",
        "kunming-bases-2020",
    ] {
        let html = site.page(&format!("measures/{id}.html"));
        let link = html
            .select(&sel(".status-box a[href*=\"sources/\"]"))
            .next()
            .and_then(|a| a.value().attr("href"))
            .unwrap_or_else(|| panic!("{id}: no link to its source copy"));
        let name = link.rsplit('/').next().unwrap();
        // The copy the site carries is the project's own, byte for byte.
        let carried = std::fs::read(site.root.join("sources").join(name)).unwrap();
        assert_eq!(carried, std::fs::read(sources.join(name)).unwrap(), "{id}");
        // And the digest the page shows is that copy's.
        let shown = html
            .select(&sel(".status-box code.hash"))
            .next()
            .map(|c| c.text().collect::<String>())
            .unwrap();
        let digest: String = sha2::Sha256::digest(&carried)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert!(shown.ends_with(&digest), "{id}: {shown} is not {digest}");
        checked += 1;
    }
    assert_eq!(checked, 5);
}
