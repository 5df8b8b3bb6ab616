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
    pub tenant_id: String,
    pub role: String,
}
