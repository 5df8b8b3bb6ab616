//! An identity provider as a sign-in uses it, and the email domains that route to one.

use kyros_common::api::tenants::Role;
use kyros_common::ids::TenantId;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

/// Which provider: the global one, or a tenant's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKey {
    Global,
    Tenant(TenantId),
}

/// A provider ready to sign someone in.
#[derive(Debug, Clone)]
pub struct Provider {
    pub key: ProviderKey,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: SecretString,
    /// Lower-case email domains it serves (empty on the global provider = all others).
    pub domains: Vec<String>,
    /// Just-in-time provisioning into the provider's tenant, with this role.
    pub jit: Option<Role>,
}

impl Provider {
    pub fn tenant(&self) -> Option<TenantId> {
        match self.key {
            ProviderKey::Global => None,
            ProviderKey::Tenant(t) => Some(t),
        }
    }
}

/// The domain of an email address, lower case (`None` when it has none).
pub fn email_domain(email: &str) -> Option<String> {
    let (_, domain) = email.rsplit_once('@')?;
    let domain = domain.trim().to_ascii_lowercase();
    valid_domain(&domain).then_some(domain)
}

/// A DNS name with at least two labels of letters, digits and inner hyphens.
pub fn valid_domain(domain: &str) -> bool {
    domain.len() <= 253
        && domain.split('.').count() >= 2
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_domains_are_lower_case_dns_names() {
        assert_eq!(email_domain("A@Acme.COM").as_deref(), Some("acme.com"));
        assert_eq!(
            email_domain("a@b@sub.acme.com").as_deref(),
            Some("sub.acme.com")
        );
        for bad in [
            "no-at",
            "a@localhost",
            "a@-x.com",
            "a@x-.com",
            "a@x..com",
            "a@",
            "a@ex ample.com",
            "a@exämple.com",
        ] {
            assert_eq!(email_domain(bad), None, "{bad}");
        }
        assert!(valid_domain("xn--bcher-kva.example"));
        assert!(!valid_domain(&format!("{}.com", "a".repeat(64))));
    }
}
