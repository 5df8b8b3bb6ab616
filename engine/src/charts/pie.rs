//! Pie (donut) charts: one dimension, one measure.

use charming::element::{Formatter, Label, Tooltip, Trigger};
use charming::series::Pie;
use polars::prelude::DataFrame;
use serde_json::Value;

use super::frame::{labels, numbers};
use super::{base, legend, to_json};
use crate::error::EngineError;
use crate::spec::ChartSpec;

pub fn pie(chart: &ChartSpec, frame: &DataFrame) -> Result<Value, EngineError> {
    let names = labels(
        frame,
        chart
            .dimensions
            .first()
            .map(String::as_str)
            .unwrap_or_default(),
    )?;
    let values = numbers(frame, "m0")?;
    let data: Vec<(f64, String)> = values
        .into_iter()
        .zip(names)
        .filter_map(|(value, name)| value.map(|v| (v, name)))
        .collect();
    let label = chart
        .measures
        .first()
        .map(|m| m.display_label())
        .unwrap_or_default();
    let option = base(chart, Trigger::Item)
        .tooltip(
            Tooltip::new()
                .trigger(Trigger::Item)
                .formatter(Formatter::String("{b}: {c} ({d}%)".into())),
        )
        .legend(legend())
        .series(
            Pie::new()
                .name(label)
                .radius(vec!["40%", "70%"])
                .center(vec!["50%", "55%"])
                .label(Label::new().formatter("{b}\n{d}%"))
                .data(data),
        );
    to_json(&option)
}

#[cfg(test)]
mod tests {
    use polars::prelude::Column;
    use serde_json::json;

    use super::*;
    use crate::charts::{test_chart, test_frame};

    #[test]
    fn pie_slices_are_named_by_the_dimension() {
        let chart = test_chart(
            json!({"id": "c", "title": "C", "kind": "pie", "width": 6, "dataset": "customers",
            "dimensions": ["segment"], "measures": [{"column": "orders", "agg": "sum", "label": "Orders"}]}),
        );
        let frame = test_frame(vec![
            Column::new("segment".into(), ["SMB", "Enterprise"]),
            Column::new("m0".into(), [7.0, 3.0]),
        ]);
        let option = pie(&chart, &frame).expect("option");
        assert_eq!(option["series"][0]["name"], "Orders");
        assert_eq!(
            option["series"][0]["data"],
            json!([{"name": "SMB", "value": 7.0}, {"name": "Enterprise", "value": 3.0}])
        );
        assert_eq!(option["tooltip"]["trigger"], "item");
    }
}
