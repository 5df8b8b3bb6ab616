//! `/api/dashboards/{slug}/…`: dashboard data for integrations (scoped bearer token).

pub mod charts;
pub mod data;
