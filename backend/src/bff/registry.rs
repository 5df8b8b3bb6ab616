//! The registry of browser sessions (`user_sessions`): a row per signed-in session,
//! named by the session's `sid`. What `GET /bff/sessions` lists and `DELETE
//! /bff/sessions/{id}` ends; a password change ends all but the current one. A session
//! whose registry row has ended is refused on every instance: liveness is remembered
//! only while the metadata epoch is unchanged, and ending a row moves the epoch.

use std::sync::Arc;
use std::time::Duration;

use kyros_common::api::users::SessionSummary;
use kyros_common::ids::UserId;
use moka::sync::Cache;
use uuid::Uuid;

use crate::store::{self, user_sessions, Db, StoreError};
use crate::tenancy::cache::{Epoch, EpochCache};
use crate::tenancy::scope::Scope;

/// `last_seen_at` is written at most this often per session.
const TOUCH_EVERY: Duration = Duration::from_secs(60);
/// Longest user agent kept.
const MAX_USER_AGENT: usize = 256;

pub struct Registry {
    db: Db,
    epoch: Arc<Epoch>,
    live: EpochCache<String, bool>,
    touched: Cache<String, ()>,
    /// How long an untouched session can still be alive (the session state's lifetime).
    lifetime: Duration,
}

impl Registry {
    pub fn new(db: Db, epoch: &Arc<Epoch>, lifetime: Duration) -> Self {
        Registry {
            db,
            live: EpochCache::new(epoch),
            epoch: Arc::clone(epoch),
            touched: Cache::builder()
                .max_capacity(100_000)
                .time_to_live(TOUCH_EVERY)
                .build(),
            lifetime,
        }
    }

    /// Registers a new session of `user`; returns its id.
    pub async fn create(&self, user: UserId, user_agent: &str) -> Result<String, StoreError> {
        let id = Uuid::new_v4().to_string();
        let agent: String = user_agent
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_USER_AGENT)
            .collect();
        let row_id = id.clone();
        self.db
            .run_scoped(Scope::User(user), move |conn| {
                user_sessions::insert(conn, &row_id, user, &agent)
            })
            .await?;
        self.touched.insert(id.clone(), ());
        Ok(id)
    }

    /// Whether the session `sid` of `user` is registered and has not ended.
    pub async fn is_live(&self, user: UserId, sid: &str) -> Result<bool, StoreError> {
        if sid.len() > 64 {
            return Ok(false);
        }
        let key = sid.to_owned();
        let live = self
            .live
            .get_or_load(key.clone(), || async {
                self.db
                    .run_scoped(Scope::User(user), move |conn| {
                        Ok(user_sessions::find(conn, &key)?.is_some_and(|row| {
                            row.ended_at.is_none() && row.user_id == user.to_string()
                        }))
                    })
                    .await
            })
            .await?;
        if live && !self.touched.contains_key(sid) {
            self.touched.insert(sid.to_owned(), ());
            let (db, sid) = (self.db.clone(), sid.to_owned());
            actix_web::rt::spawn(async move {
                if let Err(e) = db
                    .run_scoped(Scope::User(user), move |conn| {
                        user_sessions::touch(conn, &sid)
                    })
                    .await
                {
                    tracing::warn!(error = %e, "session last-seen update failed");
                }
            });
        }
        Ok(live)
    }

    /// The user's live sessions, newest first, marking `current`.
    pub async fn list(
        &self,
        user: UserId,
        current: &str,
    ) -> Result<Vec<SessionSummary>, StoreError> {
        let since = store::now()
            - chrono::Duration::seconds(
                i64::try_from(self.lifetime.as_secs()).unwrap_or(i64::MAX / 2),
            );
        let rows = self
            .db
            .run_scoped(Scope::User(user), move |conn| {
                user_sessions::live_of_user(conn, user, since)
            })
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| SessionSummary {
                current: row.id == current,
                id: row.id,
                created_at: row.created_at.and_utc().to_rfc3339(),
                last_seen_at: row.last_seen_at.and_utc().to_rfc3339(),
                user_agent: row.user_agent,
            })
            .collect())
    }

    /// Ends one of the user's sessions; false when it is not theirs or already ended.
    pub async fn end(&self, user: UserId, sid: &str) -> Result<bool, StoreError> {
        if sid.len() > 64 {
            return Ok(false);
        }
        let key = sid.to_owned();
        let ended = self
            .db
            .run_scoped(Scope::User(user), move |conn| {
                user_sessions::end(conn, user, &key)
            })
            .await?;
        if ended {
            self.epoch.refresh(&self.db).await;
        }
        Ok(ended)
    }
}
