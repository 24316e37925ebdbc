//! Writing the site: everything goes into a temporary directory beside the output, which then
//! replaces the previous site in one rename, so a failed build leaves the previous site
//! untouched; and the offline [`bundle`]s. Imports render's file types and the error type.

pub mod bundle;

use std::io;
use std::path::{Path, PathBuf};

use std::collections::HashSet;
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::render::{Files, RenderError, Sink};

/// Name of the marker file that identifies a directory written by atlas.
pub const MARKER: &str = ".atlas-site";

/// Writes `files` to `out`, replacing a previous atlas site there.
pub fn write_site(out: &Path, files: &Files) -> Result<()> {
    write_site_with(out, |sink| {
        for (rel, bytes) in files {
            sink.put(rel, bytes)?;
        }
        Ok(())
    })
}

/// Replaces the site at `out` with what `fill` writes into the sink it is given: a new
/// directory beside `out` that is renamed over it only when `fill` succeeds, so files are
/// written as they are rendered and a failed build leaves the previous site untouched.
pub fn write_site_with<T>(out: &Path, fill: impl FnOnce(&DirSink) -> Result<T>) -> Result<T> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty() && n != "..")
        .ok_or_else(|| {
            Error::Output(format!(
                "{}: not a usable output directory name",
                out.display()
            ))
        })?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if out.exists() {
        if !out.is_dir() {
            return Err(Error::Output(format!(
                "{}: exists and is not a directory",
                out.display()
            )));
        }
        let is_site = out.join(MARKER).is_file();
        let empty = std::fs::read_dir(out)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !is_site && !empty {
            return Err(Error::Output(format!(
                "{}: exists and was not written by atlas (no {MARKER} file); refusing to replace it. Choose another --out or remove the directory",
                out.display()
            )));
        }
    }
    std::fs::create_dir_all(&parent).map_err(|e| {
        Error::Output(format!(
            "{}: cannot create output parent directory: {e}",
            parent.display()
        ))
    })?;
    recover_interrupted(&parent, &name, out);
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    // The previous site's files are linked into the new one where the bytes are the same.
    let previous = out.join(MARKER).is_file().then(|| out.to_path_buf());
    let result = DirSink::create(&tmp)
        .map(|sink| sink.linking_from(previous))
        .map_err(|e| Error::Output(e.to_string()))
        .and_then(|sink| fill(&sink))
        .and_then(|value| {
            swap(out, &tmp, &old).map_err(|e| Error::Output(e.to_string()))?;
            Ok(value)
        });
    match result {
        Ok(value) => {
            remove_tree(&old);
            Ok(value)
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            Err(Error::Output(format!(
                "cannot write the site to {}: {e}; the previous site (if any) is untouched",
                out.display()
            )))
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
    /// The site this one replaces: a file whose bytes are those of its file at the same path
    /// is linked to it instead of written again (see [`DirSink::linking_from`]).
    previous: Option<PathBuf>,
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
            previous: None,
        })
    }

    /// Links into this site each file whose bytes are those of the file at the same path in
    /// `previous` (the site it replaces), instead of writing it again. A rebuild mostly writes
    /// what is there already, and on disks like this project's machine the kernel's writing
    /// and freeing of those bytes (hundreds of megabytes) is much of a build's time; a link
    /// costs a read of the old file, which a recent build left in the page cache. Where links
    /// cannot be made (some file systems), files are written.
    pub fn linking_from(mut self, previous: Option<PathBuf>) -> DirSink {
        self.previous = previous;
        self
    }

    /// Links `path` to the previous site's file at `rel` when that file holds exactly `bytes`;
    /// whether it did.
    fn link_same(&self, rel: &Path, path: &Path, bytes: &[u8]) -> bool {
        let Some(previous) = &self.previous else {
            return false;
        };
        let old = previous.join(rel);
        match std::fs::symlink_metadata(&old) {
            Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {}
            _ => return false,
        }
        same_bytes(&old, bytes).unwrap_or(false) && std::fs::hard_link(&old, path).is_ok()
    }

    /// Where `rel` goes, its directory made.
    fn path(&self, rel: &Path) -> io::Result<PathBuf> {
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
        Ok(path)
    }
}

impl Sink for DirSink {
    fn put(&self, rel: &Path, bytes: &[u8]) -> Result<(), RenderError> {
        let path = self.path(rel).map_err(failed)?;
        if self.link_same(rel, &path, bytes) {
            return Ok(());
        }
        std::fs::write(&path, bytes).map_err(|e| failed(at(&path, e)))
    }

    fn put_written(
        &self,
        rel: &Path,
        write: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    ) -> Result<(), RenderError> {
        use io::Write;
        let path = self.path(rel).map_err(failed)?;
        let file = std::fs::File::create(&path).map_err(|e| failed(at(&path, e)))?;
        // serde_json writes a token at a time.
        let mut w = io::BufWriter::with_capacity(1 << 16, file);
        write(&mut w)
            .and_then(|()| w.flush())
            .map_err(|e| failed(at(&path, e)))
    }

    fn put_copy(&self, rel: &Path, from: &Path) -> Result<(), RenderError> {
        if self.previous.is_some() {
            // Compared with the previous site's copy, as any file is.
            let bytes = std::fs::read(from).map_err(|e| failed(at(from, e)))?;
            return self.put(rel, &bytes);
        }
        let path = self.path(rel).map_err(failed)?;
        std::fs::copy(from, &path)
            .map(drop)
            .map_err(|e| failed(at(from, e)))
    }
}

/// Whether the file at `path` holds exactly `bytes` (read a block at a time).
fn same_bytes(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    use io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut block = [0u8; 16 * 1024];
    let mut rest = bytes;
    loop {
        let n = file.read(&mut block)?;
        if n == 0 {
            return Ok(rest.is_empty());
        }
        if n > rest.len() || block[..n] != rest[..n] {
            return Ok(false);
        }
        rest = &rest[n..];
    }
}

fn failed(e: io::Error) -> RenderError {
    RenderError(e.to_string())
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What a sink stores, whichever way it is handed the file: bytes, a writer or a copy.
    #[test]
    fn a_dir_sink_stores_written_and_copied_files_as_given() {
        let dir = tempfile::tempdir().unwrap();
        let sink = DirSink::create(&dir.path().join("site")).unwrap();
        // Longer than the writer's buffer, in small writes, as serde_json writes.
        let line = "第十九条　经费「5000.00」万元\n";
        sink.put_written(Path::new("data/big.json"), &mut |w| {
            for _ in 0..10_000 {
                w.write_all(line.as_bytes())?;
            }
            Ok(())
        })
        .unwrap();
        let written = std::fs::read_to_string(dir.path().join("site/data/big.json")).unwrap();
        assert_eq!(written.len(), line.len() * 10_000);
        assert!(written.lines().all(|l| l == line.trim_end()));

        let from = dir.path().join("source.txt");
        std::fs::write(&from, "第一条　为规范管理，制定本办法。").unwrap();
        sink.put_copy(Path::new("sources/a.txt"), &from).unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("site/sources/a.txt")).unwrap(),
            std::fs::read(&from).unwrap()
        );

        // A writer's error is the put's error, naming the file.
        let e = sink
            .put_written(Path::new("data/x.json"), &mut |_| {
                Err(io::Error::other("disk full"))
            })
            .unwrap_err();
        assert!(
            e.0.contains("x.json") && e.0.contains("disk full"),
            "{}",
            e.0
        );
        // A missing source copy names the file it could not read.
        let e = sink
            .put_copy(Path::new("sources/b.txt"), &dir.path().join("gone.txt"))
            .unwrap_err();
        assert!(e.0.contains("gone.txt"), "{}", e.0);
        // No way of storing a file escapes the site.
        assert!(sink
            .put_written(Path::new("../out.json"), &mut |_| Ok(()))
            .is_err());
        assert!(sink.put_copy(Path::new("../out.txt"), &from).is_err());
        assert!(!dir.path().join("out.json").exists() && !dir.path().join("out.txt").exists());
    }

    /// Replacing a site links each file whose bytes are unchanged to the previous site's file
    /// and writes the others (a file of the same length but other bytes included); the new
    /// site holds exactly what was given, and so does a source copy stored by `put_copy`.
    #[test]
    fn a_rebuild_links_the_files_the_previous_site_has_already() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let mut files = Files::new();
        files.insert("index.html".into(), "第一条　同".as_bytes().to_vec());
        files.insert("measures/a.html".into(), b"old".to_vec());
        write_site(&out, &files).unwrap();
        #[cfg(unix)]
        let inode = |rel: &str| {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(out.join(rel)).unwrap().ino()
        };
        #[cfg(unix)]
        let before = (inode("index.html"), inode("measures/a.html"));

        files.insert("measures/a.html".into(), b"new".to_vec());
        files.insert("measures/b.html".into(), b"added".to_vec());
        write_site(&out, &files).unwrap();
        for (rel, bytes) in &files {
            assert_eq!(
                &std::fs::read(out.join(rel)).unwrap(),
                bytes,
                "{}",
                rel.display()
            );
        }
        #[cfg(unix)]
        {
            assert_eq!(inode("index.html"), before.0, "unchanged: linked");
            assert_ne!(
                inode("measures/a.html"),
                before.1,
                "same length, other bytes: written"
            );
        }

        // A copy: linked when the previous site's copy has its bytes, else copied.
        let from = dir.path().join("source.txt");
        std::fs::write(&from, "第一条　同").unwrap();
        let sink = DirSink::create(&dir.path().join("next"))
            .unwrap()
            .linking_from(Some(out.clone()));
        sink.put_copy(Path::new("index.html"), &from).unwrap();
        sink.put_copy(Path::new("measures/a.html"), &from).unwrap();
        for rel in ["index.html", "measures/a.html"] {
            assert_eq!(
                std::fs::read(dir.path().join("next").join(rel)).unwrap(),
                "第一条　同".as_bytes()
            );
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let next = |rel: &str| {
                std::fs::metadata(dir.path().join("next").join(rel))
                    .unwrap()
                    .ino()
            };
            assert_eq!(next("index.html"), inode("index.html"));
            assert_ne!(next("measures/a.html"), inode("measures/a.html"));
        }
    }

    /// The default ways (a sink in memory) store the same bytes.
    #[test]
    fn a_memory_sink_stores_written_and_copied_files_as_given() {
        let dir = tempfile::tempdir().unwrap();
        let from = dir.path().join("source.txt");
        std::fs::write(&from, "第二条　本办法所称国际联合实验室。").unwrap();
        let sink = crate::render::Memory::default();
        sink.put_written(Path::new("a.json"), &mut |w| w.write_all(b"{\"v\":1}"))
            .unwrap();
        sink.put_copy(Path::new("sources/s.txt"), &from).unwrap();
        let files = sink.into_files();
        assert_eq!(files[Path::new("a.json")], b"{\"v\":1}");
        assert_eq!(
            files[Path::new("sources/s.txt")],
            std::fs::read(&from).unwrap()
        );
    }
}
