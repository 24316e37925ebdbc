//! The search tokenizer. This comment is its specification; `themes/default/static/search.js`
//! implements the same rules for queries, and `tests/tokenizer-vectors.json` holds the test
//! vectors both implementations must reproduce exactly.
//!
//! # Specification (version 2)
//!
//! Input is a string; output is a sequence of tokens, each with its text and the span
//! `[start, end)` it covers in the input, counted in UTF-16 code units (JavaScript string
//! indices). The position of a token is its index in the sequence; a phrase matches where its
//! tokens occur at consecutive positions.
//!
//! 1. **Folding**, per code point: U+FF01–U+FF5E (full-width ASCII forms) become the ASCII
//!    character 0xFEE0 below; U+3000 (ideographic space) becomes a space; `A`–`Z` become
//!    `a`–`z`; a traditional Han character becomes its simplified form by the table
//!    `simplified.txt` (2,751 pairs from the Unicode Unihan database's kSimplifiedVariant, see
//!    [`SIMPLIFIED`]; 報 → 报, 國 → 国). Nothing else is folded. Folding never changes the
//!    length of a code point in UTF-16 (every pair is in the Basic Multilingual Plane), so
//!    spans refer to the original input.
//! 2. **Classes**, after folding: *digit* `0`–`9`; *letter* `a`–`z`; *Han* U+3400–U+4DBF,
//!    U+4E00–U+9FFF, U+F900–U+FAFF and U+3007 (〇); everything else is a *separator*.
//! 3. **Words**: a maximal run of digits and letters is one token. The run continues across
//!    one `.`, `:` or `,` that has a digit immediately on both sides (`3:1`, `1.5`, `2,000`);
//!    `,` is dropped from the token text (`2,000` → `2000`). A `%` immediately after a digit
//!    ends the token and belongs to it (`25%`).
//! 4. **Han**: a maximal run of Han characters of length 1 is one token (a unigram); a run of
//!    length n ≥ 2 gives its n − 1 overlapping bigrams, in order.
//! 5. Separators produce nothing. White space therefore never matters: `300 万元` and
//!    `300万元` both give `300`, `万元` at consecutive positions.
//!
//! Queries use the same function. A one-character Han query is looked up in the per-character
//! table of the index (every Han character of a document), not in the token postings.

/// The traditional → simplified table of rule 1: after `#` comment lines, one pair a line, the
/// character then its simplified form. Written by `scripts/unihan-simplified` from Unihan's
/// kSimplifiedVariant: the Unicode Consortium's own character-level table, kept with every
/// Unicode release, where phrase-level converters (OpenCC and the crates built on it) need
/// context the browser's tokenizer does not have. The engine gets the same pairs (index.rs
/// writes them into `engine.js`), so a query and the text are folded alike.
pub const SIMPLIFIED: &str = include_str!("simplified.txt");

/// The pairs of [`SIMPLIFIED`], as (traditional, simplified), in code-point order.
pub fn simplified_pairs() -> impl Iterator<Item = (char, char)> {
    SIMPLIFIED
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| {
            let mut cs = l.chars();
            Some((cs.next()?, cs.next()?))
        })
}

/// First code point of the folding table: every Han code point of rule 2 is at least this.
const HAN_START: u32 = 0x3400;

/// [`SIMPLIFIED`] as a table by code point from [`HAN_START`] to U+FAFF: the simplified code
/// point, or 0 when the character is not folded. Made once (100 KB).
fn simplified_table() -> &'static [u16] {
    static TABLE: std::sync::OnceLock<Vec<u16>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = vec![0u16; (0xFB00 - HAN_START) as usize];
        for (from, to) in simplified_pairs() {
            if let (Some(slot), Ok(to)) = (
                t.get_mut((from as u32).wrapping_sub(HAN_START) as usize),
                u16::try_from(to as u32),
            ) {
                *slot = to;
            }
        }
        t
    })
}

/// A Han character folded to its simplified form (rule 1); itself when the table has none.
#[inline]
fn fold_han(c: char) -> char {
    match simplified_table().get((c as u32).wrapping_sub(HAN_START) as usize) {
        Some(&s) if s != 0 => char::from_u32(u32::from(s)).unwrap_or(c),
        _ => c,
    }
}

/// One token with its span in UTF-16 code units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Folded token text.
    pub text: String,
    /// First UTF-16 code unit covered.
    pub start: usize,
    /// One past the last UTF-16 code unit covered.
    pub end: usize,
}

/// Folds one code point (rule 1).
pub fn fold(c: char) -> char {
    let u = c as u32;
    if u < 0x80 {
        return c.to_ascii_lowercase();
    }
    match u {
        0xFF01..=0xFF5E => char::from_u32(u - 0xFEE0).unwrap_or(c).to_ascii_lowercase(),
        0x3000 => ' ',
        _ if is_han(c) => fold_han(c),
        _ => c,
    }
}

/// Whether a folded code point is Han (rule 2).
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x3007)
}

/// Classes of folded code points (rule 2), worked out once per code point.
const SEP: u8 = 0;
const DIGIT: u8 = 1;
const LETTER: u8 = 2;
const HAN: u8 = 3;

/// The class of an unfolded code point.
fn class_of(c: char) -> u8 {
    fold_class(c).1
}

/// Folded ASCII and its class, by code: a table lookup for most of the text.
const ASCII: [(u8, u8); 128] = {
    let mut t = [(0u8, SEP); 128];
    let mut i = 0;
    while i < 128 {
        let c = i as u8;
        t[i] = match c {
            b'0'..=b'9' => (c, DIGIT),
            b'a'..=b'z' => (c, LETTER),
            b'A'..=b'Z' => (c + 32, LETTER),
            _ => (c, SEP),
        };
        i += 1;
    }
    t
};

/// A code point folded (rule 1) and classified (rule 2) at once.
#[inline]
fn fold_class(c: char) -> (char, u8) {
    let u = c as u32;
    if u < 0x80 {
        let (f, k) = ASCII[u as usize];
        return (f as char, k);
    }
    if is_han(c) {
        return (fold_han(c), HAN);
    }
    match u {
        0xFF01..=0xFF5E => {
            let (f, k) = ASCII[(u - 0xFEE0) as usize];
            (f as char, k)
        }
        0x3000 => (' ', SEP),
        _ => (c, SEP),
    }
}

/// Tokenizes `text` by the rules above.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    scan(text, |t, start, end| {
        out.push(Token {
            text: t.to_string(),
            start,
            end,
        })
    });
    out
}

/// A token as [`scan`] reports it, before it is made a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok<'a> {
    /// A word (rule 3), folded.
    Word(&'a str),
    /// A lone Han character (rule 4).
    Han(char),
    /// Two consecutive Han characters of a longer run (rule 4).
    Bigram(char, char),
}

impl std::fmt::Display for Tok<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tok::Word(w) => f.write_str(w),
            Tok::Han(c) => write!(f, "{c}"),
            Tok::Bigram(a, b) => write!(f, "{a}{b}"),
        }
    }
}

/// Calls `f(token, start, end)` for every token of `text`, in order, by the rules above.
///
/// This is the one implementation of the rules: [`tokenize`] collects its calls, and the index
/// builder interns the tokens directly (no string per token, which was the largest cost of
/// building the index).
pub fn scan(text: &str, f: impl FnMut(Tok<'_>, usize, usize)) {
    Scanner::default().scan(text, f);
}

/// [`scan`] with its buffer kept from one text to the next (the index scans tens of thousands
/// of texts).
#[derive(Debug, Default)]
pub struct Scanner {
    word: String,
}

impl Scanner {
    /// Calls `f(token, start, end)` for every token of `text`, like [`scan`].
    ///
    /// One pass over the code points, with no buffer but the current word: a word is reported
    /// when it ends, a Han pair as soon as its second character is read, a lone Han character
    /// when its run ends. Offsets are UTF-16 (folding never changes a code point's length).
    pub fn scan(&mut self, text: &str, mut f: impl FnMut(Tok<'_>, usize, usize)) {
        let word = &mut self.word;
        word.clear();
        // The current word's start and whether its last character is a digit.
        let mut word_start: Option<usize> = None;
        let mut last_digit = false;
        // The previous Han character of the current run, its offset, and the run's length.
        let mut han: Option<(char, usize)> = None;
        let mut run = 0;
        let mut o = 0;
        let mut chars = text.chars();
        while let Some(raw) = chars.next() {
            let (c, class) = fold_class(raw);
            let width = if (raw as u32) < 0x1_0000 { 1 } else { 2 };
            if let Some(start) = word_start {
                if class == DIGIT || class == LETTER {
                    word.push(c);
                    last_digit = class == DIGIT;
                    o += width;
                    continue;
                }
                let next_digit = || chars.clone().next().is_some_and(|n| class_of(n) == DIGIT);
                if matches!(c, '.' | ':' | ',') && last_digit && next_digit() {
                    if c != ',' {
                        word.push(c);
                    }
                    last_digit = false;
                    o += width;
                    continue;
                }
                if c == '%' && last_digit {
                    word.push(c);
                    f(Tok::Word(word), start, o + width);
                    word.clear();
                    word_start = None;
                    o += width;
                    continue;
                }
                f(Tok::Word(word), start, o);
                word.clear();
                word_start = None;
            }
            match class {
                DIGIT | LETTER => {
                    if let Some((h, at)) = han.take() {
                        if run == 1 {
                            f(Tok::Han(h), at, at + 1);
                        }
                    }
                    word_start = Some(o);
                    word.push(c);
                    last_digit = class == DIGIT;
                }
                HAN => {
                    match han {
                        Some((h, at)) => {
                            f(Tok::Bigram(h, c), at, o + 1);
                            run += 1;
                        }
                        None => run = 1,
                    }
                    han = Some((c, o));
                }
                _ => {
                    if let Some((h, at)) = han.take() {
                        if run == 1 {
                            f(Tok::Han(h), at, at + 1);
                        }
                    }
                }
            }
            o += width;
        }
        if let Some(start) = word_start {
            f(Tok::Word(word), start, o);
        }
        if let Some((h, at)) = han {
            if run == 1 {
                f(Tok::Han(h), at, at + 1);
            }
        }
    }
}

/// FNV-1a over the token's code points (each code point XORed in whole, then multiplied by
/// 16777619 modulo 2³²). Chooses the shard of a key; the JS side computes the same.
pub fn hash(key: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for c in key.chars() {
        h ^= c as u32;
        h = h.wrapping_mul(16_777_619);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    /// The scanner's table-driven fold and class agree with the rules as written above.
    #[test]
    fn fold_class_is_fold_then_class() {
        for c in (0..0x2_0000).filter_map(char::from_u32) {
            let f = fold(c);
            let class = if f.is_ascii_digit() {
                DIGIT
            } else if f.is_ascii_lowercase() {
                LETTER
            } else if is_han(f) {
                HAN
            } else {
                SEP
            };
            assert_eq!(fold_class(c), (f, class), "U+{:04X}", c as u32);
        }
    }

    /// The table folds traditional characters to Han characters that are not folded again, and
    /// leaves simplified text as it is.
    #[test]
    fn traditional_folds_once_to_simplified() {
        let pairs: Vec<(char, char)> = simplified_pairs().collect();
        assert!(pairs.len() > 2_000, "{} pairs", pairs.len());
        for (t, s) in &pairs {
            assert!(is_han(*t) && is_han(*s) && t != s, "{t}{s}");
            assert_eq!(fold(*t), *s);
            assert_eq!(fold(*s), *s, "{t} → {s} is folded again");
        }
        assert_eq!(texts("年度報告"), texts("年度报告"));
        assert_eq!(texts("國際聯合實驗室"), texts("国际联合实验室"));
        // 乾 is also simplified (乾坤): not folded to 干.
        assert_eq!(fold('乾'), '乾');
    }

    #[test]
    fn numbers_and_han() {
        assert_eq!(texts("不低于3：1。"), ["不低", "低于", "3:1"]);
        assert_eq!(texts("300 万元"), texts("300万元"));
        assert_eq!(texts("拨付 25%，"), ["拨付", "25%"]);
        assert_eq!(texts("R&D"), ["r", "d"]);
        assert_eq!(texts("1."), ["1"]);
    }
}
