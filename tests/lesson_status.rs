//! One rule for "is this lesson action done?", normalised at ingest: a `Completed` (or `Done`,
//! `Closed`) action past its due date is overdue nowhere — not in metrics.json, metrics.csv, the
//! Board report, the residents' page or the self-assessment — while an `In progress` one is.

use std::path::Path;

mod common;
use common::run;
use scraper::{Html, Selector};

const CSV: &str = "\
Case Ref,Date Received,S1 Ack Date,Stage 1 Response Sent,Stage 1 Outcome,Service Area,Lesson Learned,What We Changed,Action Owner,Lesson Due Date,Action Status,Approved for Publication
C1,01/07/2024,02/07/2024,10/07/2024,Upheld,Repairs,Lesson one,Action one,Repairs Team,01/08/2024,Completed,Yes
C2,01/07/2024,02/07/2024,10/07/2024,Upheld,Repairs,Lesson two,Action two,Repairs Team,01/08/2024,In progress,Yes
C3,01/07/2024,02/07/2024,10/07/2024,Upheld,Repairs,Lesson three,Action three,Repairs Team,01/08/2024,DONE,Yes
C4,01/07/2024,02/07/2024,10/07/2024,Upheld,Repairs,Lesson four,Action four,Repairs Team,01/08/2024,closed,Yes
";

fn setup(dir: &Path) -> String {
    let path = dir.join("cases.csv");
    std::fs::write(&path, CSV).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn a_completed_action_past_its_due_date_is_overdue_nowhere() {
    let dir = tempfile::tempdir().unwrap();
    let cases = setup(dir.path());
    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_string();

    // metrics.json and metrics.csv (written by the Board report).
    let (code, _, err) = run(&["report", &cases, "--period", "2024/25 Q2", "--out", &out("board")]);
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("board/metrics.json")).unwrap()).unwrap();
    assert_eq!(json["lessons"]["recorded"], 4);
    assert_eq!(json["lessons"]["overdue"], 1, "only C2 (in progress) is overdue");
    let csv = std::fs::read_to_string(dir.path().join("board/metrics.csv")).unwrap();
    assert!(csv.lines().any(|l| l == "lesson_actions_overdue,,,,,1"), "{csv}");

    // The Board report: the overdue table lists C2's action alone.
    let html = std::fs::read_to_string(dir.path().join("board/board-report.html")).unwrap();
    let doc = Html::parse_document(&html);
    let overdue_table = doc
        .select(&Selector::parse("table").unwrap())
        .find(|t| t.text().collect::<String>().contains("Every lesson action overdue on"))
        .expect("the overdue actions table");
    let rows: Vec<String> =
        overdue_table.select(&Selector::parse("tbody tr").unwrap()).map(|r| r.text().collect()).collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].contains("Action two"));

    // The residents' page: three actions done, one in progress past its due date (running late).
    let (code, _, err) = run(&["lessons", &cases, "--period", "2024/25 Q2", "--out", &out("lessons")]);
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(dir.path().join("lessons/lessons.html")).unwrap();
    assert_eq!(page.matches("<strong>Done</strong>").count(), 3, "{page}");
    assert_eq!(page.matches("Running late</strong>").count(), 1);

    // The self-assessment's lessons evidence for the year.
    let answers = dir.path().join("answers.toml");
    std::fs::write(&answers, "").unwrap();
    let (code, _, err) = run(&[
        "self-assessment",
        &cases,
        "--year",
        "2024/25",
        "--answers",
        answers.to_str().unwrap(),
        "--out",
        &out("sa"),
    ]);
    assert_eq!(code, 0, "{err}");
    let sa = std::fs::read_to_string(dir.path().join("sa/self-assessment.html")).unwrap();
    assert!(sa.contains("overdue at 31 March 2025: 1."), "{sa}");
}
