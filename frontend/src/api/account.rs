//! Account endpoints: invitations, forgotten and changed passwords, one's own sessions.

use gloo_net::http::Method;
use kyros_common::api::users::{
    AcceptInvitation, Acknowledged, ChangePassword, ForgotPassword, ResetPassword, SessionSummary,
};

use crate::api::{paths, Api, ApiError};

/// `POST /api/auth/invitations/accept`: sets the first password (and optionally the name).
pub async fn accept_invitation(
    api: &Api,
    token: String,
    password: String,
    name: Option<String>,
) -> Result<Acknowledged, ApiError> {
    api.send_json(
        Method::POST,
        paths::ACCEPT_INVITATION,
        &AcceptInvitation {
            token,
            password,
            name,
        },
    )
    .await
}

/// `POST /api/auth/password/forgot`: answers the same whether or not the account exists.
pub async fn forgot_password(api: &Api, email: String) -> Result<Acknowledged, ApiError> {
    api.send_json(
        Method::POST,
        paths::FORGOT_PASSWORD,
        &ForgotPassword { email },
    )
    .await
}

/// `POST /api/auth/password/reset`: a new password with a reset link's token.
pub async fn reset_password(
    api: &Api,
    token: String,
    password: String,
) -> Result<Acknowledged, ApiError> {
    api.send_json(
        Method::POST,
        paths::RESET_PASSWORD,
        &ResetPassword { token, password },
    )
    .await
}

/// `POST /bff/password`: signs out the user's other sessions.
pub async fn change_password(
    api: &Api,
    current_password: String,
    new_password: String,
) -> Result<(), ApiError> {
    api.send_no_content(
        Method::POST,
        paths::PASSWORD,
        Some(&ChangePassword {
            current_password,
            new_password,
        }),
    )
    .await
}

/// `GET /bff/sessions`.
pub async fn sessions(api: &Api) -> Result<Vec<SessionSummary>, ApiError> {
    api.get_json(paths::SESSIONS).await
}

/// `DELETE /bff/sessions/{id}`.
pub async fn end_session(api: &Api, id: &str) -> Result<(), ApiError> {
    api.send_no_content::<()>(Method::DELETE, &paths::session(id), None)
        .await
}
