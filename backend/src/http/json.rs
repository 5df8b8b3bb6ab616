//! `JsonObject<T>`: a JSON request body that must be an object.
//!
//! serde's derived `Deserialize` for a struct also accepts a JSON *array* and fills the
//! fields by position (`[{…}]` or `["a","b"]` would pass as a struct). Every JSON body
//! of Kyros is an object, so anything else is refused before serde sees it. Also checks
//! the media type (415) and the size (413).

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest};
use bytes::BytesMut;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Request bodies larger than this are refused with 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

#[derive(Debug)]
pub struct JsonObject<T>(pub T);

impl<T> JsonObject<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for JsonObject<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// `application/json`, or any `…/…+json`.
pub fn is_json(req: &HttpRequest) -> bool {
    let Some(value) = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || (essence.contains('/') && essence.ends_with("+json"))
}

/// Deserialises `body` as `T`, refusing anything but a JSON object.
pub fn from_object_slice<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        return Err(ApiError::invalid_json(
            "invalid JSON body: expected a JSON object",
        ));
    }
    serde_json::from_slice(body)
        .map_err(|e| ApiError::invalid_json(format!("invalid JSON body: {e}")))
}

fn too_large() -> ApiError {
    ApiError::PayloadTooLarge(format!(
        "request body is larger than {MAX_BODY_BYTES} bytes"
    ))
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonObject<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = is_json(req);
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if !json {
                return Err(ApiError::UnsupportedMediaType(
                    "expected application/json".into(),
                ));
            }
            if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
                return Err(too_large());
            }
            let mut body = BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk
                    .map_err(|e| ApiError::bad_request(format!("could not read the body: {e}")))?;
                if body.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            from_object_slice(&body).map(JsonObject)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Pair {
        a: String,
        b: String,
    }

    #[test]
    fn objects_parse_and_arrays_never_fill_a_struct() {
        assert!(from_object_slice::<Pair>(br#" {"a":"x","b":"y"}"#).is_ok());
        for bad in [
            &br#"["x","y"]"#[..],
            br#"[{"a":"x","b":"y"}]"#,
            b"",
            b"  ",
            b"null",
            b"\"x\"",
        ] {
            let err = from_object_slice::<Pair>(bad).expect_err("refused");
            assert!(err.detail().contains("JSON object"), "{err}");
        }
    }
}
