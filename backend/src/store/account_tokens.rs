//! Single-use invitation and password-reset tokens (`account_tokens`), stored only as
//! SHA-256 hashes of the random token; consumed atomically.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use kyros_common::ids::{TenantId, UserId};

use super::schema::account_tokens;
use super::{DbConnection, StoreResult};

/// What a token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Invite,
    Reset,
}

impl Purpose {
    pub fn as_str(&self) -> &'static str {
        match self {
            Purpose::Invite => "invite",
            Purpose::Reset => "reset",
        }
    }
}

/// A token to store.
#[derive(Debug, Clone)]
pub struct NewToken<'a> {
    pub hash: &'a str,
    pub user: UserId,
    pub purpose: Purpose,
    pub tenant: Option<TenantId>,
    pub expires_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, token: &NewToken<'_>) -> StoreResult<()> {
    diesel::insert_into(account_tokens::table)
        .values((
            account_tokens::token_hash.eq(token.hash),
            account_tokens::user_id.eq(token.user.to_string()),
            account_tokens::purpose.eq(token.purpose.as_str()),
            account_tokens::tenant_id.eq(token.tenant.map(|t| t.to_string())),
            account_tokens::created_at.eq(super::now()),
            account_tokens::expires_at.eq(token.expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Consumes a live token of `purpose`: marks it used in the same statement that checks
/// it is unused and unexpired, so of two concurrent uses exactly one wins. Returns its
/// user.
pub fn consume(
    conn: &mut DbConnection,
    hash: &str,
    purpose: Purpose,
) -> StoreResult<Option<UserId>> {
    let now = super::now();
    let claimed = diesel::update(
        account_tokens::table
            .filter(account_tokens::token_hash.eq(hash))
            .filter(account_tokens::purpose.eq(purpose.as_str()))
            .filter(account_tokens::consumed_at.is_null())
            .filter(account_tokens::expires_at.gt(now)),
    )
    .set(account_tokens::consumed_at.eq(Some(now)))
    .execute(conn)?;
    if claimed == 0 {
        return Ok(None);
    }
    let user: String = account_tokens::table
        .find(hash)
        .select(account_tokens::user_id)
        .first(conn)?;
    Ok(user.parse().ok())
}

/// Voids every unused token of `purpose` for the user (a new one replaces them).
pub fn void_for_user(
    conn: &mut DbConnection,
    user: UserId,
    purpose: Purpose,
) -> StoreResult<usize> {
    Ok(diesel::update(
        account_tokens::table
            .filter(account_tokens::user_id.eq(user.to_string()))
            .filter(account_tokens::purpose.eq(purpose.as_str()))
            .filter(account_tokens::consumed_at.is_null()),
    )
    .set(account_tokens::consumed_at.eq(Some(super::now())))
    .execute(conn)?)
}

/// When the user's newest open invitation expires, if there is one.
pub fn open_invitation(
    conn: &mut DbConnection,
    user: UserId,
) -> StoreResult<Option<NaiveDateTime>> {
    Ok(account_tokens::table
        .filter(account_tokens::user_id.eq(user.to_string()))
        .filter(account_tokens::purpose.eq(Purpose::Invite.as_str()))
        .filter(account_tokens::consumed_at.is_null())
        .filter(account_tokens::expires_at.gt(super::now()))
        .select(account_tokens::expires_at)
        .order(account_tokens::expires_at.desc())
        .first(conn)
        .optional()?)
}

/// Deletes tokens that expired or were used more than a day ago.
pub fn purge_stale(conn: &mut DbConnection) -> StoreResult<usize> {
    let cutoff = super::now() - chrono::Duration::days(1);
    Ok(diesel::delete(
        account_tokens::table.filter(
            account_tokens::expires_at
                .lt(cutoff)
                .or(account_tokens::consumed_at.lt(cutoff)),
        ),
    )
    .execute(conn)?)
}
