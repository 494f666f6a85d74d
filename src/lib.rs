//! `complaints`: case exports in, Complaint Handling Code and TSM figures and reports out.
//!
//! The pipeline runs one way: config → calendar → ingest → timeline → metrics → output / render.
//! Each room has one rule a newcomer can rely on:
//! - `ingest/` and `config` read the user's files; `cmd/` decides what is read and written, and
//!   writes only through `fs`;
//! - `metrics/` computes every figure (polars lives here, in `timeline` and `ingest/`);
//! - `render/` never imports polars: it turns typed figures into views, charts and HTML;
//! - `output/` writes the machine-readable forms (JSON, CSV, the audit, tsm.csv, the ledger).

pub mod browser;
pub mod calendar;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod error;
pub mod fields;
pub mod format;
pub mod fs;
pub mod ingest;
pub mod metrics;
pub mod output;
pub mod par;
pub mod peers;
pub mod period;
pub mod render;
pub mod timeline;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::calendar::Calendar;
use crate::config::Config;
use crate::ingest::casework::{self, Casework};
use crate::ingest::{Cases, ReadOptions};
use crate::peers::data::Published;

/// The case files and settings every command that reads data starts from.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// Case exports, in the order given (a later row of the same case wins).
    pub files: Vec<PathBuf>,
    /// The landlord's config, if any.
    pub config: Option<PathBuf>,
    /// Sheet to read in spreadsheets.
    pub sheet: Option<String>,
    /// Extra GOV.UK bank-holidays files.
    pub holidays: Vec<PathBuf>,
    /// The Ombudsman casework file (else the config's `ombudsman`, else the export's own
    /// determinations).
    pub ombudsman: Option<PathBuf>,
    /// Peers files (`peers import`) adding to the built-in published years.
    pub peers: Vec<PathBuf>,
}

/// What every command that reads case files works on.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The landlord's config (defaults when none was given).
    pub config: Config,
    /// Working days for the configured division, holidays files and closures.
    pub calendar: Calendar,
    /// The case table and its data-quality ledger.
    pub cases: Cases,
    /// The Ombudsman's findings and orders.
    pub casework: Casework,
    /// The Regulator's published TSM figures by year, when peers are configured.
    pub peers: Option<BTreeMap<String, Published>>,
}

/// Reads the config (or the defaults).
pub fn load_config(path: Option<&Path>) -> Result<Config> {
    match path {
        Some(p) => Config::load(p),
        None => Ok(Config::default()),
    }
}

/// Steps 1–3 of the pipeline: config, calendar, cases.
pub fn load(inputs: &Inputs) -> Result<Loaded> {
    Ok(load_reading(inputs, false, |_, _| Ok(()))?.0)
}

/// `load`, with `check` run on the config and calendar before any case is read, and its result
/// returned beside the data: a command's own mistakes (a mistyped period or profile, an answers
/// file or template that does not parse, an output over an input) are reported at once, not
/// after a large export has been read.
pub fn load_after<T>(inputs: &Inputs, check: impl FnOnce(&Config, &Calendar) -> Result<T>) -> Result<(Loaded, T)> {
    load_reading(inputs, false, check)
}

/// `load` for the data-quality ledger alone: the case table has only the columns the ledger
/// reads (`ingest::ReadOptions::ledger_only`); the ledger and the casework are `load`'s.
pub fn load_for_ledger(inputs: &Inputs) -> Result<Loaded> {
    Ok(load_reading(inputs, true, |_, _| Ok(()))?.0)
}

fn load_reading<T>(
    inputs: &Inputs,
    ledger_only: bool,
    check: impl FnOnce(&Config, &Calendar) -> Result<T>,
) -> Result<(Loaded, T)> {
    let config = load_config(inputs.config.as_deref())?;
    let mut holiday_files: Vec<&Path> = config.holidays.iter().map(|p| p.as_path()).collect();
    holiday_files.extend(inputs.holidays.iter().map(|p| p.as_path()));
    let calendar = Calendar::build(config.division(), &holiday_files, &config.closure_days)?;
    let checked = check(&config, &calendar)?;
    let opts = ReadOptions {
        sheet: inputs.sheet.clone(),
        columns: config.columns.clone(),
        date_format: config.date_format.clone(),
        categories: config.categories.clone(),
        tenures: config.tenures.clone(),
        calendar_range: Some(calendar.range()),
        stretch_bytes: None,
        whole_sheets: false,
        ledger_only,
    };
    let cases = ingest::read_cases(&inputs.files, &opts)?;
    let casework = read_casework(inputs, &config, &cases)?;
    let peers = if config.peers.is_some() || !inputs.peers.is_empty() {
        let mut files: Vec<PathBuf> = config.peers.as_ref().map(|p| p.files.clone()).unwrap_or_default();
        files.extend(inputs.peers.iter().cloned());
        Some(peers::data::load(&files)?)
    } else {
        None
    };
    Ok((Loaded { config, calendar, cases, casework, peers }, checked))
}

/// The Ombudsman casework: the file given with `--ombudsman` or in the config, else the case
/// export's own determinations.
fn read_casework(inputs: &Inputs, config: &Config, cases: &Cases) -> Result<Casework> {
    let Some(path) = inputs.ombudsman.as_ref().or(config.ombudsman.as_ref()) else {
        return casework::from_export(&cases.df);
    };
    let ids = cases.df.column("case_id")?.str()?;
    casework::read_casework(path, &config.ombudsman_columns, config.date_format.as_deref(), ids)
}

/// Runs a parsed command line; the `Ok` value is the exit code.
pub fn run(cli: cli::Cli) -> Result<i32> {
    use cli::Command;
    match cli.command {
        Command::Validate(args) => cmd::validate::run(&args.into()),
        Command::Metrics(args) => cmd::metrics::run(&args.into()),
        Command::Audit(args) => cmd::audit::run(&args.into()),
        Command::Report(args) => cmd::report::run(&args.into()),
        Command::Lessons(args) => cmd::lessons::run(&args.into()),
        Command::SelfAssessment(args) => cmd::self_assessment::run(&args.into()),
        Command::AnnualReport(args) => cmd::annual_report::run(&args.into()),
        Command::Init(args) => cmd::init::run(&args.into()),
        Command::Peers(cli::PeersCommand::Import(args)) => cmd::peers::import(&args.into()),
        Command::TsmCheck(args) => cmd::tsm_check::run(&args.into()),
    }
}
