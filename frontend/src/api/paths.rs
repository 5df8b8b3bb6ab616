//! BFF and account URLs. Path segments that come from the page URL (dashboard slugs, chart ids)
//! are percent-encoded so they can never change the path structure (`..`, `/`, `?`).

use kyros_common::api::dashboards::FilterState;

pub const LOGIN: &str = "/bff/login";
pub const LOGOUT: &str = "/bff/logout";
pub const ME: &str = "/bff/me";
pub const TENANT: &str = "/bff/tenant";
pub const DASHBOARDS: &str = "/bff/dashboards";
pub const PASSWORD: &str = "/bff/password";
pub const SESSIONS: &str = "/bff/sessions";

/// Unauthenticated account endpoints (plain JSON, same origin).
pub const ACCEPT_INVITATION: &str = "/api/auth/invitations/accept";
pub const FORGOT_PASSWORD: &str = "/api/auth/password/forgot";
pub const RESET_PASSWORD: &str = "/api/auth/password/reset";

/// `DELETE /bff/sessions/{id}`.
pub fn session(id: &str) -> String {
    format!("{SESSIONS}/{}", encode_segment(id))
}

/// `GET /bff/dashboards/{slug}`.
pub fn dashboard(slug: &str) -> String {
    format!("{DASHBOARDS}/{}", encode_segment(slug))
}

/// `GET /bff/dashboards/{slug}/charts?<filters>`.
pub fn charts(slug: &str, filters: &FilterState) -> String {
    with_query(format!("{}/charts", dashboard(slug)), filters)
}

/// `PUT /bff/dashboards/{slug}/preferences`.
pub fn preferences(slug: &str) -> String {
    format!("{}/preferences", dashboard(slug))
}

/// `GET /bff/dashboards/{slug}/charts/{id}/export.csv?<filters>`.
pub fn export_csv(slug: &str, chart_id: &str, filters: &FilterState) -> String {
    with_query(
        format!(
            "{}/charts/{}/export.csv",
            dashboard(slug),
            encode_segment(chart_id)
        ),
        filters,
    )
}

fn with_query(path: String, filters: &FilterState) -> String {
    let query = filters.to_query_string();
    if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    }
}

/// Percent-encodes everything except RFC 3986 unreserved characters.
fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    // A lone `.` or `..` segment would still be resolved by the URL parser.
    match out.as_str() {
        "." => "%2E".to_owned(),
        ".." => "%2E%2E".to_owned(),
        _ => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kyros_common::api::dashboards::FilterSelection;

    #[test]
    fn dashboard_paths_keep_plain_slugs_readable() {
        assert_eq!(dashboard("risk-analysis"), "/bff/dashboards/risk-analysis");
        assert_eq!(
            preferences("risk-analysis"),
            "/bff/dashboards/risk-analysis/preferences"
        );
    }

    #[test]
    fn hostile_slugs_cannot_escape_their_path_segment() {
        assert_eq!(dashboard(".."), "/bff/dashboards/%2E%2E");
        assert_eq!(
            dashboard("a/../../admin?x=1"),
            "/bff/dashboards/a%2F..%2F..%2Fadmin%3Fx%3D1"
        );
    }

    #[test]
    fn chart_urls_carry_the_filters_as_a_query_string() {
        let mut filters = FilterState::default();
        assert_eq!(charts("clv", &filters), "/bff/dashboards/clv/charts");
        filters.0.insert(
            "region".into(),
            FilterSelection::Values(vec!["EMEA".into(), "NA".into()]),
        );
        assert_eq!(
            charts("clv", &filters),
            "/bff/dashboards/clv/charts?region=EMEA&region=NA"
        );
        assert_eq!(
            export_csv("clv", "by region", &filters),
            "/bff/dashboards/clv/charts/by%20region/export.csv?region=EMEA&region=NA"
        );
    }

    #[test]
    fn session_ids_cannot_escape_their_path_segment() {
        assert_eq!(session("abc-123_x"), "/bff/sessions/abc-123_x");
        assert_eq!(session("../password"), "/bff/sessions/..%2Fpassword");
        assert_eq!(session(".."), "/bff/sessions/%2E%2E");
    }
}
