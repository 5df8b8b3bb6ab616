//! Middleware: a request that takes longer than `KYROS_REQUEST_TIMEOUT` is answered 503.

use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::Error;

use super::problems::FrameworkError;
use super::security_headers::serves_tls;
use crate::state::SharedState;

const DEFAULT: Duration = Duration::from_secs(30);

pub async fn timeout(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let limit = req
        .app_data::<SharedState>()
        .map_or(DEFAULT, |state| state.settings.request_timeout);
    let tls = serves_tls(&req);
    match actix_web::rt::time::timeout(limit, next.call(req)).await {
        Ok(result) => result,
        Err(_) => Err(FrameworkError::timed_out(tls).into()),
    }
}
