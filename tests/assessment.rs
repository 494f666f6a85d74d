//! The self-assessment form, the annual report and tsm.csv: the provision list, evidence figures
//! equal to the metrics, contradictions flagged, unanswered provisions shown plainly, unknown
//! provisions refused, escaping and validity of the page.

use std::path::{Path, PathBuf};

mod common;
use common::run;
use complaints::config::Profile;
use complaints::metrics::{compute, Request};
use complaints::period::Period;
use complaints::Inputs;
use scraper::{Html, Selector};

const CASES: &str = "tests/cases/metrics-fixture/cases.csv";
const CONFIG: &str = "tests/cases/metrics-fixture/complaints.toml";

/// Every provision of the 2024 Code, in order (tests/data/README.md names the source).
fn code_2024_provisions() -> Vec<String> {
    let text =
        std::fs::read_to_string("tests/data/code-2024-provisions.csv").expect("tests/data/code-2024-provisions.csv");
    text.lines().skip(1).map(|l| l.split(',').next().unwrap().to_string()).collect()
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// (provision, comply, evidence text) for every row of a rendered form.
fn rows(html: &str) -> Vec<(String, String, String)> {
    let doc = Html::parse_document(html);
    doc.select(&sel("table.form tbody tr"))
        .map(|tr| {
            let number = tr.select(&sel("th")).next().unwrap().text().collect::<String>();
            let cells: Vec<String> = tr.select(&sel("td")).map(|td| td.text().collect::<String>()).collect();
            (number, cells[1].clone(), cells[2].clone())
        })
        .collect()
}

#[test]
fn every_code_provision_appears_once_in_order() {
    let form = complaints::fs::load_form(complaints::render::assessment::FormName::Code2024, None).unwrap();
    let numbers: Vec<String> = form.provision.iter().map(|p| p.number.clone()).collect();
    let published = code_2024_provisions();
    assert_eq!(published.len(), 73, "the Code 2024 has 73 numbered provisions");
    assert_eq!(numbers, published);
    let sections: Vec<u32> = form.provision.iter().map(|p| p.section).collect();
    assert!(sections.windows(2).all(|w| w[0] <= w[1]) && sections.first() == Some(&1) && sections.last() == Some(&9));
}

fn answers(dir: &Path, body: &str) -> PathBuf {
    let p = dir.join("answers.toml");
    std::fs::write(&p, body).unwrap();
    p
}

#[test]
fn evidence_equals_the_metrics_and_contradictions_are_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let a = answers(
        dir.path(),
        "[assessment]\ncompleted_by = \"<script>alert(1)</script>\"\n\n[answers.\"6.2\"]\ncomply = \"yes\"\n\n[answers.\"6.3\"]\ncomply = \"yes\"\nevidence = \"Policy 4.1\"\ncommentary = \"<b>fine</b>\"\n\n[answers.\"6.11\"]\ncomply = \"no\"\n",
    );
    let out = dir.path().join("out");
    let (code, _, err) = run(&[
        "self-assessment",
        CASES,
        "--config",
        CONFIG,
        "--year",
        "2024/25",
        "--answers",
        a.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(out.join("self-assessment.html")).unwrap();
    assert!(!html.contains("<script") && !html.contains("<b>fine"), "escaped");
    let rows = rows(&html);
    assert_eq!(rows.len(), 73);

    let input = Inputs { files: vec![CASES.into()], config: Some(CONFIG.into()), ..Inputs::default() };
    let l = complaints::load(&input).unwrap();
    let year = Period::parse("2024/25", None).unwrap();
    let m = compute(&l, &Request { period: &year, profile: &Profile::code_2024(), by: None, trend: 0 }).unwrap();
    let find = |n: &str| rows.iter().find(|r| r.0 == n).unwrap().clone();
    let fmt = |num: u64, den: u64, pct: Option<f64>| format!("{:.1}% ({num} of {den})", pct.unwrap());

    let ack = m.stages[0].ack_on_time.unwrap();
    let (_, comply, text) = find("6.2");
    assert_eq!(comply, "Yes");
    assert!(text.contains(&fmt(ack.num, ack.den, ack.pct)), "{text}");

    let s1 = &m.stages[0];
    let within = complaints::metrics::model::Prop::new(s1.within_timescale, s1.responses);
    let (_, comply, text) = find("6.3");
    assert_eq!(comply, "Yes");
    assert!(text.contains(&format!("Within timescale: {}", fmt(within.num, within.den, within.pct))), "{text}");
    assert!(
        text.contains(&format!(
            "{} late",
            fmt(s1.late, s1.responses, complaints::metrics::model::Prop::new(s1.late, s1.responses).pct)
        )),
        "{text}"
    );
    // The fixture's year is below 90% within timescale, so the declared Yes is flagged with the figure.
    assert!(within.pct.unwrap() < 90.0);
    assert!(
        text.contains(&format!(
            "Check: Answered Yes, but the data shows {:.1}% of stage 1 responses were within timescale",
            within.pct.unwrap()
        )),
        "{text}"
    );
    assert!(text.contains("Policy 4.1"));

    // A "No" is never flagged, and an unanswered provision says so plainly.
    let (_, comply, text) = find("6.11");
    assert_eq!(comply, "No");
    assert!(!text.contains("Check:"));
    let (_, comply, _) = find("6.14");
    assert_eq!(comply, "Not yet assessed");
    assert!(
        html.contains("<strong>2</strong> Yes")
            && html.contains("<strong>1</strong> No")
            && html.contains("<strong>69</strong> not yet assessed"),
        "summary counts"
    );

    // Stage 2 acknowledgement, response and extensions, and stage 1 extensions, as the metrics say.
    let s2 = &m.stages[1];
    let ack2 = s2.ack_on_time.unwrap();
    assert!(find("6.11").2.contains(&fmt(ack2.num, ack2.den, ack2.pct)));
    let within2 = complaints::metrics::model::Prop::new(s2.within_timescale, s2.responses);
    assert!(find("6.14").2.contains(&format!("Within timescale: {}", fmt(within2.num, within2.den, within2.pct))));
    assert!(find("6.4").2.contains(&format!("within an extension in 2024/25: {}; extensions with a recorded due date beyond the 10-working-day maximum: {}", s1.on_time_extended, s1.extension_over_max)), "{}", find("6.4").2);
    assert!(find("6.15").2.contains(&format!(": {}; extensions", s2.on_time_extended)));
    let na = &m.not_accepted;
    assert!(find("2.1").2.contains(&format!("Complaints not accepted in 2024/25: {}", na.total)));
    // Refusals sit on 5.11 (the fixture's C29 refusal was not explained), not on 2.4, which is
    // about complaints not accepted.
    let (_, _, text) = find("5.11");
    assert!(text.contains(&format!("refused: {}", m.escalation.refused)), "{text}");
    assert!(!find("2.4").2.contains("refused"));
    // Handlers are not in the fixture: the row names the fields that would evidence it.
    let (_, _, text) = find("6.13");
    assert!(text.contains("s1_handler, s2_handler"), "{text}");
}

#[test]
fn an_unknown_provision_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let a = answers(dir.path(), "[answers.\"6.99\"]\ncomply = \"yes\"\n");
    let (code, _, err) = run(&[
        "self-assessment",
        CASES,
        "--year",
        "2024/25",
        "--answers",
        a.to_str().unwrap(),
        "--out",
        dir.path().join("o").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("6.99") && err.contains("answers.toml") && err.contains("1.1 to 9.8"), "{err}");
    let a = answers(dir.path(), "[answers.\"6.3\"]\ncomply = \"maybe\"\n");
    let (code, _, err) = run(&[
        "self-assessment",
        CASES,
        "--year",
        "2024/25",
        "--answers",
        a.to_str().unwrap(),
        "--out",
        dir.path().join("o").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("line 2"), "{err}");
    let (code, _, err) = run(&[
        "self-assessment",
        CASES,
        "--year",
        "2024/25 Q1",
        "--answers",
        a.to_str().unwrap(),
        "--out",
        dir.path().join("o").to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn the_seed_form_answers_from_data_what_the_seed_landlord_could_not() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (code, _, err) = run(&[
        "self-assessment",
        "sample-data/complaints-export.csv",
        "--config",
        "sample-data/complaints.toml",
        "--year",
        "2024/25",
        "--answers",
        "sample-data/answers.toml",
        "--form",
        "seed-2020",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(out.join("self-assessment.html")).unwrap();
    let rows = rows(&html);
    // The questions the seed form answered "isn't sufficiently reliable to measure this".
    for (q, must) in [
        ("4.5", "resolved at stage 1: "),
        ("4.6", "resolved at stage 2: "),
        ("4.7", "within an extension"),
        ("4.10", "satisfied with its handling: "),
        ("4.11", "or more stage 1 complaints"),
        ("5.1", "answered within 15 working days: "),
        ("6.3", "refused: "),
        ("6.4", "Reasons: "),
        ("4.3", "acknowledged within 5 working days"),
    ] {
        let row = rows.iter().find(|r| r.0 == q).unwrap_or_else(|| panic!("{q}"));
        assert!(row.2.contains(must) && row.2.chars().any(|c| c.is_ascii_digit()), "{q}: {}", row.2);
    }
    assert_eq!(rows.iter().find(|r| r.0 == "4.5").unwrap().1, "Answered from data");
}

#[test]
fn annual_report_and_tsm_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let a = answers(
        dir.path(),
        "[assessment]\ngoverning_body_response = \"The Board accepts the report & its actions.\"\n",
    );
    let (code, _, err) = run(&[
        "annual-report",
        CASES,
        "--config",
        CONFIG,
        "--year",
        "2024/25",
        "--answers",
        a.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(out.join("annual-report.html")).unwrap();
    for s in [
        "Complaints we did not take on or escalate",
        "Legal proceedings started",
        "Service improvements from learning",
        "Tenant Satisfaction Measures",
        "Self-assessment against the Complaint Handling Code",
        "The Board accepts the report &amp; its actions.",
    ] {
        assert!(html.contains(s), "{s}");
    }
    let mut r = csv::Reader::from_path(out.join("tsm.csv")).unwrap();
    let headers = r.headers().unwrap().clone();
    let row = r.records().next().unwrap().unwrap();
    let get = |h: &str| row[headers.iter().position(|x| x == h).unwrap()].to_string();
    // 2024/25: 29 LCRA stage 1 complaints (the 28 to September and M1). The return is measured at
    // the export's latest event, N1's response of 25 April 2025, by which M1 (received 17 March)
    // had been answered in time on 1 April: 19 within, where at 31 March there were 18 and M1 was
    // pending.
    assert_eq!(get("LCRA_CH01_1_Numerator"), "29");
    assert_eq!(get("LCRA_CH01_1_Denominator"), "1000");
    assert_eq!(get("LCRA_CH01_1"), "29.0");
    assert_eq!(get("LCRA_CH02_1_Numerator"), "19");
    assert_eq!(get("LCRA_CH02_1"), "65.5");
    assert_eq!(get("responses_counted_to"), "2025-04-25");
    assert!(html.contains("Provisional: 62.1%; at most 65.5%"), "the year-end basis shown beside it");
    assert_eq!(get("LCRA_S1_within_with_extension"), "4");
    assert_eq!(get("LCHO_CH01_1_Numerator"), "3");
    assert_eq!(get("reporting_year"), "2024/25");
}

#[test]
fn an_unknown_evidence_hook_fails_when_the_form_loads() {
    let dir = tempfile::tempdir().unwrap();
    let forms = dir.path().join("templates/forms");
    std::fs::create_dir_all(&forms).unwrap();
    let builtin = complaints::render::assessment::FormName::Code2024.builtin();
    let broken = builtin.replacen("evidence = [\"", "evidence = [\"ack_one\", \"", 1);
    let line = broken[..broken.find("ack_one").unwrap()].matches('\n').count() + 1;
    std::fs::write(forms.join("code-2024.toml"), broken).unwrap();
    let answers = answers(dir.path(), "");
    let (code, _, err) = run(&[
        "self-assessment",
        CASES,
        "--config",
        CONFIG,
        "--year",
        "2024/25",
        "--answers",
        answers.to_str().unwrap(),
        "--templates",
        dir.path().join("templates").to_str().unwrap(),
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("forms/code-2024.toml") && err.contains(&format!("line {line}")), "{err}");
    assert!(err.contains("ack_one"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn the_annual_report_bridge_adds_up_and_says_when_it_was_measured() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("annual");
    let (code, _, err) = run(&[
        "annual-report",
        "sample-data/complaints-export.csv",
        "--config",
        "sample-data/complaints.toml",
        "--year",
        "2024/25",
        "--answers",
        "sample-data/answers.toml",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(out.join("annual-report.html")).unwrap();
    let doc = Html::parse_document(&html);
    let table = doc.select(&sel("table.bridge")).next().expect("the bridge table");
    let rows: Vec<(String, [u64; 2])> = table
        .select(&sel("tbody tr"))
        .map(|tr| {
            let label = tr.select(&sel("th")).next().unwrap().text().collect::<String>();
            let n: Vec<u64> =
                tr.select(&sel("td")).map(|td| td.value().attr("data-n").unwrap().parse().unwrap()).collect();
            // The shown figure is the same number with separators.
            let shown: Vec<String> =
                tr.select(&sel("td")).map(|td| td.text().collect::<String>().replace(',', "")).collect();
            assert_eq!(shown, n.iter().map(u64::to_string).collect::<Vec<_>>());
            (label, [n[0], n[1]])
        })
        .collect();
    let (first, last) = (&rows[0], rows.last().unwrap());
    assert!(first.0.starts_with("Complaints received") && last.0.starts_with("Counted in the TSMs"));
    for k in 0..2 {
        let less: u64 = rows[1..rows.len() - 1].iter().map(|(_, n)| n[k]).sum();
        assert_eq!(first.1[k] - less, last.1[k], "stage {}", k + 1);
    }
    // The count it arrives at is the CH01 numerator of the return.
    let tsm = std::fs::read_to_string(out.join("tsm.csv")).unwrap();
    let mut r = csv::Reader::from_reader(tsm.as_bytes());
    let headers = r.headers().unwrap().clone();
    let row = r.records().next().unwrap().unwrap();
    let get = |name: &str| row[headers.iter().position(|h| h == name).unwrap()].to_string();
    assert_eq!(get("Combined_CH01_1_Numerator"), last.1[0].to_string());
    assert_eq!(get("Combined_CH01_2_Numerator"), last.1[1].to_string());
    // Measured when the export was taken (its latest event, 10 April 2026), and said so; final.
    assert_eq!((get("responses_counted_to").as_str(), get("basis").as_str()), ("2026-04-10", "final"));
    assert!(html.contains("the date of the latest event in the case data"));
    assert!(html.contains("counted at the year end are shown too"));
}

/// The annual return is measured at the data's latest event: a mistyped year there (2052 for
/// 2025) in a date no working days are counted over (which ingest keeps, whatever its year),
/// past the working-day calendar, stops it with a message naming the case, file, row and column
/// to correct — not an error about an --as-of nobody gave — and --as-of measures it.
#[test]
fn a_mistyped_latest_event_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(CASES).unwrap();
    let referred = text.lines().next().unwrap().split(',').position(|h| h == "ombudsman_referred_date").unwrap();
    let text: String = text
        .lines()
        .map(|line| match line.starts_with("N1,") {
            true => {
                let mut cells: Vec<&str> = line.split(',').collect();
                cells[referred] = "2052-04-25";
                cells.join(",") + "\n"
            }
            false => format!("{line}\n"),
        })
        .collect();
    let cases = dir.path().join("cases.csv");
    std::fs::write(&cases, text).unwrap();
    let a = answers(dir.path(), "");
    let out = dir.path().join("out");
    let (cases_arg, a_arg, out_arg) = (cases.to_str().unwrap(), a.to_str().unwrap(), out.to_str().unwrap());
    let base =
        ["annual-report", cases_arg, "--config", CONFIG, "--year", "2024/25", "--answers", a_arg, "--out", out_arg];
    let (code, _, err) = run(&base);
    assert_eq!(code, 1, "{err}");
    let row = text_row(&cases, "N1");
    for must in
        ["2052-04-25", "case N1 (", &format!("cases.csv row {row}, column 'ombudsman_referred_date')"), "--as-of DATE"]
    {
        assert!(err.contains(must), "{must}: {err}");
    }
    assert!(!err.contains("--as-of: "), "{err}");
    let (code, _, err) = run(&[&base[..], &["--as-of", "2025-06-30"]].concat());
    assert_eq!(code, 0, "{err}");
}

/// The line a case's row is on in a CSV with no line breaks in its cells.
fn text_row(path: &Path, case: &str) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().position(|l| l.starts_with(&format!("{case},"))).unwrap() + 1
}
