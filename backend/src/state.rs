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
use crate::auth::throttle::SignInThrottle;
use crate::auth::{Auth, AuthDeps};
use crate::bff::registry::Registry;
use crate::bff::{Bff, BffDeps};
use crate::config::Settings;
use crate::dashboards::{ChartCache, DashboardDeps, DashboardService};
use crate::mail::{MailError, Mailer};
use crate::metrics::Metrics;
use crate::ratelimit::Limits;
use crate::redis_store::RedisPool;
use crate::sso::{Sso, SsoDeps, SsoError};
use crate::store::Db;
use crate::tenancy::cache::{Epoch, EpochCache};
use crate::tenancy::Tenancy;
use crate::users::{Users, UsersDeps};

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
    pub users: Arc<Users>,
    pub sso: Arc<Sso>,
    pub mailer: Arc<Mailer>,
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
    #[error(transparent)]
    Mail(#[from] MailError),
    #[error(transparent)]
    Sso(#[from] SsoError),
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
            .with_invites_per_hour(settings.accounts.invites_per_hour)
            .shared_in(redis.clone()),
        );
        let epoch = Epoch::new(settings.metadata_cache_ttl);
        let audit = AuditLog::new(db.clone());
        let auth = Arc::new(Auth::new(AuthDeps {
            db: db.clone(),
            tokens,
            dummy_password_hash: hash_password("kyros-timing-equaliser")?,
            audit: audit.clone(),
            metrics: metrics.clone(),
            throttle: SignInThrottle::new(db.clone(), settings.accounts.signin_backoff_after),
            sealer: keys.sealer().clone(),
            users: EpochCache::new(&epoch),
        }));
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
        let mailer = Arc::new(Mailer::new(&settings.accounts, db.clone())?);
        let users = Arc::new(Users::new(UsersDeps {
            db: db.clone(),
            audit: audit.clone(),
            mailer: mailer.clone(),
            epoch: epoch.clone(),
            auth: auth.clone(),
            limits: limits.clone(),
            accounts: settings.accounts.clone(),
        }));
        let sso = Arc::new(Sso::new(SsoDeps {
            db: db.clone(),
            auth: auth.clone(),
            audit: audit.clone(),
            sealer: keys.sealer().clone(),
            global: settings.oidc.clone(),
            redirect_url: settings
                .oidc
                .as_ref()
                .map(|o| o.redirect_url.clone())
                .unwrap_or_else(|| format!("{}/bff/sso/callback", settings.accounts.public_url)),
        })?);
        let session_lifetime = settings.session_max;
        let bff = Bff::new(BffDeps {
            auth: auth.clone(),
            tenancy: tenancy.clone(),
            dashboards: dashboards.clone(),
            users: users.clone(),
            sso: sso.clone(),
            audit: audit.clone(),
            registry: Registry::new(db.clone(), &epoch, session_lifetime),
            session_idle: settings.session_idle,
            session_max: settings.session_max,
        });
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
            users,
            sso,
            mailer,
            bff,
            admin,
        })
    }
}
