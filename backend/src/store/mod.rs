//! The metadata store (diesel): schema, connections, migrations and one module per entity.

pub mod account_tokens;
pub mod admin_clients;
pub mod audit;
pub mod connection;
pub mod dashboards;
pub mod epoch;
pub mod identity;
pub mod keys;
pub mod memberships;
pub mod mfa;
pub mod migrations;
pub mod outbox;
pub mod preferences;
pub mod schema;
pub mod seed;
pub mod sessions;
pub mod sign_in_failures;
pub mod tenants;
pub mod user_sessions;
pub mod users;

pub use connection::{
    begin_write, widen_to_user, Db, DbConnection, Dialect, StoreError, StoreResult, APP_ROLE,
};

/// Current UTC time as stored in `TIMESTAMP` columns.
pub fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}
