//! Ingest: case exports (CSV/XLSX/XLS/ODS) → one polars DataFrame with the canonical schema, and
//! the data-quality ledger that accounts for every row read.

pub mod headers;
pub mod quality;
pub mod source;
pub mod values;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use anyhow::Result;
use polars::prelude::*;

use self::headers::{locate_header, ColumnMap};
use self::quality::{
    apply_rules, index_of, DropRule, Dropped, FileSummary, Ledger, ParsedRow, Rejected, Superseded,
};
use self::source::{is_spreadsheet, read_delimited, read_spreadsheet, Grid};
use self::values::{parse, Cell, Value};
use crate::error::{data, usage};
use crate::fields::{FieldKind, FIELDS, REQUIRED};

/// Column holding the file a case came from.
pub const SOURCE_FILE: &str = "source_file";
/// Column holding the row number a case came from.
pub const SOURCE_ROW: &str = "source_row";
/// Money is held in whole pence under this name (the canonical field is `compensation`).
pub const COMPENSATION_PENCE: &str = "compensation_pence";

/// How to read the files.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Sheet to read from spreadsheets (else the first with a recognisable header).
    pub sheet: Option<String>,
    /// The config's `[columns]`: canonical field → header text.
    pub columns: BTreeMap<String, String>,
    /// The config's `date_format`.
    pub date_format: Option<String>,
}

/// The case table and how it was made.
#[derive(Debug, Clone)]
pub struct Cases {
    /// One row per case: every canonical field typed (Date, Boolean, String, Int64 pence), plus
    /// `source_file`, `source_row` and the files' other columns as text.
    pub df: DataFrame,
    /// What was rejected, dropped and superseded.
    pub ledger: Ledger,
    /// Canonical fields that at least one file has a column for.
    pub present: BTreeSet<&'static str>,
    /// Other columns kept, in first-seen order.
    pub extra_columns: Vec<String>,
}

/// The DataFrame column name for a canonical field.
pub fn column_name(field: &str) -> &str {
    if field == "compensation" {
        COMPENSATION_PENCE
    } else {
        field
    }
}

/// Reads, checks and combines case files in the order given; a later row of the same case wins.
pub fn read_cases(paths: &[PathBuf], opts: &ReadOptions) -> Result<Cases> {
    if paths.is_empty() {
        return Err(usage(
            "no input files: give one or more case exports (CSV, XLSX, XLS or ODS)",
        ));
    }
    let mut ledger = Ledger::default();
    let mut candidates: Vec<ParsedRow> = Vec::new();
    let mut present = BTreeSet::new();
    let mut extra_columns: Vec<String> = Vec::new();
    for (file_index, path) in paths.iter().enumerate() {
        let (grid, map) = open(path, opts)?;
        let name = path.display().to_string();
        for (_, f, _) in &map.fields {
            present.insert(f.name);
        }
        for (_, h) in &map.extras {
            let h = extra_name(h);
            if !extra_columns.contains(&h) {
                extra_columns.push(h);
            }
        }
        let rows = &grid.rows[map.header_index + 1..];
        ledger.files.push(FileSummary {
            path: name.clone(),
            sheet: grid.sheet.clone(),
            header_row: map.header_row,
            rows_read: rows.len(),
            fields: map
                .fields
                .iter()
                .map(|(_, f, h)| (f.name.to_string(), h.clone()))
                .collect(),
            extra_columns: map.extras.iter().map(|(_, h)| h.clone()).collect(),
        });
        for row in rows {
            match parse_row(
                file_index,
                &name,
                row.row,
                &row.cells,
                &map,
                opts,
                &mut ledger.dropped,
            ) {
                Ok(parsed) => candidates.push(parsed),
                Err(rejected) => ledger.rejected.push(rejected),
            }
        }
    }
    // A case seen again: the later row wins. Dropped values of superseded rows are not findings
    // about the data used, so they are taken back out of the ledger.
    let mut last: HashMap<&str, usize> = HashMap::new();
    for (i, r) in candidates.iter().enumerate() {
        last.insert(r.case_id.as_str(), i);
    }
    let mut used = Vec::new();
    let mut superseded_at: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (i, r) in candidates.iter().enumerate() {
        let winner = &candidates[last[r.case_id.as_str()]];
        if last[r.case_id.as_str()] == i {
            used.push(i);
        } else {
            superseded_at.insert((r.file, r.row));
            ledger.superseded.push(Superseded {
                case_id: r.case_id.clone(),
                file: paths[r.file].display().to_string(),
                row: r.row,
                by_file: paths[winner.file].display().to_string(),
                by_row: winner.row,
            });
        }
    }
    let file_index: HashMap<String, usize> = paths
        .iter()
        .enumerate()
        .map(|(i, p)| (p.display().to_string(), i))
        .collect();
    ledger
        .dropped
        .retain(|d| !superseded_at.contains(&(file_index[&d.file], d.row)));
    let mut rows: Vec<ParsedRow> = Vec::with_capacity(used.len());
    let mut take: Vec<Option<ParsedRow>> = candidates.into_iter().map(Some).collect();
    for i in used {
        let mut row = take[i].take().expect("each row used once");
        let file = paths[row.file].display().to_string();
        apply_rules(&mut row, &file, &mut ledger.dropped);
        rows.push(row);
    }
    ledger.rows_used = rows.len();
    let df = build_frame(&rows, paths, &extra_columns)?;
    Ok(Cases {
        df,
        ledger,
        present,
        extra_columns,
    })
}

/// An extra column never takes a canonical or internal name.
fn extra_name(header: &str) -> String {
    let clash = FIELDS.iter().any(|f| column_name(f.name) == header)
        || [SOURCE_FILE, SOURCE_ROW].contains(&header);
    if clash {
        format!("extra: {header}")
    } else {
        header.to_string()
    }
}

/// Opens one file and finds its header (the first sheet that has one, for spreadsheets).
fn open(path: &Path, opts: &ReadOptions) -> Result<(Grid, ColumnMap)> {
    let shown = path.display();
    if !path.exists() {
        return Err(usage(format!("{shown}: no such file; check the path")));
    }
    if path.is_dir() {
        return Err(usage(format!(
            "{shown}: is a folder; give the case export file itself"
        )));
    }
    let grids = if is_spreadsheet(path) {
        read_spreadsheet(path, opts.sheet.as_deref())?
    } else {
        vec![read_delimited(path)?]
    };
    if grids.iter().all(|g| g.rows.is_empty()) {
        return Err(data(format!(
            "{shown}: the file is empty; export the complaint cases again with a header row"
        )));
    }
    let found = grids
        .into_iter()
        .find_map(|g| locate_header(&g, &opts.columns).map(|m| (g, m)));
    let (grid, map) = found.ok_or_else(|| {
        data(format!(
            "{shown}: no recognisable header row (looked for headers such as 'Case Ref' and 'Date Received' in the first 30 rows); map your headers under [columns] in the config"
        ))
    })?;
    for required in REQUIRED {
        if map.header_for(required).is_none() {
            let sheet = grid
                .sheet
                .as_ref()
                .map(|s| format!(" (sheet '{s}')"))
                .unwrap_or_default();
            return Err(data(format!(
                "{shown}{sheet}: the header on row {} has no {required} column; add `{required} = \"Your header\"` under [columns] in the config",
                map.header_row
            )));
        }
    }
    Ok((grid, map))
}

/// Parses one data row; `Err` when the row must be rejected.
fn parse_row(
    file: usize,
    file_name: &str,
    row: usize,
    cells: &[Cell],
    map: &ColumnMap,
    opts: &ReadOptions,
    dropped: &mut Vec<Dropped>,
) -> std::result::Result<ParsedRow, Rejected> {
    let mut values: Vec<Option<Value>> = vec![None; FIELDS.len()];
    let mut raw = vec![String::new(); FIELDS.len()];
    let mut headers: Vec<String> = FIELDS.iter().map(|f| f.name.to_string()).collect();
    let mut errors: Vec<(usize, String)> = Vec::new();
    for (col, field, header) in &map.fields {
        let i = index_of(field.name);
        let cell = cells.get(*col).unwrap_or(&Cell::Empty);
        headers[i] = header.clone();
        raw[i] = cell.display();
        match parse(cell, field.kind, opts.date_format.as_deref()) {
            Ok(v) => values[i] = v,
            Err(reason) => errors.push((i, reason)),
        }
    }
    // Blank booleans that mean "no" are "no" even when the file has no such column.
    for (i, f) in FIELDS.iter().enumerate() {
        if f.kind == (FieldKind::Bool { blank_false: true })
            && values[i].is_none()
            && !errors.iter().any(|(e, _)| *e == i)
        {
            values[i] = Some(Value::Bool(false));
        }
    }
    let reject = |i: usize, reason: String| Rejected {
        file: file_name.to_string(),
        row,
        column: headers[i].clone(),
        value: raw[i].clone(),
        reason,
    };
    for required in REQUIRED {
        let i = index_of(required);
        if let Some((_, reason)) = errors.iter().find(|(e, _)| *e == i) {
            return Err(reject(i, format!("{required}: {reason}")));
        }
        if values[i].is_none() {
            return Err(reject(i, format!("{required}: missing")));
        }
    }
    let case_id = match &values[index_of("case_id")] {
        Some(Value::Text(t)) => t.clone(),
        _ => unreachable!("case_id is text"),
    };
    for (i, reason) in errors {
        dropped.push(Dropped {
            file: file_name.to_string(),
            row,
            case_id: case_id.clone(),
            column: headers[i].clone(),
            field: FIELDS[i].name.to_string(),
            value: raw[i].clone(),
            rule: DropRule::Unparseable,
            reason,
        });
    }
    let extras = map
        .extras
        .iter()
        .filter_map(|(col, h)| {
            let cell = cells.get(*col)?;
            (!cell.is_blank()).then(|| (extra_name(h), cell.display().trim().to_string()))
        })
        .collect();
    Ok(ParsedRow {
        file,
        row,
        case_id,
        values,
        raw,
        headers,
        extras,
    })
}

fn build_frame(
    rows: &[ParsedRow],
    paths: &[PathBuf],
    extra_columns: &[String],
) -> Result<DataFrame> {
    let height = rows.len();
    let mut columns: Vec<Column> = Vec::with_capacity(FIELDS.len() + 2 + extra_columns.len());
    for (i, f) in FIELDS.iter().enumerate() {
        let name = PlSmallStr::from(column_name(f.name));
        let series = match f.kind {
            FieldKind::Date => {
                let phys: Int32Chunked = rows
                    .iter()
                    .map(|r| match r.values[i] {
                        Some(Value::Date(d)) => Some(crate::calendar::epoch_days(d)),
                        _ => None,
                    })
                    .collect();
                phys.with_name(name).into_date().into_series()
            }
            FieldKind::Bool { .. } => {
                let b: BooleanChunked = rows
                    .iter()
                    .map(|r| match r.values[i] {
                        Some(Value::Bool(b)) => Some(b),
                        _ => None,
                    })
                    .collect();
                b.with_name(name).into_series()
            }
            FieldKind::Money => {
                let p: Int64Chunked = rows
                    .iter()
                    .map(|r| match r.values[i] {
                        Some(Value::Pence(p)) => Some(p),
                        _ => None,
                    })
                    .collect();
                p.with_name(name).into_series()
            }
            FieldKind::Text | FieldKind::Outcome | FieldKind::Determination => {
                let s: StringChunked = rows
                    .iter()
                    .map(|r| match &r.values[i] {
                        Some(Value::Text(t)) => Some(t.as_str()),
                        _ => None,
                    })
                    .collect();
                s.with_name(name).into_series()
            }
        };
        columns.push(series.into());
    }
    let files: StringChunked = rows
        .iter()
        .map(|r| Some(paths[r.file].display().to_string()))
        .collect();
    columns.push(files.with_name(SOURCE_FILE.into()).into_series().into());
    let row_numbers: UInt32Chunked = rows.iter().map(|r| Some(r.row as u32)).collect();
    columns.push(
        row_numbers
            .with_name(SOURCE_ROW.into())
            .into_series()
            .into(),
    );
    for name in extra_columns {
        let s: StringChunked = rows
            .iter()
            .map(|r| {
                r.extras
                    .iter()
                    .find(|(h, _)| h == name)
                    .map(|(_, v)| v.as_str())
            })
            .collect();
        columns.push(s.with_name(name.as_str().into()).into_series().into());
    }
    Ok(DataFrame::new(height, columns)?)
}
