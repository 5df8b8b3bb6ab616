//! Kyros backend: a Backend-for-Frontend and REST API for multi-tenant analytics.
//!
//! Layers point one way — routes → http edge → state → services → store / engine — and
//! the leaves import nothing above them (`tests/architecture.rs` checks it):
//! - leaves: `config`, `error` (the HTTP edge's `ApiError`), `request_id`, `metrics`,
//!   `telemetry`, and `tenancy::scope` (the `TenantScope` and row-level security types);
//! - `store`: the diesel metadata store for SQLite and PostgreSQL; `redis_store`;
//! - services: `auth` (passwords, keys, tokens, sign-in), `tenancy` (the one door to
//!   tenant data, token exchange), `dashboards` (charts, rows, exports through the
//!   engine, with the chart cache), `bff` (cookie sessions), `users` (people:
//!   invitations, passwords, members, erasure), `mail` (the outbox), `admin`
//!   (operators), `audit`, `health`, `ratelimit`, `catalog`, `datagen`;
//! - `state`: the services wired together;
//! - `http`: middleware, extractors, the JSON body extractor, service errors → `ApiError`;
//! - `routes`: the route tables; handlers are thin;
//! - `startup`: builds the listeners.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod bff;
pub mod catalog;
pub mod config;
pub mod dashboards;
pub mod datagen;
pub mod error;
pub mod health;
pub mod http;
pub mod mail;
pub mod metrics;
pub mod ratelimit;
pub mod redis_store;
pub mod request_id;
pub mod routes;
pub mod sso;
pub mod startup;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod tenancy;
pub mod users;
