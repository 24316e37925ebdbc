//! How a query is read before it is looked up. This comment is its specification (version 1);
//! `engine.js` (`parse`, `articleRef`, `alternatives`) implements it in the browser, and the
//! `queries` vectors of `tests/tokenizer-vectors.json` hold what both must make of a query.
//!
//! 1. A query is cut to its first 200 UTF-16 code units.
//! 2. **Article reference.** On the query folded code point by code point (tokenizer rule 1),
//!    the first match of `(第)?\s*(N)\s*条` not followed by 件, 文, 例 or 款, then optionally
//!    `\s*(第\s*(N)|\(\s*(N)\s*\))\s*([项款目])?`, where `N` is a run of ASCII digits or of
//!    the Chinese numerals 〇零一二三四五六七八九十百两, names article `N` (十九 = 19, 一百零二 =
//!    102), and the optional part its clause (项, or no word) or paragraph (款). Without 第, a
//!    single Chinese numeral is a count (一条龙), not an article. Failing that, the first match
//!    of `\b(art|article|arts|articles)\b\.?\s*([0-9]+)(\s*\(\s*([0-9]+)\s*\))?` (art. 19,
//!    article 19(2)) names article and clause. The rest of the query is the query without the
//!    match. An article number of 0 or above 9999 is no reference.
//! 3. **Terms.** The rest is split at white space; each piece with tokens is a term. A term is
//!    present in a unit as typed when its tokens occur there as a phrase, and present *apart*
//!    when the unit has its *needed keys*: its words and lone Han characters, and of each run
//!    of Han pairs (consecutive overlapping bigrams) the first, every other one after it, and
//!    the last (年度报告 → 年度, 报告; 学术委员会 → 学术, 委员, 员会), so the two-character words of
//!    a Chinese phrase match in any order and apart.
//! 4. **Exact phrase.** The tokens of the rest with white space between two Han characters
//!    removed (`年度 报告` is also the phrase 年度报告).
//! 5. **Alternatives.** For each glossary term (in glossary order) and each of its wordings
//!    (zh, search_zh, en, search_en; `content/glossary.toml`), wherever a run of whole terms has
//!    exactly the wording's tokens, the query with each other wording of the term in its place
//!    (as one term); at most 8 in all. An alternative counts only where each of its terms
//!    occurs as typed (the wording put in as a phrase).

use super::tokenizer::{is_han, tokenize, Token};

/// Queries are cut to this many UTF-16 code units.
pub const MAX_QUERY: usize = 200;

/// At most this many alternatives are made of a query.
pub const MAX_ALTERNATIVES: usize = 8;

/// The article (and clause or paragraph) a query names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleRef {
    /// Article number.
    pub n: u32,
    /// Clause or paragraph number; 0 for none.
    pub sub: u32,
    /// `"clause"`, `"para"` or `""`.
    pub kind: &'static str,
    /// The query without the reference.
    pub rest: String,
}

/// A term of a query (rule 3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Its tokens, in order.
    pub toks: Vec<String>,
    /// The keys a unit must have for the term to be present apart.
    pub need: Vec<String>,
}

/// A query read (rules 1–4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The article reference, if any.
    pub article: Option<ArticleRef>,
    /// The terms of the rest.
    pub terms: Vec<Term>,
    /// The tokens of the exact phrase.
    pub phrase: Vec<String>,
}

fn is_pair(t: &str) -> bool {
    let mut cs = t.chars();
    matches!((cs.next(), cs.next(), cs.next()), (Some(a), Some(b), None) if is_han(a) && is_han(b))
}

/// The term of `toks` (rule 3).
pub fn term(toks: &[Token]) -> Term {
    let mut need = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if !is_pair(&toks[i].text) {
            need.push(toks[i].text.clone());
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < toks.len()
            && is_pair(&toks[j + 1].text)
            && toks[j + 1].start == toks[j].start + 1
        {
            j += 1;
        }
        need.extend((i..=j).step_by(2).map(|k| toks[k].text.clone()));
        if (j - i) % 2 == 1 {
            need.push(toks[j].text.clone());
        }
        i = j + 1;
    }
    Term {
        toks: toks.iter().map(|t| t.text.clone()).collect(),
        need,
    }
}

/// The first 200 UTF-16 code units of `q` (rule 1), on a character boundary.
fn cut(q: &str) -> &str {
    let mut units = 0;
    for (i, c) in q.char_indices() {
        units += c.len_utf16();
        if units > MAX_QUERY {
            return &q[..i];
        }
    }
    q
}

/// Reads query `q` (rules 1–4).
pub fn parse(q: &str) -> Query {
    let q = cut(q);
    let article = article_ref(q);
    let text = article.as_ref().map_or(q, |a| a.rest.as_str());
    let terms = text
        .split(char::is_whitespace)
        .filter_map(|piece| {
            let toks = tokenize(piece);
            (!toks.is_empty()).then(|| term(&toks[..toks.len().min(40)]))
        })
        .collect();
    // White space between two Han characters goes.
    let cs: Vec<char> = text.chars().collect();
    let mut joined = String::with_capacity(text.len());
    let mut i = 0;
    while i < cs.len() {
        joined.push(cs[i]);
        if is_han(cs[i]) {
            let mut j = i + 1;
            while j < cs.len() && cs[j].is_whitespace() {
                j += 1;
            }
            if j > i + 1 && j < cs.len() && is_han(cs[j]) {
                i = j;
                continue;
            }
        }
        i += 1;
    }
    let phrase = tokenize(&joined)
        .into_iter()
        .take(40)
        .map(|t| t.text)
        .collect();
    Query {
        article,
        terms,
        phrase,
    }
}

const NUMERALS: &str = "〇零一二三四五六七八九十百两";

/// 十九 → 19, 一百零二 → 102, 19 → 19.
pub fn cn_number(s: &str) -> u32 {
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().unwrap_or(u32::MAX);
    }
    let (mut total, mut cur) = (0u32, 0u32);
    for c in s.chars() {
        match c {
            '十' => {
                total += cur.max(1) * 10;
                cur = 0;
            }
            '百' => {
                total += cur.max(1) * 100;
                cur = 0;
            }
            _ => {
                cur = "〇一二三四五六七八九"
                    .chars()
                    .position(|d| d == c)
                    .map_or_else(
                        || match c {
                            '两' => 2,
                            _ => 0,
                        },
                        |p| p as u32,
                    )
            }
        }
    }
    total + cur
}

/// Length of the numeral run (`N` of rule 2) at `at`, 0 for none.
fn number_at(cs: &[char], at: usize) -> usize {
    let digits = cs[at..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 {
        return digits;
    }
    cs[at..]
        .iter()
        .take_while(|c| NUMERALS.contains(**c))
        .count()
}

fn skip_ws(cs: &[char], mut at: usize) -> usize {
    while at < cs.len() && cs[at].is_whitespace() {
        at += 1;
    }
    at
}

/// The Chinese form of rule 2 at `i`: (end, 第 given, number, sub, kind).
fn chinese_at(cs: &[char], i: usize) -> Option<(usize, bool, String, Option<String>, char)> {
    let mut at = i;
    let di = cs.get(at) == Some(&'第');
    if di {
        at += 1;
    }
    at = skip_ws(cs, at);
    let n = number_at(cs, at);
    if n == 0 {
        return None;
    }
    let number: String = cs[at..at + n].iter().collect();
    at = skip_ws(cs, at + n);
    if cs.get(at) != Some(&'条') || cs.get(at + 1).is_some_and(|c| "件文例款".contains(*c)) {
        return None;
    }
    at += 1;
    // The optional clause or paragraph.
    let tail = || -> Option<(usize, String, char)> {
        let mut t = skip_ws(cs, at);
        let sub;
        if cs.get(t) == Some(&'第') {
            t = skip_ws(cs, t + 1);
            let n = number_at(cs, t);
            if n == 0 {
                return None;
            }
            sub = cs[t..t + n].iter().collect::<String>();
            t += n;
        } else if cs.get(t) == Some(&'(') {
            t = skip_ws(cs, t + 1);
            let n = number_at(cs, t);
            if n == 0 {
                return None;
            }
            sub = cs[t..t + n].iter().collect::<String>();
            t = skip_ws(cs, t + n);
            if cs.get(t) != Some(&')') {
                return None;
            }
            t += 1;
        } else {
            return None;
        }
        let w = skip_ws(cs, t);
        match cs.get(w) {
            Some(c) if "项款目".contains(*c) => Some((w + 1, sub, *c)),
            _ => Some((t, sub, ' ')),
        }
    };
    Some(match tail() {
        Some((end, sub, kind)) => (end, di, number, Some(sub), kind),
        None => (at, di, number, None, ' '),
    })
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The English form of rule 2 at `i`: (end, number, clause).
fn english_at(cs: &[char], i: usize) -> Option<(usize, String, Option<String>)> {
    if i > 0 && is_word(cs[i - 1]) {
        return None;
    }
    let word_end = i + cs[i..].iter().take_while(|c| is_word(**c)).count();
    let word: String = cs[i..word_end].iter().collect();
    if !matches!(word.as_str(), "art" | "article" | "arts" | "articles") {
        return None;
    }
    let mut at = word_end;
    if cs.get(at) == Some(&'.') {
        at += 1;
    }
    at = skip_ws(cs, at);
    let n = cs[at..].iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 {
        return None;
    }
    let number: String = cs[at..at + n].iter().collect();
    at += n;
    let mut t = skip_ws(cs, at);
    if cs.get(t) == Some(&'(') {
        t = skip_ws(cs, t + 1);
        let k = cs[t..].iter().take_while(|c| c.is_ascii_digit()).count();
        if k > 0 {
            let sub: String = cs[t..t + k].iter().collect();
            let close = skip_ws(cs, t + k);
            if cs.get(close) == Some(&')') {
                return Some((close + 1, number, Some(sub)));
            }
        }
    }
    Some((at, number, None))
}

/// The article `q` names (rule 2), or `None`.
pub fn article_ref(q: &str) -> Option<ArticleRef> {
    let original: Vec<char> = q.chars().collect();
    let cs: Vec<char> = original
        .iter()
        .map(|c| super::tokenizer::fold(*c))
        .collect();
    let rest = |start: usize, end: usize| {
        let mut r: String = original[..start].iter().collect();
        r.push(' ');
        r.extend(&original[end..]);
        r
    };
    let chinese = (0..cs.len()).find_map(|i| chinese_at(&cs, i).map(|m| (i, m)));
    let (n, sub, kind, start, end) = match chinese {
        Some((i, (end, di, number, sub, kind)))
            if di || number.chars().all(|c| c.is_ascii_digit()) || number.chars().count() > 1 =>
        {
            let kind = match (&sub, kind) {
                (None, _) => "",
                (Some(_), '款') => "para",
                _ => "clause",
            };
            (
                cn_number(&number),
                sub.map_or(0, |s| cn_number(&s)),
                kind,
                i,
                end,
            )
        }
        _ => {
            let (i, (end, number, sub)) =
                (0..cs.len()).find_map(|i| english_at(&cs, i).map(|m| (i, m)))?;
            let kind = if sub.is_some() { "clause" } else { "" };
            (
                number.parse().unwrap_or(0),
                sub.map_or(0, |s| s.parse().unwrap_or(0)),
                kind,
                i,
                end,
            )
        }
    };
    if n == 0 || n > 9999 {
        return None;
    }
    Some(ArticleRef {
        n,
        sub,
        kind,
        rest: rest(start, end),
    })
}

/// The alternatives of `query` (rule 5) from the glossary's `groups` of wordings: the wording
/// put in, for each.
pub fn alternatives(query: &Query, groups: &[Vec<String>]) -> Vec<String> {
    let keys = |s: &str| -> Vec<String> { tokenize(s).into_iter().map(|t| t.text).collect() };
    let mut out = Vec::new();
    for group in groups {
        let wordings: Vec<Vec<String>> = group.iter().map(|w| keys(w)).collect();
        for (wi, w) in wordings.iter().enumerate() {
            for i in 0..query.terms.len() {
                if out.len() >= MAX_ALTERNATIVES {
                    return out;
                }
                let mut got: Vec<&String> = Vec::new();
                let mut j = i;
                while j < query.terms.len() && got.len() < w.len() {
                    got.extend(&query.terms[j].toks);
                    j += 1;
                }
                if got
                    .iter()
                    .map(|s| s.as_str())
                    .ne(w.iter().map(String::as_str))
                {
                    continue;
                }
                for (vi, v) in wordings.iter().enumerate() {
                    if vi == wi || v.is_empty() || out.len() >= MAX_ALTERNATIVES {
                        continue;
                    }
                    out.push(group[vi].clone());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals() {
        for (s, n) in [
            ("十", 10),
            ("十九", 19),
            ("二十三", 23),
            ("一百零二", 102),
            ("19", 19),
        ] {
            assert_eq!(cn_number(s), n, "{s}");
        }
    }

    #[test]
    fn article_references() {
        let a = |q: &str| article_ref(q).map(|a| (a.n, a.sub, a.kind));
        assert_eq!(a("第十九条"), Some((19, 0, "")));
        assert_eq!(a("昆明 第十九条第二项"), Some((19, 2, "clause")));
        assert_eq!(a("第二十三条第一款"), Some((23, 1, "para")));
        assert_eq!(a("Art. 19(2)"), Some((19, 2, "clause")));
        assert_eq!(a("article 7"), Some((7, 0, "")));
        assert_eq!(a("一条龙"), None);
        assert_eq!(a("申报条件"), None);
        assert_eq!(a("smart 19"), None);
        assert_eq!(article_ref("昆明 第十九条").unwrap().rest, "昆明  ");
    }

    #[test]
    fn terms_need_a_cover_of_each_run() {
        let q = parse("年度报告 学术委员会");
        let need: Vec<Vec<String>> = q.terms.iter().map(|t| t.need.clone()).collect();
        assert_eq!(need, [vec!["年度", "报告"], vec!["学术", "委员", "员会"]]);
        assert_eq!(parse("年度 报告").phrase, ["年度", "度报", "报告"]);
    }
}
