//! Repeat complainants: ids with at least `threshold` accepted stage 1 complaints in the 12
//! months ending on the period end (cut at as-of), this period's complaints from them, and the
//! most frequent of them (without their ids) for the Board.

use std::collections::{BTreeSet, HashMap};

use anyhow::Result;
use chrono::Months;
use polars::prelude::*;

use super::frame::{days, within, yes};
use super::model::Repeat;
use crate::calendar::epoch_days;
use crate::period::Period;

/// A number for each complainant id, in order of first appearance (null where none): the
/// repeat counts group these rather than the ids' text.
pub const COMPLAINANT_CODE: &str = "__complainant";

/// The `COMPLAINANT_CODE` column for the cases (added after their own columns).
pub fn complainant_codes(cases: &DataFrame) -> Result<Column> {
    let ids = cases.column("complainant_id")?.str()?;
    let mut seen: PlHashMap<&str, u32> = PlHashMap::with_capacity(ids.len() / 2);
    let codes: UInt32Chunked = ids
        .iter()
        .map(|id| {
            id.map(|id| {
                let next = seen.len() as u32;
                *seen.entry(id).or_insert(next)
            })
        })
        .collect();
    Ok(codes.with_name(COMPLAINANT_CODE.into()).into_column())
}

/// The window (end − 1 year, end].
pub fn window(p: &Period) -> (i32, i32) {
    let end = p.end.min(p.as_of);
    let after = end.checked_sub_months(Months::new(12)).unwrap_or(end);
    (epoch_days(after), epoch_days(end))
}

/// Accepted complaints received in the window, with a complainant id.
fn in_window(p: &Period) -> Expr {
    let (after, end) = window(p);
    let received = days("received_date");
    yes("excluded")
        .not()
        .and(received.clone().gt(lit(after)))
        .and(received.lt_eq(lit(end)))
        .and(col("complainant_id").is_not_null())
}

/// Complainant ids with at least `threshold` complaints in the window, most complaints first
/// (ties by id). `df` carries `COMPLAINANT_CODE`.
pub fn repeat_ids(df: &DataFrame, p: &Period, threshold: u32) -> Result<Vec<(String, u64)>> {
    let counts = df
        .clone()
        .lazy()
        .filter(in_window(p))
        .group_by([col(COMPLAINANT_CODE)])
        .agg([len().alias("n"), col("complainant_id").first()])
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

/// The repeat-complainant figures. Only how many there are matters here, so each complainant's
/// complaints in the window are tallied by their code (codes run from 0), neither grouped,
/// sorted nor looked up by their ids' text.
pub fn repeat(df: &DataFrame, p: &Period, threshold: u32, received_1: Expr) -> Result<Repeat> {
    let codes = |mask: Expr| -> Result<UInt32Chunked> {
        let frame = df.clone().lazy().filter(mask).select([col(COMPLAINANT_CODE)]).collect()?;
        Ok(frame.column(COMPLAINANT_CODE)?.u32()?.clone())
    };
    let (window, this_period) = (codes(in_window(p))?, codes(received_1)?);
    let size = window.iter().chain(this_period.iter()).flatten().max().map_or(0, |c| c as usize + 1);
    let mut tally = vec![0u32; size];
    for code in window.iter().flatten() {
        tally[code as usize] += 1;
    }
    // A repeat complainant has complaints in the window, at least `threshold` of them.
    let is_repeat = |n: u32| n > 0 && n >= threshold;
    let repeats = |code: u32| is_repeat(tally[code as usize]);
    let complainants = tally.iter().filter(|&&n| is_repeat(n)).count();
    let from_repeat = this_period.iter().flatten().filter(|&c| repeats(c)).count();
    Ok(Repeat {
        threshold,
        complainants: complainants as u64,
        complaints: from_repeat as u64,
        complainant_not_recorded: this_period.null_count() as u64,
    })
}

/// One of the most frequent repeat complainants, without their id: the rank is their place in
/// the list (most complaints first, ties by id).
#[derive(Debug, Clone, PartialEq)]
pub struct RepeatComplainant {
    /// 0 for the most frequent.
    pub rank: usize,
    /// Stage 1 complaints in the 12 months.
    pub in_window: u64,
    /// Of those, received this period.
    pub this_period: u64,
    /// Categories of their complaints in the window ("not recorded" when blank), sorted.
    pub categories: Vec<String>,
}

/// The `n` most frequent repeat complainants.
pub fn top(df: &DataFrame, p: &Period, threshold: u32, n: usize) -> Result<Vec<RepeatComplainant>> {
    let ids = repeat_ids(df, p, threshold)?;
    let wanted: HashMap<&str, usize> = ids.iter().take(n).enumerate().map(|(i, (id, _))| (id.as_str(), i)).collect();
    let frame = df
        .clone()
        .lazy()
        .filter(in_window(p))
        .select([col("complainant_id"), col("category"), within(days("received_date"), p).alias("this")])
        .collect()?;
    let mut out: Vec<RepeatComplainant> = ids
        .iter()
        .take(n)
        .enumerate()
        .map(|(rank, (_, in_window))| RepeatComplainant {
            rank,
            in_window: *in_window,
            this_period: 0,
            categories: Vec::new(),
        })
        .collect();
    let mut categories: Vec<BTreeSet<String>> = vec![BTreeSet::new(); out.len()];
    let who = frame.column("complainant_id")?.str()?;
    let cats = frame.column("category")?.str()?;
    let this = frame.column("this")?.bool()?;
    for ((id, cat), this) in who.iter().zip(cats.iter()).zip(this.iter()) {
        if let Some(&rank) = id.and_then(|id| wanted.get(id)) {
            categories[rank].insert(cat.unwrap_or("not recorded").to_string());
            out[rank].this_period += u64::from(this == Some(true));
        }
    }
    for (row, cats) in out.iter_mut().zip(categories) {
        row.categories = cats.into_iter().collect();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::frame::within;

    /// Complainants A (three complaints in the 12 months, one this quarter), B (one, this
    /// quarter), C (two, one this quarter), D (two, both before the window) and one complaint
    /// with no complainant this quarter, for 2025/26 Q4 (window 1 April 2025 to 31 March 2026).
    fn cases() -> DataFrame {
        let day = |y, m, d| epoch_days(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap());
        // D first, so a complainant with no complaint in the window has the lowest code.
        let rows = [
            (Some("D"), day(2024, 5, 1)),
            (Some("D"), day(2025, 3, 31)),
            (Some("A"), day(2025, 5, 1)),
            (Some("A"), day(2025, 9, 1)),
            (Some("A"), day(2026, 2, 1)),
            (Some("B"), day(2026, 1, 15)),
            (Some("C"), day(2025, 12, 1)),
            (Some("C"), day(2026, 3, 31)),
            (None, day(2026, 2, 2)),
        ];
        let ids: StringChunked = rows.iter().map(|r| r.0).collect();
        let dates: Int32Chunked = rows.iter().map(|r| Some(r.1)).collect();
        let df = DataFrame::new(
            rows.len(),
            vec![
                ids.with_name("complainant_id".into()).into_column(),
                dates.with_name("received_date".into()).into_series().cast(&DataType::Date).unwrap().into(),
                BooleanChunked::full("excluded".into(), false, rows.len()).into_column(),
            ],
        )
        .unwrap();
        let codes = complainant_codes(&df).unwrap();
        df.hstack(&[codes]).unwrap()
    }

    /// (repeat complainants, their complaints this quarter, complaints with no complainant),
    /// worked out by hand from `cases` for each threshold.
    #[test]
    fn repeat_figures_by_threshold() {
        let df = cases();
        let p = Period::parse("2025/26 Q4", None).unwrap();
        let this_quarter = within(days("received_date"), &p);
        let figures = |threshold| {
            let r = repeat(&df, &p, threshold, this_quarter.clone()).unwrap();
            (r.complainants, r.complaints, r.complainant_not_recorded)
        };
        // 0 and 1: everyone with a complaint in the window (A, B, C; not D).
        assert_eq!(figures(0), (3, 3, 1));
        assert_eq!(figures(1), (3, 3, 1));
        assert_eq!(figures(2), (2, 2, 1)); // A and C
        assert_eq!(figures(3), (1, 1, 1)); // A
        assert_eq!(figures(4), (0, 0, 1));
        // The Board's list agrees: A first (three), then C.
        let ids: Vec<String> = repeat_ids(&df, &p, 2).unwrap().into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, ["A", "C"]);
    }
}
