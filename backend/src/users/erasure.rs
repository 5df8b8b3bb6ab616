//! Erasure (`DELETE /admin/users/{id}`): the account goes with its memberships,
//! preferences, links, session registry and stored sessions, its mail in the outbox and
//! its sign-in back-off record; the audit trail keeps the entries but only the user id
//! (`store::audit::scrub_user`).

use diesel::Connection;
use serde_json::json;

use super::service::{Users, UsersError};
use crate::audit::{self, AuditEntryExt};
use crate::auth::throttle::account_key;
use crate::store::{audit as audit_store, outbox, sessions, sign_in_failures, users, StoreError};

impl Users {
    pub async fn erase_user(&self, actor: String, raw_id: &str) -> Result<(), UsersError> {
        let id = raw_id
            .parse::<kyros_common::ids::UserId>()
            .map_err(|_| UsersError::NotFound("no such user"))?;
        let erased = self
            .db
            .run(move |conn| {
                conn.transaction(|conn| {
                    crate::store::begin_write(conn)?;
                    let Some(user) = users::find_by_id(conn, id)? else {
                        return Ok(false);
                    };
                    audit_store::scrub_user(conn, id, &user.email)?;
                    outbox::delete_for(conn, &user.email)?;
                    sessions::delete_for_user(conn, &id.to_string())?;
                    sign_in_failures::clear(conn, &account_key(&user.email))?;
                    users::delete(conn, id)?;
                    let label = format!("user:{id}");
                    let e = audit::entry("user_erase", "success", actor, label)
                        .user(Some(id))
                        .detail(json!({}));
                    audit_store::append(conn, &e)?;
                    Ok::<_, StoreError>(true)
                })
            })
            .await?;
        if !erased {
            return Err(UsersError::NotFound("no such user"));
        }
        self.changed().await;
        Ok(())
    }
}
