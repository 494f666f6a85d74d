//! Peers and the Regulator: the embedded RSH data, quartiles among peers, `peers import` and the
//! reconciliation of a published return with the case data (`tsm-check`).

use std::path::Path;

use complaints::peers::data::{load, Item, Published};
use complaints::peers::position::{usable, Quartiles};

mod common;
use common::{run, sample_report};

#[test]
fn the_sector_lower_quartile_of_stage_1_complaints_per_1000_homes() {
    let years = load(&[]).unwrap();
    let p = &years["2024/25"];
    let values: Vec<f64> = p.landlords.iter().filter_map(|l| usable(l, "lcra", "ch01", 1)).collect();
    // 359 landlords; 5 have [U] for LCRA CH01 stage 1.
    assert_eq!((p.landlords.len(), values.len()), (359, 354));
    let q = Quartiles::of(&values).unwrap();
    // QUARTILE.INC over the 354 published values: 34.325, shown as 34.3 — the sector lower
    // quartile landlords cite in their own 2024/25 complaints reports.
    assert_eq!(format!("{:.1}", (q.lower * 10.0).round() / 10.0), "34.3");
    assert!((q.lower - 34.325).abs() < 1e-9, "{}", q.lower);
}

#[test]
fn the_embedded_data_holds_together() {
    let years = load(&[]).unwrap();
    assert_eq!(years.keys().cloned().collect::<Vec<_>>(), ["2023/24", "2024/25"]);
    for (year, p) in &years {
        let mut codes: Vec<&str> = p.landlords.iter().map(|l| l.code.as_str()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), p.landlords.len(), "{year}: codes are unique");
        let mut checked = 0;
        for l in &p.landlords {
            for (stage, value, num, den, scale) in
                [(1, "ch01_1", "ch01_1_num", "ch01_1_den", 1000.0), (1, "ch02_1", "ch02_1_num", "ch02_1_den", 100.0)]
            {
                let (Item::Value(v), Item::Value(n), Item::Value(d)) =
                    (l.item("lcra", value), l.item("lcra", num), l.item("lcra", den))
                else {
                    continue;
                };
                if *d > 0.0 {
                    assert!((v - n / d * scale).abs() < 0.051, "{year} {} stage {stage}: {v} vs {n}/{d}", l.code);
                    checked += 1;
                }
            }
            // From 2024/25 the extension split adds up to the CH02 numerator.
            if let (Item::Value(a), Item::Value(b), Item::Value(n)) =
                (l.item("lcra", "s1_without_ext"), l.item("lcra", "s1_with_ext"), l.item("lcra", "ch02_1_num"))
            {
                assert_eq!(a + b, *n, "{year} {}", l.code);
            }
        }
        assert!(checked > 600, "{year}: {checked} figures checked against their numerators");
        // Codes are kept as codes, never read as zero (most landlords return no Combined figures).
        let coded = p.landlords.iter().filter(|l| matches!(l.item("combined", "ch01_1_num"), Item::Coded(_))).count();
        assert!(coded > 100, "{year}: {coded}");
    }
}

#[test]
fn peers_import_reproduces_the_embedded_data() {
    let real = Path::new("../shared/data/real");
    if !real.exists() {
        println!("SKIPPED: ../shared/data/real is not here, so the workbooks cannot be re-imported");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (workbook, year, embedded) in [
        ("RSH_2025_TSM_Full_Data_v1.0_FINAL.xlsx", "2024/25", "src/peers/data/rsh-tsm-2024-25.csv"),
        ("RSH_2024_TSM_Full_Data_v1.1_FINAL.xlsx", "2023/24", "src/peers/data/rsh-tsm-2023-24.csv"),
    ] {
        let out = dir.path().join("p.csv");
        let (code, stdout, err) = run(&[
            "peers",
            "import",
            real.join(workbook).to_str().unwrap(),
            "--year",
            year,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
        assert!(stdout.contains("landlords"), "{stdout}");
        assert!(std::fs::read(&out).unwrap() == std::fs::read(embedded).unwrap(), "{workbook} differs from {embedded}");
    }
}

/// Writes the synthetic Yorkshire Housing export (only `tenures`) and a config naming L4521.
fn yorkshire(dir: &Path, tenures: &[&str], edit: impl Fn(&str) -> String) -> (String, String) {
    let (csv, published) = common::synthetic_yorkshire(tenures);
    let cases = dir.join("yh.csv");
    std::fs::write(&cases, edit(&csv)).unwrap();
    let config = dir.join("yh.toml");
    std::fs::write(
        &config,
        format!(
            "landlord = \"Yorkshire Housing\"\n[homes]\nlcra = {}\nlcho = {}\n[peers]\nrsh_code = \"L4521\"\n",
            published[0].homes, published[1].homes
        ),
    )
    .unwrap();
    (cases.to_str().unwrap().to_string(), config.to_str().unwrap().to_string())
}

#[test]
fn the_synthetic_yorkshire_housing_reconciles_with_its_published_return() {
    let dir = tempfile::tempdir().unwrap();
    let (cases, config) = yorkshire(dir.path(), &["LCRA", "LCHO"], str::to_string);
    let (code, out, err) = run(&["tsm-check", &cases, "--config", &config, "--year", "2024/25"]);
    assert_eq!(code, 0, "{out}{err}");
    // 3 stock types × 2 stages × 6 items; Combined is [U]/[X] in the published return.
    assert!(out.contains("Result: 0 of 36 items differ; 12 not comparable"), "{out}");

    // Only the LCRA cases: LCHO differs, unless the check is limited to LCRA.
    let dir = tempfile::tempdir().unwrap();
    let (cases, config) = yorkshire(dir.path(), &["LCRA"], str::to_string);
    let (code, out, _) = run(&["tsm-check", &cases, "--config", &config, "--year", "2024/25"]);
    assert_eq!(code, 1, "{out}");
    let (code, out, err) = run(&["tsm-check", &cases, "--config", &config, "--year", "2024/25", "--tenure", "lcra"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Result: 0 of 12 items differ"), "{out}");
}

#[test]
fn a_response_moved_three_weeks_later_is_a_difference_naming_the_case() {
    let dir = tempfile::tempdir().unwrap();
    // YH1 is answered within timescale without an extension; move its response three weeks on.
    let (cases, config) = yorkshire(dir.path(), &["LCRA", "LCHO"], |csv| {
        let mut out = String::new();
        for line in csv.lines() {
            if line.starts_with("YH1,") {
                let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
                let sent = chrono::NaiveDate::parse_from_str(&cells[5], "%d/%m/%Y").unwrap();
                cells[5] = (sent + chrono::Duration::days(21)).format("%d/%m/%Y").to_string();
                out.push_str(&cells.join(","));
            } else {
                out.push_str(line);
            }
            out.push('\n');
        }
        out
    });
    let (code, out, _) = run(&["tsm-check", &cases, "--config", &config, "--year", "2024/25", "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let differs: Vec<&serde_json::Value> =
        v["rows"].as_array().unwrap().iter().filter(|r| r["outcome"] == "differs").collect();
    let items: Vec<&str> = differs.iter().map(|r| r["item"].as_str().unwrap()).collect();
    assert_eq!(items, ["CH02 numerator (answered within timescale)", "within timescale without an extension"], "{out}");
    for r in &differs {
        assert_eq!(
            (r["tenure"].as_str(), r["stage"].as_u64(), r["difference"].as_i64()),
            (Some("lcra"), Some(1), Some(-1))
        );
        assert!(r["cases"].as_array().unwrap().iter().any(|c| c == "YH1"), "{r}");
    }
}

#[test]
fn an_unknown_code_names_close_matches() {
    let dir = tempfile::tempdir().unwrap();
    let (cases, config) = yorkshire(dir.path(), &["LCRA"], str::to_string);
    let (code, _, err) = run(&["tsm-check", &cases, "--config", &config, "--year", "2024/25", "--rsh-code", "L4512"]);
    assert_eq!(code, 2);
    assert!(err.contains("peers.rsh_code: 'L4512'") && err.contains("L4521 (Yorkshire Housing Limited)"), "{err}");
    // A year the Regulator has not published.
    let (code, _, err) = run(&["tsm-check", &cases, "--config", &config, "--year", "2025/26"]);
    assert_eq!(code, 2);
    assert!(err.contains("no published return for 2025/26"), "{err}");
}

#[test]
fn a_peers_file_is_checked_and_adds_a_year() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "landlord_name,landlord_code\nA,L1\n").unwrap();
    assert!(load(&[bad]).unwrap_err().to_string().contains("not a peers file"));
    // A copy of 2024/25 relabelled 2025/26 adds that year.
    let text = std::fs::read_to_string("src/peers/data/rsh-tsm-2024-25.csv").unwrap().replacen("2024/25", "2025/26", 1);
    let newer = dir.path().join("new.csv");
    std::fs::write(&newer, &text).unwrap();
    let years = load(&[newer]).unwrap();
    assert!(years.contains_key("2025/26"));
    let p: &Published = &years["2025/26"];
    assert_eq!(p.landlords.len(), 359);
}

#[test]
fn the_board_and_annual_reports_place_us_among_peers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b");
    let json = sample_report(&out);
    let html = std::fs::read_to_string(out.join("board-report.html")).unwrap();
    let positions = json["peers"]["positions"].as_array().unwrap();
    assert_eq!(json["peers"]["year"], "2024/25");
    assert_eq!(positions.len(), 8, "LCRA and LCHO (59 LCHO peers), CH01 and CH02, two stages");
    let doc = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let table = doc
        .select(&sel("table"))
        .find(|t| t.text().collect::<String>().contains("Our Tenant Satisfaction Measures among"))
        .expect("the peers table");
    let rows: Vec<Vec<String>> = table
        .select(&sel("tbody tr"))
        .map(|r| r.select(&sel("td")).map(|c| c.text().collect::<String>()).collect())
        .collect();
    assert_eq!(rows.len(), positions.len());
    let one = |v: &serde_json::Value| format!("{:.1}", v.as_f64().unwrap());
    for (row, p) in rows.iter().zip(positions) {
        assert_eq!(row[0], one(&p["ours"]));
        assert_eq!(row[2], one(&p["quartiles"]["lower"]));
        assert_eq!(row[3], one(&p["quartiles"]["median"]));
        assert_eq!(row[4], one(&p["quartiles"]["upper"]));
        assert_eq!(row[5], p["n"].to_string());
        assert_eq!(row[7], one(&p["percentile"]));
    }
    // The LCRA stage 1 CH01 lower quartile is the sector's 34.3.
    assert_eq!(rows[0][2], "34.3");
    // Four strip charts, each with a title, a description and its data.
    for id in ["peers-ch01-1-lcra", "peers-ch01-2-lcra", "peers-ch02-1-lcra", "peers-ch02-2-lcra"] {
        let fig = doc.select(&sel(&format!("figure#{id}"))).next().unwrap_or_else(|| panic!("{id}"));
        assert!(fig.select(&sel("svg title")).next().is_some() && fig.select(&sel("svg desc")).next().is_some());
        assert!(fig.select(&sel("details table")).next().is_some());
    }
    assert!(html.contains("Open Government Licence v3.0"));
    // CH01 carries no RAG; CH02 does.
    assert!(!rows[0][6].is_empty());
    let csv = std::fs::read_to_string(out.join("metrics.csv")).unwrap();
    assert!(csv.lines().any(|l| l == "peer_lower_quartile,1,lcra ch01,,,34.3"), "{csv}");
}

#[test]
fn the_annual_report_reconciles_the_published_return() {
    let dir = tempfile::tempdir().unwrap();
    let (cases, config) = yorkshire(dir.path(), &["LCRA", "LCHO"], str::to_string);
    let answers = dir.path().join("a.toml");
    std::fs::write(&answers, "").unwrap();
    let out = dir.path().join("a");
    let (code, _, err) = run(&[
        "annual-report",
        &cases,
        "--config",
        &config,
        "--year",
        "2024/25",
        "--answers",
        answers.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(out.join("annual-report.html")).unwrap();
    assert!(html.contains("Our published return beside our case records"));
    assert!(html.contains("every comparable item matches"), "{html}");
    // Our own published figure is beside the case data's: 82.8 per 1,000 homes.
    assert!(html.contains("Yorkshire Housing Limited"));
    assert!(html.contains("<td class=\"num\">82.8</td>"));
}
