//! Liveness and readiness.

use actix_web::HttpResponse;
use serde_json::json;

use crate::error::ApiError;
use crate::state::SharedState;

/// `GET /health`: the process is up.
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// `GET /ready`: the metadata database (and Redis, when configured) answers and the data
/// directory exists; otherwise 503 problem+json, within `KYROS_DEPENDENCY_TIMEOUT`.
pub async fn ready(state: SharedState) -> Result<HttpResponse, ApiError> {
    state
        .db
        .run_scoped(crate::store::Scope::Service, |conn| {
            use diesel::connection::SimpleConnection;
            conn.batch_execute("SELECT 1").map_err(Into::into)
        })
        .await?;
    if let Some(pool) = &state.redis {
        crate::redis_store::ping(pool).await?;
    }
    if !state.settings.data_dir.is_dir() {
        return Err(ApiError::Unavailable("data directory missing".into()));
    }
    let redis = if state.redis.is_some() {
        "ok"
    } else {
        "not configured"
    };
    Ok(HttpResponse::Ok()
        .json(json!({ "status": "ready", "database": "ok", "redis": redis, "data_dir": "ok" })))
}

/// `GET /metrics` (admin listener): Prometheus text format.
pub async fn metrics(state: SharedState) -> HttpResponse {
    let computed = state.dashboards.computations();
    state
        .metrics
        .dashboard_computations
        .set(i64::try_from(computed).unwrap_or(i64::MAX));
    if let Ok(live) = state.db.run(crate::store::sessions::count_live).await {
        state.metrics.active_sessions.set(live);
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render())
}
