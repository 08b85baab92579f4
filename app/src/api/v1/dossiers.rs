//! The organisation's dossiers: list, read (with the timeline), create a draft, fill it in,
//! upload scans (streamed, the same checks as the pages), submit, answer a supplement request,
//! read payments, download the result. Every call goes through the same services as the
//! pages, acting as the token's creator, and is limited to the token's organisation.

use std::collections::BTreeMap;

use axum::Extension;
use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::require_write;
use super::idempotency;
use super::problem::{ApiResult, BODY_INVALID, NO_RESULT, Problem, ProblemDetails, QUERY_INVALID, json};
use crate::error::AppError;
use crate::ssr::db::columns::from_db;
use crate::ssr::db::webhooks::state_name;
use crate::ssr::services::api_tokens::ApiPrincipal;
use crate::ssr::services::filing::{self, DossierView};
use crate::ssr::services::{ServiceError, payments};
use crate::ssr::state::AppState;

fn rfc3339(micros: i64) -> String {
    from_db(micros).format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// Paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// 1-based page.
    #[param(minimum = 1, maximum = 100000)]
    pub page: Option<u32>,
    /// Page size (1–100, default 20).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

/// A dossier in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct DossierSummary {
    /// Id (UUID).
    pub id: String,
    /// Dossier code, once submitted.
    pub code: Option<String>,
    /// Procedure code.
    pub procedure_code: String,
    /// State, e.g. `draft`, `submitted`, `received`, `supplement_requested`, `returned`.
    pub state: String,
    /// National status code 1–10, once submitted.
    pub national_status: Option<i64>,
    /// Submitted (RFC 3339).
    pub submitted_at: Option<String>,
    /// Appointment for the result (RFC 3339).
    pub due_at: Option<String>,
    /// Last change (RFC 3339).
    pub updated_at: String,
}

/// A page of dossiers.
#[derive(Debug, Serialize, ToSchema)]
pub struct DossierPage {
    /// This page.
    pub items: Vec<DossierSummary>,
    /// How many in all.
    pub total: i64,
    /// The page.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
}

/// An attached scan.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachedFile {
    /// Attachment id.
    pub id: String,
    /// Which paper of the procedure (0-based).
    pub paper_index: i64,
    /// The document.
    pub document_id: String,
    /// File name.
    pub file_name: String,
    /// `application/pdf`, `image/jpeg` or `image/png`.
    pub media_type: String,
    /// Size in bytes.
    pub size_bytes: i64,
}

/// One entry of the timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEntry {
    /// When (RFC 3339).
    pub at: String,
    /// What happened, e.g. `created`, `submitted`, `received`, `supplement_requested`.
    pub kind: String,
    /// The state after it, if it changed.
    pub state: Option<String>,
    /// The note (reason, request…).
    pub note: String,
}

/// A dossier with its timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct Dossier {
    /// Id (UUID).
    pub id: String,
    /// Dossier code, once submitted.
    pub code: Option<String>,
    /// Procedure code.
    pub procedure_code: String,
    /// The procedure version it is filed under.
    pub procedure_version: i64,
    /// State (see the list).
    pub state: String,
    /// National status 1–10, once submitted.
    pub national_status: Option<i64>,
    /// Form values by field key.
    pub values: BTreeMap<String, String>,
    /// How the result is delivered: `electronic`, `post` or `desk`.
    pub delivery: String,
    /// Postal address for `post`.
    pub delivery_address: String,
    /// Attached scans.
    pub files: Vec<AttachedFile>,
    /// The timeline, oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// For a draft: what stops submission, by field (`paper-N` for papers).
    pub problems: BTreeMap<String, super::problem::FieldMessage>,
    /// The open supplement request, if one is waiting for an answer.
    pub supplement_request: Option<String>,
    /// Submitted (RFC 3339).
    pub submitted_at: Option<String>,
    /// Appointment (RFC 3339).
    pub due_at: Option<String>,
    /// Whether a result can be downloaded.
    pub result_available: bool,
}

/// A new draft.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewDossier {
    /// The procedure's national code.
    #[schema(example = "1.001193")]
    pub procedure_code: String,
    /// Form values by field key (optional; see the procedure's definition).
    #[serde(default)]
    pub values: Option<BTreeMap<String, String>>,
    /// `electronic`, `post` or `desk`.
    #[serde(default)]
    pub delivery: Option<String>,
    /// Postal address for `post`.
    #[serde(default)]
    pub delivery_address: Option<String>,
}

/// Changes to a draft.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DraftChanges {
    /// Form values by field key (replace the draft's values).
    #[serde(default)]
    pub values: Option<BTreeMap<String, String>>,
    /// `electronic`, `post` or `desk`.
    #[serde(default)]
    pub delivery: Option<String>,
    /// Postal address for `post`.
    #[serde(default)]
    pub delivery_address: Option<String>,
}

/// The answer to a supplement request.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SupplementAnswer {
    /// A note for the officer (upload the requested papers first).
    #[serde(default)]
    pub note: String,
}

/// An uploaded scan.
#[derive(Debug, Serialize, ToSchema)]
pub struct Uploaded {
    /// The stored document's id.
    pub document_id: String,
}

/// The outcome of a submission.
#[derive(Debug, Serialize, ToSchema)]
pub struct Submitted {
    /// Id.
    pub id: String,
    /// The dossier code it was given.
    pub code: String,
}

/// A payment order.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentOrder {
    /// Id.
    pub id: String,
    /// Amount in đồng.
    pub amount: i64,
    /// `pending`, `paid`, `failed`, `cancelled`, `expired`, `late_paid`.
    pub status: String,
    /// `online`, `counter_cash`, `counter_card`.
    pub method: String,
    /// E-receipt number, once paid.
    pub receipt_no: Option<String>,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Settled (RFC 3339).
    pub settled_at: Option<String>,
}

/// A dossier's fees and payments.
#[derive(Debug, Serialize, ToSchema)]
pub struct Payments {
    /// What is owed in all, in đồng.
    pub total: i64,
    /// `free`, `not_yet`, `unpaid`, `pending`, `paid`.
    pub state: String,
    /// Whether the applicant may pay now (in the browser).
    pub payable_now: bool,
    /// Orders, newest first.
    pub orders: Vec<PaymentOrder>,
}

/// Binary content (a scan or a result).
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct BinaryBody(pub Vec<u8>);

/// The file name of an upload.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name, e.g. `don.pdf` (kept for display; the type is recognised by content).
    pub file_name: Option<String>,
}

/// The dossier if it belongs to the token's organisation (else `NotFound`).
async fn dossier_of(state: &AppState, p: &ApiPrincipal, id: &str) -> Result<DossierView, Problem> {
    let view = filing::get(state, &p.actor(), id).await?;
    if view.row.organisation_id.as_deref() != Some(p.organisation_id.as_str()) {
        return Err(AppError::NotFound.into());
    }
    Ok(view)
}

async fn result_document(state: &AppState, id: &str) -> Result<Option<(String, String)>, Problem> {
    let mut conn = state.db.reader().acquire().await.map_err(ServiceError::from)?;
    let position = crate::ssr::db::dossiers::position(&mut conn, id).await.map_err(ServiceError::from)?;
    Ok(position.and_then(|p| p.result_document_id.zip(p.result_file_name)))
}

async fn detail(state: &AppState, view: DossierView) -> Result<Dossier, Problem> {
    let result_available = result_document(state, &view.row.id).await?.is_some();
    let problems = if view.editable() {
        filing::problems(&view).into_iter().map(|(k, m)| (k, m.into())).collect()
    } else {
        BTreeMap::new()
    };
    let supplement_request = filing::open_supplement_request(&view);
    let row = view.row;
    Ok(Dossier {
        id: row.id,
        code: row.code,
        procedure_code: row.procedure_code,
        procedure_version: row.version,
        state: state_name(&row.state),
        national_status: row.national_status,
        values: view.values,
        delivery: row.delivery,
        delivery_address: row.delivery_address,
        files: view
            .files
            .into_iter()
            .map(|f| AttachedFile {
                id: f.id,
                paper_index: f.paper_index,
                document_id: f.document_id,
                file_name: f.file_name,
                media_type: f.media_type,
                size_bytes: f.size_bytes,
            })
            .collect(),
        timeline: view
            .events
            .into_iter()
            .map(|e| TimelineEntry {
                at: rfc3339(e.at),
                kind: e.kind,
                state: e.state_to.as_deref().map(state_name),
                note: e.note,
            })
            .collect(),
        problems,
        supplement_request,
        submitted_at: row.submitted_at.map(rfc3339),
        due_at: row.due_at.map(rfc3339),
        result_available,
    })
}

/// A JSON object of the operation's shape (serde would also take an array for a struct).
fn parse_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Problem> {
    let invalid = || Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", BODY_INVALID);
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(value @ serde_json::Value::Object(_)) => serde_json::from_value(value).map_err(|_| invalid()),
        _ => Err(invalid()),
    }
}

fn draft_values(
    values: Option<BTreeMap<String, String>>,
    delivery: Option<String>,
    address: Option<String>,
) -> Option<BTreeMap<String, String>> {
    if values.is_none() && delivery.is_none() && address.is_none() {
        return None;
    }
    let mut all = values.unwrap_or_default();
    all.remove("delivery");
    all.remove("delivery_address");
    all.remove("receiving_agency");
    if let Some(d) = delivery {
        all.insert("delivery".into(), d);
    }
    if let Some(a) = address {
        all.insert("delivery_address".into(), a);
    }
    Some(all)
}

/// Turns a handler's outcome into what the idempotency store keeps.
fn as_stored(result: Result<(StatusCode, String), Problem>) -> (StatusCode, String) {
    match result {
        Ok(answer) => answer,
        Err(p) => (p.status(), p.to_json()),
    }
}

fn to_json<T: Serialize>(status: StatusCode, value: &T) -> Result<(StatusCode, String), Problem> {
    serde_json::to_string(value).map(|b| (status, b)).map_err(|e| ServiceError::Internal(e.into()).into())
}

/// Lists the organisation's dossiers (drafts included), latest change first.
#[utoipa::path(
    get,
    path = "/api/v1/dossiers",
    tag = "dossiers",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of dossiers", body = DossierPage),
        (status = 400, description = "Bad query", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Too many calls", body = ProblemDetails, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    Extension(p): Extension<ApiPrincipal>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> ApiResult {
    let Ok(Query(query)) = query else {
        return Err(Problem::new(StatusCode::BAD_REQUEST, "invalid_query", QUERY_INVALID));
    };
    let page = query.page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(20);
    if !(1..=100_000).contains(&page) || !(1..=100).contains(&per_page) {
        return Err(Problem::new(StatusCode::BAD_REQUEST, "invalid_query", QUERY_INVALID));
    }
    let (rows, total) = crate::ssr::db::api::organisation_dossiers(
        &state.db,
        &p.organisation_id,
        i64::from(per_page),
        i64::from(page - 1) * i64::from(per_page),
    )
    .await
    .map_err(ServiceError::from)?;
    let items = rows
        .into_iter()
        .map(|r| DossierSummary {
            id: r.id,
            code: r.code,
            procedure_code: r.procedure_code,
            state: state_name(&r.state),
            national_status: r.national_status,
            submitted_at: r.submitted_at.map(rfc3339),
            due_at: r.due_at.map(rfc3339),
            updated_at: rfc3339(r.updated_at),
        })
        .collect();
    Ok(json(StatusCode::OK, &DossierPage { items, total, page, per_page }))
}

/// Reads one of the organisation's dossiers with its timeline.
#[utoipa::path(
    get,
    path = "/api/v1/dossiers/{id}",
    tag = "dossiers",
    params(("id" = String, Path, description = "Dossier id")),
    responses(
        (status = 200, description = "The dossier", body = Dossier),
        (status = 401, description = "No valid token", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "Not the organisation's dossier, or none", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Too many calls", body = ProblemDetails, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn get(
    State(state): State<AppState>,
    Extension(p): Extension<ApiPrincipal>,
    Path(id): Path<String>,
) -> ApiResult {
    let view = dossier_of(&state, &p, &id).await?;
    Ok(json(StatusCode::OK, &detail(&state, view).await?))
}

/// Starts a draft for the organisation (write scope). With an `Idempotency-Key`, a repeat
/// returns the first answer and creates nothing.
#[utoipa::path(
    post,
    path = "/api/v1/dossiers",
    tag = "dossiers",
    request_body = NewDossier,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: the same key and body return the first answer", min_length = 1, max_length = 200, pattern = "^[!-~]{1,200}$")),
    responses(
        (status = 201, description = "The new draft", body = Dossier),
        (status = 400, description = "Bad Idempotency-Key", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such published procedure", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "The key was used for another request, or its first request is still running", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Refused input", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Too many calls", body = ProblemDetails, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn create(
    State(state): State<AppState>,
    Extension(p): Extension<ApiPrincipal>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(problem) = require_write(&p) {
        return problem.into_response();
    }
    let call = || async {
        as_stored(
            async {
                let input: NewDossier = parse_body(&body)?;
                let actor = p.actor();
                let code: String = input.procedure_code.chars().take(50).collect();
                let id = filing::start(&state, &actor, &code, Some(&p.organisation_id)).await?;
                if let Some(values) = draft_values(input.values, input.delivery, input.delivery_address) {
                    filing::save(&state, &actor, &id, &values).await?;
                }
                let view = dossier_of(&state, &p, &id).await?;
                to_json(StatusCode::CREATED, &detail(&state, view).await?)
            }
            .await,
        )
    };
    idempotency::once(&state, &p, &headers, "POST", "/api/v1/dossiers", &body, call).await
}

/// Changes a draft's form values and delivery (write scope).
#[utoipa::path(
    patch,
    path = "/api/v1/dossiers/{id}",
    tag = "dossiers",
    request_body = DraftChanges,
    params(("id" = String, Path, description = "Dossier id")),
    responses(
        (status = 200, description = "The draft", body = Dossier),
        (status = 401, description = "No valid token", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "Not the organisation's dossier", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Refused input, or no longer a draft", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Too many calls", body = ProblemDetails, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn update(
    State(state): State<AppState>,
    Extension(p): Extension<ApiPrincipal>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    require_write(&p)?;
    let input: DraftChanges = parse_body(&body)?;
    dossier_of(&state, &p, &id).await?;
    let actor = p.actor();
    if let Some(values) = draft_values(input.values, input.delivery, input.delivery_address) {
        filing::save(&state, &actor, &id, &values).await?;
    }
    let view = dossier_of(&state, &p, &id).await?;
    Ok(json(StatusCode::OK, &detail(&state, view).await?))
}

/// Uploads a scan for paper `paper` (0-based) of a draft, or while a supplement is requested
/// (write scope). The body is the file itself, streamed; PDF, JPEG or PNG recognised by
/// content; the same size caps as the pages.
#[utoipa::path(
    post,
    path = "/api/v1/dossiers/{id}/papers/{paper}",
    tag = "dossiers",
    request_body(content = BinaryBody, content_type = "application/octet-stream", description = "The file (PDF, JPEG or PNG)"),
    params(
        ("id" = String, Path, description = "Dossier id"),
        ("paper" = u32, Path, description = "Paper index in the procedure (0-based)"),
        UploadQuery,
    ),
    responses(
        (status = 201, description = "Stored and attached", body = Uploaded),
        (status = 401, description = "No valid token", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "Not the organisation's dossier, or no such paper", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "Too large", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Not a PDF, JPEG or PNG", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "The dossier takes no files now", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Too many calls", body = ProblemDetails, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn upload(
    State(state): State<AppState>,
    Extension(p): Extension<ApiPrincipal>,
    Path((id, paper)): Path<(String, String)>,
    query: Result<Query<UploadQuery>, QueryRejection>,
    body: Body,
) -> ApiResult {
    require_write(&p)?;
    let paper: usize = paper.parse().map_err(|_| Problem::from_app(AppError::NotFound))?;
    let file_name = query.ok().and_then(|q| q.0.file_name).unwrap_or_default();
    let file_name =
        if file_name.trim().is_empty() { "scan".to_string() } else { file_name.chars().take(200).collect() };
    dossier_of(&state, &p, &id).await?;
    let mut stream = body.into_data_stream();
    match filing::upload(&state, &p.actor(), &id, paper, &file_name, &mut stream).await {
        Ok(document_id) => Ok(json(StatusCode::CREATED, &Uploaded { document_id })),
        Err(e) => {
            let status = upload_status(&e);
            // drain what is left, so the client reads the answer
            use futures_util::StreamExt as _;
            while let Some(Ok(_)) = stream.next().await {}
            Err(Problem::from(e).with_status(status))
        }
    }
}

fn upload_status(e: &ServiceError) -> StatusCode {
    match e {
        ServiceError::Invalid(errors) => match errors.get("file") {
            Some(m) if m.en == filing::FILE_TYPE.en => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Some(m) if m.vi.starts_with("Tệp quá lớn") || m.vi.starts_with("Tổng dung lượng") => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        },
        ServiceError::Refused(e) => StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST),
        ServiceError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Submits a draft (write scope): it gets its code and goes to the desk. Submitting again
/// gives the same code; with an `Idempotency-Key` a repeat returns the first answer.
#[utoipa::path(
    post,
    path = "/api/v1/dossiers/{id}/submit",
    tag = "dossiers",
    params(
        ("id" = String, Path, description = "Dossier id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe", min_length = 1, max_length = 200, pattern = "^[!-~]{1,200}$"),
    ),
    responses(
        (status = 200, description = "Submitted", body = Submitted),
        (status = 400, description = "Bad Idempotency-Key", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "Not the organisation's dossier", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "The key was used for another request, or its first request is still running", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Something is missing (see `errors`)", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Too many calls", body = ProblemDetails, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn submit(
    State(state): State<AppState>,
    Extension(p): Extension<ApiPrincipal>,
    Path(id): Path<String>,
    headers: HeaderMap,
    request_meta: super::Meta,
) -> Response {
    if let Err(problem) = require_write(&p) {
        return problem.into_response();
    }
    let key = idempotency::key_of(&headers).ok().flatten().unwrap_or_default();
    let path = format!("/api/v1/dossiers/{id}/submit");
    let call = || async {
        as_stored(
            async {
                dossier_of(&state, &p, &id).await?;
                let token = if key.is_empty() { "api".to_string() } else { format!("api:{key}") };
                let code = filing::submit(&state, &p.actor(), &id, &token, &request_meta.0).await?;
                to_json(StatusCode::OK, &Submitted { id: id.clone(), code })
            }
            .await,
        )
    };
    idempotency::once(&state, &p, &headers, "POST", &path, b"", call).await
}

/// Answers a supplement request (write scope): upload the papers first, then send this.
#[utoipa::path(
    post,
    path = "/api/v1/dossiers/{id}/supplement",
    tag = "dossiers",
    request_body = SupplementAnswer,
    params(
        ("id" = String, Path, description = "Dossier id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe", min_length = 1, max_length = 200, pattern = "^[!-~]{1,200}$"),
    ),
    responses(
        (status = 200, description = "Sent back to the officer", body = Dossier),
        (status = 400, description = "Bad Idempotency-Key", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "Not the organisation's dossier", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "The key was used for another request, or its first request is still running", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Not waiting for a supplement", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Too many calls", body = ProblemDetails, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn supplement(
    State(state): State<AppState>,
    Extension(p): Extension<ApiPrincipal>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(problem) = require_write(&p) {
        return problem.into_response();
    }
    let path = format!("/api/v1/dossiers/{id}/supplement");
    let call = || async {
        as_stored(
            async {
                let input: SupplementAnswer = parse_body(&body)?;
                dossier_of(&state, &p, &id).await?;
                filing::supplement(&state, &p.actor(), &id, &input.note).await?;
                let view = dossier_of(&state, &p, &id).await?;
                to_json(StatusCode::OK, &detail(&state, view).await?)
            }
            .await,
        )
    };
    idempotency::once(&state, &p, &headers, "POST", &path, &body, call).await
}

/// A dossier's fees and payment orders.
#[utoipa::path(
    get,
    path = "/api/v1/dossiers/{id}/payments",
    tag = "dossiers",
    params(("id" = String, Path, description = "Dossier id")),
    responses(
        (status = 200, description = "Fees and orders", body = Payments),
        (status = 401, description = "No valid token", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "Not the organisation's dossier", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Too many calls", body = ProblemDetails, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn payments(
    State(state): State<AppState>,
    Extension(p): Extension<ApiPrincipal>,
    Path(id): Path<String>,
) -> ApiResult {
    dossier_of(&state, &p, &id).await?;
    let info = payments::for_applicant(&state, &p.actor(), &id).await?;
    let pay_state = match info.state {
        payments::PayState::Free => "free",
        payments::PayState::NotYet => "not_yet",
        payments::PayState::Unpaid => "unpaid",
        payments::PayState::Pending => "pending",
        payments::PayState::Paid => "paid",
    };
    let body = Payments {
        total: info.quote.total.dong(),
        state: pay_state.into(),
        payable_now: info.payable_now,
        orders: info
            .orders
            .into_iter()
            .map(|o| PaymentOrder {
                id: o.id,
                amount: o.amount,
                status: o.status,
                method: o.method,
                receipt_no: o.receipt_no,
                created_at: rfc3339(o.created_at),
                settled_at: o.settled_at.map(rfc3339),
            })
            .collect(),
    };
    Ok(json(StatusCode::OK, &body))
}

/// Downloads the dossier's result (the signed decision), once issued.
#[utoipa::path(
    get,
    path = "/api/v1/dossiers/{id}/result",
    tag = "dossiers",
    params(("id" = String, Path, description = "Dossier id")),
    responses(
        (status = 200, description = "The result file (PDF, or a scan)", content(
            (BinaryBody = "application/pdf"),
            (BinaryBody = "image/jpeg"),
            (BinaryBody = "image/png"),
        )),
        (status = 401, description = "No valid token", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "Not the organisation's dossier, or no result yet", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Too many calls", body = ProblemDetails, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn result(
    State(state): State<AppState>,
    Extension(p): Extension<ApiPrincipal>,
    Path(id): Path<String>,
    request_meta: super::Meta,
) -> ApiResult {
    dossier_of(&state, &p, &id).await?;
    let Some((document_id, _)) = result_document(&state, &id).await? else {
        return Err(Problem::new(StatusCode::NOT_FOUND, "not_found", NO_RESULT));
    };
    let actor = p.actor();
    let doc = filing::document_for(&state, &actor, &document_id).await?;
    let media = filing::media_of(&doc).ok_or(AppError::NotFound)?;
    let ip = request_meta.0.ip.clone().unwrap_or_default();
    filing::record_access(&state, &actor, "document.download", &document_id, &ip).await?;
    let stream = state.blobs.get(&doc.blob_key).await.map_err(ServiceError::Internal)?;
    let mut response = Body::from_stream(stream).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media.mime()));
    let name: String =
        doc.file_name.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')).collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}
