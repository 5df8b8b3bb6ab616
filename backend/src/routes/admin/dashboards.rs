//! `PUT /admin/dashboards/{slug}`: create or replace a dashboard spec (the body is the
//! spec JSON, validated by the engine's spec validator before anything is stored).

use actix_web::{web, HttpResponse};
use serde_json::json;

use crate::auth::AdminAuth;
use crate::error::ApiError;
use crate::state::SharedState;

pub async fn put_dashboard(
    state: SharedState,
    admin: AdminAuth,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let put = state
        .admin
        .put_dashboard(admin.client_id, path.into_inner(), &body)
        .await?;
    let mut response = if put.created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    Ok(response.json(json!({
        "slug": put.slug,
        "title": put.title,
        "charts": put.charts,
        "created": put.created,
    })))
}
