//! Reading a file's data rows on every core: delimited text cut at line starts into stretches
//! each read, typed and checked by one core (a cut inside a quoted cell is not used), a sheet's
//! rows in blocks (an XLSX sheet's typed while the rest is still being read); the parts come
//! back in file order, so the table and the ledger are the same as one thread would make them.

use std::ops::ControlFlow;
use std::sync::{mpsc, Mutex};

use anyhow::Result;
use calamine::DataRef;

use super::quality::{Dropped, Rejected};
use super::source::{
    borrow, cut_at, for_each_sheet_row, read_delimited, starts, stored_row, Reached, SheetRows, Source, Start, Workbook,
};
use super::values::{trimmed, Cell};
use super::{parse_row, Block, FileRow, ReadOptions, TableBuilder};
use crate::error::data;

/// Bytes of delimited text per stretch, at least: large enough that a stretch costs nothing to
/// start, small enough that every core has stretches to work on (see `stretch_bytes`).
const MIN_STRETCH_BYTES: usize = 1 << 20;

/// Rows per block of a sheet: small enough to share a sheet of any size evenly between the
/// cores, and (read as a stream) to start typing soon after reading starts.
const SHEET_BLOCK_ROWS: usize = 16_384;

/// What one file's layout says about its columns, shared by every stretch and block of its rows.
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
    /// The header's row number: rows above it and it are not data.
    pub header_row: usize,
    /// The header's number of columns.
    pub width: usize,
}

/// A stretch's or block's rows typed and checked.
pub(super) struct Part {
    /// The rows used, as a frame.
    pub table: Result<Block>,
    /// Rows rejected.
    pub rejected: Vec<Rejected>,
    /// Values dropped.
    pub dropped: Vec<Dropped>,
    /// Data rows read (used or rejected).
    pub read: usize,
    /// Line ends inside the quoted cells of the text the part was read from: the rows of every
    /// later part are numbered this many below their own reading's numbers.
    pub folded: usize,
}

impl Part {
    /// Numbers every row of the part `by` lower: a stretch's rows once the line breaks inside
    /// cells before its cut are known.
    fn renumber(&mut self, by: usize) -> Result<()> {
        if by == 0 {
            return Ok(());
        }
        // A part's rows are numbered at least `by` above their row (see `read_text_rows`).
        self.rejected.iter_mut().for_each(|r| r.row = r.row.saturating_sub(by));
        self.dropped.iter_mut().for_each(|d| d.row = d.row.saturating_sub(by));
        match &mut self.table {
            Ok(block) => block.renumber(by),
            Err(_) => Ok(()),
        }
    }
}

/// Types and checks rows one at a time into a `Part`.
struct Parser<'l> {
    layout: &'l FileLayout<'l>,
    opts: &'l ReadOptions,
    table: TableBuilder,
    rejected: Vec<Rejected>,
    dropped: Vec<Dropped>,
    read: usize,
}

impl<'l> Parser<'l> {
    fn new(layout: &'l FileLayout<'l>, opts: &'l ReadOptions, rows: usize) -> Self {
        let table = TableBuilder::with_capacity(&layout.extra_names, rows, opts.ledger_only);
        Parser { layout, opts, table, rejected: Vec::new(), dropped: Vec::new(), read: 0 }
    }

    /// The rows typed so far, their frame made here (on the thread that typed them).
    fn finish(self) -> Part {
        let table = self.table.into_block(self.layout.names);
        Part { table, rejected: self.rejected, dropped: self.dropped, read: self.read, folded: 0 }
    }

    /// Types and checks one non-blank row of the file: used (into the table) or rejected; the
    /// header and the rows above it are passed over.
    fn row(&mut self, row: usize, cells: &[Cell]) {
        if row <= self.layout.header_row {
            return;
        }
        self.read += 1;
        let layout = self.layout;
        let file = FileRow {
            index: layout.index,
            name: layout.name,
            row,
            headers: &layout.headers,
            column_of: &layout.column_of,
        };
        match parse_row(&file, cells, self.opts, &mut self.dropped) {
            Ok(values) => {
                let extra_values = layout.extras.iter().filter_map(|&(col, slot)| match cells.get(col) {
                    Some(Cell::Text(t)) => {
                        let t = trimmed(t);
                        (!t.is_empty()).then_some((slot, std::borrow::Cow::Borrowed(t)))
                    }
                    Some(c) if !c.is_blank() => Some((slot, std::borrow::Cow::Owned(c.display()))),
                    _ => None,
                });
                self.table.push(layout.index, row, &values, extra_values);
            }
            Err(rejected) => self.rejected.push(rejected),
        }
    }
}

/// The data rows of a spreadsheet sheet, typed and checked on every core straight from the
/// sheet's cells (already in memory, so nothing is copied): blocks of rows in sheet order,
/// each block's rows in order, so the parts come back as one thread would make them.
fn read_sheet_rows(
    range: &calamine::Range<calamine::Data>,
    layout: &FileLayout,
    opts: &ReadOptions,
) -> Result<Vec<Part>> {
    let blocks: Vec<(usize, usize)> =
        (0..range.height()).step_by(SHEET_BLOCK_ROWS).map(|a| (a, SHEET_BLOCK_ROWS.min(range.height() - a))).collect();
    crate::par::try_map_in_order(&blocks, "a block of rows was lost while reading", |&(start, len)| {
        let mut parser = Parser::new(layout, opts, len);
        for_each_sheet_row(range, start, len, |row, cells| {
            parser.row(row, cells);
            true
        });
        Ok(parser.finish())
    })
}

/// What reading a sheet as a stream found about its cells (see `SheetRows`).
#[derive(Debug, Clone, Copy)]
pub(super) struct Shape {
    /// The rightmost column (0 = A) holding a value.
    pub widest: Option<u32>,
    /// Whether every cell came after the one before it.
    pub in_order: bool,
}

/// A file's data rows typed and checked.
pub(super) struct Rows {
    /// The parts, in file order.
    pub parts: Vec<Part>,
    /// Rows read below the header.
    pub read: usize,
    /// For a sheet read as a stream, what its cells were like.
    pub shape: Option<Shape>,
}

/// Every data row of `source` (below the header), typed and checked on every core.
pub(super) fn read_rows(source: &Source, layout: &FileLayout, opts: &ReadOptions) -> Result<Rows> {
    let (parts, shape) = match source {
        Source::Sheet { range, .. } => (read_sheet_rows(range, layout, opts)?, None),
        Source::Delimited { text, delimiter } => (read_text_rows(text, *delimiter, layout, opts)?, None),
        Source::Streamed { name, book } => {
            let (parts, shape) = read_streamed_rows(&mut *borrow(book)?, name, layout, opts)?;
            (parts, Some(shape))
        }
    };
    Ok(Rows { read: parts.iter().map(|p| p.read).sum(), parts, shape })
}

/// Blocks of a sheet's rows, each with its row number, waiting to be typed.
type StoredRows<'a> = Vec<(usize, Vec<DataRef<'a>>)>;

/// The data rows of a sheet read as a stream: this thread reads the cells, a block of rows at a
/// time, while the other threads type and check the blocks already read.
fn read_streamed_rows(
    book: &mut Workbook,
    name: &str,
    layout: &FileLayout,
    opts: &ReadOptions,
) -> Result<(Vec<Part>, Shape)> {
    let mut rows = SheetRows::new(book, name)?;
    let workers = crate::par::cores().clamp(1, 8);
    let (work_tx, work_rx) = mpsc::sync_channel::<(usize, StoredRows)>(workers * 2);
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel::<(usize, Part)>();
    let type_block = |block: StoredRows| -> Part {
        let mut parser = Parser::new(layout, opts, block.len());
        for (row, values) in &block {
            if let Some(cells) = stored_row(values) {
                parser.row(*row, &cells);
            }
        }
        parser.finish()
    };
    let parts = std::thread::scope(|scope| -> Result<Vec<Part>> {
        for _ in 0..workers {
            let (work_rx, done_tx, type_block) = (&work_rx, done_tx.clone(), &type_block);
            scope.spawn(move || loop {
                // A poisoned lock means another worker panicked; the scope reports that panic.
                let next = match work_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok((i, block)) = next else { return };
                if done_tx.send((i, type_block(block))).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);
        let mut sent = 0;
        let mut read = || -> Result<()> {
            let mut block = Vec::with_capacity(SHEET_BLOCK_ROWS);
            while let Some(row) = rows.next_row()? {
                block.push(row);
                if block.len() == SHEET_BLOCK_ROWS {
                    let full = std::mem::replace(&mut block, Vec::with_capacity(SHEET_BLOCK_ROWS));
                    work_tx.send((sent, full)).map_err(|_| data("a worker stopped while reading the rows"))?;
                    sent += 1;
                }
            }
            if !block.is_empty() {
                work_tx.send((sent, block)).map_err(|_| data("a worker stopped while reading the rows"))?;
                sent += 1;
            }
            Ok(())
        };
        let finished = read();
        drop(work_tx);
        let mut parts: Vec<Option<Part>> = (0..sent).map(|_| None).collect();
        for (i, part) in done_rx {
            parts[i] = Some(part);
        }
        finished?;
        parts.into_iter().map(|p| p.ok_or_else(|| data("a block of rows was lost while reading"))).collect()
    })?;
    Ok((parts, Shape { widest: rows.widest, in_order: rows.in_order }))
}

/// Bytes per stretch of a text of `len` bytes: about eight stretches a core, so that a core
/// finishing early takes another, but never under `MIN_STRETCH_BYTES`.
fn stretch_bytes(len: usize) -> usize {
    (len / (crate::par::cores() * 8)).max(MIN_STRETCH_BYTES)
}

/// The data rows of delimited text, each stretch (cut to cut) read, typed and checked on a core
/// of its own; a stretch whose cut fell inside a quoted cell is never used, its text read again
/// from where the reading before it ended (so no stretch reads far past its own text).
///
/// Rows are numbered as a spreadsheet shows them (see `read_delimited`): a stretch is read as
/// if no cell before its cut held a line break, and renumbered once the parts before it are
/// known. No cut comes before the header's end, so the header and the rows above it are always
/// read from the text's start, numbered as `layout.header_row` was found.
fn read_text_rows(text: &str, delimiter: u8, layout: &FileLayout, opts: &ReadOptions) -> Result<Vec<Part>> {
    let every = opts.stretch_bytes.unwrap_or_else(|| stretch_bytes(text.len()));
    let data_from = header_end(text, delimiter, layout.header_row)?;
    let mut cuts = starts(text, delimiter, every, layout.width);
    cuts.retain(|cut| cut.offset == 0 || cut.offset >= data_from);
    // Reads from `start` up to the cut after it (`next`, an index into the cuts).
    let read = |start: Start, next: usize| -> Result<(Part, Reached)> {
        // Lines up to the next cut: its rows, unless cells span lines.
        let lines = cuts.get(next).map_or(1024, |cut| cut.line.saturating_sub(start.line).max(1));
        let mut parser = Parser::new(layout, opts, lines);
        let limit = cuts.get(next).map_or(usize::MAX, |cut| cut.offset);
        let reading = read_delimited(text, delimiter, start, limit, |row, cells| {
            parser.row(row, cells);
            Ok(ControlFlow::Continue(()))
        })?;
        Ok((Part { folded: reading.folded, ..parser.finish() }, reading.reached))
    };
    let stretches: Vec<usize> = (0..cuts.len()).collect();
    let mut done = crate::par::map_in_order(&stretches, |&k| read(cuts[k], k + 1));
    // The stretches in order, from the first (which starts the text): a stretch's own reading is
    // used when the reading before it ended at its cut; otherwise (the cut fell inside a quoted
    // cell spanning lines) the text is read on from where that reading ended, up to the next cut.
    let mut parts = Vec::new();
    let (mut began, mut stretch) = (0, done.first_mut().and_then(Option::take));
    // Line ends inside cells before the part being taken.
    let mut folded = 0;
    loop {
        let (mut part, reached) = stretch.ok_or_else(|| data("a stretch of rows was lost while reading"))??;
        part.renumber(folded)?;
        folded += part.folded;
        parts.push(part);
        let Reached::At(end) = reached else { break };
        (began, stretch) = match cut_at(text, &cuts, began, end.offset) {
            Some(k) => (cuts[k].offset, done.get_mut(k).and_then(Option::take)),
            None => (end.offset, Some(read(end, cuts.partition_point(|c| c.offset <= end.offset)))),
        };
    }
    Ok(parts)
}

/// The byte offset just after the header (row `header_row`, read from the text's start), where
/// the data rows begin; the text's end when nothing follows it.
fn header_end(text: &str, delimiter: u8, header_row: usize) -> Result<usize> {
    let reading = read_delimited(text, delimiter, Start::FIRST, usize::MAX, |row, _| {
        Ok(if row >= header_row { ControlFlow::Break(()) } else { ControlFlow::Continue(()) })
    })?;
    Ok(match reading.reached {
        Reached::At(after) => after.offset,
        Reached::End => text.len(),
    })
}
