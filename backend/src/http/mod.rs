//! The HTTP edge below the handlers: middleware with one job each, the extractors that
//! turn requests into authenticated callers, the JSON body extractor, and the one place
//! where the services' errors become `ApiError`s.
//!
//! Middleware order, outermost first (see `startup`): [`request_ids`] → [`access_log`]
//! → [`security_headers`] → [`problems`] → [`timeout`] → routes.

pub mod access_log;
pub mod body_errors;
pub mod csrf;
pub mod error_map;
pub mod extract;
pub mod identity;
pub mod json;
pub mod metadata_changes;
pub mod problems;
pub mod request_ids;
pub mod security_headers;
pub mod session_refresh;
pub mod timeout;
pub mod tls;
