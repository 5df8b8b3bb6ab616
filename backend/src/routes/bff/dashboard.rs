//! One dashboard in the browser: spec + saved filters, charts, preferences, CSV export.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use bytes::Bytes;
use kyros_common::api::dashboards::{DashboardDetail, FilterState, SavePreferencesRequest};

use super::ok_json;
use crate::audit::{self, AuditEntryExt};
use crate::bff::session::BffTenant;
use crate::dashboards::engine_error;
use crate::error::ApiError;
use crate::routes::dashboards::charts::{dashboard_charts, json_body};
use crate::state::SharedState;
use crate::store::{preferences, Scope};

/// `GET /bff/dashboards/{slug}`.
pub async fn bff_show_dashboard(
    state: SharedState,
    who: BffTenant,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let dashboard = state.dashboards.load(&state.db, &who.scope, &slug).await?;
    let (user, tenant, dashboard_id) = (
        who.scope.user_id(),
        who.scope.tenant_id(),
        dashboard.row.id.clone(),
    );
    let e = audit::entry(
        "dashboard_view",
        "success",
        who.scope.email(),
        dashboard.row.slug.clone(),
    )
    .tenant(Some(tenant))
    .user(Some(user));
    audit::record(&state, e).await;
    let saved = state
        .db
        .run_scoped(Scope::Tenant(tenant), move |conn| {
            preferences::find(conn, user, tenant, &dashboard_id)
        })
        .await?;
    // Saved filters are re-validated: a spec may have changed since they were saved.
    let saved_filters = saved
        .and_then(|json| serde_json::from_str::<FilterState>(&json).ok())
        .and_then(|state_json| {
            state
                .dashboards
                .filters_from_state(&dashboard, &state_json)
                .ok()
        })
        .map(|filters| filters.to_state())
        .unwrap_or_default();
    Ok(ok_json(&DashboardDetail {
        dashboard: dashboard.view(),
        branding: dashboard.branding.clone(),
        saved_filters,
    }))
}

/// `GET /bff/dashboards/{slug}/charts?<filters>`.
pub async fn bff_dashboard_charts(
    state: SharedState,
    who: BffTenant,
    slug: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    Ok(json_body(
        dashboard_charts(&state, &who.scope, &slug, req.query_string()).await?,
    ))
}

/// `PUT /bff/dashboards/{slug}/preferences`.
pub async fn bff_save_preferences(
    state: SharedState,
    who: BffTenant,
    slug: web::Path<String>,
    body: web::Json<SavePreferencesRequest>,
) -> Result<HttpResponse, ApiError> {
    let dashboard = state.dashboards.load(&state.db, &who.scope, &slug).await?;
    let filters = state
        .dashboards
        .filters_from_state(&dashboard, &body.filters)?;
    let json = serde_json::to_string(&filters.to_state()).map_err(ApiError::internal)?;
    let (user, tenant, dashboard_id) = (
        who.scope.user_id(),
        who.scope.tenant_id(),
        dashboard.row.id.clone(),
    );
    let e = audit::entry(
        "preference_save",
        "success",
        who.scope.email(),
        dashboard.row.slug.clone(),
    )
    .tenant(Some(tenant))
    .user(Some(user))
    .detail(serde_json::json!({ "filters": filters.to_state() }));
    state
        .db
        .run_scoped(Scope::Tenant(tenant), move |conn| {
            preferences::save(conn, user, tenant, &dashboard_id, &json)?;
            crate::store::audit::append(conn, &e)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A `Write` that hands full buffers to the response stream.
struct ChannelWriter {
    buffer: Vec<u8>,
    tx: tokio::sync::mpsc::Sender<Bytes>,
}

const CHUNK: usize = 64 * 1024;

impl std::io::Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buffer));
        self.tx
            .blocking_send(chunk)
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client went away"))
    }
}

/// `GET /bff/dashboards/{slug}/charts/{id}/export.csv?<filters>`: the chart's filtered
/// rows as CSV, streamed while the engine reads the file one row group at a time.
pub async fn bff_export_csv(
    state: SharedState,
    who: BffTenant,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (slug, chart_id) = path.into_inner();
    let dashboard = state.dashboards.load(&state.db, &who.scope, &slug).await?;
    if !dashboard.is_visible(&chart_id) {
        return Err(ApiError::not_found("no such chart"));
    }
    state
        .limits
        .check_tenant(&who.scope.tenant_id().to_string())
        .await?;
    let e = audit::entry(
        "csv_export",
        "success",
        who.scope.email(),
        format!("{}/{}", dashboard.row.slug, chart_id),
    )
    .tenant(Some(who.scope.tenant_id()))
    .user(Some(who.scope.user_id()));
    audit::record(&state, e).await;
    let (filters, _) = state
        .dashboards
        .parse_query(&dashboard, req.query_string(), &[])?;
    let engine = state.dashboards.engine().clone();
    let spec = dashboard.spec.clone();
    let thresholds = dashboard.thresholds.clone();
    let tenant = who.scope.tenant_id().as_uuid();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Bytes>(8);
    let export_chart = chart_id.clone();
    let request_id = crate::request_context::current_request_id().unwrap_or_default();
    actix_web::rt::task::spawn_blocking(move || {
        let mut writer = ChannelWriter {
            buffer: Vec::with_capacity(CHUNK),
            tx,
        };
        let result = engine
            .export_chart_csv(
                tenant,
                &spec,
                &export_chart,
                &filters,
                &thresholds,
                &mut writer,
            )
            .map_err(engine_error)
            .and_then(|_| std::io::Write::flush(&mut writer).map_err(ApiError::internal));
        if let Err(e) = result {
            tracing::warn!(request_id = %request_id, error = %e, "CSV export ended early");
        }
    });
    let stream = futures_util::stream::poll_fn(move |cx| {
        rx.poll_recv(cx)
            .map(|o| o.map(Ok::<Bytes, actix_web::Error>))
    });
    let filename = format!("{}-{}.csv", dashboard.row.slug, chart_id);
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .streaming(stream))
}
