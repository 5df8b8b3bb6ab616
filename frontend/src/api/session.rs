//! Session endpoints: login (password, then the code when the user has MFA), logout,
//! who am I, tenant selection.

use gloo_net::http::Method;
use kyros_common::api::auth::{LoginRequest, MfaCode};
use kyros_common::api::me::{LoginAnswer, SelectTenantRequest, SessionInfo};

use crate::api::{paths, Api, ApiError};

/// `POST /bff/login`: the session, or a request for the second factor (the challenge
/// stays in the server-side session).
pub async fn login(api: &Api, email: String, password: String) -> Result<LoginAnswer, ApiError> {
    api.send_json(
        Method::POST,
        paths::LOGIN,
        &LoginRequest { email, password },
    )
    .await
}

/// `POST /bff/login/mfa`: an authenticator or recovery code after the password step.
pub async fn login_mfa(api: &Api, code: String) -> Result<SessionInfo, ApiError> {
    api.send_json(Method::POST, paths::LOGIN_MFA, &MfaCode { code })
        .await
}

/// `POST /bff/logout`.
pub async fn logout(api: &Api) -> Result<(), ApiError> {
    api.send_no_content::<()>(Method::POST, paths::LOGOUT, None)
        .await
}

/// `GET /bff/me`.
pub async fn me(api: &Api) -> Result<SessionInfo, ApiError> {
    api.get_json(paths::ME).await
}

/// `POST /bff/tenant`: select or switch the active tenant by slug.
pub async fn select_tenant(api: &Api, tenant_slug: String) -> Result<SessionInfo, ApiError> {
    api.send_json(
        Method::POST,
        paths::TENANT,
        &SelectTenantRequest {
            tenant: tenant_slug,
        },
    )
    .await
}
