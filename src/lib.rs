//! `complaints`: case exports in, Complaint Handling Code and TSM figures and reports out.
//! The pipeline runs one way: config → calendar → ingest → (timeline → metrics → reports).

pub mod audit;
pub mod calendar;
pub mod cli;
pub mod config;
pub mod error;
pub mod fields;
pub mod generate;
pub mod ingest;
pub mod metrics;
pub mod output;
pub mod period;
pub mod report;
pub mod timeline;
pub mod validate;

use std::path::Path;

use anyhow::Result;

use crate::calendar::Calendar;
use crate::cli::{Cli, Command, InputArgs, MetricsFormat, PeriodArgs};
use crate::config::{Config, Profile};
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

/// The period and the profile a command measures.
pub fn resolve_period(config: &Config, args: &PeriodArgs) -> Result<(period::Period, Profile)> {
    let period = period::Period::parse(&args.period, args.as_of)?;
    let profile = match &args.profile {
        None => config.own_profile(),
        Some(name) => match Profile::builtin(name) {
            Some(p) => p,
            None if config.profiles.contains_key(name) => {
                let mut c = config.clone();
                c.profile = Some(name.clone());
                c.own_profile()
            }
            None => {
                return Err(usage(format!(
                    "--profile {name}: no such profile; use code-2024, code-2022 or a profile in the config"
                )))
            }
        },
    };
    Ok((period, profile))
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
        Command::Metrics(args) => {
            let loaded = load(&args.input)?;
            let (period, profile) = resolve_period(&loaded.config, &args.period)?;
            let req = metrics::Request {
                period: &period,
                profile: &profile,
                by: args.by.as_deref(),
                trend: args.trend as usize,
            };
            let m = metrics::compute(&loaded, &req)?;
            let out = match args.format {
                MetricsFormat::Json => metrics::output::to_json(&m)?,
                MetricsFormat::Csv => metrics::output::to_csv(&m)?,
                MetricsFormat::Table => metrics::output::to_table(&m),
            };
            print!("{out}");
            Ok(0)
        }
        Command::Audit(args) => {
            let loaded = load(&args.input)?;
            let (period, profile) = resolve_period(&loaded.config, &args.period)?;
            output::refuse_inputs(&args.out, &args.input.files)?;
            let own = timeline::Timeline::build(&loaded.cases.df, &profile, &loaded.calendar, period.as_of)?;
            let code_profile = Profile::code_in_force(period.start);
            let code = timeline::Timeline::build(&loaded.cases.df, &code_profile, &loaded.calendar, period.as_of)?;
            let csv = audit::audit_csv(&own, &code, &period, &period.tsm_year())?;
            output::write_atomic(&args.out, csv.as_bytes())?;
            println!("wrote {}", args.out.display());
            Ok(0)
        }
        Command::Report(args) => {
            let loaded = load(&args.input)?;
            let period = match &args.period {
                Some(text) => period::Period::parse(text, args.as_of)?,
                None => report::latest_complete_quarter(&loaded, args.as_of)?,
            };
            let period_args =
                PeriodArgs { period: period.label.clone(), as_of: args.as_of, profile: args.profile.clone() };
            let (_, profile) = resolve_period(&loaded.config, &period_args)?;
            for path in
                report::board(&loaded, &period, &profile, args.templates.as_deref(), &args.out, &args.input.files)?
            {
                println!("wrote {}", path.display());
            }
            Ok(0)
        }
        Command::Lessons(args) => {
            let loaded = load(&args.input)?;
            let (period, profile) = resolve_period(&loaded.config, &args.period)?;
            let path = report::lessons::write(
                &loaded,
                &period,
                &profile,
                args.templates.as_deref(),
                &args.out,
                &args.input.files,
                args.include_unapproved,
            )?;
            println!("wrote {}", path.display());
            Ok(0)
        }
        Command::SelfAssessment(args) => {
            let loaded = load(&args.input)?;
            let year = period::Period::parse(&args.year.year, args.year.as_of)?;
            let form = match args.form {
                cli::FormName::Code2024 => "code-2024",
                cli::FormName::Seed2020 => "seed-2020",
            };
            let path = report::annual::self_assessment(
                &loaded,
                &year,
                &args.answers,
                form,
                args.templates.as_deref(),
                &args.out,
                &args.input.files,
            )?;
            println!("wrote {}", path.display());
            Ok(0)
        }
        Command::AnnualReport(args) => {
            let loaded = load(&args.input)?;
            let year = period::Period::parse(&args.year.year, args.year.as_of)?;
            for path in report::annual::annual_report(
                &loaded,
                &year,
                &args.answers,
                args.templates.as_deref(),
                &args.out,
                &args.input.files,
            )? {
                println!("wrote {}", path.display());
            }
            Ok(0)
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
