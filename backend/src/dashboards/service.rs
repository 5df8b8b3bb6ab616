//! The `DashboardService`: the one place handlers (REST and BFF alike) call for a
//! tenant's dashboards — listing, charts, rows, the BFF's detail view and preferences,
//! CSV export and prefetching.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use actix_web::web;
use bytes::Bytes;
use kyros_common::api::dashboards::{
    ChartPayload, DashboardCharts, DashboardDetail, DashboardSummary, FilterState, RowsPage,
};
use kyros_common::ids::TenantId;
use kyros_engine::{DashboardSpec, Engine, Filters};
use moka::sync::Cache;

use super::cache::{ChartCache, ChartCacheKey};
use super::error::DashboardError;
use super::loaded::{digest, LoadedDashboard};
use super::query::{parse_query, parse_rows_params};
use crate::audit::{self, AuditEntryExt, AuditLog};
use crate::metrics::Metrics;
use crate::ratelimit::Limits;
use crate::store::{dashboards, preferences, tenants, Db};
use crate::tenancy::cache::{Epoch, EpochCache};
use crate::tenancy::scope::{Scope, TenantScope};

/// What a `DashboardService` is built from.
pub struct DashboardDeps {
    pub engine: Engine,
    pub cache: ChartCache,
    pub db: Db,
    pub audit: AuditLog,
    pub limits: Arc<Limits>,
    pub metrics: Arc<Metrics>,
}

pub struct DashboardService {
    pub(super) engine: Engine,
    cache: ChartCache,
    db: Db,
    pub(super) audit: AuditLog,
    pub(super) limits: Arc<Limits>,
    metrics: Arc<Metrics>,
    specs: Cache<String, Arc<DashboardSpec>>,
    /// Dashboard computations in flight, keyed like the chart cache (chart `*`): when
    /// many requests miss the cache for the same tenant, dashboard, filters and data
    /// version at once, one computes and the others wait for its result instead of
    /// each scanning the data again. Entries live only seconds; the chart cache holds
    /// the results.
    inflight: moka::future::Cache<ChartCacheKey, Arc<Vec<ChartPayload>>>,
    computations: Arc<AtomicU64>,
    /// (tenant, slug) → the dashboard as that tenant sees it (`None`: not assigned),
    /// remembered while tenancy metadata is unchanged (`tenancy::cache`).
    assignments: EpochCache<(TenantId, String), Option<Arc<LoadedDashboard>>>,
}

/// The chart id under which a whole `/charts` response is cached (chart ids are slugs,
/// so it cannot collide with one).
const RESPONSE: &str = "#response";

impl DashboardService {
    pub fn new(deps: DashboardDeps, epoch: &Arc<Epoch>) -> Self {
        DashboardService {
            assignments: EpochCache::new(epoch),
            engine: deps.engine,
            cache: deps.cache,
            db: deps.db,
            audit: deps.audit,
            limits: deps.limits,
            metrics: deps.metrics,
            specs: Cache::new(1_000),
            inflight: moka::future::Cache::builder()
                .max_capacity(1_000)
                .time_to_live(std::time::Duration::from_secs(5))
                .build(),
            computations: Arc::new(AtomicU64::new(0)),
        }
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn cache(&self) -> &ChartCache {
        &self.cache
    }

    /// How many whole dashboards were computed from tenant data since start.
    pub fn computations(&self) -> u64 {
        self.computations.load(Ordering::Relaxed)
    }

    /// The dashboards assigned to the scope's tenant.
    pub async fn list(&self, scope: &TenantScope) -> Result<Vec<DashboardSummary>, DashboardError> {
        let tenant_id = scope.tenant_id();
        let rows = self
            .db
            .run_scoped(Scope::from(scope), move |conn| {
                dashboards::for_tenant(conn, tenant_id)
            })
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|d| {
                Some(DashboardSummary {
                    id: d.id.parse().ok()?,
                    slug: d.slug,
                    title: d.title,
                    description: d.description,
                })
            })
            .collect())
    }

    /// Every visible chart's option for the filters in `query`: the JSON body of a
    /// `DashboardCharts`, cached whole, so a repeated request costs a lookup.
    pub async fn charts(
        &self,
        scope: &TenantScope,
        slug: &str,
        query: &str,
    ) -> Result<Bytes, DashboardError> {
        self.limits
            .check_tenant(&scope.tenant_id().to_string())
            .await?;
        let dashboard = self.load(scope, slug).await?;
        let (filters, _) = parse_query(&dashboard, query, &[])?;
        let (body, cached) = self.charts_response(scope, &dashboard, &filters).await?;
        let result = if cached { "hit" } else { "miss" };
        self.metrics
            .cache_requests
            .with_label_values(&[result])
            .inc();
        Ok(body)
    }

    /// One page of filtered rows of the dashboard's primary dataset (`limit`, `cursor`).
    pub async fn rows(
        &self,
        scope: &TenantScope,
        slug: &str,
        query: &str,
    ) -> Result<RowsPage, DashboardError> {
        self.limits
            .check_tenant(&scope.tenant_id().to_string())
            .await?;
        let dashboard = self.load(scope, slug).await?;
        let (filters, own) = parse_query(&dashboard, query, &["limit", "cursor"])?;
        let (limit, cursor) = parse_rows_params(own)?;
        let engine = self.engine.clone();
        let spec = dashboard.spec.clone();
        let tenant = scope.tenant_id().as_uuid();
        web::block(move || engine.rows(tenant, &spec, &filters, limit, cursor.as_deref()))
            .await
            .map_err(DashboardError::internal)?
            .map_err(DashboardError::from)
    }

    /// The BFF's view of a dashboard: its public spec without hidden charts, the
    /// tenant's branding and the user's saved filters (re-validated: the spec may have
    /// changed since they were saved). Audited as a view.
    pub async fn detail(
        &self,
        scope: &TenantScope,
        slug: &str,
    ) -> Result<DashboardDetail, DashboardError> {
        let dashboard = self.load(scope, slug).await?;
        let e = audit::entry(
            "dashboard_view",
            "success",
            scope.email(),
            dashboard.slug.clone(),
        )
        .tenant(Some(scope.tenant_id()))
        .user(Some(scope.user_id()));
        self.audit.record(e).await;
        let (user, tenant, dashboard_id) =
            (scope.user_id(), scope.tenant_id(), dashboard.id.clone());
        let saved = self
            .db
            .run_scoped(Scope::from(scope), move |conn| {
                preferences::find(conn, user, tenant, &dashboard_id)
            })
            .await?;
        let saved_filters = saved
            .and_then(|json| serde_json::from_str::<FilterState>(&json).ok())
            .and_then(|state| Filters::from_state(&dashboard.spec, &state).ok())
            .map(|filters| filters.to_state())
            .unwrap_or_default();
        Ok(DashboardDetail {
            dashboard: dashboard.view(),
            branding: dashboard.branding.clone(),
            saved_filters,
        })
    }

    /// Saves the user's filters for the dashboard in the scope's tenant (validated).
    pub async fn save_preferences(
        &self,
        scope: &TenantScope,
        slug: &str,
        state: &FilterState,
    ) -> Result<(), DashboardError> {
        let dashboard = self.load(scope, slug).await?;
        let filters = Filters::from_state(&dashboard.spec, state)
            .map_err(|e| DashboardError::InvalidFilter(e.to_string()))?;
        let json = serde_json::to_string(&filters.to_state()).map_err(DashboardError::internal)?;
        let (user, tenant, dashboard_id) =
            (scope.user_id(), scope.tenant_id(), dashboard.id.clone());
        let e = audit::entry(
            "preference_save",
            "success",
            scope.email(),
            dashboard.slug.clone(),
        )
        .tenant(Some(tenant))
        .user(Some(user))
        .detail(serde_json::json!({ "filters": filters.to_state() }));
        self.db
            .run_scoped(Scope::from(scope), move |conn| {
                preferences::save(conn, user, tenant, &dashboard_id, &json)?;
                crate::store::audit::append(conn, &e)
            })
            .await?;
        Ok(())
    }

    /// Starts decoding the tenant's data in the background (a no-op when it is already
    /// resident): the user is about to open a dashboard.
    pub fn prefetch(&self, tenant: TenantId) {
        let engine = self.engine.clone();
        actix_web::rt::task::spawn_blocking(move || {
            if let Err(e) = engine.prefetch(tenant.as_uuid()) {
                tracing::warn!(error = %e, "prefetching tenant data failed");
            }
        });
    }

    /// The dashboard `slug` if it is assigned to the scope's tenant. A dashboard that
    /// exists but is not assigned is indistinguishable from one that does not exist.
    pub(super) async fn load(
        &self,
        scope: &TenantScope,
        slug: &str,
    ) -> Result<Arc<LoadedDashboard>, DashboardError> {
        if slug.is_empty() || slug.len() > 100 || slug.chars().any(char::is_control) {
            return Err(DashboardError::NotFound);
        }
        self.assignments
            .get_or_load((scope.tenant_id(), slug.to_owned()), || {
                self.load_uncached(scope, slug)
            })
            .await?
            .ok_or(DashboardError::NotFound)
    }

    async fn load_uncached(
        &self,
        scope: &TenantScope,
        slug: &str,
    ) -> Result<Option<Arc<LoadedDashboard>>, DashboardError> {
        let tenant_id = scope.tenant_id();
        let slug_owned = slug.to_owned();
        let (row, tenant) = self
            .db
            .run_scoped(Scope::from(scope), move |conn| {
                let row = dashboards::find_for_tenant(conn, tenant_id, &slug_owned)?;
                let tenant = tenants::find_by_id(conn, tenant_id)?;
                Ok((row, tenant))
            })
            .await?;
        let (Some(row), Some(tenant)) = (row, tenant) else {
            return Ok(None);
        };
        let spec_key = digest(&[&row.slug, &row.spec_json]);
        let spec = match self.specs.get(&spec_key) {
            Some(spec) => spec,
            None => {
                let spec = Arc::new(
                    DashboardSpec::from_json(&row.slug, &row.spec_json)
                        .map_err(DashboardError::internal)?,
                );
                self.specs.insert(spec_key.clone(), spec.clone());
                spec
            }
        };
        Ok(Some(Arc::new(LoadedDashboard::new(
            row, &tenant, spec, spec_key,
        ))))
    }

    fn version(&self, scope: &TenantScope, dashboard: &LoadedDashboard) -> String {
        let tenant = scope.tenant_id().as_uuid();
        let mut version = dashboard.fingerprint.clone();
        for dataset in dashboard.spec.datasets() {
            version.push('|');
            version.push_str(
                &self
                    .engine
                    .data_version(tenant, dataset.name)
                    .unwrap_or_else(|| "none".into()),
            );
        }
        version
    }

    /// The `/charts` response body and whether it came from the cache. The serialised
    /// body is cached as a whole (keyed like its charts, plus the tenant's hidden charts).
    async fn charts_response(
        &self,
        scope: &TenantScope,
        dashboard: &LoadedDashboard,
        filters: &Filters,
    ) -> Result<(Bytes, bool), DashboardError> {
        let version = self.version(scope, dashboard);
        let filter_key = filters.cache_key();
        let slug = &dashboard.slug;
        let response_key = ChartCacheKey::new(
            scope,
            slug,
            RESPONSE,
            &filter_key,
            &format!("{version}|{}", dashboard.hidden.join(",")),
        );
        if let Some(body) = self.cache.response(&response_key) {
            return Ok((body, true));
        }
        let (charts, cached) = self
            .charts_of_version(scope, dashboard, filters, &version, &filter_key)
            .await?;
        let body = DashboardCharts {
            dashboard: slug.clone(),
            filters: filters.to_state(),
            charts,
        };
        let body = Bytes::from(serde_json::to_vec(&body).map_err(DashboardError::internal)?);
        self.cache.insert_response(response_key, body.clone());
        Ok((body, cached))
    }

    /// Every visible chart, from the cache where possible; otherwise computed on the
    /// blocking pool (all charts at once, sharing one scan per dataset) and cached.
    async fn charts_of_version(
        &self,
        scope: &TenantScope,
        dashboard: &LoadedDashboard,
        filters: &Filters,
        version: &str,
        filter_key: &str,
    ) -> Result<(Vec<ChartPayload>, bool), DashboardError> {
        let slug = &dashboard.slug;
        let key_of = |chart: &str| ChartCacheKey::new(scope, slug, chart, filter_key, version);
        let visible: Vec<&str> = dashboard
            .spec
            .charts()
            .iter()
            .map(|c| c.id.as_str())
            .filter(|id| !dashboard.hidden.iter().any(|h| h == id))
            .collect();
        let cached: Option<Vec<ChartPayload>> = visible
            .iter()
            .map(|id| self.cache.get(&key_of(id)).map(|c| (*c).clone()))
            .collect();
        if let Some(charts) = cached {
            return Ok((charts, true));
        }
        let engine = self.engine.clone();
        let spec = dashboard.spec.clone();
        let thresholds = dashboard.thresholds.clone();
        let tenant = scope.tenant_id().as_uuid();
        let job_filters = filters.clone();
        let computations = self.computations.clone();
        let computed = self
            .inflight
            .try_get_with(key_of("*"), async move {
                computations.fetch_add(1, Ordering::Relaxed);
                web::block(move || {
                    engine.dashboard_charts(tenant, &spec, &job_filters, &thresholds)
                })
                .await
                .map_err(DashboardError::internal)?
                .map(Arc::new)
                .map_err(DashboardError::from)
            })
            .await
            .map_err(|e| DashboardError::from_shared(&e))?;
        let mut out = Vec::with_capacity(visible.len());
        for chart in computed.iter() {
            let key = key_of(&chart.id);
            if self.cache.get(&key).is_none() {
                self.cache.insert(key, Arc::new(chart.clone()));
            }
            if visible.contains(&chart.id.as_str()) {
                out.push(chart.clone());
            }
        }
        Ok((out, false))
    }
}
