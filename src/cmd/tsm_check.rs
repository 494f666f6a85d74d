//! `complaints tsm-check`: the landlord's published TSM return beside the same data items from its
//! case records; exit 1 when any differs, so it can gate a submission.

use anyhow::Result;
use chrono::NaiveDate;

use crate::error::usage;
use crate::metrics::{self, tsm, Computed, Request};
use crate::output::ledger::Format;
use crate::peers::check::{self, Check};
use crate::peers::data::Published;
use crate::peers::position;
use crate::period::Period;
use crate::Inputs;

/// What `tsm-check` needs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The files and config.
    pub inputs: Inputs,
    /// The financial year of the return, e.g. 2024/25.
    pub year: String,
    /// The date the data is true at (default: the export's effective date after the year end).
    pub as_of: Option<NaiveDate>,
    /// One stock type only (`lcra`, `lcho`, `combined`), else all three.
    pub tenure: Option<String>,
    /// The Regulator's code, instead of the config's `[peers] rsh_code`.
    pub rsh_code: Option<String>,
    /// Text or JSON.
    pub format: Format,
}

/// Prints the reconciliation; exit 1 when any item differs.
pub fn run(o: &Options) -> Result<i32> {
    let (mut loaded, (code, tenures)) = crate::load_after(&o.inputs, |config, _| {
        super::self_assessment::financial_year(&o.year, None)?;
        let code = o.rsh_code.clone().or_else(|| config.peers.as_ref().and_then(|p| p.rsh_code.clone())).ok_or_else(
            || usage("tsm-check needs the landlord's Regulator code: rsh_code under [peers] in the config, or --rsh-code"),
        )?;
        let tenures: Vec<&str> = match o.tenure.as_deref() {
            None => vec!["lcra", "lcho", "combined"],
            Some(t @ ("lcra" | "lcho" | "combined")) => vec![t],
            Some(t) => return Err(usage(format!("--tenure {t}: use lcra, lcho or combined"))),
        };
        Ok((code, tenures))
    })?;
    let years = match loaded.peers.take() {
        Some(y) => y,
        None => crate::peers::data::load(&[])?,
    };
    let (as_of, _) = super::return_as_of(&loaded, &o.year, o.as_of)?;
    let period = Period::parse(&o.year, as_of)?;
    let published = years.get(&period.label).ok_or_else(|| {
        usage(format!(
            "no published return for {}: the Regulator's data here covers {}; add a newer year with `complaints peers import`",
            period.label,
            years.keys().cloned().collect::<Vec<_>>().join(", ")
        ))
    })?;
    let profile = crate::config::Profile::code_in_force(period.start);
    let computed = metrics::compute_full(&loaded, &Request { period: &period, profile: &profile, by: None, trend: 0 })?;
    let c = reconcile(published, &code, &loaded.config.landlord, &computed, &period, &tenures)?;
    match o.format {
        Format::Text => super::print(&check::to_text(&c))?,
        Format::Json => super::print(&format!("{}\n", serde_json::to_string_pretty(&c)?))?,
    }
    Ok(if c.differences() == 0 { 0 } else { 1 })
}

/// The published return of `code` beside the year's figures from the case data.
pub fn reconcile(
    published: &Published,
    code: &str,
    landlord: &str,
    computed: &Computed,
    period: &Period,
    tenures: &[&str],
) -> Result<Check> {
    let l = position::find(published, code, landlord)?;
    let year = period.tsm_year();
    let tl = &computed.timelines.tsm;
    let cohorts = [tsm::cohort_cases(tl, 1, &year)?, tsm::cohort_cases(tl, 2, &year)?];
    Ok(check::check(l, &published.year, &computed.metrics.tsm, &cohorts, tenures))
}
