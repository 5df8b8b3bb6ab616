//! The rustls configuration of `KYROS_TLS_CERT` / `KYROS_TLS_KEY` (PEM), ring provider,
//! TLS 1.2 and 1.3.

use std::sync::Arc;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::config::TlsFiles;

/// Why the certificate and key cannot serve TLS.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TlsError(String);

pub fn tls_config(files: &TlsFiles) -> Result<rustls::ServerConfig, TlsError> {
    let certs = CertificateDer::pem_file_iter(&files.cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| {
            TlsError(format!(
                "cannot read KYROS_TLS_CERT {}: {e}",
                files.cert.display()
            ))
        })?;
    if certs.is_empty() {
        return Err(TlsError(format!(
            "KYROS_TLS_CERT {} holds no certificate",
            files.cert.display()
        )));
    }
    let key = PrivateKeyDer::from_pem_file(&files.key).map_err(|e| {
        TlsError(format!(
            "cannot read KYROS_TLS_KEY {}: {e}",
            files.key.display()
        ))
    })?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError(format!("TLS protocol versions: {e}")))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| {
            TlsError(format!(
                "KYROS_TLS_CERT and KYROS_TLS_KEY do not form a usable certificate and key: {e}"
            ))
        })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}
