//! The language of parts of a page: in the English edition, the Chinese words that English
//! prose quotes (原则上 in a hint, 前提提交 in a transcriber's note, a 文号) are marked
//! `lang="zh-Hans"`, so that screen readers read them as Chinese, browsers choose a Chinese
//! font for them, and the edition says nothing in the other language unmarked.

use std::collections::HashMap;

use super::text::esc;

/// The attribute-free opening tag a run of Chinese is wrapped in.
const OPEN: &str = "<span lang=\"zh-Hans\">";

/// Whether `c` is a Han character (what makes a run Chinese).
fn han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Whether `c` belongs to a run of Chinese: a Han character or CJK punctuation (《》「」（）、，).
fn cjk(c: char) -> bool {
    han(c) || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF)
}

/// Calls `plain` with the stretches of `text` outside Chinese runs and `chinese` with the runs
/// (maximal stretches of Han characters and CJK punctuation holding at least one Han
/// character), in order.
fn runs<'a>(text: &'a str, mut plain: impl FnMut(&'a str), mut chinese: impl FnMut(&'a str)) {
    let mut start = 0;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if !cjk(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        let mut any_han = han(c);
        while let Some(&(j, d)) = iter.peek() {
            if !cjk(d) {
                break;
            }
            any_han |= han(d);
            end = j + d.len_utf8();
            iter.next();
        }
        if any_han {
            plain(&text[start..i]);
            chinese(&text[i..end]);
            start = end;
        }
    }
    plain(&text[start..]);
}

/// Appends `text` escaped; in the English edition (`en`) each run of Chinese in it is marked.
pub(super) fn text(out: &mut String, text: &str, en: bool) {
    if !en {
        esc(out, text);
        return;
    }
    let out = std::cell::RefCell::new(out);
    runs(
        text,
        |p| esc(&mut out.borrow_mut(), p),
        |z| {
            let mut o = out.borrow_mut();
            o.push_str(OPEN);
            esc(&mut o, z);
            o.push_str("</span>");
        },
    );
}

/// `html` (sanitised inline HTML: a note) with each run of Chinese in its text marked. Tags are
/// copied untouched; an element already marked Chinese is left as it is.
pub(super) fn html(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 32);
    let mut rest = html;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => {
                let end = rest.find('>').map_or(rest.len(), |e| e + 1);
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
            Some(n) => {
                mark_raw(&mut out, &rest[..n]);
                rest = &rest[n..];
            }
            None => {
                mark_raw(&mut out, rest);
                rest = "";
            }
        }
    }
    out
}

/// Marks the runs of Chinese in `s`, text that is already HTML (escaped).
fn mark_raw(out: &mut String, s: &str) {
    let out = std::cell::RefCell::new(out);
    runs(
        s,
        |p| out.borrow_mut().push_str(p),
        |z| {
            let mut o = out.borrow_mut();
            o.push_str(OPEN);
            o.push_str(z);
            o.push_str("</span>");
        },
    );
}

/// `{{ text | zh_marked | safe }}`: `text` escaped, its Chinese marked in the English edition
/// (in both with `always=true`, for English text inside an element marked English).
pub(super) struct Filter {
    /// Whether this is the English edition's.
    pub(super) en: bool,
}

impl tera::Filter for Filter {
    fn filter(
        &self,
        value: &tera::Value,
        args: &HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        let s = value
            .as_str()
            .ok_or_else(|| tera::Error::msg("zh_marked needs a string"))?;
        let always = args.get("always").and_then(tera::Value::as_bool) == Some(true);
        let mut out = String::with_capacity(s.len() + 16);
        text(&mut out, s, self.en || always);
        Ok(tera::Value::String(out))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_runs_are_marked_in_english_only() {
        let mut out = String::new();
        text(&mut out, "Soft wording (原则上, 一般): not <hard>", true);
        assert_eq!(
            out,
            "Soft wording (<span lang=\"zh-Hans\">原则上</span>, <span lang=\"zh-Hans\">一般</span>): not &lt;hard&gt;"
        );
        let mut zh = String::new();
        text(&mut zh, "弹性（原则上）", false);
        assert_eq!(zh, "弹性（原则上）");
        // CJK punctuation travels with the words it encloses; alone it is not Chinese.
        let mut p = String::new();
        text(&mut p, "《全国年节》 art. 2 「」", true);
        assert_eq!(p, "<span lang=\"zh-Hans\">《全国年节》</span> art. 2 「」");
    }

    #[test]
    fn tags_are_left_alone() {
        assert_eq!(
            html("the copy has <em>前提提交</em> <a href=\"x\" title=\"中\">x</a>"),
            "the copy has <em><span lang=\"zh-Hans\">前提提交</span></em> <a href=\"x\" title=\"中\">x</a>"
        );
    }
}
