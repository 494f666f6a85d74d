//! Ingest: header synonyms, every value form, encodings, spreadsheets with title rows, and the
//! exact data-quality ledger for a file holding every kind of bad row.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use complaints::fields::{FieldKind, FIELDS};
use complaints::ingest::quality::{DropRule, Dropped, Rejected, Superseded};
use complaints::ingest::{read_cases, Cases, ReadOptions};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn read(paths: &[PathBuf]) -> Cases {
    read_cases(paths, &ReadOptions::default()).unwrap()
}

fn dates(cases: &Cases, col: &str) -> Vec<Option<NaiveDate>> {
    let c = cases.df.column(col).unwrap().date().unwrap();
    c.phys.iter().map(|v| v.map(complaints::calendar::from_epoch_days)).collect()
}

fn texts(cases: &Cases, col: &str) -> Vec<Option<String>> {
    cases.df.column(col).unwrap().str().unwrap().iter().map(|v| v.map(str::to_string)).collect()
}

fn bools(cases: &Cases, col: &str) -> Vec<Option<bool>> {
    cases.df.column(col).unwrap().bool().unwrap().iter().collect()
}

/// A sample value for each kind, and what it parses to.
fn sample(kind: FieldKind) -> (&'static str, &'static str) {
    match kind {
        FieldKind::Text => ("Some text", "text"),
        FieldKind::Date => ("15/05/2024", "date"),
        FieldKind::Bool { .. } => ("Yes", "bool"),
        FieldKind::Money => ("£1,234.50", "money"),
        FieldKind::Outcome => ("Partially upheld", "outcome"),
        FieldKind::Determination => ("Service Failure", "determination"),
    }
}

/// Every synonym of every field, read from a real file: header row k uses each field's k-th
/// spelling (cycling), so after the longest list every spelling has been read once.
#[test]
fn every_synonym_family_is_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let longest = FIELDS.iter().map(|f| f.synonyms.len()).max().unwrap();
    for k in 0..longest {
        let headers: Vec<&str> = FIELDS.iter().map(|f| f.synonyms[k % f.synonyms.len()]).collect();
        let values: Vec<&str> = FIELDS
            .iter()
            .map(|f| match f.name {
                "case_id" => "C-1",
                "received_date" => "01/05/2024",
                _ => sample(f.kind).0,
            })
            .collect();
        let mut w = csv::Writer::from_writer(vec![]);
        w.write_record(&headers).unwrap();
        w.write_record(&values).unwrap();
        let path = write(dir.path(), &format!("syn{k}.csv"), &w.into_inner().unwrap());
        let cases = read(&[path]);
        assert_eq!(cases.present.len(), FIELDS.len(), "round {k}: headers {headers:?}");
        assert!(cases.extra_columns.is_empty(), "round {k}: {:?}", cases.extra_columns);
        assert!(cases.ledger.dropped.is_empty(), "round {k}: {:?}", cases.ledger.dropped);
        for f in FIELDS {
            let col = complaints::ingest::column_name(f.name);
            let got = match sample(f.kind).1 {
                _ if f.name == "case_id" => format!("{:?}", texts(&cases, col)[0]),
                _ if f.name == "received_date" => format!("{:?}", dates(&cases, col)[0]),
                "text" | "outcome" | "determination" => format!("{:?}", texts(&cases, col)[0]),
                "date" => format!("{:?}", dates(&cases, col)[0]),
                "bool" => format!("{:?}", bools(&cases, col)[0]),
                _ => format!("{:?}", cases.df.column(col).unwrap().i64().unwrap().get(0)),
            };
            let expected = match f.name {
                "case_id" => "Some(\"C-1\")".to_string(),
                "received_date" => format!("{:?}", Some(d(2024, 5, 1))),
                _ => match sample(f.kind).1 {
                    "text" => "Some(\"Some text\")".to_string(),
                    "outcome" => "Some(\"partly upheld\")".to_string(),
                    "determination" => "Some(\"service failure\")".to_string(),
                    "date" => format!("{:?}", Some(d(2024, 5, 15))),
                    "bool" => "Some(true)".to_string(),
                    _ => "Some(123450)".to_string(),
                },
            };
            assert_eq!(
                got,
                expected,
                "round {k}: {} from header '{}'",
                f.name,
                headers[FIELDS.iter().position(|g| g.name == f.name).unwrap()]
            );
        }
    }
}

#[test]
fn issue_examples_of_header_spellings() {
    let cases = [
        ("Date Received", "received_date"),
        ("Complaint Received Date", "received_date"),
        ("Stage 1 Response Sent", "s1_response_date"),
        ("S1 Ack Date", "s1_ack_date"),
        ("Escalation Requested", "s2_requested_date"),
        ("Extension Agreed", "s1_extended"),
        ("Extended Target Date", "s1_due_date"),
        ("case_ref", "case_id"),
        ("COMPLAINT REFERENCE", "case_id"),
        ("Reference No.", "case_id"),
        ("s2-response-date", "s2_response_date"),
    ];
    for (header, field) in cases {
        assert_eq!(complaints::fields::match_header(header).map(|f| f.name), Some(field), "{header}");
    }
}

#[test]
fn every_date_form_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let forms = [
        ("2024-04-03", d(2024, 4, 3)),
        ("03/04/2024", d(2024, 4, 3)),
        ("3/4/24", d(2024, 4, 3)),
        ("03-Apr-2024", d(2024, 4, 3)),
        ("3 Apr 2024", d(2024, 4, 3)),
        ("03 April 2024", d(2024, 4, 3)),
        ("03/04/2024 16:45", d(2024, 4, 3)),
        ("2024-04-03T16:45:00", d(2024, 4, 3)),
        ("45385", d(2024, 4, 3)),
        ("12/01/2025", d(2025, 1, 12)),
    ];
    let mut text = String::from("Case Ref;Date Received\n");
    for (i, (form, _)) in forms.iter().enumerate() {
        text.push_str(&format!("C{i};{form}\n"));
    }
    let path = write(dir.path(), "dates.csv", text.as_bytes());
    let cases = read(&[path]);
    let got = dates(&cases, "received_date");
    let expected: Vec<Option<NaiveDate>> = forms.iter().map(|(_, d)| Some(*d)).collect();
    assert_eq!(got, expected);
}

#[test]
fn windows_1252_pound_survives() {
    let dir = tempfile::tempdir().unwrap();
    // As Excel saves "CSV" on Windows: £ is the single byte 0xA3.
    let bytes =
        b"Case Ref\tDate Received\tCompensation\tNotes\r\nC1\t01/04/2024\t\xa3150.00\tOffered \xa325 voucher\r\n";
    let path = write(dir.path(), "win.csv", bytes);
    let cases = read(&[path]);
    assert_eq!(cases.df.column("compensation_pence").unwrap().i64().unwrap().get(0), Some(15000));
    assert_eq!(texts(&cases, "Notes")[0].as_deref(), Some("Offered £25 voucher"));
}

#[test]
fn utf8_bom_and_semicolons() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(
        "Case Ref;Date Received;Compensation\nC1;01/04/2024;£1.234,00\nC2;02/04/2024;\"£1,234.00\"\n".as_bytes(),
    );
    let path = write(dir.path(), "bom.csv", &bytes);
    let cases = read(&[path]);
    assert_eq!(texts(&cases, "case_id"), [Some("C1".into()), Some("C2".into())]);
    // "£1.234,00" is continental notation, which the SPEC does not accept: dropped with a warning.
    assert_eq!(cases.ledger.dropped.len(), 1);
    assert_eq!(cases.df.column("compensation_pence").unwrap().i64().unwrap().get(1), Some(123400));
}

#[test]
fn xlsx_with_two_title_rows_dates_and_serials() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.xlsx");
    let mut book = Workbook::new();
    let notes = book.add_worksheet();
    notes.set_name("Notes").unwrap();
    notes.write_string(0, 0, "This workbook lists complaints").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("Cases").unwrap();
    let fmt = Format::new().set_num_format("dd/mm/yyyy");
    sheet.write_string(0, 0, "Complaints export").unwrap();
    sheet.write_string(1, 0, "Run 10/04/2025").unwrap();
    for (c, h) in ["Case Ref", "Date Received", "Stage 1 Response Sent", "Compensation", "Satisfied"].iter().enumerate()
    {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    sheet.write_number(3, 0, 1001).unwrap();
    sheet.write_datetime_with_format(3, 1, ExcelDateTime::from_ymd(2024, 4, 3).unwrap(), &fmt).unwrap();
    sheet.write_number(3, 2, 45397).unwrap(); // a serial number without date formatting: 15/04/2024
    sheet.write_number(3, 3, 99.5).unwrap();
    sheet.write_boolean(3, 4, true).unwrap();
    sheet.write_string(4, 0, "C-1002").unwrap();
    sheet.write_string(4, 1, "04/04/2024").unwrap();
    sheet
        .write_datetime_with_format(4, 2, ExcelDateTime::parse_from_str("2024-04-16 13:30:00").unwrap(), &fmt)
        .unwrap();
    book.save(&path).unwrap();

    let cases = read(std::slice::from_ref(&path));
    let file = &cases.ledger.files[0];
    assert_eq!((file.sheet.as_deref(), file.header_row, file.rows_read), (Some("Cases"), 3, 2));
    assert_eq!(texts(&cases, "case_id"), [Some("1001".into()), Some("C-1002".into())]);
    assert_eq!(dates(&cases, "received_date"), [Some(d(2024, 4, 3)), Some(d(2024, 4, 4))]);
    assert_eq!(dates(&cases, "s1_response_date"), [Some(d(2024, 4, 15)), Some(d(2024, 4, 16))]);
    assert_eq!(cases.df.column("compensation_pence").unwrap().i64().unwrap().get(0), Some(9950));
    assert_eq!(bools(&cases, "satisfied"), [Some(true), None]);

    // --sheet picks a sheet by name; a missing one is named with the choices.
    let opts = ReadOptions { sheet: Some("Nope".into()), ..Default::default() };
    let err = read_cases(std::slice::from_ref(&path), &opts).unwrap_err().to_string();
    assert!(err.contains("Nope") && err.contains("Cases"), "{err}");
}

/// A sheet is read as its cells are stored, but a cell right of the header (in any row) or rows
/// stored out of order make it read whole: a value in an unnamed column is kept as "Column N",
/// as in a sheet read whole from the start.
#[test]
fn a_value_right_of_the_header_is_kept() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["Case Ref", "Date Received"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "C1").unwrap();
    sheet.write_string(1, 1, "03/04/2024").unwrap();
    sheet.write_string(2, 0, "C2").unwrap();
    sheet.write_string(2, 1, "04/04/2024").unwrap();
    sheet.write_string(2, 3, "note in D").unwrap();
    book.save(&path).unwrap();

    let cases = read(std::slice::from_ref(&path));
    assert_eq!(cases.ledger.files[0].extra_columns, ["Column 3", "Column 4"]);
    assert_eq!(texts(&cases, "Column 4"), [None, Some("note in D".into())]);
    assert_eq!(texts(&cases, "Column 3"), [None, None]);
}

/// A sheet is typed in blocks on several threads: a sheet of many blocks, starting in column C
/// under a title, with blank rows and bad rows far down, reads exactly as the same rows in a
/// CSV laid out line for line the same way.
#[test]
fn a_large_sheet_reads_as_its_csv_does() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().unwrap();
    let header = ["Case Ref", "Date Received", "Stage 1 Outcome"];
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let mut csv = String::from(",,Complaints export\n,,Case Ref,Date Received,Stage 1 Outcome\n");
    sheet.write_string(0, 2, "Complaints export").unwrap();
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(1, 2 + c as u16, *h).unwrap();
    }
    for i in 0..40_000u32 {
        let row = i + 2;
        if i % 9_999 == 5 {
            csv.push('\n'); // a blank row
            continue;
        }
        let received = if i % 13_331 == 7 { String::new() } else { format!("{:02}/04/2024", 1 + i % 28) };
        let cells = [format!("C{i}"), received, if i % 2 == 0 { "Upheld".into() } else { "Not upheld".into() }];
        csv.push_str(&format!(",,{}\n", cells.join(",")));
        for (c, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(row, 2 + c as u16, v).unwrap();
            }
        }
    }
    let xlsx = dir.path().join("big.xlsx");
    book.save(&xlsx).unwrap();
    let csv = write(dir.path(), "big.csv", csv.as_bytes());
    let (from_sheet, from_csv) = (read(std::slice::from_ref(&xlsx)), read(&[csv]));
    let rows = |c: &Cases| (c.ledger.files[0].header_row, c.ledger.files[0].rows_read, c.df.height());
    assert_eq!(rows(&from_sheet), (2, 39_996, 39_993));
    assert_eq!(rows(&from_sheet), rows(&from_csv));
    let rejected = |c: &Cases| c.ledger.rejected.iter().map(|r| (r.row, r.column.clone())).collect::<Vec<_>>();
    // Data row i is on sheet row i + 3; rows 7, 13,338 and 26,669 have no received date.
    let received = |row: usize| (row, "Date Received".to_string());
    assert_eq!(rejected(&from_sheet), [received(10), received(13_341), received(26_672)]);
    assert_eq!(rejected(&from_sheet), rejected(&from_csv));
    for column in ["case_id", "s1_outcome", "source_row"] {
        let values = |c: &Cases| c.df.column(column).unwrap().cast(&polars::prelude::DataType::String).unwrap();
        assert!(values(&from_sheet).equals_missing(&values(&from_csv)), "{column}");
    }
    assert_eq!(dates(&from_sheet, "received_date"), dates(&from_csv, "received_date"));
}

#[test]
fn config_columns_win_and_unknown_columns_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "c.csv", b"Our Ref,Logged On,Date Received,Ward\nA1,02/05/2024,01/01/2020,Castle\n");
    let mut opts = ReadOptions::default();
    opts.columns.insert("case_id".into(), "Our Ref".into());
    opts.columns.insert("received_date".into(), "Logged on".into());
    let cases = read_cases(&[path], &opts).unwrap();
    assert_eq!(dates(&cases, "received_date"), [Some(d(2024, 5, 2))]);
    assert_eq!(cases.extra_columns, ["Date Received", "Ward"]);
    assert_eq!(texts(&cases, "Ward"), [Some("Castle".into())]);
}

#[test]
fn blank_means_no_only_for_flags() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "b.csv", b"Case Ref,Date Received,Excluded,Extension Agreed,Satisfied,Refusal Explained\nA1,02/05/2024,,,,\nA2,02/05/2024,x,Y,n,1\n");
    let cases = read(&[path]);
    assert_eq!(bools(&cases, "excluded"), [Some(false), Some(true)]);
    assert_eq!(bools(&cases, "s1_extended"), [Some(false), Some(true)]);
    assert_eq!(bools(&cases, "satisfied"), [None, Some(false)]);
    assert_eq!(bools(&cases, "s2_refusal_explained"), [None, Some(true)]);
    assert_eq!(bools(&cases, "lesson_publish"), [Some(false), Some(false)], "flag with no column is no");
}

/// Every kind of bad row, with the ledger written out by hand from SPEC §2.
const BAD: &str = "\
Case Ref,Date Received,S1 Ack Date,Stage 1 Response Sent,Stage 1 Outcome,Escalation Requested,Stage 2 Acknowledged,Stage 2 Response Sent,Compensation,Satisfied,Issue Date
C1,01/04/2024,02/04/2024,10/04/2024,Upheld,,,,£50,yes,01/01/2024
,01/04/2024,02/04/2024,,,,,,,,
C3,,02/04/2024,,,,,,,,
C4,32/01/2024,,,,,,,,,
C5,01/04/2024,02/04/2024,not yet,Upheld,15/04/2024,16/04/2024,20/05/2024,,,
C6,10/04/2024,05/04/2024,20/04/2024,Resolved,,,,ten,maybe,01/01/2020
C7,01/04/2024,12/04/2024,10/04/2024,Not upheld,,,,,,
C1,01/04/2024,02/04/2024,11/04/2024,Upheld,,,,£60,,
C8,01/04/2024,02/04/2024,,,20/04/2024,,,,,
C9,01/04/2024,03/04/2024,01/03/2024,,,,,,,

C10,01/04/2024,bad,,,,,,,,
C10,01/04/2024,02/04/2024,,,,,,,,
C8,garbage,,,,,,,,,
";

#[test]
fn every_kind_of_bad_row_gives_the_exact_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bad.csv", BAD.as_bytes());
    let f = path.display().to_string();
    let cases = read(&[path]);
    let l = &cases.ledger;

    let rej = |row: usize, column: &str, value: &str, reason: &str| Rejected {
        file: f.clone(),
        row,
        column: column.into(),
        value: value.into(),
        reason: reason.into(),
    };
    assert_eq!(
        l.rejected,
        vec![
            rej(3, "Case Ref", "", "case_id: missing"),
            rej(4, "Date Received", "", "received_date: missing"),
            rej(5, "Date Received", "32/01/2024", "received_date: not a real calendar date"),
            rej(15, "Date Received", "garbage", "received_date: not a date (use DD/MM/YYYY or YYYY-MM-DD)"),
        ]
    );

    let drop = |row: usize, case: &str, column: &str, field: &str, value: &str, rule: DropRule| {
        (row, case.to_string(), column.to_string(), field.to_string(), value.to_string(), rule)
    };
    let got: Vec<_> = l
        .dropped
        .iter()
        .map(|d: &Dropped| (d.row, d.case_id.clone(), d.column.clone(), d.field.clone(), d.value.clone(), d.rule))
        .collect();
    use DropRule::*;
    assert_eq!(
        got,
        vec![
            // Row 6 (C5): unreadable response; then its stage 2 dates have no stage 1 response.
            drop(6, "C5", "Stage 1 Response Sent", "s1_response_date", "not yet", Unparseable),
            drop(6, "C5", "Escalation Requested", "s2_requested_date", "15/04/2024", NoPreviousResponse),
            drop(6, "C5", "Stage 2 Acknowledged", "s2_ack_date", "16/04/2024", NoPreviousResponse),
            drop(6, "C5", "Stage 2 Response Sent", "s2_response_date", "20/05/2024", NoPreviousResponse),
            // Row 7 (C6): three unreadable values, then an acknowledgement before receipt.
            // The issue date before receipt is fine.
            drop(7, "C6", "Stage 1 Outcome", "s1_outcome", "Resolved", Unparseable),
            drop(7, "C6", "Compensation", "compensation", "ten", Unparseable),
            drop(7, "C6", "Satisfied", "satisfied", "maybe", Unparseable),
            drop(7, "C6", "S1 Ack Date", "s1_ack_date", "05/04/2024", BeforeReceived),
            drop(8, "C7", "S1 Ack Date", "s1_ack_date", "12/04/2024", AckAfterResponse),
            drop(10, "C8", "Escalation Requested", "s2_requested_date", "20/04/2024", NoPreviousResponse),
            drop(11, "C9", "Stage 1 Response Sent", "s1_response_date", "01/03/2024", BeforeReceived),
        ]
    );

    assert_eq!(
        l.superseded,
        vec![
            Superseded { case_id: "C1".into(), file: f.clone(), row: 2, by_file: f.clone(), by_row: 9 },
            Superseded { case_id: "C10".into(), file: f.clone(), row: 13, by_file: f.clone(), by_row: 14 },
        ]
    );
    let c = l.counts();
    assert_eq!((c.rows_read, c.rows_used, c.rows_rejected, c.duplicates, c.warnings), (13, 7, 4, 2, 11));
    assert_eq!(c.rows_read, c.rows_used + c.rows_rejected + c.duplicates);
    // The used rows, in file order, with the later C1 and C10 (line 12 is blank, not a row).
    let ids: Vec<String> = texts(&cases, "case_id").into_iter().flatten().collect();
    assert_eq!(ids, ["C5", "C6", "C7", "C1", "C8", "C9", "C10"]);
    let src: Vec<Option<u32>> = cases.df.column("source_row").unwrap().u32().unwrap().iter().collect();
    assert_eq!(src, [6, 7, 8, 9, 10, 11, 14].map(Some));
    // Dropped values are not recorded in the table.
    assert_eq!(dates(&cases, "s2_requested_date"), vec![None; 7]);
    assert_eq!(
        texts(&cases, "s1_outcome"),
        [Some("upheld".into()), None, Some("not upheld".into()), Some("upheld".into()), None, None, None]
    );
}

/// Rows are numbered as a spreadsheet shows the file: a row whose quoted cells hold line breaks
/// (in a title, the header or the data) is one row, so the rows after it are not numbered by
/// their line. The same whether the file is read straight through or cut at every line.
#[test]
fn rows_are_numbered_as_a_spreadsheet_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    // Spreadsheet rows: 1 the title (lines 1–2), 2 blank (3), 3 the header (4–5), 4 C1 (6–8),
    // 5 C2 (9), 6 C3 (10–11), 7 blank (12), 8 C1 again (13), 9 C4 (14).
    let text = "\"Complaints\r\nexport\",,\n\nCase Ref,\"Date\nReceived\",Stage 1 Response Sent,Notes\n\
                C1,01/04/2024,05/04/2024,\"one\ntwo\nthree\"\n\
                C2,31/02/2024,,\n\
                C3,02/04/2024,\"not\r\nyet\",\n\
                \n\
                C1,03/04/2024,,\n\
                C4,04/04/2024,01/01/2024,\"last\"\n";
    let path = write(dir.path(), "lines.csv", text.as_bytes());
    let f = path.display().to_string();
    for stretch_bytes in [None, Some(1), Some(7), Some(40)] {
        let cases =
            read_cases(std::slice::from_ref(&path), &ReadOptions { stretch_bytes, ..ReadOptions::default() }).unwrap();
        let l = &cases.ledger;
        assert_eq!(l.files[0].header_row, 3);
        let rejected: Vec<(usize, &str)> = l.rejected.iter().map(|r| (r.row, r.value.as_str())).collect();
        assert_eq!(rejected, [(5, "31/02/2024")], "{stretch_bytes:?}");
        let dropped: Vec<(usize, &str, &str)> =
            l.dropped.iter().map(|d| (d.row, d.case_id.as_str(), d.value.as_str())).collect();
        assert_eq!(dropped, [(6, "C3", "not\r\nyet"), (9, "C4", "01/01/2024")], "{stretch_bytes:?}");
        assert_eq!(
            l.superseded,
            [Superseded { case_id: "C1".into(), file: f.clone(), row: 4, by_file: f.clone(), by_row: 8 }],
            "{stretch_bytes:?}"
        );
        let src: Vec<Option<u32>> = cases.df.column("source_row").unwrap().u32().unwrap().iter().collect();
        assert_eq!(src, [6, 8, 9].map(Some), "{stretch_bytes:?}");
        assert_eq!(texts(&cases, "case_id"), ["C3", "C1", "C4"].map(|c| Some(c.to_string())));
        let c = l.counts();
        assert_eq!((c.rows_read, c.rows_used, c.rows_rejected, c.duplicates), (5, 3, 1, 1));
    }
}

/// An export giving each stage of a complaint a row of its own: the later row supersedes the
/// earlier, as for any case seen twice, and the ledger says the rows differ in their stage
/// column (so validate can say why); rows at the same stage say nothing. The ledger read alone
/// (as validate reads it) says the same.
#[test]
fn rows_at_different_stages_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Case Ref,Current Stage,Date Received,Response Date\n\
                C1,Stage 1,01/04/2024,10/04/2024\n\
                C2,Stage 1,02/04/2024,11/04/2024\n\
                C1,Stage 2,20/04/2024,10/05/2024\n\
                C3,stage 1,03/04/2024,\n\
                C3,Stage 1,03/04/2024,12/04/2024\n\
                C2,Stage 2,25/04/2024,\n";
    let path = write(dir.path(), "long.csv", text.as_bytes());
    for ledger_only in [false, true] {
        let cases =
            read_cases(std::slice::from_ref(&path), &ReadOptions { ledger_only, ..ReadOptions::default() }).unwrap();
        let s = cases.ledger.stage_rows.clone().expect("the rows differ in their stage");
        assert_eq!(s.column, "Current Stage");
        // C1 and C2 (stage 1, then stage 2); not C3 (stage 1 both times, however written).
        assert_eq!(s.rows, 2);
        assert_eq!(s.example, ("C1".to_string(), "Stage 1".to_string(), "Stage 2".to_string()));
        assert_eq!(cases.ledger.superseded.len(), 3);
    }
    let same =
        write(dir.path(), "same.csv", b"Case Ref,Stage,Date Received\nC1,Stage 1,01/04/2024\nC1,Stage 1,02/04/2024\n");
    assert_eq!(read(&[same]).ledger.stage_rows, None);
}

#[test]
fn several_files_later_file_wins() {
    let dir = tempfile::tempdir().unwrap();
    let a =
        write(dir.path(), "a.csv", b"Case Ref,Date Received,Stage 1 Outcome\nC1,01/04/2024,Upheld\nC2,01/04/2024,\n");
    let b = write(
        dir.path(),
        "b.csv",
        b"Complaint Reference,Complaint Date,S1 Outcome,Ward\n C1 ,01/04/2024,Not upheld,Castle\nc1,02/04/2024,,\n",
    );
    let cases = read(&[a.clone(), b.clone()]);
    assert_eq!(cases.ledger.superseded.len(), 1);
    let s = &cases.ledger.superseded[0];
    assert_eq!(
        (s.file.as_str(), s.row, s.by_file.as_str(), s.by_row),
        (a.to_str().unwrap(), 2, b.to_str().unwrap(), 2)
    );
    // Ids are trimmed and case-sensitive: "c1" is another case.
    assert_eq!(texts(&cases, "case_id"), [Some("C2".into()), Some("C1".into()), Some("c1".into())]);
    assert_eq!(texts(&cases, "s1_outcome")[1].as_deref(), Some("not upheld"));
    assert_eq!(texts(&cases, "Ward"), [None, Some("Castle".into()), None]);
    assert_eq!(cases.ledger.counts().files.len(), 2);
}

/// An OpenDocument spreadsheet (made once with odfpy, committed): a title row and a blank row above
/// the header, date cells with and without a time, a number cell for money, text dates.
#[test]
fn ods_with_title_rows_and_date_cells() {
    let cases = read(&[PathBuf::from("tests/cases/spreadsheets/cases.ods")]);
    let file = &cases.ledger.files[0];
    assert_eq!((file.sheet.as_deref(), file.header_row, file.rows_read), (Some("Complaints"), 3, 3));
    assert_eq!(texts(&cases, "case_id"), [Some("O-1".into()), Some("O-2".into())]);
    assert_eq!(dates(&cases, "received_date"), [Some(d(2024, 4, 3)), Some(d(2024, 4, 4))]);
    assert_eq!(dates(&cases, "s1_response_date"), [Some(d(2024, 4, 15)), None]);
    let pence: Vec<Option<i64>> = cases.df.column("compensation_pence").unwrap().i64().unwrap().iter().collect();
    assert_eq!(pence, [Some(12550), Some(100000)]);
    assert_eq!(texts(&cases, "s1_outcome"), [Some("partly upheld".into()), Some("not upheld".into())]);
    assert_eq!(cases.ledger.rejected.len(), 1);
    assert_eq!((cases.ledger.rejected[0].row, cases.ledger.rejected[0].reason.as_str()), (6, "case_id: missing"));
}

#[test]
fn the_same_file_twice_gives_the_dropped_values_of_once() {
    // Files are told apart by their place on the command line, not their name: the second copy
    // supersedes every row of the first, so only its dropped values stand.
    let sample = PathBuf::from("sample-data/complaints-export.csv");
    let once = read(std::slice::from_ref(&sample));
    let twice = read(&[sample.clone(), sample]);
    assert_eq!(once.ledger.dropped.len(), 9);
    assert_eq!(twice.ledger.dropped.len(), 9);
    let rows = |c: &Cases| c.ledger.dropped.iter().map(|d| (d.row, d.field.clone())).collect::<Vec<_>>();
    assert_eq!(rows(&once), rows(&twice));
    assert!(twice.ledger.dropped.iter().all(|d| d.file_index == 1));
    let (a, b) = (once.ledger.counts(), twice.ledger.counts());
    assert_eq!(b.rows_read, 2 * a.rows_read);
    assert_eq!(b.rows_used, a.rows_used);
    assert_eq!(b.rows_read, b.rows_used + b.rows_rejected + b.duplicates);
}

/// `validate` makes only the columns the ledger reads: its ledger and casework are those of the
/// whole table, for the sample (with its casework file, and without: the export's own
/// determinations) and for a file of every kind of bad row.
#[test]
fn the_ledger_alone_is_the_whole_tables_ledger() {
    use complaints::output::ledger::{render, Format};
    let sample = complaints::Inputs {
        files: vec!["sample-data/complaints-export.csv".into()],
        config: Some("sample-data/complaints.toml".into()),
        ..complaints::Inputs::default()
    };
    let no_config = complaints::Inputs { config: None, ..sample.clone() };
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.csv", BAD.as_bytes());
    // Every kind of bad row, and the sample after it (its cases superseding none of them).
    let bad = complaints::Inputs { files: vec![bad, "sample-data/complaints-export.csv".into()], ..no_config.clone() };
    // A stage column, with rows at a later stage than their dates and rows with that stage's dates.
    let staged = write(
        dir.path(),
        "staged.csv",
        b"Case Ref,Stage,Date Received,Response Date,Stage 2 Response Date,Stage 3 Requested\n\
          A1,Stage 1,01/04/2024,20/04/2024,,\nA2,Stage 2,01/04/2024,20/04/2024,,\n\
          A3,Stage 2,01/04/2024,20/04/2024,30/05/2024,\nA4,Stage 3,01/04/2024,20/04/2024,30/05/2024,02/06/2024\n",
    );
    let staged = complaints::Inputs { files: vec![staged], ..no_config.clone() };
    for inputs in [sample, no_config, bad, staged] {
        let whole = complaints::load(&inputs).unwrap();
        let alone = complaints::load_for_ledger(&inputs).unwrap();
        let json = |l: &complaints::Loaded| render(&l.cases.ledger, &l.casework, Format::Json).unwrap();
        assert_eq!(json(&alone), json(&whole), "{:?}", inputs.files);
        // The casework too, when it is the export's own (which the ledger does not print).
        let casework = |l: &complaints::Loaded| serde_json::to_string(&l.casework).unwrap();
        assert_eq!(casework(&alone), casework(&whole), "{:?}", inputs.files);
        assert!(!json(&whole).is_empty());
        // Fewer columns made, and the table has every row.
        assert!(alone.cases.df.width() < whole.cases.df.width());
        assert_eq!(alone.cases.df.height(), whole.cases.df.height());
    }
}

/// A header a file repeats for columns it keeps as they are (two "Notes", as real exports have)
/// names two columns: the second "Notes (2)", passing over a number another header spells; a
/// second file's one "Notes" fills the first. Every value is kept in its own column.
#[test]
fn a_repeated_extra_header_keeps_both_columns() {
    let dir = tempfile::tempdir().unwrap();
    let first = write(
        dir.path(),
        "a.csv",
        b"Case Ref,Notes,Date Received,Notes,Notes (2),Notes\nA1,n1,02/05/2024,n2,n3,n4\nA2,,03/05/2024,m2,,m4\n",
    );
    let second = write(dir.path(), "b.csv", b"Case Ref,Date Received,Notes\nB1,04/05/2024,o1\n");
    let cases = read(&[first, second]);
    assert_eq!(cases.extra_columns, ["Notes", "Notes (3)", "Notes (2)", "Notes (4)"]);
    assert_eq!(cases.df.height(), 3);
    assert_eq!(texts(&cases, "Notes"), [Some("n1".into()), None, Some("o1".into())]);
    assert_eq!(texts(&cases, "Notes (3)"), [Some("n2".into()), Some("m2".into()), None]);
    assert_eq!(texts(&cases, "Notes (2)"), [Some("n3".into()), None, None]);
    assert_eq!(texts(&cases, "Notes (4)"), [Some("n4".into()), Some("m4".into()), None]);
}

/// A column naming the kind of case ("Type": "Complaint", "Compliment", "Service Request") in
/// an export of every kind of case: the rows of other kinds are counted, most first, with the
/// first such case; every row is still used. A "Type" column of complaints alone, or of service
/// areas, or of kinds with no complaint among them, says nothing.
#[test]
fn rows_of_other_kinds_than_complaints_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Case Number,Date Received,Feedback Type,Notes\n\
                A1,01/04/2024,Complaint,a compliment\n\
                A2,01/04/2024,Compliment,\n\
                A3,02/04/2024,Service Request,\n\
                A4,02/04/2024,complaint,\n\
                A5,03/04/2024,Service Request,\n\
                A6,03/04/2024,MP Enquiry,\n";
    let cases = read(&[write(dir.path(), "all.csv", text.as_bytes())]);
    assert_eq!(cases.ledger.rows_used, 6, "every row is used");
    let other = cases.ledger.other_kinds.expect("reported");
    assert_eq!(other.column, "Feedback Type");
    assert_eq!(other.rows, 4);
    let kinds: Vec<(&str, usize)> = other.kinds.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    assert_eq!(kinds, [("Service Request", 2), ("Compliment", 1), ("MP Enquiry", 1)]);
    assert_eq!(other.example, "A2");
    for (name, cells) in [
        ("complaints.csv", ["Complaint", "Complaint"]),
        ("areas.csv", ["Repairs", "Complaint"]),
        ("praise.csv", ["Compliment", "Comment"]),
    ] {
        let text =
            format!("Case Number,Date Received,Case Type\nA1,01/04/2024,{}\nA2,01/04/2024,{}\n", cells[0], cells[1]);
        assert!(read(&[write(dir.path(), name, text.as_bytes())]).ledger.other_kinds.is_none(), "{name}");
    }
}

/// A "Stage" column naming a later stage than any date of the row (an export with one row per
/// complaint at its current stage, its dates under headers that name no stage) is reported, with
/// the first such case; a row whose stage has its own dates, or a stage 1 row, is not.
#[test]
fn rows_at_a_later_stage_than_their_dates_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Case Ref,Stage,Date Received,Response Date,Stage 2 Response Date\n\
                A1,Stage 1,01/04/2024,20/04/2024,\n\
                A2,Stage 2,01/04/2024,20/05/2024,\n\
                A3,Stage 2,01/04/2024,20/04/2024,\n\
                A4,Escalated,02/04/2024,,\n\
                A5,Stage 2,01/04/2024,20/04/2024,30/05/2024\n";
    let cases = read(&[write(dir.path(), "current.csv", text.as_bytes())]);
    let later = cases.ledger.later_stage.expect("reported");
    assert_eq!(later.column, "Stage");
    assert_eq!(later.rows, 3, "A2, A3 and A4; not A1 (stage 1) nor A5 (its stage 2 date)");
    assert_eq!(later.example, ("A2".to_string(), "Stage 2".to_string(), 2));
    let none = "Case Ref,Stage,Date Received\nA1,Stage 1,01/04/2024\nA2,Closed,01/04/2024\n";
    assert!(read(&[write(dir.path(), "none.csv", none.as_bytes())]).ledger.later_stage.is_none());
}
