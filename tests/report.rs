//! The Board report: it parses, every chart carries its text alternative and data, the headline
//! figures equal metrics.json, input text is escaped, output is byte-identical run to run, and
//! inputs are never overwritten.

use std::path::{Path, PathBuf};

mod common;
use common::run;
use scraper::{Html, Selector};

const CASES: &str = "tests/cases/metrics-fixture/cases.csv";
const CONFIG: &str = "tests/cases/metrics-fixture/complaints.toml";

fn report(files: &[&str], config: &str, period: &str, out: &Path) {
    let mut args = vec!["report"];
    args.extend(files);
    args.extend(["--config", config, "--period", period, "--out", out.to_str().unwrap()]);
    let (code, _, err) = run(&args);
    assert_eq!(code, 0, "{err}");
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

#[test]
fn charts_have_text_alternatives_and_data() {
    let dir = tempfile::tempdir().unwrap();
    report(&[CASES], CONFIG, "2024/25 Q2", dir.path());
    let html = std::fs::read_to_string(dir.path().join("board-report.html")).unwrap();
    let doc = Html::parse_document(&html);
    assert_eq!(doc.root_element().value().attr("lang"), Some("en-GB"));
    let figures: Vec<_> = doc.select(&sel("figure")).collect();
    // Volumes, stage 1 and 2 timeliness, resolution, two response-time histograms, categories.
    assert_eq!(figures.len(), 7, "{:?}", figures.iter().map(|f| f.value().attr("id")).collect::<Vec<_>>());
    for f in figures {
        let id = f.value().attr("id").unwrap();
        let svg = f.select(&sel("svg")).next().unwrap_or_else(|| panic!("{id}: no svg"));
        assert_eq!(svg.value().attr("role"), Some("img"), "{id}");
        let labelled = svg.value().attr("aria-labelledby").unwrap();
        let title = svg.select(&sel("title")).next().unwrap_or_else(|| panic!("{id}: no title"));
        let desc = svg.select(&sel("desc")).next().unwrap_or_else(|| panic!("{id}: no desc"));
        assert!(
            labelled.contains(title.value().attr("id").unwrap()) && labelled.contains(desc.value().attr("id").unwrap())
        );
        assert!(
            !title.text().collect::<String>().trim().is_empty() && desc.text().collect::<String>().len() > 20,
            "{id}"
        );
        let rows = f.select(&sel("details table tbody tr")).count();
        assert!(rows > 0, "{id}: no data table");
    }
    // Self-contained: no external references, no script.
    for bad in ["<script", "src=\"http", "href=\"http", "url(http", "<link", "@import", "<iframe"] {
        assert!(!html.contains(bad), "{bad}");
    }
}

#[test]
fn headline_figures_equal_metrics_json() {
    let dir = tempfile::tempdir().unwrap();
    report(&[CASES], CONFIG, "2024/25 Q2", dir.path());
    let html = std::fs::read_to_string(dir.path().join("board-report.html")).unwrap();
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("metrics.json")).unwrap()).unwrap();
    let doc = Html::parse_document(&html);
    let tiles: Vec<(String, String)> = doc
        .select(&sel(".tile"))
        .map(|t| {
            let label = t.select(&sel(".label")).next().unwrap().text().collect::<String>();
            let value = t.select(&sel(".value")).next().unwrap().text().collect::<String>();
            (label, value)
        })
        .collect();
    let tile = |label: &str| {
        tiles
            .iter()
            .find(|(l, _)| l.starts_with(label))
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("{label} in {tiles:?}"))
    };
    let s1 = &m["stages"][0];
    let s2 = &m["stages"][1];
    let pct = |num: &serde_json::Value, den: &serde_json::Value| {
        format!("{:.1}%", num.as_f64().unwrap() * 100.0 / den.as_f64().unwrap())
    };
    assert_eq!(tile("Stage 1 complaints received"), s1["received"].to_string());
    assert_eq!(tile("Stage 1 responses within timescale"), pct(&s1["within_timescale"], &s1["responses"]));
    assert_eq!(tile("Stage 1 acknowledged"), format!("{:.1}%", s1["ack_on_time"]["pct"].as_f64().unwrap()));
    assert_eq!(tile("Stage 2 responses within timescale"), pct(&s2["within_timescale"], &s2["responses"]));
    assert_eq!(
        tile("Complaints resolved at stage 1"),
        format!("{:.1}%", m["resolution"]["1"]["pct"].as_f64().unwrap())
    );
    let open = s1["open"].as_u64().unwrap() + s2["open"].as_u64().unwrap();
    assert_eq!(tile("Open complaints"), open.to_string());
    // The hand-checked fixture values, to be sure both sides are right.
    assert_eq!(
        (tile("Stage 1 responses within timescale"), tile("Stage 1 complaints received")),
        ("82.4%".to_string(), "25".to_string())
    );
    // TSM table carries the same CH01 figure as metrics.json.
    assert!(html.contains(&format!("{:.1}", m["tsm"]["ch01"]["stage1"]["combined"]["per_1000"].as_f64().unwrap())));
}

#[test]
fn input_text_is_escaped_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let evil = "<script>alert(1)</script>";
    let csv = format!(
        "Case Ref,Date Received,Category,Channel,Not Accepted,Reason Not Accepted,S1 Ack Date,Stage 1 Response Sent,Stage 1 Outcome,Escalation Requested,Escalation Refused,Escalation Refusal Reason,Lesson Learned,What We Changed,Action Owner,Action Status,Lesson Due Date,Ward,Customer Ref\n\
         E1,01/07/2024,{evil},{evil},,,02/07/2024,10/07/2024,Upheld,15/07/2024,Yes,{evil},{evil},{evil},{evil},{evil},01/08/2024,{evil},T900001\n\
         E2,02/07/2024,{evil},Phone,Yes,{evil},,,,,,,,,,,,,T900001\n"
    );
    let cases = dir.path().join("evil.csv");
    std::fs::write(&cases, csv).unwrap();
    let cfg = dir.path().join("evil.toml");
    std::fs::write(&cfg, format!("landlord = \"{evil}\"\n[text]\ncommentary = \"{evil}\"\n")).unwrap();
    let out = dir.path().join("out");
    report(&[cases.to_str().unwrap()], cfg.to_str().unwrap(), "2024/25 Q2", &out);
    let html = std::fs::read_to_string(out.join("board-report.html")).unwrap();
    assert!(!html.contains("<script"), "unescaped input in the report");
    let escaped = html.matches("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;").count()
        + html.matches("&lt;script&gt;alert(1)&lt;/script&gt;").count();
    // Landlord (title and cover), commentary, category (tables and chart), channel, reasons, lesson fields.
    assert!(escaped >= 8, "escaped {escaped} times");
    // The pseudonymised repeat table never shows a complainant reference.
    assert!(!html.contains("T900001"));
    let metrics_csv = std::fs::read_to_string(out.join("metrics.csv")).unwrap();
    assert!(!metrics_csv.lines().any(|l| l.split(',').any(|c| c.starts_with('='))));
}

#[test]
fn same_inputs_give_byte_identical_output() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    report(&[CASES], CONFIG, "2024/25 Q2", &a);
    report(&[CASES], CONFIG, "2024/25 Q2", &b);
    for name in complaints::cmd::report::OUTPUTS {
        let x = std::fs::read(a.join(name)).unwrap();
        let y = std::fs::read(b.join(name)).unwrap();
        assert!(x == y, "{name} differs");
    }
}

#[test]
fn never_writes_over_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("metrics.json");
    std::fs::copy(CASES, &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    // An output folder whose metrics.json is an input.
    let (code, _, err) =
        run(&["report", input.to_str().unwrap(), "--period", "2024/25 Q2", "--out", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("input"), "{err}");
    // --out naming the input file itself.
    let (code, _, err) =
        run(&["report", input.to_str().unwrap(), "--period", "2024/25 Q2", "--out", input.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn default_period_is_the_latest_complete_quarter_and_templates_override() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(templates.join("board-report.html.tera"), "{% extends \"base.html.tera\" %}{% block title %}Custom {{ r.period.label }}{% endblock title %}{% block body %}<p>{{ r.landlord }}</p>{% endblock body %}").unwrap();
    let out = dir.path().join("out");
    let (code, stdout, err) = run(&[
        "report",
        "sample-data/complaints-export.csv",
        "--config",
        "sample-data/complaints.toml",
        "--templates",
        templates.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("board-report.html"));
    let html = std::fs::read_to_string(out.join("board-report.html")).unwrap();
    // The sample's last complaints were received in March 2026.
    let doc = Html::parse_document(&html);
    let title: String = doc.select(&sel("title")).next().unwrap().text().collect();
    assert_eq!(title, "Custom 2025/26 Q4");
    assert_eq!(doc.select(&sel("body p")).next().unwrap().text().collect::<String>(), "Northvale Homes");
    let paths: Vec<PathBuf> = complaints::cmd::report::OUTPUTS.iter().map(|n| out.join(n)).collect();
    assert!(paths.iter().all(|p| p.exists()));
}

/// An export with a row per stage: the appendix says how many duplicate rows are at another
/// stage and what to export instead; the stage values as written are escaped.
#[test]
fn the_appendix_explains_rows_per_stage() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("stages.csv");
    std::fs::write(
        &cases,
        "Case Ref,Stage,Date Received,Response Date\nC1,Stage 1,01/04/2024,10/04/2024\nC2,Stage 1,02/04/2024,\nC1,<i>Stage 2</i>,20/04/2024,10/05/2024\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    report(&[cases.to_str().unwrap()], CONFIG, "2024/25 Q1", &out);
    let html = std::fs::read_to_string(out.join("board-report.html")).unwrap();
    let text = Html::parse_document(&html).root_element().text().collect::<String>();
    assert!(text.contains("1 of the duplicate rows is at another stage than the row used"), "{text}");
    assert!(text.contains("“Stage 1”, then “<i>Stage 2</i>”") && !html.contains("<i>Stage 2"), "escaped");
    // The row used for C1 names stage 2 and has no stage 2 date.
    assert!(text.contains("1 row names a later stage than any date it has"), "{text}");
    assert!(text.contains("case C1, “<i>Stage 2</i>”, with no stage 2 date"), "{text}");
    // A file with no stage column says nothing of it.
    let plain = dir.path().join("plain");
    report(&[CASES], CONFIG, "2024/25 Q2", &plain);
    let html = std::fs::read_to_string(plain.join("board-report.html")).unwrap();
    assert!(!html.contains("at another stage than the row used") && !html.contains("a later stage than any date"));
}

/// An export of every kind of case: the appendix counts the rows its kind-of-case column says are
/// not complaints, by kind (escaped), with the first case; the sample says nothing of it.
#[test]
fn the_appendix_names_rows_that_are_not_complaints() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("crm.csv");
    std::fs::write(
        &cases,
        "Case Ref,Case Type,Date Received,Response Date\nC1,Complaint,01/04/2024,10/04/2024\n\
         C2,<b>Compliment</b>,02/04/2024,\nC3,Service Request,03/04/2024,\nC4,Service Request,04/04/2024,\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    report(&[cases.to_str().unwrap()], CONFIG, "2024/25 Q1", &out);
    let html = std::fs::read_to_string(out.join("board-report.html")).unwrap();
    let text = Html::parse_document(&html).root_element().text().collect::<String>();
    assert!(text.contains("3 rows say they are not a complaint"), "{text}");
    assert!(
        text.contains("(column “Case Type”: “Service Request” 2, “<b>Compliment</b>” 1; the first is case C2)"),
        "{text}"
    );
    assert!(!html.contains("<b>Compliment"), "escaped");
    let plain = dir.path().join("plain");
    report(&[CASES], CONFIG, "2024/25 Q2", &plain);
    assert!(!std::fs::read_to_string(plain.join("board-report.html")).unwrap().contains("not a complaint"));
}

/// Below the bridge to the TSMs, a note says how a tenure outside them is counted when it is in
/// fact LCRA or LCHO: only when some tenure is outside them.
#[test]
fn the_tsm_bridge_says_how_to_count_a_tenure_outside_the_tsms() {
    let dir = tempfile::tempdir().unwrap();
    let note = "counted once the config says so under <code>[tenures]</code>";
    // The fixture has one Leasehold complaint.
    report(&[CASES], CONFIG, "2024/25 Q2", &dir.path().join("leasehold"));
    assert!(std::fs::read_to_string(dir.path().join("leasehold/board-report.html")).unwrap().contains(note));
    let lcra = dir.path().join("lcra.csv");
    std::fs::write(&lcra, "Case Ref,Date Received,Tenure\nC1,01/07/2024,LCRA\nC2,02/07/2024,LCHO\n").unwrap();
    report(&[lcra.to_str().unwrap()], CONFIG, "2024/25 Q2", &dir.path().join("lcra"));
    assert!(!std::fs::read_to_string(dir.path().join("lcra/board-report.html")).unwrap().contains(note));
}
