//! The admin API on the private listener, the audit trail, metrics and rate limits.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{
    assert_problem, spawn_app_with, Backend, TestApp, ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET,
    DEMO_PASSWORD,
};

async fn client_credentials_give_an_admin_token_and_nothing_else_works(app: TestApp) {
    // Form credentials work as well as HTTP Basic.
    let response = app
        .client
        .post(app.admin_url("/admin/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", ADMIN_CLIENT_ID),
            ("client_secret", ADMIN_CLIENT_SECRET),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["expires_in"].as_u64().expect("ttl") <= 300);

    for (id, secret) in [
        (ADMIN_CLIENT_ID, "wrong-secret-wrong"),
        ("nobody", ADMIN_CLIENT_SECRET),
    ] {
        let response = app
            .client
            .post(app.admin_url("/admin/token"))
            .basic_auth(id, Some(secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .expect("request");
        assert_problem(response, 401).await;
    }
    // A tenant admin's user token and scoped token are not admin tokens.
    let user = app.user_token("admin@acme.com").await;
    let (scoped, _) = app.scoped_token("admin@acme.com", "acme-corp").await;
    for token in [user.as_str(), scoped.as_str(), "garbage"] {
        let response = app.admin(Method::GET, "/admin/audit", token, None).await;
        assert_problem(response, 401).await;
    }
    let response = app
        .client
        .get(app.admin_url("/admin/audit"))
        .send()
        .await
        .expect("request");
    assert_problem(response, 401).await;
    // And the admin token is useless on the public API.
    let admin = app.admin_token().await;
    assert_problem(app.get_with("/api/me", &admin).await, 401).await;
    // The public listener has no admin routes at all.
    let response = app
        .client
        .post(app.url("/admin/token"))
        .send()
        .await
        .expect("request");
    assert_problem(response, 404).await;
}

async fn tenants_are_created_configured_and_given_dashboards(app: TestApp) {
    let admin = app.admin_token().await;
    let response = app
        .admin(
            Method::POST,
            "/admin/tenants",
            &admin,
            Some(json!({ "name": "Gamma Ltd", "slug": "gamma-ltd" })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let gamma: Value = response.json().await.expect("json");
    let gamma_id = gamma["id"].as_str().expect("id").to_owned();
    assert_eq!(gamma_id.len(), 36);

    let clash = app
        .admin(
            Method::POST,
            "/admin/tenants",
            &admin,
            Some(json!({ "name": "Other", "slug": "gamma-ltd" })),
        )
        .await;
    assert_problem(clash, 409).await;
    for body in [
        json!({ "name": "X", "slug": "Bad Slug" }),
        json!({ "name": "", "slug": "ok-slug" }),
        json!({ "name": "X", "slug": "x-y", "extra": 1 }),
    ] {
        assert_problem(
            app.admin(Method::POST, "/admin/tenants", &admin, Some(body))
                .await,
            400,
        )
        .await;
    }

    let config = json!({ "branding": { "display_name": "Gamma", "primary_color": "#aa3300", "logo_url": "" }, "features": { "csv_export": false } });
    let response = app
        .admin(
            Method::POST,
            &format!("/admin/tenants/{gamma_id}/metadata"),
            &admin,
            Some(config),
        )
        .await;
    assert_eq!(response.status(), 200);
    for bad in [
        json!({ "branding": { "display_name": "G", "primary_color": "red" } }),
        json!({ "branding": { "display_name": "G", "primary_color": "#aa3300", "logo_url": "javascript:alert(1)" } }),
        json!({ "colour": "#fff" }),
    ] {
        assert_problem(
            app.admin(
                Method::POST,
                &format!("/admin/tenants/{gamma_id}/metadata"),
                &admin,
                Some(bad),
            )
            .await,
            400,
        )
        .await;
    }
    let missing = uuid::Uuid::new_v4();
    assert_problem(
        app.admin(
            Method::POST,
            &format!("/admin/tenants/{missing}/metadata"),
            &admin,
            Some(json!({})),
        )
        .await,
        404,
    )
    .await;

    let response = app
        .admin(
            Method::POST,
            &format!("/admin/tenants/{gamma_id}/dashboards"),
            &admin,
            Some(json!({ "assign": ["risk-analysis", "channel-performance"] })),
        )
        .await;
    assert_eq!(response.status(), 200);
    let response = app
        .admin(
            Method::POST,
            &format!("/admin/tenants/{gamma_id}/dashboards"),
            &admin,
            Some(json!({ "unassign": ["channel-performance"] })),
        )
        .await;
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["dashboards"], json!(["risk-analysis"]));
    let response = app
        .admin(
            Method::POST,
            &format!("/admin/tenants/{gamma_id}/dashboards"),
            &admin,
            Some(json!({ "assign": ["nope"] })),
        )
        .await;
    assert_problem(response, 404).await;

    // Grant a user a role in Gamma: they can exchange into it and see its branding and dashboards.
    let response = app
        .admin(
            Method::PUT,
            &format!("/admin/tenants/{gamma_id}/users/viewer@beta.com"),
            &admin,
            Some(json!({ "role": "admin" })),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_problem(
        app.admin(
            Method::PUT,
            &format!("/admin/tenants/{gamma_id}/users/viewer@beta.com"),
            &admin,
            Some(json!({ "role": "owner" })),
        )
        .await,
        400,
    )
    .await;
    assert_problem(
        app.admin(
            Method::PUT,
            &format!("/admin/tenants/{gamma_id}/users/ghost@x.com"),
            &admin,
            Some(json!({ "role": "viewer" })),
        )
        .await,
        404,
    )
    .await;
    let user = app.user_token("viewer@beta.com").await;
    let me = app.me(&user).await;
    let gamma_entry = me["tenants"]
        .as_array()
        .expect("tenants")
        .iter()
        .find(|t| t["slug"] == "gamma-ltd")
        .cloned()
        .expect("gamma listed");
    assert_eq!(gamma_entry["branding"]["primary_color"], "#aa3300");
    assert_eq!(gamma_entry["role"], "admin");
    let scoped: Value = app
        .exchange(&user, &gamma_id)
        .await
        .json()
        .await
        .expect("json");
    let scoped = scoped["access_token"].as_str().expect("token").to_owned();
    let list: Value = app
        .get_with(&format!("/api/tenant/{gamma_id}/dashboards"), &scoped)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list.as_array().expect("list").len(), 1);

    // Revoke: the next exchange is refused and the scoped token stops working.
    let response = app
        .admin(
            Method::DELETE,
            &format!("/admin/tenants/{gamma_id}/users/viewer@beta.com"),
            &admin,
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_problem(app.exchange(&user, &gamma_id).await, 403).await;
    assert_problem(
        app.get_with(&format!("/api/tenant/{gamma_id}"), &scoped)
            .await,
        401,
    )
    .await;
    assert_problem(
        app.admin(
            Method::DELETE,
            &format!("/admin/tenants/{gamma_id}/users/viewer@beta.com"),
            &admin,
            None,
        )
        .await,
        404,
    )
    .await;

    let rows = app.audit_rows("role_grant").await;
    assert_eq!(rows[0]["detail"]["after"], "admin");
    assert_eq!(app.audit_rows("tenant_create").await.len(), 1);
    assert_eq!(
        app.audit_rows("tenant_metadata").await[0]["detail"]["after"]["branding"]["primary_color"],
        "#aa3300"
    );
    assert_eq!(app.audit_rows("tenant_dashboards").await.len(), 2);
    assert_eq!(app.audit_rows("role_revoke").await.len(), 1);
}

async fn deactivation_takes_effect_at_once(app: TestApp) {
    let admin = app.admin_token().await;
    let beta = app.tenant_id("beta-ind").await;
    let (scoped, _) = app.scoped_token("viewer@beta.com", "beta-ind").await;
    let user = app.user_token("viewer@beta.com").await;
    // Used once, so that the membership is remembered (tenancy::cache) before the change.
    assert_eq!(
        app.get_with(&format!("/api/tenant/{beta}"), &scoped)
            .await
            .status(),
        200
    );
    let response = app
        .admin(
            Method::POST,
            &format!("/admin/tenants/{beta}/deactivate"),
            &admin,
            None,
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_problem(
        app.get_with(&format!("/api/tenant/{beta}"), &scoped).await,
        401,
    )
    .await;
    assert_problem(app.exchange(&user, &beta).await, 403).await;
    app.admin(
        Method::POST,
        &format!("/admin/tenants/{beta}/activate"),
        &admin,
        None,
    )
    .await;
    assert_eq!(
        app.get_with(&format!("/api/tenant/{beta}"), &scoped)
            .await
            .status(),
        200
    );

    let response = app
        .admin(
            Method::POST,
            "/admin/users/viewer@beta.com/deactivate",
            &admin,
            None,
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_problem(
        app.get_with(&format!("/api/tenant/{beta}"), &scoped).await,
        401,
    )
    .await;
    assert_problem(
        app.login_response("viewer@beta.com", DEMO_PASSWORD).await,
        401,
    )
    .await;
    app.admin(
        Method::POST,
        "/admin/users/viewer@beta.com/activate",
        &admin,
        None,
    )
    .await;
    assert_eq!(
        app.get_with(&format!("/api/tenant/{beta}"), &scoped)
            .await
            .status(),
        200
    );
    assert_problem(
        app.admin(
            Method::POST,
            "/admin/users/ghost@x.com/deactivate",
            &admin,
            None,
        )
        .await,
        404,
    )
    .await;
    assert_problem(
        app.admin(
            Method::POST,
            &format!("/admin/tenants/{beta}/explode"),
            &admin,
            None,
        )
        .await,
        404,
    )
    .await;
    let rows = app.audit_rows("tenant_deactivate").await;
    assert_eq!(rows[0]["detail"]["before"]["is_active"], true);
    assert_eq!(app.audit_rows("user_deactivate").await.len(), 1);
}

async fn dashboards_are_put_as_validated_specs(app: TestApp) {
    let admin = app.admin_token().await;
    let (_, _, _, spec) = kyros_engine::BUILTIN_SPECS[1];
    let response = app
        .client
        .put(app.admin_url("/admin/dashboards/risk-copy"))
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body(spec)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = app
        .client
        .put(app.admin_url("/admin/dashboards/risk-copy"))
        .bearer_auth(&admin)
        .body(spec)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let mut broken: Value = serde_json::from_str(spec).expect("json");
    broken["charts"][0]["kind"] = json!("rainbow");
    for body in [broken.to_string(), "{".into(), "{\"title\": 5}".into()] {
        let response = app
            .client
            .put(app.admin_url("/admin/dashboards/risk-copy"))
            .bearer_auth(&admin)
            .body(body)
            .send()
            .await
            .expect("request");
        let problem = assert_problem(response, 400).await;
        assert!(
            problem["code"] == "invalid_spec" || problem["code"] == "invalid_json",
            "{problem}"
        );
    }
    let response = app
        .client
        .put(app.admin_url("/admin/dashboards/Bad%20Slug"))
        .bearer_auth(&admin)
        .body(spec)
        .send()
        .await
        .expect("request");
    assert_problem(response, 400).await;
    assert_eq!(app.audit_rows("dashboard_put").await.len(), 2);
}

async fn rotation_keeps_old_tokens_during_grace_and_revocation_ends_them(app: TestApp) {
    let admin = app.admin_token().await;
    let (scoped, acme) = app.scoped_token("analyst@acme.com", "acme-corp").await;
    let response = app
        .admin(Method::POST, "/admin/rotate-secret", &admin, None)
        .await;
    assert_eq!(response.status(), 200);
    let first: Value = response.json().await.expect("json");
    assert!(first["kid"].as_str().expect("kid").starts_with("hs256-"));
    assert_eq!(
        app.get_with(&format!("/api/tenant/{acme}"), &scoped)
            .await
            .status(),
        200,
        "old token still valid"
    );
    let (fresh, _) = app.scoped_token("analyst@acme.com", "acme-corp").await;
    assert_eq!(
        app.get_with(&format!("/api/tenant/{acme}"), &fresh)
            .await
            .status(),
        200
    );

    let response = app
        .admin(
            Method::POST,
            "/admin/rotate-secret",
            &admin,
            Some(json!({ "revoke_previous": true })),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_problem(
        app.get_with(&format!("/api/tenant/{acme}"), &scoped).await,
        401,
    )
    .await;
    assert_problem(
        app.get_with(&format!("/api/tenant/{acme}"), &fresh).await,
        401,
    )
    .await;
    assert_problem(
        app.admin(Method::POST, "/admin/rotate-secret", &admin, None)
            .await,
        401,
    )
    .await;
    let admin = app.admin_token().await;
    assert_problem(
        app.admin(
            Method::POST,
            "/admin/rotate-secret",
            &admin,
            Some(json!({ "revoke": true })),
        )
        .await,
        400,
    )
    .await;
    assert_eq!(app.audit_rows("key_rotation").await.len(), 2);
}

async fn security_events_are_audited_and_tenant_admins_read_their_own(app: TestApp) {
    let _ = app
        .login_response("analyst@acme.com", "wrong-password")
        .await;
    let (acme_token, acme) = app.scoped_token("admin@acme.com", "acme-corp").await;
    let beta = app.tenant_id("beta-ind").await;
    let analyst = app.user_token("analyst@acme.com").await;
    let _ = app.exchange(&analyst, &beta).await;
    let _ = app
        .get_with(&format!("/api/tenant/{beta}"), &acme_token)
        .await;

    let failures = app.audit_rows("login").await;
    assert!(failures
        .iter()
        .any(|r| r["outcome"] == "failure" && r["actor"] == "analyst@acme.com"));
    assert!(failures.iter().any(|r| r["outcome"] == "success"));
    let exchanges = app.audit_rows("token_exchange").await;
    assert!(exchanges.iter().any(|r| r["outcome"] == "denied"));
    assert!(exchanges
        .iter()
        .any(|r| r["outcome"] == "granted" && r["tenant_id"] == acme.as_str()));
    let cross = app.audit_rows("cross_tenant_access").await;
    assert_eq!(cross.len(), 1);
    assert_eq!(cross[0]["target"], beta.as_str());
    // Nothing in the trail looks like a token or a password.
    let token = app.admin_token().await;
    let all = app
        .admin(Method::GET, "/admin/audit?limit=1000", &token, None)
        .await
        .text()
        .await
        .expect("body");
    assert!(
        !all.contains("eyJ") && !all.contains("wrong-password") && !all.contains(DEMO_PASSWORD)
    );

    // Tenant admins read their tenant's entries; viewers may not.
    let response = app
        .get_with(&format!("/api/tenant/{acme}/audit"), &acme_token)
        .await;
    assert_eq!(response.status(), 200);
    let rows: Vec<Value> = response.json().await.expect("json");
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["tenant_id"] == acme.as_str()));
    let (viewer, _) = app.scoped_token("analyst@acme.com", "acme-corp").await;
    assert_problem(
        app.get_with(&format!("/api/tenant/{acme}/audit"), &viewer)
            .await,
        403,
    )
    .await;
    assert_problem(
        app.get_with(&format!("/api/tenant/{beta}/audit"), &acme_token)
            .await,
        403,
    )
    .await;
    // Filters of the admin audit API.
    let response = app
        .admin(
            Method::GET,
            &format!("/admin/audit?tenant={acme}&since=2000-01-01T00:00:00Z&limit=5"),
            &token,
            None,
        )
        .await;
    let rows: Vec<Value> = response.json().await.expect("json");
    assert!(rows.len() <= 5 && rows.iter().all(|r| r["tenant_id"] == acme.as_str()));
    for query in ["limit=0", "since=yesterday", "tenant=nope", "bogus=1"] {
        assert_problem(
            app.admin(Method::GET, &format!("/admin/audit?{query}"), &token, None)
                .await,
            400,
        )
        .await;
    }
}

async fn metrics_are_exposed_on_the_admin_listener_and_count(app: TestApp) {
    let _ = app
        .login_response("analyst@acme.com", "wrong-password")
        .await;
    let (scoped, acme) = app.scoped_token("analyst@acme.com", "acme-corp").await;
    let _ = app.get_with(&format!("/api/tenant/{acme}"), &scoped).await;
    let response = app
        .client
        .get(app.admin_url("/metrics"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    let text = response.text().await.expect("body");
    for needle in [
        "kyros_http_requests_total{method=\"GET\",route=\"/api/tenant/{tenant_id}\",status=\"200\"}",
        "kyros_http_request_duration_seconds_bucket",
        "kyros_logins_total{outcome=\"failure\"} 1",
        "kyros_token_exchanges_total{outcome=\"granted\"}",
        "kyros_active_sessions",
        &format!("kyros_tenant_requests_total{{tenant=\"{acme}\"}}"),
    ] {
        assert!(text.contains(needle), "missing {needle}");
    }
    assert_problem(
        app.client
            .get(app.url("/metrics"))
            .send()
            .await
            .expect("request"),
        404,
    )
    .await;
}

async fn logins_beyond_the_limit_get_429_with_retry_after(backend: Backend) {
    let app = spawn_app_with(backend, &[("KYROS_LOGIN_RATE_PER_MIN", "3")]).await;
    for i in 0..3 {
        let response = app
            .client
            .post(app.url("/api/auth/login"))
            .header("x-forwarded-for", format!("10.0.0.{i}"))
            .json(&json!({ "email": "analyst@acme.com", "password": DEMO_PASSWORD }))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 200);
    }
    // A spoofed X-Forwarded-For does not buy a fresh bucket: no proxy is trusted.
    let response = app
        .client
        .post(app.url("/api/auth/login"))
        .header("x-forwarded-for", "10.9.9.9")
        .json(&json!({ "email": "analyst@acme.com", "password": DEMO_PASSWORD }))
        .send()
        .await
        .expect("request");
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!(retry_after >= 1);
    let body = assert_problem(response, 429).await;
    assert_eq!(body["code"], "rate_limited");
    let response = app
        .client
        .post(app.url("/api/token/exchange"))
        .json(&json!({ "tenant_id": "x" }))
        .send()
        .await
        .expect("request");
    assert_problem(response, 429).await;
}

async fn data_requests_are_limited_per_tenant(backend: Backend) {
    let app = spawn_app_with(backend, &[("KYROS_DATA_RATE_PER_MIN", "2")]).await;
    let (acme, _) = app.scoped_token("admin@acme.com", "acme-corp").await;
    let (beta, _) = app.scoped_token("admin@acme.com", "beta-ind").await;
    for _ in 0..2 {
        assert_eq!(
            app.get_with("/api/dashboards/risk-analysis/charts", &acme)
                .await
                .status(),
            200
        );
    }
    assert_problem(
        app.get_with("/api/dashboards/risk-analysis/charts", &acme)
            .await,
        429,
    )
    .await;
    assert_eq!(
        app.get_with("/api/dashboards/risk-analysis/charts", &beta)
            .await
            .status(),
        200,
        "another tenant is unaffected"
    );
}

matrix!(
    client_credentials_give_an_admin_token_and_nothing_else_works,
    tenants_are_created_configured_and_given_dashboards,
    deactivation_takes_effect_at_once,
    dashboards_are_put_as_validated_specs,
    rotation_keeps_old_tokens_during_grace_and_revocation_ends_them,
    security_events_are_audited_and_tenant_admins_read_their_own,
    metrics_are_exposed_on_the_admin_listener_and_count,
);

mod rate_limits {
    #[actix_web::test]
    async fn logins_sqlite() {
        super::logins_beyond_the_limit_get_429_with_retry_after(super::Backend::Sqlite).await
    }
    #[actix_web::test]
    async fn logins_postgres() {
        super::logins_beyond_the_limit_get_429_with_retry_after(super::Backend::Postgres).await
    }
    #[actix_web::test]
    async fn data_sqlite() {
        super::data_requests_are_limited_per_tenant(super::Backend::Sqlite).await
    }
    #[actix_web::test]
    async fn data_postgres() {
        super::data_requests_are_limited_per_tenant(super::Backend::Postgres).await
    }
}
