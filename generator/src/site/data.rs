//! The data step of a build: everything that is not a page — the search index, the dataset
//! and its schema, the matrix CSV, the calculator engine and definitions, the theme's static
//! files and the verbatim source copies.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::timing::Phase;
use crate::content::vocab::Level;
use crate::error::{Error, Result};
use crate::model::Site;
use crate::render::i18n::Catalogue;
use crate::render::{RenderError, Sink};

/// The verbatim source copies a site carries, by file name.
pub enum Sources<'a> {
    /// Held in memory (`atlas serve` compares them from build to build; bundles and tests).
    Memory(&'a BTreeMap<String, Vec<u8>>),
    /// Copied from where they were read (`atlas build`, which need not hold them once they
    /// are checked and modelled: 15 MB at a thousand measures).
    Disk(&'a BTreeMap<String, PathBuf>),
}

/// Writes the data files of `site` into `sink`; returns how many. `catalogue` names the
/// levels in the search index; `theme` is the theme directory.
pub(super) fn write(
    site: &Site,
    catalogue: &Catalogue,
    sources: &Sources,
    theme: &Path,
    sink: &dyn Sink,
) -> Result<usize> {
    let counted = Counted {
        sink,
        count: std::sync::atomic::AtomicUsize::new(0),
    };
    let t = Phase::start();
    // Each file is written and freed as soon as it is made: they are tens of megabytes at a
    // thousand measures. The first failure to write is the step's error, and stops it.
    let failed = std::cell::OnceCell::new();
    let level_words = |l: Level| {
        let key = ["level_", l.code()].concat();
        let word =
            |edition: &BTreeMap<String, String>| edition.get(&key).cloned().unwrap_or_default();
        (word(&catalogue.zh), word(&catalogue.en))
    };
    let built = crate::search::write(
        site,
        &level_words,
        &|| failed.get().is_none() && counted.wanted(),
        &mut |path, bytes| {
            if failed.get().is_none() {
                if let Err(e) = counted.put(&path, &bytes) {
                    let _ = failed.set(e);
                }
            }
        },
    );
    if let Some(e) = failed.into_inner() {
        return Err(e.into());
    }
    built.ok_or(Error::Superseded)?;
    t.done("search");
    let t = Phase::start();
    counted.put_written(Path::new("data/atlas.json"), &mut |w| {
        crate::export::json::write_dataset(site, w)
    })?;
    counted.put(
        Path::new("data/atlas.schema.json"),
        &crate::export::json::schema(),
    )?;
    counted.put(
        Path::new("compare/matrix.csv"),
        &crate::export::csv::matrix(site),
    )?;
    // One Akoma Ntoso document per measure, for legislation tools (export::akn). The editor is
    // named as the site is, in English, the name the atlas goes by in both editions' metadata.
    let editor = catalogue.en.get("site_name").map_or("", String::as_str);
    for m in &site.measures {
        let repealers = if m.status == crate::model::measure::Status::Repealed {
            m.repealed_by
                .iter()
                .filter_map(|r| site.measures.iter().find(|x| x.id == r.measure))
                .map(|x| &**x)
                .collect()
        } else {
            Vec::new()
        };
        let cx = crate::export::akn::Context { editor, repealers };
        counted.put(
            &PathBuf::from("data/akn").join(format!("{}.xml", m.id)),
            &crate::export::akn::act(m, &cx),
        )?;
    }
    t.done("exports");
    crate::render::assets(site, theme, &counted)?;
    // The verbatim copies travel with the site so a reader can check any sentence offline.
    match sources {
        Sources::Memory(copies) => {
            for (name, bytes) in copies.iter() {
                counted.put(&PathBuf::from("sources").join(name), bytes)?;
            }
        }
        Sources::Disk(paths) => {
            for (name, path) in paths.iter() {
                counted.put_copy(&PathBuf::from("sources").join(name), path)?;
            }
        }
    }
    Ok(counted.count.into_inner())
}

/// A sink that counts what passes through it.
struct Counted<'a> {
    sink: &'a dyn Sink,
    count: std::sync::atomic::AtomicUsize,
}

impl Sink for Counted<'_> {
    fn put(&self, rel: &Path, bytes: &[u8]) -> Result<(), RenderError> {
        self.count
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.sink.put(rel, bytes)
    }

    fn put_written(
        &self,
        rel: &Path,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), RenderError> {
        self.count
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.sink.put_written(rel, write)
    }

    fn put_copy(&self, rel: &Path, from: &Path) -> Result<(), RenderError> {
        self.count
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.sink.put_copy(rel, from)
    }

    fn wanted(&self) -> bool {
        self.sink.wanted()
    }
}

#[cfg(test)]
mod tests {
    use super::{write, Sources};
    use crate::render::{RenderError, Sink};
    use std::path::Path;

    /// A sink that fails to store its `fail_at`th file (counting from 1), and keeps the names
    /// of the files it was given.
    struct Failing {
        fail_at: usize,
        given: std::sync::Mutex<Vec<std::path::PathBuf>>,
    }

    impl Sink for Failing {
        fn put(&self, rel: &Path, _bytes: &[u8]) -> Result<(), RenderError> {
            let mut given = self.given.lock().unwrap();
            given.push(rel.to_path_buf());
            if given.len() == self.fail_at {
                return Err(RenderError(format!(
                    "{}: no space left on device",
                    rel.display()
                )));
            }
            Ok(())
        }
    }

    /// A file that cannot be written ends the data step with that file's error, and nothing
    /// is written after it.
    #[test]
    fn a_failed_write_stops_the_data_step() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (corpus, report) = crate::content::load(&dir.join("../content"));
        assert!(!report.has_errors());
        let site = crate::site::model(&corpus, time::macros::date!(2026 - 11 - 21));
        let theme = dir.join("../themes/default");
        let catalogue =
            crate::render::i18n::load(&theme, &mut crate::diagnostics::Report::default()).unwrap();
        let sources = Sources::Memory(&corpus.sources);
        let all = Failing {
            fail_at: 0,
            given: Default::default(),
        };
        let n = write(&site, &catalogue, &sources, &theme, &all).unwrap();
        let names = all.given.into_inner().unwrap();
        assert_eq!(n, names.len());
        let at = |name: &str| 1 + names.iter().position(|p| p == Path::new(name)).unwrap();
        // A search file, the dataset, a source copy: each failure is the step's error.
        for fail_at in [
            2,
            at("data/atlas.json"),
            at("sources/000_2e852e097c09fd9b.txt"),
        ] {
            let sink = Failing {
                fail_at,
                given: Default::default(),
            };
            let e = write(&site, &catalogue, &sources, &theme, &sink)
                .unwrap_err()
                .to_string();
            let given = sink.given.into_inner().unwrap();
            assert_eq!(given.len(), fail_at, "{e}");
            let failed = given[fail_at - 1].display().to_string();
            assert!(
                e.contains(&failed) && e.contains("no space left on device"),
                "{e}"
            );
        }
    }
}
