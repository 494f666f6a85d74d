//! The command line: clap derive structs whose doc comments are the `--help` text, and their
//! conversion into the commands' plain option structs (the only place clap types appear).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::cmd::{self, Measure};
use crate::output::ledger::Format as LedgerFormat;
use crate::output::MetricsFormat;
use crate::render::assessment::FormName;
use crate::Inputs;

/// Complaint Handling Code compliance figures, Board reports, the Ombudsman self-assessment and
/// lessons learned, from your complaint case exports.
#[derive(Debug, Parser)]
#[command(name = "complaints", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check case exports before trusting them: counts, then every problem with file, row,
    /// column, value and what to fix. Exits 1 when any row was rejected.
    ///
    /// Example: complaints validate sample-data/complaints-export.csv --config sample-data/complaints.toml
    Validate(ValidateArgs),
    /// Every Code and TSM figure for one period: a terminal table, the metrics.json document, or
    /// one CSV row per figure.
    ///
    /// Example: complaints metrics sample-data/complaints-export.csv --config sample-data/complaints.toml --period "2025/26 Q2"
    Metrics(MetricsArgs),
    /// The per-case audit: one row per case and stage relevant to the period, with every date
    /// used, deadlines, working days and status, to re-derive any figure in a spreadsheet.
    ///
    /// Example: complaints audit sample-data/complaints-export.csv --period 2024/25 --out cases-audit.csv
    Audit(AuditArgs),
    /// The quarterly Board report: board-report.html with charts, plus metrics.json, metrics.csv
    /// and cases-audit.csv, written into a folder.
    ///
    /// Example: complaints report sample-data/complaints-export.csv --config sample-data/complaints.toml --out out
    Report(ReportArgs),
    /// The lessons-learned page for residents: approved lessons by theme, anonymised, small
    /// numbers suppressed. --include-unapproved makes an internal review copy marked NOT FOR
    /// PUBLICATION.
    ///
    /// Example: complaints lessons sample-data/complaints-export.csv --config sample-data/complaints.toml --period 2025/26 --out out
    Lessons(LessonsArgs),
    /// The Ombudsman self-assessment form for a financial year: one row per provision, the
    /// landlord's answers, evidence filled in from the data, and contradictions flagged.
    ///
    /// Example: complaints self-assessment sample-data/complaints-export.csv --config sample-data/complaints.toml --year 2024/25 --answers sample-data/answers.toml --out out
    SelfAssessment(AssessmentArgs),
    /// The annual complaints performance and service improvement report (with the
    /// self-assessment) and tsm.csv for a financial year.
    ///
    /// Example: complaints annual-report sample-data/complaints-export.csv --config sample-data/complaints.toml --year 2024/25 --answers sample-data/answers.toml --out out
    AnnualReport(AnnualArgs),
    /// Write starter files that belong to you: a commented complaints.toml (with --from EXPORT,
    /// its [columns] holds the mapping found in your export) and, with --answers FILE, an answers
    /// file listing every provision, unanswered.
    ///
    /// Example: complaints init --from our-export.xlsx complaints.toml --answers answers.toml
    Init(InitArgs),
    /// The Regulator of Social Housing's published TSM complaints data (CH01, CH02) for every
    /// landlord: built in for 2023/24 and 2024/25; `peers import` reads a newer workbook.
    ///
    /// Example: complaints peers import 2025_TSM_Full_Data.xlsx --year 2025/26 --out rsh-tsm-2025-26.csv
    #[command(subcommand)]
    Peers(PeersCommand),
    /// Reconcile the TSM return the Regulator published with the case data: every CH01/CH02
    /// data item side by side, with the cases behind a difference. Exits 1 when any differs.
    ///
    /// Example: complaints tsm-check our-export.csv --config complaints.toml --year 2024/25
    TsmCheck(TsmCheckArgs),
}

/// `complaints tsm-check`.
#[derive(Debug, Args)]
pub struct TsmCheckArgs {
    #[command(flatten)]
    /// Input files and config.
    pub input: InputArgs,
    /// The year of the published return, e.g. 2024/25.
    #[arg(long, value_name = "YEAR")]
    pub year: String,
    /// The date the data is true at (default: the export's latest event after the year end).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<chrono::NaiveDate>,
    /// Check one stock type only: lcra, lcho or combined (e.g. when shared-ownership complaints
    /// are kept in another system).
    #[arg(long, value_name = "TENURE")]
    pub tenure: Option<String>,
    /// The landlord's code with the Regulator (default: rsh_code under [peers] in the config).
    #[arg(long, value_name = "CODE")]
    pub rsh_code: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LedgerFormat::Text)]
    pub format: LedgerFormat,
}

/// `complaints peers …`.
#[derive(Debug, Subcommand)]
pub enum PeersCommand {
    /// Read the complaints data items of an RSH TSM workbook (by data-item code) into the compact
    /// CSV that `--peers FILE` or `peers = [...]` in the config adds to the built-in years.
    Import(PeersImportArgs),
}

/// `complaints peers import`.
#[derive(Debug, Args)]
pub struct PeersImportArgs {
    /// The Regulator's full TSM dataset workbook (.xlsx).
    #[arg(value_name = "WORKBOOK")]
    pub workbook: PathBuf,
    /// The financial year of the returns in it, e.g. 2025/26.
    #[arg(long, value_name = "YEAR")]
    pub year: String,
    /// Where to write the CSV.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// Options every command that reads case files shares.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// Case exports: CSV (`,` `;` or tab), XLSX, XLS or ODS. Several are combined; a case seen
    /// twice is taken from the later file.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The landlord's config (profile, homes, column mapping …); see `complaints init`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Sheet to read in spreadsheets (default: the first sheet with a recognisable header).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// A GOV.UK bank-holidays.json file adding to (or, for Scotland and Northern Ireland,
    /// providing) the bank holidays.
    #[arg(long, value_name = "FILE")]
    pub holidays: Vec<PathBuf>,
    /// The Ombudsman casework file (CSV or spreadsheet, one row per finding or order: Ombudsman
    /// reference, case reference, finding, decision date, order, type, amount, due and complied
    /// dates). Default: the config's `ombudsman`, else the determinations in the case export.
    #[arg(long, value_name = "FILE")]
    pub ombudsman: Option<PathBuf>,
    /// A peers file made by `complaints peers import` (a newer year of the Regulator's TSM
    /// data); giving one turns the peer comparison on, as `[peers]` in the config does.
    #[arg(long, value_name = "FILE")]
    pub peers: Vec<PathBuf>,
}

/// Printing the page to PDF.
#[derive(Debug, Args, Clone)]
pub struct PdfArgs {
    /// Also print the page to a PDF beside it (A4, running header, page numbers) through a
    /// Chromium-family browser already installed (Chromium, Google Chrome or Microsoft Edge).
    #[arg(long)]
    pub pdf: bool,
    /// The browser to print with (default: the config's `browser`, else found on PATH or in the
    /// usual install folders).
    #[arg(long, value_name = "PATH")]
    pub browser: Option<PathBuf>,
}

impl From<PdfArgs> for cmd::Pdf {
    fn from(a: PdfArgs) -> Self {
        cmd::Pdf { pdf: a.pdf, browser: a.browser }
    }
}

/// `complaints validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    /// Input files and config.
    pub input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LedgerFormat::Text)]
    pub format: LedgerFormat,
}

/// The period and the profile to measure against.
#[derive(Debug, Args, Clone)]
pub struct PeriodArgs {
    /// `2024/25` (financial year), `2024/25 Q2` (quarter; Q1 = Apr–Jun), `2024-07` (month) or
    /// `2024-07-01..2024-09-30`.
    #[arg(long, value_name = "PERIOD")]
    pub period: String,
    /// The date the data is true at (default: the period's end); later events have not happened.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<chrono::NaiveDate>,
    /// Measure against this profile instead of the config's (`code-2024`, `code-2022` or a
    /// profile in the config).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
}

/// `complaints metrics`.
#[derive(Debug, Args)]
pub struct MetricsArgs {
    #[command(flatten)]
    /// Input files and config.
    pub input: InputArgs,
    #[command(flatten)]
    /// Period and profile.
    pub period: PeriodArgs,
    /// Break stage 1 volumes and timeliness down by this column (any header, e.g. channel).
    #[arg(long, value_name = "COLUMN")]
    pub by: Option<String>,
    /// Add this many previous periods of the same length (up to 8).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=8))]
    pub trend: u8,
    /// Output format.
    #[arg(long, value_enum, default_value_t = MetricsFormat::Table)]
    pub format: MetricsFormat,
    /// Write to this file instead of the terminal (required for --format xlsx).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `complaints audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    /// Input files and config.
    pub input: InputArgs,
    #[command(flatten)]
    /// Period and profile.
    pub period: PeriodArgs,
    /// Where to write the audit CSV.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// `complaints report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    /// Input files and config.
    pub input: InputArgs,
    /// The quarter to report, e.g. "2025/26 Q2" (default: the latest complete quarter in the data).
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,
    /// The date the data is true at (default: the period's end).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<chrono::NaiveDate>,
    /// Measure against this profile instead of the config's.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// The answers file (default: the config's `answers`): the Member Responsible for
    /// Complaints' statement, Complaint Handling Failure Orders and the self-assessment's actions.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// A folder of templates overriding the built-in ones by name (base.html.tera,
    /// macros.html.tera, board-report.html.tera).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// The folder to write into (created if needed).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    /// PDF printing.
    pub print: PdfArgs,
}

/// `complaints lessons`.
#[derive(Debug, Args)]
pub struct LessonsArgs {
    #[command(flatten)]
    /// Input files and config.
    pub input: InputArgs,
    #[command(flatten)]
    /// Period and profile.
    pub period: PeriodArgs,
    /// Include lessons not approved for publication (internal review; every page is marked NOT
    /// FOR PUBLICATION).
    #[arg(long)]
    pub include_unapproved: bool,
    /// Also write lessons-review.html for the person who approves publication: every lesson with
    /// what was removed marked and every suspected piece of personal data left in highlighted.
    #[arg(long)]
    pub review: bool,
    /// A folder of templates overriding the built-in ones by name.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// The folder to write lessons.html into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    /// PDF printing.
    pub print: PdfArgs,
}

/// The financial year an annual output covers.
#[derive(Debug, Args, Clone)]
pub struct YearArgs {
    /// The financial year, e.g. 2024/25.
    #[arg(long, value_name = "YEAR")]
    pub year: String,
    /// The date the data is true at (default: the year's end).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<chrono::NaiveDate>,
}

/// `complaints self-assessment`.
#[derive(Debug, Args)]
pub struct AssessmentArgs {
    #[command(flatten)]
    /// Input files and config.
    pub input: InputArgs,
    #[command(flatten)]
    /// The year.
    pub year: YearArgs,
    /// The landlord's answers (see sample-data/answers.toml); default: the config's `answers`.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// The form.
    #[arg(long, value_enum, default_value_t = FormName::Code2024)]
    pub form: FormName,
    /// Write the form to publish instead of the working draft: no internal notes or checks, and
    /// every "No" and every flagged "Yes" must carry commentary and an action with an owner and a
    /// due date in the answers file (else the command fails listing them).
    #[arg(long = "final")]
    pub final_form: bool,
    /// A folder of templates (and forms/) overriding the built-in ones by name.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// The folder to write into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    /// PDF printing.
    pub print: PdfArgs,
}

/// `complaints annual-report`.
#[derive(Debug, Args)]
pub struct AnnualArgs {
    #[command(flatten)]
    /// Input files and config.
    pub input: InputArgs,
    #[command(flatten)]
    /// The year.
    pub year: YearArgs,
    /// The landlord's answers, statements and actions; default: the config's `answers`.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// A folder of templates (and forms/) overriding the built-in ones by name.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// The folder to write into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    /// PDF printing.
    pub print: PdfArgs,
}

/// `complaints init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the config (default complaints.toml).
    pub path: Option<PathBuf>,
    /// Overwrite existing files.
    #[arg(long)]
    pub force: bool,
    /// Fill [columns] with the mapping found in this export (every field; inferred ones marked).
    #[arg(long, value_name = "EXPORT")]
    pub from: Option<PathBuf>,
    /// The sheet to read in a spreadsheet export.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Write an answers file with every provision of the form listed, unanswered.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// The form the answers file is for.
    #[arg(long, value_enum, default_value_t = FormName::Code2024)]
    pub form: FormName,
}

impl From<InputArgs> for Inputs {
    fn from(a: InputArgs) -> Inputs {
        Inputs {
            files: a.files,
            config: a.config,
            sheet: a.sheet,
            holidays: a.holidays,
            ombudsman: a.ombudsman,
            peers: a.peers,
        }
    }
}

impl From<PeriodArgs> for Measure {
    fn from(a: PeriodArgs) -> Measure {
        Measure { period: a.period, as_of: a.as_of, profile: a.profile }
    }
}

impl From<ValidateArgs> for cmd::validate::Options {
    fn from(a: ValidateArgs) -> Self {
        cmd::validate::Options { inputs: a.input.into(), format: a.format }
    }
}

impl From<MetricsArgs> for cmd::metrics::Options {
    fn from(a: MetricsArgs) -> Self {
        cmd::metrics::Options {
            inputs: a.input.into(),
            measure: a.period.into(),
            by: a.by,
            trend: a.trend as usize,
            out: a.out,
            format: a.format,
        }
    }
}

impl From<AuditArgs> for cmd::audit::Options {
    fn from(a: AuditArgs) -> Self {
        cmd::audit::Options { inputs: a.input.into(), measure: a.period.into(), out: a.out }
    }
}

impl From<ReportArgs> for cmd::report::Options {
    fn from(a: ReportArgs) -> Self {
        cmd::report::Options {
            inputs: a.input.into(),
            period: a.period,
            as_of: a.as_of,
            profile: a.profile,
            answers: a.answers,
            templates: a.templates,
            pdf: a.print.into(),
            out: a.out,
        }
    }
}

impl From<LessonsArgs> for cmd::lessons::Options {
    fn from(a: LessonsArgs) -> Self {
        cmd::lessons::Options {
            inputs: a.input.into(),
            measure: a.period.into(),
            include_unapproved: a.include_unapproved,
            review: a.review,
            templates: a.templates,
            pdf: a.print.into(),
            out: a.out,
        }
    }
}

impl From<AssessmentArgs> for cmd::self_assessment::Options {
    fn from(a: AssessmentArgs) -> Self {
        cmd::self_assessment::Options {
            inputs: a.input.into(),
            year: a.year.year,
            as_of: a.year.as_of,
            answers: a.answers,
            form: a.form,
            final_form: a.final_form,
            templates: a.templates,
            pdf: a.print.into(),
            out: a.out,
        }
    }
}

impl From<AnnualArgs> for cmd::annual_report::Options {
    fn from(a: AnnualArgs) -> Self {
        cmd::annual_report::Options {
            inputs: a.input.into(),
            year: a.year.year,
            as_of: a.year.as_of,
            answers: a.answers,
            templates: a.templates,
            pdf: a.print.into(),
            out: a.out,
        }
    }
}

impl From<InitArgs> for cmd::init::Options {
    fn from(a: InitArgs) -> Self {
        cmd::init::Options {
            path: a.path,
            force: a.force,
            from: a.from,
            sheet: a.sheet,
            answers: a.answers,
            form: a.form,
        }
    }
}

impl From<PeersImportArgs> for cmd::peers::ImportOptions {
    fn from(a: PeersImportArgs) -> Self {
        cmd::peers::ImportOptions { workbook: a.workbook, year: a.year, out: a.out }
    }
}

impl From<TsmCheckArgs> for cmd::tsm_check::Options {
    fn from(a: TsmCheckArgs) -> Self {
        cmd::tsm_check::Options {
            inputs: a.input.into(),
            year: a.year,
            as_of: a.as_of,
            tenure: a.tenure.map(|t| t.to_lowercase()),
            rsh_code: a.rsh_code,
            format: a.format,
        }
    }
}
