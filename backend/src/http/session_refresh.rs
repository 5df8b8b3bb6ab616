//! Middleware of `/bff`: tells the shell that its session was silently refreshed (the
//! scoped token was re-exchanged) with `x-kyros-session-refreshed: 1`.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};

pub const HEADER: &str = "x-kyros-session-refreshed";

/// Put in a request's extensions by the extractor that refreshed the session.
#[derive(Debug, Clone, Copy)]
pub struct SessionRefreshed;

pub async fn session_refresh(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let mut response = next.call(req).await?;
    if response
        .request()
        .extensions()
        .get::<SessionRefreshed>()
        .is_some()
    {
        response.headers_mut().insert(
            HeaderName::from_static(HEADER),
            HeaderValue::from_static("1"),
        );
    }
    Ok(response)
}
