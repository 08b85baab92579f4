//! Form endpoints of online filing: start a draft, save it, upload and remove scans, submit,
//! withdraw; the receipt PDF and file downloads (authorised per request).

use std::collections::BTreeMap;
use std::pin::Pin;

use axum::Form;
use axum::body::Body;
use axum::extract::multipart::Field;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt as _;
use serde::Deserialize;

use super::form::{FormRequest, see_other};
use crate::components::form::FormState;
use crate::error::AppError;
use crate::i18n::Message;
use crate::ssr::services::{ServiceError, filing, receipts};
use crate::ssr::state::AppState;

/// The "File online" button.
#[derive(Debug, Deserialize)]
pub struct StartForm {
    #[serde(default)]
    procedure: String,
    /// `self` or an organisation id.
    #[serde(default)]
    filer: String,
}

/// `POST /dossiers`: starts a draft.
pub async fn start(
    State(state): State<AppState>,
    request: FormRequest,
    Form(form): Form<StartForm>,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other(&format!("/login?next=/procedures/{}", form.procedure));
    };
    let org = (!form.filer.is_empty() && form.filer != "self").then_some(form.filer.as_str());
    match filing::start(&state, &current.actor, &form.procedure, org).await {
        Ok(id) => see_other(&format!("/dossiers/{id}")),
        Err(e) => {
            let path = format!("/procedures/{}", form.procedure);
            request.render_refused_at(&state, &path, FormState::default(), e).await
        }
    }
}

/// `POST /dossiers/{id}/save`: keeps what was typed; `next=review` goes on to the review.
pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    request: FormRequest,
    Form(values): Form<BTreeMap<String, String>>,
) -> Response {
    let autosave = headers.get("x-requested-with").is_some_and(|v| v == "motcua-autosave");
    let Some(current) = request.signed_in().cloned() else {
        return if autosave { StatusCode::UNAUTHORIZED.into_response() } else { see_other("/login") };
    };
    if autosave {
        // the form's live helper saving in the background: no page, just the outcome
        return match filing::save(&state, &current.actor, &id, &values).await {
            Ok(()) => StatusCode::NO_CONTENT.into_response(),
            Err(ServiceError::Refused(e)) => e.into_plain_response(),
            Err(_) => StatusCode::UNPROCESSABLE_ENTITY.into_response(),
        };
    }
    let shown = FormState::from_values(&values, &[]);
    match filing::save(&state, &current.actor, &id, &values).await {
        Ok(()) if values.get("next").is_some_and(|n| n == "review") => {
            see_other(&format!("/dossiers/{id}/review"))
        }
        Ok(()) => see_other(&format!("/dossiers/{id}?saved=1")),
        Err(e) => request.render_refused_at(&state, &format!("/dossiers/{id}"), shown, e).await,
    }
}

fn is_script_upload(headers: &HeaderMap) -> bool {
    headers.get("x-requested-with").is_some_and(|v| v == "motcua-upload")
}

/// The status that tells what went wrong with an upload.
fn upload_status(e: &ServiceError) -> StatusCode {
    match e {
        ServiceError::Invalid(errors) => match errors.get("file") {
            Some(m) if m.vi.starts_with("Tệp quá lớn") || m.vi.starts_with("Tổng dung lượng") => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            Some(m) if m.vi.starts_with("Chỉ nhận tệp") => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        },
        ServiceError::Refused(e) => StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST),
        ServiceError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// What the `store` callback of [`receive_upload`] returns: a boxed future that owns what it
/// uses besides the field (an `async` closure borrowing the handler's variables makes the
/// handler's future `Send` for one lifetime only, which axum refuses).
pub type StoreFuture<'a> = Pin<Box<dyn Future<Output = Result<String, ServiceError>> + Send + 'a>>;

/// Reads the multipart body of an upload: the first field named `file` that has a file name
/// is handed to `store` as a stream (its outcome is the answer); every other field, and the
/// rest of a refused file, is drained so that the answer reaches the browser. A body that
/// breaks off or is malformed is `FILE_INTERRUPTED`, a body without a file `FILE_MISSING`.
/// Public for the fuzz target `multipart_upload` (fuzz/), which drives it with any bytes.
pub async fn receive_upload<F>(multipart: &mut Multipart, mut store: F) -> Result<String, ServiceError>
where
    F: for<'a, 'b> FnMut(String, Pin<&'a mut Field<'b>>) -> StoreFuture<'a>,
{
    let mut result: Option<Result<String, ServiceError>> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                result.get_or_insert(Err(ServiceError::field("file", filing::FILE_INTERRUPTED)));
                break;
            }
        };
        if field.name() != Some("file") || result.is_some() {
            // drain what we do not use, so the answer reaches the browser
            let mut field = std::pin::pin!(field);
            while let Some(Ok(_)) = field.next().await {}
            continue;
        }
        let file_name = field.file_name().unwrap_or("").to_string();
        let mut field = std::pin::pin!(field);
        if file_name.is_empty() {
            while let Some(Ok(_)) = field.next().await {}
            result = Some(Err(ServiceError::field("file", filing::FILE_MISSING)));
            continue;
        }
        let outcome = store(file_name, field.as_mut()).await;
        if outcome.is_err() {
            while let Some(Ok(_)) = field.next().await {}
        }
        result = Some(outcome);
    }
    result.unwrap_or_else(|| Err(ServiceError::field("file", filing::FILE_MISSING)))
}

/// `POST /dossiers/{id}/papers/{paper}` (multipart, field `file`): streams one scan to
/// storage and attaches it. A script (the progress bar) gets the message as plain text; a plain form gets the page.
pub async fn upload(
    State(state): State<AppState>,
    Path((id, paper)): Path<(String, usize)>,
    headers: HeaderMap,
    request: FormRequest,
    mut multipart: Multipart,
) -> Response {
    let script = is_script_upload(&headers);
    let Some(current) = request.signed_in().cloned() else {
        return if script { StatusCode::UNAUTHORIZED.into_response() } else { see_other("/login") };
    };
    let result = receive_upload(&mut multipart, |file_name, body| {
        let (state, actor, id) = (state.clone(), current.actor.clone(), id.clone());
        Box::pin(async move { filing::upload(&state, &actor, &id, paper, &file_name, body).await })
    })
    .await;
    match (result, script) {
        (Ok(_), true) => {
            (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "ok").into_response()
        }
        (Ok(_), false) => see_other(&format!("/dossiers/{id}?uploaded=1#paper-{paper}")),
        (Err(e), true) => {
            let status = upload_status(&e);
            let message: Message = match &e {
                ServiceError::Invalid(errors) => {
                    errors.values().next().cloned().unwrap_or_else(|| AppError::InvalidInput.text().into())
                }
                ServiceError::Refused(r) => r.text().into(),
                ServiceError::Internal(cause) => {
                    tracing::error!(error = %format!("{cause:#}"), "upload failed");
                    AppError::Internal.text().into()
                }
            };
            let body = message.get(request.meta.locale).to_string();
            (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
        }
        (Err(e), false) => {
            let status = upload_status(&e);
            let e = match e {
                ServiceError::Invalid(mut errors) => {
                    if let Some(m) = errors.remove("file") {
                        errors.insert(format!("paper-{paper}"), m);
                    }
                    ServiceError::Invalid(errors)
                }
                other => other,
            };
            let mut response =
                request.render_refused_at(&state, &format!("/dossiers/{id}"), FormState::default(), e).await;
            if status == StatusCode::PAYLOAD_TOO_LARGE || status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
                *response.status_mut() = status;
            }
            response
        }
    }
}

/// Choosing a document from the store.
#[derive(Debug, Deserialize)]
pub struct AttachForm {
    #[serde(default)]
    document: String,
}

/// `POST /dossiers/{id}/papers/{paper}/attach`.
pub async fn attach(
    State(state): State<AppState>,
    Path((id, paper)): Path<(String, usize)>,
    request: FormRequest,
    Form(form): Form<AttachForm>,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    match filing::attach_existing(&state, &current.actor, &id, paper, &form.document).await {
        Ok(()) => see_other(&format!("/dossiers/{id}?uploaded=1#paper-{paper}")),
        Err(e) => {
            request.render_refused_at(&state, &format!("/dossiers/{id}"), FormState::default(), e).await
        }
    }
}

/// `POST /dossiers/{id}/files/{file}/remove`.
pub async fn remove_file(
    State(state): State<AppState>,
    Path((id, file)): Path<(String, String)>,
    request: FormRequest,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    match filing::remove_file(&state, &current.actor, &id, &file).await {
        Ok(()) => see_other(&format!("/dossiers/{id}?removed=1")),
        Err(e) => {
            request.render_refused_at(&state, &format!("/dossiers/{id}"), FormState::default(), e).await
        }
    }
}

/// `POST /dossiers/{id}/discard`.
pub async fn discard(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    match filing::discard(&state, &current.actor, &id).await {
        Ok(()) => see_other("/dossiers?discarded=1"),
        Err(e) => {
            request.render_refused_at(&state, &format!("/dossiers/{id}"), FormState::default(), e).await
        }
    }
}

/// The submit button, with its idempotency token.
#[derive(Debug, Deserialize)]
pub struct SubmitForm {
    #[serde(default)]
    token: String,
}

/// `POST /dossiers/{id}/submit`.
pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(form): Form<SubmitForm>,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    let officer = matches!(current.actor, crate::ssr::auth::policy::Actor::Officer { .. });
    match filing::submit(&state, &current.actor, &id, &form.token, &request.meta).await {
        // filed at the counter: the desk goes on with it at the desk's page
        Ok(_) if officer => see_other(&format!("/officer/dossiers/{id}?submitted=1")),
        Ok(_) => see_other(&format!("/dossiers/{id}?submitted=1")),
        // a second click once submitted: the same answer
        Err(_)
            if officer
                && crate::ssr::services::reception::get(&state, &current.actor, &id)
                    .await
                    .is_ok_and(|v| v.state != crate::domain::DossierState::Draft) =>
        {
            see_other(&format!("/officer/dossiers/{id}?submitted=1"))
        }
        Err(e) => {
            request
                .render_refused_at(&state, &format!("/dossiers/{id}/review"), FormState::default(), e)
                .await
        }
    }
}

/// The supplement form.
#[derive(Debug, Deserialize)]
pub struct SupplementForm {
    #[serde(default)]
    note: String,
}

/// `POST /dossiers/{id}/supplement`: the applicant sends what was asked for.
pub async fn supplement(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(form): Form<SupplementForm>,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    match filing::supplement(&state, &current.actor, &id, &form.note).await {
        Ok(_) => see_other(&format!("/dossiers/{id}?supplemented=1")),
        Err(e) => {
            request.render_refused_at(&state, &format!("/dossiers/{id}"), FormState::default(), e).await
        }
    }
}

/// The withdrawal form.
#[derive(Debug, Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    reason: String,
}

/// `POST /dossiers/{id}/withdraw`.
pub async fn withdraw(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    Form(form): Form<WithdrawForm>,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other("/login");
    };
    let shown = FormState::from_values(&BTreeMap::from([("reason".to_string(), form.reason.clone())]), &[]);
    match filing::withdraw(&state, &current.actor, &id, &form.reason).await {
        Ok(_) => see_other(&format!("/dossiers/{id}?withdrawn=1")),
        Err(e) => request.render_refused_at(&state, &format!("/dossiers/{id}"), shown, e).await,
    }
}

fn refusal(e: ServiceError) -> Response {
    match e {
        ServiceError::Refused(e) => e.into_plain_response(),
        ServiceError::Invalid(_) => AppError::NotFound.into_plain_response(),
        ServiceError::Internal(cause) => {
            tracing::error!(error = %format!("{cause:#}"), "download failed");
            AppError::Internal.into_plain_response()
        }
    }
}

fn disposition(kind: &str, name: &str) -> HeaderValue {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    HeaderValue::from_str(&format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// `GET /dossiers/{id}/receipt.pdf`.
pub async fn receipt(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other(&format!("/login?next=/dossiers/{id}"));
    };
    pdf_response(receipts::submission_receipt(&state, &current.actor, &id, request.meta.locale).await)
}

/// A generated PDF shown inline and never cached, or the refusal.
pub(crate) fn pdf_response(result: Result<(String, Vec<u8>), ServiceError>) -> Response {
    match result {
        Ok((name, pdf)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("application/pdf")),
                (header::CONTENT_DISPOSITION, disposition("inline", &name)),
                (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
            ],
            pdf,
        )
            .into_response(),
        Err(e) => refusal(e),
    }
}

/// `GET /dossiers/{id}/forms/{number}`: printed forms 02–06 (`02.pdf`…), for those who may
/// see the dossier (06 for officers only), once what they print has happened.
pub async fn printed_form(
    State(state): State<AppState>,
    Path((id, file)): Path<(String, String)>,
    request: FormRequest,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other(&format!("/login?next=/dossiers/{id}"));
    };
    let Some(form) = file.strip_suffix(".pdf").and_then(crate::ssr::services::forms::Printed::from_number)
    else {
        return AppError::NotFound.into_plain_response();
    };
    pdf_response(
        crate::ssr::services::forms::printed(&state, &current.actor, &id, form, request.meta.locale).await,
    )
}

/// `GET /dossiers/{id}/appointment.pdf`: form 01, once the desk has received the dossier (for
/// the applicant and for the officers who may see it).
pub async fn appointment(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return see_other(&format!("/login?next=/dossiers/{id}"));
    };
    pdf_response(
        receipts::receipt(&state, &current.actor, &id, request.meta.locale, receipts::Slip::Appointment)
            .await,
    )
}

/// Query of a download.
#[derive(Debug, Deserialize)]
pub struct DownloadQuery {
    #[serde(default)]
    download: Option<String>,
}

/// `GET /documents/{id}`: a file the viewer may see, shown inline (preview) or saved.
pub async fn document(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: FormRequest,
    axum::extract::Query(q): axum::extract::Query<DownloadQuery>,
) -> Response {
    let Some(current) = request.signed_in().cloned() else {
        return AppError::NotFound.into_plain_response();
    };
    let doc = match filing::document_for(&state, &current.actor, &id).await {
        Ok(doc) => doc,
        Err(e) => return refusal(e),
    };
    let Some(media) = filing::media_of(&doc) else {
        return AppError::NotFound.into_plain_response();
    };
    // every view or download of a paper is on record
    let ip = request.meta.ip.clone().unwrap_or_default();
    if let Err(e) = filing::record_access(&state, &current.actor, "document.download", &id, &ip).await {
        return refusal(e);
    }
    let stream = match state.blobs.get(&doc.blob_key).await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), key = %doc.blob_key, "blob missing");
            return AppError::NotFound.into_plain_response();
        }
    };
    let kind = if q.download.is_some() { "attachment" } else { "inline" };
    let mut response = Body::from_stream(stream).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media.mime()));
    h.insert(header::CONTENT_DISPOSITION, disposition(kind, &doc.file_name));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    if let Ok(len) = HeaderValue::from_str(&doc.size_bytes.to_string()) {
        h.insert(header::CONTENT_LENGTH, len);
    }
    // A stored file is never a page of ours: no scripts, no same-origin powers.
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; plugin-types application/pdf"));
    response
}
