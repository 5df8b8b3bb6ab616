//! The two token kinds of SPEC section 2 and their validation.
//!
//! A user access token (audience `kyros:user`) proves who the user is; a tenant-scoped
//! token (audience `kyros:tenant`) additionally binds one tenant and role and is issued
//! only by token exchange. Distinct audiences *and* a `token_use` claim make sure one
//! kind never passes as the other. Validation pins HS256, requires a known `kid`, and
//! checks `exp`, `nbf`, `iss`, `aud` and `sub` with a small leeway.

use std::sync::Arc;
use std::time::Duration;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{decode, decode_header, encode, Algorithm, Header, Validation};
use kyros_common::api::tenants::Role;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::keys::KeyRing;

pub const USER_AUDIENCE: &str = "kyros:user";
pub const TENANT_AUDIENCE: &str = "kyros:tenant";
pub const ADMIN_AUDIENCE: &str = "kyros:admin";
/// Tolerated clock skew between instances and external verifiers.
pub const LEEWAY_SECONDS: u64 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenUse {
    User,
    Tenant,
    Admin,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserClaims {
    pub sub: String,
    pub email: String,
    pub tenant_ids: Vec<String>,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
    pub jti: String,
    pub token_use: TokenUse,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TenantClaims {
    pub sub: String,
    pub email: String,
    pub tenant_id: String,
    pub role: Role,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
    pub jti: String,
    pub token_use: TokenUse,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AdminClaims {
    pub sub: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
    pub jti: String,
    pub token_use: TokenUse,
}

/// Claims that know which kind of token they belong to.
pub trait TokenKind: DeserializeOwned {
    const AUDIENCE: &'static str;
    const USE: TokenUse;
    fn token_use(&self) -> TokenUse;
}

impl TokenKind for UserClaims {
    const AUDIENCE: &'static str = USER_AUDIENCE;
    const USE: TokenUse = TokenUse::User;
    fn token_use(&self) -> TokenUse {
        self.token_use
    }
}

impl TokenKind for TenantClaims {
    const AUDIENCE: &'static str = TENANT_AUDIENCE;
    const USE: TokenUse = TokenUse::Tenant;
    fn token_use(&self) -> TokenUse {
        self.token_use
    }
}

impl TokenKind for AdminClaims {
    const AUDIENCE: &'static str = ADMIN_AUDIENCE;
    const USE: TokenUse = TokenUse::Admin;
    fn token_use(&self) -> TokenUse {
        self.token_use
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("token is malformed")]
    Malformed,
    #[error("token algorithm is not accepted")]
    Algorithm,
    #[error("token key is unknown or retired")]
    UnknownKey,
    #[error("token has expired")]
    Expired,
    #[error("token is invalid: {0}")]
    Invalid(&'static str),
    #[error("no signing key available")]
    Signing,
}

/// A freshly signed token.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub token: String,
    pub expires_in: u64,
    pub jti: String,
}

/// Issues and validates tokens with the key ring.
pub struct Tokens {
    keys: Arc<KeyRing>,
    issuer: String,
    user_ttl: Duration,
    tenant_ttl: Duration,
}

/// Seconds since the epoch.
pub fn now_ts() -> i64 {
    chrono::Utc::now().timestamp()
}

impl Tokens {
    pub fn new(keys: Arc<KeyRing>, issuer: String, user_ttl: Duration, tenant_ttl: Duration) -> Self {
        Tokens { keys, issuer, user_ttl, tenant_ttl }
    }

    pub fn keys(&self) -> &Arc<KeyRing> {
        &self.keys
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    fn sign<C: Serialize>(&self, claims: &C) -> Result<String, TokenError> {
        let (kid, key) = self.keys.signing_key().ok_or(TokenError::Signing)?;
        let header = Header { kid: Some(kid), ..Header::new(Algorithm::HS256) };
        encode(&header, claims, &key).map_err(|_| TokenError::Signing)
    }

    pub fn issue_user(&self, user_id: Uuid, email: &str, tenant_ids: Vec<String>) -> Result<IssuedToken, TokenError> {
        let now = now_ts();
        let ttl = self.user_ttl.as_secs();
        let jti = Uuid::new_v4().to_string();
        let claims = UserClaims {
            sub: user_id.to_string(),
            email: email.to_owned(),
            tenant_ids,
            iat: now,
            nbf: now,
            exp: now + ttl as i64,
            iss: self.issuer.clone(),
            aud: USER_AUDIENCE.into(),
            jti: jti.clone(),
            token_use: TokenUse::User,
        };
        Ok(IssuedToken { token: self.sign(&claims)?, expires_in: ttl, jti })
    }

    pub fn issue_tenant(&self, user: &UserClaims, tenant_id: Uuid, role: Role) -> Result<IssuedToken, TokenError> {
        let now = now_ts();
        // A scoped token never outlives the user token it was exchanged from.
        let exp = (now + self.tenant_ttl.as_secs() as i64).min(user.exp).max(now);
        let jti = Uuid::new_v4().to_string();
        let claims = TenantClaims {
            sub: user.sub.clone(),
            email: user.email.clone(),
            tenant_id: tenant_id.to_string(),
            role,
            iat: now,
            nbf: now,
            exp,
            iss: self.issuer.clone(),
            aud: TENANT_AUDIENCE.into(),
            jti: jti.clone(),
            token_use: TokenUse::Tenant,
        };
        Ok(IssuedToken { token: self.sign(&claims)?, expires_in: (exp - now) as u64, jti })
    }

    pub fn issue_admin(&self, client_id: &str, ttl: Duration) -> Result<IssuedToken, TokenError> {
        let now = now_ts();
        let jti = Uuid::new_v4().to_string();
        let claims = AdminClaims {
            sub: client_id.to_owned(),
            iat: now,
            nbf: now,
            exp: now + ttl.as_secs() as i64,
            iss: self.issuer.clone(),
            aud: ADMIN_AUDIENCE.into(),
            jti: jti.clone(),
            token_use: TokenUse::Admin,
        };
        Ok(IssuedToken { token: self.sign(&claims)?, expires_in: ttl.as_secs(), jti })
    }

    /// The `kid` of a token, if its header parses; used to decide whether a reload of
    /// the key ring could help.
    pub fn kid_of(token: &str) -> Option<String> {
        decode_header(token).ok().and_then(|h| h.kid)
    }

    /// Validates a token of kind `C`.
    pub fn validate<C: TokenKind>(&self, token: &str) -> Result<C, TokenError> {
        if token.len() > 8192 {
            return Err(TokenError::Malformed);
        }
        let header = decode_header(token).map_err(|_| TokenError::Malformed)?;
        if header.alg != Algorithm::HS256 {
            return Err(TokenError::Algorithm);
        }
        let kid = header.kid.ok_or(TokenError::UnknownKey)?;
        let key = self.keys.verification_key(&kid).ok_or(TokenError::UnknownKey)?;

        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = LEEWAY_SECONDS;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_audience(&[C::AUDIENCE]);
        validation.set_issuer(&[self.issuer.as_str()]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);

        let data = decode::<C>(token, &key, &validation).map_err(|e| match e.kind() {
            ErrorKind::ExpiredSignature => TokenError::Expired,
            ErrorKind::ImmatureSignature => TokenError::Invalid("not yet valid"),
            ErrorKind::InvalidAudience => TokenError::Invalid("wrong audience"),
            ErrorKind::InvalidIssuer => TokenError::Invalid("wrong issuer"),
            ErrorKind::InvalidSignature => TokenError::Invalid("bad signature"),
            ErrorKind::InvalidAlgorithm => TokenError::Algorithm,
            ErrorKind::MissingRequiredClaim(_) => TokenError::Invalid("missing claim"),
            _ => TokenError::Invalid("malformed claims"),
        })?;
        if data.claims.token_use() != C::USE {
            return Err(TokenError::Invalid("wrong token kind"));
        }
        Ok(data.claims)
    }
}
