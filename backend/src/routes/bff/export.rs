//! `GET /bff/dashboards/{slug}/charts/{id}/export.csv?<filters>`: streamed CSV.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::bff::BffTenant;
use crate::error::ApiError;
use crate::state::SharedState;

pub async fn bff_export_csv(
    state: SharedState,
    who: BffTenant,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (slug, chart_id) = path.into_inner();
    let export = state
        .dashboards
        .export_csv(&who.scope, &slug, &chart_id, req.query_string())
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", export.filename),
        ))
        .streaming(export.body))
}
