//! Kyros backend: a Backend-for-Frontend and REST API for multi-tenant analytics.
//!
//! - `config`: typed settings from the environment.
//! - `startup`: builds the public and admin listeners.
//! - `routes`: the route tables; handlers are thin.
//! - `auth`: passwords, the signing key ring, JWTs, bearer extractors.
//! - `tenancy`: `TenantScope`, the one door to tenant data.
//! - `dashboards`: tenant dashboards through the engine, with the chart cache.
//! - `store`: the diesel metadata store for SQLite and PostgreSQL.
//! - `request_context`: request ids, security headers, problem+json, access log.

pub mod audit;
pub mod auth;
pub mod bff;
pub mod catalog;
pub mod config;
pub mod dashboards;
pub mod datagen;
pub mod error;
pub mod metrics;
pub mod ratelimit;
pub mod redis_store;
pub mod request_context;
pub mod routes;
pub mod startup;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod tenancy;
