//! CSV export of a chart's filtered rows, streamed batch by batch.

use std::io::Write;

use polars::prelude::*;
use uuid::Uuid;

use crate::error::EngineError;
use crate::filters::{format_date, Filters};
use crate::generate::DEFAULT_CHUNK_ROWS;
use crate::query::{chart_predicate, filter_predicate, scan};
use crate::spec::DashboardSpec;
use crate::thresholds::Thresholds;
use crate::Engine;

impl Engine {
    /// Writes the rows behind `chart_id` — its dataset, restricted by the filters
    /// and the chart's own row condition — as CSV with a header, and returns the
    /// number of data rows. The file is read one row group at a time, so memory
    /// stays bounded however large the export.
    pub fn export_chart_csv(
        &self,
        tenant_id: Uuid,
        spec: &DashboardSpec,
        chart_id: &str,
        filters: &Filters,
        thresholds: &Thresholds,
        out: &mut dyn Write,
    ) -> Result<u64, EngineError> {
        let chart = spec.chart(chart_id).ok_or_else(|| {
            EngineError::UnknownChart(crate::spec::truncate_for_message(chart_id))
        })?;
        let dataset = spec.chart_dataset(chart)?;
        let names = dataset.column_names();
        write_record(out, names.iter().map(|n| n.to_string()))?;
        let filter = filter_predicate(spec, filters, dataset)?;
        let own = chart_predicate(spec, chart, thresholds)?;
        let predicate = match (filter, own) {
            (Some(a), Some(b)) => Some(a.and(b)),
            (a, b) => a.or(b),
        };
        let Some(lf) = scan(&dataset.path(&self.data_dir, tenant_id))? else {
            return Ok(0);
        };
        let total = lf.clone().select([len().alias("n")]).collect()?;
        let total = total.column("n")?.get(0)?.extract::<u64>().unwrap_or(0);
        let columns: Vec<Expr> = names.iter().map(|n| col(*n)).collect();
        let batch = DEFAULT_CHUNK_ROWS as u64;
        let mut written = 0u64;
        let mut offset = 0u64;
        while offset < total {
            // Slice the raw file first (pushed into the scan), then filter.
            let mut part = lf.clone().slice(offset as i64, batch as IdxSize);
            if let Some(predicate) = &predicate {
                part = part.filter(predicate.clone());
            }
            let frame = part.select(columns.clone()).collect()?;
            written += write_frame(out, &frame)?;
            offset += batch;
        }
        out.flush()?;
        Ok(written)
    }
}

fn write_frame(out: &mut dyn Write, frame: &DataFrame) -> Result<u64, EngineError> {
    let cells: Vec<Vec<String>> = frame
        .columns()
        .iter()
        .map(column_cells)
        .collect::<Result<_, _>>()?;
    for row in 0..frame.height() {
        write_record(out, cells.iter().map(|column| column[row].clone()))?;
    }
    Ok(frame.height() as u64)
}

/// One column as CSV cell text: numbers plain, dates `YYYY-MM-DD`, nulls empty.
fn column_cells(column: &Column) -> Result<Vec<String>, EngineError> {
    let text = |v: Option<String>| v.unwrap_or_default();
    Ok(match column.dtype() {
        DataType::String => column
            .str()?
            .iter()
            .map(|v| v.map(guard_formula))
            .map(text)
            .collect(),
        DataType::Date => column
            .date()?
            .physical()
            .iter()
            .map(|d| d.map(|d| format_date(crate::query::date_from_days(d))))
            .map(text)
            .collect(),
        DataType::Int64 => column
            .i64()?
            .iter()
            .map(|v| v.map(|v| v.to_string()))
            .map(text)
            .collect(),
        DataType::Float64 => column
            .f64()?
            .iter()
            .map(|v| v.filter(|v| v.is_finite()).map(|v| v.to_string()))
            .map(text)
            .collect(),
        _ => column
            .cast(&DataType::String)?
            .str()?
            .iter()
            .map(|v| v.map(String::from))
            .map(text)
            .collect(),
    })
}

/// Text that a spreadsheet would run as a formula gets a leading `'`.
fn guard_formula(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    }
}

/// One CSV record (RFC 4180): fields with `,`, `"`, CR or LF are quoted, quotes doubled.
fn write_record(
    out: &mut dyn Write,
    fields: impl Iterator<Item = String>,
) -> Result<(), EngineError> {
    let mut line = String::new();
    for (i, field) in fields.enumerate() {
        if i > 0 {
            line.push(',');
        }
        if field.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&field.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(&field);
        }
    }
    line.push_str("\r\n");
    out.write_all(line.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_when_needed_and_formulas_defused() {
        let mut out = Vec::new();
        let fields = [
            "plain",
            "a,b",
            "say \"hi\"",
            "line\nbreak",
            &guard_formula("=1+1"),
        ];
        write_record(&mut out, fields.iter().map(|f| f.to_string())).expect("written");
        assert_eq!(
            String::from_utf8(out).expect("utf8"),
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\",'=1+1\r\n"
        );
    }
}
