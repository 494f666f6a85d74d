//! `complaints report`: the quarterly Board pack — board-report.html with metrics.json,
//! metrics.csv and cases-audit.csv beside it.

use std::path::PathBuf;

use anyhow::Result;
use chrono::NaiveDate;

use crate::error::data;
use crate::metrics::{self, Request};
use crate::output;
use crate::period::Period;
use crate::render::{board, engine};
use crate::Inputs;

/// The files `report` writes, in order.
pub const OUTPUTS: [&str; 5] = ["board-report.html", "metrics.json", "metrics.csv", "cases-audit.csv", "metrics.xlsx"];

/// What `report` needs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The files and config.
    pub inputs: Inputs,
    /// The quarter (default: the latest complete quarter in the data).
    pub period: Option<String>,
    /// The date the data is true at.
    pub as_of: Option<NaiveDate>,
    /// A profile other than the config's.
    pub profile: Option<String>,
    /// The answers file (else the config's `answers`): MRC statement, failure orders and the
    /// self-assessment's actions.
    pub answers: Option<PathBuf>,
    /// Template overrides.
    pub templates: Option<PathBuf>,
    /// The folder to write into.
    pub out: PathBuf,
    /// Whether to print the page to PDF too.
    pub pdf: super::Pdf,
}

/// Writes the Board pack.
pub fn run(o: &Options) -> Result<i32> {
    // Everything but the data first: the period when given, the profile, the output folder,
    // the templates and the answers.
    let (loaded, (given, profile, tera, answers)) = crate::load_after(&o.inputs, |config, calendar| {
        let given = match &o.period {
            Some(text) => {
                let period = Period::parse(text, o.as_of)?;
                metrics::check_as_of(calendar, &period)?;
                Some(period)
            }
            None => None,
        };
        let profile = super::resolve_profile(config, o.profile.as_deref())?;
        crate::fs::prepare_out(&o.out, &OUTPUTS, &o.inputs.files)?;
        let tera = engine::engine(&crate::fs::template_overrides(o.templates.as_deref())?)?;
        let answers = match o.answers.as_ref().or(config.answers.as_ref()) {
            Some(path) => Some(crate::fs::load_answers(path, o.templates.as_deref())?),
            None => None,
        };
        Ok((given, profile, tera, answers))
    })?;
    let period = match given {
        Some(period) => period,
        None => {
            let latest =
                metrics::latest_received(&loaded).ok_or_else(|| data("no complaints in the data to report on"))?;
            Period::latest_complete_quarter(latest, o.as_of)?
        }
    };
    let audit_path = o.out.join(OUTPUTS[3]);
    // The detail and the audit (made, and written to its temporary file) while the trend is
    // measured: the audit is the largest file by far.
    let request = Request { period: &period, profile: &profile, by: None, trend: 8 };
    let (computed, (detail, audit, staged_audit)) = metrics::compute_alongside(&loaded, &request, |_, tl| {
        let detail = metrics::detail(&loaded, &tl.own, &period)?;
        // Written out as it is made, and kept only as far as the workbook shows it: the audit's
        // text is the largest thing the pack makes.
        let mut file = crate::fs::staging(&audit_path)?;
        let audit = output::audit::audit_into(tl, &period, &period.tsm_year(), output::xlsx::MAX_AUDIT_ROWS, |b| {
            file.write(b)
        })?;
        // Synced to the disk on a thread of its own: this one goes on to measure trend periods.
        Ok((detail, audit, file.finish_beside()))
    })?;
    let staged_audit = staged_audit.wait()?;
    let m = &computed.metrics;
    let view = board::view(&board::BoardInput {
        config: &loaded.config,
        profile: &profile,
        m,
        detail: &detail,
        ledger: &loaded.cases.ledger,
        casework: &loaded.casework,
        answers: answers.as_ref(),
    });
    let metrics_csv = output::metrics_csv::to_csv(m)?;
    let workbook = output::xlsx::workbook(&output::xlsx::Sources {
        m,
        ledger: &loaded.cases.ledger,
        metrics_csv: &metrics_csv,
        tsm_csv: &output::tsm_csv::tsm_csv(m, &loaded.config.landlord)?,
        audit: &audit,
    })?;
    let html = engine::render(&tera, "board-report.html.tera", &view)?;
    let json = output::json::to_json(m)?;
    // Every file is written before any is put in place, in the order of `OUTPUTS`.
    let stage = |i: usize, bytes: &[u8]| crate::fs::stage(&o.out.join(OUTPUTS[i]), [bytes]);
    let staged = [
        stage(0, html.as_bytes())?,
        stage(1, json.as_bytes())?,
        stage(2, metrics_csv.as_bytes())?,
        staged_audit,
        stage(4, &workbook)?,
    ];
    let mut written = Vec::new();
    for (name, file) in OUTPUTS.iter().zip(staged) {
        file.commit()?;
        written.push(o.out.join(name));
    }
    super::print_written(&written)?;
    super::print_pdfs(&written[..1], &o.pdf, &loaded.config)?;
    Ok(0)
}
