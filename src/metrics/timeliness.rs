//! Per-stage volumes and timeliness from a timeline: received, acknowledgements, responses on
//! time / on time with extension / late, extensions over the maximum, median working days, open
//! and overdue at as-of, outcomes.

use anyhow::Result;
use polars::prelude::*;

use super::frame::{group_counts, label, rows_sharing, within, Counter};
use super::model::{Prop, StageMetrics};
use crate::period::Period;
use crate::timeline::{StageCols, Status, Timeline};

/// `received[k]`: accepted at stage k and started in the period.
pub fn received(s: &StageCols, p: &Period) -> Expr {
    col(s.accepted.as_str()).and(within(col(s.start.as_str()), p))
}

/// `responses[k]`: accepted, responded in the period, not withdrawn.
pub fn responses(s: &StageCols, p: &Period) -> Expr {
    col(s.accepted.as_str()).and(within(col(s.resp.as_str()), p)).and(col(s.withdrawn.as_str()).not())
}

/// Figures for every stage of the timeline's profile.
pub fn stage_metrics(tl: &Timeline, p: &Period, ack_recorded: &[bool]) -> Result<Vec<StageMetrics>> {
    tl.stages.iter().map(|s| one_stage(tl, s, p, ack_recorded.get(s.k - 1).copied().unwrap_or(false))).collect()
}

/// The stage's `received` and `responses` masks, worked out once for both passes below.
const RECEIVED: &str = "__received";
const RESPONDED: &str = "__responded";

/// The rows a stage's figures count — received, answered, open or answered without a date:
/// most of the table, for a quarter, is none of these — with the `RECEIVED` and `RESPONDED`
/// masks, worked out once rather than in every count and again in the outcomes.
fn counted_rows(tl: &Timeline, s: &StageCols, p: &Period) -> Result<LazyFrame> {
    let counted = col(RECEIVED).or(col(RESPONDED)).or(s.is_open()).or(s.is(Status::AnsweredDateUnknown));
    rows_sharing(&tl.df, &[(RECEIVED, received(s, p)), (RESPONDED, responses(s, p))], counted)
}

fn one_stage(tl: &Timeline, s: &StageCols, p: &Period, ack_recorded: bool) -> Result<StageMetrics> {
    let rule = &tl.profile.stages[s.k - 1];
    let rows = counted_rows(tl, s, p)?;
    let (rec, resp) = (col(RECEIVED), col(RESPONDED));
    let mut c = Counter::default();
    let received_n = c.count(rec.clone());
    let ack_considered = rec.and(col(s.withdrawn.as_str()).not());
    let ack = rule.ack_days.map(|limit| {
        let limit = limit as i32;
        let on_time = c.count(ack_considered.clone().and(col(s.ack_wd.as_str()).lt_eq(lit(limit))));
        // Still inside the limit with no acknowledgement at as-of: not yet due.
        let awaited = col(s.ack.as_str()).is_null().and(col(s.start_to_asof_wd.as_str()).lt_eq(lit(limit)));
        (on_time, c.count(ack_considered.and(awaited.not())))
    });
    let responses_n = c.count(resp.clone());
    let on_time = c.count(resp.clone().and(s.is(Status::OnTime)));
    let on_time_extended = c.count(resp.clone().and(s.is(Status::OnTimeExtended)));
    let late = c.count(resp.clone().and(s.is(Status::Late)));
    let over_max = c.count(resp.clone().and(col(s.over_max.as_str())));
    let open = c.count(s.is_open());
    let overdue = c.count(s.is(Status::Overdue));
    let date_unknown = c.count(s.is(Status::AnsweredDateUnknown));
    let median = c.value(col(s.resp_wd.as_str()).filter(resp.clone()).cast(DataType::Float64).median());
    let n = c.run(rows.clone())?;
    let outcomes = group_counts(rows, resp, label(&format!("s{}_outcome", s.k)))?;
    Ok(StageMetrics {
        stage: s.k,
        name: rule.name.clone(),
        received: n.n(received_n),
        ack_on_time: ack.filter(|_| ack_recorded).map(|(on_time, due)| Prop::new(n.n(on_time), n.n(due))),
        responses: n.n(responses_n),
        on_time: n.n(on_time),
        on_time_extended: n.n(on_time_extended),
        late: n.n(late),
        extension_over_max: n.n(over_max),
        within_timescale: n.n(on_time) + n.n(on_time_extended),
        median_wd: n.get(median),
        open: n.n(open),
        overdue: n.n(overdue),
        answered_date_unknown: n.n(date_unknown),
        outcomes,
    })
}
