//! Frame cells as JSON values, for tables and row pages.

use chrono::{Datelike, Days, NaiveDate};
use polars::prelude::*;
use serde_json::Value;

use crate::error::EngineError;

/// The date `days` after 1970-01-01.
pub(crate) fn date_from_days(days: i32) -> NaiveDate {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let offset = Days::new(u64::from(days.unsigned_abs()));
    if days >= 0 {
        epoch.checked_add_days(offset)
    } else {
        epoch.checked_sub_days(offset)
    }
    .unwrap_or(epoch)
}

/// `YYYY-MM` of the date `days` after the epoch.
pub(crate) fn month_label(days: i32) -> String {
    let date = date_from_days(days);
    format!("{:04}-{:02}", date.year(), date.month())
}

/// One cell as JSON: text as strings, numbers as numbers (non-finite → null),
/// dates as `YYYY-MM-DD`.
pub(crate) fn cell_json(value: AnyValue<'_>) -> Value {
    match value {
        AnyValue::Null => Value::Null,
        AnyValue::Boolean(b) => Value::Bool(b),
        AnyValue::String(s) => Value::String(s.to_string()),
        AnyValue::StringOwned(s) => Value::String(s.to_string()),
        AnyValue::Int8(n) => n.into(),
        AnyValue::Int16(n) => n.into(),
        AnyValue::Int32(n) => n.into(),
        AnyValue::Int64(n) => n.into(),
        AnyValue::UInt8(n) => n.into(),
        AnyValue::UInt16(n) => n.into(),
        AnyValue::UInt32(n) => n.into(),
        AnyValue::UInt64(n) => n.into(),
        AnyValue::Float32(x) => float_json(f64::from(x)),
        AnyValue::Float64(x) => float_json(x),
        AnyValue::Date(days) => Value::String(crate::filters::format_date(date_from_days(days))),
        other => Value::String(other.to_string()),
    }
}

fn float_json(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// The rows of a (small) frame, row-major, as JSON.
pub(crate) fn frame_rows(frame: &DataFrame) -> Result<Vec<Vec<Value>>, EngineError> {
    let columns = frame.columns();
    let mut rows = Vec::with_capacity(frame.height());
    for i in 0..frame.height() {
        let mut row = Vec::with_capacity(columns.len());
        for column in columns {
            row.push(cell_json(column.get(i)?));
        }
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip_to_dates_and_month_labels() {
        let date = NaiveDate::from_ymd_opt(2024, 3, 1).expect("date");
        let days = crate::query::days_since_epoch(date);
        assert_eq!(date_from_days(days), date);
        assert_eq!(month_label(days), "2024-03");
        assert_eq!(
            cell_json(AnyValue::Date(days)),
            Value::String("2024-03-01".into())
        );
        assert_eq!(cell_json(AnyValue::Float64(f64::NAN)), Value::Null);
    }
}
