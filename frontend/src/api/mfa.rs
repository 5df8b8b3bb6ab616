//! Multi-factor authentication of the signed-in user: status, enrolment (secret and QR
//! code, then a first code), turning it off.

use gloo_net::http::Method;
use kyros_common::api::auth::{DisableMfa, MfaCode, MfaEnabled, MfaEnrolment, MfaStatus};
use serde::Serialize;

use crate::api::{paths, Api, ApiError};

/// The empty JSON object `POST /bff/mfa/enroll` takes.
#[derive(Serialize)]
struct NoFields {}

/// `GET /bff/mfa`.
pub async fn status(api: &Api) -> Result<MfaStatus, ApiError> {
    api.get_json(paths::MFA).await
}

/// `POST /bff/mfa/enroll`: a new secret; MFA stays off until a code of it is confirmed.
pub async fn enrol(api: &Api) -> Result<MfaEnrolment, ApiError> {
    api.send_json(Method::POST, paths::MFA_ENROL, &NoFields {})
        .await
}

/// `POST /bff/mfa/confirm`: MFA on; the recovery codes are in the answer, once.
pub async fn confirm(api: &Api, code: String) -> Result<MfaEnabled, ApiError> {
    api.send_json(Method::POST, paths::MFA_CONFIRM, &MfaCode { code })
        .await
}

/// `POST /bff/mfa/disable`: with the password and a current code.
pub async fn disable(api: &Api, password: String, code: String) -> Result<(), ApiError> {
    api.send_no_content(
        Method::POST,
        paths::MFA_DISABLE,
        Some(&DisableMfa { password, code }),
    )
    .await
}
