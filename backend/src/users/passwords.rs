//! Changing one's own password (the policy is in `policy`).

use kyros_common::ids::UserId;
use serde_json::json;

use super::policy::email_words;
use super::service::{Users, UsersError};
use crate::audit::{self, AuditEntryExt};
use crate::auth::password::hash_password;
use crate::store::{user_sessions, users};
use crate::tenancy::scope::Scope;

impl Users {
    /// Changes the signed-in user's password: checks the current one, applies the
    /// policy, moves the token generation (every token issued before is refused) and ends
    /// the user's other browser sessions (`keep_session`: the registry id of the current
    /// one, if any). Audited; the user is told by mail.
    pub async fn change_password(
        &self,
        user: UserId,
        email: &str,
        current: String,
        new: String,
        keep_session: Option<String>,
    ) -> Result<(), UsersError> {
        if current.chars().count() > kyros_common::password::MAX_CHARS
            || !self.auth.verify_password_of(user, current).await?
        {
            let e = audit::entry("password_change", "failure", email, email).user(Some(user));
            self.audit.record(e).await;
            return Err(UsersError::WrongPassword);
        }
        let words = email_words(email);
        let context: Vec<&str> = words.iter().map(String::as_str).collect();
        self.policy
            .check_async(&new, &context)
            .await
            .map_err(UsersError::WeakPassword)?;
        let hash = actix_web::web::block(move || hash_password(&new))
            .await
            .map_err(|e| UsersError::Invalid(e.to_string()))??;
        let mail = crate::mail::Mail {
            to: email.to_owned(),
            subject: "Your Kyros password was changed".into(),
            body: format!(
                "The password of your Kyros account ({email}) was just changed, and your other sessions were signed out.\n\n\
                 If this was not you, reset your password at {}/forgot-password and tell your administrator.\n",
                self.accounts.public_url
            ),
        };
        let entry = audit::entry("password_change", "success", email, email).user(Some(user));
        let mailer = self.mailer.clone();
        let outbound = mail.clone();
        let ended = self
            .db
            .run_scoped(Scope::User(user), move |conn| {
                crate::store::begin_write(conn)?;
                users::set_password(conn, user, &hash)?;
                let ended = user_sessions::end_others(conn, user, keep_session.as_deref())?;
                crate::store::audit::append(
                    conn,
                    &entry.detail(json!({ "sessions_ended": ended })),
                )?;
                mailer.enqueue(conn, &outbound)?;
                Ok(ended)
            })
            .await?;
        self.mailer.dispatched(&mail);
        tracing::info!(user = %user, sessions_ended = ended, "password changed");
        self.changed().await;
        Ok(())
    }
}

impl Users {
    /// `POST /api/auth/password/change`: the change, then a fresh user token (the one the
    /// caller used is refused from now on, like every other token issued before).
    pub async fn change_password_reissuing(
        &self,
        user: UserId,
        email: &str,
        current: String,
        new: String,
    ) -> Result<crate::auth::jwt::IssuedToken, UsersError> {
        self.change_password(user, email, current, new, None)
            .await?;
        Ok(self
            .auth
            .reissue_user_token(user, email, &["pwd".to_owned()])
            .await?)
    }
}
