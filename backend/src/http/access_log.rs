//! Middleware: one structured access-log line per request (with the caller's `sub` and
//! tenant, never a token) and the request counters and latency histogram.

use std::cell::RefCell;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};

use super::identity::{self, LogIdentity};
use crate::request_id;
use crate::state::SharedState;

fn method_label(method: &str) -> &str {
    match method {
        "GET" | "POST" | "PUT" | "DELETE" | "HEAD" | "OPTIONS" | "PATCH" => method,
        _ => "other",
    }
}

pub async fn access_log(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let method = req.method().to_string();
    let path = req.path().to_owned();
    req.extensions_mut()
        .insert(RefCell::new(LogIdentity::default()));
    let state = req.app_data::<SharedState>().cloned();
    let result = next.call(req).await;
    let (status, route, who) = match &result {
        Ok(res) => (
            res.status().as_u16(),
            res.request()
                .match_pattern()
                .unwrap_or_else(|| "unmatched".into()),
            identity::of(res.request()),
        ),
        Err(err) => (
            err.as_response_error().status_code().as_u16(),
            "unmatched".into(),
            LogIdentity::default(),
        ),
    };
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(state) = state {
        let method = method_label(&method);
        let status_label = status.to_string();
        state
            .metrics
            .http_requests
            .with_label_values(&[route.as_str(), method, status_label.as_str()])
            .inc();
        state
            .metrics
            .http_latency
            .with_label_values(&[route.as_str(), method])
            .observe(elapsed);
    }
    tracing::info!(
        target: "kyros::http",
        request_id = %request_id::current().unwrap_or_default(),
        method = %method,
        path = %path,
        status,
        latency_ms = elapsed * 1000.0,
        sub = who.sub.as_deref().unwrap_or(""),
        tenant = who.tenant.as_deref().unwrap_or(""),
        "request"
    );
    result
}
