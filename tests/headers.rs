//! Header recognition on spellings nobody wrote into the known list (tests/cases/headers): each
//! header is read in a small export of its own, with cells of its kind, and must map to its field,
//! stay an extra column, or be reported as ambiguous. Then the neighbourhood cases: the same
//! header meaning different fields beside different columns.

use std::path::{Path, PathBuf};

use complaints::fields::{field, FieldKind};
use complaints::ingest::{read_cases, Cases, ReadOptions};

/// A value of the field's own kind, so the cells confirm rather than veto the header.
fn value_for(expected: &str) -> &'static str {
    let Some(f) = field(expected) else { return "" };
    match (f.kind, f.name) {
        (FieldKind::Date, _) => "10/04/2024",
        (FieldKind::Bool { .. }, _) => "Yes",
        (FieldKind::Money, _) => "£50.00",
        (FieldKind::Outcome, _) => "Upheld",
        (FieldKind::Determination, _) => "Maladministration",
        (_, "case_id") => "CMP-0001",
        (_, "complainant_id") => "T100234",
        (_, "category") => "Repairs",
        (_, "channel") => "Phone",
        (_, "tenure") => "LCRA",
        (_, "s1_handler" | "s2_handler") => "J. Okafor",
        (_, "lesson_owner") => "Repairs Team",
        (_, "lesson_status") => "Complete",
        _ => "Residents were not told about the delay",
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// What a header became in the file: a field name, "extra" or "ambiguous".
fn mapped(cases: &Cases, header: &str) -> String {
    let file = &cases.ledger.files[0];
    match file.columns.iter().find(|c| c.header == header) {
        Some(c) => match c.how {
            complaints::ingest::headers::How::Extra => "extra".into(),
            complaints::ingest::headers::How::Ambiguous => "ambiguous".into(),
            _ => c.field.clone().unwrap_or_default(),
        },
        None => "missing".into(),
    }
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[test]
fn spellings_no_list_holds_are_recognised_from_their_words() {
    let dir = tempfile::tempdir().unwrap();
    let table = std::fs::read_to_string("tests/cases/headers/spellings.csv").unwrap();
    let mut reader = csv::Reader::from_reader(table.as_bytes());
    let (mut total, mut hits, mut misses) = (0, 0, Vec::new());
    for (i, row) in reader.records().enumerate() {
        let row = row.unwrap();
        let (header, expected, cells) = (&row[0], &row[1], &row[2]);
        let value = if cells.is_empty() { value_for(expected) } else { cells };
        // Every export needs a case reference and a received date; the header under test
        // takes their place when it is one of them.
        let mut headers = Vec::new();
        let mut values = Vec::new();
        if expected != "case_id" {
            headers.push("Case Ref".to_string());
            values.push("CMP-{n}".to_string());
        }
        if expected != "received_date" {
            headers.push("Date Received".to_string());
            values.push("01/04/2024".to_string());
        }
        headers.push(csv_cell(header));
        values.push(csv_cell(value));
        let mut text = headers.join(",") + "\n";
        for n in 1..=3 {
            text.push_str(&values.join(",").replace("{n}", &n.to_string()));
            text.push('\n');
        }
        let path = write(dir.path(), &format!("h{i}.csv"), &text);
        total += 1;
        let got = match read_cases(&[path], &ReadOptions::default()) {
            Ok(cases) => mapped(&cases, header),
            Err(e) => format!("error: {e}"),
        };
        if got == expected {
            hits += 1;
        } else {
            misses.push(format!("{header:?}: expected {expected}, got {got}"));
        }
    }
    println!("header spellings recognised: {hits} of {total}");
    assert!(total >= 95, "the table has {total} spellings");
    assert!(misses.is_empty(), "{hits} of {total}; misses:\n{}", misses.join("\n"));
}

/// Reads a one-row export with these headers and values.
fn read_one(dir: &Path, headers: &[&str], values: &[&str]) -> Cases {
    let text = format!("{}\n{}\n", headers.join(","), values.join(","));
    read_cases(&[write(dir, "n.csv", &text)], &ReadOptions::default()).unwrap()
}

/// Reads a one-row export of these (header, field it must become, value) and checks each header.
fn assert_export_maps(dir: &Path, expected: &[(&str, &str, &str)]) {
    let headers: Vec<&str> = expected.iter().map(|e| e.0).collect();
    let values: Vec<&str> = expected.iter().map(|e| e.2).collect();
    let cases = read_one(dir, &headers, &values);
    for (header, field, _) in expected {
        assert_eq!(mapped(&cases, header), *field, "{header}");
    }
}

#[test]
fn the_four_headers_of_the_trial_export_in_their_neighbourhood() {
    let dir = tempfile::tempdir().unwrap();
    let headers = [
        "Complaint Reference",
        "Tenant Reference",
        "Date Received",
        "Stage 1 Response Sent",
        "Stage 1 Extended Due Date",
        "Stage 2 Response Sent",
        "Stage 2 Extended Due Date",
        "Lesson Learned",
        "Action Taken",
        "Lesson Owner",
        "Action Due Date",
        "Action Status",
    ];
    let values = [
        "C1",
        "T1",
        "01/04/2024",
        "20/04/2024",
        "25/04/2024",
        "30/05/2024",
        "01/06/2024",
        "Tell people",
        "We tell people",
        "Repairs Team",
        "01/07/2024",
        "Complete",
    ];
    let cases = read_one(dir.path(), &headers, &values);
    assert_eq!(mapped(&cases, "Tenant Reference"), "complainant_id");
    assert_eq!(mapped(&cases, "Stage 1 Extended Due Date"), "s1_due_date");
    assert_eq!(mapped(&cases, "Stage 2 Extended Due Date"), "s2_due_date");
    assert_eq!(mapped(&cases, "Action Due Date"), "lesson_due_date");

    let headers =
        ["Case Ref", "Date Received", "Remedy Offered", "Compensation", "Action Due Date", "Remedy Completed"];
    let values = ["C1", "01/04/2024", "Repair the door", "£50", "01/07/2024", "20/06/2024"];
    let cases = read_one(dir.path(), &headers, &values);
    assert_eq!(mapped(&cases, "Action Due Date"), "remedy_due_date");
}

/// An export with the upper-case abbreviated column names some housing systems write: every
/// header becomes its field ("COMP" is the complaint beside REF, its compensation beside AMT).
#[test]
fn an_abbreviated_upper_case_export() {
    let dir = tempfile::tempdir().unwrap();
    let expected = [
        ("COMP_REF", "case_id", "C1"),
        ("DATE_RECD", "received_date", "01/04/2024"),
        ("STG1_ACK", "s1_ack_date", "02/04/2024"),
        ("STG1_TGT", "s1_due_date", "15/04/2024"),
        ("STG1_RESP", "s1_response_date", "10/04/2024"),
        ("STG1_OUTCOME", "s1_outcome", "Upheld"),
        ("ESC_DATE", "s2_requested_date", "20/04/2024"),
        ("STG2_ACK", "s2_ack_date", "21/04/2024"),
        ("STG2_RESP", "s2_response_date", "10/05/2024"),
        ("STG2_OUTCOME", "s2_outcome", "Not upheld"),
        ("COMP_AMT", "compensation", "50"),
        ("TEN_REF", "complainant_id", "T1"),
        ("TENURE_CODE", "tenure", "LCRA"),
        ("CAT_CODE", "category", "REP"),
        ("RECV_METHOD", "channel", "EMAIL"),
    ];
    assert_export_maps(dir.path(), &expected);
}

/// A council-style export written in sentences: "Date of Complaint" is the received date, and
/// of two amounts the one saying "compensation" is the compensation.
#[test]
fn an_export_headed_in_sentences() {
    let dir = tempfile::tempdir().unwrap();
    let expected = [
        ("Complaint No", "case_id", "C1"),
        ("Date of Complaint", "received_date", "01/04/2024"),
        ("Date Stage 1 Response Issued", "s1_response_date", "10/04/2024"),
        ("Date Escalated to Stage 2", "s2_requested_date", "20/04/2024"),
        ("Extension Agreed (Y/N)", "s1_extended", "N"),
        ("Compensation Offered (£)", "compensation", "50"),
        ("Goodwill Payment", "extra", "20"),
        ("Household Ref", "complainant_id", "H1"),
        ("Learning Identified", "lesson", "Tell people"),
        ("Improvement Action", "lesson_action", "We tell people"),
        ("Action Owner", "lesson_owner", "Repairs"),
        ("Action Deadline", "lesson_due_date", "01/07/2024"),
    ];
    assert_export_maps(dir.path(), &expected);
}

/// A bare "Tenancy" or "Tenant" header is read from its cells: tenures make it the tenure,
/// references the complainant's, a date or a name leaves it an extra column.
#[test]
fn a_bare_tenancy_header_is_read_from_its_cells() {
    let dir = tempfile::tempdir().unwrap();
    let base = ["Case Ref", "Date Received"];
    let one = |header: &str, a: &str, b: &str| {
        let text = format!("{},{header}\nC1,01/04/2024,{a}\nC2,02/04/2024,{b}\n", base.join(","));
        let cases = read_cases(&[write(dir.path(), "t.csv", &text)], &ReadOptions::default()).unwrap();
        mapped(&cases, header)
    };
    assert_eq!(one("Tenancy", "General Needs", "Shared Ownership"), "tenure");
    assert_eq!(one("Tenancy", "LCRA", "LCHO"), "tenure");
    assert_eq!(one("Tenancy", "TEN-0001", "TEN-0002"), "complainant_id");
    assert_eq!(one("Tenant", "T100234", "T100235"), "complainant_id");
    assert_eq!(one("Tenant", "Jane Smith", "John Brown"), "extra");
    assert_eq!(one("Tenancy", "01/04/2019", "12/11/2020"), "extra");
    // Beside a header that names the tenure, the bare one is not a second tenure.
    let text = "Case Ref,Date Received,Tenure,Tenancy\nC1,01/04/2024,LCRA,General Needs\n";
    let cases = read_cases(&[write(dir.path(), "u.csv", text)], &ReadOptions::default()).unwrap();
    assert_eq!((mapped(&cases, "Tenure").as_str(), mapped(&cases, "Tenancy").as_str()), ("tenure", "extra"));
}

/// "Type" is the category in many exports, but a CRM's "Type" whose cells say what kind of case
/// each row is ("Complaint", "Service Request") is no service area: it stays an extra column,
/// and says why, while a "Subject" beside it is the category.
#[test]
fn a_type_column_of_case_kinds_is_not_the_category() {
    let dir = tempfile::tempdir().unwrap();
    let base = ["Case Ref", "Date Received"];
    let one = |header: &str, a: &str, b: &str| {
        let text = format!("{},{header}\nC1,01/04/2024,{a}\nC2,02/04/2024,{b}\n", base.join(","));
        let cases = read_cases(&[write(dir.path(), "t.csv", &text)], &ReadOptions::default()).unwrap();
        mapped(&cases, header)
    };
    assert_eq!(one("Type", "Repairs", "Estates"), "category");
    assert_eq!(one("Type", "Complaint", "Service Request"), "extra");
    assert_eq!(one("Type", "Complaint", "Complaint"), "extra");
    assert_eq!(
        one("Complaint Type", "Complaint", "Compliment"),
        "extra",
        "recognised from its words, vetoed by its cells"
    );
    let text = "Case Number,Date/Time Opened,Type,Subject\nC1,01/04/2024,Complaint,Repairs\nC2,02/04/2024,Compliment,Estates\n";
    let cases = read_cases(&[write(dir.path(), "sf.csv", text)], &ReadOptions::default()).unwrap();
    assert_eq!((mapped(&cases, "Type").as_str(), mapped(&cases, "Subject").as_str()), ("extra", "category"));
    let column = cases.ledger.files[0].columns.iter().find(|c| c.header == "Type").unwrap();
    assert_eq!(column.explain(), "kept as an extra column (its cells are kinds of case, not service areas)");
}

/// A helpdesk export (Zendesk's shape): "Subject" is each ticket's title line and "Complaint
/// Category [list]" the category. The header that says category has it, and the headers that
/// could have been the category name the one that is.
#[test]
fn a_header_that_says_category_is_the_category_over_a_subject_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Id,Subject,Type,Created at,Complaint Category [list],Complaint Stage [list]\n\
                101,Leak not fixed,incident,2024-04-03 09:15:00 +0100,repairs,stage_1\n\
                102,Grass,problem,2024-04-10 14:00:00 +0100,estates,stage_2\n";
    let cases = read_cases(&[write(dir.path(), "zd.csv", text)], &ReadOptions::default()).unwrap();
    assert_eq!(mapped(&cases, "Complaint Category [list]"), "category");
    for header in ["Subject", "Type"] {
        assert_eq!(mapped(&cases, header), "extra");
        let column = cases.ledger.files[0].columns.iter().find(|c| c.header == header).unwrap();
        assert_eq!(column.lost_to.as_deref(), Some("Complaint Category [list]"), "{header}");
    }
    assert_eq!(mapped(&cases, "Created at"), "received_date");
    // Its stage column is one: row 102 is at stage 2 with no stage 2 date.
    let later = cases.ledger.later_stage.expect("a stage column");
    assert_eq!((later.column.as_str(), later.rows), ("Complaint Stage [list]", 1));
}

/// "Complaint Accepted?" is the other way round from "Not Accepted": it is read as `accepted`,
/// and a No there makes the complaint not accepted. Headers about accepting something else
/// (an escalation, a date) are not it.
#[test]
fn a_complaint_accepted_column_is_read_the_other_way_round() {
    let dir = tempfile::tempdir().unwrap();
    let base = ["Case Ref", "Date Received"];
    let one = |header: &str, a: &str, b: &str| {
        let text = format!("{},{header}\nC1,01/04/2024,{a}\nC2,02/04/2024,{b}\n", base.join(","));
        let cases = read_cases(&[write(dir.path(), "t.csv", &text)], &ReadOptions::default()).unwrap();
        mapped(&cases, header)
    };
    assert_eq!(one("Complaint Accepted?", "Yes", "No"), "accepted");
    assert_eq!(one("Was this accepted as a complaint", "Y", "N"), "accepted");
    assert_eq!(one("Accepted", "Yes", "No"), "accepted");
    assert_eq!(one("Not Accepted", "Yes", ""), "excluded");
    assert_ne!(one("Escalation Accepted", "Yes", "No"), "accepted");
    assert_ne!(one("Date Accepted", "01/04/2024", "02/04/2024"), "accepted");
    let text = "Case Ref,Date Received,Complaint Accepted?\nC1,01/04/2024,Yes\nC2,02/04/2024,No\nC3,03/04/2024,\n";
    let cases = read_cases(&[write(dir.path(), "a.csv", text)], &ReadOptions::default()).unwrap();
    let excluded: Vec<Option<bool>> = cases.df.column("excluded").unwrap().bool().unwrap().iter().collect();
    assert_eq!(excluded, [Some(false), Some(true), Some(false)], "a blank says nothing: not excluded");
    assert!(cases.present.contains("excluded"));
    let column = cases.ledger.files[0].columns.iter().find(|c| c.header == "Complaint Accepted?").unwrap();
    assert_eq!(column.explain(), "accepted (known spelling; a No makes the complaint not accepted)");
}

/// A header that could be any stage's ("Target Resolution Date") beside headers that name a
/// stage ("Stage One Target", after it in the file) is the complaint's end at whatever stage:
/// kept as an extra column naming the header that has the field, not left ambiguous.
#[test]
fn a_header_of_any_stage_goes_past_headers_that_name_one_later_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Enquiry No,Logged Date,Target Resolution Date,Actual Resolution Date,Stage One Target,Stage One Completed,Stage Two Target,Stage Two Completed\n\
                E1,01/04/2024,15/04/2024,12/04/2024,15/04/2024,12/04/2024,,\n";
    let cases = read_cases(&[write(dir.path(), "mri.csv", text)], &ReadOptions::default()).unwrap();
    for (header, field) in [
        ("Stage One Target", "s1_due_date"),
        ("Stage One Completed", "s1_response_date"),
        ("Stage Two Target", "s2_due_date"),
        ("Stage Two Completed", "s2_response_date"),
    ] {
        assert_eq!(mapped(&cases, header), field);
    }
    let column = |h: &str| cases.ledger.files[0].columns.iter().find(|c| c.header == h).unwrap().clone();
    assert_eq!(column("Target Resolution Date").lost_to.as_deref(), Some("Stage One Target"));
    assert_eq!(column("Actual Resolution Date").lost_to.as_deref(), Some("Stage One Completed"));
}

/// "Action Complete?" answered yes or no is the lesson action's status: a Yes is done, a No is
/// not (as "open" is); "Action Completed Date" is no status.
#[test]
fn an_action_complete_column_is_the_lesson_status() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Case Ref,Date Received,Lessons,Actions Agreed,Action Complete?,Action Completed Date\n\
                C1,01/04/2024,Texts missed,Send reminders,Yes,01/05/2024\nC2,02/04/2024,Late call,Call back log,No,\n";
    let cases = read_cases(&[write(dir.path(), "ql.csv", text)], &ReadOptions::default()).unwrap();
    assert_eq!(mapped(&cases, "Action Complete?"), "lesson_status");
    assert_ne!(mapped(&cases, "Action Completed Date"), "lesson_status");
    use complaints::ingest::status::{LessonState, LESSON_STATE};
    let states: Vec<LessonState> = cases
        .df
        .column(LESSON_STATE)
        .unwrap()
        .i32()
        .unwrap()
        .iter()
        .map(|c| LessonState::from_code(c.unwrap()))
        .collect();
    assert_eq!(states, [LessonState::Complete, LessonState::Planned]);
}

/// "Resolution" is the end of a complaint or its outcome: its cells say which. "Resolution Type"
/// with outcomes in it is the outcome, not a category beside "Service".
#[test]
fn a_resolution_header_is_read_by_its_cells() {
    let dir = tempfile::tempdir().unwrap();
    let base = ["Case Ref", "Date Received", "Service"];
    let one = |header: &str, a: &str, b: &str| {
        let text = format!("{},{header}\nC1,01/04/2024,Repairs,{a}\nC2,02/04/2024,Estates,{b}\n", base.join(","));
        let cases = read_cases(&[write(dir.path(), "t.csv", &text)], &ReadOptions::default()).unwrap();
        mapped(&cases, header)
    };
    assert_eq!(one("Resolution Type", "Upheld", "Not Upheld"), "s1_outcome");
    assert_eq!(one("Resolution", "Partly upheld", "Upheld"), "s1_outcome");
    // Dates: the end of whichever stage was last, as "Date Closed" is, so no stage's alone.
    assert_eq!(one("Date Closed", "12/04/2024", "20/04/2024"), "ambiguous");
    assert_eq!(one("Resolution", "12/04/2024", "20/04/2024"), "ambiguous");
    assert_eq!(one("Resolution Date", "12/04/2024", "20/04/2024"), "s1_response_date", "a known spelling");
}
