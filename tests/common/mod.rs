//! Helpers shared by the integration tests (each test file uses some of them).
#![allow(dead_code)]

use assert_cmd::Command;

/// Runs the real binary and returns (exit code, stdout, stderr).
pub(crate) fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("complaints").unwrap().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// One tenure of Yorkshire Housing Limited's published 2024/25 TSM return (RSH TSM 2025, row
/// L4521, in tests/data): homes, stage 1 complaints, within without / with extension, stage 2
/// complaints, within without / with extension.
pub(crate) struct Published {
    pub(crate) tenure: &'static str,
    pub(crate) homes: u64,
    pub(crate) s1: u64,
    pub(crate) s1_without: u64,
    pub(crate) s1_with: u64,
    pub(crate) s2: u64,
    pub(crate) s2_without: u64,
    pub(crate) s2_with: u64,
}

pub(crate) fn yorkshire() -> Vec<Published> {
    let text = std::fs::read_to_string("tests/data/rsh-tsm-2025-yorkshire-housing.csv")
        .expect("tests/data/rsh-tsm-2025-yorkshire-housing.csv");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    let row = r.records().next().unwrap().unwrap();
    assert_eq!(&row[1], "L4521");
    let get = |name: String| -> u64 { row[headers.iter().position(|h| h == name).unwrap()].parse().unwrap() };
    ["LCRA", "LCHO"]
        .into_iter()
        .map(|t| Published {
            tenure: t,
            homes: get(format!("{t}_CH01_1_Denominator")),
            s1: get(format!("{t}_CH01_1_Numerator")),
            s1_without: get(format!("{t}_S1_within_without_extension")),
            s1_with: get(format!("{t}_S1_within_with_extension")),
            s2: get(format!("{t}_CH01_2_Numerator")),
            s2_without: get(format!("{t}_S2_within_without_extension")),
            s2_with: get(format!("{t}_S2_within_with_extension")),
        })
        .collect()
}

/// A synthetic case export that gives Yorkshire Housing's published 2024/25 return exactly: one
/// row per complaint, LCRA then LCHO, with `YH{n}` references (the first LCRA cases are the ones
/// answered within timescale without an extension).
pub(crate) fn synthetic_yorkshire(tenures: &[&str]) -> (String, Vec<Published>) {
    use complaints::calendar::Calendar;
    use std::fmt::Write;
    let cal = Calendar::builtin();
    let d = |s: chrono::NaiveDate| s.format("%d/%m/%Y").to_string();
    let mut csv = String::from("Case Ref,Date Received,Tenure Type,S1 Ack Date,Extension Agreed,Stage 1 Response Sent,Escalation Requested,Stage 2 Acknowledged,Stage 2 Extended,Stage 2 Response Sent\n");
    let first = chrono::NaiveDate::from_ymd_opt(2024, 4, 2).unwrap();
    let mut n = 0;
    let published = yorkshire();
    for p in published.iter().filter(|p| tenures.contains(&p.tenure)) {
        let (tenure, s1, s1_wo, s1_w, s2, s2_wo, s2_w) =
            (p.tenure, p.s1, p.s1_without, p.s1_with, p.s2, p.s2_without, p.s2_with);
        for i in 0..s1 {
            n += 1;
            // Spread over April 2024 – January 2025, so every answer falls inside the year.
            let received = cal.deadline(first, (i % 200) as u32).unwrap();
            let ack = cal.deadline(received, 1 + (i % 5) as u32).unwrap();
            let (extended, wd) = if i < s1_wo {
                ("No", 3 + (i % 8) as u32)
            } else if i < s1_wo + s1_w {
                ("Yes", 11 + (i % 10) as u32)
            } else {
                ("No", 11 + (i % 10) as u32)
            };
            let response = cal.deadline(ack, wd).unwrap();
            let mut row = format!("YH{n},{},{tenure},{},{extended},{}", d(received), d(ack), d(response));
            if i < s2 {
                let requested = cal.deadline(response, 5).unwrap();
                let ack2 = cal.deadline(requested, 2).unwrap();
                let (ext2, wd2) = if i < s2_wo {
                    ("No", 10 + (i % 11) as u32)
                } else if i < s2_wo + s2_w {
                    ("Yes", 21 + (i % 20) as u32)
                } else {
                    ("No", 21 + (i % 10) as u32)
                };
                let _ = write!(row, ",{},{},{ext2},{}", d(requested), d(ack2), d(cal.deadline(ack2, wd2).unwrap()));
            } else {
                row.push_str(",,,,");
            }
            csv.push_str(&row);
            csv.push('\n');
        }
    }
    (csv, published)
}

/// Runs `report` on the sample data with the sample config into `out` (which must succeed) and
/// returns its metrics.json.
pub(crate) fn sample_report(out: &std::path::Path) -> serde_json::Value {
    let (code, _, err) = run(&[
        "report",
        "sample-data/complaints-export.csv",
        "--config",
        "sample-data/complaints.toml",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&std::fs::read_to_string(out.join("metrics.json")).unwrap()).unwrap()
}
