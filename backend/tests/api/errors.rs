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

matrix!(
    malformed_json_is_400_problem,
    wrong_content_type_is_415_problem,
    oversized_bodies_are_413_problem,
    unknown_routes_and_methods_are_problems,
    every_response_has_a_request_id_and_security_headers,
    health_and_ready_answer,
    hostile_login_inputs_never_500,
);
