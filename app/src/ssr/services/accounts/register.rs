//! Citizen registration and email verification.

use std::collections::BTreeMap;

use time::Duration;

use super::link;
use super::messages as m;
use crate::domain::{CitizenId, Email, PersonName, PhoneNumber};
use crate::error::AppError;
use crate::ssr::auth::password::{self, Password};
use crate::ssr::auth::tokens::{new_token, token_hash};
use crate::ssr::db::email_tokens::{self, Purpose};
use crate::ssr::db::{rate_limits, users};
use crate::ssr::mail;
use crate::ssr::services::{FieldErrors, RequestMeta, ServiceResult};
use crate::ssr::state::AppState;

/// How long a verification link works.
pub const VERIFY_LINK_TTL: Duration = Duration::hours(24);
/// Registrations allowed per IP address per hour.
pub const REGISTRATIONS_PER_IP_PER_HOUR: i64 = 20;

/// The registration form as submitted.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RegisterForm {
    /// Full name.
    #[serde(default)]
    pub full_name: String,
    /// Email.
    #[serde(default)]
    pub email: String,
    /// Phone.
    #[serde(default)]
    pub phone: String,
    /// Citizen id.
    #[serde(default)]
    pub citizen_id: String,
    /// Password.
    #[serde(default)]
    pub password: String,
    /// Password again.
    #[serde(default)]
    pub password_confirm: String,
}

impl RegisterForm {
    /// The values to show again if refused (passwords left out).
    pub fn values(&self) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("full_name".to_string(), self.full_name.clone()),
            ("email".to_string(), self.email.clone()),
            ("phone".to_string(), self.phone.clone()),
            ("citizen_id".to_string(), self.citizen_id.clone()),
        ])
    }
}

/// Registers a citizen and emails a verification link. When the email or citizen id
/// already has an account, nothing is created and the owner of that account is told by
/// email instead; the person registering sees the same answer either way (no enumeration).
pub async fn register(state: &AppState, form: RegisterForm, meta: &RequestMeta) -> ServiceResult<()> {
    let now = state.clock.now();
    let mut errors = FieldErrors::default();
    let name = PersonName::parse(&form.full_name).map_err(|e| errors.add("full_name", m::name(e))).ok();
    let email = Email::parse(&form.email).map_err(|e| errors.add("email", m::email(e))).ok();
    let phone = PhoneNumber::parse(&form.phone).map_err(|e| errors.add("phone", m::phone(e))).ok();
    let citizen_id = if form.citizen_id.trim().is_empty() {
        errors.add("citizen_id", m::CITIZEN_ID_REQUIRED);
        None
    } else {
        CitizenId::parse_at(&form.citizen_id, now.year())
            .map_err(|e| errors.add("citizen_id", m::citizen_id(&e)))
            .ok()
    };
    let typed = Password::new(form.password.clone());
    let personal = [form.email.as_str(), form.citizen_id.trim(), form.phone.as_str()];
    if let Err(p) = password::check_new(&typed, &personal) {
        errors.add("password", m::password(p));
    } else if form.password != form.password_confirm {
        errors.add("password_confirm", m::PASSWORD_MISMATCH);
    }
    errors.finish()?;
    let (Some(name), Some(email), Some(phone), Some(citizen_id)) = (name, email, phone, citizen_id) else {
        return Err(AppError::InvalidInput.into());
    };

    if let Some(ip) = &meta.ip
        && rate_limits::hit(&state.db, &format!("register:ip:{ip}"), 3600, now).await?
            > REGISTRATIONS_PER_IP_PER_HOUR
    {
        return Err(AppError::RateLimited.into());
    }

    let hash = password::hash(typed).await?;
    let mut tx = state.db.begin_write().await?;
    let existing = users::by_email(&mut tx, email.as_str()).await?;
    let id_taken = users::citizen_id_taken(&mut tx, citizen_id.as_str()).await?;
    let reset_link = link(&state.config.public_url, "/forgot-password");
    if let Some(existing) = existing {
        let notice = mail::already_registered(&existing.email, &existing.full_name, &reset_link, meta.locale);
        mail::enqueue(&mut tx, &notice, now).await?;
    } else if id_taken {
        // The id belongs to another account: tell that account's owner, not this visitor.
        let owner = users::owner_of_citizen_id(&mut tx, citizen_id.as_str()).await?;
        if let Some((owner_email, owner_name)) = owner {
            let notice = mail::already_registered(&owner_email, &owner_name, &reset_link, meta.locale);
            mail::enqueue(&mut tx, &notice, now).await?;
        }
    } else {
        let user_id = users::insert(
            &mut tx,
            &users::NewUser {
                kind: "citizen",
                email: email.as_str(),
                full_name: name.as_str(),
                phone: Some(phone.as_str()),
                citizen_id: Some(citizen_id.as_str()),
                password_hash: &hash,
                verified: false,
            },
            now,
        )
        .await?;
        let token = new_token();
        email_tokens::insert(
            &mut tx,
            &token_hash(&token),
            Some(&user_id),
            Purpose::VerifyEmail,
            None,
            now + VERIFY_LINK_TTL,
            now,
        )
        .await?;
        let url = link(&state.config.public_url, &format!("/verify-email?token={token}"));
        mail::enqueue(&mut tx, &mail::verify_email(email.as_str(), name.as_str(), &url, meta.locale), now)
            .await?;
    }
    tx.commit().await?;
    tracing::info!("registration processed");
    Ok(())
}

/// Confirms an email address from the link. The person then signs in as usual.
pub async fn verify_email(state: &AppState, token: &str) -> ServiceResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let Some((Some(user_id), _)) =
        email_tokens::consume(&mut tx, &token_hash(token), Purpose::VerifyEmail, now).await?
    else {
        return Err(AppError::LinkInvalid.into());
    };
    users::set_verified(&mut tx, &user_id, now).await?;
    tx.commit().await?;
    Ok(())
}
