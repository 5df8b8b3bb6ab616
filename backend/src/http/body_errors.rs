//! Problem+json for actix's own body and query extractors (JSON, form, query string).

use actix_web::error::{JsonPayloadError, QueryPayloadError, UrlencodedError};
use actix_web::HttpRequest;

use super::json::MAX_BODY_BYTES;
use crate::error::ApiError;

pub fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let api = match err {
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            ApiError::PayloadTooLarge(format!(
                "request body is larger than {MAX_BODY_BYTES} bytes"
            ))
        }
        JsonPayloadError::ContentType => {
            ApiError::UnsupportedMediaType("expected application/json".into())
        }
        JsonPayloadError::Deserialize(e) => {
            ApiError::invalid_json(format!("invalid JSON body: {e}"))
        }
        other => ApiError::invalid_json(format!("invalid JSON body: {other}")),
    };
    api.into()
}

pub fn form_error(err: UrlencodedError, _req: &HttpRequest) -> actix_web::Error {
    let api = match err {
        UrlencodedError::Overflow { .. } => {
            ApiError::PayloadTooLarge("request body is too large".into())
        }
        UrlencodedError::ContentType => {
            ApiError::UnsupportedMediaType("expected application/x-www-form-urlencoded".into())
        }
        other => ApiError::bad_request(format!("invalid form body: {other}")),
    };
    api.into()
}

pub fn query_error(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::bad_request(format!("invalid query string: {err}")).into()
}
