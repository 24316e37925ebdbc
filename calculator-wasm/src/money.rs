//! Exact money in yuan with two decimals (fen), on `rust_decimal`; no float anywhere.
//!
//! A *payment* is rounded half-up to the fen. A *bound* is rounded so that following it never
//! breaks the rule: a maximum rounds down, a minimum rounds up. When rounding changed the
//! value, [`Product::expression`] shows the exact arithmetic for display.

use std::fmt;

use rust_decimal::Decimal;

use crate::fraction::Fraction;

/// Largest amount accepted anywhere: 10^13 yuan (ten trillion), far above any grant.
const MAX_YUAN: i64 = 10_000_000_000_000;

/// An amount of money in yuan, always held with exactly two decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Money(Decimal);

/// Why a money string was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoneyError {
    /// Nothing was given.
    Empty,
    /// A minus sign.
    Negative,
    /// Not a plain decimal number.
    NotANumber,
    /// More than two decimals (more than six for an amount in 万元).
    TooManyDecimals,
    /// Above [`MAX_YUAN`].
    TooLarge,
}

impl MoneyError {
    /// English message.
    pub fn message_en(&self) -> String {
        self.words().1
    }

    /// Chinese message.
    pub fn message_zh(&self) -> String {
        self.words().0
    }

    /// The message in both languages.
    fn words(&self) -> (String, String) {
        match self {
            MoneyError::Empty => crate::w!("money_empty"),
            MoneyError::Negative => crate::w!("money_negative"),
            MoneyError::NotANumber => crate::w!("money_not_a_number"),
            MoneyError::TooManyDecimals => crate::w!("money_too_many_decimals"),
            MoneyError::TooLarge => crate::w!("money_too_large"),
        }
    }
}

impl Money {
    /// Zero yuan.
    pub const ZERO: Money = Money(Decimal::from_parts(0, 0, 0, false, 2));

    /// From a decimal number of yuan; `None` if negative, above the limit or finer than a fen.
    pub fn from_yuan(value: Decimal) -> Option<Money> {
        if value.is_sign_negative() && !value.is_zero() {
            return None;
        }
        if value > Decimal::from(MAX_YUAN) {
            return None;
        }
        let mut v = value.normalize();
        if v.scale() > 2 {
            return None;
        }
        v.rescale(2);
        Some(Money(v))
    }

    /// From an amount in 万元 (×10000 exactly).
    pub fn from_wan(value: Decimal) -> Option<Money> {
        Money::from_yuan(value.checked_mul(Decimal::from(10_000))?)
    }

    /// From a whole number of fen.
    pub fn from_fen(fen: i128) -> Option<Money> {
        let fen = i64::try_from(fen).ok()?;
        Money::from_yuan(Decimal::new(fen, 2))
    }

    /// Parses `"2500000"`, `"833333.33"`, `"2,500,000"`, `"250万"`, `"250万元"`, `"2500000元"`.
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        let t: String = text
            .trim()
            .chars()
            .filter(|c| *c != ',' && *c != '，' && *c != ' ')
            .collect();
        if t.is_empty() {
            return Err(MoneyError::Empty);
        }
        let (digits, wan) = if let Some(d) = t.strip_suffix("万元").or_else(|| t.strip_suffix('万'))
        {
            (d, true)
        } else {
            (t.strip_suffix('元').unwrap_or(&t), false)
        };
        if digits.starts_with('-') || digits.starts_with('−') {
            return Err(MoneyError::Negative);
        }
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let plain = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty()
            || !plain(int)
            || !plain(frac)
            || (digits.contains('.') && frac.is_empty())
        {
            return Err(MoneyError::NotANumber);
        }
        if int.trim_start_matches('0').len() > 14 {
            return Err(MoneyError::TooLarge);
        }
        let max_decimals = if wan { 6 } else { 2 };
        if frac.len() > max_decimals {
            return Err(MoneyError::TooManyDecimals);
        }
        let d: Decimal = digits.parse().map_err(|_| MoneyError::NotANumber)?;
        let m = if wan {
            Money::from_wan(d)
        } else {
            Money::from_yuan(d)
        };
        m.ok_or(MoneyError::TooLarge)
    }

    /// The amount as a decimal number of yuan (two decimals).
    pub fn yuan(&self) -> Decimal {
        self.0
    }

    /// The amount in fen.
    pub fn fen(&self) -> i128 {
        let mut d = self.0;
        d.rescale(2);
        d.mantissa()
    }

    /// Sum, `None` above the limit.
    pub fn checked_add(&self, other: Money) -> Option<Money> {
        Money::from_yuan(self.0.checked_add(other.0)?)
    }

    /// The amount as an applicant reads it in Chinese: `833,333.33 元（约 83.33 万元）`; the
    /// 万元 figure (rounded half-up to two decimals, with 约 when that rounding changed it) is
    /// added from 1 万元 on.
    pub fn display_zh(&self) -> String {
        let fen = self.fen();
        let main = crate::w!("money_amount", amount = grouped(fen)).0;
        if fen < 1_000_000 {
            return main;
        }
        // 1 万元 = 1 000 000 fen; two decimals of 万元 = 10 000 fen.
        let (wan, exact) = scaled(fen, 10_000);
        scaled_words(exact, &main, &wan).0
    }

    /// The amount as an applicant reads it in English: `CNY 833,333.33 (about 0.83 million)`;
    /// the million figure is added from CNY 10,000 on.
    pub fn display_en(&self) -> String {
        let fen = self.fen();
        let main = crate::w!("money_amount", amount = grouped(fen)).1;
        if fen < 1_000_000 {
            return main;
        }
        // 1 million yuan = 100 000 000 fen; two decimals of a million = 1 000 000 fen.
        let (mio, exact) = scaled(fen, 1_000_000);
        scaled_words(exact, &main, &mio).1
    }

    /// Exact product with a fraction, before any rounding.
    pub fn times(&self, f: Fraction) -> Product {
        Product {
            base: *self,
            factor: f,
            num: self.fen() * i128::from(f.num()),
            den: i128::from(f.den()),
        }
    }
}

impl fmt::Display for Money {
    /// Always two decimals, no separators: `833333.33`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = self.0;
        d.rescale(2);
        write!(f, "{d}")
    }
}

/// An amount followed by its scaled figure (万元 / million), "about" when rounded.
fn scaled_words(exact: bool, amount: &str, scaled: &str) -> (String, String) {
    if exact {
        crate::w!("money_scaled", amount = amount, scaled = scaled)
    } else {
        crate::w!("money_scaled_about", amount = amount, scaled = scaled)
    }
}

/// How a computed amount is rounded to the fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// A payment: half-up.
    Payment,
    /// A maximum: down, so paying it never exceeds the rule.
    Maximum,
    /// A minimum: up, so meeting it never falls short of the rule.
    Minimum,
}

/// `amount × fraction`, exact, in fen as `num/den`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Product {
    base: Money,
    factor: Fraction,
    num: i128,
    den: i128,
}

impl Product {
    /// Whether the exact value is a whole number of fen.
    pub fn is_exact(&self) -> bool {
        self.num % self.den == 0
    }

    /// Rounded to the fen as `rounding` requires (all values are non-negative).
    pub fn round(&self, rounding: Rounding) -> Money {
        let q = match rounding {
            Rounding::Payment => (2 * self.num + self.den) / (2 * self.den),
            Rounding::Maximum => self.num / self.den,
            Rounding::Minimum => (self.num + self.den - 1) / self.den,
        };
        // Inputs are bounded far below i64 fen; clamp defensively rather than panic.
        Money::from_fen(q).unwrap_or(Money::ZERO)
    }

    /// `"2500000 × 1/3 = 833333.333…"` (yuan; up to three decimals, `…` when it goes on).
    pub fn expression(&self) -> String {
        format!(
            "{} × {} = {}",
            trim_money(self.base),
            self.factor,
            self.exact_decimal()
        )
    }

    /// The exact value in yuan, to three decimals with `…` when inexact.
    pub fn exact_decimal(&self) -> String {
        // value in yuan = num / (den * 100)
        let den = self.den * 100;
        let int = self.num / den;
        let mut rem = self.num % den;
        let mut s = int.to_string();
        if rem != 0 {
            s.push('.');
            for _ in 0..3 {
                rem *= 10;
                s.push(char::from(b'0' + u8::try_from(rem / den).unwrap_or(0)));
                rem %= den;
                if rem == 0 {
                    break;
                }
            }
            if rem != 0 {
                s.push('…');
            }
        }
        s
    }
}

/// `fen` as yuan with thousands separators and two decimals: `833,333.33`.
fn grouped(fen: i128) -> String {
    let int = (fen / 100).to_string();
    let mut out = String::with_capacity(int.len() + int.len() / 3 + 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out}.{:02}", fen % 100)
}

/// `fen / (unit × 100)` rounded half-up to two decimals, trailing zeros dropped, and whether
/// that was exact (`unit` = fen per hundredth of the larger unit).
fn scaled(fen: i128, unit: i128) -> (String, bool) {
    let hundredths = (2 * fen + unit) / (2 * unit);
    let exact = fen % unit == 0;
    let (int, frac) = (hundredths / 100, hundredths % 100);
    let s = match frac {
        0 => int.to_string(),
        f if f % 10 == 0 => format!("{int}.{}", f / 10),
        f => format!("{int}.{f:02}"),
    };
    (s, exact)
}

/// Money without trailing zero decimals, for expressions (`2500000`, `1234.5`).
fn trim_money(m: Money) -> String {
    m.yuan().normalize().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap_or(Money::ZERO)
    }

    #[test]
    fn parse_forms() {
        assert_eq!(m("2500000").to_string(), "2500000.00");
        assert_eq!(m("2,500,000").to_string(), "2500000.00");
        assert_eq!(m("250万").to_string(), "2500000.00");
        assert_eq!(m("0.0125万元").to_string(), "125.00");
        assert_eq!(Money::parse(""), Err(MoneyError::Empty));
        assert_eq!(Money::parse("-5"), Err(MoneyError::Negative));
        assert_eq!(Money::parse("abc"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("1e5"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("1.234"), Err(MoneyError::TooManyDecimals));
        assert_eq!(
            Money::parse("1000000000000000000000000000000"),
            Err(MoneyError::TooLarge)
        );
    }

    #[test]
    fn one_third_of_250_wan() {
        // 2 500 000 / 3 = 833 333.333… → payment half-up 833 333.33
        let p = m("2500000").times(Fraction::new(1, 3).unwrap_or_else(|| unreachable!()));
        assert!(!p.is_exact());
        assert_eq!(p.round(Rounding::Payment).to_string(), "833333.33");
        assert_eq!(p.round(Rounding::Maximum).to_string(), "833333.33");
        assert_eq!(p.round(Rounding::Minimum).to_string(), "833333.34");
        assert_eq!(p.expression(), "2500000 × 1/3 = 833333.333…");
    }

    #[test]
    fn shown_with_separators_and_wan() {
        // 833 333.33 元 = 83.333333 万元 → 约 83.33 万元; = 0.83333333 million → about 0.83.
        assert_eq!(
            m("833333.33").display_zh(),
            "833,333.33 元（约 83.33 万元）"
        );
        assert_eq!(
            m("833333.33").display_en(),
            "CNY 833,333.33 (about 0.83 million)"
        );
        // 1 000 000 元 = 100 万元 exactly = 1 million exactly.
        assert_eq!(m("1000000").display_zh(), "1,000,000.00 元（100 万元）");
        assert_eq!(m("1000000").display_en(), "CNY 1,000,000.00 (1 million)");
        // 250 000 = 25 万元 = 0.25 million; 1 500 000 = 150 万元 = 1.5 million.
        assert_eq!(m("250000").display_en(), "CNY 250,000.00 (0.25 million)");
        assert_eq!(m("1500000").display_zh(), "1,500,000.00 元（150 万元）");
        assert_eq!(m("1500000").display_en(), "CNY 1,500,000.00 (1.5 million)");
        // Below 1 万元 no larger unit; 999.5 and 0.01.
        assert_eq!(m("999.5").display_zh(), "999.50 元");
        assert_eq!(m("0.01").display_en(), "CNY 0.01");
        // 3 333 333.34 元 = 333.3333334 万元 → 约 333.33; 0.005 million rounds half-up.
        assert_eq!(
            m("3333333.34").display_zh(),
            "3,333,333.34 元（约 333.33 万元）"
        );
        assert_eq!(
            m("12345").display_en(),
            "CNY 12,345.00 (about 0.01 million)"
        );
    }

    #[test]
    fn half_up_at_half_fen() {
        // 0.01 × 1/2 = 0.005 → payment 0.01, maximum 0.00
        let p = m("0.01").times(Fraction::new(1, 2).unwrap_or_else(|| unreachable!()));
        assert_eq!(p.round(Rounding::Payment).to_string(), "0.01");
        assert_eq!(p.round(Rounding::Maximum).to_string(), "0.00");
        assert_eq!(p.exact_decimal(), "0.005");
    }
}
