//! Per-stage volumes and timeliness from a timeline: received, acknowledgements, responses on
//! time / on time with extension / late, extensions over the maximum, median working days, open
//! and overdue at as-of, outcomes.

use anyhow::Result;
use polars::prelude::*;

use super::frame::{group_counts, label, within, Counter};
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
    let mut out = Vec::new();
    for s in &tl.stages {
        let rule = &tl.profile.stages[s.k - 1];
        let mut c = Counter::default();
        let rec = received(s, p);
        let resp = responses(s, p);
        c.count("received", rec.clone());
        let ack_considered = rec.clone().and(col(s.withdrawn.as_str()).not());
        if let Some(limit) = rule.ack_days {
            let limit = limit as i32;
            c.count("ack_on_time", ack_considered.clone().and(col(s.ack_wd.as_str()).lt_eq(lit(limit))));
            // Still inside the limit with no acknowledgement at as-of: not yet due.
            let awaited = col(s.ack.as_str()).is_null().and(col(s.start_to_asof_wd.as_str()).lt_eq(lit(limit)));
            c.count("ack_due", ack_considered.and(awaited.not()));
        }
        c.count("responses", resp.clone());
        c.count("on_time", resp.clone().and(s.is(Status::OnTime)));
        c.count("on_time_extended", resp.clone().and(s.is(Status::OnTimeExtended)));
        c.count("late", resp.clone().and(s.is(Status::Late)));
        c.count("over_max", resp.clone().and(col(s.over_max.as_str())));
        c.count("open", s.is_open());
        c.count("overdue", s.is(Status::Overdue));
        c.value(col(s.resp_wd.as_str()).filter(resp.clone()).cast(DataType::Float64).median().alias("median"));
        let n = c.run(tl.df.clone().lazy())?;
        let outcomes = group_counts(tl.df.clone().lazy(), resp, label(&format!("s{}_outcome", s.k)))?;
        let ack_on_time = match rule.ack_days {
            Some(_) if ack_recorded.get(s.k - 1).copied().unwrap_or(false) => {
                Some(Prop::new(n.n("ack_on_time"), n.n("ack_due")))
            }
            _ => None,
        };
        out.push(StageMetrics {
            stage: s.k,
            name: rule.name.clone(),
            received: n.n("received"),
            ack_on_time,
            responses: n.n("responses"),
            on_time: n.n("on_time"),
            on_time_extended: n.n("on_time_extended"),
            late: n.n("late"),
            extension_over_max: n.n("over_max"),
            within_timescale: n.n("on_time") + n.n("on_time_extended"),
            median_wd: n.get("median"),
            open: n.n("open"),
            overdue: n.n("overdue"),
            outcomes,
        });
    }
    Ok(out)
}
