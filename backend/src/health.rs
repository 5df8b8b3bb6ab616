//! Liveness, readiness and the metrics scrape, as checks over the running services.

use std::path::Path;

use crate::metrics::Metrics;
use crate::redis_store::{self, RedisPool};
use crate::store::{sessions, Db};
use crate::tenancy::scope::Scope;

/// Why the instance is not ready; the cause is for the log, not the caller.
#[derive(Debug, thiserror::Error)]
#[error("not ready: {0}")]
pub struct Unready(pub String);

/// What `/ready` reports when everything answers.
#[derive(Debug, serde::Serialize)]
pub struct Readiness {
    pub status: &'static str,
    pub database: &'static str,
    pub redis: &'static str,
    pub data_dir: &'static str,
}

/// The metadata database (and Redis, when configured) answers and the data directory
/// exists.
pub async fn readiness(
    db: &Db,
    redis: Option<&RedisPool>,
    data_dir: &Path,
) -> Result<Readiness, Unready> {
    db.run_scoped(Scope::Service, |conn| {
        use diesel::connection::SimpleConnection;
        conn.batch_execute("SELECT 1").map_err(Into::into)
    })
    .await
    .map_err(|e| Unready(e.to_string()))?;
    if let Some(pool) = redis {
        redis_store::ping(pool)
            .await
            .map_err(|e| Unready(e.to_string()))?;
    }
    if !data_dir.is_dir() {
        return Err(Unready("data directory missing".into()));
    }
    Ok(Readiness {
        status: "ready",
        database: "ok",
        redis: if redis.is_some() {
            "ok"
        } else {
            "not configured"
        },
        data_dir: "ok",
    })
}

/// The Prometheus text, with the gauges that are read at scrape time brought up to date.
pub async fn metrics_text(metrics: &Metrics, db: &Db, computations: u64) -> String {
    metrics
        .dashboard_computations
        .set(i64::try_from(computations).unwrap_or(i64::MAX));
    if let Ok(live) = db.run(sessions::count_live).await {
        metrics.active_sessions.set(live);
    }
    metrics.render()
}
