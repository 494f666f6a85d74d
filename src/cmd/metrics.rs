//! `complaints metrics`: every figure for one period as a table, JSON or CSV on stdout.

use anyhow::Result;

use super::Measure;
use crate::metrics::{self, Request};
use crate::output::{self, MetricsFormat};
use crate::Inputs;

/// What `metrics` needs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The files and config.
    pub inputs: Inputs,
    /// Period, as-of and profile.
    pub measure: Measure,
    /// A column to break stage 1 down by.
    pub by: Option<String>,
    /// Previous periods to add as the trend.
    pub trend: usize,
    /// Output form.
    pub format: MetricsFormat,
    /// A file to write instead of the terminal.
    pub out: Option<std::path::PathBuf>,
}

/// Prints the metrics document.
pub fn run(o: &Options) -> Result<i32> {
    let (loaded, (period, profile)) = crate::load_after(&o.inputs, |config, calendar| {
        if let Some(path) = &o.out {
            crate::fs::refuse_inputs(path, &o.inputs.files)?;
        } else if o.format == MetricsFormat::Xlsx {
            return Err(crate::error::usage("--format xlsx writes a workbook: give --out FILE.xlsx"));
        }
        super::resolve(config, calendar, &o.measure)
    })?;
    let req = Request { period: &period, profile: &profile, by: o.by.as_deref(), trend: o.trend };
    if let (MetricsFormat::Xlsx, Some(path)) = (o.format, &o.out) {
        return write_workbook(&loaded, &req, path);
    }
    let m = metrics::compute(&loaded, &req)?;
    let text = output::metrics_text(&m, o.format)?;
    match &o.out {
        Some(path) => {
            crate::fs::write_atomic(path, text.as_bytes())?;
            super::print_written(std::slice::from_ref(path))?;
        }
        None => super::print(&text)?,
    }
    Ok(0)
}

/// `--format xlsx --out FILE`: the workbook `report` writes beside the Board report.
fn write_workbook(loaded: &crate::Loaded, req: &Request, path: &std::path::Path) -> Result<i32> {
    let computed = metrics::compute_full(loaded, req)?;
    let m = &computed.metrics;
    let metrics_csv = output::metrics_csv::to_csv(m)?;
    let audit = output::audit::audit(&computed.timelines, req.period, &req.period.tsm_year())?;
    let bytes = output::xlsx::workbook(&output::xlsx::Sources {
        m,
        ledger: &loaded.cases.ledger,
        metrics_csv: &metrics_csv,
        tsm_csv: &output::tsm_csv::tsm_csv(m, &loaded.config.landlord)?,
        audit: &audit,
    })?;
    crate::fs::write_atomic(path, &bytes)?;
    super::print_written(&[path.to_path_buf()])?;
    Ok(0)
}
