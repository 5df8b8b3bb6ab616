//! `POST /admin/token` (client credentials, HTTP Basic or form) and the `AdminAuth` extractor.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use kyros_common::api::auth::TokenResponse;
use kyros_common::error::ErrorCode;
use serde::Deserialize;

use crate::audit;
use crate::auth::extractor::{bearer_token, validate_token};
use crate::auth::jwt::AdminClaims;
use crate::auth::password::verify_password;
use crate::error::ApiError;
use crate::request_context::record_identity;
use crate::state::SharedState;
use crate::store::admin_clients;

pub const ADMIN_TOKEN_TTL: Duration = Duration::from_secs(300);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenForm {
    grant_type: String,
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default)]
    client_secret: Option<String>,
    #[serde(default)]
    scope: Option<String>,
}

fn invalid_client() -> ApiError {
    ApiError::Unauthorized(
        ErrorCode::InvalidCredentials,
        "client authentication failed".into(),
    )
}

fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(B64.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

pub async fn issue_admin_token(
    state: SharedState,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    state.limits.check_login(&req).await?;
    let form: TokenForm = serde_urlencoded::from_bytes(&body)
        .map_err(|e| ApiError::bad_request(format!("invalid token request: {e}")))?;
    if form.grant_type != "client_credentials" {
        return Err(ApiError::bad_request(
            "grant_type must be client_credentials",
        ));
    }
    let _ = form.scope;
    let (client_id, secret) = match (basic_credentials(&req), form.client_id, form.client_secret) {
        (Some(creds), None, None) => creds,
        (None, Some(id), Some(secret)) => (id, secret),
        _ => return Err(invalid_client()),
    };
    if client_id.len() > 100 || secret.len() > 1024 || client_id.chars().any(char::is_control) {
        return Err(invalid_client());
    }
    let lookup_id = client_id.clone();
    let hash = state
        .db
        .run(move |conn| admin_clients::secret_hash(conn, &lookup_id))
        .await?;
    let candidate = hash
        .clone()
        .unwrap_or_else(|| state.dummy_password_hash.clone());
    let matches = web::block(move || verify_password(&secret, &candidate))
        .await
        .map_err(ApiError::internal)?;
    if !(matches && hash.is_some()) {
        audit::record(
            &state,
            audit::entry("admin_token", "failure", client_id.clone(), client_id),
        )
        .await;
        return Err(invalid_client());
    }
    let issued = state.tokens.issue_admin(&client_id, ADMIN_TOKEN_TTL)?;
    audit::record(
        &state,
        audit::entry("admin_token", "success", client_id.clone(), client_id),
    )
    .await;
    Ok(HttpResponse::Ok().json(TokenResponse {
        access_token: issued.token,
        token_type: "Bearer".into(),
        expires_in: issued.expires_in,
    }))
}

/// A caller holding a valid admin token.
#[derive(Debug, Clone)]
pub struct AdminAuth {
    pub client_id: String,
}

impl FromRequest for AdminAuth {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<SharedState>()
                .cloned()
                .ok_or_else(|| ApiError::internal("state missing"))?;
            let token = bearer_token(&req)
                .ok_or_else(|| ApiError::unauthenticated("an admin bearer token is required"))?;
            let claims: AdminClaims = validate_token(&state, &token).await?;
            record_identity(&req, &claims.sub, None);
            Ok(AdminAuth {
                client_id: claims.sub,
            })
        })
    }
}
