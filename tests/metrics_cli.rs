//! `complaints metrics` and `complaints audit` as a user runs them: the JSON keys of SPEC §6, the
//! CSV layout and its formula safety, the audit's rows, and their errors.

use std::collections::BTreeSet;

mod common;
use common::{run, sample_report};

const CASES: &str = "tests/cases/metrics-fixture/cases.csv";
const CONFIG: &str = "tests/cases/metrics-fixture/complaints.toml";

fn keys(v: &serde_json::Value) -> BTreeSet<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[test]
fn json_follows_the_spec_keys() {
    let (code, out, err) = run(&["metrics", CASES, "--config", CONFIG, "--period", "2024/25 Q2", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let spec = [
        "period",
        "profile",
        "input",
        "stages",
        "not_accepted",
        "closed",
        "resolved_at",
        "resolution",
        "escalation",
        "repeat",
        "compensation",
        "satisfaction",
        "ombudsman",
        "lessons",
        "by_category",
        "tsm",
    ];
    assert!(keys(&v).is_superset(&set(&spec)), "{:?}", keys(&v));
    assert_eq!(keys(&v["period"]), set(&["label", "start", "end", "as_of"]));
    assert_eq!(keys(&v["input"]), set(&["files", "rows_read", "rows_used", "rows_rejected", "warnings", "duplicates"]));
    // The SPEC's keys, and the additions: every key of the SPEC is there unchanged.
    assert_eq!(
        keys(&v["stages"][0]),
        set(&[
            "answered_date_unknown",
            "stage",
            "name",
            "received",
            "ack_on_time",
            "responses",
            "on_time",
            "on_time_extended",
            "late",
            "extension_over_max",
            "within_timescale",
            "median_wd",
            "open",
            "overdue",
            "outcomes"
        ])
    );
    assert_eq!(keys(&v["stages"][0]["ack_on_time"]), set(&["num", "den", "pct"]));
    assert_eq!(keys(&v["not_accepted"]), set(&["total", "by_reason"]));
    assert_eq!(keys(&v["escalation"]), set(&["requests", "rate", "refused", "refused_explained", "by_reason"]));
    assert_eq!(keys(&v["repeat"]), set(&["threshold", "complainants", "complaints", "complainant_not_recorded"]));
    assert_eq!(keys(&v["compensation"]), set(&["total", "cases"]));
    assert_eq!(keys(&v["satisfaction"]), set(&["num", "den", "pct"]));
    // `orders` is there only with an Ombudsman casework file (tests/governance.rs).
    assert_eq!(keys(&v["ombudsman"]), set(&["referrals", "determinations", "evidence_on_time", "decisions"]));
    assert_eq!(
        keys(&v["ombudsman"]["decisions"]),
        set(&["source", "decided", "findings", "adverse", "maladministration_rate", "severe", "undated"])
    );
    assert_eq!(keys(&v["lessons"]), set(&["recorded", "actions", "overdue"]));
    assert_eq!(keys(&v["by_category"][0]), set(&["category", "received", "within_timescale", "upheld"]));
    assert!(keys(&v["tsm"]).is_superset(&set(&["homes", "ch01", "ch02"])));
    assert_eq!(keys(&v["tsm"]["homes"]), set(&["lcra", "lcho", "combined"]));
    assert_eq!(keys(&v["tsm"]["ch01"]["stage1"]["lcra"]), set(&["num", "den", "per_1000"]));
    assert_eq!(
        keys(&v["tsm"]["ch02"]["stage2"]["combined"]),
        set(&[
            "num",
            "den",
            "pct",
            "within_without_extension",
            "within_with_extension",
            "late",
            "overdue",
            "pending",
            "answered_date_unknown",
            "withdrawn_unanswered",
            "final",
            "best_pct"
        ])
    );
    assert!(keys(&v["tsm"]).is_superset(&set(&["as_of", "bridge"])));
    assert_eq!(v["resolved_at"]["1"], 16);
    assert_eq!(v["stages"][1]["median_wd"], 20.5);
    assert_eq!(v["tsm"]["ch01"]["stage1"]["combined"]["per_1000"], 25.8);
    // A proportion with nothing to divide by has a null pct.
    assert!(v["tsm"]["ch02"]["stage2"]["lcho"]["pct"].is_null());
}

#[test]
fn missing_inputs_are_null_not_zero() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("min.csv");
    std::fs::write(&p, "Case Ref,Date Received,Stage 1 Response Sent\nA,01/07/2024,10/07/2024\n").unwrap();
    let (code, out, err) = run(&["metrics", p.to_str().unwrap(), "--period", "2024/25 Q2", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for key in ["repeat", "compensation", "satisfaction", "ombudsman", "lessons"] {
        assert!(v[key].is_null(), "{key}: {}", v[key]);
    }
    assert!(v["stages"][0]["ack_on_time"].is_null());
    // No tenure column: LCRA and LCHO cannot be known; Combined is every accepted complaint. No
    // homes: the rates cannot be known.
    let s1 = &v["tsm"]["ch01"]["stage1"];
    assert!(s1["lcra"]["num"].is_null() && s1["lcra"]["per_1000"].is_null());
    assert_eq!(s1["combined"]["num"], 1);
    assert!(s1["combined"]["den"].is_null());
    assert_eq!(v["tsm"]["ch02"]["stage1"]["combined"]["pct"], 100.0);
}

#[test]
fn csv_layout_and_formula_safety() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("evil.csv");
    std::fs::write(&p, "Case Ref,Date Received,Category,Stage 1 Response Sent,Channel\nA,01/07/2024,\"=HYPERLINK(\"\"x\"\")\",10/07/2024,+phone\nB,01/07/2024,@sum,,-email\n").unwrap();
    let (code, out, err) =
        run(&["metrics", p.to_str().unwrap(), "--period", "2024/25 Q2", "--format", "csv", "--by", "Channel"]);
    assert_eq!(code, 0, "{err}");
    let mut r = csv::Reader::from_reader(out.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        ["metric", "stage", "breakdown", "num", "den", "value"]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    for row in &rows {
        for cell in row.iter() {
            assert!(!cell.starts_with(['=', '+', '@']), "unsafe cell {cell:?} in {row:?}");
            assert!(!cell.starts_with('-') || cell.parse::<f64>().is_ok(), "unsafe cell {cell:?}");
        }
    }
    let find = |metric: &str, breakdown: &str| {
        rows.iter().find(|r| &r[0] == metric && &r[2] == breakdown).map(|r| r[5].to_string())
    };
    assert_eq!(find("category_received", "'=HYPERLINK(\"x\")").as_deref(), Some("1"));
    // --by takes a header as written; the breakdown names the canonical column.
    assert_eq!(find("by_received", "channel=+phone").as_deref(), Some("1"));
    assert_eq!(find("by_received", "channel=-email").as_deref(), Some("1"));
    assert_eq!(find("received", "").as_deref(), Some("2"));
    assert_eq!(find("within_timescale", "").as_deref(), Some("100"));
}

#[test]
fn table_is_readable() {
    let (code, out, _) = run(&["metrics", CASES, "--config", CONFIG, "--period", "2024/25 Q2"]);
    assert_eq!(code, 0);
    for s in
        ["2024/25 Q2", "Against code-2024", "on time with extension", "Closed: 20", "TSM 2024/25", "CH01 stage 1 LCRA"]
    {
        assert!(out.contains(s), "{s} missing:\n{out}");
    }
}

#[test]
fn bad_period_and_unknown_by_column_are_usage_errors() {
    let (code, _, err) = run(&["metrics", CASES, "--period", "Q5 2024"]);
    assert_eq!(code, 2);
    assert!(err.contains("2024/25 Q2") && err.contains("2024-07-01..2024-09-30"), "{err}");
    let (code, _, err) = run(&["metrics", CASES, "--period", "2024/25", "--by", "Postcode"]);
    assert_eq!(code, 2);
    assert!(err.contains("Postcode") && err.contains("category"), "{err}");
    // The compensation column holds pence: a usage error, not polars' "unable to find column".
    let (code, _, err) = run(&["metrics", CASES, "--period", "2024/25", "--by", "compensation"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--by compensation: an amount of money is not a breakdown"), "{err}");
    let (code, _, err) = run(&["metrics", CASES, "--period", "2024/25", "--by", "Compensation Paid"]);
    assert_eq!(code, 2, "by a header spelling too: {err}");
    let (code, _, err) = run(&["metrics", CASES, "--period", "2024/25", "--profile", "nope"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn audit_rows_re_derive_the_figures() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cases-audit.csv");
    let (code, _, err) =
        run(&["audit", CASES, "--config", CONFIG, "--period", "2024/25 Q2", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let mut r = csv::Reader::from_path(&out).unwrap();
    let headers = r.headers().unwrap().clone();
    assert_eq!(headers.iter().collect::<Vec<_>>(), complaints::output::audit::COLUMNS);
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let row = |case: &str, stage: &str| {
        rows.iter()
            .find(|r| &r[0] == case && &r[col("stage")] == stage)
            .unwrap_or_else(|| panic!("{case} stage {stage}"))
    };
    let c01 = row("C01", "1");
    assert_eq!(
        (&c01[col("clock_start")], &c01[col("deadline")], &c01[col("response_wd")], &c01[col("status")]),
        ("2024-07-03", "2024-07-17", "10", "on_time")
    );
    let c10 = row("C10", "1");
    assert_eq!((&c10[col("clock_basis")], &c10[col("status")]), ("receipt (no acknowledgement)", "on_time"));
    let c07 = row("C07", "1");
    assert_eq!((&c07[col("extended_deadline")], &c07[col("status")]), ("2024-08-06", "on_time_extended"));
    assert!(c07[col("reason")].contains("maximum"));
    let c21 = row("C21", "1");
    assert_eq!(&c21[col("status")], "overdue");
    let c34 = row("C34", "2");
    assert_eq!(
        (&c34[col("clock_basis")], &c34[col("response_wd")], &c34[col("status")]),
        ("escalation request (no acknowledgement)", "20", "on_time")
    );
    // Re-deriving a figure from the audit: stage 1 responses in the period by status.
    let count = |status: &str| {
        rows.iter()
            .filter(|r| {
                &r[col("stage")] == "1" && &r[col("responded_in_period")] == "yes" && &r[col("status")] == status
            })
            .count()
    };
    assert_eq!((count("on_time"), count("on_time_extended"), count("late")), (10, 4, 3));
    // Refuses to write over an input.
    let (code, _, err) = run(&["audit", CASES, "--period", "2024/25 Q2", "--out", CASES]);
    assert_eq!(code, 2);
    assert!(err.contains("input"), "{err}");
}

#[test]
fn every_tsm_figure_is_reproduced_by_filtering_the_audit() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let m = sample_report(&out);
    let mut r = csv::Reader::from_path(out.join("cases-audit.csv")).unwrap();
    let headers = r.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    let get = |row: &csv::StringRecord, name: &str| row[headers.iter().position(|h| h == name).unwrap()].to_string();
    let mut checked = 0;
    for k in [1, 2] {
        for (group, tenures) in [("lcra", &["LCRA"][..]), ("lcho", &["LCHO"][..]), ("combined", &["LCRA", "LCHO"][..])]
        {
            let cohort: Vec<&csv::StringRecord> = rows
                .iter()
                .filter(|r| get(r, "stage") == k.to_string() && get(r, "tsm_cohort") == "yes")
                .filter(|r| tenures.contains(&get(r, "tsm_tenure").as_str()))
                .collect();
            let n = |what: &str| cohort.iter().filter(|r| get(r, "tsm_within") == what).count() as u64;
            let ch01 = &m["tsm"]["ch01"][format!("stage{k}")][group];
            let ch02 = &m["tsm"]["ch02"][format!("stage{k}")][group];
            assert_eq!(ch01["num"], cohort.len() as u64, "CH01 stage {k} {group}");
            assert_eq!(ch02["den"], cohort.len() as u64, "CH02 den stage {k} {group}");
            assert_eq!(ch02["within_without_extension"], n("within"), "stage {k} {group}");
            assert_eq!(ch02["within_with_extension"], n("within with extension"), "stage {k} {group}");
            assert_eq!(ch02["num"], n("within") + n("within with extension"), "stage {k} {group}");
            assert_eq!(ch02["late"], n("late"));
            assert_eq!(ch02["overdue"], n("open past deadline"));
            assert_eq!(ch02["pending"], n("pending"));
            assert_eq!(ch02["answered_date_unknown"], n("answered, date not recorded"));
            assert_eq!(ch02["withdrawn_unanswered"], n("withdrawn, not answered"));
            checked += 1;
        }
    }
    assert_eq!(checked, 6);
    // Withdrawn complaints answered in time count in CH02 and are visible as such in the audit.
    assert!(rows.iter().any(|r| get(r, "status") == "withdrawn" && get(r, "tsm_within") == "within"));
}

/// A period measured past the working-day calendar (2012 to 2030 built in) names the period and
/// its as-of — its end, or --as-of — and how to cover it, before any case is timed.
#[test]
fn an_as_of_past_the_calendar_says_what_set_it() {
    let metrics = |extra: &[&str]| run(&[&["metrics", CASES, "--config", CONFIG][..], extra].concat());
    let (code, _, err) = metrics(&["--period", "2030/31 Q4"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(
            "2030/31 Q4 is measured as of 2031-03-31, outside the working-day calendar (2012-01-01 to 2030-12-31)"
        ),
        "{err}"
    );
    assert!(err.contains("--holidays FILE"), "{err}");
    let (code, _, err) = metrics(&["--period", "2030/31", "--as-of", "2031-01-15"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("2030/31 is measured as of 2031-01-15, outside the working-day calendar"), "{err}");
    let (code, _, err) = metrics(&["--period", "2030/31 Q3"]);
    assert_eq!(code, 0, "the calendar's last quarter is measured: {err}");
}

/// A system that writes tenures as it names them ("General Needs", "Shared Ownership") has every
/// complaint outside the TSMs until `[tenures]` says which are LCRA and LCHO; `validate` says so
/// and writes the lines for the tenures that seem to be one of them.
#[test]
fn tenures_as_systems_write_them_are_mapped_to_the_tsm_stock_types() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("tenures.csv");
    std::fs::write(
        &p,
        "Case Ref,Date Received,Tenancy Type,Stage 1 Response Sent\n\
         A,01/07/2024,General Needs,10/07/2024\nB,02/07/2024,general needs,\nC,03/07/2024,Shared Ownership,04/07/2024\n\
         D,04/07/2024,Leasehold,05/07/2024\nE,05/07/2024,LCRA,08/07/2024\n",
    )
    .unwrap();
    let homes = "[homes]\nlcra = 1000\nlcho = 100\n";
    let config = |name: &str, text: &str| {
        let c = dir.path().join(name);
        std::fs::write(&c, text).unwrap();
        c.to_str().unwrap().to_string()
    };
    let bare = config("bare.toml", homes);
    let mapped = config(
        "mapped.toml",
        &format!("{homes}[tenures]\n\"General Needs\" = \"LCRA\"\n\"Shared Ownership\" = \"LCHO\"\n"),
    );
    let ch01 = |config: &str| {
        let args = ["metrics", p.to_str().unwrap(), "--config", config, "--period", "2024/25 Q2", "--format", "json"];
        let (code, out, err) = run(&args);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let s1 = v["tsm"]["ch01"]["stage1"].clone();
        (s1["lcra"]["num"].as_u64(), s1["lcho"]["num"].as_u64(), s1["combined"]["num"].as_u64())
    };
    // Without the map only E (LCRA) counts; with it A, B (General Needs, any case) and E are
    // LCRA, C is LCHO, and D (Leasehold) stays outside.
    assert_eq!(ch01(&bare), (Some(1), Some(0), Some(1)));
    assert_eq!(ch01(&mapped), (Some(3), Some(1), Some(4)));
    let (code, out, _) = run(&["validate", p.to_str().unwrap(), "--config", &bare]);
    assert_eq!(code, 0, "a hint, not an error");
    assert!(out.contains("TENURES OUTSIDE THE TSMs (4 rows): \"General Needs\" (1), \"Leasehold\" (1), \"Shared Ownership\" (1), \"general needs\" (1)."), "{out}");
    assert!(
        out.contains("    [tenures]\n    \"General Needs\" = \"LCRA\"\n    \"Shared Ownership\" = \"LCHO\"\n\n"),
        "one line for both spellings of General Needs: {out}"
    );
    let (_, out, _) = run(&["validate", p.to_str().unwrap(), "--config", &mapped]);
    assert!(out.contains("TENURES OUTSIDE THE TSMs (1 row): \"Leasehold\" (1)."), "{out}");
    assert!(!out.contains("These seem to be"), "Leasehold seems neither: {out}");
}

/// A "Complaint Accepted?" column answered No counts the complaint as not accepted, with the
/// reason recorded; answered Yes or left blank, it is a complaint measured at stage 1.
#[test]
fn a_complaint_accepted_column_counts_the_complaints_not_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("accepted.csv");
    std::fs::write(
        &p,
        "Case Ref,Date Received,Complaint Accepted?,Reason Not Accepted,Stage 1 Response Date\n\
         A1,01/04/2024,Yes,,10/04/2024\nA2,02/04/2024,No,Outside 12 months,\nA3,03/04/2024,,,\n",
    )
    .unwrap();
    let (code, out, err) = run(&["metrics", p.to_str().unwrap(), "--period", "2024/25 Q1", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["not_accepted"]["total"], 1);
    assert_eq!(v["not_accepted"]["by_reason"]["Outside 12 months"], 1);
    assert_eq!(v["tsm"]["ch01"]["stage1"]["combined"]["num"], 2, "A1 and A3");
}
