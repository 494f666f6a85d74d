//! The machine-readable forms: metrics.json, metrics.csv, the terminal table, the per-case
//! audit, tsm.csv and the data-quality ledger.

pub mod audit;
pub mod json;
pub mod ledger;
pub mod metrics_csv;
pub mod table;
pub mod tsm_csv;
pub mod xlsx;

use anyhow::Result;

use crate::metrics::model::Metrics;

/// How `complaints metrics` prints the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MetricsFormat {
    /// A readable summary.
    Table,
    /// The metrics.json document.
    Json,
    /// One row per figure: metric,stage,breakdown,num,den,value.
    Csv,
    /// An Excel workbook (needs --out): figures, trend, categories, TSM, data quality, audit.
    Xlsx,
}

/// The metrics document in the chosen form.
pub fn metrics_text(m: &Metrics, format: MetricsFormat) -> Result<String> {
    match format {
        MetricsFormat::Json => json::to_json(m),
        MetricsFormat::Csv => metrics_csv::to_csv(m),
        MetricsFormat::Table => Ok(table::to_table(m)),
        MetricsFormat::Xlsx => Err(crate::error::usage("--format xlsx writes a workbook: give --out FILE.xlsx")),
    }
}
