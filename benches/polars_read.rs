//! Baseline for the benchmark: polars alone reading a case CSV (all columns, types inferred), so
//! `complaints metrics` on the same file can be compared with the floor set by parsing it.
//! Run: `cargo bench --bench polars_read -- FILE` (see bench/README in README.md).

use polars::prelude::*;

fn main() -> PolarsResult<()> {
    let path = std::env::args().skip(1).find(|a| !a.starts_with('-')).expect("give the CSV path");
    let start = std::time::Instant::now();
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(10_000))
        .try_into_reader_with_file_path(Some(path.clone().into()))?
        .finish()?;
    println!("polars read {path}: {} rows x {} columns in {:.2?}", df.height(), df.width(), start.elapsed());
    Ok(())
}
