//! Every route of every listener × every method, with no credentials, with another
//! tenant's credentials, with a viewer where an admin is needed and with malformed bodies:
//! always a 4xx problem+json. The table below must cover every route declared in
//! `backend/src/routes/mod.rs` — a new route without an entry here fails the test.

use std::collections::BTreeSet;

use reqwest::Method;

use crate::helpers::{assert_problem, TestApp};

#[derive(Clone, Copy, PartialEq)]
enum Listener {
    Public,
    Admin,
}

/// (listener, path template as declared, path as requested)
const ROUTES: &[(Listener, &str)] = &[
    (Listener::Public, "/health"),
    (Listener::Public, "/ready"),
    (Listener::Public, "/.well-known/jwks.json"),
    (Listener::Public, "/api/auth/login"),
    (Listener::Public, "/api/auth/login/mfa"),
    (Listener::Public, "/api/auth/invitations/accept"),
    (Listener::Public, "/api/auth/password/forgot"),
    (Listener::Public, "/api/auth/password/reset"),
    (Listener::Public, "/api/auth/password/change"),
    (Listener::Public, "/api/me"),
    (Listener::Public, "/api/token/exchange"),
    (Listener::Public, "/api/tenant/{tenant_id}"),
    (Listener::Public, "/api/tenant/{tenant_id}/audit"),
    (Listener::Public, "/api/tenant/{tenant_id}/dashboards"),
    (Listener::Public, "/api/tenant/{tenant_id}/users"),
    (Listener::Public, "/api/tenant/{tenant_id}/users/{user_id}"),
    (Listener::Public, "/api/dashboards/{slug}/charts"),
    (Listener::Public, "/api/dashboards/{slug}/data"),
    (Listener::Public, "/bff/login"),
    (Listener::Public, "/bff/login/mfa"),
    (Listener::Public, "/bff/mfa"),
    (Listener::Public, "/bff/mfa/enroll"),
    (Listener::Public, "/bff/mfa/confirm"),
    (Listener::Public, "/bff/mfa/disable"),
    (Listener::Public, "/bff/sso/start"),
    (Listener::Public, "/bff/sso/callback"),
    (Listener::Public, "/bff/logout"),
    (Listener::Public, "/bff/me"),
    (Listener::Public, "/bff/tenant"),
    (Listener::Public, "/bff/tenant/users"),
    (Listener::Public, "/bff/tenant/users/{user_id}"),
    (Listener::Public, "/bff/password"),
    (Listener::Public, "/bff/sessions"),
    (Listener::Public, "/bff/sessions/{id}"),
    (Listener::Public, "/bff/dashboards"),
    (Listener::Public, "/bff/dashboards/{slug}"),
    (Listener::Public, "/bff/dashboards/{slug}/charts"),
    (Listener::Public, "/bff/dashboards/{slug}/preferences"),
    (
        Listener::Public,
        "/bff/dashboards/{slug}/charts/{chart_id}/export.csv",
    ),
    (Listener::Admin, "/metrics"),
    (Listener::Admin, "/admin/token"),
    (Listener::Admin, "/admin/tenants"),
    (Listener::Admin, "/admin/users"),
    (Listener::Admin, "/admin/users/{id}"),
    (Listener::Admin, "/admin/outbox"),
    (Listener::Admin, "/admin/tenants/{id}/metadata"),
    (Listener::Admin, "/admin/tenants/{id}/dashboards"),
    (Listener::Admin, "/admin/tenants/{id}/identity-provider"),
    (
        Listener::Admin,
        "/admin/tenants/{id}/{action:(activate|deactivate)}",
    ),
    (Listener::Admin, "/admin/tenants/{id}/users/{email}"),
    (
        Listener::Admin,
        "/admin/users/{email}/{action:(activate|deactivate)}",
    ),
    (Listener::Admin, "/admin/dashboards/{slug}"),
    (Listener::Admin, "/admin/rotate-secret"),
    (Listener::Admin, "/admin/audit"),
];

/// Open by design: liveness, readiness, the public verification keys, and metrics on the
/// private listener.
const OPEN: &[&str] = &["/health", "/ready", "/metrics", "/.well-known/jwks.json"];

fn declared_routes() -> BTreeSet<String> {
    let source = include_str!("../../src/routes/mod.rs");
    let mut found = BTreeSet::new();
    let mut scope = "";
    for line in source.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("web::scope(\"") {
            scope = if rest.starts_with("/api") {
                "/api"
            } else if rest.starts_with("/bff") {
                "/bff"
            } else {
                "/admin"
            };
        }
        if let Some(start) = line.find("web::resource(\"") {
            let rest = &line[start + "web::resource(\"".len()..];
            if let Some(end) = rest.find("\")") {
                let path = &rest[..end];
                let full = if ["/health", "/ready", "/metrics", "/.well-known/jwks.json"]
                    .contains(&path)
                {
                    path.to_owned()
                } else {
                    format!("{scope}{path}")
                };
                found.insert(full);
            }
        }
    }
    found
}

#[test]
fn every_declared_route_is_walked() {
    let covered: BTreeSet<String> = ROUTES.iter().map(|(_, p)| (*p).to_owned()).collect();
    let declared = declared_routes();
    assert!(
        declared.len() >= 25,
        "route table parse found only {declared:?}"
    );
    let missing: Vec<_> = declared.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "routes without walk coverage: {missing:?}"
    );
}

fn concrete(template: &str, tenant: &str) -> String {
    template
        .replace("{tenant_id}", tenant)
        .replace("{user_id}", "00000000-0000-4000-8000-000000000001")
        .replace("{id}", tenant)
        .replace("{slug}", "customer-lifetime-value")
        .replace("{chart_id}", "top-customers")
        .replace("{email}", "viewer@beta.com")
        .replace("{action:(activate|deactivate)}", "deactivate")
}

async fn hostile_calls_on_every_route_are_4xx_problems(app: TestApp) {
    let beta = app.tenant_id("beta-ind").await;
    let (acme_admin, acme) = app.scoped_token("admin@acme.com", "acme-corp").await;
    let (beta_viewer, _) = app.scoped_token("viewer@beta.com", "beta-ind").await;
    let (acme_viewer, _) = app.scoped_token("analyst@acme.com", "acme-corp").await;
    let methods = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
    ];

    for (listener, template) in ROUTES {
        let base = match listener {
            Listener::Public => &app.address,
            Listener::Admin => &app.admin_address,
        };
        // Beta's tenant id with Acme's credentials: another tenant's resources.
        let url = format!("{base}{}", concrete(template, &beta));
        for method in &methods {
            let open = OPEN.contains(template) && *method == Method::GET;
            if !open {
                // No credentials at all.
                let response = app
                    .client
                    .request(method.clone(), &url)
                    .send()
                    .await
                    .expect("request");
                let status = response.status().as_u16();
                assert!(
                    (400..500).contains(&status),
                    "{method} {template} without credentials → {status}"
                );
                assert_problem(response, status).await;
            }
            // Malformed JSON body, with another tenant's scoped token (or an admin-less call).
            let response = app
                .client
                .request(method.clone(), &url)
                // Tenant ids in paths are Beta's while the token is Acme's; dashboards are
                // Acme-only while the token is Beta's: always another tenant's credentials.
                .bearer_auth(if template.contains("{slug}") {
                    &beta_viewer
                } else {
                    &acme_admin
                })
                .header("content-type", "application/json")
                .header("x-requested-with", "kyros-shell")
                .body("{\"broken\": ")
                .send()
                .await
                .expect("request");
            let status = response.status().as_u16();
            // Logging out is idempotent: a CSRF-valid logout without a session is a 204.
            let idempotent = *template == "/bff/logout" && *method == Method::POST && status == 204;
            if !open && !idempotent {
                assert!(
                    (400..500).contains(&status),
                    "{method} {template} malformed/foreign → {status}"
                );
                assert_problem(response, status).await;
            }
        }
    }

    // Another tenant's scoped token on tenant routes: 403; on an unassigned dashboard: 404.
    for path in [
        format!("/api/tenant/{beta}"),
        format!("/api/tenant/{beta}/dashboards"),
        format!("/api/tenant/{beta}/audit"),
        format!("/api/tenant/{beta}/users"),
    ] {
        assert_problem(app.get_with(&path, &acme_admin).await, 403).await;
    }
    for path in [
        "/api/dashboards/customer-lifetime-value/charts",
        "/api/dashboards/customer-lifetime-value/data",
    ] {
        assert_problem(app.get_with(path, &beta_viewer).await, 404).await;
    }
    // A viewer where an admin is needed.
    assert_problem(
        app.get_with(&format!("/api/tenant/{acme}/audit"), &acme_viewer)
            .await,
        403,
    )
    .await;
    // Nothing changed: Beta is still active and its viewer still reaches it.
    assert_eq!(
        app.get_with(&format!("/api/tenant/{beta}"), &beta_viewer)
            .await
            .status(),
        200
    );
}

matrix!(hostile_calls_on_every_route_are_4xx_problems);
