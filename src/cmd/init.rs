//! `complaints init`: starter files that belong to the user — a commented config (with
//! `--from EXPORT`, its `[columns]` holding the mapping found in that export) and, with
//! `--answers FILE`, an answers file listing every provision of a form, unanswered.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::error::usage;
use crate::fields::FIELDS;
use crate::ingest::headers::{ColumnMap, How};
use crate::ingest::ReadOptions;
use crate::render::assessment::{Form, FormName};

/// What `init` needs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where to write the config (default complaints.toml; not written when only `answers` is
    /// asked for).
    pub path: Option<PathBuf>,
    /// Overwrite existing files.
    pub force: bool,
    /// An export whose headers fill `[columns]`.
    pub from: Option<PathBuf>,
    /// The sheet of a spreadsheet export.
    pub sheet: Option<String>,
    /// Where to write an answers file.
    pub answers: Option<PathBuf>,
    /// The form the answers file answers.
    pub form: FormName,
}

/// Writes the starter files.
pub fn run(o: &Options) -> Result<i32> {
    let config_path = match (&o.path, &o.answers, &o.from) {
        (Some(p), _, _) => Some(p.clone()),
        (None, Some(_), None) => None,
        (None, _, _) => Some(PathBuf::from("complaints.toml")),
    };
    let mut written = Vec::new();
    if let Some(path) = config_path {
        let (columns, tenures) = match &o.from {
            Some(export) => (columns_from(export, o.sheet.as_deref())?, tenures_from(export, o.sheet.as_deref())?),
            None => (String::new(), String::new()),
        };
        write_new(&path, &crate::config::starter(&columns, &tenures), o.force)?;
        written.push(path);
    }
    if let Some(path) = &o.answers {
        let form = crate::fs::load_form(o.form, None)?;
        write_new(path, &answers_template(&form), o.force)?;
        written.push(path.clone());
    }
    super::print_written(&written)?;
    super::print(&format!(
        "Review what was written, then run `complaints validate YOUR-EXPORT --config {}`.\n",
        written.first().map(|p| p.display().to_string()).unwrap_or_default()
    ))?;
    Ok(0)
}

fn write_new(path: &Path, text: &str, force: bool) -> Result<()> {
    if path.exists() && !force {
        return Err(usage(format!("{}: already exists; give another path or --force to overwrite", path.display())));
    }
    crate::fs::write_atomic(path, text.as_bytes())
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The `[columns]` body for an export: every field found (inferred ones marked), what was left
/// unused and why, and the fields not found.
fn columns_from(export: &Path, sheet: Option<&str>) -> Result<String> {
    let opts = ReadOptions { sheet: sheet.map(str::to_string), ..ReadOptions::default() };
    let (sheet, map) = crate::ingest::inspect(export, &opts)?;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# The headers of {}{} (header on row {}) and the field each became.",
        export.display(),
        sheet.map(|s| format!(", sheet '{s}'")).unwrap_or_default(),
        map.header_row
    );
    mapped_lines(&mut o, &map);
    let extras: Vec<String> = map.columns.iter().filter(|c| c.how == How::Extra).map(|c| quoted(&c.header)).collect();
    if !extras.is_empty() {
        let _ = writeln!(o, "# Kept as extra columns (usable with --by): {}", extras.join(", "));
    }
    for c in map.columns.iter().filter(|c| c.how == How::Ambiguous) {
        let _ = writeln!(
            o,
            "# Not used: {} could be {}; keep the line that is right:",
            quoted(&c.header),
            c.candidates.join(" or ")
        );
        for f in &c.candidates {
            let _ = writeln!(o, "# {f} = {}", quoted(&c.header));
        }
    }
    let found: Vec<&str> = map.columns.iter().filter_map(|c| c.field.as_deref()).collect();
    let missing: Vec<&str> = FIELDS.iter().map(|f| f.name).filter(|f| !found.contains(f)).collect();
    if !missing.is_empty() {
        let _ = writeln!(o, "# Not found in the export (add a line if a header holds one of them):");
        for f in missing {
            let _ = writeln!(o, "# {f} = \"\"");
        }
    }
    Ok(o)
}

/// The `[tenures]` body for an export: a line for each tenure outside the TSMs that seems low
/// cost rental or home ownership (one per spelling that differs only by case or punctuation),
/// and the others named in a comment. The export is read whole, as `validate` reads it; one
/// that cannot be read whole gives none.
fn tenures_from(export: &Path, sheet: Option<&str>) -> Result<String> {
    let opts = ReadOptions { sheet: sheet.map(str::to_string), ledger_only: true, ..ReadOptions::default() };
    // An export init cannot read whole yet (no received date found: what [columns] is for)
    // still gets its starter config, with the commented example under [tenures].
    let Ok(cases) = crate::ingest::read_cases(&[export.to_path_buf()], &opts) else { return Ok(String::new()) };
    // Most rows first: the spelling written is the one most rows have, with every spelling's rows.
    let mut lines: Vec<(String, String, &str, usize)> = Vec::new();
    let mut others = Vec::new();
    for t in &cases.ledger.tenures_outside_tsm {
        let Some(kind) = t.seems else {
            others.push(quoted(&t.tenure));
            continue;
        };
        let key = crate::ingest::categories::plain(&t.tenure);
        match lines.iter_mut().find(|l| l.0 == key) {
            Some(line) => line.3 += t.rows,
            None => lines.push((key, t.tenure.clone(), kind, t.rows)),
        }
    }
    let mut o = String::new();
    for (_, tenure, kind, rows) in lines {
        let rows = if rows == 1 { "1 row".to_string() } else { format!("{rows} rows") };
        let _ = writeln!(o, "{} = \"{kind}\"  # seems {kind} ({rows}): check", quoted(&tenure));
    }
    if !others.is_empty() {
        let _ = writeln!(o, "# Left outside the TSMs: {}", others.join(", "));
    }
    Ok(o)
}

fn mapped_lines(o: &mut String, map: &ColumnMap) {
    let width =
        map.columns.iter().filter_map(|c| c.field.as_ref().map(|f| f.len() + c.header.len() + 5)).max().unwrap_or(0);
    for c in &map.columns {
        let Some(field) = &c.field else { continue };
        let line = format!("{field} = {}", quoted(&c.header));
        let comment = match c.how {
            How::Inferred => "# inferred: check".to_string(),
            How::Config => "# from the config".to_string(),
            _ => "# known spelling".to_string(),
        };
        let note = c.note.as_ref().map(|n| format!("; {n}")).unwrap_or_default();
        let _ = writeln!(o, "{line:<width$}  {comment}{note}");
    }
}

/// An answers file listing every provision of the form, unanswered, with its requirement.
fn answers_template(form: &Form) -> String {
    let table = if form.name == "seed-2020" { "seed_answers" } else { "answers" };
    let mut o = String::new();
    let _ = writeln!(o, "# answers.toml: your answers for the self-assessment ({}) and the annual report.", form.title);
    let _ = writeln!(
        o,
        "# For each provision: comply = \"yes\", \"no\" or \"n/a\"; the evidence you rely on; and commentary (for a\n# \"no\", what you will do and by when). A provision left unanswered is shown as \"Not yet assessed\".\n"
    );
    let _ = writeln!(o, "[assessment]\ncompleted_by = \"\"\napproved_by = \"\"\n# contradiction_below = 90\ngoverning_body_response = \"\"\nombudsman_annual_letter = \"\"\nombudsman_findings = \"\"");
    let mut section = 0;
    for p in form.provision.iter().filter(|p| !p.introductory) {
        if p.section != section {
            section = p.section;
            let _ = writeln!(o, "\n# Section {}: {}", p.section, p.section_title);
        }
        let _ = writeln!(o, "\n# {} {}", p.number, p.requirement.replace('\n', " "));
        let _ = writeln!(o, "[{table}.{}]", quoted(&p.number));
        let _ = writeln!(o, "# comply = \"yes\"\nevidence = \"\"\ncommentary = \"\"");
    }
    o
}
