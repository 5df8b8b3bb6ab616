//! Which identity providers exist and which one serves a sign-in: the global provider
//! from the environment (`KYROS_OIDC_*`) and one provider per tenant from the admin API
//! (client secrets sealed with the key-encryption key). An email's domain routes it: a
//! domain a tenant's provider claims belongs to that provider alone; the global provider
//! serves its own domains (`KYROS_OIDC_EMAIL_DOMAINS`), or every other domain when it
//! lists none.

use kyros_common::api::sso::{IdentityProvider, IdentityProviderRequest, JitProvisioning};
use kyros_common::api::tenants::Role;
use kyros_common::ids::TenantId;
use secrecy::SecretString;

use super::error::SsoError;
use super::provider::{email_domain, valid_domain, Provider, ProviderKey};
use super::service::Sso;
use crate::audit::{self, AuditEntryExt};
use crate::config::acceptable_provider_url;
use crate::store::identity::{self, ProviderRow};
use crate::store::{memberships, tenants};

/// Most domains one provider may claim.
const MAX_DOMAINS: usize = 50;
const MAX_ISSUER: usize = 500;
const MAX_CLIENT_ID: usize = 255;
const MAX_SECRET: usize = 1024;

fn printable(text: &str, max: usize) -> bool {
    !text.is_empty() && text.len() <= max && !text.chars().any(char::is_control)
}

impl Sso {
    fn global(&self) -> Option<Provider> {
        self.global.as_ref().map(|g| Provider {
            key: ProviderKey::Global,
            issuer: g.issuer.clone(),
            client_id: g.client_id.clone(),
            client_secret: g.client_secret.clone(),
            domains: g.email_domains.clone(),
            jit: None,
        })
    }

    fn provider_of_row(&self, row: &ProviderRow) -> Result<Provider, SsoError> {
        let tenant: TenantId = row
            .tenant_id
            .parse()
            .map_err(|_| SsoError::Invalid("bad tenant id".into()))?;
        let secret = self
            .sealer
            .open(&row.client_secret_sealed)
            .map_err(|e| SsoError::Invalid(format!("client secret of tenant {tenant}: {e}")))?;
        let secret = String::from_utf8(secret)
            .map_err(|_| SsoError::Invalid("client secret is not text".into()))?;
        Ok(Provider {
            key: ProviderKey::Tenant(tenant),
            issuer: row.issuer.clone(),
            client_id: row.client_id.clone(),
            client_secret: SecretString::from(secret),
            domains: row.domains(),
            jit: row
                .jit_enabled
                .then(|| memberships::parse_role(&row.jit_role).ok())
                .flatten(),
        })
    }

    async fn rows(&self) -> Result<Vec<ProviderRow>, SsoError> {
        Ok(self.db.run(identity::all_providers).await?)
    }

    /// The provider that serves `email`.
    pub async fn provider_for_email(&self, email: &str) -> Result<Provider, SsoError> {
        let domain = email_domain(email).ok_or(SsoError::NoProvider)?;
        let rows = self.rows().await?;
        if let Some(row) = rows.iter().find(|r| r.domains().contains(&domain)) {
            return self.provider_of_row(row);
        }
        match self.global() {
            Some(g) if g.domains.is_empty() || g.domains.contains(&domain) => Ok(g),
            _ => Err(SsoError::NoProvider),
        }
    }

    /// A provider by name: `global`, or a tenant's id or slug.
    pub async fn provider_named(&self, name: &str) -> Result<Provider, SsoError> {
        if name == "global" {
            return self.global().ok_or(SsoError::NoProvider);
        }
        if !printable(name, 100) {
            return Err(SsoError::NoProvider);
        }
        let name = name.to_owned();
        let row = self
            .db
            .run(move |conn| {
                let tenant = match name.parse::<TenantId>() {
                    Ok(id) => tenants::find_by_id(conn, id)?,
                    Err(_) => tenants::find_by_slug(conn, &name)?,
                };
                match tenant.and_then(|t| t.tenant_id()) {
                    Some(id) => identity::provider_of(conn, id),
                    None => Ok(None),
                }
            })
            .await?
            .ok_or(SsoError::NoProvider)?;
        self.provider_of_row(&row)
    }

    /// The provider a sign-in started with (it may have changed or gone since).
    pub async fn provider_by_key(&self, key: ProviderKey) -> Result<Provider, SsoError> {
        match key {
            ProviderKey::Global => self.global().ok_or(SsoError::State),
            ProviderKey::Tenant(tenant) => {
                let row = self
                    .db
                    .run(move |conn| identity::provider_of(conn, tenant))
                    .await?
                    .ok_or(SsoError::State)?;
                self.provider_of_row(&row)
            }
        }
    }

    /// The providers an ID token could come from: same issuer, and their client among
    /// the token's audiences.
    pub async fn providers_for_token(
        &self,
        issuer: &str,
        audiences: &[String],
    ) -> Result<Vec<Provider>, SsoError> {
        let mut found: Vec<Provider> = self
            .global()
            .into_iter()
            .filter(|g| g.issuer == issuer && audiences.contains(&g.client_id))
            .collect();
        for row in self.rows().await? {
            if row.issuer == issuer && audiences.contains(&row.client_id) {
                found.push(self.provider_of_row(&row)?);
            }
        }
        Ok(found)
    }

    /// Whether `provider` may vouch for an address in `domain`: a tenant's provider only
    /// for its own domains; the global one for its domains (all when it lists none), but
    /// never for a domain a tenant's provider claims.
    pub(super) async fn may_vouch_for(
        &self,
        provider: &Provider,
        domain: &str,
    ) -> Result<bool, SsoError> {
        match provider.key {
            ProviderKey::Tenant(_) => Ok(provider.domains.iter().any(|d| d == domain)),
            ProviderKey::Global => {
                if !provider.domains.is_empty() && !provider.domains.iter().any(|d| d == domain) {
                    return Ok(false);
                }
                let claimed = self
                    .rows()
                    .await?
                    .iter()
                    .any(|r| r.domains().iter().any(|d| d == domain));
                Ok(!claimed)
            }
        }
    }

    fn view(&self, tenant: TenantId, row: &ProviderRow) -> IdentityProvider {
        IdentityProvider {
            id: row.id.clone(),
            tenant_id: tenant,
            issuer: row.issuer.clone(),
            client_id: row.client_id.clone(),
            client_secret_set: !row.client_secret_sealed.is_empty(),
            email_domains: row.domains(),
            jit: JitProvisioning {
                enabled: row.jit_enabled,
                default_role: memberships::parse_role(&row.jit_role).unwrap_or(Role::Viewer),
            },
            redirect_url: self.discovery.redirect_url().to_owned(),
            updated_at: row.updated_at.and_utc().to_rfc3339(),
        }
    }

    async fn tenant_or_404(&self, raw: &str) -> Result<TenantId, SsoError> {
        let id: TenantId = raw.parse().map_err(|_| SsoError::NoSuchTenant)?;
        self.db
            .run(move |conn| tenants::find_by_id(conn, id))
            .await?
            .ok_or(SsoError::NoSuchTenant)?;
        Ok(id)
    }

    /// `GET /admin/tenants/{id}/identity-provider`.
    pub async fn tenant_provider(&self, raw_tenant: &str) -> Result<IdentityProvider, SsoError> {
        let tenant = self.tenant_or_404(raw_tenant).await?;
        let row = self
            .db
            .run(move |conn| identity::provider_of(conn, tenant))
            .await?
            .ok_or(SsoError::NotConfigured)?;
        Ok(self.view(tenant, &row))
    }

    /// `PUT /admin/tenants/{id}/identity-provider`: validated, discovered (so a wrong
    /// issuer is caught now, not at someone's sign-in), then stored with the secret sealed.
    pub async fn put_tenant_provider(
        &self,
        actor: String,
        raw_tenant: &str,
        request: IdentityProviderRequest,
    ) -> Result<(IdentityProvider, bool), SsoError> {
        let tenant = self.tenant_or_404(raw_tenant).await?;
        let issuer = request.issuer.trim().to_owned();
        if issuer.len() > MAX_ISSUER || !acceptable_provider_url(&issuer) {
            return Err(SsoError::Invalid(
                "issuer must be an https:// URL (http:// only on localhost) of at most 500 characters"
                    .into(),
            ));
        }
        if !printable(&request.client_id, MAX_CLIENT_ID) {
            return Err(SsoError::Invalid(
                "client_id must be 1 to 255 printable characters".into(),
            ));
        }
        if let Some(secret) = &request.client_secret {
            if !printable(secret, MAX_SECRET) {
                return Err(SsoError::Invalid(
                    "client_secret must be 1 to 1024 printable characters".into(),
                ));
            }
        }
        let mut domains: Vec<String> = Vec::new();
        for raw in &request.email_domains {
            let domain = raw.trim().to_ascii_lowercase();
            if !valid_domain(&domain) {
                return Err(SsoError::Invalid(format!(
                    "{raw:?} is not an email domain (such as example.com)"
                )));
            }
            if !domains.contains(&domain) {
                domains.push(domain);
            }
        }
        if domains.is_empty() || domains.len() > MAX_DOMAINS {
            return Err(SsoError::Invalid(format!(
                "email_domains must list 1 to {MAX_DOMAINS} domains"
            )));
        }
        let existing = self
            .db
            .run(move |conn| identity::provider_of(conn, tenant))
            .await?;
        let client_secret = match (&request.client_secret, &existing) {
            (Some(secret), _) => SecretString::from(secret.clone()),
            (None, Some(row)) => self.provider_of_row(row)?.client_secret,
            (None, None) => {
                return Err(SsoError::Invalid("client_secret is required".into()));
            }
        };
        for other in self.rows().await? {
            if other.tenant_id == tenant.to_string() {
                continue;
            }
            if let Some(taken) = other.domains().iter().find(|d| domains.contains(d)) {
                return Err(SsoError::Conflict(format!(
                    "{taken} already belongs to another tenant's identity provider"
                )));
            }
            if other.issuer == issuer && other.client_id == request.client_id {
                return Err(SsoError::Conflict(
                    "another tenant uses this issuer and client_id".into(),
                ));
            }
        }
        let provider = Provider {
            key: ProviderKey::Tenant(tenant),
            issuer: issuer.clone(),
            client_id: request.client_id.clone(),
            client_secret: client_secret.clone(),
            domains: domains.clone(),
            jit: None,
        };
        self.discovery
            .discover(&provider)
            .await
            .map_err(|e| match e {
                SsoError::Unreachable(cause) => SsoError::Discovery(cause),
                other => other,
            })?;
        let row = ProviderRow {
            id: existing
                .as_ref()
                .map(|r| r.id.clone())
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
            tenant_id: tenant.to_string(),
            issuer,
            client_id: request.client_id,
            client_secret_sealed: self
                .sealer
                .seal(secrecy::ExposeSecret::expose_secret(&client_secret).as_bytes()),
            email_domains: serde_json::to_string(&domains).unwrap_or_else(|_| "[]".into()),
            jit_enabled: request.jit.enabled,
            jit_role: request.jit.default_role.as_str().to_owned(),
            updated_at: crate::store::now(),
        };
        let stored = row.clone();
        self.db
            .run(move |conn| identity::put_provider(conn, &stored))
            .await?;
        let e = audit::entry(
            "identity_provider_put",
            "success",
            actor,
            tenant.to_string(),
        )
        .tenant(Some(tenant))
        .detail(serde_json::json!({
            "issuer": row.issuer,
            "client_id": row.client_id,
            "email_domains": domains,
            "jit": { "enabled": row.jit_enabled, "default_role": row.jit_role },
        }));
        self.audit.record(e).await;
        Ok((self.view(tenant, &row), existing.is_none()))
    }

    /// `DELETE /admin/tenants/{id}/identity-provider`. Links made through it stay (they
    /// name the issuer), so re-adding the provider keeps people's accounts.
    pub async fn delete_tenant_provider(
        &self,
        actor: String,
        raw_tenant: &str,
    ) -> Result<(), SsoError> {
        let tenant = self.tenant_or_404(raw_tenant).await?;
        let deleted = self
            .db
            .run(move |conn| identity::delete_provider(conn, tenant))
            .await?;
        if !deleted {
            return Err(SsoError::NotConfigured);
        }
        let e = audit::entry(
            "identity_provider_delete",
            "success",
            actor,
            tenant.to_string(),
        )
        .tenant(Some(tenant));
        self.audit.record(e).await;
        Ok(())
    }
}
