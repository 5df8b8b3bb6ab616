//! Which user may use which tenant, and with what role (`user_tenants`).

use diesel::prelude::*;
use kyros_common::api::tenants::Role;
use kyros_common::ids::{TenantId, UserId};

use super::schema::{tenants, user_tenants, users};
use super::tenants::TenantRow;
use super::users::UserRow;
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

/// The user's role in the tenant and their token generation, only if the membership
/// exists and both the user and the tenant are active: the check behind every scoped
/// request.
pub fn active_membership(
    conn: &mut DbConnection,
    user: UserId,
    tenant: TenantId,
) -> StoreResult<Option<(Role, i64)>> {
    let row: Option<(String, i64)> = user_tenants::table
        .inner_join(tenants::table)
        .inner_join(users::table)
        .filter(user_tenants::user_id.eq(user.to_string()))
        .filter(user_tenants::tenant_id.eq(tenant.to_string()))
        .filter(tenants::is_active.eq(true))
        .filter(users::is_active.eq(true))
        .select((user_tenants::role, users::token_generation))
        .first(conn)
        .optional()?;
    row.map(|(role, generation)| Ok((parse_role(&role)?, generation)))
        .transpose()
}

/// The role of a membership whatever the activity of user and tenant.
pub fn role_of(
    conn: &mut DbConnection,
    user: UserId,
    tenant: TenantId,
) -> StoreResult<Option<Role>> {
    let role: Option<String> = user_tenants::table
        .find((user.to_string(), tenant.to_string()))
        .select(user_tenants::role)
        .first(conn)
        .optional()?;
    role.as_deref().map(parse_role).transpose()
}

/// Grants or changes a role (operators); a new membership counts as joined. Returns
/// the previous role.
pub fn grant(
    conn: &mut DbConnection,
    user: UserId,
    tenant: TenantId,
    role: Role,
) -> StoreResult<Option<Role>> {
    conn.transaction(|conn| {
        let previous = role_of(conn, user, tenant)?;
        if previous.is_some() {
            diesel::update(user_tenants::table.find((user.to_string(), tenant.to_string())))
                .set(user_tenants::role.eq(role.as_str()))
                .execute(conn)?;
        } else {
            diesel::insert_into(user_tenants::table)
                .values((
                    user_tenants::user_id.eq(user.to_string()),
                    user_tenants::tenant_id.eq(tenant.to_string()),
                    user_tenants::role.eq(role.as_str()),
                    user_tenants::joined_at.eq(Some(super::now())),
                ))
                .execute(conn)?;
        }
        super::epoch::bump(conn)?;
        Ok(previous)
    })
}

/// Adds a pending membership (a tenant admin's invitation): it shows as invited until
/// the user next signs in. Returns false, changing nothing, when one exists already.
pub fn add_pending(
    conn: &mut DbConnection,
    user: UserId,
    tenant: TenantId,
    role: Role,
) -> StoreResult<bool> {
    if role_of(conn, user, tenant)?.is_some() {
        return Ok(false);
    }
    diesel::insert_into(user_tenants::table)
        .values((
            user_tenants::user_id.eq(user.to_string()),
            user_tenants::tenant_id.eq(tenant.to_string()),
            user_tenants::role.eq(role.as_str()),
            user_tenants::joined_at.eq(None::<chrono::NaiveDateTime>),
        ))
        .execute(conn)?;
    super::epoch::bump(conn)?;
    Ok(true)
}

/// Changes the role of an existing membership; returns the previous role.
pub fn set_role(
    conn: &mut DbConnection,
    user: UserId,
    tenant: TenantId,
    role: Role,
) -> StoreResult<Option<Role>> {
    let previous = role_of(conn, user, tenant)?;
    if previous.is_some() {
        diesel::update(user_tenants::table.find((user.to_string(), tenant.to_string())))
            .set(user_tenants::role.eq(role.as_str()))
            .execute(conn)?;
        super::epoch::bump(conn)?;
    }
    Ok(previous)
}

/// Admins of the tenant whose accounts are active.
pub fn active_admins(conn: &mut DbConnection, tenant: TenantId) -> StoreResult<i64> {
    Ok(user_tenants::table
        .inner_join(users::table)
        .filter(user_tenants::tenant_id.eq(tenant.to_string()))
        .filter(user_tenants::role.eq(Role::Admin.as_str()))
        .filter(users::is_active.eq(true))
        .count()
        .get_result(conn)?)
}

/// One member of a tenant, as stored.
#[derive(Debug, Clone)]
pub struct MemberRow {
    pub user: UserRow,
    pub role: Role,
    pub joined_at: Option<chrono::NaiveDateTime>,
}

/// The tenant's members, ordered by email.
pub fn members_of(conn: &mut DbConnection, tenant: TenantId) -> StoreResult<Vec<MemberRow>> {
    let rows: Vec<(UserRow, String, Option<chrono::NaiveDateTime>)> = user_tenants::table
        .inner_join(users::table)
        .filter(user_tenants::tenant_id.eq(tenant.to_string()))
        .order(users::email.asc())
        .select((
            UserRow::as_select(),
            user_tenants::role,
            user_tenants::joined_at,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(user, role, joined_at)| {
            Ok(MemberRow {
                user,
                role: parse_role(&role)?,
                joined_at,
            })
        })
        .collect()
}

/// Every membership of a user (whatever the tenant's activity): tenant id and role.
pub fn of_user(conn: &mut DbConnection, user: UserId) -> StoreResult<Vec<(String, Role)>> {
    let rows: Vec<(String, String)> = user_tenants::table
        .filter(user_tenants::user_id.eq(user.to_string()))
        .order(user_tenants::tenant_id.asc())
        .select((user_tenants::tenant_id, user_tenants::role))
        .load(conn)?;
    rows.into_iter()
        .map(|(tenant, role)| Ok((tenant, parse_role(&role)?)))
        .collect()
}

/// Marks the user's pending memberships joined (they signed in).
pub fn mark_joined(conn: &mut DbConnection, user: UserId) -> StoreResult<usize> {
    Ok(diesel::update(
        user_tenants::table
            .filter(user_tenants::user_id.eq(user.to_string()))
            .filter(user_tenants::joined_at.is_null()),
    )
    .set(user_tenants::joined_at.eq(Some(super::now())))
    .execute(conn)?)
}

/// Removes a membership; returns whether one existed.
pub fn revoke(conn: &mut DbConnection, user: UserId, tenant: TenantId) -> StoreResult<bool> {
    let n = diesel::delete(user_tenants::table.find((user.to_string(), tenant.to_string())))
        .execute(conn)?;
    super::epoch::bump(conn)?;
    Ok(n > 0)
}
