//! The one error type at the HTTP edge: every variant maps to a status and an RFC 9457
//! problem document. 5xx bodies stay opaque; their cause is logged.
//!
//! A leaf: it imports only the request id. The services' own error types are mapped
//! onto it in one place, `http::error_map`.

use std::fmt;

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use kyros_common::error::{ErrorCode, Problem};

use crate::request_id;

pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug, Clone)]
pub enum ApiError {
    BadRequest(ErrorCode, String),
    Unauthorized(ErrorCode, String),
    Forbidden(ErrorCode, String),
    NotFound(String),
    MethodNotAllowed,
    Conflict(ErrorCode, String),
    PayloadTooLarge(String),
    UnsupportedMediaType(String),
    RateLimited { retry_after_secs: u64 },
    Timeout,
    Unavailable(String),
    Internal(String),
}

impl ApiError {
    pub fn bad_request(detail: impl Into<String>) -> Self {
        ApiError::BadRequest(ErrorCode::BadRequest, detail.into())
    }

    pub fn invalid_json(detail: impl Into<String>) -> Self {
        ApiError::BadRequest(ErrorCode::InvalidJson, detail.into())
    }

    pub fn unauthenticated(detail: impl Into<String>) -> Self {
        ApiError::Unauthorized(ErrorCode::Unauthenticated, detail.into())
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        ApiError::Forbidden(ErrorCode::Forbidden, detail.into())
    }

    pub fn conflict(detail: impl Into<String>) -> Self {
        ApiError::Conflict(ErrorCode::Conflict, detail.into())
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        ApiError::NotFound(detail.into())
    }

    pub fn internal(cause: impl fmt::Display) -> Self {
        ApiError::Internal(cause.to_string())
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::BadRequest(code, _)
            | ApiError::Unauthorized(code, _)
            | ApiError::Forbidden(code, _) => *code,
            ApiError::NotFound(_) => ErrorCode::NotFound,
            ApiError::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            ApiError::Conflict(code, _) => *code,
            ApiError::PayloadTooLarge(_) => ErrorCode::PayloadTooLarge,
            ApiError::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            ApiError::RateLimited { .. } => ErrorCode::RateLimited,
            ApiError::Timeout => ErrorCode::Timeout,
            ApiError::Unavailable(_) => ErrorCode::Unavailable,
            ApiError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// What the client may read. Server-side causes are never shown.
    pub fn detail(&self) -> String {
        match self {
            ApiError::BadRequest(_, d)
            | ApiError::Unauthorized(_, d)
            | ApiError::Forbidden(_, d)
            | ApiError::NotFound(d)
            | ApiError::Conflict(_, d)
            | ApiError::PayloadTooLarge(d)
            | ApiError::UnsupportedMediaType(d) => d.clone(),
            ApiError::MethodNotAllowed => "this method is not allowed on this resource".into(),
            ApiError::RateLimited { retry_after_secs } => {
                format!("too many requests; retry after {retry_after_secs} s")
            }
            ApiError::Timeout => "the request took too long".into(),
            ApiError::Unavailable(_) => "a backing service is unavailable; retry shortly".into(),
            ApiError::Internal(_) => "an internal error occurred".into(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Unavailable(cause) | ApiError::Internal(cause) => {
                write!(f, "{}: {cause}", self.code().as_str())
            }
            other => write!(f, "{}: {}", other.code().as_str(), other.detail()),
        }
    }
}

/// Builds a problem response; shared with the fallback that converts framework errors.
pub fn problem_response(status: StatusCode, code: ErrorCode, detail: String) -> HttpResponse {
    let problem = Problem {
        type_: format!(
            "https://kyros.dev/problems/{}",
            code.as_str().replace('_', "-")
        ),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        detail,
        code,
        request_id: request_id::current().unwrap_or_default(),
    };
    let body = serde_json::to_string(&problem).unwrap_or_else(|_| "{}".into());
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)))
        .body(body)
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(..) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(..) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(..) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict(..) => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Timeout => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if self.status_code().is_server_error() {
            tracing::error!(
                request_id = %request_id::current().unwrap_or_default(),
                error = %self,
                "request failed"
            );
        }
        let mut response = problem_response(self.status_code(), self.code(), self.detail());
        if let ApiError::RateLimited { retry_after_secs } = self {
            if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        if let ApiError::Unauthorized(..) = self {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"kyros\""),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::to_bytes;

    async fn body_of(err: ApiError) -> (StatusCode, Problem, Option<String>) {
        let response = err.error_response();
        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = to_bytes(response.into_body()).await.expect("body");
        (
            status,
            serde_json::from_slice(&bytes).expect("problem json"),
            content_type,
        )
    }

    #[actix_web::test]
    async fn each_variant_maps_to_its_status_and_code() {
        let cases = [
            (ApiError::bad_request("x"), 400, ErrorCode::BadRequest),
            (
                ApiError::unauthenticated("x"),
                401,
                ErrorCode::Unauthenticated,
            ),
            (ApiError::forbidden("x"), 403, ErrorCode::Forbidden),
            (ApiError::not_found("x"), 404, ErrorCode::NotFound),
            (ApiError::MethodNotAllowed, 405, ErrorCode::MethodNotAllowed),
            (ApiError::conflict("x"), 409, ErrorCode::Conflict),
            (
                ApiError::PayloadTooLarge("x".into()),
                413,
                ErrorCode::PayloadTooLarge,
            ),
            (
                ApiError::UnsupportedMediaType("x".into()),
                415,
                ErrorCode::UnsupportedMediaType,
            ),
            (
                ApiError::RateLimited {
                    retry_after_secs: 3,
                },
                429,
                ErrorCode::RateLimited,
            ),
            (
                ApiError::Unavailable("db down".into()),
                503,
                ErrorCode::Unavailable,
            ),
            (ApiError::Internal("boom".into()), 500, ErrorCode::Internal),
        ];
        for (err, status, code) in cases {
            let (got_status, problem, content_type) = body_of(err).await;
            assert_eq!(got_status.as_u16(), status);
            assert_eq!(problem.status, status);
            assert_eq!(problem.code, code);
            assert_eq!(content_type.as_deref(), Some(PROBLEM_JSON));
        }
    }

    #[actix_web::test]
    async fn server_errors_do_not_leak_their_cause() {
        let (_, problem, _) = body_of(ApiError::Internal("password=hunter2 at db".into())).await;
        assert!(!problem.detail.contains("hunter2"));
        let (_, problem, _) = body_of(ApiError::Unavailable("postgres://u:secret@h".into())).await;
        assert!(!problem.detail.contains("secret"));
    }
}
