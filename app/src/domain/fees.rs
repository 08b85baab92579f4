//! The fees a dossier owes: each fee item of its procedure version applied to the form data
//! (fixed, per unit, tiered by unit, capped per item, multiplied by a second field), and the
//! exemption the applicant claims (checked by the desk).
//!
//! An exemption is claimed through the form: a field whose key is the exemption's code and
//! whose value is ticked (`on`, `true`, `1`, `yes`), or a field `fee_exemption` whose value is
//! the code (a choice). An exempt dossier owes nothing; its lines are still listed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::money::{Money, MoneyError};
use super::procedure::{Exemption, Fee, FeeKind, ProcedureDef};

/// One fee item as applied to a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeLine {
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// Phí or lệ phí.
    pub kind: FeeKind,
    /// Units counted (pages, copies…) for a per-unit fee.
    pub units: Option<u32>,
    /// The multiplier (copies) when the fee has one.
    pub times: Option<u32>,
    /// What this line costs.
    pub amount: Money,
}

/// The fees of a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeQuote {
    /// Every fee item, in the procedure's order.
    pub lines: Vec<FeeLine>,
    /// The exemption claimed, if any (then the total is zero).
    pub exemption: Option<Exemption>,
    /// What is owed.
    pub total: Money,
}

impl FeeQuote {
    /// Whether anything is owed.
    pub fn is_due(&self) -> bool {
        !self.total.is_zero()
    }
}

/// A number of units read from the form: a missing, unreadable or negative value counts as 0
/// (the form's own validation reports it), a huge one saturates.
fn count(values: &BTreeMap<String, String>, key: &str) -> u32 {
    values
        .get(key)
        .and_then(|v| v.trim().parse::<i64>().ok())
        .map(|n| u32::try_from(n.max(0)).unwrap_or(u32::MAX))
        .unwrap_or(0)
}

fn ticked(v: &str) -> bool {
    matches!(v.trim().to_ascii_lowercase().as_str(), "on" | "true" | "1" | "yes")
}

/// The cost of `n` units of a tiered fee (before the cap).
pub fn tiered_cost(fee: &Fee, n: u32) -> Result<Money, MoneyError> {
    let mut total = Money::ZERO;
    let mut rate = fee.amount;
    let mut start = 1u32;
    for tier in &fee.tiers {
        // units start..tier.from-1 at the current rate
        let end = tier.from.saturating_sub(1).min(n);
        if end >= start {
            total = total.checked_add(rate.times(end - start + 1)?)?;
        }
        start = start.max(tier.from);
        rate = tier.amount;
    }
    if n >= start {
        total = total.checked_add(rate.times(n - start + 1)?)?;
    }
    Ok(total)
}

/// Applies one fee item to the form values.
pub fn fee_line(fee: &Fee, values: &BTreeMap<String, String>) -> Result<FeeLine, MoneyError> {
    let units = fee.per_unit_field.as_deref().map(|k| count(values, k));
    let mut item = match units {
        Some(n) => tiered_cost(fee, n)?,
        None => fee.amount,
    };
    if let Some(cap) = fee.cap {
        item = item.min(cap);
    }
    let times = fee.times_field.as_deref().map(|k| count(values, k));
    let amount = match times {
        Some(t) => item.times(t)?,
        None => item,
    };
    Ok(FeeLine {
        name_vi: fee.name_vi.clone(),
        name_en: fee.name_en.clone(),
        kind: fee.kind,
        units,
        times,
        amount,
    })
}

/// The exemption the form claims, if it is one of the procedure's.
pub fn claimed_exemption(def: &ProcedureDef, values: &BTreeMap<String, String>) -> Option<Exemption> {
    def.exemptions
        .iter()
        .find(|e| {
            values.get(&e.code).is_some_and(|v| ticked(v))
                || values.get("fee_exemption").is_some_and(|v| v.trim() == e.code)
        })
        .cloned()
}

/// The fee lines and the total a dossier owes for `values` under `def`.
pub fn compute(def: &ProcedureDef, values: &BTreeMap<String, String>) -> Result<FeeQuote, MoneyError> {
    let lines = def.fees.iter().map(|f| fee_line(f, values)).collect::<Result<Vec<_>, _>>()?;
    let exemption = claimed_exemption(def, values);
    let total =
        if exemption.is_some() { Money::ZERO } else { Money::try_sum(lines.iter().map(|l| l.amount))? };
    Ok(FeeQuote { lines, exemption, total })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::domain::procedure::FeeTier;

    fn m(d: i64) -> Money {
        Money::from_dong(d).unwrap()
    }

    fn certified_copy() -> Fee {
        Fee {
            name_vi: "Phí chứng thực".into(),
            name_en: "Certification fee".into(),
            kind: FeeKind::Phi,
            amount: m(2_000),
            per_unit_field: Some("pages".into()),
            tiers: vec![FeeTier { from: 3, amount: m(1_000) }],
            cap: Some(m(200_000)),
            times_field: Some("copies".into()),
        }
    }

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect()
    }

    fn def(fees: Vec<Fee>) -> ProcedureDef {
        let mut d: ProcedureDef = serde_json::from_str(
            r#"{"code": "2.000815", "name_vi": "x", "name_en": "x", "field": "f", "level": "commune",
                "deciding": ["u"], "receiving": ["u"], "processing_days": 1, "papers": [], "form": [],
                "result_vi": "x", "result_en": "x", "online": "full", "delivery": ["desk"],
                "pay_when": "submission", "workflow": [],
                "exemptions": [{"code": "ho-ngheo", "name_vi": "Hộ nghèo", "name_en": "Poor household"}]}"#,
        )
        .unwrap();
        d.fees = fees;
        d
    }

    #[test]
    fn tiers_by_page() {
        let f = certified_copy();
        assert_eq!(tiered_cost(&f, 0), Ok(Money::ZERO));
        assert_eq!(tiered_cost(&f, 1), Ok(m(2_000)));
        assert_eq!(tiered_cost(&f, 2), Ok(m(4_000)));
        assert_eq!(tiered_cost(&f, 3), Ok(m(5_000)));
        assert_eq!(tiered_cost(&f, 10), Ok(m(12_000)));
        // several tiers
        let mut g = f.clone();
        g.tiers.push(FeeTier { from: 6, amount: m(500) });
        assert_eq!(tiered_cost(&g, 7), Ok(m(4_000 + 3_000 + 1_000)));
    }

    #[test]
    fn certified_copies_are_capped_per_copy_and_multiplied() {
        let f = certified_copy();
        let line = fee_line(&f, &values(&[("pages", "2"), ("copies", "3")])).unwrap();
        assert_eq!((line.units, line.times, line.amount), (Some(2), Some(3), m(12_000)));
        // 300 pages: 4,000 + 298,000 = 302,000 → capped at 200,000 a copy
        let line = fee_line(&f, &values(&[("pages", "300"), ("copies", "2")])).unwrap();
        assert_eq!(line.amount, m(400_000));
        // unreadable or missing input counts nothing
        assert_eq!(fee_line(&f, &values(&[("pages", "abc")])).unwrap().amount, Money::ZERO);
        assert_eq!(fee_line(&f, &values(&[("pages", "-4"), ("copies", "2")])).unwrap().amount, Money::ZERO);
    }

    #[test]
    fn fixed_and_per_unit_fees_add_up() {
        let fixed = Fee {
            name_vi: "Lệ phí".into(),
            name_en: "Charge".into(),
            kind: FeeKind::LePhi,
            amount: m(10_000),
            per_unit_field: None,
            tiers: vec![],
            cap: None,
            times_field: None,
        };
        let per_copy = Fee { amount: m(8_000), per_unit_field: Some("copies".into()), ..fixed.clone() };
        let d = def(vec![fixed, per_copy]);
        let q = compute(&d, &values(&[("copies", "3")])).unwrap();
        assert_eq!(q.total, m(34_000));
        assert!(q.is_due());
        assert_eq!(q.lines.len(), 2);
        // an exemption claimed by a tick box or by a choice owes nothing
        let q = compute(&d, &values(&[("copies", "3"), ("ho-ngheo", "on")])).unwrap();
        assert_eq!((q.total, q.exemption.map(|e| e.code)), (Money::ZERO, Some("ho-ngheo".into())));
        let q = compute(&d, &values(&[("fee_exemption", "ho-ngheo")])).unwrap();
        assert!(!q.is_due());
        // an unknown code is no exemption
        let q = compute(&d, &values(&[("fee_exemption", "vip")])).unwrap();
        assert_eq!(q.total, m(10_000));
        // no fees: nothing due
        assert_eq!(compute(&def(vec![]), &values(&[])).unwrap().total, Money::ZERO);
    }

    #[test]
    fn huge_inputs_do_not_overflow_silently() {
        let mut f = certified_copy();
        f.cap = None;
        f.amount = Money::MAX;
        assert_eq!(
            fee_line(&f, &values(&[("pages", "4000000000"), ("copies", "5")])).map(|l| l.amount),
            Err(MoneyError::TooLarge)
        );
    }

    #[test]
    fn old_catalogue_json_still_loads() {
        let fee: Fee = serde_json::from_str(
            r#"{"name_vi": "x", "name_en": "x", "kind": "phi", "amount": 8000, "per_unit_field": "copies"}"#,
        )
        .unwrap();
        assert!(fee.tiers.is_empty() && fee.cap.is_none() && fee.times_field.is_none());
    }
}
