//! Login and token exchange.

use serde::{Deserialize, Serialize};

/// `POST /api/auth/login` and `POST /bff/login`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// `POST /api/auth/login` response.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: String,
    pub expires_in: u64,
}

/// `POST /api/token/exchange` JSON body.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExchangeRequest {
    pub tenant_id: String,
}

/// `POST /api/token/exchange` response (RFC 8693 section 2.2.1 members plus the tenant).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExchangeResponse {
    pub access_token: String,
    pub issued_token_type: String,
    pub token_type: String,
    pub expires_in: u64,
    /// The tenant and role of a tenant-scoped token (absent when an ID token was
    /// exchanged for a user token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// The answer of a password step for a user with multi-factor authentication:
/// `POST /api/auth/login` carries the `challenge` to send back with the code
/// (`POST /api/auth/login/mfa`); `POST /bff/login` keeps it in the session
/// (`POST /bff/login/mfa`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MfaRequired {
    /// Always true: tells this answer apart from a signed-in one.
    pub mfa_required: bool,
    pub expires_in: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<String>,
}

/// `POST /api/auth/login/mfa`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MfaLoginRequest {
    pub challenge: String,
    pub code: String,
}

/// `POST /bff/login/mfa` and the BFF's MFA enrolment calls.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MfaCode {
    pub code: String,
}

/// `POST /bff/mfa/disable`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisableMfa {
    pub password: String,
    pub code: String,
}

/// `POST /bff/mfa/enroll`: the secret to add to an authenticator app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MfaEnrolment {
    pub secret: String,
    pub otpauth_url: String,
    /// The `otpauth://` URL as a QR code, SVG markup rendered by the server.
    pub qr_svg: String,
}

/// `GET /bff/mfa`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MfaStatus {
    pub enabled: bool,
    pub recovery_codes_left: i64,
}

/// `POST /bff/mfa/confirm`: MFA is on; the recovery codes are shown this once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MfaEnabled {
    pub recovery_codes: Vec<String>,
}
