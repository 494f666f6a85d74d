//! Reading a file's data rows on every core: the file is read in order (its records and their
//! row numbers need a single pass), the rows are copied into batches, and the batches are typed
//! and checked in parallel; the results come back in file order, so the table and the ledger
//! are the same as one thread would make them.

use std::ops::ControlFlow;
use std::sync::{mpsc, Mutex};

use anyhow::Result;
use chrono::NaiveDate;

use super::headers::ColumnMap;
use super::quality::{Dropped, Rejected};
use super::source::{for_each_sheet_row, Source};
use super::values::Cell;
use super::{parse_row, Block, FileRow, ReadOptions, TableBuilder};
use crate::error::data;

/// Rows per batch: large enough that handing a batch over costs nothing, small enough that every
/// core has batches to work on.
const BATCH_ROWS: usize = 65_536;

/// Rows per block of a sheet: the cells are already in memory, so blocks can be small enough
/// to share a sheet of any size evenly between the cores.
const SHEET_BLOCK_ROWS: usize = 16_384;

/// One cell of a batch, text held in the batch's buffer.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Empty,
    Text(usize, usize),
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
}

/// Rows copied out of the file: their row numbers, cells, and the text the cells point into.
#[derive(Default)]
struct RowBatch {
    text: String,
    slots: Vec<Slot>,
    /// (row number in the file, index of its first slot).
    rows: Vec<(usize, usize)>,
}

impl RowBatch {
    fn push(&mut self, row: usize, cells: &[Cell]) {
        self.rows.push((row, self.slots.len()));
        for c in cells {
            let slot = match c {
                Cell::Empty => Slot::Empty,
                Cell::Text(t) => {
                    let start = self.text.len();
                    self.text.push_str(t);
                    Slot::Text(start, self.text.len())
                }
                Cell::Number(n) => Slot::Number(*n),
                Cell::Date(d) => Slot::Date(*d),
                Cell::Bool(b) => Slot::Bool(*b),
            };
            self.slots.push(slot);
        }
    }

    fn len(&self) -> usize {
        self.rows.len()
    }

    /// Empties the batch, keeping its memory for the next one.
    fn clear(&mut self) {
        self.text.clear();
        self.slots.clear();
        self.rows.clear();
    }

    /// Calls `f(row, cells)` for each row.
    fn each(&self, mut f: impl FnMut(usize, &[Cell])) {
        let mut cells: Vec<Cell> = Vec::new();
        for (i, &(row, start)) in self.rows.iter().enumerate() {
            let end = self.rows.get(i + 1).map_or(self.slots.len(), |r| r.1);
            cells.clear();
            cells.extend(self.slots[start..end].iter().map(|s| match *s {
                Slot::Empty => Cell::Empty,
                Slot::Text(a, b) => Cell::Text(&self.text[a..b]),
                Slot::Number(n) => Cell::Number(n),
                Slot::Date(d) => Cell::Date(d),
                Slot::Bool(b) => Cell::Bool(b),
            }));
            f(row, &cells);
        }
    }
}

/// What one file's layout says about its columns, shared by every batch.
pub(super) struct FileLayout<'f> {
    /// The file's position on the command line.
    pub index: usize,
    /// The file as given.
    pub name: &'f str,
    /// Every file as given, by position.
    pub names: &'f [String],
    /// Header as written per entry of `FIELDS`.
    pub headers: Vec<String>,
    /// Column per entry of `FIELDS`.
    pub column_of: Vec<Option<usize>>,
    /// (column, slot) of every extra column.
    pub extras: Vec<(usize, usize)>,
    /// Every extra column name so far (the slots index it).
    pub extra_names: Vec<String>,
}

/// A batch's rows typed and checked.
pub(super) struct Part {
    /// The rows used, as a frame.
    pub table: Result<Block>,
    /// Rows rejected.
    pub rejected: Vec<Rejected>,
    /// Values dropped.
    pub dropped: Vec<Dropped>,
}

/// Types and checks rows one at a time into a `Part`.
struct Parser<'l> {
    layout: &'l FileLayout<'l>,
    opts: &'l ReadOptions,
    table: TableBuilder,
    rejected: Vec<Rejected>,
    dropped: Vec<Dropped>,
}

impl<'l> Parser<'l> {
    fn new(layout: &'l FileLayout<'l>, opts: &'l ReadOptions, rows: usize) -> Self {
        let table = TableBuilder::with_capacity(&layout.extra_names, rows);
        Parser { layout, opts, table, rejected: Vec::new(), dropped: Vec::new() }
    }

    /// The rows typed so far, their frame made here (on the thread that typed them).
    fn finish(self) -> Part {
        Part { table: self.table.into_block(self.layout.names), rejected: self.rejected, dropped: self.dropped }
    }

    /// Types and checks one row: used (into the table) or rejected.
    fn row(&mut self, row: usize, cells: &[Cell]) {
        let layout = self.layout;
        let file = FileRow {
            index: layout.index,
            name: layout.name,
            row,
            headers: &layout.headers,
            column_of: &layout.column_of,
        };
        match parse_row(&file, cells, self.opts, &mut self.dropped) {
            Ok((case_id, values)) => {
                let extra_values = layout.extras.iter().filter_map(|&(col, slot)| match cells.get(col) {
                    Some(Cell::Text(t)) if !t.trim().is_empty() => Some((slot, std::borrow::Cow::Borrowed(t.trim()))),
                    Some(c) if !c.is_blank() => Some((slot, std::borrow::Cow::Owned(c.display()))),
                    _ => None,
                });
                self.table.push(layout.index, row, case_id, &values, extra_values);
            }
            Err(rejected) => self.rejected.push(rejected),
        }
    }
}

/// Types and checks the rows of one batch.
fn parse_batch(batch: &RowBatch, layout: &FileLayout, opts: &ReadOptions) -> Part {
    let mut parser = Parser::new(layout, opts, batch.len());
    batch.each(|row, cells| parser.row(row, cells));
    parser.finish()
}

/// The data rows of a spreadsheet sheet, typed and checked on every core straight from the
/// sheet's cells (already in memory, so nothing is copied): blocks of rows in sheet order,
/// each block's rows in order, so the parts come back as one thread would make them.
fn read_sheet_rows(
    range: &calamine::Range<calamine::Data>,
    map: &ColumnMap,
    layout: &FileLayout,
    opts: &ReadOptions,
) -> Result<(Vec<Part>, usize)> {
    let blocks: Vec<(usize, usize)> =
        (0..range.height()).step_by(SHEET_BLOCK_ROWS).map(|a| (a, SHEET_BLOCK_ROWS.min(range.height() - a))).collect();
    let done = crate::par::map_in_order(&blocks, |&(start, len)| {
        let mut parser = Parser::new(layout, opts, len);
        let mut read = 0;
        for_each_sheet_row(range, start, len, |row, cells| {
            if row > map.header_row {
                read += 1;
                parser.row(row, cells);
            }
            true
        });
        (parser.finish(), read)
    });
    let mut parts = Vec::with_capacity(done.len());
    let mut rows_read = 0;
    for block in done {
        let (part, read) = block.ok_or_else(|| data("a block of rows was lost while reading"))?;
        parts.push(part);
        rows_read += read;
    }
    Ok((parts, rows_read))
}

/// Every data row of `source` (below the header), typed and checked on every core: the parts
/// in file order, and the number of rows read.
pub(super) fn read_rows(
    source: &Source,
    map: &ColumnMap,
    layout: &FileLayout,
    opts: &ReadOptions,
) -> Result<(Vec<Part>, usize)> {
    if let Source::Sheet { range, .. } = source {
        return read_sheet_rows(range, map, layout, opts);
    }
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 8);
    let mut rows_read = 0;
    let (work_tx, work_rx) = mpsc::sync_channel::<(usize, RowBatch)>(workers * 2);
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel::<(usize, Part)>();
    // Batches come back empty to be filled again: a batch is tens of megabytes, and memory
    // freed and asked for again at that size comes back from the system as fresh pages to clear.
    let (free_tx, free_rx) = mpsc::channel::<RowBatch>();
    let parts = std::thread::scope(|scope| -> Result<Vec<Part>> {
        for _ in 0..workers {
            let (work_rx, done_tx, free_tx) = (&work_rx, done_tx.clone(), free_tx.clone());
            scope.spawn(move || loop {
                // A poisoned lock means another worker panicked; the scope reports that panic.
                let next = match work_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok((i, mut batch)) = next else { return };
                if done_tx.send((i, parse_batch(&batch, layout, opts))).is_err() {
                    return;
                }
                batch.clear();
                // The reader may have finished; then the batch is simply dropped.
                let _ = free_tx.send(batch);
            });
        }
        drop(done_tx);
        let mut batch = RowBatch::default();
        let mut sent = 0;
        let read = source.for_each_row(|row, cells| {
            if row <= map.header_row {
                return Ok(ControlFlow::Continue(()));
            }
            rows_read += 1;
            batch.push(row, cells);
            if batch.len() == BATCH_ROWS {
                let next = free_rx.try_recv().unwrap_or_default();
                work_tx
                    .send((sent, std::mem::replace(&mut batch, next)))
                    .map_err(|_| data("a worker stopped while reading the rows"))?;
                sent += 1;
            }
            Ok(ControlFlow::Continue(()))
        });
        if read.is_ok() && batch.len() > 0 {
            work_tx.send((sent, batch)).map_err(|_| data("a worker stopped while reading the rows"))?;
            sent += 1;
        }
        drop(work_tx);
        let mut parts: Vec<Option<Part>> = (0..sent).map(|_| None).collect();
        for (i, part) in done_rx {
            parts[i] = Some(part);
        }
        read?;
        parts.into_iter().map(|p| p.ok_or_else(|| data("a batch of rows was lost while reading"))).collect()
    })?;
    Ok((parts, rows_read))
}
