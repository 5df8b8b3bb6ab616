//! Tenant administration: create, configure, assign dashboards, (de)activate.

use actix_web::{web, HttpResponse};
use diesel::Connection;
use kyros_common::ids::TenantId;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::auth::AdminAuth;
use super::{bad, valid_slug};
use crate::audit::{self, AuditEntryExt};
use crate::error::ApiError;
use crate::state::SharedState;
use crate::store::tenants::{self, TenantConfig, TenantRow};
use crate::store::{self, audit as audit_store, dashboards, StoreError};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateTenant {
    pub name: String,
    pub slug: String,
}

#[derive(Debug, Serialize)]
pub struct TenantOut {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub is_active: bool,
    pub config: TenantConfig,
}

impl From<&TenantRow> for TenantOut {
    fn from(t: &TenantRow) -> Self {
        TenantOut {
            id: t.id.clone(),
            name: t.name.clone(),
            slug: t.slug.clone(),
            is_active: t.is_active,
            config: t.config(),
        }
    }
}

pub fn parse_tenant_id(raw: &str) -> Result<TenantId, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::not_found("no such tenant"))
}

async fn tenant_or_404(state: &SharedState, id: TenantId) -> Result<TenantRow, ApiError> {
    state
        .db
        .run(move |conn| tenants::find_by_id(conn, id))
        .await?
        .ok_or_else(|| ApiError::not_found("no such tenant"))
}

/// `POST /admin/tenants`.
pub async fn create_tenant(
    state: SharedState,
    admin: AdminAuth,
    body: web::Json<CreateTenant>,
) -> Result<HttpResponse, ApiError> {
    let CreateTenant { name, slug } = body.into_inner();
    let name = name.trim().to_owned();
    if name.is_empty() || name.len() > 200 || name.chars().any(char::is_control) {
        return Err(bad("name must be 1-200 printable characters"));
    }
    if !valid_slug(&slug) {
        return Err(bad("slug must be 2-63 lowercase letters, digits or dashes"));
    }
    let row = TenantRow {
        id: TenantId::new_random().to_string(),
        name,
        slug,
        is_active: true,
        config_json: "{}".into(),
        created_at: store::now(),
    };
    let out = TenantOut::from(&row);
    let e = audit::entry(
        "tenant_create",
        "success",
        admin.client_id,
        row.slug.clone(),
    )
    .tenant(row.tenant_id())
    .detail(json!({ "before": null, "after": &out }));
    let created = state
        .db
        .run(move |conn| {
            conn.transaction(|conn| {
                if tenants::find_by_slug(conn, &row.slug)?.is_some() {
                    return Ok(false);
                }
                tenants::insert(conn, &row)?;
                audit_store::append(conn, &e)?;
                Ok::<_, StoreError>(true)
            })
        })
        .await?;
    if !created {
        return Err(ApiError::Conflict("a tenant with this slug exists".into()));
    }
    Ok(HttpResponse::Created().json(out))
}

fn valid_color(c: &str) -> bool {
    c.len() == 7 && c.starts_with('#') && c[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

fn validate_config(config: &TenantConfig) -> Result<(), ApiError> {
    if let Some(b) = &config.branding {
        if b.display_name.len() > 200 || b.display_name.chars().any(char::is_control) {
            return Err(bad(
                "branding.display_name must be at most 200 printable characters",
            ));
        }
        if !valid_color(&b.primary_color) {
            return Err(bad("branding.primary_color must be #rrggbb"));
        }
        let logo_ok = b.logo_url.is_empty()
            || ((b.logo_url.starts_with("data:image/") || b.logo_url.starts_with("https://"))
                && b.logo_url.len() <= 32 * 1024);
        if !logo_ok {
            return Err(bad("branding.logo_url must be empty, an https:// URL or a data:image/ URI of at most 32 KiB"));
        }
    }
    if config.features.len() > 100 || config.features.keys().any(|k| k.len() > 64) {
        return Err(bad(
            "features: at most 100 flags with names of at most 64 characters",
        ));
    }
    for (slug, charts) in &config.hidden_components {
        if !valid_slug(slug)
            || charts.len() > 100
            || charts
                .iter()
                .any(|c| c.len() > 64 || c.chars().any(char::is_control))
        {
            return Err(bad(format!(
                "hidden_components.{}: invalid",
                slug.chars().take(64).collect::<String>()
            )));
        }
    }
    for (name, value) in &config.thresholds {
        if name.len() > 64 || !value.is_finite() {
            return Err(bad(format!(
                "thresholds.{}: must be a finite number",
                name.chars().take(64).collect::<String>()
            )));
        }
    }
    Ok(())
}

/// `POST /admin/tenants/{id}/metadata`: replaces the tenant's configuration.
pub async fn set_tenant_metadata(
    state: SharedState,
    admin: AdminAuth,
    path: web::Path<String>,
    body: web::Json<TenantConfig>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_tenant_id(&path)?;
    let config = body.into_inner();
    validate_config(&config)?;
    let before = tenant_or_404(&state, id).await?;
    let json_config = serde_json::to_string(&config).map_err(ApiError::internal)?;
    let e = audit::entry(
        "tenant_metadata",
        "success",
        admin.client_id,
        before.slug.clone(),
    )
    .tenant(Some(id))
    .detail(json!({ "before": before.config(), "after": &config }));
    state
        .db
        .run(move |conn| {
            conn.transaction(|conn| {
                tenants::set_config(conn, id, &json_config)?;
                audit_store::append(conn, &e)
            })
        })
        .await?;
    let after = tenant_or_404(&state, id).await?;
    Ok(HttpResponse::Ok().json(TenantOut::from(&after)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignDashboards {
    #[serde(default)]
    pub assign: Vec<String>,
    #[serde(default)]
    pub unassign: Vec<String>,
}

/// `POST /admin/tenants/{id}/dashboards`.
pub async fn assign_dashboards(
    state: SharedState,
    admin: AdminAuth,
    path: web::Path<String>,
    body: web::Json<AssignDashboards>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_tenant_id(&path)?;
    let AssignDashboards { assign, unassign } = body.into_inner();
    if assign.len() + unassign.len() > 200 {
        return Err(bad("at most 200 dashboards per request"));
    }
    let tenant = tenant_or_404(&state, id).await?;
    let actor = admin.client_id;
    let outcome = state
        .db
        .run(move |conn| {
            conn.transaction(|conn| {
                let before: Vec<String> = dashboards::for_tenant(conn, id)?
                    .into_iter()
                    .map(|d| d.slug)
                    .collect();
                for (slugs, adding) in [(&assign, true), (&unassign, false)] {
                    for slug in slugs {
                        let Some(d) = dashboards::find_by_slug(conn, slug)? else {
                            return Ok(Err(slug.chars().take(64).collect::<String>()));
                        };
                        if adding {
                            dashboards::assign(conn, id, &d.id)?;
                        } else {
                            dashboards::unassign(conn, id, &d.id)?;
                        }
                    }
                }
                let after: Vec<String> = dashboards::for_tenant(conn, id)?
                    .into_iter()
                    .map(|d| d.slug)
                    .collect();
                let e = audit::entry("tenant_dashboards", "success", actor, tenant.slug)
                    .tenant(Some(id))
                    .detail(json!({ "before": before, "after": &after }));
                audit_store::append(conn, &e)?;
                Ok::<_, StoreError>(Ok(after))
            })
        })
        .await?;
    match outcome {
        Ok(after) => Ok(HttpResponse::Ok().json(json!({ "tenant_id": id, "dashboards": after }))),
        Err(slug) => Err(ApiError::not_found(format!("no dashboard {slug:?}"))),
    }
}

/// `POST /admin/tenants/{id}/activate` and `…/deactivate`.
pub async fn set_tenant_active(
    state: SharedState,
    admin: AdminAuth,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (raw_id, action) = path.into_inner();
    let id = parse_tenant_id(&raw_id)?;
    let active = action == "activate";
    let before = tenant_or_404(&state, id).await?;
    let e = audit::entry(
        if active {
            "tenant_activate"
        } else {
            "tenant_deactivate"
        },
        "success",
        admin.client_id,
        before.slug.clone(),
    )
    .tenant(Some(id))
    .detail(
        json!({ "before": { "is_active": before.is_active }, "after": { "is_active": active } }),
    );
    state
        .db
        .run(move |conn| {
            conn.transaction(|conn| {
                tenants::set_active(conn, id, active)?;
                audit_store::append(conn, &e)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "id": id, "slug": before.slug, "is_active": active })))
}
