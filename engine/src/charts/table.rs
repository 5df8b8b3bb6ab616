//! Tables: raw rows (sorted, limited) or aggregated groups, as [`TableData`].

use kyros_common::api::dashboards::TableData;
use polars::prelude::DataFrame;
use serde_json::Value;

use super::tidy;
use crate::error::EngineError;
use crate::query::frame_rows;
use crate::spec::ChartSpec;

/// `frame`: the listed columns (row tables) or dimensions then `m0…` (aggregated).
pub fn table(chart: &ChartSpec, frame: &DataFrame) -> Result<TableData, EngineError> {
    let columns = if chart.columns.is_empty() {
        chart
            .dimensions
            .iter()
            .map(|d| header(d))
            .chain(chart.measures.iter().map(|m| m.display_label()))
            .collect()
    } else {
        chart.columns.iter().map(|c| header(c)).collect()
    };
    let rows = frame_rows(frame)?
        .into_iter()
        .map(|row| row.into_iter().map(tidy_cell).collect())
        .collect();
    Ok(TableData { columns, rows })
}

/// `predicted_clv` → `Predicted CLV`, `customer_id` → `Customer ID`.
fn header(column: &str) -> String {
    column
        .split('_')
        .enumerate()
        .map(|(i, word)| match word {
            "id" | "clv" => word.to_uppercase(),
            _ if i == 0 => {
                let mut chars = word.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            }
            _ => word.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn tidy_cell(value: Value) -> Value {
    match value.as_f64() {
        Some(x) if value.is_f64() => {
            serde_json::Number::from_f64(tidy(x)).map_or(Value::Null, Value::Number)
        }
        _ => value,
    }
}

#[cfg(test)]
mod tests {
    use polars::prelude::Column;
    use serde_json::json;

    use super::*;
    use crate::charts::{test_chart, test_frame};

    #[test]
    fn row_tables_show_their_columns_with_readable_headers() {
        let chart = test_chart(
            json!({"id": "c", "title": "C", "kind": "table", "width": 12, "dataset": "customers",
            "columns": ["customer_id", "predicted_clv"]}),
        );
        let frame = test_frame(vec![
            Column::new("customer_id".into(), ["C-1", "C-2"]),
            Column::new("predicted_clv".into(), [1234.5678, 99.0]),
        ]);
        let data = table(&chart, &frame).expect("table");
        assert_eq!(data.columns, vec!["Customer ID", "Predicted CLV"]);
        assert_eq!(
            data.rows,
            vec![
                vec![json!("C-1"), json!(1234.57)],
                vec![json!("C-2"), json!(99.0)]
            ]
        );
    }

    #[test]
    fn aggregated_tables_label_dimensions_and_measures() {
        let chart = test_chart(
            json!({"id": "c", "title": "C", "kind": "table", "width": 12, "dataset": "customers",
            "dimensions": ["channel"], "measures": [{"agg": "count", "label": "Customers"}]}),
        );
        let frame = test_frame(vec![
            Column::new("channel".into(), ["Online"]),
            Column::new("m0".into(), [4.0]),
        ]);
        let data = table(&chart, &frame).expect("table");
        assert_eq!(data.columns, vec!["Channel", "Customers"]);
        assert_eq!(data.rows, vec![vec![json!("Online"), json!(4.0)]]);
    }
}
