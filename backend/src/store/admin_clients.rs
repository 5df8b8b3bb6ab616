//! Admin API clients (client-credentials); secrets are argon2id hashes.

use diesel::prelude::*;

use super::schema::admin_clients;
use super::{DbConnection, StoreResult};

pub fn secret_hash(conn: &mut DbConnection, client_id: &str) -> StoreResult<Option<String>> {
    Ok(admin_clients::table
        .find(client_id)
        .select(admin_clients::secret_hash)
        .first(conn)
        .optional()?)
}

/// Creates the client or replaces its secret hash.
pub fn upsert(conn: &mut DbConnection, client_id: &str, hash: &str) -> StoreResult<()> {
    let updated = diesel::update(admin_clients::table.find(client_id))
        .set(admin_clients::secret_hash.eq(hash))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(admin_clients::table)
            .values((
                admin_clients::client_id.eq(client_id),
                admin_clients::secret_hash.eq(hash),
                admin_clients::created_at.eq(super::now()),
            ))
            .execute(conn)?;
    }
    Ok(())
}
