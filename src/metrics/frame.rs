//! Small named polars expressions and a collector that runs many counts in one pass, each read
//! back through the typed `Slot` it was given (no string keys to misspell).

use std::collections::BTreeMap;

use anyhow::Result;
use polars::prelude::*;

use crate::calendar::epoch_days;
use crate::period::Period;

/// A date column as epoch days.
pub fn days(name: &str) -> Expr {
    col(name).cast(DataType::Int32)
}

/// A date column cut at as-of: an event after it has not happened yet.
pub fn days_by(name: &str, as_of: i32) -> Expr {
    let e = days(name);
    when(e.clone().gt(lit(as_of))).then(lit(NULL).cast(DataType::Int32)).otherwise(e)
}

/// `e` (epoch days) falls within the period.
pub fn within(e: Expr, p: &Period) -> Expr {
    e.clone().gt_eq(lit(epoch_days(p.start))).and(e.lt_eq(lit(epoch_days(p.end)))).fill_null(lit(false))
}

/// A yes/no column with blanks as no.
pub fn yes(name: &str) -> Expr {
    col(name).fill_null(lit(false))
}

/// Text with blanks as "not recorded".
pub fn label(name: &str) -> Expr {
    col(name).fill_null(lit("not recorded"))
}

/// Where one aggregate of a `Counter` lands in its `Counts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot(usize);

/// Many aggregates from one pass over a frame.
#[derive(Default)]
pub struct Counter {
    exprs: Vec<Expr>,
}

impl Counter {
    /// Adds a count of rows where `mask` holds.
    pub fn count(&mut self, mask: Expr) -> Slot {
        self.value(mask.fill_null(lit(false)).cast(DataType::Int64).sum())
    }

    /// Adds any single-value aggregate.
    pub fn value(&mut self, expr: Expr) -> Slot {
        let slot = Slot(self.exprs.len());
        self.exprs.push(expr.alias(format!("c{}", slot.0)));
        slot
    }

    /// Runs every aggregate at once.
    pub fn run(self, lf: LazyFrame) -> Result<Counts> {
        let df = lf.select(self.exprs).collect()?;
        let mut values = Vec::with_capacity(df.width());
        for c in df.columns() {
            values.push(c.as_materialized_series().cast(&DataType::Float64)?.f64()?.get(0));
        }
        Ok(Counts { values })
    }
}

/// The results of a `Counter`, read by slot.
pub struct Counts {
    values: Vec<Option<f64>>,
}

impl Counts {
    /// A count (0 when the aggregate was null, as a sum over no rows is).
    pub fn n(&self, slot: Slot) -> u64 {
        self.get(slot).unwrap_or(0.0) as u64
    }

    /// A nullable value.
    pub fn get(&self, slot: Slot) -> Option<f64> {
        self.values[slot.0]
    }
}

/// The rows of `df` where `mask` holds, for several passes: the mask is worked out once, as a
/// column beside the others, and each pass gathers only the columns it reads.
pub fn rows_where(df: &DataFrame, mask: Expr) -> Result<LazyFrame> {
    rows_sharing(df, &[], mask)
}

/// Like `rows_where`, with `shared` masks the passes also ask (and `keep` may read by name)
/// worked out once as named columns too.
pub fn rows_sharing(df: &DataFrame, shared: &[(&str, Expr)], keep: Expr) -> Result<LazyFrame> {
    const KEEP: &str = "__keep";
    let mut lf = df.clone().lazy();
    if !shared.is_empty() {
        lf = lf.with_columns(shared.iter().map(|(name, e)| e.clone().alias(*name)).collect::<Vec<_>>());
    }
    let select: Vec<Expr> =
        shared.iter().map(|(name, _)| col(*name)).chain([keep.fill_null(lit(false)).alias(KEEP)]).collect();
    let masks = lf.select(select).collect()?;
    let mut df = df.clone();
    df.hstack_mut(masks.columns())?;
    Ok(df.lazy().filter(col(KEEP)))
}

/// Counts of rows where `mask` holds, by the text of `key`.
pub fn group_counts(lf: LazyFrame, mask: Expr, key: Expr) -> Result<BTreeMap<String, u64>> {
    let df = lf
        .filter(mask.fill_null(lit(false)))
        .group_by([key.cast(DataType::String).alias("key")])
        .agg([len().alias("n")])
        .collect()?;
    let keys = df.column("key")?.str()?.clone();
    let ns = df.column("n")?.cast(&DataType::UInt64)?;
    let ns = ns.u64()?;
    Ok(keys.iter().zip(ns.iter()).map(|(k, n)| (k.unwrap_or("not recorded").to_string(), n.unwrap_or(0))).collect())
}

/// The text values of a column, trimmed, with blanks as empty strings.
pub fn texts(df: &DataFrame, name: &str) -> Result<Vec<String>> {
    Ok(df.column(name)?.str()?.iter().map(|v| v.unwrap_or("").trim().to_string()).collect())
}
