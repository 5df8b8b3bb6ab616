//! Dashboard endpoints of the active tenant.

use gloo_net::http::Method;
use kyros_common::api::dashboards::{
    DashboardCharts, DashboardDetail, DashboardSummary, FilterState, SavePreferencesRequest,
};

use crate::api::{paths, Api, ApiError};

/// `GET /bff/dashboards`.
pub async fn list(api: &Api) -> Result<Vec<DashboardSummary>, ApiError> {
    api.get_json(paths::DASHBOARDS).await
}

/// `GET /bff/dashboards/{slug}`.
pub async fn detail(api: &Api, slug: &str) -> Result<DashboardDetail, ApiError> {
    api.get_json(&paths::dashboard(slug)).await
}

/// `GET /bff/dashboards/{slug}/charts?<filters>`.
pub async fn charts(
    api: &Api,
    slug: &str,
    filters: &FilterState,
) -> Result<DashboardCharts, ApiError> {
    api.get_json(&paths::charts(slug, filters)).await
}

/// `PUT /bff/dashboards/{slug}/preferences`.
pub async fn save_preferences(api: &Api, slug: &str, filters: FilterState) -> Result<(), ApiError> {
    let body = SavePreferencesRequest { filters };
    api.send_no_content(Method::PUT, &paths::preferences(slug), Some(&body))
        .await
}
