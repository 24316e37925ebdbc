//! Invented jurisdiction names: two (or more) characters from a pool of place-name characters,
//! each with its pinyin, so every synthetic measure has its own Chinese and English name.

/// Place-name characters and their pinyin. No numerals (they would read as article numbers).
const POOL: &[(&str, &str)] = &[
    ("安", "an"),
    ("宝", "bao"),
    ("北", "bei"),
    ("滨", "bin"),
    ("昌", "chang"),
    ("城", "cheng"),
    ("川", "chuan"),
    ("春", "chun"),
    ("丹", "dan"),
    ("德", "de"),
    ("东", "dong"),
    ("丰", "feng"),
    ("福", "fu"),
    ("阜", "fu"),
    ("甘", "gan"),
    ("港", "gang"),
    ("高", "gao"),
    ("光", "guang"),
    ("广", "guang"),
    ("贵", "gui"),
    ("海", "hai"),
    ("汉", "han"),
    ("河", "he"),
    ("和", "he"),
    ("鹤", "he"),
    ("衡", "heng"),
    ("湖", "hu"),
    ("华", "hua"),
    ("淮", "huai"),
    ("黄", "huang"),
    ("惠", "hui"),
    ("吉", "ji"),
    ("嘉", "jia"),
    ("建", "jian"),
    ("江", "jiang"),
    ("金", "jin"),
    ("锦", "jin"),
    ("景", "jing"),
    ("静", "jing"),
    ("康", "kang"),
    ("兰", "lan"),
    ("乐", "le"),
    ("丽", "li"),
    ("连", "lian"),
    ("临", "lin"),
    ("龙", "long"),
    ("隆", "long"),
    ("庐", "lu"),
    ("鹿", "lu"),
    ("罗", "luo"),
    ("洛", "luo"),
    ("茂", "mao"),
    ("梅", "mei"),
    ("明", "ming"),
    ("南", "nan"),
    ("宁", "ning"),
    ("平", "ping"),
    ("普", "pu"),
    ("启", "qi"),
    ("清", "qing"),
    ("庆", "qing"),
    ("泉", "quan"),
    ("瑞", "rui"),
    ("山", "shan"),
    ("韶", "shao"),
    ("盛", "sheng"),
    ("石", "shi"),
    ("顺", "shun"),
    ("松", "song"),
    ("泰", "tai"),
    ("唐", "tang"),
    ("天", "tian"),
    ("通", "tong"),
    ("威", "wei"),
    ("文", "wen"),
    ("武", "wu"),
    ("西", "xi"),
    ("湘", "xiang"),
    ("新", "xin"),
    ("兴", "xing"),
    ("阳", "yang"),
    ("宜", "yi"),
    ("义", "yi"),
    ("永", "yong"),
    ("玉", "yu"),
    ("元", "yuan"),
    ("岳", "yue"),
    ("云", "yun"),
    ("泽", "ze"),
    ("长", "chang"),
    ("镇", "zhen"),
    ("忠", "zhong"),
    ("舟", "zhou"),
    ("珠", "zhu"),
    ("枫", "feng"),
    ("桐", "tong"),
];

/// An invented place name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Name {
    /// Chinese stem without 省/市, e.g. `安北`.
    pub zh: String,
    /// Pinyin, capitalised, e.g. `Anbei`.
    pub en: String,
    /// Lower-case ASCII slug, e.g. `anbei`.
    pub slug: String,
}

/// Real stems the generated names must not reproduce (they would be confused with the real measures).
const RESERVED: &[&str] = &["云南", "浙江", "昆明", "全国"];

/// The `i`-th name of a sequence scrambled by `seed`; distinct for distinct `i`.
pub(super) fn name(i: u64, seed: u64) -> Name {
    let p = POOL.len() as u64;
    let square = p * p;
    // An affine map modulo p² with a stride coprime to p² is a bijection on 0..p².
    let stride = coprime_stride(square, seed);
    let offset = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) % square;
    let mut k = i;
    loop {
        let (low, high) = (k % square, k / square);
        let idx = (low.wrapping_mul(stride) % square + offset) % square;
        let mut digits = vec![idx / p, idx % p];
        let mut h = high;
        while h > 0 {
            digits.push(h % p);
            h /= p;
        }
        let zh: String = digits.iter().map(|&d| POOL[d as usize].0).collect();
        if RESERVED.contains(&zh.as_str()) {
            // Skip to a name outside the first square; still distinct from all others.
            k = i + square * (1 + i / square + 1_000_000);
            continue;
        }
        let pinyin: String = digits.iter().map(|&d| POOL[d as usize].1).collect();
        let mut en = pinyin.clone();
        en[..1].make_ascii_uppercase();
        return Name {
            zh,
            en,
            slug: pinyin,
        };
    }
}

fn coprime_stride(m: u64, seed: u64) -> u64 {
    let mut s = 7919 + (seed % 1000) * 2;
    while gcd(s, m) != 1 {
        s += 1;
    }
    s
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_distinct() {
        let mut seen = std::collections::BTreeSet::new();
        for i in 0..12_000 {
            assert!(seen.insert(name(i, 42).zh), "duplicate at {i}");
        }
    }
}
