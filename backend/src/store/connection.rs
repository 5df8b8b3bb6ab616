//! One connection type and pool for SQLite and PostgreSQL.
//!
//! `DbConnection` is diesel's `MultiConnection` over both drivers, so every query in
//! `store/` is written once. The pool is r2d2 with a manager that picks the driver
//! from the configured URL (not by trial, as `MultiConnection::establish` would).
//!
//! Two ways in, kept apart on purpose:
//! - [`Db::run_scoped`] for request work. On PostgreSQL it opens a transaction that
//!   first switches to the restricted role `kyros_app` (`SET LOCAL ROLE`: owns no table,
//!   no `BYPASSRLS`) and sets `app.current_tenant` / `app.current_user` with
//!   `set_config(…, true)`: transaction-local, so a pooled connection never carries one
//!   request's tenant into the next. Row-level security policies
//!   (migrations/postgres/…_row_level_security) then filter every statement, even one
//!   that forgets its `WHERE tenant_id`.
//! - [`Db::run`] as the connecting role: start-up, migrations, seeding and the admin
//!   API's cross-tenant work — the explicit privileged path.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection, Pool, PooledConnection};
use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};
use kyros_common::ids::UserId;
use secrecy::ExposeSecret;

use crate::config::DatabaseSettings;
use crate::tenancy::scope::Scope;

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Postgres,
    Sqlite,
}

/// Errors of the metadata store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
}

impl From<r2d2::PoolError> for StoreError {
    fn from(e: r2d2::PoolError) -> Self {
        StoreError::Unavailable(e.to_string())
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Opens connections of the configured dialect and prepares each one.
#[derive(Debug)]
pub struct ConnectionManager {
    settings: DatabaseSettings,
}

const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; \
     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

impl ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match &self.settings {
            DatabaseSettings::Postgres(url) => PgConnection::establish(url.expose_secret())
                .map(DbConnection::Postgres)
                .map_err(r2d2::Error::ConnectionError),
            DatabaseSettings::Sqlite(path) => {
                let path = path.to_string_lossy();
                let mut conn =
                    SqliteConnection::establish(&path).map_err(r2d2::Error::ConnectionError)?;
                conn.batch_execute(SQLITE_PRAGMAS)
                    .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

/// The restricted role request work runs as (created by the migrations).
pub const APP_ROLE: &str = "kyros_app";

/// Within a [`Db::run_scoped`] transaction on PostgreSQL: from here on, also let the
/// work see `user`'s own memberships (login learns who the user is mid-transaction).
pub fn widen_to_user(conn: &mut DbConnection, user: UserId) -> StoreResult<()> {
    if let DbConnection::Postgres(pg) = conn {
        diesel::sql_query("SELECT set_config('app.current_user', $1, true)")
            .bind::<diesel::sql_types::Text, _>(user.to_string())
            .execute(pg)?;
    }
    Ok(())
}

fn enter_scope(pg: &mut PgConnection, scope: Scope) -> StoreResult<()> {
    // One round trip. The values are typed UUIDs rendered as hex and dashes, so writing
    // them into the statement cannot inject anything (a bound parameter would cost a
    // second round trip on every request).
    let (tenant, user) = match scope {
        Scope::Service => (String::new(), String::new()),
        Scope::User(user) => (String::new(), user.to_string()),
        Scope::Tenant(grant) => (grant.tenant_id().to_string(), String::new()),
    };
    debug_assert!(tenant
        .chars()
        .chain(user.chars())
        .all(|c| c.is_ascii_hexdigit() || c == '-'));
    pg.batch_execute(&format!(
        "SET LOCAL ROLE {APP_ROLE}; \
         SELECT set_config('app.current_tenant', '{tenant}', true), \
                set_config('app.current_user', '{user}', true)"
    ))?;
    Ok(())
}

/// Starts a transaction's writing on SQLite: takes the database's write lock with a
/// harmless write *before* any read. A SQLite transaction that reads first and writes
/// later cannot wait for another writer (the upgrade would deadlock, so SQLite fails it
/// at once with "database is locked"); one that writes first waits its turn
/// (`busy_timeout`). Call it first in transactions that read, then write, under
/// concurrency. A no-op on PostgreSQL.
pub fn begin_write(conn: &mut DbConnection) -> StoreResult<()> {
    if let DbConnection::Sqlite(sqlite) = conn {
        sqlite.batch_execute("UPDATE metadata_epoch SET epoch = epoch WHERE id = 1")?;
    }
    Ok(())
}

/// The metadata store: a pool plus the dialect it speaks.
#[derive(Clone)]
pub struct Db {
    pool: Pool<ConnectionManager>,
    dialect: Dialect,
}

impl Db {
    /// Builds the pool lazily: no connection is opened until first use, so a database
    /// that is down at start makes `/ready` fail instead of the process.
    pub fn new(settings: &DatabaseSettings, max_size: u32, timeout: Duration) -> Self {
        let dialect = match settings {
            DatabaseSettings::Postgres(_) => Dialect::Postgres,
            DatabaseSettings::Sqlite(_) => Dialect::Sqlite,
        };
        let manager = ConnectionManager {
            settings: settings.clone(),
        };
        let pool = Pool::builder()
            .max_size(max_size)
            .min_idle(Some(0))
            .connection_timeout(timeout)
            .test_on_check_out(true)
            .build_unchecked(manager);
        Db { pool, dialect }
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// A pooled connection, for synchronous callers (CLI, start-up).
    pub fn conn(&self) -> StoreResult<PooledConnection<ConnectionManager>> {
        Ok(self.pool.get()?)
    }

    /// Runs request work for `scope` in one transaction on the blocking thread pool; on
    /// PostgreSQL as `kyros_app` under row-level security (see the module docs).
    pub async fn run_scoped<T, F>(&self, scope: Scope, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> StoreResult<T> + Send + 'static,
    {
        self.run(move |conn| {
            conn.transaction(|conn| {
                if let DbConnection::Postgres(pg) = conn {
                    enter_scope(pg, scope)?;
                }
                work(conn)
            })
        })
        .await
    }

    /// Runs blocking store work as the connecting role, outside row-level security's
    /// restrictions (start-up, CLI, admin API). Request work uses [`Db::run_scoped`].
    pub async fn run<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> StoreResult<T> + Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::rt::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            work(&mut conn)
        })
        .await
        .map_err(|e| StoreError::Unavailable(format!("store task failed: {e}")))?
    }
}
