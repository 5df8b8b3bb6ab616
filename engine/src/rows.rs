//! Paging through the filtered rows of a dashboard's primary dataset.

use kyros_common::api::dashboards::RowsPage;
use polars::prelude::*;
use uuid::Uuid;

use crate::cursor;
use crate::error::EngineError;
use crate::filters::Filters;
use crate::query::{filter_predicate, frame_rows, scan};
use crate::spec::{DashboardSpec, SpecError};
use crate::Engine;

/// The largest page `rows` returns, whatever `limit` asks for.
pub const MAX_PAGE_ROWS: usize = 1000;

impl Engine {
    /// One page of the filtered rows of the spec's first dataset, in file order.
    /// `limit` is clamped to `1..=1000`; `cursor` is the previous page's
    /// `next_cursor` (a cursor issued for other filters is a `BadRequest`).
    pub fn rows(
        &self,
        tenant_id: Uuid,
        spec: &DashboardSpec,
        filters: &Filters,
        limit: usize,
        cursor: Option<&str>,
    ) -> Result<RowsPage, EngineError> {
        let dataset = spec
            .primary_dataset()
            .ok_or_else(|| SpecError::new("datasets", "the spec has no dataset"))?;
        let binding = format!("{}|{}|{}", spec.slug(), dataset.name, filters.cache_key());
        let offset = cursor
            .map(|c| cursor::decode(c, &binding))
            .transpose()?
            .unwrap_or(0);
        let limit = limit.clamp(1, MAX_PAGE_ROWS);
        let columns: Vec<String> = dataset
            .column_names()
            .into_iter()
            .map(String::from)
            .collect();
        let predicate = filter_predicate(spec, filters, dataset)?;
        let mut page = RowsPage {
            dataset: dataset.name.to_string(),
            columns: columns.clone(),
            rows: Vec::new(),
            next_cursor: None,
        };
        let Some(mut lf) = scan(&dataset.path(&self.data_dir, tenant_id))? else {
            return Ok(page);
        };
        if let Some(predicate) = predicate {
            lf = lf.filter(predicate);
        }
        let start = i64::try_from(offset)
            .map_err(|_| EngineError::BadRequest("cursor: offset out of range".into()))?;
        let frame = lf
            .select(columns.iter().map(|c| col(c.as_str())).collect::<Vec<_>>())
            .slice(start, (limit + 1) as IdxSize)
            .collect()?;
        if frame.height() > limit {
            page.next_cursor = Some(cursor::encode(offset + limit as u64, &binding));
        }
        page.rows = frame_rows(&frame.head(Some(limit)))?;
        Ok(page)
    }
}
