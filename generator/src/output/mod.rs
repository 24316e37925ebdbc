//! Writing the site: everything goes into a temporary directory beside the output, which then
//! replaces the previous site in one rename. A failed build leaves the previous site untouched.

pub mod bundle;

use std::io;
use std::path::{Path, PathBuf};

use std::collections::HashSet;
use std::sync::Mutex;

use crate::render::{Files, RenderError, Sink};

/// Name of the marker file that identifies a directory written by atlas.
pub const MARKER: &str = ".atlas-site";

/// Writes `files` to `out`, replacing a previous atlas site there.
pub fn write_site(out: &Path, files: &Files) -> Result<(), String> {
    write_site_with(out, |sink| {
        for (rel, bytes) in files {
            sink.put(rel, bytes).map_err(|e| e.0)?;
        }
        Ok(())
    })
}

/// Replaces the site at `out` with what `fill` writes into the sink it is given: a new
/// directory beside `out` that is renamed over it only when `fill` succeeds, so files are
/// written as they are rendered and a failed build leaves the previous site untouched.
pub fn write_site_with<T>(
    out: &Path,
    fill: impl FnOnce(&DirSink) -> Result<T, String>,
) -> Result<T, String> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty() && n != "..")
        .ok_or_else(|| format!("{}: not a usable output directory name", out.display()))?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if out.exists() {
        if !out.is_dir() {
            return Err(format!(
                "{}: exists and is not a directory; nothing was written",
                out.display()
            ));
        }
        let is_site = out.join(MARKER).is_file();
        let empty = std::fs::read_dir(out)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !is_site && !empty {
            return Err(format!(
                "{}: exists and was not written by atlas (no {MARKER} file); refusing to replace it. Choose another --out or remove the directory",
                out.display()
            ));
        }
    }
    std::fs::create_dir_all(&parent).map_err(|e| {
        format!(
            "{}: cannot create output parent directory: {e}",
            parent.display()
        )
    })?;
    recover_interrupted(&parent, &name, out);
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let result = DirSink::create(&tmp)
        .map_err(|e| e.to_string())
        .and_then(|sink| fill(&sink))
        .and_then(|value| {
            swap(out, &tmp, &old).map_err(|e| e.to_string())?;
            Ok(value)
        });
    match result {
        Ok(value) => {
            // The new site is in place; deleting the previous one can be slow on disks that
            // discard freed blocks, so it is timed on its own.
            let t = crate::cli::Phase::start();
            remove_tree(&old);
            t.done("cleanup");
            Ok(value)
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            Err(format!(
                "cannot write the site to {}: {e}; the previous site (if any) is untouched",
                out.display()
            ))
        }
    }
}

/// Removes the directory tree at `dir` (a previous site): its files on every core, as unlinking
/// tens of thousands of files is slow on disks that discard freed blocks, then what is left.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.par_iter().for_each(|f| {
        let _ = std::fs::remove_file(f);
    });
    let _ = std::fs::remove_dir_all(dir);
}

/// Cleans up after a build that was killed: removes the temporary and previous-site directories
/// of atlas processes that no longer run, and puts a previous site back if the build died
/// between moving it aside and moving the new one in. Directories of running builds are left
/// alone. Only where process ids can be checked (`/proc`); elsewhere nothing is touched.
fn recover_interrupted(parent: &Path, name: &str, out: &Path) {
    let proc_fs = Path::new("/proc/self");
    if !proc_fs.exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let mut stale: Vec<(bool, PathBuf)> = Vec::new();
    for e in entries.filter_map(Result::ok) {
        let file = e.file_name().to_string_lossy().into_owned();
        for (is_old, prefix) in [
            (false, format!(".{name}.tmp-")),
            (true, format!(".{name}.old-")),
        ] {
            let Some(pid) = file.strip_prefix(&prefix) else {
                continue;
            };
            let alive = pid.parse::<u32>().map_or(true, |p| {
                p == std::process::id() || Path::new("/proc").join(p.to_string()).exists()
            });
            if !alive {
                stale.push((is_old, e.path()));
            }
        }
    }
    stale.sort();
    for (is_old, dir) in stale {
        if is_old && !out.exists() && dir.join(MARKER).is_file() {
            let _ = std::fs::rename(&dir, out);
        } else {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

/// A [`Sink`] writing each file into a directory as soon as it is rendered.
pub struct DirSink {
    root: PathBuf,
    /// Directories already created, so each is created once.
    made: Mutex<HashSet<PathBuf>>,
}

impl DirSink {
    /// Creates `root` with the marker file that lets a later build replace it.
    pub fn create(root: &Path) -> io::Result<DirSink> {
        std::fs::create_dir_all(root).map_err(|e| at(root, e))?;
        std::fs::write(
            root.join(MARKER),
            b"This directory is written by `atlas build`; it is replaced whole on every build.\n",
        )
        .map_err(|e| at(&root.join(MARKER), e))?;
        Ok(DirSink {
            root: root.to_path_buf(),
            made: Mutex::new(HashSet::new()),
        })
    }

    fn write(&self, rel: &Path, bytes: &[u8]) -> io::Result<()> {
        // Ids are checked to be safe slugs; this keeps any other path inside the site too.
        if !rel
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{}: refusing to write outside the site", rel.display()),
            ));
        }
        let path = self.root.join(rel);
        if let Some(p) = path.parent() {
            // Created under the lock, so no thread writes into a directory another has only
            // promised to create.
            let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
            if !made.contains(p) {
                std::fs::create_dir_all(p).map_err(|e| at(p, e))?;
                made.insert(p.to_path_buf());
            }
        }
        std::fs::write(&path, bytes).map_err(|e| at(&path, e))
    }
}

impl Sink for DirSink {
    fn put(&self, rel: &Path, bytes: &[u8]) -> Result<(), RenderError> {
        self.write(rel, bytes)
            .map_err(|e| RenderError(e.to_string()))
    }
}

/// An I/O error that names the file it happened on.
fn at(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

fn swap(out: &Path, tmp: &Path, old: &Path) -> io::Result<()> {
    if out.exists() {
        std::fs::rename(out, old)?;
        if let Err(e) = std::fs::rename(tmp, out) {
            // Put the previous site back before reporting.
            let _ = std::fs::rename(old, out);
            return Err(e);
        }
    } else {
        std::fs::rename(tmp, out)?;
    }
    Ok(())
}
