//! Dashboard specs: create or replace, validated by the engine before anything is stored.

use diesel::Connection;
use kyros_common::ids::DashboardId;
use kyros_engine::DashboardSpec;
use serde_json::json;

use super::service::{valid_slug, Admin, AdminError};
use crate::audit::{self, AuditEntryExt};
use crate::store::dashboards::{self, DashboardRow};
use crate::store::{self, audit as audit_store, StoreError};

/// The outcome of a `PUT /admin/dashboards/{slug}`.
#[derive(Debug)]
pub struct DashboardPut {
    pub slug: String,
    pub title: String,
    pub charts: usize,
    pub created: bool,
}

impl Admin {
    /// Creates or replaces the dashboard `slug` from spec JSON.
    pub async fn put_dashboard(
        &self,
        actor: String,
        slug: String,
        body: &[u8],
    ) -> Result<DashboardPut, AdminError> {
        if !valid_slug(&slug) {
            return Err(AdminError::Invalid(
                "slug must be 2-63 lowercase letters, digits or dashes".into(),
            ));
        }
        let json = std::str::from_utf8(body)
            .map_err(|_| AdminError::InvalidJson("the spec must be UTF-8 JSON".into()))?
            .to_owned();
        let spec = DashboardSpec::from_json(&slug, &json)
            .map_err(|e| AdminError::InvalidSpec(e.to_string()))?;
        let title = spec.title().to_owned();
        let description = spec.description().to_owned();
        let (stored_slug, stored_title) = (slug.clone(), title.clone());
        let created = self
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
                    let e = audit::entry("dashboard_put", "success", actor, slug.clone()).detail(
                        json!({
                            "before": before.map(|b| b.title),
                            "after": title,
                        }),
                    );
                    audit_store::append(conn, &e)?;
                    Ok::<_, StoreError>(created)
                })
            })
            .await?;
        Ok(DashboardPut {
            slug: stored_slug,
            title: stored_title,
            charts: spec.charts().len(),
            created,
        })
    }
}
