//! Cold dashboard evaluation: every shipped dashboard over a generated tenant of
//! 100k and 1M rows per dataset. "Cold" means no result cache: every iteration computes
//! every chart again. Two cases per dashboard:
//! - `<slug>`: the tenant's data is resident (decoded in memory by an earlier
//!   computation of any dashboard over it): what a chart-cache miss costs — new
//!   filters, a changed spec or threshold, an evicted result;
//! - `<slug>/first-touch`: nothing resident, each iteration decodes the Parquet files
//!   (the OS page cache is warm, as on a server): the first computation after a start
//!   or a new data version.
//!
//! `cargo bench -p kyros-engine` (add `-- 1000000` to run only the 1M group).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use kyros_engine::{
    demo_profile, generate_tenant, parse_filters, DashboardSpec, Engine, Thresholds, BUILTIN_SPECS,
};
use tempfile::TempDir;
use uuid::Uuid;

const TENANT: Uuid = Uuid::from_u128(0xbe4c_0000_0000_4000_8000_0000_0000_0001);

fn dashboards(c: &mut Criterion) {
    for rows in [100_000usize, 1_000_000] {
        let dir = TempDir::new().expect("temp dir");
        let mut profile = demo_profile(TENANT, rows);
        profile.customers_rows = rows;
        profile.exposures_rows = rows;
        let started = Instant::now();
        let report = generate_tenant(dir.path(), TENANT, &profile).expect("generated");
        let bytes: u64 = report.datasets.iter().map(|d| d.bytes).sum();
        eprintln!(
            "generated 2 x {rows} rows ({:.1} MB of Parquet) in {:.2?}",
            bytes as f64 / 1e6,
            started.elapsed()
        );
        let engine = Engine::new(dir.path());

        let mut group = c.benchmark_group(format!("dashboard_charts/{rows}"));
        group
            .sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(5));
        for (slug, _, _, json) in BUILTIN_SPECS {
            let spec = DashboardSpec::from_json(slug, json).expect("valid spec");
            let thresholds = Thresholds::from_spec(&spec);
            let unfiltered = parse_filters(&spec, &[]).expect("filters");
            let compute = || {
                engine
                    .dashboard_charts(TENANT, &spec, &unfiltered, &thresholds)
                    .expect("charts")
            };
            group.bench_function(*slug, |b| b.iter(|| black_box(compute())));
            group.bench_function(format!("{slug}/first-touch"), |b| {
                b.iter(|| {
                    engine.drop_resident();
                    black_box(compute())
                })
            });
        }
        let spec =
            DashboardSpec::from_json(BUILTIN_SPECS[0].0, BUILTIN_SPECS[0].3).expect("valid spec");
        let thresholds = Thresholds::from_spec(&spec);
        let query: Vec<(String, String)> = [
            ("segment", "SMB"),
            ("segment", "Enterprise"),
            ("cohort_from", "2023-01"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let filtered = parse_filters(&spec, &query).expect("filters");
        group.bench_function("customer-lifetime-value/filtered", |b| {
            b.iter(|| {
                black_box(
                    engine
                        .dashboard_charts(TENANT, &spec, &filtered, &thresholds)
                        .expect("charts"),
                )
            })
        });
        group.bench_function("customer-lifetime-value/one-chart", |b| {
            b.iter(|| {
                black_box(
                    engine
                        .chart(
                            TENANT,
                            &spec,
                            "revenue-by-segment-region",
                            &filtered,
                            &thresholds,
                        )
                        .expect("chart"),
                )
            })
        });
        group.finish();
    }
}

criterion_group!(benches, dashboards);
criterion_main!(benches);
