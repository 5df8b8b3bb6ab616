//! `POST /api/auth/login`: email + password → user access token.

use actix_web::{web, HttpRequest, HttpResponse};

use crate::audit::{self, AuditEntryExt};
use kyros_common::api::auth::{LoginRequest, TokenResponse};
use kyros_common::error::ErrorCode;
use kyros_common::ids::UserId;

use crate::auth::jwt::IssuedToken;
use crate::auth::password::verify_password;
use crate::error::ApiError;
use crate::state::SharedState;
use crate::store::{memberships, users, widen_to_user, Scope};

/// A verified user, ready for a token.
pub struct Authenticated {
    pub user_id: UserId,
    pub email: String,
    pub tenant_ids: Vec<String>,
}

/// Checks the credentials. Unknown email, inactive user and wrong password all fail
/// the same way, after the same argon2 work.
pub async fn authenticate(
    state: &SharedState,
    email: String,
    password: String,
) -> Result<Authenticated, ApiError> {
    let dummy = state.dummy_password_hash.clone();
    // Implausible input never reaches the database (PostgreSQL refuses NUL bytes in
    // text), but still costs one argon2 verification so it cannot be told apart.
    let plausible =
        email.len() <= 320 && password.len() <= 1024 && !email.chars().any(char::is_control);
    if !plausible {
        let password: String = password.chars().take(1024).collect();
        let _ = web::block(move || verify_password(&password, &dummy)).await;
        return Err(invalid_credentials());
    }
    let found = state
        .db
        .run_scoped(Scope::Service, move |conn| {
            let user = users::find_by_email(conn, &email)?;
            let tenants = match &user {
                Some(u) => match u.user_id() {
                    Some(id) => {
                        widen_to_user(conn, id)?;
                        memberships::tenants_of_user(conn, id)?
                    }
                    None => Vec::new(),
                },
                None => Vec::new(),
            };
            Ok((user, tenants))
        })
        .await?;
    let (user, tenants) = found;
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or(dummy);
    let matches = web::block(move || verify_password(&password, &hash))
        .await
        .map_err(ApiError::internal)?;
    match user {
        Some(user) if matches && user.is_active => {
            let user_id = user
                .user_id()
                .ok_or_else(|| ApiError::internal("bad user id"))?;
            Ok(Authenticated {
                user_id,
                email: user.email,
                tenant_ids: tenants.iter().map(|(t, _)| t.id.clone()).collect(),
            })
        }
        _ => Err(invalid_credentials()),
    }
}

pub fn invalid_credentials() -> ApiError {
    ApiError::Unauthorized(
        ErrorCode::InvalidCredentials,
        "email or password is incorrect".into(),
    )
}

pub fn issue_user_token(state: &SharedState, who: &Authenticated) -> Result<IssuedToken, ApiError> {
    Ok(state
        .tokens
        .issue_user(who.user_id.as_uuid(), &who.email, who.tenant_ids.clone())?)
}

/// Rate-limited, audited and counted password login (REST and BFF).
pub async fn login_user(
    state: &SharedState,
    req: &HttpRequest,
    email: String,
    password: String,
) -> Result<Authenticated, ApiError> {
    state.limits.check_login(req).await?;
    let claimed: String = crate::store::users::normalise_email(&email)
        .chars()
        .take(320)
        .collect();
    match authenticate(state, email, password).await {
        Ok(who) => {
            state.metrics.logins.with_label_values(&["success"]).inc();
            let e = audit::entry("login", "success", who.email.clone(), who.email.clone())
                .user(Some(who.user_id));
            audit::record(state, e).await;
            Ok(who)
        }
        Err(err) => {
            state.metrics.logins.with_label_values(&["failure"]).inc();
            let e = audit::entry("login", "failure", claimed.clone(), claimed);
            audit::record(state, e).await;
            Err(err)
        }
    }
}

pub async fn login(
    state: SharedState,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest { email, password } = body.into_inner();
    let who = login_user(&state, &req, email, password).await?;
    let issued = issue_user_token(&state, &who)?;
    Ok(HttpResponse::Ok().json(TokenResponse {
        access_token: issued.token,
        token_type: "Bearer".into(),
        expires_in: issued.expires_in,
    }))
}
