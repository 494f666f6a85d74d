//! Tenant Satisfaction Measures CH01 and CH02 for the financial year to date, against the Code
//! profile in force for that year, for LCRA, LCHO and Combined (SPEC §6 "TSM"); each CH02 with
//! its cohort split (answered in time, late, overdue, still pending) so a provisional figure says
//! so; and the bridge from complaints received to the CH01 numerator.

use std::collections::BTreeMap;

use anyhow::Result;
use polars::prelude::*;

use super::frame::{group_counts, rows_where, within, Counter};
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

/// Where a complaint of a CH02 cohort stands, as a number: the seven places of the split, and
/// `NOWHERE` for none of them. The places exclude one another (an answer is within, within
/// with extension or late; an unanswered complaint is overdue, pending, answered with no date,
/// or withdrawn), so one grouping counts them all.
#[derive(Debug, Clone, Copy)]
enum Place {
    Within = 0,
    WithinExt = 1,
    Late = 2,
    Overdue = 3,
    Pending = 4,
    DateUnknown = 5,
    Withdrawn = 6,
}

const NOWHERE: i32 = 7;

/// The `Place` of each case at stage `s` (`NOWHERE` when it is in none).
fn place_code(s: &StageCols) -> Expr {
    let responded = col(s.resp.as_str()).is_not_null();
    let in_time = col(s.within.as_str()).or(col(s.within_ext.as_str()));
    let code = |p: Place| lit(p as i32);
    let holds = |e: Expr| e.fill_null(lit(false));
    when(holds(col(s.within.as_str())))
        .then(code(Place::Within))
        .when(holds(col(s.within_ext.as_str())))
        .then(code(Place::WithinExt))
        .when(holds(responded.clone().and(in_time.not())))
        .then(code(Place::Late))
        .when(holds(s.is(Status::Overdue)))
        .then(code(Place::Overdue))
        .when(holds(s.is(Status::Open)))
        .then(code(Place::Pending))
        .when(holds(s.is(Status::AnsweredDateUnknown)))
        .then(code(Place::DateUnknown))
        .when(holds(s.is(Status::Withdrawn).and(responded.not())))
        .then(code(Place::Withdrawn))
        .otherwise(lit(NOWHERE))
}

/// One CH02 cohort's complaints by `Place` (the last entry: in no place).
type Cohort = [u64; 8];

/// The cohorts of stage `s` by tenure: LCRA, LCHO, and every other case (all cases when the
/// data has no tenure), each split by place.
fn cohorts(tl: &Timeline, s: &StageCols, year: &Period, has_tenure: bool) -> Result<[Cohort; 3]> {
    let tenure = if has_tenure {
        when(col(TENURE_LCRA)).then(lit(0)).when(col(TENURE_LCHO)).then(lit(1)).otherwise(lit(2))
    } else {
        lit(2)
    };
    let df = tl
        .df
        .clone()
        .lazy()
        .filter(made(s, year))
        .group_by([tenure.alias("tenure"), place_code(s).alias("place")])
        .agg([len().alias("n")])
        .collect()?;
    let mut out = [[0u64; 8]; 3];
    let tenures = df.column("tenure")?.cast(&DataType::Int32)?;
    let places = df.column("place")?.cast(&DataType::Int32)?;
    let ns = df.column("n")?.cast(&DataType::UInt64)?;
    for ((t, p), n) in tenures.i32()?.iter().zip(places.i32()?.iter()).zip(ns.u64()?.iter()) {
        if let (Some(t), Some(p), Some(n)) = (t, p, n) {
            out[t as usize][p as usize] += n;
        }
    }
    Ok(out)
}

fn sum(a: &Cohort, b: &Cohort) -> Cohort {
    std::array::from_fn(|i| a[i] + b[i])
}

fn ch02(c: &Cohort) -> Ch02 {
    let n = |p: Place| c[p as usize];
    let (without, with, pending) = (n(Place::Within), n(Place::WithinExt), n(Place::Pending));
    let den: u64 = c.iter().sum();
    Ch02 {
        num: Some(without + with),
        den: Some(den),
        pct: ratio_1dp(without + with, den, 100),
        within_without_extension: Some(without),
        within_with_extension: Some(with),
        late: Some(n(Place::Late)),
        overdue: Some(n(Place::Overdue)),
        pending: Some(pending),
        answered_date_unknown: Some(n(Place::DateUnknown)),
        withdrawn_unanswered: Some(n(Place::Withdrawn)),
        r#final: Some(pending == 0),
        best_pct: ratio_1dp(without + with + pending, den, 100),
    }
}

/// CH01 and CH02. `tl` is the Code profile's timeline at the period's as-of; `year` the financial
/// year to date; `has_tenure` whether the data has a tenure column.
pub fn tsm(tl: &Timeline, year: &Period, homes: &Homes, has_tenure: bool) -> Result<Tsm> {
    // (stage, group) → cohort; LCRA and LCHO only with a tenure column.
    let mut found: BTreeMap<(usize, &str), Cohort> = BTreeMap::new();
    for s in tl.stages.iter().take(2) {
        let [lcra, lcho, other] = cohorts(tl, s, year, has_tenure)?;
        if has_tenure {
            found.insert((s.k, "lcra"), lcra);
            found.insert((s.k, "lcho"), lcho);
            found.insert((s.k, "combined"), sum(&lcra, &lcho));
        } else {
            found.insert((s.k, "combined"), other);
        }
    }
    let counts = home_counts(homes);
    let home = |g: &str| match g {
        "lcra" => counts.lcra,
        "lcho" => counts.lcho,
        _ => counts.combined,
    };
    let ch01 = |k: usize, g: &str| {
        let num = found.get(&(k, g)).map(|c| c.iter().sum::<u64>());
        let den = home(g);
        Ch01 { num, den, per_1000: num.zip(den).and_then(|(a, b)| ratio_1dp(a, b, 1000)) }
    };
    let ch02 = |k: usize, g: &str| found.get(&(k, g)).map(ch02).unwrap_or_default();
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
    Ok(Bridge { stage1: bridge(tl, 1, period, has_tenure)?, stage2: bridge(tl, 2, period, has_tenure)? })
}

/// From complaints received at stage k in the year to the CH01 numerator: less those not
/// accepted (or refused escalation), those of tenures outside the TSMs, and those with no tenure.
fn bridge(tl: &Timeline, k: usize, year: &Period, has_tenure: bool) -> Result<BridgeStage> {
    let Some(s) = tl.stages.get(k - 1) else { return Ok(BridgeStage::default()) };
    // Every count is of complaints started in the year: only they are counted, so on these
    // rows `made` is `accepted`.
    let started = rows_where(&tl.df, within(col(s.start.as_str()), year))?;
    let accepted = col(s.accepted.as_str());
    let mut c = Counter::default();
    let received = c.value(len());
    let not_accepted = c.count(accepted.clone().not());
    let not_recorded = if has_tenure { Some(c.count(accepted.clone().and(col(TENURE_BLANK)))) } else { None };
    let counted = c.count(if has_tenure { accepted.clone().and(in_tsm_tenure()) } else { accepted.clone() });
    let n = c.run(started.clone())?;
    let outside = if has_tenure {
        let mask = accepted.and(in_tsm_tenure().not()).and(col(TENURE_BLANK).not());
        group_counts(started, mask, col("tenure").str().strip_chars(lit(NULL)))?
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
    let is = |p: Place| place_code(s).eq(lit(p as i32));
    when(made(s, year).not())
        .then(lit(""))
        .when(is(Place::Within))
        .then(lit("within"))
        .when(is(Place::WithinExt))
        .then(lit("within with extension"))
        .when(is(Place::Late))
        .then(lit("late"))
        .when(is(Place::Overdue))
        .then(lit("open past deadline"))
        .when(is(Place::Pending))
        .then(lit("pending"))
        .when(is(Place::DateUnknown))
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
