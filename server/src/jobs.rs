//! The background worker: takes due jobs from the outbox (shared by every server process)
//! and runs them. A job is leased, so a process that dies mid-job leaves it to another.

use std::sync::Arc;
use std::time::Duration;

use app::ssr::db::jobs;
use app::ssr::mail::JOB_KIND as SEND_EMAIL;
use app::ssr::ports::{Mailer, OutgoingEmail};
use app::ssr::state::AppState;
use tokio::sync::watch;

/// How long a claimed job is reserved for its worker.
const LEASE: time::Duration = time::Duration::minutes(2);
/// Pause when the queue is empty.
const IDLE: Duration = Duration::from_millis(250);

/// How often the housekeeping runs (stale drafts, temporary upload files).
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(3600);
/// How often late dossiers are looked for.
const OVERDUE_EVERY: Duration = Duration::from_secs(300);
/// How often pending online payments are reconciled with the gateway (QueryDR).
const RECONCILE_EVERY: Duration = Duration::from_secs(60);
/// Temporary upload files older than this belong to uploads cut off by a crash.
const TEMP_FILE_AGE: Duration = Duration::from_secs(3600);

/// Removes drafts untouched for `draft_max_age` and temporary files of interrupted uploads.
/// Idempotent, so every server process may run it.
pub async fn housekeeping(state: &AppState, draft_max_age: time::Duration) {
    let temp = state.blobs.sweep_temp(TEMP_FILE_AGE);
    match app::ssr::services::filing::sweep_drafts(state, draft_max_age).await {
        Ok(drafts) if drafts + temp > 0 => {
            tracing::info!(
                drafts,
                temp_files = temp,
                "housekeeping removed stale drafts and temporary files"
            );
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "housekeeping failed"),
    }
}

/// Asks the gateway about online payments pending too long and settles or expires them.
/// Idempotent (every change is conditional on the order still pending), so every server
/// process may run it.
pub async fn reconcile_payments(state: &AppState) {
    match app::ssr::services::payments::reconcile(state).await {
        Ok(r) if r.settled + r.expired > 0 => {
            tracing::info!(settled = r.settled, expired = r.expired, left = r.left, "payments reconciled");
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "payment reconciliation failed"),
    }
}

/// Reminds applicants to rate returned dossiers and marks unanswered feedback overdue.
/// Idempotent (each dossier reminded once, each item marked once, by conditional updates), so
/// every server process may run it.
pub async fn quality_sweeps(state: &AppState) {
    match app::ssr::services::ratings::send_reminders(state).await {
        Ok(ids) if !ids.is_empty() => tracing::info!(dossiers = ids.len(), "applicants reminded to rate"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "rating reminders failed"),
    }
    match app::ssr::services::feedback::sweep_overdue(state).await {
        Ok(ids) if !ids.is_empty() => tracing::info!(items = ids.len(), "feedback marked overdue"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "feedback overdue sweep failed"),
    }
}

/// Runs until `stop` turns true.
pub async fn run(
    state: AppState,
    mailer: Arc<dyn Mailer>,
    draft_max_age: time::Duration,
    mut stop: watch::Receiver<bool>,
) {
    let mut last_housekeeping: Option<tokio::time::Instant> = None;
    let mut last_overdue: Option<tokio::time::Instant> = None;
    let mut last_reconcile: Option<tokio::time::Instant> = None;
    loop {
        if *stop.borrow() {
            break;
        }
        if last_housekeeping.is_none_or(|t| t.elapsed() >= HOUSEKEEPING_EVERY) {
            housekeeping(&state, draft_max_age).await;
            last_housekeeping = Some(tokio::time::Instant::now());
        }
        if last_overdue.is_none_or(|t| t.elapsed() >= OVERDUE_EVERY) {
            match app::ssr::services::workflow::sweep_overdue(&state).await {
                Ok(ids) if !ids.is_empty() => tracing::info!(dossiers = ids.len(), "marked overdue"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "overdue sweep failed"),
            }
            if let Err(e) = app::ssr::services::stats::refresh(&state).await {
                tracing::warn!(error = %e, "statistics refresh failed");
            }
            match app::ssr::services::workflow::warn_due_soon(&state).await {
                Ok(n) if n > 0 => tracing::info!(steps = n, "officers warned of steps falling due"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "due-soon warning failed"),
            }
            quality_sweeps(&state).await;
            last_overdue = Some(tokio::time::Instant::now());
        }
        if last_reconcile.is_none_or(|t| t.elapsed() >= RECONCILE_EVERY) {
            reconcile_payments(&state).await;
            last_reconcile = Some(tokio::time::Instant::now());
        }
        let worked = match run_one(&state, mailer.as_ref()).await {
            Ok(worked) => worked,
            Err(error) => {
                tracing::warn!(error = %format!("{error:#}"), "job queue unavailable");
                false
            }
        };
        if !worked {
            tokio::select! {
                _ = tokio::time::sleep(IDLE) => {}
                _ = stop.changed() => {}
            }
        }
    }
}

/// Claims and runs one due job; `Ok(false)` when there was none.
pub async fn run_one(state: &AppState, mailer: &dyn Mailer) -> anyhow::Result<bool> {
    let now = state.clock.now();
    let Some(job) = jobs::claim(&state.db, now, LEASE).await? else {
        return Ok(false);
    };
    let result = match job.kind.as_str() {
        SEND_EMAIL => match serde_json::from_str::<OutgoingEmail>(&job.payload) {
            Ok(email) => mailer.send(&email).await,
            Err(e) => Err(anyhow::anyhow!("bad email payload: {e}")),
        },
        app::ssr::services::webhooks::JOB_KIND => {
            app::ssr::services::webhooks::deliver(state, &job.payload).await
        }
        other => Err(anyhow::anyhow!("unknown job kind {other}")),
    };
    match result {
        Ok(()) => jobs::complete(&state.db, &job.id, state.clock.now()).await?,
        Err(error) => {
            // Exponential backoff: 10 s, 20 s, 40 s… capped at an hour.
            let delay = 10i64.saturating_mul(1 << job.attempts.clamp(0, 9)).min(3600);
            tracing::warn!(job = %job.id, kind = %job.kind, attempts = job.attempts, error = %format!("{error:#}"), "job failed; will retry");
            jobs::fail(
                &state.db,
                &job.id,
                &format!("{error:#}"),
                state.clock.now() + time::Duration::seconds(delay),
            )
            .await?;
        }
    }
    Ok(true)
}
