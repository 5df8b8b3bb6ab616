//! What a sign-in step leads to: a verified user, a signed-in user with their token, or a
//! challenge waiting for the second factor (shared by password, MFA and SSO sign-ins).

use kyros_common::ids::UserId;

use super::jwt::IssuedToken;

/// A verified user, ready for a token.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub user_id: UserId,
    pub email: String,
    pub tenant_ids: Vec<String>,
    /// The token generation tokens of this sign-in carry.
    pub generation: i64,
    /// The tenant the user last selected, if any.
    pub last_tenant: Option<String>,
}

/// A successful sign-in: who, and their new user access token.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: Authenticated,
    pub token: IssuedToken,
}

/// A sign-in waiting for its second factor.
#[derive(Debug, Clone)]
pub struct MfaChallenge {
    /// Opaque; send it back with the code (the BFF keeps it in the session).
    pub token: String,
    pub expires_in: u64,
}

/// What a password step leads to.
#[derive(Debug, Clone)]
pub enum LoginOutcome {
    SignedIn(SignedIn),
    MfaRequired(MfaChallenge),
}
