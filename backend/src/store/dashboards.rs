//! Dashboard definitions and their assignment to tenants.

use diesel::prelude::*;
use kyros_common::ids::TenantId;

use super::schema::{dashboards, tenant_dashboards};
use super::{DbConnection, StoreResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = dashboards)]
pub struct DashboardRow {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub spec_json: String,
    pub created_at: chrono::NaiveDateTime,
}

/// Dashboards assigned to the tenant, ordered by title.
pub fn for_tenant(conn: &mut DbConnection, tenant: TenantId) -> StoreResult<Vec<DashboardRow>> {
    Ok(dashboards::table
        .inner_join(tenant_dashboards::table)
        .filter(tenant_dashboards::tenant_id.eq(tenant.to_string()))
        .order(dashboards::title.asc())
        .select(DashboardRow::as_select())
        .load(conn)?)
}

/// The dashboard with this slug if, and only if, it is assigned to the tenant.
pub fn find_for_tenant(
    conn: &mut DbConnection,
    tenant: TenantId,
    slug: &str,
) -> StoreResult<Option<DashboardRow>> {
    Ok(dashboards::table
        .inner_join(tenant_dashboards::table)
        .filter(tenant_dashboards::tenant_id.eq(tenant.to_string()))
        .filter(dashboards::slug.eq(slug))
        .select(DashboardRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_by_slug(conn: &mut DbConnection, slug: &str) -> StoreResult<Option<DashboardRow>> {
    Ok(dashboards::table
        .filter(dashboards::slug.eq(slug))
        .select(DashboardRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert(conn: &mut DbConnection, row: &DashboardRow) -> StoreResult<()> {
    diesel::insert_into(dashboards::table)
        .values(row)
        .execute(conn)?;
    super::epoch::bump(conn)
}

pub fn assign(conn: &mut DbConnection, tenant: TenantId, dashboard_id: &str) -> StoreResult<bool> {
    let key = (tenant.to_string(), dashboard_id.to_owned());
    let exists = tenant_dashboards::table
        .find(key.clone())
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if !exists {
        diesel::insert_into(tenant_dashboards::table)
            .values((
                tenant_dashboards::tenant_id.eq(key.0),
                tenant_dashboards::dashboard_id.eq(key.1),
            ))
            .execute(conn)?;
        super::epoch::bump(conn)?;
    }
    Ok(!exists)
}

pub fn unassign(
    conn: &mut DbConnection,
    tenant: TenantId,
    dashboard_id: &str,
) -> StoreResult<bool> {
    let n = diesel::delete(
        tenant_dashboards::table.find((tenant.to_string(), dashboard_id.to_owned())),
    )
    .execute(conn)?;
    super::epoch::bump(conn)?;
    Ok(n > 0)
}

pub fn replace(
    conn: &mut DbConnection,
    id: &str,
    title: &str,
    description: &str,
    spec_json: &str,
) -> StoreResult<()> {
    diesel::update(dashboards::table.find(id))
        .set((
            dashboards::title.eq(title),
            dashboards::description.eq(description),
            dashboards::spec_json.eq(spec_json),
        ))
        .execute(conn)?;
    super::epoch::bump(conn)
}
