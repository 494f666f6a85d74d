//! `complaints audit`: the per-case audit CSV for one period.

use std::path::PathBuf;

use anyhow::Result;

use super::Measure;
use crate::metrics::{self, Request};
use crate::Inputs;

/// What `audit` needs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The files and config.
    pub inputs: Inputs,
    /// Period, as-of and profile.
    pub measure: Measure,
    /// The CSV to write.
    pub out: PathBuf,
}

/// Writes `cases-audit.csv`.
pub fn run(o: &Options) -> Result<i32> {
    let (loaded, (period, profile)) = crate::load_after(&o.inputs, |config, calendar| {
        crate::fs::refuse_inputs(&o.out, &o.inputs.files)?;
        super::resolve(config, calendar, &o.measure)
    })?;
    let timelines =
        metrics::period_timelines(&loaded, &Request { period: &period, profile: &profile, by: None, trend: 0 })?;
    let audit = crate::output::audit::audit(&timelines, &period, &period.tsm_year())?;
    crate::fs::write_atomic_parts(&o.out, audit.parts())?;
    super::print_written(std::slice::from_ref(&o.out))?;
    Ok(0)
}
