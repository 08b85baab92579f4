//! Form endpoints of the administration pages.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use super::form::{FormRequest, see_other};
use crate::components::form::FormState;
use crate::ssr::auth::policy::Role;
use crate::ssr::db::agencies;
use crate::ssr::services::ServiceError;
use crate::ssr::services::accounts::officers::{self, NewOfficer};
use crate::ssr::state::AppState;

/// The new-officer form.
#[derive(Debug, Deserialize)]
pub struct OfficerForm {
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    agency_code: String,
}

crate::texts! {
    UNKNOWN_AGENCY = { vi: "Không có đơn vị với mã này.", en: "There is no unit with this code." }
    ROLE_REQUIRED = { vi: "Vui lòng chọn vai trò.", en: "Please choose a role." }
    AGENCY_REQUIRED = { vi: "Vai trò này cần mã đơn vị (trừ quản trị hệ thống).", en: "This role needs a unit code (all but system administrator)." }
}

/// `POST /admin/officers`: an administrator creates an officer account.
pub async fn create_officer(
    State(state): State<AppState>,
    request: FormRequest,
    Form(form): Form<OfficerForm>,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login?next=/admin/officers");
    };
    // who may administer officers at all, before reading what was typed
    if !crate::ssr::auth::policy::is_administrator(&current.actor) {
        return request.refused(&state, FormState::default(), crate::error::AppError::Forbidden.into()).await;
    }
    let shown = FormState::from_values(
        &BTreeMap::from([
            ("full_name".into(), form.full_name.clone()),
            ("email".into(), form.email.clone()),
            ("role".into(), form.role.clone()),
            ("agency_code".into(), form.agency_code.clone()),
        ]),
        &[],
    );
    let Some(role) = Role::from_code(&form.role) else {
        return request.refused(&state, shown, ServiceError::field("role", ROLE_REQUIRED)).await;
    };
    let agency_code = form.agency_code.trim().to_uppercase();
    let agency_id = if role == Role::SystemAdmin {
        None
    } else if agency_code.is_empty() {
        return request.refused(&state, shown, ServiceError::field("agency_code", AGENCY_REQUIRED)).await;
    } else {
        let found = match state.db.reader().acquire().await {
            Ok(mut conn) => agencies::id_by_code(&mut conn, &agency_code).await.map_err(ServiceError::from),
            Err(e) => Err(ServiceError::from(e)),
        };
        match found {
            Ok(Some(id)) => Some(id),
            Ok(None) => {
                return request
                    .refused(&state, shown, ServiceError::field("agency_code", UNKNOWN_AGENCY))
                    .await;
            }
            Err(e) => return request.refused(&state, shown, e).await,
        }
    };
    let new = NewOfficer {
        email: form.email,
        full_name: form.full_name,
        password: form.password,
        roles: vec![(role, agency_id)],
    };
    match officers::create(&state, Some(&current.actor), new).await {
        Ok(_) => see_other("/admin/officers?created=1"),
        Err(e) => request.refused(&state, shown, e).await,
    }
}
