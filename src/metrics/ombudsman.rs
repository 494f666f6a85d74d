//! Housing Ombudsman referrals, determinations and evidence requests answered within 15 working
//! days; and compensation awarded.

use anyhow::Result;
use polars::prelude::*;

use super::frame::{days_by, group_counts, within, Counter};
use super::model::{Compensation, Ombudsman, Prop};
use crate::calendar::{epoch_days, Calendar};
use crate::ingest::COMPENSATION_PENCE;
use crate::period::Period;
use crate::timeline::ordinals;

/// Working days the Ombudsman allows for evidence.
pub const EVIDENCE_DAYS: i32 = 15;

/// Referrals, determinations and evidence timeliness for the period.
pub fn ombudsman(df: &DataFrame, p: &Period, calendar: &Calendar) -> Result<Ombudsman> {
    let as_of = epoch_days(p.as_of);
    let referred = within(days_by("ombudsman_referred_date", as_of), p);
    // Working-day ordinals of the evidence dates (sent cut at as-of).
    let dates = df
        .clone()
        .lazy()
        .select([
            days_by("ombudsman_evidence_requested_date", as_of).alias("req"),
            days_by("ombudsman_evidence_sent_date", as_of).alias("sent"),
        ])
        .collect()?;
    let req_n = ordinals(calendar, dates.column("req")?.i32()?, df, "Ombudsman evidence request")?;
    let sent_n = ordinals(calendar, dates.column("sent")?.i32()?, df, "Ombudsman evidence sent")?;
    let asof_n = calendar.ordinal_epoch(as_of).map_err(|e| crate::error::data(format!("--as-of: {e}")))?;
    let mut frame = df.clone();
    frame.with_column(req_n.with_name("req__n".into()).into_column())?;
    frame.with_column(sent_n.with_name("sent__n".into()).into_column())?;
    let requested = within(days_by("ombudsman_evidence_requested_date", as_of), p);
    let sent_wd = col("sent__n") - col("req__n");
    let awaited = col("sent__n").is_null().and((lit(asof_n) - col("req__n")).lt_eq(lit(EVIDENCE_DAYS)));
    let mut c = Counter::default();
    let referrals = c.count(referred.clone());
    let on_time = c.count(requested.clone().and(sent_wd.lt_eq(lit(EVIDENCE_DAYS))));
    let due = c.count(requested.and(awaited.not()));
    let n = c.run(frame.clone().lazy())?;
    let determinations = group_counts(
        frame.lazy(),
        referred.and(col("ombudsman_determination").is_not_null()),
        col("ombudsman_determination"),
    )?;
    Ok(Ombudsman { referrals: n.n(referrals), determinations, evidence_on_time: Prop::new(n.n(on_time), n.n(due)) })
}

/// Cases with compensation above zero and a stage 1 or stage 2 response in the period, each once.
pub fn compensation(df: &DataFrame, p: &Period) -> Result<Compensation> {
    let as_of = epoch_days(p.as_of);
    let responded = within(days_by("s1_response_date", as_of), p).or(within(days_by("s2_response_date", as_of), p));
    let paid = responded.and(col(COMPENSATION_PENCE).gt(lit(0i64))).fill_null(lit(false));
    let mut c = Counter::default();
    let cases = c.count(paid.clone());
    let pence = c.value(col(COMPENSATION_PENCE).filter(paid).sum());
    let n = c.run(df.clone().lazy())?;
    Ok(Compensation { total: n.get(pence).unwrap_or(0.0).round() / 100.0, cases: n.n(cases) })
}
