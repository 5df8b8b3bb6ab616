//! Where to go after signing in: a `next` location is followed only when it is a path of
//! this origin — one rule for the shell and the server (single sign-on's return).

/// Longest `next` followed.
pub const MAX_NEXT_CHARS: usize = 512;

/// `next` when it is a same-origin path (`/dashboards/risk-analysis?segment=SMB`), else
/// `None`: no scheme or host (`https://…`, `//evil.example`, `/\\evil.example`), no
/// control characters, no way back into the sign-in pages.
pub fn safe_next(next: &str) -> Option<String> {
    let bytes = next.as_bytes();
    let same_origin_path = next.len() <= MAX_NEXT_CHARS
        && bytes.first() == Some(&b'/')
        && bytes.get(1) != Some(&b'/')
        && bytes.get(1) != Some(&b'\\')
        && !next.contains("://")
        && !next
            .chars()
            .any(|c| c.is_control() || c == '\\' || c.is_whitespace());
    let path = next.split(['?', '#']).next().unwrap_or("");
    let into_sign_in = ["/login", "/logout"]
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")));
    (same_origin_path && !into_sign_in).then(|| next.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_origin_paths_are_followed() {
        for ok in [
            "/",
            "/dashboards",
            "/dashboards/risk-analysis?segment=SMB&cohort_from=2023-01",
            "/account#sessions",
        ] {
            assert_eq!(safe_next(ok).as_deref(), Some(ok));
        }
    }

    #[test]
    fn other_origins_schemes_and_tricks_are_ignored() {
        for bad in [
            "//evil.example",
            "//evil.example/dashboards",
            "https://evil.example",
            "http:evil",
            "javascript:alert(1)",
            "/\\evil.example",
            "\\\\evil.example",
            "dashboards",
            "",
            "/ok\u{0}",
            "/a b",
            "/x?next=https://evil.example",
            "/login",
            "/logout?x=1",
        ] {
            assert_eq!(safe_next(bad), None, "{bad:?}");
        }
        assert_eq!(safe_next(&format!("/{}", "a".repeat(MAX_NEXT_CHARS))), None);
    }
}
