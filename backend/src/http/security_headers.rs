//! Middleware: the security headers of every response (CSP, nosniff, referrer and
//! framing policies, HSTS when this instance serves TLS) and `Cache-Control: no-store`
//! on the authenticated areas and on anything that did not choose its own caching.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::Error;

use crate::state::SharedState;

pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// HSTS: only when this instance itself serves TLS (behind a TLS-terminating proxy,
/// the proxy sets it).
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Sets the headers on a response to `path`.
pub fn apply(headers: &mut HeaderMap, path: &str, tls: bool) {
    let mut set = |name: &'static str, value: &'static str| {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    };
    set("content-security-policy", CSP);
    set("x-content-type-options", "nosniff");
    if tls {
        set("strict-transport-security", HSTS);
    }
    set("referrer-policy", "no-referrer");
    set("x-frame-options", "DENY");
    set("cross-origin-opener-policy", "same-origin");
    set(
        "permissions-policy",
        "camera=(), microphone=(), geolocation=()",
    );
    let authenticated_area =
        path.starts_with("/api") || path.starts_with("/bff") || path.starts_with("/admin");
    if authenticated_area || !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// Whether the listener serving `req` speaks TLS.
pub fn serves_tls(req: &ServiceRequest) -> bool {
    req.app_data::<SharedState>()
        .is_some_and(|state| state.settings.tls.is_some())
}

pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let path = req.path().to_owned();
    let tls = serves_tls(&req);
    let mut response = next.call(req).await?;
    apply(response.headers_mut(), &path, tls);
    Ok(response)
}
