//! Server-side BFF sessions (`sessions`). Rows are keyed by the SHA-256 of the session
//! key, so a copy of the table does not hand out live cookies.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::sessions;
use super::{DbConnection, StoreResult};

pub fn load(conn: &mut DbConnection, id: &str) -> StoreResult<Option<String>> {
    Ok(sessions::table
        .find(id)
        .filter(sessions::expires_at.gt(super::now()))
        .select(sessions::state)
        .first(conn)
        .optional()?)
}

pub fn insert(
    conn: &mut DbConnection,
    id: &str,
    state: &str,
    expires_at: NaiveDateTime,
    user: Option<&str>,
) -> StoreResult<()> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(id),
            sessions::state.eq(state),
            sessions::expires_at.eq(expires_at),
            sessions::user_id.eq(user),
        ))
        .execute(conn)?;
    Ok(())
}

/// Updates a live session; returns false when it is gone or expired.
pub fn update(
    conn: &mut DbConnection,
    id: &str,
    state: &str,
    expires_at: NaiveDateTime,
    user: Option<&str>,
) -> StoreResult<bool> {
    let n = diesel::update(
        sessions::table
            .find(id)
            .filter(sessions::expires_at.gt(super::now())),
    )
    .set((
        sessions::state.eq(state),
        sessions::expires_at.eq(expires_at),
        sessions::user_id.eq(user),
    ))
    .execute(conn)?;
    Ok(n > 0)
}

pub fn touch(conn: &mut DbConnection, id: &str, expires_at: NaiveDateTime) -> StoreResult<()> {
    diesel::update(sessions::table.find(id))
        .set(sessions::expires_at.eq(expires_at))
        .execute(conn)?;
    Ok(())
}

pub fn delete(conn: &mut DbConnection, id: &str) -> StoreResult<()> {
    diesel::delete(sessions::table.find(id)).execute(conn)?;
    Ok(())
}

/// Removes expired sessions; returns how many.
pub fn purge_expired(conn: &mut DbConnection) -> StoreResult<usize> {
    Ok(
        diesel::delete(sessions::table.filter(sessions::expires_at.le(super::now())))
            .execute(conn)?,
    )
}

/// Live sessions, for the metrics gauge.
pub fn count_live(conn: &mut DbConnection) -> StoreResult<i64> {
    Ok(sessions::table
        .filter(sessions::expires_at.gt(super::now()))
        .count()
        .get_result(conn)?)
}

/// Deletes every stored session of a user (erasure).
pub fn delete_for_user(conn: &mut DbConnection, user: &str) -> StoreResult<usize> {
    Ok(diesel::delete(sessions::table.filter(sessions::user_id.eq(user))).execute(conn)?)
}
