//! Writing a dataset chunk by chunk to a temporary Parquet file, then renaming it
//! into place, so readers never see a half-written file and memory stays bounded.

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::EngineError;

/// What one dataset's generation produced.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetReport {
    pub dataset: &'static str,
    pub rows: usize,
    pub bytes: u64,
    pub path: PathBuf,
}

/// Writes `rows` rows to `path`, asking `make_chunk(index, start, len)` for at most
/// `chunk_rows` rows at a time. Only one chunk is alive at any moment.
pub(super) fn write_chunked<F>(
    dataset: &'static str,
    path: &Path,
    rows: usize,
    chunk_rows: usize,
    mut make_chunk: F,
) -> Result<DatasetReport, EngineError>
where
    F: FnMut(u64, usize, usize) -> Result<DataFrame, EngineError>,
{
    let dir = path.parent().ok_or_else(|| {
        EngineError::Io(std::io::Error::other(
            "dataset path has no parent directory",
        ))
    })?;
    fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{dataset}.parquet.tmp-{}", std::process::id()));
    let result = write_file(&tmp, rows, chunk_rows.max(1), &mut make_chunk).and_then(|bytes| {
        fs::rename(&tmp, path)?;
        Ok(bytes)
    });
    match result {
        Ok(bytes) => Ok(DatasetReport {
            dataset,
            rows,
            bytes,
            path: path.to_path_buf(),
        }),
        Err(err) => {
            // Best effort: the error that matters is the one being returned.
            let _ = fs::remove_file(&tmp);
            Err(err)
        }
    }
}

fn write_file<F>(
    tmp: &Path,
    rows: usize,
    chunk_rows: usize,
    make_chunk: &mut F,
) -> Result<u64, EngineError>
where
    F: FnMut(u64, usize, usize) -> Result<DataFrame, EngineError>,
{
    let file = File::create(tmp)?;
    let mut first = make_chunk(0, 0, rows.min(chunk_rows))?;
    first.rechunk_mut();
    let mut writer = ParquetWriter::new(&file)
        .with_compression(ParquetCompression::Snappy)
        .with_row_group_size(Some(chunk_rows))
        .batched(first.schema())?;
    writer.write_batch(&first)?;
    drop(first);
    let mut start = chunk_rows;
    let mut index = 1;
    while start < rows {
        let len = chunk_rows.min(rows - start);
        let mut chunk = make_chunk(index, start, len)?;
        chunk.rechunk_mut();
        writer.write_batch(&chunk)?;
        start += len;
        index += 1;
    }
    let bytes = writer.finish()?;
    drop(writer);
    file.sync_all()?;
    Ok(bytes)
}
