//! The per-case audit (`cases-audit.csv`): one row per case and stage relevant to the period, with
//! every date used, the clock start, deadlines, elapsed working days and status, so any figure
//! can be re-derived in a spreadsheet.

use anyhow::Result;
use polars::prelude::*;

use chrono::Datelike;

use crate::calendar::from_epoch_days;
use crate::config::ClockStart;
use crate::metrics::frame::within;
use crate::metrics::Timelines;
use crate::period::Period;
use crate::timeline::{StageCols, Status, Timeline, REASONS};

/// The audit's columns, in order.
pub const COLUMNS: [&str; 33] = [
    "case_id",
    "source_file",
    "source_row",
    "stage",
    "stage_name",
    "category",
    "tenure",
    "received_date",
    "stage_start",
    "ack_date",
    "ack_wd",
    "clock_start",
    "clock_basis",
    "extended",
    "due_date",
    "deadline",
    "extended_deadline",
    "response_date",
    "response_wd",
    "outcome",
    "status",
    "reason",
    "received_in_period",
    "responded_in_period",
    "open_at_as_of",
    "received_in_tsm_year",
    "code_profile",
    "code_deadline",
    "code_response_wd",
    "code_status",
    "tsm_tenure",
    "tsm_cohort",
    "tsm_within",
];

/// cases-audit.csv in the blocks it was written in, never joined into one text: at a million
/// cases it is over a hundred megabytes, written to its file block by block.
pub struct Audit {
    /// The header record, then each stage's rows in blocks, in order.
    parts: Vec<Vec<u8>>,
    /// Data records (rows below the header).
    rows: usize,
}

impl Audit {
    /// The blocks, in order.
    pub fn parts(&self) -> impl Iterator<Item = &[u8]> {
        self.parts.iter().map(Vec::as_slice)
    }

    /// How many cases-by-stage rows it lists.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The whole CSV as one text.
    pub fn text(&self) -> Result<String> {
        Ok(String::from_utf8(self.parts.concat())?)
    }
}

/// The audit of the landlord's profile with the Code profile beside it, and where each case
/// stands in the TSMs (so a spreadsheet filter reproduces CH01 and CH02), in blocks.
pub fn audit(t: &Timelines, period: &Period, tsm_year: &Period) -> Result<Audit> {
    audit_into(t, period, tsm_year, usize::MAX, |_| Ok(()))
}

/// `audit`, each block handed to `sink` as soon as it is made (to be written out), and kept only
/// while the audit lists at most `keep_rows` rows: beyond that the returned audit has its count
/// of rows but no text (`parts` and `text` empty), so a large audit is never held whole.
pub fn audit_into(
    t: &Timelines,
    period: &Period,
    tsm_year: &Period,
    keep_rows: usize,
    mut sink: impl FnMut(&[u8]) -> Result<()>,
) -> Result<Audit> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    let header = w.into_inner()?;
    sink(&header)?;
    let mut parts = vec![header];
    let mut rows = 0;
    for s in &t.own.stages {
        let keep = stage_mask(&t.own, s, period, tsm_year)?;
        let mut df = stage_frame(&t.own, &t.code, s, period, tsm_year, &keep)?;
        for c in tsm_columns(t, s.k, tsm_year, &keep)? {
            df.with_column(c)?;
        }
        rows += df.height();
        // The text is kept only while the whole audit still fits `keep_rows`.
        let keep_text = rows <= keep_rows;
        if !keep_text {
            parts.clear();
        }
        parts.extend(write_stage(&df, s, &t.own, &t.code, keep_text, &mut sink)?);
    }
    Ok(Audit { parts, rows })
}

/// The rows of a stage the audit lists.
fn relevant(s: &StageCols, period: &Period, tsm_year: &Period) -> Expr {
    col(s.start.as_str()).is_not_null().and(
        within(col(s.start.as_str()), period)
            .or(within(col(s.resp.as_str()), period))
            .or(s.is_open())
            .or(within(col(s.start.as_str()), tsm_year)),
    )
}

fn stage_mask(own: &Timeline, s: &StageCols, period: &Period, tsm_year: &Period) -> Result<BooleanChunked> {
    let df = own.df.clone().lazy().select([relevant(s, period, tsm_year).alias("keep")]).collect()?;
    Ok(df.column("keep")?.bool()?.clone())
}

/// `tsm_tenure`, `tsm_cohort` and `tsm_within` at stage k of the cases `keep` selects, from the
/// TSM timeline (same rows, same order as the landlord's).
fn tsm_columns(t: &Timelines, k: usize, year: &Period, keep: &BooleanChunked) -> Result<Vec<Column>> {
    // The TSM's tenure: trimmed, upper case (the key made at ingest), blank as "not recorded".
    let key = col(crate::ingest::TENURE_KEY).str().strip_chars(lit(NULL));
    let tenure = when(key.clone().eq(lit(""))).then(lit(NULL).cast(DataType::String)).otherwise(key);
    let mut select = vec![tenure.fill_null(lit("not recorded")).alias("tsm_tenure")];
    match t.tsm.stages.get(k - 1).filter(|_| k <= 2) {
        Some(s) => select.extend([
            when(crate::metrics::tsm::made(s, year)).then(lit("yes")).otherwise(lit("no")).alias("tsm_cohort"),
            crate::metrics::tsm::place(s, year).alias("tsm_within"),
        ]),
        None => select.extend([lit("").alias("tsm_cohort"), lit("").alias("tsm_within")]),
    }
    let mut df = t.tsm.df.clone();
    df.with_column(keep.clone().with_name("audit__keep".into()).into_column())?;
    let df = df.lazy().filter(col("audit__keep")).select(select).collect()?;
    Ok(df.columns().to_vec())
}

/// The rows of one stage `keep` selects (`stage_mask`), with the Code timeline's columns beside
/// them.
fn stage_frame(
    own: &Timeline,
    code: &Timeline,
    s: &StageCols,
    period: &Period,
    tsm_year: &Period,
    keep: &BooleanChunked,
) -> Result<DataFrame> {
    let k = s.k;
    let mut select = vec![
        col("case_id"),
        col("source_file"),
        col("source_row"),
        col("category"),
        col("tenure"),
        col("received_date").cast(DataType::Int32).alias("received"),
        col(s.start.as_str()),
        col(s.ack.as_str()),
        col(s.ack_wd.as_str()),
        col(s.clock.as_str()),
        col(s.clock_fallback.as_str()),
        col(s.extended.as_str()),
        col(s.due.as_str()),
        col(s.deadline.as_str()),
        col(s.ext_deadline.as_str()),
        col(s.resp.as_str()),
        col(s.resp_wd.as_str()),
        col(format!("s{k}_outcome")).alias("outcome"),
        col(s.status.as_str()),
        crate::timeline::reason(s).cast(DataType::Int32).alias(s.reason.as_str()),
        within(col(s.start.as_str()), period).alias("in_p"),
        within(col(s.resp.as_str()), period).alias("resp_in_p"),
        s.is_open().alias("open"),
        within(col(s.start.as_str()), tsm_year).alias("in_tsm"),
    ];
    let mut frame = own.df.clone();
    if let Some(cs) = code.stages.get(k - 1) {
        // The Code timeline has the same rows in the same order.
        for (from, to) in [(&cs.deadline, "code_deadline"), (&cs.resp_wd, "code_resp_wd"), (&cs.status, "code_status")]
        {
            frame.with_column(
                code.df.column(from)?.as_materialized_series().clone().with_name(to.into()).into_column(),
            )?;
        }
        select.extend([col("code_deadline"), col("code_resp_wd"), col("code_status")]);
    }
    frame.with_column(keep.clone().with_name("audit__keep".into()).into_column())?;
    Ok(frame.lazy().filter(col("audit__keep")).select(select).collect()?)
}

/// A stage frame's columns as arrow arrays, one chunk each, for the cells to borrow.
type TextArray = <StringType as PolarsDataType>::Array;
type DayArray = <Int32Type as PolarsDataType>::Array;
type NumberArray = <Int64Type as PolarsDataType>::Array;
type FlagArray = <BooleanType as PolarsDataType>::Array;

/// One audit column over a stage's rows, borrowed from the stage's frame and written cell by
/// cell (at a million cases the audit is tens of millions of cells: no `String` per cell, and
/// no column copied out of the frame).
enum Cells<'a> {
    /// Text from the data, made formula-safe.
    Text(&'a TextArray),
    /// Epoch days, written `YYYY-MM-DD`.
    Dates(&'a DayArray, &'a DayTexts),
    /// Whole numbers.
    Numbers(&'a NumberArray),
    /// `yes` / `no`.
    Flags(&'a FlagArray),
    /// One text for every row, made formula-safe.
    Same(String),
    /// Words chosen per row from fixed lists (statuses, reasons, clock bases), made formula-safe.
    Words(Vec<&'a str>),
}

impl Cells<'_> {
    /// Appends row `i`'s cell to `out` as a CSV field.
    fn write(&self, i: usize, out: &mut Vec<u8>) {
        match self {
            Cells::Text(a) => push_field(a.get(i).unwrap_or(""), out),
            Cells::Dates(a, days) => {
                if let Some(d) = a.get(i) {
                    days.push(d, out)
                }
            }
            Cells::Numbers(a) => {
                if let Some(n) = a.get(i) {
                    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes())
                }
            }
            Cells::Flags(a) => out.extend_from_slice(match a.get(i) {
                Some(true) => b"yes",
                Some(false) => b"no",
                None => b"",
            }),
            Cells::Same(t) => push_field(t, out),
            Cells::Words(v) => push_field(v[i], out),
        }
    }
}

/// A text cell as the `csv` crate writes a field of a many-field record — in quotes, each quote
/// mark doubled, when it holds a comma, a quote mark or a line break — after `formula_safe`
/// (a cell a spreadsheet would read as a formula gets a leading apostrophe), without an
/// allocation.
fn push_field(cell: &str, out: &mut Vec<u8>) {
    let formula = crate::output::metrics_csv::reads_as_formula(cell);
    let quoted = cell.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'));
    if quoted {
        out.push(b'"');
    }
    if formula {
        out.push(b'\'');
    }
    if quoted {
        for (i, piece) in cell.split('"').enumerate() {
            if i > 0 {
                out.extend_from_slice(b"\"\"");
            }
            out.extend_from_slice(piece.as_bytes());
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(cell.as_bytes());
    }
}

/// A date as `YYYY-MM-DD` (chrono's `%Y-%m-%d`, which this matches for years 0–9999).
fn push_date(days: i32, out: &mut Vec<u8>) {
    let d = from_epoch_days(days);
    let y = d.year();
    if !(0..=9999).contains(&y) {
        out.extend_from_slice(d.format("%Y-%m-%d").to_string().as_bytes());
        return;
    }
    let digits = |n: u32, width: usize, out: &mut Vec<u8>| {
        for p in (0..width).rev() {
            out.push(b'0' + (n / 10u32.pow(p as u32) % 10) as u8);
        }
    };
    digits(y as u32, 4, out);
    out.push(b'-');
    digits(d.month(), 2, out);
    out.push(b'-');
    digits(d.day(), 2, out);
}

/// `YYYY-MM-DD` of every day from the earliest to the latest date of a stage's rows, written
/// once: a million cases have millions of dates but only a few thousand distinct days.
struct DayTexts {
    first: i32,
    texts: Vec<[u8; 10]>,
}

impl DayTexts {
    /// Days spanning more than this are written one by one (`push_date`).
    const MOST: i64 = 1 << 16;

    /// The days from `first` to `last`, both included (none when the span is too long or a
    /// year is not four digits).
    fn new(first: i32, last: i32) -> DayTexts {
        let four_digits = |d: i32| (0..=9999).contains(&from_epoch_days(d).year());
        if first > last || i64::from(last) - i64::from(first) >= Self::MOST || !four_digits(first) || !four_digits(last)
        {
            return DayTexts { first: 0, texts: Vec::new() };
        }
        let texts = (first..=last)
            .map(|d| {
                let mut text = Vec::with_capacity(10);
                push_date(d, &mut text);
                let mut fixed = [0u8; 10];
                fixed.copy_from_slice(&text);
                fixed
            })
            .collect();
        DayTexts { first, texts }
    }

    /// Appends day `d` as `push_date` does.
    fn push(&self, d: i32, out: &mut Vec<u8>) {
        match usize::try_from(i64::from(d) - i64::from(self.first)).ok().and_then(|i| self.texts.get(i)) {
            Some(text) => out.extend_from_slice(text),
            None => push_date(d, out),
        }
    }
}

/// A column of the stage's frame cast to `dtype`, in one chunk.
fn one_chunk(df: &DataFrame, name: &str, dtype: &DataType) -> Result<Series> {
    Ok(df.column(name)?.as_materialized_series().cast(dtype)?.rechunk())
}

fn statuses(df: &DataFrame, name: &str) -> Result<Cells<'static>> {
    let codes = df.column(name)?.cast(&DataType::Int64)?;
    let name = |c: Option<i64>| c.and_then(|c| Status::from_code(c as u8)).map(Status::name).unwrap_or("");
    Ok(Cells::Words(codes.i64()?.iter().map(name).collect()))
}

/// One stage's rows as CSV, each block handed to `sink` in order as it is made; the blocks,
/// when asked to `keep` them.
fn write_stage(
    df: &DataFrame,
    s: &StageCols,
    own: &Timeline,
    code: &Timeline,
    keep: bool,
    sink: &mut impl FnMut(&[u8]) -> Result<()>,
) -> Result<Vec<Vec<u8>>> {
    let k = s.k;
    let rule = &own.profile.stages[k - 1];
    let n = df.height();
    let has_code = code.stages.get(k - 1).is_some();
    // The columns, each held here in one chunk so the cells can borrow it.
    let text_names =
        ["case_id", "source_file", "category", "tenure", "outcome", "tsm_tenure", "tsm_cohort", "tsm_within"];
    let mut date_names = vec!["received", &s.start, &s.ack, &s.clock, &s.due, &s.deadline, &s.ext_deadline, &s.resp];
    let mut number_names = vec!["source_row", &s.ack_wd, &s.resp_wd];
    if has_code {
        date_names.push("code_deadline");
        number_names.push("code_resp_wd");
    }
    let flag_names = [&s.extended, "in_p", "resp_in_p", "open", "in_tsm"];
    let hold = |names: &[&str], dtype: DataType| -> Result<Vec<Series>> {
        names.iter().map(|c| one_chunk(df, c, &dtype)).collect()
    };
    let (held_texts, held_dates) = (hold(&text_names, DataType::String)?, hold(&date_names, DataType::Int32)?);
    let (held_numbers, held_flags) = (hold(&number_names, DataType::Int64)?, hold(&flag_names, DataType::Boolean)?);
    // A column not held is a mistake in the lists above, never a reason to write another.
    let at = |names: &[&str], name: &str| -> Result<usize> {
        names.iter().position(|c| *c == name).ok_or_else(|| anyhow::anyhow!("the audit holds no column {name}"))
    };
    // Every day among the dates written once.
    let mut span = (i32::MAX, i32::MIN);
    for d in &held_dates {
        let d = d.i32()?;
        span = (d.min().map_or(span.0, |m| m.min(span.0)), d.max().map_or(span.1, |m| m.max(span.1)));
    }
    // No dates at all leaves the span empty (first after last): nothing is written up front.
    let days = DayTexts::new(span.0, span.1);
    let text = |name: &str| -> Result<Cells> {
        Ok(Cells::Text(held_texts[at(&text_names, name)?].str()?.downcast_as_array()))
    };
    let date = |name: &str| -> Result<Cells> {
        Ok(Cells::Dates(held_dates[at(&date_names, name)?].i32()?.downcast_as_array(), &days))
    };
    let number = |name: &str| -> Result<Cells> {
        Ok(Cells::Numbers(held_numbers[at(&number_names, name)?].i64()?.downcast_as_array()))
    };
    let flag = |name: &str| -> Result<Cells> {
        Ok(Cells::Flags(held_flags[at(&flag_names, name)?].bool()?.downcast_as_array()))
    };
    let blank = || Cells::Same(String::new());
    let reason = df.column(&s.reason)?.cast(&DataType::Int64)?;
    let reason = reason.i64()?.iter().map(|c| c.and_then(|c| REASONS.get(c as usize)).copied().unwrap_or(""));
    let basis_start = if k == 1 { "receipt" } else { "escalation request" };
    let fallback_basis = format!("{basis_start} (no acknowledgement)");
    let fallback = df.column(&s.clock_fallback)?.cast(&DataType::Boolean)?;
    let basis = fallback.bool()?.iter().map(|f| match (rule.response_from, f) {
        (ClockStart::Start, _) => basis_start,
        (ClockStart::Acknowledgement, Some(true)) => fallback_basis.as_str(),
        (ClockStart::Acknowledgement, _) => "acknowledgement",
    });
    let columns: Vec<Cells> = vec![
        text("case_id")?,
        text("source_file")?,
        number("source_row")?,
        Cells::Same(k.to_string()),
        Cells::Same(rule.name.clone()),
        text("category")?,
        text("tenure")?,
        date("received")?,
        date(&s.start)?,
        date(&s.ack)?,
        number(&s.ack_wd)?,
        date(&s.clock)?,
        Cells::Words(basis.collect()),
        flag(&s.extended)?,
        date(&s.due)?,
        date(&s.deadline)?,
        date(&s.ext_deadline)?,
        date(&s.resp)?,
        number(&s.resp_wd)?,
        text("outcome")?,
        statuses(df, &s.status)?,
        Cells::Words(reason.collect()),
        flag("in_p")?,
        flag("resp_in_p")?,
        flag("open")?,
        flag("in_tsm")?,
        Cells::Same(code.profile.name.clone()),
        if has_code { date("code_deadline")? } else { blank() },
        if has_code { number("code_resp_wd")? } else { blank() },
        if has_code { statuses(df, "code_status")? } else { blank() },
        text("tsm_tenure")?,
        text("tsm_cohort")?,
        text("tsm_within")?,
    ];
    write_rows_in_windows(&columns, n, keep, sink)
}

/// Rows each core writes at a time: a block of a few megabytes, whose buffer is used again for
/// a later block unless the blocks are kept.
const WINDOW_ROWS: usize = 32_768;

/// The rows `0..n` written as CSV records by every core, a window at a time, each block handed to
/// `sink` in order; the blocks, when asked to `keep` them.
fn write_rows_in_windows(
    columns: &[Cells],
    n: usize,
    keep: bool,
    sink: &mut impl FnMut(&[u8]) -> Result<()>,
) -> Result<Vec<Vec<u8>>> {
    let threads = if n < 20_000 { 1 } else { crate::par::cores() };
    let window = WINDOW_ROWS * threads;
    let spare: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::new(Vec::new());
    let mut kept = Vec::new();
    for start in (0..n).step_by(window) {
        let end = (start + window).min(n);
        let per = (end - start).div_ceil(threads);
        let ranges: Vec<_> = (start..end).step_by(per).map(|a| a..(a + per).min(end)).collect();
        let blocks = crate::par::try_map_in_order(&ranges, "the audit writer stopped", |r| {
            let mut out = spare.lock().ok().and_then(|mut spare| spare.pop()).unwrap_or_default();
            out.clear();
            write_rows(columns, r.clone(), &mut out);
            Ok(out)
        })?;
        for block in blocks {
            sink(&block)?;
            if keep {
                kept.push(block);
            } else if let Ok(mut spare) = spare.lock() {
                spare.push(block);
            }
        }
    }
    Ok(kept)
}

/// Rows `rows` as CSV records appended to `out`, each ended by a line feed (as the `csv` crate
/// ends them).
fn write_rows(columns: &[Cells], rows: std::ops::Range<usize>, out: &mut Vec<u8>) {
    out.reserve(rows.len() * 256);
    for i in rows {
        for (j, c) in columns.iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            c.write(i, out);
        }
        out.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::metrics_csv::formula_safe;

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        let days = (-30_000..60_000).chain([-719_528, -719_529, 2_932_896, 2_932_897]);
        for d in days {
            let mut out = Vec::new();
            push_date(d, &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), from_epoch_days(d).format("%Y-%m-%d").to_string(), "day {d}");
        }
    }

    #[test]
    fn days_written_once_are_the_days_written_one_by_one() {
        let one_by_one = |d: i32| {
            let mut out = Vec::new();
            push_date(d, &mut out);
            out
        };
        // A few years; a span too long to write up front; years of five digits and below zero.
        for (first, last) in [(19_000, 21_000), (0, 70_000), (2_932_890, 2_932_900), (-719_530, -719_520), (5, 4)] {
            let days = DayTexts::new(first, last);
            for d in (first - 3..=first + 3).chain(last - 3..=last + 3).chain([i32::MIN, i32::MAX, 0]) {
                let mut out = Vec::new();
                days.push(d, &mut out);
                assert_eq!(out, one_by_one(d), "day {d} of {first}..={last}");
            }
        }
        assert_eq!(DayTexts::new(19_000, 21_000).texts.len(), 2_001);
        assert!(DayTexts::new(0, 70_000).texts.is_empty());
    }

    /// Written a window at a time on every core, kept or handed on, the rows are those written in
    /// one go, in order.
    #[test]
    fn windows_write_the_rows_in_order() {
        for n in [0, 1, 19_999, 20_000, WINDOW_ROWS * 2 + 7, WINDOW_ROWS * 5] {
            let numbers: Int64Chunked = (0..n as i64).map(|i| (i % 7 != 0).then_some(i)).collect();
            let numbers = numbers.rechunk();
            let days: Int32Chunked = (0..n as i32).map(|i| Some(19_000 + i % 400)).collect();
            let days = days.rechunk();
            let day_texts = DayTexts::new(19_000, 19_399);
            let columns = [
                Cells::Numbers(numbers.downcast_as_array()),
                Cells::Same("a, \"b\"".into()),
                Cells::Dates(days.downcast_as_array(), &day_texts),
            ];
            let mut whole = Vec::new();
            write_rows(&columns, 0..n, &mut whole);
            assert_eq!(whole.iter().filter(|&&b| b == b'\n').count(), n);
            for keep in [true, false] {
                let mut handed = Vec::new();
                let kept = write_rows_in_windows(&columns, n, keep, &mut |b: &[u8]| {
                    handed.extend_from_slice(b);
                    Ok(())
                })
                .unwrap();
                assert!(handed == whole, "{n} rows, keep {keep}: handed on");
                assert!(if keep { kept.concat() == whole } else { kept.is_empty() }, "{n} rows, keep {keep}: kept");
            }
        }
    }

    /// The cells a CSV writer is given: formula-safe, then quoted where needed.
    fn by_the_csv_crate(cells: &[&str]) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(cells.iter().map(|c| formula_safe(c))).unwrap();
        w.into_inner().unwrap()
    }

    /// The record `write_rows` makes of the cells.
    fn by_push_field(cells: &[&str]) -> Vec<u8> {
        let columns: Vec<Cells> = cells.iter().map(|c| Cells::Same(c.to_string())).collect();
        let mut out = Vec::new();
        write_rows(&columns, 0..1, &mut out);
        out
    }

    #[test]
    fn cells_are_formula_safe_and_quoted_as_the_csv_crate_quotes_them() {
        let cells = [
            "=SUM(A1)",
            "+1",
            "-1",
            "@x",
            "\tx",
            "\rx",
            "plain",
            "",
            "a=b",
            "'quoted",
            "a,b",
            "say \"hi\"",
            "\"",
            "two\nlines",
            "=1,2",
            "\r",
            "é, ü",
        ];
        for a in cells {
            for b in cells {
                assert_eq!(by_push_field(&[a, b]), by_the_csv_crate(&[a, b]), "{a:?}, {b:?}");
            }
        }
    }

    fn text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            Just(",".to_string()),
            Just("\"".to_string()),
            Just("\n".to_string()),
            Just("\r".to_string()),
            Just("\t".to_string()),
            Just("=".to_string()),
            Just("+".to_string()),
            Just("-".to_string()),
            Just("@".to_string()),
            Just("'".to_string()),
            Just(" ".to_string()),
            Just("#".to_string()),
            Just("é".to_string()),
            "[a-z0-9]{1,4}",
        ];
        proptest::collection::vec(piece, 0..8).prop_map(|p| p.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2_000, failure_persistence: None, ..Default::default() })]

        /// Any three cells: the record the audit writes is the one the csv crate writes.
        #[test]
        fn records_are_the_csv_crates(a in text(), b in text(), c in text()) {
            let cells = [a.as_str(), b.as_str(), c.as_str()];
            proptest::prop_assert_eq!(by_push_field(&cells), by_the_csv_crate(&cells));
        }
    }
}
