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
}

/// Prints the metrics document.
pub fn run(o: &Options) -> Result<i32> {
    let loaded = crate::load(&o.inputs)?;
    let (period, profile) = super::resolve(&loaded.config, &o.measure)?;
    let req = Request { period: &period, profile: &profile, by: o.by.as_deref(), trend: o.trend };
    let m = metrics::compute(&loaded, &req)?;
    print!("{}", output::metrics_text(&m, o.format)?);
    Ok(0)
}
