//! Validation of the charts of a spec: ids, titles, and every dataset, column and
//! threshold a chart names (kind-specific rules live in `chart_kinds`).

use std::collections::BTreeSet;

use super::model::{Aggregation, ChartSpec, SpecDocument};
use super::validate::{
    check_text, is_identifier, MAX_CHARTS, MAX_DESCRIPTION_CHARS, MAX_LABEL_CHARS, MAX_TITLE_CHARS,
};
use super::SpecError;
use crate::datasets::DatasetDef;

use super::chart_kinds::{validate_options, validate_shape};

pub(super) fn validate_charts(
    doc: &SpecDocument,
    datasets: &[&'static DatasetDef],
) -> Result<(), SpecError> {
    if doc.charts.is_empty() || doc.charts.len() > MAX_CHARTS {
        return Err(SpecError::new(
            "charts",
            format!("must have 1 to {MAX_CHARTS} charts"),
        ));
    }
    let mut ids = BTreeSet::new();
    for (i, chart) in doc.charts.iter().enumerate() {
        let path = format!("charts[{i}]");
        if !is_identifier(&chart.id, 40, true) {
            return Err(SpecError::new(
                format!("{path}.id"),
                "invalid chart id (lowercase letters, digits, '-' and '_', starting with a letter)",
            ));
        }
        if !ids.insert(chart.id.as_str()) {
            return Err(SpecError::new(
                format!("{path}.id"),
                format!("duplicate chart id {:?}", chart.id),
            ));
        }
        validate_chart(&path, chart, doc, datasets)?;
    }
    Ok(())
}

fn validate_chart(
    path: &str,
    chart: &ChartSpec,
    doc: &SpecDocument,
    datasets: &[&'static DatasetDef],
) -> Result<(), SpecError> {
    check_text(
        &format!("{path}.title"),
        &chart.title,
        MAX_TITLE_CHARS,
        true,
    )?;
    check_text(
        &format!("{path}.description"),
        &chart.description,
        MAX_DESCRIPTION_CHARS,
        false,
    )?;
    if !(1..=12).contains(&chart.width) {
        return Err(SpecError::new(
            format!("{path}.width"),
            "must be between 1 and 12",
        ));
    }
    let dataset = datasets
        .iter()
        .copied()
        .find(|d| d.name == chart.dataset)
        .ok_or_else(|| {
            SpecError::new(
                format!("{path}.dataset"),
                format!(
                    "dataset {:?} is not listed in datasets",
                    super::model::truncate(&chart.dataset, 50)
                ),
            )
        })?;
    let err = |field: &str, message: String| SpecError::new(format!("{path}.{field}"), message);

    validate_shape(path, chart)?;
    let mut seen = BTreeSet::new();
    for (j, dim) in chart.dimensions.iter().enumerate() {
        let column = dataset
            .column(dim)
            .ok_or_else(|| err(&format!("dimensions[{j}]"), unknown_column(dataset, dim)))?;
        if !column.is_groupable() {
            return Err(err(
                &format!("dimensions[{j}]"),
                format!("column {dim:?} has too many values to group by"),
            ));
        }
        if !seen.insert(dim) {
            return Err(err(
                &format!("dimensions[{j}]"),
                format!("duplicate dimension {dim:?}"),
            ));
        }
    }
    for (j, measure) in chart.measures.iter().enumerate() {
        let mpath = format!("measures[{j}]");
        if let Some(label) = &measure.label {
            check_text(
                &format!("{path}.{mpath}.label"),
                label,
                MAX_LABEL_CHARS,
                true,
            )?;
        }
        let needs_numeric = !matches!(
            measure.agg,
            Some(Aggregation::Count | Aggregation::CountDistinct)
        );
        match (&measure.column, measure.agg) {
            (None, Some(Aggregation::Count)) => {}
            (None, _) => {
                return Err(err(
                    &format!("{mpath}.column"),
                    "a column is required".into(),
                ))
            }
            (Some(name), _) => {
                let column = dataset.column(name).ok_or_else(|| {
                    err(&format!("{mpath}.column"), unknown_column(dataset, name))
                })?;
                if needs_numeric && !column.ty.is_numeric() {
                    return Err(err(
                        &format!("{mpath}.column"),
                        format!("column {name:?} is not numeric"),
                    ));
                }
            }
        }
        match (measure.agg, &measure.threshold) {
            (Some(Aggregation::ShareAbove), None) => {
                return Err(err(
                    &format!("{mpath}.threshold"),
                    "share_above needs a threshold".into(),
                ))
            }
            (Some(Aggregation::ShareAbove), Some(name)) => {
                check_threshold(doc, &format!("{path}.{mpath}.threshold"), name)?
            }
            (_, Some(_)) => {
                return Err(err(
                    &format!("{mpath}.threshold"),
                    "only share_above takes a threshold".into(),
                ))
            }
            _ => {}
        }
    }
    let mut seen = BTreeSet::new();
    for (j, name) in chart.columns.iter().enumerate() {
        dataset
            .column(name)
            .ok_or_else(|| err(&format!("columns[{j}]"), unknown_column(dataset, name)))?;
        if !seen.insert(name) {
            return Err(err(
                &format!("columns[{j}]"),
                format!("duplicate column {name:?}"),
            ));
        }
    }
    validate_options(path, chart, doc, dataset)
}

pub(super) fn unknown_column(dataset: &DatasetDef, name: &str) -> String {
    format!(
        "unknown column {:?} for dataset {:?}",
        super::model::truncate(name, 50),
        dataset.name
    )
}

pub(super) fn check_threshold(doc: &SpecDocument, path: &str, name: &str) -> Result<(), SpecError> {
    if doc.thresholds.contains_key(name) {
        Ok(())
    } else {
        Err(SpecError::new(
            path,
            format!(
                "threshold {:?} is not declared in thresholds",
                super::model::truncate(name, 50)
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::spec::error_after;

    #[test]
    fn an_unknown_aggregation_is_named_with_its_path() {
        let err = error_after(|v| v["charts"][2]["measures"][0]["agg"] = json!("median2"));
        assert_eq!(err.path, "charts[2].measures[0].agg");
        assert!(
            err.to_string()
                .starts_with("charts[2].measures[0].agg: unknown aggregation \"median2\""),
            "{err}"
        );
    }

    #[test]
    fn unknown_fields_are_rejected_where_they_appear() {
        let err = error_after(|v| v["charts"][1]["colour"] = json!("red"));
        assert_eq!(err.path, "charts[1].colour");
        let err = error_after(|v| v["surprise"] = json!(1));
        assert_eq!(err.path, "surprise");
    }

    #[test]
    fn unknown_columns_for_the_dataset_are_rejected() {
        let err = error_after(|v| v["charts"][4]["dimensions"][1] = json!("segment"));
        assert_eq!(err.path, "charts[4].dimensions[1]");
        assert!(err
            .message
            .contains("unknown column \"segment\" for dataset \"exposures\""));
        let err = error_after(|v| v["charts"][0]["measures"][0]["column"] = json!("password"));
        assert_eq!(err.path, "charts[0].measures[0].column");
    }

    #[test]
    fn duplicate_or_malformed_chart_ids_are_rejected() {
        let err = error_after(|v| v["charts"][1]["id"] = json!("total-exposure"));
        assert_eq!(err.path, "charts[1].id");
        assert!(err.message.contains("duplicate"));
        assert_eq!(
            error_after(|v| v["charts"][1]["id"] = json!("Bad Id")).path,
            "charts[1].id"
        );
    }

    #[test]
    fn too_many_charts_are_rejected() {
        let err = error_after(|v| {
            let first = v["charts"][0].clone();
            let charts = v["charts"].as_array_mut().expect("array");
            for i in 0..40 {
                let mut chart = first.clone();
                chart["id"] = json!(format!("extra-{i}"));
                charts.push(chart);
            }
        });
        assert_eq!(err.path, "charts");
    }

    #[test]
    fn thresholds_must_be_declared_before_use() {
        let err =
            error_after(|v| v["charts"][3]["measures"][0]["threshold"] = json!("risk_extreme"));
        assert_eq!(err.path, "charts[3].measures[0].threshold");
        let err = error_after(|v| v["charts"][6]["mark_thresholds"][0] = json!("nope"));
        assert_eq!(err.path, "charts[6].mark_thresholds[0]");
        let err = error_after(|v| v["charts"][9]["only_above"]["threshold"] = json!("nope"));
        assert_eq!(err.path, "charts[9].only_above.threshold");
    }
}
