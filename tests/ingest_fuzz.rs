//! The CSV path on hostile input: random bytes, random quoting, embedded newlines, byte-order
//! marks, CR-only and CRLF line ends, ragged rows. Reading never panics, every row read is
//! used, rejected or superseded, and the text cut into stretches of any size (read on several
//! cores) gives the same table and ledger as reading it straight through (and the same ledger
//! when only the ledger's columns are made). A workbook's sheet
//! read as a stream gives what it gives read whole. 5,000 generated files by default (a debug
//! build reads about 150 a second); `COMPLAINTS_FUZZ_CASES=100000 cargo test --release --test
//! ingest_fuzz` runs the full 100,000.

use complaints::ingest::{read_cases, ReadOptions};
use proptest::prelude::*;

/// A field: a real-looking value, a hostile one, or random text.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("C1".to_string()),
        Just("C2".to_string()),
        Just("03/04/2024".to_string()),
        Just("2024-04-03".to_string()),
        Just("31/02/2025".to_string()),
        Just("3 Apr 2024 14:05".to_string()),
        Just("45123".to_string()),
        Just("Yes".to_string()),
        Just("£1,234.50".to_string()),
        Just("Upheld".to_string()),
        Just("a \"quoted\" word".to_string()),
        Just("line one\nline two".to_string()),
        Just("cr\ronly".to_string()),
        Just("semi;colon,comma\ttab".to_string()),
        Just("=HYPERLINK(\"x\")".to_string()),
        Just("   ".to_string()),
        "[\\PC]{0,12}",
        proptest::collection::vec(any::<u8>(), 0..8).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]
}

/// A whole file: maybe a BOM, maybe title rows, a header, ragged rows, any line ending, fields
/// quoted or not (and some quotes left unbalanced).
fn file() -> impl Strategy<Value = Vec<u8>> {
    file_of(12)
}

/// A whole file of up to `rows` data rows.
fn file_of(rows: usize) -> impl Strategy<Value = Vec<u8>> {
    let row = proptest::collection::vec((field(), 0u8..4), 0..8);
    (
        any::<bool>(),
        0usize..3,
        prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
        proptest::collection::vec(row, 0..rows),
        proptest::collection::vec(any::<u8>(), 0..24),
    )
        .prop_map(|(bom, titles, eol, rows, junk)| {
            let mut out: Vec<u8> = Vec::new();
            if bom {
                out.extend_from_slice(&[0xEF, 0xBB, 0xBF]);
            }
            for t in 0..titles {
                // A title of two lines (in one quoted cell) moves every row number after it.
                let title = if t == 1 { format!("\"Report{eol}title {t}\"") } else { format!("Report title {t}") };
                out.extend_from_slice(format!("{title},,{eol}").as_bytes());
            }
            out.extend_from_slice(
                format!("Case Ref,Date Received,Stage 1 Response Sent,Stage 1 Outcome,Notes{eol}").as_bytes(),
            );
            for r in rows {
                let cells: Vec<String> = r
                    .into_iter()
                    .map(|(v, quoting)| match quoting {
                        0 => v,
                        1 => format!("\"{}\"", v.replace('"', "\"\"")),
                        2 => format!("\"{v}"),
                        _ => format!(" {v} "),
                    })
                    .collect();
                out.extend_from_slice(cells.join(",").as_bytes());
                out.extend_from_slice(eol.as_bytes());
            }
            out.extend_from_slice(&junk);
            out
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("COMPLAINTS_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(5_000),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Read straight, or cut into stretches of a few bytes (every line a candidate cut).
    #[test]
    fn every_row_is_accounted_for(bytes in file(), stretch_bytes in proptest::option::of(1usize..64)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cases.csv");
        std::fs::write(&path, &bytes).unwrap();
        let opts = ReadOptions { stretch_bytes, ..ReadOptions::default() };
        // An error (no header, unreadable file) is a message for the user, never a panic.
        if let Ok(cases) = read_cases(std::slice::from_ref(&path), &opts) {
            let c = cases.ledger.counts();
            prop_assert_eq!(c.rows_read, c.rows_used + c.rows_rejected + c.duplicates);
            prop_assert_eq!(cases.df.height(), c.rows_used);
        }
    }
}

/// The table and the ledger (as JSON) read from `path`, or the error's text.
fn read_with(path: &std::path::Path, opts: ReadOptions) -> Result<(polars::prelude::DataFrame, String), String> {
    let cases = read_cases(&[path.to_path_buf()], &opts).map_err(|e| format!("{e:#}"))?;
    Ok((cases.df, serde_json::to_string(&cases.ledger).unwrap()))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("COMPLAINTS_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(5_000) / 5,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn cut_anywhere_the_rows_are_the_same(bytes in file_of(40), every in 1usize..160) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cases.csv");
        std::fs::write(&path, &bytes).unwrap();
        let cut_every = |bytes| ReadOptions { stretch_bytes: Some(bytes), ..ReadOptions::default() };
        match (read_with(&path, cut_every(usize::MAX)), read_with(&path, cut_every(every))) {
            (Err(_), Err(_)) => {}
            (Ok((df, ledger)), Ok((cut_df, cut_ledger))) => {
                prop_assert!(df.equals_missing(&cut_df), "straight:\n{df}\ncut every {every} bytes:\n{cut_df}");
                prop_assert_eq!(&ledger, &cut_ledger);
                // Making only the columns the ledger reads (as `validate` does) gives the same ledger.
                let alone = read_with(&path, ReadOptions { ledger_only: true, ..cut_every(every) });
                prop_assert_eq!(alone.map(|(_, l)| l), Ok(ledger));
            }
            (straight, cut) => prop_assert!(false, "read straight: {}, cut: {}", straight.is_ok(), cut.is_ok()),
        }
    }
}

/// One cell of a generated sheet.
#[derive(Debug, Clone)]
enum SheetCell {
    Blank,
    Text(String),
    Number(f64),
    Bool(bool),
    Date(u16, u8, u8),
}

fn sheet_cell() -> impl Strategy<Value = SheetCell> {
    prop_oneof![
        3 => Just(SheetCell::Blank),
        4 => field().prop_map(SheetCell::Text),
        1 => prop_oneof![Just(45123.0), Just(1001.0), Just(99.5), Just(-3.0)].prop_map(SheetCell::Number),
        1 => any::<bool>().prop_map(SheetCell::Bool),
        1 => (2023u16..2027, 1u8..13, 1u8..29).prop_map(|(y, m, d)| SheetCell::Date(y, m, d)),
    ]
}

/// A workbook: maybe a notes sheet first, title rows (a cell anywhere along them), the header
/// from some column, rows of any width (some reaching right of the header) with blank rows
/// between.
fn workbook() -> impl Strategy<Value = Vec<u8>> {
    let row = (0u32..3, proptest::collection::vec(sheet_cell(), 0..8));
    (any::<bool>(), proptest::collection::vec(0u16..9, 0..3), 0u16..3, proptest::collection::vec(row, 0..30)).prop_map(
        |(notes_first, titles, from, rows)| {
            use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
            let mut book = Workbook::new();
            if notes_first {
                book.add_worksheet().set_name("Notes").unwrap().write_string(0, 0, "About this export").unwrap();
            }
            let sheet = book.add_worksheet().set_name("Cases").unwrap();
            let dates = Format::new().set_num_format("dd/mm/yyyy");
            let mut r = 0u32;
            for col in titles {
                sheet.write_string(r, col, "Complaints export").unwrap();
                r += 1;
            }
            for (c, h) in
                ["Case Ref", "Date Received", "Stage 1 Response Sent", "Stage 1 Outcome", "Notes"].iter().enumerate()
            {
                sheet.write_string(r, from + c as u16, *h).unwrap();
            }
            for (gap, cells) in rows {
                r += 1 + gap;
                for (c, cell) in cells.into_iter().enumerate() {
                    let c = from + c as u16;
                    match cell {
                        SheetCell::Blank => {}
                        SheetCell::Text(t) => drop(sheet.write_string(r, c, t.as_str())),
                        SheetCell::Number(n) => drop(sheet.write_number(r, c, n)),
                        SheetCell::Bool(b) => drop(sheet.write_boolean(r, c, b)),
                        SheetCell::Date(y, m, d) => {
                            let date = ExcelDateTime::from_ymd(y, m, d).unwrap();
                            drop(sheet.write_datetime_with_format(r, c, &date, &dates));
                        }
                    }
                }
            }
            book.save_to_buffer().unwrap()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("COMPLAINTS_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(5_000) / 25,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// A workbook's sheet read as a stream gives the rows, columns and ledger it gives read whole.
    #[test]
    fn a_sheet_streamed_reads_as_it_does_whole(bytes in workbook()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cases.xlsx");
        std::fs::write(&path, &bytes).unwrap();
        let whole = |whole_sheets| ReadOptions { whole_sheets, ..ReadOptions::default() };
        match (read_with(&path, whole(false)), read_with(&path, whole(true))) {
            (Err(streamed), Err(whole)) => prop_assert_eq!(streamed, whole),
            (Ok((df, ledger)), Ok((whole_df, whole_ledger))) => {
                prop_assert!(df.equals_missing(&whole_df), "streamed:\n{df}\nwhole:\n{whole_df}");
                prop_assert_eq!(ledger, whole_ledger);
            }
            (streamed, whole) => prop_assert!(false, "streamed: {:?}, whole: {:?}", streamed.err(), whole.err()),
        }
    }
}
