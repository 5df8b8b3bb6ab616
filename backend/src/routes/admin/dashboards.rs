//! `PUT /admin/dashboards/{slug}`: create or replace a dashboard spec (the body is the spec
//! JSON, validated by the engine's spec validator before anything is stored).

use actix_web::{web, HttpResponse};
use diesel::Connection;
use kyros_common::error::ErrorCode;
use kyros_common::ids::DashboardId;
use kyros_engine::DashboardSpec;
use serde_json::json;

use super::auth::AdminAuth;
use super::valid_slug;
use crate::audit::{self, AuditEntryExt};
use crate::error::ApiError;
use crate::state::SharedState;
use crate::store::dashboards::{self, DashboardRow};
use crate::store::{self, audit as audit_store, StoreError};

pub async fn put_dashboard(
    state: SharedState,
    admin: AdminAuth,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let slug = path.into_inner();
    if !valid_slug(&slug) {
        return Err(ApiError::bad_request(
            "slug must be 2-63 lowercase letters, digits or dashes",
        ));
    }
    let json = std::str::from_utf8(&body)
        .map_err(|_| ApiError::invalid_json("the spec must be UTF-8 JSON"))?
        .to_owned();
    let spec = DashboardSpec::from_json(&slug, &json)
        .map_err(|e| ApiError::BadRequest(ErrorCode::InvalidSpec, e.to_string()))?;
    let title = spec.title().to_owned();
    let description = spec.description().to_owned();
    let actor = admin.client_id;
    let created = state
        .db
        .run(move |conn| {
            conn.transaction(|conn| {
                let before = dashboards::find_by_slug(conn, &slug)?;
                let created = before.is_none();
                match &before {
                    Some(existing) => {
                        dashboards::replace(conn, &existing.id, &title, &description, &json)?
                    }
                    None => dashboards::insert(
                        conn,
                        &DashboardRow {
                            id: DashboardId::new_random().to_string(),
                            slug: slug.clone(),
                            title: title.clone(),
                            description: description.clone(),
                            spec_json: json.clone(),
                            created_at: store::now(),
                        },
                    )?,
                }
                let e =
                    audit::entry("dashboard_put", "success", actor, slug.clone()).detail(json!({
                        "before": before.map(|b| b.title),
                        "after": title,
                    }));
                audit_store::append(conn, &e)?;
                Ok::<_, StoreError>(created)
            })
        })
        .await?;
    let status = if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    }
    .json(json!({
        "slug": spec.slug(),
        "title": spec.title(),
        "charts": spec.charts().len(),
        "created": created,
    }));
    Ok(status)
}
