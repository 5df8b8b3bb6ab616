//! The demo seed of SPEC section 3: two tenants, three users, the shipped dashboards.
//! Idempotent: rows that exist (by slug or email) are left alone.

use diesel::Connection;
use kyros_common::api::tenants::{Branding, Role};
use kyros_common::ids::{DashboardId, TenantId, UserId};

use super::dashboards::{self, DashboardRow};
use super::tenants::{self, TenantRow};
use super::users::{self, UserRow};
use super::{memberships, DbConnection, StoreError, StoreResult};
use kyros_common::api::tenants::TenantConfig;

pub struct DemoTenant {
    pub slug: &'static str,
    pub name: &'static str,
    pub color: &'static str,
    pub logo: &'static str,
}

pub const DEMO_TENANTS: &[DemoTenant] = &[
    DemoTenant {
        slug: "acme-corp",
        name: "Acme Corporation",
        color: "#1d4ed8",
        logo: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Cpath d='M16 3 29 29H3z' fill='white'/%3E%3C/svg%3E",
    },
    DemoTenant {
        slug: "beta-ind",
        name: "Beta Industries",
        color: "#047857",
        logo: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Ccircle cx='16' cy='16' r='12' fill='white'/%3E%3C/svg%3E",
    },
];

/// (email, [(tenant slug, role)])
pub const DEMO_USERS: &[(&str, &[(&str, Role)])] = &[
    ("analyst@acme.com", &[("acme-corp", Role::Viewer)]),
    (
        "admin@acme.com",
        &[("acme-corp", Role::Admin), ("beta-ind", Role::Admin)],
    ),
    ("viewer@beta.com", &[("beta-ind", Role::Viewer)]),
];

/// (dashboard slug, tenant slugs it is assigned to)
pub const DEMO_ASSIGNMENTS: &[(&str, &[&str])] = &[
    ("customer-lifetime-value", &["acme-corp"]),
    ("risk-analysis", &["acme-corp", "beta-ind"]),
    ("channel-performance", &["acme-corp"]),
];

/// A dashboard definition to install: (slug, title, description, spec JSON).
pub type DashboardDef = (&'static str, &'static str, &'static str, &'static str);

#[derive(Debug, Default)]
pub struct SeedReport {
    pub tenants: usize,
    pub users: usize,
    pub dashboards: usize,
}

/// Applies the seed in one transaction. `password_hash` is the argon2id hash of the
/// demo password (computed by the caller, outside the transaction).
pub fn apply(
    conn: &mut DbConnection,
    password_hash: &str,
    dashboard_defs: &[DashboardDef],
) -> StoreResult<SeedReport> {
    conn.transaction(|conn| {
        let mut report = SeedReport::default();
        for demo in DEMO_TENANTS {
            if tenants::find_by_slug(conn, demo.slug)?.is_none() {
                let config = TenantConfig {
                    branding: Some(Branding {
                        display_name: demo.name.into(),
                        primary_color: demo.color.into(),
                        logo_url: demo.logo.into(),
                    }),
                    features: [("csv_export".to_owned(), true)].into_iter().collect(),
                    ..TenantConfig::default()
                };
                tenants::insert(
                    conn,
                    &TenantRow {
                        id: TenantId::new_random().to_string(),
                        name: demo.name.into(),
                        slug: demo.slug.into(),
                        is_active: true,
                        config_json: serde_json::to_string(&config)
                            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                        created_at: super::now(),
                    },
                )?;
                report.tenants += 1;
            }
        }
        for (slug, title, description, spec) in dashboard_defs {
            if dashboards::find_by_slug(conn, slug)?.is_none() {
                dashboards::insert(
                    conn,
                    &DashboardRow {
                        id: DashboardId::new_random().to_string(),
                        slug: (*slug).into(),
                        title: (*title).into(),
                        description: (*description).into(),
                        spec_json: (*spec).into(),
                        created_at: super::now(),
                    },
                )?;
                report.dashboards += 1;
            }
        }
        for (dashboard_slug, tenant_slugs) in DEMO_ASSIGNMENTS {
            let Some(dashboard) = dashboards::find_by_slug(conn, dashboard_slug)? else {
                continue;
            };
            for tenant_slug in *tenant_slugs {
                if let Some(tenant_id) =
                    tenants::find_by_slug(conn, tenant_slug)?.and_then(|t| t.tenant_id())
                {
                    dashboards::assign(conn, tenant_id, &dashboard.id)?;
                }
            }
        }
        for (email, grants) in DEMO_USERS {
            if users::find_by_email(conn, email)?.is_none() {
                {
                    let user = UserRow {
                        id: UserId::new_random().to_string(),
                        email: (*email).into(),
                        password_hash: password_hash.into(),
                        is_active: true,
                        created_at: super::now(),
                        name: String::new(),
                        last_sign_in_at: None,
                        token_generation: 0,
                        last_tenant_id: None,
                    };
                    users::insert(conn, &user)?;
                    report.users += 1;
                    for (tenant_slug, role) in *grants {
                        let tenant =
                            tenants::find_by_slug(conn, tenant_slug)?.and_then(|t| t.tenant_id());
                        if let (Some(tenant_id), Some(user_id)) = (tenant, user.user_id()) {
                            memberships::grant(conn, user_id, tenant_id, *role)?;
                        }
                    }
                }
            }
        }
        Ok(report)
    })
}
