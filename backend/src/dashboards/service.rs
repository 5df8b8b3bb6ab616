//! Loading, filtering and computing a tenant's dashboards.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use actix_web::web;
use bytes::Bytes;
use kyros_common::api::dashboards::{
    ChartPayload, DashboardCharts, DashboardView, FilterState, RowsPage,
};
use kyros_common::api::tenants::Branding;
use kyros_common::error::ErrorCode;
use kyros_common::ids::TenantId;
use kyros_engine::{DashboardSpec, Engine, EngineError, Filters, Thresholds};
use moka::sync::Cache;
use sha2::{Digest, Sha256};

use super::cache::{ChartCache, ChartCacheKey};
use crate::error::ApiError;
use crate::store::dashboards::{self, DashboardRow};
use crate::store::{tenants, Db, Scope};
use crate::tenancy::cache::{Epoch, EpochCache};
use crate::tenancy::TenantScope;

/// A dashboard the scope's tenant may see, with its parsed spec and tenant settings.
pub struct LoadedDashboard {
    pub row: DashboardRow,
    pub spec: Arc<DashboardSpec>,
    pub thresholds: Thresholds,
    pub hidden: Vec<String>,
    pub branding: Branding,
    fingerprint: String,
}

impl LoadedDashboard {
    /// The public view of the spec, without the charts this tenant hides.
    pub fn view(&self) -> DashboardView {
        let mut view = self.spec.view(&self.row.slug);
        view.charts.retain(|c| !self.hidden.contains(&c.id));
        view
    }

    pub fn is_visible(&self, chart_id: &str) -> bool {
        self.spec.chart(chart_id).is_some() && !self.hidden.iter().any(|h| h == chart_id)
    }
}

fn not_found() -> ApiError {
    ApiError::not_found("no such dashboard")
}

fn digest(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hasher
        .finalize()
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Maps engine failures: bad input is the client's, the rest is ours.
pub fn engine_error(e: EngineError) -> ApiError {
    match e {
        EngineError::BadRequest(detail) => ApiError::BadRequest(ErrorCode::InvalidFilter, detail),
        EngineError::UnknownChart(_) => ApiError::not_found("no such chart"),
        other => ApiError::internal(other),
    }
}

pub struct DashboardService {
    engine: Engine,
    cache: ChartCache,
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
    pub fn new(engine: Engine, cache: ChartCache, epoch: &Arc<Epoch>) -> Self {
        DashboardService {
            assignments: EpochCache::new(epoch),
            engine,
            cache,
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

    /// The dashboard `slug` if it is assigned to the scope's tenant. A dashboard that
    /// exists but is not assigned is indistinguishable from one that does not exist.
    pub async fn load(
        &self,
        db: &Db,
        scope: &TenantScope,
        slug: &str,
    ) -> Result<Arc<LoadedDashboard>, ApiError> {
        if slug.is_empty() || slug.len() > 100 || slug.chars().any(char::is_control) {
            return Err(not_found());
        }
        let tenant_id = scope.tenant_id();
        self.assignments
            .get_or_load((tenant_id, slug.to_owned()), || {
                self.load_uncached(db, tenant_id, slug)
            })
            .await?
            .ok_or_else(not_found)
    }

    async fn load_uncached(
        &self,
        db: &Db,
        tenant_id: TenantId,
        slug: &str,
    ) -> Result<Option<Arc<LoadedDashboard>>, ApiError> {
        let slug_owned = slug.to_owned();
        let (row, tenant) = db
            .run_scoped(Scope::Tenant(tenant_id), move |conn| {
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
                        .map_err(ApiError::internal)?,
                );
                self.specs.insert(spec_key.clone(), spec.clone());
                spec
            }
        };
        let config = tenant.config();
        let thresholds = Thresholds::from_spec(&spec).with_overrides(&config.thresholds);
        let hidden = config
            .hidden_components
            .get(&row.slug)
            .cloned()
            .unwrap_or_default();
        let fingerprint = digest(&[&spec_key, &thresholds.cache_key()]);
        Ok(Some(Arc::new(LoadedDashboard {
            branding: tenant.branding(),
            row,
            spec,
            thresholds,
            hidden,
            fingerprint,
        })))
    }

    /// Parses `query` into filters; the names in `reserved` are the endpoint's own
    /// parameters and are returned separately.
    pub fn parse_query(
        &self,
        dashboard: &LoadedDashboard,
        query: &str,
        reserved: &[&str],
    ) -> Result<(Filters, Vec<(String, String)>), ApiError> {
        if query.len() > 16 * 1024 {
            return Err(ApiError::BadRequest(
                ErrorCode::InvalidFilter,
                "the query string is too long".into(),
            ));
        }
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).map_err(|e| {
            ApiError::BadRequest(
                ErrorCode::InvalidFilter,
                format!("invalid query string: {e}"),
            )
        })?;
        let (own, filter_pairs): (Vec<_>, Vec<_>) = pairs
            .into_iter()
            .partition(|(k, _)| reserved.contains(&k.as_str()));
        let filters = kyros_engine::parse_filters(&dashboard.spec, &filter_pairs)
            .map_err(|e| ApiError::BadRequest(ErrorCode::InvalidFilter, e.to_string()))?;
        Ok((filters, own))
    }

    /// Saved filter state, validated against the spec.
    pub fn filters_from_state(
        &self,
        dashboard: &LoadedDashboard,
        state: &FilterState,
    ) -> Result<Filters, ApiError> {
        Filters::from_state(&dashboard.spec, state)
            .map_err(|e| ApiError::BadRequest(ErrorCode::InvalidFilter, e.to_string()))
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

    /// The `/charts` response body (JSON of [`DashboardCharts`]) and whether it came
    /// from the cache. The serialised body is cached as a whole (keyed like its charts,
    /// plus the tenant's hidden charts), so a repeated request costs a lookup.
    pub async fn charts_response(
        &self,
        scope: &TenantScope,
        dashboard: &LoadedDashboard,
        filters: &Filters,
    ) -> Result<(Bytes, bool), ApiError> {
        let version = self.version(scope, dashboard);
        let filter_key = filters.cache_key();
        let slug = &dashboard.row.slug;
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
        let body = Bytes::from(serde_json::to_vec(&body).map_err(ApiError::internal)?);
        self.cache.insert_response(response_key, body.clone());
        Ok((body, cached))
    }

    /// Every visible chart, from the cache where possible; otherwise computed on the
    /// blocking pool (all charts at once, sharing one scan per dataset) and cached.
    pub async fn charts(
        &self,
        scope: &TenantScope,
        dashboard: &LoadedDashboard,
        filters: &Filters,
    ) -> Result<(Vec<ChartPayload>, bool), ApiError> {
        let version = self.version(scope, dashboard);
        let filter_key = filters.cache_key();
        self.charts_of_version(scope, dashboard, filters, &version, &filter_key)
            .await
    }

    async fn charts_of_version(
        &self,
        scope: &TenantScope,
        dashboard: &LoadedDashboard,
        filters: &Filters,
        version: &str,
        filter_key: &str,
    ) -> Result<(Vec<ChartPayload>, bool), ApiError> {
        let slug = &dashboard.row.slug;
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
                .map_err(ApiError::internal)?
                .map(Arc::new)
                .map_err(engine_error)
            })
            .await
            .map_err(|e| (*e).clone())?;
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

    /// One page of filtered rows of the dashboard's primary dataset.
    pub async fn rows(
        &self,
        scope: &TenantScope,
        dashboard: &LoadedDashboard,
        filters: Filters,
        limit: usize,
        cursor: Option<String>,
    ) -> Result<RowsPage, ApiError> {
        let engine = self.engine.clone();
        let spec = dashboard.spec.clone();
        let tenant = scope.tenant_id().as_uuid();
        web::block(move || engine.rows(tenant, &spec, &filters, limit, cursor.as_deref()))
            .await
            .map_err(ApiError::internal)?
            .map_err(engine_error)
    }
}
