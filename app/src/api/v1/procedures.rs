//! `GET /api/v1/procedures`, `GET /api/v1/procedures/{code}`: the published catalogue.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::problem::{ApiResult, Problem, ProblemDetails, QUERY_INVALID, json};
use crate::ssr::services::catalogue::{self, CatalogueSearch};
use crate::ssr::state::AppState;

/// Search filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProcedureQuery {
    /// Words of the name (diacritics and case ignored).
    #[serde(default)]
    pub q: Option<String>,
    /// Field of activity code.
    #[serde(default)]
    pub field: Option<String>,
    /// Receiving or deciding agency code.
    #[serde(default)]
    pub agency: Option<String>,
    /// 1-based page (20 a page).
    #[serde(default)]
    #[param(minimum = 1, maximum = 10000)]
    pub page: Option<u32>,
}

/// A procedure in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcedureSummary {
    /// National code, e.g. `1.009994`.
    pub code: String,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// Field of activity code.
    pub field_code: String,
    /// Deciding level.
    pub level: String,
    /// Online service level: `full` or `partial`.
    pub online: String,
    /// Processing time in working days.
    pub processing_days: i64,
}

/// A page of procedures.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcedurePage {
    /// This page.
    pub items: Vec<ProcedureSummary>,
    /// How many match in all.
    pub total: i64,
    /// The page number.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
}

/// A procedure's published version.
#[derive(Debug, Serialize, ToSchema)]
pub struct Procedure {
    /// National code.
    pub code: String,
    /// The published version number (a dossier keeps the version it was started under).
    pub version: i64,
    /// The full definition: papers, form fields, fees, delivery options, workflow (format in
    /// docs/CATALOGUE.md).
    #[schema(value_type = Object)]
    pub definition: serde_json::Value,
}

/// Lists published procedures.
#[utoipa::path(
    get,
    path = "/api/v1/procedures",
    tag = "procedures",
    params(ProcedureQuery),
    responses(
        (status = 200, description = "A page of procedures", body = ProcedurePage),
        (status = 400, description = "Bad query", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Too many calls", body = ProblemDetails, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    query: Result<Query<ProcedureQuery>, QueryRejection>,
) -> ApiResult {
    let Ok(Query(query)) = query else {
        return Err(Problem::new(StatusCode::BAD_REQUEST, "invalid_query", QUERY_INVALID));
    };
    if query.page.is_some_and(|p| !(1..=10_000).contains(&p)) {
        return Err(Problem::new(StatusCode::BAD_REQUEST, "invalid_query", QUERY_INVALID));
    }
    let search = CatalogueSearch {
        q: query.q.unwrap_or_default().chars().take(200).collect(),
        field: query.field.unwrap_or_default().chars().take(50).collect(),
        agency: query.agency.unwrap_or_default().chars().take(50).collect(),
        online: String::new(),
        page: query.page.unwrap_or(1).clamp(1, 10_000),
    };
    let page = catalogue::search(&state, &search).await?;
    let body = ProcedurePage {
        items: page
            .items
            .into_iter()
            .map(|r| ProcedureSummary {
                code: r.code,
                name_vi: r.name_vi,
                name_en: r.name_en,
                field_code: r.field_code,
                level: r.level,
                online: r.online,
                processing_days: r.processing_days,
            })
            .collect(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    };
    Ok(json(StatusCode::OK, &body))
}

/// Reads a procedure's published version.
#[utoipa::path(
    get,
    path = "/api/v1/procedures/{code}",
    tag = "procedures",
    params(("code" = String, Path, description = "National procedure code", example = "1.001193")),
    responses(
        (status = 200, description = "The procedure", body = Procedure),
        (status = 401, description = "No valid token", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such published procedure", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Too many calls", body = ProblemDetails, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn get(State(state): State<AppState>, Path(code): Path<String>) -> ApiResult {
    let (def, version) = catalogue::published(&state, &code).await?;
    let definition = serde_json::to_value(&def)
        .map_err(|e| Problem::from(crate::ssr::services::ServiceError::Internal(e.into())))?;
    Ok(json(StatusCode::OK, &Procedure { code, version, definition }))
}
