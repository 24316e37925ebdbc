//! Best-effort structure of an annexed application form: cover fields, filling instructions,
//! a tab-separated table of fields, and numbered narrative sections.

use super::parse::{ends_sentence, split_item, split_section, trim, Item, Note};

/// A blank on the cover page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverField {
    /// Field name.
    pub label: String,
    /// The blank as printed after the name.
    pub blank: String,
}

/// One field of the form's table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Field {
    /// Row header.
    pub group: String,
    /// Second-level row header.
    pub subgroup: Option<String>,
    /// Field label.
    pub label: String,
    /// Check-box options.
    pub options: Vec<String>,
    /// Check-box marker as printed.
    pub checkbox_marker: Option<String>,
    /// Word limit.
    pub word_limit: Option<u32>,
    /// Word limit as printed.
    pub limit_text: Option<String>,
}

/// A sub-section of a form section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sub {
    /// `1.1`.
    pub label: String,
    /// Title.
    pub title: String,
    /// Guidance lines.
    pub guidance: Vec<String>,
}

/// A numbered section of the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    /// `一、`.
    pub label: String,
    /// Title.
    pub title: String,
    /// Guidance lines.
    pub guidance: Vec<String>,
    /// Sub-sections.
    pub subs: Vec<Sub>,
}

/// The annex as recognised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnnexDoc {
    /// `附件`.
    pub label: String,
    /// The annex's title.
    pub title: String,
    /// Cover blanks.
    pub cover_fields: Vec<CoverField>,
    /// Other cover lines.
    pub cover_lines: Vec<String>,
    /// Instructions heading and items, if any.
    pub instructions: Option<(String, Vec<Item>)>,
    /// Table heading and fields, if any.
    pub form: Option<(String, Vec<Field>)>,
    /// Narrative sections.
    pub sections: Vec<Section>,
    /// Lines the importer could not place (kept so no text is lost; a person must place them).
    pub unplaced: Vec<String>,
}

const CHECKBOX: &str = "<input type=\"checkbox\"/>";

/// Splits `name： ____` into the name and the blank.
fn cover_field(line: &str) -> Option<CoverField> {
    let i = line.find('：').or_else(|| line.find(':'))?;
    let blank = &line[i..];
    let tail = trim(&blank[blank.chars().next()?.len_utf8()..]);
    if tail.is_empty() || !tail.chars().all(|c| c == '_') {
        return None;
    }
    Some(CoverField {
        label: line[..i].to_string(),
        blank: blank.to_string(),
    })
}

/// `(限 500 字内)` → 500.
fn word_limit(cell: &str) -> Option<u32> {
    let inner = cell.strip_prefix(['(', '（'])?.strip_suffix([')', '）'])?;
    let inner = trim(inner.strip_prefix('限')?);
    let digits: String = inner.chars().take_while(|c| c.is_ascii_digit()).collect();
    let after = trim(&inner[digits.len()..]);
    if after.starts_with('字') {
        digits.parse().ok()
    } else {
        None
    }
}

/// Reads the table rows into fields: column 0 is the group; when the row has both column 1 and
/// column 2 filled, column 1 is a subgroup; every other filled cell is a field label.
fn form_fields(rows: &[&str]) -> Vec<Field> {
    let mut fields = Vec::new();
    let (mut group, mut subgroup) = (String::new(), None::<String>);
    for row in rows {
        let cells: Vec<&str> = row.split('\t').map(trim).collect();
        let mut start = 1;
        if !cells[0].is_empty() {
            group = cells[0].to_string();
            subgroup = None;
        }
        let c1 = cells.get(1).copied().unwrap_or("");
        let c2 = cells.get(2).copied().unwrap_or("");
        if !c1.is_empty() && !c2.is_empty() {
            subgroup = Some(c1.to_string());
            start = 2;
        }
        let mut any = false;
        for cell in cells.iter().skip(start).filter(|c| !c.is_empty()) {
            any = true;
            let mut f = Field {
                group: group.clone(),
                subgroup: subgroup.clone(),
                ..Field::default()
            };
            if cell.contains(CHECKBOX) {
                f.options = cell
                    .split(CHECKBOX)
                    .map(trim)
                    .filter(|o| !o.is_empty())
                    .map(str::to_string)
                    .collect();
                f.checkbox_marker = Some(CHECKBOX.to_string());
            } else if let Some(n) = word_limit(cell) {
                f.word_limit = Some(n);
                f.limit_text = Some(cell.to_string());
            } else {
                f.label = cell.to_string();
            }
            fields.push(f);
        }
        if !any && !cells[0].is_empty() {
            fields.push(Field {
                group: group.clone(),
                subgroup: subgroup.clone(),
                ..Field::default()
            });
        }
    }
    fields
}

/// A sub-section label `1.1` or `1.` at the start of a line.
fn split_sub(line: &str) -> Option<(String, String)> {
    if let Some((_, label, rest)) = split_item(line) {
        return Some((label, rest));
    }
    let end = line
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == '.'))
        .map_or(line.len(), |(i, _)| i);
    let label = &line[..end];
    let mut parts = label.split('.');
    let ok = label.contains('.')
        && !label.ends_with('.')
        && parts.all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    ok.then(|| (label.to_string(), trim(&line[end..]).to_string()))
}

/// Parses the annex lines (label line first; blank lines already removed, tabs kept).
pub(super) fn parse_annex(lines: &[&str], notes: &mut Vec<Note>) -> AnnexDoc {
    let mut a = AnnexDoc::default();
    let mut it = lines.iter().copied().peekable();
    a.label = trim(it.next().unwrap_or_default()).to_string();
    a.title = trim(it.next().unwrap_or_default()).to_string();
    let rest: Vec<&str> = it
        .map(|l| if l.contains('\t') { l } else { trim(l) })
        .collect();
    let first_row = rest.iter().position(|l| l.contains('\t'));
    let form_title_at = first_row.and_then(|r| r.checked_sub(1));
    let instructions_at = rest.iter().position(|l| *l == "填表说明");

    let mut i = 0;
    // Cover page.
    while i < rest.len() && Some(i) != instructions_at && Some(i) != form_title_at {
        match cover_field(rest[i]) {
            Some(f) if a.cover_lines.is_empty() => a.cover_fields.push(f),
            _ => a.cover_lines.push(rest[i].to_string()),
        }
        i += 1;
    }
    // Instructions.
    if Some(i) == instructions_at {
        let mut items: Vec<Item> = Vec::new();
        i += 1;
        while i < rest.len() && Some(i) != form_title_at {
            if let Some((number, label, text)) = split_section(rest[i]) {
                items.push(Item {
                    label,
                    number,
                    text,
                });
            } else if let Some(last) = items.last_mut() {
                last.text.push_str(rest[i]);
            } else {
                a.unplaced.push(rest[i].to_string());
            }
            i += 1;
        }
        a.instructions = Some(("填表说明".to_string(), items));
    }
    // The table.
    if let (Some(t), Some(r)) = (form_title_at, first_row) {
        if i == t {
            let mut end = r;
            while end < rest.len() && rest[end].contains('\t') {
                end += 1;
            }
            a.form = Some((rest[t].to_string(), form_fields(&rest[r..end])));
            i = end;
        }
    }
    // Narrative sections.
    let mut last_open = false; // last text line did not end a sentence and may continue
    while i < rest.len() {
        let line = rest[i];
        i += 1;
        if let Some((_, label, title)) = split_section(line) {
            a.sections.push(Section {
                label,
                title,
                ..Section::default()
            });
            last_open = false;
            continue;
        }
        let Some(section) = a.sections.last_mut() else {
            a.unplaced.push(line.to_string());
            continue;
        };
        if let Some((label, title)) = split_sub(line) {
            last_open = !ends_sentence(&title) && title.ends_with('、');
            section.subs.push(Sub {
                label,
                title,
                guidance: Vec::new(),
            });
            continue;
        }
        if last_open {
            if let Some(sub) = section.subs.last_mut() {
                let quote = format!(
                    "{}{}",
                    sub.title
                        .chars()
                        .rev()
                        .take(6)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect::<String>(),
                    line.chars().take(6).collect::<String>()
                );
                sub.title.push_str(line);
                notes.push(Note {
                    target: "annex".into(),
                    kind: "format",
                    quote: Some(quote),
                    artefact: None,
                    missing: Vec::new(),
                    note: format!(
                        "原文“{}”一项在此处断行（一项分作两行），此处接续为一行。",
                        sub.label
                    ),
                    note_en: format!(
                        "The copy breaks entry {} of the form over two lines; joined here.",
                        sub.label
                    ),
                });
                last_open = false;
                continue;
            }
        }
        match section.subs.last_mut() {
            Some(sub) => sub.guidance.push(line.to_string()),
            None => section.guidance.push(line.to_string()),
        }
        last_open = false;
    }
    a
}
