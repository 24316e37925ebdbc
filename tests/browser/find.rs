//! Where Chromium is: `$CHROMIUM`, Debian's `/usr/bin/chromium`, or `chromium` on the PATH.
//! Without dependencies, so that a test that only runs Chromium headless as a program
//! (`generator/tests/init.rs`) can include it too.

use std::path::{Path, PathBuf};

/// Finds the Chromium binary, or explains how to get one.
pub fn chromium_path() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("CHROMIUM").map(PathBuf::from) {
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!(
                "$CHROMIUM is set to {} but no such file exists",
                p.display()
            ))
        };
    }
    let fixed = Path::new("/usr/bin/chromium");
    if fixed.is_file() {
        return Ok(fixed.to_path_buf());
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let p = dir.join(name);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    Err("Chromium not found: the browser tests need it. Install it (Debian: `apt-get install -y chromium`) \
         or point $CHROMIUM at the binary."
        .into())
}
