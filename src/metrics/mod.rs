//! Metrics: every Code and TSM figure of SPEC §6 for one period and one profile, computed from
//! the timeline with polars expressions and collected into the typed `Metrics` document.

pub mod category;
pub mod frame;
pub mod model;
pub mod ombudsman;
pub mod output;
pub mod repeat;
pub mod resolution;
pub mod timeliness;
pub mod tsm;

use anyhow::Result;
use polars::prelude::*;

use self::model::{Breakdown, CodeComparison, Metrics, PeriodInfo, TimelineWarnings, VERSION};
use crate::config::Profile;
use crate::error::usage;
use crate::period::Period;
use crate::timeline::Timeline;
use crate::Loaded;

/// What to measure.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The period.
    pub period: &'a Period,
    /// The landlord's profile.
    pub profile: &'a Profile,
    /// Extra breakdown column (`--by`).
    pub by: Option<&'a str>,
    /// How many previous periods of the same length to add as the trend.
    pub trend: usize,
}

/// Every figure for the request, with the trend when asked for.
pub fn compute(loaded: &Loaded, req: &Request) -> Result<Metrics> {
    Ok(compute_full(loaded, req)?.metrics)
}

/// The metrics with the period's timelines they were computed from, for reports that also need
/// the cases (the audit, histograms, lessons) without building the timelines again.
pub struct Computed {
    /// Every figure, with the trend.
    pub metrics: Metrics,
    /// The period's timeline under the landlord's profile.
    pub own: Timeline,
    /// The period's timeline under the Code in force.
    pub code: Timeline,
}

/// Like `compute`, keeping the period's timelines.
pub fn compute_full(loaded: &Loaded, req: &Request) -> Result<Computed> {
    let by = match req.by {
        Some(by) => Some(resolve_column(loaded, by).ok_or_else(|| {
            let mut names: Vec<String> = loaded.cases.present.iter().map(|s| s.to_string()).collect();
            names.extend(loaded.cases.extra_columns.iter().cloned());
            usage(format!("--by {by}: no such column; use one of {}", names.join(", ")))
        })?),
        None => None,
    };
    let (mut m, own, code) = compute_one(loaded, req.period, req.profile, by.as_deref())?;
    if req.trend > 0 {
        let earliest = earliest_received(loaded).unwrap_or(req.period.start);
        for p in req.period.previous(req.trend, earliest) {
            m.trend.push(compute_one(loaded, &p, req.profile, None)?.0);
        }
    }
    Ok(Computed { metrics: m, own, code })
}

/// A column by its canonical name, any header spelling of a canonical field present in the data,
/// or an extra column's header (ignoring case, spaces and punctuation).
pub fn resolve_column(loaded: &Loaded, name: &str) -> Option<String> {
    let cases = &loaded.cases;
    if cases.present.contains(name) || cases.extra_columns.iter().any(|c| c == name) {
        return Some(name.to_string());
    }
    if let Some(f) = crate::fields::match_header(name) {
        if cases.present.contains(f.name) {
            return Some(crate::ingest::column_name(f.name).to_string());
        }
    }
    let key = crate::fields::normalise_header(name);
    cases.extra_columns.iter().find(|c| crate::fields::normalise_header(c) == key).cloned()
}

fn earliest_received(loaded: &Loaded) -> Option<chrono::NaiveDate> {
    let c = loaded.cases.df.column("received_date").ok()?.date().ok()?;
    c.phys.iter().flatten().min().map(crate::calendar::from_epoch_days)
}

fn compute_one(
    loaded: &Loaded,
    period: &Period,
    profile: &Profile,
    by: Option<&str>,
) -> Result<(Metrics, Timeline, Timeline)> {
    let cases = &loaded.cases;
    let present = |f: &str| cases.present.contains(f);
    let tl = Timeline::build(&cases.df, profile, &loaded.calendar, period.as_of)?;
    let ack_recorded: Vec<bool> = (1..=3).map(|k| present(&format!("s{k}_ack_date"))).collect();
    let stages = timeliness::stage_metrics(&tl, period, &ack_recorded)?;

    let code_profile = Profile::code_in_force(period.start);
    let code_tl = if code_profile == *profile {
        tl.clone()
    } else {
        Timeline::build(&cases.df, &code_profile, &loaded.calendar, period.as_of)?
    };
    let code_stages = timeliness::stage_metrics(&code_tl, period, &ack_recorded)?;

    let year = period.tsm_year();
    let tsm_profile = Profile::code_in_force(year.start);
    let tsm_tl = if tsm_profile == code_profile {
        code_tl.clone()
    } else {
        Timeline::build(&cases.df, &tsm_profile, &loaded.calendar, period.as_of)?
    };
    let tsm = tsm::tsm(&tsm_tl, &year, &loaded.config.homes, present("tenure"))?;

    let df = &tl.df;
    let resolution::Closure { closed, resolved_at, resolution } =
        resolution::closure(df, period, profile.stages.len())?;
    let responses_1 = stages.first().map(|s| s.responses).unwrap_or(0);
    let received_1 = timeliness::received(&tl.stages[0], period);
    let clock_from_receipt = {
        let mut c = frame::Counter::default();
        let mask = tl
            .stages
            .iter()
            .map(|s| timeliness::responses(s, period).and(col(s.clock_fallback.as_str())).cast(DataType::Int64))
            .reduce(|a, b| a + b)
            .unwrap_or(lit(0i64));
        c.value(mask.sum().alias("n"));
        c.run(df.clone().lazy())?.n("n")
    };
    let ombudsman_present = ["ombudsman_referred_date", "ombudsman_evidence_requested_date", "ombudsman_determination"]
        .iter()
        .any(|f| present(f));
    let metrics = Metrics {
        version: VERSION,
        period: PeriodInfo { label: period.label.clone(), start: period.start, end: period.end, as_of: period.as_of },
        profile: profile.name.clone(),
        input: cases.ledger.counts(),
        not_accepted: resolution::not_accepted(df, period)?,
        closed,
        resolved_at,
        resolution,
        escalation: resolution::escalation(df, period, responses_1)?,
        repeat: if present("complainant_id") {
            Some(repeat::repeat(df, period, loaded.config.repeat_threshold(), received_1)?)
        } else {
            None
        },
        compensation: if present("compensation") { Some(ombudsman::compensation(df, period)?) } else { None },
        satisfaction: if present("satisfied") { Some(resolution::satisfaction(df, period)?) } else { None },
        ombudsman: if ombudsman_present { Some(ombudsman::ombudsman(df, period, &loaded.calendar)?) } else { None },
        lessons: if present("lesson") { Some(resolution::lessons(df, period)?) } else { None },
        by_category: category::breakdown(&tl, period, "category")?,
        tsm,
        code: CodeComparison { profile: code_profile.name.clone(), stages: code_stages },
        warnings: TimelineWarnings { clock_from_receipt },
        breakdown: match by {
            Some(column) => {
                Some(Breakdown { column: column.to_string(), rows: category::breakdown(&tl, period, column)? })
            }
            None => None,
        },
        stages,
        trend: Vec::new(),
    };
    Ok((metrics, tl, code_tl))
}
