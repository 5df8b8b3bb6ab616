//! Shared application state: the services, built once from the settings and handed to
//! every worker. This is where the services are wired to each other; nothing below the
//! HTTP edge imports it.

use std::sync::Arc;

use kyros_engine::Engine;

use crate::admin::Admin;
use crate::audit::AuditLog;
use crate::auth::jwt::Tokens;
use crate::auth::keys::KeyRing;
use crate::auth::password::{hash_password, HashError};
use crate::auth::Auth;
use crate::bff::Bff;
use crate::config::Settings;
use crate::dashboards::{ChartCache, DashboardDeps, DashboardService};
use crate::metrics::Metrics;
use crate::ratelimit::Limits;
use crate::redis_store::RedisPool;
use crate::store::Db;
use crate::tenancy::cache::{Epoch, EpochCache};
use crate::tenancy::Tenancy;

pub struct AppState {
    pub settings: Settings,
    pub db: Db,
    /// `REDIS_URL`'s pool (sessions, shared rate limits), checked by `/ready`.
    pub redis: Option<RedisPool>,
    pub metrics: Arc<Metrics>,
    pub limits: Arc<Limits>,
    /// When remembered tenancy metadata may be used (see `tenancy::cache`).
    pub epoch: Arc<Epoch>,
    pub audit: AuditLog,
    pub auth: Arc<Auth>,
    pub tenancy: Arc<Tenancy>,
    pub dashboards: Arc<DashboardService>,
    pub bff: Bff,
    pub admin: Admin,
}

pub type SharedState = actix_web::web::Data<AppState>;

/// Why the state could not be built.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("registering metrics: {0}")]
    Metrics(#[from] prometheus::Error),
    #[error(transparent)]
    Hash(#[from] HashError),
}

impl AppState {
    /// Wires the services over a prepared store and key ring. Starts no background task
    /// (see `startup` for the pollers).
    pub fn build(
        settings: Settings,
        db: Db,
        keys: KeyRing,
        redis: Option<RedisPool>,
    ) -> Result<Self, StateError> {
        let keys = Arc::new(keys);
        let tokens = Arc::new(Tokens::new(
            keys.clone(),
            settings.issuer.clone(),
            settings.user_token_ttl,
            settings.tenant_token_ttl,
        ));
        let metrics = Arc::new(Metrics::new()?);
        let limits = Arc::new(
            Limits::new(
                settings.login_rate_per_minute,
                settings.data_rate_per_minute,
                settings.trusted_proxies.clone(),
            )
            .shared_in(redis.clone()),
        );
        let epoch = Epoch::new(settings.metadata_cache_ttl);
        let audit = AuditLog::new(db.clone());
        let auth = Arc::new(Auth::new(
            db.clone(),
            tokens,
            hash_password("kyros-timing-equaliser")?,
            audit.clone(),
            metrics.clone(),
        ));
        let tenancy = Arc::new(Tenancy::new(
            db.clone(),
            auth.clone(),
            audit.clone(),
            metrics.clone(),
            EpochCache::new(&epoch),
        ));
        let dashboards = Arc::new(DashboardService::new(
            DashboardDeps {
                engine: Engine::with_resident_budget(
                    settings.data_dir.clone(),
                    settings.data_cache_bytes,
                ),
                cache: ChartCache::new(settings.cache_bytes),
                db: db.clone(),
                audit: audit.clone(),
                limits: limits.clone(),
                metrics: metrics.clone(),
            },
            &epoch,
        ));
        let bff = Bff::new(
            auth.clone(),
            tenancy.clone(),
            dashboards.clone(),
            audit.clone(),
        );
        let admin = Admin::new(db.clone(), audit.clone(), keys);
        Ok(AppState {
            settings,
            db,
            redis,
            metrics,
            limits,
            epoch,
            audit,
            auth,
            tenancy,
            dashboards,
            bff,
            admin,
        })
    }
}
