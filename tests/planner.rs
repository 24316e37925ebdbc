//! The planner page in real Chromium from file://: three applicants' profiles
//! (`tests/planner-profiles.toml`, worked by hand from the texts) typed into its one form as a
//! person does; the verdicts, amounts and dates it shows for every measure; the merged
//! timeline read back from its `.ics` by an independent parser; the profile kept in the
//! address and in local storage, and cleared; messages at the fields for a profile that makes no
//! sense; links to the planner from the home and calculator pages; the single-file edition.

#[path = "browser/mod.rs"]
mod harness;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use harness::{file_url, Chromium, Runner, Tab};
use serde::Deserialize;

#[derive(Deserialize)]
struct Profiles {
    profile: Vec<Profile>,
}

#[derive(Deserialize)]
struct Profile {
    name: String,
    events: usize,
    fields: BTreeMap<String, Typed>,
    #[serde(default)]
    calc: Vec<CalcWant>,
    #[serde(default)]
    event: Vec<EventWant>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Typed {
    Text(String),
    Boxes(Vec<String>),
}

#[derive(Deserialize)]
struct CalcWant {
    id: String,
    status: Option<String>,
    #[serde(default)]
    state: Vec<String>,
    #[serde(default)]
    lines: Vec<LineWant>,
}

#[derive(Deserialize)]
struct LineWant {
    result: String,
    item: Option<u32>,
    status: Option<String>,
    label: Option<String>,
    value: Option<String>,
    cite: Option<String>,
}

#[derive(Deserialize)]
struct EventWant {
    date: String,
    calc: String,
    title: String,
}

fn profiles() -> Vec<Profile> {
    let path = atlas_tests::repo().join("tests/planner-profiles.toml");
    let text = std::fs::read_to_string(&path).expect("planner profiles");
    toml::from_str::<Profiles>(&text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .profile
}

fn js(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn open_planner<'a>(chromium: &'a Chromium, root: &Path, suffix: &str) -> Tab<'a> {
    let t = chromium.open(&file_url(&root.join("planner.html"), suffix));
    t.wait_for("typeof AtlasPlanner !== 'undefined'", "planner script");
    t
}

/// Types or chooses every field of `p` as a person does: text typed into the focused field, an
/// option chosen, boxes clicked. The page updates by itself after a short pause.
fn fill(t: &Tab<'_>, fields: &BTreeMap<String, Typed>) {
    for (key, v) in fields {
        let sel = format!("form.planner [data-input={}]", js(key));
        let kind: Option<String> = t.eval(&format!(
            "const n = document.querySelector({}); return n ? n.getAttribute('data-kind') : null;",
            js(&sel)
        ));
        let kind = kind.unwrap_or_else(|| panic!("the planner has no field {key}"));
        match (kind.as_str(), v) {
            ("enum", Typed::Text(want)) => {
                let ok: bool = t.eval(&format!(
                    "const s = document.querySelector({}); const i = [...s.options].findIndex(o => o.value === {});
                     if (i < 0) return false; s.focus(); s.selectedIndex = i; s.dispatchEvent(new Event('change', {{bubbles: true}})); return true;",
                    js(&sel),
                    js(want)
                ));
                assert!(ok, "{key}: {want} is not offered");
            }
            ("enum-set", Typed::Boxes(items)) => {
                for item in items {
                    t.click(&format!("{sel} input[type=checkbox][value={}]", js(item)));
                }
            }
            (_, Typed::Text(text)) => {
                t.eval::<serde_json::Value>(&format!(
                    "document.querySelector({}).value = ''; return null;",
                    js(&sel)
                ));
                t.focus(&sel);
                t.insert_text(text);
            }
            (k, _) => panic!("{key}: a {k} field cannot take that value"),
        }
    }
    settle(t);
}

/// Waits until the page has updated after the last keystroke (it waits 120 ms for more, then
/// runs every calculator in a few milliseconds).
fn settle(t: &Tab<'_>) {
    std::thread::sleep(Duration::from_millis(500));
    t.wait_for("document.readyState === 'complete'", "the page");
}

#[derive(Deserialize, Debug)]
struct ShownCalc {
    status: String,
    state: String,
    rows: Vec<(String, u32, String, String, String, String)>,
}

fn shown(t: &Tab<'_>, id: &str) -> ShownCalc {
    t.eval(&format!(
        "const a = document.querySelector('.plan-calc[data-calc=' + {} + ']');
         const s = a.querySelector('.plan-state');
         const table = a.querySelector('table.lines');
         return {{ status: s.dataset.status || '', state: s.textContent,
           rows: table.hidden ? [] : [...table.querySelectorAll('tbody tr')].map(r => [r.dataset.result, parseInt(r.dataset.item || '0', 10),
             r.dataset.status || '', r.children[0].textContent, r.children[1].textContent, (r.querySelector('a') || {{}}).href || '']) }};",
        js(&js(id))
    ))
}

fn timeline(t: &Tab<'_>) -> Vec<(String, String, String, String)> {
    t.eval(
        "const table = document.querySelector('.plan-timeline table.timeline');
         return table.hidden ? [] : [...table.querySelectorAll('tbody tr')].map(r => [r.children[0].textContent, r.dataset.calc, r.children[1].textContent, r.children[2].textContent]);",
    )
}

fn check_profile(t: &Tab<'_>, p: &Profile) -> Vec<String> {
    let mut bad = Vec::new();
    for c in &p.calc {
        let got = shown(t, &c.id);
        if let Some(s) = &c.status {
            if &got.status != s {
                bad.push(format!(
                    "{}: {} is {:?}, not {s}: {}",
                    p.name, c.id, got.status, got.state
                ));
            }
        }
        for w in &c.state {
            if !got.state.contains(w.as_str()) {
                bad.push(format!(
                    "{}: {} says {:?}, without {w:?}",
                    p.name, c.id, got.state
                ));
            }
        }
        for l in &c.lines {
            let hit = got
                .rows
                .iter()
                .any(|(result, item, status, label, value, href)| {
                    result == &l.result
                        && l.item.is_none_or(|i| i == *item)
                        && l.status.as_ref().is_none_or(|s| s == status)
                        && l.label.as_ref().is_none_or(|w| label.contains(w.as_str()))
                        && l.value.as_ref().is_none_or(|w| value.contains(w.as_str()))
                        && l.cite
                            .as_ref()
                            .is_none_or(|a| href.ends_with(&format!("#{a}")))
                });
            if !hit {
                bad.push(format!(
                    "{}: {} shows no line {} {:?} {:?} {:?} {:?}; shown: {:#?}",
                    p.name, c.id, l.result, l.item, l.status, l.label, l.value, got.rows
                ));
            }
        }
    }
    let rows = timeline(t);
    if rows.len() != p.events {
        bad.push(format!(
            "{}: {} timeline rows, not {}: {rows:#?}",
            p.name,
            rows.len(),
            p.events
        ));
    }
    for e in &p.event {
        if !rows.iter().any(|(d, c, title, _)| {
            d.starts_with(&e.date) && c == &e.calc && title.contains(&e.title)
        }) {
            bad.push(format!(
                "{}: no {} event {:?} on {}: {rows:#?}",
                p.name, e.calc, e.title, e.date
            ));
        }
    }
    // Dates in order.
    let dates: Vec<&str> = rows.iter().map(|r| &r.0[..10]).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    if dates != sorted {
        bad.push(format!("{}: timeline not in date order: {dates:?}", p.name));
    }
    bad
}

/// The written-out profiles, typed into the Chinese page; each page's calendar read back by
/// icalendar: one all-day event per timeline row, on its day, with its article.
fn profiles_worked_by_hand(chromium: &Chromium, root: &Path) {
    use icalendar::Component;
    let mut bad = Vec::new();
    for p in profiles() {
        let t = open_planner(chromium, root, "");
        t.click("button.clear-profile");
        fill(&t, &p.fields);
        bad.extend(check_profile(&t, &p));
        let text: String = t.eval("return AtlasPlanner.ics();");
        let cal: icalendar::Calendar = text
            .parse()
            .unwrap_or_else(|e| panic!("{}: not RFC 5545: {e}\n{text}", p.name));
        let events: Vec<&icalendar::Event> =
            cal.components.iter().filter_map(|c| c.as_event()).collect();
        assert_eq!(events.len(), p.events, "{}: {text}", p.name);
        for e in &p.event {
            let day = e.date.replace('-', "");
            let hit = events.iter().find(|ev| {
                ev.property_value("DTSTART") == Some(day.as_str())
                    && ev.get_summary().is_some_and(|s| s.contains(&e.title))
            });
            let ev = hit.unwrap_or_else(|| {
                panic!(
                    "{}: no calendar event {} on {day}:\n{text}",
                    p.name, e.title
                )
            });
            assert!(
                ev.get_description().is_some_and(|d| d.contains("第")),
                "{}: {} has no article in its description",
                p.name,
                e.title
            );
            assert!(
                ev.get_uid().is_some_and(|u| u.starts_with(&e.calc)),
                "{}: uid names its calculator",
                p.name
            );
        }
        assert!(t.log().errors.is_empty(), "{:?}", t.log().errors);
        assert!(
            t.non_file_requests().is_empty(),
            "{:?}",
            t.non_file_requests()
        );
        t.close();
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// The profile is kept in the address (to share) and in local storage; "clear" empties both.
fn profile_kept_and_cleared(chromium: &Chromium, root: &Path) {
    let p = profiles().into_iter().nth(2).expect("the Zhejiang profile");
    let t = open_planner(chromium, root, "");
    t.click("button.clear-profile");
    fill(&t, &p.fields);
    let url = t.url();
    assert!(
        url.contains("?") && url.contains("staff=40") && url.contains("start=2026-08-01"),
        "the profile is in the address: {url}"
    );
    t.close();
    // A shared link: the same results in a fresh tab.
    let query = url.split_once('?').map(|(_, q)| format!("?{q}")).unwrap();
    let t = open_planner(chromium, root, &query);
    settle(&t);
    let bad = check_profile(&t, &p);
    assert!(bad.is_empty(), "from the link: {}", bad.join("\n"));
    t.close();
    // Local storage: the page opened without a query shows the last profile.
    let t = open_planner(chromium, root, "");
    settle(&t);
    let staff: String =
        t.eval("return document.querySelector('[data-input=\"profile-staff\"]').value;");
    assert_eq!(staff, "40", "kept in local storage");
    t.click("button.clear-profile");
    settle(&t);
    let (staff, stored, url, rows): (String, Option<String>, String, usize) = t.eval(
        "return [document.querySelector('[data-input=\"profile-staff\"]').value, localStorage.getItem('atlas-planner'), location.href,
                 document.querySelectorAll('.plan-timeline tbody tr').length];",
    );
    assert_eq!(staff, "", "cleared");
    assert!(stored.unwrap_or_default().is_empty(), "storage cleared");
    assert!(!url.contains("staff="), "address cleared: {url}");
    assert_eq!(rows, 0, "no timeline without a profile");
    // A blank profile is not an error: no field is marked, and a calculator that nothing
    // reaches says it cannot tell yet (Yunnan's enterprise matching needs one of two amounts).
    let (marked, shown_errors): (usize, usize) = t.eval(
        "return [document.querySelectorAll('[aria-invalid=true]').length,
                 [...document.querySelectorAll('[data-error-for]')].filter(p => !p.hidden).length];",
    );
    assert_eq!(
        (marked, shown_errors),
        (0, 0),
        "a blank profile marks no field"
    );
    let got = shown(&t, "yunnan-enterprise-match");
    assert_eq!(got.status, "cannot-tell", "{got:?}");
    assert!(got.state.contains("尚未填写"), "{got:?}");
    t.close();
}

/// More foreign staff than staff, a registration or a recognition in the future, a revocation
/// before its recognition: a message at the field.
fn nonsense_is_said_at_the_field(chromium: &Chromium, root: &Path) {
    let t = open_planner(chromium, root, "");
    t.click("button.clear-profile");
    let mut fields = BTreeMap::new();
    fields.insert("profile-staff".to_string(), Typed::Text("3".into()));
    fields.insert("profile-foreign_staff".to_string(), Typed::Text("5".into()));
    fields.insert(
        "profile-registered_on".to_string(),
        Typed::Text("2099-01-01".into()),
    );
    fields.insert(
        "national-bases-2019--base_type".to_string(),
        Typed::Text("tech-transfer-center".into()),
    );
    fields.insert("place".to_string(), Typed::Text("浙江省".into()));
    // A recognition obtained in the future; one revoked before it was obtained.
    fields.insert(
        "profile-held".to_string(),
        Typed::Boxes(vec!["provincial-base".into(), "national-base".into()]),
    );
    fields.insert(
        "profile-held.provincial-base.since".to_string(),
        Typed::Text("2099-05-01".into()),
    );
    fields.insert(
        "profile-held.national-base.since".to_string(),
        Typed::Text("2019-05-01".into()),
    );
    fields.insert(
        "profile-held.national-base.revoked".to_string(),
        Typed::Text("2018-01-01".into()),
    );
    fill(&t, &fields);
    let read = |key: &str| -> (bool, String, bool) {
        t.eval(&format!(
            "const p = document.querySelector('[data-error-for={k}]'); const f = document.querySelector('[data-input={k}]');
             return [p.hidden, p.textContent, f.getAttribute('aria-invalid') === 'true'];",
            k = js(key)
        ))
    };
    // 云南 第七条（四）“其中外籍研究人员”: counted among the staff (the Yunnan measure's own check,
    // said even where the unit's place leaves that measure out); dates of what has happened
    // not after today; a revocation not before its recognition.
    let said = [
        ("profile-foreign_staff", "不能多于"),
        ("profile-registered_on", "晚于今天"),
        ("profile-held.provincial-base.since", "晚于今天"),
        (
            "profile-held.national-base.revoked",
            "早于“认定日期”（2019-05-01）",
        ),
    ];
    for (key, words) in said {
        let (hidden, msg, marked) = read(key);
        assert!(
            !hidden && marked && msg.contains(words),
            "{key}: {msg:?}, not {words:?}"
        );
    }
    // The registration date is not used: the national check cannot tell.
    let got = shown(&t, "national-eligibility");
    assert_eq!(got.status, "cannot-tell", "{got:?}");
    // Neither date is used; the boxes ticked stand: the national base is held (no revocation
    // stands), and a national base held excludes the MOE call (一、（二）).
    let got = shown(&t, "non-duplication");
    let rule = |label: &str| {
        got.rows
            .iter()
            .find(|r| r.3.contains(label))
            .map(|r| r.2.clone())
    };
    assert_eq!(
        rule("教育部高校国际合作联合实验室").as_deref(),
        Some("excluded"),
        "{got:?}"
    );
    t.close();
}

/// The home page, the calculators' index and every calculator page link to the planner, in
/// both editions; the fictitious measure of a site built with it appears there too (below).
fn linked_from_home_and_calculators(root: &Path) {
    let mut pages = vec![
        "index.html".to_string(),
        "en/index.html".into(),
        "calculators/index.html".into(),
        "en/calculators/index.html".into(),
    ];
    for e in std::fs::read_dir(root.join("calculators"))
        .unwrap()
        .flatten()
    {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".html") && name != "index.html" {
            pages.push(format!("calculators/{name}"));
            pages.push(format!("en/calculators/{name}"));
        }
    }
    for page in pages {
        let html =
            scraper::Html::parse_document(&std::fs::read_to_string(root.join(&page)).unwrap());
        let link = html
            .select(&atlas_tests::sel(".planner-link a"))
            .next()
            .unwrap_or_else(|| panic!("{page}: no link to the planner"));
        let href = link.value().attr("href").unwrap();
        let target = root.join(&page).parent().unwrap().join(href);
        assert!(target.is_file(), "{page}: {href} does not exist");
        assert!(href.ends_with("planner.html"), "{page}: {href}");
    }
}

/// The English page shows the same results in English words.
fn english_planner(chromium: &Chromium, root: &Path) {
    let p = profiles().into_iter().next().unwrap();
    let t = chromium.open(&file_url(&root.join("en/planner.html"), ""));
    t.wait_for("typeof AtlasPlanner !== 'undefined'", "planner script");
    t.click("button.clear-profile");
    fill(&t, &p.fields);
    let got = shown(&t, "kunming-disbursement");
    let total = got.rows.iter().find(|r| r.0 == "total").expect("total");
    assert!(total.4.contains("CNY 1,000,000.00"), "{total:?}");
    let got = shown(&t, "yunnan-eligibility");
    assert_eq!(got.status, "met-soft");
    assert!(got.state.contains("soft requirements"), "{}", got.state);
    let rows = timeline(&t);
    assert_eq!(rows.len(), p.events);
    assert!(
        rows.iter()
            .all(|r| !r.2.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))),
        "English titles: {rows:?}"
    );
    assert!(t.log().errors.is_empty(), "{:?}", t.log().errors);
    t.close();
}

/// Print: one measure per A4 page. The Kunming profile's link printed to PDF by Chromium: at
/// least one page per measure that applies and one for the timeline, and not many more.
fn prints_one_measure_per_page(chromium: &Chromium, root: &Path) {
    let p = profiles().into_iter().next().unwrap();
    let t = open_planner(chromium, root, "");
    t.click("button.clear-profile");
    fill(&t, &p.fields);
    let applies: usize = t.eval(
        "return [...document.querySelectorAll('.plan-measure')].filter(x => x.dataset.applies !== 'no').length;",
    );
    let url = t.url();
    t.close();
    assert!(
        applies >= 4,
        "Kunming, Yunnan, national, MOE and the cross-measure rules"
    );
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("plan.pdf");
    let out = std::process::Command::new(harness::chromium_path().unwrap())
        .args(harness::FLAGS)
        .args([
            "--headless",
            "--no-sandbox",
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
            &url,
        ])
        .output()
        .expect("chromium runs");
    let bytes = std::fs::read(&pdf)
        .unwrap_or_else(|e| panic!("no PDF ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    let text = String::from_utf8_lossy(&bytes);
    let pages = text.matches("/Type /Page\n").count()
        + text.matches("/Type /Page\r").count()
        + text.matches("/Type /Page/").count()
        + text.matches("/Type /Page>").count()
        + text.matches("/Type /Page ").count();
    assert!(
        pages > applies && pages <= 3 * (applies + 1),
        "{pages} pages for {applies} measures and the timeline"
    );
}

/// 教育部 通知 三、 请于2023年2月28日前邮寄 is the one application window the collection states.
/// On 2023-01-10 the call is open: the measure says so, quoting and citing the words, and the
/// timeline and its calendar list 2023-02-28 as a date to act by; on the tests' status date
/// (2026-11-21) it has closed: said at the measure, no longer a date to act by. A measure that
/// states no window says so.
fn call_window(chromium: &Chromium, late: &Path) {
    let early = atlas_tests::build("2023-01-10");
    for (root, open) in [(early.root.as_path(), true), (late, false)] {
        let t = open_planner(chromium, root, "?staff=30");
        settle(&t);
        let said = |measure: &str| -> String {
            t.eval(&format!(
                "return document.querySelector('.plan-measure[data-measure=' + {} + '] .plan-call').textContent;",
                js(&js(measure))
            ))
        };
        let call = said("moe-ijl-2022");
        assert!(call.contains("申报截止：2023-02-28"), "{call}");
        assert!(
            call.contains(if open {
                "申报进行中"
            } else {
                "申报已截止"
            }),
            "{call}"
        );
        assert!(call.contains("「请于2023年2月28日前邮寄至教育部"), "{call}");
        assert!(call.contains("三、"), "cited: {call}");
        let rows = timeline(&t);
        let row = rows
            .iter()
            .find(|r| r.0 == "2023-02-28" && r.2 == "申报截止");
        assert_eq!(row.is_some(), open, "open {open}: {rows:?}");
        if let Some(r) = row {
            assert_eq!(r.1, "moe-ijl-2022");
        }
        let ics: String = t.eval("return AtlasPlanner.ics();");
        assert_eq!(ics.contains("DTSTART;VALUE=DATE:20230228"), open, "{ics}");
        assert!(said("yunnan-ijl-2025").contains("本办法未规定"));
        t.close();
    }
}

fn main() {
    let names = [
        "profiles_worked_by_hand",
        "profile_kept_and_cleared",
        "nonsense_is_said_at_the_field",
        "linked_from_home_and_calculators",
        "english_planner",
        "prints_one_measure_per_page",
        "call_window",
    ];
    let mut runner = Runner::from_args(&names);
    let site = atlas_tests::build(atlas_tests::AS_OF);
    let root = site.root.as_path();
    let chromium = Chromium::launch();
    runner.run("profiles_worked_by_hand", || {
        profiles_worked_by_hand(&chromium, root)
    });
    runner.run("profile_kept_and_cleared", || {
        profile_kept_and_cleared(&chromium, root)
    });
    runner.run("nonsense_is_said_at_the_field", || {
        nonsense_is_said_at_the_field(&chromium, root)
    });
    runner.run("linked_from_home_and_calculators", || {
        linked_from_home_and_calculators(root)
    });
    runner.run("english_planner", || english_planner(&chromium, root));
    runner.run("prints_one_measure_per_page", || {
        prints_one_measure_per_page(&chromium, root)
    });
    runner.run("call_window", || call_window(&chromium, root));
    chromium.close();
    runner.finish();
}
