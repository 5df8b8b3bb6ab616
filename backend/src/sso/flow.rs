//! The authorization code flow with PKCE through the BFF, and ID tokens of integrations.
//!
//! `start` sends the browser to the provider with a fresh `state`, `nonce` and PKCE S256
//! challenge. Those, the provider and the page to return to travel in a cookie sealed with
//! the key-encryption key (AES-256-GCM): the session cookie is SameSite=Strict and is not
//! sent when the provider redirects back, so the pending sign-in cannot live there; sealed,
//! it works on any instance. `finish` checks the callback against it (constant-time state
//! comparison), redeems the code with the PKCE verifier, and verifies the ID token with
//! `openidconnect` (signature by the provider's published keys with an asymmetric
//! algorithm, `iss`, `aud`, `azp`, `exp`, `nonce`).

use openidconnect::core::{CoreAuthenticationFlow, CoreJwsSigningAlgorithm, CoreUserInfoClaims};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, CsrfToken, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, RequestTokenError, Scope, SignatureVerificationError,
    TokenResponse,
};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use super::accounts::Identity;
use super::discovery::{error_chain, Discovered, OidcIdToken};
use super::error::SsoError;
use super::provider::{Provider, ProviderKey};
use super::service::Sso;
use crate::audit::{self, AuditEntryExt};
use crate::auth::{AuthError, SignedIn};

/// The cookie that carries a pending sign-in from `start` to `callback`.
pub const FLOW_COOKIE: &str = "__Host-kyros_sso";
/// How long a started sign-in may take at the provider.
pub const FLOW_TTL_SECS: i64 = 600;

/// Signature algorithms accepted on ID tokens: asymmetric only (never `none`, never an
/// HMAC keyed with something public).
const ALLOWED_ALGS: [CoreJwsSigningAlgorithm; 9] = [
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha384,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha512,
    CoreJwsSigningAlgorithm::RsaSsaPssSha256,
    CoreJwsSigningAlgorithm::RsaSsaPssSha384,
    CoreJwsSigningAlgorithm::RsaSsaPssSha512,
    CoreJwsSigningAlgorithm::EcdsaP256Sha256,
    CoreJwsSigningAlgorithm::EcdsaP384Sha384,
    CoreJwsSigningAlgorithm::EdDsa,
];

/// Longest ID token or code looked at.
const MAX_TOKEN: usize = 16 * 1024;
const MAX_CODE: usize = 2048;

/// How a browser names its provider.
#[derive(Debug, Clone)]
pub enum StartHint {
    Email(String),
    Provider(String),
}

/// Where to send the browser, and the sealed pending sign-in to set as [`FLOW_COOKIE`].
#[derive(Debug, Clone)]
pub struct SsoStart {
    pub location: String,
    pub cookie: String,
}

/// The provider's answer on `/bff/sso/callback`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    /// RFC 9207: the issuer of the answer (checked when the provider sends it).
    pub iss: Option<String>,
}

/// A started sign-in (sealed into the flow cookie).
#[derive(Debug, Serialize, Deserialize)]
struct Pending {
    provider: ProviderKey,
    issuer: String,
    client_id: String,
    state: String,
    nonce: String,
    pkce_verifier: String,
    next: String,
    expires: i64,
}

impl Sso {
    /// Starts a sign-in at the provider that serves the hint.
    pub async fn start(&self, hint: StartHint, next: &str) -> Result<SsoStart, SsoError> {
        let (provider, login_hint) = match hint {
            StartHint::Email(email) => {
                let provider = self.provider_for_email(&email).await?;
                (provider, Some(email))
            }
            StartHint::Provider(name) => (self.provider_named(&name).await?, None),
        };
        let discovered = self.discovery.client(&provider).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = discovered
            .client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge);
        if let Some(hint) = &login_hint {
            request = request.add_extra_param("login_hint", hint.clone());
        }
        let (url, state, nonce) = request.url();
        let pending = Pending {
            provider: provider.key,
            issuer: provider.issuer.clone(),
            client_id: provider.client_id.clone(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            next: next.to_owned(),
            expires: chrono::Utc::now().timestamp() + FLOW_TTL_SECS,
        };
        let json = serde_json::to_vec(&pending).map_err(|e| SsoError::Invalid(e.to_string()))?;
        Ok(SsoStart {
            location: url.to_string(),
            cookie: self.sealer.seal(&json),
        })
    }

    /// Finishes a sign-in on the callback: the signed-in user and the page to go to.
    pub async fn finish(
        &self,
        cookie: Option<&str>,
        callback: Callback,
    ) -> Result<(SignedIn, String), SsoError> {
        let pending = cookie
            .filter(|c| c.len() <= 8 * 1024)
            .and_then(|c| self.sealer.open(c).ok())
            .and_then(|plain| serde_json::from_slice::<Pending>(&plain).ok())
            .ok_or(SsoError::State)?;
        let state = callback.state.unwrap_or_default();
        let state_matches: bool = state.as_bytes().ct_eq(pending.state.as_bytes()).into();
        if pending.expires < chrono::Utc::now().timestamp() || !state_matches {
            return Err(self.failed(&pending.issuer, SsoError::State).await);
        }
        if let Some(error) = callback.error {
            let error: String = error
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .take(64)
                .collect();
            return Err(self.failed(&pending.issuer, SsoError::Denied(error)).await);
        }
        if callback
            .iss
            .as_ref()
            .is_some_and(|iss| *iss != pending.issuer)
        {
            let e = SsoError::Rejected("the answer names another issuer".into());
            return Err(self.failed(&pending.issuer, e).await);
        }
        let code = callback
            .code
            .filter(|c| !c.is_empty() && c.len() <= MAX_CODE)
            .ok_or(SsoError::Rejected("no code".into()))?;
        let provider = self.provider_by_key(pending.provider).await?;
        if provider.issuer != pending.issuer || provider.client_id != pending.client_id {
            return Err(SsoError::State);
        }
        match self.redeem(&provider, code, &pending).await {
            Ok(signed_in) => Ok((signed_in, pending.next)),
            Err(e) => Err(self.failed(&provider.issuer, e).await),
        }
    }

    async fn redeem(
        &self,
        provider: &Provider,
        code: String,
        pending: &Pending,
    ) -> Result<SignedIn, SsoError> {
        let discovered = self.discovery.client(provider).await?;
        let response = discovered
            .client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| SsoError::Unreachable(format!("no token endpoint: {e}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
            .request_async(self.discovery.http())
            .await
            .map_err(|e| match e {
                RequestTokenError::ServerResponse(answer) => {
                    SsoError::Rejected(format!("the code was refused: {answer}"))
                }
                RequestTokenError::Request(cause) => SsoError::Unreachable(error_chain(&cause)),
                other => SsoError::Rejected(error_chain(&other)),
            })?;
        let id_token = response
            .id_token()
            .ok_or_else(|| SsoError::Rejected("no ID token in the token response".into()))?;
        let nonce = Nonce::new(pending.nonce.clone());
        let mut who = self
            .verify(provider, discovered, id_token, Some(&nonce))
            .await?;
        if who.email.is_none() {
            self.user_info(provider, response.access_token().clone(), &mut who)
                .await?;
        }
        self.sign_in(provider, &who).await
    }

    /// Verifies an ID token of `provider`; a key the cached set lacks makes one refresh.
    async fn verify(
        &self,
        provider: &Provider,
        discovered: std::sync::Arc<Discovered>,
        id_token: &OidcIdToken,
        nonce: Option<&Nonce>,
    ) -> Result<Identity, SsoError> {
        match check(&discovered, id_token, nonce) {
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) => match self.discovery.refresh(provider).await? {
                Some(fresh) => check(&fresh, id_token, nonce).map_err(rejected),
                None => Err(SsoError::Rejected("signed by an unknown key".into())),
            },
            other => other.map_err(rejected),
        }
    }

    /// Email claims from the userinfo endpoint, when the ID token has none.
    async fn user_info(
        &self,
        provider: &Provider,
        access_token: openidconnect::AccessToken,
        who: &mut Identity,
    ) -> Result<(), SsoError> {
        let discovered = self.discovery.client(provider).await?;
        let Ok(request) = discovered.client.user_info(
            access_token,
            Some(openidconnect::SubjectIdentifier::new(who.subject.clone())),
        ) else {
            return Ok(());
        };
        let claims: CoreUserInfoClaims = request
            .request_async(self.discovery.http())
            .await
            .map_err(|e| SsoError::Rejected(format!("userinfo: {}", error_chain(&e))))?;
        who.email = claims.email().map(|e| e.as_str().to_owned());
        who.email_verified = claims.email_verified() == Some(true);
        if who.name.is_none() {
            who.name = claims
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_owned());
        }
        Ok(())
    }

    /// The Kyros account of a verified identity, signed in (`amr: ["ext"]`).
    async fn sign_in(&self, provider: &Provider, who: &Identity) -> Result<SignedIn, SsoError> {
        let user = self.account_for(provider, who).await?;
        self.auth.sign_in_external(user).await.map_err(|e| match e {
            AuthError::InvalidCredentials => SsoError::NotProvisioned,
            other => SsoError::Auth(other),
        })
    }

    /// `POST /api/token/exchange` with an ID token of a configured provider as the
    /// subject token: the provider is the one whose issuer and client the token names.
    pub async fn exchange_id_token(&self, raw: &str) -> Result<SignedIn, SsoError> {
        if raw.len() > MAX_TOKEN {
            return Err(SsoError::Rejected("the ID token is too long".into()));
        }
        let (issuer, audiences) =
            unverified_routing(raw).ok_or_else(|| SsoError::Rejected("not an ID token".into()))?;
        let id_token: OidcIdToken = raw
            .parse()
            .map_err(|e| SsoError::Rejected(format!("not an ID token: {e}")))?;
        let providers = self.providers_for_token(&issuer, &audiences).await?;
        let [provider] = providers.as_slice() else {
            return Err(self
                .failed(
                    &issuer,
                    SsoError::Rejected(
                        "no configured provider has this issuer and audience".into(),
                    ),
                )
                .await);
        };
        let result = async {
            let discovered = self.discovery.client(provider).await?;
            let who = self.verify(provider, discovered, &id_token, None).await?;
            self.sign_in(provider, &who).await
        }
        .await;
        match result {
            Ok(signed_in) => Ok(signed_in),
            Err(e) => Err(self.failed(&provider.issuer, e).await),
        }
    }

    /// Logs and audits a failed sign-in (the reason stays server-side).
    async fn failed(&self, issuer: &str, error: SsoError) -> SsoError {
        let (outcome, reason) = match &error {
            SsoError::State => (
                "sso_state",
                "state missing, expired or different".to_owned(),
            ),
            SsoError::Denied(why) => ("sso_denied", why.clone()),
            SsoError::Rejected(why) => ("sso_rejected", why.clone()),
            SsoError::EmailNotVerified => ("sso_email_unverified", String::new()),
            SsoError::NotProvisioned => ("sso_not_provisioned", String::new()),
            SsoError::Unreachable(why) => ("sso_unreachable", why.clone()),
            other => ("sso_failure", other.to_string()),
        };
        tracing::warn!(issuer, outcome, reason, "single sign-on failed");
        let e = audit::entry("login", outcome, issuer.to_owned(), issuer.to_owned())
            .detail(serde_json::json!({ "reason": reason }));
        self.audit.record(e).await;
        error
    }
}

fn rejected(e: ClaimsVerificationError) -> SsoError {
    SsoError::Rejected(format!("ID token: {}", error_chain(&e)))
}

/// Verifies the ID token's signature and claims with the discovered client's verifier.
fn check(
    discovered: &Discovered,
    id_token: &OidcIdToken,
    nonce: Option<&Nonce>,
) -> Result<Identity, ClaimsVerificationError> {
    let verifier = discovered
        .client
        .id_token_verifier()
        .set_allowed_algs(ALLOWED_ALGS);
    let nonce_check = |found: Option<&Nonce>| -> Result<(), String> {
        match (nonce, found) {
            (None, _) => Ok(()),
            (Some(expected), Some(found)) => {
                let same: bool = expected
                    .secret()
                    .as_bytes()
                    .ct_eq(found.secret().as_bytes())
                    .into();
                if same {
                    Ok(())
                } else {
                    Err("nonce does not match".into())
                }
            }
            (Some(_), None) => Err("nonce missing".into()),
        }
    };
    let claims = id_token.claims(&verifier, nonce_check)?;
    // `openidconnect` leaves `azp` to the client (OIDC Core 3.1.3.7 steps 4–5): when
    // present it must be this client. (Other audiences are refused by the verifier.)
    if let Some(party) = claims.authorized_party() {
        if party != discovered.client.client_id() {
            return Err(ClaimsVerificationError::InvalidAudience(format!(
                "authorized party {} is not this client",
                party.as_str()
            )));
        }
    }
    Ok(Identity {
        issuer: claims.issuer().as_str().to_owned(),
        subject: claims.subject().as_str().to_owned(),
        email: claims.email().map(|e| e.as_str().to_owned()),
        email_verified: claims.email_verified() == Some(true)
            || claims.additional_claims().domain_owner_verified(),
        name: claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned()),
    })
}

/// The `iss` and `aud` of a JWT, unverified: only to pick the provider that verifies it.
fn unverified_routing(raw: &str) -> Option<(String, Vec<String>)> {
    use base64::Engine;
    let payload = raw.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let issuer = value.get("iss")?.as_str()?.to_owned();
    let audiences = match value.get("aud")? {
        serde_json::Value::String(one) => vec![one.clone()],
        serde_json::Value::Array(many) => many
            .iter()
            .filter_map(|a| a.as_str().map(str::to_owned))
            .collect(),
        _ => return None,
    };
    Some((issuer, audiences))
}
