//! Metrics on a hand-built fixture of 43 cases (tests/cases/metrics-fixture). Every expected
//! number below was worked out by hand from SPEC §6; the comments say which cases make it up.
//! Calendar notes: Mon 26 Aug 2024 is a bank holiday; Q2 2024/25 is Mon 1 Jul – Mon 30 Sep 2024.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use complaints::config::Profile;
use complaints::metrics::model::{Metrics, Prop};
use complaints::metrics::{compute, Request};
use complaints::period::Period;
use complaints::Inputs;
use complaints::Loaded;

fn fixture() -> Loaded {
    let dir = PathBuf::from("tests/cases/metrics-fixture");
    let input =
        Inputs { files: vec![dir.join("cases.csv")], config: Some(dir.join("complaints.toml")), ..Inputs::default() };
    complaints::load(&input).unwrap()
}

fn metrics(loaded: &Loaded, period: &str, as_of: Option<&str>, profile: &Profile) -> Metrics {
    let p = Period::parse(period, as_of.map(|d| d.parse().unwrap())).unwrap();
    compute(loaded, &Request { period: &p, profile, by: None, trend: 0 }).unwrap()
}

fn map(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

fn prop(num: u64, den: u64, pct: Option<f64>) -> Prop {
    Prop { num, den, pct }
}

#[test]
fn fixture_reads_cleanly() {
    let l = fixture();
    let c = l.cases.ledger.counts();
    assert_eq!((c.rows_read, c.rows_used, c.rows_rejected, c.duplicates, c.warnings), (43, 43, 0, 0, 0));
}

#[test]
fn stage_1_in_q2() {
    let l = fixture();
    let m = metrics(&l, "2024/25 Q2", None, &Profile::code_2024());
    let s = &m.stages[0];
    // Accepted stage 1 complaints received 1 Jul – 30 Sep: C01–C14, C17–C21, C23, C24, C28–C31.
    assert_eq!(s.received, 25);
    // Of those less the withdrawn C13 and C14 (23), C23 is still inside its 5 days with no
    // acknowledgement, so 22 were due; C10 and C11 (none) and C12 (6 days) missed.
    // On time: C01–C09, C17–C21, C24, C28–C31 = 9 + 5 + 1 + 4.
    assert_eq!(s.ack_on_time, Some(prop(19, 22, Some(86.4))));
    // Responses in the period, not withdrawn: C01–C12, C25, C28–C31.
    assert_eq!(s.responses, 17);
    // Exactly 10 working days from acknowledgement: C01, C03 (received Saturday), C04 (received
    // on the bank holiday), C12 (late acknowledgement, clock still from it), C25, C28–C31; and C10
    // timed from receipt for want of an acknowledgement.
    assert_eq!(s.on_time, 10);
    // C05 (due date met), C06 (no due date: 20 days), C07 (due beyond the maximum), C09 (due date
    // after the deadline without the flag).
    assert_eq!(s.on_time_extended, 4);
    // C02 (11 days), C08 (extended, 21 days), C11 (11 days from receipt).
    assert_eq!(s.late, 3);
    assert_eq!(s.within_timescale, 14);
    assert_eq!(s.extension_over_max, 1, "C07: due 25 working days after acknowledgement");
    // Ten 10s, 11, 11, 13, 19, 20, 21, 24: the ninth of 17 is 10.
    assert_eq!(s.median_wd, Some(10.0));
    // Open at 30 Sep: C17, C19, C20 (due 4 Oct), C23, C24 (answered 3 Oct, after as-of); overdue:
    // C18 (19 days), C21 (due 27 Sep passed), C22 (received June).
    assert_eq!((s.open, s.overdue), (8, 3));
    assert_eq!(s.outcomes, map(&[("upheld", 6), ("partly upheld", 2), ("not upheld", 8), ("not recorded", 1)]));
    assert_eq!(m.warnings.clock_from_receipt, 3, "C10, C11 at stage 1 and C34 at stage 2");
}

#[test]
fn stage_2_in_q2() {
    let l = fixture();
    let m = metrics(&l, "2024/25 Q2", None, &Profile::code_2024());
    let s = &m.stages[1];
    // Escalations requested in the period and not refused: C26, C27, C30, C32, C33, C34.
    assert_eq!(s.received, 6);
    // Less the withdrawn C33: C34 has no acknowledgement.
    assert_eq!(s.ack_on_time, Some(prop(4, 5, Some(80.0))));
    // C26, C27, C32, C34 (C33 withdrawn).
    assert_eq!(s.responses, 4);
    assert_eq!((s.on_time, s.on_time_extended, s.late, s.extension_over_max), (2, 1, 1, 0));
    // 20, 20, 21, 38.
    assert_eq!(s.median_wd, Some(20.5));
    assert_eq!((s.open, s.overdue), (1, 0), "C30: 19 of 20 days used");
    assert_eq!(s.outcomes, map(&[("upheld", 2), ("partly upheld", 1), ("not upheld", 1)]));
}

#[test]
fn closure_escalation_and_the_rest_in_q2() {
    let l = fixture();
    let m = metrics(&l, "2024/25 Q2", None, &Profile::code_2024());
    // Closed at stage 1: C01–C12, C25, C28, C29 (refused), C31 (escalated after as-of);
    // at stage 2: C26, C27, C32, C34. Not C13, C33 (withdrawn) or C30 (escalation pending).
    assert_eq!(m.closed, 20);
    assert_eq!(m.resolved_at, BTreeMap::from([(1, 16), (2, 4)]));
    assert_eq!(m.resolution[&1], prop(16, 20, Some(80.0)));
    assert_eq!(m.resolution[&2], prop(4, 20, Some(20.0)));

    let e = &m.escalation;
    // C26, C27, C28, C29, C30, C32, C33, C34 over 17 stage 1 responses.
    assert_eq!(e.requests, 8);
    assert_eq!(e.rate, prop(8, 17, Some(47.1)));
    assert_eq!((e.refused, e.refused_explained), (2, 1));
    assert_eq!(e.by_reason, map(&[("New issue", 1), ("not recorded", 1)]));

    assert_eq!(m.not_accepted.total, 2);
    assert_eq!(m.not_accepted.by_reason, map(&[("Legal proceedings started", 1), ("not recorded", 1)]));

    // Window 1 Oct 2023 – 30 Sep 2024: P1 (R1 in 2023/24 and C01), P2 (C02, C03), P4 (R3, R4: none
    // this period). P3's R2 is before the window; P5's C15 was not accepted.
    let r = m.repeat.as_ref().unwrap();
    assert_eq!((r.threshold, r.complainants, r.complaints, r.complainant_not_recorded), (2, 3, 3, 2));

    // C01 £100.00 + C06 £50.50 + C26 £250 (stage 2 response in the period); not C22 (no response)
    // or C25 (£0).
    let c = m.compensation.as_ref().unwrap();
    assert_eq!((c.total, c.cases), (400.5, 3));

    // Closed and surveyed: C01 yes, C02 no, C03 yes.
    assert_eq!(m.satisfaction, Some(prop(2, 3, Some(66.7))));

    let o = m.ombudsman.as_ref().unwrap();
    assert_eq!(o.referrals, 3, "C26, C27, C32");
    assert_eq!(o.determinations, map(&[("maladministration", 1), ("service failure", 1)]));
    // C26 (14 days) and C27 (exactly 15) on time; C32 (16) late; C34 unanswered past 15 days; C33
    // unanswered but only 6 days in.
    assert_eq!(o.evidence_on_time, prop(2, 4, Some(50.0)));

    let lessons = m.lessons.as_ref().unwrap();
    // C01, C03, C05, C26 (closed); not C18 (open).
    assert_eq!(lessons.recorded, 4);
    assert_eq!(lessons.actions, map(&[("complete", 1), ("in progress", 1), ("open", 1), ("not recorded", 1)]));
    assert_eq!(lessons.overdue, 2, "C03 due 1 Sep, C26 due 15 Sep");

    let cats: Vec<(String, u64, Prop, Prop)> =
        m.by_category.iter().map(|c| (c.category.clone(), c.received, c.within_timescale, c.upheld)).collect();
    assert_eq!(
        cats,
        vec![
            ("Repairs".to_string(), 21, prop(11, 14, Some(78.6)), prop(5, 14, Some(35.7))),
            ("Damp and mould".to_string(), 2, prop(2, 2, Some(100.0)), prop(2, 2, Some(100.0))),
            ("ASB handling".to_string(), 1, prop(1, 1, Some(100.0)), prop(1, 1, Some(100.0))),
            ("not recorded".to_string(), 1, prop(0, 0, None), prop(0, 0, None)),
        ]
    );
}

#[test]
fn tsm_year_to_date_at_q2() {
    let l = fixture();
    let m = metrics(&l, "2024/25 Q2", None, &Profile::code_2024());
    let t = &m.tsm;
    assert_eq!(
        (t.year.as_str(), t.start.to_string(), t.end.to_string(), t.profile.as_str()),
        ("2024/25", "2024-04-01".into(), "2024-09-30".into(), "code-2024")
    );
    assert_eq!((t.homes.lcra, t.homes.lcho, t.homes.combined), (Some(1000), Some(200), Some(1200)));
    // Stage 1 made 1 Apr – 30 Sep: the 25 of Q2 plus C22, C25, C26, C27, C32, C33, C34. LCHO: C10,
    // C11, C12 ("lcho "); C13 is leasehold, outside the TSMs.
    let c1 = &t.ch01.stage1;
    assert_eq!((c1.lcra.num, c1.lcra.per_1000), (Some(28), Some(28.0)));
    assert_eq!((c1.lcho.num, c1.lcho.per_1000), (Some(3), Some(15.0)));
    assert_eq!((c1.combined.num, c1.combined.den, c1.combined.per_1000), (Some(31), Some(1200), Some(25.8)));
    // Within without extension by as-of (withdrawn count): LCRA C01, C03, C04, C25, C26, C27,
    // C28–C34 (13); LCHO C10, C12. With extension: C05, C06, C07, C09.
    let c2 = &t.ch02.stage1;
    assert_eq!(
        (c2.lcra.num, c2.lcra.den, c2.lcra.pct, c2.lcra.within_without_extension, c2.lcra.within_with_extension),
        (Some(17), Some(28), Some(60.7), Some(13), Some(4))
    );
    assert_eq!((c2.lcho.num, c2.lcho.den, c2.lcho.pct), (Some(2), Some(3), Some(66.7)));
    assert_eq!((c2.combined.num, c2.combined.den, c2.combined.pct), (Some(19), Some(31), Some(61.3)));
    // Stage 2: C26, C27, C30, C32, C33, C34, all LCRA; within C26, C33, C34 and C32 (extended).
    let s2 = &t.ch01.stage2;
    assert_eq!((s2.lcra.per_1000, s2.lcho.per_1000, s2.combined.per_1000), (Some(6.0), Some(0.0), Some(5.0)));
    let s2 = &t.ch02.stage2;
    assert_eq!(
        (s2.lcra.num, s2.lcra.den, s2.lcra.pct, s2.lcra.within_with_extension),
        (Some(4), Some(6), Some(66.7), Some(1))
    );
    assert_eq!((s2.lcho.num, s2.lcho.den, s2.lcho.pct), (Some(0), Some(0), None));
}

#[test]
fn march_complaint_answered_in_april_counts_in_that_years_ch02() {
    let l = fixture();
    // M1: received Mon 17 Mar 2025, acknowledged 18 Mar, answered Tue 1 Apr (10 working days).
    let at_year_end = metrics(&l, "2024/25", None, &Profile::code_2024());
    let in_april = metrics(&l, "2024/25", Some("2025-04-30"), &Profile::code_2024());
    let (a, b) = (&at_year_end.tsm.ch02.stage1.lcra, &in_april.tsm.ch02.stage1.lcra);
    // 29 LCRA complaints made in the year (the 28 above and M1). Answered within timescale by 31
    // March: the 17 above and C24 (3 Oct, 9 days); by 30 April also M1.
    assert_eq!((a.num, a.den, a.pct), (Some(18), Some(29), Some(62.1)));
    assert_eq!((b.num, b.den, b.pct), (Some(19), Some(29), Some(65.5)));
    assert_eq!(in_april.tsm.end.to_string(), "2025-03-31", "the TSM year stops at its end even when as-of is later");
}

#[test]
fn a_period_cut_at_as_of_and_events_after_it() {
    let l = fixture();
    // As of 16 Jul 2024, C01's response of 17 Jul has not happened: it is open, not on time.
    let m = metrics(&l, "2024/25 Q2", Some("2024-07-16"), &Profile::code_2024());
    assert_eq!(m.period.end.to_string(), "2024-07-16");
    // Responses by 16 Jul: C10 (15 Jul), C11 (16 Jul), C25 (9 Jul), C28–C31 (16 Jul).
    assert_eq!(m.stages[0].responses, 7);
    assert_eq!((m.stages[0].on_time, m.stages[0].late), (6, 1));
}

#[test]
fn the_2022_code_times_stage_1_from_receipt() {
    let l = fixture();
    let m = metrics(&l, "2024/25 Q2", None, &Profile::code_2022());
    let s = &m.stages[0];
    assert_eq!(m.profile, "code-2022");
    assert_eq!(m.code.profile, "code-2024", "the Code in force for the period is shown beside it");
    assert_eq!(m.code.stages[0].on_time, 10);
    // From receipt, working days to the response: C01 12, C02 13, C03 11 (received Saturday),
    // C04 11 (the bank holiday receipt day never counts, 27 Aug does), C10 10, C11 11, C12 16,
    // C25 11, C28–C31 11: only C10 is on time.
    assert_eq!(s.on_time, 1);
    // Extended without a due date: deadline(receipt, 20) = 29 Jul, so C06 (30 Jul) and C08 are
    // late; with due dates C05 (29 Jul ≤ 30 Jul), C07 (5 Aug ≤ 6 Aug), C09 (19 Jul ≤ 19 Jul).
    assert_eq!(s.on_time_extended, 3);
    assert_eq!(s.late, 13);
}

/// Every proportion in a document, with where it sits.
fn props(m: &Metrics) -> Vec<(String, Prop)> {
    let mut out = Vec::new();
    for (label, stages) in [("own", &m.stages), ("code", &m.code.stages)] {
        for s in stages {
            if let Some(a) = s.ack_on_time {
                out.push((format!("{label} ack_on_time[{}]", s.stage), a));
            }
            for (name, n) in [
                ("on_time", s.on_time),
                ("on_time_extended", s.on_time_extended),
                ("late", s.late),
                ("within", s.within_timescale),
                ("over_max", s.extension_over_max),
                ("open-overdue", s.overdue),
            ] {
                let den = if name == "open-overdue" { s.open } else { s.responses };
                out.push((format!("{label} {name}[{}]", s.stage), Prop::new(n, den)));
            }
        }
    }
    for (k, p) in &m.resolution {
        out.push((format!("resolution[{k}]"), *p));
    }
    out.push(("escalation rate".into(), m.escalation.rate));
    out.push(("refused".into(), Prop::new(m.escalation.refused, m.escalation.requests)));
    out.push(("refused explained".into(), Prop::new(m.escalation.refused_explained, m.escalation.refused)));
    if let Some(s) = m.satisfaction {
        out.push(("satisfaction".into(), s));
    }
    if let Some(o) = &m.ombudsman {
        out.push(("evidence".into(), o.evidence_on_time));
    }
    for c in &m.by_category {
        out.push((format!("{} within", c.category), c.within_timescale));
        out.push((format!("{} upheld", c.category), c.upheld));
    }
    for (k, t) in [(1, &m.tsm.ch02.stage1), (2, &m.tsm.ch02.stage2)] {
        for (g, c) in [("lcra", t.lcra), ("lcho", t.lcho), ("combined", t.combined)] {
            if let (Some(num), Some(den)) = (c.num, c.den) {
                out.push((format!("ch02 stage {k} {g}"), Prop::new(num, den)));
                assert_eq!(Some(num), c.within_without_extension.zip(c.within_with_extension).map(|(a, b)| a + b));
            }
        }
    }
    out
}

#[test]
fn invariants_over_the_sample_data_for_every_quarter() {
    let input = Inputs {
        files: vec![PathBuf::from("sample-data/complaints-export.csv")],
        config: Some(PathBuf::from("sample-data/complaints.toml")),
        ..Inputs::default()
    };
    let l = complaints::load(&input).unwrap();
    for year in 2023..=2025 {
        for q in 1..=4 {
            let label = format!("{year}/{:02} Q{q}", (year + 1) % 100);
            for profile in [l.config.own_profile(), Profile::code_2022()] {
                let m = metrics(&l, &label, None, &profile);
                for s in m.stages.iter().chain(&m.code.stages) {
                    assert_eq!(s.on_time + s.on_time_extended + s.late, s.responses, "{label} stage {}", s.stage);
                    assert_eq!(s.within_timescale, s.on_time + s.on_time_extended);
                    assert!(s.overdue <= s.open);
                    assert_eq!(s.outcomes.values().sum::<u64>(), s.responses);
                }
                assert_eq!(m.resolved_at.values().sum::<u64>(), m.closed, "{label}");
                assert_eq!(m.not_accepted.by_reason.values().sum::<u64>(), m.not_accepted.total);
                assert_eq!(m.by_category.iter().map(|c| c.received).sum::<u64>(), m.stages[0].received, "{label}");
                for (name, p) in props(&m) {
                    assert!(p.num <= p.den, "{label} {}: {name} {p:?}", profile.name);
                }
                assert!(m.stages[0].received > 0, "{label}: the sample covers every quarter");
            }
        }
    }
}

#[test]
fn a_synthetic_yorkshire_housing_gives_the_regulators_published_values() {
    let (csv, published) = common::synthetic_yorkshire(&["LCRA", "LCHO"]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("yh.csv"), csv).unwrap();
    std::fs::write(
        dir.path().join("yh.toml"),
        format!(
            "landlord = \"Yorkshire Housing (synthetic)\"\n[homes]\nlcra = {}\nlcho = {}\n",
            published[0].homes, published[1].homes
        ),
    )
    .unwrap();
    let input = Inputs {
        files: vec![dir.path().join("yh.csv")],
        config: Some(dir.path().join("yh.toml")),
        ..Inputs::default()
    };
    let l = complaints::load(&input).unwrap();
    let m = metrics(&l, "2024/25", None, &l.config.own_profile());
    let t = &m.tsm;
    // The Regulator's published values: CH01 82.8 and 22.1 per 1,000; CH02 97.5% and 93.2%.
    assert_eq!(
        (t.ch01.stage1.lcra.num, t.ch01.stage1.lcra.den, t.ch01.stage1.lcra.per_1000),
        (Some(1426), Some(17220), Some(82.8))
    );
    assert_eq!((t.ch01.stage2.lcra.num, t.ch01.stage2.lcra.per_1000), (Some(381), Some(22.1)));
    let c = t.ch02.stage1.lcra;
    assert_eq!(
        (c.num, c.den, c.pct, c.within_without_extension, c.within_with_extension),
        (Some(1390), Some(1426), Some(97.5), Some(1303), Some(87))
    );
    let c = t.ch02.stage2.lcra;
    assert_eq!(
        (c.num, c.den, c.pct, c.within_without_extension, c.within_with_extension),
        (Some(355), Some(381), Some(93.2), Some(318), Some(37))
    );
    // LCHO as published: 30.6 and 7.6 per 1,000, 100% at both stages.
    assert_eq!((t.ch01.stage1.lcho.per_1000, t.ch02.stage1.lcho.pct), (Some(30.6), Some(100.0)));
    assert_eq!((t.ch01.stage2.lcho.per_1000, t.ch02.stage2.lcho.pct), (Some(7.6), Some(100.0)));
}

#[test]
fn ch02_is_provisional_while_complaints_are_pending() {
    let l = fixture();
    // At 31 March 2025 the 29 LCRA stage 1 complaints of 2024/25 are: 18 within timescale (14
    // without extension: C01, C03, C04, C24, C25–C34; 4 with: C05, C06, C07, C09); 2 late (C02, 11
    // working days; C08, after the limit plus the maximum extension); 1 withdrawn unanswered
    // (C14); 7 unanswered and past their deadline (C17–C23); and M1, received 17 March and
    // acknowledged 18 March, 9 working days into its 10: pending, not late.
    let at_year_end = metrics(&l, "2024/25", None, &Profile::code_2024());
    let a = at_year_end.tsm.ch02.stage1.lcra;
    assert_eq!((a.num, a.den, a.pct), (Some(18), Some(29), Some(62.1)));
    assert_eq!(
        (a.within_without_extension, a.within_with_extension, a.late, a.withdrawn_unanswered, a.overdue, a.pending),
        (Some(14), Some(4), Some(2), Some(1), Some(7), Some(1))
    );
    assert_eq!(a.answered_date_unknown, Some(0));
    // Provisional: it can still reach 19 of 29 (65.5%) if M1 is answered in time.
    assert_eq!((a.r#final, a.best_pct), (Some(false), Some(65.5)));
    // As of 30 April M1 has been answered (1 April, 10 working days): within, and final.
    let in_april = metrics(&l, "2024/25", Some("2025-04-30"), &Profile::code_2024());
    let b = in_april.tsm.ch02.stage1.lcra;
    assert_eq!((b.num, b.den, b.pct, b.pending, b.r#final), (Some(19), Some(29), Some(65.5), Some(0), Some(true)));
    assert_eq!(in_april.tsm.as_of.to_string(), "2025-04-30");
}

#[test]
fn the_bridge_from_complaints_received_to_ch01() {
    let l = fixture();
    let m = metrics(&l, "2024/25 Q2", None, &Profile::code_2024());
    let b = &m.tsm.bridge.stage1;
    // Received 1 Apr – 30 Sep 2024: 34 — the 31 counted (28 LCRA, 3 LCHO), C13 (leasehold), and
    // C15 and C16 (not accepted). Every case has a tenure.
    assert_eq!((b.received, b.not_accepted, b.tenure_not_recorded, b.counted), (34, 2, 0, 31));
    assert_eq!(b.outside_tsm, BTreeMap::from([("Leasehold".to_string(), 1)]));
    assert_eq!(b.counted, m.tsm.ch01.stage1.combined.num.unwrap());
    // Stage 2: eight escalation requests, C28 and C29 refused; the other six all LCRA.
    let b2 = &m.tsm.bridge.stage2;
    assert_eq!((b2.received, b2.not_accepted, b2.counted), (8, 2, 6));
}

#[test]
fn answered_with_no_response_date_is_neither_open_nor_overdue() {
    let dir = tempfile::tempdir().unwrap();
    // A: outcome recorded, response date unreadable; B: no outcome, a stage 2 outcome recorded
    // (the stage 1 response date blank); C: genuinely open and overdue; D: withdrawn.
    std::fs::write(
        dir.path().join("a.csv"),
        "Case Ref,Date Received,Tenure,S1 Ack Date,Stage 1 Response Sent,Stage 1 Outcome,Stage 2 Outcome\n\
         A,2024-04-02,LCRA,2024-04-03,sent in May,Upheld,\n\
         B,2024-04-02,LCRA,2024-04-03,,,Not upheld\n\
         C,2024-04-02,LCRA,2024-04-03,,,\n\
         D,2024-04-02,LCRA,2024-04-03,,Withdrawn,\n",
    )
    .unwrap();
    let input = Inputs { files: vec![dir.path().join("a.csv")], ..Inputs::default() };
    let l = complaints::load(&input).unwrap();
    let m = metrics(&l, "2024/25", None, &Profile::code_2024());
    let s = &m.stages[0];
    assert_eq!((s.open, s.overdue, s.answered_date_unknown), (1, 1, 2), "only C is open");
    assert_eq!((s.responses, s.on_time, s.late), (0, 0, 0), "left out of timeliness");
    let c = m.tsm.ch02.stage1.lcra;
    assert_eq!(
        (c.den, c.num, c.answered_date_unknown, c.overdue, c.withdrawn_unanswered, c.pending),
        (Some(4), Some(0), Some(2), Some(1), Some(1), Some(0))
    );
}
