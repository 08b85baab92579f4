//! An administrative procedure as the catalogue publishes it (one version), and the
//! catalogue import file (`motcua-catalogue/1`, documented in docs/CATALOGUE.md).
//! Everything a dossier needs — papers, form, fees, workflow — is data here, so a province
//! changes a procedure without a release.

use serde::{Deserialize, Serialize};

use super::form::{FieldDef, FieldKind, check_defs};
use super::money::Money;

/// The level of government that decides a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Xã, phường, thị trấn.
    Commune,
    /// Huyện, quận (the older three-tier model).
    District,
    /// Sở, ngành.
    Department,
    /// Tỉnh.
    Province,
}

/// Fully online (toàn trình) or partly (một phần), Decree 42/2022.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineLevel {
    /// Every step online; result online or by post.
    Full,
    /// Some steps at the desk.
    Partial,
}

/// How a result may reach the applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Into the applicant's account and document store.
    Electronic,
    /// By public postal service.
    Post,
    /// At the one-stop desk.
    Desk,
}

/// When the fee is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayWhen {
    /// With the submission.
    Submission,
    /// After the desk accepts the dossier.
    Acceptance,
}

/// Phí (a fee for a service) or lệ phí (a state charge).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeKind {
    /// Phí.
    Phi,
    /// Lệ phí.
    LePhi,
}

/// One fee item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fee {
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// Phí or lệ phí.
    pub kind: FeeKind,
    /// Amount in whole đồng (per unit when `per_unit_field` is set).
    pub amount: Money,
    /// The number field of the form that multiplies the amount (e.g. number of copies).
    #[serde(default)]
    pub per_unit_field: Option<String>,
    /// Lower rates from a given unit on (e.g. 1,000 ₫ a page from the third page); `amount`
    /// is the rate of the units before the first tier. Empty: one rate. Tiers are in
    /// ascending order of `from`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<FeeTier>,
    /// The most one item costs (after tiers), e.g. 200,000 ₫ a certified copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Money>,
    /// A second number field that multiplies the (capped) item, e.g. the number of copies of
    /// a document whose pages are `per_unit_field`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times_field: Option<String>,
}

/// A rate that applies from unit number `from` (1-based) on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeTier {
    /// The first unit (1-based) this rate applies to; at least 2.
    pub from: u32,
    /// The rate per unit from there on.
    pub amount: Money,
}

/// A category exempt from fees (checked by the desk).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exemption {
    /// Stable code.
    pub code: String,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
}

/// The form in which a paper is handed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaperForm {
    /// Bản chính.
    Original,
    /// Bản sao.
    Copy,
    /// Bản sao có chứng thực.
    CertifiedCopy,
    /// Bản điện tử.
    Electronic,
}

/// A required (or optional) paper of the dossier (thành phần hồ sơ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paper {
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// Original, copy…
    pub form: PaperForm,
    /// How many.
    pub count: u32,
    /// Whether it must be there.
    pub required: bool,
    /// File name of a downloadable template, if any.
    #[serde(default)]
    pub template: Option<String>,
}

/// The role that works a step (the officer roles of the back office).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepRole {
    /// Cán bộ một cửa.
    DeskOfficer,
    /// Chuyên viên.
    Specialist,
    /// Lãnh đạo.
    Leader,
    /// Văn thư.
    Clerk,
}

/// One step of the internal workflow (quy trình nội bộ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// Who works it.
    pub role: StepRole,
    /// The unit (national code) where it is worked; another agency makes it liên thông.
    pub agency: String,
    /// Its share of the processing time, in percent.
    pub share: u32,
}

/// One version of a procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureDef {
    /// National code, e.g. `1.001193`.
    pub code: String,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// Field code (lĩnh vực).
    pub field: String,
    /// Deciding level.
    pub level: Level,
    /// Deciding units (national codes).
    pub deciding: Vec<String>,
    /// Receiving units (national codes).
    pub receiving: Vec<String>,
    /// Processing time in working days.
    pub processing_days: u32,
    /// Received after this time (HH:MM) counts from the next working day.
    #[serde(default)]
    pub cutoff: Option<String>,
    /// Fees.
    #[serde(default)]
    pub fees: Vec<Fee>,
    /// Fee exemptions.
    #[serde(default)]
    pub exemptions: Vec<Exemption>,
    /// Papers of the dossier.
    pub papers: Vec<Paper>,
    /// The application form.
    pub form: Vec<FieldDef>,
    /// Legal basis.
    #[serde(default)]
    pub legal_basis: Vec<String>,
    /// The result, in Vietnamese.
    pub result_vi: String,
    /// The result, in English.
    pub result_en: String,
    /// Fully or partly online.
    pub online: OnlineLevel,
    /// Delivery options.
    pub delivery: Vec<Delivery>,
    /// When to pay.
    pub pay_when: PayWhen,
    /// The internal workflow.
    pub workflow: Vec<Step>,
}

/// Why a procedure definition is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProcedureDefError {
    /// The code is not `N.NNNNNN`.
    #[error("procedure code {0:?} is not of the form 1.001193")]
    BadCode(String),
    /// A name is empty.
    #[error("procedure {0}: a name is empty")]
    EmptyName(String),
    /// The form is inconsistent.
    #[error("procedure {0}: form: {1}")]
    Form(String, String),
    /// A per-unit fee names a field that is not a number field of the form.
    #[error("procedure {0}: fee per unit of {1:?}, which is not a number field of the form")]
    PerUnitField(String, String),
    /// A fee's tiers are not in ascending order from unit 2, or there are tiers without a
    /// per-unit field.
    #[error(
        "procedure {0}: the tiers of fee {1:?} must start at unit 2 or later, ascend, and need a per-unit field"
    )]
    Tiers(String, String),
    /// The workflow is empty or its shares do not add up to 100.
    #[error("procedure {0}: workflow shares add up to {1}, not 100")]
    Shares(String, u32),
    /// No deciding or receiving unit, or no delivery option.
    #[error("procedure {0}: {1} is empty")]
    Missing(String, &'static str),
}

impl ProcedureDef {
    /// Checks the definition's own consistency (units are checked against the agency
    /// tree by the importer).
    pub fn check(&self) -> Result<(), ProcedureDefError> {
        let code_ok = self.code.split_once('.').is_some_and(|(a, b)| {
            !a.is_empty()
                && a.chars().all(|c| c.is_ascii_digit())
                && b.len() == 6
                && b.chars().all(|c| c.is_ascii_digit())
        });
        if !code_ok {
            return Err(ProcedureDefError::BadCode(self.code.clone()));
        }
        let id = || self.code.clone();
        if self.name_vi.trim().is_empty() || self.name_en.trim().is_empty() {
            return Err(ProcedureDefError::EmptyName(id()));
        }
        check_defs(&self.form).map_err(|e| ProcedureDefError::Form(id(), e.to_string()))?;
        for fee in &self.fees {
            for field in fee.per_unit_field.iter().chain(fee.times_field.iter()) {
                let is_number =
                    self.form.iter().any(|f| &f.key == field && matches!(f.kind, FieldKind::Number { .. }));
                if !is_number {
                    return Err(ProcedureDefError::PerUnitField(id(), field.clone()));
                }
            }
            let ascending =
                fee.tiers.windows(2).all(|w| w.first().map(|t| t.from) < w.get(1).map(|t| t.from));
            let starts_late = fee.tiers.first().is_none_or(|t| t.from >= 2);
            if !ascending || !starts_late || (!fee.tiers.is_empty() && fee.per_unit_field.is_none()) {
                return Err(ProcedureDefError::Tiers(id(), fee.name_en.clone()));
            }
        }
        let shares: u32 = self.workflow.iter().map(|s| s.share).sum();
        if self.workflow.is_empty() || shares != 100 {
            return Err(ProcedureDefError::Shares(id(), shares));
        }
        if self.deciding.is_empty() {
            return Err(ProcedureDefError::Missing(id(), "deciding"));
        }
        if self.receiving.is_empty() {
            return Err(ProcedureDefError::Missing(id(), "receiving"));
        }
        if self.delivery.is_empty() {
            return Err(ProcedureDefError::Missing(id(), "delivery"));
        }
        Ok(())
    }

    /// Whether any step is worked at another agency than the first receiving one (liên thông).
    pub fn crosses_agencies(&self) -> bool {
        let mut agencies: Vec<&str> = self.workflow.iter().map(|s| s.agency.as_str()).collect();
        agencies.dedup();
        agencies.len() > 1
    }

    /// The fixed part of the fees (per-unit fees counted once), for the catalogue page.
    pub fn base_fee(&self) -> Option<Money> {
        self.fees.iter().try_fold(Money::ZERO, |sum, f| sum.checked_add(f.amount).ok())
    }
}

/// A field of activity (lĩnh vực).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldOfActivity {
    /// Stable code, e.g. `ho-tich`.
    pub code: String,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
}

/// An agency unit in the import file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyDef {
    /// National code.
    pub code: String,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// Parent unit's code.
    #[serde(default)]
    pub parent: Option<String>,
    /// Level.
    pub level: Level,
    /// Address.
    #[serde(default)]
    pub address: String,
    /// Office hours, as text.
    #[serde(default)]
    pub hours: String,
}

/// The catalogue import/export file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueFile {
    /// Always `motcua-catalogue/1`.
    pub format: String,
    /// Fields of activity.
    pub fields: Vec<FieldOfActivity>,
    /// Agency units, parents before children.
    pub agencies: Vec<AgencyDef>,
    /// Procedures.
    pub procedures: Vec<ProcedureDef>,
}

/// The format tag of [`CatalogueFile`].
pub const CATALOGUE_FORMAT: &str = "motcua-catalogue/1";

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ProcedureDef {
        serde_json::from_str(
            r#"{
              "code": "2.000815", "name_vi": "Chứng thực bản sao từ bản chính", "name_en": "Certified copy",
              "field": "chung-thuc", "level": "commune", "deciding": ["000.00.31.H26"], "receiving": ["000.00.31.H26"],
              "processing_days": 0, "cutoff": "15:00",
              "fees": [{"name_vi": "Phí chứng thực", "name_en": "Fee", "kind": "phi", "amount": 2000, "per_unit_field": "pages"}],
              "papers": [{"name_vi": "Bản chính", "name_en": "Original", "form": "original", "count": 1, "required": true}],
              "form": [{"key": "pages", "label_vi": "Số trang", "label_en": "Pages", "kind": {"type": "number", "min": 1, "max": 500}, "required": true}],
              "result_vi": "Bản sao có chứng thực", "result_en": "Certified copy", "online": "partial",
              "delivery": ["desk"], "pay_when": "submission",
              "workflow": [
                {"name_vi": "Tiếp nhận", "name_en": "Receive", "role": "desk_officer", "agency": "000.00.31.H26", "share": 30},
                {"name_vi": "Ký", "name_en": "Sign", "role": "leader", "agency": "000.00.31.H26", "share": 70}
              ]
            }"#,
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_consistent_definition_passes() {
        let p = sample();
        assert_eq!(p.check(), Ok(()));
        assert!(!p.crosses_agencies());
        assert_eq!(p.base_fee().map(Money::dong), Some(2000));
    }

    #[test]
    fn inconsistencies_are_refused() {
        let mut p = sample();
        p.code = "2000815".into();
        assert!(matches!(p.check(), Err(ProcedureDefError::BadCode(_))));
        let mut p = sample();
        p.workflow[0].share = 20;
        assert_eq!(p.check(), Err(ProcedureDefError::Shares("2.000815".into(), 90)));
        let mut p = sample();
        p.fees[0].per_unit_field = Some("copies".into());
        assert!(matches!(p.check(), Err(ProcedureDefError::PerUnitField(..))));
        let mut p = sample();
        p.delivery.clear();
        assert!(matches!(p.check(), Err(ProcedureDefError::Missing(_, "delivery"))));
        let mut p = sample();
        p.workflow[1].agency = "000.00.21.H26".into();
        assert!(p.crosses_agencies());
    }

    #[test]
    fn money_in_json_must_be_whole_non_negative_dong() {
        let bad = r#"{"name_vi": "x", "name_en": "x", "kind": "phi", "amount": -5}"#;
        assert!(serde_json::from_str::<Fee>(bad).is_err());
    }
}
