//! The one door to tenant data: `TenantScope`.
//!
//! A `TenantScope` exists only after a tenant-scoped token was validated *and* the
//! database confirmed that the membership still exists and that the user and the tenant
//! are active — for this request, or for an earlier one with no change to tenancy
//! metadata since (`cache`: a revocation is seen at once on the instance that made it,
//! within a quarter of a second on the others). Its fields are private and it has no public
//! constructor, so tenant-scoped code cannot be handed a tenant id from anywhere else.
//! When the route carries a `{tenant_id}`, it must equal the token's tenant (else 403).

pub mod cache;

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use kyros_common::api::tenants::Role;
use kyros_common::error::ErrorCode;
use kyros_common::ids::{TenantId, UserId};

use crate::audit::{self, AuditEntryExt};
use crate::auth::extractor::{bearer_token, validate_token};
use crate::auth::jwt::{TenantClaims, TokenError};
use crate::error::ApiError;
use crate::request_context::record_identity;
use crate::state::SharedState;
use crate::store::{memberships, Scope};

#[derive(Debug, Clone)]
pub struct TenantScope {
    tenant_id: TenantId,
    user_id: UserId,
    email: String,
    role: Role,
}

impl TenantScope {
    pub fn tenant_id(&self) -> TenantId {
        self.tenant_id
    }
    pub fn user_id(&self) -> UserId {
        self.user_id
    }
    pub fn email(&self) -> &str {
        &self.email
    }
    pub fn role(&self) -> Role {
        self.role
    }

    /// Builds a scope from a scoped token, re-checking membership and activity.
    pub async fn from_token(state: &SharedState, token: &str) -> Result<Self, ApiError> {
        let claims: TenantClaims = validate_token(state, token).await?;
        let tenant_id: TenantId = claims
            .tenant_id
            .parse()
            .map_err(|_| ApiError::from(TokenError::Invalid("bad tenant")))?;
        let user_id: UserId = claims
            .sub
            .parse()
            .map_err(|_| ApiError::from(TokenError::Invalid("bad subject")))?;
        let role = state
            .memberships
            .get_or_load((user_id, tenant_id), || async {
                Ok(state
                    .db
                    .run_scoped(Scope::Tenant(tenant_id), move |conn| {
                        memberships::active_role(conn, user_id, tenant_id)
                    })
                    .await?)
            })
            .await?
            .ok_or_else(|| {
                ApiError::Unauthorized(
                    ErrorCode::InvalidToken,
                    "the token's tenant membership is no longer active".into(),
                )
            })?;
        Ok(TenantScope {
            tenant_id,
            user_id,
            email: claims.email,
            role,
        })
    }

    /// Refuses unless the caller is an admin of the tenant.
    pub fn require_admin(&self) -> Result<(), ApiError> {
        match self.role {
            Role::Admin => Ok(()),
            Role::Viewer => Err(ApiError::forbidden(
                "this action needs the admin role in this tenant",
            )),
        }
    }
}

impl FromRequest for TenantScope {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<SharedState>()
                .cloned()
                .ok_or_else(|| ApiError::internal("state missing"))?;
            let token = bearer_token(&req).ok_or_else(|| {
                ApiError::unauthenticated("a tenant-scoped bearer token is required")
            })?;
            let scope = TenantScope::from_token(&state, &token).await?;
            record_identity(
                &req,
                &scope.user_id.to_string(),
                Some(&scope.tenant_id.to_string()),
            );
            state.metrics.tenant_request(&scope.tenant_id.to_string());
            if let Some(path_tenant) = req.match_info().get("tenant_id") {
                if path_tenant.parse::<TenantId>().ok() != Some(scope.tenant_id) {
                    let target: String = path_tenant.chars().take(64).collect();
                    let e = audit::entry("cross_tenant_access", "denied", scope.email.clone(), target)
                        .tenant(Some(scope.tenant_id))
                        .user(Some(scope.user_id))
                        .detail(serde_json::json!({ "path": req.path().chars().take(200).collect::<String>() }));
                    audit::record(&state, e).await;
                    return Err(ApiError::forbidden(
                        "the token is not scoped to this tenant",
                    ));
                }
            }
            Ok(scope)
        })
    }
}
