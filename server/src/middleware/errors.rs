//! Error pages that never show a stack trace: a panic becomes a plain bilingual 500 page,
//! and an empty error body from a layer (e.g. 413 from the body limit) gets a readable one.

use std::any::Any;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

const PAGE: &str = r#"<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title><link rel="stylesheet" href="/pkg/motcua.css"></head><body><main id="main" class="container message-page"><p class="message-code" aria-hidden="true">{code}</p><h1>{title}</h1><p>{vi}</p><p lang="en">{en}</p><p><a class="button" href="/">Về trang chủ / Home</a></p></main></body></html>"#;

fn page(status: StatusCode, title: &str, vi: &str, en: &str) -> Response {
    let html = PAGE
        .replace("{code}", status.as_str())
        .replace("{title}", title)
        .replace("{vi}", vi)
        .replace("{en}", en);
    (status, Html(html)).into_response()
}

/// The response for a panicking handler; the panic itself is logged, never shown.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = detail, "handler panicked");
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Đã xảy ra lỗi hệ thống",
        "Đã xảy ra lỗi hệ thống. Dữ liệu của bạn không bị mất; vui lòng thử lại sau ít phút.",
        "Something went wrong on our side. Nothing you entered was lost; please try again in a few minutes.",
    )
}

/// Replaces bodiless or plain-text error responses of the framework with readable pages
/// for browsers (requests that accept HTML).
pub async fn friendly_error_pages(request: Request<Body>, next: Next) -> Response {
    let wants_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let response = next.run(request).await;
    if !wants_html {
        return response;
    }
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        return response;
    }
    match response.status() {
        StatusCode::PAYLOAD_TOO_LARGE => page(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Tệp quá lớn",
            "Dữ liệu gửi lên vượt quá dung lượng cho phép. Vui lòng chọn tệp nhỏ hơn.",
            "What you sent is larger than allowed. Please choose a smaller file.",
        ),
        StatusCode::FORBIDDEN => page(
            StatusCode::FORBIDDEN,
            "Yêu cầu bị từ chối",
            "Yêu cầu không hợp lệ hoặc không xuất phát từ trang của cổng. Vui lòng tải lại trang và thử lại.",
            "The request was refused (it did not come from this portal's pages). Please reload the page and try again.",
        ),
        StatusCode::INTERNAL_SERVER_ERROR => page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Đã xảy ra lỗi hệ thống",
            "Đã xảy ra lỗi hệ thống. Dữ liệu của bạn không bị mất; vui lòng thử lại.",
            "Something went wrong on our side. Nothing you entered was lost; please try again.",
        ),
        _ => response,
    }
}
