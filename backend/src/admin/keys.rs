//! Signing key rotation.

use serde_json::json;

use super::service::{Admin, AdminError};
use crate::audit::{self, AuditEntryExt};

impl Admin {
    /// A new active signing key. The previous key keeps verifying until the longest
    /// token lifetime has passed, unless `revoke_previous`. Returns the new `kid`.
    pub async fn rotate_key(
        &self,
        actor: String,
        revoke_previous: bool,
    ) -> Result<String, AdminError> {
        let keys = self.keys.clone();
        let kid = self
            .db
            .run(move |conn| keys.rotate(conn, revoke_previous))
            .await?;
        let e = audit::entry("key_rotation", "success", actor, kid.clone())
            .detail(json!({ "revoke_previous": revoke_previous }));
        self.audit.record(e).await;
        Ok(kid)
    }
}
