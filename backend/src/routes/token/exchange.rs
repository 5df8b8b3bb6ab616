//! `POST /api/token/exchange`.
//!
//! Two encodings: JSON `{"tenant_id"}` with the user token as bearer, or the RFC 8693
//! form (`grant_type`, `subject_token`, `subject_token_type`, `audience`/`resource`).
//! This handler only decodes the request; `Tenancy::exchange_subject_token` decides.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use kyros_common::api::auth::{ExchangeRequest, ExchangeResponse};
use kyros_common::ids::TenantId;
use serde::Deserialize;

use crate::error::ApiError;
use crate::http::extract::{bearer_token, LoginThrottle};
use crate::http::identity;
use crate::http::json::from_object_slice;
use crate::state::SharedState;
use crate::tenancy::TenantRef;

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
    let form: ExchangeForm = serde_urlencoded::from_bytes(body)
        .map_err(|e| ApiError::bad_request(format!("invalid token exchange form: {e}")))?;
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
    let request: ExchangeRequest = from_object_slice(body)?;
    let tenant_id = request
        .tenant_id
        .parse::<TenantId>()
        .map_err(|_| ApiError::bad_request("tenant_id must be a UUID"))?;
    let token = bearer_token(req)
        .ok_or_else(|| ApiError::unauthenticated("a bearer user token is required"))?;
    Ok((token, TenantRef::Id(tenant_id)))
}

pub async fn exchange_token(
    state: SharedState,
    _throttle: LoginThrottle,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let (subject_token, target) = match media_type(&req).as_str() {
        "application/json" => parse_json(&req, &body)?,
        "application/x-www-form-urlencoded" => parse_form(&body)?,
        other => {
            return Err(ApiError::UnsupportedMediaType(format!(
                "expected application/json or application/x-www-form-urlencoded, got {other:?}"
            )))
        }
    };
    let (user, exchanged) = state
        .tenancy
        .exchange_subject_token(&subject_token, target)
        .await?;
    identity::record(
        &req,
        &user.claims.sub,
        Some(&exchanged.tenant_id.to_string()),
    );
    Ok(HttpResponse::Ok().json(ExchangeResponse {
        access_token: exchanged.token.token,
        issued_token_type: ACCESS_TOKEN_TYPE.into(),
        token_type: "Bearer".into(),
        expires_in: exchanged.token.expires_in,
        tenant_id: exchanged.tenant_id.to_string(),
        role: exchanged.role.as_str().into(),
    }))
}
