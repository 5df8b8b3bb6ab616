//! What can go wrong talking to the BFF, decided from the status and the problem+json body.
//!
//! Pure: no browser calls, so the mapping is unit-tested natively.

use kyros_common::error::{ErrorCode, Problem};

/// A failed BFF call, as the pages need to tell the cases apart.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// `POST /bff/login` refused the email/password pair (401), `POST /bff/login/mfa` the
    /// code (401), `POST /bff/password` the current password or an MFA form its password
    /// or code (403): a refusal, not a lost session.
    InvalidCredentials,
    /// No session (or a session the BFF no longer recognises).
    Unauthenticated,
    /// The session timed out: the user has to sign in again.
    SessionExpired,
    Forbidden,
    /// The tenant requires multi-factor authentication and this sign-in had none (403).
    MfaRequired,
    NotFound,
    RateLimited {
        retry_after_secs: Option<u64>,
    },
    /// Any other 4xx, with the problem's code (e.g. `bad_request` when no tenant is selected).
    BadRequest {
        code: ErrorCode,
        detail: String,
    },
    /// 5xx, or a 2xx body that does not match the contract.
    Server {
        request_id: Option<String>,
    },
    /// The request never got a response.
    Network,
}

impl ApiError {
    /// Maps a non-2xx response to an error. `problem` is the parsed body when it was
    /// problem+json, `retry_after` the raw `Retry-After` header.
    pub fn from_response(
        status: u16,
        problem: Option<&Problem>,
        retry_after: Option<&str>,
    ) -> Self {
        let code = problem.map(|p| p.code);
        match status {
            401 => match code {
                Some(ErrorCode::SessionExpired) => ApiError::SessionExpired,
                Some(ErrorCode::InvalidCredentials) => ApiError::InvalidCredentials,
                _ => ApiError::Unauthenticated,
            },
            403 => match code {
                Some(ErrorCode::InvalidCredentials) => ApiError::InvalidCredentials,
                Some(ErrorCode::MfaRequired) => ApiError::MfaRequired,
                _ => ApiError::Forbidden,
            },
            404 => ApiError::NotFound,
            429 => ApiError::RateLimited {
                retry_after_secs: retry_after.and_then(|v| v.trim().parse().ok()),
            },
            400..=499 => ApiError::BadRequest {
                code: code.unwrap_or(ErrorCode::BadRequest),
                detail: problem
                    .map(|p| p.detail.clone())
                    .filter(|d| !d.is_empty())
                    .unwrap_or_else(|| format!("The request was rejected (HTTP {status}).")),
            },
            _ => ApiError::Server {
                request_id: problem
                    .map(|p| p.request_id.clone())
                    .filter(|id| !id.is_empty()),
            },
        }
    }

    /// True when the session is gone and the shell must go back to the login page.
    pub fn is_auth_lost(&self) -> bool {
        matches!(self, ApiError::Unauthenticated | ApiError::SessionExpired)
    }

    /// True for the "no tenant selected in this session" problem.
    pub fn is_missing_tenant(&self) -> bool {
        matches!(
            self,
            ApiError::BadRequest {
                code: ErrorCode::BadRequest,
                ..
            }
        )
    }

    /// A sentence for the user; never contains a token or internal detail.
    pub fn message(&self) -> String {
        match self {
            ApiError::InvalidCredentials => "Incorrect email or password.".to_owned(),
            ApiError::Unauthenticated => "Please sign in.".to_owned(),
            ApiError::SessionExpired => {
                "Your session has expired, please sign in again.".to_owned()
            }
            ApiError::Forbidden => "You do not have access to this resource.".to_owned(),
            ApiError::MfaRequired => "This organisation requires two-step verification.".to_owned(),
            ApiError::NotFound => "This page or resource does not exist.".to_owned(),
            ApiError::RateLimited {
                retry_after_secs: Some(secs),
            } => format!("Too many attempts; try again in {}.", wait_text(*secs)),
            ApiError::RateLimited {
                retry_after_secs: None,
            } => "Too many attempts; try again later.".to_owned(),
            ApiError::BadRequest { detail, .. } => detail.clone(),
            ApiError::Server {
                request_id: Some(id),
            } => {
                format!("Something went wrong on our side (request id {id}). Please try again.")
            }
            ApiError::Server { request_id: None } => {
                "Something went wrong on our side. Please try again.".to_owned()
            }
            ApiError::Network => {
                "The server could not be reached. Check your connection and try again.".to_owned()
            }
        }
    }
}

/// "1 second", "30 seconds", and whole minutes (rounded up) from two minutes on.
fn wait_text(secs: u64) -> String {
    match secs {
        0 => "a moment".to_owned(),
        1 => "1 second".to_owned(),
        2..=119 => format!("{secs} seconds"),
        _ => format!("{} minutes", secs.div_ceil(60)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(status: u16, code: ErrorCode) -> Problem {
        Problem {
            type_: "about:blank".into(),
            title: "t".into(),
            status,
            detail: "the detail".into(),
            code,
            request_id: "req-1".into(),
        }
    }

    #[test]
    fn a_401_with_session_expired_means_the_session_timed_out() {
        let p = problem(401, ErrorCode::SessionExpired);
        assert_eq!(
            ApiError::from_response(401, Some(&p), None),
            ApiError::SessionExpired
        );
    }

    #[test]
    fn a_401_without_a_body_means_unauthenticated() {
        assert_eq!(
            ApiError::from_response(401, None, None),
            ApiError::Unauthenticated
        );
        let p = problem(401, ErrorCode::InvalidToken);
        assert_eq!(
            ApiError::from_response(401, Some(&p), None),
            ApiError::Unauthenticated
        );
    }

    #[test]
    fn a_401_with_invalid_credentials_is_a_login_failure_not_a_lost_session() {
        let p = problem(401, ErrorCode::InvalidCredentials);
        let err = ApiError::from_response(401, Some(&p), None);
        assert_eq!(err, ApiError::InvalidCredentials);
        assert!(!err.is_auth_lost());
    }

    #[test]
    fn forbidden_not_found_and_rate_limited_map_by_status() {
        assert_eq!(
            ApiError::from_response(403, None, None),
            ApiError::Forbidden
        );
        assert_eq!(ApiError::from_response(404, None, None), ApiError::NotFound);
        assert_eq!(
            ApiError::from_response(429, None, Some(" 30 ")),
            ApiError::RateLimited {
                retry_after_secs: Some(30)
            }
        );
        assert_eq!(
            ApiError::from_response(429, None, Some("Wed, 21 Oct 2015 07:28:00 GMT")),
            ApiError::RateLimited {
                retry_after_secs: None
            }
        );
    }

    #[test]
    fn other_4xx_keep_the_problem_code_and_detail() {
        let p = problem(409, ErrorCode::BadRequest);
        let err = ApiError::from_response(409, Some(&p), None);
        assert_eq!(
            err,
            ApiError::BadRequest {
                code: ErrorCode::BadRequest,
                detail: "the detail".into()
            }
        );
        assert!(err.is_missing_tenant());
        let p = problem(400, ErrorCode::InvalidFilter);
        assert!(!ApiError::from_response(400, Some(&p), None).is_missing_tenant());
    }

    #[test]
    fn server_errors_carry_the_request_id_for_support() {
        let p = problem(500, ErrorCode::Internal);
        let err = ApiError::from_response(500, Some(&p), None);
        assert_eq!(
            err,
            ApiError::Server {
                request_id: Some("req-1".into())
            }
        );
        assert!(err.message().contains("req-1"));
        assert_eq!(
            ApiError::from_response(502, None, None),
            ApiError::Server { request_id: None }
        );
    }

    #[test]
    fn a_403_with_invalid_credentials_is_a_wrong_current_password_not_a_lost_session() {
        let p = problem(403, ErrorCode::InvalidCredentials);
        let err = ApiError::from_response(403, Some(&p), None);
        assert_eq!(err, ApiError::InvalidCredentials);
        assert!(!err.is_auth_lost());
        let p = problem(403, ErrorCode::Forbidden);
        assert_eq!(
            ApiError::from_response(403, Some(&p), None),
            ApiError::Forbidden
        );
    }

    #[test]
    fn account_refusals_keep_their_code_and_sentence() {
        for code in [
            ErrorCode::WeakPassword,
            ErrorCode::InvalidLink,
            ErrorCode::InvalidEmail,
        ] {
            let p = problem(400, code);
            let err = ApiError::from_response(400, Some(&p), None);
            assert_eq!(
                err,
                ApiError::BadRequest {
                    code,
                    detail: "the detail".into()
                }
            );
            assert!(!err.is_missing_tenant());
            assert_eq!(err.message(), "the detail");
        }
    }

    #[test]
    fn rate_limits_say_how_long_to_wait() {
        let limited = |secs| ApiError::RateLimited {
            retry_after_secs: secs,
        };
        assert_eq!(
            limited(Some(30)).message(),
            "Too many attempts; try again in 30 seconds."
        );
        assert_eq!(
            limited(Some(1)).message(),
            "Too many attempts; try again in 1 second."
        );
        assert_eq!(
            limited(Some(0)).message(),
            "Too many attempts; try again in a moment."
        );
        assert_eq!(
            limited(Some(900)).message(),
            "Too many attempts; try again in 15 minutes."
        );
        assert_eq!(
            limited(Some(121)).message(),
            "Too many attempts; try again in 3 minutes."
        );
        assert_eq!(
            limited(None).message(),
            "Too many attempts; try again later."
        );
    }

    #[test]
    fn a_403_for_a_tenant_that_requires_mfa_is_not_a_plain_refusal() {
        let p = problem(403, ErrorCode::MfaRequired);
        let err = ApiError::from_response(403, Some(&p), None);
        assert_eq!(err, ApiError::MfaRequired);
        assert!(!err.is_auth_lost());
        assert!(err.message().contains("two-step verification"));
    }
}
