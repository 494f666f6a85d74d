//! A new user's first run: the mapping shown, starter files that belong to them, config mistakes
//! never silent, category spellings merged, and a typo in one date never stopping a report.

use std::path::{Path, PathBuf};

mod common;
use common::run;
use complaints::config::Config;

const SAMPLE: &str = "sample-data/complaints-export.csv";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn validate_shows_every_header_and_what_it_became() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(
        dir.path(),
        "x.csv",
        "Case Number,Created On,Tenant Reference,Date Closed,Patch\nC1,01/04/2024,T1,10/04/2024,North\n",
    );
    let (code, out, err) = run(&["validate", s(&csv)]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Tenant Reference") && out.contains("complainant_id (recognised from its words"), "{out}");
    assert!(out.contains("Date Closed") && out.contains("not used: it could be s1_response_date or s2_response_date"));
    assert!(out.contains("s1_response_date = \"Date Closed\""), "the line that settles it: {out}");
    assert!(out.contains("Patch") && out.contains("kept as an extra column"));
    let (_, json, _) = run(&["validate", s(&csv), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let columns = v["columns"].as_array().unwrap();
    assert_eq!(columns.len(), 5);
    let by = |h: &str| columns.iter().find(|c| c["header"] == h).unwrap().clone();
    assert_eq!(
        (by("Case Number")["field"].clone(), by("Case Number")["how"].clone()),
        ("case_id".into(), "known".into())
    );
    assert_eq!(by("Tenant Reference")["how"], "inferred");
    assert_eq!(by("Date Closed")["how"], "ambiguous");
    assert_eq!(by("Date Closed")["candidates"], serde_json::json!(["s1_response_date", "s2_response_date"]));
    assert_eq!((by("Patch")["field"].clone(), by("Patch")["how"].clone()), (serde_json::Value::Null, "extra".into()));
    assert!(columns.iter().all(|c| c["file"] == s(&csv)));
    assert!(v["input"]["rows_read"] == 1, "existing keys unchanged");
}

#[test]
fn a_columns_entry_naming_no_header_is_an_error_with_close_matches() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(dir.path(), "x.csv", "Case Ref,Date Received,Tenant Reference\nC1,01/04/2024,T1\n");
    let cfg = write(dir.path(), "c.toml", "[columns]\ncomplainant_id = \"Tenant Ref\"\n");
    let (code, _, err) = run(&["validate", s(&csv), "--config", s(&cfg)]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("complainant_id") && err.contains("\"Tenant Ref\"") && err.contains("\"Tenant Reference\""),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1);
}

#[test]
fn init_writes_starter_files_that_belong_to_the_user() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.toml");
    let (code, _, err) = run(&["init", s(&plain)]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&plain).unwrap();
    assert!(
        !text.contains("Northvale") && !text.contains("2025-12-29\"]\n") && !text.contains("repairs contact centre")
    );
    let c = Config::load(&plain).unwrap();
    assert!(c.closure_days.is_empty() && c.text.commentary.is_empty());

    // From the sample export: every field mapped, and the same ledger as the sample's own config.
    let from = dir.path().join("from.toml");
    let (code, _, err) = run(&["init", "--from", SAMPLE, s(&from)]);
    assert_eq!(code, 0, "{err}");
    let c = Config::load(&from).unwrap();
    assert_eq!(c.columns.len(), 40);
    assert_eq!(c.columns["case_id"], "Complaint Reference");
    let text = std::fs::read_to_string(&from).unwrap();
    assert!(text.contains("\"Ward\"") && text.contains("# s3_outcome = \"\""), "{text}");
    assert!(text.contains("[tenures]\n# Left outside the TSMs: \"Leasehold\"\n"), "{text}");
    assert!(c.tenures.is_empty());
    let (_, mine, _) = run(&["validate", SAMPLE, "--config", s(&from), "--format", "json"]);
    let (_, theirs, _) = run(&["validate", SAMPLE, "--config", "sample-data/complaints.toml", "--format", "json"]);
    let (mine, theirs): (serde_json::Value, serde_json::Value) =
        (serde_json::from_str(&mine).unwrap(), serde_json::from_str(&theirs).unwrap());
    for key in ["input", "rejected", "dropped", "superseded"] {
        assert_eq!(mine[key], theirs[key], "{key}");
    }

    // An export writing tenures as the system names them: the [tenures] lines for those that
    // seem LCRA or LCHO, one for both spellings of General Needs.
    let export = dir.path().join("tenures.csv");
    std::fs::write(
        &export,
        "Case Ref,Date Received,Tenancy Type\nA,01/07/2024,General Needs\nB,02/07/2024,GENERAL NEEDS\n\
         C,03/07/2024,Shared Ownership\nD,04/07/2024,Leasehold\nE,05/07/2024,General Needs\n",
    )
    .unwrap();
    let from = dir.path().join("tenures.toml");
    let (code, _, err) = run(&["init", "--from", s(&export), s(&from)]);
    assert_eq!(code, 0, "{err}");
    let c = Config::load(&from).unwrap();
    let tenures: Vec<(&str, &str)> = c.tenures.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(tenures, [("General Needs", "LCRA"), ("Shared Ownership", "LCHO")]);
    let text = std::fs::read_to_string(&from).unwrap();
    assert!(text.contains("\"General Needs\" = \"LCRA\"  # seems LCRA (3 rows): check"), "{text}");
    assert!(text.contains("\"Shared Ownership\" = \"LCHO\"  # seems LCHO (1 row): check"), "{text}");
    let (_, out, _) = run(&["validate", s(&export), "--config", s(&from)]);
    assert!(out.contains("TENURES OUTSIDE THE TSMs (1 row): \"Leasehold\" (1)."), "only Leasehold is left: {out}");

    // An export with no received date the tool can find still gets its starter config: mapping
    // that header is what [columns] is for.
    let partial = dir.path().join("partial.csv");
    std::fs::write(&partial, "Case Ref,Category,Tenure,Notes\nA1,Repairs,General Needs,called back\n").unwrap();
    let from = dir.path().join("partial.toml");
    let (code, _, err) = run(&["init", "--from", s(&partial), s(&from)]);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(&from).unwrap().contains("# received_date = \"\""));

    // An answers file: every provision listed, none answered.
    let answers = dir.path().join("answers.toml");
    let (code, _, err) = run(&["init", "--answers", s(&answers)]);
    assert_eq!(code, 0, "{err}");
    assert!(!dir.path().join("complaints.toml").exists(), "only the answers file was asked for");
    let text = std::fs::read_to_string(&answers).unwrap();
    assert_eq!(text.matches("[answers.\"").count(), 72, "every provision but the introductory 1.1");
    assert!(!text.lines().any(|l| l.starts_with("comply")) && !text.contains("Northvale"));
    let out = dir.path().join("sa");
    let (code, _, err) =
        run(&["self-assessment", SAMPLE, "--year", "2024/25", "--answers", s(&answers), "--out", s(&out)]);
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(out.join("self-assessment.html")).unwrap();
    assert!(page.contains("<strong>0</strong> Yes"), "nothing is answered for the user");
}

#[test]
fn category_spellings_merged_by_the_landlord() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(
        dir.path(),
        "x.csv",
        "Case Ref,Date Received,Category\nC1,01/04/2024,ASB Handling\nC2,02/04/2024,Anti-Social Behaviour\nC3,03/04/2024,anti-social behaviour\nC4,04/04/2024,Repairs\n",
    );
    let (_, out, _) = run(&["validate", s(&csv)]);
    assert!(out.contains("CATEGORY SPELLINGS THAT MAY BE ONE THEME (1)"), "{out}");
    assert!(out.contains("\"ASB Handling\" (1)") && out.contains("\"Anti-Social Behaviour\" (1)"));
    let cfg =
        write(dir.path(), "c.toml", "[categories]\n\"Anti-Social Behaviour\" = \"ASB\"\n\"ASB Handling\" = \"ASB\"\n");
    let (code, json, err) = run(&["metrics", s(&csv), "--config", s(&cfg), "--period", "2024/25", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let cats: Vec<(String, u64)> = v["by_category"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["category"].as_str().unwrap().to_string(), c["received"].as_u64().unwrap()))
        .collect();
    // "anti-social behaviour" matches its key ignoring case and punctuation.
    assert_eq!(cats, [("ASB".to_string(), 3), ("Repairs".to_string(), 1)]);
}

#[test]
fn a_typo_in_one_date_never_stops_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(SAMPLE).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Row 11 (line 11): its received date; row 21: its stage 1 response.
    let received = lines[10].split(',').nth(2).unwrap().to_string();
    lines[10] = lines[10].replacen(&received, "03/04/1999", 1);
    let fields: Vec<&str> = lines[20].split(',').collect();
    let response = fields[11].to_string();
    assert!(!response.is_empty(), "row 21 has a stage 1 response");
    lines[20] = lines[20].replacen(&format!(",{response},"), ",14/05/2204,", 1);
    let csv = write(dir.path(), "typo.csv", &(lines.join("\n") + "\n"));
    let (code, out, _) = run(&["validate", s(&csv), "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let (_, base, _) = run(&["validate", SAMPLE, "--format", "json"]);
    let base: serde_json::Value = serde_json::from_str(&base).unwrap();
    assert_eq!(v["input"]["rows_rejected"], base["input"]["rows_rejected"].as_u64().unwrap() + 1);
    assert_eq!(v["input"]["warnings"], base["input"]["warnings"].as_u64().unwrap() + 1);
    let i = &v["input"];
    assert_eq!(
        i["rows_read"],
        i["rows_used"].as_u64().unwrap() + i["rows_rejected"].as_u64().unwrap() + i["duplicates"].as_u64().unwrap()
    );
    assert!(v["rejected"].as_array().unwrap().iter().any(|r| r["row"] == 11 && r["value"] == "03/04/1999"));
    assert!(v["dropped"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["row"] == 21 && d["value"] == "14/05/2204" && d["rule"] == "outside_calendar"));
    let (code, _, err) = run(&["report", s(&csv), "--out", s(&dir.path().join("out"))]);
    assert_eq!(code, 0, "{err}");
}
