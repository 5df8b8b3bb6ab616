//! Warm (cached) dashboard serving: what a repeated `GET …/charts` costs in the service
//! once the response is in the `ChartCache` — the tenant rate-limit check, the
//! remembered dashboard assignment, the data-version check and the cached body lookup
//! (keys built from a validated `TenantScope`), exactly what the handler calls.
//!
//! `cargo bench -p kyros-backend --bench warm_cache` (`KYROS_BENCH_ROWS`, default
//! 100000 rows per dataset; cached serving does not depend on it).

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use kyros::auth::jwt::{Tokens, UserClaims};
use kyros::auth::keys::KeyRing;
use kyros::config::Settings;
use kyros::datagen;
use kyros::startup::prepare_store;
use kyros::state::AppState;
use kyros::store::{tenants, users};
use kyros_common::api::dashboards::DashboardCharts;
use kyros_common::api::tenants::Role;

fn warm(c: &mut Criterion) {
    let rows: usize = std::env::var("KYROS_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let vars: HashMap<&str, String> = HashMap::from([
        ("KYROS_DATA_DIR", dir.path().display().to_string()),
        (
            "KYROS_SIGNING_KEY",
            "warm-cache-benchmark-signing-key-0123456789".into(),
        ),
        ("KYROS_DEMO_ROWS", rows.to_string()),
    ]);
    let settings = Settings::from_lookup(|k| vars.get(k).cloned()).expect("settings");
    let db = prepare_store(&settings).expect("store");
    datagen::ensure_demo_data(&db, &settings.data_dir, rows).expect("demo data");
    let load_keys = || KeyRing::for_settings(db.clone(), &settings).expect("keys");
    let keys = load_keys();
    let keys_for_state = load_keys();
    let tokens = Tokens::new(
        Arc::new(keys),
        settings.issuer.clone(),
        settings.user_token_ttl,
        settings.tenant_token_ttl,
    );
    let (user, tenant) = {
        let mut conn = db.conn().expect("conn");
        let user = users::find_by_email(&mut conn, "analyst@acme.com")
            .expect("query")
            .expect("seeded user");
        let tenant = tenants::find_by_slug(&mut conn, "acme-corp")
            .expect("query")
            .expect("seeded tenant");
        (user, tenant)
    };
    let user_id = user.user_id().expect("id").as_uuid();
    let tenant_id = tenant.tenant_id().expect("id");
    let user_token = tokens
        .issue_user(user_id, &user.email, vec![tenant_id.to_string()], 0, &[])
        .expect("user token");
    let claims: UserClaims = tokens.validate(&user_token.token).expect("claims");
    let scoped = tokens
        .issue_tenant(&claims, tenant_id.as_uuid(), Role::Viewer)
        .expect("scoped token");
    let state = AppState::build(settings, db, keys_for_state, None).expect("state");
    let system = actix_web::rt::System::new();
    let scope = system
        .block_on(state.tenancy.scope_from_token(&scoped.token))
        .expect("scope");
    let mut group = c.benchmark_group(format!("warm/{rows}"));
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    for slug in [
        "customer-lifetime-value",
        "risk-analysis",
        "channel-performance",
    ] {
        let before = state.dashboards.computations();
        let cold = system
            .block_on(state.dashboards.charts(&scope, slug, ""))
            .expect("cold charts");
        assert_eq!(
            state.dashboards.computations(),
            before + 1,
            "the first computation is cold"
        );
        let warm = system
            .block_on(state.dashboards.charts(&scope, slug, ""))
            .expect("warm charts");
        assert_eq!(
            state.dashboards.computations(),
            before + 1,
            "the second is served from the cache"
        );
        assert_eq!(cold, warm);
        let parsed: DashboardCharts = serde_json::from_slice(&warm).expect("charts json");
        assert!(!parsed.charts.is_empty());

        group.bench_function(format!("{slug}/cached-response"), |b| {
            b.iter(|| {
                black_box(
                    system
                        .block_on(state.dashboards.charts(&scope, slug, ""))
                        .expect("charts"),
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, warm);
criterion_main!(benches);
