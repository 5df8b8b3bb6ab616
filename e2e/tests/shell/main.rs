//! The Kyros shell end to end: the real backend in-process serving the release build of
//! the shell (`dist/`, built by `scripts/build-shell.sh`), driven in headless Chromium.
//!
//! Screenshots of every dashboard and the timing figures land in `target/e2e/`. Signing
//! in with two-step verification, single sign-on's entry and the way back to an
//! interrupted page are in `mfa.rs`; single sign-on through a real OpenID provider in
//! `sso.rs`.

mod mfa;
mod sso;
mod support;

use kyros_common::api::dashboards::ChartKind;
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

/// The dashboard of [`every_chart_kind_the_engine_emits_renders`].
const EVERY_KIND_SLUG: &str = "every-chart-kind";

/// Every chart kind of the engine, on Acme's `customers` demo data.
const ALL_CHART_KINDS: [ChartKind; 10] = [
    ChartKind::Bar,
    ChartKind::StackedBar,
    ChartKind::Line,
    ChartKind::Area,
    ChartKind::Pie,
    ChartKind::Scatter,
    ChartKind::Histogram,
    ChartKind::Heatmap,
    ChartKind::Kpi,
    ChartKind::Table,
];

/// The charts of one kind in the every-kind dashboard: each kind once, and the option
/// variants that bring in other ECharts parts (legends, a 100% stack with its tooltip
/// formatter, threshold lines, the heatmap's visual map) too. The match is exhaustive: a
/// new `ChartKind` does not compile until it has charts here (and in `ALL_CHART_KINDS`).
fn charts_of_kind(kind: ChartKind) -> Vec<serde_json::Value> {
    let chart = |id: &str, width: u8, rest: serde_json::Value| {
        let mut chart = json!({
            "id": id, "title": id.replace('-', " "), "kind": kind, "width": width,
            "dataset": "customers",
        });
        if let (Some(chart), Some(rest)) = (chart.as_object_mut(), rest.as_object()) {
            chart.extend(rest.clone());
        }
        chart
    };
    let sum = |column: &str| json!({ "column": column, "agg": "sum", "label": column });
    let avg = |column: &str| json!({ "column": column, "agg": "avg", "label": column });
    match kind {
        ChartKind::Kpi => vec![
            chart(
                "kpi-customers",
                6,
                json!({ "measures": [{ "agg": "count", "label": "Customers" }], "format": "integer" }),
            ),
            chart(
                "kpi-high-value-share",
                6,
                json!({ "measures": [{ "column": "predicted_clv", "agg": "share_above",
                        "threshold": "clv_high", "label": "High-value share" }],
                        "format": "percent" }),
            ),
        ],
        ChartKind::Bar => vec![
            chart(
                "bar-one-measure",
                6,
                json!({ "dimensions": ["channel"], "measures": [sum("revenue")] }),
            ),
            chart(
                "bar-with-legend",
                6,
                json!({ "dimensions": ["channel"], "measures": [sum("revenue"), sum("margin")],
                        "sort": { "by": "value", "order": "desc" } }),
            ),
        ],
        ChartKind::StackedBar => vec![
            chart(
                "stacked-bar",
                6,
                json!({ "dimensions": ["segment", "region"], "measures": [sum("revenue")] }),
            ),
            chart(
                "stacked-bar-normalised",
                6,
                json!({ "dimensions": ["segment", "region"], "measures": [sum("revenue")],
                        "normalize": true }),
            ),
        ],
        ChartKind::Line => vec![
            chart(
                "line-one-series",
                6,
                json!({ "dimensions": ["cohort_month"], "measures": [avg("predicted_clv")] }),
            ),
            chart(
                "line-per-channel",
                6,
                json!({ "dimensions": ["cohort_month", "channel"],
                        "measures": [avg("churn_probability")] }),
            ),
        ],
        ChartKind::Area => vec![chart(
            "area-per-region",
            12,
            json!({ "dimensions": ["cohort_month", "region"], "measures": [sum("margin")] }),
        )],
        ChartKind::Pie => vec![chart(
            "pie",
            6,
            json!({ "dimensions": ["segment"], "measures": [sum("orders")] }),
        )],
        ChartKind::Scatter => vec![chart(
            "scatter-per-segment",
            6,
            json!({ "dimensions": ["segment"],
                    "measures": [{ "column": "predicted_clv", "label": "CLV" },
                                 { "column": "churn_probability", "label": "Churn" }],
                    "sample": 500 }),
        )],
        ChartKind::Histogram => vec![chart(
            "histogram-with-thresholds",
            6,
            json!({ "measures": [{ "column": "predicted_clv", "label": "Predicted CLV" }],
                    "bins": 30, "range": [0, 60000],
                    "mark_thresholds": ["clv_medium", "clv_high"] }),
        )],
        ChartKind::Heatmap => vec![chart(
            "heatmap",
            6,
            json!({ "dimensions": ["channel", "segment"], "measures": [avg("predicted_clv")] }),
        )],
        ChartKind::Table => vec![
            chart(
                "table-rows",
                6,
                json!({ "columns": ["customer_id", "segment", "channel", "predicted_clv"],
                        "sort": { "by": "predicted_clv", "order": "desc" }, "limit": 10 }),
            ),
            chart(
                "table-aggregated",
                6,
                json!({ "dimensions": ["channel"],
                        "measures": [{ "agg": "count", "label": "Customers" }, sum("revenue")] }),
            ),
        ],
    }
}

/// For each drawn ECharts chart of the page, what the engine asked for (its option from
/// `GET /bff/dashboards/{slug}/charts`, as the shell got it) against what the ECharts
/// instance made of it: an unregistered series type or component has no model (a
/// production build of ECharts leaves it out without a word).
const ECHARTS_PARTS_SCRIPT: &str = r#"
const [slug, done] = [arguments[0], arguments[arguments.length - 1]];
// Global options that are not components (they never have a model).
const NOT_COMPONENTS = ['textStyle', 'media', 'options', 'baseOption', 'stateAnimation'];
const isComponent = (key, value) => key !== 'series' && !NOT_COMPONENTS.includes(key)
  && value !== null && typeof value === 'object'
  && (!Array.isArray(value) || value.every(v => v !== null && typeof v === 'object'));
const painted = canvas => {
  if (!canvas || canvas.width === 0 || canvas.height === 0) return 0;
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 3; i < pixels.length; i += 4 * 7) if (pixels[i] > 0) n++;
  return n;
};
fetch('/bff/dashboards/' + encodeURIComponent(slug) + '/charts', { credentials: 'same-origin' })
  .then(r => r.json())
  .then(body => done(body.charts.filter(c => !c.empty && c.option !== null).map(c => {
    const card = document.querySelector('.chart-card[data-chart-id="' + c.id + '"]');
    const el = card ? card.querySelector('div.echart') : null;
    const chart = el ? echarts.getInstanceByDom(el) : undefined;
    const model = chart && typeof chart.getModel === 'function' ? chart.getModel() : null;
    const components = Object.keys(c.option).filter(k => isComponent(k, c.option[k]));
    const series = c.option.series || [];
    return {
      id: c.id,
      kind: c.kind,
      instance: chart !== undefined,
      model: model !== null,
      error_shown: card !== null && card.querySelector('.chart-error') !== null,
      components,
      missing_components: components.filter(k => !model || !model.getComponent(k)),
      series: series.map(s => s.type),
      drawn_series: model ? model.getSeries().map(s => s.subType) : [],
      mark_lines: series.some(s => s.markLine && (s.markLine.data || []).length > 0),
      mark_line_model: model !== null && model.getComponent('markLine') !== undefined,
      painted: painted(el ? el.querySelector('canvas') : null),
    };
  })), e => done({ error: String(e) }));
"#;

/// The issue's acceptance test of the custom ECharts build (frontend/echarts/entry.mjs):
/// an operator installs a dashboard with a chart of every kind the engine supports and
/// assigns it to Acme; in Chromium every card renders (ECharts canvases with their
/// series, components and threshold lines, KPI values, tables), the shell got the custom
/// build, and the console stays free of errors.
#[actix_web::test]
async fn every_chart_kind_the_engine_emits_renders() {
    let s = Session::start().await;
    let services = s.services();
    let charts: Vec<serde_json::Value> = ALL_CHART_KINDS
        .into_iter()
        .flat_map(charts_of_kind)
        .collect();
    let spec = json!({
        "title": "Every chart kind",
        "description": "One chart of every kind the engine draws (end-to-end test).",
        "datasets": ["customers"],
        "thresholds": { "clv_medium": 8000, "clv_high": 15000 },
        "charts": charts,
    });
    let put = services
        .admin
        .put_dashboard(
            "e2e".into(),
            EVERY_KIND_SLUG.into(),
            spec.to_string().as_bytes(),
        )
        .await
        .unwrap_or_else(|e| panic!("the every-kind spec is refused: {e}"));
    assert_eq!(put.charts, charts.len());
    let acme = services
        .db
        .run(|conn| kyros::store::tenants::find_by_slug(conn, ACME))
        .await
        .expect("query")
        .expect("Acme");
    services
        .admin
        .assign_dashboards(
            "e2e".into(),
            &acme.id,
            kyros::admin::AssignDashboards {
                assign: vec![EVERY_KIND_SLUG.into()],
                unassign: Vec::new(),
            },
        )
        .await
        .unwrap_or_else(|e| panic!("cannot assign the every-kind dashboard to Acme: {e}"));

    s.login("analyst@acme.com").await;
    s.dashboard_tiles().await;
    s.wait_for(
        "the every-kind tile",
        &format!(
            "return document.querySelector('#dashboard-tiles a.dashboard-tile[data-slug={}]') !== null;",
            json!(EVERY_KIND_SLUG)
        ),
    )
    .await;
    // The console from here on (signing in logs the 401 of `GET /bff/me` before it).
    s.console_log().await;

    let cards = s.open_dashboard(EVERY_KIND_SLUG).await;
    assert_eq!(cards, charts.len(), "one card per chart of the spec");
    s.wait_for(
        "every card drawn (canvas, KPI value or table rows)",
        "const cards = Array.from(document.querySelectorAll('#charts .chart-card'));
         return cards.length > 0 && cards.every(card =>
           card.querySelector('div.echart canvas, .kpi-value, table.data-table tbody tr') !== null);",
    )
    .await;

    // The shell got the custom build, not the full dist/echarts.min.js.
    assert_eq!(
        s.js("return Object.keys(window.echarts).sort();").await,
        json!(["dispose", "getInstanceByDom", "init", "version"]),
        "window.echarts is the API of frontend/echarts/entry.mjs"
    );

    let kinds = s
        .js("return Array.from(document.querySelectorAll('#charts .chart-card'), c => c.dataset.chartKind);")
        .await;
    for kind in ALL_CHART_KINDS {
        let name = serde_json::to_value(kind).expect("kind");
        let name = name.as_str().unwrap_or_default().replace('_', "-");
        assert!(
            kinds.as_array().is_some_and(|k| k.contains(&json!(name))),
            "no {name} card on the every-kind dashboard: {kinds}"
        );
    }
    assert!(
        s.js(
            "return document.querySelector('#charts .chart-empty, #charts .chart-error') === null;"
        )
        .await
        .as_bool()
        .unwrap_or(false),
        "every chart has data and was drawn"
    );

    let drawn = s.assert_charts_drawn("every-kind dashboard").await;
    let parts = s
        .client()
        .execute_async(ECHARTS_PARTS_SCRIPT, vec![json!(EVERY_KIND_SLUG)])
        .await
        .expect("the ECharts parts script");
    let parts = parts
        .as_array()
        .unwrap_or_else(|| panic!("no chart payloads: {parts}"));
    assert_eq!(
        parts.len(),
        drawn.len(),
        "every ECharts option of the payload has its chart on the page: {parts:?}"
    );
    for chart in parts {
        let id = &chart["id"];
        assert_eq!(chart["instance"], json!(true), "{id}: no ECharts instance");
        assert_eq!(chart["model"], json!(true), "{id}: no ECharts model");
        assert_eq!(chart["error_shown"], json!(false), "{id}: not drawn");
        assert_eq!(
            chart["missing_components"],
            json!([]),
            "{id}: components of the engine's option that the ECharts build does not \
             register (frontend/echarts/entry.mjs): {chart}"
        );
        assert_eq!(
            chart["drawn_series"], chart["series"],
            "{id}: series types not drawn: {chart}"
        );
        assert!(
            chart["painted"].as_u64().unwrap_or(0) > 100,
            "{id}: the canvas is blank: {chart}"
        );
        if chart["mark_lines"] == json!(true) {
            assert_eq!(
                chart["mark_line_model"],
                json!(true),
                "{id}: the threshold lines (markLine) are not drawn: {chart}"
            );
        }
    }
    // Each ECharts part the engine uses appears at least once, so the checks above ran.
    let all = |field: &str| -> Vec<String> {
        parts
            .iter()
            .flat_map(|c| c[field].as_array().cloned().unwrap_or_default())
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    let (components, series) = (all("components"), all("series"));
    for component in [
        "grid",
        "xAxis",
        "yAxis",
        "tooltip",
        "toolbox",
        "legend",
        "visualMap",
    ] {
        assert!(
            components.iter().any(|c| c == component),
            "no chart uses {component}: {components:?}"
        );
    }
    for kind in ["bar", "line", "pie", "scatter", "heatmap"] {
        assert!(
            series.iter().any(|s| s == kind),
            "no {kind} series: {series:?}"
        );
    }
    assert!(
        parts.iter().any(|c| c["mark_lines"] == json!(true)),
        "the histogram draws its threshold lines"
    );

    let kpis = s.kpis().await;
    assert_eq!(kpis.len(), 2, "{kpis:?}");
    assert!(
        kpis.values().all(|v| !v.is_empty() && v != "\u{2014}"),
        "{kpis:?}"
    );
    let table_rows = s
        .js(
            "return Array.from(document.querySelectorAll('.chart-card[data-chart-kind=\"table\"]'),
               c => c.querySelectorAll('table.data-table tbody tr').length);",
        )
        .await;
    assert!(
        table_rows
            .as_array()
            .is_some_and(|rows| rows.len() == 2 && rows.iter().all(|n| n.as_u64() > Some(0))),
        "both tables have rows: {table_rows}"
    );

    // The tooltip (an HTML overlay, with the axis pointer of an axis-triggered chart) shows.
    s.js("const el = document.querySelector('.chart-card[data-chart-id=\"bar-one-measure\"] div.echart');
          const rect = el.getBoundingClientRect();
          echarts.getInstanceByDom(el)
            .dispatchAction({ type: 'showTip', x: rect.width / 2, y: rect.height / 2 });
          return true;")
        .await;
    s.wait_for(
        "the tooltip of a bar chart",
        "const el = document.querySelector('.chart-card[data-chart-id=\"bar-one-measure\"] div.echart');
         return el.innerText.includes('revenue');",
    )
    .await;

    let console = s.console_log().await;
    let errors: Vec<&serde_json::Value> = console
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .filter(|e| e["level"] == json!("SEVERE"))
                .collect()
        })
        .unwrap_or_default();
    assert!(
        console.is_array() && errors.is_empty(),
        "the browser console has errors: {console}"
    );
    s.screenshot("acme-every-chart-kind").await;
    s.finish().await;
}
