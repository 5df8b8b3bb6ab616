//! A deterministic generator of realistic synthetic tenant data (nothing copied
//! from real data): `customers` for CLV and `exposures` for risk.
//!
//! The same tenant id and [`TenantProfile`] always give the same values: every
//! chunk of rows draws from its own RNG seeded from the tenant seed and the chunk
//! index. Rows are generated and written one Parquet row group at a time, so a
//! 10M-row tenant needs no more memory than one chunk; files are written to a
//! temporary name and renamed into place.

mod customers;
mod exposures;
mod names;
mod profile;
mod writer;

use std::path::Path;

use chrono::NaiveDate;
use uuid::Uuid;

pub use exposures::risk_bucket;
pub use profile::{demo_profile, TenantProfile, DEFAULT_CHUNK_ROWS, DEMO_SEED};
pub use writer::DatasetReport;

use crate::datasets::{CUSTOMERS, DATASETS, EXPOSURES};
use crate::error::EngineError;
use customers::CustomerModel;
use exposures::ExposureModel;

/// What [`generate_tenant`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateReport {
    pub tenant_id: Uuid,
    pub datasets: Vec<DatasetReport>,
}

/// Generates (or regenerates) every dataset of `tenant_id` under
/// `<data_dir>/processed/<tenant_id>/`. Blocking; run it off any async runtime.
pub fn generate_tenant(
    data_dir: &Path,
    tenant_id: Uuid,
    profile: &TenantProfile,
) -> Result<GenerateReport, EngineError> {
    let tenant = tenant_id.as_hyphenated().to_string();
    let prefix = tenant[..6].to_uppercase();
    let chunk_rows = profile.chunk_rows.max(1);

    let customers = CustomerModel::new(&tenant, &prefix, profile);
    let customers_report = writer::write_chunked(
        CUSTOMERS.name,
        &CUSTOMERS.path(data_dir, tenant_id),
        profile.customers_rows,
        chunk_rows,
        |index, start, len| customers.chunk(index, start, len),
    )?;

    let exposures = ExposureModel::new(&tenant, &prefix, profile)?;
    let exposures_report = writer::write_chunked(
        EXPOSURES.name,
        &EXPOSURES.path(data_dir, tenant_id),
        profile.exposures_rows,
        chunk_rows,
        |index, start, len| exposures.chunk(index, start, len),
    )?;

    Ok(GenerateReport {
        tenant_id,
        datasets: vec![customers_report, exposures_report],
    })
}

/// Whether every dataset file of the tenant exists.
pub fn tenant_data_present(data_dir: &Path, tenant_id: Uuid) -> bool {
    DATASETS
        .iter()
        .all(|d| d.path(data_dir, tenant_id).is_file())
}

/// Days since 1970-01-01 of the first day of the month `offset` months after `first`.
fn month_days(first: (i32, u32), offset: usize) -> i32 {
    let months = first.0 * 12 + first.1 as i32 - 1 + offset as i32;
    NaiveDate::from_ymd_opt(months.div_euclid(12), months.rem_euclid(12) as u32 + 1, 1)
        .map(crate::query::days_since_epoch)
        .unwrap_or_default()
}

/// Relative volume per month: compound growth times a yearly cycle peaking at
/// month-of-year `peak` (0 = January of the first year).
fn seasonal_weights(months: usize, growth: f64, peak: usize) -> Vec<f64> {
    (0..months)
        .map(|m| {
            let phase = (m as f64 - peak as f64) / 12.0 * std::f64::consts::TAU;
            (1.0 + growth).powi(m as i32) * (1.0 + 0.25 * phase.cos())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use polars::prelude::*;
    use tempfile::TempDir;

    use super::*;

    const ACME: Uuid = Uuid::from_u128(0xacce_0000_0000_4000_8000_0000_0000_00a1);
    const BETA: Uuid = Uuid::from_u128(0xbe7a_0000_0000_4000_8000_0000_0000_00b2);

    fn small(tenant: Uuid) -> TenantProfile {
        let mut profile = demo_profile(tenant, 2000);
        profile.chunk_rows = 700;
        profile
    }

    fn read(dir: &Path, tenant: Uuid, dataset: &crate::datasets::DatasetDef) -> DataFrame {
        let path = PlRefPath::try_from_path(&dataset.path(dir, tenant)).expect("path");
        LazyFrame::scan_parquet(path, ScanArgsParquet::default())
            .expect("scan")
            .collect()
            .expect("read")
    }

    #[test]
    fn the_same_profile_generates_identical_files() {
        let (a, b) = (TempDir::new().expect("dir"), TempDir::new().expect("dir"));
        generate_tenant(a.path(), ACME, &small(ACME)).expect("generated");
        generate_tenant(b.path(), ACME, &small(ACME)).expect("generated");
        for dataset in DATASETS {
            assert!(read(a.path(), ACME, dataset).equals_missing(&read(b.path(), ACME, dataset)));
            let bytes = |dir: &Path| std::fs::read(dataset.path(dir, ACME)).expect("file");
            assert_eq!(bytes(a.path()), bytes(b.path()), "{}", dataset.name);
        }
    }

    #[test]
    fn two_tenants_get_different_data_each_labelled_with_its_own_id() {
        let dir = TempDir::new().expect("dir");
        let acme = generate_tenant(dir.path(), ACME, &small(ACME)).expect("generated");
        generate_tenant(dir.path(), BETA, &small(BETA)).expect("generated");
        assert_eq!(acme.datasets[0].rows, small(ACME).customers_rows);
        for dataset in DATASETS {
            let (a, b) = (
                read(dir.path(), ACME, dataset),
                read(dir.path(), BETA, dataset),
            );
            assert!(!a.equals_missing(&b));
            for (frame, tenant) in [(a, ACME), (b, BETA)] {
                let ids = frame
                    .column("tenant_id")
                    .expect("column")
                    .str()
                    .expect("text")
                    .clone();
                assert!(ids.iter().all(|id| id == Some(tenant.to_string().as_str())));
            }
        }
    }

    #[test]
    fn rows_are_complete_unique_and_internally_consistent() {
        let dir = TempDir::new().expect("dir");
        let profile = small(ACME);
        generate_tenant(dir.path(), ACME, &profile).expect("generated");
        let customers = read(dir.path(), ACME, &crate::datasets::CUSTOMERS);
        assert_eq!(customers.height(), profile.customers_rows);
        assert_eq!(
            customers
                .column("customer_id")
                .expect("ids")
                .n_unique()
                .expect("unique"),
            customers.height()
        );
        assert!(customers.columns().iter().all(|c| c.null_count() == 0));
        let churn = customers
            .column("churn_probability")
            .expect("churn")
            .f64()
            .expect("f64")
            .clone();
        assert!(churn.into_no_null_iter().all(|p| (0.0..=1.0).contains(&p)));

        let exposures = read(dir.path(), ACME, &crate::datasets::EXPOSURES);
        let scores = exposures
            .column("risk_score")
            .expect("score")
            .f64()
            .expect("f64")
            .clone();
        let buckets = exposures
            .column("risk_bucket")
            .expect("bucket")
            .str()
            .expect("text")
            .clone();
        for (score, bucket) in scores.into_no_null_iter().zip(buckets.iter().flatten()) {
            assert!((0.0..1.0).contains(&score));
            assert_eq!(bucket, risk_bucket(score));
        }
    }

    #[test]
    fn files_appear_atomically_and_presence_is_reported() {
        let dir = TempDir::new().expect("dir");
        assert!(!tenant_data_present(dir.path(), ACME));
        generate_tenant(dir.path(), ACME, &small(ACME)).expect("generated");
        assert!(tenant_data_present(dir.path(), ACME));
        assert!(!tenant_data_present(dir.path(), BETA));
        let leftovers = std::fs::read_dir(crate::datasets::tenant_dir(dir.path(), ACME))
            .expect("dir")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
            .count();
        assert_eq!(leftovers, 0);
    }
}
