//! Text helpers shared by import, validation and tests: width folding, Chinese numerals,
//! sentence splitting.

/// Folds a string for comparison with its source: full-width ASCII forms become half-width,
/// and every kind of white space (including U+3000 and no-break space) is removed.
///
/// The source copies mix `（一）` and `(一)`, `，` and `,`, and break lines at random;
/// none of that is a difference in the text.
pub fn fold(s: &str) -> String {
    s.chars().filter_map(fold_char).collect()
}

/// Folds one character; `None` for white space.
pub fn fold_char(c: char) -> Option<char> {
    if c.is_whitespace() {
        return None;
    }
    let u = c as u32;
    Some(match u {
        0xFF01..=0xFF5E => char::from_u32(u - 0xFEE0).unwrap_or(c),
        _ => c,
    })
}

/// Value of a Chinese numeral as used in article and chapter numbers (一 … 九十九, 一百…).
/// Also accepts ASCII digits. `None` if `s` is not a numeral.
pub fn chinese_number(s: &str) -> Option<u32> {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    let mut total = 0u32;
    let mut current: Option<u32> = None;
    let mut seen = false;
    for c in s.chars() {
        seen = true;
        let digit = match c {
            '〇' | '零' => Some(0),
            '一' => Some(1),
            '二' | '两' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        };
        if let Some(d) = digit {
            current = Some(d);
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => return None,
        };
        total += current.unwrap_or(1) * unit;
        current = None;
    }
    if !seen {
        return None;
    }
    Some(total + current.unwrap_or(0))
}

/// The Chinese numeral for `n` (1–999), as written in article labels: 19 → 十九, 21 → 二十一.
pub fn chinese_numeral(n: u32) -> String {
    let mut s = String::new();
    push_chinese_numeral(&mut s, n);
    s
}

/// Appends [`chinese_numeral`]`(n)` to `s`.
pub fn push_chinese_numeral(s: &mut String, n: u32) {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n == 0 {
        s.push_str(D[0]);
        return;
    }
    let (h, t, u) = (n / 100, (n / 10) % 10, n % 10);
    if h > 0 {
        s.push_str(D[h as usize]);
        s.push('百');
        if t == 0 && u > 0 {
            s.push('零');
        }
    }
    if t > 0 {
        if !(t == 1 && h == 0) {
            s.push_str(D[t as usize]);
        }
        s.push('十');
    }
    if u > 0 {
        s.push_str(D[u as usize]);
    }
}

/// Splits folded text into sentences at 。；！？ (the terminator stays with its sentence).
pub fn sentences(folded: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in folded.char_indices() {
        if matches!(c, '。' | ';' | '；' | '!' | '?' | '！' | '？') {
            let end = i + c.len_utf8();
            if end > start {
                out.push(&folded[start..end]);
            }
            start = end;
        }
    }
    if start < folded.len() {
        out.push(&folded[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_and_space() {
        assert_eq!(fold("（一） 不少于 20 人，"), "(一)不少于20人,");
        assert_eq!(fold("第一章　总　则"), "第一章总则");
        assert_eq!(fold("\u{a0}x"), "x");
    }

    #[test]
    fn parses_chinese_numbers() {
        for (s, n) in [
            ("一", 1),
            ("十", 10),
            ("十八", 18),
            ("二十", 20),
            ("二十九", 29),
            ("三十三", 33),
            ("一百零一", 101),
            ("23", 23),
        ] {
            assert_eq!(chinese_number(s), Some(n), "{s}");
        }
        assert_eq!(chinese_number("条"), None);
        assert_eq!(chinese_number(""), None);
    }

    #[test]
    fn numerals_round_trip() {
        for n in 1..=150 {
            assert_eq!(chinese_number(&chinese_numeral(n)), Some(n), "{n}");
        }
        assert_eq!(chinese_numeral(19), "十九");
        assert_eq!(chinese_numeral(21), "二十一");
    }

    #[test]
    fn splits_sentences() {
        assert_eq!(sentences("甲。乙；丙"), vec!["甲。", "乙；", "丙"]);
    }
}
