//! Tenant Satisfaction Measures CH01 and CH02 for the financial year to date, against the Code
//! profile in force for that year, for LCRA, LCHO and Combined (SPEC §6 "TSM"); each CH02 with
//! its cohort split (answered in time, late, overdue, still pending) so a provisional figure says
//! so; and the bridge from complaints received to the CH01 numerator.

use std::collections::BTreeMap;

use anyhow::Result;
use polars::prelude::*;

use super::frame::{group_counts, within, Counter, Counts, Slot};
use super::model::{ratio_1dp, Bridge, BridgeStage, Ch01, Ch02, HomeCounts, Tenures, Tsm, TsmStages};
use crate::config::Homes;
// The normalised tenure and its stock-type flags, computed once at ingest (string work is the
// costly part of a count).
use crate::ingest::{TENURE_BLANK, TENURE_KEY as TENURE, TENURE_LCHO, TENURE_LCRA};
use crate::period::Period;
use crate::timeline::{StageCols, Status, Timeline};

/// Homes by tenure; Combined is lcra + lcho when both are given, else the total.
pub fn home_counts(h: &Homes) -> HomeCounts {
    let combined = match (h.lcra, h.lcho) {
        (Some(a), Some(b)) => Some(a + b),
        _ => h.total,
    };
    HomeCounts { lcra: h.lcra, lcho: h.lcho, combined }
}

/// Whether a case's tenure puts it in the TSMs (LCRA or LCHO).
fn in_tsm_tenure() -> Expr {
    col(TENURE_LCRA).or(col(TENURE_LCHO))
}

/// Complaints made at stage k in the year: accepted (withdrawn ones count; excluded ones and
/// refused escalations do not) and started in the year.
pub fn made(s: &StageCols, year: &Period) -> Expr {
    col(s.accepted.as_str()).and(within(col(s.start.as_str()), year))
}

/// Slots of one CH02 cohort's split.
struct CohortSlots {
    made: Slot,
    within: Slot,
    within_ext: Slot,
    late: Slot,
    overdue: Slot,
    pending: Slot,
    date_unknown: Slot,
    withdrawn: Slot,
}

impl CohortSlots {
    fn add(c: &mut Counter, s: &StageCols, base: Expr) -> CohortSlots {
        let responded = col(s.resp.as_str()).is_not_null();
        let in_time = col(s.within.as_str()).or(col(s.within_ext.as_str()));
        CohortSlots {
            made: c.count(base.clone()),
            within: c.count(base.clone().and(col(s.within.as_str()))),
            within_ext: c.count(base.clone().and(col(s.within_ext.as_str()))),
            late: c.count(base.clone().and(responded.clone()).and(in_time.not())),
            overdue: c.count(base.clone().and(s.is(Status::Overdue))),
            pending: c.count(base.clone().and(s.is(Status::Open))),
            date_unknown: c.count(base.clone().and(s.is(Status::AnsweredDateUnknown))),
            withdrawn: c.count(base.and(s.is(Status::Withdrawn)).and(responded.not())),
        }
    }

    fn ch02(&self, n: &Counts) -> Ch02 {
        let (without, with, den, pending) = (n.n(self.within), n.n(self.within_ext), n.n(self.made), n.n(self.pending));
        Ch02 {
            num: Some(without + with),
            den: Some(den),
            pct: ratio_1dp(without + with, den, 100),
            within_without_extension: Some(without),
            within_with_extension: Some(with),
            late: Some(n.n(self.late)),
            overdue: Some(n.n(self.overdue)),
            pending: Some(pending),
            answered_date_unknown: Some(n.n(self.date_unknown)),
            withdrawn_unanswered: Some(n.n(self.withdrawn)),
            r#final: Some(pending == 0),
            best_pct: ratio_1dp(without + with + pending, den, 100),
        }
    }
}

/// CH01 and CH02. `tl` is the Code profile's timeline at the period's as-of; `year` the financial
/// year to date; `has_tenure` whether the data has a tenure column.
pub fn tsm(tl: &Timeline, year: &Period, homes: &Homes, has_tenure: bool) -> Result<Tsm> {
    let groups: [(&str, Option<Expr>); 3] = if has_tenure {
        [("lcra", Some(col(TENURE_LCRA))), ("lcho", Some(col(TENURE_LCHO))), ("combined", Some(in_tsm_tenure()))]
    } else {
        [("lcra", None), ("lcho", None), ("combined", Some(lit(true)))]
    };
    let mut c = Counter::default();
    let mut slots: BTreeMap<(usize, &str), CohortSlots> = BTreeMap::new();
    for s in tl.stages.iter().take(2) {
        for (g, mask) in &groups {
            if let Some(mask) = mask {
                slots.insert((s.k, *g), CohortSlots::add(&mut c, s, made(s, year).and(mask.clone())));
            }
        }
    }
    let n = c.run(tl.df.clone().lazy())?;
    let counts = home_counts(homes);
    let home = |g: &str| match g {
        "lcra" => counts.lcra,
        "lcho" => counts.lcho,
        _ => counts.combined,
    };
    let ch01 = |k: usize, g: &str| {
        let num = slots.get(&(k, g)).map(|s| n.n(s.made));
        let den = home(g);
        Ch01 { num, den, per_1000: num.zip(den).and_then(|(a, b)| ratio_1dp(a, b, 1000)) }
    };
    let ch02 = |k: usize, g: &str| slots.get(&(k, g)).map(|s| s.ch02(&n)).unwrap_or_default();
    let tenures01 = |k| Tenures { lcra: ch01(k, "lcra"), lcho: ch01(k, "lcho"), combined: ch01(k, "combined") };
    let tenures02 = |k| Tenures { lcra: ch02(k, "lcra"), lcho: ch02(k, "lcho"), combined: ch02(k, "combined") };
    Ok(Tsm {
        year: year.label.clone(),
        start: year.start,
        end: year.end,
        as_of: year.as_of,
        profile: tl.profile.name.clone(),
        homes: counts,
        ch01: TsmStages { stage1: tenures01(1), stage2: tenures01(2) },
        ch02: TsmStages { stage1: tenures02(1), stage2: tenures02(2) },
        bridge: bridges(tl, year, has_tenure)?,
    })
}

/// The bridge at both stages for complaints started in `period`.
pub fn bridges(tl: &Timeline, period: &Period, has_tenure: bool) -> Result<Bridge> {
    let lf = tl.df.clone().lazy();
    Ok(Bridge {
        stage1: bridge(tl, 1, period, lf.clone(), has_tenure)?,
        stage2: bridge(tl, 2, period, lf, has_tenure)?,
    })
}

/// From complaints received at stage k in the year to the CH01 numerator: less those not
/// accepted (or refused escalation), those of tenures outside the TSMs, and those with no tenure.
fn bridge(tl: &Timeline, k: usize, year: &Period, lf: LazyFrame, has_tenure: bool) -> Result<BridgeStage> {
    let Some(s) = tl.stages.get(k - 1) else { return Ok(BridgeStage::default()) };
    let started = within(col(s.start.as_str()), year);
    let accepted = made(s, year);
    let mut c = Counter::default();
    let received = c.count(started.clone());
    let not_accepted = c.count(started.and(col(s.accepted.as_str()).not()));
    let not_recorded = if has_tenure { Some(c.count(accepted.clone().and(col(TENURE_BLANK)))) } else { None };
    let counted = c.count(if has_tenure { accepted.clone().and(in_tsm_tenure()) } else { accepted.clone() });
    let n = c.run(lf.clone())?;
    let outside = if has_tenure {
        let mask = accepted.and(in_tsm_tenure().not()).and(col(TENURE_BLANK).not());
        group_counts(lf, mask, col("tenure").str().strip_chars(lit(NULL)))?
    } else {
        BTreeMap::new()
    };
    Ok(BridgeStage {
        received: n.n(received),
        not_accepted: n.n(not_accepted),
        outside_tsm: outside,
        tenure_not_recorded: not_recorded.map(|s| n.n(s)).unwrap_or(0),
        counted: n.n(counted),
    })
}

/// Where a complaint of a CH02 cohort stands: "within", "within with extension", "late", "open
/// past deadline", "pending", "answered, date not recorded" or "withdrawn, not answered" (empty
/// outside the cohort). The audit's `tsm_within` and `tsm-check` both ask this.
pub fn place(s: &StageCols, year: &Period) -> Expr {
    let responded = col(s.resp.as_str()).is_not_null();
    when(made(s, year).not())
        .then(lit(""))
        .when(col(s.within.as_str()))
        .then(lit("within"))
        .when(col(s.within_ext.as_str()))
        .then(lit("within with extension"))
        .when(responded)
        .then(lit("late"))
        .when(s.is(Status::Overdue))
        .then(lit("open past deadline"))
        .when(s.is(Status::Open))
        .then(lit("pending"))
        .when(s.is(Status::AnsweredDateUnknown))
        .then(lit("answered, date not recorded"))
        .otherwise(lit("withdrawn, not answered"))
}

/// One complaint started at a stage in the TSM year, as the TSMs see it.
#[derive(Debug, Clone, PartialEq)]
pub struct CohortCase {
    /// The case reference.
    pub case_id: String,
    /// The tenure, upper-cased ("" when not recorded).
    pub tenure: String,
    /// Accepted at the stage (not excluded, escalation not refused).
    pub accepted: bool,
    /// Where it stands (`place`); empty when not accepted.
    pub place: String,
}

/// Every complaint started at stage k in the year, accepted or not, in case order.
pub fn cohort_cases(tl: &Timeline, k: usize, year: &Period) -> Result<Vec<CohortCase>> {
    let Some(s) = tl.stages.get(k - 1) else { return Ok(Vec::new()) };
    let has_tenure = tl.df.column("tenure").is_ok();
    let tenure = if has_tenure { col(TENURE).fill_null(lit("")) } else { lit("") };
    let df = tl
        .df
        .clone()
        .lazy()
        .filter(within(col(s.start.as_str()), year))
        .select([
            col("case_id"),
            tenure.alias("t"),
            col(s.accepted.as_str()).fill_null(lit(false)).alias("accepted"),
            place(s, year).alias("place"),
        ])
        .collect()?;
    let ids = df.column("case_id")?.str()?.clone();
    let tenures = df.column("t")?.str()?.clone();
    let accepted = df.column("accepted")?.bool()?.clone();
    let places = df.column("place")?.str()?.clone();
    Ok((0..df.height())
        .map(|i| CohortCase {
            case_id: ids.get(i).unwrap_or("").to_string(),
            tenure: tenures.get(i).unwrap_or("").to_string(),
            accepted: accepted.get(i).unwrap_or(false),
            place: places.get(i).unwrap_or("").to_string(),
        })
        .collect())
}
