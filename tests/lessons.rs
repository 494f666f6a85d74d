//! The published lessons page: planted personal data never appears, small counts are suppressed,
//! unapproved lessons stay out unless asked for (and then every page is marked), and the page is
//! escaped and deterministic.

use std::path::Path;

mod common;
use common::run;

/// Personal data planted in every free-text field of the fixture.
const PLANTED: [&str; 13] = [
    "jane.doe@example.co.uk",
    "j.smith+complaints@mail.example.org",
    "07700 900123",
    "+44 7700 900456",
    "0121 496 0000",
    "(020) 7946 0999",
    "LS1 4AP",
    "sw1a 1aa",
    "14 Acacia Avenue",
    "TEN-004512",
    "T100234",
    "CMP-PLANT-9",
    "J. Okafor",
];

/// Eight closed complaints in July 2024: six with published lessons (five about repairs, one about
/// damp and mould) and two unapproved.
fn fixture(dir: &Path) -> (String, String) {
    let mut csv = String::from("Case Ref,Customer Ref,Date Received,Category,S1 Ack Date,Stage 1 Response Sent,Stage 1 Outcome,Stage 1 Officer,Lesson Learned,What We Changed,Action Owner,Lesson Due Date,Action Status,Approved for Publication\n");
    let lesson = "Jane (jane.doe@example.co.uk, 07700 900123, +44 7700 900456) at 14 Acacia Avenue, LS1 4AP, tenancy TEN-004512, was not called back by J. Okafor";
    let action = "Housing Team North now call within 2 working days; escalations to 0121 496 0000 or (020) 7946 0999; case CMP-PLANT-9 for T100234 at sw1a 1aa reviewed; email j.smith+complaints@mail.example.org";
    for i in 0..8 {
        let (id, who) = if i == 0 {
            ("CMP-PLANT-9".to_string(), "T100234".to_string())
        } else {
            (format!("C{i}"), format!("P{i}"))
        };
        let category = if i == 5 { "Damp and mould" } else { "Repairs" };
        let publish = if i < 6 { "Yes" } else { "No" };
        let secret = if i >= 6 { "UNAPPROVED LESSON TEXT" } else { lesson };
        csv.push_str(&format!(
            "{id},{who},0{}/07/2024,{category},0{}/07/2024,1{}/07/2024,Upheld,J. Okafor,\"{secret}\",\"{action}\",Housing Team North,01/09/2024,In progress,{publish}\n",
            i + 1,
            i + 1,
            i + 1
        ));
    }
    let cases = dir.join("cases.csv");
    std::fs::write(&cases, csv).unwrap();
    let cfg = dir.join("complaints.toml");
    std::fs::write(&cfg, "landlord = \"Fixture Homes\"\nsmall_number = 5\nredact_patterns = ['\\bTEN-\\d{6}\\b']\n")
        .unwrap();
    (cases.to_str().unwrap().to_string(), cfg.to_str().unwrap().to_string())
}

fn page(dir: &Path, extra: &[&str]) -> String {
    let (cases, cfg) = fixture(dir);
    let out = dir.join("out");
    let mut args = vec![
        "lessons",
        cases.as_str(),
        "--config",
        cfg.as_str(),
        "--period",
        "2024/25 Q2",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    let (code, _, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    std::fs::read_to_string(out.join("lessons.html")).unwrap()
}

#[test]
fn no_planted_personal_data_reaches_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let html = page(dir.path(), &[]);
    assert!(html.contains("What we found"), "the lessons are there");
    assert!(html.contains("[removed]"));
    for planted in PLANTED {
        assert!(!html.to_lowercase().contains(&planted.to_lowercase()), "{planted} reached the page");
        // Nor escaped forms of it.
        assert!(!html.contains(&planted.replace('+', "&#x2B;").replace('/', "&#x2F;")), "{planted}");
    }
    // "Housing Team North", the lessons' owner, is a team, not a person: not removed.
    assert!(html.contains("Housing Team North now call"));
    // Even with the unapproved lessons included, nothing planted gets through.
    let dir = tempfile::tempdir().unwrap();
    let html = page(dir.path(), &["--include-unapproved"]);
    for planted in PLANTED {
        assert!(!html.to_lowercase().contains(&planted.to_lowercase()), "{planted} reached the internal copy");
    }
}

#[test]
fn small_counts_are_suppressed() {
    let dir = tempfile::tempdir().unwrap();
    let html = page(dir.path(), &[]);
    // Eight complaints received: shown. Damp and mould: one complaint, so "fewer than 5".
    assert!(html.contains("<p class=\"value\">8</p>"), "{html}");
    assert!(html.contains("You told us about problems with damp and mould."), "{html}");
    assert!(!html.contains("1 complaints about damp"));
    assert!(html.contains("Complaints about this received this period: fewer than 5."));
    assert!(html.contains("5 complaints about repairs"));
    // Eight responses, all on time: a percentage of 8 of 8 is shown; resolution likewise.
    assert!(html.contains("100%"));
    assert!(!html.contains("(1 complaints)") && !html.contains(">1<"));
}

#[test]
fn unapproved_lessons_only_on_request_and_then_marked() {
    let dir = tempfile::tempdir().unwrap();
    let html = page(dir.path(), &[]);
    assert!(!html.contains("UNAPPROVED LESSON TEXT"));
    assert!(!html.contains("NOT FOR PUBLICATION"));
    let dir = tempfile::tempdir().unwrap();
    let html = page(dir.path(), &["--include-unapproved"]);
    assert!(html.contains("UNAPPROVED LESSON TEXT"));
    assert!(html.contains("<div class=\"nfp\" role=\"note\">NOT FOR PUBLICATION"));
    assert!(html.contains("<title>NOT FOR PUBLICATION"));
    // Repeated on every printed page: the mark is fixed in print.
    assert!(html.contains(".nfp { position: fixed;"));
}

#[test]
fn escaped_and_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("x.csv");
    std::fs::write(&cases, "Case Ref,Date Received,Category,Stage 1 Response Sent,Lesson Learned,What We Changed,Approved for Publication\nA,01/07/2024,<script>alert(1)</script>,05/07/2024,<b>bold</b> <script>alert(2)</script>,<img src=x onerror=alert(3)>,yes\n").unwrap();
    let mut outputs = Vec::new();
    for sub in ["a", "b"] {
        let out = dir.path().join(sub);
        let (code, _, err) =
            run(&["lessons", cases.to_str().unwrap(), "--period", "2024/25 Q2", "--out", out.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        outputs.push(std::fs::read(out.join("lessons.html")).unwrap());
    }
    assert!(outputs[0] == outputs[1], "not byte-identical");
    let html = String::from_utf8(outputs.pop().unwrap()).unwrap();
    for bad in ["<script", "<img", "<b>"] {
        assert!(!html.contains(bad), "{bad}");
    }
    assert!(html.contains("&lt;img"));
}
