//! The use cases, one file each, grouped by capability. A service authorises (through
//! `auth::policy`), parses into domain types, and does its work in one transaction.

pub mod accounts;
pub mod agencies;
pub mod api_tokens;
pub mod catalogue;
pub mod catalogue_edit;
pub mod delegation;
pub mod evaluation;
pub mod feedback;
pub mod filing;
pub mod forms;
pub mod holidays;
pub mod intake;
pub mod organisations;
pub mod payments;
pub mod ratings;
pub mod receipts;
pub mod reception;
pub mod stats;
pub mod webhooks;
pub mod workflow;

use std::collections::BTreeMap;

use crate::error::AppError;
use crate::i18n::{Locale, Message};

/// Why a service did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The input was refused; messages by field name.
    #[error("invalid input: {0:?}")]
    Invalid(BTreeMap<String, Message>),
    /// Refused for a reason the person can be told.
    #[error("refused: {0}")]
    Refused(AppError),
    /// Our fault; the cause goes to the log.
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

impl ServiceError {
    /// A refusal of one field.
    pub fn field(name: &str, message: impl Into<Message>) -> ServiceError {
        ServiceError::Invalid(BTreeMap::from([(name.to_string(), message.into())]))
    }
}

impl From<sqlx::Error> for ServiceError {
    fn from(e: sqlx::Error) -> Self {
        ServiceError::Internal(e.into())
    }
}

impl From<AppError> for ServiceError {
    fn from(e: AppError) -> Self {
        ServiceError::Refused(e)
    }
}

/// Shorthand for service results.
pub type ServiceResult<T> = Result<T, ServiceError>;

/// Facts about the request that services record or use (never trusted for access).
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    /// Client address (from the connection, or the proxy header when configured).
    pub ip: Option<String>,
    /// User agent, truncated.
    pub user_agent: Option<String>,
    /// Language of the page the request came from (for emails).
    pub locale: Locale,
}

/// Collects field errors while parsing a form.
#[derive(Debug, Default)]
pub struct FieldErrors(BTreeMap<String, Message>);

impl FieldErrors {
    /// Records a problem with `field` (the first one per field wins).
    pub fn add(&mut self, field: &str, message: impl Into<Message>) {
        self.0.entry(field.to_string()).or_insert_with(|| message.into());
    }

    /// `Ok(())` if nothing was recorded, else the errors.
    pub fn finish(self) -> ServiceResult<()> {
        if self.0.is_empty() { Ok(()) } else { Err(ServiceError::Invalid(self.0)) }
    }
}
