//! `GET /api/me`: the user and the tenants they may use.

use actix_web::HttpResponse;
use kyros_common::api::me::{MeResponse, UserInfo};

use crate::auth::UserAuth;
use crate::error::ApiError;
use crate::state::SharedState;

pub async fn show_me(state: SharedState, auth: UserAuth) -> Result<HttpResponse, ApiError> {
    let tenants = state.tenancy.memberships_of(auth.user_id).await?;
    Ok(HttpResponse::Ok().json(MeResponse {
        user: UserInfo {
            id: auth.user_id,
            email: auth.claims.email,
        },
        tenants,
    }))
}
