//! Multi-factor authentication for password users: TOTP (RFC 6238, SHA-1, 6 digits,
//! 30 s, one step of clock skew — what every authenticator app speaks) with `totp-rs`.
//!
//! - Enrolment: a new 160-bit secret, sealed with the KEK, waits as *pending* until the
//!   user proves it with a code; the QR code of its `otpauth://` URL is rendered here as
//!   SVG. Confirming turns MFA on and hands out ten single-use recovery codes (stored
//!   hashed). Disabling needs the password and a code.
//! - Sign-in: a user with MFA gets, after the password, a short-lived single-use
//!   challenge (random, stored hashed, at most [`MAX_ATTEMPTS`] codes); the code step
//!   finishes the sign-in with `amr: ["pwd", "otp"]`.
//! - A code is never accepted twice: the time step of the last accepted code is stored
//!   and only later steps pass (atomically). Wrong codes count as failed sign-ins for the
//!   per-account back-off.

use kyros_common::ids::UserId;
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm as TotpAlgorithm, Secret, TOTP};

use super::jwt::IssuedToken;
use super::outcome::{Authenticated, LoginOutcome, MfaChallenge, SignedIn};
use super::service::{Auth, AuthError};
use crate::audit::{self, AuditEntryExt};
use crate::store::{self, memberships, mfa, users};
use crate::tenancy::scope::Scope;

/// How long the code step may wait after the password step.
pub const CHALLENGE_TTL: std::time::Duration = std::time::Duration::from_secs(300);
/// Codes tried against one challenge before it is void.
pub const MAX_ATTEMPTS: i32 = 5;
const RECOVERY_CODES: usize = 10;
const STEP_SECS: u64 = 30;

/// An enrolment waiting for its first code.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Enrolment {
    /// Base32, for typing into an app by hand.
    pub secret: String,
    pub otpauth_url: String,
    /// The `otpauth://` URL as a QR code (SVG, rendered here).
    pub qr_svg: String,
}

/// Where a user stands.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MfaStatus {
    pub enabled: bool,
    pub recovery_codes_left: i64,
}

fn totp(secret: Vec<u8>, email: &str) -> Result<TOTP, AuthError> {
    TOTP::new(
        TotpAlgorithm::SHA1,
        6,
        1,
        STEP_SECS,
        secret,
        Some("Kyros".into()),
        email.replace(':', ""),
    )
    .map_err(|e| AuthError::Internal(format!("TOTP: {e}")))
}

fn now_secs() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0)
}

/// The time step a code matches (now, or one step either side), compared in constant
/// time; `None` when it matches none.
fn matching_step(totp: &TOTP, code: &str, now: u64) -> Option<i64> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let current = now / STEP_SECS;
    [current.saturating_sub(1), current, current + 1]
        .into_iter()
        .find(|step| {
            bool::from(
                totp.generate(step * STEP_SECS)
                    .as_bytes()
                    .ct_eq(code.as_bytes()),
            )
        })
        .and_then(|step| i64::try_from(step).ok())
}

fn hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A recovery code as people type it: case and separators do not matter.
fn normalise_recovery(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn recovery_hash(user: UserId, code: &str) -> String {
    hash(&format!(
        "kyros-recovery:{user}:{}",
        normalise_recovery(code)
    ))
}

fn new_recovery_code() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 10];
    rand::rng().fill_bytes(&mut bytes);
    let chars: String = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

fn qr_svg(url: &str) -> Result<String, AuthError> {
    let code =
        qrcode::QrCode::new(url.as_bytes()).map_err(|e| AuthError::Internal(format!("QR: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

impl Auth {
    /// Whether the user has MFA on.
    pub async fn mfa_enabled(&self, user: UserId) -> Result<bool, AuthError> {
        let row = self
            .db
            .run_scoped(Scope::User(user), move |conn| mfa::get(conn, user))
            .await?;
        Ok(row.is_some_and(|r| r.secret_sealed.is_some()))
    }

    /// After a correct password: a challenge when the user has MFA, else the sign-in.
    pub(super) async fn second_step(&self, user: Authenticated) -> Result<LoginOutcome, AuthError> {
        if !self.mfa_enabled(user.user_id).await? {
            return self
                .finish_sign_in(user, &["pwd"])
                .await
                .map(LoginOutcome::SignedIn);
        }
        let mut raw = [0u8; 32];
        rand::rng().fill_bytes(&mut raw);
        let token = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, raw);
        let token_hash = hash(&token);
        let user_id = user.user_id;
        let expires_at = store::now() + chrono::Duration::seconds(CHALLENGE_TTL.as_secs() as i64);
        self.db
            .run(move |conn| mfa::insert_challenge(conn, &token_hash, user_id, expires_at))
            .await?;
        let e = audit::entry("login", "mfa_challenge", user.email.clone(), user.email)
            .user(Some(user_id));
        self.audit.record(e).await;
        Ok(LoginOutcome::MfaRequired(MfaChallenge {
            token,
            expires_in: CHALLENGE_TTL.as_secs(),
        }))
    }

    /// The code step: a TOTP code or a recovery code against a live challenge.
    pub async fn complete_mfa(&self, challenge: &str, code: &str) -> Result<SignedIn, AuthError> {
        if challenge.is_empty() || challenge.len() > 128 || code.len() > 64 {
            return Err(AuthError::InvalidCredentials);
        }
        let challenge_hash = hash(challenge);
        let attempt_hash = challenge_hash.clone();
        let user_id = self
            .db
            .run(move |conn| {
                store::begin_write(conn)?;
                mfa::attempt_challenge(conn, &attempt_hash, MAX_ATTEMPTS)
            })
            .await?
            .ok_or(AuthError::InvalidCredentials)?;
        let user = self
            .db
            .run(move |conn| users::find_by_id(conn, user_id))
            .await?
            .filter(|u| u.is_active)
            .ok_or(AuthError::InvalidCredentials)?;
        self.throttle.check(&user.email).await?;
        if !self
            .second_factor_matches(user_id, &user.email, code)
            .await?
        {
            self.metrics
                .logins
                .with_label_values(&["mfa_failure"])
                .inc();
            self.throttle.failed(&user.email).await?;
            let e = audit::entry("login", "mfa_failure", user.email.clone(), user.email)
                .user(Some(user_id));
            self.audit.record(e).await;
            return Err(AuthError::InvalidCredentials);
        }
        if !self
            .db
            .run(move |conn| mfa::consume_challenge(conn, &challenge_hash))
            .await?
        {
            return Err(AuthError::InvalidCredentials);
        }
        self.throttle.succeeded(&user.email).await?;
        let authenticated = self
            .db
            .run_scoped(Scope::User(user_id), move |conn| {
                let tenants = memberships::tenants_of_user(conn, user_id)?;
                Ok(tenants
                    .iter()
                    .map(|(t, _)| t.id.clone())
                    .collect::<Vec<_>>())
            })
            .await
            .map(|tenant_ids| Authenticated {
                user_id,
                email: user.email.clone(),
                tenant_ids,
                generation: user.token_generation,
                last_tenant: user.last_tenant_id.clone(),
            })?;
        self.finish_sign_in(authenticated, &["pwd", "otp"]).await
    }

    /// Whether `code` is a fresh TOTP code (never accepted before) or an unused recovery
    /// code of the user (each works once).
    async fn second_factor_matches(
        &self,
        user: UserId,
        email: &str,
        code: &str,
    ) -> Result<bool, AuthError> {
        let row = self
            .db
            .run_scoped(Scope::User(user), move |conn| mfa::get(conn, user))
            .await?;
        let Some(sealed) = row.and_then(|r| r.secret_sealed) else {
            return Ok(false);
        };
        let secret = self
            .sealer
            .open(&sealed)
            .map_err(|e| AuthError::Internal(e.to_string()))?;
        if let Some(step) = matching_step(&totp(secret, email)?, code, now_secs()) {
            let fresh = self
                .db
                .run_scoped(Scope::User(user), move |conn| {
                    mfa::advance_step(conn, user, step)
                })
                .await?;
            return Ok(fresh);
        }
        if normalise_recovery(code).len() == 10 {
            let code_hash = recovery_hash(user, code);
            let used = self
                .db
                .run_scoped(Scope::User(user), move |conn| {
                    mfa::use_recovery_code(conn, user, &code_hash)
                })
                .await?;
            if used {
                let e = audit::entry("mfa_recovery_code", "used", email, email).user(Some(user));
                self.audit.record(e).await;
            }
            return Ok(used);
        }
        Ok(false)
    }

    /// The sign-in itself: back-off cleared, sign-in recorded, pending memberships
    /// joined, audited, a user token issued with `amr`.
    pub(super) async fn finish_sign_in(
        &self,
        user: Authenticated,
        amr: &[&str],
    ) -> Result<SignedIn, AuthError> {
        self.metrics.logins.with_label_values(&["success"]).inc();
        let user_id = user.user_id;
        self.db
            .run(move |conn| {
                users::record_sign_in(conn, user_id)?;
                memberships::mark_joined(conn, user_id)
            })
            .await?;
        let amr: Vec<String> = amr.iter().map(|m| (*m).to_owned()).collect();
        let e = audit::entry("login", "success", user.email.clone(), user.email.clone())
            .user(Some(user_id))
            .detail(serde_json::json!({ "amr": amr }));
        self.audit.record(e).await;
        let token = self.tokens.issue_user(
            user_id.as_uuid(),
            &user.email,
            user.tenant_ids.clone(),
            user.generation,
            &amr,
        )?;
        Ok(SignedIn { user, token })
    }

    pub async fn mfa_status(&self, user: UserId) -> Result<MfaStatus, AuthError> {
        let (row, left) = self
            .db
            .run_scoped(Scope::User(user), move |conn| {
                Ok((mfa::get(conn, user)?, mfa::recovery_codes_left(conn, user)?))
            })
            .await?;
        Ok(MfaStatus {
            enabled: row.is_some_and(|r| r.secret_sealed.is_some()),
            recovery_codes_left: left,
        })
    }

    /// Starts (or restarts) enrolment: a new pending secret.
    pub async fn enrol_mfa(&self, user: UserId, email: &str) -> Result<Enrolment, AuthError> {
        let mut secret = vec![0u8; 20];
        rand::rng().fill_bytes(&mut secret);
        let totp = totp(secret.clone(), email)?;
        let url = totp.get_url();
        let sealed = self.sealer.seal(&secret);
        self.db
            .run_scoped(Scope::User(user), move |conn| {
                store::begin_write(conn)?;
                mfa::set_pending(conn, user, &sealed)
            })
            .await?;
        Ok(Enrolment {
            secret: Secret::Raw(secret).to_encoded().to_string(),
            qr_svg: qr_svg(&url)?,
            otpauth_url: url,
        })
    }

    /// Confirms enrolment with a code of the pending secret: MFA on, recovery codes out
    /// (shown once). Returns `None` for a wrong code.
    pub async fn confirm_mfa(
        &self,
        user: UserId,
        email: &str,
        code: &str,
    ) -> Result<Option<Vec<String>>, AuthError> {
        let row = self
            .db
            .run_scoped(Scope::User(user), move |conn| mfa::get(conn, user))
            .await?;
        let Some(pending) = row.and_then(|r| r.pending_sealed) else {
            return Ok(None);
        };
        let secret = self
            .sealer
            .open(&pending)
            .map_err(|e| AuthError::Internal(e.to_string()))?;
        let Some(step) = matching_step(&totp(secret, email)?, code, now_secs()) else {
            self.throttle.failed(email).await?;
            return Ok(None);
        };
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
        let hashes: Vec<String> = codes.iter().map(|c| recovery_hash(user, c)).collect();
        let e = audit::entry("mfa_enable", "success", email, email).user(Some(user));
        self.db
            .run_scoped(Scope::User(user), move |conn| {
                store::begin_write(conn)?;
                mfa::enable(conn, user, &pending, step)?;
                mfa::replace_recovery_codes(conn, user, &hashes)?;
                store::audit::append(conn, &e)
            })
            .await?;
        Ok(Some(codes))
    }

    /// Turns MFA off, with the password and a code (TOTP or recovery). Returns false when
    /// either is wrong.
    pub async fn disable_mfa(
        &self,
        user: UserId,
        email: &str,
        password: String,
        code: &str,
    ) -> Result<bool, AuthError> {
        self.throttle.check(email).await?;
        let password_ok =
            password.chars().count() <= 1024 && self.verify_password_of(user, password).await?;
        if !password_ok || !self.second_factor_matches(user, email, code).await? {
            self.throttle.failed(email).await?;
            let e = audit::entry("mfa_disable", "failure", email, email).user(Some(user));
            self.audit.record(e).await;
            return Ok(false);
        }
        let e = audit::entry("mfa_disable", "success", email, email).user(Some(user));
        self.db
            .run_scoped(Scope::User(user), move |conn| {
                store::begin_write(conn)?;
                mfa::disable(conn, user)?;
                store::audit::append(conn, &e)
            })
            .await?;
        Ok(true)
    }

    /// A user token for the same person with a second factor added to its `amr` (after
    /// enrolment proved one).
    pub async fn with_second_factor(
        &self,
        user: UserId,
        email: &str,
        amr: &[String],
    ) -> Result<IssuedToken, AuthError> {
        let mut upgraded = amr.to_vec();
        if !upgraded.iter().any(|m| m == "otp") {
            upgraded.push("otp".into());
        }
        self.reissue_user_token(user, email, &upgraded).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_totp() -> TOTP {
        totp(b"12345678901234567890".to_vec(), "a@example.com").expect("totp")
    }

    #[test]
    fn the_rfc_6238_test_vector_holds_and_neighbouring_steps_match() {
        let totp = test_totp();
        // RFC 6238, SHA-1, T = 59: 94287082 (8 digits) → 287082 (6 digits).
        assert_eq!(totp.generate(59), "287082");
        assert_eq!(matching_step(&totp, "287082", 59), Some(1));
        assert_eq!(
            matching_step(&totp, "287082", 59 + 30),
            Some(1),
            "one step of skew"
        );
        assert_eq!(
            matching_step(&totp, "287082", 59 + 90),
            None,
            "two steps late"
        );
        for bad in ["", "28708", "2870823", "abcdef", "287 82"] {
            assert_eq!(matching_step(&totp, bad, 59), None, "{bad:?}");
        }
    }

    #[test]
    fn recovery_codes_are_random_readable_and_forgiving_to_type() {
        let a = new_recovery_code();
        let b = new_recovery_code();
        assert_ne!(a, b);
        assert_eq!(a.len(), 11);
        let user = UserId::new_random();
        assert_eq!(
            recovery_hash(user, &a),
            recovery_hash(user, &a.to_uppercase().replace('-', " "))
        );
        assert_ne!(
            recovery_hash(user, &a),
            recovery_hash(UserId::new_random(), &a)
        );
    }

    #[test]
    fn the_enrolment_qr_code_is_svg() {
        let svg = qr_svg("otpauth://totp/Kyros:a@example.com?secret=GEZDGNBVGY3TQOJQ&issuer=Kyros")
            .expect("svg");
        assert!(svg.contains("<svg"));
    }
}
