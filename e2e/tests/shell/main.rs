//! The Kyros shell end to end: the real backend in-process serving the release build of
//! the shell (`dist/`, built by `scripts/build-shell.sh`), driven in headless Chromium.
//!
//! Screenshots of every dashboard and the timing figures land in `target/e2e/`.

mod support;

use serde_json::json;
use support::Session;

const ACME: &str = "acme-corp";
const BETA: &str = "beta-ind";
const ACME_DASHBOARDS: [&str; 3] = [
    "channel-performance",
    "customer-lifetime-value",
    "risk-analysis",
];

#[actix_web::test]
async fn analyst_lands_on_acme_dashboards_and_every_dashboard_draws_its_charts() {
    let s = Session::start().await;
    s.login("analyst@acme.com").await;

    // A single-tenant user skips the chooser: straight to Acme's dashboards.
    assert_eq!(s.dashboard_tiles().await, ACME_DASHBOARDS);
    s.wait_for_tenant(ACME).await;
    let branding = s.branding().await;
    assert_eq!(branding.name.as_deref(), Some("Acme Corporation"));
    assert_eq!(branding.brand, "#1d4ed8");
    assert!(branding.logo, "the tenant logo is shown");
    assert!(
        !branding.switcher,
        "a single-tenant user has no tenant switcher"
    );

    for slug in ACME_DASHBOARDS {
        s.click("#nav-dashboards").await;
        assert_eq!(s.dashboard_tiles().await, ACME_DASHBOARDS);
        let cards = s.open_dashboard(slug).await;
        assert!(cards > 0, "{slug} has chart cards");
        s.assert_charts_drawn(slug).await;
        s.screenshot(&format!("{ACME}-{slug}")).await;
    }
    s.finish().await;
}

#[actix_web::test]
async fn beta_viewer_sees_only_risk_analysis() {
    let s = Session::start().await;
    s.login("viewer@beta.com").await;

    assert_eq!(s.dashboard_tiles().await, ["risk-analysis"]);
    s.wait_for_tenant(BETA).await;
    let branding = s.branding().await;
    assert_eq!(branding.name.as_deref(), Some("Beta Industries"));
    assert_eq!(branding.brand, "#047857");
    assert!(!branding.switcher);

    s.open_dashboard("risk-analysis").await;
    s.assert_charts_drawn("beta risk-analysis").await;
    s.screenshot(&format!("{BETA}-risk-analysis")).await;

    // A dashboard of another tenant is not found, by deep link too.
    s.goto("/dashboards/customer-lifetime-value").await;
    s.wait_for(
        "the not-found page",
        "return document.querySelector('#not-found') !== null;",
    )
    .await;
    assert!(
        s.js("return document.querySelector('.chart-card') === null;")
            .await
            .as_bool()
            .unwrap_or(false),
        "no chart of another tenant's dashboard is shown"
    );
    s.finish().await;
}

#[actix_web::test]
async fn admin_chooses_a_tenant_and_switches_with_the_app_bar() {
    let s = Session::start().await;
    s.login("admin@acme.com").await;

    // Two tenants: the chooser at `/`.
    s.wait_for_path("/").await;
    let choices = s
        .wait_for(
            "the tenant chooser",
            "const b = document.querySelectorAll('button.tenant-choice');
             return b.length > 0 ? Array.from(b, x => x.dataset.tenantSlug).sort() : null;",
        )
        .await;
    assert_eq!(choices, json!([ACME, BETA]));
    s.click(&format!(
        "button.tenant-choice[data-tenant-slug=\"{ACME}\"]"
    ))
    .await;
    assert_eq!(s.dashboard_tiles().await, ACME_DASHBOARDS);
    s.wait_for_tenant(ACME).await;
    let acme = s.branding().await;
    assert_eq!(acme.name.as_deref(), Some("Acme Corporation"));
    assert_eq!(acme.brand, "#1d4ed8");
    assert!(acme.switcher, "a multi-tenant user has the tenant switcher");

    s.open_dashboard("risk-analysis").await;
    s.assert_charts_drawn("acme risk-analysis (admin)").await;
    let acme_kpis = s.kpis().await;
    let acme_data = s.chart_data().await;
    assert!(!acme_kpis.is_empty(), "risk-analysis has KPI cards");

    // Switch to Beta in the app bar: same dashboard, Beta's branding and data.
    s.click(&format!("#tenant-switcher option[value=\"{BETA}\"]"))
        .await;
    // The toast stays five seconds: look for it first.
    s.wait_for(
        "the switch toast",
        "return Array.from(document.querySelectorAll('#toasts .toast'))
           .some(t => t.textContent.includes('Switched to Beta Industries'));",
    )
    .await;
    s.wait_for_tenant(BETA).await;
    s.wait_for_path("/dashboards/risk-analysis").await;
    s.wait_for_charts("risk-analysis").await;
    let expected = json!(acme_kpis);
    s.wait_for(
        "Beta's KPI values",
        &format!(
            "const kpis = {{}};
             document.querySelectorAll('.chart-card[data-chart-kind=\"kpi\"] .kpi-value').forEach(v => {{
               kpis[v.closest('.chart-card').dataset.chartId] = v.textContent.trim();
             }});
             return Object.keys(kpis).length > 0 && JSON.stringify(kpis) !== JSON.stringify({expected});"
        ),
    )
    .await;
    let beta = s.branding().await;
    assert_eq!(beta.name.as_deref(), Some("Beta Industries"));
    assert_eq!(beta.brand, "#047857");
    assert_ne!(
        acme.background, beta.background,
        "the app bar takes the tenant colour"
    );
    s.assert_charts_drawn("beta risk-analysis (admin)").await;
    assert_ne!(s.kpis().await, acme_kpis, "the KPIs follow the tenant");
    assert_ne!(
        s.chart_data().await,
        acme_data,
        "the charts follow the tenant"
    );
    s.screenshot("admin-switched-to-beta-risk-analysis").await;

    // Beta's dashboard list has only risk-analysis; back to Acme brings all three.
    s.click("#nav-dashboards").await;
    assert_eq!(s.dashboard_tiles().await, ["risk-analysis"]);
    s.click(&format!("#tenant-switcher option[value=\"{ACME}\"]"))
        .await;
    s.wait_for_tenant(ACME).await;
    s.wait_for(
        "Acme's three tiles again",
        "return document.querySelectorAll('#dashboard-tiles a.dashboard-tile').length === 3;",
    )
    .await;
    assert_eq!(s.dashboard_tiles().await, ACME_DASHBOARDS);
    assert_eq!(s.branding().await.brand, "#1d4ed8");
    s.finish().await;
}

#[actix_web::test]
async fn applying_a_filter_changes_the_charts() {
    let s = Session::start().await;
    s.login("analyst@acme.com").await;
    s.dashboard_tiles().await;
    s.open_dashboard("risk-analysis").await;
    s.assert_charts_drawn("risk-analysis before filtering")
        .await;
    let before_kpis = s.kpis().await;
    let before_data = s.chart_data().await;

    s.click("#filter-bar input[type=checkbox][name=\"region\"][value=\"North America\"]")
        .await;
    s.wait_for(
        "the checkbox to be checked",
        "const c = document.querySelector('#filter-bar input[name=\"region\"][value=\"North America\"]');
         return c !== null && c.checked;",
    )
    .await;
    s.click("#filters-apply").await;
    let expected = json!(before_kpis);
    s.wait_for(
        "the filtered KPI values",
        &format!(
            "const grid = document.querySelector('#charts');
             if (!grid || grid.getAttribute('aria-busy') !== 'false') return null;
             const kpis = {{}};
             document.querySelectorAll('.chart-card[data-chart-kind=\"kpi\"] .kpi-value').forEach(v => {{
               kpis[v.closest('.chart-card').dataset.chartId] = v.textContent.trim();
             }});
             return Object.keys(kpis).length > 0 && JSON.stringify(kpis) !== JSON.stringify({expected});"
        ),
    )
    .await;
    let after_kpis = s.kpis().await;
    assert_ne!(
        after_kpis.get("total-exposure"),
        before_kpis.get("total-exposure"),
        "total exposure follows the region filter"
    );
    let after_data = s.chart_data().await;
    assert_ne!(
        after_data.get("region-bucket-heatmap"),
        before_data.get("region-bucket-heatmap"),
        "the region heatmap follows the region filter"
    );
    s.assert_charts_drawn("risk-analysis filtered to North America")
        .await;

    // The filter is saved: a reload restores it and its charts.
    s.goto("/dashboards/risk-analysis").await;
    s.wait_for_charts("risk-analysis").await;
    s.wait_for(
        "the saved filter after a reload",
        "const c = document.querySelector('#filter-bar input[name=\"region\"][value=\"North America\"]');
         return c !== null && c.checked;",
    )
    .await;
    s.wait_for(
        "the filtered KPI values after a reload",
        &format!(
            "const v = document.querySelector('.chart-card[data-chart-id=\"total-exposure\"] .kpi-value');
             return v !== null && v.textContent.trim() === {};",
            json!(after_kpis.get("total-exposure"))
        ),
    )
    .await;
    s.finish().await;
}

#[actix_web::test]
async fn after_logout_the_back_button_shows_no_dashboard_data() {
    let s = Session::start().await;
    s.login("analyst@acme.com").await;
    s.dashboard_tiles().await;
    s.open_dashboard("risk-analysis").await;
    assert!(s.shows_dashboard_data().await);

    s.click("#logout-button").await;
    s.wait_for_path("/login").await;
    s.wait_for(
        "the login form after logout",
        "return document.querySelector('#login-form') !== null;",
    )
    .await;
    assert!(!s.shows_dashboard_data().await);

    // Back through the history: every entry of the app ends on the login page, never on
    // data, until back leaves the app (Chromium skips entries pushed without a user gesture).
    let origin = s.url("");
    let mut on_login = 0;
    for step in 1..=5 {
        s.back().await;
        let landed = s
            .wait_for(
                &format!("the login page (or another site) after back #{step}"),
                &format!(
                    "if (location.origin !== {origin}) return 'left';
                     return location.pathname === '/login' && document.querySelector('#login-form') !== null
                       ? 'login' : null;",
                    origin = json!(origin)
                ),
            )
            .await;
        if landed == json!("left") {
            break;
        }
        on_login += 1;
        assert!(
            !s.shows_dashboard_data().await,
            "back #{step} shows dashboard data"
        );
    }
    assert!(
        on_login > 0,
        "the first back stays in the app, on the login page"
    );

    // A deep link or an API call with the old browser state is refused too.
    s.goto("/dashboards/risk-analysis").await;
    s.wait_for_path("/login").await;
    assert!(!s.shows_dashboard_data().await);
    let status = s
        .client()
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch('/bff/dashboards', { credentials: 'same-origin' }).then(r => done(r.status), () => done(0));",
            Vec::new(),
        )
        .await
        .expect("fetch");
    assert_eq!(status, json!(401), "the session is gone on the server");
    s.finish().await;
}

/// Navigation → first chart drawn, in headless Chromium against the in-process (debug)
/// backend: full page loads of a dashboard deep link with a signed-in session, read from
/// the shell's `kyros:first-chart` User Timing mark. Printed and written to
/// `target/e2e/first-chart.txt`; a measurement, not an assertion. (`shell-timing` measures
/// the same against any running Kyros, e.g. the release build.)
#[actix_web::test]
async fn navigation_to_first_chart_timing() {
    let s = Session::start().await;
    s.login("analyst@acme.com").await;
    s.dashboard_tiles().await;

    let report = s.first_chart_report("risk-analysis", 5).await;
    assert_eq!(report.runs.len(), 5);
    for run in &report.runs {
        assert!(
            run.first_chart > 0.0 && run.charts_answered <= run.first_chart,
            "the first chart is drawn after its data arrived: {run:?}"
        );
    }
    println!("{report}");
    let path = kyros_e2e::artifacts_dir().join("first-chart.txt");
    std::fs::write(&path, format!("{report}\n")).expect("write timings");
    println!("written to {}", path.display());
    s.finish().await;
}

#[actix_web::test]
async fn an_invited_person_sets_a_password_in_the_browser_and_signs_in() {
    let s = Session::start().await;
    let services = s.services();
    let acme = services
        .db
        .run(|conn| kyros::store::tenants::find_by_slug(conn, ACME))
        .await
        .expect("query")
        .and_then(|t| t.tenant_id())
        .expect("Acme");
    let created = services
        .users
        .create_user(
            "e2e".into(),
            kyros_common::api::users::CreateUser {
                email: "grace@example.com".into(),
                name: None,
                memberships: vec![kyros_common::api::users::MembershipGrant {
                    tenant_id: acme,
                    role: kyros_common::api::tenants::Role::Viewer,
                }],
            },
        )
        .await
        .expect("invitation");
    let link = created.invitation_url;
    let fragment = &link[link.find("/invite#").expect("an invite link")..];

    s.goto(fragment).await;
    s.wait_for(
        "the invitation form",
        "return document.querySelector('#invite-form') !== null;",
    )
    .await;
    // The token leaves the address bar at once.
    let address = s.js("return window.location.href;").await;
    assert!(
        !address.as_str().unwrap_or("").contains("token"),
        "{address}"
    );
    s.type_into("#name", "Grace Hopper").await;
    // A password the policy refuses is explained next to the field.
    s.type_into("#new-password", "password1234").await;
    s.type_into("#repeat-password", "password1234").await;
    s.click("#invite-submit").await;
    s.wait_for(
        "the policy's reason",
        "const p = document.querySelector('#new-password-problem'); return p !== null && p.textContent.includes('easy to guess');",
    )
    .await;
    s.screenshot_for_docs("invite-weak-password").await;
    let strong = "compiler moth nanosecond cobol";
    s.js("for (const id of ['#new-password', '#repeat-password']) { const i = document.querySelector(id); i.value = ''; i.dispatchEvent(new Event('input', { bubbles: true })); } return true;")
        .await;
    s.type_into("#new-password", strong).await;
    s.type_into("#repeat-password", strong).await;
    s.click("#invite-submit").await;
    s.wait_for(
        "the account is ready",
        "return document.querySelector('#invite-done') !== null;",
    )
    .await;
    s.click("#to-login").await;
    s.login_with("grace@example.com", strong).await;
    assert_eq!(s.dashboard_tiles().await, ACME_DASHBOARDS);
    s.finish().await;
}
