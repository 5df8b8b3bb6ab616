//! `GET`/`PUT`/`DELETE /admin/tenants/{id}/identity-provider`: a tenant's OpenID Connect
//! provider for single sign-on.

use actix_web::{web, HttpResponse};
use kyros_common::api::sso::IdentityProviderRequest;

use crate::auth::AdminAuth;
use crate::error::ApiError;
use crate::http::json::JsonObject;
use crate::state::SharedState;

pub async fn get_identity_provider(
    state: SharedState,
    _admin: AdminAuth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(state.sso.tenant_provider(&path).await?))
}

pub async fn put_identity_provider(
    state: SharedState,
    admin: AdminAuth,
    path: web::Path<String>,
    body: JsonObject<IdentityProviderRequest>,
) -> Result<HttpResponse, ApiError> {
    let (provider, created) = state
        .sso
        .put_tenant_provider(admin.client_id, &path, body.into_inner())
        .await?;
    Ok(if created {
        HttpResponse::Created().json(provider)
    } else {
        HttpResponse::Ok().json(provider)
    })
}

pub async fn delete_identity_provider(
    state: SharedState,
    admin: AdminAuth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    state
        .sso
        .delete_tenant_provider(admin.client_id, &path)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
