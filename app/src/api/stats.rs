//! `GET /officer/stats.csv` and `/officer/stats.xlsx`: the statistics report as CSV or as an
//! Excel workbook, for the viewer's units.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, header};
use serde::Deserialize;

use super::form::{FormRequest, see_other};
use crate::error::AppError;
use crate::pages::officer::stats::{StatsQuery, period};
use crate::ssr::services::stats;
use crate::ssr::state::AppState;

/// The report's period and filter.
#[derive(Debug, Default, Deserialize)]
pub struct CsvQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    procedure: String,
}

/// `GET /officer/stats.csv?from=…&to=…&procedure=…`.
pub async fn csv(state: State<AppState>, request: FormRequest, q: Query<CsvQuery>) -> Response {
    export(state, request, q, false).await
}

/// `GET /officer/stats.xlsx?from=…&to=…&procedure=…`.
pub async fn xlsx(state: State<AppState>, request: FormRequest, q: Query<CsvQuery>) -> Response {
    export(state, request, q, true).await
}

async fn export(
    State(state): State<AppState>,
    request: FormRequest,
    Query(q): Query<CsvQuery>,
    excel: bool,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login?next=/officer/stats");
    };
    let Ok(scope) = stats::scope(&state, &current.actor).await else {
        return AppError::NotFound.into_plain_response();
    };
    let query = StatsQuery { from: q.from, to: q.to, procedure: q.procedure.chars().take(20).collect() };
    let (from, to) = period(&state, &query);
    let procedure = (!query.procedure.is_empty()).then_some(query.procedure.as_str());
    match stats::report(&state, scope.as_deref(), from, to, procedure).await {
        Ok((lines, total)) => {
            let (body, kind, ext) = if excel {
                match stats::xlsx(&lines, &total, &format!("Thống kê {from} — {to}")) {
                    Ok(bytes) => {
                        (bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "statistics workbook failed");
                        return AppError::Internal.into_plain_response();
                    }
                }
            } else {
                (stats::csv(&lines, &total).into_bytes(), "text/csv; charset=utf-8", "csv")
            };
            let name = format!("attachment; filename=\"thong-ke-{from}-{to}.{ext}\"");
            (
                [
                    (header::CONTENT_TYPE, HeaderValue::from_static(kind)),
                    (
                        header::CONTENT_DISPOSITION,
                        HeaderValue::from_str(&name).unwrap_or(HeaderValue::from_static("attachment")),
                    ),
                    (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
                ],
                body,
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "statistics export failed");
            AppError::Internal.into_plain_response()
        }
    }
}
