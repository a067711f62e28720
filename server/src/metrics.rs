//! What an operator watches on the day: a Prometheus `/metrics` endpoint, off by default, served on its own
//! address (`HEMICYCLE_METRICS_ADDR`, e.g. `127.0.0.1:9100`) so that it is never public by accident. The figures
//! are recorded where they happen with the `metrics` facade (live connections and delegates per motion, resyncs,
//! commands and votes with their latencies, vote batch sizes, exports); this module installs the Prometheus
//! recorder, samples the database pool and serves the text.

use std::{net::SocketAddr, time::Duration};

use anyhow::Context;
use axum::{Router, routing::get};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection};

/// Latency buckets (seconds): from a fast command to a slow export.
const SECONDS: &[f64] = &[
    0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Vote batch sizes.
const BATCH: &[f64] = &[1.0, 5.0, 10.0, 50.0, 100.0, 250.0, 500.0, 1000.0];

/// Installs the recorder; answers the handle that renders the text.
///
/// # Errors
/// When a recorder is already installed (a second server in one process).
pub fn install() -> anyhow::Result<PrometheusHandle> {
    PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".to_owned()), SECONDS)
        .context("histogram buckets")?
        .set_buckets_for_metric(Matcher::Full("hemicycle_vote_batch_size".to_owned()), BATCH)
        .context("histogram buckets")?
        .install_recorder()
        .context("installing the metrics recorder")
}

/// Serves `GET /metrics` on `addr` until the process ends, and samples the database pool every 5 s.
///
/// # Errors
/// When `addr` cannot be bound.
pub async fn serve(
    addr: SocketAddr,
    handle: PrometheusHandle,
    db: DatabaseConnection,
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding the metrics address {addr}"))?;
    tokio::spawn(sample_pool(db));
    let upkeep = handle.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(5));
        loop {
            every.tick().await;
            upkeep.run_upkeep();
        }
    });
    let router = Router::new().route("/metrics", get(move || std::future::ready(handle.render())));
    tracing::info!(%addr, "metrics served");
    tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, router).await {
            tracing::warn!(error = %err, "the metrics endpoint stopped");
        }
    });
    Ok(())
}

async fn sample_pool(db: DatabaseConnection) {
    let mut every = tokio::time::interval(Duration::from_secs(5));
    loop {
        every.tick().await;
        let (size, idle) = match db.get_database_backend() {
            DatabaseBackend::Sqlite => {
                let pool = db.get_sqlite_connection_pool();
                (pool.size(), pool.num_idle())
            }
            DatabaseBackend::Postgres => {
                let pool = db.get_postgres_connection_pool();
                (pool.size(), pool.num_idle())
            }
            DatabaseBackend::MySql => continue,
        };
        metrics::gauge!("hemicycle_db_connections", "state" => "open").set(f64::from(size));
        #[expect(
            clippy::cast_precision_loss,
            reason = "a pool holds a few dozen connections"
        )]
        metrics::gauge!("hemicycle_db_connections", "state" => "idle").set(idle as f64);
    }
}
