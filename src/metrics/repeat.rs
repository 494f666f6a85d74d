//! Repeat complainants: ids with at least `threshold` accepted stage 1 complaints in the 12
//! months ending on the period end (cut at as-of), and this period's complaints from them.

use std::collections::HashSet;

use anyhow::Result;
use chrono::Months;
use polars::prelude::*;

use super::frame::{days, yes, Counter};
use super::model::Repeat;
use crate::calendar::epoch_days;
use crate::period::Period;

/// The window (end − 1 year, end].
pub fn window(p: &Period) -> (i32, i32) {
    let end = p.end.min(p.as_of);
    let after = end.checked_sub_months(Months::new(12)).unwrap_or(end);
    (epoch_days(after), epoch_days(end))
}

/// Complainant ids with at least `threshold` complaints in the window, most complaints first.
pub fn repeat_ids(df: &DataFrame, p: &Period, threshold: u32) -> Result<Vec<(String, u64)>> {
    let (after, end) = window(p);
    let received = days("received_date");
    let in_window = yes("excluded").not().and(received.clone().gt(lit(after))).and(received.lt_eq(lit(end)));
    let counts = df
        .clone()
        .lazy()
        .filter(in_window.and(col("complainant_id").is_not_null()))
        .group_by([col("complainant_id")])
        .agg([len().alias("n")])
        .filter(col("n").gt_eq(lit(threshold)))
        .sort_by_exprs(
            [col("n"), col("complainant_id")],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .collect()?;
    let ids = counts.column("complainant_id")?.str()?.clone();
    let ns = counts.column("n")?.cast(&DataType::UInt64)?;
    Ok(ids.iter().zip(ns.u64()?.iter()).filter_map(|(id, n)| Some((id?.to_string(), n?))).collect())
}

/// The repeat-complainant figures.
pub fn repeat(df: &DataFrame, p: &Period, threshold: u32, received_1: Expr) -> Result<Repeat> {
    let ids = repeat_ids(df, p, threshold)?;
    let set: HashSet<&str> = ids.iter().map(|(id, _)| id.as_str()).collect();
    let this_period = df.clone().lazy().filter(received_1.clone()).select([col("complainant_id")]).collect()?;
    let from_repeat =
        this_period.column("complainant_id")?.str()?.iter().filter(|id| id.is_some_and(|id| set.contains(id))).count();
    let mut c = Counter::default();
    c.count("not_recorded", received_1.and(col("complainant_id").is_null()));
    let n = c.run(df.clone().lazy())?;
    Ok(Repeat {
        threshold,
        complainants: ids.len() as u64,
        complaints: from_repeat as u64,
        complainant_not_recorded: n.n("not_recorded"),
    })
}
