//! Multi-factor authentication: each user's TOTP secret (sealed), the last time step a
//! code was accepted (so a code is never accepted twice), single-use recovery codes
//! (hashed) and the short-lived challenges between the password step and the code step
//! (hashed, single-use, with an attempt count).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use kyros_common::ids::UserId;

use super::schema::{mfa_challenges, mfa_recovery_codes, user_mfa};
use super::{DbConnection, StoreResult};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = user_mfa)]
pub struct MfaRow {
    pub user_id: String,
    pub secret_sealed: Option<String>,
    pub pending_sealed: Option<String>,
    pub enabled_at: Option<NaiveDateTime>,
    pub last_step: i64,
}

pub fn get(conn: &mut DbConnection, user: UserId) -> StoreResult<Option<MfaRow>> {
    Ok(user_mfa::table
        .find(user.to_string())
        .select(MfaRow::as_select())
        .first(conn)
        .optional()?)
}

/// Stores a secret waiting for its first code (enrolment), keeping an enabled one.
pub fn set_pending(conn: &mut DbConnection, user: UserId, sealed: &str) -> StoreResult<()> {
    let updated = diesel::update(user_mfa::table.find(user.to_string()))
        .set(user_mfa::pending_sealed.eq(Some(sealed)))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(user_mfa::table)
            .values((
                user_mfa::user_id.eq(user.to_string()),
                user_mfa::pending_sealed.eq(Some(sealed)),
                user_mfa::last_step.eq(0i64),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Makes the pending secret the user's (MFA on), with the step its first code used.
pub fn enable(conn: &mut DbConnection, user: UserId, sealed: &str, step: i64) -> StoreResult<()> {
    diesel::update(user_mfa::table.find(user.to_string()))
        .set((
            user_mfa::secret_sealed.eq(Some(sealed)),
            user_mfa::pending_sealed.eq(None::<String>),
            user_mfa::enabled_at.eq(Some(super::now())),
            user_mfa::last_step.eq(step),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records that a code of time step `step` was accepted, only if no code of that step
/// or a later one was: of two uses of one code, exactly one gets `true`.
pub fn advance_step(conn: &mut DbConnection, user: UserId, step: i64) -> StoreResult<bool> {
    Ok(diesel::update(
        user_mfa::table
            .filter(user_mfa::user_id.eq(user.to_string()))
            .filter(user_mfa::last_step.lt(step)),
    )
    .set(user_mfa::last_step.eq(step))
    .execute(conn)?
        > 0)
}

/// MFA off: the secret and the recovery codes go.
pub fn disable(conn: &mut DbConnection, user: UserId) -> StoreResult<()> {
    diesel::delete(user_mfa::table.find(user.to_string())).execute(conn)?;
    diesel::delete(
        mfa_recovery_codes::table.filter(mfa_recovery_codes::user_id.eq(user.to_string())),
    )
    .execute(conn)?;
    Ok(())
}

/// Replaces the user's recovery codes by these hashes.
pub fn replace_recovery_codes(
    conn: &mut DbConnection,
    user: UserId,
    hashes: &[String],
) -> StoreResult<()> {
    diesel::delete(
        mfa_recovery_codes::table.filter(mfa_recovery_codes::user_id.eq(user.to_string())),
    )
    .execute(conn)?;
    for hash in hashes {
        diesel::insert_into(mfa_recovery_codes::table)
            .values((
                mfa_recovery_codes::code_hash.eq(hash),
                mfa_recovery_codes::user_id.eq(user.to_string()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Uses a recovery code once.
pub fn use_recovery_code(conn: &mut DbConnection, user: UserId, hash: &str) -> StoreResult<bool> {
    Ok(diesel::update(
        mfa_recovery_codes::table
            .filter(mfa_recovery_codes::code_hash.eq(hash))
            .filter(mfa_recovery_codes::user_id.eq(user.to_string()))
            .filter(mfa_recovery_codes::used_at.is_null()),
    )
    .set(mfa_recovery_codes::used_at.eq(Some(super::now())))
    .execute(conn)?
        > 0)
}

pub fn recovery_codes_left(conn: &mut DbConnection, user: UserId) -> StoreResult<i64> {
    Ok(mfa_recovery_codes::table
        .filter(mfa_recovery_codes::user_id.eq(user.to_string()))
        .filter(mfa_recovery_codes::used_at.is_null())
        .count()
        .get_result(conn)?)
}

pub fn insert_challenge(
    conn: &mut DbConnection,
    hash: &str,
    user: UserId,
    expires_at: NaiveDateTime,
) -> StoreResult<()> {
    diesel::insert_into(mfa_challenges::table)
        .values((
            mfa_challenges::token_hash.eq(hash),
            mfa_challenges::user_id.eq(user.to_string()),
            mfa_challenges::created_at.eq(super::now()),
            mfa_challenges::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Counts an attempt on a live challenge (unused, unexpired, fewer than `max` attempts
/// before this one); returns its user, or `None` when the challenge is not usable.
pub fn attempt_challenge(
    conn: &mut DbConnection,
    hash: &str,
    max: i32,
) -> StoreResult<Option<UserId>> {
    let counted = diesel::update(
        mfa_challenges::table
            .filter(mfa_challenges::token_hash.eq(hash))
            .filter(mfa_challenges::consumed_at.is_null())
            .filter(mfa_challenges::expires_at.gt(super::now()))
            .filter(mfa_challenges::attempts.lt(max)),
    )
    .set(mfa_challenges::attempts.eq(mfa_challenges::attempts + 1))
    .execute(conn)?;
    if counted == 0 {
        return Ok(None);
    }
    let user: String = mfa_challenges::table
        .find(hash)
        .select(mfa_challenges::user_id)
        .first(conn)?;
    Ok(user.parse().ok())
}

/// Uses a challenge up (the second factor succeeded); false when it was already used.
pub fn consume_challenge(conn: &mut DbConnection, hash: &str) -> StoreResult<bool> {
    Ok(diesel::update(
        mfa_challenges::table
            .filter(mfa_challenges::token_hash.eq(hash))
            .filter(mfa_challenges::consumed_at.is_null()),
    )
    .set(mfa_challenges::consumed_at.eq(Some(super::now())))
    .execute(conn)?
        > 0)
}

/// Deletes challenges that expired before `cutoff`.
pub fn purge_challenges(conn: &mut DbConnection, cutoff: NaiveDateTime) -> StoreResult<usize> {
    Ok(
        diesel::delete(mfa_challenges::table.filter(mfa_challenges::expires_at.lt(cutoff)))
            .execute(conn)?,
    )
}
