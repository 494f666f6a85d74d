//! Reading a file into a grid of cells: delimited text (`,` `;` tab; UTF-8 with or without BOM,
//! UTF-16 with BOM, or Windows-1252) and spreadsheets (XLSX, XLS, ODS via calamine).

use std::ops::ControlFlow;
use std::path::Path;

use anyhow::Result;
use calamine::{open_workbook_auto, Data, Range, Reader};

use super::values::{from_excel_serial, Cell};
use crate::error::{data, usage};

/// A file opened for reading: decoded delimited text, or one spreadsheet sheet.
pub enum Source {
    /// Delimited text, decoded, with its delimiter.
    Delimited {
        /// The whole file as text.
        text: String,
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
}

impl Source {
    /// The sheet name, for spreadsheets.
    pub fn sheet(&self) -> Option<&str> {
        match self {
            Source::Delimited { .. } => None,
            Source::Sheet { name, .. } => Some(name),
        }
    }

    /// Calls `f(row number, cells)` for every non-blank row in order, until `f` says stop.
    pub fn for_each_row<F>(&self, mut f: F) -> Result<()>
    where
        F: FnMut(usize, &[Cell]) -> Result<ControlFlow<()>>,
    {
        match self {
            Source::Delimited { text, delimiter } => {
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .delimiter(*delimiter)
                    .from_reader(text.as_bytes());
                let mut record = csv::StringRecord::new();
                let mut lines = LineCounter::new(text);
                loop {
                    match reader.read_record(&mut record) {
                        Ok(false) => break,
                        Ok(true) => {}
                        Err(e) => return Err(data(format!("cannot read as delimited text: {e}"))),
                    }
                    let cells: Vec<Cell> = Vec::from_iter(record.iter().map(|s| {
                        if s.trim().is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(s)
                        }
                    }));
                    if cells.iter().all(Cell::is_blank) {
                        continue;
                    }
                    let row = record.position().map(|p| lines.line_at(p.byte() as usize)).unwrap_or(0);
                    if f(row, &cells)?.is_break() {
                        break;
                    }
                }
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

/// Whether a path is read as a spreadsheet (by extension).
pub fn is_spreadsheet(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
    matches!(ext.as_str(), "xlsx" | "xlsm" | "xlsb" | "xls" | "ods")
}

/// Opens every sheet of a spreadsheet, or one named sheet.
pub fn open_spreadsheet(path: &Path, sheet: Option<&str>) -> Result<Vec<Source>> {
    let mut book =
        open_workbook_auto(path).map_err(|e| data(format!("{}: cannot open as a spreadsheet: {e}", path.display())))?;
    let names = book.sheet_names();
    let wanted: Vec<String> = match sheet {
        Some(s) => {
            let found = names.iter().find(|n| n.eq_ignore_ascii_case(s)).cloned();
            vec![found.ok_or_else(|| {
                usage(format!("{}: no sheet named '{s}'; the sheets are: {}", path.display(), names.join(", ")))
            })?]
        }
        None => names.clone(),
    };
    let mut sources = Vec::new();
    for name in wanted {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| data(format!("{}: cannot read sheet '{name}': {e}", path.display())))?;
        sources.push(Source::Sheet { name, range });
    }
    Ok(sources)
}

fn spreadsheet_cell(d: &Data) -> Cell<'_> {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => match from_excel_serial(dt.as_f64()) {
            Some(date) if !dt.is_duration() => Cell::Date(date),
            _ => Cell::Number(dt.as_f64()),
        },
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
    let bytes = std::fs::read(path).map_err(|e| usage(format!("{}: cannot read: {e}", path.display())))?;
    let text = decode_text(bytes);
    let delimiter = sniff_delimiter(&text);
    Ok(Source::Delimited { text, delimiter })
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

    /// The line on which the record starting at (or after blank lines from) `offset` begins.
    fn line_at(&mut self, offset: usize) -> usize {
        let end = offset.min(self.bytes.len());
        if end > self.offset {
            let slice = &self.bytes[self.offset..end];
            self.line += slice.iter().filter(|&&b| b == b'\n').count();
            // Lone carriage returns are rare; look for them only where there is one.
            if slice.contains(&b'\r') {
                self.line += (self.offset..end).filter(|&i| self.bytes[i] == b'\r' && self.ends_line(i)).count();
            }
            self.offset = end;
        }
        let mut line = self.line;
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
            let source = Source::Delimited { text, delimiter: b',' };
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
    fn delimiters() {
        assert_eq!(sniff_delimiter("Title\na;b;c\n1;2;3\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2,5\t3\n"), b'\t');
        assert_eq!(sniff_delimiter("a,b,c\n\"x;y\",2,3\n"), b',');
    }
}
