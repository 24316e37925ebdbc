//! `atlas bundle`: the offline editions of a built site.
//!
//! - `jointlab-atlas-<date>.zip`: the site folder, for unzipping on an intranet; entries sorted
//!   and stamped with the status date so the same site gives the same bytes.
//! - `jointlab-atlas-<date>.html`: one self-contained file to mail as an attachment. Every page
//!   and asset is embedded; a small router (`router.js`) writes the requested page into the
//!   document and resolves links inside the file, so pages and their scripts stay unchanged.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};
use crate::render::Files;

/// Name stem of both editions for a status date.
pub fn stem(as_of: &str) -> String {
    format!("jointlab-atlas-{as_of}")
}

/// The zip edition: every file under a `jointlab-atlas-<date>/` folder.
pub fn zip(files: &Files, as_of: time::Date) -> Result<Vec<u8>> {
    let failed = |e: &dyn std::fmt::Display| Error::Output(format!("zip: {e}"));
    let folder = stem(&as_of.to_string());
    let stamp = zip::DateTime::from_date_and_time(
        as_of.year().clamp(1980, 2107) as u16,
        as_of.month() as u8,
        as_of.day(),
        0,
        0,
        0,
    )
    .map_err(|e| Error::Output(format!("zip timestamp: {e:?}")))?;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(stamp)
        .unix_permissions(0o644);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (path, bytes) in files {
        let name = format!("{folder}/{}", path.to_string_lossy().replace('\\', "/"));
        w.start_file(name, options).map_err(|e| failed(&e))?;
        w.write_all(bytes).map_err(|e| failed(&e))?;
    }
    Ok(w.finish().map_err(|e| failed(&e))?.into_inner())
}

/// JSON text safe inside a `<script>` element.
fn script_json(v: &serde_json::Value) -> String {
    // "</" would end the script element; "<!--" would start an HTML comment state.
    serde_json::to_string(v)
        .unwrap_or_default()
        .replace("</", "<\\/")
        .replace("<!--", "<\\!--")
}

/// The single-file edition.
pub fn single_file(files: &Files) -> String {
    let mut pages = serde_json::Map::new();
    let mut assets = serde_json::Map::new();
    for (path, bytes) in files {
        let key = path.to_string_lossy().replace('\\', "/");
        if key == crate::output::MARKER {
            continue;
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        if key.ends_with(".html") {
            pages.insert(key, serde_json::Value::String(text.to_string()));
        } else {
            assets.insert(key, serde_json::Value::String(text.to_string()));
        }
    }
    let data = serde_json::json!({ "pages": pages, "assets": assets, "start": "index.html" });
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-Hans\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'none'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'\">\n\
<title>JointLab Atlas · 国际联合实验室政策图谱</title>\n</head>\n<body>\n\
<noscript>This single-file edition needs JavaScript. 本单文件版需要启用 JavaScript；也可解压 zip 版直接浏览。</noscript>\n\
<script>window.ATLAS_SF = {data};\n</script>\n<script>\n{router}</script>\n</body>\n</html>\n",
        data = script_json(&data),
        router = include_str!("router.js"),
    )
}

/// Writes both editions into `dist`, replacing earlier files of the same date atomically.
pub fn write(
    dist: &Path,
    files: &Files,
    as_of: time::Date,
) -> Result<(std::path::PathBuf, std::path::PathBuf)> {
    std::fs::create_dir_all(dist).map_err(|e| Error::Io {
        path: dist.to_path_buf(),
        source: e,
    })?;
    let s = stem(&as_of.to_string());
    let zip_path = dist.join(format!("{s}.zip"));
    let html_path = dist.join(format!("{s}.html"));
    let zip_bytes = zip(files, as_of)?;
    let html = single_file(files);
    for (path, bytes) in [
        (&zip_path, zip_bytes.as_slice()),
        (&html_path, html.as_bytes()),
    ] {
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, bytes)
            .and_then(|()| std::fs::rename(&tmp, path))
            .map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                Error::Io {
                    path: path.to_path_buf(),
                    source: e,
                }
            })?;
    }
    Ok((zip_path, html_path))
}
