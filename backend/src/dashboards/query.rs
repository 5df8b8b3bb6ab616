//! The query strings of dashboard endpoints: filters (validated against the spec by the
//! engine) and the endpoint's own parameters.

use std::collections::HashSet;

use kyros_engine::Filters;

use super::error::DashboardError;
use super::loaded::LoadedDashboard;

/// Longest query string looked at.
const MAX_QUERY_BYTES: usize = 16 * 1024;
/// Rows per page when the caller does not say.
const DEFAULT_LIMIT: usize = 100;
/// Longest cursor accepted.
const MAX_CURSOR_BYTES: usize = 512;

/// Parses `query` into filters; the names in `reserved` are the endpoint's own
/// parameters and are returned separately.
pub(super) fn parse_query(
    dashboard: &LoadedDashboard,
    query: &str,
    reserved: &[&str],
) -> Result<(Filters, Vec<(String, String)>), DashboardError> {
    if query.len() > MAX_QUERY_BYTES {
        return Err(DashboardError::InvalidFilter(
            "the query string is too long".into(),
        ));
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
        .map_err(|e| DashboardError::InvalidFilter(format!("invalid query string: {e}")))?;
    let (own, filter_pairs): (Vec<_>, Vec<_>) = pairs
        .into_iter()
        .partition(|(k, _)| reserved.contains(&k.as_str()));
    let filters = kyros_engine::parse_filters(&dashboard.spec, &filter_pairs)
        .map_err(|e| DashboardError::InvalidFilter(e.to_string()))?;
    Ok((filters, own))
}

/// `limit` (1 to the engine's page maximum) and `cursor`, each at most once.
pub(super) fn parse_rows_params(
    own: Vec<(String, String)>,
) -> Result<(usize, Option<String>), DashboardError> {
    let mut limit = DEFAULT_LIMIT;
    let mut cursor = None;
    let mut seen = HashSet::new();
    for (key, value) in own {
        if !seen.insert(key.clone()) {
            return Err(DashboardError::InvalidFilter(format!(
                "{key} given more than once"
            )));
        }
        match key.as_str() {
            "limit" => {
                limit = value
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=kyros_engine::MAX_PAGE_ROWS).contains(n))
                    .ok_or_else(|| {
                        DashboardError::InvalidFilter(format!(
                            "limit must be between 1 and {}",
                            kyros_engine::MAX_PAGE_ROWS
                        ))
                    })?;
            }
            _ => {
                if value.len() > MAX_CURSOR_BYTES {
                    return Err(DashboardError::InvalidFilter("cursor is invalid".into()));
                }
                cursor = Some(value);
            }
        }
    }
    Ok((limit, cursor))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn paging_parameters_are_bounded_and_single() {
        assert_eq!(
            parse_rows_params(vec![]).expect("defaults"),
            (DEFAULT_LIMIT, None)
        );
        assert_eq!(
            parse_rows_params(pairs(&[("limit", "5"), ("cursor", "abc")])).expect("valid"),
            (5, Some("abc".into()))
        );
        for bad in [
            pairs(&[("limit", "0")]),
            pairs(&[("limit", "-1")]),
            pairs(&[("limit", "many")]),
            pairs(&[("limit", "1"), ("limit", "2")]),
            pairs(&[("cursor", &"x".repeat(MAX_CURSOR_BYTES + 1))]),
        ] {
            assert!(matches!(
                parse_rows_params(bad),
                Err(DashboardError::InvalidFilter(_))
            ));
        }
    }
}
