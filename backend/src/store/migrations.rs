//! Embedded migrations, one set per dialect, applied by `kyros migrate` and at start.

use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use super::connection::{Db, DbConnection, StoreError, StoreResult};

const SQLITE: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// Applies pending migrations; returns how many ran.
pub fn run_pending(db: &Db) -> StoreResult<usize> {
    let mut conn = db.conn()?;
    let applied = match &mut *conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE).map(|v| v.len()),
        DbConnection::Postgres(c) => c.run_pending_migrations(POSTGRES).map(|v| v.len()),
    };
    applied.map_err(|e| StoreError::Unavailable(format!("migration failed: {e}")))
}
