//! CSRF defence for `/bff/*`: besides the SameSite=Strict cookie, every state-changing
//! request must carry `X-Requested-With: kyros-shell` (a header a cross-site form cannot
//! set) and, when the browser sends `Origin`, an origin naming this host.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError};
use kyros_common::error::ErrorCode;

use crate::error::ApiError;

pub const CSRF_HEADER: &str = "x-requested-with";
pub const CSRF_VALUE: &str = "kyros-shell";

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The reason a request fails the check, if it does.
pub fn violation(req: &ServiceRequest) -> Option<&'static str> {
    if is_safe(req.method()) {
        return None;
    }
    let header_ok = req
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == CSRF_VALUE);
    if !header_ok {
        return Some("state-changing requests need the header X-Requested-With: kyros-shell");
    }
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok());
        let origin_host = origin
            .to_str()
            .ok()
            .and_then(|o| url::Url::parse(o).ok())
            .and_then(|u| {
                u.host_str().map(|h| match u.port() {
                    Some(p) => format!("{h}:{p}"),
                    None => h.to_owned(),
                })
            });
        match (origin_host, host) {
            (Some(o), Some(h)) if o.eq_ignore_ascii_case(h) => {}
            _ => return Some("the request's Origin does not match this site"),
        }
    }
    None
}

pub async fn csrf_guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if let Some(reason) = violation(&req) {
        let response = ApiError::Forbidden(ErrorCode::CsrfRejected, reason.into()).error_response();
        return Ok(req.into_response(response));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}
