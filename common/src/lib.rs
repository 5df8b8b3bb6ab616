//! The wire contract of Kyros: serde types shared by the backend and the WASM shell.
//!
//! Nothing here may depend on actix, diesel or polars: this crate compiles for
//! `wasm32-unknown-unknown`.

pub mod api;
pub mod email;
pub mod error;
pub mod filters;
pub mod ids;
pub mod navigation;
pub mod password;
