//! Invitation and password-reset links: a random single-use token (256 bits) in the
//! link's fragment (`/invite#token=…`, so it never reaches a server log or a Referer),
//! stored only as its SHA-256, expiring (`KYROS_INVITE_TTL`, `KYROS_RESET_TTL`) and
//! consumed atomically (of two concurrent uses exactly one wins).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::NaiveDateTime;
use kyros_common::api::users::{AcceptInvitation, ResetPassword};
use kyros_common::ids::{TenantId, UserId};
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::policy::email_words;
use super::service::{clean_email, clean_name, Users, UsersError};
use std::sync::Arc;

use crate::audit::{self, AuditEntryExt};
use crate::auth::password::hash_password;
use crate::config::AccountSettings;
use crate::mail::{Mail, Mailer};
use crate::store::account_tokens::{self, NewToken, Purpose};
use crate::store::{self, user_sessions, users, DbConnection, StoreResult};

/// Longest token accepted (ours are 43 characters).
const MAX_TOKEN_CHARS: usize = 128;

/// A new random token and the hash that is stored.
pub(super) fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    (token, hash)
}

pub(super) fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn plausible(token: &str) -> bool {
    !token.is_empty()
        && token.len() <= MAX_TOKEN_CHARS
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub(super) fn expiry(ttl: std::time::Duration) -> NaiveDateTime {
    store::now() + chrono::Duration::seconds(i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 2))
}

/// An invitation just written (its link carries the token).
pub(super) struct Invitation {
    pub url: String,
    pub expires_at: NaiveDateTime,
}

/// What writing invitations inside a transaction needs (cloneable into it).
#[derive(Clone)]
pub(super) struct Outbound {
    pub accounts: AccountSettings,
    pub mailer: Arc<Mailer>,
}

impl Users {
    pub(super) fn handle(&self) -> Outbound {
        Outbound {
            accounts: self.accounts.clone(),
            mailer: self.mailer.clone(),
        }
    }
}

impl Outbound {
    /// Writes an invitation token for `user` on `conn` and returns its link.
    pub(super) fn write_invitation(
        &self,
        conn: &mut DbConnection,
        user: UserId,
        tenant: Option<TenantId>,
    ) -> StoreResult<Invitation> {
        let (token, hash) = new_token();
        let expires_at = expiry(self.accounts.invite_ttl);
        account_tokens::insert(
            conn,
            &NewToken {
                hash: &hash,
                user,
                purpose: Purpose::Invite,
                tenant,
                expires_at,
            },
        )?;
        Ok(Invitation {
            url: format!("{}/invite#token={token}", self.accounts.public_url),
            expires_at,
        })
    }

    pub(super) fn invitation_mail(
        &self,
        to: &str,
        tenant_name: Option<&str>,
        invitation: &Invitation,
    ) -> Mail {
        let place = tenant_name.map(|n| format!(" to {n}")).unwrap_or_default();
        let hours = self.accounts.invite_ttl.as_secs() / 3600;
        Mail {
            to: to.to_owned(),
            subject: format!("You are invited{place} on Kyros"),
            body: format!(
                "You have been invited{place} on Kyros, the analytics workspace.\n\n\
                 Choose your password to activate your account:\n{}\n\n\
                 The link works once and expires in {hours} hours. If you did not expect this, ignore this mail.\n",
                invitation.url
            ),
        }
    }
}

impl Users {
    /// `POST /api/auth/invitations/accept`: sets the password (and name) of an invited
    /// user. The link works once.
    pub async fn accept_invitation(&self, request: AcceptInvitation) -> Result<(), UsersError> {
        let name = request
            .name
            .as_deref()
            .map(|n| clean_name(Some(n)))
            .transpose()?;
        let user = self
            .redeem(&request.token, Purpose::Invite, &request.password)
            .await?;
        let (user_id, email) = user;
        if let Some(name) = name.filter(|n| !n.is_empty()) {
            self.db
                .run(move |conn| users::set_name(conn, user_id, &name))
                .await?;
        }
        let e =
            audit::entry("invitation_accept", "success", email.clone(), email).user(Some(user_id));
        self.audit.record(e).await;
        Ok(())
    }

    /// `POST /api/auth/password/reset`: a new password through a reset link. Ends every
    /// session and refuses every token issued before.
    pub async fn reset_password(&self, request: ResetPassword) -> Result<(), UsersError> {
        let (user_id, email) = self
            .redeem(&request.token, Purpose::Reset, &request.password)
            .await?;
        let e = audit::entry("password_reset", "success", email.clone(), email).user(Some(user_id));
        self.audit.record(e).await;
        Ok(())
    }

    /// Checks the password against the policy first (nothing is consumed for a weak
    /// password: the person can try another), then consumes the token and sets the
    /// password in one transaction.
    async fn redeem(
        &self,
        token: &str,
        purpose: Purpose,
        password: &str,
    ) -> Result<(UserId, String), UsersError> {
        if !plausible(token) {
            self.audit_bad_link(purpose).await;
            return Err(UsersError::InvalidLink);
        }
        let hash = hash_token(token);
        // Who the token is for, without consuming it (owner path: only it reads tokens).
        let peek_hash = hash.clone();
        let holder = self
            .db
            .run(move |conn| {
                use diesel::prelude::*;
                use store::schema::account_tokens as t;
                let user: Option<String> = t::table
                    .filter(t::token_hash.eq(&peek_hash))
                    .filter(t::purpose.eq(purpose.as_str()))
                    .filter(t::consumed_at.is_null())
                    .filter(t::expires_at.gt(store::now()))
                    .select(t::user_id)
                    .first(conn)
                    .optional()?;
                let Some(user) = user.and_then(|u| u.parse::<UserId>().ok()) else {
                    return Ok(None);
                };
                users::find_by_id(conn, user)
            })
            .await?;
        let Some(holder) = holder.filter(|u| u.is_active) else {
            self.audit_bad_link(purpose).await;
            return Err(UsersError::InvalidLink);
        };
        let mut context = email_words(&holder.email);
        context.push(holder.name.clone());
        let refs: Vec<&str> = context.iter().map(String::as_str).collect();
        self.policy
            .check_async(password, &refs)
            .await
            .map_err(UsersError::WeakPassword)?;
        let password = password.to_owned();
        let new_hash = actix_web::web::block(move || hash_password(&password))
            .await
            .map_err(|e| UsersError::Invalid(e.to_string()))??;
        let redeemed = self
            .db
            .run(move |conn| {
                use diesel::Connection;
                conn.transaction(|conn| {
                    crate::store::begin_write(conn)?;
                    let Some(user) = account_tokens::consume(conn, &hash, purpose)? else {
                        return Ok(None);
                    };
                    users::set_password(conn, user, &new_hash)?;
                    // Any other open link of the same kind is void now.
                    account_tokens::void_for_user(conn, user, purpose)?;
                    if purpose == Purpose::Reset {
                        user_sessions::end_others(conn, user, None)?;
                    }
                    Ok::<_, store::StoreError>(Some(user))
                })
            })
            .await?;
        let Some(user) = redeemed else {
            // Used by a concurrent request meanwhile.
            self.audit_bad_link(purpose).await;
            return Err(UsersError::InvalidLink);
        };
        self.changed().await;
        Ok((user, holder.email))
    }

    async fn audit_bad_link(&self, purpose: Purpose) {
        let action = match purpose {
            Purpose::Invite => "invitation_accept",
            Purpose::Reset => "password_reset",
        };
        self.audit
            .record(audit::entry(action, "denied", "anonymous", "invalid link"))
            .await;
    }

    /// `POST /api/auth/password/forgot`: mails a reset link when the email belongs to an
    /// active account with a password, and nothing otherwise. The caller always gets
    /// the same answer at once: the work happens after the response, so its time does
    /// not tell either.
    pub async fn forgot_password(&self, email: &str) -> Result<(), UsersError> {
        let email = clean_email(email)?;
        let db = self.db.clone();
        let mailer = self.mailer.clone();
        let audit = self.audit.clone();
        let reset_ttl = self.accounts.reset_ttl;
        let public_url = self.accounts.public_url.clone();
        actix_web::rt::spawn(async move {
            let (token, hash) = new_token();
            let expires_at = expiry(reset_ttl);
            let minutes = reset_ttl.as_secs() / 60;
            let mail = Mail {
                to: email.clone(),
                subject: "Reset your Kyros password".into(),
                body: format!(
                    "Someone (hopefully you) asked to reset the password of your Kyros account.\n\n\
                     Choose a new password here:\n{public_url}/reset-password#token={token}\n\n\
                     The link works once and expires in {minutes} minutes. If you did not ask, ignore this mail: your password stays as it is.\n"
                ),
            };
            let outbound = mail.clone();
            let queue = mailer.clone();
            let sent = db
                .run(move |conn| {
                    use diesel::Connection;
                    conn.transaction(|conn| {
                        crate::store::begin_write(conn)?;
                        let Some(user) = users::find_by_email(conn, &outbound.to)? else {
                            return Ok(None);
                        };
                        let Some(user_id) = user
                            .user_id()
                            .filter(|_| user.is_active && !user.invitation_pending())
                        else {
                            return Ok(None);
                        };
                        account_tokens::void_for_user(conn, user_id, Purpose::Reset)?;
                        account_tokens::insert(
                            conn,
                            &NewToken {
                                hash: &hash,
                                user: user_id,
                                purpose: Purpose::Reset,
                                tenant: None,
                                expires_at,
                            },
                        )?;
                        queue.enqueue(conn, &outbound)?;
                        Ok::<_, store::StoreError>(Some(user_id))
                    })
                })
                .await;
            match sent {
                Ok(Some(user)) => {
                    mailer.dispatched(&mail);
                    audit
                        .record(
                            audit::entry("password_forgot", "sent", email.clone(), email)
                                .user(Some(user)),
                        )
                        .await;
                }
                Ok(None) => {
                    audit
                        .record(audit::entry(
                            "password_forgot",
                            "no_account",
                            "anonymous",
                            "unknown email",
                        ))
                        .await;
                }
                Err(e) => tracing::error!(error = %e, "password reset mail could not be queued"),
            }
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_256_random_bits_and_only_their_hash_is_kept() {
        let (a, hash_a) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(plausible(&a));
        assert_eq!(hash_token(&a), hash_a);
        assert!(!hash_a.contains(&a));
    }

    #[test]
    fn implausible_tokens_are_refused_before_any_lookup() {
        for bad in ["", "a b", "x\u{0}", &"a".repeat(129), "../etc", "é"] {
            assert!(!plausible(bad), "{bad:?}");
        }
    }
}
