//! The binary as a user meets it: exit codes (0 ok, 1 data, 2 usage/config), one-line errors that
//! name the file or key and the fix, `validate` output, `init`, and no panics on odd input.

use std::path::{Path, PathBuf};

mod common;
use common::run;
use proptest::prelude::*;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn assert_one_line_error(stderr: &str, must_contain: &[&str]) {
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line expected: {stderr}");
    for s in must_contain {
        assert!(stderr.contains(s), "'{s}' missing from: {stderr}");
    }
}

#[test]
fn missing_file_is_a_usage_error() {
    let (code, _, err) = run(&["validate", "no/such/export.csv"]);
    assert_eq!(code, 2);
    assert_one_line_error(&err, &["no/such/export.csv", "no such file", "check the path"]);
}

#[test]
fn a_folder_is_not_readable_as_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&["validate", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_one_line_error(&err, &["is a folder"]);
}

#[test]
fn empty_file_is_a_data_error() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [("empty.csv", &b""[..]), ("blank.csv", &b"\n  \n,,\n"[..])] {
        let p = write(dir.path(), name, bytes);
        let (code, _, err) = run(&["validate", p.to_str().unwrap()]);
        assert_eq!(code, 1, "{name}");
        assert_one_line_error(&err, &[name, "empty"]);
    }
}

#[test]
fn no_recognisable_header() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "odd.csv", b"Foo,Bar,Baz\n1,2,3\n");
    let (code, _, err) = run(&["validate", p.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_one_line_error(&err, &["odd.csv", "no recognisable header", "[columns]"]);
}

#[test]
fn missing_required_column() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "noreceived.csv", b"Case Ref,Stage 1 Response Sent,Category\nC1,01/04/2024,Repairs\n");
    let (code, _, err) = run(&["validate", p.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_one_line_error(&err, &["noreceived.csv", "received_date", "[columns]"]);
}

#[test]
fn bad_config_key_names_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "ok.csv", b"Case Ref,Date Received\nC1,01/04/2024\n");
    let cfg = write(dir.path(), "bad.toml", b"landlord = \"X\"\n\n[homes]\nlcra = 100\nlchoo = 5\n");
    let (code, _, err) = run(&["validate", data.to_str().unwrap(), "--config", cfg.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_one_line_error(&err, &["bad.toml", "line 5", "lchoo", "expected one of"]);

    let cfg = write(dir.path(), "type.toml", b"repeat_threshold = \"two\"\n");
    let (code, _, err) = run(&["validate", data.to_str().unwrap(), "--config", cfg.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_one_line_error(&err, &["type.toml", "line 1", "repeat_threshold"]);

    let (code, _, err) = run(&["validate", data.to_str().unwrap(), "--config", "nowhere.toml"]);
    assert_eq!(code, 2);
    assert_one_line_error(&err, &["nowhere.toml"]);
}

#[test]
fn unknown_option_is_a_usage_error() {
    let (code, _, _) = run(&["validate", "x.csv", "--frobnicate"]);
    assert_eq!(code, 2);
}

#[test]
fn validate_exit_codes_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let clean = write(dir.path(), "clean.csv", b"Case Ref,Date Received\nC1,01/04/2024\nC1,02/04/2024\n");
    let (code, out, _) = run(&["validate", clean.to_str().unwrap()]);
    assert_eq!(code, 0, "superseded rows alone are not an error: {out}");
    assert!(out.contains("DUPLICATE CASES (1)"), "{out}");

    let bad =
        write(dir.path(), "bad.csv", b"Case Ref,Date Received,Stage 1 Outcome\nC1,01/04/2024,Resolved\n,02/04/2024,\n");
    let (code, out, _) = run(&["validate", bad.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let input = &v["input"];
    assert_eq!(input["files"][0], bad.to_str().unwrap());
    assert_eq!(
        (
            input["rows_read"].as_u64(),
            input["rows_used"].as_u64(),
            input["rows_rejected"].as_u64(),
            input["warnings"].as_u64(),
            input["duplicates"].as_u64()
        ),
        (Some(2), Some(1), Some(1), Some(1), Some(0))
    );
    assert_eq!(v["rejected"][0]["row"], 3);
    assert_eq!(v["dropped"][0]["value"], "Resolved");
    assert_eq!(v["dropped"][0]["rule"], "unparseable");
}

#[test]
fn validate_on_the_sample_data() {
    let (code, out, _) =
        run(&["validate", "sample-data/complaints-export.csv", "--config", "sample-data/complaints.toml"]);
    assert_eq!(code, 1, "the sample export carries a few bad rows on purpose");
    assert!(out.contains("REJECTED ROWS"), "{out}");
    let (_, json, _) = run(&[
        "validate",
        "sample-data/complaints-export.csv",
        "sample-data/complaints-export.xlsx",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let i = &v["input"];
    let n = |k: &str| i[k].as_u64().unwrap();
    assert_eq!(n("rows_read"), n("rows_used") + n("rows_rejected") + n("duplicates"));
    // The XLSX holds the same cases as the CSV: every used CSV case is superseded by its XLSX row.
    assert!(n("duplicates") >= n("rows_used"), "{i}");
}

#[test]
fn init_writes_a_config_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("complaints.toml");
    let (code, _, _) = run(&["init", path.to_str().unwrap()]);
    assert_eq!(code, 0);
    let data = write(dir.path(), "ok.csv", b"Case Ref,Date Received\nC1,01/04/2024\n");
    let (code, _, err) = run(&["validate", data.to_str().unwrap(), "--config", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(&["init", path.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_one_line_error(&err, &["already exists", "--force"]);
}

#[test]
fn every_bundled_config_loads() {
    let mut n = 0;
    for entry in std::fs::read_dir("sample-data").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) == Some("toml") && !path.to_string_lossy().contains("answers") {
            let config = complaints::config::Config::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(!config.landlord.is_empty(), "{}", path.display());
            n += 1;
        }
    }
    assert!(n >= 4, "the sample config and the three seed landlords");
}

#[test]
fn seed_landlord_policies_are_expressed() {
    use complaints::config::{ClockStart, Config};
    let alliance = Config::load(Path::new("sample-data/alliance-homes.toml")).unwrap().own_profile();
    assert_eq!(
        alliance.stages.iter().map(|s| (s.response_days, s.max_extension_days, s.ack_days)).collect::<Vec<_>>(),
        [(10, 10, Some(5)), (20, 10, Some(5))]
    );
    let ladder = Config::load(Path::new("sample-data/feedback-ladder-ha.toml")).unwrap().own_profile();
    assert_eq!(ladder.stages.iter().map(|s| s.response_days).collect::<Vec<_>>(), [8, 5]);
    assert_eq!(ladder.stages[1].response_from, ClockStart::Start);
    let auckland = Config::load(Path::new("sample-data/auckland-home-solutions.toml")).unwrap().own_profile();
    assert_eq!(auckland.stages.len(), 3);
    assert_eq!(auckland.stages[2].response_days, 20);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    /// Whatever the bytes, reading never panics: it gives cases or an error.
    #[test]
    fn no_input_panics(body in proptest::collection::vec(any::<u8>(), 0..400), cells in proptest::collection::vec("[ -~£\\n\";,\\t]{0,12}", 0..40)) {
        let dir = tempfile::tempdir().unwrap();
        let mut text = b"Case Ref,Date Received,S1 Ack Date,Stage 1 Response Sent,Escalation Requested,Stage 2 Response Sent,Compensation,Satisfied,Stage 1 Outcome\n".to_vec();
        text.extend(cells.join(",").into_bytes());
        let p1 = write(dir.path(), "a.csv", &text);
        let p2 = write(dir.path(), "b.csv", &body);
        let p3 = write(dir.path(), "c.xlsx", &body);
        for p in [p1, p2, p3] {
            let _ = complaints::ingest::read_cases(&[p], &complaints::ingest::ReadOptions::default());
        }
    }
}

/// An export with its header and no cases (the sample's own header, its casework file beside
/// the config): every count is zero, the Board pack is made, nothing panics.
#[test]
fn an_export_with_no_cases_is_measured_as_zero() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string("sample-data/complaints-export.csv").unwrap();
    let header = sample.lines().find(|l| l.starts_with("Complaint Reference")).unwrap();
    let csv = write(dir.path(), "export.csv", format!("{header}\n").as_bytes());
    let csv = csv.to_str().unwrap();
    let config = "sample-data/complaints.toml";
    let (code, out, err) =
        run(&["metrics", csv, "--config", config, "--period", "2025/26 Q4", "--trend", "8", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let m: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(m["closed"], 0);
    assert_eq!(m["ombudsman"]["referrals"], 0);
    assert_eq!(m["ombudsman"]["evidence_on_time"]["den"], 0);
    // The trend starts at the first complaint: with none, there is no earlier period.
    assert!(m.get("trend").is_none_or(|t| t.as_array().is_some_and(Vec::is_empty)), "{out}");
    let out_dir = dir.path().join("pack");
    let (code, _, err) =
        run(&["report", csv, "--config", config, "--period", "2025/26 Q4", "--out", out_dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out_dir.join("cases-audit.csv").exists());
}

/// `complaints validate export.csv | head`: the reader stops reading, and the command ends
/// quietly (the rest of its output is not wanted) instead of panicking.
#[test]
fn a_reader_that_stops_reading_is_not_a_failure() {
    let bin = assert_cmd::cargo::cargo_bin("complaints");
    let mut child = std::process::Command::new(bin)
        .args(["validate", "sample-data/complaints-export.csv"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Closed before the export is read, so the first write finds no reader.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "the sample has rejected rows: validate's usual exit code; {stderr}");
}

/// Many systems' "Excel export" is CSV text under an .xlsx name: it is read as the text it is,
/// exactly as the same file named .csv. An HTML table under an .xls name is named for what it is.
#[test]
fn an_excel_export_that_is_really_text() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read("sample-data/complaints-export.csv").unwrap();
    let xlsx = write(dir.path(), "export.xlsx", &text);
    let (code, out, err) = run(&["validate", xlsx.to_str().unwrap()]);
    let (csv_code, csv_out, _) = run(&["validate", "sample-data/complaints-export.csv"]);
    assert_eq!(code, csv_code, "{err}");
    assert!(out.starts_with("Checked 1 file: 3,006 rows read."), "{out}");
    assert_eq!(
        out.lines().nth(1).map(|l| l.replace(xlsx.to_str().unwrap(), "F")),
        csv_out.lines().nth(1).map(|l| l.replace("sample-data/complaints-export.csv", "F"))
    );

    let page = write(dir.path(), "export.xls", b"<html><body><table><tr><td>Case Ref</td></tr></table></body></html>");
    let (code, _, err) = run(&["validate", page.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_one_line_error(&err, &["export.xls", "web page", "save it as .xlsx"]);

    let cut = write(dir.path(), "cut.xlsx", b"PK\x03\x04 not the rest of a workbook");
    let (code, _, err) = run(&["validate", cut.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_one_line_error(&err, &["cut.xlsx", "cannot open as a spreadsheet", "export it again"]);
}

/// Headers typed over two lines in Excel and cells holding line breaks are read as they are,
/// `validate` lists each on one line, the break shown as "↵", and names rows as Excel does.
#[test]
fn line_breaks_in_headers_and_cells_are_listed_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "Case Ref,\"Date\nReceived\",\"Stage 1\r\nResponse Date\"\nC1,01/04/2024,05/04/2024\nC2,\"31/02/2024\nsee note\",\n";
    let path = write(dir.path(), "breaks.csv", csv.as_bytes());
    let (code, out, err) = run(&["validate", path.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("Date↵Received") && out.contains("→ received_date"), "{out}");
    assert!(out.contains("Stage 1↵Response Date") && out.contains("→ s1_response_date"), "{out}");
    // C2 is on lines 5–6 but is the spreadsheet's row 3: the header's cells hold line breaks.
    assert!(out.contains("breaks.csv row 3, column \"Date↵Received\": \"31/02/2024↵see note\""), "{out}");
    assert!(!out.lines().any(|l| l.starts_with("Received") || l.starts_with("see note")), "{out}");
}

/// An export with a row per stage: validate says why cases are seen twice and what to export.
#[test]
fn rows_per_stage_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "Case Ref,Stage,Date Received,Response Date\nC1,Stage 1,01/04/2024,10/04/2024\nC1,Stage 2,20/04/2024,10/05/2024\n";
    let path = write(dir.path(), "stages.csv", csv.as_bytes());
    let (code, out, err) = run(&["validate", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "1 of them is at another stage than the row used (\"Stage\": case C1, \"Stage 1\" then \"Stage 2\")"
        ),
        "{out}"
    );
    assert!(out.contains("Export one row per complaint"), "{out}");
}

/// A workbook saved under a .csv name is named as such, not read as text that has no header;
/// a CSV whose first header is "PK" (a primary key) is still text, whatever its name.
#[test]
fn a_workbook_under_a_text_name_is_named_and_pk_text_is_text() {
    let dir = tempfile::tempdir().unwrap();
    let book = std::fs::read("sample-data/complaints-export.xlsx").unwrap();
    let path = write(dir.path(), "export.csv", &book);
    let (code, _, err) = run(&["validate", path.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert_one_line_error(&err, &["export.csv", "holds a workbook", ".xlsx"]);
    for name in ["pk.csv", "pk.xlsx"] {
        let path = write(dir.path(), name, b"PK,Case Ref,Date Received\n1,C1,01/04/2024\n");
        let (code, out, err) = run(&["validate", path.to_str().unwrap()]);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(out.contains("1 rows read") || out.contains("1 row read"), "{name}: {out}");
    }
}

#[test]
fn the_result_line_counts_rejected_rows_in_words_that_agree() {
    let dir = tempfile::tempdir().unwrap();
    let one = write(dir.path(), "one.csv", b"Case Ref,Date Received\nC1,01/04/2024\nC2,April 1st\n");
    let (code, out, _) = run(&["validate", one.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains("Result: 1 row rejected (exit status 1). Fix it in the export"), "{out}");
    let two = write(dir.path(), "two.csv", b"Case Ref,Date Received\nC1,someday\nC2,April 1st\n");
    let (code, out, _) = run(&["validate", two.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains("Result: 2 rows rejected (exit status 1). Fix them in the export"), "{out}");
}

#[test]
fn validate_names_rows_at_a_later_stage_than_their_dates() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "current.csv",
        b"Case Ref,Stage,Date Received,Response Date,Stage 2 Response Date\nA1,Stage 1,01/04/2024,20/04/2024,\n\
          A2,Stage 2,01/04/2024,20/05/2024,\nA3,Stage 2,01/04/2024,20/04/2024,30/05/2024\n",
    );
    let (code, out, _) = run(&["validate", p.to_str().unwrap()]);
    assert_eq!(code, 0, "a hint, not an error");
    assert!(
        out.contains("ROWS AT A LATER STAGE THAN THEIR DATES (1): column \"Stage\" names stage 2 or 3 in a row"),
        "{out}"
    );
    assert!(out.contains("(case A2: \"Stage 2\", no stage 2 date)"), "{out}");
    let (_, json, _) = run(&["validate", p.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["later_stage"]["rows"], 1, "A2; not A3, which has its stage 2 date");
    assert_eq!(v["later_stage"]["example"][0], "A2");
}

#[test]
fn validate_names_rows_that_are_not_complaints() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "crm.csv",
        b"Case Number,Date/Time Opened,Type,Subject\n00001,03/04/2024 09:15,Complaint,Repairs\n\
          00002,04/04/2024 10:00,Service Request,Repairs\n00003,05/04/2024 11:00,Compliment,Estates\n",
    );
    let (code, out, _) = run(&["validate", p.to_str().unwrap()]);
    assert_eq!(code, 0, "a hint, not an error");
    assert!(
        out.contains("ROWS THAT MAY NOT BE COMPLAINTS (2): column \"Type\" says \"Compliment\" (1), \"Service Request\" (1) (first: case 00002)"),
        "{out}"
    );
    assert!(out.contains("→ kept as an extra column (its cells are kinds of case, not service areas)"), "{out}");
    let (_, json, _) = run(&["validate", p.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["other_kinds"]["rows"], 2);
    assert_eq!(v["other_kinds"]["kinds"][0][0], "Compliment");
    assert_eq!(v["input"]["rows_used"], 3);
}

/// A command's own mistakes — a mistyped period or year, an answers file that is not there, an
/// unknown profile — are reported before the export is read: with an export that cannot be read
/// at all, the message is still about the mistake, not the export.
#[test]
fn usage_mistakes_come_before_the_data_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    let export = "no/such/export.csv";
    let cases: [(&[&str], &[&str]); 7] = [
        (&["metrics", export, "--period", "2024-Q4"], &["--period '2024-Q4'"]),
        (&["metrics", export, "--period", "2024/25", "--profile", "code-2019"], &["--profile code-2019"]),
        (&["metrics", export, "--period", "2024/25", "--format", "xlsx"], &["--format xlsx", "--out"]),
        (&["audit", export, "--period", "2024/25 Q5", "--out", "a.csv"], &["--period '2024/25 Q5'"]),
        (&["report", export, "--out", out, "--answers", "no/such/answers.toml"], &["no/such/answers.toml"]),
        (&["self-assessment", export, "--year", "2024/25 Q1", "--out", out], &["--year 2024/25 Q1"]),
        (&["annual-report", export, "--year", "2024/25", "--out", out], &["no answers file"]),
    ];
    for (args, expected) in cases {
        let (code, _, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_one_line_error(&err, expected);
        assert!(!err.contains("export.csv"), "{args:?}: the mistake, not the export: {err}");
    }
}

/// A totals or footer line below the cases ("Total", "Report generated on …") is rejected, as
/// every row without a received date is, but named for what it is; when only such lines are
/// rejected, validate says every case is usable.
#[test]
fn totals_and_footer_lines_are_named_for_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "footer.csv",
        b"Case Ref,Date Received,Compensation\nA1,01/04/2024,50\nA2,02/04/2024,25\n,,\nTotal,,75\nReport generated by CRM on 01/12/2026,,\n",
    );
    let (code, out, _) = run(&["validate", p.to_str().unwrap()]);
    assert_eq!(code, 1, "rejected rows, as SPEC says");
    assert!(out.contains("  not a case: a totals or footer line (received_date: missing) (2)"), "{out}");
    assert!(
        out.contains(
            "Result: 2 rows rejected (exit status 1), totals or footer lines and no case: every case is usable."
        ),
        "{out}"
    );
    assert!(out.contains("Check: 4 read = 2 used + 2 rejected + 0 duplicates"), "{out}");
    // A case row missing its date is still a row to fix.
    let q = write(dir.path(), "mixed.csv", b"Case Ref,Date Received\nA1,01/04/2024\nA2,\nTotal,\n");
    let (_, out, _) = run(&["validate", q.to_str().unwrap()]);
    assert!(out.contains("received_date: missing (1)") && out.contains("Fix them in the export"), "{out}");
}
