//! KPI cards: one aggregated value, formatted for reading at a glance.

use kyros_common::api::dashboards::KpiValue;
use polars::prelude::DataFrame;

use super::frame::numbers;
use crate::error::EngineError;
use crate::spec::{ChartSpec, ValueFormat};

/// `frame`: `m0` and `rows` (one row). `None` when no rows were aggregated or the
/// value is undefined (e.g. an average of nothing).
pub fn kpi(chart: &ChartSpec, frame: &DataFrame) -> Result<Option<KpiValue>, EngineError> {
    let rows = numbers(frame, "rows")?
        .first()
        .copied()
        .flatten()
        .unwrap_or(0.0);
    let value = numbers(frame, "m0")?.first().copied().flatten();
    let (true, Some(value)) = (rows > 0.0, value) else {
        return Ok(None);
    };
    let label = chart
        .measures
        .first()
        .map(|m| m.display_label())
        .unwrap_or_default();
    Ok(Some(KpiValue {
        value,
        formatted: format_value(value, chart.format.unwrap_or(ValueFormat::Decimal)),
        label,
    }))
}

/// `12,345` · `1,234.57` · `$1.23M` / `$845.2K` / `$950` · `23.4%` (from a 0–1 share).
pub fn format_value(value: f64, format: ValueFormat) -> String {
    match format {
        ValueFormat::Integer => group_thousands(&format!("{:.0}", value.round())),
        ValueFormat::Decimal => group_thousands(&format!("{value:.2}")),
        ValueFormat::Percent => format!("{:.1}%", value * 100.0),
        ValueFormat::Currency => {
            let sign = if value < 0.0 { "-" } else { "" };
            let abs = value.abs();
            let body = match abs {
                a if a >= 1e9 => format!("{:.2}B", a / 1e9),
                a if a >= 1e6 => format!("{:.2}M", a / 1e6),
                a if a >= 1e4 => format!("{:.1}K", a / 1e3),
                a => group_thousands(&format!("{a:.0}")),
            };
            format!("{sign}${body}")
        }
    }
}

/// Inserts `,` every three digits of the integer part of a plain decimal string.
fn group_thousands(text: &str) -> String {
    let (sign, digits) = text
        .strip_prefix('-')
        .map_or(("", text), |rest| ("-", rest));
    let (int_part, frac) = digits
        .split_once('.')
        .map_or((digits, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::with_capacity(int_part.len() + int_part.len() / 3);
    for (i, ch) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    match frac {
        Some(frac) => format!("{sign}{grouped}.{frac}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use polars::prelude::Column;
    use serde_json::json;

    use super::*;
    use crate::charts::{test_chart, test_frame};

    #[test]
    fn values_are_formatted_for_their_kind() {
        assert_eq!(format_value(1_234_567.0, ValueFormat::Integer), "1,234,567");
        assert_eq!(format_value(-1234.567, ValueFormat::Decimal), "-1,234.57");
        assert_eq!(format_value(0.2345, ValueFormat::Percent), "23.4%");
        assert_eq!(format_value(1_234_567.0, ValueFormat::Currency), "$1.23M");
        assert_eq!(format_value(45_200.0, ValueFormat::Currency), "$45.2K");
        assert_eq!(format_value(950.4, ValueFormat::Currency), "$950");
        assert_eq!(format_value(2.5e9, ValueFormat::Currency), "$2.50B");
    }

    #[test]
    fn a_kpi_carries_value_label_and_formatting() {
        let chart = test_chart(
            json!({"id": "c", "title": "C", "kind": "kpi", "width": 3, "dataset": "customers",
            "measures": [{"column": "revenue", "agg": "sum", "label": "Revenue"}], "format": "currency"}),
        );
        let frame = test_frame(vec![
            Column::new("m0".into(), [12_500.0]),
            Column::new("rows".into(), [3.0]),
        ]);
        let value = kpi(&chart, &frame).expect("kpi").expect("value");
        assert_eq!(
            (value.value, value.formatted.as_str(), value.label.as_str()),
            (12_500.0, "$12.5K", "Revenue")
        );
        let nothing = test_frame(vec![
            Column::new("m0".into(), [None::<f64>]),
            Column::new("rows".into(), [0.0]),
        ]);
        assert_eq!(kpi(&chart, &nothing).expect("kpi"), None);
    }
}
