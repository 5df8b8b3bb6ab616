//! The key-encryption key (KEK) and what it seals: signing-key material, TOTP secrets
//! and identity-provider client secrets are stored encrypted (AES-256-GCM, a random
//! 96-bit nonce per value), never in plain text in the database.
//!
//! Where the KEK comes from, in order: `KYROS_KEY_ENCRYPTION_KEY` (32 bytes as base64,
//! or a passphrase of at least 32 characters, stretched with SHA-256); else derived
//! from `KYROS_SIGNING_KEY` (instances that share it share the KEK); else a random key
//! kept in `<KYROS_DATA_DIR>/key-encryption.key` (mode 0600) — fine for one embedded
//! instance, while production sets the variable (the log says so).

use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

/// The prefix of sealed values (a version, so the scheme can change).
const PREFIX: &str = "kek1:";
const KEY_FILE: &str = "key-encryption.key";

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error(
        "a sealed value cannot be opened: wrong KYROS_KEY_ENCRYPTION_KEY, or the value is damaged"
    )]
    Open,
    #[error("the key-encryption key file {0} cannot be read or written: {1}")]
    File(String, String),
}

/// Seals and opens secrets with the KEK.
#[derive(Clone)]
pub struct Sealer {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(…)")
    }
}

fn stretch(material: &[u8]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"kyros-key-encryption-key:");
    hasher.update(material);
    hasher.finalize().into()
}

impl Sealer {
    pub fn from_key(key: [u8; 32]) -> Self {
        Sealer {
            cipher: Aes256Gcm::new(&Key::<Aes256Gcm>::from(key)),
        }
    }

    /// The KEK from the settings (see the module docs).
    pub fn from_settings(
        kek: Option<&SecretString>,
        signing_key: Option<&SecretString>,
        data_dir: &Path,
    ) -> Result<Self, SealError> {
        if let Some(kek) = kek {
            let raw = kek.expose_secret();
            let key = match B64.decode(raw.trim()) {
                Ok(bytes) if bytes.len() == 32 => {
                    let mut key = [0u8; 32];
                    key.copy_from_slice(&bytes);
                    key
                }
                _ => stretch(raw.as_bytes()),
            };
            return Ok(Self::from_key(key));
        }
        if let Some(signing_key) = signing_key {
            return Ok(Self::from_key(stretch(
                format!("from-signing-key:{}", signing_key.expose_secret()).as_bytes(),
            )));
        }
        let path = data_dir.join(KEY_FILE);
        let file_error =
            |e: std::io::Error| SealError::File(path.display().to_string(), e.to_string());
        if let Ok(text) = std::fs::read_to_string(&path) {
            let bytes = B64
                .decode(text.trim())
                .map_err(|e| SealError::File(path.display().to_string(), e.to_string()))?;
            let key: [u8; 32] = bytes
                .try_into()
                .map_err(|_| SealError::File(path.display().to_string(), "not 32 bytes".into()))?;
            return Ok(Self::from_key(key));
        }
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        write_private(&path, &B64.encode(key)).map_err(file_error)?;
        tracing::warn!(
            file = %path.display(),
            "KYROS_KEY_ENCRYPTION_KEY is not set: secrets at rest are sealed with a key kept in the data directory; set the variable in production (and on every instance)"
        );
        Ok(Self::from_key(key))
    }

    /// Seals `plain` (`kek1:` + base64 of nonce and ciphertext).
    pub fn seal(&self, plain: &[u8]) -> String {
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        // Encrypting into a Vec cannot fail for inputs of sane size.
        let sealed = self
            .cipher
            .encrypt(&Nonce::from(nonce), plain)
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        format!("{PREFIX}{}", B64.encode(out))
    }

    /// Opens a sealed value.
    pub fn open(&self, sealed: &str) -> Result<Vec<u8>, SealError> {
        let body = sealed.strip_prefix(PREFIX).ok_or(SealError::Open)?;
        let bytes = B64.decode(body).map_err(|_| SealError::Open)?;
        if bytes.len() < 12 + 16 {
            return Err(SealError::Open);
        }
        let (nonce, ciphertext) = bytes.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| SealError::Open)?;
        self.cipher
            .decrypt(&Nonce::from(nonce), ciphertext)
            .map_err(|_| SealError::Open)
    }

    /// Whether a stored value is sealed (older rows may hold plain base64).
    pub fn is_sealed(value: &str) -> bool {
        value.starts_with(PREFIX)
    }
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_with_the_same_key_only() {
        let a = Sealer::from_key([7; 32]);
        let sealed = a.seal(b"a signing key");
        assert!(Sealer::is_sealed(&sealed));
        assert!(!sealed.contains("signing"));
        assert_eq!(a.open(&sealed).expect("opens"), b"a signing key");
        assert_ne!(a.seal(b"x"), a.seal(b"x"), "a fresh nonce each time");
        let b = Sealer::from_key([8; 32]);
        assert!(b.open(&sealed).is_err());
        let mut damaged = sealed.clone();
        damaged.pop();
        damaged.push('A');
        assert!(
            a.open(&damaged).is_err() || a.open(&damaged).ok() != Some(b"a signing key".to_vec())
        );
        assert!(a.open("plain").is_err());
    }

    #[test]
    fn the_kek_comes_from_the_variable_then_the_signing_key_then_a_private_file() {
        let dir = tempfile::tempdir().expect("dir");
        let kek = SecretString::from(B64.encode([1u8; 32]));
        let sealed = Sealer::from_settings(Some(&kek), None, dir.path())
            .expect("kek")
            .seal(b"s");
        assert!(
            Sealer::from_key([1u8; 32]).open(&sealed).is_ok(),
            "base64 of 32 bytes is the key itself"
        );
        let phrase = SecretString::from("a passphrase of at least thirty-two characters");
        let one = Sealer::from_settings(Some(&phrase), None, dir.path()).expect("phrase");
        let two = Sealer::from_settings(Some(&phrase), None, dir.path()).expect("phrase");
        assert!(two.open(&one.seal(b"s")).is_ok());
        let signing = SecretString::from("shared-signing-key-0123456789abcdef");
        let x = Sealer::from_settings(None, Some(&signing), dir.path()).expect("derived");
        let y = Sealer::from_settings(None, Some(&signing), dir.path()).expect("derived");
        assert!(
            y.open(&x.seal(b"s")).is_ok(),
            "instances sharing the signing key share the KEK"
        );
        let file_one = Sealer::from_settings(None, None, dir.path()).expect("file");
        let file_two = Sealer::from_settings(None, None, dir.path()).expect("file again");
        assert!(
            file_two.open(&file_one.seal(b"s")).is_ok(),
            "the file is reused"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .expect("file")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
