//! The engine end to end: a small generated tenant in a temporary directory, every
//! shipped dashboard computed, filtered, paged and exported.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use kyros_common::api::dashboards::{ChartKind, ChartPayload, FilterSelection, FilterState};
use kyros_engine::{
    demo_profile, generate_tenant, parse_filters, DashboardSpec, Engine, EngineError, Filters,
    Thresholds, BUILTIN_SPECS,
};
use tempfile::TempDir;
use uuid::Uuid;

const TENANT: Uuid = Uuid::from_u128(0x5eed_0000_0000_4000_8000_0000_0000_0001);
const NEIGHBOUR: Uuid = Uuid::from_u128(0x5eed_0000_0000_4000_8000_0000_0000_0002);

/// One generated tenant shared by every test (generation is the slow part).
fn fixture() -> &'static (TempDir, Engine) {
    static FIXTURE: OnceLock<(TempDir, Engine)> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = TempDir::new().expect("temp dir");
        let mut profile = demo_profile(TENANT, 3000);
        profile.chunk_rows = 1024; // several row groups, like a big tenant
        generate_tenant(dir.path(), TENANT, &profile).expect("generated");
        generate_tenant(dir.path(), NEIGHBOUR, &demo_profile(NEIGHBOUR, 500)).expect("generated");
        let engine = Engine::new(dir.path());
        (dir, engine)
    })
}

fn spec(slug: &str) -> DashboardSpec {
    let (_, _, _, json) = BUILTIN_SPECS
        .iter()
        .find(|s| s.0 == slug)
        .expect("built-in spec");
    DashboardSpec::from_json(slug, json).expect("valid spec")
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn charts(slug: &str, query: &[(&str, &str)]) -> Vec<ChartPayload> {
    let (_, engine) = fixture();
    let spec = spec(slug);
    let filters = parse_filters(&spec, &pairs(query)).expect("valid filters");
    engine
        .dashboard_charts(TENANT, &spec, &filters, &Thresholds::from_spec(&spec))
        .expect("charts")
}

fn by_id<'a>(charts: &'a [ChartPayload], id: &str) -> &'a ChartPayload {
    charts.iter().find(|c| c.id == id).expect("chart present")
}

#[test]
fn every_chart_of_every_shipped_dashboard_has_data() {
    for (slug, ..) in BUILTIN_SPECS {
        let payloads = charts(slug, &[]);
        assert_eq!(payloads.len(), spec(slug).charts().len());
        for chart in &payloads {
            assert!(!chart.empty, "{slug}/{} is empty", chart.id);
            match chart.kind {
                ChartKind::Kpi => assert!(chart.kpi.is_some(), "{}", chart.id),
                ChartKind::Table => assert!(!chart.table.as_ref().expect("table").rows.is_empty()),
                _ => assert!(
                    chart.option["series"]
                        .as_array()
                        .is_some_and(|s| !s.is_empty()),
                    "{}",
                    chart.id
                ),
            }
        }
    }
}

#[test]
fn a_filter_changes_the_numbers() {
    let all = charts("customer-lifetime-value", &[]);
    let smb = charts("customer-lifetime-value", &[("segment", "SMB")]);
    let count = |c: &[ChartPayload]| by_id(c, "customers").kpi.as_ref().expect("kpi").value;
    assert!(count(&smb) > 0.0);
    assert!(count(&smb) < count(&all));
    let stacked = by_id(&smb, "revenue-by-segment-region");
    assert_eq!(stacked.option["xAxis"]["data"], serde_json::json!(["SMB"]));
}

#[test]
fn range_filters_restrict_dates_and_scores() {
    let recent = charts(
        "risk-analysis",
        &[("earn_month_from", "2024-07"), ("risk_score_from", "0.8")],
    );
    let months = by_id(&recent, "exposure-by-bucket").option["xAxis"]["data"].clone();
    let months: Vec<&str> = months
        .as_array()
        .expect("categories")
        .iter()
        .filter_map(|m| m.as_str())
        .collect();
    assert!(!months.is_empty());
    assert!(months.iter().all(|m| *m >= "2024-07"), "{months:?}");
    let share = by_id(&recent, "critical-share")
        .kpi
        .as_ref()
        .expect("kpi")
        .value;
    assert!(
        (share - 1.0).abs() < 1e-9,
        "every remaining score is critical: {share}"
    );
}

#[test]
fn a_tenant_without_files_gets_empty_charts_not_errors() {
    let (_, engine) = fixture();
    let spec = spec("risk-analysis");
    let payloads = engine
        .dashboard_charts(
            Uuid::from_u128(42),
            &spec,
            &Filters::none(),
            &Thresholds::from_spec(&spec),
        )
        .expect("charts");
    assert!(payloads
        .iter()
        .all(|c| c.empty && c.option["title"][0]["text"] == "No data"));
}

#[test]
fn one_chart_equals_the_same_chart_of_the_whole_dashboard() {
    let (_, engine) = fixture();
    let spec = spec("risk-analysis");
    let thresholds = Thresholds::from_spec(&spec);
    let filters = parse_filters(&spec, &pairs(&[("region", "EMEA")])).expect("filters");
    let all = engine
        .dashboard_charts(TENANT, &spec, &filters, &thresholds)
        .expect("charts");
    for payload in &all {
        let one = engine
            .chart(TENANT, &spec, &payload.id, &filters, &thresholds)
            .expect("chart");
        assert_eq!(&one, payload);
    }
    assert!(matches!(
        engine.chart(TENANT, &spec, "nope", &filters, &thresholds),
        Err(EngineError::UnknownChart(_))
    ));
}

#[test]
fn tenant_threshold_overrides_change_threshold_charts() {
    let (_, engine) = fixture();
    let spec = spec("risk-analysis");
    let defaults = Thresholds::from_spec(&spec);
    let stricter = defaults
        .clone()
        .with_overrides(&BTreeMap::from([("risk_critical".to_string(), 0.9)]));
    let share = |t: &Thresholds| {
        engine
            .chart(TENANT, &spec, "critical-share", &Filters::none(), t)
            .expect("chart")
            .kpi
            .expect("kpi")
            .value
    };
    assert!(share(&stricter) < share(&defaults));
}

#[test]
fn rows_page_through_the_filtered_dataset_with_cursors() {
    let (_, engine) = fixture();
    let spec = spec("risk-analysis");
    let filters = parse_filters(&spec, &pairs(&[("region", "APAC")])).expect("filters");
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = engine
            .rows(TENANT, &spec, &filters, 250, cursor.as_deref())
            .expect("page");
        assert_eq!(page.dataset, "exposures");
        let region = page
            .columns
            .iter()
            .position(|c| c == "region")
            .expect("region column");
        let tenant = page
            .columns
            .iter()
            .position(|c| c == "tenant_id")
            .expect("tenant column");
        for row in &page.rows {
            assert_eq!(row[region], "APAC");
            assert_eq!(row[tenant], TENANT.to_string());
        }
        seen.extend(page.rows);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let total = engine
        .chart(
            TENANT,
            &spec,
            "total-exposure",
            &filters,
            &Thresholds::from_spec(&spec),
        )
        .expect("kpi");
    assert!(!seen.is_empty() && !total.empty);
    let other = parse_filters(&spec, &pairs(&[("region", "EMEA")])).expect("filters");
    let first = engine
        .rows(TENANT, &spec, &filters, 10, None)
        .expect("page");
    let foreign = engine.rows(TENANT, &spec, &other, 10, first.next_cursor.as_deref());
    assert!(matches!(foreign, Err(EngineError::BadRequest(_))));
    assert!(matches!(
        engine.rows(TENANT, &spec, &filters, 10, Some("garbage")),
        Err(EngineError::BadRequest(_))
    ));
    assert_eq!(
        engine
            .rows(TENANT, &spec, &filters, 1_000_000, None)
            .expect("page")
            .rows
            .len()
            .min(1001),
        1000.min(seen.len())
    );
}

#[test]
fn csv_export_streams_the_charts_filtered_rows() {
    let (_, engine) = fixture();
    let spec = spec("risk-analysis");
    let filters = parse_filters(&spec, &pairs(&[("transaction_type", "Fee")])).expect("filters");
    let mut out = Vec::new();
    let rows = engine
        .export_chart_csv(
            TENANT,
            &spec,
            "critical-accounts",
            &filters,
            &Thresholds::from_spec(&spec),
            &mut out,
        )
        .expect("export");
    let text = String::from_utf8(out).expect("utf8");
    let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
    let header = lines.next().expect("header");
    assert!(header.starts_with("tenant_id,account_id,transaction_type,earn_month,risk_score"));
    let body: Vec<&str> = lines.collect();
    assert_eq!(body.len() as u64, rows);
    assert!(rows > 0);
    for line in body {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[0], TENANT.to_string());
        assert_eq!(cells[2], "Fee");
        assert!(
            cells[4].parse::<f64>().expect("score") >= 0.8,
            "only_above applies: {line}"
        );
    }
}

#[test]
fn data_version_tracks_the_file() {
    let (_, engine) = fixture();
    assert!(engine.data_version(TENANT, "customers").is_some());
    assert_eq!(engine.data_version(TENANT, "../customers"), None);
    assert_eq!(engine.data_version(Uuid::from_u128(7), "customers"), None);
}

#[test]
fn saved_state_and_query_pairs_give_the_same_filters() {
    let spec = spec("customer-lifetime-value");
    let mut state = FilterState::default();
    state.0.insert(
        "region".into(),
        FilterSelection::Values(vec!["LATAM".into(), "EMEA".into()]),
    );
    state.0.insert(
        "cohort".into(),
        FilterSelection::Range {
            from: Some("2023-01".into()),
            to: None,
        },
    );
    let from_state = Filters::from_state(&spec, &state).expect("valid state");
    let from_query = parse_filters(&spec, &state.to_query_pairs()).expect("valid query");
    assert_eq!(from_state, from_query);
    assert_eq!(from_state.cache_key(), from_query.cache_key());
}

#[test]
fn each_tenant_sees_only_its_own_rows() {
    let (_, engine) = fixture();
    let spec = spec("customer-lifetime-value");
    for tenant in [TENANT, NEIGHBOUR] {
        let page = engine
            .rows(tenant, &spec, &Filters::none(), 1000, None)
            .expect("page");
        assert!(!page.rows.is_empty());
        assert!(page.rows.iter().all(|row| row[0] == tenant.to_string()));
    }
    let count = |tenant| {
        engine
            .chart(
                tenant,
                &spec,
                "customers",
                &Filters::none(),
                &Thresholds::from_spec(&spec),
            )
            .expect("kpi")
            .kpi
            .expect("value")
            .value
    };
    assert_ne!(count(TENANT), count(NEIGHBOUR));
}

#[test]
fn a_tenant_without_files_pages_and_exports_nothing() {
    let (_, engine) = fixture();
    let spec = spec("risk-analysis");
    let nobody = Uuid::from_u128(99);
    let page = engine
        .rows(nobody, &spec, &Filters::none(), 10, None)
        .expect("page");
    assert!(page.rows.is_empty() && page.next_cursor.is_none());
    assert_eq!(page.columns[0], "tenant_id");
    let mut out = Vec::new();
    let rows = engine
        .export_chart_csv(
            nobody,
            &spec,
            "critical-accounts",
            &Filters::none(),
            &Thresholds::from_spec(&spec),
            &mut out,
        )
        .expect("export");
    assert_eq!(rows, 0);
    assert!(String::from_utf8(out)
        .expect("utf8")
        .starts_with("tenant_id,"));
}

/// Filter combinations touching every kind of filter of every shipped dashboard.
fn filter_cases() -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    let mut cases = Vec::new();
    for (slug, _, _, _) in BUILTIN_SPECS {
        cases.push((*slug, vec![]));
    }
    cases.push((
        "customer-lifetime-value",
        vec![
            ("segment", "SMB"),
            ("segment", "Enterprise"),
            ("region", "EMEA"),
            ("cohort_from", "2023-01"),
            ("cohort_to", "2024-06"),
        ],
    ));
    cases.push(("customer-lifetime-value", vec![("channel", "Partner")]));
    cases.push(("channel-performance", vec![("cohort_from", "")]));
    cases.push((
        "channel-performance",
        vec![("channel", "Online"), ("segment", "Consumer")],
    ));
    cases.push((
        "risk-analysis",
        vec![
            ("transaction_type", "Purchase"),
            ("transaction_type", "Refund"),
            ("risk_score_from", "0.3"),
            ("risk_score_to", "0.9"),
            ("earn_month_from", "2024-01"),
        ],
    ));
    cases.push((
        "risk-analysis",
        vec![("region", "APAC"), ("region", "LATAM")],
    ));
    cases
}

#[test]
fn resident_data_gives_the_same_charts_as_scanning_the_files() {
    let (dir, resident) = fixture();
    let scanning = Engine::with_resident_budget(dir.path(), 0);
    for (slug, query) in filter_cases() {
        let spec = spec(slug);
        let filters = parse_filters(&spec, &pairs(&query)).expect("valid filters");
        let thresholds = Thresholds::from_spec(&spec);
        let compute = |engine: &Engine| {
            serde_json::to_value(
                engine
                    .dashboard_charts(TENANT, &spec, &filters, &thresholds)
                    .expect("charts"),
            )
            .expect("json")
        };
        let from_files = compute(&scanning);
        assert_eq!(compute(resident), from_files, "{slug} {query:?} (resident)");
        assert_eq!(compute(resident), from_files, "{slug} {query:?} (again)");
    }
    assert!(
        resident.resident_bytes() > 0,
        "the tenant's data stayed in memory"
    );
    assert_eq!(scanning.resident_bytes(), 0, "a zero budget keeps nothing");
}

#[test]
fn resident_data_follows_a_rewritten_file_and_stays_within_its_budget() {
    let dir = TempDir::new().expect("temp dir");
    let tenant = Uuid::from_u128(0x5eed_0000_0000_4000_8000_0000_0000_0003);
    generate_tenant(dir.path(), tenant, &demo_profile(tenant, 400)).expect("generated");
    let engine = Engine::with_resident_budget(dir.path(), 64 * 1024 * 1024);
    let spec = spec("customer-lifetime-value");
    let thresholds = Thresholds::from_spec(&spec);
    let customers = || {
        engine
            .chart(tenant, &spec, "customers", &Filters::none(), &thresholds)
            .expect("kpi")
            .kpi
            .expect("value")
            .value
    };
    let before = customers();
    let loaded = engine.resident_bytes();
    assert!(loaded > 0 && loaded <= 64 * 1024 * 1024, "{loaded} bytes");

    // New data (another size): a new file version, so the resident copy is not used.
    std::thread::sleep(std::time::Duration::from_millis(20));
    generate_tenant(dir.path(), tenant, &demo_profile(tenant, 900)).expect("regenerated");
    let after = customers();
    assert_ne!(before, after, "the rewritten file is read again");
    let scanning = Engine::with_resident_budget(dir.path(), 0);
    let fresh = scanning
        .chart(tenant, &spec, "customers", &Filters::none(), &thresholds)
        .expect("kpi")
        .kpi
        .expect("value")
        .value;
    assert_eq!(after, fresh);

    // Removed data: "no data", never the resident copy of the old file.
    std::fs::remove_dir_all(dir.path().join("processed")).expect("removed");
    let chart = engine
        .chart(tenant, &spec, "customers", &Filters::none(), &thresholds)
        .expect("empty chart");
    assert!(chart.empty, "a tenant whose files are gone has no data");

    // A budget smaller than one frame keeps nothing, and still answers.
    let tiny = Engine::with_resident_budget(dir.path(), 1024);
    generate_tenant(dir.path(), tenant, &demo_profile(tenant, 400)).expect("generated");
    tiny.prefetch(tenant).expect("prefetch");
    assert!(tiny.resident_bytes() <= 1024, "{}", tiny.resident_bytes());
    assert_eq!(
        tiny.chart(tenant, &spec, "customers", &Filters::none(), &thresholds)
            .expect("kpi")
            .kpi
            .expect("value")
            .value,
        before
    );
}
