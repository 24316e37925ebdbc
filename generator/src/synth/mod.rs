//! Synthetic corpora for benchmarks and scale tests: `atlas synth --measures N --out DIR`.
//!
//! Each synthetic measure is derived from one of the real local measures (a 办法 with articles):
//! its chapters and articles are kept in order, some are dropped, some are borrowed from the other
//! real measures, clauses are occasionally dropped, and the jurisdiction, issuer, title, 文号 and
//! dates are replaced by invented ones. The measure is first built as a plain structure; the
//! source copy (`sources/<id>.txt`) and the transcription (`measures/<id>.toml`) are both written
//! from that structure, so the verbatim check and the SHA-256 hold by construction. References
//! to articles (第十九条) are renumbered, and a handful of the template's facts are carried over
//! with their cites remapped; every quote is verified against the generated units before the
//! file is written. Calculators, errata, relations and repeals are left out.
//!
//! The output depends only on the real content, `N` and the seed.
//!
//! Imports content, address and text.

mod names;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use toml::{Table, Value};

use crate::address::refs::{find_refs, RefKind};
use crate::address::{Address, Prefix};
use crate::content::measure::{Article, Clause, Item, MeasureFile};
use crate::content::vocab::{DocKind, Level};
use crate::content::{Corpus, Loaded};
use crate::text::chinese_numeral;
use names::Name;

/// Marker file written at the top of a generated content directory; only such a directory is
/// ever replaced by a later run.
pub const MARKER: &str = ".atlas-synth";

/// Deterministic pseudo-random numbers (SplitMix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

// ───────────────────────────── plain structure of one measure ─────────────────────────────

#[derive(Debug, Clone)]
struct SItem {
    label: String,
    text: String,
}

#[derive(Debug, Clone)]
struct SClause {
    label: String,
    text: String,
    items: Vec<SItem>,
}

#[derive(Debug, Clone)]
struct SPara {
    text: String,
    clauses: Vec<SClause>,
    items: Vec<SItem>,
}

#[derive(Debug, Clone)]
struct SArticle {
    number: u32,
    chapter: Option<u32>,
    heading: Option<String>,
    text: String,
    clauses: Vec<SClause>,
    items: Vec<SItem>,
    paras: Vec<SPara>,
    summary_en: String,
}

fn items_of(items: &[Item]) -> Vec<SItem> {
    items
        .iter()
        .map(|i| SItem {
            label: i.label.get_ref().clone(),
            text: i.text.get_ref().clone(),
        })
        .collect()
}

fn clauses_of(clauses: &[Clause]) -> Vec<SClause> {
    clauses
        .iter()
        .map(|c| SClause {
            label: c.label.get_ref().clone(),
            text: c.text.get_ref().clone(),
            items: items_of(&c.items),
        })
        .collect()
}

fn article_of(a: &Article) -> SArticle {
    SArticle {
        number: *a.number.get_ref(),
        chapter: a.chapter.as_ref().map(|c| *c.get_ref()),
        heading: a.heading.clone(),
        text: a.text.get_ref().clone(),
        clauses: clauses_of(&a.clauses),
        items: items_of(&a.items),
        paras: a
            .paras
            .iter()
            .map(|p| SPara {
                text: p.text.get_ref().clone(),
                clauses: clauses_of(&p.clauses),
                items: items_of(&p.items),
            })
            .collect(),
        summary_en: a.summary_en.clone(),
    }
}

impl SArticle {
    /// Every text of the article, for scanning and rewriting.
    fn texts_mut(&mut self) -> Vec<&mut String> {
        let mut out: Vec<&mut String> = vec![&mut self.text];
        if let Some(h) = &mut self.heading {
            out.push(h);
        }
        fn list<'a>(out: &mut Vec<&'a mut String>, cs: &'a mut [SClause], is: &'a mut [SItem]) {
            for c in cs {
                out.push(&mut c.text);
                for i in &mut c.items {
                    out.push(&mut i.text);
                }
            }
            for i in is {
                out.push(&mut i.text);
            }
        }
        list(&mut out, &mut self.clauses, &mut self.items);
        for p in &mut self.paras {
            out.push(&mut p.text);
            list(&mut out, &mut p.clauses, &mut p.items);
        }
        out
    }

    fn has_article_refs(&mut self) -> bool {
        self.texts_mut().iter().any(|t| {
            find_refs(t)
                .iter()
                .any(|r| matches!(r.kind, RefKind::Article { .. }))
        })
    }
}

/// A real measure usable as a template or as a donor of articles.
struct Template<'a> {
    m: &'a MeasureFile,
    /// The measure's TOML as a generic table (its facts are copied from here).
    raw: Table,
    /// The first segment of its id (`yunnan`), stripped from fact ids.
    id_head: String,
    articles: Vec<SArticle>,
    /// Article numbers referred to from within the measure.
    referenced: BTreeSet<u32>,
    local: bool,
}

fn stem(jurisdiction: &str) -> &str {
    jurisdiction
        .strip_suffix('省')
        .or_else(|| jurisdiction.strip_suffix('市'))
        .unwrap_or(jurisdiction)
}

fn en_stem(jurisdiction_en: &str) -> &str {
    jurisdiction_en
        .split_whitespace()
        .next()
        .unwrap_or(jurisdiction_en)
}

/// Laboratories (国际联合实验室) or bases (合作基地): articles are borrowed within a family.
fn family(m: &MeasureFile) -> bool {
    m.title.contains("实验室")
}

impl<'a> Template<'a> {
    fn new(l: &'a Loaded<MeasureFile>) -> Option<Self> {
        let m = &l.value;
        if *m.kind.get_ref() != DocKind::Measures || m.articles.is_empty() {
            return None;
        }
        let raw: Table = toml::from_str(l.text()).ok()?;
        let mut articles: Vec<SArticle> = m.articles.iter().map(article_of).collect();
        let mut referenced = BTreeSet::new();
        for a in &mut articles {
            for t in a.texts_mut() {
                for r in find_refs(t) {
                    if let RefKind::Article { article, .. } = r.kind {
                        referenced.insert(article);
                    }
                }
            }
        }
        Some(Template {
            m,
            raw,
            id_head: m.id.get_ref().split('-').next().unwrap_or("").to_string(),
            articles,
            referenced,
            local: matches!(m.level.get_ref(), Level::Provincial | Level::Municipal),
        })
    }
}

/// How a template's names map onto a synthetic measure's names.
struct Subst {
    zh: Vec<(String, String)>,
    en: Vec<(String, String)>,
}

impl Subst {
    fn zh(&self, s: &str) -> String {
        let mut out = s.to_string();
        for (a, b) in &self.zh {
            if out.contains(a.as_str()) {
                out = out.replace(a.as_str(), b);
            }
        }
        out
    }
    fn en(&self, s: &str) -> String {
        let mut out = s.to_string();
        for (a, b) in &self.en {
            if out.contains(a.as_str()) {
                out = out.replace(a.as_str(), b);
            }
        }
        out
    }
    fn article(&self, a: &mut SArticle) {
        for t in a.texts_mut() {
            *t = self.zh(t);
        }
        a.summary_en = self.en(&a.summary_en);
    }
}

/// Identity of one synthetic measure.
struct Identity {
    jur: String,
    jur_en: String,
    within: Option<String>,
    within_en: Option<String>,
}

fn subst_for(t: &Template, id: &Identity) -> Subst {
    let mut zh = Vec::new();
    let mut en = Vec::new();
    if t.local {
        let m = t.m;
        zh.push((m.jurisdiction.clone(), id.jur.clone()));
        zh.push((stem(&m.jurisdiction).to_string(), stem(&id.jur).to_string()));
        en.push((
            en_stem(&m.jurisdiction_en).to_string(),
            en_stem(&id.jur_en).to_string(),
        ));
        if let (Some(w), Some(nw), Some(nwe)) = (&m.within, &id.within, &id.within_en) {
            zh.push((w.clone(), nw.clone()));
            zh.push((stem(w).to_string(), stem(nw).to_string()));
            // The English of the enclosing province is not recorded; its first word is the stem.
            let real_en: String = match stem(w) {
                "云南" => "Yunnan".into(),
                "浙江" => "Zhejiang".into(),
                _ => String::new(),
            };
            if !real_en.is_empty() {
                en.push((real_en, en_stem(nwe).to_string()));
            }
        }
    }
    Subst { zh, en }
}

// ───────────────────────────── generation ─────────────────────────────

/// The files of a synthetic content directory, by path relative to it.
pub type Files = BTreeMap<PathBuf, Vec<u8>>;

/// Why `atlas synth` could not write a synthetic corpus.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// The real content it derives from has errors.
    #[error("the content at {} has errors; run atlas check", .0.display())]
    Content(PathBuf),
    /// The real content has no measure to derive synthetic ones from.
    #[error(
        "the content has no provincial or municipal 办法 with chapters to derive measures from"
    )]
    NoTemplate,
    /// A generated measure does not read back (a defect of the generator, named with its id).
    #[error("synthetic measure {id} does not read back: {why}")]
    Generated {
        /// The synthetic measure's id.
        id: String,
        /// What failed.
        why: String,
    },
    /// The output directory holds files `atlas synth` did not write.
    #[error("{} exists and was not written by atlas synth; choose another --out", .0.display())]
    NotOurs(PathBuf),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

/// An I/O error at `path`, for `map_err`.
fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SynthError + '_ {
    move |source| SynthError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Generates the content directory for `n` synthetic measures from the real corpus.
pub fn synthesize(real: &Corpus, n: usize, seed: u64) -> Result<Files, SynthError> {
    let templates: Vec<Template> = real.measures.iter().filter_map(Template::new).collect();
    let bases: Vec<usize> = (0..templates.len())
        .filter(|&i| templates[i].local && !templates[i].m.chapters.is_empty())
        .collect();
    if bases.is_empty() {
        return Err(SynthError::NoTemplate);
    }
    let topic_ids: Vec<String> = real
        .topics
        .as_ref()
        .map(|t| {
            t.value
                .topics
                .iter()
                .map(|x| x.id.get_ref().clone())
                .collect()
        })
        .unwrap_or_default();
    let known_topics: BTreeSet<&str> = topic_ids.iter().map(String::as_str).collect();
    // Articles other measures may borrow: not the first or last, and referring to no article.
    let donors: Vec<(usize, usize)> = templates
        .iter()
        .enumerate()
        .flat_map(|(ti, t)| (1..t.articles.len().saturating_sub(1)).map(move |ai| (ti, ai)))
        .filter(|&(ti, ai)| !templates[ti].articles[ai].clone().has_article_refs())
        .collect();

    let mut files = Files::new();
    // Shared files: the taxonomy, the glossary, the calendars (not the calculators: they bind
    // the real measures' facts).
    let root = &real.root;
    for name in ["topics.toml", "glossary.toml"] {
        let p = root.join(name);
        if p.is_file() {
            let bytes = std::fs::read(&p).map_err(io(&p))?;
            files.insert(PathBuf::from(name), bytes);
        }
    }
    // The calculators bind the real measures' facts: none span the synthetic ones, and the
    // file says so (its absence is reported).
    files.insert(
        PathBuf::from("calculators.toml"),
        b"# No calculators span the synthetic measures.\n".to_vec(),
    );
    for (name, l) in &real.calendars {
        files.insert(
            Path::new("calendars").join(name),
            l.text().as_bytes().to_vec(),
        );
    }

    let mut last_province: Option<(String, String)> = None;
    for i in 0..n {
        let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0xA24B_AED4_963E_E407));
        let base = &templates[bases[rng.below(bases.len() as u64) as usize]];
        let nm: Name = names::name(i as u64, seed);
        let municipal = *base.m.level.get_ref() == Level::Municipal;
        let (jur, jur_en) = if municipal {
            (format!("{}市", nm.zh), format!("{} City", nm.en))
        } else {
            (format!("{}省", nm.zh), format!("{} Province", nm.en))
        };
        let (within, within_en) = if municipal {
            let (w, we) = last_province.clone().unwrap_or_else(|| {
                let p = names::name((n + i) as u64, seed ^ 0x5EED);
                (format!("{}省", p.zh), format!("{} Province", p.en))
            });
            (Some(w), Some(we))
        } else {
            last_province = Some((jur.clone(), jur_en.clone()));
            (None, None)
        };
        let ident = Identity {
            jur,
            jur_en,
            within,
            within_en,
        };
        let (id, toml_text, source) = measure(
            i,
            &nm,
            &ident,
            base,
            &templates,
            &donors,
            &topic_ids,
            &known_topics,
            &mut rng,
        )?;
        files.insert(
            Path::new("sources").join(format!("{id}.txt")),
            source.into_bytes(),
        );
        files.insert(
            Path::new("measures").join(format!("{id}.toml")),
            toml_text.into_bytes(),
        );
    }
    Ok(files)
}

/// Writes `files` into `dir` (the content directory). An existing `dir` is replaced only if an
/// earlier `atlas synth` wrote it; any other non-empty directory is refused.
pub fn write(dir: &Path, files: &Files) -> Result<(), SynthError> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir).map_err(io(dir))?.next().is_none();
        if !empty {
            if !dir.join(MARKER).is_file() {
                return Err(SynthError::NotOurs(dir.to_path_buf()));
            }
            std::fs::remove_dir_all(dir).map_err(io(dir))?;
        }
    }
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    std::fs::write(
        dir.join(MARKER),
        "generated by atlas synth; safe to delete\n",
    )
    .map_err(io(dir))?;
    for (rel, bytes) in files {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&p, bytes).map_err(io(&p))?;
    }
    Ok(())
}

/// Loads the real content at `real`, generates `n` measures and writes them to `out/content`.
/// Returns the content directory.
pub fn run(real: &Path, out: &Path, n: usize, seed: u64) -> Result<PathBuf, SynthError> {
    let (corpus, report) = crate::content::load(real);
    if report.has_errors() {
        return Err(SynthError::Content(real.to_path_buf()));
    }
    let files = synthesize(&corpus, n, seed)?;
    let dir = out.join("content");
    write(&dir, &files)?;
    Ok(dir)
}

fn date_zh(d: time::Date) -> String {
    format!("{}年{}月{}日", d.year(), u8::from(d.month()), d.day())
}

fn date_value(d: time::Date) -> Value {
    let s = format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day());
    Value::Datetime(s.parse().expect("a valid TOML date"))
}

/// Relabels clauses （一）（二）… and items 1. 2. … in order, keeping each label's style.
fn relabel_clauses(cs: &mut [SClause]) {
    for (k, c) in cs.iter_mut().enumerate() {
        let (open, close) = if c.label.starts_with('(') {
            ("(", ")")
        } else {
            ("（", "）")
        };
        c.label = format!("{open}{}{close}", chinese_numeral(k as u32 + 1));
    }
}

#[allow(clippy::too_many_arguments)]
fn measure(
    i: usize,
    nm: &Name,
    ident: &Identity,
    base: &Template,
    templates: &[Template],
    donors: &[(usize, usize)],
    topic_ids: &[String],
    known_topics: &BTreeSet<&str>,
    rng: &mut Rng,
) -> Result<(String, String, String), SynthError> {
    let m = base.m;
    let failed = |why: String| SynthError::Generated {
        id: format!("#{}", i + 1),
        why,
    };
    let bsub = subst_for(base, ident);

    // Dates.
    let year = 2012 + rng.below(15) as i32;
    let month = time::Month::try_from(1 + rng.below(12) as u8).unwrap_or(time::Month::January);
    let issued = time::Date::from_calendar_date(year, month, 1 + rng.below(28) as u8)
        .map_err(|e| failed(e.to_string()))?;

    // Identity.
    let suffix = if *m.level.get_ref() == Level::Municipal {
        "bases"
    } else {
        "ijl"
    };
    let id = format!("{}-{suffix}-{year}-{:04}", nm.slug, i + 1);
    let title = bsub.zh(&m.title);
    let issuer = bsub.zh(&m.issuer);
    let doc_prefix = m
        .doc_number
        .as_ref()
        .and_then(|d| d.get_ref().split('〔').next().map(str::to_string))
        .unwrap_or_else(|| "科规".into());
    let tail: String = doc_prefix.chars().skip(1).collect();
    let first: String = nm.zh.chars().next().map(String::from).unwrap_or_default();
    let doc_number = format!("{first}{tail}〔{year}〕{}号", i + 1);

    // Articles: the base's, some dropped, some borrowed; the last replaced by our own.
    let last_chapter = m
        .articles
        .last()
        .and_then(|a| a.chapter.as_ref().map(|c| *c.get_ref()));
    let body: Vec<&SArticle> = base.articles[..base.articles.len() - 1].iter().collect();
    let donors: Vec<(usize, usize)> = donors
        .iter()
        .copied()
        .filter(|&(ti, _)| {
            !std::ptr::eq(&templates[ti], base) && family(templates[ti].m) == family(m)
        })
        .collect();
    // Aim at 27–34 articles: borrow more when the base is short.
    let target = 27 + rng.below(8) as usize;
    let p_borrow = ((target as f64 - 1.0 - 0.9 * body.len() as f64) / body.len().max(1) as f64)
        .clamp(0.05, 0.6);
    let mut out: Vec<SArticle> = Vec::new();
    let mut old_to_new: BTreeMap<u32, u32> = BTreeMap::new();
    let mut clause_maps: BTreeMap<u32, Vec<Option<u32>>> = BTreeMap::new();
    for (k, a) in body.iter().enumerate() {
        let old = a.number;
        let protected = k == 0 || base.referenced.contains(&old);
        if !protected && rng.chance(0.10) {
            continue;
        }
        let mut a = (*a).clone();
        bsub.article(&mut a);
        let new = out.len() as u32 + 1;
        old_to_new.insert(old, new);
        // Occasionally drop a clause of an article nothing refers to.
        if !base.referenced.contains(&old) && a.clauses.len() >= 3 && rng.chance(0.25) {
            let drop = rng.below(a.clauses.len() as u64) as usize;
            let mut map = Vec::new();
            let mut next = 1;
            for ci in 0..a.clauses.len() {
                if ci == drop {
                    map.push(None);
                } else {
                    map.push(Some(next));
                    next += 1;
                }
            }
            a.clauses.remove(drop);
            relabel_clauses(&mut a.clauses);
            clause_maps.insert(old, map);
        }
        a.number = new;
        out.push(a);
        if !donors.is_empty() && rng.chance(p_borrow) {
            let (ti, ai) = donors[rng.below(donors.len() as u64) as usize];
            let t = &templates[ti];
            let mut d = t.articles[ai].clone();
            subst_for(t, ident).article(&mut d);
            d.number = out.len() as u32 + 1;
            d.chapter = out.last().and_then(|p| p.chapter);
            out.push(d);
        }
    }
    // Chapters actually used, renumbered densely.
    let mut chapter_map: BTreeMap<u32, u32> = BTreeMap::new();
    for a in &out {
        if let Some(c) = a.chapter {
            let next = chapter_map.len() as u32 + 1;
            chapter_map.entry(c).or_insert(next);
        }
    }
    let last_ch = last_chapter.map(|c| {
        let next = chapter_map.len() as u32 + 1;
        *chapter_map.entry(c).or_insert(next)
    });
    for a in &mut out {
        a.chapter = a.chapter.and_then(|c| chapter_map.get(&c).copied());
    }
    // Renumber references within the base's own articles.
    for a in &mut out {
        for t in a.texts_mut() {
            *t = renumber_refs(t, &old_to_new);
        }
    }
    // Our own last article: entry into force.
    let (rule, eff_text, eff_en, eff_date, days) = match rng.below(3) {
        0 => {
            let d = issued + time::Duration::days(7 + rng.below(54) as i64);
            (
                "on-date",
                format!("本办法自{}起施行。", date_zh(d)),
                format!(
                    "These measures take effect on {} {}, {}.",
                    d.month(),
                    d.day(),
                    d.year()
                ),
                Some(d),
                None,
            )
        }
        1 => (
            "days-after-issue",
            "本办法自颁布之日起30日后实施。".to_string(),
            "These measures apply from the day after 30 days following their promulgation."
                .to_string(),
            None,
            Some(30i64),
        ),
        _ => (
            "on-issue",
            "本办法自发布之日起施行。".to_string(),
            "These measures take effect on the day of publication.".to_string(),
            None,
            None,
        ),
    };
    let last_no = out.len() as u32 + 1;
    out.push(SArticle {
        number: last_no,
        chapter: last_ch,
        heading: None,
        text: eff_text.clone(),
        clauses: Vec::new(),
        items: Vec::new(),
        paras: Vec::new(),
        summary_en: eff_en,
    });

    // Front matter.
    let office = if issuer.ends_with('局') {
        "局"
    } else {
        "厅"
    };
    let front: Vec<(&str, String)> = vec![
        ("title", format!("{issuer}关于印发《{title}》的通知")),
        ("doc-number", doc_number.clone()),
        ("addressee", "各有关单位：".into()),
        (
            "body",
            format!(
                "《{title}》已经{issuer}{year}年第{}次{office}务会审议通过，现印发实施，请认真贯彻落实。",
                1 + rng.below(30)
            ),
        ),
        ("signature", issuer.clone()),
        ("date", date_zh(issued)),
        ("publication", "（此件公开发布）".into()),
        ("title", title.clone()),
    ];
    let chapters: Vec<(u32, String, String)> = {
        let mut v: Vec<(u32, u32)> = chapter_map.iter().map(|(o, n)| (*n, *o)).collect();
        v.sort();
        v.into_iter()
            .map(|(new, old)| {
                let title = m
                    .chapters
                    .iter()
                    .find(|c| *c.number.get_ref() == old)
                    .map(|c| c.title.clone())
                    .unwrap_or_default();
                (new, format!("第{}章", chinese_numeral(new)), title)
            })
            .collect()
    };

    // The source copy, from the structure.
    let source = source_text(&front, &chapters, &out);
    let sha: String = Sha256::digest(source.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();

    // Facts: a handful of the base's, remapped; then our own dates.
    let remap = |anchor: &str| -> Option<String> {
        let mut a = Address::parse(anchor).filter(|a| a.prefix == Prefix::Art)?;
        let old = a.article;
        a.article = *old_to_new.get(&old)?;
        // Only the first paragraph's clauses were renumbered.
        if let (Some(map), Some(k), 1) = (clause_maps.get(&old), a.clause, a.para) {
            a.clause = Some(map.get((k as usize).checked_sub(1)?).copied().flatten()?);
        }
        Some(a.anchor())
    };
    let raw_facts: Vec<Table> = base
        .raw
        .get("fact")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_table().cloned()).collect())
        .unwrap_or_default();
    let mut eligible: Vec<Table> = Vec::new();
    'facts: for f in raw_facts {
        let Some(cite) = f.get("cite").and_then(Value::as_str).and_then(remap) else {
            continue;
        };
        let Some(topic) = f.get("topic").and_then(Value::as_str) else {
            continue;
        };
        if !known_topics.is_empty() && !known_topics.contains(topic) {
            continue;
        }
        let mut g = f.clone();
        let old_id = f.get("id").and_then(Value::as_str).unwrap_or("fact");
        let short = old_id
            .strip_prefix(&format!("{}-", base.id_head))
            .unwrap_or(old_id);
        g.insert("id".into(), Value::String(format!("{id}-{short}")));
        g.insert("cite".into(), Value::String(cite));
        for key in ["quote", "label", "note", "pattern"] {
            if let Some(s) = g.get(key).and_then(Value::as_str) {
                let s = bsub.zh(s);
                g.insert(key.into(), Value::String(s));
            }
        }
        for key in ["label_en", "note_en"] {
            if let Some(s) = g.get(key).and_then(Value::as_str) {
                let s = bsub.en(s);
                g.insert(key.into(), Value::String(s));
            }
        }
        if let Some(Value::Array(cats)) = g.get_mut("category") {
            for c in cats.iter_mut() {
                let Some(t) = c.as_table_mut() else { continue };
                if let Some(s) = t.get("cite").and_then(Value::as_str) {
                    match remap(s) {
                        Some(n) => {
                            t.insert("cite".into(), Value::String(n));
                        }
                        None => continue 'facts,
                    }
                }
                if let Some(s) = t.get("label").and_then(Value::as_str) {
                    let s = bsub.zh(s);
                    t.insert("label".into(), Value::String(s));
                }
            }
        }
        eligible.push(g);
    }
    let want = 5 + rng.below(8) as usize;
    let p = want as f64 / eligible.len().max(1) as f64;
    let mut facts: Vec<Table> = eligible.into_iter().filter(|_| rng.chance(p)).collect();
    let mut own = Table::new();
    own.insert("id".into(), Value::String(format!("{id}-issued")));
    own.insert(
        "topic".into(),
        Value::String("entry-into-force-and-repeal".into()),
    );
    own.insert("type".into(), Value::String("date".into()));
    own.insert("force".into(), Value::String("hard".into()));
    own.insert("label".into(), Value::String("印发日期".into()));
    own.insert("label_en".into(), Value::String("Issued".into()));
    own.insert("cite".into(), Value::String("front-6".into()));
    own.insert("quote".into(), Value::String(date_zh(issued)));
    own.insert("value".into(), date_value(issued));
    facts.push(own);
    if let Some(d) = eff_date {
        let mut f = Table::new();
        f.insert("id".into(), Value::String(format!("{id}-in-force")));
        f.insert(
            "topic".into(),
            Value::String("entry-into-force-and-repeal".into()),
        );
        f.insert("type".into(), Value::String("date".into()));
        f.insert("force".into(), Value::String("hard".into()));
        f.insert("label".into(), Value::String("施行日期".into()));
        f.insert("label_en".into(), Value::String("In force from".into()));
        f.insert(
            "cite".into(),
            Value::String(Address::article(Prefix::Art, last_no).anchor()),
        );
        f.insert("quote".into(), Value::String(eff_text.clone()));
        f.insert("value".into(), date_value(d));
        facts.push(f);
    }
    if !known_topics.is_empty() && !known_topics.contains("entry-into-force-and-repeal") {
        facts.retain(|f| {
            f.get("topic")
                .and_then(Value::as_str)
                .is_some_and(|t| known_topics.contains(t))
        });
    }

    // The transcription.
    let mut doc = Table::new();
    let s = |v: &str| Value::String(v.to_string());
    doc.insert("id".into(), s(&id));
    doc.insert("title".into(), s(&title));
    doc.insert("short_title".into(), s(&bsub.zh(&m.short_title)));
    doc.insert("title_en".into(), s(&bsub.en(&m.title_en)));
    doc.insert("short_title_en".into(), s(&bsub.en(&m.short_title_en)));
    doc.insert("kind".into(), s("办法"));
    doc.insert("level".into(), s(m.level.get_ref().code()));
    doc.insert("jurisdiction".into(), s(&ident.jur));
    doc.insert("jurisdiction_en".into(), s(&ident.jur_en));
    if let Some(w) = &ident.within {
        doc.insert("within".into(), s(w));
    }
    doc.insert("issuer".into(), s(&issuer));
    doc.insert("issuer_en".into(), s(&bsub.en(&m.issuer_en)));
    doc.insert("doc_number".into(), s(&doc_number));
    doc.insert("issued".into(), date_value(issued));
    let mut eff = Table::new();
    eff.insert("rule".into(), s(rule));
    if let Some(d) = eff_date {
        eff.insert("date".into(), date_value(d));
    }
    if let Some(d) = days {
        eff.insert("days".into(), Value::Integer(d));
    }
    eff.insert("quote".into(), s(&eff_text));
    eff.insert(
        "cite".into(),
        s(&Address::article(Prefix::Art, last_no).anchor()),
    );
    doc.insert("effective".into(), Value::Table(eff));
    let mut src = Table::new();
    src.insert("file".into(), s(&format!("{id}.txt")));
    src.insert("sha256".into(), s(&sha));
    doc.insert("source".into(), Value::Table(src));
    doc.insert(
        "front".into(),
        Value::Array(
            front
                .iter()
                .map(|(role, text)| {
                    let mut t = Table::new();
                    t.insert("role".into(), s(role));
                    t.insert("text".into(), s(text));
                    Value::Table(t)
                })
                .collect(),
        ),
    );
    doc.insert(
        "chapter".into(),
        Value::Array(
            chapters
                .iter()
                .map(|(n, label, title)| {
                    let mut t = Table::new();
                    t.insert("number".into(), Value::Integer(i64::from(*n)));
                    t.insert("label".into(), s(label));
                    t.insert("title".into(), s(title));
                    Value::Table(t)
                })
                .collect(),
        ),
    );
    doc.insert(
        "article".into(),
        Value::Array(out.iter().map(article_value).collect()),
    );

    // Keep only facts whose cite and quote hold in the generated text.
    let verify = |doc: &Table, facts: &[Table]| -> Result<Vec<bool>, SynthError> {
        let mut d = doc.clone();
        d.insert(
            "fact".into(),
            Value::Array(facts.iter().cloned().map(Value::Table).collect()),
        );
        let text = toml::to_string(&d).map_err(|e| failed(e.to_string()))?;
        let parsed: MeasureFile =
            crate::content::parse_str(Path::new(&id), &text).map_err(|e| {
                SynthError::Generated {
                    id: id.clone(),
                    why: e.to_string(),
                }
            })?;
        let units = crate::address::units::units(&parsed);
        let by: BTreeMap<&str, &crate::address::units::Unit> =
            units.iter().map(|u| (u.anchor.as_str(), u)).collect();
        Ok(parsed
            .facts
            .iter()
            .map(|f| {
                by.get(f.cite.get_ref().as_str())
                    .is_some_and(|u| u.full_text.contains(f.quote.get_ref().as_str()))
                    && f.categories.iter().all(|c| {
                        c.cite
                            .as_ref()
                            .is_none_or(|c| by.contains_key(c.get_ref().as_str()))
                    })
            })
            .collect())
    };
    let ok = verify(&doc, &facts)?;
    let facts: Vec<Table> = facts
        .into_iter()
        .zip(ok)
        .filter_map(|(f, ok)| ok.then_some(f))
        .collect();
    let covered: BTreeSet<&str> = facts
        .iter()
        .filter_map(|f| f.get("topic").and_then(Value::as_str))
        .collect();
    let silent: Vec<Value> = topic_ids
        .iter()
        .filter(|t| !covered.contains(t.as_str()))
        .map(|t| s(t))
        .collect();
    doc.insert(
        "fact".into(),
        Value::Array(facts.iter().cloned().map(Value::Table).collect()),
    );
    let mut topics = Table::new();
    topics.insert("silent".into(), Value::Array(silent));
    doc.insert("topics".into(), Value::Table(topics));
    let text = format!(
        "# Synthetic measure generated by `atlas synth` from {} (not a real document).\n{}",
        m.id.get_ref(),
        toml::to_string(&doc).map_err(|e| failed(e.to_string()))?
    );
    Ok((id, text, source))
}

fn items_value(items: &[SItem]) -> Value {
    Value::Array(
        items
            .iter()
            .map(|i| {
                let mut t = Table::new();
                t.insert("label".into(), Value::String(i.label.clone()));
                t.insert("text".into(), Value::String(i.text.clone()));
                Value::Table(t)
            })
            .collect(),
    )
}

fn clauses_value(cs: &[SClause]) -> Value {
    Value::Array(
        cs.iter()
            .map(|c| {
                let mut t = Table::new();
                t.insert("label".into(), Value::String(c.label.clone()));
                t.insert("text".into(), Value::String(c.text.clone()));
                if !c.items.is_empty() {
                    t.insert("item".into(), items_value(&c.items));
                }
                Value::Table(t)
            })
            .collect(),
    )
}

fn article_value(a: &SArticle) -> Value {
    let mut t = Table::new();
    t.insert("number".into(), Value::Integer(i64::from(a.number)));
    t.insert(
        "label".into(),
        Value::String(format!("第{}条", chinese_numeral(a.number))),
    );
    if let Some(c) = a.chapter {
        t.insert("chapter".into(), Value::Integer(i64::from(c)));
    }
    if let Some(h) = &a.heading {
        t.insert("heading".into(), Value::String(h.clone()));
    }
    t.insert("text".into(), Value::String(a.text.clone()));
    t.insert("summary_en".into(), Value::String(a.summary_en.clone()));
    if !a.clauses.is_empty() {
        t.insert("clause".into(), clauses_value(&a.clauses));
    }
    if !a.items.is_empty() {
        t.insert("item".into(), items_value(&a.items));
    }
    if !a.paras.is_empty() {
        t.insert(
            "para".into(),
            Value::Array(
                a.paras
                    .iter()
                    .map(|p| {
                        let mut pt = Table::new();
                        pt.insert("text".into(), Value::String(p.text.clone()));
                        if !p.clauses.is_empty() {
                            pt.insert("clause".into(), clauses_value(&p.clauses));
                        }
                        if !p.items.is_empty() {
                            pt.insert("item".into(), items_value(&p.items));
                        }
                        Value::Table(pt)
                    })
                    .collect(),
            ),
        );
    }
    Value::Table(t)
}

/// The verbatim copy laid out like the real ones: one line per block, chapter, article,
/// paragraph, clause and item, with blank lines around headings.
fn source_text(
    front: &[(&str, String)],
    chapters: &[(u32, String, String)],
    arts: &[SArticle],
) -> String {
    let mut s = String::new();
    for (k, (role, text)) in front.iter().enumerate() {
        if *role == "addressee" || (*role == "title" && k > 0) {
            s.push_str(" \n");
        }
        if *role == "signature" {
            s.push_str(" \n \n");
        }
        s.push_str(text);
        s.push('\n');
    }
    let mut chapter = None;
    fn list(s: &mut String, cs: &[SClause], is: &[SItem]) {
        for c in cs {
            s.push_str(&c.label);
            s.push_str(&c.text);
            s.push('\n');
            for i in &c.items {
                s.push_str(&i.label);
                s.push_str(&i.text);
                s.push('\n');
            }
        }
        for i in is {
            s.push_str(&i.label);
            s.push_str(&i.text);
            s.push('\n');
        }
    }
    for a in arts {
        if a.chapter.is_some() && a.chapter != chapter {
            chapter = a.chapter;
            if let Some((_, label, title)) = chapters.iter().find(|c| Some(c.0) == a.chapter) {
                s.push_str(" \n");
                s.push_str(label);
                s.push('　');
                s.push_str(title);
                s.push_str("\n \n");
            }
        }
        s.push_str(&format!("第{}条", chinese_numeral(a.number)));
        if let Some(h) = &a.heading {
            s.push('　');
            s.push_str(h);
        }
        if !a.text.is_empty() {
            s.push('　');
            s.push_str(&a.text);
        }
        s.push('\n');
        list(&mut s, &a.clauses, &a.items);
        for p in &a.paras {
            if !p.text.is_empty() {
                s.push_str(&p.text);
                s.push('\n');
            }
            list(&mut s, &p.clauses, &p.items);
        }
    }
    s
}

/// Rewrites references to the measure's own articles (第十九条, 第十九、二十条) to the new
/// numbers. Clause references (第（二）项) are kept: clauses of referenced articles are never
/// dropped.
fn renumber_refs(text: &str, map: &BTreeMap<u32, u32>) -> String {
    let refs = find_refs(text);
    if refs.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut seen: Option<std::ops::Range<usize>> = None;
    for r in refs {
        if !matches!(r.kind, RefKind::Article { .. }) || seen.as_ref() == Some(&r.range) {
            continue;
        }
        seen = Some(r.range.clone());
        let words = &text[r.range.clone()];
        out.push_str(&text[at..r.range.start]);
        out.push_str(&rewrite_numbers(words, map));
        at = r.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// In `第十九、二十条第（二）项`, maps each article numeral before 条 through `map`.
fn rewrite_numbers(words: &str, map: &BTreeMap<u32, u32>) -> String {
    let Some(end) = words.find('条') else {
        return words.to_string();
    };
    let head = &words['第'.len_utf8()..end];
    let nums: Vec<String> = head
        .split('、')
        .map(|n| match crate::text::chinese_number(n) {
            Some(old) => chinese_numeral(*map.get(&old).unwrap_or(&old)),
            None => n.to_string(),
        })
        .collect();
    format!("第{}{}", nums.join("、"), &words[end..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::address::clause_number;

    #[test]
    fn references_are_renumbered() {
        let map: BTreeMap<u32, u32> = [(19, 17), (20, 18), (5, 5)].into_iter().collect();
        assert_eq!(
            renumber_refs("依第十九、二十条拨付，见第五条第（二）项。", &map),
            "依第十七、十八条拨付，见第五条第（二）项。"
        );
        assert_eq!(
            renumber_refs("依照《某某办法》第十九条", &map),
            "依照《某某办法》第十九条"
        );
    }

    #[test]
    fn clause_numbers_survive_relabelling() {
        let mut cs = vec![
            SClause {
                label: "(二)".into(),
                text: String::new(),
                items: vec![],
            },
            SClause {
                label: "（四）".into(),
                text: String::new(),
                items: vec![],
            },
        ];
        relabel_clauses(&mut cs);
        assert_eq!(clause_number(&cs[0].label), Some(1));
        assert_eq!(cs[1].label, "（二）");
    }
}
