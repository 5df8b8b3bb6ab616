//! Middleware of the admin listener: after a request that may have changed tenancy
//! metadata, re-reads the metadata epoch so that this instance forgets what it
//! remembered at once (the other instances notice within a poll interval; see
//! `tenancy::cache`).

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::Error;

use crate::state::SharedState;

pub async fn metadata_changes(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let changes = !req.method().is_safe();
    let state = req.app_data::<SharedState>().cloned();
    let res = next.call(req).await?;
    if let (true, Some(state)) = (changes, state) {
        state.epoch.refresh(&state.db).await;
    }
    Ok(res)
}
