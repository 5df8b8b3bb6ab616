//! Token exchange: JSON and RFC 8693 form, membership and activity re-checked.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{assert_problem, TestApp};

const GRANT: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS: &str = "urn:ietf:params:oauth:token-type:access_token";

async fn exchange_succeeds_for_own_tenants_and_is_403_for_others(app: TestApp) {
    let acme = app.tenant_id("acme-corp").await;
    let beta = app.tenant_id("beta-ind").await;

    let analyst = app.user_token("analyst@acme.com").await;
    let response = app.exchange(&analyst, &acme).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["issued_token_type"], ACCESS);
    assert_eq!(body["tenant_id"], acme.as_str());
    assert_eq!(body["role"], "viewer");
    assert!(body["expires_in"].as_u64().expect("expires_in") <= 1800);

    let refused = assert_problem(app.exchange(&analyst, &beta).await, 403).await;
    // A tenant that does not exist gets exactly the same answer.
    let missing = assert_problem(
        app.exchange(&analyst, &uuid::Uuid::new_v4().to_string())
            .await,
        403,
    )
    .await;
    assert_eq!(refused["detail"], missing["detail"]);
    assert_eq!(refused["code"], missing["code"]);

    let admin = app.user_token("admin@acme.com").await;
    for tenant in [&acme, &beta] {
        let response = app.exchange(&admin, tenant).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["role"], "admin");
    }
    let viewer = app.user_token("viewer@beta.com").await;
    assert_eq!(app.exchange(&viewer, &beta).await.status(), StatusCode::OK);
    assert_problem(app.exchange(&viewer, &acme).await, 403).await;
}

async fn rfc8693_form_exchange_works_with_audience_or_resource(app: TestApp) {
    let acme = app.tenant_id("acme-corp").await;
    let user = app.user_token("analyst@acme.com").await;
    for (key, value) in [
        ("audience", acme.clone()),
        ("resource", format!("urn:kyros:tenant:{acme}")),
        ("audience", "acme-corp".into()),
    ] {
        let response = app
            .client
            .post(app.url("/api/token/exchange"))
            .form(&[
                ("grant_type", GRANT),
                ("subject_token", &user),
                ("subject_token_type", ACCESS),
                (key, &value),
            ])
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), StatusCode::OK, "{key}={value}");
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["tenant_id"], acme.as_str());
        let scoped = body["access_token"].as_str().expect("token");
        assert_eq!(
            app.get_with(&format!("/api/tenant/{acme}"), scoped)
                .await
                .status(),
            StatusCode::OK
        );
    }
    let response = app
        .client
        .post(app.url("/api/token/exchange"))
        .form(&[
            ("grant_type", "password"),
            ("subject_token", &user),
            ("subject_token_type", ACCESS),
            ("audience", &acme),
        ])
        .send()
        .await
        .expect("request");
    assert_problem(response, 400).await;
    let response = app
        .client
        .post(app.url("/api/token/exchange"))
        .form(&[
            ("grant_type", GRANT),
            ("subject_token", &user),
            ("subject_token_type", ACCESS),
            ("audience", "beta-ind"),
        ])
        .send()
        .await
        .expect("request");
    assert_problem(response, 403).await;
}

async fn a_user_removed_from_a_tenant_can_no_longer_exchange_into_it(app: TestApp) {
    let acme = app.tenant_id("acme-corp").await;
    let user = app.user_token("analyst@acme.com").await;
    let (scoped, _) = app.scoped_token("analyst@acme.com", "acme-corp").await;
    let path = format!("/api/tenant/{acme}");
    assert_eq!(app.get_with(&path, &scoped).await.status(), 200);
    // Removed by a writer other than this instance's admin API (another instance, a
    // script): the store bumps the metadata epoch, and this instance's poller notices.
    let mut conn = app.db.conn().expect("conn");
    let user_id = app.user_id("analyst@acme.com");
    assert!(
        kyros::store::memberships::revoke(&mut conn, user_id, acme.parse().expect("uuid"))
            .expect("revoke")
    );
    // The user token still names Acme, but the database no longer maps the user to it.
    assert_problem(app.exchange(&user, &acme).await, 403).await;
    // A scoped token issued (and used) before the removal is refused within a poll
    // interval of the metadata epoch (250 ms); 5 s leaves room for a slow machine.
    let started = std::time::Instant::now();
    loop {
        let response = app.get_with(&path, &scoped).await;
        if response.status() == 401 {
            assert_problem(response, 401).await;
            break;
        }
        assert_eq!(
            response.status(),
            200,
            "only the remembered answer, then 401"
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "the removal was not noticed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn an_inactive_tenant_cannot_be_exchanged_into(app: TestApp) {
    let beta = app.tenant_id("beta-ind").await;
    let (scoped, _) = app.scoped_token("viewer@beta.com", "beta-ind").await;
    let user = app.user_token("viewer@beta.com").await;
    let mut conn = app.db.conn().expect("conn");
    kyros::store::tenants::set_active(&mut conn, beta.parse().expect("uuid"), false)
        .expect("deactivate");
    assert_problem(app.exchange(&user, &beta).await, 403).await;
    assert_problem(
        app.get_with(&format!("/api/tenant/{beta}"), &scoped).await,
        401,
    )
    .await;
    // And it disappears from /api/me.
    let me = app.me(&user).await;
    assert_eq!(me["tenants"].as_array().expect("tenants").len(), 0);
}

async fn exchange_needs_a_user_token(app: TestApp) {
    let acme = app.tenant_id("acme-corp").await;
    let (scoped, _) = app.scoped_token("analyst@acme.com", "acme-corp").await;
    assert_problem(app.exchange(&scoped, &acme).await, 401).await;
    let response = app
        .client
        .post(app.url("/api/token/exchange"))
        .json(&serde_json::json!({ "tenant_id": acme }))
        .send()
        .await
        .expect("request");
    assert_problem(response, 401).await;
}

matrix!(
    exchange_succeeds_for_own_tenants_and_is_403_for_others,
    rfc8693_form_exchange_works_with_audience_or_resource,
    a_user_removed_from_a_tenant_can_no_longer_exchange_into_it,
    an_inactive_tenant_cannot_be_exchanged_into,
    exchange_needs_a_user_token,
);

async fn hostile_exchange_inputs_are_4xx(app: TestApp) {
    let user = app.user_token("analyst@acme.com").await;
    for audience in ["acme\u{0}corp", "' OR 1=1 --", "../../etc/passwd", ""] {
        let response = app
            .client
            .post(app.url("/api/token/exchange"))
            .form(&[
                ("grant_type", GRANT),
                ("subject_token", &user),
                ("subject_token_type", ACCESS),
                ("audience", audience),
            ])
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        assert!(status == 400 || status == 403, "{audience:?} → {status}");
        assert_problem(response, status).await;
    }
    for body in [
        "{\"tenant_id\": \"not-a-uuid\"}",
        "{\"tenant_id\": 5}",
        "{}",
        "{\"tenant_id\":\"x\",\"more\":1}",
    ] {
        let response = app
            .client
            .post(app.url("/api/token/exchange"))
            .bearer_auth(&user)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("request");
        assert_problem(response, 400).await;
    }
}

matrix!(hostile_exchange_inputs_are_4xx);
