//! Exact fractions ("1/3", "25%") and ratios ("3:1").
//!
//! Shares in the measures are exact (一次性给予…1/3, 拨付25%); they are kept as reduced
//! `num/den` pairs so that no rounding happens before the final, explicit rounding of money.

use std::fmt;

/// Largest numerator or denominator accepted when parsing (keeps every product in `i128`).
const MAX_TERM: u64 = 1_000_000_000;

/// A non-negative exact fraction `num/den`, always reduced, `den > 0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fraction {
    num: u64,
    den: u64,
    /// Whether the text wrote it as a percentage (for display only).
    percent: bool,
}

/// Why a fraction or ratio string could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FractionError(pub String);

impl fmt::Display for FractionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

impl Fraction {
    /// Builds `num/den`; `None` when `den` is zero or a term is too large.
    pub fn new(num: u64, den: u64) -> Option<Fraction> {
        if den == 0 || num > MAX_TERM || den > MAX_TERM {
            return None;
        }
        let g = gcd(num, den).max(1);
        Some(Fraction {
            num: num / g,
            den: den / g,
            percent: false,
        })
    }

    /// Numerator (reduced).
    pub fn num(&self) -> u64 {
        self.num
    }

    /// Denominator (reduced, never zero).
    pub fn den(&self) -> u64 {
        self.den
    }

    /// Whether the fraction is zero.
    pub fn is_zero(&self) -> bool {
        self.num == 0
    }

    /// Parses `"1/3"`, `"25%"`, `"12.5%"` or a whole number `"1"`.
    pub fn parse(text: &str) -> Result<Fraction, FractionError> {
        let t = text.trim();
        let bad = || FractionError(format!("not a fraction: {text:?} (write 1/3 or 25%)"));
        if let Some(p) = t.strip_suffix('%') {
            let (int, frac) = p.trim().split_once('.').unwrap_or((p.trim(), ""));
            if int.is_empty() || !all_digits(int) || !all_digits(frac) || frac.len() > 6 {
                return Err(bad());
            }
            let digits = format!("{int}{frac}");
            let num: u64 = digits.parse().map_err(|_| bad())?;
            let den = 10u64
                .pow(frac.len() as u32)
                .checked_mul(100)
                .ok_or_else(bad)?;
            let mut f = Fraction::new(num, den).ok_or_else(bad)?;
            f.percent = true;
            return Ok(f);
        }
        let (n, d) = t.split_once('/').unwrap_or((t, "1"));
        let (n, d) = (n.trim(), d.trim());
        if n.is_empty() || d.is_empty() || !all_digits(n) || !all_digits(d) {
            return Err(bad());
        }
        let num: u64 = n.parse().map_err(|_| bad())?;
        let den: u64 = d.parse().map_err(|_| bad())?;
        Fraction::new(num, den).ok_or_else(bad)
    }

    /// `a/b ≤ c/d` compared exactly.
    pub fn le(&self, other: &Fraction) -> bool {
        u128::from(self.num) * u128::from(other.den) <= u128::from(other.num) * u128::from(self.den)
    }

    /// Sum of fractions, `None` on overflow of the parse limits.
    pub fn checked_add(&self, other: &Fraction) -> Option<Fraction> {
        let num = u128::from(self.num) * u128::from(other.den)
            + u128::from(other.num) * u128::from(self.den);
        let den = u128::from(self.den) * u128::from(other.den);
        let g = gcd128(num, den).max(1);
        let (num, den) = (num / g, den / g);
        Fraction::new(u64::try_from(num).ok()?, u64::try_from(den).ok()?)
    }

    /// `floor(count × self)`: the largest whole number not above the share (a maximum).
    pub fn floor_of(&self, count: u64) -> u64 {
        let v = u128::from(count) * u128::from(self.num) / u128::from(self.den);
        u64::try_from(v).unwrap_or(u64::MAX)
    }
}

fn gcd128(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

impl fmt::Display for Fraction {
    /// Percent form when the text used it and it is exact, else `num/den`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.percent && 100 % self.den == 0 {
            write!(f, "{}%", self.num * (100 / self.den))
        } else if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

/// A ratio `a : b` as printed (e.g. 自筹 : 财政 = 3 : 1). Not reduced, for display fidelity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    /// First term.
    pub a: u64,
    /// Second term.
    pub b: u64,
}

impl Ratio {
    /// Builds a ratio; both terms must be positive and within limits.
    pub fn new(a: u64, b: u64) -> Option<Ratio> {
        (a > 0 && b > 0 && a <= MAX_TERM && b <= MAX_TERM).then_some(Ratio { a, b })
    }

    /// Parses `"3:1"` (also full-width `：`).
    pub fn parse(text: &str) -> Result<Ratio, FractionError> {
        let bad = || FractionError(format!("not a ratio: {text:?} (write 3:1)"));
        let t = text.trim().replace('：', ":");
        let (a, b) = t.split_once(':').ok_or_else(bad)?;
        let (a, b) = (a.trim(), b.trim());
        if a.is_empty() || b.is_empty() || !all_digits(a) || !all_digits(b) {
            return Err(bad());
        }
        Ratio::new(a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?).ok_or_else(bad)
    }

    /// `b/a`: how much of the second per unit of the first.
    pub fn second_per_first(&self) -> Option<Fraction> {
        Fraction::new(self.b, self.a)
    }

    /// `a/b`: how much of the first per unit of the second.
    pub fn first_per_second(&self) -> Option<Fraction> {
        Fraction::new(self.a, self.b)
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.a, self.b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_reduces() {
        let third = Fraction::parse("1/3").ok();
        assert_eq!(third.map(|f| (f.num(), f.den())), Some((1, 3)));
        let q = Fraction::parse("25%").ok();
        assert_eq!(q.map(|f| (f.num(), f.den())), Some((1, 4)));
        assert_eq!(q.map(|f| f.to_string()), Some("25%".to_string()));
        let h = Fraction::parse("12.5%").ok();
        assert_eq!(h.map(|f| (f.num(), f.den())), Some((1, 8)));
        assert!(Fraction::parse("1/0").is_err());
        assert!(Fraction::parse("-1/3").is_err());
        assert!(Fraction::parse("abc").is_err());
        assert!(Fraction::parse("").is_err());
        assert_eq!(Ratio::parse("3：1").ok(), Ratio::new(3, 1));
        assert!(Ratio::parse("3:0").is_err());
    }

    #[test]
    fn floor_of_is_a_maximum() {
        // 10% of 25 evaluated labs = 2.5 → at most 2 may be excellent.
        let ten = Fraction::parse("10%").ok();
        assert_eq!(ten.map(|f| f.floor_of(25)), Some(2));
        assert_eq!(ten.map(|f| f.floor_of(9)), Some(0));
    }
}
