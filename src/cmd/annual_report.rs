//! `complaints annual-report`: the annual complaints performance and service improvement report
//! (with the self-assessment) and tsm.csv for a financial year.

use std::path::PathBuf;

use anyhow::Result;
use chrono::NaiveDate;

use super::self_assessment::{prepare, Prepared};
use crate::metrics::lessons;
use crate::output::tsm_csv::tsm_csv;
use crate::render::annual;
use crate::render::assessment::FormName;
use crate::render::engine;
use crate::Inputs;

/// What `annual-report` needs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The files and config.
    pub inputs: Inputs,
    /// The financial year, e.g. "2024/25".
    pub year: String,
    /// The date the data is true at.
    pub as_of: Option<NaiveDate>,
    /// The answers file (else the config's `answers`).
    pub answers: Option<PathBuf>,
    /// Template and form overrides.
    pub templates: Option<PathBuf>,
    /// The folder to write into.
    pub out: PathBuf,
    /// Whether to print the page to PDF too.
    pub pdf: super::Pdf,
}

/// Writes `annual-report.html` and `tsm.csv`.
pub fn run(o: &Options) -> Result<i32> {
    let prepared = super::prepare_redaction();
    let (loaded, Prepared { answers, form, tera, .. }) = crate::load_after(&o.inputs, |config, _| {
        crate::fs::prepare_out(&o.out, &["annual-report.html", "tsm.csv"], &o.inputs.files)?;
        prepare(config, &o.year, FormName::Code2024, o.answers.as_ref(), o.templates.as_deref())
    })?;
    // The return is measured when the export was taken (its latest event) when that is after the
    // year end — a March complaint answered in time in April was answered in time — unless
    // --as-of says otherwise; the year-end basis is kept to show beside it.
    let year_end = crate::period::Period::parse(&o.year, None)?.end;
    let (as_of, effective) = super::return_as_of(&loaded, &o.year, o.as_of)?;
    let y = super::self_assessment::year(&loaded, &o.year, as_of)?;
    let at_year_end = match as_of {
        Some(d) if d > year_end => Some(super::self_assessment::year(&loaded, &o.year, None)?.computed.metrics.tsm),
        _ => None,
    };
    let basis = annual::Basis { from_export: o.as_of.is_none() && effective.is_some(), year_end: at_year_end };
    let groups = if loaded.cases.present.contains("lesson") {
        let records = lessons::closed_records(&y.computed.timelines.own.df, &y.period, true)?;
        lessons::group_for_board(records, y.period.as_of)
    } else {
        Vec::new()
    };
    let present = |f: &str| loaded.cases.present.contains(f);
    let redactor = super::redactor(&loaded, prepared)?;
    let input = y.input(&loaded, &present, &answers, &redactor, return_check(&loaded, &y)?);
    let view = annual::annual_view(&input, &form, &groups, basis);
    let report = o.out.join("annual-report.html");
    crate::fs::write_atomic(&report, engine::render(&tera, "annual-report.html.tera", &view)?.as_bytes())?;
    let tsm = o.out.join("tsm.csv");
    crate::fs::write_atomic(&tsm, tsm_csv(y.metrics(), &loaded.config.landlord)?.as_bytes())?;
    super::print_written(&[report.clone(), tsm])?;
    super::print_pdfs(&[report], &o.pdf, &loaded.config)?;
    Ok(0)
}

/// The published return beside the case data, when the landlord's code is set and the Regulator
/// has published the year.
fn return_check(
    loaded: &crate::Loaded,
    y: &super::self_assessment::Year,
) -> Result<Option<crate::peers::check::Check>> {
    let (Some(years), Some(code)) = (&loaded.peers, loaded.config.peers.as_ref().and_then(|p| p.rsh_code.as_ref()))
    else {
        return Ok(None);
    };
    let Some(published) = years.get(&y.period.label) else { return Ok(None) };
    let tenures = ["lcra", "lcho", "combined"];
    super::tsm_check::reconcile(published, code, &loaded.config.landlord, &y.computed, &y.period, &tenures).map(Some)
}
