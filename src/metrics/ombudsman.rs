//! Housing Ombudsman referrals, determinations and evidence requests answered within 15 working
//! days; the Ombudsman's decisions by the date they were issued, and its orders and the
//! landlord's compliance (from the casework); and compensation awarded.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use chrono::NaiveDate;
use polars::prelude::*;

use super::frame::{days, days_by, group_counts, within, Counter};
use super::model::{Compensation, Decisions, Ombudsman, Orders, OverdueOrder, Prop, SevereFinding};
use crate::calendar::{epoch_days, Calendar};
use crate::ingest::casework::{Casework, CaseworkSource, Record};
use crate::ingest::values::DETERMINATIONS;
use crate::ingest::COMPENSATION_PENCE;
use crate::period::Period;
use crate::timeline::{ordinals, EVIDENCE_REQUESTED_N, EVIDENCE_SENT_N};

/// Working days the Ombudsman allows for evidence.
pub const EVIDENCE_DAYS: i32 = 15;

/// Referrals, determinations and evidence timeliness for the period (from the case export), with
/// the decisions and orders of the casework.
pub fn ombudsman(df: &DataFrame, p: &Period, calendar: &Calendar, casework: &Casework) -> Result<Ombudsman> {
    let mut o = from_export(df, p, calendar)?;
    o.decisions = decisions(casework, p);
    o.orders = (casework.source == CaseworkSource::File).then(|| orders(casework, p));
    Ok(o)
}

/// The export's referrals, determinations (of cases referred in the period) and evidence.
fn from_export(df: &DataFrame, p: &Period, calendar: &Calendar) -> Result<Ombudsman> {
    if df.column("ombudsman_referred_date").is_err() && df.column("ombudsman_evidence_requested_date").is_err() {
        let determinations = if df.column("ombudsman_determination").is_ok() {
            determinations_by_referral(df.clone(), p)?
        } else {
            BTreeMap::new()
        };
        return Ok(Ombudsman {
            referrals: 0,
            determinations,
            evidence_on_time: Prop::new(0, 0),
            decisions: Decisions::default(),
            orders: None,
        });
    }
    let as_of = epoch_days(p.as_of);
    let referred = within(days_by("ombudsman_referred_date", as_of), p);
    let asof_n = calendar.ordinal_epoch(as_of).map_err(|e| crate::error::data(format!("--as-of: {e}")))?;
    let frame = evidence_ordinals(df, as_of, calendar)?;
    let requested = within(days_by("ombudsman_evidence_requested_date", as_of), p);
    let sent_wd = col("sent__n") - col("req__n");
    let awaited = col("sent__n").is_null().and((lit(asof_n) - col("req__n")).lt_eq(lit(EVIDENCE_DAYS)));
    let mut c = Counter::default();
    let referrals = c.count(referred.clone());
    let on_time = c.count(requested.clone().and(sent_wd.lt_eq(lit(EVIDENCE_DAYS))));
    let due = c.count(requested.and(awaited.not()));
    let n = c.run(frame.clone().lazy())?;
    let determinations = determinations_by_referral(frame, p)?;
    Ok(Ombudsman {
        referrals: n.n(referrals),
        determinations,
        evidence_on_time: Prop::new(n.n(on_time), n.n(due)),
        decisions: Decisions::default(),
        orders: None,
    })
}

/// The frame with `req__n` and `sent__n`: the working-day ordinals of the evidence request and
/// of the evidence sent, each as at as-of (null when after it). A date that counts with no
/// ordinal is an error naming the case.
fn evidence_ordinals(df: &DataFrame, as_of: i32, calendar: &Calendar) -> Result<DataFrame> {
    let cut = |date: &str, ordinal: &str| {
        when(days(date).gt(lit(as_of))).then(lit(NULL).cast(DataType::Int32)).otherwise(col(ordinal))
    };
    let wanted = [
        ("ombudsman_evidence_requested_date", EVIDENCE_REQUESTED_N, "req", "Ombudsman evidence request"),
        ("ombudsman_evidence_sent_date", EVIDENCE_SENT_N, "sent", "Ombudsman evidence sent"),
    ];
    // The timeline base looked the ordinals up once: they are cut at as-of, with how many
    // dates count, in one pass over the cases. The row-by-row lookup is kept for frames without
    // them and to name the case when a date that counts has none.
    let mut select = Vec::new();
    for (date, ordinal, name, _) in wanted {
        select.push(days_by(date, as_of).is_not_null().sum().alias(format!("{name}__dates")));
        if df.column(ordinal).is_ok() {
            select.push(cut(date, ordinal).alias(format!("{name}__cut")));
        }
    }
    let cuts = df.clone().lazy().select(select).collect()?;
    let mut frame = df.clone();
    for (date, _, name, what) in wanted {
        // With no cases the count is broadcast to no rows: then no date counts.
        let dates = cuts.column(&format!("{name}__dates"))?.cast(&DataType::UInt64)?;
        let dates = dates.u64()?.iter().next().flatten().unwrap_or(0);
        let looked_up = match cuts.column(&format!("{name}__cut")) {
            Ok(ords) if ords.len() == df.height() => {
                let ords = ords.i32()?.clone();
                (ords.len() - ords.null_count() == dates as usize).then_some(ords)
            }
            _ => None,
        };
        let ords = match looked_up {
            Some(ords) => ords,
            None => {
                let dates = df.clone().lazy().select([days_by(date, as_of).alias("d")]).collect()?;
                ordinals(calendar, dates.column("d")?.i32()?, df, what)?
            }
        };
        frame.with_column(ords.with_name(format!("{name}__n").into()).into_column())?;
    }
    Ok(frame)
}

/// Determinations of the cases referred in the period (SPEC §6 `ombudsman.determinations`).
fn determinations_by_referral(frame: DataFrame, p: &Period) -> Result<BTreeMap<String, u64>> {
    if frame.column("ombudsman_determination").is_err() || frame.column("ombudsman_referred_date").is_err() {
        return Ok(BTreeMap::new());
    }
    let referred = within(days_by("ombudsman_referred_date", epoch_days(p.as_of)), p);
    group_counts(
        frame.lazy(),
        referred.and(col("ombudsman_determination").is_not_null()),
        col("ombudsman_determination"),
    )
}

/// A date inside the period (whose end is never after as-of).
fn in_period(p: &Period, d: NaiveDate) -> bool {
    p.start <= d && d <= p.end
}

/// The findings are adverse when the Ombudsman found severe maladministration, maladministration
/// or service failure (as its own landlord reports count them).
pub fn is_adverse(finding: &str) -> bool {
    matches!(finding, "severe maladministration" | "maladministration" | "service failure")
}

/// Decisions issued in the period, by decision date: every finding made, the adverse ones, the
/// maladministration rate (adverse ÷ findings on the merits, outside jurisdiction left out) and
/// every severe maladministration finding.
pub fn decisions(casework: &Casework, p: &Period) -> Decisions {
    let made: Vec<&Record> =
        casework.records.iter().filter(|r| r.finding.is_some() && in_period(p, r.decision_date)).collect();
    let mut findings: BTreeMap<String, u64> = DETERMINATIONS.iter().map(|d| (d.to_string(), 0)).collect();
    let mut severe = Vec::new();
    for r in &made {
        let Some(f) = &r.finding else { continue };
        *findings.entry(f.finding.to_string()).or_default() += 1;
        if f.finding == "severe maladministration" {
            severe.push(SevereFinding {
                ombudsman_ref: r.ombudsman_ref.clone().unwrap_or_default(),
                case_id: r.case_id.clone().unwrap_or_default(),
                decision_date: r.decision_date,
                about: f.about.clone(),
            });
        }
    }
    let adverse: u64 = findings.iter().filter(|(k, _)| is_adverse(k)).map(|(_, n)| n).sum();
    let merits: u64 = findings.iter().filter(|(k, _)| k.as_str() != "outside jurisdiction").map(|(_, n)| n).sum();
    let decided: BTreeSet<String> = made.iter().map(|r| r.investigation()).collect();
    severe.sort_by(|a, b| (a.decision_date, &a.ombudsman_ref).cmp(&(b.decision_date, &b.ombudsman_ref)));
    Decisions {
        source: match casework.source {
            CaseworkSource::File => "casework_file",
            CaseworkSource::Export => "export",
        }
        .into(),
        decided: decided.len() as u64,
        findings,
        adverse,
        maladministration_rate: Prop::new(adverse, merits),
        severe,
        undated: casework.undated.len() as u64,
    }
}

/// The orders: made in the period's decisions; due in the period and how they were complied
/// with; and every order outstanding at as-of, overdue when past its due date.
pub fn orders(casework: &Casework, p: &Period) -> Orders {
    let mut o = Orders::default();
    let mut pence = 0i64;
    for r in &casework.records {
        let Some(order) = &r.order else { continue };
        if r.decision_date > p.as_of {
            continue;
        }
        let complied = order.complied.filter(|c| *c <= p.as_of);
        if in_period(p, r.decision_date) {
            o.issued += 1;
            *o.issued_by_kind.entry(order.kind.label().to_string()).or_default() += 1;
            pence += order.amount_pence.unwrap_or(0);
        }
        if let Some(due) = order.due.filter(|d| in_period(p, *d)) {
            o.due += 1;
            match complied {
                Some(c) if c <= due => o.complied_on_time += 1,
                Some(_) => o.complied_late += 1,
                None => o.due_not_complied += 1,
            }
        }
        if complied.is_some() {
            continue;
        }
        o.outstanding += 1;
        match order.due {
            None => o.no_due_date += 1,
            Some(due) if due < p.as_of => {
                o.overdue += 1;
                o.overdue_orders.push(OverdueOrder {
                    ombudsman_ref: r.ombudsman_ref.clone().unwrap_or_default(),
                    case_id: r.case_id.clone().unwrap_or_default(),
                    kind: order.kind.label().to_string(),
                    order: order.text.clone(),
                    amount: order.amount_pence.map(|p| p as f64 / 100.0),
                    decision_date: r.decision_date,
                    due,
                    days_overdue: (p.as_of - due).num_days(),
                });
            }
            Some(_) => {}
        }
    }
    o.compensation_ordered = pence as f64 / 100.0;
    o.overdue_orders.sort_by(|a, b| (a.due, &a.ombudsman_ref, &a.order).cmp(&(b.due, &b.ombudsman_ref, &b.order)));
    o
}

/// Cases with compensation above zero and a stage 1 or stage 2 response in the period, each once.
pub fn compensation(df: &DataFrame, p: &Period) -> Result<Compensation> {
    let as_of = epoch_days(p.as_of);
    let responded = within(days_by("s1_response_date", as_of), p).or(within(days_by("s2_response_date", as_of), p));
    let paid = responded.and(col(COMPENSATION_PENCE).gt(lit(0i64))).fill_null(lit(false));
    let mut c = Counter::default();
    let cases = c.value(len());
    let pence = c.value(col(COMPENSATION_PENCE).sum());
    let n = c.run(df.clone().lazy().filter(paid))?;
    Ok(Compensation { total: n.get(pence).unwrap_or(0.0).round() / 100.0, cases: n.n(cases) })
}
