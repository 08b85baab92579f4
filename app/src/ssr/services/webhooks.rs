//! Webhooks of an organisation (issue #10): its owner registers HTTPS endpoints for dossier
//! events; each change of one of the organisation's dossiers writes a delivery per endpoint in
//! the same transaction (`db::dossiers::insert_event` → `db::webhooks::enqueue_for_event`),
//! and the job worker posts it, signed, retrying with backoff. The owner sees every delivery
//! and its attempts, and may replay one.
//!
//! Signature: header `MotCua-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.

use hmac::{Hmac, Mac as _};
use sha2::Sha256;

use super::{RequestMeta, ServiceError, ServiceResult};
use crate::error::AppError;
use crate::ssr::auth::policy::Actor;
use crate::ssr::auth::tokens::new_token;
use crate::ssr::db::webhooks::{self as db, AttemptRow, DeliveryRow, EVENTS, EndpointRow};
use crate::ssr::db::{audit, columns::to_db};
use crate::ssr::state::AppState;

crate::texts! {
    URL_INVALID = { vi: "Địa chỉ nhận phải là một URL https:// đầy đủ (tối đa 500 ký tự).", en: "The endpoint must be a full https:// URL (at most 500 characters)." }
    EVENTS_REQUIRED = { vi: "Vui lòng chọn ít nhất một sự kiện.", en: "Please choose at least one event." }
    TOO_MANY_ENDPOINTS = { vi: "Mỗi tổ chức đăng ký tối đa 10 địa chỉ nhận.", en: "An organisation may register at most 10 endpoints." }
}

/// The job kind the worker hands to [`deliver`].
pub const JOB_KIND: &str = db::JOB_KIND;
/// The signature header.
pub const SIGNATURE_HEADER: &str = "MotCua-Signature";
/// After this many failed attempts a delivery is marked failed (the owner may replay it).
pub const MAX_ATTEMPTS: i64 = 8;
/// Longest wait for an endpoint's answer.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The value of [`SIGNATURE_HEADER`] for `body` sent at `timestamp` (unix seconds).
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map(|mut mac| {
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    });
    format!("t={timestamp},v1={}", mac.unwrap_or_default())
}

/// Checks an endpoint URL: https, or http on loopback when the configuration allows it.
pub fn check_url(url: &str, allow_loopback_http: bool) -> bool {
    let Ok(parsed) = reqwest::Url::parse(url.trim()) else { return false };
    if url.len() > 500
        || parsed.host_str().is_none()
        || !parsed.username().is_empty()
        || parsed.password().is_some()
    {
        return false;
    }
    let host = parsed.host_str().unwrap_or_default();
    let loopback = matches!(host, "127.0.0.1" | "localhost" | "[::1]");
    match parsed.scheme() {
        // no deliveries into private networks by address (host names are the operator's DNS matter)
        "https" => !is_internal_address(host) || (allow_loopback_http && loopback),
        "http" => allow_loopback_http && loopback,
        _ => false,
    }
}

/// Whether a URL host is a loopback, private, link-local or unspecified address.
fn is_internal_address(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => {
            ip.is_private()
                || ip.is_loopback()
                || ip.is_link_local()
                || ip.is_unspecified()
                || ip.is_broadcast()
        }
        Ok(std::net::IpAddr::V6(ip)) => {
            let first = ip.segments()[0];
            ip.is_loopback()
                || ip.is_unspecified()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
        Err(_) => bare.eq_ignore_ascii_case("localhost"),
    }
}

/// The webhook form: the URL and the chosen events (`events` repeated, or `*` for all).
#[derive(Debug, Clone, Default)]
pub struct EndpointForm {
    /// Where to post.
    pub url: String,
    /// Event names, or `*`.
    pub events: Vec<String>,
}

/// A new endpoint: its secret is shown once.
#[derive(Debug, Clone)]
pub struct CreatedEndpoint {
    /// Id.
    pub id: String,
    /// The HMAC key to verify signatures with.
    pub secret: String,
}

/// Registers an endpoint (owner only).
pub async fn register(
    state: &AppState,
    actor: &Actor,
    organisation_id: &str,
    form: &EndpointForm,
    meta: &RequestMeta,
) -> ServiceResult<CreatedEndpoint> {
    super::organisations::require_owner(state, actor, organisation_id).await?;
    let url = form.url.trim().to_string();
    if !check_url(&url, state.config.webhook_allow_loopback_http) {
        return Err(ServiceError::field("url", URL_INVALID));
    }
    let events = if form.events.iter().any(|e| e == "*") {
        "*".to_string()
    } else {
        let chosen: Vec<&str> =
            EVENTS.iter().map(|(e, _, _)| *e).filter(|e| form.events.iter().any(|f| f == e)).collect();
        if chosen.is_empty() {
            return Err(ServiceError::field("events", EVENTS_REQUIRED));
        }
        format!(",{},", chosen.join(","))
    };
    let now = state.clock.now();
    let secret = format!("whsec_{}", new_token());
    let mut tx = state.db.begin_write().await?;
    if db::endpoints_of(&mut tx, organisation_id).await?.len() >= 10 {
        return Err(ServiceError::field("url", TOO_MANY_ENDPOINTS));
    }
    let id =
        db::insert_endpoint(&mut tx, organisation_id, &url, &secret, &events, actor.user_id(), now).await?;
    audit::append(
        &mut tx,
        &audit::Entry {
            actor_id: Some(actor.user_id()),
            action: "webhook.register",
            subject: &id,
            ip: meta.ip.as_deref().unwrap_or(""),
            detail: &format!("organisation {organisation_id}: {url} {events}"),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(CreatedEndpoint { id, secret })
}

/// Removes (disables) an endpoint (owner only); what was delivered stays visible.
pub async fn remove(
    state: &AppState,
    actor: &Actor,
    organisation_id: &str,
    endpoint_id: &str,
    meta: &RequestMeta,
) -> ServiceResult<()> {
    super::organisations::require_owner(state, actor, organisation_id).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    if !db::disable_endpoint(&mut tx, organisation_id, endpoint_id, now).await? {
        return Err(AppError::NotFound.into());
    }
    audit::append(
        &mut tx,
        &audit::Entry {
            actor_id: Some(actor.user_id()),
            action: "webhook.remove",
            subject: endpoint_id,
            ip: meta.ip.as_deref().unwrap_or(""),
            detail: &format!("organisation {organisation_id}"),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What the owner's page shows.
#[derive(Debug, Clone)]
pub struct Overview {
    /// Active endpoints (their secrets are not shown again).
    pub endpoints: Vec<EndpointRow>,
    /// The latest deliveries.
    pub deliveries: Vec<DeliveryRow>,
    /// Their attempts.
    pub attempts: Vec<AttemptRow>,
}

/// Endpoints, the latest deliveries and their attempts (owner only).
pub async fn overview(state: &AppState, actor: &Actor, organisation_id: &str) -> ServiceResult<Overview> {
    super::organisations::require_owner(state, actor, organisation_id).await?;
    let mut conn = state.db.reader().acquire().await?;
    let endpoints = db::endpoints_of(&mut conn, organisation_id).await?;
    let deliveries = db::deliveries_of(&mut conn, organisation_id, 50).await?;
    let attempts = db::attempts_of(&mut conn, organisation_id).await?;
    Ok(Overview { endpoints, deliveries, attempts })
}

/// Sends a delivery again (owner only).
pub async fn replay(
    state: &AppState,
    actor: &Actor,
    organisation_id: &str,
    delivery_id: &str,
    meta: &RequestMeta,
) -> ServiceResult<()> {
    super::organisations::require_owner(state, actor, organisation_id).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let delivery = db::delivery(&mut tx, delivery_id).await?.ok_or(AppError::NotFound)?;
    let endpoint = db::endpoint(&mut tx, &delivery.endpoint_id).await?.ok_or(AppError::NotFound)?;
    if endpoint.organisation_id != organisation_id {
        return Err(AppError::NotFound.into());
    }
    db::requeue(&mut tx, delivery_id, now).await?;
    audit::append(
        &mut tx,
        &audit::Entry {
            actor_id: Some(actor.user_id()),
            action: "webhook.replay",
            subject: delivery_id,
            ip: meta.ip.as_deref().unwrap_or(""),
            detail: &format!("event {} {}", delivery.event, delivery.event_id),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The job: posts one delivery. `Err` asks the worker to retry later (with backoff);
/// `Ok` when delivered, when there is nothing (left) to do, or after the last attempt.
pub async fn deliver(state: &AppState, job_payload: &str) -> anyhow::Result<()> {
    let args: serde_json::Value = serde_json::from_str(job_payload)?;
    let Some(id) = args.get("delivery_id").and_then(|v| v.as_str()) else {
        anyhow::bail!("webhook job without a delivery id");
    };
    let mut conn = state.db.reader().acquire().await?;
    let Some(delivery) = db::delivery(&mut conn, id).await? else { return Ok(()) };
    let Some(endpoint) = db::endpoint(&mut conn, &delivery.endpoint_id).await? else { return Ok(()) };
    drop(conn);
    if delivery.status == "delivered" || endpoint.disabled_at.is_some() {
        return Ok(());
    }
    let now = state.clock.now();
    let timestamp = now.unix_timestamp();
    let client =
        reqwest::Client::builder().timeout(TIMEOUT).redirect(reqwest::redirect::Policy::none()).build()?;
    let started = std::time::Instant::now();
    let outcome = client
        .post(&endpoint.url)
        .header("content-type", "application/json")
        .header("user-agent", "MotCua-Webhooks/1")
        .header(SIGNATURE_HEADER, signature(&endpoint.secret, timestamp, &delivery.payload))
        .header("MotCua-Event", &delivery.event)
        .header("MotCua-Event-Id", &delivery.event_id)
        .header("MotCua-Delivery", &delivery.id)
        .body(delivery.payload.clone())
        .send()
        .await;
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let (code, error) = match outcome {
        Ok(response) if response.status().is_success() => (Some(response.status().as_u16()), String::new()),
        Ok(response) => (Some(response.status().as_u16()), format!("HTTP {}", response.status().as_u16())),
        Err(e) => (None, e.without_url().to_string().chars().take(300).collect()),
    };
    let success = error.is_empty();
    let give_up = !success && delivery.attempts + 1 >= MAX_ATTEMPTS;
    db::record_attempt(&state.db, id, code, &error, duration_ms, success, give_up, state.clock.now()).await?;
    if success || give_up {
        Ok(())
    } else {
        anyhow::bail!("webhook {} to endpoint {}: {error}", delivery.id, endpoint.id)
    }
}

/// Unix microseconds of now (for pages comparing stored instants).
pub fn now_micros(state: &AppState) -> i64 {
    to_db(state.clock.now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_cover_timestamp_and_body() {
        let a = signature("whsec_x", 1_700_000_000, "{\"a\":1}");
        assert!(a.starts_with("t=1700000000,v1="));
        assert_eq!(a.len(), "t=1700000000,v1=".len() + 64);
        assert_ne!(a, signature("whsec_x", 1_700_000_001, "{\"a\":1}"));
        assert_ne!(a, signature("whsec_y", 1_700_000_000, "{\"a\":1}"));
        assert_ne!(a, signature("whsec_x", 1_700_000_000, "{\"a\":2}"));
    }

    #[test]
    fn endpoints_must_be_https_except_loopback_in_development() {
        assert!(check_url("https://erp.example.vn/hooks/motcua", false));
        assert!(!check_url("http://erp.example.vn/hooks", true));
        assert!(!check_url("http://127.0.0.1:9000/hook", false));
        assert!(check_url("http://127.0.0.1:9000/hook", true));
        assert!(check_url("http://localhost:9000/hook", true));
        assert!(!check_url("ftp://example.vn/x", true));
        assert!(!check_url("https://user:pw@example.vn/x", false));
        assert!(!check_url("not a url", true));
        assert!(!check_url("https://10.1.2.3/hook", false));
        assert!(!check_url("https://192.168.1.1/hook", true));
        assert!(!check_url("https://[fe80::1]/hook", false));
        assert!(!check_url("https://127.0.0.1/hook", false));
        assert!(check_url("https://127.0.0.1/hook", true));
        assert!(check_url("https://203.162.4.190/hook", false));
    }
}
