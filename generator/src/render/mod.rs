//! Rendering the model to files with the theme's tera templates. One function per page kind;
//! every link is relative so the folder works from `file://` anywhere.

pub mod i18n;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, Tera};

use crate::model::Site;

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
        let e = e.map_err(|e| RenderError(format!("{}: cannot list templates: {e}", dir.display())))?;
        if e.file_type().is_file() {
            let name = e.path().strip_prefix(&dir).unwrap_or(e.path()).to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(e.path()).map_err(|err| RenderError(format!("{}: {err}", e.path().display())))?;
            raw.push((name, text));
        }
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html"]);
    tera.add_raw_templates(raw).map_err(|e| RenderError(format!("{}: template error: {}", dir.display(), chain(&e))))?;
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

/// Context shared by every page.
#[derive(Serialize)]
struct Page<'a> {
    /// Relative path from the page to the site root (`""` or `"../"`).
    rel: &'a str,
    /// Page kind, for navigation state.
    kind: &'a str,
    /// Page language.
    lang: &'a str,
}

fn render(tera: &Tera, name: &str, ctx: &Context) -> Result<Vec<u8>, RenderError> {
    tera.render(name, ctx).map(String::into_bytes).map_err(|e| RenderError(format!("rendering {name}: {}", chain(&e))))
}

/// Renders the whole site into memory.
pub fn render_site(site: &Site, theme: &Path, catalogue: &i18n::Catalogue, sources: &BTreeMap<String, Vec<u8>>) -> Result<Files, RenderError> {
    let tera = templates(theme)?;
    let mut files = Files::new();
    let base = |rel: &str, kind: &str| {
        let mut c = Context::new();
        c.insert("site", site);
        c.insert("t", &catalogue.zh);
        c.insert("page", &Page { rel, kind, lang: "zh-Hans" });
        c
    };

    files.insert("index.html".into(), render(&tera, "index.html", &base("", "home"))?);
    files.insert("sources.html".into(), render(&tera, "sources.html", &base("", "sources"))?);
    for m in &site.measures {
        let mut c = base("../", "measure");
        c.insert("measure", m);
        files.insert(PathBuf::from("measures").join(format!("{}.html", m.id)), render(&tera, "measure.html", &c)?);
    }
    // The verbatim copies travel with the site so a reader can check any sentence offline.
    for (name, bytes) in sources {
        files.insert(PathBuf::from("sources").join(name), bytes.clone());
    }
    render_compare(site, &tera, &base, &mut files)?;
    let (data, schema) = crate::export::json::files(site);
    files.insert("data/atlas.json".into(), data);
    files.insert("data/atlas.schema.json".into(), schema);
    files.insert("compare/matrix.csv".into(), crate::export::csv::matrix(site));
    files.insert("search.html".into(), render(&tera, "search.html", &base("", "search"))?);
    crate::search::render(site, &mut files);
    copy_static(&theme.join("static"), &mut files)?;
    Ok(files)
}

/// The comparison pages: matrix, side-by-side, relations, one page per topic.
fn render_compare(site: &Site, tera: &Tera, base: &dyn Fn(&str, &str) -> Context, files: &mut Files) -> Result<(), RenderError> {
    files.insert("compare/index.html".into(), render(tera, "compare/matrix.html", &base("../", "matrix"))?);
    files.insert("compare/side-by-side.html".into(), render(tera, "compare/side.html", &base("../", "side-by-side"))?);
    files.insert("compare/relations.html".into(), render(tera, "compare/relations.html", &base("../", "relations"))?);
    let by_id: BTreeMap<&str, &crate::model::Measure> = site.measures.iter().map(|m| (m.id.as_str(), m)).collect();
    for g in &site.groups {
        for topic in &g.topics {
            let mut c = base("../../", "topic");
            c.insert("topic", topic);
            c.insert("measures_by_id", &by_id);
            files.insert(PathBuf::from("compare/topics").join(format!("{}.html", topic.id)), render(tera, "compare/topic.html", &c)?);
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
            let bytes = std::fs::read(e.path()).map_err(|err| RenderError(format!("{}: {err}", e.path().display())))?;
            files.insert(PathBuf::from("assets").join(rel), bytes);
        }
    }
    Ok(())
}
