//! Login and `/api/me`.

use reqwest::StatusCode;

use crate::helpers::{assert_problem, TestApp, DEMO_PASSWORD};

async fn each_demo_user_logs_in_and_sees_exactly_their_tenants(app: TestApp) {
    let expected: [(&str, &[&str]); 3] = [
        ("analyst@acme.com", &["acme-corp"]),
        ("admin@acme.com", &["acme-corp", "beta-ind"]),
        ("viewer@beta.com", &["beta-ind"]),
    ];
    for (email, slugs) in expected {
        let response = app.login_response(email, DEMO_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK, "{email}");
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], 3600);
        let token = body["access_token"].as_str().expect("token");
        let me = app.me(token).await;
        assert_eq!(me["user"]["email"], email);
        let got: Vec<&str> = me["tenants"]
            .as_array()
            .expect("tenants")
            .iter()
            .map(|t| t["slug"].as_str().expect("slug"))
            .collect();
        assert_eq!(got, slugs, "{email}");
        for tenant in me["tenants"].as_array().expect("tenants") {
            assert!(tenant["name"].is_string());
            assert!(tenant["role"] == "admin" || tenant["role"] == "viewer");
            assert!(tenant["branding"]["primary_color"]
                .as_str()
                .expect("colour")
                .starts_with('#'));
        }
    }
    // Roles are the seeded ones.
    let token = app.user_token("analyst@acme.com").await;
    assert_eq!(app.me(&token).await["tenants"][0]["role"], "viewer");
}

async fn unknown_user_and_wrong_password_get_the_same_401(app: TestApp) {
    let wrong = assert_problem(
        app.login_response("analyst@acme.com", "not-the-password")
            .await,
        401,
    )
    .await;
    let unknown = assert_problem(
        app.login_response("nobody@nowhere.example", "whatever-password")
            .await,
        401,
    )
    .await;
    assert_eq!(wrong["code"], "invalid_credentials");
    for member in ["type", "title", "status", "detail", "code"] {
        assert_eq!(wrong[member], unknown[member], "{member} differs");
    }
}

async fn emails_are_case_insensitive(app: TestApp) {
    let response = app
        .login_response("  Analyst@ACME.com ", DEMO_PASSWORD)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

async fn me_requires_a_user_token(app: TestApp) {
    let body = assert_problem(
        app.client
            .get(app.url("/api/me"))
            .send()
            .await
            .expect("request"),
        401,
    )
    .await;
    assert_eq!(body["code"], "unauthenticated");
    let (scoped, _) = app.scoped_token("analyst@acme.com", "acme-corp").await;
    assert_problem(app.get_with("/api/me", &scoped).await, 401).await;
}

async fn an_inactive_user_cannot_log_in(app: TestApp) {
    let user = app.user_id("viewer@beta.com");
    let mut conn = app.db.conn().expect("conn");
    kyros::store::users::set_active(&mut conn, user, false).expect("deactivate");
    let body = assert_problem(
        app.login_response("viewer@beta.com", DEMO_PASSWORD).await,
        401,
    )
    .await;
    assert_eq!(body["code"], "invalid_credentials");
}

matrix!(
    each_demo_user_logs_in_and_sees_exactly_their_tenants,
    unknown_user_and_wrong_password_get_the_same_401,
    emails_are_case_insensitive,
    me_requires_a_user_token,
    an_inactive_user_cannot_log_in,
);
