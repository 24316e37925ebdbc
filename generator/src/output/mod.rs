//! Writing the site: everything goes into a temporary directory beside the output, which then
//! replaces the previous site in one rename. A failed build leaves the previous site untouched.

pub mod bundle;

use std::io;
use std::path::{Path, PathBuf};

use crate::render::Files;

/// Name of the marker file that identifies a directory written by atlas.
pub const MARKER: &str = ".atlas-site";

/// Writes `files` to `out`, replacing a previous atlas site there.
pub fn write_site(out: &Path, files: &Files) -> Result<(), String> {
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
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let result = write_all(&tmp, files).and_then(|()| swap(out, &tmp, &old));
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(format!(
            "cannot write the site to {}: {e}; the previous site (if any) is untouched",
            out.display()
        ));
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

fn write_all(dir: &Path, files: &Files) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(
        dir.join(MARKER),
        b"This directory is written by `atlas build`; it is replaced whole on every build.\n",
    )?;
    let mut made = std::collections::BTreeSet::new();
    for (rel, bytes) in files {
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            if made.insert(p.to_path_buf()) {
                std::fs::create_dir_all(p)?;
            }
        }
        std::fs::write(&path, bytes)?;
    }
    Ok(())
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
