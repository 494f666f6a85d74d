//! Ingest: case exports (CSV/XLSX/XLS/ODS) → one polars DataFrame with the canonical schema, and
//! the data-quality ledger that accounts for every row read.

mod batch;
pub mod casework;
pub mod categories;
pub mod headers;
pub mod quality;
pub mod recognise;
pub mod source;
pub mod status;
pub mod values;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use anyhow::Result;
use polars::prelude::*;

use self::headers::{locate_header, ColumnMap, Hints, HEADER_SEARCH_ROWS};
use self::quality::{
    apply_rules, index_of, DropRule, Dropped, FileSummary, LaterStage, Ledger, OtherKinds, OutsideTsm, Rejected,
    RowContext, StageRows, Superseded,
};
use self::source::{
    holds_workbook, is_spreadsheet, is_streamable, is_web_page, open_delimited, open_spreadsheet, open_streamed, Source,
};
use self::values::{parse, Cell, Value};
use crate::error::{data, usage};
use crate::fields::{FieldKind, FIELDS, REQUIRED};

/// Column holding the file a case came from.
pub const SOURCE_FILE: &str = "source_file";
/// Column holding the row number a case came from.
pub const SOURCE_ROW: &str = "source_row";
/// The tenure upper-cased once, for the TSMs' stock types (null when not recorded).
pub const TENURE_KEY: &str = "__tenure";
/// Whether the tenure is LCRA (the key is exactly `LCRA`), worked out once.
pub const TENURE_LCRA: &str = "__tenure_lcra";
/// Whether the tenure is LCHO.
pub const TENURE_LCHO: &str = "__tenure_lcho";
/// Whether no tenure is recorded (null or empty).
pub const TENURE_BLANK: &str = "__tenure_blank";
/// Every internal column ingest adds, which an extra column's header may not take.
const INTERNAL: [&str; 7] =
    [SOURCE_FILE, SOURCE_ROW, status::LESSON_STATE, TENURE_KEY, TENURE_LCRA, TENURE_LCHO, TENURE_BLANK];

/// The tenure key (the tenure upper-cased) and the stock-type flags every TSM count asks (string
/// comparisons are the costly part of a count, so they are made once here rather than in every
/// count). An export spells its tenures a handful of ways: each spelling is upper-cased once,
/// and counted (for `tenures_outside_tsm`).
fn tenure_columns(df: &DataFrame) -> Result<TenureKeys<'_>> {
    let tenure = df.column("tenure")?.str()?;
    let n = tenure.len();
    let mut upper: PlHashMap<&str, (String, usize)> = PlHashMap::new();
    let mut key = StringChunkedBuilder::new(TENURE_KEY.into(), n);
    let (mut lcra, mut lcho, mut blank) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    for t in tenure.iter() {
        match t {
            Some(t) => {
                let (k, rows) = upper.entry(t).or_insert_with(|| (t.to_uppercase(), 0));
                *rows += 1;
                key.append_value(k.as_str());
                lcra.push(k == "LCRA");
                lcho.push(k == "LCHO");
                blank.push(k.is_empty());
            }
            None => {
                key.append_null();
                lcra.push(false);
                lcho.push(false);
                blank.push(true);
            }
        }
    }
    let flag = |name: &str, v: Vec<bool>| BooleanChunked::from_slice(name.into(), &v).into_column();
    let columns =
        [key.finish().into_column(), flag(TENURE_LCRA, lcra), flag(TENURE_LCHO, lcho), flag(TENURE_BLANK, blank)];
    Ok(TenureKeys { columns, spellings: upper.into_iter().map(|(t, (_, rows))| (t, rows)).collect() })
}

/// What `tenure_columns` makes: the key and flag columns, and each tenure as written with its
/// rows.
struct TenureKeys<'a> {
    columns: [Column; 4],
    spellings: Vec<(&'a str, usize)>,
}

/// `excluded` with every case the `accepted` column says was not accepted: a "Complaint
/// Accepted?" answered No is a complaint not accepted; blank says nothing.
fn excluded_or_not_accepted(df: &DataFrame) -> Result<Column> {
    let excluded = df.column("excluded")?.bool()?;
    let not_accepted = !df.column("accepted")?.bool()?;
    let either = excluded | &not_accepted.fill_null_with_values(false)?;
    Ok(either.with_name("excluded".into()).into_column())
}

/// Of each tenure as written (after `[tenures]`) with its rows, those that are neither LCRA nor
/// LCHO, most first; each with the stock type it seems to be, if it seems one.
fn tenures_outside_tsm(counted: Vec<(&str, usize)>) -> Vec<OutsideTsm> {
    let mut out: Vec<OutsideTsm> = counted
        .into_iter()
        .filter(|(t, _)| !t.trim().is_empty() && !["LCRA", "LCHO"].contains(&t.trim().to_uppercase().as_str()))
        .map(|(t, rows)| OutsideTsm { tenure: t.to_string(), rows, seems: recognise::stock_type(t) })
        .collect();
    out.sort_by(|a, b| b.rows.cmp(&a.rows).then_with(|| a.tenure.cmp(&b.tenure)));
    out
}

/// Why a totals or footer line of an export is not used.
pub const FOOTER: &str = "not a case: a totals or footer line";

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
    /// The config's `[categories]`: spelling → the landlord's name for the theme.
    pub categories: BTreeMap<String, String>,
    /// The config's `[tenures]`: tenure as written → the stock type to count it as.
    pub tenures: BTreeMap<String, String>,
    /// First and last day working days can be counted for (dates outside are findings).
    pub calendar_range: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    /// Bytes of delimited text each core reads at a time; `None`: chosen from the file's size
    /// and the cores. The rows are the same whatever it is: tests set it small to cut small files.
    pub stretch_bytes: Option<usize>,
    /// Read every spreadsheet sheet whole, never as a stream (`Source::Streamed`). The rows are
    /// the same either way: tests compare the two.
    pub whole_sheets: bool,
    /// Make only the columns the data-quality ledger reads (`ledger_reads`, and where each row
    /// came from; of the extra columns only a stage column and a kind-of-case column): every row
    /// is still read, typed and checked, so the ledger is the same, but no figure can be
    /// measured on the table. For `validate`, which prints the ledger alone.
    pub ledger_only: bool,
}

/// The fields whose columns the ledger reads once the rows are checked: the reference (the
/// duplicate check), the category (merged spellings), the tenure (cases without one), the
/// export's own Ombudsman determinations and their dates (the casework found in the export)
/// and the lesson status (normalised as the table is finished); and the dates of stages 2 and 3
/// (`LATER_STAGE_DATES`: whether a row at a later stage has any).
pub const LEDGER_FIELDS: [&str; 6] =
    ["case_id", "category", "tenure", "ombudsman_determination", "ombudsman_determination_date", "lesson_status"];

/// The dates of stages 2 and 3: a row whose stage column names one of them with none of its
/// dates is at a later stage than its dates (`Ledger.later_stage`).
const LATER_STAGE_DATES: [[&str; 4]; 2] = [
    ["s2_requested_date", "s2_ack_date", "s2_due_date", "s2_response_date"],
    ["s3_requested_date", "s3_ack_date", "s3_due_date", "s3_response_date"],
];

/// Whether the ledger reads `field`'s column.
fn ledger_reads(field: &str) -> bool {
    LEDGER_FIELDS.contains(&field) || LATER_STAGE_DATES.as_flattened().contains(&field)
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

/// The normalised status of every case's lesson action (`status::LESSON_STATE`), from the text
/// as recorded in `lesson_status`.
fn lesson_states(df: &DataFrame) -> Result<Column> {
    // An export spells its statuses a handful of ways: each spelling is read once.
    let statuses = df.column("lesson_status")?.str()?;
    let mut read: PlHashMap<&str, i32> = PlHashMap::new();
    let codes: Int32Chunked = statuses
        .iter()
        .map(|t| {
            Some(match t {
                Some(t) => *read.entry(t).or_insert_with(|| status::LessonState::parse(Some(t)) as i32),
                None => status::LessonState::parse(None) as i32,
            })
        })
        .collect();
    Ok(codes.with_name(status::LESSON_STATE.into()).into_column())
}

impl Cases {
    /// Every non-blank value of a text column, trimmed (empty when the column is not text).
    pub fn texts(&self, column: &str) -> Vec<String> {
        let Ok(c) = self.df.column(column).and_then(|c| c.str().cloned()) else { return Vec::new() };
        c.iter().flatten().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect()
    }

    /// Where a field of the table's `row` was read, for messages: "case A1 (export.csv row 12,
    /// column 'Stage 1 Response Sent')".
    pub fn describe_cell(&self, row: usize, field: &str) -> String {
        let text = |column: &str| self.df.column(column).ok()?.str().ok()?.get(row).map(str::to_string);
        let case = text("case_id").unwrap_or_default();
        let file = text(SOURCE_FILE).unwrap_or_default();
        let line = self.df.column(SOURCE_ROW).ok().and_then(|c| c.u32().ok()?.get(row));
        let header = self
            .ledger
            .files
            .iter()
            .find(|f| f.path == file)
            .and_then(|f| f.fields.iter().find(|(name, _)| name == field))
            .map_or(field, |(_, header)| header.as_str());
        let line = line.map(|l| format!(" row {l}")).unwrap_or_default();
        format!("case {case} ({file}{line}, column '{header}')")
    }
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
        return Err(usage("no input files: give one or more case exports (CSV, XLSX, XLS or ODS)"));
    }
    let mut ledger = Ledger::default();
    let mut table = Table::default();
    let mut present = BTreeSet::new();
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let opened = paths.iter().map(|p| open(p, opts)).collect::<Result<Vec<_>>>()?;
    check_config_columns(&opened, opts)?;
    for (file_index, (path, opened)) in paths.iter().zip(opened).enumerate() {
        let name = path.display().to_string();
        let (source, map, head) = locate(path, opened, opts)?;
        let extras_known = table.extra_names.len();
        let mut rows = read_file(&source, &map, file_index, &names, &mut table, opts)?;
        let (source, map) = match rows.shape {
            Some(shape) if !same_as_whole(shape, &head, &map, opts) => {
                // What the stream gave is not what the whole sheet gives: read it whole.
                table.extra_names.truncate(extras_known);
                let whole = open_sheet(path, source.sheet(), false)?;
                let (source, map, _) = locate(path, whole, opts)?;
                rows = read_file(&source, &map, file_index, &names, &mut table, opts)?;
                (source, map)
            }
            _ => (source, map),
        };
        present.extend(map.fields().map(|(_, f, _)| f.name));
        for part in rows.parts {
            ledger.rejected.extend(part.rejected);
            ledger.dropped.extend(part.dropped);
            table.add(part.table?);
        }
        ledger.files.push(FileSummary::of(&name, &source, &map, rows.read));
    }
    let origin = std::mem::take(&mut table.origin);
    let extra_columns = table.extra_names.clone();
    let df = table.finish(&names)?;
    // A column naming the stage a row is at, for the data-quality hints about stages.
    let stage_column = extra_columns.iter().find(|c| is_stage_column(c)).map(String::as_str);
    let keep = supersede(&df, &origin, paths, stage_column, &mut ledger)?;
    let rows_used = keep.iter().filter(|k| **k).count();
    ledger.rows_used = rows_used;
    let mut df =
        if rows_used == df.height() { df } else { df.filter(&BooleanChunked::from_slice("keep".into(), &keep))? };
    ledger.later_stage = stage_column.map(|name| later_stage(&df, name)).transpose()?.flatten();
    ledger.other_kinds = other_kinds(&df, &extra_columns)?;
    if present.contains("accepted") && df.column("accepted").is_ok() && df.column("excluded").is_ok() {
        df.with_column(excluded_or_not_accepted(&df)?)?;
        present.insert("excluded");
    }
    categories::respell(&mut df, "category", &opts.categories)?;
    categories::respell(&mut df, "tenure", &opts.tenures)?;
    // Every TSM figure asks a case's stock type; the upper-casing is done once here.
    let TenureKeys { columns, spellings } = tenure_columns(&df)?;
    if present.contains("tenure") {
        ledger.tenures_outside_tsm = tenures_outside_tsm(spellings);
    }
    for column in columns {
        df.with_column(column)?;
    }
    ledger.category_merges = categories::candidates(&df)?;
    if present.contains("tenure") {
        ledger.tenure_not_recorded = rows_without(&df, "tenure")?;
    }
    Ok(Cases { df, ledger, present, extra_columns })
}

/// Reads one file's data rows under its header's map.
fn read_file(
    source: &Source,
    map: &ColumnMap,
    index: usize,
    names: &[String],
    table: &mut Table,
    opts: &ReadOptions,
) -> Result<batch::Rows> {
    let name = &names[index];
    let mut headers = vec![String::new(); FIELDS.len()];
    let mut column_of: Vec<Option<usize>> = vec![None; FIELDS.len()];
    for (col, f, h) in map.fields() {
        let i = index_of(f.name);
        headers[i] = h.to_string();
        column_of[i] = Some(col);
    }
    // The ledger reads no extra column's values but a stage column's (`stage_rows`,
    // `later_stage`) and one that may name the kind of case (`other_kinds`); its file summary
    // names the others from `map`.
    let extras: Vec<(usize, usize)> = extra_names(map.extras())
        .into_iter()
        .filter(|(_, name)| !opts.ledger_only || is_stage_column(name) || recognise::may_name_kinds(name))
        .map(|(col, name)| (col, table.extra_column(&name)))
        .collect();
    let layout = batch::FileLayout {
        index,
        name,
        names,
        headers,
        column_of,
        extras,
        extra_names: table.extra_names.clone(),
        header_row: map.header_row,
        width: map.columns.len(),
    };
    batch::read_rows(source, &layout, opts).map_err(|e| data(format!("{name}: {e:#}")))
}

/// Whether a sheet read as a stream gave what reading it whole gives: its cells stored in order,
/// and its header found the same when its first rows are as wide as the sheet (a whole sheet's
/// rows all are; a stream's rows end at their last cell, so a cell right of the header, in any
/// row, would have made columns the stream did not read).
fn same_as_whole(shape: batch::Shape, head: &Head, map: &ColumnMap, opts: &ReadOptions) -> bool {
    if !shape.in_order {
        return false;
    }
    let width = shape.widest.map_or(0, |w| w as usize + 1);
    let widened: Head = head
        .iter()
        .map(|(row, cells)| {
            let mut cells = cells.clone();
            cells.resize(width.max(cells.len()), String::new());
            (*row, cells)
        })
        .collect();
    locate_header(&widened, case_hints(opts))
        .is_some_and(|whole| whole.header_row == map.header_row && whole.columns == map.columns)
}

/// A case seen again: the later row wins. Values dropped from superseded rows are not findings
/// about the data used, so they are taken back out of the ledger. Returns which rows are kept.
fn supersede(
    df: &DataFrame,
    origin: &[(usize, usize)],
    paths: &[PathBuf],
    stage_column: Option<&str>,
    ledger: &mut Ledger,
) -> Result<Vec<bool>> {
    let ids = df.column("case_id")?.str()?;
    // Most exports have each case once: then every row is kept, with nothing to look up.
    if all_distinct(ids) {
        return Ok(vec![true; ids.len()]);
    }
    let mut last: PlHashMap<&str, usize> = PlHashMap::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        last.insert(id.unwrap_or(""), i);
    }
    let mut keep = Vec::with_capacity(ids.len());
    let mut superseded_at: HashSet<(usize, usize)> = HashSet::new();
    let mut pairs = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let id = id.unwrap_or("");
        let winner = last.get(id).copied().unwrap_or(i);
        keep.push(winner == i);
        if winner != i {
            pairs.push((i, winner));
            let (file, row) = origin[i];
            let (by_file, by_row) = origin[winner];
            superseded_at.insert((file, row));
            ledger.superseded.push(Superseded {
                case_id: id.to_string(),
                file: paths[file].display().to_string(),
                row,
                by_file: paths[by_file].display().to_string(),
                by_row,
            });
        }
    }
    // Files are told apart by their position on the command line: the same file given twice
    // is two sources.
    ledger.dropped.retain(|d| !superseded_at.contains(&(d.file_index, d.row)));
    ledger.stage_rows = stage_column.map(|name| stage_rows(df, &pairs, name)).transpose()?.flatten();
    Ok(keep)
}

/// Whether a header names the stage a row is at, and nothing else ("Stage", "Current Stage",
/// "Complaint Stage"): a column a one-row-per-stage export has.
fn is_stage_column(header: &str) -> bool {
    let words = recognise::words(header);
    words.iter().any(|w| w == "stage" || w == "level")
        && words
            .iter()
            // "Complaint Stage [list]": a helpdesk's custom field, its kind in brackets.
            .all(|w| {
                matches!(
                    w.as_str(),
                    "stage" | "level" | "current" | "complaint" | "case" | "no" | "number" | "list" | "dropdown"
                )
            })
}

/// The superseded rows (`pairs`: each with the row used instead) whose stage column differs
/// from the row used: what says the export gives each stage a row of its own.
fn stage_rows(df: &DataFrame, pairs: &[(usize, usize)], name: &str) -> Result<Option<StageRows>> {
    let (stages, ids) = (df.column(name)?.str()?, df.column("case_id")?.str()?);
    let stage = |i: usize| stages.get(i).map(str::trim).filter(|s| !s.is_empty());
    let mut differ = pairs.iter().filter_map(|&(i, winner)| match (stage(i), stage(winner)) {
        (Some(was), Some(now)) if !was.eq_ignore_ascii_case(now) => Some((i, was, now)),
        _ => None,
    });
    let Some((i, was, now)) = differ.next() else { return Ok(None) };
    let example = (ids.get(i).unwrap_or_default().to_string(), was.to_string(), now.to_string());
    Ok(Some(StageRows { column: name.to_string(), rows: 1 + differ.count(), example }))
}

/// The rows used whose stage column names a later stage (stage 2 or 3) while the row has no date
/// of that stage: an export with a row per complaint at its current stage, whose dates may be
/// that stage's but are read by their headers (as stage 1's when the headers name no stage).
fn later_stage(df: &DataFrame, name: &str) -> Result<Option<LaterStage>> {
    let stages = df.column(name)?.str()?;
    let ids = df.column("case_id")?.str()?;
    // For stages 2 and 3: whether each row has any date of the stage.
    let dated: Vec<Vec<bool>> = LATER_STAGE_DATES
        .iter()
        .map(|fields| {
            let mut any = vec![false; df.height()];
            for field in fields {
                if let Ok(c) = df.column(field) {
                    for (a, null) in any.iter_mut().zip(c.is_null().iter()) {
                        *a |= null == Some(false);
                    }
                }
            }
            any
        })
        .collect();
    let dated = |k: usize, i: usize| dated[k - 2][i];
    let (mut rows, mut example) = (0, None);
    for (i, value) in stages.iter().enumerate() {
        let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else { continue };
        let Some(k) = recognise::stage_of(&recognise::words(value)).filter(|k| *k >= 2) else { continue };
        if dated(k, i) {
            continue;
        }
        rows += 1;
        example.get_or_insert_with(|| (ids.get(i).unwrap_or_default().to_string(), value.to_string(), k));
    }
    Ok(example.map(|example| LaterStage { column: name.to_string(), rows, example }))
}

/// The rows of the first column naming the kind of case (`recognise::may_name_kinds`, its cells
/// `recognise::is_kinds_column`) that say another kind than a complaint.
fn other_kinds(df: &DataFrame, extra_columns: &[String]) -> Result<Option<OtherKinds>> {
    for name in extra_columns.iter().filter(|c| recognise::may_name_kinds(c)) {
        // Each value written once, with its rows and its first row: a column of a few kinds (or
        // of property types) is otherwise read word by word a million times over.
        let mut values: PlHashMap<&str, (usize, usize)> = PlHashMap::new();
        for (i, cell) in df.column(name)?.str()?.iter().enumerate() {
            if let Some(cell) = cell.map(str::trim).filter(|c| !c.is_empty()) {
                values.entry(cell).or_insert((0, i)).0 += 1;
            }
        }
        if !recognise::is_kinds_column_counted(values.iter().map(|(v, (n, _))| (*v, *n))) {
            continue;
        }
        let mut other: Vec<(&str, usize, usize)> = values
            .into_iter()
            .filter(|(v, _)| recognise::case_kind(v) == Some(recognise::CaseKind::Other))
            .map(|(v, (n, first))| (v, n, first))
            .collect();
        let Some(first) = other.iter().map(|(_, _, first)| *first).min() else { return Ok(None) };
        let example = df.column("case_id")?.str()?.get(first).unwrap_or_default().to_string();
        other.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        let rows = other.iter().map(|(_, n, _)| n).sum();
        let kinds = other.into_iter().map(|(k, n, _)| (k.to_string(), n)).collect();
        return Ok(Some(OtherKinds { column: name.clone(), rows, kinds, example }));
    }
    Ok(None)
}

/// Whether no reference is given twice, found on every core: each core hashes a share of the
/// rows, the hashes are split between the cores by their top bits, and each core looks for a
/// hash seen twice in its part. None means every reference differs; one (a reference given twice,
/// or two that hash alike) means maybe not, and `supersede` looks the rows up exactly.
fn all_distinct(ids: &StringChunked) -> bool {
    use std::hash::BuildHasher;
    let state = PlRandomState::default();
    let parts = crate::par::cores().next_power_of_two();
    let shift = u64::BITS - parts.trailing_zeros();
    let share = ids.len().div_ceil(parts).max(1);
    let shares: Vec<usize> = (0..ids.len()).step_by(share).collect();
    // Each share's hashes, by the part their top bits choose.
    let hashed = crate::par::map_in_order(&shares, |&from| {
        let mut by_part: Vec<Vec<u64>> = vec![Vec::with_capacity(share / parts + 1); parts];
        for id in ids.slice(from as i64, share).iter() {
            let h = state.hash_one(id.unwrap_or(""));
            let part = if shift == u64::BITS { 0 } else { (h >> shift) as usize };
            by_part[part].push(h);
        }
        by_part
    });
    let Some(hashed) = hashed.into_iter().collect::<Option<Vec<_>>>() else { return false };
    let parts: Vec<usize> = (0..parts).collect();
    crate::par::map_in_order(&parts, |&part| {
        let mut seen = PlHashSet::with_capacity(hashed.iter().map(|h| h[part].len()).sum());
        hashed.iter().flat_map(|h| &h[part]).all(|h| seen.insert(*h))
    })
    .into_iter()
    .all(|distinct| distinct == Some(true))
}

/// The used rows where a text column is blank.
fn rows_without(df: &DataFrame, column: &str) -> Result<Vec<quality::RowRef>> {
    let (value, file, row, case) = (
        df.column(column)?.str()?,
        df.column(SOURCE_FILE)?.str()?,
        df.column(SOURCE_ROW)?.u32()?,
        df.column("case_id")?.str()?,
    );
    Ok((0..df.height())
        .filter(|&i| value.get(i).is_none())
        .map(|i| quality::RowRef {
            file: file.get(i).unwrap_or("").to_string(),
            row: row.get(i).unwrap_or(0) as usize,
            case_id: case.get(i).unwrap_or("").to_string(),
        })
        .collect())
}

/// An extra column never takes a canonical or internal name.
fn extra_name(header: &str) -> String {
    let clash = FIELDS.iter().any(|f| column_name(f.name) == header) || INTERNAL.contains(&header);
    if clash {
        format!("extra: {header}")
    } else {
        header.to_string()
    }
}

/// The table's name for each of one file's extra columns: its header (`extra_name`), and a header
/// the file repeats numbered from its second column on ("Notes", "Notes (2)"), so that no two of
/// the file's columns fill one column of the table and neither is lost. A number another of the
/// file's headers already spells is passed over.
fn extra_names<'a>(extras: impl Iterator<Item = (usize, &'a str)>) -> Vec<(usize, String)> {
    let extras: Vec<(usize, String)> = extras.map(|(col, h)| (col, extra_name(h))).collect();
    let spelled: HashSet<&str> = extras.iter().map(|(_, name)| name.as_str()).collect();
    let mut taken: HashSet<String> = HashSet::new();
    let mut named = Vec::with_capacity(extras.len());
    for (col, name) in &extras {
        let mut unique = name.clone();
        let mut k = 2;
        while taken.contains(&unique) || (unique != *name && spelled.contains(unique.as_str())) {
            unique = format!("{name} ({k})");
            k += 1;
        }
        taken.insert(unique.clone());
        named.push((*col, unique));
    }
    named
}

/// The first rows of a source: (row number, cell texts).
type Head = Vec<(usize, Vec<String>)>;

/// A file opened with the first rows of each of its sources (one, or one per sheet).
struct Opened {
    sources: Vec<(Source, Head)>,
}

/// Opens one case export and reads the first rows of each source (sheet); an XLSX workbook's
/// sheets to be read as streams.
fn open(path: &Path, opts: &ReadOptions) -> Result<Opened> {
    open_sheet(path, opts.sheet.as_deref(), !opts.whole_sheets)
}

/// Opens one file (the named sheet of a spreadsheet, else every sheet) and reads the first rows
/// of each source; `stream`: an XLSX workbook's sheets as streams (see `Source::Streamed`).
fn open_sheet(path: &Path, sheet: Option<&str>, stream: bool) -> Result<Opened> {
    let shown = path.display();
    if !path.exists() {
        return Err(usage(format!("{shown}: no such file; check the path")));
    }
    if path.is_dir() {
        return Err(usage(format!("{shown}: is a folder; give the file itself")));
    }
    let holds = holds_workbook(path);
    let workbook = holds && is_spreadsheet(path);
    let sources = if workbook && stream && is_streamable(path) {
        open_streamed(path, sheet)?
    } else if workbook {
        open_spreadsheet(path, sheet)?
    } else if holds {
        // A workbook (or another zip archive) under a text file's name is no text to read.
        return Err(data(format!(
            "{shown}: holds a workbook (or a zip archive), not CSV text, under a text file's name; \
             give it its own name (.xlsx, or .xls) or save it from Excel as CSV"
        )));
    } else {
        // Delimited text, whatever its name: a "spreadsheet" that holds text is read as text.
        let source = open_delimited(path)?;
        if let Source::Delimited { text, .. } = &source {
            if is_spreadsheet(path) && is_web_page(text) {
                return Err(data(format!(
                    "{shown}: is a web page (an HTML table) under a spreadsheet's name, not a workbook; open it in Excel and save it as .xlsx, or export CSV"
                )));
            }
        }
        vec![source]
    };
    let mut out = Vec::new();
    for source in sources {
        let head = source.head(HEADER_SEARCH_ROWS).map_err(|e| data(format!("{shown}: {e:#}")))?;
        out.push((source, head));
    }
    Ok(Opened { sources: out })
}

/// Every `[columns]` entry must name a header some file has: a misspelt header is an error
/// naming the key, the header and the closest headers the files do have.
fn check_config_columns(opened: &[Opened], opts: &ReadOptions) -> Result<()> {
    let seen: Vec<&str> = opened
        .iter()
        .flat_map(|o| o.sources.iter())
        .flat_map(|(_, head)| head.iter().flat_map(|(_, cells)| cells.iter().map(String::as_str)))
        .filter(|c| !c.trim().is_empty())
        .collect();
    for (field, header) in &opts.columns {
        let key = crate::fields::normalise_header(header);
        if seen.iter().any(|h| crate::fields::normalise_header(h) == key) {
            continue;
        }
        let mut close: Vec<(f64, &str)> = seen
            .iter()
            .map(|h| (strsim::normalized_levenshtein(&crate::fields::normalise_header(h), &key), *h))
            .filter(|(score, h)| *score >= 0.5 || crate::fields::normalise_header(h).contains(&key))
            .collect();
        close.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        close.dedup_by(|a, b| a.1 == b.1);
        let hint = match close.len() {
            0 => "check the spelling against the export's header row".to_string(),
            _ => format!(
                "close matches: {}",
                close.iter().take(3).map(|(_, h)| format!("\"{h}\"")).collect::<Vec<_>>().join(", ")
            ),
        };
        return Err(usage(format!("[columns] {field} = \"{header}\": no file has a header \"{header}\"; {hint}")));
    }
    Ok(())
}

/// Finds a file's header: the first source (sheet) that has one, with the required fields.
fn locate(path: &Path, opened: Opened, opts: &ReadOptions) -> Result<(Source, ColumnMap, Head)> {
    let (source, map, head) = find_header_with(path, opened, case_hints(opts))?;
    require(path, &source, &map)?;
    Ok((source, map, head))
}

/// How a case export's header is recognised.
fn case_hints(opts: &ReadOptions) -> Hints<'_> {
    Hints { schema: &headers::CASES, config: &opts.columns, date_format: opts.date_format.as_deref() }
}

/// The first source (sheet) of a file with a header row of `hints.schema`'s kind.
fn find_header_with(path: &Path, opened: Opened, hints: Hints) -> Result<(Source, ColumnMap, Head)> {
    let shown = path.display();
    let any_rows = opened.sources.iter().any(|(_, head)| !head.is_empty());
    let found =
        opened.sources.into_iter().find_map(|(source, head)| locate_header(&head, hints).map(|m| (source, m, head)));
    if !any_rows {
        return Err(data(format!(
            "{shown}: the file is empty; export the {} again with a header row",
            hints.schema.what
        )));
    }
    found.ok_or_else(|| {
        data(format!(
            "{shown}: no recognisable header row (looked for headers such as {} in the first {HEADER_SEARCH_ROWS} rows); map your headers under [{}] in the config",
            hints.schema.examples, hints.schema.config_table
        ))
    })
}

/// A file's header must give the required fields.
fn require(path: &Path, source: &Source, map: &ColumnMap) -> Result<()> {
    let shown = path.display();
    for required in REQUIRED {
        if map.header_for(required).is_none() {
            let sheet = source.sheet().map(|s| format!(" (sheet '{s}')")).unwrap_or_default();
            return Err(data(format!(
                "{shown}{sheet}: the header on row {} has no {required} column; add `{required} = \"Your header\"` under [columns] in the config",
                map.header_row
            )));
        }
    }
    Ok(())
}

/// What a file's header says, without reading its rows: the sheet read and every header's
/// meaning (for `init --from`). The required fields need not be there.
pub fn inspect(path: &Path, opts: &ReadOptions) -> Result<(Option<String>, ColumnMap)> {
    let opened = open_sheet(path, opts.sheet.as_deref(), false)?;
    check_config_columns(std::slice::from_ref(&opened), opts)?;
    let (source, map, _) = find_header_with(path, opened, case_hints(opts))?;
    Ok((source.sheet().map(str::to_string), map))
}

/// One file's layout, shared by its rows.
struct FileRow<'f> {
    index: usize,
    name: &'f str,
    row: usize,
    headers: &'f [String],
    column_of: &'f [Option<usize>],
}

/// Parses one data row and applies the data-quality rules; `Err` when the row must be rejected.
fn parse_row<'a>(
    file: &FileRow,
    cells: &[Cell<'a>],
    opts: &ReadOptions,
    dropped: &mut Vec<Dropped>,
) -> std::result::Result<Vec<Option<Value<'a>>>, Rejected> {
    let cell = |i: usize| file.column_of[i].and_then(|c| cells.get(c).copied()).unwrap_or(Cell::Empty);
    let raw = |i: usize| cell(i).display();
    let mut values: Vec<Option<Value<'a>>> = Vec::with_capacity(FIELDS.len());
    let mut errors: Vec<(usize, String)> = Vec::new();
    for (i, f) in FIELDS.iter().enumerate() {
        // Blank flags mean "no" even when the file has no such column.
        match parse(&cell(i), f.kind, opts.date_format.as_deref()) {
            Ok(v) => values.push(v),
            Err(reason) => {
                values.push(None);
                errors.push((i, reason));
            }
        }
    }
    let column =
        |i: usize| if file.headers[i].is_empty() { FIELDS[i].name.to_string() } else { file.headers[i].clone() };
    for required in REQUIRED {
        let i = index_of(required);
        let reason = match errors.iter().find(|(e, _)| *e == i) {
            Some((_, reason)) => format!("{required}: {reason}"),
            None if values[i].is_none() => format!("{required}: missing"),
            None => continue,
        };
        // "Total", "Report generated on …": a line a report writes below (or between) its cases.
        let reason = if recognise::is_footer_line(cells) { format!("{FOOTER} ({reason})") } else { reason };
        return Err(Rejected { file: file.name.to_string(), row: file.row, column: column(i), value: raw(i), reason });
    }
    let received = quality::RULE_FIELDS.received;
    if let (Some(range), Some(Value::Date(d))) = (opts.calendar_range, &values[received]) {
        if *d < range.0 || *d > range.1 {
            let i = received;
            let reason = format!(
                "received_date: {}; correct the date, or give a bank-holidays file covering it with --holidays FILE",
                quality::outside_calendar(*d, range)
            );
            return Err(Rejected {
                file: file.name.to_string(),
                row: file.row,
                column: column(i),
                value: raw(i),
                reason,
            });
        }
    }
    let case_id = match &values[quality::RULE_FIELDS.case_id] {
        Some(Value::Text(t)) => t.clone(),
        _ => unreachable!("case_id is text"),
    };
    let ctx = RowContext {
        file: file.name,
        file_index: file.index,
        row: file.row,
        case_id: &case_id,
        headers: file.headers,
        raw: &raw,
    };
    for (i, reason) in errors {
        ctx.drop_value(&mut values, i, DropRule::Unparseable, reason, dropped);
    }
    if let Some(range) = opts.calendar_range {
        quality::check_calendar_range(&mut values, &ctx, range, dropped);
    }
    apply_rules(&mut values, &ctx, dropped);
    Ok(values)
}

/// A column being built, typed by its field.
enum ColumnBuilder {
    Date(PrimitiveChunkedBuilder<Int32Type>),
    Bool(BooleanChunkedBuilder),
    Pence(PrimitiveChunkedBuilder<Int64Type>),
    Text(StringChunkedBuilder),
    /// A field whose column is not made (`ReadOptions::ledger_only`).
    Skipped,
}

/// The case table built column by column as rows are read.
struct TableBuilder {
    columns: Vec<ColumnBuilder>,
    origin: Vec<(usize, usize)>,
    extras: Vec<StringChunkedBuilder>,
    /// Scratch for `push`: the extra columns a row filled.
    filled: Vec<bool>,
    len: usize,
}

const CAPACITY: usize = 1024;

impl TableBuilder {
    fn new(extra_names: &[String]) -> Self {
        Self::with_capacity(extra_names, CAPACITY, false)
    }

    /// A builder for `rows` rows: sized once, so no column grows past what it holds.
    /// `ledger_only`: only the columns the ledger reads (`ledger_reads`).
    fn with_capacity(extra_names: &[String], rows: usize, ledger_only: bool) -> Self {
        let rows = rows.max(1);
        let columns = FIELDS
            .iter()
            .map(|f| {
                let name = PlSmallStr::from(column_name(f.name));
                if ledger_only && !ledger_reads(f.name) {
                    return ColumnBuilder::Skipped;
                }
                match f.kind {
                    FieldKind::Date => ColumnBuilder::Date(PrimitiveChunkedBuilder::new(name, rows)),
                    FieldKind::Bool { .. } => ColumnBuilder::Bool(BooleanChunkedBuilder::new(name, rows)),
                    FieldKind::Money => ColumnBuilder::Pence(PrimitiveChunkedBuilder::new(name, rows)),
                    FieldKind::Text | FieldKind::Outcome | FieldKind::Determination => {
                        ColumnBuilder::Text(StringChunkedBuilder::new(name, rows))
                    }
                }
            })
            .collect();
        TableBuilder {
            columns,
            origin: Vec::new(),
            extras: extra_names.iter().map(|n| StringChunkedBuilder::new(n.as_str().into(), rows)).collect(),
            filled: Vec::new(),
            len: 0,
        }
    }

    fn push<'a>(
        &mut self,
        file: usize,
        row: usize,
        values: &[Option<Value<'a>>],
        extras: impl Iterator<Item = (usize, Cow<'a, str>)>,
    ) {
        for (b, v) in self.columns.iter_mut().zip(values) {
            match (b, v) {
                (ColumnBuilder::Date(b), Some(Value::Date(d))) => b.append_value(crate::calendar::epoch_days(*d)),
                (ColumnBuilder::Bool(b), Some(Value::Bool(x))) => b.append_value(*x),
                (ColumnBuilder::Pence(b), Some(Value::Pence(p))) => b.append_value(*p),
                (ColumnBuilder::Text(b), Some(Value::Text(t))) => b.append_value(t.as_ref()),
                (ColumnBuilder::Date(b), _) => b.append_null(),
                (ColumnBuilder::Bool(b), _) => b.append_null(),
                (ColumnBuilder::Pence(b), _) => b.append_null(),
                (ColumnBuilder::Text(b), _) => b.append_null(),
                (ColumnBuilder::Skipped, _) => {}
            }
        }
        // Which extra columns this row filled (one list serves every row).
        self.filled.clear();
        self.filled.resize(self.extras.len(), false);
        for (slot, text) in extras {
            self.extras[slot].append_value(text.as_ref());
            self.filled[slot] = true;
        }
        for (slot, done) in self.filled.iter().enumerate() {
            if !done {
                self.extras[slot].append_null();
            }
        }
        self.origin.push((file, row));
        self.len += 1;
    }

    /// The rows as a frame and what the duplicate check needs of them, made on the thread that
    /// typed them. `names`: every file's name, by its position on the command line.
    fn into_block(self, names: &[String]) -> Result<Block> {
        let origin = self.origin.clone();
        let frame = if self.len > 0 { Some(self.finish(names)?) } else { None };
        Ok(Block { frame, origin })
    }

    fn finish(self, names: &[String]) -> Result<DataFrame> {
        let mut columns: Vec<Column> = Vec::with_capacity(FIELDS.len() + 2 + self.extras.len());
        for b in self.columns {
            let series = match b {
                ColumnBuilder::Date(b) => b.finish().into_date().into_series(),
                ColumnBuilder::Bool(b) => b.finish().into_series(),
                ColumnBuilder::Pence(b) => b.finish().into_series(),
                ColumnBuilder::Text(b) => b.finish().into_series(),
                ColumnBuilder::Skipped => continue,
            };
            columns.push(series.into());
        }
        let files: StringChunked = self.origin.iter().map(|(f, _)| Some(names[*f].as_str())).collect();
        columns.push(files.with_name(SOURCE_FILE.into()).into_series().into());
        columns.push(source_rows(&self.origin));
        for b in self.extras {
            columns.push(b.finish().into_series().into());
        }
        Ok(DataFrame::new(self.len, columns)?)
    }
}

/// One chunk per column, as a single builder would have made: every later query is faster.
/// Column by column, each one's parts freed as soon as it is copied, so the table is never held
/// twice; every other column on a second thread, the columns back in their order.
fn rechunked(columns: Vec<Column>) -> Vec<Column> {
    let (mut even, mut odd) = (Vec::new(), Vec::new());
    for (i, c) in columns.into_iter().enumerate() {
        if i % 2 == 0 {
            even.push(c)
        } else {
            odd.push(c)
        }
    }
    let each = |part: Vec<Column>| -> Vec<Column> { part.into_iter().map(|c| c.rechunk()).collect() };
    let (even, odd) = std::thread::scope(|scope| {
        let odd = scope.spawn(move || each(odd));
        let even = each(even);
        // Rechunking does not panic on a well-formed column; if it did, the panic is the scope's.
        (even, odd.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    });
    let mut out = Vec::with_capacity(even.len() + odd.len());
    let mut odd = odd.into_iter();
    for c in even {
        out.push(c);
        out.extend(odd.next());
    }
    out
}

/// Rows typed into a frame (none when no row was used), with each row's origin for the
/// duplicate check.
struct Block {
    frame: Option<DataFrame>,
    origin: Vec<(usize, usize)>,
}

impl Block {
    /// Numbers every row `by` lower (see `batch::Part::renumber`).
    fn renumber(&mut self, by: usize) -> Result<()> {
        self.origin.iter_mut().for_each(|(_, row)| *row = row.saturating_sub(by));
        if let Some(frame) = &mut self.frame {
            frame.with_column(source_rows(&self.origin))?;
        }
        Ok(())
    }
}

/// The `source_row` column of rows of these origins (file, row).
fn source_rows(origin: &[(usize, usize)]) -> Column {
    let rows: UInt32Chunked = origin.iter().map(|(_, r)| Some(*r as u32)).collect();
    rows.with_name(SOURCE_ROW.into()).into_column()
}

/// The case table as it is read: every part's frame in file order, with the origins the
/// duplicate check needs, and the extra columns in first-seen order.
#[derive(Default)]
struct Table {
    frames: Vec<DataFrame>,
    origin: Vec<(usize, usize)>,
    extra_names: Vec<String>,
}

impl Table {
    /// The slot of an extra column, adding it when new (earlier rows have it blank).
    fn extra_column(&mut self, name: &str) -> usize {
        if let Some(i) = self.extra_names.iter().position(|n| n == name) {
            return i;
        }
        self.extra_names.push(name.to_string());
        self.extra_names.len() - 1
    }

    fn add(&mut self, mut block: Block) {
        self.origin.append(&mut block.origin);
        self.frames.extend(block.frame);
    }

    /// One frame: the parts stacked, each given the extra columns it lacks (blank), then every
    /// case's normalised lesson status.
    fn finish(self, names: &[String]) -> Result<DataFrame> {
        let mut frames = self.frames.into_iter();
        let mut df = match frames.next() {
            Some(first) => first,
            None => TableBuilder::new(&self.extra_names).finish(names)?,
        };
        let align = |mut f: DataFrame| -> Result<DataFrame> {
            for name in &self.extra_names {
                if f.column(name).is_err() {
                    let blank = StringChunked::full_null(name.as_str().into(), f.height());
                    f.with_column(blank.into_column())?;
                }
            }
            Ok(f)
        };
        df = align(df)?;
        for f in frames {
            df.vstack_mut(&align(f)?.select(df.get_column_names_owned())?)?;
        }
        let height = df.height();
        let mut df = DataFrame::new(height, rechunked(df.into_columns()))?;
        df.with_column(lesson_states(&df)?)?;
        Ok(df)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_references_are_found_on_every_core() {
        let ids = |n: usize, repeat: Option<usize>| -> StringChunked {
            (0..n).map(|i| Some(format!("C{}", repeat.filter(|_| i == n - 1).unwrap_or(i)))).collect()
        };
        assert!(all_distinct(&ids(10_001, None)));
        // The last reference is the first's, or one from the middle: across the cores' shares.
        assert!(!all_distinct(&ids(10_001, Some(0))));
        assert!(!all_distinct(&ids(10_001, Some(5_000))));
        assert!(all_distinct(&ids(0, None)));
        assert!(all_distinct(&ids(1, None)));
    }
}
