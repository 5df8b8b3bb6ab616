//! CSV export of a chart's filtered rows, streamed: the engine writes on the blocking
//! pool into a bounded channel that the response body drains, so an export holds at
//! most a few chunks in memory however many rows it has.

use bytes::Bytes;
use futures_util::Stream;

use super::error::DashboardError;
use super::query::parse_query;
use super::service::DashboardService;
use crate::audit::{self, AuditEntryExt};
use crate::tenancy::scope::TenantScope;

/// Bytes handed to the response at a time.
const CHUNK: usize = 64 * 1024;
/// Chunks that may wait for a slow client.
const CHANNEL_CHUNKS: usize = 8;

/// A started export: the attachment's file name and its body.
pub struct CsvExport<S> {
    pub filename: String,
    pub body: S,
}

/// A `Write` that hands full buffers to the response stream.
struct ChannelWriter {
    buffer: Vec<u8>,
    tx: tokio::sync::mpsc::Sender<Bytes>,
}

impl std::io::Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buffer));
        self.tx
            .blocking_send(chunk)
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client went away"))
    }
}

impl DashboardService {
    /// The chart's filtered rows as CSV, streamed while the engine reads the data.
    pub async fn export_csv(
        &self,
        scope: &TenantScope,
        slug: &str,
        chart_id: &str,
        query: &str,
    ) -> Result<CsvExport<impl Stream<Item = Result<Bytes, std::io::Error>>>, DashboardError> {
        let dashboard = self.load(scope, slug).await?;
        if !dashboard.is_visible(chart_id) {
            return Err(DashboardError::UnknownChart);
        }
        self.limits
            .check_tenant(&scope.tenant_id().to_string())
            .await?;
        let e = audit::entry(
            "csv_export",
            "success",
            scope.email(),
            format!("{}/{}", dashboard.slug, chart_id),
        )
        .tenant(Some(scope.tenant_id()))
        .user(Some(scope.user_id()));
        self.audit.record(e).await;
        let (filters, _) = parse_query(&dashboard, query, &[])?;
        let engine = self.engine.clone();
        let spec = dashboard.spec.clone();
        let thresholds = dashboard.thresholds.clone();
        let tenant = scope.tenant_id().as_uuid();
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Bytes>(CHANNEL_CHUNKS);
        let export_chart = chart_id.to_owned();
        let request_id = crate::request_id::current().unwrap_or_default();
        actix_web::rt::task::spawn_blocking(move || {
            let mut writer = ChannelWriter {
                buffer: Vec::with_capacity(CHUNK),
                tx,
            };
            let result = engine
                .export_chart_csv(
                    tenant,
                    &spec,
                    &export_chart,
                    &filters,
                    &thresholds,
                    &mut writer,
                )
                .map_err(DashboardError::from)
                .and_then(|_| std::io::Write::flush(&mut writer).map_err(DashboardError::internal));
            if let Err(e) = result {
                tracing::warn!(request_id = %request_id, error = %e, "CSV export ended early");
            }
        });
        let body = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx).map(|o| o.map(Ok)));
        Ok(CsvExport {
            filename: format!("{}-{}.csv", dashboard.slug, chart_id),
            body,
        })
    }
}
