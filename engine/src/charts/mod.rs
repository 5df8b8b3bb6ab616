//! Chart builders: the small frames of [`crate::query`] turned into ECharts option
//! JSON with charming (serialised with serde, not charming's `to_string`), KPI
//! values, or table data — one builder per [`ChartKind`].

mod cartesian;
mod frame;
mod heatmap;
mod histogram;
mod kpi;
mod pie;
mod scatter;
mod table;

use charming::component::{Feature, Grid, Legend, LegendType, SaveAsImage, Title, Toolbox};
use charming::element::{TextStyle, Tooltip, Trigger};
use charming::Chart;
use kyros_common::api::dashboards::{ChartKind, ChartPayload};
use polars::prelude::DataFrame;
use serde_json::Value;

pub use cartesian::{area, bar, line, stacked_bar};
pub use heatmap::heatmap;
pub use histogram::histogram;
pub use kpi::{format_value, kpi};
pub use pie::pie;
pub use scatter::scatter;
pub use table::table;

use crate::error::EngineError;
use crate::spec::ChartSpec;

/// Threshold lines to draw on a histogram: `(name, value)`.
pub type Marks = [(String, f64)];

/// The payload of `chart` from its frame (`None` when the tenant has no data file).
pub(crate) fn build(
    chart: &ChartSpec,
    frame: Option<&DataFrame>,
    marks: &Marks,
) -> Result<ChartPayload, EngineError> {
    let Some(frame) = frame.filter(|f| f.height() > 0) else {
        return empty(chart);
    };
    let mut payload = ChartPayload {
        id: chart.id.clone(),
        title: chart.title.clone(),
        kind: chart.kind,
        empty: false,
        option: Value::Null,
        kpi: None,
        table: None,
    };
    match chart.kind {
        ChartKind::Kpi => match kpi(chart, frame)? {
            Some(value) => payload.kpi = Some(value),
            None => return empty(chart),
        },
        ChartKind::Table => payload.table = Some(table(chart, frame)?),
        ChartKind::Bar => payload.option = bar(chart, frame)?,
        ChartKind::StackedBar => payload.option = stacked_bar(chart, frame)?,
        ChartKind::Line => payload.option = line(chart, frame)?,
        ChartKind::Area => payload.option = area(chart, frame)?,
        ChartKind::Pie => payload.option = pie(chart, frame)?,
        ChartKind::Scatter => payload.option = scatter(chart, frame)?,
        ChartKind::Histogram => payload.option = histogram(chart, frame, marks)?,
        ChartKind::Heatmap => payload.option = heatmap(chart, frame)?,
    }
    Ok(payload)
}

/// The payload of a chart with no data: `empty: true` and a valid option that says so.
pub(crate) fn empty(chart: &ChartSpec) -> Result<ChartPayload, EngineError> {
    let option = Chart::new().title(
        Title::new()
            .text("No data")
            .subtext("No rows match the current filters")
            .left("center")
            .top("middle")
            .text_style(TextStyle::new().color("#888").font_size(16)),
    );
    Ok(ChartPayload {
        id: chart.id.clone(),
        title: chart.title.clone(),
        kind: chart.kind,
        empty: true,
        option: to_json(&option)?,
        kpi: None,
        table: None,
    })
}

/// What every drawn chart shares: tooltip, save-as-image and a grid that keeps
/// axis labels inside the card.
fn base(chart: &ChartSpec, trigger: Trigger) -> Chart {
    base_with_grid(
        chart,
        trigger,
        Grid::new()
            .left(16)
            .right(24)
            .top(48)
            .bottom(16)
            .contain_label(true),
    )
}

fn base_with_grid(chart: &ChartSpec, trigger: Trigger, grid: Grid) -> Chart {
    Chart::new()
        .tooltip(Tooltip::new().trigger(trigger))
        .toolbox(
            Toolbox::new()
                .right(8)
                .feature(Feature::new().save_as_image(SaveAsImage::new().name(chart.id.as_str()))),
        )
        .grid(grid)
}

fn legend() -> Legend {
    Legend::new()
        .type_(LegendType::Scroll)
        .top(0)
        .left(8)
        .right(48)
}

fn to_json(chart: &Chart) -> Result<Value, EngineError> {
    Ok(serde_json::to_value(chart)?)
}

/// Rounds for display: 2 decimals, or 4 significant-ish decimals below 1.
pub(crate) fn tidy(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let scale = if x.abs() >= 1.0 { 100.0 } else { 10_000.0 };
    (x * scale).round() / scale
}

/// A chart spec from JSON (unvalidated), for builder tests.
#[cfg(test)]
pub(crate) fn test_chart(json: Value) -> ChartSpec {
    serde_json::from_value(json).expect("chart spec")
}

/// A frame from `(name, values)` columns, for builder tests.
#[cfg(test)]
pub(crate) fn test_frame(columns: Vec<polars::prelude::Column>) -> DataFrame {
    let height = columns.first().map_or(0, |c| c.len());
    DataFrame::new(height, columns).expect("frame")
}

#[cfg(test)]
mod tests {
    use polars::prelude::Column;
    use serde_json::json;

    use super::*;

    #[test]
    fn no_rows_make_an_empty_payload_with_a_no_data_option() {
        let chart = test_chart(
            json!({"id": "c", "title": "C", "kind": "bar", "width": 6, "dataset": "customers"}),
        );
        let empty_frame = test_frame(vec![Column::new("segment".into(), Vec::<String>::new())]);
        for frame in [None, Some(&empty_frame)] {
            let payload = build(&chart, frame, &[]).expect("payload");
            assert!(payload.empty);
            assert_eq!(payload.option["title"][0]["text"], "No data");
        }
    }

    #[test]
    fn every_drawn_chart_offers_save_as_image_and_a_tooltip() {
        let chart = test_chart(
            json!({"id": "c", "title": "C", "kind": "pie", "width": 6, "dataset": "customers",
            "dimensions": ["segment"], "measures": [{"column": "revenue", "agg": "sum"}]}),
        );
        let frame = test_frame(vec![
            Column::new("segment".into(), ["SMB"]),
            Column::new("m0".into(), [1.0]),
        ]);
        let payload = build(&chart, Some(&frame), &[]).expect("payload");
        assert!(!payload.empty);
        assert_eq!(
            payload.option["toolbox"]["feature"]["saveAsImage"]["name"],
            "c"
        );
        assert!(payload.option["tooltip"].is_object());
    }

    #[test]
    fn display_rounding_keeps_small_values_precise() {
        assert_eq!(tidy(1234.5678), 1234.57);
        assert_eq!(tidy(0.123456), 0.1235);
        assert!(tidy(f64::NAN).is_nan());
    }
}
