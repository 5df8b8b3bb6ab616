//! `GET /bff/me`: the signed-in user, their tenants (with branding) and the active one.

use actix_web::HttpResponse;

use super::ok_json;
use crate::bff::BffUser;
use crate::error::ApiError;
use crate::state::SharedState;

pub async fn bff_me(state: SharedState, who: BffUser) -> Result<HttpResponse, ApiError> {
    Ok(ok_json(
        &state.bff.session_info(&who.user, &who.session).await?,
    ))
}
