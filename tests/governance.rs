//! Governance: the Ombudsman's decisions counted by the date they were issued, its orders and the
//! landlord's compliance, failure orders, the Member Responsible for Complaints and the
//! self-assessment's actions — every figure worked out by hand from
//! tests/cases/governance/casework.csv (the comments say how).

use scraper::{Html, Selector};
use serde_json::Value;

mod common;
use common::run;

const CASES: &str = "tests/cases/governance/cases.csv";
const CONFIG: &str = "tests/cases/governance/complaints.toml";

fn metrics(period: &str) -> Value {
    let (code, out, err) = run(&["metrics", CASES, "--config", CONFIG, "--period", period, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn board(dir: &std::path::Path, period: &str) -> (String, Value) {
    let out = dir.join(period.replace(['/', ' '], "-"));
    let (code, _, err) =
        run(&["report", CASES, "--config", CONFIG, "--period", period, "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(out.join("board-report.html")).unwrap();
    let json = serde_json::from_str(&std::fs::read_to_string(out.join("metrics.json")).unwrap()).unwrap();
    (html, json)
}

fn text_of(html: &str) -> String {
    Html::parse_document(html).root_element().text().collect::<Vec<_>>().join(" ")
}

/// The rows of the table whose caption starts with `caption`, as (header cell, other cells).
fn table(html: &str, caption: &str) -> Vec<(String, Vec<String>)> {
    let doc = Html::parse_document(html);
    let t = doc
        .select(&Selector::parse("table").unwrap())
        .find(|t| {
            t.select(&Selector::parse("caption").unwrap())
                .next()
                .is_some_and(|c| c.text().collect::<String>().starts_with(caption))
        })
        .unwrap_or_else(|| panic!("no table {caption}"));
    t.select(&Selector::parse("tbody tr").unwrap())
        .map(|r| {
            let th = r.select(&Selector::parse("th").unwrap()).next().map(|h| h.text().collect()).unwrap_or_default();
            (th, r.select(&Selector::parse("td").unwrap()).map(|d| d.text().collect::<String>()).collect())
        })
        .collect()
}

#[test]
fn decisions_are_counted_by_the_date_they_were_issued() {
    // 2025/26 Q3 (1 October – 31 December 2025). Decided in it: H1 (G1, referred November 2023:
    // severe maladministration, service failure), H2 (maladministration, no maladministration),
    // H3 (reasonable redress, outside jurisdiction), H5 (X9, not in the export: service failure).
    // H4 was decided in March 2025, H6 in January 2026 (after as-of); two rows are rejected.
    let m = metrics("2025/26 Q3");
    let d = &m["ombudsman"]["decisions"];
    assert_eq!(d["source"], "casework_file");
    assert_eq!(d["decided"], 4);
    let f = &d["findings"];
    assert_eq!(
        [
            &f["severe maladministration"],
            &f["maladministration"],
            &f["service failure"],
            &f["no maladministration"],
            &f["reasonable redress"],
            &f["outside jurisdiction"]
        ],
        [1, 1, 2, 1, 1, 1]
    );
    // Adverse: 1 + 1 + 2 = 4, of 6 findings on the merits (7 less outside jurisdiction).
    assert_eq!(d["adverse"], 4);
    assert_eq!(d["maladministration_rate"]["num"], 4);
    assert_eq!(d["maladministration_rate"]["den"], 6);
    assert_eq!(d["maladministration_rate"]["pct"], 66.7);
    assert_eq!(d["severe"].as_array().unwrap().len(), 1);
    assert_eq!(d["severe"][0]["case_id"], "G1");
    assert_eq!(d["severe"][0]["decision_date"], "2025-11-20");
    // No referral was notified in the quarter: the export counts referrals, the casework decisions.
    assert_eq!(m["ombudsman"]["referrals"], 0);
}

#[test]
fn orders_and_compliance() {
    let m = metrics("2025/26 Q3");
    let o = &m["ombudsman"]["orders"];
    // Made in the quarter's decisions: H1's apology, £1,200 and review; H2's £300 and roof repair
    // (its row has no decision date and takes H2's); H5's £100.
    assert_eq!(o["issued"], 6);
    assert_eq!(o["issued_by_kind"]["apology"], 1);
    assert_eq!(o["issued_by_kind"]["compensation"], 3);
    assert_eq!(o["issued_by_kind"]["review"], 1);
    assert_eq!(o["issued_by_kind"]["works"], 1);
    assert_eq!(o["compensation_ordered"], 1600.0);
    // Due in the quarter: H1 apology (18 Dec, done 10 Dec: on time), H1 £1,200 (18 Dec, done
    // 22 Dec: late), H2 £300 (5 Nov, not done), H2 roof (3 Dec, done 1 Dec), H5 £100 (27 Nov,
    // done that day: on time).
    assert_eq!(o["due"], 5);
    assert_eq!(o["complied_on_time"], 3);
    assert_eq!(o["complied_late"], 1);
    assert_eq!(o["due_not_complied"], 1);
    // Outstanding on 31 December: H1's review (due February: not overdue), H2's £300, H4's
    // apology (due 11 April 2025). H4's £150 was complied with late, in October.
    assert_eq!(o["outstanding"], 3);
    assert_eq!(o["overdue"], 2);
    assert_eq!(o["no_due_date"], 0);
    let overdue = o["overdue_orders"].as_array().unwrap();
    assert_eq!(overdue[0]["ombudsman_ref"], "H4");
    assert_eq!(overdue[0]["days_overdue"], 264);
    assert_eq!(overdue[1]["ombudsman_ref"], "H2");
    assert_eq!(overdue[1]["days_overdue"], 56);

    // The year before: H4 decided 14 March 2025 (service failure), its two orders due in April.
    let y = metrics("2024/25");
    let d = &y["ombudsman"]["decisions"];
    assert_eq!((d["decided"].as_u64(), d["adverse"].as_u64()), (Some(1), Some(1)));
    assert_eq!(d["maladministration_rate"]["pct"], 100.0);
    let o = &y["ombudsman"]["orders"];
    assert_eq!((o["issued"].as_u64(), o["due"].as_u64()), (Some(2), Some(0)));
    assert_eq!((o["outstanding"].as_u64(), o["overdue"].as_u64()), (Some(2), Some(0)));
}

#[test]
fn the_board_sees_the_finding_in_the_quarter_it_was_decided() {
    let dir = tempfile::tempdir().unwrap();
    let (html, json) = board(dir.path(), "2025/26 Q3");
    let summary: Vec<String> = Html::parse_document(&html)
        .select(&Selector::parse("ul.summary li").unwrap())
        .map(|l| l.text().collect())
        .collect();
    assert!(summary[0].contains("severe maladministration") && summary[0].contains("20 November 2025"), "{summary:?}");
    // Not in the quarter the case was referred (2023/24 Q3), nor the quarter before the decision.
    for quarter in ["2023/24 Q3", "2025/26 Q2"] {
        let (other, _) = board(dir.path(), quarter);
        assert!(!text_of(&other).contains("found severe maladministration"), "{quarter}");
    }

    // Every figure of the section equals metrics.json.
    let rows = table(&html, "The Housing Ombudsman this quarter");
    let cell = |label: &str| {
        rows.iter().find(|(h, _)| h.starts_with(label)).unwrap_or_else(|| panic!("no row {label}")).1[0].clone()
    };
    let d = &json["ombudsman"]["decisions"];
    assert_eq!(cell("Investigations decided"), d["decided"].to_string());
    assert_eq!(cell("– Findings of service failure"), d["findings"]["service failure"].to_string());
    assert_eq!(cell("Adverse findings"), d["adverse"].to_string());
    assert_eq!(cell("Maladministration rate"), "66.7% (4 of 6)");
    let orders = table(&html, "Orders the Ombudsman made");
    let o = &json["ombudsman"]["orders"];
    let ocell = |label: &str| orders.iter().find(|(h, _)| h.starts_with(label)).unwrap().1[0].clone();
    assert_eq!(ocell("Made in decisions"), o["issued"].to_string());
    assert_eq!(ocell("Compensation ordered"), "£1,600.00");
    assert_eq!(ocell("– complied with late"), o["complied_late"].to_string());
    assert_eq!(ocell("Outstanding on"), o["outstanding"].to_string());
    assert_eq!(ocell("– past their due date"), o["overdue"].to_string());
    let overdue = table(&html, "Ombudsman orders past their due date");
    assert_eq!(overdue.len(), 2);
    assert_eq!(overdue[0].0, "H4");

    // The failure order, the MRC and the self-assessment's actions.
    let text = text_of(&html);
    assert!(text.contains("Failure to progress a complaint"));
    assert!(text.contains("Sam Okoro, Board member"));
    assert!(text.contains("I have reviewed every Ombudsman finding this quarter"));
    let actions = table(&html, "Self-assessment actions not yet complete");
    // The complete one is gone; the overdue one (due 30 November 2025) comes first.
    assert_eq!(actions.len(), 2, "{actions:?}");
    assert!(actions[0].1[0].starts_with("Weekly review") && actions[0].1[3].contains("overdue"));
    assert!(actions[1].1[0].starts_with("Track remedies"));
    // H5 is of a complaint the export does not have: counted, and listed.
    assert!(text.contains("1 investigation in the casework file is of a complaint the case export does not have"));
    let rejected = table(&html, "Casework rows rejected");
    assert_eq!(rejected.len(), 2);
}

#[test]
fn validate_accounts_for_every_casework_row() {
    let (code, out, _) = run(&["validate", CASES, "--config", CONFIG]);
    assert_eq!(code, 1, "two casework rows are rejected: {out}");
    assert!(out.contains("19 rows read, 17 used, 2 rejected"), "{out}");
    assert!(
        out.contains("row 19, column \"HOS Ref\" = (blank): no Ombudsman reference and no case reference"),
        "{out}"
    );
    assert!(out.contains("row 20, column \"Finding\" = \"Upheld\": not an Ombudsman finding"), "{out}");
    assert!(out.contains("not in the case export (counted): Ombudsman ref. H5, case X9, rows 16, 17"), "{out}");
}

#[test]
fn without_a_casework_file_the_export_dates_its_own_determinations() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("c.csv");
    // E1 decided in Q3 though referred in 2024; E2 has no decision date: in no period.
    std::fs::write(
        &cases,
        "Case Ref,Date Received,Service Area,HOS Referral Date,HOS Outcome,HOS Decision Date\n\
         E1,01/04/2024,Repairs,01/08/2024,Severe maladministration,03/11/2025\n\
         E2,01/05/2024,Repairs,01/09/2024,Service failure,\n",
    )
    .unwrap();
    let (code, out, err) = run(&["metrics", cases.to_str().unwrap(), "--period", "2025/26 Q3", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let m: Value = serde_json::from_str(&out).unwrap();
    let d = &m["ombudsman"]["decisions"];
    assert_eq!(d["source"], "export");
    assert_eq!(d["decided"], 1);
    assert_eq!(d["findings"]["severe maladministration"], 1);
    assert_eq!(d["undated"], 1);
    assert!(m["ombudsman"]["orders"].is_null());
}
