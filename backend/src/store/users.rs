//! User accounts.

use diesel::prelude::*;
use kyros_common::ids::UserId;

use super::schema::users;
use super::{DbConnection, StoreResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub password_hash: String,
    pub is_active: bool,
    pub created_at: chrono::NaiveDateTime,
}

impl UserRow {
    pub fn user_id(&self) -> Option<UserId> {
        self.id.parse().ok()
    }
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
