//! `GET /api/me`: the user and the tenants they may use.

use actix_web::HttpResponse;
use kyros_common::api::me::{MeResponse, UserInfo};
use kyros_common::api::tenants::TenantMembership;
use kyros_common::ids::UserId;

use crate::auth::extractor::UserAuth;
use crate::error::ApiError;
use crate::state::SharedState;
use crate::store::{memberships, Scope};

/// The active tenants of an active user, as the wire type.
pub async fn memberships_of(
    state: &SharedState,
    user_id: UserId,
) -> Result<Vec<TenantMembership>, ApiError> {
    let rows = state
        .db
        .run_scoped(Scope::User(user_id), move |conn| {
            memberships::tenants_of_user(conn, user_id)
        })
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(tenant, role)| {
            Some(TenantMembership {
                id: tenant.tenant_id()?,
                branding: tenant.branding(),
                slug: tenant.slug,
                name: tenant.name,
                role,
            })
        })
        .collect())
}

pub async fn show_me(state: SharedState, auth: UserAuth) -> Result<HttpResponse, ApiError> {
    let tenants = memberships_of(&state, auth.user_id).await?;
    Ok(HttpResponse::Ok().json(MeResponse {
        user: UserInfo {
            id: auth.user_id,
            email: auth.claims.email,
        },
        tenants,
    }))
}
