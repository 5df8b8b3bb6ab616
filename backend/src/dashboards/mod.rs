//! Dashboards for a tenant scope: loading a spec the tenant may see, parsing filters,
//! computing charts through the engine (off the async workers), caching them, rows,
//! preferences and streamed CSV export.

pub mod cache;
mod error;
mod export;
mod loaded;
mod query;
mod service;

pub use cache::{ChartCache, ChartCacheKey};
pub use error::DashboardError;
pub use export::CsvExport;
pub use service::{DashboardDeps, DashboardService};
