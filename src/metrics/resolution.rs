//! Closure and what follows from it: complaints closed in the period and the stage they were
//! resolved at, escalation requests and refusals, not-accepted complaints and satisfaction.

use std::collections::BTreeMap;

use anyhow::Result;
use polars::prelude::*;

use super::frame::{days, days_by, group_counts, label, rows_where, within, yes, Counter};
use super::model::{Escalation, NotAccepted, Prop};
use crate::calendar::epoch_days;
use crate::period::Period;
use crate::timeline::{FINAL_RESPONSE, FINAL_STAGE, FINAL_WITHDRAWN, MAX_STAGES};

/// Complaints whose final response is in the period, not excluded, not withdrawn at their final
/// stage (SPEC §6 "Closed"). Asked of a timeline at the period's as-of, which carries the final
/// stage, its response and whether it was withdrawn.
pub fn closed(p: &Period) -> Expr {
    yes("excluded").not().and(within(col(FINAL_RESPONSE), p)).and(col(FINAL_WITHDRAWN).not())
}

/// Complaints closed in the period and the stage each was resolved at.
pub struct Closure {
    /// `closed`.
    pub closed: u64,
    /// `resolved_at[k]` for k in 1..=stages.
    pub resolved_at: BTreeMap<usize, u64>,
    /// `resolved_at[k] / closed`.
    pub resolution: BTreeMap<usize, Prop>,
}

/// `closed` and `resolved_at[k]` for k in 1..=stages (at least the profile's stage count).
pub fn closure(df: &DataFrame, p: &Period, stages: usize) -> Result<Closure> {
    let mut c = Counter::default();
    let closed_slot = c.count(closed(p));
    let at: Vec<_> = (1..=MAX_STAGES).map(|k| c.count(closed(p).and(col(FINAL_STAGE).eq(lit(k as i32))))).collect();
    // Every count is of closed complaints: only they are counted.
    let n = c.run(df.clone().lazy().filter(closed(p)))?;
    let closed_n = n.n(closed_slot);
    let at: Vec<u64> = at.into_iter().map(|s| n.n(s)).collect();
    let highest = (1..=MAX_STAGES).filter(|k| at[k - 1] > 0).max().unwrap_or(1).max(stages);
    let resolved_at: BTreeMap<usize, u64> = (1..=highest).map(|k| (k, at[k - 1])).collect();
    let resolution = resolved_at.iter().map(|(k, v)| (*k, Prop::new(*v, closed_n))).collect();
    Ok(Closure { closed: closed_n, resolved_at, resolution })
}

/// Escalation requests in the period, the refusals among them and their reasons.
pub fn escalation(df: &DataFrame, p: &Period, responses_1: u64) -> Result<Escalation> {
    let as_of = epoch_days(p.as_of);
    // Every count is of requests in the period: only they are counted.
    let requests_made = rows_where(df, within(days_by("s2_requested_date", as_of), p))?;
    let refused = yes("s2_refused");
    let mut c = Counter::default();
    let requests = c.value(len());
    let refused_n = c.count(refused.clone());
    let explained = c.count(refused.clone().and(yes("s2_refusal_explained")));
    let n = c.run(requests_made.clone())?;
    Ok(Escalation {
        requests: n.n(requests),
        rate: Prop::new(n.n(requests), responses_1),
        refused: n.n(refused_n),
        refused_explained: n.n(explained),
        by_reason: group_counts(requests_made, refused, label("s2_refusal_reason"))?,
    })
}

/// Excluded cases received in the period, by reason.
pub fn not_accepted(df: &DataFrame, p: &Period) -> Result<NotAccepted> {
    let mask = yes("excluded").and(within(days("received_date"), p));
    let by_reason = group_counts(df.clone().lazy(), mask, label("exclusion_reason"))?;
    Ok(NotAccepted { total: by_reason.values().sum(), by_reason })
}

/// Satisfied / surveyed among the cases closed in the period.
pub fn satisfaction(df: &DataFrame, p: &Period) -> Result<Prop> {
    let surveyed = closed(p).and(col("satisfied").is_not_null());
    let mut c = Counter::default();
    let surveyed_n = c.count(surveyed.clone());
    let satisfied = c.count(surveyed.clone().and(yes("satisfied")));
    let n = c.run(df.clone().lazy().filter(surveyed))?;
    Ok(Prop::new(n.n(satisfied), n.n(surveyed_n)))
}
