//! Failed sign-ins per account (`sign_in_failures`), keyed by a hash of the normalised
//! email so that unknown and known emails are throttled alike and no address is stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::sign_in_failures;
use super::{DbConnection, StoreResult};

/// Failures so far and until when the account is held back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    pub count: i32,
    pub blocked_until: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

pub fn get(conn: &mut DbConnection, key: &str) -> StoreResult<Option<Failures>> {
    let row: Option<(i32, Option<NaiveDateTime>, NaiveDateTime)> = sign_in_failures::table
        .find(key)
        .select((
            sign_in_failures::failures,
            sign_in_failures::blocked_until,
            sign_in_failures::updated_at,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(count, blocked_until, updated_at)| Failures {
        count,
        blocked_until,
        updated_at,
    }))
}

pub fn put(conn: &mut DbConnection, key: &str, failures: &Failures) -> StoreResult<()> {
    let updated = diesel::update(sign_in_failures::table.find(key))
        .set((
            sign_in_failures::failures.eq(failures.count),
            sign_in_failures::blocked_until.eq(failures.blocked_until),
            sign_in_failures::updated_at.eq(failures.updated_at),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(sign_in_failures::table)
            .values((
                sign_in_failures::account_key.eq(key),
                sign_in_failures::failures.eq(failures.count),
                sign_in_failures::blocked_until.eq(failures.blocked_until),
                sign_in_failures::updated_at.eq(failures.updated_at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn clear(conn: &mut DbConnection, key: &str) -> StoreResult<()> {
    diesel::delete(sign_in_failures::table.find(key)).execute(conn)?;
    Ok(())
}

/// Deletes records untouched since `cutoff`.
pub fn purge_before(conn: &mut DbConnection, cutoff: NaiveDateTime) -> StoreResult<usize> {
    Ok(
        diesel::delete(sign_in_failures::table.filter(sign_in_failures::updated_at.lt(cutoff)))
            .execute(conn)?,
    )
}
