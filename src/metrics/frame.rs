//! Small named polars expressions and collectors shared by the metric families.

use std::collections::{BTreeMap, HashMap};

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

/// Many counts from one pass: each named mask is summed.
#[derive(Default)]
pub struct Counter {
    exprs: Vec<Expr>,
}

impl Counter {
    /// Adds a count of rows where `mask` holds.
    pub fn count(&mut self, name: &str, mask: Expr) -> &mut Self {
        self.exprs.push(mask.fill_null(lit(false)).cast(DataType::Int64).sum().alias(name));
        self
    }

    /// Adds any single-value aggregate (already aliased).
    pub fn value(&mut self, expr: Expr) -> &mut Self {
        self.exprs.push(expr);
        self
    }

    /// Runs every aggregate at once.
    pub fn run(self, lf: LazyFrame) -> Result<Counts> {
        let df = lf.select(self.exprs).collect()?;
        let mut values = HashMap::new();
        for c in df.columns() {
            let s = c.as_materialized_series();
            let v = s.cast(&DataType::Float64)?.f64()?.get(0);
            values.insert(c.name().to_string(), v);
        }
        Ok(Counts { values })
    }
}

/// The results of a `Counter`.
pub struct Counts {
    values: HashMap<String, Option<f64>>,
}

impl Counts {
    /// A count by name.
    pub fn n(&self, name: &str) -> u64 {
        self.values.get(name).copied().flatten().unwrap_or(0.0) as u64
    }

    /// A nullable value by name.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.values.get(name).copied().flatten()
    }
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
