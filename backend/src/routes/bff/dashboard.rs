//! One dashboard in the browser: spec + saved filters, charts, preferences.

use actix_web::{web, HttpRequest, HttpResponse};
use kyros_common::api::dashboards::SavePreferencesRequest;

use super::ok_json;
use crate::bff::BffTenant;
use crate::error::ApiError;
use crate::http::json::JsonObject;
use crate::routes::json_body;
use crate::state::SharedState;

/// `GET /bff/dashboards/{slug}`.
pub async fn bff_show_dashboard(
    state: SharedState,
    who: BffTenant,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    Ok(ok_json(&state.dashboards.detail(&who.scope, &slug).await?))
}

/// `GET /bff/dashboards/{slug}/charts?<filters>`.
pub async fn bff_dashboard_charts(
    state: SharedState,
    who: BffTenant,
    slug: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    Ok(json_body(
        state
            .dashboards
            .charts(&who.scope, &slug, req.query_string())
            .await?,
    ))
}

/// `PUT /bff/dashboards/{slug}/preferences`.
pub async fn bff_save_preferences(
    state: SharedState,
    who: BffTenant,
    slug: web::Path<String>,
    body: JsonObject<SavePreferencesRequest>,
) -> Result<HttpResponse, ApiError> {
    state
        .dashboards
        .save_preferences(&who.scope, &slug, &body.filters)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
