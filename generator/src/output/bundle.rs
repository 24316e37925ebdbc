//! `atlas bundle`: the offline editions of a built site.
//!
//! - `jointlab-atlas-<date>.zip`: the site folder, for unzipping on an intranet; entries sorted
//!   and stamped with the status date so the same site gives the same bytes.
//! - `jointlab-atlas-<date>.html`: one self-contained file to mail as an attachment. Every file
//!   of the site is carried inside it, compressed; a small router (`router.js`) inflates the
//!   requested page and the assets it names with the browser's `DecompressionStream`, writes the
//!   page into the document and resolves links inside the file, so pages and their scripts stay
//!   unchanged.
//!
//! How the single file stays about as small as the zip:
//! - Files are deflated together in *streams* of neighbouring files (same folder, sorted), at
//!   most [`STREAM_CAP`] bytes before compression each: small similar files (comparison pages,
//!   search chunks, calculator scripts) share one window, which the zip's per-file deflate cannot;
//!   a page opens by inflating one stream only. Identical files are stored once.
//! - The compressed bytes go into the file as they are, not in base64 (which costs 4/3). The
//!   document is declared `windows-1252`, a one-byte encoding in which every byte is a character
//!   (the router maps the 27 that become other code points back), and the few bytes the HTML
//!   parser would change or that could end the element are escaped, yEnc-like: NUL, LF, CR, `<`
//!   and the escape `=` itself become `=` followed by the byte + 64 (about 2 % for deflated
//!   data). A line break after every [`LINE`] characters keeps lines short for mail and editors;
//!   the router skips line breaks, so a transport that turns LF into CRLF changes nothing (the
//!   parser turns CRLF back into LF).
//! - Everything else in the file is ASCII (non-ASCII text as character references or `\u`
//!   escapes), so the declared encoding cannot change what it says.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

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

/// Most bytes (before compression) of files deflated together in one stream. Opening a page
/// inflates its whole stream: 256 KiB take a few milliseconds, and larger streams gained ~2 %
/// at 100 measures (a page of a measure is larger than deflate's 32 KiB window, so only small
/// files gain from sharing a stream).
pub const STREAM_CAP: usize = 256 * 1024;

/// Characters of payload per line of the single file.
pub const LINE: usize = 1000;

/// The escape byte of the payload.
pub const ESC: u8 = b'=';

/// Whether the payload escapes `b`: bytes the HTML parser changes in a script element (NUL
/// becomes U+FFFD, CR becomes LF), LF (line breaks are the file's own), `<` (which could end
/// the element or open a comment) and the escape itself.
fn escaped(b: u8) -> bool {
    matches!(b, 0 | b'\n' | b'\r' | b'<' | ESC)
}

/// Where one file of the site is: its stream, and its offset and length once inflated.
#[derive(Clone, Copy)]
struct Place {
    stream: usize,
    offset: usize,
    len: usize,
}

/// The site's files as the single file stores them.
struct Packed<'a> {
    /// Paths (with `/`) and where each file's bytes are; identical files share a place.
    files: Vec<(String, Place)>,
    /// The files of each stream, in order.
    streams: Vec<Vec<&'a [u8]>>,
}

/// Groups the site's files into streams: in path order, a new stream when the folder changes
/// or the stream would pass [`STREAM_CAP`]; a file whose bytes were already stored is not stored
/// again.
fn pack(files: &Files) -> Packed<'_> {
    let mut out = Packed {
        files: Vec::new(),
        streams: Vec::new(),
    };
    let mut seen: HashMap<&[u8], Place> = HashMap::new();
    let (mut folder, mut size) = (None::<&Path>, 0usize);
    for (path, bytes) in files {
        let key = path.to_string_lossy().replace('\\', "/");
        if key == crate::output::MARKER {
            continue;
        }
        let place = match seen.get(bytes.as_slice()) {
            Some(p) => *p,
            None => {
                let parent = path.parent();
                if out.streams.is_empty()
                    || folder != parent
                    || (size > 0 && size + bytes.len() > STREAM_CAP)
                {
                    out.streams.push(Vec::new());
                    folder = parent;
                    size = 0;
                }
                let p = Place {
                    stream: out.streams.len() - 1,
                    offset: size,
                    len: bytes.len(),
                };
                out.streams.last_mut().expect("a stream").push(bytes);
                size += bytes.len();
                seen.insert(bytes, p);
                p
            }
        };
        out.files.push((key, place));
    }
    out
}

/// One stream's files deflated together (zlib format, which `DecompressionStream("deflate")`
/// reads in every browser that has it).
fn deflate(parts: &[&[u8]]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    for p in parts {
        z.write_all(p).expect("writing to memory");
    }
    z.finish().expect("writing to memory")
}

/// Appends `bytes` escaped to `out`, breaking lines after [`LINE`] characters (`col` is the
/// current line's length). An escape and its byte stay on one line.
fn escape_into(out: &mut Vec<u8>, col: &mut usize, bytes: &[u8]) {
    for &b in bytes {
        if *col >= LINE {
            out.push(b'\n');
            *col = 0;
        }
        if escaped(b) {
            out.push(ESC);
            out.push(b + 64);
            *col += 2;
        } else {
            out.push(b);
            *col += 1;
        }
    }
}

/// Text as ASCII HTML: every other character as a numeric character reference.
fn ascii_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("&#x{:X};", c as u32));
        }
    }
    out
}

/// JSON text as ASCII that is safe inside a `<script>` element: every non-ASCII character and
/// every `<` as a `\u` escape (so nothing can end the element or open a comment).
fn ascii_json(v: &serde_json::Value) -> String {
    let text = serde_json::to_string(v).unwrap_or_default();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() && c != '<' {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        }
    }
    out
}

/// Messages the file shows before (or instead of) a page, in both languages.
const OPENING: &str =
    "正在打开 JointLab Atlas 单文件版… · Opening the JointLab Atlas single-file edition…";
const UNSUPPORTED_ZH: &str = "此浏览器无法打开本单文件版：它缺少解压所需的 DecompressionStream 功能。请改用较新的浏览器（Chrome 或 Edge 80 及以上、Firefox 113 及以上、Safari 16.4 及以上），或解压同时发布的 zip 版，直接打开其中的 index.html。";
const UNSUPPORTED_EN: &str = "This browser cannot open the single-file edition: it lacks DecompressionStream, which the file needs to unpack its pages. Please use a current browser (Chrome or Edge 80 or later, Firefox 113 or later, Safari 16.4 or later), or unzip the zip edition published with it and open its index.html.";
const BROKEN_ZH: &str = "本单文件版已损坏，无法读出所需页面。请重新获取此文件，或改用 zip 版。";
const BROKEN_EN: &str = "This single-file edition is damaged: a page could not be read from it. Please obtain the file again, or use the zip edition.";
const NOSCRIPT: &str = "This single-file edition needs JavaScript. 本单文件版需要启用 JavaScript；也可解压 zip 版直接浏览。";

/// The single-file edition: an HTML document in `windows-1252` (see the module's notes).
pub fn single_file(files: &Files) -> Vec<u8> {
    let packed = pack(files);
    let compressed: Vec<Vec<u8>> = packed.streams.par_iter().map(|s| deflate(s)).collect();
    let mut payload =
        Vec::with_capacity(compressed.iter().map(Vec::len).sum::<usize>() * 103 / 100);
    let mut col = 0;
    let mut ranges = Vec::with_capacity(compressed.len());
    for c in &compressed {
        let start = payload.len();
        escape_into(&mut payload, &mut col, c);
        ranges.push(serde_json::json!([start, payload.len()]));
    }
    let index = serde_json::json!({
        "start": "index.html",
        // [start, end) of each stream in the payload's text.
        "streams": ranges,
        // [path, stream, offset, length]: where each file is once its stream is inflated.
        "files": packed.files.iter().map(|(k, p)| serde_json::json!([k, p.stream, p.offset, p.len])).collect::<Vec<_>>(),
    });
    let head = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-Hans\">\n<head>\n<meta charset=\"windows-1252\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'none'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'\">\n\
<title>{title}</title>\n\
<style>body{{font:16px/1.6 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}}</style>\n\
</head>\n<body>\n\
<noscript>{noscript}</noscript>\n\
<p id=\"sf-opening\">{opening}</p>\n\
<div id=\"sf-unsupported\" hidden><p lang=\"zh-Hans\">{unsupported_zh}</p><p lang=\"en\">{unsupported_en}</p></div>\n\
<div id=\"sf-broken\" hidden><p lang=\"zh-Hans\">{broken_zh}</p><p lang=\"en\">{broken_en}</p></div>\n\
<script type=\"application/json\" id=\"sf-index\">{index}</script>\n\
<script type=\"application/octet-stream\" id=\"sf-data\">",
        title = ascii_html("JointLab Atlas · 国际联合实验室政策图谱"),
        noscript = ascii_html(NOSCRIPT),
        opening = ascii_html(OPENING),
        unsupported_zh = ascii_html(UNSUPPORTED_ZH),
        unsupported_en = ascii_html(UNSUPPORTED_EN),
        broken_zh = ascii_html(BROKEN_ZH),
        broken_en = ascii_html(BROKEN_EN),
        index = ascii_json(&index),
    );
    let tail = format!(
        "</script>\n<script>\n{router}</script>\n</body>\n</html>\n",
        router = include_str!("router.js"),
    );
    let mut out = Vec::with_capacity(head.len() + payload.len() + tail.len());
    out.extend_from_slice(head.as_bytes());
    out.extend_from_slice(&payload);
    out.extend_from_slice(tail.as_bytes());
    out
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
        (&html_path, html.as_slice()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// The escaping undone as the router undoes it.
    fn unescape(text: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut it = text.iter();
        while let Some(&c) = it.next() {
            match c {
                b'\n' | b'\r' => {}
                ESC => out.push(it.next().unwrap() - 64),
                _ => out.push(c),
            }
        }
        out
    }

    #[test]
    fn every_byte_survives_the_escaping() {
        let bytes: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
        let (mut text, mut col) = (Vec::new(), 0);
        escape_into(&mut text, &mut col, &bytes);
        assert_eq!(unescape(&text), bytes);
        // 5 of 256 byte values take two characters; one line break per LINE characters.
        let escapes = bytes.iter().filter(|&&b| escaped(b)).count();
        assert_eq!(escapes, 5000 / 256 * 5 + 5); // 19 full cycles and 136 bytes with all five
        let breaks = text.iter().filter(|&&b| b == b'\n').count();
        assert_eq!(text.len(), 5000 + escapes + breaks);
        assert_eq!(breaks, (5000 + escapes) / LINE);
        assert!(!text.iter().any(|&b| matches!(b, 0 | b'\r' | b'<')));
        assert!(text.split(|&b| b == b'\n').all(|l| l.len() <= LINE + 1));
    }

    #[test]
    fn identical_files_are_stored_once() {
        let mut files = Files::new();
        files.insert(PathBuf::from("a/x.html"), b"same".to_vec());
        files.insert(PathBuf::from("b/y.html"), b"same".to_vec());
        files.insert(PathBuf::from("b/z.html"), b"other".to_vec());
        files.insert(PathBuf::from(crate::output::MARKER), b"".to_vec());
        let p = pack(&files);
        let names: Vec<&str> = p.files.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["a/x.html", "b/y.html", "b/z.html"]);
        let (x, y, z) = (p.files[0].1, p.files[1].1, p.files[2].1);
        assert_eq!((x.stream, x.offset, x.len), (y.stream, y.offset, y.len));
        // z is the first new file of folder b/: a stream of its own.
        assert_eq!((z.stream, z.offset, z.len), (1, 0, 5));
        assert_eq!(p.streams, [vec![&b"same"[..]], vec![&b"other"[..]]]);
    }

    #[test]
    fn streams_stop_at_the_cap() {
        let mut files = Files::new();
        for i in 0..5 {
            files.insert(
                PathBuf::from(format!("m/{i}.html")),
                vec![b'a' + i; STREAM_CAP / 2],
            );
        }
        let p = pack(&files);
        let streams: Vec<usize> = p.files.iter().map(|(_, pl)| pl.stream).collect();
        assert_eq!(streams, [0, 0, 1, 1, 2]);
    }

    #[test]
    fn the_router_is_ascii() {
        // The file is windows-1252: anything else would be read as other characters.
        let router = include_str!("router.js");
        let line = router.lines().position(|l| !l.is_ascii());
        assert_eq!(
            line,
            None,
            "router.js line {:?} is not ASCII",
            line.map(|l| l + 1)
        );
    }
}
