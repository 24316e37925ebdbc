//! The transcription must carry the source copy's text, every sentence, nothing more.
//!
//! The measure is turned back into one text stream in document order and compared with the
//! source after folding white space and full/half width. Errata of kind `artefact` put their
//! residue (a bookmark, a list marker) back where the copy has it, so the comparison is exact.

use std::ops::Range;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::content::measure::{Article, Clause, Item, MeasureFile};
use crate::content::Loaded;
use crate::diagnostics::{Diagnostic, Report};
use crate::model::units::{clause_number, item_number, para_anchor};
use crate::text::fold_char;

/// A piece of the reconstructed text and where it comes from in the TOML file.
struct Segment {
    text: String,
    anchor: String,
    span: Range<usize>,
}

struct Stream<'a> {
    m: &'a MeasureFile,
    segs: Vec<Segment>,
}

impl Stream<'_> {
    fn push(&mut self, anchor: &str, text: &str, span: Range<usize>) {
        for e in &self.m.errata {
            if e.target.get_ref() == anchor
                && e.kind.get_ref() == "artefact"
                && self.segs.last().is_none_or(|s| s.anchor != anchor)
            {
                if let Some(a) = &e.artefact {
                    self.segs.push(Segment {
                        text: a.clone(),
                        anchor: format!("{anchor} (artefact)"),
                        span: e.target.span(),
                    });
                }
            }
        }
        self.segs.push(Segment {
            text: text.to_string(),
            anchor: anchor.to_string(),
            span,
        });
    }
}

/// The measure's text stream in document order.
fn reconstruct(m: &MeasureFile) -> Vec<Segment> {
    let mut s = Stream {
        m,
        segs: Vec::new(),
    };
    for (i, b) in m.front.iter().enumerate() {
        s.push(&format!("front-{}", i + 1), b.text.get_ref(), b.text.span());
    }
    let mut chapter = None;
    for a in &m.articles {
        if let Some(c) = &a.chapter {
            if chapter != Some(*c.get_ref()) {
                chapter = Some(*c.get_ref());
                if let Some(ch) = m
                    .chapters
                    .iter()
                    .find(|ch| ch.number.get_ref() == c.get_ref())
                {
                    let anchor = format!("ch-{}", ch.number.get_ref());
                    s.push(
                        &anchor,
                        &format!("{}{}", ch.label, ch.title),
                        ch.number.span(),
                    );
                }
            }
        }
        article(&mut s, a, "art");
    }
    for a in &m.sections {
        article(&mut s, a, "sec");
    }
    for (i, b) in m.back.iter().enumerate() {
        s.push(&format!("back-{}", i + 1), b.text.get_ref(), b.text.span());
    }
    if let Some(x) = &m.annex {
        let sp = 0..0;
        s.push("annex", &format!("{}{}", x.label, x.title), sp.clone());
        for f in &x.cover_fields {
            s.push("annex", &format!("{}{}", f.label, f.blank), sp.clone());
        }
        for l in &x.cover_lines {
            s.push("annex", l, sp.clone());
        }
        if let Some(ins) = &x.instructions {
            s.push("annex", &ins.title, sp.clone());
            for it in &ins.items {
                s.push(
                    "annex",
                    &format!("{}{}", it.label.get_ref(), it.text.get_ref()),
                    it.text.span(),
                );
            }
        }
        if let Some(form) = &x.form {
            s.push("annex", &form.title, sp.clone());
            let (mut group, mut sub): (Option<&str>, Option<&str>) = (None, None);
            for f in &form.fields {
                let mut t = String::new();
                if group != Some(f.group.as_str()) {
                    t.push_str(&f.group);
                    group = Some(&f.group);
                    sub = None;
                }
                if let Some(sg) = &f.subgroup {
                    if sub != Some(sg.as_str()) {
                        t.push_str(sg);
                        sub = Some(sg);
                    }
                }
                t.push_str(&f.label);
                for o in &f.options {
                    t.push_str(f.checkbox_marker.as_deref().unwrap_or(""));
                    t.push_str(o);
                }
                if let Some(l) = &f.limit_text {
                    t.push_str(l);
                }
                s.push("annex", &t, sp.clone());
            }
        }
        for sec in &x.sections {
            s.push("annex", &format!("{}{}", sec.label, sec.title), sp.clone());
            for g in &sec.guidance {
                s.push("annex", g, sp.clone());
            }
            for sub in &sec.subs {
                s.push("annex", &format!("{}{}", sub.label, sub.title), sp.clone());
                for g in &sub.guidance {
                    s.push("annex", g, sp.clone());
                }
            }
        }
    }
    for (i, b) in m.closing.iter().enumerate() {
        s.push(
            &format!("closing-{}", i + 1),
            b.text.get_ref(),
            b.text.span(),
        );
    }
    s.segs
}

fn article(s: &mut Stream, a: &Article, prefix: &str) {
    let base = format!("{prefix}-{}", a.number.get_ref());
    let mut head = a.label.get_ref().clone();
    if let Some(h) = &a.heading {
        head.push_str(h);
    }
    s.push(&base, &head, a.label.span());
    s.push(&base, a.text.get_ref(), a.text.span());
    list(s, &base, &a.clauses, &a.items);
    for (i, p) in a.paras.iter().enumerate() {
        let pa = para_anchor(&base, i as u32 + 2);
        s.push(&pa, p.text.get_ref(), p.text.span());
        list(s, &pa, &p.clauses, &p.items);
    }
}

fn list(s: &mut Stream, base: &str, clauses: &[Clause], items: &[Item]) {
    for (ci, c) in clauses.iter().enumerate() {
        let ca = format!(
            "{base}-{}",
            clause_number(c.label.get_ref()).unwrap_or(ci as u32 + 1)
        );
        s.push(
            &ca,
            &format!("{}{}", c.label.get_ref(), c.text.get_ref()),
            c.text.span(),
        );
        for (ii, it) in c.items.iter().enumerate() {
            let ia = format!(
                "{ca}-{}",
                item_number(it.label.get_ref()).unwrap_or(ii as u32 + 1)
            );
            s.push(
                &ia,
                &format!("{}{}", it.label.get_ref(), it.text.get_ref()),
                it.text.span(),
            );
        }
    }
    for (ii, it) in items.iter().enumerate() {
        let ia = format!(
            "{base}-i{}",
            item_number(it.label.get_ref()).unwrap_or(ii as u32 + 1)
        );
        s.push(
            &ia,
            &format!("{}{}", it.label.get_ref(), it.text.get_ref()),
            it.text.span(),
        );
    }
}

/// A folded character and where it came from.
struct Folded<T> {
    c: char,
    at: T,
}

fn excerpt(chars: &[char], at: usize) -> String {
    chars[at..chars.len().min(at + 16)].iter().collect()
}

/// Checks the source file's checksum and that the transcription carries its text exactly.
pub fn check(
    loaded: &Loaded<MeasureFile>,
    sources: &std::collections::BTreeMap<String, Vec<u8>>,
    report: &mut Report,
) {
    let m = &loaded.value;
    let path = loaded.path.as_path();
    let file = m.source.file.get_ref();
    let Some(bytes) = sources.get(file) else {
        report.push(Diagnostic::error_at(
            path,
            &loaded.text,
            m.source.file.span().start,
            format!("source copy '{file}' not found in content/sources/"),
            "copy the verbatim source text into content/sources/ or correct the file name",
        ));
        return;
    };
    let digest: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if &digest != m.source.sha256.get_ref() {
        report.push(Diagnostic::error_at(
            path,
            &loaded.text,
            m.source.sha256.span().start,
            format!("SHA-256 of content/sources/{file} is {digest}, not the recorded value"),
            "the source copy changed: restore the verbatim copy, or if the new copy is the authority, record its checksum and re-check the transcription",
        ));
    }
    let Ok(source) = std::str::from_utf8(bytes) else {
        report.push(Diagnostic::file_error(
            Path::new(file),
            "source copy is not UTF-8",
            "convert the copy to UTF-8",
        ));
        return;
    };
    compare(path, &loaded.text, m, file, source, report);
}

fn compare(
    path: &Path,
    toml_text: &str,
    m: &MeasureFile,
    file: &str,
    source: &str,
    report: &mut Report,
) {
    let mut src: Vec<Folded<usize>> = Vec::with_capacity(source.len() / 3);
    for (ln, line) in source.lines().enumerate() {
        src.extend(
            line.chars()
                .filter_map(fold_char)
                .map(|c| Folded { c, at: ln + 1 }),
        );
    }
    let segs = reconstruct(m);
    let mut ours: Vec<Folded<usize>> = Vec::with_capacity(src.len());
    for (si, s) in segs.iter().enumerate() {
        ours.extend(
            s.text
                .chars()
                .filter_map(fold_char)
                .map(|c| Folded { c, at: si }),
        );
    }
    let src_chars: Vec<char> = src.iter().map(|f| f.c).collect();
    let our_chars: Vec<char> = ours.iter().map(|f| f.c).collect();
    let first_diff = src_chars.iter().zip(&our_chars).position(|(a, b)| a != b);
    match first_diff {
        None if src_chars.len() == our_chars.len() => {}
        None if our_chars.len() < src_chars.len() => {
            let at = our_chars.len();
            report.push(Diagnostic::file_error(
                path,
                format!(
                    "the transcription ends before the source: {file} line {} continues with «{}»",
                    src[at].at,
                    excerpt(&src_chars, at)
                ),
                "transcribe the rest of the source copy (back matter, closing lines)",
            ));
        }
        None => {
            let at = src_chars.len();
            let seg = &segs[ours[at].at];
            report.push(Diagnostic::error_at(
                path,
                toml_text,
                seg.span.start,
                format!(
                    "text not in the source copy at {}: «{}» comes after the end of {file}",
                    seg.anchor,
                    excerpt(&our_chars, at)
                ),
                "remove the added text; the transcription must carry the source verbatim",
            ));
        }
        Some(at) => {
            let seg = &segs[ours[at].at];
            report.push(Diagnostic::error_at(
                path,
                toml_text,
                seg.span.start,
                format!(
                    "text of {} differs from the source copy: {file} line {} reads «{}» but the transcription has «{}»",
                    seg.anchor,
                    src[at].at,
                    excerpt(&src_chars, at),
                    excerpt(&our_chars, at)
                ),
                "copy the source's words exactly (typos included) and explain a slip in an [[erratum]] instead of fixing it",
            ));
        }
    }
}
