//! `POST /api/auth/invitations/accept`: an invited person sets their password.

use actix_web::HttpResponse;
use kyros_common::api::users::{AcceptInvitation, Acknowledged};

use crate::error::ApiError;
use crate::http::extract::LoginThrottle;
use crate::http::json::JsonObject;
use crate::state::SharedState;

pub async fn accept_invitation(
    state: SharedState,
    _throttle: LoginThrottle,
    body: JsonObject<AcceptInvitation>,
) -> Result<HttpResponse, ApiError> {
    state.users.accept_invitation(body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(Acknowledged {
        status: "accepted".into(),
        message: "Your account is ready: sign in with your email and the new password.".into(),
    }))
}
