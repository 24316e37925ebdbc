//! The search tokenizer. This comment is its specification; `themes/default/static/search.js`
//! implements the same rules for queries, and `tests/tokenizer-vectors.json` holds the test
//! vectors both implementations must reproduce exactly.
//!
//! # Specification (version 1)
//!
//! Input is a string; output is a sequence of tokens, each with its text and the span
//! `[start, end)` it covers in the input, counted in UTF-16 code units (JavaScript string
//! indices). The position of a token is its index in the sequence; a phrase matches where its
//! tokens occur at consecutive positions.
//!
//! 1. **Folding**, per code point: U+FF01–U+FF5E (full-width ASCII forms) become the ASCII
//!    character 0xFEE0 below; U+3000 (ideographic space) becomes a space; `A`–`Z` become
//!    `a`–`z`. Nothing else is folded. Folding never changes the length of a code point in
//!    UTF-16, so spans refer to the original input.
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
    match u {
        0xFF01..=0xFF5E => char::from_u32(u - 0xFEE0).unwrap_or(c).to_ascii_lowercase(),
        0x3000 => ' ',
        _ => c.to_ascii_lowercase(),
    }
}

/// Whether a folded code point is Han (rule 2).
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x3007)
}

fn is_word(c: char) -> bool {
    c.is_ascii_digit() || c.is_ascii_lowercase()
}

/// Tokenizes `text` by the rules above.
pub fn tokenize(text: &str) -> Vec<Token> {
    // Folded code points with their UTF-16 start offsets; one extra offset at the end.
    let mut cs: Vec<char> = Vec::new();
    let mut off: Vec<usize> = Vec::new();
    let mut o = 0;
    for c in text.chars() {
        cs.push(fold(c));
        off.push(o);
        o += c.len_utf16();
    }
    off.push(o);
    let digit = |i: usize| cs.get(i).is_some_and(char::is_ascii_digit);
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if is_word(c) {
            let start = i;
            let mut word = String::new();
            while i < cs.len() {
                let c = cs[i];
                if is_word(c) {
                    word.push(c);
                    i += 1;
                } else if matches!(c, '.' | ':' | ',') && i > start && digit(i - 1) && digit(i + 1)
                {
                    if c != ',' {
                        word.push(c);
                    }
                    i += 1;
                } else if c == '%' && digit(i - 1) {
                    word.push(c);
                    i += 1;
                    break;
                } else {
                    break;
                }
            }
            out.push(Token {
                text: word,
                start: off[start],
                end: off[i],
            });
        } else if is_han(c) {
            let start = i;
            while i < cs.len() && is_han(cs[i]) {
                i += 1;
            }
            if i - start == 1 {
                out.push(Token {
                    text: c.to_string(),
                    start: off[start],
                    end: off[i],
                });
            } else {
                for k in start..i - 1 {
                    out.push(Token {
                        text: cs[k..k + 2].iter().collect(),
                        start: off[k],
                        end: off[k + 2],
                    });
                }
            }
        } else {
            i += 1;
        }
    }
    out
}

/// The distinct Han characters of `text`, for the per-character table.
pub fn han_chars(text: &str) -> Vec<char> {
    let mut v: Vec<char> = text.chars().map(fold).filter(|c| is_han(*c)).collect();
    v.sort_unstable();
    v.dedup();
    v
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

    #[test]
    fn numbers_and_han() {
        assert_eq!(texts("不低于3：1。"), ["不低", "低于", "3:1"]);
        assert_eq!(texts("300 万元"), texts("300万元"));
        assert_eq!(texts("拨付 25%，"), ["拨付", "25%"]);
        assert_eq!(texts("R&D"), ["r", "d"]);
        assert_eq!(texts("1."), ["1"]);
    }
}
