//! The MotCua server: configuration, telemetry, the axum router around the Leptos app,
//! the implementations of the app's ports, background jobs and the CLI's subcommands.
//!
//! `main.rs` only parses the command line; everything else is here so that integration
//! tests start the very same server in-process on port 0.

pub mod assets;
pub mod backup;
pub mod config;
pub mod demo;
pub mod demo_dossiers;
pub mod handlers;
pub mod jobs;
pub mod mail;
pub mod middleware;
pub mod router;
pub mod sandbox;
pub mod telemetry;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use app::ssr::db::Db;
use app::ssr::ports::{Clock, Mailer, SystemClock};
use app::ssr::state::{AppState, RuntimeConfig};
use app::ssr::storage::BlobStore;
use leptos::prelude::LeptosOptions;
use tokio::net::TcpListener;

use crate::config::Settings;

/// Opens the database and applies the migrations.
pub async fn open_database(settings: &Settings) -> anyhow::Result<Db> {
    if settings.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("creating the data directory {}", settings.data_dir.display()))?;
    }
    let db = Db::connect(&settings.database_url).await?;
    db.migrate().await?;
    Ok(db)
}

/// The implementations of the app's side-effect ports for one server.
#[derive(Clone)]
pub struct Ports {
    /// Time source.
    pub clock: Arc<dyn Clock>,
    /// Outgoing email.
    pub mailer: Arc<dyn Mailer>,
}

impl Ports {
    /// The real ports for these settings: the system clock; SMTP if configured, else (in
    /// development) `.eml` files under `<data dir>/mail/`.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Ports> {
        let mailer = match &settings.smtp_url {
            Some(url) => mail::LettreMailer::smtp(url, &settings.mail_from)?,
            None => mail::LettreMailer::files(settings.data_dir.join("mail"), &settings.mail_from)?,
        };
        Ok(Ports { clock: Arc::new(SystemClock), mailer: Arc::new(mailer) })
    }
}

/// Builds the shared state from settings and an open database.
pub fn app_state(settings: &Settings, db: Db, clock: Arc<dyn Clock>) -> anyhow::Result<AppState> {
    app_state_at(settings, db, clock, settings.listen)
}

/// Opens the blob store the settings name.
pub fn blob_store(settings: &Settings) -> anyhow::Result<BlobStore> {
    let scanner = settings.clamd.as_deref().map(app::ssr::scanner::Clamd::parse).transpose()?;
    let store = match settings.storage.strip_prefix("s3://") {
        Some(bucket) => BlobStore::s3(bucket, &settings.data_dir.join("tmp"))?,
        None => BlobStore::local(std::path::Path::new(&settings.storage))?,
    };
    Ok(store.with_scanner(scanner))
}

/// The gateway settings: the configured VNPay merchant, or the built-in sandbox on this
/// server's own public URL.
pub fn vnpay_config(settings: &Settings, public_url: &str) -> app::ssr::payments::vnpay::VnpayConfig {
    use crate::config::{SANDBOX_SECRET, SANDBOX_TMN_CODE};
    app::ssr::payments::vnpay::VnpayConfig::new(
        settings.vnpay_tmn_code.as_deref().unwrap_or(SANDBOX_TMN_CODE),
        settings.vnpay_secret.as_ref().map(config::Secret::expose).unwrap_or(SANDBOX_SECRET),
        &settings.vnpay_url.clone().unwrap_or_else(|| format!("{public_url}{}", sandbox::PAY_PATH)),
        &settings.vnpay_api_url.clone().unwrap_or_else(|| format!("{public_url}{}", sandbox::API_PATH)),
        &format!("{public_url}/payments/vnpay/return"),
        &settings.vnpay_ipn_url.clone().unwrap_or_else(|| format!("{public_url}/payments/vnpay/ipn")),
    )
}

fn app_state_at(
    settings: &Settings,
    db: Db,
    clock: Arc<dyn Clock>,
    bound: SocketAddr,
) -> anyhow::Result<AppState> {
    let public_url =
        if settings.public_url_is_default { format!("http://{bound}") } else { settings.public_url.clone() };
    let hashes = assets::Hashes::read(&settings.site_root);
    let leptos_options = LeptosOptions::builder()
        .output_name("motcua")
        .site_root(settings.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(settings.listen)
        .build();
    let vnpay = vnpay_config(settings, &public_url);
    Ok(AppState::new(app::ssr::state::AppStateInner {
        leptos_options,
        db,
        config: Arc::new(RuntimeConfig {
            environment: settings.environment,
            public_url,
            secure_cookies: settings.secure_cookies(),
            max_file_bytes: settings.max_file_bytes,
            max_dossier_bytes: settings.max_dossier_bytes,
            vnpay,
            payment_reconcile_after_minutes: settings.payment_reconcile_minutes,
            api_rate_per_minute: settings.api_rate_per_minute,
            webhook_allow_loopback_http: settings.webhook_allow_loopback_http,
            stylesheet: hashes.stylesheet(),
            script: hashes.script(),
            wasm: hashes.wasm(),
        }),
        limits: Arc::new(app::ssr::local_limits::LocalLimits::new(
            clock.clone(),
            app::ssr::services::filing::LOOKUPS_PER_MINUTE,
        )),
        clock,
        blobs: blob_store(settings)?,
        pages: Arc::new(app::ssr::page_cache::PageCache::new(std::time::Duration::from_secs(
            settings.page_cache_seconds,
        ))),
    }))
}

/// A server that is listening; dropping it does not stop it, call [`Running::shutdown`].
pub struct Running {
    /// The bound address (useful with port 0).
    pub addr: SocketAddr,
    /// The state the server was built with.
    pub state: AppState,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
    stop_worker: tokio::sync::watch::Sender<bool>,
    worker: tokio::task::JoinHandle<()>,
}

impl Running {
    /// Stops accepting connections, lets requests in flight finish, closes the database.
    pub async fn shutdown(self) -> anyhow::Result<()> {
        let _ = self.stop.send(());
        self.task.await.context("server task panicked")??;
        let _ = self.stop_worker.send(true);
        self.worker.await.context("job worker panicked")?;
        self.state.db.close().await;
        Ok(())
    }
}

/// Opens the database, binds `settings.listen` and serves until [`Running::shutdown`].
pub async fn start(settings: &Settings) -> anyhow::Result<Running> {
    start_with(settings, Ports::from_settings(settings)?).await
}

/// The same with given ports (tests pass their own clock and mailer).
///
/// The address is bound first. While the database does not answer, a stand-in serves it:
/// `/healthz` 200, `/readyz` and every page 503 with `Retry-After`; the database is retried
/// with backoff for `database_wait_seconds`, then the portal takes over the same socket.
pub async fn start_with(settings: &Settings, ports: Ports) -> anyhow::Result<Running> {
    let listener = std::net::TcpListener::bind(settings.listen)
        .with_context(|| format!("binding {}", settings.listen))?;
    listener.set_nonblocking(true)?;
    let db = match open_database(settings).await {
        Ok(db) => db,
        Err(first) if settings.database_url.starts_with("sqlite:") => return Err(first),
        Err(first) => {
            tracing::warn!(error = %format!("{first:#}"), "database unavailable at start; retrying");
            let standin = standin::serve(TcpListener::from_std(listener.try_clone()?)?);
            let db = open_database_with_retry(settings).await;
            standin.stop().await;
            db?
        }
    };
    start_on(settings, db, TcpListener::from_std(listener)?, ports).await
}

async fn open_database_with_retry(settings: &Settings) -> anyhow::Result<Db> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(settings.database_wait_seconds);
    let mut wait = std::time::Duration::from_millis(250);
    loop {
        tokio::time::sleep(wait).await;
        match open_database(settings).await {
            Ok(db) => {
                tracing::info!("database available");
                return Ok(db);
            }
            Err(e) if std::time::Instant::now() >= deadline => {
                return Err(e.context(format!(
                    "the database did not answer within {} s (MOTCUA_DATABASE_WAIT_SECONDS)",
                    settings.database_wait_seconds
                )));
            }
            Err(e) => {
                tracing::warn!(error = %format!("{e:#}"), retry_in_ms = wait.as_millis() as u64, "database still unavailable")
            }
        }
        wait = (wait * 2).min(std::time::Duration::from_secs(5));
    }
}

/// What answers on the portal's address while the database is not there yet.
mod standin {
    use axum::http::{StatusCode, header};
    use axum::routing::get;
    use tokio::net::TcpListener;

    pub struct Standin {
        stop: tokio::sync::oneshot::Sender<()>,
        task: tokio::task::JoinHandle<()>,
    }

    impl Standin {
        /// Stops answering (requests in flight finish).
        pub async fn stop(self) {
            let _ = self.stop.send(());
            let _ = self.task.await;
        }
    }

    pub fn serve(listener: TcpListener) -> Standin {
        let unavailable = || async {
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "5"), (header::CONTENT_TYPE, "text/html; charset=utf-8")],
                "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>MotCua</title>\
                 <p>Cổng dịch vụ công đang khởi động, vui lòng thử lại sau ít phút. \
                 <span lang=\"en\">The portal is starting; please try again in a few minutes.</span></p></html>",
            )
        };
        let router = axum::Router::new()
            .route("/healthz", get(|| async { "ok" }))
            .route("/readyz", get(|| async { (StatusCode::SERVICE_UNAVAILABLE, "database unavailable") }))
            .fallback(unavailable);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await;
        });
        Standin { stop, task }
    }
}

/// Serves on an already bound listener with an open database.
pub async fn start_on(
    settings: &Settings,
    db: Db,
    listener: TcpListener,
    ports: Ports,
) -> anyhow::Result<Running> {
    let addr = listener.local_addr()?;
    // Install the metrics recorder before the first request is counted.
    let _ = telemetry::metrics_handle();
    let state = app_state_at(settings, db, ports.clock.clone(), addr)?;
    let year = state.clock.now().year();
    app::ssr::services::catalogue::prefill_holidays(&state, &[year, year + 1])
        .await
        .map_err(|e| anyhow::anyhow!("pre-filling holidays: {e}"))?;
    if settings.demo_data {
        demo::load(&state).await?;
        if settings.demo_dossiers > 0 {
            let made = demo_dossiers::load(&state, settings.demo_dossiers).await?;
            if made > 0 {
                app::ssr::services::stats::rebuild(&state, None)
                    .await
                    .map_err(|e| anyhow::anyhow!("statistics: {e}"))?;
                println!("  {made} demo dossiers in every state over the past six months");
            }
        }
    }
    let (stop_worker, worker_stopped) = tokio::sync::watch::channel(false);
    let draft_max_age = time::Duration::days(i64::from(settings.draft_max_age_days));
    let worker = tokio::spawn(jobs::run(state.clone(), ports.mailer.clone(), draft_max_age, worker_stopped));
    let router = router::build(state.clone(), settings);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await
            .context("serving HTTP")
    });
    Ok(Running { addr, state, stop, task, stop_worker, worker })
}

/// Resolves when the process is asked to stop (Ctrl-C or SIGTERM).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
