//! The one place where the services' error types become `ApiError`s (statuses, codes
//! and the words a client may read). 5xx causes stay in the log.

use kyros_common::error::ErrorCode;

use crate::admin::AdminError;
use crate::audit::AuditError;
use crate::auth::jwt::TokenError;
use crate::auth::AuthError;
use crate::bff::BffError;
use crate::dashboards::DashboardError;
use crate::error::ApiError;
use crate::health::Unready;
use crate::mail::MailError;
use crate::ratelimit::RateLimited;
use crate::sso::SsoError;
use crate::store::StoreError;
use crate::tenancy::TenancyError;
use crate::users::UsersError;

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(cause) => ApiError::Unavailable(cause),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<TokenError> for ApiError {
    fn from(e: TokenError) -> Self {
        match e {
            TokenError::Signing => ApiError::Internal("no signing key".into()),
            TokenError::Expired => {
                ApiError::Unauthorized(ErrorCode::InvalidToken, "the token has expired".into())
            }
            other => ApiError::Unauthorized(ErrorCode::InvalidToken, other.to_string()),
        }
    }
}

impl From<RateLimited> for ApiError {
    fn from(e: RateLimited) -> Self {
        ApiError::RateLimited {
            retry_after_secs: e.retry_after_secs,
        }
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::InvalidCredentials | AuthError::InvalidClient => {
                ApiError::Unauthorized(ErrorCode::InvalidCredentials, e.to_string())
            }
            AuthError::Throttled(r) => r.into(),
            AuthError::Token(t) => t.into(),
            AuthError::Store(s) => s.into(),
            AuthError::Hash(h) => ApiError::internal(h),
            AuthError::Internal(cause) => ApiError::Internal(cause),
        }
    }
}

impl From<TenancyError> for ApiError {
    fn from(e: TenancyError) -> Self {
        match e {
            TenancyError::NotPermitted | TenancyError::WrongTenant => {
                ApiError::forbidden(e.to_string())
            }
            TenancyError::MfaRequired => ApiError::Forbidden(ErrorCode::MfaRequired, e.to_string()),
            TenancyError::MembershipInactive => {
                ApiError::Unauthorized(ErrorCode::InvalidToken, e.to_string())
            }
            TenancyError::NotFound => ApiError::not_found(e.to_string()),
            TenancyError::Auth(a) => a.into(),
            TenancyError::Token(t) => t.into(),
            TenancyError::Store(s) => s.into(),
        }
    }
}

impl From<DashboardError> for ApiError {
    fn from(e: DashboardError) -> Self {
        match e {
            DashboardError::NotFound | DashboardError::UnknownChart => {
                ApiError::not_found(e.to_string())
            }
            DashboardError::InvalidFilter(detail) => {
                ApiError::BadRequest(ErrorCode::InvalidFilter, detail)
            }
            DashboardError::RateLimited(r) => r.into(),
            DashboardError::Store(s) => s.into(),
            DashboardError::Internal(cause) => ApiError::Internal(cause),
        }
    }
}

impl From<BffError> for ApiError {
    fn from(e: BffError) -> Self {
        match e {
            BffError::NotSignedIn => ApiError::unauthenticated(e.to_string()),
            BffError::SessionExpired => {
                ApiError::Unauthorized(ErrorCode::SessionExpired, e.to_string())
            }
            BffError::NoTenantSelected => ApiError::bad_request(e.to_string()),
            BffError::TenantRevoked => ApiError::forbidden(e.to_string()),
            BffError::Session(cause) => ApiError::Internal(cause),
            BffError::NoSuchSession => ApiError::not_found(e.to_string()),
            BffError::WrongCode => {
                ApiError::Forbidden(ErrorCode::InvalidCredentials, e.to_string())
            }
            BffError::Store(s) => s.into(),
            BffError::Users(u) => u.into(),
            BffError::Auth(a) => a.into(),
            BffError::Tenancy(t) => t.into(),
            BffError::Sso(e) => e.into(),
        }
    }
}

impl From<AdminError> for ApiError {
    fn from(e: AdminError) -> Self {
        match e {
            AdminError::NotFound(detail) => ApiError::not_found(detail),
            AdminError::Conflict(detail) => ApiError::conflict(detail),
            AdminError::Invalid(detail) => ApiError::bad_request(detail),
            AdminError::InvalidSpec(detail) => ApiError::BadRequest(ErrorCode::InvalidSpec, detail),
            AdminError::InvalidJson(detail) => ApiError::invalid_json(detail),
            AdminError::Store(s) => s.into(),
        }
    }
}

impl From<AuditError> for ApiError {
    fn from(e: AuditError) -> Self {
        match e {
            AuditError::NotAdmin => ApiError::forbidden(e.to_string()),
            AuditError::Invalid(detail) => ApiError::bad_request(detail),
            AuditError::Store(s) => s.into(),
        }
    }
}

impl From<UsersError> for ApiError {
    fn from(e: UsersError) -> Self {
        match e {
            UsersError::InvalidEmail(problem) => ApiError::BadRequest(
                ErrorCode::InvalidEmail,
                format!("{}.", capitalise(&problem.to_string())),
            ),
            UsersError::WeakPassword(detail) => {
                ApiError::BadRequest(ErrorCode::WeakPassword, detail)
            }
            UsersError::InvalidLink => ApiError::BadRequest(ErrorCode::InvalidLink, e.to_string()),
            UsersError::Invalid(detail) => ApiError::bad_request(detail),
            UsersError::NotFound(detail) => ApiError::not_found(detail),
            UsersError::NotAdmin => ApiError::forbidden(e.to_string()),
            UsersError::LastAdmin => ApiError::Conflict(ErrorCode::LastAdmin, e.to_string()),
            UsersError::Conflict(detail) => ApiError::conflict(detail),
            // Not 401: the session is fine, the form's current password is not.
            UsersError::WrongPassword => {
                ApiError::Forbidden(ErrorCode::InvalidCredentials, e.to_string())
            }
            UsersError::RateLimited(r) => r.into(),
            UsersError::Auth(a) => a.into(),
            UsersError::Store(s) => s.into(),
            UsersError::Hash(h) => ApiError::internal(h),
        }
    }
}

impl From<MailError> for ApiError {
    fn from(e: MailError) -> Self {
        match e {
            MailError::Invalid(detail) => ApiError::bad_request(detail),
            MailError::Store(s) => s.into(),
            other => ApiError::internal(other),
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl From<Unready> for ApiError {
    fn from(e: Unready) -> Self {
        ApiError::Unavailable(e.0)
    }
}

impl From<SsoError> for ApiError {
    fn from(e: SsoError) -> Self {
        let detail = e.to_string();
        match e {
            SsoError::NoProvider => ApiError::BadRequest(ErrorCode::NoProvider, detail),
            SsoError::State => ApiError::BadRequest(ErrorCode::SsoState, detail),
            SsoError::Denied(_) => ApiError::Forbidden(ErrorCode::SsoDenied, detail),
            SsoError::Rejected(_) => ApiError::Unauthorized(ErrorCode::SsoRejected, detail),
            SsoError::EmailNotVerified => ApiError::Forbidden(ErrorCode::EmailNotVerified, detail),
            SsoError::NotProvisioned => ApiError::Forbidden(ErrorCode::NotProvisioned, detail),
            SsoError::Unreachable(cause) => ApiError::Unavailable(cause),
            SsoError::Discovery(_) => ApiError::BadRequest(ErrorCode::ProviderUnreachable, detail),
            SsoError::Invalid(_) => ApiError::bad_request(detail),
            SsoError::Conflict(_) => ApiError::conflict(detail),
            SsoError::NoSuchTenant | SsoError::NotConfigured => ApiError::not_found(detail),
            SsoError::Store(s) => s.into(),
            SsoError::Auth(a) => a.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use actix_web::http::StatusCode;
    use actix_web::ResponseError;

    use super::*;

    fn status(e: impl Into<ApiError>) -> u16 {
        e.into().status_code().as_u16()
    }

    #[test]
    fn each_service_error_maps_to_its_status() {
        assert_eq!(status(TokenError::Expired), 401);
        assert_eq!(status(TokenError::Signing), 500);
        assert_eq!(status(AuthError::InvalidCredentials), 401);
        assert_eq!(status(TenancyError::NotPermitted), 403);
        assert_eq!(status(TenancyError::WrongTenant), 403);
        assert_eq!(status(TenancyError::MembershipInactive), 401);
        assert_eq!(status(DashboardError::NotFound), 404);
        assert_eq!(status(DashboardError::InvalidFilter("x".into())), 400);
        assert_eq!(
            status(DashboardError::RateLimited(RateLimited {
                retry_after_secs: 2
            })),
            429
        );
        assert_eq!(status(BffError::SessionExpired), 401);
        assert_eq!(status(BffError::TenantRevoked), 403);
        assert_eq!(status(AdminError::Conflict("x".into())), 409);
        assert_eq!(status(AdminError::InvalidSpec("x".into())), 400);
        assert_eq!(status(AuditError::Invalid("x")), 400);
        assert_eq!(status(StoreError::Unavailable("down".into())), 503);
        assert_eq!(status(StoreError::Corrupt("bad".into())), 500);
    }

    #[test]
    fn expired_tokens_are_401_invalid_token() {
        let e = ApiError::from(TokenError::Expired);
        assert_eq!(e.status_code(), StatusCode::UNAUTHORIZED);
        assert_eq!(e.code(), ErrorCode::InvalidToken);
        assert_eq!(
            ApiError::from(AuthError::InvalidCredentials).code(),
            ErrorCode::InvalidCredentials
        );
    }
}
