//! The command line: clap derive structs whose doc comments are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    /// Write a commented example complaints.toml to start from.
    ///
    /// Example: complaints init complaints.toml
    Init(InitArgs),
    /// Write realistic synthetic case exports (CSV and XLSX) for demonstrations and benchmarks.
    #[command(hide = true)]
    Generate(GenerateArgs),
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
}

/// Output format of `validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    /// A summary a complaints officer can read.
    Text,
    /// The SPEC `input` object plus the full lists.
    Json,
}

/// `complaints validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    /// Input files and config.
    pub input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ValidateFormat::Text)]
    pub format: ValidateFormat,
}

/// `complaints init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the example config.
    #[arg(default_value = "complaints.toml")]
    pub path: PathBuf,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

/// `complaints generate` (hidden).
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of cases.
    #[arg(long, default_value_t = 3000)]
    pub cases: usize,
    /// Random seed; the same seed gives the same files.
    #[arg(long, default_value_t = 2024)]
    pub seed: u64,
    /// Folder to write into.
    #[arg(long, default_value = "sample-data")]
    pub out: PathBuf,
    /// Write a tidy CSV only (no title rows, bad rows or XLSX): for benchmarks.
    #[arg(long)]
    pub clean: bool,
    /// File name stem.
    #[arg(long, default_value = "complaints-export")]
    pub name: String,
}
