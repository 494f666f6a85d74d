//! Every published document goes through the redactor: the residents' lessons page, the annual
//! report and the self-assessment (both forms), with personal data planted in lesson and action
//! text, the reasons for not accepting and for refusing to escalate, category names, commentary
//! and evidence. None of it may be published, theme headings stay the category
//! names, and the public page carries no internal detail.

use std::collections::BTreeSet;
use std::path::Path;

mod common;
use common::run;
use scraper::{Html, Selector};

/// (kind, text with personal data, the secret) from the redaction table.
fn planted() -> Vec<(String, String)> {
    let table = std::fs::read_to_string("tests/cases/redaction/table.csv").unwrap();
    let mut r = csv::Reader::from_reader(table.as_bytes());
    r.records().map(|r| r.unwrap()).filter(|r| &r[0] != "keep").map(|r| (r[1].to_string(), r[2].to_string())).collect()
}

/// The planted rows of the kinds a pattern or a title recognises, which are removed even from a
/// category name (where no name heuristic runs: a scheme called "Victoria Park" is no person).
fn planted_patterns() -> Vec<(String, String)> {
    let table = std::fs::read_to_string("tests/cases/redaction/table.csv").unwrap();
    let mut r = csv::Reader::from_reader(table.as_bytes());
    r.records()
        .map(|r| r.unwrap())
        .filter(|r| ["email", "phone", "postcode", "ni", "title", "social"].contains(&&r[0]))
        .map(|r| (r[1].to_string(), r[2].to_string()))
        .collect()
}

/// The sample export with the planted text in the lessons and actions of every case that has one,
/// in the reasons for not accepting a complaint and for refusing an escalation, and in the
/// category of every fifth case.
fn plant(dir: &Path) -> String {
    let plants = planted();
    let text = std::fs::read_to_string("sample-data/complaints-export.csv").unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let (title, body) = lines.split_at(3);
    let body = body.join("\n");
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(body.as_bytes());
    let headers = r.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (lesson, action) = (col("Lesson Learned"), col("What We Changed"));
    let reasons = [col("Reason Not Accepted"), col("Escalation Refusal Reason")];
    let category = col("Service Area");
    let patterns = planted_patterns();
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    w.write_record(&headers).unwrap();
    let mut n = 0;
    for (row, rec) in r.records().enumerate() {
        let mut rec: Vec<String> = rec.unwrap().iter().map(str::to_string).collect();
        for (k, &reason) in reasons.iter().enumerate() {
            if rec.get(reason).is_some_and(|r| !r.is_empty()) {
                rec[reason] = format!("{} {}", rec[reason], plants[(row + k) % plants.len()].0);
            }
        }
        if row % 5 == 0 {
            rec[category] = format!("{} {}", rec[category], patterns[row / 5 % patterns.len()].0);
        }
        if rec.get(lesson).is_some_and(|l| !l.is_empty()) {
            rec[lesson] = format!("{} {}", rec[lesson], plants[n % plants.len()].0);
            rec[action] = format!("{} {}", rec[action], plants[(n + 7) % plants.len()].0);
            n += 1;
        }
        w.write_record(&rec).unwrap();
    }
    let out = format!("{}\n{}", title.join("\n"), String::from_utf8(w.into_inner().unwrap()).unwrap());
    let path = dir.join("planted.csv");
    std::fs::write(&path, out).unwrap();
    path.to_str().unwrap().to_string()
}

/// The sample answers with planted text in the evidence, commentary and the governing body's
/// response.
fn answers(dir: &Path) -> String {
    let plants = planted();
    let mut text = std::fs::read_to_string("sample-data/answers.toml").unwrap();
    let mut i = 0;
    for key in ["evidence = \"", "commentary = \""] {
        let mut out = String::new();
        for (k, part) in text.split(key).enumerate() {
            if k > 0 {
                out.push_str(key);
                out.push_str(&plants[i % plants.len()].0.replace('"', "'"));
                out.push(' ');
                i += 1;
            }
            out.push_str(part);
        }
        text = out;
    }
    text = text.replacen(
        "governing_body_response = \"",
        "governing_body_response = \"Mrs Patel (tenant, DOB 01/02/1980) told the Board. ",
        1,
    );
    let path = dir.join("answers.toml");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn visible_text(html: &str) -> String {
    Html::parse_document(html).root_element().text().collect::<Vec<_>>().join(" ")
}

fn assert_nothing_published(page: &str, what: &str) {
    let text = visible_text(page);
    for (planted, secret) in planted() {
        let secret = secret.replace('"', "'");
        assert!(!text.contains(&secret) && !page.contains(&secret), "{what} published {secret:?} (from {planted:?})");
    }
    assert!(!text.contains("Patel") && !text.contains("01/02/1980"), "{what}");
    assert!(text.matches("[removed]").count() >= 3, "{what}: the planted text reached the page, redacted");
}

#[test]
fn no_planted_personal_data_in_any_published_document() {
    let dir = tempfile::tempdir().unwrap();
    let cases = plant(dir.path());
    let answers = answers(dir.path());
    let out = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    let cfg = "sample-data/complaints.toml";

    let (code, _, err) = run(&["lessons", &cases, "--config", cfg, "--period", "2025/26", "--out", &out("l")]);
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(dir.path().join("l/lessons.html")).unwrap();
    assert_nothing_published(&page, "lessons page");
    assert!(!page.contains("planted.csv") && !page.contains("rejected"), "no internal detail on the public page");

    let (code, _, err) = run(&[
        "annual-report",
        &cases,
        "--config",
        cfg,
        "--year",
        "2024/25",
        "--answers",
        &answers,
        "--out",
        &out("a"),
    ]);
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(dir.path().join("a/annual-report.html")).unwrap();
    assert_nothing_published(&page, "annual report");
    assert!(!page.contains("planted.csv"), "no file names in the published annual report");

    for form in ["code-2024", "seed-2020"] {
        let (code, _, err) = run(&[
            "self-assessment",
            &cases,
            "--config",
            cfg,
            "--year",
            "2024/25",
            "--answers",
            &answers,
            "--form",
            form,
            "--out",
            &out(form),
        ]);
        assert_eq!(code, 0, "{err}");
        let page = std::fs::read_to_string(dir.path().join(form).join("self-assessment.html")).unwrap();
        assert_nothing_published(&page, form);
    }
}

#[test]
fn theme_headings_are_the_category_names_whatever_the_owners_are_called() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("l");
    // The sample's owners include "Estate Services" and its categories "Estate services".
    let (code, _, err) = run(&[
        "lessons",
        "sample-data/complaints-export.csv",
        "--config",
        "sample-data/complaints.toml",
        "--period",
        "2025/26",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(out.join("lessons.html")).unwrap();
    let doc = Html::parse_document(&page);
    let headings: BTreeSet<String> =
        doc.select(&Selector::parse("section.theme h3").unwrap()).map(|h| h.text().collect()).collect();
    assert!(headings.contains("Estate services"), "{headings:?}");
    assert!(!page.contains("[removed]"), "nothing in the sample lessons is personal data");
    let (_, json, _) = run(&[
        "metrics",
        "sample-data/complaints-export.csv",
        "--config",
        "sample-data/complaints.toml",
        "--period",
        "2025/26",
        "--format",
        "json",
    ]);
    let m: serde_json::Value = serde_json::from_str(&json).unwrap();
    let categories: BTreeSet<String> =
        m["by_category"].as_array().unwrap().iter().map(|c| c["category"].as_str().unwrap().to_string()).collect();
    assert!(headings.is_subset(&categories), "{headings:?} ⊄ {categories:?}");
}
