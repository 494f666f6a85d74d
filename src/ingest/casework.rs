//! The Ombudsman casework file (SPEC §2 "Ombudsman casework"): one row per finding or order the
//! Housing Ombudsman made on an investigation, read with the case export's header recognition
//! and checked row by row — every row is used or rejected with its reason, and cases the case
//! export does not have are listed, not dropped. Without such a file, the case export's own
//! determinations (with their dates) are the findings.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::ControlFlow;
use std::path::Path;

use anyhow::Result;
use chrono::NaiveDate;
use polars::prelude::*;
use serde::Serialize;

use super::headers::{ColumnMap, Hints, How, Schema};
use super::quality::{DropRule, Dropped, FileSummary, Rejected, RowRef};
use super::recognise::words;
use super::values::{parse, Cell, Value, DETERMINATIONS};
use super::{find_header_with, open_sheet, SOURCE_FILE, SOURCE_ROW};
use crate::error::{data, usage};
use crate::fields::{Field, CASEWORK_FIELDS};

/// The casework file's kind, for the header reading.
pub static CASEWORK: Schema = Schema {
    what: "Ombudsman casework file",
    fields: CASEWORK_FIELDS,
    config_table: "ombudsman_columns",
    examples: "'HOS Ref', 'Finding' and 'Decision Date'",
    candidates,
    // A bare "Ref" there could be the Ombudsman's reference or the landlord's.
    bare_reference: None,
};

/// What the Ombudsman ordered the landlord to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OrderKind {
    /// Apologise.
    Apology,
    /// Pay compensation.
    Compensation,
    /// Carry out works or repairs.
    Works,
    /// Review a policy, a practice or a case; train staff.
    Review,
    /// Anything else.
    Other,
}

impl OrderKind {
    /// Reads an order's type, or its text when no type is given: the first kind its words name.
    pub fn read(text: &str) -> Option<OrderKind> {
        let ws = words(text);
        let has = |stems: &[&str]| ws.iter().any(|w| stems.iter().any(|s| w.starts_with(s)));
        if ws.is_empty() {
            None
        } else if has(&["apolog"]) {
            Some(OrderKind::Apology)
        } else if has(&["compens", "pay", "redress", "£"]) {
            Some(OrderKind::Compensation)
        } else if has(&["work", "repair", "inspect", "survey", "remed", "fix", "treat"]) {
            Some(OrderKind::Works)
        } else if has(&["review", "train", "polic", "procedur", "practice", "learning", "self"]) {
            Some(OrderKind::Review)
        } else {
            Some(OrderKind::Other)
        }
    }

    /// The kind in words, for pages.
    pub fn label(self) -> &'static str {
        match self {
            OrderKind::Apology => "apology",
            OrderKind::Compensation => "compensation",
            OrderKind::Works => "works",
            OrderKind::Review => "review",
            OrderKind::Other => "other",
        }
    }
}

/// A finding on one element of an investigated complaint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The finding, normalised (`values::DETERMINATIONS`).
    pub finding: &'static str,
    /// What it was about (the complaint element), as written.
    pub about: String,
}

/// An order the Ombudsman made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Order {
    /// What was ordered, as written.
    pub text: String,
    /// Its kind.
    pub kind: OrderKind,
    /// Compensation ordered, in pence.
    pub amount_pence: Option<i64>,
    /// The date to comply by.
    pub due: Option<NaiveDate>,
    /// The date the landlord complied.
    pub complied: Option<NaiveDate>,
}

/// One row of casework: a finding, an order, or both.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    /// File the row came from.
    pub file: String,
    /// Row number in the file.
    pub row: usize,
    /// The landlord's complaint reference.
    pub case_id: Option<String>,
    /// The Ombudsman's reference.
    pub ombudsman_ref: Option<String>,
    /// The date of the Ombudsman's decision.
    pub decision_date: NaiveDate,
    /// The finding, when the row records one.
    pub finding: Option<Finding>,
    /// The order, when the row records one.
    pub order: Option<Order>,
}

impl Record {
    /// One key per Ombudsman investigation: its reference, else the landlord's case reference.
    pub fn investigation(&self) -> String {
        match (&self.ombudsman_ref, &self.case_id) {
            (Some(r), _) => r.clone(),
            (None, Some(c)) => format!("case {c}"),
            (None, None) => String::new(),
        }
    }
}

/// Where the findings come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseworkSource {
    /// An Ombudsman casework file.
    File,
    /// The case export's determinations and their dates.
    Export,
}

/// An investigation in the casework whose case the case export does not have (or that names no
/// case), with its rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unmatched {
    /// File as given.
    pub file: String,
    /// Its rows in the file.
    pub rows: Vec<usize>,
    /// The case reference given (empty when none).
    pub case_id: String,
    /// The Ombudsman's reference.
    pub ombudsman_ref: String,
}

/// The Ombudsman's findings and orders, and how they were read.
#[derive(Debug, Clone, Serialize)]
pub struct Casework {
    /// Where they come from.
    pub source: CaseworkSource,
    /// Every row used.
    pub records: Vec<Record>,
    /// Per-file summaries (a casework file).
    pub files: Vec<FileSummary>,
    /// Rows rejected.
    pub rejected: Vec<Rejected>,
    /// Values dropped from used rows.
    pub dropped: Vec<Dropped>,
    /// Rows used whose case the case export does not have.
    pub not_in_export: Vec<Unmatched>,
    /// Determinations in the case export with no date (from the export only): in no period.
    pub undated: Vec<RowRef>,
}

impl Casework {
    /// Rows read from casework files.
    pub fn rows_read(&self) -> usize {
        self.files.iter().map(|f| f.rows_read).sum()
    }
}

/// Reads an Ombudsman casework file. `columns` is the config's `[ombudsman_columns]`; `cases` the
/// case references of the case export, to list casework for cases it does not have.
pub fn read_casework(
    path: &Path,
    columns: &BTreeMap<String, String>,
    date_format: Option<&str>,
    cases: &StringChunked,
) -> Result<Casework> {
    let opened = open_sheet(path, None, false)?;
    let hints = Hints { schema: &CASEWORK, config: columns, date_format };
    let (source, mut map, _) = find_header_with(path, opened, hints)?;
    settle_references(&mut map);
    require(path, &map)?;
    let name = path.display().to_string();
    let layout = Layout::of(&map);
    let mut rows: Vec<Parsed> = Vec::new();
    let (mut rejected, mut dropped) = (Vec::new(), Vec::new());
    let mut rows_read = 0;
    source
        .for_each_row(|row, cells| {
            if row <= map.header_row {
                return Ok(ControlFlow::Continue(()));
            }
            rows_read += 1;
            match parse_row(&name, row, cells, &layout, date_format, &mut dropped) {
                Ok(p) => rows.push(p),
                Err(r) => rejected.push(r),
            }
            Ok(ControlFlow::Continue(()))
        })
        .map_err(|e| data(format!("{name}: {e:#}")))?;
    let records = settle_dates(rows, &layout, &mut rejected, &mut dropped);
    let not_in_export = unmatched(&records, cases);
    let summary = FileSummary::of(&name, &source, &map, rows_read);
    Ok(Casework {
        source: CaseworkSource::File,
        records,
        files: vec![summary],
        rejected,
        dropped,
        not_in_export,
        undated: Vec::new(),
    })
}

/// The investigations whose case the case export does not have, in file order, each once.
fn unmatched(records: &[Record], cases: &StringChunked) -> Vec<Unmatched> {
    // The casework names a few cases and the export may hold a million: the export's references
    // are looked up among the casework's, never gathered into a set of their own.
    let wanted: HashSet<&str> = records.iter().filter_map(|r| r.case_id.as_deref()).collect();
    let found: HashSet<&str> = cases.iter().flatten().filter(|c| wanted.contains(c)).collect();
    let mut out: Vec<Unmatched> = Vec::new();
    for r in records.iter().filter(|r| r.case_id.as_deref().is_none_or(|c| !found.contains(c))) {
        let case_id = r.case_id.clone().unwrap_or_default();
        let ombudsman_ref = r.ombudsman_ref.clone().unwrap_or_default();
        match out.iter_mut().find(|u| u.case_id == case_id && u.ombudsman_ref == ombudsman_ref) {
            Some(u) => u.rows.push(r.row),
            None => out.push(Unmatched { file: r.file.clone(), rows: vec![r.row], case_id, ombudsman_ref }),
        }
    }
    out
}

/// The Ombudsman's own file calls its investigation the "Case Reference" and ours the
/// "Landlord Reference": when a header naming the landlord lost the case reference to a header
/// that names nobody, and no header is the Ombudsman's reference, the landlord's is ours and the
/// other the Ombudsman's. A mapping from the config is left as it is.
fn settle_references(map: &mut ColumnMap) {
    let names_us = |header: &str| words(header).iter().any(|w| matches!(w.as_str(), "landlord" | "our" | "internal"));
    if map.header_for("ombudsman_ref").is_some() {
        return;
    }
    let Some(theirs) = map.columns.iter().position(|c| c.field.as_deref() == Some("case_id")) else { return };
    if map.columns[theirs].how == How::Config || names_us(&map.columns[theirs].header) {
        return;
    }
    let taker = map.columns[theirs].header.clone();
    let Some(ours) = map
        .columns
        .iter()
        .position(|c| c.field.is_none() && c.lost_to.as_deref() == Some(taker.as_str()) && names_us(&c.header))
    else {
        return;
    };
    let ours_header = map.columns[ours].header.clone();
    let theirs = &mut map.columns[theirs];
    theirs.field = Some("ombudsman_ref".to_string());
    theirs.how = How::Inferred;
    theirs.note = Some(format!("the Ombudsman's, as '{ours_header}' is ours"));
    let ours = &mut map.columns[ours];
    ours.field = Some("case_id".to_string());
    ours.how = How::Inferred;
    ours.lost_to = None;
    ours.note = Some("it names the landlord".to_string());
}

/// A casework file needs a reference, a decision date, and a finding or an order.
fn require(path: &Path, map: &ColumnMap) -> Result<()> {
    let has = |f: &str| map.header_for(f).is_some();
    let missing = if !has("ombudsman_ref") && !has("case_id") {
        Some("no Ombudsman reference or case reference column (ombudsman_ref or case_id)")
    } else if !has("decision_date") {
        Some("no decision date column (decision_date)")
    } else if !["finding", "order", "order_type", "order_amount"].iter().any(|f| has(f)) {
        Some("neither a finding nor an order column (finding, order, order_type or order_amount)")
    } else {
        None
    };
    match missing {
        Some(what) => Err(usage(format!(
            "{}: the header on row {} has {what}; map it under [ombudsman_columns] in the config",
            path.display(),
            map.header_row
        ))),
        None => Ok(()),
    }
}

/// Where each casework field sits in the file, and its header as written.
struct Layout {
    column: Vec<Option<(usize, String)>>,
}

impl Layout {
    fn of(map: &ColumnMap) -> Layout {
        let column = CASEWORK_FIELDS
            .iter()
            .map(|f| map.fields().find(|(_, g, _)| g.name == f.name).map(|(i, _, h)| (i, h.to_string())))
            .collect();
        Layout { column }
    }

    fn header(&self, field: &str) -> String {
        let i = position(field);
        self.column[i].as_ref().map(|(_, h)| h.clone()).unwrap_or_else(|| field.to_string())
    }
}

fn position(field: &str) -> usize {
    CASEWORK_FIELDS.iter().position(|f| f.name == field).unwrap_or_else(|| panic!("unknown casework field {field}"))
}

/// One row read, its decision date not yet settled.
struct Parsed {
    file: String,
    row: usize,
    case_id: Option<String>,
    ombudsman_ref: Option<String>,
    decision: Option<NaiveDate>,
    decision_written: String,
    finding: Option<Finding>,
    order: Option<Order>,
}

/// The cell of a field in a row.
fn cell_of<'a>(cells: &[Cell<'a>], layout: &Layout, field: &str) -> Cell<'a> {
    layout.column[position(field)].as_ref().and_then(|(i, _)| cells.get(*i).copied()).unwrap_or(Cell::Empty)
}

/// Parses one row: a value that cannot be read is dropped (and the row rejected when nothing it
/// needs is left).
fn parse_row(
    file: &str,
    row: usize,
    cells: &[Cell],
    layout: &Layout,
    date_format: Option<&str>,
    dropped: &mut Vec<Dropped>,
) -> std::result::Result<Parsed, Rejected> {
    let text = |f: &str| {
        let c = cell_of(cells, layout, f);
        (!c.is_blank()).then(|| c.display().trim().to_string())
    };
    let case_id = text("case_id");
    let ombudsman_ref = text("ombudsman_ref");
    let reject = |field: &str, reason: String| Rejected {
        file: file.to_string(),
        row,
        column: layout.header(field),
        value: text(field).unwrap_or_default(),
        reason,
    };
    if case_id.is_none() && ombudsman_ref.is_none() {
        return Err(reject(
            "ombudsman_ref",
            "no Ombudsman reference and no case reference: the row cannot be tied to an investigation".into(),
        ));
    }
    let key = ombudsman_ref.clone().or_else(|| case_id.clone()).unwrap_or_default();
    let mut value = |field: &str| -> Option<Value> {
        let f: &Field = &CASEWORK_FIELDS[position(field)];
        let cell = cell_of(cells, layout, field);
        match parse(&cell, f.kind, date_format) {
            Ok(v) => v,
            Err(reason) => {
                dropped.push(Dropped {
                    file: file.to_string(),
                    file_index: 0,
                    row,
                    case_id: key.clone(),
                    column: layout.header(field),
                    field: field.to_string(),
                    value: cell.display(),
                    rule: DropRule::Unparseable,
                    reason,
                });
                None
            }
        }
    };
    let date = |v: Option<Value>| match v {
        Some(Value::Date(d)) => Some(d),
        _ => None,
    };
    let decision = date(value("decision_date"));
    let finding_value = value("finding");
    let order_text = text("order").unwrap_or_default();
    let type_text = text("order_type").unwrap_or_default();
    let amount = match value("order_amount") {
        Some(Value::Pence(p)) => Some(p),
        _ => None,
    };
    let due = date(value("order_due_date"));
    let complied = date(value("order_complied_date"));
    // A determination is parsed to one of the normalised names.
    let finding = match finding_value {
        Some(Value::Text(t)) => DETERMINATIONS
            .iter()
            .find(|d| **d == t)
            .map(|d| Finding { finding: d, about: text("finding_about").unwrap_or_default() }),
        _ => None,
    };
    let ordered = !order_text.is_empty() || !type_text.is_empty() || amount.is_some();
    let order = ordered.then(|| Order {
        kind: OrderKind::read(&type_text)
            .or_else(|| OrderKind::read(&order_text))
            .or(amount.map(|_| OrderKind::Compensation))
            .unwrap_or(OrderKind::Other),
        text: order_text,
        amount_pence: amount,
        due,
        complied,
    });
    if finding.is_none() && order.is_none() {
        // The row is rejected as a whole: its unreadable values are not also "dropped".
        dropped.retain(|d| !(d.file == file && d.row == row));
        let finding_written = text("finding");
        return Err(match finding_written {
            Some(_) => reject("finding", "not an Ombudsman finding, and the row records no order".into()),
            None => reject("finding", "neither a finding nor an order".into()),
        });
    }
    Ok(Parsed {
        file: file.to_string(),
        row,
        case_id,
        ombudsman_ref,
        decision,
        decision_written: text("decision_date").unwrap_or_default(),
        finding,
        order,
    })
}

/// A row with no decision date takes the date of another row of the same investigation (orders
/// are often listed without it); a row with none anywhere is rejected. Order dates before the
/// decision are dropped.
fn settle_dates(
    rows: Vec<Parsed>,
    layout: &Layout,
    rejected: &mut Vec<Rejected>,
    dropped: &mut Vec<Dropped>,
) -> Vec<Record> {
    let mut known: HashMap<String, NaiveDate> = HashMap::new();
    for p in &rows {
        if let (Some(d), Some(k)) = (p.decision, p.ombudsman_ref.as_ref().or(p.case_id.as_ref())) {
            known.entry(k.clone()).or_insert(d);
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    for mut p in rows {
        let key = p.ombudsman_ref.clone().or_else(|| p.case_id.clone()).unwrap_or_default();
        let Some(decision) = p.decision.or_else(|| known.get(&key).copied()) else {
            rejected.push(Rejected {
                file: p.file,
                row: p.row,
                column: layout.header("decision_date"),
                value: p.decision_written,
                reason: "no decision date, on this row or another of the same investigation: it cannot be placed in a period".into(),
            });
            continue;
        };
        if let Some(order) = p.order.as_mut() {
            for (field, slot) in [("order_due_date", &mut order.due), ("order_complied_date", &mut order.complied)] {
                if slot.is_some_and(|d| d < decision) {
                    dropped.push(Dropped {
                        file: p.file.clone(),
                        file_index: 0,
                        row: p.row,
                        case_id: key.clone(),
                        column: layout.header(field),
                        field: field.to_string(),
                        value: slot.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default(),
                        rule: DropRule::BeforeDecision,
                        reason: format!("before the decision of {}", decision.format("%d/%m/%Y")),
                    });
                    *slot = None;
                }
            }
        }
        out.push(Record {
            file: p.file,
            row: p.row,
            case_id: p.case_id,
            ombudsman_ref: p.ombudsman_ref,
            decision_date: decision,
            finding: p.finding,
            order: p.order,
        });
    }
    out
}

/// The case export's own determinations as casework: one finding per case, dated by
/// `ombudsman_determination_date`; a determination with no date is listed as undated.
pub fn from_export(df: &DataFrame) -> Result<Casework> {
    let mut records = Vec::new();
    let mut undated = Vec::new();
    let Ok(found) = df.column("ombudsman_determination").and_then(|c| c.str().cloned()) else {
        return Ok(empty_export());
    };
    let dates = match df.column("ombudsman_determination_date") {
        Ok(c) => Some(c.date()?.phys.clone()),
        Err(_) => None,
    };
    let ids = df.column("case_id")?.str()?.clone();
    let files = df.column(SOURCE_FILE)?.str()?.clone();
    let rows = df.column(SOURCE_ROW)?.cast(&DataType::UInt64)?;
    let rows = rows.u64()?;
    let about = df.column("category").ok().and_then(|c| c.str().ok().cloned());
    for i in 0..df.height() {
        let Some(f) = found.get(i) else { continue };
        let Ok(finding) = super::values::normalise_determination(f) else { continue };
        let case_id = ids.get(i).unwrap_or("").to_string();
        let file = files.get(i).unwrap_or("").to_string();
        let row = rows.get(i).unwrap_or(0) as usize;
        let date = dates.as_ref().and_then(|d| d.get(i)).map(crate::calendar::from_epoch_days);
        let Some(decision_date) = date else {
            undated.push(RowRef { file, row, case_id });
            continue;
        };
        records.push(Record {
            file,
            row,
            case_id: Some(case_id),
            ombudsman_ref: None,
            decision_date,
            finding: Some(Finding { finding, about: about.as_ref().and_then(|a| a.get(i)).unwrap_or("").to_string() }),
            order: None,
        });
    }
    Ok(Casework { records, undated, ..empty_export() })
}

fn empty_export() -> Casework {
    Casework {
        source: CaseworkSource::Export,
        records: Vec::new(),
        files: Vec::new(),
        rejected: Vec::new(),
        dropped: Vec::new(),
        not_in_export: Vec::new(),
        undated: Vec::new(),
    }
}

/// Words a casework header carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    Ombudsman,
    Id,
    Ours,
    Finding,
    About,
    Date,
    Order,
    Kind,
    Money,
    Due,
    Complied,
}

const WORDS: &[(&str, Word)] = &[
    ("ombudsman", Word::Ombudsman),
    ("hos", Word::Ombudsman),
    ("hoso", Word::Ombudsman),
    ("their", Word::Ombudsman),
    ("ref", Word::Id),
    ("reference", Word::Id),
    ("id", Word::Id),
    ("number", Word::Id),
    ("no", Word::Id),
    ("case", Word::Ours),
    ("complaint", Word::Ours),
    ("landlord", Word::Ours),
    ("our", Word::Ours),
    ("internal", Word::Ours),
    ("finding", Word::Finding),
    ("findings", Word::Finding),
    ("determination", Word::Finding),
    ("outcome", Word::Finding),
    ("decision", Word::Finding),
    ("result", Word::Finding),
    ("verdict", Word::Finding),
    ("decided", Word::Finding),
    ("determined", Word::Finding),
    ("element", Word::About),
    ("issue", Word::About),
    ("about", Word::About),
    ("subject", Word::About),
    ("aspect", Word::About),
    ("category", Word::About),
    ("description", Word::About),
    ("date", Word::Date),
    ("dated", Word::Date),
    ("on", Word::Date),
    ("when", Word::Date),
    ("order", Word::Order),
    // The Ombudsman's reports call what it orders "remedies".
    ("remedy", Word::Order),
    ("remedies", Word::Order),
    ("orders", Word::Order),
    ("ordered", Word::Order),
    ("type", Word::Kind),
    ("kind", Word::Kind),
    ("amount", Word::Money),
    ("compensation", Word::Money),
    ("£", Word::Money),
    ("payment", Word::Money),
    ("sum", Word::Money),
    ("due", Word::Due),
    ("deadline", Word::Due),
    ("by", Word::Due),
    ("target", Word::Due),
    ("complied", Word::Complied),
    ("compliance", Word::Complied),
    ("comply", Word::Complied),
    ("completed", Word::Complied),
    ("done", Word::Complied),
    ("met", Word::Complied),
];

/// The casework fields a header's words could mean.
fn candidates(header: &str) -> Vec<&'static Field> {
    let ws: Vec<Word> =
        words(header).iter().filter_map(|w| WORDS.iter().find(|(s, _)| s == w).map(|(_, k)| *k)).collect();
    let has = |k: Word| ws.contains(&k);
    // "Comply By" and "Compliance Due" are due dates; "Date Complied" is the compliance.
    let complied = has(Word::Complied) && !has(Word::Due);
    let field = if has(Word::Ombudsman) && has(Word::Id) && !has(Word::Date) {
        Some("ombudsman_ref")
    } else if has(Word::Id) && !has(Word::Date) && !has(Word::Order) {
        Some("case_id")
    } else if has(Word::Order) && has(Word::Kind) {
        Some("order_type")
    } else if has(Word::Money) && !has(Word::Date) {
        Some("order_amount")
    } else if complied {
        Some("order_complied_date")
    } else if has(Word::Due) && (has(Word::Date) || has(Word::Order) || ws.len() <= 2) {
        Some("order_due_date")
    } else if has(Word::Finding) && has(Word::Date) {
        Some("decision_date")
    } else if has(Word::Finding) && !has(Word::Order) {
        Some("finding")
    } else if has(Word::About) && !has(Word::Order) && !has(Word::Date) {
        Some("finding_about")
    } else if has(Word::Order) && !has(Word::Date) {
        Some("order")
    } else {
        None
    };
    field.and_then(|n| CASEWORK.field(n)).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(h: &str) -> Vec<&'static str> {
        candidates(h).iter().map(|f| f.name).collect()
    }

    #[test]
    fn casework_headers_from_their_words() {
        assert_eq!(names("HOS Case No."), ["ombudsman_ref"]);
        assert_eq!(names("Landlord Complaint Number"), ["case_id"]);
        assert_eq!(names("Determination Issued On"), ["decision_date"]);
        assert_eq!(names("Ombudsman Finding"), ["finding"]);
        assert_eq!(names("Type of Order Made"), ["order_type"]);
        assert_eq!(names("Compensation (£)"), ["order_amount"]);
        assert_eq!(names("Order Deadline"), ["order_due_date"]);
        assert_eq!(names("Date Order Complied"), ["order_complied_date"]);
        assert_eq!(names("Comply By"), ["order_due_date"]);
        assert_eq!(names("Orders Made"), ["order"]);
        assert_eq!(names("Complaint Element"), ["finding_about"]);
        assert_eq!(names("Remedy Type"), ["order_type"]);
        assert_eq!(names("Remedy"), ["order"]);
        assert_eq!(names("Remedy Deadline"), ["order_due_date"]);
        assert!(names("Notes").is_empty());
    }

    /// The Ombudsman's own layout: its investigation is the "Case Reference", ours the
    /// "Landlord Case Ref", and what it orders are "remedies".
    #[test]
    fn the_ombudsmans_case_reference_beside_the_landlords() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cw.csv");
        std::fs::write(
            &path,
            "Case Reference,Landlord Case Ref,Determination Date,Determination,Remedy Type,Remedy,Compensation (£)\n\
             202312345,C1,15/05/2024,Maladministration,,,\n\
             202312345,C1,15/05/2024,,Compensation,Pay £300,300\n",
        )
        .unwrap();
        let cases = StringChunked::from_slice("case_id".into(), &["C1"]);
        let cw = read_casework(&path, &BTreeMap::new(), None, &cases).unwrap();
        assert!(cw.not_in_export.is_empty(), "{:?}", cw.not_in_export);
        let refs: Vec<(Option<&str>, Option<&str>)> =
            cw.records.iter().map(|r| (r.ombudsman_ref.as_deref(), r.case_id.as_deref())).collect();
        assert_eq!(refs, [(Some("202312345"), Some("C1")); 2]);
        assert_eq!(cw.records[1].order.as_ref().map(|o| o.kind), Some(OrderKind::Compensation));
        // Mapped in the config, "Case Reference" stays ours.
        let mut columns = BTreeMap::new();
        columns.insert("case_id".to_string(), "Case Reference".to_string());
        let cw = read_casework(&path, &columns, None, &cases).unwrap();
        assert_eq!(cw.records[0].case_id.as_deref(), Some("202312345"));
    }

    #[test]
    fn order_kinds_from_their_words() {
        assert_eq!(OrderKind::read("Apologise to the resident in writing"), Some(OrderKind::Apology));
        assert_eq!(OrderKind::read("Pay £450 compensation"), Some(OrderKind::Compensation));
        assert_eq!(OrderKind::read("Inspect the roof and carry out repairs"), Some(OrderKind::Works));
        assert_eq!(OrderKind::read("Review its damp and mould policy"), Some(OrderKind::Review));
        assert_eq!(OrderKind::read("Contact the resident"), Some(OrderKind::Other));
        assert_eq!(OrderKind::read(""), None);
    }
}
