//! The `Sso` service: what it is built from.

use std::sync::Arc;

use super::discovery::Discovery;
use super::error::SsoError;
use crate::audit::AuditLog;
use crate::auth::kek::Sealer;
use crate::auth::Auth;
use crate::config::OidcSettings;
use crate::store::Db;

/// What `Sso` is built from.
pub struct SsoDeps {
    pub db: Db,
    pub auth: Arc<Auth>,
    pub audit: AuditLog,
    /// Seals the pending sign-in cookie and tenant providers' client secrets.
    pub sealer: Sealer,
    /// The global provider (`KYROS_OIDC_*`), if configured.
    pub global: Option<OidcSettings>,
    /// Where providers send the browser back (`…/bff/sso/callback`).
    pub redirect_url: String,
}

pub struct Sso {
    pub(super) db: Db,
    pub(super) auth: Arc<Auth>,
    pub(super) audit: AuditLog,
    pub(super) sealer: Sealer,
    pub(super) global: Option<OidcSettings>,
    pub(super) discovery: Discovery,
}

impl Sso {
    pub fn new(deps: SsoDeps) -> Result<Self, SsoError> {
        Ok(Sso {
            discovery: Discovery::new(&deps.redirect_url)?,
            db: deps.db,
            auth: deps.auth,
            audit: deps.audit,
            sealer: deps.sealer,
            global: deps.global,
        })
    }
}
