//! Tenants and their configuration (branding, feature flags, visible components).

use diesel::prelude::*;
use kyros_common::api::tenants::{Branding, TenantConfig};
use kyros_common::ids::TenantId;

use super::schema::tenants;
use super::{DbConnection, StoreResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tenants)]
pub struct TenantRow {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub is_active: bool,
    pub config_json: String,
    pub created_at: chrono::NaiveDateTime,
}

impl TenantRow {
    pub fn tenant_id(&self) -> Option<TenantId> {
        self.id.parse().ok()
    }

    pub fn config(&self) -> TenantConfig {
        serde_json::from_str(&self.config_json).unwrap_or_default()
    }

    /// Branding with the tenant name as a fallback.
    pub fn branding(&self) -> Branding {
        let mut branding = self.config().branding.unwrap_or_default();
        if branding.display_name.is_empty() {
            branding.display_name = self.name.clone();
        }
        if branding.primary_color.is_empty() {
            branding.primary_color = "#334155".into();
        }
        branding
    }
}

pub fn find_by_id(conn: &mut DbConnection, id: TenantId) -> StoreResult<Option<TenantRow>> {
    Ok(tenants::table
        .find(id.to_string())
        .select(TenantRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_by_slug(conn: &mut DbConnection, slug: &str) -> StoreResult<Option<TenantRow>> {
    Ok(tenants::table
        .filter(tenants::slug.eq(slug))
        .select(TenantRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert(conn: &mut DbConnection, row: &TenantRow) -> StoreResult<()> {
    diesel::insert_into(tenants::table)
        .values(row)
        .execute(conn)?;
    super::epoch::bump(conn)
}

pub fn count(conn: &mut DbConnection) -> StoreResult<i64> {
    Ok(tenants::table.count().get_result(conn)?)
}

pub fn list(conn: &mut DbConnection) -> StoreResult<Vec<TenantRow>> {
    Ok(tenants::table
        .order(tenants::slug.asc())
        .select(TenantRow::as_select())
        .load(conn)?)
}

/// A page of tenants ordered by slug, after `after`.
pub fn list_page(
    conn: &mut DbConnection,
    after: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<TenantRow>> {
    let mut query = tenants::table.into_boxed();
    if let Some(after) = after {
        query = query.filter(tenants::slug.gt(after.to_owned()));
    }
    Ok(query
        .order(tenants::slug.asc())
        .limit(limit)
        .select(TenantRow::as_select())
        .load(conn)?)
}

pub fn set_active(conn: &mut DbConnection, id: TenantId, active: bool) -> StoreResult<usize> {
    let n = diesel::update(tenants::table.find(id.to_string()))
        .set(tenants::is_active.eq(active))
        .execute(conn)?;
    super::epoch::bump(conn)?;
    Ok(n)
}

pub fn set_config(conn: &mut DbConnection, id: TenantId, config_json: &str) -> StoreResult<usize> {
    let n = diesel::update(tenants::table.find(id.to_string()))
        .set(tenants::config_json.eq(config_json))
        .execute(conn)?;
    super::epoch::bump(conn)?;
    Ok(n)
}
