//! Signing keys of the token key ring (`signing_keys`).
//!
//! Material is stored sealed with the key-encryption key (`auth::kek`); the public
//! half of an asymmetric key is kept beside it as a JWK, published at
//! `/.well-known/jwks.json`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::signing_keys;
use super::{DbConnection, StoreResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = signing_keys)]
pub struct SigningKeyRow {
    pub kid: String,
    pub material: String,
    pub created_at: NaiveDateTime,
    /// When the key stopped signing (`None` = the active key).
    pub retired_at: Option<NaiveDateTime>,
    /// Until when a retired key still verifies.
    pub verify_until: Option<NaiveDateTime>,
    /// `HS256`, `EdDSA` or `RS256`.
    pub alg: String,
    /// The public key as a JWK (asymmetric keys only).
    pub public_jwk: Option<String>,
}

pub fn all(conn: &mut DbConnection) -> StoreResult<Vec<SigningKeyRow>> {
    Ok(signing_keys::table
        .order(signing_keys::created_at.desc())
        .select(SigningKeyRow::as_select())
        .load(conn)?)
}

/// Makes `row` the only active key: every other active key is retired now and keeps
/// verifying until `verify_until`. One transaction, so there is never zero or two
/// active keys.
pub fn activate(
    conn: &mut DbConnection,
    row: &SigningKeyRow,
    verify_until: NaiveDateTime,
) -> StoreResult<()> {
    conn.transaction(|conn| {
        let now = super::now();
        diesel::update(
            signing_keys::table
                .filter(signing_keys::retired_at.is_null())
                .filter(signing_keys::kid.ne(&row.kid)),
        )
        .set((
            signing_keys::retired_at.eq(Some(now)),
            signing_keys::verify_until.eq(Some(verify_until)),
        ))
        .execute(conn)?;
        let exists = signing_keys::table
            .find(&row.kid)
            .count()
            .get_result::<i64>(conn)?
            > 0;
        if exists {
            diesel::update(signing_keys::table.find(&row.kid))
                .set((
                    signing_keys::retired_at.eq(None::<NaiveDateTime>),
                    signing_keys::verify_until.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?;
        } else {
            diesel::insert_into(signing_keys::table)
                .values(row)
                .execute(conn)?;
        }
        Ok(())
    })
}

/// Ends verification of every retired key at once (rotation with `revoke_previous`).
pub fn revoke_retired(conn: &mut DbConnection) -> StoreResult<usize> {
    let now = super::now();
    Ok(
        diesel::update(signing_keys::table.filter(signing_keys::retired_at.is_not_null()))
            .set(signing_keys::verify_until.eq(Some(now)))
            .execute(conn)?,
    )
}

/// Deletes retired keys whose grace period is over.
pub fn purge_expired(conn: &mut DbConnection) -> StoreResult<usize> {
    Ok(diesel::delete(
        signing_keys::table
            .filter(signing_keys::retired_at.is_not_null())
            .filter(signing_keys::verify_until.lt(super::now())),
    )
    .execute(conn)?)
}

/// Replaces a key's stored material (sealing rows written before keys were sealed).
pub fn set_material(conn: &mut DbConnection, kid: &str, material: &str) -> StoreResult<()> {
    diesel::update(signing_keys::table.find(kid))
        .set(signing_keys::material.eq(material))
        .execute(conn)?;
    Ok(())
}
