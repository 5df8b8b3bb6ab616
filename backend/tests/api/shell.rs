//! Serving the built shell with an SPA fallback and the security headers.

use crate::helpers::{assert_problem, spawn_app_with, Backend};

#[actix_web::test]
async fn the_shell_is_served_with_spa_fallback_and_security_headers() {
    let dist = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><title>Kyros</title>",
    )
    .expect("write");
    std::fs::write(dist.path().join("app-1234.js"), "console.log(1)").expect("write");
    std::fs::write(dist.path().join("app-1234_bg.wasm"), b"\0asm").expect("write");
    let dir = dist.path().display().to_string();
    let app = spawn_app_with(Backend::Sqlite, &[("KYROS_STATIC_DIR", dir.as_str())]).await;

    for path in ["/", "/login", "/dashboards", "/dashboards/risk-analysis"] {
        let response = app.client.get(app.url(path)).send().await.expect("request");
        assert_eq!(response.status(), 200, "{path}");
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{csp}"
        );
        assert!(!csp.contains("unsafe-eval'") || csp.contains("wasm-unsafe-eval"));
        assert_eq!(response.headers()["x-frame-options"], "DENY");
        assert!(
            response
                .text()
                .await
                .expect("body")
                .contains("<title>Kyros</title>"),
            "{path}"
        );
    }
    let js = app
        .client
        .get(app.url("/app-1234.js"))
        .send()
        .await
        .expect("request");
    assert!(js.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .contains("javascript"));
    let wasm = app
        .client
        .get(app.url("/app-1234_bg.wasm"))
        .send()
        .await
        .expect("request");
    assert_eq!(wasm.headers()["content-type"], "application/wasm");

    // API paths never fall back to the shell.
    for path in ["/api/nope", "/bff/nope", "/admin/tenants"] {
        assert_problem(
            app.client.get(app.url(path)).send().await.expect("request"),
            404,
        )
        .await;
    }
    // Only GET and HEAD reach the shell: any other method on a path that is no API
    // resource is the application's 404, never the file service's 405.
    for (method, path) in [
        (reqwest::Method::POST, "/dashboards"),
        (reqwest::Method::POST, "/anything"),
        (reqwest::Method::DELETE, "/app-1234.js"),
        (reqwest::Method::PUT, "/"),
    ] {
        let response = app
            .client
            .request(method.clone(), app.url(path))
            .send()
            .await
            .expect("request");
        assert_problem(response, 404).await;
    }
    // A known API resource with the wrong method stays 405.
    assert_problem(
        app.client
            .post(app.url("/api/me"))
            .send()
            .await
            .expect("request"),
        405,
    )
    .await;
}
