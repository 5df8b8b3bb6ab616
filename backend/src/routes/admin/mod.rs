//! The admin API, served only on the private listener (`KYROS_ADMIN_BIND`).
//! Client-credentials auth: `POST /admin/token` → an admin token (its own audience);
//! user and tenant-scoped tokens are 401 here.

pub mod audit_log;
pub mod auth;
pub mod dashboards;
pub mod keys;
pub mod tenants;
pub mod users;

use kyros_common::error::ErrorCode;

use crate::error::ApiError;

/// Slugs of tenants and dashboards: lowercase letters, digits and dashes.
pub fn valid_slug(slug: &str) -> bool {
    (2..=63).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

pub fn bad(detail: impl Into<String>) -> ApiError {
    ApiError::BadRequest(ErrorCode::BadRequest, detail.into())
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
