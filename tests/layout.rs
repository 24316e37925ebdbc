//! Reading the site on a screen, a phone and paper, in real headless Chromium from `file://`:
//! every page of both editions, and every route of the single-file edition, at 1280 × 900 and
//! at 390 × 844 (a phone), checked as a reader would notice:
//!
//! - the document never scrolls sideways, and no element's content is wider than its box
//!   unless the box scrolls (a table in its scrolling frame);
//! - no list item or table cell says the same run of ten or more characters twice;
//! - no visible text is an id (`art-23`, a measure's, topic's, fact's or calculator's slug),
//!   except what is marked as code (a calculator's id, for `atlas calc run`);
//! - each edition shows only its own language outside elements marked with the other `lang`.
//!
//! Then the matrix (five measures side by side at 1280 px, sticky headings), the search
//! highlight, the language switch, printing (`Page.printToPDF`), the CSV exports and the
//! smaller things a reader meets on a measure page. Screenshots of each kind of page are kept
//! under `target/layout/` (`$CARGO_TARGET_DIR/layout/` when set) to look at.

#[path = "browser/mod.rs"]
mod harness;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use harness::{file_url, Chromium, Runner, Tab};

/// The two viewports: (name, width, height, phone).
const VIEWPORTS: [(&str, u32, u32, bool); 2] =
    [("1280", 1280, 900, false), ("390", 390, 844, true)];

/// The checks every page gets, as the body of a JS function of `opts` ({en, ids}): a list of
/// problems, each saying what and where.
const CHECKS: &str = r#"
const out = [];
const de = document.documentElement;
const W = de.clientWidth;
if (de.scrollWidth > W + 1) out.push('the document scrolls sideways: ' + de.scrollWidth + ' px wide in ' + W);
const vis = el => el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
const name = el => {
  let s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  if (el.classList.length) s += '.' + [...el.classList].join('.');
  const p = el.parentElement;
  return p && p !== document.body ? name(p).split(' > ').slice(-2).join(' > ') + ' > ' + s : s;
};
const short = t => t.replace(/\s+/g, ' ').trim().slice(0, 70);
// Content wider than its box, unless the box scrolls. Only the innermost such element is named:
// its ancestors are wide because of it.
const wide = [];
for (const el of document.body.getElementsByTagName('*')) {
  if (/^(INPUT|TEXTAREA|SELECT|OPTION|SCRIPT|STYLE)$/.test(el.tagName) || el instanceof SVGElement) continue;
  if (el.clientWidth <= 1 || el.scrollWidth <= el.clientWidth + 1) continue;
  const s = getComputedStyle(el);
  if (s.overflowX === 'auto' || s.overflowX === 'scroll') continue;
  if (!vis(el)) continue;
  wide.push(el);
}
for (const el of wide) {
  if (!wide.some(o => o !== el && el.contains(o))) {
    out.push('content wider than its box: ' + name(el) + ' (' + el.scrollWidth + ' > ' + el.clientWidth + ' px) «' + short(el.textContent) + '»');
  }
}
// A list item's or cell's own words (not those of lists nested in it), as shown, each character
// with the segment it belongs to: the measure's verbatim words (the text of the measure pages,
// a cited unit, a quotation in 「」) may repeat themselves, as the source does; what the site
// says around them may not.
const VERBATIM = '.text, .front, .back, #closing, .annex, blockquote, q, .verbatim';
const AROUND = 'aside, details, button, .summary-en, .errata, .backlinks';
// A name a list item is tagged with (a search result's measure): the item's words may name
// the same thing without the site saying it twice.
const NAMES = '.search-hit-measure';
const own = el => {
  let t = '', seg = [], quote = 0, depth = 0;
  const push = (str, s) => { for (const ch of str) { t += ch; seg.push(s); } };
  const walk = n => {
    for (const c of n.childNodes) {
      if (c.nodeType === 3) {
        const p = c.parentElement, v = p.closest(VERBATIM), a = p.closest(AROUND);
        const verbatim = v && (!a || a.contains(v)), named = p.closest(NAMES);
        for (const ch of c.data.replace(/\s+/g, ' ')) {
          if (ch === '「') { depth++; if (depth === 1) quote++; }
          push(ch, named ? -2 : verbatim ? 0 : depth > 0 ? quote : -1);
          if (ch === '」' && depth > 0) depth--;
        }
      } else if (c.nodeType === 1 && !/^(UL|OL|SCRIPT|STYLE|TEMPLATE|BUTTON|CODE)$/.test(c.tagName) && vis(c)) {
        push(' ', -1); walk(c); push(' ', -1);
      }
    }
  };
  walk(el);
  return { t, seg };
};
// A run said twice, not both times inside the same verbatim segment: ten characters holding
// Chinese; in English, whose words are longer and recur in any sentence, thirty (five words or
// so, what a label repeated as its value looks like).
const HAN = /\p{Script=Han}/u;
const repeated = ({ t, seg }) => {
  const chars = [...t];
  for (const [len, wanted] of [[10, true], [30, false]]) {
    for (let i = 0; i + len <= chars.length; i++) {
      const run = chars.slice(i, i + len).join('');
      if (HAN.test(run) !== wanted || /^(.)\1*$/.test(run) || /^\s|\s$/.test(run)) continue;
      for (let j = i + len; j + len <= chars.length; j++) {
        if (chars.slice(j, j + len).join('') !== run) continue;
        const end = len - 1;
        if (seg[i] >= 0 && seg[i] === seg[j] && seg[i + end] === seg[i] && seg[j + end] === seg[j]) continue;
        const isName = k => seg[k] === -2 && seg[k + end] === -2;
        if (isName(i) !== isName(j)) continue;
        return run;
      }
    }
  }
  return null;
};
for (const el of document.querySelectorAll('li, td, th')) {
  if (!vis(el)) continue;
  const o = own(el);
  const r = repeated(o);
  if (r) out.push('says «' + r + '» twice: ' + name(el) + ' «' + short(o.t) + '»');
}
// A row whose label the other cells say again (a label shown again as its value). Cells
// other than the first may agree: measures compared side by side say the same thing.
for (const tr of document.querySelectorAll('tr')) {
  if (!vis(tr)) continue;
  const cells = [...tr.children].filter(vis).map(c => c.textContent.replace(/\s+/g, ' ').trim());
  if (cells[0] && cells[0].length >= 4 && cells.indexOf(cells[0], 1) > 0) {
    out.push('says «' + short(cells[0]) + '» twice: ' + name(tr) + ' (its label and a cell)');
  }
}
// Visible text: no ids, and the edition's own language outside elements marked otherwise.
const ids = new RegExp(opts.ids);
// In English, Chinese characters and Chinese punctuation (、。「」 and the full-width ：，（）).
const other = opts.en ? /[\p{Script=Han}\u3001-\u3003\u3008-\u3011\uFF01-\uFF1F]+/u : /[A-Za-z]{2,}(?:[ \u00a0'’,-]+[A-Za-z]+){2,}/;
const otherLang = opts.en ? 'zh' : 'en';
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const n = walker.currentNode, p = n.parentElement;
  if (!p || /^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE|OPTION)$/.test(p.tagName) || p.closest('code') || !n.data.trim() || !vis(p)) continue;
  const id = n.data.match(ids);
  if (id) out.push('an id as text: «' + id[0] + '» in ' + name(p) + ' «' + short(n.data) + '»');
  const marked = p.closest('[lang]');
  // The measure's own words are what they are (a naming rule quotes the English name).
  const v = p.closest(VERBATIM), a = p.closest(AROUND);
  const verbatim = !opts.en && v && (!a || a.contains(v));
  if (!verbatim && !(marked && marked.getAttribute('lang').toLowerCase().startsWith(otherLang))) {
    const o = n.data.match(other);
    if (o) out.push('the other language: «' + o[0] + '» in ' + name(p) + ' «' + short(n.data) + '»');
  }
}
return out;
"#;

/// Where the screenshots go.
fn shots() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| atlas_tests::repo().join("target"))
        .join("layout")
}

/// A JS regular expression matching any id a reader must never see as text: unit anchors
/// (`art-23`, `sec-1-i2`, `front-3` …) and the slugs of the measures, topics, groups, facts and
/// calculators of the built site.
fn id_pattern(root: &Path) -> String {
    let data: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("data/atlas.json")).expect("dataset"),
    )
    .expect("dataset JSON");
    let mut slugs = BTreeSet::new();
    let s = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    for m in data["measures"].as_array().into_iter().flatten() {
        slugs.insert(s(&m["id"]));
        for f in m["facts"].as_array().into_iter().flatten() {
            slugs.insert(s(&f["id"]));
        }
    }
    for g in data["groups"].as_array().into_iter().flatten() {
        slugs.insert(s(&g["id"]));
        for t in g["topics"].as_array().into_iter().flatten() {
            slugs.insert(s(&t["id"]));
        }
    }
    for e in std::fs::read_dir(root.join("calculators")).expect("calculators") {
        let p = e.expect("entry").path();
        let stem = p
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        if stem != "index" {
            slugs.insert(stem);
        }
    }
    // A slug that could be an English word or compound (`eligibility`, `non-duplication`) is
    // not looked for: an id has a digit, two hyphens or a place's name in it.
    let places: BTreeSet<String> = data["measures"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["id"].as_str()?.split('-').next().map(String::from))
        .collect();
    let slugs: Vec<String> = slugs
        .into_iter()
        .filter(|x| {
            x.matches('-').count() >= 2
                || x.contains(|c: char| c.is_ascii_digit())
                || (x.contains('-') && places.iter().any(|p| x.starts_with(&format!("{p}-"))))
        })
        .map(|x| x.replace('.', "\\."))
        .collect();
    assert!(slugs.len() > 50, "too few ids to look for: {slugs:?}");
    format!(
        "(?<![\\w-])(?:(?:art|sec|front|back|closing|ch)-\\d+|{})(?![\\w-])",
        slugs.join("|")
    )
}

/// Whether a page's screenshot is kept: one or two of each kind, every page that is not a
/// topic or a calculator.
fn keep_shot(rel: &str) -> bool {
    let bare = rel.strip_prefix("en/").unwrap_or(rel);
    !(bare.starts_with("compare/topics/") || bare.starts_with("calculators/"))
        || [
            "compare/topics/disbursement-schedule.html",
            "compare/topics/host-institution.html",
            "calculators/index.html",
            "calculators/yunnan-timeline.html",
        ]
        .contains(&bare)
}

fn shot_name(rel: &str) -> String {
    rel.replace('/', "_").trim_end_matches(".html").to_string()
}

/// Runs [`CHECKS`] on the tab at both viewports; problems are prefixed with `label`.
fn check_both(tab: &Tab, label: &str, en: bool, ids: &str, shot: Option<&str>) -> Vec<String> {
    let mut problems = Vec::new();
    for (vp, w, h, phone) in VIEWPORTS {
        tab.set_viewport(w, h, phone);
        let got: Vec<String> = tab.eval(&format!(
            "const opts = {{ en: {en}, ids: {} }};\n{CHECKS}",
            serde_json::Value::String(ids.to_string())
        ));
        problems.extend(got.into_iter().map(|p| format!("{label} @{vp}: {p}")));
        if let Some(name) = shot {
            tab.screenshot(&shots().join(format!("{name}@{vp}.png")));
        }
    }
    problems
}

/// Fails with the problems found: how many of each kind, then the first ones; all of them are
/// written to `problems-<name>.txt` beside the screenshots.
fn report(name: &str, problems: &[String], views: usize) {
    if problems.is_empty() {
        return;
    }
    let file = shots().join(format!("problems-{name}.txt"));
    std::fs::create_dir_all(shots()).ok();
    std::fs::write(&file, problems.join("\n")).ok();
    let mut kinds: std::collections::BTreeMap<&str, usize> = Default::default();
    for p in problems {
        let kind = p.split(": ").nth(1).unwrap_or(p);
        let kind = kind.split(['«', '(']).next().unwrap_or(kind).trim();
        *kinds.entry(kind).or_default() += 1;
    }
    panic!(
        "{} problem(s) in {views} page views (all in {}):\n{}\n\n{}",
        problems.len(),
        file.display(),
        kinds
            .iter()
            .map(|(k, n)| format!("{n:5} × {k}"))
            .collect::<Vec<_>>()
            .join("\n"),
        problems
            .iter()
            .take(25)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn every_page_fits(c: &Chromium, root: &Path, ids: &str) {
    let pages = atlas_tests::BuiltSite::pages_under(root);
    assert!(pages.len() > 100, "{} pages", pages.len());
    let tab = c.open("about:blank");
    let mut problems = Vec::new();
    for rel in &pages {
        let rel = rel.to_string_lossy().replace('\\', "/");
        tab.goto(&file_url(&root.join(&rel), ""));
        tab.wait_for("document.readyState === 'complete'", &rel);
        let en = rel.starts_with("en/");
        let shot = keep_shot(&rel).then(|| shot_name(&rel));
        problems.extend(check_both(&tab, &rel, en, ids, shot.as_deref()));
    }
    let errors = tab.log().errors;
    assert!(errors.is_empty(), "{errors:?}");
    report("pages", &problems, pages.len() * 2);
}

fn single_file_routes_fit(c: &Chromium, html: &Path, root: &Path, ids: &str) {
    let pages = atlas_tests::BuiltSite::pages_under(root);
    let tab = c.open(&file_url(html, ""));
    tab.wait_for(
        "window.ATLAS_SF && document.querySelector('main')",
        "single file",
    );
    let mut problems = Vec::new();
    for rel in &pages {
        let rel = rel.to_string_lossy().replace('\\', "/");
        tab.eval::<serde_json::Value>(&format!(
            "ATLAS_SF.nav('../'.repeat(ATLAS_SF.path.split('/').length - 1) + {}); return null;",
            serde_json::Value::String(rel.clone())
        ));
        tab.wait_for(
            &format!(
                "ATLAS_SF.path === {} && document.querySelector('main')",
                serde_json::Value::String(rel.clone())
            ),
            &rel,
        );
        let en = rel.starts_with("en/");
        let shot = (rel == "index.html" || rel == "compare/index.html")
            .then(|| format!("single-file_{}", shot_name(&rel)));
        problems.extend(check_both(
            &tab,
            &format!("#!/{rel}"),
            en,
            ids,
            shot.as_deref(),
        ));
    }
    let errors = tab.log().errors;
    assert!(errors.is_empty(), "{errors:?}");
    report("single-file", &problems, pages.len() * 2);
}

/// The results of searches a reader makes, in both editions and in either language: each
/// result says its name once, in the edition's language (the authoritative Chinese text and
/// English summaries marked as such), and the page fits.
fn search_results_fit(c: &Chromium, root: &Path, ids: &str) {
    let queries = [
        "年度报告",
        "annual report",
        "配套经费",
        "matching funds",
        "第十九条",
        "外籍研究人员",
        "实验室",
        "evaluation",
    ];
    let tab = c.open("about:blank");
    let mut problems = Vec::new();
    let mut views = 0;
    for (page, en) in [("search.html", false), ("en/search.html", true)] {
        for q in queries {
            tab.goto(&file_url(
                &root.join(page),
                &format!("?q={}", harness::encode(q)),
            ));
            tab.wait_for(
                "document.querySelectorAll('.search-results li.search-hit').length > 0",
                &format!("{page} {q}"),
            );
            let label = format!("{page}?q={q}");
            let shot = (q == "annual report" || q == "年度报告")
                .then(|| shot_name(&format!("{page}-{q}").replace(' ', "-")));
            problems.extend(check_both(&tab, &label, en, ids, shot.as_deref()));
            views += 2;
        }
    }
    let errors = tab.log().errors;
    assert!(errors.is_empty(), "{errors:?}");
    report("search", &problems, views);
}

/// Where the matrix's measure columns and its frame are: (frame left, right, top), and each
/// visible measure column's (id, left, right).
fn matrix_geometry(tab: &Tab) -> (f64, f64, f64, Vec<(String, f64, f64)>) {
    tab.eval(
        "const f = document.querySelector('.matrix-frame').getBoundingClientRect();\
         const cols = [...document.querySelectorAll('#matrix thead th[data-measure]')].filter(th => !th.hidden)\
           .map(th => { const r = th.getBoundingClientRect(); return [th.dataset.measure, r.left, r.right]; });\
         return [f.left, f.right, f.top, cols];",
    )
}

/// On a 1280 px screen the matrix shows its five measures side by side, all within the
/// window; scrolled down, the measures' header stays at the top of the table's frame; on a
/// phone, scrolled sideways, the topic column stays at its left edge.
fn matrix_fits_and_keeps_its_headings(c: &Chromium, root: &Path) {
    let tab = c.open("about:blank");
    tab.set_viewport(1280, 900, false);
    tab.goto(&file_url(&root.join("compare/index.html"), ""));
    tab.wait_for("document.readyState === 'complete'", "matrix");
    let (_, _, _, cols) = matrix_geometry(&tab);
    assert_eq!(cols.len(), 5, "five measures: {cols:?}");
    let width: f64 = tab.eval("return document.documentElement.clientWidth;");
    for (id, left, right) in &cols {
        assert!(
            *left >= 0.0 && *right <= width,
            "{id}: {left}–{right} outside the {width} px window"
        );
        assert!(
            right - left >= 150.0,
            "{id}: {} px is too narrow to read",
            right - left
        );
    }
    // Scroll the table down: the header row stays at the frame's top.
    let moved: Vec<f64> = tab.eval(
        "const f = document.querySelector('.matrix-frame'); f.scrollTop = 1500;\
         await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));\
         const th = document.querySelector('#matrix thead th[data-measure]');\
         return [f.scrollTop, th.getBoundingClientRect().top - f.getBoundingClientRect().top];",
    );
    assert!(moved[0] > 1000.0, "the frame scrolls: {moved:?}");
    assert!(
        moved[1].abs() <= 2.0,
        "header at the frame's top: {moved:?}"
    );
    // A phone: the frame scrolls sideways, the topic column stays.
    tab.set_viewport(390, 844, true);
    let side: Vec<f64> = tab.eval(
        "const f = document.querySelector('.matrix-frame'); f.scrollTop = 600; f.scrollLeft = 500;\
         await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));\
         const rows = [...document.querySelectorAll('#matrix tbody th[scope=row]')];\
         const fr = f.getBoundingClientRect();\
         const row = rows.find(r => { const b = r.getBoundingClientRect(); return b.top > fr.top + 60 && b.top < fr.bottom - 40; });\
         const th = document.querySelector('#matrix thead th[data-measure]');\
         return [f.scrollLeft, row.getBoundingClientRect().left - fr.left, th.getBoundingClientRect().top - fr.top,\
                 document.documentElement.scrollWidth - document.documentElement.clientWidth];",
    );
    assert!(side[0] > 300.0, "the frame scrolls sideways: {side:?}");
    assert!(
        side[1].abs() <= 2.0,
        "topic column at the frame's left: {side:?}"
    );
    assert!(side[2].abs() <= 2.0, "header at the frame's top: {side:?}");
    assert!(
        side[3] <= 0.0,
        "the page itself does not scroll sideways: {side:?}"
    );
    tab.screenshot(&shots().join("matrix-scrolled@390.png"));
}

/// Beyond five measures the matrix shows the first five in the hierarchy's order, and the
/// reader chooses others; the choice and the filters are kept in the URL, so that the view
/// comes back from it.
fn matrix_columns_and_filters_are_kept_in_the_url(c: &Chromium, root: &Path) {
    let tab = c.open("about:blank");
    tab.set_viewport(1280, 900, false);
    tab.goto(&file_url(&root.join("compare/index.html"), ""));
    tab.wait_for("document.readyState === 'complete'", "matrix");
    // Every measure is a column of the page, in the hierarchy's order (national, ministerial,
    // provincial, municipal); five are shown.
    let all: Vec<(String, String)> = tab.eval(
        "return [...document.querySelectorAll('#matrix thead th[data-measure]')].map(th => [th.dataset.measure, th.dataset.level]);",
    );
    assert!(all.len() > 5, "{} measures", all.len());
    let rank = |l: &str| {
        ["national", "ministerial", "provincial", "municipal"]
            .iter()
            .position(|x| *x == l)
    };
    let ranks: Vec<_> = all.iter().map(|(_, l)| rank(l)).collect();
    let mut sorted = ranks.clone();
    sorted.sort();
    assert_eq!(ranks, sorted, "hierarchy's order: {all:?}");
    let shown =
        |tab: &Tab| -> Vec<String> { matrix_geometry(tab).3.into_iter().map(|c| c.0).collect() };
    let first: Vec<String> = all.iter().take(5).map(|x| x.0.clone()).collect();
    assert_eq!(shown(&tab), first);
    for (id, left, right) in matrix_geometry(&tab).3 {
        assert!(left >= 0.0 && right <= 1280.0, "{id} within the window");
    }
    assert!(
        !tab.url().contains('?'),
        "the default view needs no query: {}",
        tab.url()
    );
    // Choose the sixth and drop the first, as a reader does.
    tab.click("details.columns > summary");
    tab.click(&format!("input[name=m][value=\"{}\"]", all[5].0));
    tab.click(&format!("input[name=m][value=\"{}\"]", all[0].0));
    let mut want: Vec<String> = all[1..6].iter().map(|x| x.0.clone()).collect();
    assert_eq!(shown(&tab), want);
    let count: String = tab.eval("return document.querySelector('.columns-count').textContent;");
    assert!(
        count.contains('5') && count.contains(&all.len().to_string()),
        "{count}"
    );
    // Filter out a level.
    let level = all[1].1.clone();
    tab.click(&format!("input[name=level][value=\"{level}\"]"));
    want.retain(|id| all.iter().any(|(i, l)| i == id && *l != level));
    assert_eq!(shown(&tab), want, "without {level}");
    let url = tab.url();
    assert!(url.contains("m=") && url.contains("level="), "{url}");
    // The URL gives the same view.
    let fresh = c.open(&url);
    fresh.wait_for("document.readyState === 'complete'", "matrix again");
    assert_eq!(shown(&fresh), want, "from {url}");
    let unchecked: Vec<String> = fresh.eval(
        "return [...document.querySelectorAll('form.filters input:not(:checked)')].map(i => i.name + '=' + i.value);",
    );
    assert!(
        unchecked.contains(&format!("level={level}")),
        "{unchecked:?}"
    );
    assert!(
        unchecked.contains(&format!("m={}", all[0].0)),
        "{unchecked:?}"
    );
}

/// The side-by-side choice is kept in the URL.
fn side_by_side_choice_is_kept_in_the_url(c: &Chromium, root: &Path) {
    let tab = c.open(&file_url(&root.join("compare/side-by-side.html"), ""));
    tab.wait_for("document.readyState === 'complete'", "side by side");
    let ids: Vec<String> = tab
        .eval("return [...document.querySelectorAll('select[name=b] option')].map(o => o.value);");
    tab.eval::<serde_json::Value>(&format!(
        "const b = document.querySelector('select[name=b]'); b.value = '{}'; b.dispatchEvent(new Event('change', {{bubbles: true}})); return null;",
        ids[4]
    ));
    let url = tab.url();
    assert!(url.contains(&format!("b={}", ids[4])), "{url}");
    let fresh = c.open(&url);
    fresh.wait_for("document.readyState === 'complete'", "side by side again");
    let shown: Vec<String> = fresh.eval("return [...document.querySelectorAll('#pair thead th[data-measure]')].filter(th => !th.hidden).map(th => th.dataset.measure);");
    assert_eq!(shown, vec![ids[0].clone(), ids[4].clone()]);
}

/// The matrix's own export writes what is shown as a spreadsheet reads it: a byte order
/// mark, one header cell per column (the measure's name, not run together with its status),
/// and no cell a spreadsheet would run as a formula.
fn in_page_csv_export_opens_in_a_spreadsheet(c: &Chromium, root: &Path) {
    let downloads = tempfile::tempdir().unwrap();
    c.allow_downloads(downloads.path());
    let tab = c.open(&file_url(&root.join("compare/index.html"), ""));
    tab.wait_for("document.readyState === 'complete'", "matrix");
    let names: Vec<String> = tab.eval(
        "return [...document.querySelectorAll('#matrix thead th[data-measure]')].filter(th => !th.hidden).map(th => th.querySelector('a').textContent);",
    );
    tab.click("button.export-csv");
    let file = downloads.path().join("jointlab-atlas-matrix.csv");
    let start = std::time::Instant::now();
    while !file.is_file() && start.elapsed() < harness::WAIT {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("no download: {e}"));
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 byte order mark");
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&bytes[3..]);
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let header: Vec<&str> = rows[0].iter().collect();
    assert_eq!(header.len(), 1 + names.len(), "{header:?}");
    assert_eq!(
        &header[1..],
        names
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
    );
    assert!(
        rows.iter().all(|r| r.len() == header.len()),
        "one cell per column in every row"
    );
    // A cell lists the facts of one measure on one topic; one starting with a hostile label
    // is written with a leading `'`; one where the label comes later holds it as it is.
    let cells: Vec<&str> = rows.iter().flat_map(|r| r.iter()).collect();
    for start in ["'=cmd|' /C calc'!A0 ", "'@SUM(A1:A9) ", "'-5 "] {
        assert!(
            cells.iter().any(|c| c.starts_with(start)),
            "a cell starting {start:?} in {cells:?}"
        );
    }
    assert!(
        cells.iter().any(|c| c.contains("\n+1+1 ")),
        "+1+1 inside its cell"
    );
    for c in &cells {
        assert!(
            !c.starts_with(['=', '+', '@', '\t', '\r'])
                && (!c.starts_with('-') || c.starts_with("-5")),
            "{c:?}"
        );
    }
}

/// The pages of a PDF as Chromium (Skia) writes it, each as its `/MediaBox` width and height
/// in points: one `/Type /Page` dictionary per page.
fn pdf_pages(pdf: &[u8]) -> Vec<(f64, f64)> {
    let key = b"/Type /Page";
    let mut pages = Vec::new();
    let mut at = 0;
    while let Some(i) = pdf[at..].windows(key.len()).position(|w| w == key) {
        let start = at + i + key.len();
        at = start;
        if pdf.get(start) == Some(&b's') {
            continue;
        }
        let end = pdf[start..]
            .windows(6)
            .position(|w| w == b"endobj")
            .map_or(pdf.len(), |e| start + e);
        let dict = &pdf[start..end];
        let text = String::from_utf8_lossy(dict);
        let b = text
            .split("/MediaBox [")
            .nth(1)
            .unwrap_or_else(|| panic!("a page without a MediaBox: {text}"));
        let n: Vec<f64> = b
            .split(']')
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        assert_eq!(n.len(), 4, "MediaBox {b}");
        pages.push((n[2] - n[0], n[3] - n[1]));
    }
    pages
}

/// The site's controls: none may be printed.
const CONTROLS: &str =
    "header.site-header, form.site-search, nav.toc, form.goto, button, aside.backlinks, \
     details.summary-en, form.filters, .subnav, a.lang-switch, .skip, .site-footer";

/// Printing (`Page.printToPDF`, the page's print stylesheet): a measure prints as its text
/// with the status box and notes, a topic page, the matrix and a calculator without the site's
/// controls; the matrix on landscape pages with every column within the page; each within a
/// bound on its page count, stated beside it.
fn pages_print_cleanly(c: &Chromium, root: &Path) {
    let tab = c.open("about:blank");
    let mut problems = Vec::new();
    for edition in ["", "en/"] {
        for (rel, inputs) in [
            ("measures/kunming-bases-2020.html", false),
            ("measures/moe-ijl-2022.html", false),
            ("compare/topics/disbursement-schedule.html", false),
            ("compare/index.html", false),
            ("calculators/yunnan-eligibility.html", true),
        ] {
            let rel = format!("{edition}{rel}");
            tab.set_viewport(1280, 900, false);
            tab.goto(&file_url(&root.join(&rel), ""));
            tab.wait_for("document.readyState === 'complete'", &rel);
            tab.emulate_print(true);
            // What the print stylesheet shows: no control (a calculator's fields are what the
            // reader filled in, and print); the measure's text, status box and notes.
            let sel = if inputs {
                CONTROLS.to_string()
            } else {
                format!("{CONTROLS}, input, select")
            };
            let shown: Vec<String> = tab.eval(&format!(
                "return [...document.querySelectorAll({})].filter(e => e.checkVisibility())\
                 .map(e => e.outerHTML.slice(0, 80));",
                serde_json::Value::String(sel)
            ));
            if !shown.is_empty() {
                problems.push(format!("{rel}: controls printed: {shown:?}"));
            }
            let measure = rel.contains("measures/");
            if measure {
                let parts: Vec<bool> = tab.eval(
                    "return ['.text', '.status-box', '.errata-list'].map(s => { const e = document.querySelector(s); return !!e && e.checkVisibility(); });",
                );
                if parts.iter().any(|p| !p) {
                    problems.push(format!("{rel}: text, status box, notes printed: {parts:?}"));
                }
            }
            // The characters printed, to state the bound on pages: an A4 page at 10.5 pt holds
            // some 45 lines of 45 Chinese characters (2,000); with paragraph ends, headings and
            // the English edition's longer words, 1,000 per page is ample; plus one page for
            // the first page's title block and one for rounding. A form to fill in (the MOE
            // notice's annex) prints its empty cells: a page per 15 of its rows on top.
            let chars: f64 =
                tab.eval("return document.body.innerText.replace(/\\s+/g, '').length;");
            let form_rows: f64 =
                tab.eval("return document.querySelectorAll('table.form-table tr').length;");
            let matrix = rel.ends_with("compare/index.html");
            if matrix {
                // Every shown measure column within the landscape page's width (297 mm less
                // the 2 × 10 mm margins = 277 mm = 1047 CSS px).
                tab.set_viewport(1047, 700, false);
                let over: Vec<String> = tab.eval(
                    "const w = document.documentElement.clientWidth;\
                     return [...document.querySelectorAll('#matrix thead th[data-measure]')].filter(th => !th.hidden)\
                       .filter(th => th.getBoundingClientRect().right > w + 1).map(th => th.dataset.measure);",
                );
                if !over.is_empty() {
                    problems.push(format!("{rel}: columns beyond the page: {over:?}"));
                }
            }
            let pdf = tab.print_to_pdf();
            tab.emulate_print(false);
            let pages = pdf_pages(&pdf);
            let mut bound =
                (chars / 1000.0).ceil() as usize + (form_rows / 15.0).ceil() as usize + 2;
            if matrix {
                // A table is as long as its longest cells: the characters of each row's fullest
                // cell, at 300 a page (600 letters in English): a column of a landscape page at
                // 7 pt is some 12 Chinese characters wide, and each list item, citation and
                // soft-wording badge takes lines of its own (measured: zh 13 pages for 4,090,
                // en 16 for 10,467).
                let column: f64 = tab.eval(
                    "return [...document.querySelectorAll('#matrix tbody tr')].map(tr => Math.max(0, ...[...tr.querySelectorAll('td')].map(td => td.innerText.replace(/\\s+/g, '').length))).reduce((a, b) => a + b, 0);",
                );
                println!("{rel}: {column} characters in the rows' fullest cells");
                let per = if edition.is_empty() { 300.0 } else { 600.0 };
                bound = (column / per).ceil() as usize + 2;
            }
            println!(
                "{rel}: {} page(s), {chars} characters, bound {bound}",
                pages.len()
            );
            if pages.is_empty() || pages.len() > bound {
                problems.push(format!(
                    "{rel}: {} pages for {chars} characters (bound {bound})",
                    pages.len()
                ));
            }
            for (w, h) in &pages {
                if matrix != (w > h) {
                    problems.push(format!(
                        "{rel}: a page {w} × {h} pt ({})",
                        if matrix {
                            "the matrix prints landscape"
                        } else {
                            "portrait expected"
                        }
                    ));
                    break;
                }
            }
            if rel.ends_with("kunming-bases-2020.html") {
                std::fs::create_dir_all(shots()).ok();
                std::fs::write(shots().join(format!("{}.pdf", shot_name(&rel))), &pdf).ok();
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Loads in this tab since the init script was installed (one per document).
const COUNT_LOADS: &str =
    "try { sessionStorage.setItem('loads', String(+(sessionStorage.getItem('loads') || 0) + 1)); } catch (e) {}";

/// The language preference applies when a reader switches, not when they follow a link: a
/// Chinese page opened by its address stays Chinese after the reader chose English; only the
/// home page opened as the site's entry follows the choice. A stored value other than `zh` or
/// `en` (hostile or foreign) is ignored and removed, and no page bounces between the
/// editions. Switching keeps the search, its filters, the article and the position.
fn language_choice_applies_only_when_switching(c: &Chromium, root: &Path) {
    let yn = "measures/yunnan-ijl-2025.html";
    let tab = c.open(&file_url(&root.join(yn), "#art-19"));
    tab.wait_for("document.readyState === 'complete'", "Yunnan");
    tab.eval::<serde_json::Value>("localStorage.clear(); return null;");
    // Switch, as a reader does: the English page at the same article, the choice remembered.
    tab.click("a.lang-switch");
    tab.wait_for("document.documentElement.lang === 'en'", "English edition");
    assert!(
        tab.url().ends_with(&format!("en/{yn}#art-19")),
        "{}",
        tab.url()
    );
    let stored: Option<String> = tab.eval("return localStorage.getItem('atlas-lang');");
    assert_eq!(stored.as_deref(), Some("en"));
    // A link to the Chinese page (shared, bookmarked) opens the Chinese page.
    let fresh = c.open("about:blank");
    fresh.add_init_script(COUNT_LOADS);
    fresh.goto(&file_url(&root.join(yn), "#art-19"));
    fresh.wait_for("document.readyState === 'complete'", "Chinese page");
    std::thread::sleep(std::time::Duration::from_millis(400));
    let (lang, loads): (String, String) =
        fresh.eval("return [document.documentElement.lang, sessionStorage.getItem('loads')];");
    assert_eq!(
        (lang.as_str(), loads.as_str()),
        ("zh-Hans", "1"),
        "{}",
        fresh.url()
    );
    // The home page opened as the entry follows the choice.
    fresh.goto(&file_url(&root.join("index.html"), ""));
    fresh.wait_for("document.documentElement.lang === 'en'", "English home");
    assert!(fresh.url().ends_with("/en/index.html"), "{}", fresh.url());
    // Hostile and foreign values: ignored, removed, no bouncing.
    let big = "x".repeat(1 << 20);
    for v in [
        "xx",
        "zh-Hans",
        "EN",
        "<img src=x onerror=alert(1)>",
        big.as_str(),
    ] {
        for page in ["index.html", "en/index.html", yn, &format!("en/{yn}")] {
            let t = c.open("about:blank");
            t.add_init_script(COUNT_LOADS);
            t.goto(&file_url(&root.join("sources.html"), ""));
            t.eval::<serde_json::Value>(&format!(
                "sessionStorage.clear(); localStorage.setItem('atlas-lang', {}); return null;",
                serde_json::Value::String(v.to_string())
            ));
            t.goto(&file_url(&root.join(page), ""));
            t.wait_for("document.readyState === 'complete'", page);
            std::thread::sleep(std::time::Duration::from_millis(300));
            let (href, loads, left): (String, String, Option<String>) = t.eval(
                "return [location.href, sessionStorage.getItem('loads'), localStorage.getItem('atlas-lang')];",
            );
            let short: String = v.chars().take(20).collect();
            assert!(href.ends_with(page), "{short:?} on {page}: now at {href}");
            assert_eq!(loads, "1", "{short:?} on {page}: loads");
            assert_eq!(left, None, "{short:?} on {page}: removed");
            t.close();
        }
    }
    // The search page: the query and the filters go with the switch.
    let s = c.open(&file_url(
        &root.join("search.html"),
        &format!("?q={}", harness::encode("实验室")),
    ));
    s.wait_for(
        "document.querySelectorAll('.search-results li').length > 0",
        "results",
    );
    s.eval::<serde_json::Value>(
        "const m = document.querySelector('#search-m'); m.value = m.options[2].value; m.dispatchEvent(new Event('change', {bubbles: true})); return null;",
    );
    let m: String = s.eval("return document.querySelector('#search-m').value;");
    s.click("a.lang-switch");
    s.wait_for("document.documentElement.lang === 'en'", "English search");
    s.wait_for(
        "document.querySelectorAll('.search-results li').length > 0",
        "results in English",
    );
    let (q, m2): (String, String) = s.eval(
        "return [document.querySelector('#search-q').value, document.querySelector('#search-m').value];",
    );
    assert_eq!(
        (q.as_str(), m2.as_str()),
        ("实验室", m.as_str()),
        "{}",
        s.url()
    );
    // A page without an article in view: the same share of the page.
    let p = c.open(&file_url(
        &root.join("compare/topics/disbursement-schedule.html"),
        "",
    ));
    p.set_viewport(1280, 900, false);
    p.wait_for("document.readyState === 'complete'", "topic");
    p.eval::<serde_json::Value>(
        "window.scrollTo(0, (document.documentElement.scrollHeight - innerHeight) / 2); return null;",
    );
    // Clicked where it is (the tab's click would first scroll the link into view).
    p.eval::<serde_json::Value>("document.querySelector('a.lang-switch').click(); return null;");
    p.wait_for("document.documentElement.lang === 'en'", "English topic");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let share: f64 =
        p.eval("return scrollY / (document.documentElement.scrollHeight - innerHeight);");
    assert!((share - 0.5).abs() < 0.1, "at {share} of the page");
}

/// "Go to article" on a measure page: the number as a reader types it, in either edition.
fn go_to_article(c: &Chromium, root: &Path) {
    for (page, typed, want) in [
        ("measures/yunnan-ijl-2025.html", "第十九条", Some("art-19")),
        ("measures/yunnan-ijl-2025.html", "十九", Some("art-19")),
        ("en/measures/yunnan-ijl-2025.html", "19", Some("art-19")),
        ("en/measures/yunnan-ijl-2025.html", "Art. 7", Some("art-7")),
        ("measures/moe-ijl-2022.html", "2", Some("sec-2")),
        ("measures/yunnan-ijl-2025.html", "999", None),
    ] {
        let tab = c.open(&file_url(&root.join(page), ""));
        tab.wait_for("document.readyState === 'complete'", page);
        tab.focus("#goto-n");
        tab.insert_text(typed);
        tab.press("#goto-n", "Enter");
        match want {
            Some(id) => {
                tab.wait_for(&format!("location.hash === '#{id}'"), typed);
                let top: f64 = tab.eval(&format!(
                    "return document.getElementById('{id}').getBoundingClientRect().top;"
                ));
                assert!(top.abs() < 50.0, "{typed}: {id} at {top}");
            }
            None => {
                tab.wait_for(
                    "document.querySelector('.goto-none').textContent.includes('999')",
                    typed,
                );
                assert!(!tab.url().contains('#'), "{}", tab.url());
            }
        }
    }
}

/// The highlight of a searched word on the page opened from a result differs in colour from
/// the targeted article's background.
fn highlight_stands_out(c: &Chromium, root: &Path) {
    let tab = c.open(&file_url(
        &root.join("measures/yunnan-ijl-2025.html"),
        &format!("?hl={}#art-19", harness::encode("实验室")),
    ));
    tab.wait_for("document.querySelector('#art-19 mark')", "highlight");
    let (mark, around): (String, String) = tab.eval(
        "return [getComputedStyle(document.querySelector('#art-19 mark')).backgroundColor, getComputedStyle(document.getElementById('art-19')).backgroundColor];",
    );
    assert_ne!(mark, around, "the highlight on the target");
    assert!(!mark.ends_with(", 0)") && mark != "transparent", "{mark}");
}

struct Single {
    _dir: tempfile::TempDir,
    html: PathBuf,
}

/// The single-file edition of the real content.
fn single_file() -> Single {
    let dir = tempfile::tempdir().unwrap();
    let o = atlas::site::Options {
        content: atlas_tests::repo().join("content"),
        theme: atlas_tests::repo().join("themes/default"),
        out: dir.path().join("site"),
        as_of: Some("2026-11-21".into()),
    };
    let (files, _) = atlas::site::build_in_memory(&o, &mut atlas::diagnostics::Report::default())
        .expect("build");
    let html = dir.path().join("single.html");
    std::fs::write(&html, atlas::output::bundle::single_file(&files)).unwrap();
    Single { _dir: dir, html }
}

fn main() {
    let names = [
        "every_page_fits",
        "single_file_routes_fit",
        "search_results_fit",
        "matrix_fits_and_keeps_its_headings",
        "matrix_columns_and_filters_are_kept_in_the_url",
        "side_by_side_choice_is_kept_in_the_url",
        "in_page_csv_export_opens_in_a_spreadsheet",
        "pages_print_cleanly",
        "language_choice_applies_only_when_switching",
        "go_to_article",
        "highlight_stands_out",
    ];
    let mut runner = Runner::from_args(&names);
    let site = atlas_tests::build("2026-11-21");
    let root = site.root.as_path();
    let ids = id_pattern(root);
    let single = single_file();
    let chromium = Chromium::launch();
    runner.run("every_page_fits", || every_page_fits(&chromium, root, &ids));
    runner.run("single_file_routes_fit", || {
        single_file_routes_fit(&chromium, &single.html, root, &ids)
    });
    runner.run("search_results_fit", || {
        search_results_fit(&chromium, root, &ids)
    });
    runner.run("matrix_fits_and_keeps_its_headings", || {
        matrix_fits_and_keeps_its_headings(&chromium, root)
    });
    runner.run("matrix_columns_and_filters_are_kept_in_the_url", || {
        // Nine synthetic measures: more than fit.
        let tmp = tempfile::tempdir().unwrap();
        let content = atlas::synth::run(
            &atlas_tests::repo().join("content"),
            tmp.path(),
            9,
            20_261_121,
        )
        .expect("synth");
        let many = atlas_tests::build_from(&content, "2026-11-21");
        matrix_columns_and_filters_are_kept_in_the_url(&chromium, &many.root)
    });
    runner.run("side_by_side_choice_is_kept_in_the_url", || {
        side_by_side_choice_is_kept_in_the_url(&chromium, root)
    });
    runner.run("in_page_csv_export_opens_in_a_spreadsheet", || {
        let tmp = tempfile::tempdir().unwrap();
        let content = atlas_tests::content_with_labels(tmp.path(), &atlas_tests::HOSTILE_LABELS);
        let hostile = atlas_tests::build_from(&content, "2026-11-21");
        in_page_csv_export_opens_in_a_spreadsheet(&chromium, &hostile.root)
    });
    runner.run("pages_print_cleanly", || {
        pages_print_cleanly(&chromium, root)
    });
    runner.run("language_choice_applies_only_when_switching", || {
        language_choice_applies_only_when_switching(&chromium, root)
    });
    runner.run("go_to_article", || go_to_article(&chromium, root));
    runner.run("highlight_stands_out", || {
        highlight_stands_out(&chromium, root)
    });
    chromium.close();
    runner.finish();
}
