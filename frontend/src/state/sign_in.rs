//! Signing in, pure: the login page's query (`next`, `sso_error`), the way back to the
//! page a lost session interrupted, single sign-on refusals in words, and what a refused
//! code means for the code step.

use kyros_common::error::ErrorCode;
use kyros_common::navigation::safe_next;
use serde::de::value::{Error as ValueError, StrDeserializer};
use serde::de::IntoDeserializer;
use serde::{Deserialize, Serialize};
use yew_router::query::FromQuery;

use crate::api::ApiError;

/// Codes the server accepts for one sign-in before it must start again with the password
/// (`MAX_ATTEMPTS` of the backend's MFA challenges).
pub const MAX_CODE_ATTEMPTS: u32 = 5;

pub const ENTER_CODE: &str = "Enter the code from your authenticator app.";
pub const WRONG_CODE: &str =
    "That code is not right. Enter the newest code from your authenticator app, or a recovery code.";
pub const CODE_STEP_EXPIRED: &str =
    "The sign-in took too long. Enter your email address and password again.";
pub const TOO_MANY_CODES: &str =
    "Too many wrong codes. Enter your email address and password again.";

/// The login page's query string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct LoginQuery {
    /// Where the user was going (followed only when [`safe_next`] agrees).
    #[serde(default)]
    pub next: Option<String>,
    /// Why a single sign-on was refused (the BFF's redirect back here).
    #[serde(default)]
    pub sso_error: Option<String>,
}

impl LoginQuery {
    /// From `location.search` (with or without its `?`); a malformed query counts as none.
    pub fn parse(query: &str) -> Self {
        let query = query.strip_prefix('?').unwrap_or(query);
        <LoginQuery as FromQuery>::from_query(query).unwrap_or_default()
    }

    /// The page to open once signed in, when `next` is a same-origin path.
    pub fn next(&self) -> Option<String> {
        self.next.as_deref().and_then(safe_next)
    }
}

/// The login page's query that leads back to `path_and_query` after signing in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnTo {
    pub next: String,
}

/// [`ReturnTo`] the page a lost session interrupted; `None` when there is nothing to come
/// back to (home, the sign-in pages, anything that is not a same-origin path).
pub fn return_to(path_and_query: &str) -> Option<ReturnTo> {
    safe_next(path_and_query)
        .filter(|next| next != "/")
        .map(|next| ReturnTo { next })
}

/// Why a single sign-on failed, for the login page (`?sso_error=<problem code>`).
pub fn sso_error_message(code: &str) -> &'static str {
    let known: StrDeserializer<'_, ValueError> = code.into_deserializer();
    match ErrorCode::deserialize(known).ok() {
        Some(ErrorCode::NoProvider) => {
            "Your organisation has no identity provider for that email address. Sign in with your password instead."
        }
        Some(ErrorCode::SsoState) => {
            "The sign-in took too long or was started in another window. Please try again."
        }
        Some(ErrorCode::SsoDenied) => "Your identity provider did not sign you in.",
        Some(ErrorCode::SsoRejected) => {
            "Your identity provider's answer could not be verified. Please try again, or ask your administrator if it keeps happening."
        }
        Some(ErrorCode::EmailNotVerified) => {
            "Your identity provider has not verified your email address."
        }
        Some(ErrorCode::NotProvisioned) => {
            "There is no Kyros account for you yet. Ask your administrator for an invitation."
        }
        Some(ErrorCode::ProviderUnreachable) => {
            "Your identity provider could not be reached. Please try again later."
        }
        _ => "Signing in with your organisation did not work. Please try again, or sign in with your password.",
    }
}

/// What the code step does after a refused code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeRefusal {
    /// Stay, show this, let the user type another code.
    TryAgain(String),
    /// The server has forgotten this sign-in: back to the password, with the reason.
    StartOver(String),
}

/// A refused `POST /bff/login/mfa`. `wrong_codes` counts the refused codes of this
/// sign-in, this one included; `expired` says whether its `expires_in` has passed (the
/// server answers a timed-out sign-in like a wrong code).
pub fn code_refusal(error: &ApiError, wrong_codes: u32, expired: bool) -> CodeRefusal {
    match error {
        // The session holds no sign-in waiting for a code (any more).
        ApiError::Unauthenticated | ApiError::SessionExpired => {
            CodeRefusal::StartOver(CODE_STEP_EXPIRED.to_owned())
        }
        ApiError::InvalidCredentials if expired => {
            CodeRefusal::StartOver(CODE_STEP_EXPIRED.to_owned())
        }
        ApiError::InvalidCredentials if wrong_codes >= MAX_CODE_ATTEMPTS => {
            CodeRefusal::StartOver(TOO_MANY_CODES.to_owned())
        }
        ApiError::InvalidCredentials => CodeRefusal::TryAgain(WRONG_CODE.to_owned()),
        other => CodeRefusal::TryAgain(other.message()),
    }
}

/// A code as typed: a six-digit code without the spaces some apps show ("123 456"); a
/// recovery code as is, trimmed (the server ignores its case and dashes).
pub fn normalise_code(text: &str) -> String {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() == 6 && compact.bytes().all(|b| b.is_ascii_digit()) {
        compact
    } else {
        text.trim().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yew_router::query::ToQuery;

    #[test]
    fn the_query_gives_next_only_when_it_stays_on_this_site() {
        let query = LoginQuery::parse("?next=%2Fdashboards%2Frisk-analysis%3Fsegment%3DSMB");
        assert_eq!(
            query.next().as_deref(),
            Some("/dashboards/risk-analysis?segment=SMB")
        );
        for hostile in [
            "next=https%3A%2F%2Fevil.example",
            "next=%2F%2Fevil.example",
            "next=%2Flogin",
            "next=javascript%3Aalert(1)",
            "next=",
        ] {
            assert_eq!(LoginQuery::parse(hostile).next(), None, "{hostile}");
        }
    }

    #[test]
    fn a_missing_or_malformed_query_is_an_empty_one() {
        assert_eq!(LoginQuery::parse(""), LoginQuery::default());
        assert_eq!(LoginQuery::parse("?"), LoginQuery::default());
        assert_eq!(LoginQuery::parse("next=/a&next=/b"), LoginQuery::default());
        assert_eq!(
            LoginQuery::parse("?sso_error=not_provisioned&utm=x").sso_error,
            Some("not_provisioned".to_owned())
        );
    }

    #[test]
    fn a_lost_session_returns_to_the_page_it_interrupted() {
        let back = return_to("/dashboards/risk-analysis?segment=SMB&region=NA")
            .expect("a page to return to");
        let query = back.to_query().expect("encodes");
        assert_eq!(
            query,
            "next=%2Fdashboards%2Frisk-analysis%3Fsegment%3DSMB%26region%3DNA"
        );
        assert_eq!(
            LoginQuery::parse(&query).next().as_deref(),
            Some("/dashboards/risk-analysis?segment=SMB&region=NA")
        );
    }

    #[test]
    fn home_and_the_sign_in_pages_are_not_worth_returning_to() {
        for path in [
            "/",
            "/login",
            "/login?next=%2Fx",
            "/logout",
            "//evil.example",
        ] {
            assert_eq!(return_to(path), None, "{path}");
        }
    }

    #[test]
    fn each_sso_refusal_reads_as_a_sentence_of_its_own() {
        let codes = [
            ErrorCode::NoProvider,
            ErrorCode::SsoState,
            ErrorCode::SsoDenied,
            ErrorCode::SsoRejected,
            ErrorCode::EmailNotVerified,
            ErrorCode::NotProvisioned,
        ];
        let messages: Vec<&str> = codes
            .iter()
            .map(|c| sso_error_message(c.as_str()))
            .collect();
        let generic = sso_error_message("something_new");
        for (code, message) in codes.iter().zip(&messages) {
            assert_ne!(*message, generic, "{code:?}");
            assert_eq!(messages.iter().filter(|m| *m == message).count(), 1);
        }
        assert!(sso_error_message("no_provider").contains("password"));
        assert!(sso_error_message("not_provisioned").contains("invitation"));
        assert!(sso_error_message("email_not_verified").contains("verified your email"));
        assert_eq!(sso_error_message(""), generic);
        assert_eq!(sso_error_message("<script>"), generic);
    }

    #[test]
    fn a_wrong_code_can_be_retried_until_the_server_stops_counting() {
        let wrong = ApiError::InvalidCredentials;
        assert_eq!(
            code_refusal(&wrong, 1, false),
            CodeRefusal::TryAgain(WRONG_CODE.to_owned())
        );
        assert_eq!(
            code_refusal(&wrong, MAX_CODE_ATTEMPTS - 1, false),
            CodeRefusal::TryAgain(WRONG_CODE.to_owned())
        );
        assert_eq!(
            code_refusal(&wrong, MAX_CODE_ATTEMPTS, false),
            CodeRefusal::StartOver(TOO_MANY_CODES.to_owned())
        );
    }

    #[test]
    fn a_timed_out_or_forgotten_sign_in_goes_back_to_the_password() {
        let expired = CodeRefusal::StartOver(CODE_STEP_EXPIRED.to_owned());
        assert_eq!(
            code_refusal(&ApiError::InvalidCredentials, 1, true),
            expired
        );
        assert_eq!(code_refusal(&ApiError::Unauthenticated, 0, false), expired);
        assert_eq!(code_refusal(&ApiError::SessionExpired, 0, false), expired);
    }

    #[test]
    fn other_failures_keep_the_code_step_with_their_message() {
        let limited = ApiError::RateLimited {
            retry_after_secs: Some(30),
        };
        assert_eq!(
            code_refusal(&limited, 0, false),
            CodeRefusal::TryAgain(limited.message())
        );
        assert_eq!(
            code_refusal(&ApiError::Network, 0, true),
            CodeRefusal::TryAgain(ApiError::Network.message())
        );
    }

    #[test]
    fn codes_lose_the_spaces_apps_show_but_recovery_codes_stay_as_typed() {
        assert_eq!(normalise_code(" 123 456 "), "123456");
        assert_eq!(normalise_code("123456"), "123456");
        assert_eq!(normalise_code(" abcde-fghjk "), "abcde-fghjk");
        assert_eq!(normalise_code("abcde fghjk"), "abcde fghjk");
        assert_eq!(normalise_code("12345"), "12345");
        assert_eq!(normalise_code("   "), "");
    }
}
