//! Per-request plumbing, in one middleware: a request id (response header and every
//! log line), security headers, conversion of framework errors (404/405/413/415, bad
//! JSON) into problem+json, and one structured access-log line per request.

use std::cell::RefCell;
use std::time::Instant;

use actix_web::body::{to_bytes, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};
use kyros_common::error::ErrorCode;
use uuid::Uuid;

use crate::bff::session::SessionRefreshed;
use crate::error::{problem_response, PROBLEM_JSON};
use crate::state::SharedState;

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being served, when called inside one.
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(|id| id.clone()).ok()
}

/// Who and which tenant a request acted for, filled in by the auth extractors so the
/// access log can name them. Never holds a token.
#[derive(Debug, Default, Clone)]
pub struct LogIdentity {
    pub sub: Option<String>,
    pub tenant: Option<String>,
}

/// Records the identity of the caller for the access log.
pub fn record_identity(req: &actix_web::HttpRequest, sub: &str, tenant: Option<&str>) {
    let mut ext = req.extensions_mut();
    let cell = ext.get_mut::<RefCell<LogIdentity>>();
    match cell {
        Some(cell) => {
            let mut identity = cell.borrow_mut();
            identity.sub = Some(sub.to_owned());
            if let Some(t) = tenant {
                identity.tenant = Some(t.to_owned());
            }
        }
        None => {
            ext.insert(RefCell::new(LogIdentity {
                sub: Some(sub.to_owned()),
                tenant: tenant.map(str::to_owned),
            }));
        }
    }
}

pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// HSTS: only when this instance itself serves TLS (behind a TLS-terminating proxy,
/// the proxy sets it).
const HSTS: &str = "max-age=31536000; includeSubDomains";

fn security_headers(headers: &mut actix_web::http::header::HeaderMap, path: &str, tls: bool) {
    let set = |headers: &mut actix_web::http::header::HeaderMap,
               name: &'static str,
               value: &'static str| {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    };
    set(headers, "content-security-policy", CSP);
    set(headers, "x-content-type-options", "nosniff");
    if tls {
        set(headers, "strict-transport-security", HSTS);
    }
    set(headers, "referrer-policy", "no-referrer");
    set(headers, "x-frame-options", "DENY");
    set(headers, "cross-origin-opener-policy", "same-origin");
    set(
        headers,
        "permissions-policy",
        "camera=(), microphone=(), geolocation=()",
    );
    let authenticated_area =
        path.starts_with("/api") || path.starts_with("/bff") || path.starts_with("/admin");
    if authenticated_area || !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, "cache-control", "no-store");
    }
}

fn code_for_status(status: StatusCode) -> ErrorCode {
    match status.as_u16() {
        400 => ErrorCode::BadRequest,
        401 => ErrorCode::Unauthenticated,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        405 => ErrorCode::MethodNotAllowed,
        409 => ErrorCode::Conflict,
        413 => ErrorCode::PayloadTooLarge,
        415 => ErrorCode::UnsupportedMediaType,
        429 => ErrorCode::RateLimited,
        503 => ErrorCode::Unavailable,
        _ if status.is_server_error() => ErrorCode::Internal,
        _ => ErrorCode::BadRequest,
    }
}

fn is_problem(res: &ServiceResponse<impl MessageBody>) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON))
}

/// The middleware. Register it outermost.
pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let started = Instant::now();
    let request_id = Uuid::new_v4().to_string();
    let method = req.method().to_string();
    let path = req.path().to_owned();
    req.extensions_mut()
        .insert(RefCell::new(LogIdentity::default()));

    let (timeout, tls) = req
        .app_data::<SharedState>()
        .map(|state| (state.settings.request_timeout, state.settings.tls.is_some()))
        .unwrap_or((std::time::Duration::from_secs(30), false));
    let result = match actix_web::rt::time::timeout(
        timeout,
        REQUEST_ID.scope(request_id.clone(), next.call(req)),
    )
    .await
    {
        Ok(result) => result,
        Err(_) => Err(FrameworkError::timed_out(&request_id, tls).into()),
    };
    let response: Result<ServiceResponse<BoxBody>, Error> = REQUEST_ID
        .scope(request_id.clone(), async {
            match result {
                Ok(res) => Ok({
                    let status = res.status();
                    if status.is_client_error() || status.is_server_error() {
                        if is_problem(&res) {
                            res.map_into_boxed_body()
                        } else {
                            let detail = match res.response().error() {
                                Some(e) if status.is_client_error() => e.to_string(),
                                _ => status.canonical_reason().unwrap_or("error").to_lowercase(),
                            };
                            let (req, old) = res.into_parts();
                            let retry_after = old.headers().get(header::RETRY_AFTER).cloned();
                            let allow = old.headers().get(header::ALLOW).cloned();
                            drop(to_bytes(old.into_body()).await);
                            let mut fresh =
                                problem_response(status, code_for_status(status), detail);
                            if let Some(v) = retry_after {
                                fresh.headers_mut().insert(header::RETRY_AFTER, v);
                            }
                            if let Some(v) = allow {
                                fresh.headers_mut().insert(header::ALLOW, v);
                            }
                            ServiceResponse::new(req, fresh)
                        }
                    } else {
                        res.map_into_boxed_body()
                    }
                }),
                // Handlers and extractors turn their errors into responses before this
                // point; an error here comes from a framework middleware (e.g. the
                // session store failing), rendered by `FrameworkError` as problem+json.
                Err(err) => Err(FrameworkError::from_error(&err, &request_id, tls).into()),
            }
        })
        .await;

    let mut response = response?;
    if response
        .request()
        .extensions()
        .get::<SessionRefreshed>()
        .is_some()
    {
        response.headers_mut().insert(
            HeaderName::from_static("x-kyros-session-refreshed"),
            HeaderValue::from_static("1"),
        );
    }
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static("x-request-id"), v);
    }
    security_headers(response.headers_mut(), &path, tls);

    let identity = response
        .request()
        .extensions()
        .get::<RefCell<LogIdentity>>()
        .map(|c| c.borrow().clone())
        .unwrap_or_default();
    let status = response.status().as_u16();
    let elapsed = started.elapsed().as_secs_f64();
    let latency_ms = elapsed * 1000.0;
    if let Some(state) = response.request().app_data::<SharedState>() {
        let route = response
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".into());
        let method_label = match method.as_str() {
            "GET" | "POST" | "PUT" | "DELETE" | "HEAD" | "OPTIONS" | "PATCH" => method.as_str(),
            _ => "other",
        };
        let status_label = status.to_string();
        state
            .metrics
            .http_requests
            .with_label_values(&[route.as_str(), method_label, status_label.as_str()])
            .inc();
        state
            .metrics
            .http_latency
            .with_label_values(&[route.as_str(), method_label])
            .observe(elapsed);
    }
    tracing::info!(
        target: "kyros::http",
        request_id = %request_id,
        method = %method,
        path = %path,
        status,
        latency_ms,
        sub = identity.sub.as_deref().unwrap_or(""),
        tenant = identity.tenant.as_deref().unwrap_or(""),
        "request"
    );
    Ok(response)
}

/// An error that escaped the application's own handling, rendered as problem+json with
/// the request id and security headers. A 500 here means a backing store failed: 503.
#[derive(Debug)]
pub struct FrameworkError {
    status: StatusCode,
    detail: String,
    request_id: String,
    tls: bool,
}

impl FrameworkError {
    fn timed_out(request_id: &str, tls: bool) -> Self {
        tracing::warn!(request_id, "request timed out");
        FrameworkError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            detail: "the request took too long".into(),
            request_id: request_id.to_owned(),
            tls,
        }
    }

    fn from_error(err: &Error, request_id: &str, tls: bool) -> Self {
        let status = err.as_response_error().status_code();
        let (status, detail) = if status.is_server_error() {
            tracing::error!(request_id, error = %err, "request failed in middleware");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "a backing service is unavailable; retry shortly".to_owned(),
            )
        } else {
            (status, err.to_string())
        };
        FrameworkError {
            status,
            detail,
            request_id: request_id.to_owned(),
            tls,
        }
    }
}

impl std::fmt::Display for FrameworkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.status, self.detail)
    }
}

impl actix_web::ResponseError for FrameworkError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> actix_web::HttpResponse {
        let mut response = REQUEST_ID.sync_scope(self.request_id.clone(), || {
            problem_response(
                self.status,
                code_for_status(self.status),
                self.detail.clone(),
            )
        });
        if let Ok(v) = HeaderValue::from_str(&self.request_id) {
            response
                .headers_mut()
                .insert(HeaderName::from_static("x-request-id"), v);
        }
        security_headers(response.headers_mut(), "/", self.tls);
        response
    }
}
