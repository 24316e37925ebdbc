//! Helpers for the end-to-end tests: build the real content into a temporary site, read pages
//! as parsed HTML, and check every internal link.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use scraper::{ElementRef, Html, Node, Selector};

pub mod schemaorg;

/// How to install the npm tools the tests use (tests/tools/package.json: the HTML checker,
/// axe-core, the schema.org vocabulary).
pub const NODE_TOOLS_HINT: &str =
    "install the test tools with `(cd tests/tools && npm ci --ignore-scripts)` from the repository root";

/// Installs the pinned npm tools (tests/tools/package-lock.json) so that `cargo test
/// --workspace` works on a fresh clone; a failure leaves [`NODE_TOOLS_HINT`] to the caller's
/// assertion. Runs at most once per test process.
pub fn install_node_tools() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let dir = repo().join("tests/tools");
        let status = std::process::Command::new("npm")
            .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status();
        if !matches!(status, Ok(s) if s.success()) {
            eprintln!("npm ci in {} failed ({status:?})", dir.display());
        }
    });
}

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repo root")
        .to_path_buf()
}

/// The fictitious measures (`tests/fixtures/fictitious/`) beside the real topics, glossary and
/// holiday calendar, in a temporary `content/`: the folder and its path.
pub fn fictitious_content() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("content");
    let fixture = repo().join("tests/fixtures/fictitious");
    let real = repo().join("content");
    for (from, to) in [
        (fixture.join("measures"), root.join("measures")),
        (fixture.join("sources"), root.join("sources")),
        (real.join("calendars"), root.join("calendars")),
    ] {
        std::fs::create_dir_all(&to).unwrap();
        for e in std::fs::read_dir(&from).unwrap().flatten() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
    for f in ["topics.toml", "glossary.toml"] {
        std::fs::copy(real.join(f), root.join(f)).unwrap();
    }
    // The profile fields its calculators read on the planner page.
    std::fs::copy(
        fixture.join("calculators.toml"),
        root.join("calculators.toml"),
    )
    .unwrap();
    (dir, root)
}

/// `n` copies of the fictitious measure `fict-platforms-2026` with its calculators (each copy's
/// ids renamed `fictK-…`, its source copied under the new name) beside the real topics, glossary
/// and holiday calendar and the fixture's profile fields: a collection whose planner has `n`
/// measures, for the planner's bench. Returns the folder and the content path.
pub fn fictitious_copies(n: usize) -> (tempfile::TempDir, PathBuf) {
    let (dir, root) = fictitious_content();
    let fixture = repo().join("tests/fixtures/fictitious");
    let measure = std::fs::read_to_string(fixture.join("measures/fict-platforms-2026.toml"))
        .expect("the fictitious measure");
    let source =
        std::fs::read_to_string(fixture.join("sources/fict-platforms.txt")).expect("its source");
    const DOC_NUMBER: &str = "某科规〔2026〕5号";
    const SHA256: &str = "bd3f1e7b76a9a0a9f9dcf163a257057e0321ac95681fbd25d639c8fc0f35b6b9";
    // The copies replace the two fixture measures (the repealed one would be repealed n times).
    for f in [
        "measures/fict-platforms-2026.toml",
        "measures/fict-bases-2019.toml",
    ] {
        std::fs::remove_file(root.join(f)).unwrap();
    }
    for k in 1..=n {
        // Every id, fact reference and the source's file name begin with `fict-`; a document
        // number identifies one measure, so each copy has its own, in its text too (whose
        // digest the copy states).
        use sha2::Digest;
        let number = format!("某科规〔2026〕{}号", 100 + k);
        let text = source.replace(DOC_NUMBER, &number);
        let digest: String = sha2::Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let copy = measure
            .replace("\"fict-", &format!("\"fict{k}-"))
            .replace(DOC_NUMBER, &number)
            .replace(SHA256, &digest);
        std::fs::write(
            root.join(format!("measures/fict{k}-platforms-2026.toml")),
            copy,
        )
        .unwrap();
        std::fs::write(root.join(format!("sources/fict{k}-platforms.txt")), text).unwrap();
    }
    std::fs::remove_file(root.join("sources/fict-platforms.txt")).unwrap();
    std::fs::remove_file(root.join("sources/fict-bases.txt")).unwrap();
    (dir, root)
}

/// Builds `content` with the default theme into `out` as of [`AS_OF`] (for benches, which
/// keep the sites they time).
pub fn build_into(content: &Path, out: &Path) {
    build_at(content, out, AS_OF);
}

/// Builds `content` with the default theme into `out` as of `as_of`; panics with the
/// diagnostics if it has errors.
pub fn build_at(content: &Path, out: &Path, as_of: &str) {
    let o = atlas::site::Options {
        content: content.to_path_buf(),
        theme: repo().join("themes/default"),
        out: out.to_path_buf(),
        as_of: Some(as_of.into()),
    };
    let mut report = atlas::diagnostics::Report::default();
    let built = atlas::site::build(&o, &mut report);
    assert!(
        built.is_ok() && !report.has_errors(),
        "{} builds: {:?}",
        content.display(),
        report
            .items
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
    );
}

/// A site built from the real content into a temporary directory.
pub struct BuiltSite {
    _dir: tempfile::TempDir,
    /// The site root.
    pub root: PathBuf,
}

/// Builds the real content with the default theme as of `as_of`.
pub fn build(as_of: &str) -> BuiltSite {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("site");
    let o = atlas::site::Options {
        content: repo().join("content"),
        theme: repo().join("themes/default"),
        out: root.clone(),
        as_of: Some(as_of.to_string()),
    };
    atlas::site::build(&o, &mut atlas::diagnostics::Report::default()).expect("build succeeds");
    BuiltSite { _dir: dir, root }
}

/// Builds the content at `content` with the default theme as of `as_of`.
pub fn build_from(content: &Path, as_of: &str) -> BuiltSite {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("site");
    let o = atlas::site::Options {
        content: content.to_path_buf(),
        theme: repo().join("themes/default"),
        out: root.clone(),
        as_of: Some(as_of.to_string()),
    };
    atlas::site::build(&o, &mut atlas::diagnostics::Report::default()).expect("build succeeds");
    BuiltSite { _dir: dir, root }
}

/// Spreadsheet formulas and their look-alikes, as fact labels: OWASP's formula starts (`=`,
/// `+`, `-`, `@`, tab, carriage return) and a number, which must stay a number.
pub const HOSTILE_LABELS: [(&str, &str); 6] = [
    ("yunnan-definition", "=cmd|' /C calc'!A0"),
    ("yunnan-legacy-bases", "+1+1"),
    ("yunnan-classified-management", "@SUM(A1:A9)"),
    ("yunnan-host-legal-person", "\tTAB"),
    ("yunnan-host-strength", "-2+3"),
    ("yunnan-foreign-partner", "-5"),
];

/// A copy of the real content in `dir` whose facts named in `labels` (fact id, label) carry
/// other labels; returns the copy's path.
pub fn content_with_labels(dir: &Path, labels: &[(&str, &str)]) -> PathBuf {
    let from = repo().join("content");
    let to = dir.join("content");
    for e in walkdir::WalkDir::new(&from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(&from).unwrap();
        let target = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
    let mut done = 0;
    for e in std::fs::read_dir(to.join("measures")).unwrap() {
        let path = e.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        for (id, label) in labels {
            let Some(at) = lines.iter().position(|l| l == &format!("id = \"{id}\"")) else {
                continue;
            };
            let l = (at..lines.len())
                .find(|&i| lines[i].starts_with("label = "))
                .expect("the fact has a label");
            lines[l] = format!("label = {}", toml::Value::String(label.to_string()));
            done += 1;
        }
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    }
    assert_eq!(done, labels.len(), "every fact relabelled");
    to
}

impl BuiltSite {
    /// Parsed page at `rel`.
    pub fn page(&self, rel: &str) -> Html {
        Html::parse_document(
            &std::fs::read_to_string(self.root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}")),
        )
    }

    /// All HTML pages, relative paths.
    pub fn pages(&self) -> Vec<PathBuf> {
        Self::pages_under(&self.root)
    }

    /// All HTML pages of the site at `root`, relative paths, sorted.
    pub fn pages_under(root: &Path) -> Vec<PathBuf> {
        walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .map(|e| e.path().strip_prefix(root).unwrap().to_path_buf())
            .collect()
    }
}

/// CSS selector, panicking on a typo in the test itself.
pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("selector {s}: {e:?}"))
}

/// Text of an element, skipping elements that are interface rather than the measure's words
/// (buttons, transcriber's notes, English summaries).
pub fn reading_text(el: ElementRef) -> String {
    let mut out = String::new();
    walk(el, &mut out);
    out
}

fn walk(el: ElementRef, out: &mut String) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                let skip = matches!(e.name(), "button" | "aside" | "details" | "script")
                    || e.classes().any(|c| c == "erratum");
                if !skip {
                    if let Some(r) = ElementRef::wrap(child) {
                        walk(r, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Every internal link that does not resolve: a missing file or a missing fragment.
pub fn broken_links(root: &Path) -> Vec<String> {
    let mut ids: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let mut links: Vec<(PathBuf, String)> = Vec::new();
    let id_sel = sel("[id]");
    let link_sel = sel("a[href], link[href], script[src]");
    for e in walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.path().extension().is_none_or(|x| x != "html") {
            continue;
        }
        let html = Html::parse_document(&std::fs::read_to_string(e.path()).unwrap());
        let page = e.path().to_path_buf();
        ids.insert(
            page.clone(),
            html.select(&id_sel)
                .filter_map(|x| x.value().attr("id"))
                .map(String::from)
                .collect(),
        );
        for l in html.select(&link_sel) {
            let v = l
                .value()
                .attr("href")
                .or_else(|| l.value().attr("src"))
                .unwrap_or_default();
            links.push((page.clone(), v.to_string()));
        }
    }
    let mut broken = Vec::new();
    for (page, href) in links {
        if href.contains("://") || href.starts_with("//") || href.starts_with("mailto:") {
            broken.push(format!("{}: external link {href}", page.display()));
            continue;
        }
        let (path, frag) = href
            .split_once('#')
            .map_or((href.as_str(), None), |(p, f)| (p, Some(f)));
        let target = if path.is_empty() {
            page.clone()
        } else {
            normalize(&page.parent().unwrap().join(path))
        };
        if !target.is_file() {
            broken.push(format!(
                "{}: {href} → missing file {}",
                page.display(),
                target.display()
            ));
            continue;
        }
        if let Some(f) = frag.filter(|f| !f.is_empty()) {
            let known = ids.get(&target).is_some_and(|s| s.contains(f));
            if !known {
                broken.push(format!(
                    "{}: {href} → no element with id '{f}'",
                    page.display()
                ));
            }
        }
    }
    broken
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Folds text for comparison: white space removed, full-width ASCII forms to half-width.
/// Written here independently of the generator so the tests do not check the code with itself.
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c as u32 {
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// One hand-worked calculator case of `calculator-wasm/tests/cases/*.toml`.
pub struct CalcCase {
    /// Calculator id.
    pub calculator: String,
    /// The case's name.
    pub name: String,
    /// Its input as a JSON object.
    pub input: serde_json::Value,
    /// The results worked by hand (`"__null__"` = cannot tell), as JSON.
    pub expect: serde_json::Map<String, serde_json::Value>,
    /// The input field an error must name, for a case that must be refused.
    pub error_field: Option<String>,
    /// Results that must not be there.
    pub absent: Vec<String>,
    /// Exact number of warnings, when the case says.
    pub warnings: Option<usize>,
    /// Substrings of the English warnings.
    pub warnings_contain: Vec<String>,
    /// Substrings of the English notes.
    pub notes_contain: Vec<String>,
}

/// Every hand-worked calculator case, in file order.
pub fn calculator_cases() -> Vec<CalcCase> {
    let dir = repo().join("calculator-wasm/tests/cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("cases dir")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let v: toml::Value =
            toml::from_str(&std::fs::read_to_string(&f).expect("case file")).expect("case TOML");
        for c in v
            .get("case")
            .and_then(|c| c.as_array())
            .into_iter()
            .flatten()
        {
            let input = c
                .get("input")
                .cloned()
                .unwrap_or(toml::Value::Table(Default::default()));
            let strings = |k: &str| -> Vec<String> {
                c.get(k)
                    .and_then(|v| v.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let expect = match c
                .get("expect")
                .map(|e| serde_json::to_value(e).expect("JSON"))
            {
                Some(serde_json::Value::Object(o)) => o,
                _ => serde_json::Map::new(),
            };
            out.push(CalcCase {
                calculator: c["calculator"].as_str().expect("calculator id").to_string(),
                name: c
                    .get("name")
                    .and_then(|n| n.as_str())
                    .unwrap_or("")
                    .to_string(),
                input: serde_json::to_value(input).expect("JSON input"),
                expect,
                error_field: c
                    .get("error_field")
                    .and_then(|v| v.as_str())
                    .map(String::from),
                absent: strings("absent"),
                warnings: c
                    .get("warnings")
                    .and_then(|v| v.as_integer())
                    .map(|n| n as usize),
                warnings_contain: strings("warnings_contain"),
                notes_contain: strings("notes_contain"),
            });
        }
    }
    out
}

/// The calculators of the real content, run natively.
pub fn native_calculators() -> atlas::calc::Calculators {
    let (corpus, report) = atlas::content::load(&repo().join("content"));
    assert!(!report.has_errors(), "the real content has errors");
    atlas::calc::collect(
        &corpus,
        &atlas::site::built_in_calc_words(),
        &mut atlas::diagnostics::Report::default(),
    )
    .expect("calculators")
}

/// The status date the browser tests build the site with.
pub const AS_OF: &str = "2026-11-21";

/// What the browser's `AtlasCalc.runWith` returns on a site built as of [`AS_OF`], computed
/// natively: `{ok: output}` or `{error}`.
pub fn native_answer(
    calcs: &atlas::calc::Calculators,
    id: &str,
    input: &serde_json::Value,
) -> serde_json::Value {
    let as_of = time::Date::parse(AS_OF, &time::format_description::well_known::Iso8601::DATE)
        .expect("as-of date");
    match calcs.run_as_of(id, &input.to_string(), Some(as_of)) {
        Ok(o) => serde_json::json!({ "ok": o }),
        Err(e) => serde_json::json!({ "error": e }),
    }
}

/// One query of `tests/search-queries.toml`: what a reader types and the provisions
/// (`measure-id#anchor`) that must come among the first `k` results.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// The query as typed.
    pub q: String,
    /// How far down the wanted provisions may come.
    pub k: usize,
    /// The provisions the query must find.
    pub want: Vec<String>,
    /// Where the answer comes from (the source's words).
    pub why: String,
}

/// The query set of `tests/search-queries.toml`.
pub fn search_queries() -> Vec<SearchQuery> {
    #[derive(serde::Deserialize)]
    struct File {
        query: Vec<SearchQuery>,
    }
    let path = repo().join("tests/search-queries.toml");
    let text = std::fs::read_to_string(&path).expect("tests/search-queries.toml");
    let f: File = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    f.query
}

/// A result link as `measure-id#anchor`: `measures/x.html?hl=…#art-3` → `x#art-3` (query
/// strings and the edition's path dropped).
pub fn provision(href: &str) -> String {
    let (id, anchor) = split_href(href);
    format!("{id}#{anchor}")
}

/// A result link as (measure id, anchor): `measures/x.html?hl=…#art-3` → (`x`, `art-3`).
pub fn split_href(href: &str) -> (String, String) {
    let (path, anchor) = href.split_once('#').unwrap_or((href, ""));
    let path = path.split('?').next().unwrap_or_default();
    let id = path
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .trim_end_matches(".html");
    (id.to_string(), anchor.to_string())
}

/// How a run of the query set went: recall@5 (the share of each query's wanted provisions in
/// its first five results, averaged), the mean reciprocal rank (of each query's first wanted
/// provision, 0 when none is shown) and every query whose wanted provisions are not all in its
/// first `k`.
#[derive(Debug)]
pub struct QueryScores {
    /// Recall at 5, from 0 to 1.
    pub recall5: f64,
    /// Mean reciprocal rank, from 0 to 1.
    pub mrr: f64,
    /// Queries that missed, with what they showed.
    pub misses: Vec<String>,
}

/// Scores results (`provision` strings in the order shown) of each query of `set`.
pub fn score_queries(set: &[SearchQuery], results: &[Vec<String>]) -> QueryScores {
    let (mut recall, mut rr, mut misses) = (0.0, 0.0, Vec::new());
    for (q, got) in set.iter().zip(results) {
        let rank = |w: &String| got.iter().position(|g| g == w);
        let in5 = q
            .want
            .iter()
            .filter(|w| rank(w).is_some_and(|r| r < 5))
            .count();
        recall += in5 as f64 / q.want.len() as f64;
        if let Some(first) = q.want.iter().filter_map(rank).min() {
            rr += 1.0 / (first + 1) as f64;
        }
        if q.want.iter().any(|w| rank(w).is_none_or(|r| r >= q.k)) {
            misses.push(format!(
                "{:?}: want {:?} in the first {}, got {:?}",
                q.q,
                q.want,
                q.k,
                got.iter().take(q.k + 3).collect::<Vec<_>>()
            ));
        }
    }
    let n = set.len().max(1) as f64;
    QueryScores {
        recall5: recall / n,
        mrr: rr / n,
        misses,
    }
}
