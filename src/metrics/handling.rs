//! The data checks behind the self-assessment that metrics.json does not carry: who handled each
//! stage, remedies followed through, complaints accepted long after the issue arose, complete
//! records, third stages and channels — for one financial year.

use anyhow::Result;
use polars::prelude::*;

use super::frame::{days, days_by, within, yes, Counter};
use super::model::{CategoryRow, Prop};
use crate::calendar::epoch_days;
use crate::period::Period;
use crate::timeline::Timeline;
use crate::Loaded;

/// Stage 2 responses and whether the stage 1 handler decided them again (Code 6.13).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Handlers {
    /// Stage 2 responses in the year with both handlers recorded.
    pub both_recorded: u64,
    /// Of those, decided by the same person (compared ignoring case and outer spaces).
    pub same: u64,
}

/// Remedies due in the year and whether they were carried out by their due date (Code 7.3).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Remedies {
    /// Remedies with a due date in the year.
    pub due: u64,
    /// Carried out on or before the due date (by as-of).
    pub on_time: u64,
    /// Carried out after it.
    pub late: u64,
    /// Not recorded as carried out by as-of.
    pub outstanding: u64,
}

/// Complaints accepted more than 12 months after the issue arose (Code 2.3).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IssueAge {
    /// Accepted complaints received in the year with an issue date.
    pub with_issue_date: u64,
    /// Of those, received more than 12 months after it.
    pub over_12_months: u64,
}

/// What the self-assessment's data checks found for a year.
#[derive(Debug, Clone, PartialEq)]
pub struct Handling {
    /// Present when both handler columns are.
    pub handlers: Option<Handlers>,
    /// Present when both remedy date columns are.
    pub remedies: Option<Remedies>,
    /// Present when the issue date column is.
    pub issue_age: Option<IssueAge>,
    /// Accepted complaints with received, acknowledged and response dates and an outcome.
    pub complete_records: Prop,
    /// Cases with a third stage recorded in the year.
    pub third_stage: u64,
    /// Stage 1 by channel, when the data has channels.
    pub channels: Option<Vec<CategoryRow>>,
}

/// Runs every check for the year; `tl` is the year's timeline.
pub fn handling(loaded: &Loaded, tl: &Timeline, year: &Period) -> Result<Handling> {
    let present = |f: &str| loaded.cases.present.contains(f);
    let df = &loaded.cases.df;
    Ok(Handling {
        handlers: if present("s1_handler") && present("s2_handler") { Some(handlers(df, year)?) } else { None },
        remedies: if present("remedy_due_date") && present("remedy_completed_date") {
            Some(remedies(df, year)?)
        } else {
            None
        },
        issue_age: if present("issue_date") { Some(issue_age(df, year)?) } else { None },
        complete_records: complete_records(df, year)?,
        third_stage: third_stage(df, year)?,
        channels: if present("channel") { Some(super::category::breakdown(tl, year, "channel")?) } else { None },
    })
}

fn normalised(name: &str) -> Expr {
    col(name).str().strip_chars(lit(NULL)).str().to_lowercase()
}

fn handlers(df: &DataFrame, year: &Period) -> Result<Handlers> {
    let as_of = epoch_days(year.as_of);
    let both = within(days_by("s2_response_date", as_of), year)
        .and(col("s1_handler").is_not_null())
        .and(col("s2_handler").is_not_null());
    let mut c = Counter::default();
    let both_n = c.count(both.clone());
    let same = c.count(both.and(normalised("s1_handler").eq(normalised("s2_handler"))));
    let n = c.run(df.clone().lazy())?;
    Ok(Handlers { both_recorded: n.n(both_n), same: n.n(same) })
}

fn remedies(df: &DataFrame, year: &Period) -> Result<Remedies> {
    let as_of = epoch_days(year.as_of);
    let due = within(days("remedy_due_date"), year);
    let done = days_by("remedy_completed_date", as_of);
    let mut c = Counter::default();
    let due_n = c.count(due.clone());
    let on_time = c.count(due.clone().and(done.clone().lt_eq(days("remedy_due_date"))));
    let late = c.count(due.clone().and(done.clone().gt(days("remedy_due_date"))));
    let outstanding = c.count(due.and(done.is_null()));
    let n = c.run(df.clone().lazy())?;
    Ok(Remedies { due: n.n(due_n), on_time: n.n(on_time), late: n.n(late), outstanding: n.n(outstanding) })
}

fn issue_age(df: &DataFrame, year: &Period) -> Result<IssueAge> {
    let accepted = yes("excluded").not().and(within(days("received_date"), year)).and(col("issue_date").is_not_null());
    let frame = df.clone().lazy().filter(accepted).select([col("received_date"), col("issue_date")]).collect()?;
    let received = frame.column("received_date")?.date()?.phys.clone();
    let issue = frame.column("issue_date")?.date()?.phys.clone();
    let over = received
        .iter()
        .zip(issue.iter())
        .filter(|(r, i)| match (r, i) {
            (Some(r), Some(i)) => {
                let (r, i) = (crate::calendar::from_epoch_days(*r), crate::calendar::from_epoch_days(*i));
                i.checked_add_months(chrono::Months::new(12)).is_some_and(|limit| r > limit)
            }
            _ => false,
        })
        .count();
    Ok(IssueAge { with_issue_date: frame.height() as u64, over_12_months: over as u64 })
}

fn complete_records(df: &DataFrame, year: &Period) -> Result<Prop> {
    let as_of = epoch_days(year.as_of);
    let accepted = yes("excluded").not().and(within(days("received_date"), year));
    let complete = accepted
        .clone()
        .and(col("s1_ack_date").is_not_null())
        .and(days_by("s1_response_date", as_of).is_not_null())
        .and(col("s1_outcome").is_not_null());
    let mut c = Counter::default();
    let all = c.count(accepted);
    let complete = c.count(complete);
    let n = c.run(df.clone().lazy())?;
    Ok(Prop::new(n.n(complete), n.n(all)))
}

fn third_stage(df: &DataFrame, year: &Period) -> Result<u64> {
    let as_of = epoch_days(year.as_of);
    let third = days_by("s3_requested_date", as_of)
        .is_not_null()
        .or(days_by("s3_ack_date", as_of).is_not_null())
        .or(days_by("s3_response_date", as_of).is_not_null());
    let in_year = within(days("received_date"), year).or(within(days_by("s3_requested_date", as_of), year));
    let mut c = Counter::default();
    let slot = c.count(third.and(in_year));
    Ok(c.run(df.clone().lazy())?.n(slot))
}
