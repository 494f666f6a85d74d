//! metrics.xlsx: the period's figures for people who re-use them in a spreadsheet — figures by
//! stage (numerators, denominators, percentages as numbers with a % format), the trend,
//! categories, the TSM data items, the data-quality ledger and the case audit (real dates), each
//! sheet with a frozen header row, a filter and fitted columns. Text is written as text, so a cell
//! can never become a formula.

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::ingest::quality::Ledger;
use crate::metrics::model::{Metrics, Prop, StageMetrics};
use crate::output::audit::Audit;

/// Sheets longer than this are left to the CSV beside the workbook (Excel's limit is about a
/// million rows, and writing that many cells would cost more than the rest of the report).
pub const MAX_AUDIT_ROWS: usize = 100_000;

/// The cell formats every sheet shares.
struct Formats {
    header: Format,
    pct: Format,
    date: Format,
    number: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new().set_bold().set_text_wrap(),
            pct: Format::new().set_num_format("0.0%"),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            number: Format::new().set_num_format("#,##0.###"),
        }
    }
}

/// What the workbook is made from.
pub struct Sources<'a> {
    /// The period's figures, with the trend.
    pub m: &'a Metrics,
    /// The data-quality ledger.
    pub ledger: &'a Ledger,
    /// metrics.csv as written.
    pub metrics_csv: &'a str,
    /// tsm.csv as written.
    pub tsm_csv: &'a str,
    /// cases-audit.csv as written.
    pub audit: &'a Audit,
}

/// The workbook's bytes. The document's creation date is the data's as-of date, so the same
/// data gives the same file.
pub fn workbook(s: &Sources) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let f = Formats::new();
    let as_of = s.m.period.as_of;
    let created = ExcelDateTime::from_ymd(as_of.year() as u16, as_of.month() as u8, as_of.day() as u8)?;
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_title(format!("Complaint figures {}", s.m.period.label)),
    );
    figures(book.add_worksheet(), s.metrics_csv, &f)?;
    trend(book.add_worksheet(), s.m, &f)?;
    categories(book.add_worksheet(), s.m, &f)?;
    csv_sheet(book.add_worksheet(), "TSM", s.tsm_csv, &f)?;
    quality(book.add_worksheet(), s.ledger, &f)?;
    audit_sheet(book.add_worksheet(), s.audit, &f)?;
    Ok(book.save_to_buffer()?)
}

/// Headings in row 0, frozen, with a filter over `cols` columns and `rows` data rows.
fn header(ws: &mut Worksheet, names: &[&str], f: &Formats) -> Result<(), XlsxError> {
    for (c, n) in names.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *n, &f.header)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn finish(ws: &mut Worksheet, rows: u32, cols: u16) -> Result<(), XlsxError> {
    if rows > 0 && cols > 0 {
        ws.autofilter(0, 0, rows, cols - 1)?;
    }
    ws.autofit();
    Ok(())
}

/// A cell as the CSV wrote it: a number, a date (ISO), or text.
fn write_cell(ws: &mut Worksheet, r: u32, c: u16, text: &str, f: &Formats) -> Result<(), XlsxError> {
    if text.is_empty() {
        return Ok(());
    }
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
        ws.write_datetime_with_format(r, c, &dt, &f.date)?;
    } else if let Some(n) = number(text) {
        ws.write_number_with_format(r, c, n, &f.number)?;
    } else {
        // metrics.csv guards text with a leading ' against formulas; a text cell needs no guard.
        let plain = text.strip_prefix('\'').filter(|t| t.starts_with(['=', '+', '-', '@'])).unwrap_or(text);
        ws.write_string(r, c, plain)?;
    }
    Ok(())
}

/// A plain decimal number (no leading zeros that would make a reference a number).
fn number(text: &str) -> Option<f64> {
    let t = text.trim();
    let digits = t.trim_start_matches('-');
    if digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.") {
        return None;
    }
    if digits.len() > 15 || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') || digits.is_empty() {
        return None;
    }
    t.parse().ok()
}

/// metrics.csv as a sheet, a proportion's value written as a percentage.
fn figures(ws: &mut Worksheet, metrics_csv: &str, f: &Formats) -> Result<()> {
    ws.set_name("Figures")?;
    header(ws, &["Metric", "Stage", "Breakdown", "Numerator", "Denominator", "Value", "Percentage"], f)?;
    let mut r = 0u32;
    let mut reader = csv::Reader::from_reader(metrics_csv.as_bytes());
    for rec in reader.records() {
        let rec = rec?;
        r += 1;
        let cell = |i: usize| rec.get(i).unwrap_or("");
        for c in 0..3 {
            write_cell(ws, r, c as u16, cell(c), f)?;
        }
        let is_prop = !cell(4).is_empty();
        write_cell(ws, r, 3, cell(3), f)?;
        write_cell(ws, r, 4, cell(4), f)?;
        match (is_prop, number(cell(5))) {
            (true, Some(pct)) => {
                ws.write_number_with_format(r, 6, fraction(pct), &f.pct)?;
            }
            (false, _) => write_cell(ws, r, 5, cell(5), f)?,
            (true, None) => {}
        }
    }
    finish(ws, r, 7)?;
    Ok(())
}

/// A one-decimal percentage as the fraction Excel formats with %: 89.1 → 0.891 exactly as typed.
fn fraction(pct: f64) -> f64 {
    (pct * 10.0).round() / 1000.0
}

fn prop(ws: &mut Worksheet, r: u32, c: u16, p: &Prop, f: &Formats) -> Result<(), XlsxError> {
    ws.write_number(r, c, p.num as f64)?;
    ws.write_number(r, c + 1, p.den as f64)?;
    if let Some(pct) = p.pct {
        ws.write_number_with_format(r, c + 2, fraction(pct), &f.pct)?;
    }
    Ok(())
}

fn within(s: &StageMetrics) -> Prop {
    Prop::new(s.within_timescale, s.responses)
}

/// One row per period: the trend, oldest first, then the period itself.
fn trend(ws: &mut Worksheet, m: &Metrics, f: &Formats) -> Result<()> {
    ws.set_name("Trend")?;
    header(
        ws,
        &[
            "Period",
            "Start",
            "End",
            "Stage 1 received",
            "Stage 1 within timescale",
            "Stage 1 responses",
            "Stage 1 within %",
            "Stage 2 received",
            "Stage 2 within timescale",
            "Stage 2 responses",
            "Stage 2 within %",
            "Closed",
        ],
        f,
    )?;
    let mut r = 0u32;
    for p in m.trend.iter().chain(std::iter::once(m)) {
        r += 1;
        ws.write_string(r, 0, &p.period.label)?;
        for (c, d) in [(1u16, p.period.start), (2, p.period.end)] {
            let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            ws.write_datetime_with_format(r, c, &dt, &f.date)?;
        }
        for (i, s) in p.stages.iter().take(2).enumerate() {
            let c = 3 + 4 * i as u16;
            ws.write_number(r, c, s.received as f64)?;
            prop(ws, r, c + 1, &within(s), f)?;
        }
        ws.write_number(r, 11, p.closed as f64)?;
    }
    finish(ws, r, 12)?;
    Ok(())
}

fn categories(ws: &mut Worksheet, m: &Metrics, f: &Formats) -> Result<()> {
    ws.set_name("Categories")?;
    header(
        ws,
        &[
            "Category",
            "Stage 1 received",
            "Within timescale",
            "Responses",
            "Within %",
            "Upheld or partly upheld",
            "Responses",
            "Upheld %",
        ],
        f,
    )?;
    let mut r = 0u32;
    for c in &m.by_category {
        r += 1;
        ws.write_string(r, 0, &c.category)?;
        ws.write_number(r, 1, c.received as f64)?;
        prop(ws, r, 2, &c.within_timescale, f)?;
        prop(ws, r, 5, &c.upheld, f)?;
    }
    finish(ws, r, 8)?;
    Ok(())
}

/// A CSV written as a sheet (numbers as numbers, ISO dates as dates).
fn csv_sheet(ws: &mut Worksheet, name: &str, text: &str, f: &Formats) -> Result<()> {
    ws.set_name(name)?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    let names: Vec<&str> = headers.iter().map(String::as_str).collect();
    header(ws, &names, f)?;
    let mut r = 0u32;
    for rec in reader.records() {
        let rec = rec?;
        r += 1;
        for (c, v) in rec.iter().enumerate() {
            write_cell(ws, r, c as u16, v, f)?;
        }
    }
    finish(ws, r, headers.len() as u16)?;
    Ok(())
}

/// The case audit, or, beyond `MAX_AUDIT_ROWS`, its header and a line pointing to the CSV.
fn audit_sheet(ws: &mut Worksheet, audit: &Audit, f: &Formats) -> Result<()> {
    if audit.rows() <= MAX_AUDIT_ROWS {
        return csv_sheet(ws, "Case audit", &audit.text()?, f);
    }
    ws.set_name("Case audit")?;
    header(ws, &crate::output::audit::COLUMNS, f)?;
    let message = format!(
        "{} rows: more than a sheet here holds ({MAX_AUDIT_ROWS}); the CSV beside this workbook has them all",
        audit.rows()
    );
    ws.write_string(1, 0, message)?;
    Ok(())
}

/// The input counts, then every rejected row and dropped value with its file, row and column.
fn quality(ws: &mut Worksheet, ledger: &Ledger, f: &Formats) -> Result<()> {
    ws.set_name("Data quality")?;
    header(ws, &["Finding", "File", "Row", "Case", "Column", "Value", "Reason"], f)?;
    let c = ledger.counts();
    let mut r = 0u32;
    for (label, n) in [
        ("Rows read", c.rows_read),
        ("Rows used", c.rows_used),
        ("Rows rejected", c.rows_rejected),
        ("Duplicate rows superseded", c.duplicates),
        ("Values dropped", c.warnings),
    ] {
        r += 1;
        ws.write_string(r, 0, label)?;
        ws.write_number(r, 2, n as f64)?;
    }
    for x in &ledger.rejected {
        r += 1;
        for (col, v) in [(0u16, "Row rejected"), (1, x.file.as_str()), (4, &x.column), (5, &x.value), (6, &x.reason)] {
            ws.write_string(r, col, v)?;
        }
        ws.write_number(r, 2, x.row as f64)?;
    }
    for x in &ledger.dropped {
        r += 1;
        for (col, v) in [
            (0u16, "Value dropped"),
            (1, x.file.as_str()),
            (3, &x.case_id),
            (4, &x.column),
            (5, &x.value),
            (6, &x.reason),
        ] {
            ws.write_string(r, col, v)?;
        }
        ws.write_number(r, 2, x.row as f64)?;
    }
    finish(ws, r, 7)?;
    Ok(())
}
