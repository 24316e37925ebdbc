//! Rendering the model to files with the theme's tera templates. One function per page kind;
//! every link is relative so the folder works from `file://` anywhere.

pub mod i18n;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, Tera};

use crate::model::Site;

/// The calculator engine as one classic script (wasm-bindgen glue + the module in base64),
/// built from calculator-wasm by `build.rs`.
const CALCULATOR_JS: &str = include_str!(concat!(env!("OUT_DIR"), "/calculator.js"));

/// Rendered files: path relative to the output root → bytes. Sorted, so writes are deterministic.
pub type Files = BTreeMap<PathBuf, Vec<u8>>;

/// An error while rendering (template syntax, a missing theme file).
#[derive(Debug)]
pub struct RenderError(pub String);

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Loads every template of the theme.
pub fn templates(theme: &Path) -> Result<Tera, RenderError> {
    let dir = theme.join("templates");
    let mut raw = Vec::new();
    for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let e =
            e.map_err(|e| RenderError(format!("{}: cannot list templates: {e}", dir.display())))?;
        if e.file_type().is_file() {
            let name = e
                .path()
                .strip_prefix(&dir)
                .unwrap_or(e.path())
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(e.path())
                .map_err(|err| RenderError(format!("{}: {err}", e.path().display())))?;
            raw.push((name, text));
        }
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html"]);
    tera.add_raw_templates(raw)
        .map_err(|e| RenderError(format!("{}: template error: {}", dir.display(), chain(&e))))?;
    Ok(tera)
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// The languages of the site: the Chinese edition at the root, the English one under `en/`.
pub const LANGS: [Lang; 2] = [
    Lang {
        code: "zh",
        html: "zh-Hans",
        prefix: "",
    },
    Lang {
        code: "en",
        html: "en",
        prefix: "en/",
    },
];

/// One language edition.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Lang {
    /// Catalogue key, `zh` or `en`.
    pub code: &'static str,
    /// Value of the `lang` attribute.
    pub html: &'static str,
    /// Directory of the edition below the site root.
    pub prefix: &'static str,
}

/// Context shared by every page.
#[derive(Serialize)]
struct Page<'a> {
    /// Relative path from the page to its edition's root (`""`, `"../"` …): links between pages.
    rel: String,
    /// Relative path from the page to the site root: assets, source copies, data.
    root: String,
    /// Path of the page within its edition, e.g. `measures/x.html`.
    path: &'a str,
    /// Page kind, for navigation state.
    kind: &'a str,
    /// `lang` attribute value.
    lang: &'a str,
    /// `zh` or `en`.
    code: &'a str,
    /// Link to the same page in the other language.
    alt_href: String,
    /// The other language's `lang` value.
    alt_lang: &'a str,
}

fn up(depth: usize) -> String {
    "../".repeat(depth)
}

/// `{{ obj | loc(k="title") }}`: the English field (`title_en`; `en` for `zh`; `x_en` for `x_zh`)
/// in the English edition when it is not empty, else the Chinese one.
struct Loc {
    en: bool,
}

impl tera::Filter for Loc {
    fn filter(
        &self,
        value: &tera::Value,
        args: &std::collections::HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        let k = args
            .get("k")
            .and_then(tera::Value::as_str)
            .ok_or_else(|| tera::Error::msg("loc needs k=\"field\""))?;
        let zh = value.get(k).cloned().unwrap_or(tera::Value::Null);
        if !self.en {
            return Ok(zh);
        }
        let en_key = if k == "zh" {
            "en".to_string()
        } else if let Some(stem) = k.strip_suffix("_zh") {
            format!("{stem}_en")
        } else {
            format!("{k}_en")
        };
        match value.get(&en_key) {
            Some(tera::Value::String(s)) if !s.is_empty() => Ok(tera::Value::String(s.clone())),
            _ => Ok(zh),
        }
    }
}

fn render(tera: &Tera, name: &str, ctx: &Context) -> Result<Vec<u8>, RenderError> {
    tera.render(name, ctx)
        .map(String::into_bytes)
        .map_err(|e| RenderError(format!("rendering {name}: {}", chain(&e))))
}

/// Renders one page in one language into `files`.
struct Renderer<'a> {
    tera: Tera,
    site: &'a Site,
    /// The site summary with every measure, serialised once, for the pages that list measures.
    summary: tera::Value,
    /// Just the status date: what every other page needs of `site`. Giving every page the full
    /// list made the build quadratic in the number of measures.
    slim: tera::Value,
    strings: &'a BTreeMap<String, String>,
    lang: Lang,
}

impl Renderer<'_> {
    /// Gives a page that lists the measures the full summary as `site`.
    fn with_measures(&self, c: &mut Context) {
        c.insert("site", &self.summary);
    }

    fn context(&self, path: &str, kind: &str) -> Context {
        let depth = path.matches('/').count();
        let other = if self.lang.code == "zh" {
            LANGS[1]
        } else {
            LANGS[0]
        };
        let root = up(depth + self.lang.prefix.matches('/').count());
        let mut c = Context::new();
        c.insert("site", &self.slim);
        c.insert("t", self.strings);
        c.insert(
            "page",
            &Page {
                rel: up(depth),
                alt_href: format!("{root}{}{path}", other.prefix),
                root,
                path,
                kind,
                lang: self.lang.html,
                code: self.lang.code,
                alt_lang: other.html,
            },
        );
        c
    }

    fn page(
        &self,
        files: &mut Files,
        path: &str,
        template: &str,
        kind: &str,
        extra: impl FnOnce(&mut Context),
    ) -> Result<(), RenderError> {
        let mut c = self.context(path, kind);
        extra(&mut c);
        let out = render(&self.tera, template, &c)?;
        files.insert(PathBuf::from(format!("{}{path}", self.lang.prefix)), out);
        Ok(())
    }
}

/// Renders every page of one language edition.
fn render_edition(
    lang: Lang,
    site: &Site,
    theme: &Path,
    catalogue: &i18n::Catalogue,
    summary: &tera::Value,
    groups: &tera::Value,
) -> Result<Files, RenderError> {
    let mut files = Files::new();
    let groups = groups.clone();
    let t = crate::cli::Phase::start();
    let mut tera = templates(theme)?;
    t.done("templates");
    tera.register_filter(
        "loc",
        Loc {
            en: lang.code == "en",
        },
    );
    let strings = if lang.code == "en" {
        &catalogue.en
    } else {
        &catalogue.zh
    };
    let r = Renderer {
        tera,
        site,
        summary: summary.clone(),
        slim: serde_json::json!({ "as_of": site.as_of }),
        strings,
        lang,
    };
    r.page(&mut files, "index.html", "index.html", "home", |c| {
        r.with_measures(c)
    })?;
    r.page(&mut files, "sources.html", "sources.html", "sources", |c| {
        c.insert("measures_full", &site.measures)
    })?;
    r.page(&mut files, "search.html", "search.html", "search", |c| {
        r.with_measures(c);
        c.insert("groups", &groups)
    })?;
    r.page(
        &mut files,
        "glossary.html",
        "glossary.html",
        "glossary",
        |c| c.insert("glossary", &site.glossary),
    )?;
    for m in &site.measures {
        r.page(
            &mut files,
            &format!("measures/{}.html", m.id),
            "measure.html",
            "measure",
            |c| c.insert("measure", m),
        )?;
    }
    render_compare(&r, &groups, &mut files)?;
    r.page(
        &mut files,
        "calculators/index.html",
        "calculators/index.html",
        "calculators",
        |c| {
            r.with_measures(c);
            c.insert("calculators", &site.calculators)
        },
    )?;
    for calc in &site.calculators {
        r.page(
            &mut files,
            &format!("calculators/{}.html", calc.id),
            "calculators/calculator.html",
            "calculator",
            |c| c.insert("calc", calc),
        )?;
    }
    Ok(files)
}

/// Renders the whole site, both editions, into memory.
pub fn render_site(
    site: &Site,
    theme: &Path,
    catalogue: &i18n::Catalogue,
    sources: &BTreeMap<String, Vec<u8>>,
) -> Result<Files, RenderError> {
    let mut files = Files::new();
    let summary =
        tera::to_value(site.summary()).map_err(|e| RenderError(format!("site summary: {e}")))?;
    let groups = tera::to_value(&site.groups).map_err(|e| RenderError(format!("topics: {e}")))?;
    // The two editions are independent: render them side by side, with the index and exports.
    let (editions, ((data, schema), mut index)) = rayon::join(
        || {
            rayon::join(
                || render_edition(LANGS[0], site, theme, catalogue, &summary, &groups),
                || render_edition(LANGS[1], site, theme, catalogue, &summary, &groups),
            )
        },
        || {
            let t = crate::cli::Phase::start();
            let mut index = Files::new();
            crate::search::render(site, &mut index);
            t.done("search");
            (crate::export::json::files(site), index)
        },
    );
    files.append(&mut index);
    files.append(&mut editions.0?);
    files.append(&mut editions.1?);
    // The engine, compiled to WebAssembly and embedded in a classic script (file:// forbids
    // fetching a .wasm), and one small script per calculator holding its definition and facts.
    if !site.calculators.is_empty() {
        files.insert(
            "assets/calculator.js".into(),
            CALCULATOR_JS.as_bytes().to_vec(),
        );
        for calc in &site.calculators {
            let js = format!(
                "(window.ATLAS_CALC_BUNDLES = window.ATLAS_CALC_BUNDLES || {{}})[{}] = {};\n",
                serde_json::Value::String(calc.id.clone()),
                serde_json::Value::String(calc.bundle.clone())
            );
            files.insert(
                PathBuf::from("assets/calc").join(format!("{}.js", calc.id)),
                js.into_bytes(),
            );
        }
    }
    files.insert("data/atlas.json".into(), data);
    files.insert("data/atlas.schema.json".into(), schema);
    files.insert(
        "compare/matrix.csv".into(),
        crate::export::csv::matrix(site),
    );
    // The verbatim copies travel with the site so a reader can check any sentence offline.
    for (name, bytes) in sources {
        files.insert(PathBuf::from("sources").join(name), bytes.clone());
    }
    copy_static(&theme.join("static"), &mut files)?;
    Ok(files)
}

/// The comparison pages: matrix, side-by-side, relations, one page per topic.
fn render_compare(
    r: &Renderer,
    groups: &tera::Value,
    files: &mut Files,
) -> Result<(), RenderError> {
    r.page(
        files,
        "compare/index.html",
        "compare/matrix.html",
        "matrix",
        |c| {
            r.with_measures(c);
            c.insert("groups", groups)
        },
    )?;
    r.page(
        files,
        "compare/side-by-side.html",
        "compare/side.html",
        "side-by-side",
        |c| {
            r.with_measures(c);
            c.insert("groups", groups)
        },
    )?;
    r.page(
        files,
        "compare/relations.html",
        "compare/relations.html",
        "relations",
        |c| {
            r.with_measures(c);
            c.insert("relations", &r.site.relations);
            c.insert("timeline", &r.site.timeline);
        },
    )?;
    let summary = r.site.summary();
    let by_id: BTreeMap<&str, &crate::model::MeasureSummary> = summary
        .measures
        .iter()
        .map(|m| (m.id.as_str(), m))
        .collect();
    for g in &r.site.groups {
        for topic in &g.topics {
            r.page(
                files,
                &format!("compare/topics/{}.html", topic.id),
                "compare/topic.html",
                "topic",
                |c| {
                    c.insert("topic", topic);
                    c.insert("measures_by_id", &by_id);
                },
            )?;
        }
    }
    Ok(())
}

fn copy_static(dir: &Path, files: &mut Files) -> Result<(), RenderError> {
    if !dir.is_dir() {
        return Ok(());
    }
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.map_err(|e| RenderError(format!("{}: {e}", dir.display())))?;
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            let bytes = std::fs::read(e.path())
                .map_err(|err| RenderError(format!("{}: {err}", e.path().display())))?;
            files.insert(PathBuf::from("assets").join(rel), bytes);
        }
    }
    Ok(())
}
