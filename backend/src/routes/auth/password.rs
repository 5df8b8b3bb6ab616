//! Passwords: `POST /api/auth/password/forgot` (always 202), `…/reset` (with a link's
//! token) and `…/change` (with a user token; answers a fresh one).

use actix_web::HttpResponse;
use kyros_common::api::auth::TokenResponse;
use kyros_common::api::users::{Acknowledged, ChangePassword, ForgotPassword, ResetPassword};

use crate::auth::UserAuth;
use crate::error::ApiError;
use crate::http::extract::LoginThrottle;
use crate::http::json::JsonObject;
use crate::state::SharedState;

pub async fn forgot_password(
    state: SharedState,
    _throttle: LoginThrottle,
    body: JsonObject<ForgotPassword>,
) -> Result<HttpResponse, ApiError> {
    state.users.forgot_password(&body.email).await?;
    Ok(HttpResponse::Accepted().json(Acknowledged {
        status: "accepted".into(),
        message:
            "If an account exists for this address, we sent it a link to choose a new password."
                .into(),
    }))
}

pub async fn reset_password(
    state: SharedState,
    _throttle: LoginThrottle,
    body: JsonObject<ResetPassword>,
) -> Result<HttpResponse, ApiError> {
    state.users.reset_password(body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(Acknowledged {
        status: "reset".into(),
        message: "Your password was changed: sign in with the new one.".into(),
    }))
}

pub async fn change_password(
    state: SharedState,
    _throttle: LoginThrottle,
    user: UserAuth,
    body: JsonObject<ChangePassword>,
) -> Result<HttpResponse, ApiError> {
    let ChangePassword {
        current_password,
        new_password,
    } = body.into_inner();
    let issued = state
        .users
        .change_password_reissuing(
            user.user_id,
            &user.claims.email,
            current_password,
            new_password,
        )
        .await?;
    Ok(HttpResponse::Ok().json(TokenResponse {
        access_token: issued.token,
        token_type: "Bearer".into(),
        expires_in: issued.expires_in,
    }))
}
