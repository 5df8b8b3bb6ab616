//! OpenID Connect clients per provider: the discovery document and the provider's signing
//! keys (JWKS) are fetched with `openidconnect` and kept for an hour; an ID token signed
//! by a key the cached set lacks triggers one re-discovery (key rotation), at most once a
//! minute per provider, so forged tokens cannot make Kyros hammer a provider.

use std::sync::Arc;
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata,
    CoreRevocableToken, CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, Client, ClientId, ClientSecret, EmptyExtraTokenFields, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IdToken, IdTokenFields, IssuerUrl, RedirectUrl,
    StandardErrorResponse, StandardTokenResponse,
};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::error::SsoError;
use super::provider::Provider;

/// ID-token claims beyond the standard ones that Kyros reads: Entra ID's `xms_edov`
/// ("email domain owner verified"), which Microsoft issues instead of `email_verified`
/// and recommends over trusting `email` alone.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct ExtraClaims {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    xms_edov: Option<serde_json::Value>,
}

impl AdditionalClaims for ExtraClaims {}

impl ExtraClaims {
    /// Whether Entra ID says the email's domain owner verified it (`true`, `"true"`, `1`).
    pub fn domain_owner_verified(&self) -> bool {
        match &self.xms_edov {
            Some(serde_json::Value::Bool(b)) => *b,
            Some(serde_json::Value::String(s)) => s == "true" || s == "1",
            Some(serde_json::Value::Number(n)) => n.as_u64() == Some(1),
            _ => false,
        }
    }
}

type IdFields = IdTokenFields<
    ExtraClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

/// An ID token with the claims Kyros reads.
pub(super) type OidcIdToken = IdToken<
    ExtraClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

/// A client built from a provider's discovery document (authorization endpoint set; token
/// and userinfo endpoints as discovered).
pub(super) type OidcClient = Client<
    ExtraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    StandardTokenResponse<IdFields, CoreTokenType>,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// How long a discovery document and its keys are used before they are fetched again.
const METADATA_TTL: Duration = Duration::from_secs(3600);
/// The least time between two fetches for the same provider (unknown-key refreshes).
const MIN_REFRESH: Duration = Duration::from_secs(60);
/// A provider that does not answer within this is reported unreachable.
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);

pub(super) struct Discovered {
    pub client: OidcClient,
    fetched: Instant,
}

/// The discovered clients, by provider configuration (issuer, client, secret, redirect).
pub(super) struct Discovery {
    http: openidconnect::reqwest::Client,
    clients: moka::future::Cache<[u8; 32], Arc<Discovered>>,
    redirect_url: RedirectUrl,
}

impl Discovery {
    pub fn new(redirect_url: &str) -> Result<Self, SsoError> {
        let http = openidconnect::reqwest::Client::builder()
            // Following redirects would let a provider point Kyros anywhere.
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(HTTP_TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| SsoError::Invalid(format!("HTTP client: {e}")))?;
        let redirect_url = RedirectUrl::new(redirect_url.to_owned())
            .map_err(|e| SsoError::Invalid(format!("redirect URL: {e}")))?;
        Ok(Discovery {
            http,
            clients: moka::future::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(METADATA_TTL)
                .build(),
            redirect_url,
        })
    }

    pub fn http(&self) -> &openidconnect::reqwest::Client {
        &self.http
    }

    pub fn redirect_url(&self) -> &str {
        self.redirect_url.as_str()
    }

    fn key(provider: &Provider) -> [u8; 32] {
        let mut hasher = Sha256::new();
        for part in [
            provider.issuer.as_str(),
            provider.client_id.as_str(),
            provider.client_secret.expose_secret(),
        ] {
            hasher.update((part.len() as u64).to_be_bytes());
            hasher.update(part.as_bytes());
        }
        hasher.finalize().into()
    }

    /// The provider's client, discovered now if not cached.
    pub async fn client(&self, provider: &Provider) -> Result<Arc<Discovered>, SsoError> {
        let key = Self::key(provider);
        self.clients
            .try_get_with(key, async { self.discover(provider).await.map(Arc::new) })
            .await
            .map_err(|e| SsoError::Unreachable(e.to_string()))
    }

    /// Fetches the provider's document and keys again (an ID token named a key the cached
    /// set lacks), unless they were fetched less than a minute ago. Returns whether the
    /// keys were fetched.
    pub async fn refresh(&self, provider: &Provider) -> Result<Option<Arc<Discovered>>, SsoError> {
        let key = Self::key(provider);
        if let Some(cached) = self.clients.get(&key).await {
            if cached.fetched.elapsed() < MIN_REFRESH {
                return Ok(None);
            }
        }
        let fresh = Arc::new(self.discover(provider).await?);
        self.clients.insert(key, fresh.clone()).await;
        Ok(Some(fresh))
    }

    /// Discovery without caching (checking a provider an operator configures).
    pub async fn discover(&self, provider: &Provider) -> Result<Discovered, SsoError> {
        let issuer = IssuerUrl::new(provider.issuer.clone())
            .map_err(|e| SsoError::Discovery(format!("issuer: {e}")))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| SsoError::Unreachable(error_chain(&e)))?;
        let client = OidcClient::from_provider_metadata(
            metadata,
            ClientId::new(provider.client_id.clone()),
            Some(ClientSecret::new(
                provider.client_secret.expose_secret().to_owned(),
            )),
        )
        .set_redirect_uri(self.redirect_url.clone());
        Ok(Discovered {
            client,
            fetched: Instant::now(),
        })
    }
}

/// An error and its causes on one line (for the log and the operator).
pub(super) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::ExtraClaims;

    #[test]
    fn only_a_true_xms_edov_counts_as_verified() {
        let parse = |json: &str| serde_json::from_str::<ExtraClaims>(json).expect("claims");
        for yes in [
            r#"{"xms_edov": true}"#,
            r#"{"xms_edov": "true"}"#,
            r#"{"xms_edov": 1}"#,
        ] {
            assert!(parse(yes).domain_owner_verified(), "{yes}");
        }
        for no in [
            "{}",
            r#"{"xms_edov": false}"#,
            r#"{"xms_edov": "0"}"#,
            r#"{"xms_edov": null}"#,
            r#"{"xms_edov": [true]}"#,
        ] {
            assert!(!parse(no).domain_owner_verified(), "{no}");
        }
    }
}
