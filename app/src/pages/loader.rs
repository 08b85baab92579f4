//! How a page loads its data: every loader runs as a task of its own.
//!
//! A page that waits for its data (`SsrMode::Async`) hands Leptos a future per `<Suspense/>`.
//! Leptos polls each of them once as it walks the view (with a waker that wakes nobody), then
//! awaits the boundaries one after the other. A loader that is not first in line therefore
//! stops after its first step, holding what that step took: a database connection, or its
//! place in the pool's queue, which the pool fills with the next free connection. A page with
//! two boundaries side by side (a submitted dossier: its fees and its rating; an officer's
//! dossier: fees, rating and evaluation) then waited for a connection that its own second
//! boundary held, and a few such pages at once stopped every request for the pool's whole
//! acquire timeout (the journey load test's stalls: see README, Performance).
//!
//! [`spawn`] runs the loader on its own task, with the page's reactive owner (so that
//! `use_context` sees the request), and gives back a future of its result: the loader runs to
//! its end whatever order Leptos awaits the boundaries in, and gives its connections back as
//! soon as it is done. If the page is dropped (the client went away), the task is aborted.

use std::future::Future;

/// Runs `load` as a task of its own (on the server) and returns a future of its output.
/// In the browser build the loader is returned as it is: pages render on the server only.
#[cfg(feature = "ssr")]
pub fn spawn<T: Send + 'static>(
    load: impl Future<Output = T> + Send + 'static,
) -> impl Future<Output = T> + Send + 'static {
    let task = tokio_util::task::AbortOnDropHandle::new(tokio::spawn(
        leptos::prelude::ScopedFuture::new_untracked(load),
    ));
    async move {
        match task.await {
            Ok(value) => value,
            // a loader that panicked fails the page as it did when it ran inline
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            // aborted: only when the runtime shuts down (the page is dropped before)
            Err(_) => std::future::pending().await,
        }
    }
}

/// Runs `load` as a task of its own (on the server) and returns a future of its output.
/// In the browser build the loader is returned as it is: pages render on the server only.
#[cfg(not(feature = "ssr"))]
pub fn spawn<T: Send + 'static>(
    load: impl Future<Output = T> + Send + 'static,
) -> impl Future<Output = T> + Send + 'static {
    load
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use leptos::prelude::*;
    use sqlx::{AnyPool, any::AnyPoolOptions};
    use std::time::Duration;

    /// A pool of one connection, as the SQLite writer is (and as the readers are when
    /// every one of them is taken).
    async fn one_connection(timeout: Duration) -> sqlx::Result<AnyPool> {
        sqlx::any::install_default_drivers();
        AnyPoolOptions::new().max_connections(1).acquire_timeout(timeout).connect("sqlite::memory:").await
    }

    /// A loader that reads twice, giving its connection back in between (as `load_dossier`
    /// does: the dossier, then the access record, then the desk's units…).
    async fn reads_twice(pool: AnyPool) -> String {
        for round in 0..2 {
            if round > 0 {
                // some work between the reads (long enough for everything else to settle)
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            if let Err(error) = sqlx::query("SELECT 1").execute(&pool).await {
                return format!("first failed: {error}");
            }
        }
        "first read twice".into()
    }

    async fn reads_once(pool: AnyPool) -> String {
        match sqlx::query("SELECT 1").execute(&pool).await {
            Ok(_) => "second read once".into(),
            Err(error) => format!("second failed: {error}"),
        }
    }

    /// Renders two `<Suspense/>` side by side, as a page waiting for its data does
    /// (`SsrMode::Async`: in order, every boundary resolved).
    async fn render(
        first: impl Future<Output = String> + Send + 'static,
        second: impl Future<Output = String> + Send + 'static,
    ) -> String {
        use futures_util::StreamExt;
        let _ = any_spawner::Executor::init_tokio();
        let owner = Owner::new();
        let stream = owner.with(|| {
            view! {
                <Suspense fallback=|| ()><p>{Suspend::new(first)}</p></Suspense>
                <Suspense fallback=|| ()><p>{Suspend::new(second)}</p></Suspense>
            }
            .to_html_stream_in_order()
        });
        stream.collect::<String>().await
    }

    /// With the loaders inline instead (`render(reads_twice(…), reads_once(…))`) the first
    /// loader timed out in 4 to 7 runs of 10, depending on when Leptos' effects ran: too
    /// timing-dependent for a test, but the same stall as the journeys'.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn loaders_side_by_side_each_finish_on_a_one_connection_pool() -> anyhow::Result<()> {
        let pool = one_connection(Duration::from_secs(10)).await?;
        let (first, second) =
            Owner::new().with(|| (spawn(reads_twice(pool.clone())), spawn(reads_once(pool.clone()))));
        let html = tokio::time::timeout(Duration::from_secs(20), render(first, second)).await?;
        assert!(html.contains("first read twice"), "{html}");
        assert!(html.contains("second read once"), "{html}");
        Ok(())
    }
}

/// Every page keeps to the rule: a file that renders `Suspend`s starts as many loaders with
/// [`spawn`] (a new page that awaits an inline loader fails here, not under load).
#[cfg(test)]
mod rule {
    #[test]
    fn every_suspend_awaits_a_spawned_loader() -> std::io::Result<()> {
        fn visit(dir: &std::path::Path, missing: &mut Vec<String>) -> std::io::Result<()> {
            for entry in std::fs::read_dir(dir)? {
                let path = entry?.path();
                if path.is_dir() {
                    visit(&path, missing)?;
                } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("pages/loader.rs") {
                    let text = std::fs::read_to_string(&path)?;
                    let (suspends, spawned) =
                        (text.matches("Suspend::new(").count(), text.matches("loader::spawn(").count());
                    if suspends > spawned {
                        missing.push(format!("{}: {suspends} Suspend, {spawned} spawned", path.display()));
                    }
                }
            }
            Ok(())
        }
        let mut missing = Vec::new();
        visit(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut missing)?;
        assert!(missing.is_empty(), "loaders not started with pages::loader::spawn: {missing:?}");
        Ok(())
    }
}
