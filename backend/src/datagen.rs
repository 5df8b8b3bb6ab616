//! Tenant data on disk: demo data generated on first start, and `kyros gen-data` for
//! many tenants (creating `bench-NNNN` tenants and users when the database has fewer).

use std::path::Path;

use diesel::Connection;
use kyros_common::api::tenants::Role;
use kyros_common::ids::{TenantId, UserId};
use kyros_engine::{demo_profile, generate_tenant, tenant_data_present, TenantProfile};

use crate::auth::password::{hash_password, HashError};
use crate::store::tenants::TenantRow;
use crate::store::users::UserRow;
use crate::store::{self, dashboards, memberships, tenants, users, Db};
use kyros_common::api::tenants::TenantConfig;

/// Why tenant data could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum DataGenError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error("generating data for {tenant}: {source}")]
    Engine {
        tenant: String,
        source: kyros_engine::EngineError,
    },
}

/// Generates demo data for every tenant that has none yet. Blocking.
pub fn ensure_demo_data(db: &Db, data_dir: &Path, rows: usize) -> Result<usize, DataGenError> {
    let list = tenants::list(&mut *db.conn()?)?;
    let mut generated = 0;
    for tenant in list {
        let Some(id) = tenant.tenant_id() else {
            continue;
        };
        if tenant_data_present(data_dir, id.as_uuid()) {
            continue;
        }
        let report = generate_tenant(data_dir, id.as_uuid(), &demo_profile(id.as_uuid(), rows))
            .map_err(|source| DataGenError::Engine {
                tenant: tenant.slug.clone(),
                source,
            })?;
        tracing::info!(tenant = %tenant.slug, datasets = report.datasets.len(), "demo data generated");
        generated += 1;
    }
    Ok(generated)
}

/// Makes sure at least `count` tenants exist (adding `bench-NNNN` tenants, each with a
/// viewer `user-NNNN@bench.kyros` and every shipped dashboard), then (re)generates data
/// for the first `count` tenants by slug with `rows` rows per dataset and base `seed`.
pub fn gen_data(
    db: &Db,
    data_dir: &Path,
    count: usize,
    rows: usize,
    seed: u64,
    password: &str,
) -> Result<(), DataGenError> {
    let mut conn = db.conn()?;
    let existing = tenants::list(&mut conn)?.len();
    if existing < count {
        let hash = hash_password(password)?;
        let dashboard_ids: Vec<String> = crate::catalog::builtin_dashboards()
            .iter()
            .filter_map(|(slug, ..)| {
                dashboards::find_by_slug(&mut conn, slug)
                    .ok()
                    .flatten()
                    .map(|d| d.id)
            })
            .collect();
        for n in existing + 1..=count {
            let slug = format!("bench-{n:04}");
            conn.transaction(|conn| {
                let tenant_id = TenantId::new_random();
                tenants::insert(
                    conn,
                    &TenantRow {
                        id: tenant_id.to_string(),
                        name: format!("Bench Tenant {n:04}"),
                        slug: slug.clone(),
                        is_active: true,
                        config_json: serde_json::to_string(&TenantConfig::default())
                            .unwrap_or_else(|_| "{}".into()),
                        created_at: store::now(),
                    },
                )?;
                let user_id = UserId::new_random();
                users::insert(
                    conn,
                    &UserRow {
                        id: user_id.to_string(),
                        email: format!("user-{n:04}@bench.kyros"),
                        password_hash: hash.clone(),
                        is_active: true,
                        created_at: store::now(),
                        name: String::new(),
                        last_sign_in_at: None,
                        token_generation: 0,
                        last_tenant_id: None,
                    },
                )?;
                memberships::grant(conn, user_id, tenant_id, Role::Viewer)?;
                for id in &dashboard_ids {
                    dashboards::assign(conn, tenant_id, id)?;
                }
                Ok::<_, store::StoreError>(())
            })?;
        }
    }
    let all = tenants::list(&mut conn)?;
    drop(conn);
    for tenant in all.iter().take(count) {
        let Some(id) = tenant.tenant_id() else {
            continue;
        };
        let profile = TenantProfile::derive(id.as_uuid(), seed, rows);
        let report = generate_tenant(data_dir, id.as_uuid(), &profile).map_err(|source| {
            DataGenError::Engine {
                tenant: tenant.slug.clone(),
                source,
            }
        })?;
        let written: Vec<String> = report.datasets.iter().map(|d| format!("{d:?}")).collect();
        println!("{}: {}", tenant.slug, written.join(", "));
    }
    Ok(())
}
