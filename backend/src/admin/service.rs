//! The `Admin` service and its error type.

use std::sync::Arc;

use crate::audit::AuditLog;
use crate::auth::keys::KeyRing;
use crate::store::{Db, StoreError};

/// Why an operator's request was refused.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    InvalidSpec(String),
    #[error("{0}")]
    InvalidJson(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub(super) fn invalid(detail: impl Into<String>) -> AdminError {
    AdminError::Invalid(detail.into())
}

pub struct Admin {
    pub(super) db: Db,
    pub(super) audit: AuditLog,
    pub(super) keys: Arc<KeyRing>,
}

impl Admin {
    pub fn new(db: Db, audit: AuditLog, keys: Arc<KeyRing>) -> Self {
        Admin { db, audit, keys }
    }
}

/// Slugs of tenants and dashboards: lowercase letters, digits and dashes.
pub fn valid_slug(slug: &str) -> bool {
    (2..=63).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

#[cfg(test)]
mod tests {
    #[test]
    fn slugs_are_lowercase_words_joined_by_dashes() {
        for ok in ["acme-corp", "beta-ind", "t1", "risk-analysis"] {
            assert!(super::valid_slug(ok), "{ok}");
        }
        for bad in [
            "",
            "a",
            "Acme",
            "-x",
            "x-",
            "a b",
            "../x",
            "a_b",
            &"x".repeat(64),
        ] {
            assert!(!super::valid_slug(bad), "{bad}");
        }
    }
}
