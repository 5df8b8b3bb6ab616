//! The signing key ring: one active key (by `kid`) of the configured algorithm
//! (`KYROS_SIGNING_ALG`: HS256, EdDSA or RS256) plus retired keys that keep verifying
//! until their grace period ends. The ring lives in `signing_keys`, sealed with the
//! key-encryption key (`auth::kek`), so every instance sharing the database verifies
//! the same tokens; each instance reloads it when it meets an unknown `kid` (at most
//! once a second) and on rotation. The public halves of asymmetric keys, active or in
//! grace, are published as a JWK set (`/.well-known/jwks.json`).
//!
//! Each key verifies tokens of its own algorithm only: a token whose header names
//! another algorithm than its key's (an RS256 key's public half used as an HS256 secret,
//! `none`) is refused before any signature check.

use std::collections::HashMap;
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::{STANDARD as B64, URL_SAFE_NO_PAD as B64URL};
use base64::Engine as _;
use chrono::NaiveDateTime;
use diesel::Connection;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
use rand::RngCore;
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::kek::Sealer;
use crate::config::SigningAlg;
use crate::store::keys::{self as key_store, SigningKeyRow};
use crate::store::{self, Db, DbConnection, StoreError, StoreResult};

struct VerifyingKey {
    alg: Algorithm,
    decoding: DecodingKey,
    verify_until: Option<NaiveDateTime>,
    jwk: Option<Value>,
}

struct KeySet {
    active_kid: String,
    active_alg: Algorithm,
    encoding: EncodingKey,
    verifying: HashMap<String, VerifyingKey>,
}

pub struct KeyRing {
    db: Db,
    grace: Duration,
    alg: SigningAlg,
    sealer: Sealer,
    keys: RwLock<KeySet>,
    last_reload: Mutex<Instant>,
}

const RELOAD_INTERVAL: Duration = Duration::from_secs(1);

fn jwt_alg(alg: &str) -> Option<Algorithm> {
    match alg {
        "HS256" => Some(Algorithm::HS256),
        "EdDSA" => Some(Algorithm::EdDSA),
        "RS256" => Some(Algorithm::RS256),
        _ => None,
    }
}

/// The `kid` of an HS256 key: a digest prefix, so the same env key gets the same kid
/// everywhere.
pub fn kid_for(material: &[u8]) -> String {
    format!("hs256-{}", short_digest(material))
}

fn short_digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new key of `alg`: its stored row (material sealed) and nothing else.
fn generate(alg: SigningAlg, sealer: &Sealer) -> Result<SigningKeyRow, StoreError> {
    let corrupt =
        |e: &dyn std::fmt::Display| StoreError::Corrupt(format!("generating a signing key: {e}"));
    let (kid, material, public_jwk) = match alg {
        SigningAlg::Hs256 => {
            let mut secret = vec![0u8; 32];
            rand::rng().fill_bytes(&mut secret);
            (kid_for(&secret), secret, None)
        }
        SigningAlg::EdDsa => {
            let mut seed = [0u8; 32];
            rand::rng().fill_bytes(&mut seed);
            let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
            let public = signing.verifying_key().to_bytes();
            let kid = format!("ed25519-{}", short_digest(&public));
            let jwk = json!({ "kty": "OKP", "crv": "Ed25519", "x": B64URL.encode(public), "kid": kid, "alg": "EdDSA", "use": "sig" });
            (kid, seed.to_vec(), Some(jwk.to_string()))
        }
        SigningAlg::Rs256 => {
            let private =
                rsa::RsaPrivateKey::new(&mut rand_core::OsRng, 2048).map_err(|e| corrupt(&e))?;
            let der = private.to_pkcs1_der().map_err(|e| corrupt(&e))?;
            let n = B64URL.encode(private.n().to_bytes_be());
            let e = B64URL.encode(private.e().to_bytes_be());
            let kid = format!("rsa-{}", short_digest(n.as_bytes()));
            let jwk =
                json!({ "kty": "RSA", "n": n, "e": e, "kid": kid, "alg": "RS256", "use": "sig" });
            (kid, der.as_bytes().to_vec(), Some(jwk.to_string()))
        }
    };
    Ok(SigningKeyRow {
        kid,
        material: sealer.seal(&material),
        created_at: store::now(),
        retired_at: None,
        verify_until: None,
        alg: alg.as_str().to_owned(),
        public_jwk,
    })
}

fn env_row(secret: &SecretString, sealer: &Sealer) -> SigningKeyRow {
    let material = secret.expose_secret().as_bytes();
    SigningKeyRow {
        kid: kid_for(material),
        material: sealer.seal(material),
        created_at: store::now(),
        retired_at: None,
        verify_until: None,
        alg: SigningAlg::Hs256.as_str().to_owned(),
        public_jwk: None,
    }
}

fn grace_end(grace: Duration) -> NaiveDateTime {
    store::now() + chrono::Duration::seconds(i64::try_from(grace.as_secs()).unwrap_or(i64::MAX / 2))
}

/// Seals material stored in plain text by versions before sealing (base64 HS256
/// secrets), in place.
fn seal_plain_rows(conn: &mut DbConnection, sealer: &Sealer) -> StoreResult<()> {
    for row in key_store::all(conn)? {
        if Sealer::is_sealed(&row.material) {
            continue;
        }
        let plain = B64
            .decode(&row.material)
            .map_err(|e| StoreError::Corrupt(format!("signing key {}: {e}", row.kid)))?;
        key_store::set_material(conn, &row.kid, &sealer.seal(&plain))?;
    }
    Ok(())
}

/// Why the ring could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RingError {
    #[error(transparent)]
    Seal(#[from] super::kek::SealError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl KeyRing {
    /// The ring as the settings describe it: `KYROS_SIGNING_ALG`, `KYROS_SIGNING_KEY`,
    /// the KEK, and a grace period of the longest token lifetime.
    pub fn for_settings(db: Db, settings: &crate::config::Settings) -> Result<Self, RingError> {
        let sealer = Sealer::from_settings(
            settings.key_encryption_key.as_ref(),
            settings.signing_key.as_ref(),
            &settings.data_dir,
        )?;
        Ok(Self::load(
            db,
            settings.signing_key.as_ref(),
            settings.longest_token_ttl(),
            settings.signing_alg,
            sealer,
        )?)
    }

    /// Loads the ring, making sure the active key is of `alg`: the env key when given
    /// with HS256 (retiring others with a grace period), else the stored active key when
    /// it has the right algorithm, else a new one.
    pub fn load(
        db: Db,
        env_key: Option<&SecretString>,
        grace: Duration,
        alg: SigningAlg,
        sealer: Sealer,
    ) -> StoreResult<Self> {
        let mut conn = db.conn()?;
        conn.transaction(|conn| {
            seal_plain_rows(conn, &sealer)?;
            let rows = key_store::all(conn)?;
            let active: Vec<&SigningKeyRow> =
                rows.iter().filter(|r| r.retired_at.is_none()).collect();
            match (alg, env_key) {
                (SigningAlg::Hs256, Some(key)) => {
                    let kid = kid_for(key.expose_secret().as_bytes());
                    let already = active.len() == 1 && active[0].kid == kid;
                    if !already {
                        key_store::activate(conn, &env_row(key, &sealer), grace_end(grace))?;
                    }
                }
                _ => {
                    let fits = active.len() == 1 && active[0].alg == alg.as_str();
                    if !fits {
                        key_store::activate(conn, &generate(alg, &sealer)?, grace_end(grace))?;
                    }
                }
            }
            Ok::<_, StoreError>(())
        })?;
        let keys = build_set(&mut conn, &sealer)?;
        drop(conn);
        Ok(KeyRing {
            db,
            grace,
            alg,
            sealer,
            keys: RwLock::new(keys),
            last_reload: Mutex::new(Instant::now()),
        })
    }

    /// The key new tokens are signed with, and its algorithm.
    pub fn signing_key(&self) -> Option<(String, Algorithm, EncodingKey)> {
        let keys = self.keys.read().ok()?;
        Some((
            keys.active_kid.clone(),
            keys.active_alg,
            keys.encoding.clone(),
        ))
    }

    /// The verification key for `kid` and its algorithm, if it is known and still inside
    /// its grace period.
    pub fn verification_key(&self, kid: &str) -> Option<(Algorithm, DecodingKey)> {
        let keys = self.keys.read().ok()?;
        let key = keys.verifying.get(kid)?;
        match key.verify_until {
            Some(until) if until <= store::now() => None,
            _ => Some((key.alg, key.decoding.clone())),
        }
    }

    /// The public keys that verify tokens now (asymmetric keys, active or in grace).
    pub fn jwks(&self) -> Value {
        let now = store::now();
        let keys: Vec<Value> = self
            .keys
            .read()
            .map(|keys| {
                let mut list: Vec<&VerifyingKey> = keys
                    .verifying
                    .values()
                    .filter(|k| k.verify_until.is_none_or(|until| until > now))
                    .collect();
                list.sort_by_key(|k| k.verify_until.is_some());
                list.into_iter().filter_map(|k| k.jwk.clone()).collect()
            })
            .unwrap_or_default();
        json!({ "keys": keys })
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
        let fresh = build_set(conn, &self.sealer)?;
        if let Ok(mut keys) = self.keys.write() {
            *keys = fresh;
        }
        if let Ok(mut last) = self.last_reload.lock() {
            *last = Instant::now();
        }
        Ok(())
    }

    /// Adds a new active key of the configured algorithm. The previous key keeps
    /// verifying for the grace period (the longest token lifetime), or stops at once with
    /// `revoke_previous`.
    pub fn rotate(&self, conn: &mut DbConnection, revoke_previous: bool) -> StoreResult<String> {
        let row = generate(self.alg, &self.sealer)?;
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

    pub fn sealer(&self) -> &Sealer {
        &self.sealer
    }
}

/// Encoding and decoding keys of one row.
fn keys_of(
    row: &SigningKeyRow,
    material: &[u8],
) -> StoreResult<(Algorithm, EncodingKey, DecodingKey, Option<Value>)> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("signing key {}: {what}", row.kid));
    let alg = jwt_alg(&row.alg).ok_or_else(|| corrupt("unknown algorithm"))?;
    let jwk = row
        .public_jwk
        .as_deref()
        .map(serde_json::from_str::<Value>)
        .transpose()
        .map_err(|_| corrupt("bad public JWK"))?;
    Ok(match alg {
        Algorithm::HS256 => (
            alg,
            EncodingKey::from_secret(material),
            DecodingKey::from_secret(material),
            None,
        ),
        Algorithm::EdDSA => {
            let seed: [u8; 32] = material
                .try_into()
                .map_err(|_| corrupt("bad Ed25519 seed"))?;
            let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
            let der = signing
                .to_pkcs8_der()
                .map_err(|_| corrupt("Ed25519 to PKCS#8"))?;
            let public = signing.verifying_key().to_bytes();
            (
                alg,
                EncodingKey::from_ed_der(der.as_bytes()),
                DecodingKey::from_ed_der(&public),
                jwk,
            )
        }
        _ => {
            let jwk_value = jwk
                .clone()
                .ok_or_else(|| corrupt("RSA key without a public JWK"))?;
            let (n, e) = (
                jwk_value["n"]
                    .as_str()
                    .ok_or_else(|| corrupt("JWK without n"))?,
                jwk_value["e"]
                    .as_str()
                    .ok_or_else(|| corrupt("JWK without e"))?,
            );
            let decoding = DecodingKey::from_rsa_components(n, e)
                .map_err(|_| corrupt("bad RSA public key"))?;
            (alg, EncodingKey::from_rsa_der(material), decoding, jwk)
        }
    })
}

fn build_set(conn: &mut DbConnection, sealer: &Sealer) -> StoreResult<KeySet> {
    let rows = key_store::all(conn)?;
    let mut verifying = HashMap::new();
    let mut active: Option<(String, Algorithm, EncodingKey)> = None;
    for row in rows {
        let material = sealer
            .open(&row.material)
            .map_err(|e| StoreError::Corrupt(format!("signing key {}: {e}", row.kid)))?;
        let (alg, encoding, decoding, jwk) = keys_of(&row, &material)?;
        if row.retired_at.is_none() && active.is_none() {
            active = Some((row.kid.clone(), alg, encoding));
        }
        verifying.insert(
            row.kid.clone(),
            VerifyingKey {
                alg,
                decoding,
                verify_until: row.verify_until,
                jwk,
            },
        );
    }
    let (active_kid, active_alg, encoding) =
        active.ok_or_else(|| StoreError::Corrupt("no active signing key".into()))?;
    Ok(KeySet {
        active_kid,
        active_alg,
        encoding,
        verifying,
    })
}
