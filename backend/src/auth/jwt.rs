//! The two token kinds of SPEC section 2 and their validation.
//!
//! A user access token (audience `kyros:user`) proves who the user is; a tenant-scoped
//! token (audience `kyros:tenant`) additionally binds one tenant and role and is issued
//! only by token exchange. Distinct audiences *and* a `token_use` claim make sure one
//! kind never passes as the other. Validation requires a known `kid` and the algorithm of
//! that key (HS256, EdDSA or RS256, `KYROS_SIGNING_ALG`), and checks `exp`, `nbf`,
//! `iss`, `aud` and `sub` with a small leeway.

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
    /// The user's token generation when issued: a password change moves it, and tokens
    /// of an older generation are refused.
    #[serde(default)]
    pub gen: i64,
    /// How the user authenticated (RFC 8176 values): `pwd`, `otp` (a second factor),
    /// `ext` (an external identity provider). Tenants that require MFA need `otp` or `ext`.
    #[serde(default)]
    pub amr: Vec<String>,
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
    /// Copied from the user token it was exchanged from.
    #[serde(default)]
    pub gen: i64,
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
    pub fn new(
        keys: Arc<KeyRing>,
        issuer: String,
        user_ttl: Duration,
        tenant_ttl: Duration,
    ) -> Self {
        Tokens {
            keys,
            issuer,
            user_ttl,
            tenant_ttl,
        }
    }

    pub fn keys(&self) -> &Arc<KeyRing> {
        &self.keys
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    fn sign<C: Serialize>(&self, claims: &C) -> Result<String, TokenError> {
        let (kid, alg, key) = self.keys.signing_key().ok_or(TokenError::Signing)?;
        let header = Header {
            kid: Some(kid),
            typ: Some("JWT".into()),
            ..Header::new(alg)
        };
        encode(&header, claims, &key).map_err(|_| TokenError::Signing)
    }

    pub fn issue_user(
        &self,
        user_id: Uuid,
        email: &str,
        tenant_ids: Vec<String>,
        generation: i64,
        amr: &[String],
    ) -> Result<IssuedToken, TokenError> {
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
            gen: generation,
            amr: amr.to_vec(),
        };
        Ok(IssuedToken {
            token: self.sign(&claims)?,
            expires_in: ttl,
            jti,
        })
    }

    pub fn issue_tenant(
        &self,
        user: &UserClaims,
        tenant_id: Uuid,
        role: Role,
    ) -> Result<IssuedToken, TokenError> {
        let now = now_ts();
        // A scoped token never outlives the user token it was exchanged from.
        let exp = (now + self.tenant_ttl.as_secs() as i64)
            .min(user.exp)
            .max(now);
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
            gen: user.gen,
        };
        Ok(IssuedToken {
            token: self.sign(&claims)?,
            expires_in: (exp - now) as u64,
            jti,
        })
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
        Ok(IssuedToken {
            token: self.sign(&claims)?,
            expires_in: ttl.as_secs(),
            jti,
        })
    }

    /// The `kid` of a token, if its header parses; used to decide whether a reload of
    /// the key ring could help.
    pub fn kid_of(token: &str) -> Option<String> {
        decode_header(token).ok().and_then(|h| h.kid)
    }

    /// Validates a token of kind `C`.
    pub fn validate<C: TokenKind>(&self, token: &str) -> Result<C, TokenError> {
        self.validate_with(token, true)
    }

    /// Validates a token of kind `C` that may have expired (everything else is checked):
    /// the BFF renews the user token of a live session with it.
    pub fn validate_allowing_expiry<C: TokenKind>(&self, token: &str) -> Result<C, TokenError> {
        self.validate_with(token, false)
    }

    fn validate_with<C: TokenKind>(
        &self,
        token: &str,
        check_expiry: bool,
    ) -> Result<C, TokenError> {
        if token.len() > 8192 {
            return Err(TokenError::Malformed);
        }
        let header = decode_header(token).map_err(|_| TokenError::Malformed)?;
        if !matches!(
            header.alg,
            Algorithm::HS256 | Algorithm::EdDSA | Algorithm::RS256
        ) {
            return Err(TokenError::Algorithm);
        }
        let kid = header.kid.ok_or(TokenError::UnknownKey)?;
        let (key_alg, key) = self
            .keys
            .verification_key(&kid)
            .ok_or(TokenError::UnknownKey)?;
        // The key decides the algorithm: no switching (an RS256 key's public half as an
        // HS256 secret, say).
        if header.alg != key_alg {
            return Err(TokenError::Algorithm);
        }

        let mut validation = Validation::new(key_alg);
        validation.leeway = LEEWAY_SECONDS;
        validation.validate_exp = check_expiry;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DatabaseSettings;
    use crate::store::{migrations, Db};
    use secrecy::SecretString;

    struct Fixture {
        tokens: Tokens,
        db: Db,
        _dir: tempfile::TempDir,
    }

    fn fixture(grace: Duration) -> Fixture {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = Db::new(
            &DatabaseSettings::Sqlite(dir.path().join("t.db")),
            2,
            Duration::from_secs(5),
        );
        migrations::run_pending(&db).expect("migrate");
        let key = SecretString::from("unit-test-signing-key-0123456789abcdef");
        let ring = KeyRing::load(
            db.clone(),
            Some(&key),
            grace,
            crate::config::SigningAlg::Hs256,
            crate::auth::kek::Sealer::from_key([3; 32]),
        )
        .expect("key ring");
        let tokens = Tokens::new(
            Arc::new(ring),
            "kyros".into(),
            Duration::from_secs(3600),
            Duration::from_secs(1800),
        );
        Fixture {
            tokens,
            db,
            _dir: dir,
        }
    }

    fn user_claims(f: &Fixture) -> (String, UserClaims) {
        let issued = f
            .tokens
            .issue_user(
                Uuid::new_v4(),
                "a@b.c",
                vec![Uuid::new_v4().to_string()],
                0,
                &[],
            )
            .expect("issue");
        let claims = f
            .tokens
            .validate::<UserClaims>(&issued.token)
            .expect("valid");
        (issued.token, claims)
    }

    #[test]
    fn a_user_token_validates_as_a_user_token_only() {
        let f = fixture(Duration::from_secs(3600));
        let (token, claims) = user_claims(&f);
        assert_eq!(claims.aud, USER_AUDIENCE);
        assert_eq!(claims.exp - claims.iat, 3600);
        assert!(!claims.jti.is_empty());
        assert!(Tokens::kid_of(&token).is_some_and(|k| k.starts_with("hs256-")));
        assert!(matches!(
            f.tokens.validate::<TenantClaims>(&token),
            Err(TokenError::Invalid(_))
        ));
        assert!(f.tokens.validate::<AdminClaims>(&token).is_err());
    }

    #[test]
    fn a_scoped_token_carries_one_tenant_and_never_outlives_its_user_token() {
        let f = fixture(Duration::from_secs(3600));
        let (_, mut user) = user_claims(&f);
        let tenant = Uuid::new_v4();
        let issued = f
            .tokens
            .issue_tenant(&user, tenant, Role::Viewer)
            .expect("issue");
        let claims = f
            .tokens
            .validate::<TenantClaims>(&issued.token)
            .expect("valid");
        assert_eq!(claims.tenant_id, tenant.to_string());
        assert_eq!(claims.role, Role::Viewer);
        assert_eq!(claims.sub, user.sub);
        assert_eq!(issued.expires_in, 1800);
        assert!(f.tokens.validate::<UserClaims>(&issued.token).is_err());

        user.exp = now_ts() + 60;
        let short = f
            .tokens
            .issue_tenant(&user, tenant, Role::Admin)
            .expect("issue");
        assert!(short.expires_in <= 60);
    }

    #[test]
    fn expired_and_immature_tokens_are_refused() {
        let f = fixture(Duration::from_secs(3600));
        let (_, claims) = user_claims(&f);
        let expired = UserClaims {
            exp: now_ts() - 3600,
            ..claims.clone()
        };
        let token = f.tokens.sign(&expired).expect("sign");
        assert_eq!(
            f.tokens.validate::<UserClaims>(&token).err(),
            Some(TokenError::Expired)
        );
        let immature = UserClaims {
            nbf: now_ts() + 3600,
            ..claims
        };
        let token = f.tokens.sign(&immature).expect("sign");
        assert!(matches!(
            f.tokens.validate::<UserClaims>(&token),
            Err(TokenError::Invalid(_))
        ));
    }

    #[test]
    fn a_wrong_issuer_is_refused() {
        let f = fixture(Duration::from_secs(3600));
        let (_, claims) = user_claims(&f);
        let token = f
            .tokens
            .sign(&UserClaims {
                iss: "mallory".into(),
                ..claims
            })
            .expect("sign");
        assert!(matches!(
            f.tokens.validate::<UserClaims>(&token),
            Err(TokenError::Invalid(_))
        ));
    }

    #[test]
    fn rotation_keeps_old_tokens_valid_for_the_grace_period_unless_revoked() {
        let f = fixture(Duration::from_secs(3600));
        let (old, _) = user_claims(&f);
        let mut conn = f.db.conn().expect("conn");
        let new_kid = f.tokens.keys().rotate(&mut conn, false).expect("rotate");
        assert!(
            f.tokens.validate::<UserClaims>(&old).is_ok(),
            "old token valid during grace"
        );
        let (fresh, _) = user_claims(&f);
        assert_eq!(Tokens::kid_of(&fresh), Some(new_kid));

        f.tokens
            .keys()
            .rotate(&mut conn, true)
            .expect("rotate with revoke");
        assert_eq!(
            f.tokens.validate::<UserClaims>(&old).err(),
            Some(TokenError::UnknownKey)
        );
        assert_eq!(
            f.tokens.validate::<UserClaims>(&fresh).err(),
            Some(TokenError::UnknownKey)
        );
    }

    #[test]
    fn oversized_and_garbage_tokens_are_malformed() {
        let f = fixture(Duration::from_secs(3600));
        assert_eq!(
            f.tokens.validate::<UserClaims>(&"a".repeat(10_000)).err(),
            Some(TokenError::Malformed)
        );
        assert_eq!(
            f.tokens.validate::<UserClaims>("x.y.z").err(),
            Some(TokenError::Malformed)
        );
        assert_eq!(
            f.tokens.validate::<UserClaims>("").err(),
            Some(TokenError::Malformed)
        );
    }
}
