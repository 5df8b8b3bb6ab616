//! The Kyros shell as the tests see it: the element ids and selectors documented in
//! `frontend/README.md` ("Hooks for end-to-end tests"), wrapped as steps — sign in, read
//! the tiles, wait for a dashboard's charts, inspect ECharts instances, KPIs and branding —
//! and the navigation → first chart timing.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::json;

use crate::Browser;

/// The User Timing mark the shell sets when its first chart is drawn
/// (`frontend/src/components/chart.rs`).
pub const FIRST_CHART_MARK: &str = "kyros:first-chart";

impl Browser {
    /// Signs in through the login form (from a fresh load of `/login`).
    pub async fn login(&self, email: &str, password: &str) {
        self.goto("/login").await;
        self.wait_for(
            "the login form",
            "return document.querySelector('#login-form') !== null;",
        )
        .await;
        self.type_into("#email", email).await;
        self.type_into("#password", password).await;
        self.click("#login-submit").await;
    }

    /// Waits for the dashboard list and returns the tiles' slugs, sorted.
    pub async fn dashboard_tiles(&self) -> Vec<String> {
        self.wait_for_path("/dashboards").await;
        let slugs = self
            .wait_for(
                "the dashboard tiles",
                "const tiles = document.querySelectorAll('#dashboard-tiles a.dashboard-tile');
                 return tiles.length > 0 ? Array.from(tiles, t => t.dataset.slug) : null;",
            )
            .await;
        let mut slugs: Vec<String> = serde_json::from_value(slugs).expect("slugs");
        slugs.sort();
        slugs
    }

    /// The app bar's branding: tenant slug, displayed name, `--brand` and the bar colour.
    pub async fn branding(&self) -> Branding {
        let value = self
            .js("const bar = document.querySelector('#app-bar');
                 const name = document.querySelector('#tenant-name');
                 return {
                   slug: bar ? (bar.dataset.tenantSlug || null) : null,
                   name: name ? name.textContent.trim() : null,
                   brand: getComputedStyle(document.documentElement).getPropertyValue('--brand').trim(),
                   background: bar ? getComputedStyle(bar).backgroundColor : null,
                   logo: document.querySelector('#tenant-logo') !== null,
                   switcher: document.querySelector('#tenant-switcher') !== null,
                 };")
            .await;
        serde_json::from_value(value).expect("branding")
    }

    /// Waits until the app bar shows the tenant `slug`.
    pub async fn wait_for_tenant(&self, slug: &str) {
        let script = format!(
            "const bar = document.querySelector('#app-bar');
             return bar !== null && bar.dataset.tenantSlug === {};",
            json!(slug)
        );
        self.wait_for(&format!("the app bar of tenant {slug}"), &script)
            .await;
    }

    /// Waits until the dashboard `slug` shows its charts (spec loaded, charts request
    /// settled, at least one chart card) and returns the number of cards.
    pub async fn wait_for_charts(&self, slug: &str) -> usize {
        let script = format!(
            "const page = document.querySelector('.dashboard-page[data-dashboard-slug=' + JSON.stringify({slug}) + ']');
             const grid = document.querySelector('#charts');
             if (!page || !grid || grid.getAttribute('aria-busy') !== 'false') return null;
             const cards = grid.querySelectorAll('.chart-card').length;
             const spinning = grid.querySelector('.spinner') !== null;
             return cards > 0 && !spinning ? cards : null;",
            slug = json!(slug)
        );
        let cards = self
            .wait_for(&format!("the charts of dashboard {slug}"), &script)
            .await;
        usize::try_from(cards.as_u64().unwrap_or_default()).unwrap_or_default()
    }

    /// Opens a dashboard from the tile list and waits for its charts.
    pub async fn open_dashboard(&self, slug: &str) -> usize {
        self.click(&format!(
            "#dashboard-tiles a.dashboard-tile[data-slug=\"{slug}\"]"
        ))
        .await;
        self.wait_for_path(&format!("/dashboards/{slug}")).await;
        self.wait_for_charts(slug).await
    }

    /// Every ECharts host of the page: its canvas size and the instance's series count.
    pub async fn echarts(&self) -> Vec<EChartReport> {
        let value = self
            .js("return Array.from(document.querySelectorAll('.chart-card div.echart'), el => {
                   const canvas = el.querySelector('canvas');
                   const chart = window.echarts ? echarts.getInstanceByDom(el) : undefined;
                   const option = chart ? chart.getOption() : null;
                   return {
                     id: el.closest('.chart-card').dataset.chartId,
                     width: canvas ? canvas.width : 0,
                     height: canvas ? canvas.height : 0,
                     series: option && Array.isArray(option.series) ? option.series.length : 0,
                     points: option && Array.isArray(option.series)
                       ? option.series.reduce((n, s) => n + (Array.isArray(s.data) ? s.data.length : 0), 0)
                       : 0,
                   };
                 });")
            .await;
        serde_json::from_value(value).expect("echarts report")
    }

    /// Asserts that the page has ECharts charts and that every one is drawn with data.
    pub async fn assert_charts_drawn(&self, context: &str) -> Vec<EChartReport> {
        let charts = self.echarts().await;
        assert!(
            !charts.is_empty(),
            "{context}: no ECharts chart on the page"
        );
        for chart in &charts {
            assert!(
                chart.width > 0 && chart.height > 0,
                "{context}: chart {} has an empty canvas: {chart:?}",
                chart.id
            );
            assert!(
                chart.series > 0 && chart.points > 0,
                "{context}: chart {} has no series data: {chart:?}",
                chart.id
            );
        }
        charts
    }

    /// The KPI cards' displayed values by chart id.
    pub async fn kpis(&self) -> BTreeMap<String, String> {
        let value = self
            .js("const out = {};
                 document.querySelectorAll('.chart-card[data-chart-kind=\"kpi\"]').forEach(card => {
                   const v = card.querySelector('.kpi-value');
                   out[card.dataset.chartId] = v ? v.textContent.trim() : '';
                 });
                 return out;")
            .await;
        serde_json::from_value(value).expect("kpis")
    }

    /// Each ECharts chart's series data as JSON, by chart id.
    pub async fn chart_data(&self) -> BTreeMap<String, String> {
        let value = self
            .js("const out = {};
                 document.querySelectorAll('.chart-card div.echart').forEach(el => {
                   const chart = echarts.getInstanceByDom(el);
                   const series = chart ? chart.getOption().series || [] : [];
                   out[el.closest('.chart-card').dataset.chartId] = JSON.stringify(series.map(s => s.data));
                 });
                 return out;")
            .await;
        serde_json::from_value(value).expect("chart data")
    }

    /// True when the page shows any dashboard data (tiles, chart cards, KPIs, tables).
    pub async fn shows_dashboard_data(&self) -> bool {
        self.js("return document.querySelector('#dashboard-tiles, .chart-card, .kpi-value, table.data-table, .dashboard-page') !== null;")
            .await
            .as_bool()
            .unwrap_or(true)
    }
}

#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Branding {
    pub slug: Option<String>,
    pub name: Option<String>,
    pub brand: String,
    pub background: Option<String>,
    pub logo: bool,
    pub switcher: bool,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct EChartReport {
    pub id: String,
    pub width: u64,
    pub height: u64,
    pub series: u64,
    pub points: u64,
}

/// One full page load of a dashboard, timed by the browser's own clocks: milliseconds
/// since the navigation started (`performance.timeOrigin`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FirstChartRun {
    /// `kyros:first-chart`: the first ECharts chart has been drawn.
    pub first_chart: f64,
    /// The document's `DOMContentLoaded` handlers finished.
    pub dom_content_loaded: f64,
    /// The shell's `.wasm` finished downloading.
    pub wasm_loaded: f64,
    /// `GET /bff/me` answered (who is signed in).
    pub me_answered: f64,
    /// `GET /bff/dashboards/{slug}/charts` answered.
    pub charts_answered: f64,
}

impl Browser {
    /// Loads `/dashboards/{slug}` (a full navigation, HTTP cache cleared first, with the
    /// session of an earlier sign-in), waits for the first-chart mark and then for every
    /// chart, and returns the timings.
    pub async fn time_first_chart(&self, slug: &str) -> FirstChartRun {
        self.cdp("Network.clearBrowserCache", json!({})).await;
        self.goto(&format!("/dashboards/{slug}")).await;
        let script = format!(
            "const mark = performance.getEntriesByName({mark})[0];
             if (!mark) return null;
             const nav = performance.getEntriesByType('navigation')[0];
             const end = test => {{
               const hit = performance.getEntriesByType('resource').find(e => test(new URL(e.name)));
               return hit ? hit.responseEnd : -1;
             }};
             return {{
               first_chart: mark.startTime,
               dom_content_loaded: nav ? nav.domContentLoadedEventEnd : -1,
               wasm_loaded: end(u => u.pathname.endsWith('.wasm')),
               me_answered: end(u => u.pathname === '/bff/me'),
               charts_answered: end(u => u.pathname.startsWith('/bff/dashboards/') && u.pathname.endsWith('/charts')),
             }};",
            mark = json!(FIRST_CHART_MARK)
        );
        let value = self.wait_for("the first-chart mark", &script).await;
        // Let the page settle before anything else navigates.
        self.wait_for_charts(slug).await;
        self.assert_charts_drawn("timed page load").await;
        let field = |name: &str| value[name].as_f64().unwrap_or(f64::NAN);
        FirstChartRun {
            first_chart: field("first_chart"),
            dom_content_loaded: field("dom_content_loaded"),
            wasm_loaded: field("wasm_loaded"),
            me_answered: field("me_answered"),
            charts_answered: field("charts_answered"),
        }
    }

    /// `runs` timed loads of `/dashboards/{slug}` (see [`Browser::time_first_chart`]).
    pub async fn first_chart_report(&self, slug: &str, runs: usize) -> FirstChartReport {
        let mut all = Vec::with_capacity(runs);
        for _ in 0..runs.max(1) {
            all.push(self.time_first_chart(slug).await);
        }
        FirstChartReport {
            slug: slug.to_owned(),
            runs: all,
        }
    }
}

/// Several [`FirstChartRun`]s; `Display` prints medians (and the spread of the headline).
#[derive(Debug, Clone)]
pub struct FirstChartReport {
    pub slug: String,
    pub runs: Vec<FirstChartRun>,
}

impl FirstChartReport {
    /// (median, min, max) of one figure over the runs.
    pub fn stats(&self, figure: impl Fn(&FirstChartRun) -> f64) -> (f64, f64, f64) {
        let mut values: Vec<f64> = self.runs.iter().map(figure).collect();
        values.sort_by(f64::total_cmp);
        match (values.first(), values.last()) {
            (Some(min), Some(max)) => (values[values.len() / 2], *min, *max),
            _ => (f64::NAN, f64::NAN, f64::NAN),
        }
    }
}

impl fmt::Display for FirstChartReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (median, min, max) = self.stats(|r| r.first_chart);
        writeln!(
            f,
            "navigation -> first chart, /dashboards/{} ({} runs, HTTP cache cleared each time): \
             median {median:.0} ms (min {min:.0}, max {max:.0})",
            self.slug,
            self.runs.len()
        )?;
        write!(
            f,
            "  medians since navigation start: DOMContentLoaded {:.0} ms, wasm downloaded {:.0} ms, \
             /bff/me answered {:.0} ms, charts answered {:.0} ms, first chart drawn {median:.0} ms",
            self.stats(|r| r.dom_content_loaded).0,
            self.stats(|r| r.wasm_loaded).0,
            self.stats(|r| r.me_answered).0,
            self.stats(|r| r.charts_answered).0,
        )
    }
}
