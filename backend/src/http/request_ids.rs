//! Middleware: gives every request an id (a sane incoming `X-Request-Id`, else a new
//! one), runs the rest of the request inside it (so log lines and problem bodies name
//! it) and returns it in the `x-request-id` response header.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::Error;

use crate::request_id;

pub async fn request_ids(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let incoming = req
        .headers()
        .get(request_id::HEADER)
        .map(|v| v.as_bytes().to_vec());
    let id = request_id::choose(incoming.as_deref());
    let mut response = request_id::scope(id.clone(), next.call(req)).await?;
    if let Ok(v) = HeaderValue::from_str(&id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(request_id::HEADER), v);
    }
    Ok(response)
}
