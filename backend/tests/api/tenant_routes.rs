//! Tenant-scoped REST routes and the tenant door.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{assert_problem, TestApp};

async fn a_scoped_token_reads_its_own_tenant(app: TestApp) {
    let (scoped, acme) = app.scoped_token("analyst@acme.com", "acme-corp").await;
    let response = app.get_with(&format!("/api/tenant/{acme}"), &scoped).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["slug"], "acme-corp");
    assert_eq!(body["name"], "Acme Corporation");
    assert_eq!(body["role"], "viewer");
    assert_eq!(body["branding"]["display_name"], "Acme Corporation");

    let response = app
        .get_with(&format!("/api/tenant/{acme}/dashboards"), &scoped)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    let mut slugs: Vec<&str> = body
        .as_array()
        .expect("list")
        .iter()
        .map(|d| d["slug"].as_str().expect("slug"))
        .collect();
    slugs.sort();
    assert_eq!(
        slugs,
        [
            "channel-performance",
            "customer-lifetime-value",
            "risk-analysis"
        ]
    );
}

async fn beta_sees_only_its_dashboards(app: TestApp) {
    let (scoped, beta) = app.scoped_token("viewer@beta.com", "beta-ind").await;
    let body: Value = app
        .get_with(&format!("/api/tenant/{beta}/dashboards"), &scoped)
        .await
        .json()
        .await
        .expect("json");
    let slugs: Vec<&str> = body
        .as_array()
        .expect("list")
        .iter()
        .map(|d| d["slug"].as_str().expect("slug"))
        .collect();
    assert_eq!(slugs, ["risk-analysis"]);
}

async fn a_scoped_token_for_acme_reading_beta_routes_is_403(app: TestApp) {
    let (acme_token, _) = app.scoped_token("admin@acme.com", "acme-corp").await;
    let beta = app.tenant_id("beta-ind").await;
    for path in [
        format!("/api/tenant/{beta}"),
        format!("/api/tenant/{beta}/dashboards"),
    ] {
        let body = assert_problem(app.get_with(&path, &acme_token).await, 403).await;
        assert_eq!(body["code"], "forbidden");
    }
    // A tenant id that exists nowhere, and one that is not even a UUID: also 403.
    assert_problem(
        app.get_with(
            &format!("/api/tenant/{}", uuid::Uuid::new_v4()),
            &acme_token,
        )
        .await,
        403,
    )
    .await;
    assert_problem(
        app.get_with("/api/tenant/..%2F..%2Fetc", &acme_token).await,
        403,
    )
    .await;
}

async fn tenant_routes_need_a_token(app: TestApp) {
    let acme = app.tenant_id("acme-corp").await;
    let response = app
        .client
        .get(app.url(&format!("/api/tenant/{acme}")))
        .send()
        .await
        .expect("request");
    let body = assert_problem(response, 401).await;
    assert_eq!(body["code"], "unauthenticated");
}

matrix!(
    a_scoped_token_reads_its_own_tenant,
    beta_sees_only_its_dashboards,
    a_scoped_token_for_acme_reading_beta_routes_is_403,
    tenant_routes_need_a_token,
);
