//! Which user may use which tenant, and with what role (`user_tenants`).

use diesel::prelude::*;
use kyros_common::api::tenants::Role;
use kyros_common::ids::{TenantId, UserId};

use super::schema::{tenants, user_tenants, users};
use super::tenants::TenantRow;
use super::{DbConnection, StoreError, StoreResult};

pub fn parse_role(role: &str) -> StoreResult<Role> {
    match role {
        "admin" => Ok(Role::Admin),
        "viewer" => Ok(Role::Viewer),
        other => Err(StoreError::Corrupt(format!("unknown role {other:?}"))),
    }
}

/// The active tenants an active user belongs to, with their role, ordered by slug.
pub fn tenants_of_user(
    conn: &mut DbConnection,
    user: UserId,
) -> StoreResult<Vec<(TenantRow, Role)>> {
    let rows: Vec<(TenantRow, String)> = user_tenants::table
        .inner_join(tenants::table)
        .inner_join(users::table)
        .filter(user_tenants::user_id.eq(user.to_string()))
        .filter(tenants::is_active.eq(true))
        .filter(users::is_active.eq(true))
        .order(tenants::slug.asc())
        .select((TenantRow::as_select(), user_tenants::role))
        .load(conn)?;
    rows.into_iter()
        .map(|(tenant, role)| Ok((tenant, parse_role(&role)?)))
        .collect()
}

/// The user's current role in the tenant, only if the membership exists and both the
/// user and the tenant are active. This is the check behind every exchange and every
/// scoped request.
pub fn active_role(
    conn: &mut DbConnection,
    user: UserId,
    tenant: TenantId,
) -> StoreResult<Option<Role>> {
    let role: Option<String> = user_tenants::table
        .inner_join(tenants::table)
        .inner_join(users::table)
        .filter(user_tenants::user_id.eq(user.to_string()))
        .filter(user_tenants::tenant_id.eq(tenant.to_string()))
        .filter(tenants::is_active.eq(true))
        .filter(users::is_active.eq(true))
        .select(user_tenants::role)
        .first(conn)
        .optional()?;
    role.as_deref().map(parse_role).transpose()
}

/// Grants or changes a role; returns the previous role.
pub fn grant(
    conn: &mut DbConnection,
    user: UserId,
    tenant: TenantId,
    role: Role,
) -> StoreResult<Option<Role>> {
    conn.transaction(|conn| {
        let key = (user.to_string(), tenant.to_string());
        let previous: Option<String> = user_tenants::table
            .find(key.clone())
            .select(user_tenants::role)
            .first(conn)
            .optional()?;
        if previous.is_some() {
            diesel::update(user_tenants::table.find(key))
                .set(user_tenants::role.eq(role.as_str()))
                .execute(conn)?;
        } else {
            diesel::insert_into(user_tenants::table)
                .values((
                    user_tenants::user_id.eq(user.to_string()),
                    user_tenants::tenant_id.eq(tenant.to_string()),
                    user_tenants::role.eq(role.as_str()),
                ))
                .execute(conn)?;
        }
        super::epoch::bump(conn)?;
        previous.as_deref().map(parse_role).transpose()
    })
}

/// Removes a membership; returns whether one existed.
pub fn revoke(conn: &mut DbConnection, user: UserId, tenant: TenantId) -> StoreResult<bool> {
    let n = diesel::delete(user_tenants::table.find((user.to_string(), tenant.to_string())))
        .execute(conn)?;
    super::epoch::bump(conn)?;
    Ok(n > 0)
}
