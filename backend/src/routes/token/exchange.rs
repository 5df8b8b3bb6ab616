//! `POST /api/token/exchange`.
//!
//! Two encodings: JSON `{"tenant_id"}` with the user token as bearer, or the RFC 8693
//! form (`grant_type`, `subject_token`, `subject_token_type`, `audience`/`resource`).
//! A Kyros user token is exchanged for a tenant-scoped one (`Tenancy` decides); an ID
//! token of a configured identity provider (`subject_token_type`
//! `urn:ietf:params:oauth:token-type:id_token`, no audience) for a Kyros user token
//! (`Sso` decides).

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
pub const ID_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:id_token";
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

/// What is exchanged for what.
enum Exchange {
    /// A Kyros user token for a tenant-scoped token.
    ForTenant(String, TenantRef),
    /// An identity provider's ID token for a Kyros user token.
    IdToken(String),
}

fn parse_form(body: &[u8]) -> Result<Exchange, ApiError> {
    let form: ExchangeForm = serde_urlencoded::from_bytes(body)
        .map_err(|e| ApiError::bad_request(format!("invalid token exchange form: {e}")))?;
    if form.grant_type != GRANT_TYPE {
        return Err(ApiError::bad_request(format!(
            "grant_type must be {GRANT_TYPE}"
        )));
    }
    if let Some(requested) = &form.requested_token_type {
        if requested != ACCESS_TOKEN_TYPE {
            return Err(ApiError::bad_request(format!(
                "requested_token_type must be {ACCESS_TOKEN_TYPE}"
            )));
        }
    }
    if form.subject_token_type == ID_TOKEN_TYPE {
        if form.audience.is_some() || form.resource.is_some() {
            return Err(ApiError::bad_request(
                "an ID token is exchanged for a user token: leave out audience and resource, \
                 then exchange the user token for a tenant",
            ));
        }
        return Ok(Exchange::IdToken(form.subject_token));
    }
    if form.subject_token_type != ACCESS_TOKEN_TYPE && form.subject_token_type != JWT_TOKEN_TYPE {
        return Err(ApiError::bad_request(format!(
            "subject_token_type must be {ACCESS_TOKEN_TYPE} or {ID_TOKEN_TYPE}"
        )));
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
    Ok(Exchange::ForTenant(
        form.subject_token,
        TenantRef::IdOrSlug(target),
    ))
}

fn parse_json(req: &HttpRequest, body: &[u8]) -> Result<Exchange, ApiError> {
    let request: ExchangeRequest = from_object_slice(body)?;
    let tenant_id = request
        .tenant_id
        .parse::<TenantId>()
        .map_err(|_| ApiError::bad_request("tenant_id must be a UUID"))?;
    let token = bearer_token(req)
        .ok_or_else(|| ApiError::unauthenticated("a bearer user token is required"))?;
    Ok(Exchange::ForTenant(token, TenantRef::Id(tenant_id)))
}

pub async fn exchange_token(
    state: SharedState,
    _throttle: LoginThrottle,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let exchange = match media_type(&req).as_str() {
        "application/json" => parse_json(&req, &body)?,
        "application/x-www-form-urlencoded" => parse_form(&body)?,
        other => {
            return Err(ApiError::UnsupportedMediaType(format!(
                "expected application/json or application/x-www-form-urlencoded, got {other:?}"
            )))
        }
    };
    let (subject_token, target) = match exchange {
        Exchange::ForTenant(token, target) => (token, target),
        Exchange::IdToken(id_token) => {
            let signed_in = state.sso.exchange_id_token(&id_token).await?;
            identity::record(&req, &signed_in.user.user_id.to_string(), None);
            return Ok(HttpResponse::Ok().json(ExchangeResponse {
                access_token: signed_in.token.token,
                issued_token_type: ACCESS_TOKEN_TYPE.into(),
                token_type: "Bearer".into(),
                expires_in: signed_in.token.expires_in,
                tenant_id: None,
                role: None,
            }));
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
        tenant_id: Some(exchanged.tenant_id.to_string()),
        role: Some(exchanged.role.as_str().into()),
    }))
}
