//! Shared application state, built once by `startup` and handed to every worker.

use std::sync::Arc;

use crate::auth::jwt::Tokens;
use crate::config::Settings;
use crate::dashboards::DashboardService;
use crate::metrics::Metrics;
use crate::ratelimit::Limits;
use crate::store::Db;
use crate::tenancy::cache::{Epoch, EpochCache};
use kyros_common::api::tenants::Role;
use kyros_common::ids::{TenantId, UserId};

pub struct AppState {
    pub settings: Settings,
    pub db: Db,
    pub tokens: Tokens,
    /// An argon2id hash verified when the email is unknown, so both failures cost the same.
    pub dummy_password_hash: String,
    pub dashboards: DashboardService,
    pub metrics: Metrics,
    pub limits: Limits,
    /// `REDIS_URL`'s pool (sessions, shared rate limits), checked by `/ready`.
    pub redis: Option<crate::redis_store::RedisPool>,
    /// When remembered tenancy metadata may be used (see `tenancy::cache`).
    pub epoch: Arc<Epoch>,
    /// Active memberships: (user, tenant) → role, `None` when not (or no longer) active.
    pub memberships: EpochCache<(UserId, TenantId), Option<Role>>,
}

pub type SharedState = actix_web::web::Data<AppState>;

impl AppState {
    pub fn keys(&self) -> &Arc<crate::auth::keys::KeyRing> {
        self.tokens.keys()
    }
}
