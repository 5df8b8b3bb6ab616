//! What a BFF session holds (the user token, the selected tenant and its scoped token)
//! and the identities a session proves: `BffUser` and `BffTenant` (see `identify`).

use actix_session::Session;
use kyros_common::ids::TenantId;

use super::error::BffError;
use crate::auth::UserAuth;
use crate::tenancy::TenantScope;

pub(super) const USER_TOKEN: &str = "user_token";
pub(super) const TENANT_TOKEN: &str = "tenant_token";
pub(super) const TENANT_ID: &str = "tenant_id";
/// The session's user (also read by the database session store, for erasure).
pub(crate) const USER_ID: &str = "uid";
/// The session's id in the registry (`user_sessions`).
pub(super) const SESSION_ID: &str = "sid";
/// When the user signed in (Unix seconds): the absolute lifetime counts from here.
pub(super) const CREATED: &str = "created";
/// When the session was last used (Unix seconds, written at most once a minute): the
/// idle timeout counts from here.
pub(super) const SEEN: &str = "seen";

/// Seconds since the Unix epoch.
pub(super) fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A timestamp entry of the session.
pub(super) fn instant(session: &Session, key: &str) -> Option<i64> {
    get(session, key)
        .ok()
        .flatten()
        .and_then(|v| v.parse().ok())
}

/// A signed-in browser session.
pub struct BffUser {
    pub user: UserAuth,
    pub session: Session,
    /// This session's registry id.
    pub sid: String,
}

/// A signed-in browser session with an active tenant.
pub struct BffTenant {
    pub scope: TenantScope,
    pub session: Session,
    pub sid: String,
}

pub(super) fn get(session: &Session, key: &str) -> Result<Option<String>, BffError> {
    session
        .get::<String>(key)
        .map_err(|_| BffError::NotSignedIn)
}

pub(super) fn put(session: &Session, key: &str, value: &str) -> Result<(), BffError> {
    session
        .insert(key, value)
        .map_err(|e| BffError::Session(e.to_string()))
}

/// Starts a fresh session for a signed-in user (new session id: no fixation).
pub(super) fn start(
    session: &Session,
    user_token: &str,
    user: &str,
    sid: &str,
) -> Result<(), BffError> {
    session.clear();
    session.renew();
    let now = unix_now().to_string();
    put(session, USER_TOKEN, user_token)?;
    put(session, USER_ID, user)?;
    put(session, SESSION_ID, sid)?;
    put(session, CREATED, &now)?;
    put(session, SEEN, &now)
}

/// Where a sign-in with MFA waits for its code: only the challenge, under a new id.
const MFA_CHALLENGE: &str = "mfa_challenge";

pub(super) fn await_second_factor(session: &Session, challenge: &str) -> Result<(), BffError> {
    session.clear();
    session.renew();
    put(session, MFA_CHALLENGE, challenge)
}

pub(super) fn pending_challenge(session: &Session) -> Option<String> {
    get(session, MFA_CHALLENGE).ok().flatten()
}

/// Replaces the user token (after a password change) under a new session id.
pub(super) fn replace_user_token(session: &Session, user_token: &str) -> Result<(), BffError> {
    session.renew();
    put(session, USER_TOKEN, user_token)
}

/// The registry id of the session.
pub(super) fn session_id(session: &Session) -> Option<String> {
    get(session, SESSION_ID).ok().flatten()
}

/// Stores the tenant selection under a new session id.
pub(super) fn select_tenant(
    session: &Session,
    tenant_id: TenantId,
    tenant_token: &str,
) -> Result<(), BffError> {
    session.renew();
    put(session, TENANT_ID, &tenant_id.to_string())?;
    put(session, TENANT_TOKEN, tenant_token)
}

/// The user token of a session, if it holds one.
pub(super) fn user_token(session: &Session) -> Option<String> {
    get(session, USER_TOKEN).ok().flatten()
}

/// The tenant selected in the session, if any.
pub fn active_tenant(session: &Session) -> Option<TenantId> {
    get(session, TENANT_ID)
        .ok()
        .flatten()
        .and_then(|t| t.parse().ok())
}
