//! The signing key ring: one active HS256 key (by `kid`) plus retired keys that keep
//! verifying until their grace period ends. The ring lives in `signing_keys`, so every
//! instance sharing the database verifies the same tokens; each instance reloads it
//! when it meets an unknown `kid` (at most once a second) and on rotation.

use std::collections::HashMap;
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chrono::NaiveDateTime;
use diesel::Connection;
use jsonwebtoken::{DecodingKey, EncodingKey};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use crate::store::keys::{self as key_store, SigningKeyRow};
use crate::store::{self, Db, DbConnection, StoreError, StoreResult};

struct VerifyingKey {
    decoding: DecodingKey,
    verify_until: Option<NaiveDateTime>,
}

struct KeySet {
    active_kid: String,
    encoding: EncodingKey,
    verifying: HashMap<String, VerifyingKey>,
}

pub struct KeyRing {
    db: Db,
    grace: Duration,
    keys: RwLock<KeySet>,
    last_reload: Mutex<Instant>,
}

const RELOAD_INTERVAL: Duration = Duration::from_secs(1);

/// The `kid` of a key: a digest prefix, so the same env key gets the same kid everywhere.
pub fn kid_for(material: &[u8]) -> String {
    let digest = Sha256::digest(material);
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("hs256-{hex}")
}

fn new_row(material: &[u8]) -> SigningKeyRow {
    SigningKeyRow {
        kid: kid_for(material),
        material: B64.encode(material),
        created_at: store::now(),
        retired_at: None,
        verify_until: None,
    }
}

fn random_material() -> Vec<u8> {
    let mut bytes = vec![0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

fn grace_end(grace: Duration) -> NaiveDateTime {
    store::now() + chrono::Duration::seconds(i64::try_from(grace.as_secs()).unwrap_or(i64::MAX / 2))
}

impl KeyRing {
    /// Loads the ring, making sure there is an active key: the env key when given
    /// (retiring others with a grace period), else the stored active key, else a new one.
    pub fn load(db: Db, env_key: Option<&SecretString>, grace: Duration) -> StoreResult<Self> {
        let mut conn = db.conn()?;
        let rows = key_store::all(&mut conn)?;
        let has_active = rows.iter().any(|r| r.retired_at.is_none());
        match env_key {
            Some(key) => {
                let row = new_row(key.expose_secret().as_bytes());
                let already_active = rows
                    .iter()
                    .any(|r| r.kid == row.kid && r.retired_at.is_none())
                    && rows.iter().filter(|r| r.retired_at.is_none()).count() == 1;
                if !already_active {
                    key_store::activate(&mut conn, &row, grace_end(grace))?;
                }
            }
            None if !has_active => {
                key_store::activate(&mut conn, &new_row(&random_material()), grace_end(grace))?
            }
            None => {}
        }
        let keys = build_set(&mut conn)?;
        drop(conn);
        Ok(KeyRing {
            db,
            grace,
            keys: RwLock::new(keys),
            last_reload: Mutex::new(Instant::now()),
        })
    }

    /// The key new tokens are signed with.
    pub fn signing_key(&self) -> Option<(String, EncodingKey)> {
        let keys = self.keys.read().ok()?;
        Some((keys.active_kid.clone(), keys.encoding.clone()))
    }

    /// The verification key for `kid`, if it is known and still inside its grace period.
    pub fn verification_key(&self, kid: &str) -> Option<DecodingKey> {
        let keys = self.keys.read().ok()?;
        let key = keys.verifying.get(kid)?;
        match key.verify_until {
            Some(until) if until <= store::now() => None,
            _ => Some(key.decoding.clone()),
        }
    }

    /// Whether a reload is due (an unknown kid was seen and the last reload is old enough).
    pub fn reload_due(&self) -> bool {
        self.last_reload
            .lock()
            .map(|last| last.elapsed() >= RELOAD_INTERVAL)
            .unwrap_or(false)
    }

    /// Re-reads the ring from the database.
    pub fn reload(&self, conn: &mut DbConnection) -> StoreResult<()> {
        let fresh = build_set(conn)?;
        if let Ok(mut keys) = self.keys.write() {
            *keys = fresh;
        }
        if let Ok(mut last) = self.last_reload.lock() {
            *last = Instant::now();
        }
        Ok(())
    }

    /// Adds a new active key. The previous key keeps verifying for the grace period
    /// (the longest token lifetime), or stops at once with `revoke_previous`.
    pub fn rotate(&self, conn: &mut DbConnection, revoke_previous: bool) -> StoreResult<String> {
        let row = new_row(&random_material());
        conn.transaction(|conn| {
            key_store::activate(conn, &row, grace_end(self.grace))?;
            if revoke_previous {
                key_store::revoke_retired(conn)?;
            }
            key_store::purge_expired(conn)?;
            Ok::<_, StoreError>(())
        })?;
        self.reload(conn)?;
        Ok(row.kid)
    }

    pub fn db(&self) -> &Db {
        &self.db
    }
}

fn build_set(conn: &mut DbConnection) -> StoreResult<KeySet> {
    let rows = key_store::all(conn)?;
    let mut verifying = HashMap::new();
    let mut active: Option<(String, EncodingKey)> = None;
    for row in rows {
        let material = B64
            .decode(&row.material)
            .map_err(|e| StoreError::Corrupt(format!("signing key {}: {e}", row.kid)))?;
        if row.retired_at.is_none() && active.is_none() {
            active = Some((row.kid.clone(), EncodingKey::from_secret(&material)));
        }
        verifying.insert(
            row.kid.clone(),
            VerifyingKey {
                decoding: DecodingKey::from_secret(&material),
                verify_until: row.verify_until,
            },
        );
    }
    let (active_kid, encoding) =
        active.ok_or_else(|| StoreError::Corrupt("no active signing key".into()))?;
    Ok(KeySet {
        active_kid,
        encoding,
        verifying,
    })
}
