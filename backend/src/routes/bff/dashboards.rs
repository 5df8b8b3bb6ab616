//! `GET /bff/dashboards`: the active tenant's dashboards.

use actix_web::HttpResponse;

use super::ok_json;
use crate::bff::BffTenant;
use crate::error::ApiError;
use crate::state::SharedState;

pub async fn bff_list_dashboards(
    state: SharedState,
    who: BffTenant,
) -> Result<HttpResponse, ApiError> {
    Ok(ok_json(&state.dashboards.list(&who.scope).await?))
}
