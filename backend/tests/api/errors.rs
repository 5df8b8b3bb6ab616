//! Bad input, unknown routes and operational endpoints.

use reqwest::StatusCode;

use crate::helpers::{assert_problem, TestApp};

async fn malformed_json_is_400_problem(app: TestApp) {
    for body in [
        "{",
        "{\"email\": 1}",
        "[]",
        "null",
        "{\"email\":\"a\",\"password\":\"b\",\"extra\":true}",
    ] {
        let response = app
            .client
            .post(app.url("/api/auth/login"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("request");
        let problem = assert_problem(response, 400).await;
        assert_eq!(problem["code"], "invalid_json", "{body}");
    }
}

async fn wrong_content_type_is_415_problem(app: TestApp) {
    let response = app
        .client
        .post(app.url("/api/auth/login"))
        .header("content-type", "text/plain")
        .body("email=a&password=b")
        .send()
        .await
        .expect("request");
    assert_problem(response, 415).await;
    let user = app.user_token("analyst@acme.com").await;
    let response = app
        .client
        .post(app.url("/api/token/exchange"))
        .bearer_auth(&user)
        .header("content-type", "application/xml")
        .body("<x/>")
        .send()
        .await
        .expect("request");
    assert_problem(response, 415).await;
}

async fn oversized_bodies_are_413_problem(app: TestApp) {
    let big = format!(
        "{{\"email\":\"{}\",\"password\":\"x\"}}",
        "a".repeat(200 * 1024)
    );
    let response = app
        .client
        .post(app.url("/api/auth/login"))
        .header("content-type", "application/json")
        .body(big.clone())
        .send()
        .await
        .expect("request");
    assert_problem(response, 413).await;
    let response = app
        .client
        .post(app.url("/api/token/exchange"))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .expect("request");
    assert_problem(response, 413).await;
}

async fn unknown_routes_and_methods_are_problems(app: TestApp) {
    assert_problem(
        app.client
            .get(app.url("/nope"))
            .send()
            .await
            .expect("request"),
        404,
    )
    .await;
    assert_problem(
        app.client
            .get(app.url("/admin/tenants"))
            .send()
            .await
            .expect("request"),
        404,
    )
    .await;
    let response = app
        .client
        .delete(app.url("/api/auth/login"))
        .send()
        .await
        .expect("request");
    assert_problem(response, 405).await;
    let response = app
        .client
        .put(app.url("/api/me"))
        .send()
        .await
        .expect("request");
    assert_problem(response, 405).await;
}

async fn every_response_has_a_request_id_and_security_headers(app: TestApp) {
    for path in ["/health", "/ready", "/api/me", "/nope"] {
        let response = app.client.get(app.url(path)).send().await.expect("request");
        let headers = response.headers();
        let id = headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert_eq!(id.len(), 36, "{path}");
        assert_eq!(
            headers
                .get("x-content-type-options")
                .and_then(|v| v.to_str().ok()),
            Some("nosniff")
        );
        assert_eq!(
            headers.get("x-frame-options").and_then(|v| v.to_str().ok()),
            Some("DENY")
        );
        assert!(headers.get("referrer-policy").is_some());
        let csp = headers
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(
            csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{csp}"
        );
    }
    let a = app
        .client
        .get(app.url("/health"))
        .send()
        .await
        .expect("request");
    let b = app
        .client
        .get(app.url("/health"))
        .send()
        .await
        .expect("request");
    assert_ne!(
        a.headers().get("x-request-id"),
        b.headers().get("x-request-id")
    );
}

async fn health_and_ready_answer(app: TestApp) {
    let response = app
        .client
        .get(app.url("/health"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let response = app
        .client
        .get(app.url("/ready"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let response = app
        .client
        .get(format!("{}/health", app.admin_address))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
}

async fn hostile_login_inputs_never_500(app: TestApp) {
    let long = "x".repeat(10_000);
    for (email, password) in [
        ("' OR 1=1 --", "x"),
        ("admin@acme.com\u{0}", "x"),
        (long.as_str(), "x"),
        ("analyst@acme.com", long.as_str()),
        ("", ""),
        ("../../etc/passwd", "%00"),
    ] {
        let response = app.login_response(email, password).await;
        assert_problem(response, 401).await;
    }
}

/// serde would fill a struct from an array by position; every JSON body is an object.
async fn json_arrays_never_pass_as_objects(app: TestApp) {
    let admin = app.admin_token().await;
    let acme = app.tenant_id("acme-corp").await;
    let path = format!("/admin/tenants/{acme}/metadata");
    let before = app
        .admin(
            reqwest::Method::POST,
            "/admin/tenants",
            &admin,
            Some(serde_json::json!({"name": "Probe Ltd", "slug": "probe-ltd"})),
        )
        .await;
    assert_eq!(before.status(), StatusCode::CREATED);
    for body in [
        r##"[{"branding":{"display_name":"X","primary_color":"#000000"}}]"##,
        r##"[null, {}, {}, {}]"##,
        r#"[]"#,
    ] {
        let response = app
            .client
            .post(app.admin_url(&path))
            .bearer_auth(&admin)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("request");
        let problem = assert_problem(response, 400).await;
        assert_eq!(problem["code"], "invalid_json", "{body}");
    }
    // The tenant's configuration did not change.
    let token = app.user_token("admin@acme.com").await;
    let me = app.me(&token).await;
    let acme_now = me["tenants"]
        .as_array()
        .expect("tenants")
        .iter()
        .find(|t| t["slug"] == "acme-corp")
        .cloned()
        .expect("acme");
    assert_ne!(acme_now["branding"]["display_name"], "X");
    // The same on the public API and the BFF.
    for (url, body) in [
        (
            app.url("/api/auth/login"),
            r#"["analyst@acme.com","demo-password-for-tests"]"#,
        ),
        (
            app.url("/api/token/exchange"),
            r#"["00000000-0000-0000-0000-000000000000"]"#,
        ),
    ] {
        let response = app
            .client
            .post(url)
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("request");
        assert_problem(response, 400).await;
    }
    let response = app
        .client
        .post(app.admin_url("/admin/tenants"))
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body(r#"["Array Ltd","array-ltd"]"#)
        .send()
        .await
        .expect("request");
    assert_problem(response, 400).await;
}

/// A sane incoming `X-Request-Id` is honoured (logs can be correlated across services);
/// anything else is replaced by a fresh id.
async fn incoming_request_ids_are_honoured_when_sane(app: TestApp) {
    let sane = "trace-0123456789abcdef";
    let response = app
        .client
        .get(app.url("/health"))
        .header("x-request-id", sane)
        .send()
        .await
        .expect("request");
    assert_eq!(response.headers()["x-request-id"], sane);
    let problem = assert_problem(
        app.client
            .get(app.url("/api/me"))
            .header("x-request-id", sane)
            .send()
            .await
            .expect("request"),
        401,
    )
    .await;
    assert_eq!(
        problem["request_id"], sane,
        "the problem body names the same id"
    );
    let too_long = "a".repeat(65);
    for bad in [too_long.as_str(), "has space", "x\ty"] {
        let response = app
            .client
            .get(app.url("/health"))
            .header("x-request-id", bad)
            .send()
            .await
            .expect("request");
        let id = response.headers()["x-request-id"]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert_ne!(id, bad);
        assert_eq!(id.len(), 36, "a fresh UUID replaces {bad:?}");
    }
}

matrix!(
    json_arrays_never_pass_as_objects,
    incoming_request_ids_are_honoured_when_sane,
    malformed_json_is_400_problem,
    wrong_content_type_is_415_problem,
    oversized_bodies_are_413_problem,
    unknown_routes_and_methods_are_problems,
    every_response_has_a_request_id_and_security_headers,
    health_and_ready_answer,
    hostile_login_inputs_never_500,
);
