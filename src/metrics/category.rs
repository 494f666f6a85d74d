//! Stage 1 volumes, timeliness and upheld rate per category, or per value of any column.

use anyhow::Result;
use polars::prelude::*;

use super::model::{CategoryRow, Prop};
use super::timeliness::{received, responses};
use crate::period::Period;
use crate::timeline::{Status, Timeline};

/// One row per value of `column` (blank = "not recorded"), most complaints first.
pub fn breakdown(tl: &Timeline, p: &Period, column: &str) -> Result<Vec<CategoryRow>> {
    let s = &tl.stages[0];
    let rec = received(s, p);
    let resp = responses(s, p);
    let within = resp.clone().and(s.is(Status::OnTime).or(s.is(Status::OnTimeExtended)));
    let upheld = resp
        .clone()
        .and(col("s1_outcome").eq(lit("upheld")).or(col("s1_outcome").eq(lit("partly upheld"))).fill_null(lit(false)));
    let n = |e: Expr, name: &str| e.fill_null(lit(false)).cast(DataType::Int64).sum().alias(name);
    let df = tl
        .df
        .clone()
        .lazy()
        .filter(rec.clone().or(resp.clone()))
        .group_by([col(column).cast(DataType::String).fill_null(lit("not recorded")).alias("value")])
        .agg([n(rec, "received"), n(resp, "responses"), n(within, "within"), n(upheld, "upheld")])
        .sort_by_exprs(
            [col("received"), col("value")],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .collect()?;
    let get = |name: &str| -> Result<Vec<u64>> {
        Ok(df.column(name)?.cast(&DataType::UInt64)?.u64()?.iter().map(|v| v.unwrap_or(0)).collect())
    };
    let (received, responses, within, upheld) = (get("received")?, get("responses")?, get("within")?, get("upheld")?);
    let values = df.column("value")?.str()?.clone();
    Ok(values
        .iter()
        .enumerate()
        .map(|(i, v)| CategoryRow {
            category: v.unwrap_or("not recorded").to_string(),
            received: received[i],
            within_timescale: Prop::new(within[i], responses[i]),
            upheld: Prop::new(upheld[i], responses[i]),
        })
        .collect())
}
