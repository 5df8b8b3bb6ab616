//! Native TLS (`KYROS_TLS_CERT` / `KYROS_TLS_KEY`) with a self-signed certificate made
//! here; HSTS is sent only when the instance itself serves TLS.

use reqwest::StatusCode;

use crate::helpers::{spawn_app, spawn_app_with, Backend};

#[actix_web::test]
async fn tls_serves_https_with_hsts_and_plain_http_has_none() {
    let dir = tempfile::tempdir().expect("temp dir");
    let certified =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("self-signed");
    let cert_pem = certified.cert.pem();
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    std::fs::write(&cert, &cert_pem).expect("cert written");
    std::fs::write(&key, certified.signing_key.serialize_pem()).expect("key written");
    let (cert, key) = (cert.display().to_string(), key.display().to_string());

    let app = spawn_app_with(
        Backend::Sqlite,
        &[
            ("KYROS_TLS_CERT", cert.as_str()),
            ("KYROS_TLS_KEY", key.as_str()),
        ],
    )
    .await;
    let port = app.address.rsplit(':').next().expect("port").to_owned();
    let client = reqwest::Client::builder()
        .use_rustls_tls()
        .add_root_certificate(reqwest::Certificate::from_pem(cert_pem.as_bytes()).expect("pem"))
        .build()
        .expect("client");
    let response = client
        .get(format!("https://localhost:{port}/health"))
        .send()
        .await
        .expect("an HTTPS answer");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
    // The same port does not speak plain HTTP.
    let plain = app
        .client
        .get(format!("http://127.0.0.1:{port}/health"))
        .send()
        .await;
    assert!(
        plain.map(|r| r.status() != StatusCode::OK).unwrap_or(true),
        "plain HTTP must not be served on the TLS port"
    );
    // An untrusted client refuses the self-signed certificate (it is real TLS).
    let untrusted = reqwest::Client::builder()
        .use_rustls_tls()
        .build()
        .expect("client");
    assert!(untrusted
        .get(format!("https://localhost:{port}/health"))
        .send()
        .await
        .is_err());

    let plain_app = spawn_app(Backend::Sqlite).await;
    let response = plain_app
        .client
        .get(plain_app.url("/health"))
        .send()
        .await
        .expect("answer");
    assert!(
        response
            .headers()
            .get("strict-transport-security")
            .is_none(),
        "no HSTS without TLS"
    );
}

#[actix_web::test]
async fn unreadable_tls_files_stop_the_start_with_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.pem").display().to_string();
    let mut vars = std::collections::HashMap::new();
    vars.insert("KYROS_BIND", "127.0.0.1:0".to_owned());
    vars.insert("KYROS_ADMIN_BIND", "127.0.0.1:0".to_owned());
    vars.insert("KYROS_DATA_DIR", dir.path().display().to_string());
    vars.insert("KYROS_GENERATE_DEMO_DATA", "false".to_owned());
    vars.insert("KYROS_TLS_CERT", missing.clone());
    vars.insert("KYROS_TLS_KEY", missing);
    let settings = kyros::config::Settings::from_lookup(|k| vars.get(k).cloned()).expect("valid");
    let error = kyros::startup::Application::build(settings)
        .await
        .err()
        .expect("start refused");
    assert!(format!("{error:#}").contains("KYROS_TLS_CERT"), "{error:#}");
}
