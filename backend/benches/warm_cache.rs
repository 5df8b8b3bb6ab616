//! Warm (cached) dashboard serving: what a repeated `GET …/charts` costs once every
//! chart of the dashboard is in the `ChartCache` — the cache lookups (keys built from a
//! validated `TenantScope`), the data-version check, the clone of the payloads — and
//! the same plus the per-request dashboard lookup in the metadata database and the JSON
//! encoding of the response body, as the handler does.
//!
//! `cargo bench -p kyros-backend --bench warm_cache` (`KYROS_BENCH_ROWS`, default
//! 100000 rows per dataset; cached serving does not depend on it).

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use criterion::{criterion_group, criterion_main, Criterion};
use kyros::auth::jwt::{Tokens, UserClaims};
use kyros::auth::keys::KeyRing;
use kyros::config::Settings;
use kyros::dashboards::{ChartCache, DashboardService};
use kyros::datagen;
use kyros::metrics::Metrics;
use kyros::ratelimit::Limits;
use kyros::startup::prepare_store;
use kyros::state::AppState;
use kyros::store::{tenants, users};
use kyros::tenancy::cache::{Epoch, EpochCache};
use kyros::tenancy::TenantScope;
use kyros_common::api::dashboards::DashboardCharts;
use kyros_common::api::tenants::Role;
use kyros_engine::Engine;

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
    let keys = KeyRing::load(
        db.clone(),
        settings.signing_key.as_ref(),
        settings.longest_token_ttl(),
    )
    .expect("keys");
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
        .issue_user(user_id, &user.email, vec![tenant_id.to_string()])
        .expect("user token");
    let claims: UserClaims = tokens.validate(&user_token.token).expect("claims");
    let scoped = tokens
        .issue_tenant(&claims, tenant_id.as_uuid(), Role::Viewer)
        .expect("scoped token");
    let epoch = Epoch::new(settings.metadata_cache_ttl);
    let state = web::Data::new(AppState {
        dashboards: DashboardService::new(
            Engine::new(settings.data_dir.clone()),
            ChartCache::new(settings.cache_bytes),
            &epoch,
        ),
        memberships: EpochCache::new(&epoch),
        epoch,
        limits: Limits::new(1000, 1000, Vec::new()),
        metrics: Metrics::new().expect("metrics"),
        dummy_password_hash: String::new(),
        redis: None,
        tokens,
        db,
        settings,
    });

    let system = actix_web::rt::System::new();
    let scope = system
        .block_on(TenantScope::from_token(&state, &scoped.token))
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
        let dashboard = system
            .block_on(state.dashboards.load(&state.db, &scope, slug))
            .expect("dashboard");
        let (filters, _) = state
            .dashboards
            .parse_query(&dashboard, "", &[])
            .expect("filters");
        let (_, cached) = system
            .block_on(state.dashboards.charts(&scope, &dashboard, &filters))
            .expect("cold charts");
        assert!(!cached, "the first computation is cold");
        let (_, cached) = system
            .block_on(state.dashboards.charts(&scope, &dashboard, &filters))
            .expect("warm charts");
        assert!(cached, "the second is served from the cache");

        group.bench_function(format!("{slug}/cache-hit"), |b| {
            b.iter(|| {
                black_box(
                    system
                        .block_on(state.dashboards.charts(&scope, &dashboard, &filters))
                        .expect("charts"),
                )
            })
        });
        group.bench_function(format!("{slug}/lookup+cache-hit+json"), |b| {
            b.iter(|| {
                system.block_on(async {
                    let dashboard = state
                        .dashboards
                        .load(&state.db, &scope, slug)
                        .await
                        .expect("dashboard");
                    let (filters, _) = state
                        .dashboards
                        .parse_query(&dashboard, "", &[])
                        .expect("filters");
                    let (charts, _) = state
                        .dashboards
                        .charts(&scope, &dashboard, &filters)
                        .await
                        .expect("charts");
                    let body = DashboardCharts {
                        dashboard: dashboard.row.slug.clone(),
                        filters: filters.to_state(),
                        charts,
                    };
                    black_box(serde_json::to_vec(&body).expect("json"))
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, warm);
criterion_main!(benches);
