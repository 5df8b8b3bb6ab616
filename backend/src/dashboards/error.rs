//! What can go wrong serving a dashboard.

use kyros_engine::EngineError;

use crate::ratelimit::RateLimited;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum DashboardError {
    /// Not assigned to the tenant, or no such dashboard: the same answer.
    #[error("no such dashboard")]
    NotFound,
    #[error("no such chart")]
    UnknownChart,
    /// Bad filters or paging parameters; the message names the parameter.
    #[error("{0}")]
    InvalidFilter(String),
    #[error(transparent)]
    RateLimited(#[from] RateLimited),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A failure of ours (engine, worker pool, serialisation).
    #[error("{0}")]
    Internal(String),
}

impl DashboardError {
    pub(crate) fn internal(cause: impl std::fmt::Display) -> Self {
        DashboardError::Internal(cause.to_string())
    }

    /// Errors crossing the coalescing of concurrent computations are shared; rebuild one.
    pub(crate) fn from_shared(e: &DashboardError) -> Self {
        match e {
            DashboardError::NotFound => DashboardError::NotFound,
            DashboardError::UnknownChart => DashboardError::UnknownChart,
            DashboardError::InvalidFilter(m) => DashboardError::InvalidFilter(m.clone()),
            DashboardError::RateLimited(r) => DashboardError::RateLimited(*r),
            other => DashboardError::Internal(other.to_string()),
        }
    }
}

/// Bad input is the client's, the rest is ours.
impl From<EngineError> for DashboardError {
    fn from(e: EngineError) -> Self {
        match e {
            EngineError::BadRequest(detail) => DashboardError::InvalidFilter(detail),
            EngineError::UnknownChart(_) => DashboardError::UnknownChart,
            other => DashboardError::internal(other),
        }
    }
}
