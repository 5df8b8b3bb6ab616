//! `GET /health`, `GET /ready` (both listeners) and `GET /metrics` (admin listener).

use actix_web::HttpResponse;
use serde_json::json;

use crate::error::ApiError;
use crate::health::{metrics_text, readiness};
use crate::state::SharedState;

/// The process is up.
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// The metadata database (and Redis, when configured) answers and the data directory
/// exists; otherwise 503 problem+json, within `KYROS_DEPENDENCY_TIMEOUT`.
pub async fn ready(state: SharedState) -> Result<HttpResponse, ApiError> {
    let report = readiness(&state.db, state.redis.as_ref(), &state.settings.data_dir).await?;
    Ok(HttpResponse::Ok().json(report))
}

/// Prometheus text format.
pub async fn metrics(state: SharedState) -> HttpResponse {
    let text = metrics_text(&state.metrics, &state.db, state.dashboards.computations()).await;
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(text)
}
