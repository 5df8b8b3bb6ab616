//! Middleware: every error is problem+json. Responses with an error status that are not
//! problem documents yet (actix's own 404/405/413/415, a bad header) are rewritten as
//! one; errors that escaped as `Err` (a session store failing) become a
//! [`FrameworkError`], which renders itself as problem+json with the request id and
//! security headers.

use actix_web::body::{to_bytes, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::Error;
use kyros_common::error::ErrorCode;

use super::security_headers;
use crate::error::{problem_response, PROBLEM_JSON};
use crate::request_id;

pub fn code_for_status(status: StatusCode) -> ErrorCode {
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

pub async fn problems(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let tls = security_headers::serves_tls(&req);
    let res = match next.call(req).await {
        Ok(res) => res,
        Err(err) if err.as_error::<FrameworkError>().is_some() => return Err(err),
        Err(err) => return Err(FrameworkError::from_error(&err, tls).into()),
    };
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) || is_problem(&res) {
        return Ok(res.map_into_boxed_body());
    }
    let detail = match res.response().error() {
        Some(e) if status.is_client_error() => e.to_string(),
        _ => status.canonical_reason().unwrap_or("error").to_lowercase(),
    };
    let (req, old) = res.into_parts();
    let retry_after = old.headers().get(header::RETRY_AFTER).cloned();
    let allow = old.headers().get(header::ALLOW).cloned();
    drop(to_bytes(old.into_body()).await);
    let mut fresh = problem_response(status, code_for_status(status), detail);
    if let Some(v) = retry_after {
        fresh.headers_mut().insert(header::RETRY_AFTER, v);
    }
    if let Some(v) = allow {
        fresh.headers_mut().insert(header::ALLOW, v);
    }
    Ok(ServiceResponse::new(req, fresh))
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
    /// The request took longer than `KYROS_REQUEST_TIMEOUT`.
    pub fn timed_out(tls: bool) -> Self {
        let request_id = request_id::current().unwrap_or_default();
        tracing::warn!(request_id, "request timed out");
        FrameworkError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            detail: "the request took too long".into(),
            request_id,
            tls,
        }
    }

    fn from_error(err: &Error, tls: bool) -> Self {
        let request_id = request_id::current().unwrap_or_default();
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
            request_id,
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
        let mut response = request_id::sync_scope(self.request_id.clone(), || {
            problem_response(
                self.status,
                code_for_status(self.status),
                self.detail.clone(),
            )
        });
        if let Ok(v) = HeaderValue::from_str(&self.request_id) {
            response
                .headers_mut()
                .insert(HeaderName::from_static(request_id::HEADER), v);
        }
        security_headers::apply(response.headers_mut(), "/", self.tls);
        response
    }
}
