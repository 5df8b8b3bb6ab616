//! Dashboards over generated tenant data: isolation, cache, filters, rows, BFF views.

use reqwest::Method;
use serde_json::{json, Value};

use crate::bff::Browser;
use crate::helpers::{assert_problem, spawn_app_with, Backend, TestApp};

async fn spawn(backend: Backend) -> TestApp {
    spawn_app_with(
        backend,
        &[
            ("KYROS_GENERATE_DEMO_DATA", "true"),
            ("KYROS_DEMO_ROWS", "3000"),
        ],
    )
    .await
}

fn prefix(tenant_id: &str) -> String {
    tenant_id[..6].to_uppercase()
}

async fn charts(app: &TestApp, token: &str, slug: &str, query: &str) -> Value {
    let response = app
        .get_with(&format!("/api/dashboards/{slug}/charts{query}"), token)
        .await;
    assert_eq!(response.status(), 200, "{slug}{query}");
    response.json().await.expect("json")
}

fn chart<'a>(body: &'a Value, id: &str) -> &'a Value {
    body["charts"]
        .as_array()
        .expect("charts")
        .iter()
        .find(|c| c["id"] == id)
        .expect("chart present")
}

async fn tenants_see_only_their_own_data_and_the_cache_never_crosses(backend: Backend) {
    let app = spawn(backend).await;
    let (acme_token, acme) = app.scoped_token("admin@acme.com", "acme-corp").await;
    let (beta_token, beta) = app.scoped_token("admin@acme.com", "beta-ind").await;

    let a1 = charts(&app, &acme_token, "risk-analysis", "").await;
    let b1 = charts(&app, &beta_token, "risk-analysis", "").await;
    assert_eq!(a1["charts"].as_array().expect("charts").len(), 10);
    assert_ne!(
        a1["charts"], b1["charts"],
        "two tenants' charts must differ"
    );
    for (body, own, other) in [(&a1, &acme, &beta), (&b1, &beta, &acme)] {
        let table = chart(body, "critical-accounts");
        assert_eq!(table["empty"], false);
        let text = table["table"].to_string();
        assert!(text.contains(&prefix(own)), "own canary missing");
        assert!(
            !text.contains(&prefix(other)),
            "another tenant's canary leaked"
        );
        assert!(chart(body, "exposure-by-bucket")["option"]["series"]
            .as_array()
            .is_some_and(|s| !s.is_empty()));
    }
    // Served again (from the cache), each tenant still gets exactly its own answer.
    let a2 = charts(&app, &acme_token, "risk-analysis", "").await;
    let b2 = charts(&app, &beta_token, "risk-analysis", "").await;
    assert_eq!(a1, a2);
    assert_eq!(b1, b2);

    // Filtered rows carry the tenant id of the token and nothing else.
    for (token, own) in [(&acme_token, &acme), (&beta_token, &beta)] {
        let response = app
            .get_with("/api/dashboards/risk-analysis/data?limit=1000", token)
            .await;
        assert_eq!(response.status(), 200);
        let page: Value = response.json().await.expect("json");
        let columns = page["columns"].as_array().expect("columns");
        let idx = columns
            .iter()
            .position(|c| c == "tenant_id")
            .expect("tenant_id column");
        let rows = page["rows"].as_array().expect("rows");
        assert!(!rows.is_empty());
        assert!(rows.iter().all(|r| r[idx] == own.as_str()));
    }
}

async fn filters_change_results_and_hostile_filters_are_400(backend: Backend) {
    let app = spawn(backend).await;
    let (token, _) = app.scoped_token("analyst@acme.com", "acme-corp").await;
    let all = charts(&app, &token, "customer-lifetime-value", "").await;
    let smb = charts(
        &app,
        &token,
        "customer-lifetime-value",
        "?segment=SMB&region=EMEA",
    )
    .await;
    assert_ne!(
        chart(&all, "customers")["kpi"],
        chart(&smb, "customers")["kpi"]
    );
    assert_eq!(smb["filters"]["segment"], json!(["SMB"]));
    let ranged = charts(
        &app,
        &token,
        "risk-analysis",
        "?risk_score_from=0.8&earn_month_from=2024-01",
    )
    .await;
    assert!(ranged["charts"].is_array());

    let many = (0..3_000)
        .map(|i| format!("segment=S{i}"))
        .collect::<Vec<_>>()
        .join("&");
    // (10,000 values do not fit in a URL the HTTP parser or the client accepts; 5,000 do.)
    let five_thousand = vec!["segment=S"; 5_000].join("&");
    let hostile = [
        "?segment=%27%20OR%201%3D1%20--".to_owned(),
        "?region=..%2F..%2Fetc%2Fpasswd".to_owned(),
        "?unknown_field=1".to_owned(),
        "?cohort_from=2023-13".to_owned(),
        "?cohort_from=2024-05&cohort_to=2023-01".to_owned(),
        "?cohort_from=yesterday".to_owned(),
        "?segment[]=SMB".to_owned(),
        "?segment=%7B%22a%22%3A%7B%22b%22%3A%5B%5B%5B%5D%5D%5D%7D%7D".to_owned(),
        format!("?segment={}", "x".repeat(5000)),
        format!("?{many}"),
        format!("?{five_thousand}"),
        "?limit=5".to_owned(),
    ];
    for query in hostile {
        let response = app
            .get_with(
                &format!("/api/dashboards/customer-lifetime-value/charts{query}"),
                &token,
            )
            .await;
        let status = response.status().as_u16();
        assert!(
            status == 400,
            "{} → {status}",
            &query[..query.len().min(60)]
        );
        assert_problem(response, 400).await;
    }
    let response = app
        .get_with(
            "/api/dashboards/risk-analysis/charts?risk_score_from=NaN",
            &token,
        )
        .await;
    assert_problem(response, 400).await;
    let response = app
        .get_with(
            "/api/dashboards/risk-analysis/charts?risk_score_from=0.9&risk_score_to=0.1",
            &token,
        )
        .await;
    assert_problem(response, 400).await;
    // The shared grammar refuses what the shell's form refuses.
    for query in ["?cohort_from=2024-02-30", "?cohort_to=2024-02-30"] {
        let response = app
            .get_with(
                &format!("/api/dashboards/customer-lifetime-value/charts{query}"),
                &token,
            )
            .await;
        assert_problem(response, 400).await;
    }
    for query in ["?risk_score_from=1e-1", "?risk_score_from=.5"] {
        let response = app
            .get_with(
                &format!("/api/dashboards/risk-analysis/charts{query}"),
                &token,
            )
            .await;
        assert_problem(response, 400).await;
    }
    // A range wider than the spec's bounds ("everything since 2020") is clamped to them,
    // not refused, and answers exactly like the same range written within the bounds.
    let wide = charts(
        &app,
        &token,
        "customer-lifetime-value",
        "?cohort_from=2020-01&cohort_to=2030-12",
    )
    .await;
    let bounded = charts(
        &app,
        &token,
        "customer-lifetime-value",
        "?cohort_from=2022-01&cohort_to=2024-12",
    )
    .await;
    assert_eq!(wide, bounded);
    assert_eq!(
        wide["filters"]["cohort"],
        json!({ "from": "2022-01-01", "to": "2024-12-01" })
    );
    assert_eq!(
        chart(&wide, "customers")["kpi"],
        chart(&all, "customers")["kpi"]
    );
}

async fn unassigned_dashboards_look_exactly_like_missing_ones(backend: Backend) {
    let app = spawn(backend).await;
    let (token, _) = app.scoped_token("viewer@beta.com", "beta-ind").await;
    let unassigned = assert_problem(
        app.get_with("/api/dashboards/customer-lifetime-value/charts", &token)
            .await,
        404,
    )
    .await;
    let missing = assert_problem(
        app.get_with("/api/dashboards/no-such-dashboard/charts", &token)
            .await,
        404,
    )
    .await;
    for member in ["type", "title", "status", "detail", "code"] {
        assert_eq!(unassigned[member], missing[member]);
    }
    assert_problem(
        app.get_with("/api/dashboards/customer-lifetime-value/data", &token)
            .await,
        404,
    )
    .await;
    assert_problem(
        app.get_with("/api/dashboards/..%2F..%2Fetc%2Fpasswd/charts", &token)
            .await,
        404,
    )
    .await;
    // A user token is not enough.
    let user = app.user_token("viewer@beta.com").await;
    assert_problem(
        app.get_with("/api/dashboards/risk-analysis/charts", &user)
            .await,
        401,
    )
    .await;
}

/// Tenancy metadata is remembered between requests (tenancy::cache) and whole
/// responses are cached: a change made through the admin API must still show on the
/// very next request.
async fn admin_changes_show_on_the_next_request(backend: Backend) {
    let app = spawn(backend).await;
    let admin = app.admin_token().await;
    let acme = app.tenant_id("acme-corp").await;
    let (token, _) = app.scoped_token("analyst@acme.com", "acme-corp").await;
    let ids = |body: &Value| -> Vec<String> {
        body["charts"]
            .as_array()
            .expect("charts")
            .iter()
            .map(|c| c["id"].as_str().expect("id").to_owned())
            .collect()
    };
    let critical_share = |body: &Value| chart(body, "critical-share")["kpi"]["value"].clone();
    let before = charts(&app, &token, "risk-analysis", "").await;
    assert_eq!(charts(&app, &token, "risk-analysis", "").await, before);
    assert!(ids(&before).contains(&"critical-accounts".to_owned()));

    let config = json!({
        "hidden_components": { "risk-analysis": ["critical-accounts"] },
        "thresholds": { "risk_critical": 0.6 },
    });
    let response = app
        .admin(
            Method::POST,
            &format!("/admin/tenants/{acme}/metadata"),
            &admin,
            Some(config),
        )
        .await;
    assert_eq!(response.status(), 200);
    let after = charts(&app, &token, "risk-analysis", "").await;
    assert!(!ids(&after).contains(&"critical-accounts".to_owned()));
    assert_ne!(critical_share(&after), critical_share(&before));

    let assignments = format!("/admin/tenants/{acme}/dashboards");
    let assign = |body: Value| app.admin(Method::POST, &assignments, &admin, Some(body));
    assert_eq!(
        assign(json!({ "unassign": ["risk-analysis"] }))
            .await
            .status(),
        200
    );
    assert_problem(
        app.get_with("/api/dashboards/risk-analysis/charts", &token)
            .await,
        404,
    )
    .await;
    assert_eq!(
        assign(json!({ "assign": ["risk-analysis"] }))
            .await
            .status(),
        200
    );
    assert_eq!(charts(&app, &token, "risk-analysis", "").await, after);
}

async fn rows_are_paginated_with_an_opaque_cursor(backend: Backend) {
    let app = spawn(backend).await;
    let (token, _) = app.scoped_token("analyst@acme.com", "acme-corp").await;
    let first: Value = app
        .get_with("/api/dashboards/risk-analysis/data?limit=5", &token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(first["rows"].as_array().expect("rows").len(), 5);
    let cursor = first["next_cursor"].as_str().expect("cursor").to_owned();
    let second: Value = app
        .get_with(
            &format!("/api/dashboards/risk-analysis/data?limit=5&cursor={cursor}"),
            &token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(second["rows"].as_array().expect("rows").len(), 5);
    assert_ne!(first["rows"], second["rows"]);
    for query in [
        "limit=0",
        "limit=100000",
        "limit=abc",
        "cursor=tampered",
        "limit=5&limit=6",
    ] {
        let response = app
            .get_with(
                &format!("/api/dashboards/risk-analysis/data?{query}"),
                &token,
            )
            .await;
        assert_problem(response, 400).await;
    }
    // A cursor issued for other filters is refused.
    let response = app
        .get_with(
            &format!("/api/dashboards/risk-analysis/data?limit=5&region=EMEA&cursor={cursor}"),
            &token,
        )
        .await;
    assert_problem(response, 400).await;
}

async fn the_browser_sees_specs_charts_saved_filters_and_csv(backend: Backend) {
    let app = spawn(backend).await;
    let browser = Browser::new(&app);
    browser.login("analyst@acme.com").await;
    let (status, _, list) = browser.call(Method::GET, "/bff/dashboards", None).await;
    assert_eq!(status, 200);
    assert_eq!(list.as_array().expect("list").len(), 3);

    let (status, _, detail) = browser
        .call(Method::GET, "/bff/dashboards/customer-lifetime-value", None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(detail["dashboard"]["slug"], "customer-lifetime-value");
    assert!(
        detail["dashboard"]["filters"]
            .as_array()
            .expect("filters")
            .len()
            >= 4
    );
    assert_eq!(detail["saved_filters"], json!({}));
    assert_eq!(detail["branding"]["display_name"], "Acme Corporation");

    let (status, _, body) = browser
        .call(
            Method::GET,
            "/bff/dashboards/customer-lifetime-value/charts?segment=Enterprise",
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["charts"].as_array().expect("charts").len(), 9);

    let saved =
        json!({ "filters": { "segment": ["Enterprise", "SMB"], "cohort": { "from": "2023-01" } } });
    let (status, _, _) = browser
        .call(
            Method::PUT,
            "/bff/dashboards/customer-lifetime-value/preferences",
            Some(saved),
        )
        .await;
    assert_eq!(status, 204);
    let (_, _, detail) = browser
        .call(Method::GET, "/bff/dashboards/customer-lifetime-value", None)
        .await;
    assert_eq!(
        detail["saved_filters"]["segment"],
        json!(["Enterprise", "SMB"])
    );
    let bad = json!({ "filters": { "segment": ["Nope"] } });
    let (status, _, _) = browser
        .call(
            Method::PUT,
            "/bff/dashboards/customer-lifetime-value/preferences",
            Some(bad),
        )
        .await;
    assert_eq!(status, 400);

    // A filter with a spec default that the user cleared stays cleared: saved as an
    // explicit empty selection and, in a query, sent as an empty bound.
    let (_, _, charts) = browser
        .call(
            Method::GET,
            "/bff/dashboards/channel-performance/charts",
            None,
        )
        .await;
    assert_eq!(
        charts["filters"],
        json!({ "cohort": { "from": "2023-01-01" } })
    );
    let (_, _, charts) = browser
        .call(
            Method::GET,
            "/bff/dashboards/channel-performance/charts?cohort_from=",
            None,
        )
        .await;
    assert_eq!(charts["filters"], json!({ "cohort": {} }));
    let (status, _, _) = browser
        .call(
            Method::PUT,
            "/bff/dashboards/channel-performance/preferences",
            Some(json!({ "filters": { "cohort": {} } })),
        )
        .await;
    assert_eq!(status, 204);
    let (_, _, detail) = browser
        .call(Method::GET, "/bff/dashboards/channel-performance", None)
        .await;
    assert_eq!(detail["saved_filters"], json!({ "cohort": {} }));

    let response = browser
        .send(
            Method::GET,
            "/bff/dashboards/customer-lifetime-value/charts/top-customers/export.csv?segment=SMB",
            None,
            false,
        )
        .await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("text/csv"));
    let csv = response.text().await.expect("body");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let tenant_col = header
        .iter()
        .position(|h| *h == "tenant_id")
        .expect("tenant_id column");
    let acme = app.tenant_id("acme-corp").await;
    let rows: Vec<&str> = lines.collect();
    assert!(!rows.is_empty());
    assert!(rows
        .iter()
        .all(|l| l.split(',').nth(tenant_col) == Some(acme.as_str())));
    let response = browser
        .send(
            Method::GET,
            "/bff/dashboards/customer-lifetime-value/charts/nope/export.csv",
            None,
            false,
        )
        .await;
    assert_eq!(response.status(), 404);
}

async fn concurrent_misses_compute_a_dashboard_once(backend: Backend) {
    let app = spawn(backend).await;
    let (token, _) = app.scoped_token("analyst@acme.com", "acme-corp").await;
    let requests = (0..8).map(|_| charts(&app, &token, "customer-lifetime-value", "?segment=SMB"));
    let bodies = futures_util::future::join_all(requests).await;
    assert!(bodies.windows(2).all(|w| w[0]["charts"] == w[1]["charts"]));
    let metrics = app
        .client
        .get(app.admin_url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    assert!(
        metrics.contains("kyros_dashboard_computations_total 1\n"),
        "eight concurrent misses, one computation:\n{metrics}"
    );
}

macro_rules! both {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[actix_web::test]
                async fn sqlite() {
                    super::$name(super::Backend::Sqlite).await
                }
                #[actix_web::test]
                async fn postgres() {
                    super::$name(super::Backend::Postgres).await
                }
            }
        )*
    };
}

both!(
    tenants_see_only_their_own_data_and_the_cache_never_crosses,
    filters_change_results_and_hostile_filters_are_400,
    unassigned_dashboards_look_exactly_like_missing_ones,
    rows_are_paginated_with_an_opaque_cursor,
    the_browser_sees_specs_charts_saved_filters_and_csv,
    concurrent_misses_compute_a_dashboard_once,
    admin_changes_show_on_the_next_request,
);
