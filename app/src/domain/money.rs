//! Amounts of money in whole Vietnamese đồng (fees, charges, financial obligations).
//!
//! The đồng has no minor unit in use, so amounts are whole numbers. An amount is never negative
//! (refunds are separate records, not negative money) and never above [`Money::MAX`], which
//! keeps the VNPay representation (đồng × 100) inside `i64`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A non-negative amount in whole đồng. Serialised as a plain JSON integer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Money(i64);

/// Why an amount is not a valid [`Money`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoneyError {
    /// The amount is below zero.
    #[error("an amount of money cannot be negative")]
    Negative,
    /// The amount (or a sum or product) is above [`Money::MAX`].
    #[error("the amount of money is too large")]
    TooLarge,
    /// A VNPay amount that is not a whole number of đồng (not divisible by 100).
    #[error("a VNPay amount must be a multiple of 100")]
    NotWholeDong,
}

impl MoneyError {
    /// Stable snake_case code that the UI translates.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Negative => "money_negative",
            Self::TooLarge => "money_too_large",
            Self::NotWholeDong => "money_not_whole_dong",
        }
    }
}

impl Money {
    /// Nothing to pay.
    pub const ZERO: Money = Money(0);
    /// The largest amount: `i64::MAX / 100` đồng, so that [`Money::vnpay_amount`] cannot
    /// overflow (about 92 quadrillion đồng, far above any fee).
    pub const MAX: Money = Money(i64::MAX / 100);

    /// An amount of `dong` đồng; rejects negative amounts and amounts above [`Money::MAX`].
    pub fn from_dong(dong: i64) -> Result<Self, MoneyError> {
        if dong < 0 {
            Err(MoneyError::Negative)
        } else if dong > Self::MAX.0 {
            Err(MoneyError::TooLarge)
        } else {
            Ok(Self(dong))
        }
    }

    /// The amount in đồng.
    pub fn dong(self) -> i64 {
        self.0
    }

    /// Whether the amount is zero (e.g. a free procedure).
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `self + other`, or [`MoneyError::TooLarge`] above [`Money::MAX`].
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.0.checked_add(other.0).ok_or(MoneyError::TooLarge).and_then(Self::from_dong)
    }

    /// `self × count`, e.g. a per-copy fee times the number of copies; errors above
    /// [`Money::MAX`].
    pub fn times(self, count: u32) -> Result<Money, MoneyError> {
        self.0.checked_mul(i64::from(count)).ok_or(MoneyError::TooLarge).and_then(Self::from_dong)
    }

    /// The sum of several amounts (zero for none), or [`MoneyError::TooLarge`].
    pub fn try_sum<I: IntoIterator<Item = Money>>(amounts: I) -> Result<Money, MoneyError> {
        amounts.into_iter().try_fold(Money::ZERO, |acc, m| acc.checked_add(m))
    }

    /// The amount as the VNPay protocol expects it (`vnp_Amount`): đồng × 100.
    pub fn vnpay_amount(self) -> i64 {
        // Cannot overflow: self.0 <= i64::MAX / 100.
        self.0.saturating_mul(100)
    }

    /// Reads a VNPay `vnp_Amount` (đồng × 100); rejects negative values and values that are
    /// not a whole number of đồng.
    pub fn from_vnpay_amount(amount: i64) -> Result<Money, MoneyError> {
        if amount < 0 {
            return Err(MoneyError::Negative);
        }
        if amount % 100 != 0 {
            return Err(MoneyError::NotWholeDong);
        }
        Self::from_dong(amount / 100)
    }

    /// Vietnamese formatting: dots between thousands, a no-break space, then `₫`:
    /// `1.250.000 ₫`.
    pub fn format_vi(self) -> String {
        format!("{}\u{a0}₫", group_thousands(self.0, '.'))
    }

    /// English formatting: commas between thousands, then ` VND`: `1,250,000 VND`.
    pub fn format_en(self) -> String {
        format!("{} VND", group_thousands(self.0, ','))
    }
}

/// `1250000` → `1.250.000` (for non-negative numbers).
fn group_thousands(n: i64, sep: char) -> String {
    let digits = n.to_string();
    let len = digits.len();
    let mut out = String::with_capacity(len + len / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

impl fmt::Display for Money {
    /// Vietnamese format, as the portal's default language: `1.250.000 ₫`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format_vi())
    }
}

impl TryFrom<i64> for Money {
    type Error = MoneyError;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Self::from_dong(value)
    }
}

impl From<Money> for i64 {
    fn from(value: Money) -> Self {
        value.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(d: i64) -> Money {
        Money::from_dong(d).unwrap()
    }

    #[test]
    fn constructor_bounds() {
        assert_eq!(Money::from_dong(0), Ok(Money::ZERO));
        assert_eq!(m(50_000).dong(), 50_000);
        assert_eq!(Money::from_dong(-1), Err(MoneyError::Negative));
        assert_eq!(Money::from_dong(i64::MAX / 100).map(Money::dong), Ok(i64::MAX / 100));
        assert_eq!(Money::from_dong(i64::MAX / 100 + 1), Err(MoneyError::TooLarge));
        assert_eq!(Money::from_dong(i64::MIN), Err(MoneyError::Negative));
        assert!(Money::ZERO.is_zero());
        assert!(!m(1).is_zero());
    }

    #[test]
    fn arithmetic() {
        assert_eq!(m(100_000).checked_add(m(50_000)), Ok(m(150_000)));
        assert_eq!(Money::MAX.checked_add(m(1)), Err(MoneyError::TooLarge));
        assert_eq!(Money::MAX.checked_add(Money::ZERO), Ok(Money::MAX));
        assert_eq!(m(8_000).times(3), Ok(m(24_000)));
        assert_eq!(m(8_000).times(0), Ok(Money::ZERO));
        assert_eq!(Money::MAX.times(2), Err(MoneyError::TooLarge));
        assert_eq!(m(i64::MAX / 200 + 1).times(2), Err(MoneyError::TooLarge));
        assert_eq!(m(1_000_000_000).times(u32::MAX), Err(MoneyError::TooLarge));
    }

    #[test]
    fn sums() {
        assert_eq!(Money::try_sum([]), Ok(Money::ZERO));
        assert_eq!(Money::try_sum([m(1), m(2), m(3)]), Ok(m(6)));
        assert_eq!(Money::try_sum(vec![Money::MAX, m(1)]), Err(MoneyError::TooLarge));
    }

    #[test]
    fn vietnamese_format() {
        assert_eq!(m(1_250_000).format_vi(), "1.250.000\u{a0}₫");
        assert_eq!(m(0).format_vi(), "0\u{a0}₫");
        assert_eq!(m(999).format_vi(), "999\u{a0}₫");
        assert_eq!(m(1_000).format_vi(), "1.000\u{a0}₫");
        assert_eq!(m(100_000).format_vi(), "100.000\u{a0}₫");
        assert_eq!(m(12_345_678_901).format_vi(), "12.345.678.901\u{a0}₫");
        assert_eq!(m(50_000).to_string(), "50.000\u{a0}₫");
    }

    #[test]
    fn english_format() {
        assert_eq!(m(1_250_000).format_en(), "1,250,000 VND");
        assert_eq!(m(7).format_en(), "7 VND");
        assert_eq!(m(10_000).format_en(), "10,000 VND");
        assert_eq!(Money::MAX.format_en(), "92,233,720,368,547,758 VND");
    }

    #[test]
    fn vnpay() {
        assert_eq!(m(1_250_000).vnpay_amount(), 125_000_000);
        assert_eq!(Money::MAX.vnpay_amount(), i64::MAX / 100 * 100);
        assert_eq!(Money::from_vnpay_amount(125_000_000), Ok(m(1_250_000)));
        assert_eq!(Money::from_vnpay_amount(0), Ok(Money::ZERO));
        assert_eq!(Money::from_vnpay_amount(125_000_050), Err(MoneyError::NotWholeDong));
        assert_eq!(Money::from_vnpay_amount(1), Err(MoneyError::NotWholeDong));
        assert_eq!(Money::from_vnpay_amount(-100), Err(MoneyError::Negative));
    }

    #[test]
    fn serde_is_a_plain_integer_and_validates() {
        assert_eq!(serde_json::to_string(&m(50_000)).unwrap(), "50000");
        assert_eq!(serde_json::from_str::<Money>("50000").unwrap(), m(50_000));
        assert!(serde_json::from_str::<Money>("-5").is_err());
        assert!(serde_json::from_str::<Money>("1.5").is_err());
    }

    #[test]
    fn error_codes() {
        assert_eq!(MoneyError::Negative.code(), "money_negative");
        assert_eq!(MoneyError::TooLarge.code(), "money_too_large");
        assert_eq!(MoneyError::NotWholeDong.code(), "money_not_whole_dong");
    }

    proptest! {
        #[test]
        fn vnpay_round_trip(d in 0i64..=i64::MAX / 100) {
            let money = m(d);
            prop_assert_eq!(Money::from_vnpay_amount(money.vnpay_amount()), Ok(money));
        }

        #[test]
        fn grouping_removes_to_the_number(d in 0i64..=i64::MAX / 100) {
            let vi = m(d).format_vi();
            let digits: String = vi.chars().filter(char::is_ascii_digit).collect();
            prop_assert_eq!(digits.parse::<i64>().unwrap(), d);
            let en = m(d).format_en();
            let groups: Vec<&str> = en.trim_end_matches(" VND").split(',').collect();
            prop_assert!(groups.iter().skip(1).all(|g| g.len() == 3));
            prop_assert!((1..=3).contains(&groups[0].len()));
        }

        #[test]
        fn sum_matches_i128(xs in proptest::collection::vec(0i64..1_000_000_000_000, 0..20)) {
            let expected: i128 = xs.iter().map(|x| i128::from(*x)).sum();
            let got = Money::try_sum(xs.iter().map(|x| m(*x))).unwrap();
            prop_assert_eq!(i128::from(got.dong()), expected);
        }
    }
}
