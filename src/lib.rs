//! `complaints`: case exports in, Complaint Handling Code and TSM figures and reports out.
//! The pipeline runs one way: config → calendar → ingest → (timeline → metrics → reports).

pub mod calendar;
pub mod cli;
pub mod config;
pub mod error;
pub mod fields;
pub mod generate;
pub mod ingest;
pub mod period;
pub mod validate;

use std::path::Path;

use anyhow::Result;

use crate::calendar::Calendar;
use crate::cli::{Cli, Command, InputArgs};
use crate::config::Config;
use crate::error::usage;
use crate::ingest::{Cases, ReadOptions};

/// What every command that reads case files starts from.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The landlord's config (defaults when none was given).
    pub config: Config,
    /// Working days for the configured division, holidays files and closures.
    pub calendar: Calendar,
    /// The case table and its data-quality ledger.
    pub cases: Cases,
}

/// Reads the config (or the defaults).
pub fn load_config(path: Option<&Path>) -> Result<Config> {
    match path {
        Some(p) => Config::load(p),
        None => Ok(Config::default()),
    }
}

/// Step 1–3 of the pipeline: config, calendar, cases.
pub fn load(input: &InputArgs) -> Result<Loaded> {
    let config = load_config(input.config.as_deref())?;
    let mut holiday_files: Vec<&Path> = config.holidays.iter().map(|p| p.as_path()).collect();
    holiday_files.extend(input.holidays.iter().map(|p| p.as_path()));
    let calendar = Calendar::build(config.division(), &holiday_files, &config.closure_days)?;
    let opts = ReadOptions {
        sheet: input.sheet.clone(),
        columns: config.columns.clone(),
        date_format: config.date_format.clone(),
    };
    let cases = ingest::read_cases(&input.files, &opts)?;
    Ok(Loaded { config, calendar, cases })
}

/// Runs a parsed command line; the `Ok` value is the exit code.
pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Validate(args) => {
            let loaded = load(&args.input)?;
            let out = validate::render(&loaded.cases.ledger, args.format)?;
            print!("{out}");
            Ok(if loaded.cases.ledger.rejected.is_empty() { 0 } else { 1 })
        }
        Command::Init(args) => {
            if args.path.exists() && !args.force {
                return Err(usage(format!(
                    "{}: already exists; give another path or --force to overwrite",
                    args.path.display()
                )));
            }
            std::fs::write(&args.path, config::EXAMPLE)
                .map_err(|e| usage(format!("{}: cannot write: {e}", args.path.display())))?;
            println!(
                "Wrote {}: edit the landlord, homes and profile, then run `complaints validate FILE --config {}`.",
                args.path.display(),
                args.path.display()
            );
            Ok(0)
        }
        Command::Generate(args) => {
            let written = generate::write(&args)?;
            for p in written {
                println!("wrote {}", p.display());
            }
            Ok(0)
        }
    }
}
