//! Reading a file into a grid of cells: delimited text (`,` `;` tab; UTF-8 with or without BOM,
//! UTF-16 with BOM, or Windows-1252) and spreadsheets (XLSX, XLS, ODS via calamine; an XLSX
//! sheet can be read as a stream of rows).

use std::cell::RefCell;
use std::fs::File;
use std::io::BufReader;
use std::ops::ControlFlow;
use std::path::Path;
use std::rc::Rc;

use anyhow::Result;
use calamine::{open_workbook_auto, Data, DataRef, ExcelDateTime, Range, Reader, Xlsx, XlsxCellReader, XlsxError};

use super::values::{from_excel_serial, Cell};
use crate::error::{data, usage};

/// A file opened for reading: decoded delimited text, or one spreadsheet sheet.
pub enum Source {
    /// Delimited text, decoded, with its delimiter.
    Delimited {
        /// The whole file as text.
        text: Text,
        /// `,`, `;` or tab.
        delimiter: u8,
    },
    /// One sheet of a spreadsheet.
    Sheet {
        /// Sheet name.
        name: String,
        /// Its used cells.
        range: Range<Data>,
    },
    /// One sheet of an XLSX workbook, its rows read as they are stored whenever they are
    /// wanted: never held whole, and typed while the rest is still being read.
    Streamed {
        /// Sheet name.
        name: String,
        /// The workbook, shared by its sheets.
        book: Rc<RefCell<Workbook>>,
    },
}

/// An XLSX workbook being read.
pub type Workbook = Xlsx<BufReader<File>>;

impl Source {
    /// The sheet name, for spreadsheets.
    pub fn sheet(&self) -> Option<&str> {
        match self {
            Source::Delimited { .. } => None,
            Source::Sheet { name, .. } | Source::Streamed { name, .. } => Some(name),
        }
    }

    /// Calls `f(row number, cells)` for every non-blank row in order, until `f` says stop.
    pub fn for_each_row<F>(&self, mut f: F) -> Result<()>
    where
        F: FnMut(usize, &[Cell]) -> Result<ControlFlow<()>>,
    {
        match self {
            Source::Delimited { text, delimiter } => {
                read_delimited(text, *delimiter, Start::FIRST, usize::MAX, f)?;
            }
            Source::Sheet { range, .. } => {
                let mut result = Ok(());
                for_each_sheet_row(range, 0, range.height(), |row, cells| match f(row, cells) {
                    Ok(ControlFlow::Continue(())) => true,
                    Ok(ControlFlow::Break(())) => false,
                    Err(e) => {
                        result = Err(e);
                        false
                    }
                });
                result?;
            }
            Source::Streamed { name, book } => {
                let mut book = borrow(book)?;
                let mut rows = SheetRows::new(&mut book, name)?;
                while let Some((row, values)) = rows.next_row()? {
                    if let Some(cells) = stored_row(&values) {
                        if f(row, &cells)?.is_break() {
                            break;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// The first `n` non-blank rows as header text, with their row numbers.
    pub fn head(&self, n: usize) -> Result<Vec<(usize, Vec<String>)>> {
        let mut out = Vec::new();
        self.for_each_row(|row, cells| {
            out.push((row, cells.iter().map(|c| c.display().trim().to_string()).collect()));
            Ok(if out.len() >= n { ControlFlow::Break(()) } else { ControlFlow::Continue(()) })
        })?;
        Ok(out)
    }
}

/// Calls `f(row number, cells)` for every non-blank row of `len` rows of a sheet's used range
/// from its row `start` (0 = the range's first row), until `f` returns false. Cells left of the
/// used range's first column are blank, so a cell's index is its column in the sheet.
pub fn for_each_sheet_row<'r>(
    range: &'r Range<Data>,
    start: usize,
    len: usize,
    mut f: impl FnMut(usize, &[Cell<'r>]) -> bool,
) {
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut cells: Vec<Cell<'r>> = Vec::new();
    for (i, r) in range.rows().enumerate().skip(start).take(len) {
        cells.clear();
        cells.resize(first_col as usize, Cell::Empty);
        cells.extend(r.iter().map(spreadsheet_cell));
        if cells.iter().all(Cell::is_blank) {
            continue;
        }
        if !f(first_row as usize + i + 1, &cells) {
            return;
        }
    }
}

/// The workbook of a streamed sheet, for one reading at a time.
pub fn borrow(book: &RefCell<Workbook>) -> Result<std::cell::RefMut<'_, Workbook>> {
    book.try_borrow_mut().map_err(|_| data("the workbook is already being read"))
}

/// A sheet's cells as they are stored, grouped into rows: each row's cells at their columns
/// (empty where nothing is stored), with what the reading found about the cells' order and
/// extent (a sheet read as a stream must be read whole instead when either differs from what
/// its rows alone say).
pub struct SheetRows<'a> {
    cells: Option<XlsxCellReader<'a, BufReader<File>>>,
    /// A cell of the next row, read before its row was asked for.
    next: Option<calamine::Cell<DataRef<'a>>>,
    last: Option<(u32, u32)>,
    /// The rightmost column (0 = A) holding a value, over every row read so far.
    pub widest: Option<u32>,
    /// Whether every cell so far came after the one before it: rows in order, and columns in
    /// order within a row.
    pub in_order: bool,
}

impl<'a> SheetRows<'a> {
    /// The rows of sheet `name` (none for a sheet that holds no cells, such as a chart).
    pub fn new(book: &'a mut Workbook, name: &str) -> Result<SheetRows<'a>> {
        let cells = match book.worksheet_cells_reader(name) {
            Ok(reader) => Some(reader),
            Err(XlsxError::NotAWorksheet(_)) => None,
            Err(e) => return Err(data(format!("cannot read sheet '{name}': {e}"))),
        };
        Ok(SheetRows { cells, next: None, last: None, widest: None, in_order: true })
    }

    /// The next cell holding something (an empty cell is as good as none).
    fn next_value(&mut self) -> Result<Option<calamine::Cell<DataRef<'a>>>> {
        let Some(reader) = self.cells.as_mut() else { return Ok(None) };
        loop {
            match reader.next_cell().map_err(|e| data(format!("cannot read the sheet: {e}")))? {
                Some(c) if matches!(c.get_value(), DataRef::Empty) => continue,
                Some(c) => return Ok(Some(c)),
                // The reader is not asked again after the sheet's end.
                None => {
                    self.cells = None;
                    return Ok(None);
                }
            }
        }
    }

    /// The next row holding something: its number (1 = the sheet's first) and its cells, each
    /// at its column.
    pub fn next_row(&mut self) -> Result<Option<(usize, Vec<DataRef<'a>>)>> {
        let first = match self.next.take() {
            Some(c) => c,
            None => match self.next_value()? {
                Some(c) => c,
                None => return Ok(None),
            },
        };
        let row = first.get_position().0;
        let mut values = Vec::new();
        self.place(&mut values, first);
        while let Some(c) = self.next_value()? {
            if c.get_position().0 != row {
                self.next = Some(c);
                break;
            }
            self.place(&mut values, c);
        }
        Ok(Some((row as usize + 1, values)))
    }

    fn place(&mut self, values: &mut Vec<DataRef<'a>>, cell: calamine::Cell<DataRef<'a>>) {
        let (row, col) = cell.get_position();
        self.in_order &= self.last.is_none_or(|last| (row, col) > last);
        self.last = Some((row, col));
        self.widest = self.widest.max(Some(col));
        let col = col as usize;
        if values.len() <= col {
            values.resize(col + 1, DataRef::Empty);
        }
        values[col] = cell.get_value().clone();
    }
}

/// A stored row's cells; none when every one is blank (a blank row is no row).
pub fn stored_row<'c>(values: &'c [DataRef<'_>]) -> Option<Vec<Cell<'c>>> {
    let cells: Vec<Cell> = values.iter().map(stored_cell).collect();
    (!cells.iter().all(Cell::is_blank)).then_some(cells)
}

/// A stored XLSX cell as a cell (as `spreadsheet_cell` reads the same cell from a whole sheet).
fn stored_cell<'c>(d: &'c DataRef<'_>) -> Cell<'c> {
    match d {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s),
        DataRef::SharedString(s) => Cell::Text(s),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => date_time_cell(dt),
        DataRef::Error(_) => Cell::Text("#ERROR"),
    }
}

/// A date cell as a date; a duration as its number.
fn date_time_cell(dt: &ExcelDateTime) -> Cell<'static> {
    match from_excel_serial(dt.as_f64()) {
        Some(date) if !dt.is_duration() => Cell::Date(date),
        _ => Cell::Number(dt.as_f64()),
    }
}

/// Why a workbook could not be opened, and what to do.
fn damaged(e: impl std::fmt::Display) -> String {
    format!("cannot open as a spreadsheet ({e}); the file may be damaged or cut short: export it again")
}

/// Whether a path is named as a spreadsheet (by extension).
pub fn is_spreadsheet(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
    matches!(ext.as_str(), "xlsx" | "xlsm" | "xlsb" | "xls" | "ods")
}

/// Whether a file holds a workbook: XLSX, XLSM, XLSB and ODS are zip archives, XLS an OLE
/// compound file. Many systems' "Excel export" is CSV text, or an HTML table, under an .xls or
/// .xlsx name; such a file is not a workbook whatever its name.
pub fn holds_workbook(path: &Path) -> bool {
    let mut head = [0u8; 8];
    let read = File::open(path).and_then(|mut f| std::io::Read::read(&mut f, &mut head)).unwrap_or(0);
    let head = &head[..read];
    // A zip archive begins with a local file header (or, empty, its end record): "PK" alone
    // would take a CSV headed "PK,…" (a primary key) for one.
    head.starts_with(b"PK\x03\x04")
        || head.starts_with(b"PK\x05\x06")
        || head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// Whether decoded text is a web page (an HTML table saved under a spreadsheet's name).
pub fn is_web_page(text: &str) -> bool {
    let start = text.trim_start().get(..5).unwrap_or("").to_ascii_lowercase();
    start.starts_with("<html") || start.starts_with("<!doc") || start.starts_with("<tabl")
}

/// Opens every sheet of a spreadsheet, or one named sheet.
pub fn open_spreadsheet(path: &Path, sheet: Option<&str>) -> Result<Vec<Source>> {
    let mut book = open_workbook_auto(path).map_err(|e| data(format!("{}: {}", path.display(), damaged(e))))?;
    let wanted = wanted_sheets(path, book.sheet_names(), sheet)?;
    let mut sources = Vec::new();
    for name in wanted {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| data(format!("{}: cannot read sheet '{name}': {e}", path.display())))?;
        sources.push(Source::Sheet { name, range });
    }
    Ok(sources)
}

/// The named sheet (any case), else every sheet.
fn wanted_sheets(path: &Path, names: Vec<String>, sheet: Option<&str>) -> Result<Vec<String>> {
    Ok(match sheet {
        Some(s) => {
            let found = names.iter().find(|n| n.eq_ignore_ascii_case(s)).cloned();
            vec![found.ok_or_else(|| {
                usage(format!("{}: no sheet named '{s}'; the sheets are: {}", path.display(), names.join(", ")))
            })?]
        }
        None => names,
    })
}

/// Whether a spreadsheet can be read as a stream of rows (XLSX by extension).
pub fn is_streamable(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
    matches!(ext.as_str(), "xlsx" | "xlsm")
}

/// Opens an XLSX workbook's named sheet, or every sheet, to be read as streams: nothing of a
/// sheet is read until its rows are asked for.
pub fn open_streamed(path: &Path, sheet: Option<&str>) -> Result<Vec<Source>> {
    let book: Workbook =
        calamine::open_workbook(path).map_err(|e: XlsxError| data(format!("{}: {}", path.display(), damaged(e))))?;
    let wanted = wanted_sheets(path, book.sheet_names(), sheet)?;
    let book = Rc::new(RefCell::new(book));
    Ok(wanted.into_iter().map(|name| Source::Streamed { name, book: book.clone() }).collect())
}

fn spreadsheet_cell(d: &Data) -> Cell<'_> {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => date_time_cell(dt),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s),
        Data::Error(_) => Cell::Text("#ERROR"),
    }
}

/// Decodes delimited-text bytes: a BOM decides (UTF-8, UTF-16); otherwise UTF-8 when valid, else
/// Windows-1252 as Excel writes it.
pub fn decode_text(bytes: Vec<u8>) -> String {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(&bytes) {
        return enc.decode_without_bom_handling(&bytes[bom_len..]).0.into_owned();
    }
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(e.as_bytes()).0.into_owned(),
    }
}

/// Picks the delimiter that splits the most lines into the same, largest number of fields.
pub fn sniff_delimiter(text: &str) -> u8 {
    let sample: String = text.lines().filter(|l| !l.trim().is_empty()).take(30).collect::<Vec<_>>().join("\n");
    let mut best = (b',', 0usize);
    for delim in [b',', b';', b'\t'] {
        let mut counts: Vec<usize> = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delim)
            .from_reader(sample.as_bytes())
            .records()
            .filter_map(|r| r.ok())
            .map(|r| r.len())
            .filter(|&n| n > 1)
            .collect();
        counts.sort_unstable();
        // The most common field count, weighted by how many lines have it.
        let mut score = 0;
        for c in counts.chunk_by(|a, b| a == b) {
            score = score.max(c[0] * c.len());
        }
        if score > best.1 {
            best = (delim, score);
        }
    }
    best.0
}

/// Opens delimited text: decodes it and picks the delimiter.
pub fn open_delimited(path: &Path) -> Result<Source> {
    let text = Text::read(path).map_err(|e| usage(format!("{}: cannot read: {e}", path.display())))?;
    let delimiter = sniff_delimiter(&text);
    Ok(Source::Delimited { text, delimiter })
}

/// A delimited-text file's text: decoded (`decode_text`) into memory of its own, or — a large
/// file that is UTF-8 already, as most exports are — the file's own bytes mapped into memory,
/// so that the cores reading its stretches take them straight from the page cache (no copy of
/// the whole file to make first, on one core).
pub enum Text {
    /// Decoded.
    Owned(String),
    /// The file mapped, checked to be UTF-8.
    Mapped {
        /// The file's bytes.
        map: memmap2::Mmap,
        /// Where the text starts (after a byte-order mark).
        start: usize,
    },
}

/// Files from this size are mapped rather than read (below it, reading costs nothing).
const MAP_FROM_BYTES: u64 = 16 << 20;

impl Text {
    /// The text of the file at `path`.
    pub fn read(path: &Path) -> std::io::Result<Text> {
        Text::read_mapping_from(path, MAP_FROM_BYTES)
    }

    /// `read`, mapping files of `map_from` bytes or more.
    fn read_mapping_from(path: &Path, map_from: u64) -> std::io::Result<Text> {
        let file = std::fs::File::open(path)?;
        let read = |file: &std::fs::File| -> std::io::Result<Text> {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut &*file, &mut bytes)?;
            Ok(Text::Owned(decode_text(bytes)))
        };
        if file.metadata()?.len() < map_from {
            return read(&file);
        }
        // SAFETY: the mapping is only read. As with every program that maps its input (ripgrep
        // does), the file must not be changed while it is read: an export is written once and
        // then read.
        let Ok(map) = (unsafe { memmap2::Mmap::map(&file) }) else {
            // A file system that cannot map files: read it.
            return read(&file);
        };
        let start = if map.starts_with(BYTE_ORDER_MARK) { BYTE_ORDER_MARK.len() } else { 0 };
        let utf8 = encoding_rs::Encoding::for_bom(&map).is_none_or(|(encoding, _)| encoding == encoding_rs::UTF_8);
        if utf8 && is_utf8(&map[start..]) {
            // The same text `decode_text` gives for these bytes: UTF-8 as it stands.
            Ok(Text::Mapped { map, start })
        } else {
            Ok(Text::Owned(decode_text(map.to_vec())))
        }
    }
}

/// Bytes a core checks at a time in `is_utf8`.
const UTF8_PIECE: usize = 8 << 20;

/// Whether `bytes` are UTF-8, checked a piece on each core (a large file is otherwise checked
/// on one core while the others wait to read it). Each piece ends where a character starts (a
/// byte that is not a continuation byte), so no character is cut: the whole is UTF-8 exactly
/// when every piece is.
fn is_utf8(bytes: &[u8]) -> bool {
    is_utf8_in_pieces(bytes, UTF8_PIECE)
}

/// `is_utf8` in pieces of at least `piece` bytes.
fn is_utf8_in_pieces(bytes: &[u8], piece: usize) -> bool {
    let piece = piece.max(1);
    let mut bounds = vec![0];
    let mut at = piece;
    while at < bytes.len() {
        at += bytes[at..].iter().take_while(|&&b| b & 0xC0 == 0x80).count();
        bounds.push(at);
        at = at.saturating_add(piece);
    }
    bounds.push(bytes.len());
    let pieces: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
    crate::par::map_in_order(&pieces, |&(a, b)| std::str::from_utf8(&bytes[a..b]).is_ok())
        .into_iter()
        .all(|ok| ok == Some(true))
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Text::Owned(text) => text,
            // SAFETY: checked to be UTF-8 when mapped (`Text::read`), and never written.
            Text::Mapped { map, start } => unsafe { std::str::from_utf8_unchecked(&map[*start..]) },
        }
    }
}

/// A place where reading delimited text may begin: the start of a line, with its number. Only
/// the first is known to start a record; any other is a guess, confirmed (or not) by reading
/// the text before it (see `cut_at`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Start {
    /// Byte offset in the text.
    pub offset: usize,
    /// Line number (1 = first) of the line beginning there.
    pub line: usize,
}

impl Start {
    /// The beginning of the text.
    pub const FIRST: Start = Start { offset: 0, line: 1 };
}

/// Where reading from a start stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reached {
    /// The end of the text.
    End,
    /// Just after the last row read, where the first row at or beyond the limit begins (that
    /// row not read), or where the row after the one the caller stopped at begins: reading on
    /// from here gives the rows reading straight through would.
    At(Start),
}

/// What reading from a start did: where it stopped, and how many line ends it found inside
/// the rows it read (in quoted cells), which the rows after them are numbered without.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// Where the reading stopped.
    pub reached: Reached,
    /// Line ends inside quoted cells of the rows read (blank ones included).
    pub folded: usize,
}

/// The first byte of the text, and then a line start after every `every` bytes: where the text
/// may be cut to be read on several cores. Each cut is the first line start that looks like
/// the start of a row of `fields` cells (see `looks_like_rows`); a cut that is not one after all
/// (it fell inside a quoted cell spanning lines) is found out by `cut_at`.
pub fn starts(text: &str, delimiter: u8, every: usize, fields: usize) -> Vec<Start> {
    let bytes = text.as_bytes();
    let mut lines = LineCounter::new(text);
    let mut out = vec![Start::FIRST];
    let mut from = every.max(1);
    while from < bytes.len() {
        let Some(offset) = row_start_after(bytes, delimiter, from, fields) else { break };
        out.push(Start { offset, line: lines.line_before(offset) });
        from = offset.saturating_add(every.max(1));
    }
    out
}

/// Lines looked at for a cut that looks like a row start.
const LOOK_LINES: usize = 64;

/// Bytes read to see whether a line starts rows.
const LOOK_BYTES: usize = 1 << 16;

/// The first line start after `from` that looks like the start of a row, within `LOOK_LINES`
/// lines; else the first line start (only ever a guess: see `starts`). None at the text's end.
fn row_start_after(bytes: &[u8], delimiter: u8, from: usize, fields: usize) -> Option<usize> {
    // A line ends at "\n", "\r\n" or a lone "\r" (old Mac exports); never cut inside "\r\n".
    let line_after = |at: usize| {
        let i = at + memchr::memchr2(b'\n', b'\r', &bytes[at..])?;
        let end = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 };
        (end < bytes.len()).then_some(end)
    };
    let first = line_after(from)?;
    let mut line = first;
    for _ in 0..LOOK_LINES {
        if looks_like_rows(&bytes[line..], delimiter, fields) {
            return Some(line);
        }
        match line_after(line) {
            Some(next) => line = next,
            None => break,
        }
    }
    Some(first)
}

/// Whether the text starts with two rows of `fields` cells each (or one, then its end). A line
/// inside a quoted cell spanning lines seldom does: its row's cells before it are on the lines
/// above.
fn looks_like_rows(bytes: &[u8], delimiter: u8, fields: usize) -> bool {
    let window = &bytes[..bytes.len().min(LOOK_BYTES)];
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(window);
    let mut record = csv::ByteRecord::new();
    for seen in 0..2 {
        match reader.read_byte_record(&mut record) {
            Ok(true) if record.len() == fields => {}
            Ok(false) => return seen > 0 && window.len() == bytes.len(),
            _ => return false,
        }
    }
    true
}

/// Reads delimited text from `start`, calling `f(row number, cells)` for every non-blank row,
/// until the end, until `f` says stop, or until a row whose text begins at or beyond byte
/// `limit`, which is left unread.
///
/// Rows are numbered as a spreadsheet shows them: from `start.line`, one a line, blank lines
/// included, but a row whose quoted cells hold line breaks is one row, so the rows after it
/// are numbered below their line numbers (by `Reading::folded` at the end of the reading; a
/// reading from a cut is numbered as if no row before the cut held a line break, and is
/// renumbered once the rows before it are known, see `batch`).
///
/// Reading from a start where the rows before it end (nothing but line ends between) gives the
/// rows reading straight through does: the reader is then in the state it begins in. From a start inside a row (a quoted cell spanning lines) it gives
/// nonsense, which is why a cut is used only once the reading before it is found to end there.
///
/// The rows are the csv crate's (RFC 4180 quoting, `\n`, `\r\n` or a lone `\r` ending a row,
/// blank lines passed over): a line with no quote mark in it is a row whose cells lie between
/// its delimiters, borrowed from the text as they are; only a row with a quote mark in it is
/// read by `csv_core`, which copies its cells out without their quotes.
pub fn read_delimited<F>(text: &str, delimiter: u8, start: Start, limit: usize, mut f: F) -> Result<Reading>
where
    F: FnMut(usize, &[Cell]) -> Result<ControlFlow<()>>,
{
    let bytes = text.as_bytes();
    let Start { offset, line } = start;
    let mut folded = 0;
    if offset > bytes.len() {
        return Ok(Reading { reached: Reached::End, folded });
    }
    let mut lines = LineCounter { bytes, offset, line };
    let mut quoted = QuotedRow::new(delimiter);
    let mut plain: Vec<Cell> = Vec::with_capacity(64);
    // As the csv reader does at the start of a file, a byte-order mark is passed over (its row is
    // numbered from the mark).
    let mut mark = offset == 0 && bytes.starts_with(BYTE_ORDER_MARK);
    // Just after the previous row's last byte (its first line-end byte): where the csv reader
    // says the next row begins, before the blank lines it passes over.
    let mut at = offset;
    let stopped = loop {
        let from = if std::mem::take(&mut mark) { at + BYTE_ORDER_MARK.len() } else { at };
        let from = from + line_ends(&bytes[from..]);
        if from >= bytes.len() {
            break false;
        }
        let begins = at + line_ends(&bytes[at..]);
        if begins >= limit {
            break true;
        }
        let row = lines.line_at(at) - folded;
        let end = memchr::memchr2(b'\n', b'\r', &bytes[from..]).map_or(bytes.len(), |i| from + i);
        let flow = if memchr::memchr(QUOTE, &bytes[from..end]).is_none() {
            // The row is this line; the next begins after its line end's first byte.
            at = (end + 1).min(bytes.len());
            split(&text[from..end], delimiter, &mut plain);
            if plain.iter().all(Cell::is_blank) {
                continue;
            }
            f(row, &plain)?
        } else {
            let (taken, closed) = quoted.read(&bytes[from..]);
            at = from + taken;
            folded += lines.ends_inside(from, at, closed);
            let cells = quoted.cells()?;
            if cells.iter().all(Cell::is_blank) {
                continue;
            }
            f(row, &cells)?
        };
        if flow.is_break() {
            break true;
        }
    };
    let reached = if stopped { Reached::At(Start { offset: at, line: lines.line_before(at) }) } else { Reached::End };
    Ok(Reading { reached, folded })
}

/// UTF-8's byte-order mark.
const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

/// The quote mark of delimited text.
const QUOTE: u8 = b'"';

/// A cell of delimited text: empty when it holds nothing but whitespace.
fn cell(text: &str) -> Cell<'_> {
    if super::values::trimmed(text).is_empty() {
        Cell::Empty
    } else {
        Cell::Text(text)
    }
}

/// The cells of a line with no quote mark in it: the text between its delimiters, into `cells`
/// (emptied first; one list serves every row). (A plain loop: cells are short, and
/// `str::split` or `memchr` cost more to start than to scan one.)
fn split<'t>(line: &'t str, delimiter: u8, cells: &mut Vec<Cell<'t>>) {
    cells.clear();
    let mut begin = 0;
    for (i, &b) in line.as_bytes().iter().enumerate() {
        if b == delimiter {
            // The delimiter is ASCII, so the text either side of it is whole characters.
            cells.push(cell(&line[begin..i]));
            begin = i + 1;
        }
    }
    cells.push(cell(&line[begin..]));
}

/// The number of line-end bytes at the start of `bytes`.
fn line_ends(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|b| matches!(b, b'\r' | b'\n')).count()
}

/// A row with quote marks in it, read by `csv_core` into its cells without their quotes.
struct QuotedRow {
    reader: csv_core::Reader,
    /// The cells' text, one after another.
    text: Vec<u8>,
    /// Where each cell ends in `text`.
    ends: Vec<usize>,
    /// The row's length in `text` and its number of cells.
    len: (usize, usize),
}

impl QuotedRow {
    fn new(delimiter: u8) -> Self {
        let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        // A reader passes over a byte-order mark at the start of the first text it is given: this
        // one is given rows from the middle of the text, so it is told it has begun already (a
        // line end is passed over; the empty buffers take nothing).
        let _ = reader.read_record(b"\n", &mut [], &mut []);
        QuotedRow { reader, text: vec![0; 1024], ends: vec![0; 64], len: (0, 0) }
    }

    /// Reads the row `bytes` begins with; returns the bytes it took, up to and including the
    /// first byte of the line end after it, and whether a line end closed it (else the text's
    /// end did, perhaps inside a quoted cell).
    fn read(&mut self, bytes: &[u8]) -> (usize, bool) {
        use csv_core::ReadRecordResult::*;
        let (mut taken, mut len, mut cells) = (0, 0, 0);
        let closed = loop {
            let at_end = taken == bytes.len();
            let (result, read, written, ended) =
                self.reader.read_record(&bytes[taken..], &mut self.text[len..], &mut self.ends[cells..]);
            (taken, len, cells) = (taken + read, len + written, cells + ended);
            match result {
                // At the text's end an empty input finishes the row.
                InputEmpty => {}
                OutputFull => self.text.resize(self.text.len() * 2, 0),
                OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                Record | End => break !at_end,
            }
        };
        self.len = (len, cells);
        (taken, closed)
    }

    /// The cells of the row read last.
    fn cells(&self) -> Result<Vec<Cell<'_>>> {
        let (len, cells) = self.len;
        // The text is the row's own without some of its quote marks: text still (an ASCII byte
        // taken out of UTF-8 leaves UTF-8).
        let text =
            std::str::from_utf8(&self.text[..len]).map_err(|e| data(format!("cannot read a row as text: {e}")))?;
        let mut begin = 0;
        let mut out = Vec::with_capacity(cells);
        for &end in &self.ends[..cells] {
            let t = text.get(begin..end).ok_or_else(|| data("a cell of a quoted row could not be read"))?;
            out.push(cell(t));
            begin = end;
        }
        Ok(out)
    }
}

/// Where reading on from `at` (just after a row read straight through, by a reading that
/// began at byte `began`) may use a cut: the first cut after `began` and at or after `at`, if
/// nothing but line ends lie between.
pub fn cut_at(text: &str, cuts: &[Start], began: usize, at: usize) -> Option<usize> {
    let next = cuts.partition_point(|c| c.offset < at || c.offset <= began);
    let cut = cuts.get(next)?;
    text.as_bytes()[at..cut.offset].iter().all(|b| matches!(b, b'\r' | b'\n')).then_some(next)
}

/// Line numbers of records: the csv reader reports where it started reading, which is before any
/// blank lines it skipped, so blank lines are stepped over here. Offsets only ever grow.
struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter { bytes: text.as_bytes(), offset: 0, line: 1 }
    }

    /// Whether the byte at `i` ends a line: a `\n`, or a `\r` not followed by `\n` (old Mac
    /// exports end lines with `\r` alone).
    fn ends_line(&self, i: usize) -> bool {
        match self.bytes[i] {
            b'\n' => true,
            b'\r' => self.bytes.get(i + 1) != Some(&b'\n'),
            _ => false,
        }
    }

    /// The number of the line `offset` is on, counting every line end before it.
    fn line_before(&mut self, offset: usize) -> usize {
        let end = offset.min(self.bytes.len());
        if end > self.offset {
            let slice = &self.bytes[self.offset..end];
            self.line += memchr::memchr_iter(b'\n', slice).count();
            // Lone carriage returns are rare; look for them only where there is one.
            if memchr::memchr(b'\r', slice).is_some() {
                self.line += (self.offset..end).filter(|&i| self.bytes[i] == b'\r' && self.ends_line(i)).count();
            }
            self.offset = end;
        }
        self.line
    }

    /// The line ends inside the row read from `from` up to `to`: in its quoted cells. `closed`:
    /// the byte before `to` is the first of the line end closing the row (else the row ran to
    /// the text's end).
    fn ends_inside(&self, from: usize, to: usize, closed: bool) -> usize {
        let inside = &self.bytes[from..if closed { to - 1 } else { to }];
        memchr::memchr2_iter(b'\n', b'\r', inside).filter(|&i| self.ends_line(from + i)).count()
    }

    /// The line on which the record starting at (or after blank lines from) `offset` begins.
    fn line_at(&mut self, offset: usize) -> usize {
        let mut line = self.line_before(offset);
        let mut i = self.offset;
        while i < self.bytes.len() && matches!(self.bytes[i], b'\r' | b'\n') {
            if self.ends_line(i) {
                line += 1;
            }
            i += 1;
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_pound_survives() {
        let bytes = b"Case Ref,Compensation\nC1,\xa350.00\n".to_vec();
        assert!(decode_text(bytes).contains("£50.00"));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("Case Ref\n£".as_bytes());
        assert_eq!(decode_text(bom), "Case Ref\n£");
    }

    #[test]
    fn rows_are_numbered_whatever_ends_the_lines() {
        for eol in ["\n", "\r\n", "\r"] {
            let text = format!("Title{eol}{eol}a,b{eol}1,2{eol}{eol}3,4{eol}");
            let source = Source::Delimited { text: Text::Owned(text), delimiter: b',' };
            let mut rows = Vec::new();
            source
                .for_each_row(|row, _| {
                    rows.push(row);
                    Ok(ControlFlow::Continue(()))
                })
                .unwrap();
            assert_eq!(rows, [1, 3, 4, 6], "{eol:?}");
        }
    }

    #[test]
    fn a_cut_inside_a_quoted_cell_is_not_used() {
        let text = "Ref,Notes\r\nC1,\"two\nlines\"\r\n\r\nC2,x\r\n";
        // A cut after every line end: "C1,…", "lines\"…" (inside the cell), the blank line,
        // "C2,x" (no row has 9 cells, so none looks like a row start).
        let cuts = starts(text, b',', 1, 9);
        assert_eq!(
            cuts.iter().map(|c| (c.offset, c.line)).collect::<Vec<_>>(),
            [(0, 1), (11, 2), (19, 3), (27, 4), (29, 5)]
        );
        let read = |start: Start, limit: usize| {
            let mut rows = Vec::new();
            let reading = read_delimited(text, b',', start, limit, |row, cells| {
                rows.push((row, cells.iter().map(Cell::display).collect::<Vec<_>>()));
                Ok(ControlFlow::Continue(()))
            })
            .unwrap();
            (rows, reading)
        };
        let row = |n: usize, cells: [&str; 2]| (n, cells.map(str::to_string).to_vec());
        let at = |offset: usize, line: usize, folded: usize| Reading {
            reached: Reached::At(Start { offset, line }),
            folded,
        };
        let end = |folded: usize| Reading { reached: Reached::End, folded };
        // Straight through, C2 is on line 5 but is the spreadsheet's row 4: C1's notes hold a
        // line break.
        let (rows, reading) = read(Start::FIRST, usize::MAX);
        assert_eq!(rows, [row(1, ["Ref", "Notes"]), row(2, ["C1", "two\nlines"]), row(4, ["C2", "x"])]);
        assert_eq!(reading, end(1));
        // Up to the cut at 11: the header; the reading ends at 10 (the "\n" of line 1), and
        // the cut at 11 is reached with nothing but that line end between.
        assert_eq!(read(cuts[0], cuts[1].offset), (vec![row(1, ["Ref", "Notes"])], at(10, 1, 0)));
        assert_eq!(cut_at(text, &cuts, 0, 10), Some(1));
        // From 11 to the cut at 19, which is inside C1's notes: the row read whole, the reading
        // ending at 26, past that cut; the next cut it reaches is the blank line's (27).
        assert_eq!(read(cuts[1], cuts[2].offset), (vec![row(2, ["C1", "two\nlines"])], at(26, 3, 1)));
        assert_eq!(cut_at(text, &cuts, 11, 26), Some(3));
        // Only line ends up to the next cut: handed straight on.
        assert_eq!(read(cuts[3], cuts[4].offset), (vec![], at(27, 4, 0)));
        assert_eq!(cut_at(text, &cuts, 27, 27), Some(4));
        // From a cut, rows are numbered from its line (the parts before it renumber it).
        assert_eq!(read(cuts[4], usize::MAX), (vec![row(5, ["C2", "x"])], end(0)));
        // With no cut to reach after a cell spanning a cut, the reading goes on from where it
        // ended.
        let only = [Start::FIRST, cuts[2]];
        let (rows, reading) = read(only[0], only[1].offset);
        assert_eq!(rows, [row(1, ["Ref", "Notes"]), row(2, ["C1", "two\nlines"])]);
        assert_eq!(reading, at(26, 3, 1));
        assert_eq!(cut_at(text, &only, 0, 26), None);
        assert_eq!(read(Start { offset: 26, line: 3 }, usize::MAX), (vec![row(5, ["C2", "x"])], end(0)));
    }

    #[test]
    fn cuts_are_made_where_rows_start() {
        let text = "Ref,Notes\nC1,\"one\ntwo\nthree\"\nC2,x\nC3,y\n";
        let cuts = starts(text, b',', 12, 2);
        // The first line start after byte 12 is inside C1's notes ("two"): the cut goes to C2.
        assert_eq!(cuts, [Start::FIRST, Start { offset: 29, line: 5 }]);
        assert_eq!(&text[29..31], "C2");
        // A lone carriage return (old Mac exports) ends a line too.
        let cr = "Ref,Notes\rC1,x\rC2,y\r";
        assert_eq!(
            starts(cr, b',', 1, 2),
            [Start::FIRST, Start { offset: 10, line: 2 }, Start { offset: 15, line: 3 }]
        );
    }

    /// The reading before this one: the csv crate's reader over the text from `start`, each
    /// row numbered from its line less the line ends in the cells of the rows before it.
    fn read_delimited_by_csv(
        text: &str,
        delimiter: u8,
        start: Start,
        limit: usize,
    ) -> (Vec<(usize, Vec<String>)>, Reading) {
        let bytes = text.as_bytes();
        let Start { offset, line } = start;
        let mut rows = Vec::new();
        let mut folded = 0;
        let Some(rest) = bytes.get(offset..) else { return (rows, Reading { reached: Reached::End, folded }) };
        let mut reader =
            csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(rest);
        let mut record = csv::StringRecord::new();
        let mut lines = LineCounter { bytes, offset, line };
        while reader.read_record(&mut record).unwrap() {
            let at = offset + record.position().map_or(0, |p| p.byte() as usize);
            let begins = at + bytes[at..].iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
            if begins >= limit {
                let reached = Reached::At(Start { offset: at, line: lines.line_before(at) });
                return (rows, Reading { reached, folded });
            }
            let row = lines.line_at(at) - folded;
            // The line ends a row holds are in its cells' text (the quotes taken off).
            folded += record.iter().map(|c| c.replace("\r\n", "\n").matches(['\r', '\n']).count()).sum::<usize>();
            let cells: Vec<Cell> = record.iter().map(cell).collect();
            if !cells.iter().all(Cell::is_blank) {
                rows.push((row, cells.iter().map(Cell::display).collect()));
            }
        }
        (rows, Reading { reached: Reached::End, folded })
    }

    fn read_all(text: &str, delimiter: u8, start: Start, limit: usize) -> (Vec<(usize, Vec<String>)>, Reading) {
        let mut rows = Vec::new();
        let reading = read_delimited(text, delimiter, start, limit, |row, cells| {
            rows.push((row, cells.iter().map(Cell::display).collect()));
            Ok(ControlFlow::Continue(()))
        })
        .unwrap();
        (rows, reading)
    }

    /// Text made of the pieces delimited text is made of, hostile ones included.
    fn pieces() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            Just("a"),
            Just("b c"),
            Just("12/03/2024"),
            Just(","),
            Just(";"),
            Just("\t"),
            Just("\""),
            Just("\"\""),
            Just("\n"),
            Just("\r"),
            Just("\r\n"),
            Just("\u{feff}"),
            Just(" "),
            Just("é"),
            Just("£5"),
        ];
        proptest::collection::vec(piece, 0..60).prop_map(|p| p.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2_000, failure_persistence: None, ..Default::default() })]

        /// The rows, row numbers and stopping places are the csv crate's, from the text's
        /// start and from every cut, up to any limit.
        #[test]
        fn rows_are_the_csv_readers(text in pieces(), delimiter in proptest::sample::select(vec![b',', b';', b'\t']), every in 1usize..40, limit in 0usize..400) {
            let limit = if limit >= 300 { usize::MAX } else { limit };
            for start in starts(&text, delimiter, every, 2) {
                // A byte-order mark at a cut is the csv reader's start of a file, not this one's
                // (which passes over one only at the text's start, as reading straight does).
                if start.offset > 0 && text.as_bytes()[start.offset..].starts_with(BYTE_ORDER_MARK) {
                    continue;
                }
                proptest::prop_assert_eq!(
                    read_all(&text, delimiter, start, limit),
                    read_delimited_by_csv(&text, delimiter, start, limit),
                    "from {:?}", start
                );
            }
        }
    }

    /// A byte-order mark starting a line inside the text (two exports pasted together) is part
    /// of that line's first cell, whether reading goes straight through or starts at that line.
    #[test]
    fn a_mark_inside_the_text_is_text() {
        let text = "Ref,Date\nC1,x\n\u{feff}C2,y\n";
        let cuts = starts(text, b',', 1, 2);
        let at_mark = *cuts.iter().find(|c| text.as_bytes()[c.offset..].starts_with(BYTE_ORDER_MARK)).unwrap();
        let (straight, _) = read_all(text, b',', Start::FIRST, usize::MAX);
        let (from_mark, _) = read_all(text, b',', at_mark, usize::MAX);
        assert_eq!(straight.last(), from_mark.last());
        assert_eq!(from_mark, [(3, vec!["\u{feff}C2".to_string(), "y".to_string()])]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 5_000, failure_persistence: None, ..Default::default() })]

        /// UTF-8 checked in pieces of any size is UTF-8 checked whole: valid text, and text
        /// with bytes changed anywhere.
        #[test]
        fn utf8_checked_in_pieces_is_utf8_checked_whole(
            text in "[a-zé£€😀\n,]{0,40}",
            changes in proptest::collection::vec((0usize..200, proptest::prelude::any::<u8>()), 0..3),
            piece in 1usize..12,
        ) {
            let mut bytes = text.into_bytes();
            for (at, b) in changes {
                if !bytes.is_empty() {
                    let at = at % bytes.len();
                    bytes[at] = b;
                }
            }
            proptest::prop_assert_eq!(is_utf8_in_pieces(&bytes, piece), std::str::from_utf8(&bytes).is_ok());
        }
    }

    /// A file mapped gives the text reading and decoding it gives, whatever its encoding.
    #[test]
    fn mapped_text_is_the_decoded_text() {
        let dir = tempfile::tempdir().unwrap();
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("Ref;£5\r\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let files: [&[u8]; 6] = [
            "Ref,Notes\nC1,£5 é\n".as_bytes(),
            b"\xEF\xBB\xBFRef,Notes\nC1,x\n",
            b"\xEF\xBB\xBF\xEF\xBB\xBFRef\n",
            b"Ref,Notes\nC1,\xa350\n",
            b"\xEF\xBB\xBFRef,\xff\n",
            &utf16,
        ];
        for (i, bytes) in files.into_iter().enumerate() {
            let path = dir.path().join(format!("{i}.csv"));
            std::fs::write(&path, bytes).unwrap();
            let mapped = Text::read_mapping_from(&path, 0).unwrap();
            let read = Text::read_mapping_from(&path, u64::MAX).unwrap();
            assert!(matches!(read, Text::Owned(_)));
            assert_eq!(&*mapped, &*read, "file {i}");
            assert_eq!(&*read, decode_text(bytes.to_vec()), "file {i}");
            // Valid UTF-8 (after one mark) is mapped, not copied.
            assert_eq!(matches!(mapped, Text::Mapped { .. }), i < 3, "file {i}");
        }
    }

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter("Title\na;b;c\n1;2;3\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2,5\t3\n"), b'\t');
        assert_eq!(sniff_delimiter("a,b,c\n\"x;y\",2,3\n"), b',');
    }
}
