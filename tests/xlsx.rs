//! metrics.xlsx read back: the figures equal metrics.json's, dates are date cells, and the audit
//! sheet has one row per row of cases-audit.csv.

use calamine::{open_workbook, Data, Reader, Xlsx};

mod common;
use common::{run, sample_report};

#[test]
fn the_workbook_holds_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b");
    let json = sample_report(&out);
    let mut book: Xlsx<_> = open_workbook(out.join("metrics.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["Figures", "Trend", "Categories", "TSM", "Data quality", "Case audit"]);

    let figures = book.worksheet_range("Figures").unwrap();
    let row = |metric: &str, stage: f64| {
        figures
            .rows()
            .find(|r| r[0] == Data::String(metric.into()) && r[1] == Data::Float(stage))
            .unwrap_or_else(|| panic!("no row {metric} {stage}"))
            .to_vec()
    };
    let s1 = &json["stages"][0];
    assert_eq!(row("received", 1.0)[5], Data::Float(s1["received"].as_f64().unwrap()));
    let ack = row("ack_on_time", 1.0);
    assert_eq!(ack[3], Data::Float(s1["ack_on_time"]["num"].as_f64().unwrap()));
    assert_eq!(ack[4], Data::Float(s1["ack_on_time"]["den"].as_f64().unwrap()));
    let Data::Float(pct) = ack[6] else { panic!("{:?}", ack[6]) };
    assert!((pct * 100.0 - s1["ack_on_time"]["pct"].as_f64().unwrap()).abs() < 1e-9);
    // Every metrics.csv row is a row of the sheet.
    let csv = std::fs::read_to_string(out.join("metrics.csv")).unwrap();
    assert_eq!(figures.height(), csv.lines().count());

    // The trend's dates are dates.
    let trend = book.worksheet_range("Trend").unwrap();
    assert!(matches!(trend.get((1, 1)), Some(Data::DateTime(_))), "{:?}", trend.get((1, 1)));
    assert_eq!(trend.height(), json["trend"].as_array().unwrap().len() + 2);

    // The audit: one row per CSV row, received dates as dates.
    let audit = book.worksheet_range("Case audit").unwrap();
    let audit_csv = std::fs::read_to_string(out.join("cases-audit.csv")).unwrap();
    assert_eq!(audit.height(), audit_csv.lines().count());
    let header: Vec<String> = audit.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let received = header.iter().position(|h| h == "received_date").expect("received_date column");
    assert!(audit.rows().skip(1).all(|r| matches!(r[received], Data::DateTime(_) | Data::Empty)));
    assert!(audit.rows().skip(1).any(|r| matches!(r[received], Data::DateTime(_))));
}

#[test]
fn metrics_writes_the_workbook_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.xlsx");
    let args = [
        "metrics",
        "sample-data/complaints-export.csv",
        "--config",
        "sample-data/complaints.toml",
        "--period",
        "2025/26 Q4",
    ];
    let (code, _, err) = run(&[&args[..], &["--format", "xlsx"]].concat());
    assert_eq!(code, 2);
    assert!(err.contains("give --out FILE.xlsx"), "{err}");
    let (code, out, err) = run(&[&args[..], &["--format", "xlsx", "--out", path.to_str().unwrap()]].concat());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("m.xlsx"));
    let book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names().len(), 6);
}
