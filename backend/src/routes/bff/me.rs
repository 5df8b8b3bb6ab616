//! `GET /bff/me`: the signed-in user, their tenants (with branding) and the active one.

use actix_web::HttpResponse;

use super::{ok_json, session_info};
use crate::bff::session::BffUser;
use crate::error::ApiError;
use crate::state::SharedState;

pub async fn bff_me(state: SharedState, who: BffUser) -> Result<HttpResponse, ApiError> {
    Ok(ok_json(
        &session_info(&state, &who.user, &who.session).await?,
    ))
}
