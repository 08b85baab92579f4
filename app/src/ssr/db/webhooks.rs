//! Webhook endpoints, deliveries and attempts. Deliveries are written by
//! [`enqueue_for_event`] inside the transaction that appends a dossier's event, together with
//! the job that sends them, so a committed change always notifies and a rolled-back one never.

use sqlx::{AnyConnection, FromRow};
use time::OffsetDateTime;

use super::Db;
use super::columns::{new_id, to_db};
use super::jobs;

/// The job kind that sends one delivery (payload `{"delivery_id": …}`).
pub const JOB_KIND: &str = "deliver_webhook";

/// The public event for a timeline kind, if it is one organisations are told about.
pub fn event_for_kind(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "submitted" => "dossier.submitted",
        "received" => "dossier.received",
        "supplement_requested" | "supplement_requested_processing" => "dossier.supplement_requested",
        "supplemented" => "dossier.supplemented",
        "refused_at_reception" | "refused_to_grant" => "dossier.refused",
        "payment_requested" => "dossier.payment_requested",
        "payment_settled" => "dossier.paid",
        "decided" => "dossier.result_ready",
        "returned" => "dossier.returned",
        "withdrawn" => "dossier.withdrawn",
        "stopped" => "dossier.stopped",
        _ => return None,
    })
}

/// The name of a stored state (JSON) as the API shows it: the variant's snake_case name,
/// e.g. `received`, `supplement_requested`.
pub fn state_name(json: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Object(map)) => map.keys().next().cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

/// Every event an endpoint may subscribe to.
pub use crate::domain::webhook::EVENTS;

/// An endpoint (with its secret: server-side only, not `Serialize`).
#[derive(Debug, Clone, FromRow)]
pub struct EndpointRow {
    /// Id.
    pub id: String,
    /// Organisation.
    pub organisation_id: String,
    /// Where to post.
    pub url: String,
    /// HMAC key.
    pub secret: String,
    /// `*` or `,a,b,`.
    pub events: String,
    /// Created.
    pub created_at: i64,
    /// Disabled (removed by the owner), if it was.
    pub disabled_at: Option<i64>,
}

const ENDPOINT_COLUMNS: &str = "id, organisation_id, url, secret, events, created_at, disabled_at";

/// Registers an endpoint; returns its id.
pub async fn insert_endpoint(
    conn: &mut AnyConnection,
    organisation_id: &str,
    url: &str,
    secret: &str,
    events: &str,
    created_by: &str,
    now: OffsetDateTime,
) -> sqlx::Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO webhook_endpoints (id, organisation_id, url, secret, events, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(organisation_id)
    .bind(url)
    .bind(secret)
    .bind(events)
    .bind(created_by)
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(id)
}

/// The organisation's active endpoints, newest first.
pub async fn endpoints_of(conn: &mut AnyConnection, organisation_id: &str) -> sqlx::Result<Vec<EndpointRow>> {
    sqlx::query_as(&format!(
        "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE organisation_id = $1 AND disabled_at IS NULL \
         ORDER BY created_at DESC, id DESC"
    ))
    .bind(organisation_id)
    .fetch_all(conn)
    .await
}

/// One endpoint.
pub async fn endpoint(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<EndpointRow>> {
    sqlx::query_as(&format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Disables an endpoint of the organisation (its deliveries stay visible).
pub async fn disable_endpoint(
    conn: &mut AnyConnection,
    organisation_id: &str,
    id: &str,
    now: OffsetDateTime,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE webhook_endpoints SET disabled_at = $1 WHERE id = $2 AND organisation_id = $3 AND disabled_at IS NULL",
    )
    .bind(to_db(now))
    .bind(id)
    .bind(organisation_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Writes a delivery (and its job) to every endpoint of the dossier's organisation that wants
/// the event of timeline kind `kind`. Runs in the caller's transaction.
pub async fn enqueue_for_event(
    conn: &mut AnyConnection,
    dossier_id: &str,
    kind: &str,
    state_to: Option<&str>,
    now: OffsetDateTime,
) -> sqlx::Result<usize> {
    let Some(event) = event_for_kind(kind) else {
        return Ok(0);
    };
    let endpoints: Vec<(String, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT e.id, d.code, d.national_status FROM webhook_endpoints e JOIN dossiers d ON d.organisation_id = e.organisation_id \
         WHERE d.id = $1 AND e.disabled_at IS NULL AND (e.events = '*' OR e.events LIKE $2) ORDER BY e.id",
    )
    .bind(dossier_id)
    .bind(format!("%,{event},%"))
    .fetch_all(&mut *conn)
    .await?;
    if endpoints.is_empty() {
        return Ok(0);
    }
    let event_id = new_id();
    let at = now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    let status = state_to.map(state_name);
    for (endpoint_id, code, national_status) in &endpoints {
        let payload = serde_json::json!({
            "id": event_id,
            "type": event,
            "occurred_at": at,
            "data": {
                "dossier_id": dossier_id,
                "code": code,
                "state": status,
                "national_status": national_status,
            }
        })
        .to_string();
        let id = new_id();
        sqlx::query(
            "INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event, dossier_id, payload, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7)",
        )
        .bind(&id)
        .bind(endpoint_id)
        .bind(&event_id)
        .bind(event)
        .bind(dossier_id)
        .bind(&payload)
        .bind(to_db(now))
        .execute(&mut *conn)
        .await?;
        jobs::enqueue(conn, JOB_KIND, &serde_json::json!({ "delivery_id": id }).to_string(), now, now)
            .await?;
    }
    Ok(endpoints.len())
}

/// A delivery with what is needed to send it.
#[derive(Debug, Clone, FromRow)]
pub struct DeliveryRow {
    /// Id.
    pub id: String,
    /// Endpoint.
    pub endpoint_id: String,
    /// Event id (the same for every endpoint).
    pub event_id: String,
    /// Event type.
    pub event: String,
    /// Dossier.
    pub dossier_id: String,
    /// The body.
    pub payload: String,
    /// `pending`, `delivered`, `failed`.
    pub status: String,
    /// Attempts so far.
    pub attempts: i64,
    /// Created.
    pub created_at: i64,
    /// Delivered.
    pub delivered_at: Option<i64>,
}

const DELIVERY_COLUMNS: &str = "d.id, d.endpoint_id, d.event_id, d.event, d.dossier_id, d.payload, d.status, d.attempts, d.created_at, d.delivered_at";

/// One delivery.
pub async fn delivery(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<DeliveryRow>> {
    sqlx::query_as(&format!("SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d WHERE d.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The latest deliveries to the organisation's endpoints, newest first.
pub async fn deliveries_of(
    conn: &mut AnyConnection,
    organisation_id: &str,
    limit: i64,
) -> sqlx::Result<Vec<DeliveryRow>> {
    sqlx::query_as(&format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id \
         WHERE e.organisation_id = $1 ORDER BY d.created_at DESC, d.id DESC LIMIT {}",
        limit.clamp(1, 200)
    ))
    .bind(organisation_id)
    .fetch_all(conn)
    .await
}

/// An attempt.
#[derive(Debug, Clone, FromRow)]
pub struct AttemptRow {
    /// Delivery.
    pub delivery_id: String,
    /// When.
    pub at: i64,
    /// HTTP status, if there was an answer.
    pub status_code: Option<i64>,
    /// Why it failed.
    pub error: String,
    /// How long it took.
    pub duration_ms: i64,
}

/// The attempts of the given deliveries, oldest first.
pub async fn attempts_of(conn: &mut AnyConnection, organisation_id: &str) -> sqlx::Result<Vec<AttemptRow>> {
    sqlx::query_as(
        "SELECT a.delivery_id, a.at, a.status_code, a.error, a.duration_ms FROM webhook_attempts a \
         JOIN webhook_deliveries d ON d.id = a.delivery_id JOIN webhook_endpoints e ON e.id = d.endpoint_id \
         WHERE e.organisation_id = $1 ORDER BY a.at, a.id",
    )
    .bind(organisation_id)
    .fetch_all(conn)
    .await
}

/// Records an attempt and its outcome: `delivered` on success, `failed` when `give_up`.
#[allow(clippy::too_many_arguments)]
pub async fn record_attempt(
    db: &Db,
    delivery_id: &str,
    status_code: Option<u16>,
    error: &str,
    duration_ms: i64,
    success: bool,
    give_up: bool,
    now: OffsetDateTime,
) -> sqlx::Result<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO webhook_attempts (id, delivery_id, at, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(delivery_id)
    .bind(to_db(now))
    .bind(status_code.map(i64::from))
    .bind(error)
    .bind(duration_ms)
    .execute(&mut *tx)
    .await?;
    let status = if success {
        "delivered"
    } else if give_up {
        "failed"
    } else {
        "pending"
    };
    sqlx::query(
        "UPDATE webhook_deliveries SET attempts = attempts + 1, status = $1, \
         delivered_at = COALESCE($2, delivered_at) WHERE id = $3",
    )
    .bind(status)
    .bind(success.then(|| to_db(now)))
    .bind(delivery_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// Queues a delivery again (replay by the owner): pending, with a new job.
pub async fn requeue(conn: &mut AnyConnection, delivery_id: &str, now: OffsetDateTime) -> sqlx::Result<()> {
    sqlx::query("UPDATE webhook_deliveries SET status = 'pending' WHERE id = $1")
        .bind(delivery_id)
        .execute(&mut *conn)
        .await?;
    jobs::enqueue(conn, JOB_KIND, &serde_json::json!({ "delivery_id": delivery_id }).to_string(), now, now)
        .await?;
    Ok(())
}
