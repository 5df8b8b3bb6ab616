//! `POST /bff/tenant {"tenant": "<slug>"}`: select or switch the active tenant; the token
//! exchange happens inside the session and the session id is renewed.

use actix_web::{web, HttpRequest, HttpResponse};
use kyros_common::api::me::SelectTenantRequest;

use super::{ok_json, session_info};
use crate::audit::{self, AuditEntryExt};
use crate::bff::session::{self, BffUser};
use crate::error::ApiError;
use crate::request_context::record_identity;
use crate::routes::token::exchange::{exchange_for_tenant, TenantRef};
use crate::state::SharedState;

pub async fn bff_select_tenant(
    state: SharedState,
    req: HttpRequest,
    who: BffUser,
    body: web::Json<SelectTenantRequest>,
) -> Result<HttpResponse, ApiError> {
    let slug = body.into_inner().tenant;
    if slug.is_empty() || slug.len() > 100 || slug.chars().any(char::is_control) {
        return Err(ApiError::forbidden("you may not use this tenant"));
    }
    let granted = exchange_for_tenant(&state, &who.user, TenantRef::IdOrSlug(slug)).await?;
    let Some((tenant_id, _, _, scoped)) = granted else {
        return Err(ApiError::forbidden("you may not use this tenant"));
    };
    session::select_tenant(&who.session, tenant_id, &scoped.token)?;
    // The user is about to open a dashboard: start decoding the tenant's data now, in
    // the background (a no-op when it is already resident).
    let engine = state.dashboards.engine().clone();
    let tenant = tenant_id.as_uuid();
    actix_web::rt::task::spawn_blocking(move || {
        if let Err(e) = engine.prefetch(tenant) {
            tracing::warn!(error = %e, "prefetching tenant data failed");
        }
    });
    let e = audit::entry(
        "tenant_switch",
        "success",
        who.user.claims.email.clone(),
        tenant_id.to_string(),
    )
    .tenant(Some(tenant_id))
    .user(Some(who.user.user_id));
    audit::record(&state, e).await;
    record_identity(&req, &who.user.claims.sub, Some(&tenant_id.to_string()));
    Ok(ok_json(
        &session_info(&state, &who.user, &who.session).await?,
    ))
}
