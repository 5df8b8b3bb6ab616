//! The registry of a user's browser sessions (`user_sessions`): what `GET /bff/sessions`
//! lists and what ending a session (or a password change) ends everywhere.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use kyros_common::ids::UserId;

use super::schema::user_sessions;
use super::{DbConnection, StoreResult};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = user_sessions)]
pub struct UserSessionRow {
    pub id: String,
    pub user_id: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub user_agent: String,
    pub ended_at: Option<NaiveDateTime>,
}

pub fn insert(
    conn: &mut DbConnection,
    id: &str,
    user: UserId,
    user_agent: &str,
) -> StoreResult<()> {
    let now = super::now();
    diesel::insert_into(user_sessions::table)
        .values((
            user_sessions::id.eq(id),
            user_sessions::user_id.eq(user.to_string()),
            user_sessions::created_at.eq(now),
            user_sessions::last_seen_at.eq(now),
            user_sessions::user_agent.eq(user_agent),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> StoreResult<Option<UserSessionRow>> {
    Ok(user_sessions::table
        .find(id)
        .select(UserSessionRow::as_select())
        .first(conn)
        .optional()?)
}

/// The user's sessions that have not ended and were seen after `since`, newest first.
pub fn live_of_user(
    conn: &mut DbConnection,
    user: UserId,
    since: NaiveDateTime,
) -> StoreResult<Vec<UserSessionRow>> {
    Ok(user_sessions::table
        .filter(user_sessions::user_id.eq(user.to_string()))
        .filter(user_sessions::ended_at.is_null())
        .filter(user_sessions::last_seen_at.gt(since))
        .order(user_sessions::last_seen_at.desc())
        .select(UserSessionRow::as_select())
        .load(conn)?)
}

pub fn touch(conn: &mut DbConnection, id: &str) -> StoreResult<()> {
    diesel::update(user_sessions::table.find(id))
        .set(user_sessions::last_seen_at.eq(super::now()))
        .execute(conn)?;
    Ok(())
}

/// Ends one session of the user; returns whether it was theirs and live.
pub fn end(conn: &mut DbConnection, user: UserId, id: &str) -> StoreResult<bool> {
    let n = diesel::update(
        user_sessions::table
            .filter(user_sessions::id.eq(id))
            .filter(user_sessions::user_id.eq(user.to_string()))
            .filter(user_sessions::ended_at.is_null()),
    )
    .set(user_sessions::ended_at.eq(Some(super::now())))
    .execute(conn)?;
    if n > 0 {
        super::epoch::bump(conn)?;
    }
    Ok(n > 0)
}

/// Ends every session of the user except `keep`; returns how many.
pub fn end_others(conn: &mut DbConnection, user: UserId, keep: Option<&str>) -> StoreResult<usize> {
    let n = diesel::update(
        user_sessions::table
            .filter(user_sessions::user_id.eq(user.to_string()))
            .filter(user_sessions::id.ne(keep.unwrap_or("")))
            .filter(user_sessions::ended_at.is_null()),
    )
    .set(user_sessions::ended_at.eq(Some(super::now())))
    .execute(conn)?;
    if n > 0 {
        super::epoch::bump(conn)?;
    }
    Ok(n)
}

/// Deletes registry rows that ended, or were last seen, before `cutoff`.
pub fn purge_before(conn: &mut DbConnection, cutoff: NaiveDateTime) -> StoreResult<usize> {
    Ok(diesel::delete(
        user_sessions::table.filter(
            user_sessions::ended_at
                .lt(cutoff)
                .or(user_sessions::last_seen_at.lt(cutoff)),
        ),
    )
    .execute(conn)?)
}
