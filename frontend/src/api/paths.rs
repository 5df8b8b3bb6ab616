//! BFF and account URLs. Path segments that come from the page URL (dashboard slugs, chart ids)
//! are percent-encoded so they can never change the path structure (`..`, `/`, `?`).

use kyros_common::api::dashboards::FilterState;
use kyros_common::navigation::safe_next;

pub const LOGIN: &str = "/bff/login";
pub const LOGIN_MFA: &str = "/bff/login/mfa";
pub const LOGOUT: &str = "/bff/logout";
pub const ME: &str = "/bff/me";
pub const TENANT: &str = "/bff/tenant";
pub const DASHBOARDS: &str = "/bff/dashboards";
pub const PASSWORD: &str = "/bff/password";
pub const SESSIONS: &str = "/bff/sessions";
pub const MFA: &str = "/bff/mfa";
pub const MFA_ENROL: &str = "/bff/mfa/enroll";
pub const MFA_CONFIRM: &str = "/bff/mfa/confirm";
pub const MFA_DISABLE: &str = "/bff/mfa/disable";
/// Single sign-on starts with a full page load (the BFF answers with a redirect to the
/// organisation's identity provider), never with `fetch`.
pub const SSO_START: &str = "/bff/sso/start";

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

/// `GET /bff/sso/start?email=…&next=…`; `next` only when it is a same-origin path
/// (`kyros_common::navigation::safe_next`, which the server applies again).
pub fn sso_start(email: &str, next: Option<&str>) -> String {
    let mut url = format!("{SSO_START}?email={}", encode_component(email));
    if let Some(next) = next.and_then(safe_next) {
        url.push_str("&next=");
        url.push_str(&encode_component(&next));
    }
    url
}

fn with_query(path: String, filters: &FilterState) -> String {
    let query = filters.to_query_string();
    if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    }
}

/// Percent-encodes everything except RFC 3986 unreserved characters: safe as a path
/// segment or as a query value.
fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// [`encode_component`], and a lone `.` or `..` segment (which the URL parser would
/// still resolve) encoded too.
fn encode_segment(segment: &str) -> String {
    let out = encode_component(segment);
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

    #[test]
    fn sso_starts_with_the_email_and_a_same_origin_next_encoded() {
        assert_eq!(
            sso_start("ada+ops@acme.com", None),
            "/bff/sso/start?email=ada%2Bops%40acme.com"
        );
        assert_eq!(
            sso_start(
                "ada@acme.com",
                Some("/dashboards/risk-analysis?segment=SMB&x=a/b")
            ),
            "/bff/sso/start?email=ada%40acme.com\
             &next=%2Fdashboards%2Frisk-analysis%3Fsegment%3DSMB%26x%3Da%2Fb"
        );
    }

    #[test]
    fn sso_leaves_out_a_next_that_leads_elsewhere() {
        for next in [
            "https://evil.example/",
            "//evil.example",
            "/login?next=/x",
            "dashboards",
        ] {
            assert_eq!(
                sso_start("ada@acme.com", Some(next)),
                "/bff/sso/start?email=ada%40acme.com",
                "{next}"
            );
        }
    }

    #[test]
    fn an_email_cannot_add_query_parameters() {
        assert_eq!(
            sso_start("a@b.c&next=https://evil.example", None),
            "/bff/sso/start?email=a%40b.c%26next%3Dhttps%3A%2F%2Fevil.example"
        );
    }
}
