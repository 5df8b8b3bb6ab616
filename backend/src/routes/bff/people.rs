//! `/bff/tenant/users…`: the tenant admin's people, the tenant from the session.

use actix_web::{web, HttpResponse};
use kyros_common::api::users::{ChangeRole, InviteMember};

use super::ok_json;
use crate::bff::BffTenant;
use crate::error::ApiError;
use crate::http::json::JsonObject;
use crate::state::SharedState;

pub async fn bff_list_members(
    state: SharedState,
    who: BffTenant,
) -> Result<HttpResponse, ApiError> {
    Ok(ok_json(&state.users.members(&who.scope).await?))
}

pub async fn bff_invite_member(
    state: SharedState,
    who: BffTenant,
    body: JsonObject<InviteMember>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Created().json(state.users.invite(&who.scope, body.into_inner()).await?))
}

pub async fn bff_change_member_role(
    state: SharedState,
    who: BffTenant,
    member: web::Path<String>,
    body: JsonObject<ChangeRole>,
) -> Result<HttpResponse, ApiError> {
    Ok(ok_json(
        &state
            .users
            .change_role(&who.scope, &member, body.role)
            .await?,
    ))
}

pub async fn bff_remove_member(
    state: SharedState,
    who: BffTenant,
    member: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    state.users.remove_member(&who.scope, &member).await?;
    Ok(HttpResponse::NoContent().finish())
}
