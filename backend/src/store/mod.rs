//! The metadata store (diesel): schema, connections, migrations and one module per entity.

pub mod admin_clients;
pub mod audit;
pub mod connection;
pub mod dashboards;
pub mod epoch;
pub mod keys;
pub mod memberships;
pub mod migrations;
pub mod preferences;
pub mod schema;
pub mod seed;
pub mod sessions;
pub mod tenants;
pub mod users;

pub use connection::{widen_to_user, Db, DbConnection, Dialect, StoreError, StoreResult, APP_ROLE};

/// Current UTC time as stored in `TIMESTAMP` columns.
pub fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}
