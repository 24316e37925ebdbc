//! The pages of both editions: which pages there are ([`jobs`]), what each one's template is
//! given, and rendering one page. The values several pages share are serialised once, when
//! the first page needs them.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::OnceLock;

use serde::Serialize;
use tera::Context;

use super::{i18n, render, RenderError, Theme, LANGS};
use crate::content::vocab::Level;
use crate::model::{Measure, Site};

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

/// What a page shows besides the context every page gets.
#[derive(Clone, Copy)]
pub(super) enum Fill<'a> {
    Home,
    Measures,
    Sources,
    Search,
    Glossary,
    Measure(&'a Measure),
    /// The matrix and the side-by-side view.
    Matrix,
    Relations,
    Topic(&'a crate::model::compare::TopicView),
    Calculators,
    Calculator(&'a crate::model::calculators::CalcView),
    /// Every calculator from one profile.
    Planner(&'a crate::model::planner::PlannerView),
}

/// Pages rendered from the same data: usually one page in each edition; the matrix and the
/// side-by-side view share theirs. The data is serialised into the template context once.
pub(super) struct Job<'a> {
    pub pages: Vec<PageOut>,
    pub fill: Fill<'a>,
}

/// One page of one edition.
pub(super) struct PageOut {
    /// Index into [`LANGS`].
    pub lang: usize,
    /// Path within the edition.
    pub path: String,
    pub template: &'static str,
    /// Page kind, for navigation state and timings.
    pub kind: &'static str,
}

impl PageOut {
    /// Path from the site root.
    pub(super) fn file(&self) -> PathBuf {
        PathBuf::from(format!("{}{}", LANGS[self.lang].prefix, self.path))
    }
}

/// Every page of both editions, the largest first so the threads finish together; the pages
/// that list every measure before the topic pages, so that what they hold while they are
/// rendered is let go before the search index (built meanwhile) is at its largest.
pub(super) fn jobs(site: &Site) -> Vec<Job<'_>> {
    let mut out = Vec::new();
    let mut add = |pages: &[(&str, &'static str, &'static str)], fill| {
        out.push(Job {
            pages: (0..LANGS.len())
                .flat_map(|lang| {
                    pages.iter().map(move |(path, template, kind)| PageOut {
                        lang,
                        path: path.to_string(),
                        template,
                        kind,
                    })
                })
                .collect(),
            fill,
        })
    };
    add(
        &[
            ("compare/index.html", "compare/matrix.html", "matrix"),
            (
                "compare/side-by-side.html",
                "compare/side.html",
                "side-by-side",
            ),
        ],
        Fill::Matrix,
    );
    add(
        &[(
            "compare/relations.html",
            "compare/relations.html",
            "relations",
        )],
        Fill::Relations,
    );
    add(&[("index.html", "index.html", "home")], Fill::Home);
    add(
        &[("measures.html", "measures.html", "measures")],
        Fill::Measures,
    );
    add(
        &[("sources.html", "sources.html", "sources")],
        Fill::Sources,
    );
    add(&[("search.html", "search.html", "search")], Fill::Search);
    add(
        &[("glossary.html", "glossary.html", "glossary")],
        Fill::Glossary,
    );
    for topic in site.groups.iter().flat_map(|g| &g.topics) {
        let path = format!("compare/topics/{}.html", topic.id);
        add(
            &[(&path, "compare/topic.html", "topic")],
            Fill::Topic(topic),
        );
    }
    for m in &site.measures {
        let path = format!("measures/{}.html", m.id);
        add(&[(&path, "measure.html", "measure")], Fill::Measure(m));
    }
    add(
        &[(
            "calculators/index.html",
            "calculators/index.html",
            "calculators",
        )],
        Fill::Calculators,
    );
    if let Some(planner) = &site.planner {
        add(
            &[("planner.html", "planner.html", "planner")],
            Fill::Planner(planner),
        );
    }
    for calc in &site.calculators {
        let path = format!("calculators/{}.html", calc.id);
        add(
            &[(&path, "calculators/calculator.html", "calculator")],
            Fill::Calculator(calc),
        );
    }
    out
}

/// Renders pages of one site with a compiled theme.
pub(super) struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    strings: [&'a BTreeMap<String, String>; 2],
    /// `strings` as tera values, made once: every page clones its edition's in (see
    /// [`Renderer::set_page`]).
    t: [Shared; 2],
    /// Just the status date: what most pages need of `site`. Giving every page the full list
    /// made the build quadratic in the number of measures.
    slim: tera::Value,
    /// Group and topic names without the cells: the search page's topic filter.
    group_names: OnceLock<Shared>,
    /// Measures by id, for topic pages.
    by_id: OnceLock<HashMap<&'a str, &'a crate::model::Measure>>,
    /// What the home page lists (see [`Home`]).
    home: OnceLock<Shared>,
    /// Each measure's list item on topic pages, per edition (see [`Renderer::topic_items`]).
    topic_items: [OnceLock<Result<HashMap<String, String>, String>>; 2],
}

/// A value shared by several pages, or why it could not be serialised.
type Shared = Result<tera::Value, String>;

/// Moves `value` into the context under `key`, where `Context::insert` would serialise a copy
/// of it (whole rows of matrix cells, every UI string).
fn move_in(c: &mut Context, key: &str, value: tera::Value) -> Result<(), RenderError> {
    let mut values = serde_json::Map::new();
    values.insert(key.into(), value);
    let values = Context::from_value(tera::Value::Object(values))
        .map_err(|e| RenderError(format!("site data: {e}")))?;
    c.extend(values);
    Ok(())
}

fn shared(
    cell: &OnceLock<Shared>,
    make: impl FnOnce() -> Shared,
) -> Result<&tera::Value, RenderError> {
    cell.get_or_init(make)
        .as_ref()
        .map_err(|e| RenderError(format!("site data: {e}")))
}

fn to_value(v: impl Serialize) -> Shared {
    tera::to_value(v).map_err(|e| e.to_string())
}

/// The home page is the first page a reader loads, so it stays small at any size of the
/// collection: it lists every measure up to [`HOME_ALL_UP_TO`], else the [`HOME_RECENT`] most
/// recently issued with a count per level, and links to `measures.html`, which lists them all.
#[derive(Serialize)]
struct Home<'a> {
    /// Whether `rows` holds every measure.
    complete: bool,
    /// Number of measures (text, for the catalogue's `{n}`).
    total: String,
    /// Number of rows (text, for the catalogue's `{k}`).
    shown: String,
    rows: Vec<&'a crate::model::MeasureSummary>,
    levels: Vec<LevelCount>,
}

/// How many measures a level has.
#[derive(Serialize)]
struct LevelCount {
    level: Level,
    count: usize,
}

/// The home page lists every measure up to this many.
pub const HOME_ALL_UP_TO: usize = 40;
/// Beyond [`HOME_ALL_UP_TO`], the home page lists this many, the most recently issued first.
pub const HOME_RECENT: usize = 30;

fn home(summary: &crate::model::SiteSummary) -> Home<'_> {
    let all = &summary.measures;
    let complete = all.len() <= HOME_ALL_UP_TO;
    let rows = if complete {
        all.iter().collect()
    } else {
        let mut recent: Vec<_> = all.iter().collect();
        // Stable: measures issued the same day keep the site's order.
        recent.sort_by(|a, b| b.issued.cmp(&a.issued));
        recent.truncate(HOME_RECENT);
        recent
    };
    let mut levels: Vec<LevelCount> = Vec::new();
    for m in all {
        match levels.iter_mut().find(|l| l.level == m.level) {
            Some(l) => l.count += 1,
            None => levels.push(LevelCount {
                level: m.level,
                count: 1,
            }),
        }
    }
    Home {
        complete,
        total: all.len().to_string(),
        shown: rows.len().to_string(),
        rows,
        levels,
    }
}

/// A provincial measure and the municipal measures within its jurisdiction.
#[derive(Serialize)]
struct Province<'a> {
    m: &'a crate::model::MeasureSummary,
    subs: Vec<&'a crate::model::MeasureSummary>,
}

/// What the sources page shows of a measure (the full measure is large).
#[derive(Serialize)]
struct SourceEntry<'a> {
    id: &'a str,
    title: &'a str,
    title_en: &'a str,
    doc_number: &'a Option<String>,
    source: &'a crate::model::measure::SourceView,
    article_count: usize,
    errata: Vec<ErrataEntry<'a>>,
}

/// A line of a measure's list of notes: a note, and every unit it stands on (the same note
/// on several units is listed once).
#[derive(Serialize)]
struct ErrataEntry<'a> {
    /// The units, in document order.
    targets: Vec<ErrataTarget<'a>>,
    /// The note (the first unit's).
    e: &'a crate::model::measure::ErratumView,
}

/// A unit a note stands on, with the words that name it in the list: after a unit of the
/// same article, without the article's words (第二十条第（一）项、第（二）项).
#[derive(Serialize)]
struct ErrataTarget<'a> {
    target: &'a str,
    cite_label: &'a str,
    cite_label_en: &'a str,
}

impl<'a> ErrataTarget<'a> {
    fn of(
        e: &'a crate::model::measure::ErratumView,
        after: Option<&crate::model::measure::ErratumView>,
    ) -> Self {
        let same =
            after.is_some_and(|p| !e.cite_article.0.is_empty() && p.cite_article == e.cite_article);
        let (zh, en) = if same {
            (
                e.cite_label
                    .strip_prefix(e.cite_article.0.as_str())
                    .unwrap_or(&e.cite_label),
                e.cite_label_en
                    .strip_prefix(e.cite_article.1.as_str())
                    .unwrap_or(&e.cite_label_en),
            )
        } else {
            (e.cite_label.as_str(), e.cite_label_en.as_str())
        };
        ErrataTarget {
            target: &e.target,
            cite_label: zh,
            cite_label_en: en,
        }
    }
}

/// `errata` as a list, each note once with the units it stands on.
fn errata_entries(errata: &[crate::model::measure::ErratumView]) -> Vec<ErrataEntry<'_>> {
    let mut out: Vec<ErrataEntry> = Vec::new();
    for e in errata {
        let same = |x: &ErrataEntry| {
            let f = x.e;
            (f.kind, &f.quote, &f.artefact, &f.note, &f.note_en)
                == (e.kind, &e.quote, &e.artefact, &e.note, &e.note_en)
        };
        match out.iter_mut().find(|x| same(x)) {
            Some(x) => {
                let before = errata
                    .iter()
                    .rfind(|p| x.targets.last().is_some_and(|t| t.target == p.target));
                x.targets.push(ErrataTarget::of(e, before));
            }
            None => out.push(ErrataEntry {
                targets: vec![ErrataTarget::of(e, None)],
                e,
            }),
        }
    }
    out
}

/// What the matrix and the side-by-side view are given of a topic group: its topics' names and
/// rows of cells. Without the cells, it is the group's names the search page's topic filter is
/// given.
#[derive(Serialize)]
struct MatrixGroup<'a> {
    id: &'a str,
    zh: &'a str,
    en: &'a str,
    topics: Vec<MatrixTopic<'a>>,
}

/// A topic row of the matrix (the pages also get `cells_html`, see [`Renderer::matrix_groups`]).
#[derive(Serialize)]
struct MatrixTopic<'a> {
    id: &'a str,
    zh: &'a str,
    en: &'a str,
}

impl<'a> MatrixGroup<'a> {
    /// The group and its topics' names.
    fn of(g: &'a crate::model::compare::GroupView) -> Self {
        MatrixGroup {
            id: &g.id,
            zh: &g.zh,
            en: &g.en,
            topics: g
                .topics
                .iter()
                .map(|t| MatrixTopic {
                    id: &t.id,
                    zh: &t.zh,
                    en: &t.en,
                })
                .collect(),
        }
    }
}

/// What a topic page is given of its topic besides the cells.
#[derive(Serialize)]
struct TopicHead<'a> {
    id: &'a str,
    group: &'a str,
    zh: &'a str,
    en: &'a str,
    description: &'a str,
    description_en: &'a str,
    covered: usize,
}

impl<'a> TopicHead<'a> {
    fn of(t: &'a crate::model::compare::TopicView) -> Self {
        TopicHead {
            id: &t.id,
            group: &t.group,
            zh: &t.zh,
            en: &t.en,
            description: &t.description,
            description_en: &t.description_en,
            covered: t.covered,
        }
    }
}

/// Each provincial measure with the municipal measures within its jurisdiction: the relations
/// page's hierarchy, computed here because a template scan per province was quadratic.
fn provinces(summary: &crate::model::SiteSummary) -> Vec<Province<'_>> {
    let all = &summary.measures;
    all.iter()
        .filter(|p| p.level == Level::Provincial)
        .map(|p| Province {
            m: p,
            subs: all
                .iter()
                .filter(|c| {
                    c.level == Level::Municipal && c.within.as_ref() == Some(&p.jurisdiction)
                })
                .collect(),
        })
        .collect()
}

impl<'a> Renderer<'a> {
    pub(super) fn new(site: &'a Site, theme: &'a Theme, catalogue: &'a i18n::Catalogue) -> Self {
        Renderer {
            site,
            theme,
            strings: [&catalogue.zh, &catalogue.en],
            t: [to_value(&catalogue.zh), to_value(&catalogue.en)],
            slim: serde_json::json!({ "as_of": site.as_of }),
            group_names: OnceLock::new(),
            by_id: OnceLock::new(),
            home: OnceLock::new(),
            topic_items: [OnceLock::new(), OnceLock::new()],
        }
    }

    fn home(&self) -> Result<&tera::Value, RenderError> {
        shared(&self.home, || to_value(home(&self.site.summary())))
    }

    /// The topic groups as the matrix and the side-by-side view show them in edition `lang`,
    /// each row's cells written once ([`super::compare::cells`]) for both pages; not kept, as
    /// one job uses it. `out` is the matrix page, whose links the cells share.
    fn matrix_groups(&self, out: &PageOut) -> Result<tera::Value, RenderError> {
        use rayon::prelude::*;
        let labels = super::compare::Labels::of(self.strings[out.lang])?;
        let en = LANGS[out.lang].code == "en";
        let rel = up(out.path.matches('/').count());
        let names: Vec<MatrixGroup> = self.site.groups.iter().map(MatrixGroup::of).collect();
        let mut groups = to_value(names).map_err(|e| RenderError(format!("site data: {e}")))?;
        let rows: Vec<&crate::model::compare::TopicView> =
            self.site.groups.iter().flat_map(|g| &g.topics).collect();
        let mut cells = rows
            .into_par_iter()
            .map(|topic| super::compare::cells(topic, &labels, en, &rel))
            .collect::<Vec<String>>()
            .into_iter();
        // Moved in, not serialised: a row is megabytes at thousands of measures.
        let topics = groups
            .as_array_mut()
            .into_iter()
            .flatten()
            .filter_map(|g| g.get_mut("topics").and_then(tera::Value::as_array_mut))
            .flatten()
            .filter_map(tera::Value::as_object_mut);
        for topic in topics {
            let html = cells.next().unwrap_or_default();
            topic.insert("cells_html".into(), tera::Value::String(html));
        }
        Ok(groups)
    }

    /// Each measure's item in the lists of a topic page (`compare/measure-item.html`), by
    /// measure id, in edition `lang`: rendered once for every topic page (they share a
    /// directory, so links are the same), as most measures are silent on most topics.
    fn topic_items(&self, out: &PageOut) -> Result<&HashMap<String, String>, RenderError> {
        let cell = &self.topic_items[out.lang];
        if let Some(done) = cell.get() {
            return done.as_ref().map_err(|e| RenderError(e.clone()));
        }
        let make = || -> Result<HashMap<String, String>, String> {
            let summary = self.site.summary();
            let mut c = Context::new();
            self.set_page(&mut c, out).map_err(|e| e.0)?;
            let tera = &self.theme.tera[out.lang];
            summary
                .measures
                .iter()
                .map(|m| {
                    c.insert("m", m);
                    tera.render("compare/measure-item.html", &c)
                        // Kept for every topic page: without the room tera gives a page
                        // (2 KB for an item of a few hundred bytes).
                        .map(|mut html| {
                            html.shrink_to_fit();
                            (m.id.clone(), html)
                        })
                        .map_err(|e| {
                            format!("rendering compare/measure-item.html: {}", super::chain(&e))
                        })
                })
                .collect()
        };
        cell.get_or_init(make)
            .as_ref()
            .map_err(|e| RenderError(e.clone()))
    }

    fn group_names(&self) -> Result<&tera::Value, RenderError> {
        shared(&self.group_names, || {
            let names: Vec<MatrixGroup> = self.site.groups.iter().map(MatrixGroup::of).collect();
            to_value(names)
        })
    }

    fn by_id(&self) -> &HashMap<&'a str, &'a crate::model::Measure> {
        self.by_id.get_or_init(|| {
            let measures = &self.site.measures;
            measures.iter().map(|m| (m.id.as_str(), &**m)).collect()
        })
    }

    /// Sets what differs between the pages of a job: the page's own values and the edition's
    /// UI strings.
    fn set_page(&self, c: &mut Context, out: &PageOut) -> Result<(), RenderError> {
        let lang = LANGS[out.lang];
        let (path, kind) = (out.path.as_str(), out.kind);
        let depth = path.matches('/').count();
        let other = if lang.code == "zh" {
            LANGS[1]
        } else {
            LANGS[0]
        };
        let root = up(depth + lang.prefix.matches('/').count());
        c.insert(
            "page",
            &Page {
                rel: up(depth),
                alt_href: format!("{root}{}{path}", other.prefix),
                root,
                path,
                kind,
                lang: lang.html,
                code: lang.code,
                alt_lang: other.html,
            },
        );
        // A clone moved in: `insert` would serialise the edition's ~350 strings into a new map
        // for every page, each key found its place by comparison (2 % of a build's time).
        let t = self.t[out.lang]
            .as_ref()
            .map_err(|e| RenderError(format!("UI strings: {e}")))?;
        move_in(c, "t", t.clone())
    }

    /// Sets the values of a job's context that depend on the edition of `out`.
    fn set_edition(&self, c: &mut Context, job: &Job, out: &PageOut) -> Result<(), RenderError> {
        match job.fill {
            Fill::Matrix => {
                // The other edition's rows go first: both would be held while this one's are
                // written (megabytes each at a thousand measures).
                c.remove("groups");
                // Moved into the context: `insert` would copy every row of cells.
                move_in(c, "groups", self.matrix_groups(out)?)?;
            }
            Fill::Topic(topic) => {
                let labels = super::compare::Labels::of(self.strings[out.lang])?;
                let en = LANGS[out.lang].code == "en";
                let rel = up(out.path.matches('/').count());
                let facts = super::compare::facts(
                    topic,
                    self.by_id(),
                    &labels,
                    &self.theme.notes,
                    en,
                    &rel,
                );
                c.insert("facts_html", &facts);
                let items = self.topic_items(out)?;
                for state in ["silent", "unreviewed"] {
                    let mut html = String::new();
                    let mut n = 0usize;
                    for cell in topic.cells.iter().filter(|c| c.state == state) {
                        html.push_str(items.get(&cell.measure).map_or("", String::as_str));
                        n += 1;
                    }
                    c.insert(format!("{state}_html"), &html);
                    c.insert(format!("{state}_count"), &n);
                }
            }
            Fill::Measure(m) => {
                let rel = up(out.path.matches('/').count());
                let en = LANGS[out.lang].code == "en";
                let text =
                    super::text::text(m, self.strings[out.lang], &self.theme.notes, en, &rel)?;
                c.insert("text", &text);
                let depth = out.file().to_string_lossy().matches('/').count();
                c.insert("jsonld", &super::jsonld::legislation(m, depth));
            }
            _ => {}
        }
        Ok(())
    }

    /// Renders a job's pages into `sink`, each stored as soon as it is rendered so that a job's
    /// pages are not all held at once; returns the bytes written. The comparison pages (the
    /// matrix and the side-by-side view are tens of megabytes each for a national collection)
    /// are written as tera renders them, never held whole.
    pub(super) fn render(&self, job: &Job, sink: &dyn super::Sink) -> Result<usize, RenderError> {
        let mut c = Context::new();
        c.insert("site", &self.slim);
        let site = self.site;
        // Home and calculator pages link to the planner when there is one.
        c.insert("has_planner", &site.planner.is_some());
        match job.fill {
            Fill::Home => c.insert("home", self.home()?),
            // The summary (and the relations page's hierarchy) are serialised for each job that
            // shows them rather than kept for the whole render: a few megabytes each at a
            // thousand measures, and few jobs use them.
            Fill::Measures => {
                c.insert("site", &site.summary());
                c.insert("home", self.home()?);
            }
            Fill::Sources => {
                let entries: Vec<SourceEntry> = site
                    .measures
                    .iter()
                    .map(|m| SourceEntry {
                        id: &m.id,
                        title: &m.title,
                        title_en: &m.title_en,
                        doc_number: &m.doc_number,
                        source: &m.source,
                        article_count: m.article_count,
                        errata: errata_entries(&m.errata),
                    })
                    .collect();
                c.insert("measures_full", &entries)
            }
            Fill::Search => {
                c.insert("site", &site.summary());
                c.insert("groups", self.group_names()?);
            }
            Fill::Glossary => c.insert("glossary", &site.glossary),
            Fill::Measure(m) => {
                c.insert("m", m);
                c.insert("errata_list", &errata_entries(&m.errata));
            }
            Fill::Matrix => c.insert("site", &site.summary()),
            Fill::Relations => {
                let summary = site.summary();
                c.insert("site", &summary);
                c.insert("provinces", &provinces(&summary));
                c.insert("relations", &site.relations);
                c.insert("timeline", &site.timeline);
            }
            Fill::Topic(topic) => {
                c.insert("topic", &TopicHead::of(topic));
            }
            Fill::Calculators => {
                c.insert("site", &site.summary());
                c.insert("calculators", &site.calculators);
            }
            Fill::Calculator(calc) => c.insert("calc", calc),
            Fill::Planner(p) => {
                c.insert("planner", p);
                c.insert("planner_spec", &p.spec);
            }
        }
        // Room for the page, so that the output is not copied as it grows: a measure page is
        // about 2 KB per article; an edition's page is about as long as the other's.
        let mut size = match job.fill {
            Fill::Measure(m) => 8192 + m.article_count * 2048,
            _ => 32 * 1024,
        };
        let stream = matches!(job.fill, Fill::Matrix);
        let mut edition = None;
        let mut bytes = 0;
        for out in &job.pages {
            // What differs between the editions of a job, set when the edition changes.
            if edition != Some(out.lang) {
                edition = Some(out.lang);
                self.set_edition(&mut c, job, out)?;
            }
            self.set_page(&mut c, out)?;
            let tera = &self.theme.tera[out.lang];
            if stream {
                sink.put_written(&out.file(), &mut |w| {
                    let mut w = Counted {
                        inner: w,
                        bytes: &mut bytes,
                    };
                    tera.render_to(out.template, &c, &mut w).map_err(|e| {
                        std::io::Error::other(format!(
                            "rendering {}: {}",
                            out.template,
                            super::chain(&e)
                        ))
                    })
                })?;
            } else {
                let page = render(tera, out.template, &c, size)?;
                size = page.len() + page.len() / 16;
                bytes += page.len();
                sink.put(&out.file(), &page)?;
            }
        }
        Ok(bytes)
    }
}

/// A writer that counts the bytes passing through it.
struct Counted<'a, W: ?Sized> {
    inner: &'a mut W,
    bytes: &'a mut usize,
}

impl<W: std::io::Write + ?Sized> std::io::Write for Counted<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        *self.bytes += n;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
