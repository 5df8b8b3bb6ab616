//! Single sign-on: the per-tenant identity providers (client secrets sealed) and the
//! links from a provider's subject to a Kyros user. Owner path only: request work never
//! reads either table (PostgreSQL: row-level security without an app policy).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use kyros_common::ids::{TenantId, UserId};

use super::schema::{identity_links, identity_providers};
use super::{DbConnection, StoreResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = identity_providers)]
pub struct ProviderRow {
    pub id: String,
    pub tenant_id: String,
    pub issuer: String,
    pub client_id: String,
    pub client_secret_sealed: String,
    /// A JSON array of lower-case domains.
    pub email_domains: String,
    pub jit_enabled: bool,
    pub jit_role: String,
    pub updated_at: NaiveDateTime,
}

impl ProviderRow {
    pub fn domains(&self) -> Vec<String> {
        serde_json::from_str(&self.email_domains).unwrap_or_default()
    }
}

pub fn all_providers(conn: &mut DbConnection) -> StoreResult<Vec<ProviderRow>> {
    Ok(identity_providers::table
        .order(identity_providers::tenant_id)
        .select(ProviderRow::as_select())
        .load(conn)?)
}

pub fn provider_of(conn: &mut DbConnection, tenant: TenantId) -> StoreResult<Option<ProviderRow>> {
    Ok(identity_providers::table
        .filter(identity_providers::tenant_id.eq(tenant.to_string()))
        .select(ProviderRow::as_select())
        .first(conn)
        .optional()?)
}

/// Inserts or replaces the tenant's provider (one per tenant); keeps the row id.
pub fn put_provider(conn: &mut DbConnection, row: &ProviderRow) -> StoreResult<()> {
    let updated = diesel::update(
        identity_providers::table.filter(identity_providers::tenant_id.eq(&row.tenant_id)),
    )
    .set((
        identity_providers::issuer.eq(&row.issuer),
        identity_providers::client_id.eq(&row.client_id),
        identity_providers::client_secret_sealed.eq(&row.client_secret_sealed),
        identity_providers::email_domains.eq(&row.email_domains),
        identity_providers::jit_enabled.eq(row.jit_enabled),
        identity_providers::jit_role.eq(&row.jit_role),
        identity_providers::updated_at.eq(row.updated_at),
    ))
    .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(identity_providers::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

pub fn delete_provider(conn: &mut DbConnection, tenant: TenantId) -> StoreResult<bool> {
    Ok(diesel::delete(
        identity_providers::table.filter(identity_providers::tenant_id.eq(tenant.to_string())),
    )
    .execute(conn)?
        > 0)
}

/// The user a provider's subject is linked to.
pub fn linked_user(
    conn: &mut DbConnection,
    issuer: &str,
    subject: &str,
) -> StoreResult<Option<String>> {
    Ok(identity_links::table
        .find((issuer, subject))
        .select(identity_links::user_id)
        .first(conn)
        .optional()?)
}

/// Links a provider's subject to a user; false when the subject is linked already.
pub fn link(
    conn: &mut DbConnection,
    issuer: &str,
    subject: &str,
    user: UserId,
) -> StoreResult<bool> {
    if linked_user(conn, issuer, subject)?.is_some() {
        return Ok(false);
    }
    diesel::insert_into(identity_links::table)
        .values((
            identity_links::issuer.eq(issuer),
            identity_links::subject.eq(subject),
            identity_links::user_id.eq(user.to_string()),
            identity_links::created_at.eq(super::now()),
        ))
        .execute(conn)?;
    Ok(true)
}

/// How many provider identities a user is linked to.
pub fn links_of(conn: &mut DbConnection, user: UserId) -> StoreResult<i64> {
    Ok(identity_links::table
        .filter(identity_links::user_id.eq(user.to_string()))
        .count()
        .get_result(conn)?)
}
