//! Saved dashboard filters per user, tenant and dashboard (`preferences`).

use diesel::prelude::*;
use kyros_common::ids::{TenantId, UserId};

use super::schema::preferences;
use super::{DbConnection, StoreResult};

pub fn find(
    conn: &mut DbConnection,
    user: UserId,
    tenant: TenantId,
    dashboard_id: &str,
) -> StoreResult<Option<String>> {
    Ok(preferences::table
        .find((
            user.to_string(),
            tenant.to_string(),
            dashboard_id.to_owned(),
        ))
        .select(preferences::filters_json)
        .first(conn)
        .optional()?)
}

/// Inserts or replaces the saved filters.
pub fn save(
    conn: &mut DbConnection,
    user: UserId,
    tenant: TenantId,
    dashboard_id: &str,
    filters_json: &str,
) -> StoreResult<()> {
    let key = (
        user.to_string(),
        tenant.to_string(),
        dashboard_id.to_owned(),
    );
    let now = super::now();
    let updated = diesel::update(preferences::table.find(key.clone()))
        .set((
            preferences::filters_json.eq(filters_json),
            preferences::updated_at.eq(now),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(preferences::table)
            .values((
                preferences::user_id.eq(key.0),
                preferences::tenant_id.eq(key.1),
                preferences::dashboard_id.eq(key.2),
                preferences::filters_json.eq(filters_json),
                preferences::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}
