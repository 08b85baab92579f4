//! The published catalogue as JSON (`motcua-catalogue/1`, docs/CATALOGUE.md).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::ssr::services::catalogue;
use crate::ssr::state::AppState;

/// `GET /catalogue.json`: the whole published catalogue, as the import takes it.
pub async fn export(State(state): State<AppState>) -> Response {
    match catalogue::export(&state).await {
        Ok(file) => {
            let mut response = Json(file).into_response();
            response.headers_mut().insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("inline; filename=\"catalogue.json\""),
            );
            response
        }
        Err(e) => {
            tracing::error!(error = %e, "catalogue export failed");
            AppError::Internal.into_plain_response()
        }
    }
}
