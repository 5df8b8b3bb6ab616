//! `POST /bff/login`: password login into a fresh server-side session.

use actix_session::Session;
use actix_web::{web, HttpRequest, HttpResponse};
use kyros_common::api::auth::LoginRequest;

use super::{ok_json, session_info};
use crate::auth::extractor::UserAuth;
use crate::bff::session;
use crate::error::ApiError;
use crate::request_context::record_identity;
use crate::routes::auth::login::{issue_user_token, login_user};
use crate::routes::token::exchange::{exchange_for_tenant, TenantRef};
use crate::state::SharedState;

pub async fn bff_login(
    state: SharedState,
    req: HttpRequest,
    session: Session,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest { email, password } = body.into_inner();
    let who = login_user(&state, &req, email, password).await?;
    let issued = issue_user_token(&state, &who)?;
    session::start(&session, &issued.token)?;
    let user = UserAuth::from_token(&state, &issued.token).await?;
    record_identity(&req, &user.claims.sub, None);
    // A single-tenant user starts with that tenant selected.
    if let [only] = who.tenant_ids.as_slice() {
        if let Ok(tenant_id) = only.parse() {
            if let Some((tenant_id, _, _, scoped)) =
                exchange_for_tenant(&state, &user, TenantRef::Id(tenant_id)).await?
            {
                session::select_tenant(&session, tenant_id, &scoped.token)?;
            }
        }
    }
    Ok(ok_json(&session_info(&state, &user, &session).await?))
}
