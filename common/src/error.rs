//! Machine-readable error codes and the RFC 9457 problem document both sides match on.

use serde::{Deserialize, Serialize};

/// The `code` member of every problem+json body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadRequest,
    InvalidJson,
    InvalidFilter,
    InvalidSpec,
    UnsupportedMediaType,
    PayloadTooLarge,
    InvalidCredentials,
    /// The password breaks the policy (too short, too long, common or easily guessed).
    WeakPassword,
    /// The email address is refused (see `kyros_common::email`).
    InvalidEmail,
    /// An invitation or password-reset link that is unknown, used or expired.
    InvalidLink,
    /// The change would leave a tenant without an admin.
    LastAdmin,
    /// The tenant requires multi-factor authentication and this sign-in had none.
    MfaRequired,
    /// Single sign-on: no provider serves this email address (or provider name).
    NoProvider,
    /// Single sign-on: the callback does not belong to a sign-in this browser started
    /// (state missing, expired or different).
    SsoState,
    /// Single sign-on: the provider refused or the user cancelled.
    SsoDenied,
    /// Single sign-on: the provider's answer did not verify (code, ID token signature,
    /// issuer, audience, nonce, expiry).
    SsoRejected,
    /// Single sign-on: the provider did not verify the email address.
    EmailNotVerified,
    /// Single sign-on: the provider vouched for someone with no Kyros account, and no
    /// tenant provisions them.
    NotProvisioned,
    /// An identity provider's discovery document or keys could not be fetched.
    ProviderUnreachable,
    Unauthenticated,
    InvalidToken,
    SessionExpired,
    Forbidden,
    CsrfRejected,
    NotFound,
    MethodNotAllowed,
    Conflict,
    RateLimited,
    Timeout,
    Unavailable,
    Internal,
}

impl ErrorCode {
    pub fn as_str(&self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::InvalidFilter => "invalid_filter",
            ErrorCode::InvalidSpec => "invalid_spec",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::WeakPassword => "weak_password",
            ErrorCode::InvalidEmail => "invalid_email",
            ErrorCode::InvalidLink => "invalid_link",
            ErrorCode::LastAdmin => "last_admin",
            ErrorCode::MfaRequired => "mfa_required",
            ErrorCode::NoProvider => "no_provider",
            ErrorCode::SsoState => "sso_state",
            ErrorCode::SsoDenied => "sso_denied",
            ErrorCode::SsoRejected => "sso_rejected",
            ErrorCode::EmailNotVerified => "email_not_verified",
            ErrorCode::NotProvisioned => "not_provisioned",
            ErrorCode::ProviderUnreachable => "provider_unreachable",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::InvalidToken => "invalid_token",
            ErrorCode::SessionExpired => "session_expired",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::CsrfRejected => "csrf_rejected",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Conflict => "conflict",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::Internal => "internal",
        }
    }
}

/// An RFC 9457 problem document (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: ErrorCode,
    pub request_id: String,
}
