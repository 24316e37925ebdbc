//! The transcription must carry the source copy's text, every sentence, nothing more.
//!
//! The measure is turned back into one text stream in document order and compared with the
//! source after folding white space and full/half width. Errata of kind `artefact` put their
//! residue (a bookmark, a list marker) back where the copy has it, so the comparison is exact.

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::address::{self, clause_number, item_number, Address, Prefix};
use crate::content::measure::{Article, Clause, Item, MeasureFile};
use crate::content::vocab::ErratumKind;
use crate::content::Loaded;
use crate::diagnostics::{Diagnostic, Report};
use crate::text::fold_char;

/// A piece of the reconstructed text and where it comes from in the TOML file: `head` then
/// `tail` (a label and its text are one piece, as the copy prints them together).
struct Segment<'a> {
    head: Cow<'a, str>,
    tail: &'a str,
    /// The unit's anchor; empty when the stream was built without names.
    anchor: String,
    span: Range<usize>,
}

struct Stream<'a> {
    m: &'a MeasureFile,
    /// Whether anchors are named: needed to place artefacts and to report a difference, not
    /// to compare a measure without artefacts.
    named: bool,
    segs: Vec<Segment<'a>>,
}

impl<'a> Stream<'a> {
    /// The anchor `f` builds, or nothing when anchors are not named.
    fn name(&self, f: impl FnOnce() -> String) -> String {
        if self.named {
            f()
        } else {
            String::new()
        }
    }

    fn push(
        &mut self,
        anchor: &str,
        head: impl Into<Cow<'a, str>>,
        tail: &'a str,
        span: Range<usize>,
    ) {
        if self.named {
            for e in &self.m.errata {
                if e.target.get_ref() == anchor
                    && *e.kind.get_ref() == ErratumKind::Artefact
                    && self.segs.last().is_none_or(|s| s.anchor != anchor)
                {
                    if let Some(a) = &e.artefact {
                        self.segs.push(Segment {
                            head: Cow::Borrowed(a.as_str()),
                            tail: "",
                            anchor: format!("{anchor} (artefact)"),
                            span: e.target.span(),
                        });
                    }
                }
            }
        }
        self.segs.push(Segment {
            head: head.into(),
            tail,
            anchor: anchor.to_string(),
            span,
        });
    }
}

/// The measure's text stream in document order. Without `named`, anchors are left empty and
/// artefacts are not placed, so only use it for a measure without artefact errata.
fn reconstruct(m: &MeasureFile, named: bool) -> Vec<Segment<'_>> {
    let mut s = Stream {
        m,
        named,
        segs: Vec::new(),
    };
    for (i, b) in m.front.iter().enumerate() {
        let a = s.name(|| address::front(i + 1));
        s.push(&a, b.text.get_ref().as_str(), "", b.text.span());
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
                    let anchor = s.name(|| address::chapter(*ch.number.get_ref()));
                    s.push(&anchor, ch.label.as_str(), &ch.title, ch.number.span());
                }
            }
        }
        article(&mut s, a, Prefix::Art);
    }
    for a in &m.sections {
        article(&mut s, a, Prefix::Sec);
    }
    for (i, b) in m.back.iter().enumerate() {
        let a = s.name(|| address::back(i + 1));
        s.push(&a, b.text.get_ref().as_str(), "", b.text.span());
    }
    if let Some(x) = &m.annex {
        let sp = 0..0;
        let annex = s.name(|| "annex".into());
        s.push(&annex, x.label.as_str(), &x.title, sp.clone());
        for f in &x.cover_fields {
            s.push(&annex, f.label.as_str(), &f.blank, sp.clone());
        }
        for l in &x.cover_lines {
            s.push(&annex, l.as_str(), "", sp.clone());
        }
        if let Some(ins) = &x.instructions {
            s.push(&annex, ins.title.as_str(), "", sp.clone());
            for it in &ins.items {
                s.push(
                    &annex,
                    it.label.get_ref().as_str(),
                    it.text.get_ref(),
                    it.text.span(),
                );
            }
        }
        if let Some(form) = &x.form {
            s.push(&annex, form.title.as_str(), "", sp.clone());
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
                s.push(&annex, t, "", sp.clone());
            }
        }
        for sec in &x.sections {
            s.push(&annex, sec.label.as_str(), &sec.title, sp.clone());
            for g in &sec.guidance {
                s.push(&annex, g.as_str(), "", sp.clone());
            }
            for sub in &sec.subs {
                s.push(&annex, sub.label.as_str(), &sub.title, sp.clone());
                for g in &sub.guidance {
                    s.push(&annex, g.as_str(), "", sp.clone());
                }
            }
        }
    }
    for (i, b) in m.closing.iter().enumerate() {
        let a = s.name(|| address::closing(i + 1));
        s.push(&a, b.text.get_ref().as_str(), "", b.text.span());
    }
    s.segs
}

fn article<'a>(s: &mut Stream<'a>, a: &'a Article, prefix: Prefix) {
    let art = Address::article(prefix, *a.number.get_ref());
    let base = s.name(|| art.anchor());
    // The label and its heading are one piece.
    s.push(
        &base,
        a.label.get_ref().as_str(),
        a.heading.as_deref().unwrap_or(""),
        a.label.span(),
    );
    s.push(&base, a.text.get_ref().as_str(), "", a.text.span());
    list(s, art, &a.clauses, &a.items);
    for (i, p) in a.paras.iter().enumerate() {
        let para = art.para(i as u32 + 2);
        let pa = s.name(|| para.anchor());
        s.push(&pa, p.text.get_ref().as_str(), "", p.text.span());
        list(s, para, &p.clauses, &p.items);
    }
}

/// The clauses and items of the paragraph at `para`.
fn list<'a>(s: &mut Stream<'a>, para: Address, clauses: &'a [Clause], items: &'a [Item]) {
    for (ci, c) in clauses.iter().enumerate() {
        let clause = para.clause(clause_number(c.label.get_ref()).unwrap_or(ci as u32 + 1));
        let ca = s.name(|| clause.anchor());
        s.push(
            &ca,
            c.label.get_ref().as_str(),
            c.text.get_ref(),
            c.text.span(),
        );
        for (ii, it) in c.items.iter().enumerate() {
            let item = clause.item(item_number(it.label.get_ref()).unwrap_or(ii as u32 + 1));
            let ia = s.name(|| item.anchor());
            s.push(
                &ia,
                it.label.get_ref().as_str(),
                it.text.get_ref(),
                it.text.span(),
            );
        }
    }
    for (ii, it) in items.iter().enumerate() {
        let item = para.item(item_number(it.label.get_ref()).unwrap_or(ii as u32 + 1));
        let ia = s.name(|| item.anchor());
        s.push(
            &ia,
            it.label.get_ref().as_str(),
            it.text.get_ref(),
            it.text.span(),
        );
    }
}

/// Reads folded characters from a sequence of text pieces, each piece tagged (with its
/// segment, or 0 for the source), and can skip a run of raw bytes it shares with another reader.
struct Folder<'a, I: Iterator<Item = (&'a str, usize)>> {
    pieces: I,
    cur: &'a str,
    tag: usize,
    /// Byte offset in `cur`.
    at: usize,
}

impl<'a, I: Iterator<Item = (&'a str, usize)>> Folder<'a, I> {
    fn new(pieces: I) -> Self {
        Folder {
            pieces,
            cur: "",
            tag: 0,
            at: 0,
        }
    }

    /// The unread rest of the current piece.
    fn rest(&self) -> &'a str {
        &self.cur[self.at..]
    }

    /// The next folded character, with the tag of its piece and its byte offset there.
    fn next_folded(&mut self) -> Option<(char, usize, usize)> {
        loop {
            match self.cur[self.at..].chars().next() {
                Some(c) => {
                    let at = self.at;
                    self.at += c.len_utf8();
                    if let Some(f) = fold_char(c) {
                        return Some((f, self.tag, at));
                    }
                }
                None => {
                    let (cur, tag) = self.pieces.next()?;
                    self.cur = cur;
                    self.tag = tag;
                    self.at = 0;
                }
            }
        }
    }

    /// `first` and up to 15 more folded characters: what the reader sees at a difference.
    fn excerpt(&mut self, first: char) -> String {
        let mut out = String::from(first);
        for _ in 0..15 {
            match self.next_folded() {
                Some((c, _, _)) => out.push(c),
                None => break,
            }
        }
        out
    }
}

/// Skips the longest run of bytes both readers have next (whole characters only): identical
/// text folds identically, so only where the raw texts differ is each character folded.
fn skip_common<'a, I, J>(a: &mut Folder<'a, I>, b: &mut Folder<'a, J>)
where
    I: Iterator<Item = (&'a str, usize)>,
    J: Iterator<Item = (&'a str, usize)>,
{
    let (x, y) = (a.rest().as_bytes(), b.rest().as_bytes());
    let len = x.len().min(y.len());
    let mut n = 0;
    while n + 16 <= len && x[n..n + 16] == y[n..n + 16] {
        n += 16;
    }
    while n < len && x[n] == y[n] {
        n += 1;
    }
    // Back to a character boundary (the bytes are equal, so it is one in both).
    while n > 0 && !a.rest().is_char_boundary(n) {
        n -= 1;
    }
    a.at += n;
    b.at += n;
}

/// Checks the source file's checksum and that the transcription carries its text exactly.
pub(super) fn check(
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
            loaded.text(),
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
            loaded.text(),
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
    compare(loaded, file, source, report);
}

/// Compares `loaded`'s transcription with `source`, the text of its copy `file`. The
/// transcription's own text is read only for the position of a difference.
fn compare(loaded: &Loaded<MeasureFile>, file: &str, source: &str, report: &mut Report) {
    let (path, m) = (loaded.path.as_path(), &loaded.value);
    // Anchors are only named when artefacts must be placed by them; a difference is then
    // reported from a named rebuild of the same stream.
    let named = m
        .errata
        .iter()
        .any(|e| *e.kind.get_ref() == ErratumKind::Artefact && e.artefact.is_some());
    let segs = reconstruct(m, named);
    let anchor_of = |si: usize| -> (String, Range<usize>) {
        if named {
            (segs[si].anchor.clone(), segs[si].span.clone())
        } else {
            let seg = &reconstruct(m, true)[si];
            (seg.anchor.clone(), seg.span.clone())
        }
    };
    // 1-based line of a byte offset of the source.
    let line = |at: usize| {
        source.as_bytes()[..at]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    };
    // Both texts are folded and compared as they are read: no copy of either is kept.
    let mut src = Folder::new(std::iter::once((source, 0)));
    let mut ours = Folder::new(
        segs.iter()
            .enumerate()
            .flat_map(|(i, s)| [(&*s.head, i), (s.tail, i)]),
    );
    loop {
        skip_common(&mut src, &mut ours);
        match (src.next_folded(), ours.next_folded()) {
            (None, None) => return,
            (Some((s, _, at)), None) => {
                report.push(Diagnostic::file_error(
                    path,
                    format!(
                        "the transcription ends before the source: {file} line {} continues with «{}»",
                        line(at),
                        src.excerpt(s)
                    ),
                    "transcribe the rest of the source copy (back matter, closing lines)",
                ));
                return;
            }
            (None, Some((o, si, _))) => {
                let (anchor, span) = anchor_of(si);
                report.push(Diagnostic::error_at(
                    path,
                    loaded.text(),
                    span.start,
                    format!(
                        "text not in the source copy at {anchor}: «{}» comes after the end of {file}",
                        ours.excerpt(o)
                    ),
                    "remove the added text; the transcription must carry the source verbatim",
                ));
                return;
            }
            (Some((s, _, at)), Some((o, si, _))) if s != o => {
                let (anchor, span) = anchor_of(si);
                report.push(Diagnostic::error_at(
                    path,
                    loaded.text(),
                    span.start,
                    format!(
                        "text of {anchor} differs from the source copy: {file} line {} reads «{}» but the transcription has «{}»",
                        line(at),
                        src.excerpt(s),
                        ours.excerpt(o)
                    ),
                    "copy the source's words exactly (typos included) and explain a slip in an [[erratum]] instead of fixing it",
                ));
                return;
            }
            _ => {}
        }
    }
}
