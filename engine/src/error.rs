//! The engine's error type: what the backend maps to HTTP statuses.

use crate::filters::FilterError;
use crate::spec::SpecError;

/// Everything that can go wrong inside the engine.
///
/// `BadRequest` and `Spec` carry messages fit for users (they name the offending
/// field); `Io` and `Polars` are internal and should be logged, not shown.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// A filter, cursor or chart id the caller sent is not acceptable (→ 400).
    #[error("{0}")]
    BadRequest(String),
    /// The request named a chart the dashboard does not have (→ 404).
    #[error("unknown chart \"{0}\"")]
    UnknownChart(String),
    /// The dashboard spec is invalid.
    #[error("invalid dashboard spec: {0}")]
    Spec(#[from] SpecError),
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    #[error("query error: {0}")]
    Polars(#[from] polars::error::PolarsError),
    #[error("serialisation error: {0}")]
    Json(#[from] serde_json::Error),
    /// A failure shared by every request that waited for the same load.
    #[error("{0}")]
    Shared(std::sync::Arc<EngineError>),
}

impl From<FilterError> for EngineError {
    fn from(err: FilterError) -> Self {
        EngineError::BadRequest(err.to_string())
    }
}
