//! Documents that can be published as they stand: the final self-assessment (no internal notes,
//! an owned and dated action for every "No" and flagged "Yes"), evidence on the right provisions,
//! truthful lessons for residents, one scope per overdue figure for the Board, and figures near a
//! target never rounded across it.

use std::path::Path;

mod common;
use common::run;
use scraper::{Html, Selector};

const SAMPLE: &str = "sample-data/complaints-export.csv";
const CONFIG: &str = "sample-data/complaints.toml";
const FIXTURE: &str = "tests/cases/metrics-fixture/cases.csv";
const FIXTURE_CONFIG: &str = "tests/cases/metrics-fixture/complaints.toml";

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text_of(html: &str) -> String {
    Html::parse_document(html).root_element().text().collect::<Vec<_>>().join(" ")
}

/// The evidence and comply cells of one provision's row (cells: requirement, comply, evidence,
/// commentary).
fn row(html: &str, number: &str) -> (String, String) {
    let doc = Html::parse_document(html);
    let tr = doc
        .select(&sel("table.form tbody tr"))
        .find(|tr| tr.select(&sel("th")).next().unwrap().text().collect::<String>() == number)
        .unwrap_or_else(|| panic!("no row {number}"));
    let cells: Vec<String> = tr.select(&sel("td")).map(|td| td.text().collect()).collect();
    (cells[2].clone(), cells[1].clone())
}

fn self_assessment(dir: &Path, cases: &str, config: &str, answers: &str, extra: &[&str]) -> (i32, String, String) {
    let out = dir.join("sa");
    let mut args = vec!["self-assessment", cases, "--config", config, "--year", "2024/25", "--answers", answers];
    args.extend(extra);
    args.extend(["--out", out.to_str().unwrap()]);
    let (code, _, err) = run(&args);
    let page = std::fs::read_to_string(out.join("self-assessment.html")).unwrap_or_default();
    (code, err, page)
}

#[test]
fn the_final_self_assessment_needs_actions_and_carries_no_internal_notes() {
    let dir = tempfile::tempdir().unwrap();
    // The sample answers with every action taken out.
    let full = std::fs::read_to_string("sample-data/answers.toml").unwrap();
    let mut stripped = String::new();
    let mut skipping = false;
    for line in full.lines() {
        if line.starts_with("actions = [") {
            skipping = !line.trim_end().ends_with(']');
            continue;
        }
        if skipping {
            skipping = line.trim() != "]";
            continue;
        }
        stripped.push_str(line);
        stripped.push('\n');
    }
    let bare = dir.path().join("bare.toml");
    std::fs::write(&bare, stripped).unwrap();
    let (code, err, _) = self_assessment(dir.path(), SAMPLE, CONFIG, bare.to_str().unwrap(), &["--final"]);
    assert_eq!(code, 2, "{err}");
    for p in ["5.10", "5.11", "6.2", "6.3", "6.4", "6.5", "6.13", "7.3"] {
        assert!(err.contains(p), "{p} named: {err}");
    }
    assert_eq!(err.trim().lines().count(), 1);

    // A provision left unanswered stops a final form too.
    let one = dir.path().join("one.toml");
    std::fs::write(&one, "[answers.\"1.2\"]\ncomply = \"yes\"\n").unwrap();
    let (code, err, _) = self_assessment(dir.path(), SAMPLE, CONFIG, one.to_str().unwrap(), &["--final"]);
    assert_eq!(code, 2);
    assert!(err.contains("1.3, 1.4,") && err.contains("have no answer") && !err.contains("1.1,"), "{err}");

    // With the sample's actions: a page to publish.
    let (code, err, page) = self_assessment(dir.path(), SAMPLE, CONFIG, "sample-data/answers.toml", &["--final"]);
    assert_eq!(code, 0, "{err}");
    let text = text_of(&page);
    for never in [
        "Check:",
        "complaints annual-report",
        "Not in the data:",
        "DRAFT",
        "rows read",
        "rejected",
        "complaints-export.csv",
    ] {
        assert!(!text.contains(never), "the final form shows {never:?}");
    }
    assert!(text.contains("Action: Monthly report of remedies past their agreed date"));
    let (evidence, _) = row(&page, "8.1");
    assert!(evidence.contains("published on 30 September 2025 at https://www.northvale.example"), "{evidence}");
    // 6.14's late stage 2 responses are shown with their count, though above the threshold.
    let (evidence, _) = row(&page, "6.14");
    assert!(evidence.contains("Shortfall: 11 of 152 stage 2 responses were late (7.2%)."), "{evidence}");

    // The draft says it is one, on every page.
    let (code, err, page) = self_assessment(dir.path(), SAMPLE, CONFIG, "sample-data/answers.toml", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(page.contains("class=\"nfp\"") && text_of(&page).contains("DRAFT"));
    assert!(text_of(&page).contains("Check: Answered Yes, but the data shows"));
}

#[test]
fn evidence_sits_on_the_provision_it_speaks_to() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("a.toml");
    std::fs::write(&answers, "").unwrap();
    let (code, err, page) = self_assessment(dir.path(), FIXTURE, FIXTURE_CONFIG, answers.to_str().unwrap(), &[]);
    assert_eq!(code, 0, "{err}");
    // 2.4: complaints not accepted in 2024/25 — C15 (legal proceedings) and C16 (no reason); N2 is
    // in 2025/26.
    let (evidence, _) = row(&page, "2.4");
    assert!(
        evidence.contains("Complaints not accepted in 2024/25: 2; with the reason recorded: 50.0% (1 of 2)."),
        "{evidence}"
    );
    assert!(evidence.contains("1 of 2 complaints not accepted have no reason recorded"), "{evidence}");
    // 6.9 and 6.19 say what the data cannot show, with no proxy figure.
    for p in ["6.9", "6.19"] {
        let (evidence, _) = row(&page, p);
        assert!(evidence.contains("cannot show what a response letter says"), "{p}: {evidence}");
        assert!(!evidence.contains("outcome recorded"), "{p}: {evidence}");
    }
    // 5.13, 6.6 and 6.17: no remedy figure (that is 7.3's).
    for p in ["5.13", "6.6", "6.17"] {
        let (evidence, _) = row(&page, p);
        assert!(!evidence.contains("Remedies"), "{p}: {evidence}");
    }
}

#[test]
fn remedies_by_their_due_date_on_7_3() {
    let dir = tempfile::tempdir().unwrap();
    // Four remedies due in 2024/25: R1 done early, R2 done on the day, R3 done late, R4 not done
    // by 31 March 2025; R5 is due in 2025/26.
    let cases = dir.path().join("r.csv");
    std::fs::write(
        &cases,
        "Case Ref,Date Received,Remedy Due,Remedy Completed\n\
         R1,2024-05-01,2024-06-10,2024-06-01\n\
         R2,2024-05-01,2024-07-10,2024-07-10\n\
         R3,2024-05-01,2024-08-10,2024-09-01\n\
         R4,2024-05-01,2025-02-10,\n\
         R5,2024-05-01,2025-05-10,2025-05-01\n",
    )
    .unwrap();
    let answers = dir.path().join("a.toml");
    std::fs::write(&answers, "[answers.\"7.3\"]\ncomply = \"yes\"\n").unwrap();
    let (code, err, page) =
        self_assessment(dir.path(), cases.to_str().unwrap(), FIXTURE_CONFIG, answers.to_str().unwrap(), &[]);
    assert_eq!(code, 0, "{err}");
    let (evidence, _) = row(&page, "7.3");
    assert!(
        evidence.contains("Remedies due in 2024/25: 50.0% (2 of 4) carried out by their due date, 1 late, 1 not recorded as done by 31 March 2025."),
        "{evidence}"
    );
    assert!(
        evidence.contains("Shortfall: 2 of 4 remedies were not carried out by their due date (50.0%)."),
        "{evidence}"
    );
    assert!(evidence.contains("Check: Answered Yes"), "below the threshold, a declared Yes is flagged");
}

#[test]
fn lessons_are_truthful_and_the_board_sees_one_scope_per_figure() {
    let dir = tempfile::tempdir().unwrap();
    // Closed in 2025/26 Q4 (as-of 31 March 2026): L1 in progress, due 20 February 2026 (running
    // late); L2 complete, due 10 April 2026 (done: no completion date is claimed); L3 planned, due
    // 30 June 2026. O1 closed in 2024 with an action open since 2024 (overdue, outside the quarter).
    let cases = dir.path().join("l.csv");
    std::fs::write(
        &cases,
        "Case Ref,Date Received,S1 Ack Date,Stage 1 Response Sent,Stage 1 Outcome,Service Area,Lesson Learned,What We Changed,Action Owner,Lesson Due Date,Action Status,Approved for Publication\n\
         L1,2026-01-05,2026-01-06,2026-01-16,Upheld,Staff conduct,Visits were not courteous,All frontline staff take refreshed customer care training,People Team,2026-02-20,In progress,Yes\n\
         L2,2026-01-05,2026-01-06,2026-01-16,Upheld,Repairs,Parts were not checked,Operatives record parts ordered,Repairs Team,2026-04-10,Complete,Yes\n\
         L3,2026-01-05,2026-01-06,2026-01-16,Upheld,Lettings,Homes let with repairs,A checklist before keys,Lettings,2026-06-30,Planned,Yes\n\
         O1,2024-06-03,2024-06-04,2024-06-14,Upheld,Repairs,Old lesson,Old action,Repairs Team,2024-09-03,In progress,Yes\n",
    )
    .unwrap();
    let out = dir.path().join("l");
    let (code, _, err) =
        run(&["lessons", cases.to_str().unwrap(), "--period", "2025/26 Q4", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let page = text_of(&std::fs::read_to_string(out.join("lessons.html")).unwrap());
    assert!(
        page.contains("Running late : it was due 20 February 2026")
            || page.contains("Running late: it was due 20 February 2026"),
        "{page}"
    );
    assert!(page.contains("What we are changing All frontline staff"), "tense follows the status: {page}");
    assert!(page.contains("What we changed Operatives record parts ordered"));
    assert!(page.contains("Done ."), "{page}");
    assert!(!page.contains("Completed by"), "a due date is never written as a completion date");
    assert!(page.contains("Planned . Due by 30 June 2026"), "{page}");
    assert!(page.contains("You told us about problems with staff conduct."));

    let board = dir.path().join("b");
    let (code, _, err) =
        run(&["report", cases.to_str().unwrap(), "--period", "2025/26 Q4", "--out", board.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(board.join("board-report.html")).unwrap();
    let doc = Html::parse_document(&html);
    let table = doc
        .select(&sel("table"))
        .find(|t| t.text().collect::<String>().contains("Every lesson action overdue"))
        .expect("the overdue table");
    let rows: Vec<String> = table.select(&sel("tbody tr")).map(|r| r.text().collect()).collect();
    // L1 (this quarter) and O1 (2024): overdue; L2 (complete) and L3 (not yet due): not.
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.iter().any(|r| r.contains("All frontline staff")) && rows.iter().any(|r| r.contains("Old action")));
    assert!(!rows.iter().any(|r| r.contains("Operatives record parts")));
    let sentence_all: usize =
        doc.select(&sel(".all-overdue")).next().unwrap().text().collect::<String>().parse().unwrap();
    assert_eq!(sentence_all, rows.len(), "the sentence and the table count the same actions");
    let text = text_of(&html);
    assert!(text.contains("of their actions, 1 was overdue on 31 March 2026"), "this quarter's lessons: L1 only");
}

#[test]
fn a_figure_within_a_point_of_its_target_keeps_its_decimal() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a");
    let (code, _, err) = run(&[
        "annual-report",
        SAMPLE,
        "--config",
        CONFIG,
        "--year",
        "2024/25",
        "--as-of",
        "2025-03-31",
        "--answers",
        "sample-data/answers.toml",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let text = text_of(&std::fs::read_to_string(out.join("annual-report.html")).unwrap());
    // 89.8% of 2024/25's stage 1 responses were within timescale, against a 90% target.
    assert!(text.contains("to 89.8% this year") || text.contains("89.8% of stage 1 responses"), "{text}");
    assert!(!text.contains("to 90% this year"));
}
