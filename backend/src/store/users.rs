//! User accounts.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use kyros_common::ids::UserId;

use super::schema::users;
use super::{DbConnection, StoreResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    /// Empty until an invited user sets a password (nothing verifies against it).
    pub password_hash: String,
    pub is_active: bool,
    pub created_at: NaiveDateTime,
    pub name: String,
    pub last_sign_in_at: Option<NaiveDateTime>,
    /// Moves when the password changes; tokens of an older generation are refused.
    pub token_generation: i64,
    /// The tenant the user last selected (a new sign-in starts there).
    pub last_tenant_id: Option<String>,
}

impl UserRow {
    pub fn user_id(&self) -> Option<UserId> {
        self.id.parse().ok()
    }

    /// A fresh account for `email` (already normalised), without a password.
    pub fn new_invited(email: &str, name: &str) -> Self {
        UserRow {
            id: UserId::new_random().to_string(),
            email: email.to_owned(),
            password_hash: String::new(),
            is_active: true,
            created_at: super::now(),
            name: name.to_owned(),
            last_sign_in_at: None,
            token_generation: 0,
            last_tenant_id: None,
        }
    }

    /// Whether the user still has to set a password (an open invitation).
    pub fn invitation_pending(&self) -> bool {
        self.password_hash.is_empty()
    }
}

/// What a token check needs to know about its user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserStatus {
    pub is_active: bool,
    pub token_generation: i64,
}

/// Emails are compared case-insensitively: stored and looked up in lower case.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn find_by_email(conn: &mut DbConnection, email: &str) -> StoreResult<Option<UserRow>> {
    Ok(users::table
        .filter(users::email.eq(normalise_email(email)))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_by_id(conn: &mut DbConnection, id: UserId) -> StoreResult<Option<UserRow>> {
    Ok(users::table
        .find(id.to_string())
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

/// Activity and token generation of a user; `None` when there is no such user.
pub fn status(conn: &mut DbConnection, id: UserId) -> StoreResult<Option<UserStatus>> {
    let row: Option<(bool, i64)> = users::table
        .find(id.to_string())
        .select((users::is_active, users::token_generation))
        .first(conn)
        .optional()?;
    Ok(row.map(|(is_active, token_generation)| UserStatus {
        is_active,
        token_generation,
    }))
}

/// A page of users ordered by email, after `after` (an email), optionally one email.
pub fn list(
    conn: &mut DbConnection,
    email: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<UserRow>> {
    let mut query = users::table.into_boxed();
    if let Some(email) = email {
        query = query.filter(users::email.eq(email.to_owned()));
    }
    if let Some(after) = after {
        query = query.filter(users::email.gt(after.to_owned()));
    }
    Ok(query
        .order(users::email.asc())
        .limit(limit)
        .select(UserRow::as_select())
        .load(conn)?)
}

pub fn insert(conn: &mut DbConnection, row: &UserRow) -> StoreResult<()> {
    diesel::insert_into(users::table)
        .values(row)
        .execute(conn)?;
    super::epoch::bump(conn)
}

pub fn set_active(conn: &mut DbConnection, id: UserId, active: bool) -> StoreResult<usize> {
    let n = diesel::update(users::table.find(id.to_string()))
        .set(users::is_active.eq(active))
        .execute(conn)?;
    super::epoch::bump(conn)?;
    Ok(n)
}

pub fn set_name(conn: &mut DbConnection, id: UserId, name: &str) -> StoreResult<usize> {
    Ok(diesel::update(users::table.find(id.to_string()))
        .set(users::name.eq(name))
        .execute(conn)?)
}

/// Sets a new password hash and moves the token generation, so every token issued
/// before is refused; returns the new generation.
pub fn set_password(conn: &mut DbConnection, id: UserId, hash: &str) -> StoreResult<i64> {
    diesel::update(users::table.find(id.to_string()))
        .set((
            users::password_hash.eq(hash),
            users::token_generation.eq(users::token_generation + 1),
        ))
        .execute(conn)?;
    super::epoch::bump(conn)?;
    Ok(users::table
        .find(id.to_string())
        .select(users::token_generation)
        .first(conn)?)
}

pub fn record_sign_in(conn: &mut DbConnection, id: UserId) -> StoreResult<()> {
    diesel::update(users::table.find(id.to_string()))
        .set(users::last_sign_in_at.eq(Some(super::now())))
        .execute(conn)?;
    Ok(())
}

/// Deletes the account; memberships, preferences, tokens and session registry rows go
/// with it (foreign keys with `ON DELETE CASCADE`).
pub fn delete(conn: &mut DbConnection, id: UserId) -> StoreResult<usize> {
    let n = diesel::delete(users::table.find(id.to_string())).execute(conn)?;
    super::epoch::bump(conn)?;
    Ok(n)
}

/// Remembers the tenant the user selected last.
pub fn set_last_tenant(conn: &mut DbConnection, id: UserId, tenant: &str) -> StoreResult<()> {
    diesel::update(users::table.find(id.to_string()))
        .set(users::last_tenant_id.eq(Some(tenant)))
        .execute(conn)?;
    Ok(())
}
