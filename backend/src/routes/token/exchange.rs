//! `POST /api/token/exchange`.
//!
//! Two encodings: JSON `{"tenant_id"}` with the user token as bearer, or the RFC 8693
//! form (`grant_type`, `subject_token`, `subject_token_type`, `audience`/`resource`).
//! Membership, role and activity are re-read from the database every time; a tenant
//! the user may not use is 403 whether or not it exists.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use kyros_common::api::auth::{ExchangeRequest, ExchangeResponse};
use kyros_common::api::tenants::Role;
use kyros_common::error::ErrorCode;
use kyros_common::ids::TenantId;
use serde::Deserialize;

use crate::audit::{self, AuditEntryExt};
use crate::auth::extractor::{bearer_token, UserAuth};
use crate::auth::jwt::IssuedToken;
use crate::error::ApiError;
use crate::request_context::record_identity;
use crate::state::SharedState;
use crate::store::{memberships, tenants, Scope};

pub const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
pub const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";
const JWT_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:jwt";
const TENANT_URN_PREFIX: &str = "urn:kyros:tenant:";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExchangeForm {
    grant_type: String,
    subject_token: String,
    subject_token_type: String,
    #[serde(default)]
    audience: Option<String>,
    #[serde(default)]
    resource: Option<String>,
    #[serde(default)]
    requested_token_type: Option<String>,
}

/// How the caller named the tenant: by id (JSON) or by id or slug (RFC 8693 form).
#[derive(Debug, Clone)]
pub enum TenantRef {
    Id(TenantId),
    IdOrSlug(String),
}

fn media_type(req: &HttpRequest) -> String {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default()
}

fn parse_form(body: &[u8]) -> Result<(String, TenantRef), ApiError> {
    let form: ExchangeForm = serde_urlencoded::from_bytes(body).map_err(|e| {
        ApiError::BadRequest(
            ErrorCode::BadRequest,
            format!("invalid token exchange form: {e}"),
        )
    })?;
    if form.grant_type != GRANT_TYPE {
        return Err(ApiError::bad_request(format!(
            "grant_type must be {GRANT_TYPE}"
        )));
    }
    if form.subject_token_type != ACCESS_TOKEN_TYPE && form.subject_token_type != JWT_TOKEN_TYPE {
        return Err(ApiError::bad_request(format!(
            "subject_token_type must be {ACCESS_TOKEN_TYPE}"
        )));
    }
    if let Some(requested) = &form.requested_token_type {
        if requested != ACCESS_TOKEN_TYPE {
            return Err(ApiError::bad_request(format!(
                "requested_token_type must be {ACCESS_TOKEN_TYPE}"
            )));
        }
    }
    let target = match (form.audience, form.resource) {
        (Some(a), None) | (None, Some(a)) => a,
        (Some(a), Some(r)) if a == r => a,
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request(
                "audience and resource name different tenants",
            ))
        }
        (None, None) => {
            return Err(ApiError::bad_request(
                "audience or resource must name the tenant",
            ))
        }
    };
    let target = target
        .strip_prefix(TENANT_URN_PREFIX)
        .unwrap_or(&target)
        .to_owned();
    if target.is_empty() || target.len() > 200 || target.chars().any(char::is_control) {
        return Err(ApiError::bad_request(
            "audience or resource must name the tenant",
        ));
    }
    Ok((form.subject_token, TenantRef::IdOrSlug(target)))
}

fn parse_json(req: &HttpRequest, body: &[u8]) -> Result<(String, TenantRef), ApiError> {
    let request: ExchangeRequest = serde_json::from_slice(body)
        .map_err(|e| ApiError::invalid_json(format!("invalid JSON body: {e}")))?;
    let tenant_id = request
        .tenant_id
        .parse::<TenantId>()
        .map_err(|_| ApiError::bad_request("tenant_id must be a UUID"))?;
    let token = bearer_token(req)
        .ok_or_else(|| ApiError::unauthenticated("a bearer user token is required"))?;
    Ok((token, TenantRef::Id(tenant_id)))
}

/// Grants a scoped token when the user token names the tenant and the database still
/// maps the user to it with both active. Returns `None` for "may not use".
pub async fn exchange_for_tenant(
    state: &SharedState,
    user: &UserAuth,
    target: TenantRef,
) -> Result<Option<(TenantId, String, Role, IssuedToken)>, ApiError> {
    let user_id = user.user_id;
    let requested: String = match &target {
        TenantRef::Id(id) => id.to_string(),
        TenantRef::IdOrSlug(s) => s.chars().take(100).collect(),
    };
    let resolved = state
        .db
        .run_scoped(Scope::User(user_id), move |conn| {
            let tenant = match target {
                TenantRef::Id(id) => tenants::find_by_id(conn, id)?,
                TenantRef::IdOrSlug(s) => match s.parse::<TenantId>() {
                    Ok(id) => tenants::find_by_id(conn, id)?,
                    Err(_) => tenants::find_by_slug(conn, &s)?,
                },
            };
            let Some(tenant) = tenant else {
                return Ok(None);
            };
            let Some(tenant_id) = tenant.tenant_id() else {
                return Ok(None);
            };
            let role = memberships::active_role(conn, user_id, tenant_id)?;
            Ok(role.map(|role| (tenant_id, tenant.slug, role)))
        })
        .await?;
    let granted = resolved.filter(|(tenant_id, _, _)| {
        user.claims
            .tenant_ids
            .iter()
            .any(|t| t == &tenant_id.to_string())
    });
    let Some((tenant_id, slug, role)) = granted else {
        state
            .metrics
            .token_exchanges
            .with_label_values(&["denied"])
            .inc();
        let e = audit::entry(
            "token_exchange",
            "denied",
            user.claims.email.clone(),
            requested,
        )
        .user(Some(user.user_id));
        audit::record(state, e).await;
        return Ok(None);
    };
    let issued = state
        .tokens
        .issue_tenant(&user.claims, tenant_id.as_uuid(), role)?;
    state
        .metrics
        .token_exchanges
        .with_label_values(&["granted"])
        .inc();
    let e = audit::entry(
        "token_exchange",
        "granted",
        user.claims.email.clone(),
        slug.clone(),
    )
    .user(Some(user.user_id))
    .tenant(Some(tenant_id))
    .detail(serde_json::json!({ "role": role.as_str(), "jti": issued.jti }));
    audit::record(state, e).await;
    Ok(Some((tenant_id, slug, role, issued)))
}

pub async fn exchange_token(
    state: SharedState,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    state.limits.check_login(&req).await?;
    let (subject_token, target) = match media_type(&req).as_str() {
        "application/json" => parse_json(&req, &body)?,
        "application/x-www-form-urlencoded" => parse_form(&body)?,
        other => {
            return Err(ApiError::UnsupportedMediaType(format!(
                "expected application/json or application/x-www-form-urlencoded, got {other:?}"
            )))
        }
    };
    let user = UserAuth::from_token(&state, &subject_token).await?;
    record_identity(&req, &user.claims.sub, None);
    let granted = exchange_for_tenant(&state, &user, target).await?;
    let Some((tenant_id, _slug, role, issued)) = granted else {
        return Err(ApiError::forbidden("you may not use this tenant"));
    };
    record_identity(&req, &user.claims.sub, Some(&tenant_id.to_string()));
    Ok(HttpResponse::Ok().json(ExchangeResponse {
        access_token: issued.token,
        issued_token_type: ACCESS_TOKEN_TYPE.into(),
        token_type: "Bearer".into(),
        expires_in: issued.expires_in,
        tenant_id: tenant_id.to_string(),
        role: role.as_str().into(),
    }))
}
