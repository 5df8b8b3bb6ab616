//! `POST /bff/tenant {"tenant": "<slug>"}`: select or switch the active tenant.

use actix_web::{HttpRequest, HttpResponse};
use kyros_common::api::me::SelectTenantRequest;

use super::ok_json;
use crate::bff::BffUser;
use crate::error::ApiError;
use crate::http::identity;
use crate::http::json::JsonObject;
use crate::state::SharedState;

pub async fn bff_select_tenant(
    state: SharedState,
    req: HttpRequest,
    who: BffUser,
    body: JsonObject<SelectTenantRequest>,
) -> Result<HttpResponse, ApiError> {
    let info = state.bff.select_tenant(&who, &body.tenant).await?;
    if let Some(active) = &info.active_tenant {
        identity::record(&req, &who.user.claims.sub, Some(&active.id.to_string()));
    }
    Ok(ok_json(&info))
}
