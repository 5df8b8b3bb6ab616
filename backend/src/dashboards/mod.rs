//! Dashboards for a tenant scope: loading a spec the tenant may see, parsing filters,
//! computing charts through the engine (off the async workers) and caching them.

pub mod cache;
pub mod service;

pub use cache::{ChartCache, ChartCacheKey};
pub use service::engine_error;
pub use service::{DashboardService, LoadedDashboard};
