//! The CSV path on hostile input: random bytes, random quoting, embedded newlines, byte-order
//! marks, CR-only and CRLF line ends, ragged rows. Reading never panics, every row read is
//! used, rejected or superseded, and the text cut into stretches of any size (read on several
//! cores) gives the same table and ledger as reading it straight through. 5,000 generated files by default (a debug build reads about
//! 150 a second); `COMPLAINTS_FUZZ_CASES=100000 cargo test --release --test ingest_fuzz` runs
//! the full 100,000.

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
                out.extend_from_slice(format!("Report title {t},,{eol}").as_bytes());
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

    #[test]
    fn every_row_is_accounted_for(bytes in file()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cases.csv");
        std::fs::write(&path, &bytes).unwrap();
        // An error (no header, unreadable file) is a message for the user, never a panic.
        if let Ok(cases) = read_cases(std::slice::from_ref(&path), &ReadOptions::default()) {
            let c = cases.ledger.counts();
            prop_assert_eq!(c.rows_read, c.rows_used + c.rows_rejected + c.duplicates);
            prop_assert_eq!(cases.df.height(), c.rows_used);
        }
    }
}

/// The table and the ledger (as JSON) read from `path`; `None`: the file was refused.
fn read_with(path: &std::path::Path, stretch_bytes: Option<usize>) -> Option<(polars::prelude::DataFrame, String)> {
    let opts = ReadOptions { stretch_bytes, ..ReadOptions::default() };
    let cases = read_cases(&[path.to_path_buf()], &opts).ok()?;
    Some((cases.df, serde_json::to_string(&cases.ledger).unwrap()))
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
        match (read_with(&path, Some(usize::MAX)), read_with(&path, Some(every))) {
            (None, None) => {}
            (Some((df, ledger)), Some((cut_df, cut_ledger))) => {
                prop_assert!(df.equals_missing(&cut_df), "straight:\n{df}\ncut every {every} bytes:\n{cut_df}");
                prop_assert_eq!(ledger, cut_ledger);
            }
            (straight, cut) => prop_assert!(false, "read straight: {}, cut: {}", straight.is_some(), cut.is_some()),
        }
    }
}
