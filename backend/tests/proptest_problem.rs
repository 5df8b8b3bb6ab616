//! Property tests of problem+json rendering: every `ApiError`, whatever its detail
//! (quotes, controls, NUL, unicode, very long), renders as `application/problem+json`
//! whose body parses as JSON with exactly `type, title, status, detail, code,
//! request_id`, the right status and code; a 5xx body never carries its cause.

use actix_web::body::MessageBody;
use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::ResponseError;
use kyros::auth::jwt::TokenError;
use kyros::error::{ApiError, PROBLEM_JSON};
use kyros_common::error::ErrorCode;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::TestCaseError;
use serde_json::Value;

/// Marks a server-side cause, so a leak is found whatever text surrounds it.
const SECRET: &str = "kyros-secret-cause";

const CODES: &[ErrorCode] = &[
    ErrorCode::BadRequest,
    ErrorCode::InvalidJson,
    ErrorCode::InvalidFilter,
    ErrorCode::InvalidSpec,
    ErrorCode::UnsupportedMediaType,
    ErrorCode::PayloadTooLarge,
    ErrorCode::InvalidCredentials,
    ErrorCode::Unauthenticated,
    ErrorCode::InvalidToken,
    ErrorCode::SessionExpired,
    ErrorCode::Forbidden,
    ErrorCode::CsrfRejected,
    ErrorCode::NotFound,
    ErrorCode::MethodNotAllowed,
    ErrorCode::Conflict,
    ErrorCode::RateLimited,
    ErrorCode::Timeout,
    ErrorCode::Unavailable,
    ErrorCode::Internal,
];

fn detail() -> BoxedStrategy<String> {
    prop_oneof![
        4 => any::<String>(),
        1 => "\\PC{0,80}",
        1 => select(vec![
            "", "\"", "\\", "\0", "\u{2028}\u{2029}", "</script><script>alert(1)</script>",
            "{\"status\":200}", "\r\nSet-Cookie: a=b", "\u{feff}", "\u{10ffff}",
        ])
        .prop_map(String::from),
        1 => (0usize..20_000, any::<char>()).prop_map(|(n, c)| c.to_string().repeat(n)),
    ]
    .boxed()
}

/// A server-side cause: arbitrary text around the marker.
fn cause() -> BoxedStrategy<String> {
    (any::<String>(), any::<String>())
        .prop_map(|(a, b)| format!("{a}{SECRET}{b}"))
        .boxed()
}

/// An error, and the detail the client must see (`None`: a fixed generic text).
#[derive(Debug)]
struct Case {
    error: ApiError,
    detail: Option<String>,
    status: u16,
    code: ErrorCode,
}

fn case() -> BoxedStrategy<Case> {
    let code = select(CODES);
    let with_code = |status: u16, make: fn(ErrorCode, String) -> ApiError| {
        (code.clone(), detail()).prop_map(move |(code, d)| Case {
            error: make(code, d.clone()),
            detail: Some(d),
            status,
            code,
        })
    };
    let plain = |status: u16, code: ErrorCode, make: fn(String) -> ApiError| {
        detail().prop_map(move |d| Case {
            error: make(d.clone()),
            detail: Some(d),
            status,
            code,
        })
    };
    let hidden = |status: u16, code: ErrorCode, make: fn(String) -> ApiError| {
        cause().prop_map(move |c| Case {
            error: make(c),
            detail: None,
            status,
            code,
        })
    };
    prop_oneof![
        with_code(400, ApiError::BadRequest),
        with_code(401, ApiError::Unauthorized),
        with_code(403, ApiError::Forbidden),
        plain(404, ErrorCode::NotFound, ApiError::NotFound),
        plain(409, ErrorCode::Conflict, ApiError::conflict),
        plain(413, ErrorCode::PayloadTooLarge, ApiError::PayloadTooLarge),
        plain(
            415,
            ErrorCode::UnsupportedMediaType,
            ApiError::UnsupportedMediaType
        ),
        hidden(503, ErrorCode::Unavailable, ApiError::Unavailable),
        hidden(500, ErrorCode::Internal, ApiError::Internal),
        cause().prop_map(|c| Case {
            error: ApiError::internal(c),
            detail: None,
            status: 500,
            code: ErrorCode::Internal,
        }),
        Just(()).prop_map(|_| Case {
            error: ApiError::MethodNotAllowed,
            detail: None,
            status: 405,
            code: ErrorCode::MethodNotAllowed,
        }),
        Just(()).prop_map(|_| Case {
            error: ApiError::Timeout,
            detail: None,
            status: 503,
            code: ErrorCode::Timeout,
        }),
        any::<u64>().prop_map(|secs| Case {
            error: ApiError::RateLimited {
                retry_after_secs: secs
            },
            detail: Some(format!("too many requests; retry after {secs} s")),
            status: 429,
            code: ErrorCode::RateLimited,
        }),
        (0usize..5)
            .prop_map(|i| [
                TokenError::Malformed,
                TokenError::Algorithm,
                TokenError::UnknownKey,
                TokenError::Expired,
                TokenError::Invalid("bad signature"),
            ]
            .into_iter()
            .nth(i)
            .unwrap_or(TokenError::Malformed))
            .prop_map(|e| Case {
                detail: Some(if e == TokenError::Expired {
                    "the token has expired".to_string()
                } else {
                    e.to_string()
                }),
                error: ApiError::from(e),
                status: 401,
                code: ErrorCode::InvalidToken,
            }),
        Just(()).prop_map(|_| Case {
            error: ApiError::from(TokenError::Signing),
            detail: None,
            status: 500,
            code: ErrorCode::Internal,
        }),
    ]
    .boxed()
}

fn check(case: Case) -> Result<(), TestCaseError> {
    let status = case.error.status_code();
    prop_assert_eq!(status.as_u16(), case.status);
    prop_assert_eq!(case.error.code(), case.code);

    let response = case.error.error_response();
    prop_assert_eq!(response.status(), status);
    let headers = response.headers().clone();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    prop_assert_eq!(content_type, Some(PROBLEM_JSON));
    match &case.error {
        ApiError::Unauthorized(..) => {
            prop_assert!(headers.contains_key(header::WWW_AUTHENTICATE));
        }
        ApiError::RateLimited { retry_after_secs } => {
            let retry = headers
                .get(header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok());
            let expected = retry_after_secs.to_string();
            prop_assert_eq!(retry, Some(expected.as_str()));
        }
        _ => {}
    }

    let body = response
        .into_body()
        .try_into_bytes()
        .map_err(|_| TestCaseError::fail("the problem body is not a plain byte body"))?;
    let text = std::str::from_utf8(&body)
        .map_err(|e| TestCaseError::fail(format!("body is not UTF-8: {e}")))?;
    let problem: Value = serde_json::from_str(text)
        .map_err(|e| TestCaseError::fail(format!("body is not JSON ({e}): {text:?}")))?;
    let members = problem
        .as_object()
        .ok_or_else(|| TestCaseError::fail("body is not a JSON object"))?;
    let mut names: Vec<&str> = members.keys().map(String::as_str).collect();
    names.sort_unstable();
    prop_assert_eq!(
        names,
        vec!["code", "detail", "request_id", "status", "title", "type"]
    );

    prop_assert_eq!(&problem["status"], &Value::from(case.status));
    prop_assert_eq!(&problem["code"], &Value::from(case.code.as_str()));
    let title = StatusCode::from_u16(case.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    prop_assert_eq!(&problem["title"], &Value::from(title));
    let kind = format!(
        "https://kyros.dev/problems/{}",
        case.code.as_str().replace('_', "-")
    );
    prop_assert_eq!(&problem["type"], &Value::from(kind));
    prop_assert!(problem["request_id"].is_string());
    let shown = problem["detail"]
        .as_str()
        .ok_or_else(|| TestCaseError::fail("detail is not a string"))?;
    match &case.detail {
        Some(detail) => prop_assert_eq!(shown, detail.as_str()),
        None => prop_assert!(!shown.is_empty()),
    }
    if status.is_server_error() {
        prop_assert!(!text.contains(SECRET), "5xx leaks its cause: {text}");
        prop_assert!(!shown.contains(SECRET));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_error_renders_as_problem_json(case in case()) {
        check(case)?;
    }
}
