//! Tenants: create, configure, assign dashboards, (de)activate.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use diesel::Connection;
use kyros_common::api::tenants::TenantConfig;
use kyros_common::api::users::Page;
use kyros_common::ids::TenantId;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::service::{invalid, valid_slug, Admin, AdminError};
use crate::audit::{self, AuditEntryExt};
use crate::store::tenants::{self, TenantRow};
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignDashboards {
    #[serde(default)]
    pub assign: Vec<String>,
    #[serde(default)]
    pub unassign: Vec<String>,
}

/// A tenant id from a path segment; anything else is "no such tenant".
pub(super) fn parse_tenant_id(raw: &str) -> Result<TenantId, AdminError> {
    raw.parse()
        .map_err(|_| AdminError::NotFound("no such tenant".into()))
}

fn valid_color(c: &str) -> bool {
    c.len() == 7 && c.starts_with('#') && c[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

fn validate_config(config: &TenantConfig) -> Result<(), AdminError> {
    if let Some(b) = &config.branding {
        if b.display_name.len() > 200 || b.display_name.chars().any(char::is_control) {
            return Err(invalid(
                "branding.display_name must be at most 200 printable characters",
            ));
        }
        if !valid_color(&b.primary_color) {
            return Err(invalid("branding.primary_color must be #rrggbb"));
        }
        let logo_ok = b.logo_url.is_empty()
            || ((b.logo_url.starts_with("data:image/") || b.logo_url.starts_with("https://"))
                && b.logo_url.len() <= 32 * 1024);
        if !logo_ok {
            return Err(invalid("branding.logo_url must be empty, an https:// URL or a data:image/ URI of at most 32 KiB"));
        }
    }
    if config.features.len() > 100 || config.features.keys().any(|k| k.len() > 64) {
        return Err(invalid(
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
            return Err(invalid(format!(
                "hidden_components.{}: invalid",
                slug.chars().take(64).collect::<String>()
            )));
        }
    }
    for (name, value) in &config.thresholds {
        if name.len() > 64 || !value.is_finite() {
            return Err(invalid(format!(
                "thresholds.{}: must be a finite number",
                name.chars().take(64).collect::<String>()
            )));
        }
    }
    Ok(())
}

impl Admin {
    /// Tenants by slug, a page at a time (`cursor` from the previous page).
    pub async fn list_tenants(
        &self,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> Result<Page<TenantOut>, AdminError> {
        let limit = match limit {
            None => 50,
            Some(n) if (1..=500).contains(&n) => n,
            Some(_) => return Err(invalid("limit must be between 1 and 500")),
        };
        let after = cursor
            .map(|c| {
                URL_SAFE_NO_PAD
                    .decode(c.as_bytes())
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                    .filter(|s| s.len() <= 63)
                    .ok_or_else(|| invalid("cursor is invalid"))
            })
            .transpose()?;
        let rows = self
            .db
            .run(move |conn| tenants::list_page(conn, after.as_deref(), limit + 1))
            .await?;
        let more = rows.len() as i64 > limit;
        let items: Vec<TenantOut> = rows
            .iter()
            .take(limit as usize)
            .map(TenantOut::from)
            .collect();
        let next_cursor = more
            .then(|| {
                items
                    .last()
                    .map(|t| URL_SAFE_NO_PAD.encode(t.slug.as_bytes()))
            })
            .flatten();
        Ok(Page { items, next_cursor })
    }

    async fn tenant_or_404(&self, id: TenantId) -> Result<TenantRow, AdminError> {
        self.db
            .run(move |conn| tenants::find_by_id(conn, id))
            .await?
            .ok_or_else(|| AdminError::NotFound("no such tenant".into()))
    }

    pub async fn create_tenant(
        &self,
        actor: String,
        request: CreateTenant,
    ) -> Result<TenantOut, AdminError> {
        let CreateTenant { name, slug } = request;
        let name = name.trim().to_owned();
        if name.is_empty() || name.len() > 200 || name.chars().any(char::is_control) {
            return Err(invalid("name must be 1-200 printable characters"));
        }
        if !valid_slug(&slug) {
            return Err(invalid(
                "slug must be 2-63 lowercase letters, digits or dashes",
            ));
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
        let e = audit::entry("tenant_create", "success", actor, row.slug.clone())
            .tenant(row.tenant_id())
            .detail(json!({ "before": null, "after": &out }));
        let created = self
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
            return Err(AdminError::Conflict(
                "a tenant with this slug exists".into(),
            ));
        }
        Ok(out)
    }

    /// Replaces the tenant's configuration.
    pub async fn set_tenant_config(
        &self,
        actor: String,
        raw_id: &str,
        config: TenantConfig,
    ) -> Result<TenantOut, AdminError> {
        let id = parse_tenant_id(raw_id)?;
        validate_config(&config)?;
        let before = self.tenant_or_404(id).await?;
        let json_config =
            serde_json::to_string(&config).map_err(|e| AdminError::InvalidJson(e.to_string()))?;
        let e = audit::entry("tenant_metadata", "success", actor, before.slug.clone())
            .tenant(Some(id))
            .detail(json!({ "before": before.config(), "after": &config }));
        self.db
            .run(move |conn| {
                conn.transaction(|conn| {
                    tenants::set_config(conn, id, &json_config)?;
                    audit_store::append(conn, &e)
                })
            })
            .await?;
        let after = self.tenant_or_404(id).await?;
        Ok(TenantOut::from(&after))
    }

    /// Assigns and unassigns dashboards; returns the tenant's dashboards after.
    pub async fn assign_dashboards(
        &self,
        actor: String,
        raw_id: &str,
        request: AssignDashboards,
    ) -> Result<(TenantId, Vec<String>), AdminError> {
        let id = parse_tenant_id(raw_id)?;
        let AssignDashboards { assign, unassign } = request;
        if assign.len() + unassign.len() > 200 {
            return Err(invalid("at most 200 dashboards per request"));
        }
        let tenant = self.tenant_or_404(id).await?;
        let outcome = self
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
            Ok(after) => Ok((id, after)),
            Err(slug) => Err(AdminError::NotFound(format!("no dashboard {slug:?}"))),
        }
    }

    /// Activates or deactivates a tenant; returns its slug.
    pub async fn set_tenant_active(
        &self,
        actor: String,
        raw_id: &str,
        active: bool,
    ) -> Result<(TenantId, String), AdminError> {
        let id = parse_tenant_id(raw_id)?;
        let before = self.tenant_or_404(id).await?;
        let action = if active {
            "tenant_activate"
        } else {
            "tenant_deactivate"
        };
        let e = audit::entry(action, "success", actor, before.slug.clone())
            .tenant(Some(id))
            .detail(json!({ "before": { "is_active": before.is_active }, "after": { "is_active": active } }));
        self.db
            .run(move |conn| {
                conn.transaction(|conn| {
                    tenants::set_active(conn, id, active)?;
                    audit_store::append(conn, &e)
                })
            })
            .await?;
        Ok((id, before.slug))
    }
}
