//! The person's own profile: contact details and the postal address used for results.

use std::collections::BTreeMap;

use super::messages as m;
use crate::domain::{PersonName, PhoneNumber};
use crate::error::AppError;
use crate::ssr::auth::policy::{Actor, may_manage_account};
use crate::ssr::db::users;
use crate::ssr::services::{FieldErrors, ServiceResult};
use crate::ssr::state::AppState;

/// What the profile page shows (no secrets).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Profile {
    /// Full name.
    pub full_name: String,
    /// Email (changing it is not offered yet).
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Citizen id, masked except the last 3 digits.
    pub citizen_id_masked: String,
    /// Postal address.
    pub postal_address: String,
}

/// Reads the profile of `user_id`, if `actor` may.
pub async fn get(state: &AppState, actor: &Actor, user_id: &str) -> ServiceResult<Profile> {
    if !may_manage_account(actor, user_id) {
        return Err(AppError::NotFound.into());
    }
    let user = users::find(&state.db, user_id).await?.ok_or(AppError::NotFound)?;
    let masked = user
        .citizen_id
        .as_deref()
        .map(|id| {
            let n = id.chars().count();
            id.chars().enumerate().map(|(i, c)| if i + 3 >= n { c } else { '•' }).collect()
        })
        .unwrap_or_default();
    Ok(Profile {
        full_name: user.full_name,
        email: user.email,
        phone: user.phone.unwrap_or_default(),
        citizen_id_masked: masked,
        postal_address: user.postal_address.unwrap_or_default(),
    })
}

/// The editable part of the profile.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ProfileForm {
    /// Full name.
    #[serde(default)]
    pub full_name: String,
    /// Phone.
    #[serde(default)]
    pub phone: String,
    /// Postal address.
    #[serde(default)]
    pub postal_address: String,
}

impl ProfileForm {
    /// The values to show again.
    pub fn values(&self) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("full_name".to_string(), self.full_name.clone()),
            ("phone".to_string(), self.phone.clone()),
            ("postal_address".to_string(), self.postal_address.clone()),
        ])
    }
}

/// Updates the profile of `user_id`, if `actor` may.
pub async fn update(state: &AppState, actor: &Actor, user_id: &str, form: ProfileForm) -> ServiceResult<()> {
    if !may_manage_account(actor, user_id) {
        return Err(AppError::NotFound.into());
    }
    let mut errors = FieldErrors::default();
    let name = PersonName::parse(&form.full_name).map_err(|e| errors.add("full_name", m::name(e))).ok();
    let phone = PhoneNumber::parse(&form.phone).map_err(|e| errors.add("phone", m::phone(e))).ok();
    let address = form.postal_address.split_whitespace().collect::<Vec<_>>().join(" ");
    if address.chars().count() > 300 {
        errors.add("postal_address", m::ADDRESS_TOO_LONG);
    }
    errors.finish()?;
    let (Some(name), Some(phone)) = (name, phone) else {
        return Err(AppError::InvalidInput.into());
    };
    let mut tx = state.db.begin_write().await?;
    let address = (!address.is_empty()).then_some(address);
    users::update_profile(
        &mut tx,
        user_id,
        name.as_str(),
        Some(phone.as_str()),
        address.as_deref(),
        state.clock.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
