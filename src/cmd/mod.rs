//! The commands, one file each: every command takes a plain option struct, loads through
//! `crate::load`, runs the pipeline and writes through `crate::fs`. Clap lives in `cli.rs` only.

pub mod annual_report;
pub mod audit;
pub mod init;
pub mod lessons;
pub mod metrics;
pub mod peers;
pub mod report;
pub mod self_assessment;
pub mod tsm_check;
pub mod validate;

use std::path::PathBuf;

use anyhow::Result;
use chrono::NaiveDate;

use crate::calendar::Calendar;
use crate::config::{Config, Profile};
use crate::error::{data, usage};
use crate::period::Period;

/// The period, as-of date and profile a command measures.
#[derive(Debug, Clone, Default)]
pub struct Measure {
    /// `--period` text (e.g. "2024/25 Q2").
    pub period: String,
    /// `--as-of`.
    pub as_of: Option<NaiveDate>,
    /// `--profile`: a built-in profile or one in the config (default: the config's own).
    pub profile: Option<String>,
}

/// The profile a command measures against: `--profile` when given, else the config's own.
pub fn resolve_profile(config: &Config, name: Option<&str>) -> Result<Profile> {
    let Some(name) = name else { return Ok(config.own_profile()) };
    if let Some(p) = Profile::builtin(name) {
        return Ok(p);
    }
    config.profile_named(name).ok_or_else(|| {
        usage(format!("--profile {name}: no such profile; use code-2024, code-2022 or a profile in the config"))
    })
}

/// The period and the profile of a `Measure`, the period's as-of inside the working-day
/// calendar.
pub fn resolve(config: &Config, calendar: &Calendar, m: &Measure) -> Result<(Period, Profile)> {
    let period = Period::parse(&m.period, m.as_of)?;
    crate::metrics::check_as_of(calendar, &period)?;
    Ok((period, resolve_profile(config, m.profile.as_deref())?))
}

/// Starts building the redactor's recognisers on a thread of their own, so they are ready when
/// the data has loaded (give the handle to `redactor`).
pub fn prepare_redaction() -> std::thread::JoinHandle<()> {
    std::thread::spawn(crate::render::redact::prepare)
}

/// The redactor for this data's published text: the built-in recognisers, the config's patterns
/// and allowed words, every case and complainant reference, and every staff name.
pub fn redactor(
    loaded: &crate::Loaded,
    prepared: std::thread::JoinHandle<()>,
) -> Result<crate::render::redact::Redactor> {
    // The recognisers are fixed text; the thread cannot fail but for a bug the tests catch, and
    // they would be built again on first use.
    let _ = prepared.join();
    let cases = &loaded.cases;
    let mut identifiers = cases.texts("case_id");
    identifiers.extend(cases.texts("complainant_id"));
    let mut names = cases.texts("lesson_owner");
    names.extend(cases.texts("s1_handler"));
    names.extend(cases.texts("s2_handler"));
    Ok(crate::render::redact::Redactor::new(&loaded.config.redact_patterns, identifiers, names)?
        .allowing(&loaded.config.redact_allow))
}

/// When a year's return is measured: `--as-of` when given, else the export's effective date (its
/// latest event) when that is after the year end — a March complaint answered in time in April
/// was answered in time. Returns the as-of and the effective date found.
pub fn return_as_of(
    loaded: &crate::Loaded,
    year: &str,
    given: Option<NaiveDate>,
) -> Result<(Option<NaiveDate>, Option<NaiveDate>)> {
    let year_end = Period::parse(year, None)?.end;
    let latest = crate::metrics::latest_event_at(loaded).filter(|(d, _, _)| *d > year_end);
    if let (None, Some((date, row, field))) = (given, latest) {
        // A mistyped year (2052 for 2025) would otherwise stop the return with an error about an
        // --as-of nobody gave: name the case and the cell to correct.
        let (first, last) = loaded.calendar.range();
        if date > last {
            return Err(data(format!(
                "the {year} return is measured as of the latest event in the data, {date}: {}, which is after the \
                 working-day calendar ({first} to {last}). Correct that date if it is a mistake, or give --as-of \
                 DATE (or --holidays FILE covering it)",
                loaded.cases.describe_cell(row, field)
            )));
        }
    }
    let effective = latest.map(|(d, _, _)| d);
    Ok((given.or(effective), effective))
}

/// The answers file: `--answers`, else the config's `answers`.
pub fn answers_path(given: Option<&PathBuf>, config: &Config) -> Result<PathBuf> {
    given.or(config.answers.as_ref()).cloned().ok_or_else(|| {
        usage("no answers file: give --answers FILE, or answers = \"answers.toml\" in the config (complaints init --answers writes a starter)")
    })
}

/// Whether to print pages to PDF, and with which browser.
#[derive(Debug, Clone, Default)]
pub struct Pdf {
    /// `--pdf`.
    pub pdf: bool,
    /// `--browser`.
    pub browser: Option<PathBuf>,
}

/// Prints each written page to a PDF beside it when `--pdf` was given (the HTML is written
/// first, so it is there whatever happens to the PDF); says what was written.
pub fn print_pdfs(pages: &[PathBuf], pdf: &Pdf, config: &Config) -> Result<()> {
    if !pdf.pdf {
        return Ok(());
    }
    let browser = crate::browser::find(pdf.browser.as_deref().or(config.browser.as_deref()))?;
    let mut written = Vec::new();
    for page in pages {
        let out = page.with_extension("pdf");
        crate::browser::print_pdf(&browser, page, &out, crate::browser::timeout())?;
        written.push(out);
    }
    print_written(&written)?;
    Ok(())
}

/// Says what was written, one line per file, as every command does.
pub fn print_written(paths: &[PathBuf]) -> Result<()> {
    print(&paths.iter().map(|p| format!("wrote {}\n", p.display())).collect::<String>())
}

/// Writes text to standard output. A reader that stops reading (`complaints validate … | head`)
/// is not a failure: the rest is not wanted, as with any command-line tool.
pub fn print(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::new(e).context("cannot write to standard output"))
        }
        _ => Ok(()),
    }
}
