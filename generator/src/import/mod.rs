//! `atlas import SOURCE.txt`: a TOML skeleton of a measure from its verbatim text.
//!
//! [`parse`] recognises the structure (front matter, chapters, articles or a notice's sections,
//! clauses, items, paragraphs, back matter, an annexed form, closing lines); [`skeleton`] writes
//! it in the schema of `content::measure`, with metadata left as `# TODO` placeholders. Every
//! change to the copy the importer makes (a sentence joined across a page break, a list marker
//! or bookmark left out of the text, a skipped article number) is written out as an erratum.
//!
//! Imports content, address and text.

mod annex;
mod parse;
mod stated;

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use crate::content::vocab::Level;

pub use parse::{parse, Doc};

/// A TOML basic string for `s`, escaped by the `toml` crate.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A TOML array of strings.
fn q_list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| q(s)).collect();
    format!("[{}]", inner.join(", "))
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Prints a TOML skeleton (front matter, chapters, articles, clauses, items) for a source text.
pub fn skeleton(source_text: &str, file_name: &str) -> String {
    let doc = parse(source_text);
    let mut out = String::new();
    write_meta(&mut out, &doc, source_text, file_name);
    write_blocks(&mut out, "front", &doc.front);
    for c in &doc.chapters {
        let _ = writeln!(
            out,
            "\n[[chapter]]\nnumber = {}\nlabel = {}\ntitle = {}",
            c.number,
            q(&c.label),
            q(&c.title)
        );
    }
    let table = if doc.is_notice { "section" } else { "article" };
    for u in &doc.units {
        write_unit(&mut out, table, u);
    }
    write_blocks(&mut out, "back", &doc.back);
    if let Some(a) = &doc.annex {
        write_annex(&mut out, a);
    }
    write_blocks(&mut out, "closing", &doc.closing);
    for n in &doc.notes {
        let _ = writeln!(
            out,
            "\n[[erratum]]\ntarget = {}\nkind = {}",
            q(&n.target),
            q(n.kind)
        );
        if let Some(quote) = &n.quote {
            let _ = writeln!(out, "quote = {}", q(quote));
        }
        if let Some(a) = &n.artefact {
            let _ = writeln!(out, "artefact = {}", q(a));
        }
        if !n.missing.is_empty() {
            let m: Vec<String> = n.missing.iter().map(u32::to_string).collect();
            let _ = writeln!(out, "missing = [{}]", m.join(", "));
        }
        let _ = writeln!(out, "note = {}\nnote_en = {}", q(&n.note), q(&n.note_en));
    }
    out
}

fn write_meta(out: &mut String, doc: &Doc, source_text: &str, file_name: &str) {
    let title = doc
        .front
        .iter()
        .rev()
        .find(|b| b.role == "title")
        .map_or("", |b| b.text.as_str());
    let doc_number = doc
        .front
        .iter()
        .find(|b| b.role == "doc-number")
        .map(|b| b.text.as_str());
    let kind = if doc.is_notice { "通知" } else { "办法" };
    let _ = writeln!(out, "# Skeleton printed by `atlas import {file_name}`.");
    let _ = writeln!(
        out,
        "# TODO: complete every key marked TODO, check the guessed block roles, add typo errata."
    );
    let _ = writeln!(
        out,
        "id = \"\"  # TODO: the file stem, e.g. yunnan-ijl-2025"
    );
    let _ = writeln!(out, "title = {}  # TODO: check", q(title));
    let _ = writeln!(out, "short_title = \"\"  # TODO");
    let _ = writeln!(out, "title_en = \"\"  # TODO");
    let _ = writeln!(out, "short_title_en = \"\"  # TODO");
    let _ = writeln!(out, "kind = {}  # TODO: check (办法 or 通知)", q(kind));
    let _ = writeln!(
        out,
        "level = \"{}\"  # TODO: check (national, ministerial, provincial or municipal)",
        guess_level(title).code()
    );
    let _ = writeln!(out, "jurisdiction = \"\"  # TODO");
    let _ = writeln!(out, "jurisdiction_en = \"\"  # TODO");
    let stated = stated::read(doc);
    match &stated.issuer {
        Some(i) => {
            let _ = writeln!(out, "issuer = {}  # TODO: check (from the signature)", q(i));
        }
        None => {
            let _ = writeln!(out, "issuer = \"\"  # TODO");
        }
    }
    let _ = writeln!(out, "issuer_en = \"\"  # TODO");
    match doc_number {
        Some(d) => {
            let _ = writeln!(out, "doc_number = {}  # TODO: check", q(d));
        }
        None => {
            let _ = writeln!(out, "# doc_number = \"\"  # TODO: none found in the copy");
        }
    }
    match &stated.issued {
        Some(d) => {
            let _ = writeln!(out, "issued = {d}  # TODO: check (from the date line)");
        }
        None => {
            let _ = writeln!(
                out,
                "issued = 1970-01-01  # TODO: date of issue (no date line found)"
            );
        }
    }
    match &stated.effective {
        Some(e) => {
            let _ = writeln!(out, "\n[effective]  # TODO: check (from {})", e.cite);
            match &e.value {
                stated::Rule::OnDate(d) => {
                    let _ = writeln!(out, "rule = \"on-date\"\ndate = {d}");
                }
                stated::Rule::DaysAfterIssue(n) => {
                    let _ = writeln!(out, "rule = \"days-after-issue\"\ndays = {n}");
                }
                stated::Rule::OnIssue => {
                    let _ = writeln!(out, "rule = \"on-issue\"");
                }
            }
            let _ = writeln!(out, "quote = {}\ncite = {}", q(&e.quote), q(&e.cite));
        }
        None => {
            let _ = writeln!(out, "\n[effective]  # TODO");
            let _ = writeln!(
                out,
                "rule = \"on-issue\"  # TODO: check (on-date with date = …, days-after-issue with days = N, or on-issue)"
            );
            let _ = writeln!(out, "quote = \"\"  # TODO: the exact words");
            let _ = writeln!(out, "cite = \"\"  # TODO: e.g. art-30");
        }
    }
    if let Some(v) = &stated.validity_years {
        let _ = writeln!(
            out,
            "\n[validity]  # TODO: check (from {})\nyears = {}\nquote = {}\ncite = {}",
            v.cite,
            v.value,
            q(&v.quote),
            q(&v.cite)
        );
    }
    for r in &stated.repeals {
        let _ = writeln!(
            out,
            "\n[[repeals]]  # TODO: check (from {})\ntitle = {}",
            r.cite,
            q(&r.value.title)
        );
        if let Some(n) = &r.value.doc_number {
            let _ = writeln!(out, "doc_number = {}", q(n));
        }
        let _ = writeln!(out, "quote = {}\ncite = {}", q(&r.quote), q(&r.cite));
    }
    let _ = writeln!(
        out,
        "\n[source]\nfile = {}\nsha256 = {}",
        q(file_name),
        q(&sha256_hex(source_text.as_bytes()))
    );
}

/// The level a title suggests (科学技术部 → national, 教育部 → ministerial, 省 → provincial,
/// 市 → municipal), for the author to check.
fn guess_level(title: &str) -> Level {
    if title.contains("教育部") {
        Level::Ministerial
    } else if title.contains("市") {
        Level::Municipal
    } else if title.contains("省") {
        Level::Provincial
    } else {
        Level::National
    }
}

fn write_blocks(out: &mut String, table: &str, blocks: &[parse::Block]) {
    for b in blocks {
        let _ = writeln!(
            out,
            "\n[[{table}]]\nrole = {}\ntext = {}",
            q(b.role),
            q(&b.text)
        );
    }
}

fn write_items(out: &mut String, table: &str, items: &[parse::Item]) {
    for i in items {
        let _ = writeln!(
            out,
            "\n[[{table}]]\nlabel = {}\ntext = {}",
            q(&i.label),
            q(&i.text)
        );
    }
}

fn write_para_lists(out: &mut String, table: &str, p: &parse::Para) {
    for c in &p.clauses {
        let _ = writeln!(
            out,
            "\n[[{table}.clause]]\nlabel = {}\ntext = {}",
            q(&c.label),
            q(&c.text)
        );
        write_items(out, &format!("{table}.clause.item"), &c.items);
    }
    write_items(out, &format!("{table}.item"), &p.items);
}

fn write_unit(out: &mut String, table: &str, u: &parse::Unit) {
    let _ = writeln!(
        out,
        "\n[[{table}]]\nnumber = {}\nlabel = {}",
        u.number,
        q(&u.label)
    );
    if let Some(c) = u.chapter {
        let _ = writeln!(out, "chapter = {c}");
    }
    if let Some(h) = &u.heading {
        let _ = writeln!(out, "heading = {}", q(h));
    }
    let _ = writeln!(out, "text = {}\nsummary_en = \"\"", q(&u.paras[0].text));
    write_para_lists(out, table, &u.paras[0]);
    for p in &u.paras[1..] {
        let _ = writeln!(out, "\n[[{table}.para]]\ntext = {}", q(&p.text));
        write_para_lists(out, &format!("{table}.para"), p);
    }
}

fn write_annex(out: &mut String, a: &annex::AnnexDoc) {
    let _ = writeln!(
        out,
        "\n[annex]\nlabel = {}\ntitle = {}",
        q(&a.label),
        q(&a.title)
    );
    let _ = writeln!(out, "cover_lines = {}", q_list(&a.cover_lines));
    if !a.unplaced.is_empty() {
        let _ = writeln!(
            out,
            "# TODO: the importer could not place these lines of the annex; place them by hand:"
        );
        for l in &a.unplaced {
            // A TOML comment may not hold control characters: show them escaped.
            let shown: String = l
                .chars()
                .map(|c| match c {
                    '\t' => c.to_string(),
                    c if c.is_control() => format!("\\u{{{:04x}}}", c as u32),
                    c => c.to_string(),
                })
                .collect();
            let _ = writeln!(out, "#   {shown}");
        }
    }
    for f in &a.cover_fields {
        let _ = writeln!(
            out,
            "\n[[annex.cover_field]]\nlabel = {}\nblank = {}",
            q(&f.label),
            q(&f.blank)
        );
    }
    if let Some((title, items)) = &a.instructions {
        let _ = writeln!(out, "\n[annex.instructions]\ntitle = {}", q(title));
        write_items(out, "annex.instructions.item", items);
    }
    if let Some((title, fields)) = &a.form {
        let _ = writeln!(
            out,
            "\n[annex.form]  # best effort from the tab-separated table: TODO check\ntitle = {}",
            q(title)
        );
        for f in fields {
            let _ = writeln!(out, "\n[[annex.form.field]]\ngroup = {}", q(&f.group));
            if let Some(s) = &f.subgroup {
                let _ = writeln!(out, "subgroup = {}", q(s));
            }
            let _ = writeln!(out, "label = {}", q(&f.label));
            if !f.options.is_empty() {
                let _ = writeln!(out, "options = {}", q_list(&f.options));
            }
            if let Some(m) = &f.checkbox_marker {
                let _ = writeln!(out, "checkbox_marker = {}", q(m));
            }
            if let Some(n) = f.word_limit {
                let _ = writeln!(out, "word_limit = {n}");
            }
            if let Some(t) = &f.limit_text {
                let _ = writeln!(out, "limit_text = {}", q(t));
            }
        }
    }
    for s in &a.sections {
        let _ = writeln!(
            out,
            "\n[[annex.section]]\nlabel = {}\ntitle = {}",
            q(&s.label),
            q(&s.title)
        );
        if !s.guidance.is_empty() {
            let _ = writeln!(out, "guidance = {}", q_list(&s.guidance));
        }
        for sub in &s.subs {
            let _ = writeln!(
                out,
                "\n[[annex.section.sub]]\nlabel = {}\ntitle = {}",
                q(&sub.label),
                q(&sub.title)
            );
            if !sub.guidance.is_empty() {
                let _ = writeln!(out, "guidance = {}", q_list(&sub.guidance));
            }
        }
    }
}

#[cfg(test)]
mod tests;
