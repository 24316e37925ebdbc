//! The `# TODO` comments `atlas import` writes for the author. Found while a file's text is at
//! hand, so that a check of unfinished work need not read the file again (a build lets go of
//! each measure's text once it is parsed).

/// The byte offsets in `text` of its `# TODO` comments, in order.
pub(super) fn offsets(text: &str) -> Vec<usize> {
    // Most files have none: one scan for the word before looking at lines.
    if !text.contains("TODO") {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if let Some(at) = comment(line) {
            found.push(start + at);
        }
        start += line.len();
    }
    found
}

/// Where a `# TODO` comment starts in `line`: a `#` outside a string followed by `TODO`.
fn comment(line: &str) -> Option<usize> {
    let (mut basic, mut literal, mut escaped) = (false, false, false);
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if basic => escaped = true,
            '"' if !literal => basic = !basic,
            '\'' if !basic => literal = !literal,
            '#' if !basic && !literal => {
                let rest = line[i + 1..].trim_start();
                return rest.starts_with("TODO").then_some(i);
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{comment, offsets};

    #[test]
    fn only_comments_are_todos() {
        assert_eq!(comment("id = \"\"  # TODO: the file stem"), Some(9));
        assert_eq!(comment("# TODO: complete every key"), Some(0));
        assert_eq!(comment("text = \"# TODO is in the text\""), None);
        assert_eq!(comment("text = 'a # TODO'"), None);
        assert_eq!(comment("text = \"say \\\"#\\\" # TODO\""), None);
        assert_eq!(comment("title = \"x\" # checked"), None);
    }

    #[test]
    fn offsets_are_in_the_whole_text() {
        let text = "a = 1\nid = \"\"  # TODO: stem\n# TODO: keys\nb = \"TODO\"\n";
        assert_eq!(offsets(text), vec![15, 28]);
        assert_eq!(&text[15..21], "# TODO");
        assert_eq!(&text[28..34], "# TODO");
        assert!(offsets("a = 1\n# checked\n").is_empty());
    }
}
