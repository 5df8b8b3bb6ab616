//! `/bff/*`: the browser shell's API. Cookie session; tokens never leave the server.

pub mod dashboard;
pub mod dashboards;
pub mod login;
pub mod logout;
pub mod me;
pub mod tenant;

use actix_web::HttpResponse;
use kyros_common::api::me::{SessionInfo, UserInfo};

use crate::auth::extractor::UserAuth;
use crate::bff::session;
use crate::error::ApiError;
use crate::routes::me::memberships_of;
use crate::state::SharedState;

/// The session as the shell sees it.
pub async fn session_info(
    state: &SharedState,
    user: &UserAuth,
    session: &actix_session::Session,
) -> Result<SessionInfo, ApiError> {
    let tenants = memberships_of(state, user.user_id).await?;
    let active = session::active_tenant(session);
    let active_tenant = active.and_then(|id| tenants.iter().find(|t| t.id == id).cloned());
    Ok(SessionInfo {
        user: UserInfo {
            id: user.user_id,
            email: user.claims.email.clone(),
        },
        tenants,
        active_tenant,
    })
}

pub fn ok_json<T: serde::Serialize>(value: &T) -> HttpResponse {
    HttpResponse::Ok().json(value)
}
