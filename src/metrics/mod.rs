//! Metrics: every figure of SPEC §6 for one period and one profile, computed from the timeline
//! with polars expressions and collected into the typed `Metrics` document — and the figures the
//! pages show beyond it (`Detail`, `handling::Handling`). Nothing outside this module, the
//! timeline and ingest runs a polars query.

pub mod ages;
pub mod category;
pub mod frame;
pub mod handling;
pub mod lessons;
pub mod model;
pub mod ombudsman;
pub mod repeat;
pub mod resolution;
pub mod timeliness;
pub mod tsm;

use anyhow::Result;
use chrono::NaiveDate;
use polars::prelude::*;

use self::frame::Counter;
use self::model::{Breakdown, CategoryRow, CodeComparison, Metrics, PeriodInfo, TimelineWarnings, VERSION};
use crate::config::Profile;
use crate::error::{data, usage};
use crate::period::Period;
use crate::timeline::{Timeline, TimelineBase};
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

/// The period's timelines under the landlord's profile, the Code in force for the period and
/// the Code in force for the TSM year (the same, but for a range spanning 1 April 2024).
pub struct Timelines {
    /// Under the landlord's profile.
    pub own: Timeline,
    /// Under the Code profile in force for the period.
    pub code: Timeline,
    /// Under the Code profile in force for the TSM year to date.
    pub tsm: Timeline,
}

/// Every figure with the timelines it was computed from (for the audit and the page figures).
pub struct Computed {
    /// Every figure, with the trend.
    pub metrics: Metrics,
    /// The period's timelines.
    pub timelines: Timelines,
}

/// Every figure for the request, with the trend when asked for.
pub fn compute(loaded: &Loaded, req: &Request) -> Result<Metrics> {
    Ok(compute_full(loaded, req)?.metrics)
}

/// Like `compute`, keeping the period's timelines.
pub fn compute_full(loaded: &Loaded, req: &Request) -> Result<Computed> {
    Ok(compute_alongside(loaded, req, |_, _| Ok(()))?.0)
}

/// Like `compute_full`, and `alongside` the period's figures (without their trend) and
/// timelines while the trend's periods are still being measured: the Board pack's detail and
/// audit, made on the core a trend leaves idle, and written out while it is measured. An error
/// of the period comes first, then the trend's, then `alongside`'s (as when run one after the
/// other).
pub fn compute_alongside<T>(
    loaded: &Loaded,
    req: &Request,
    alongside: impl FnOnce(&Metrics, &Timelines) -> Result<T>,
) -> Result<(Computed, T)> {
    let by = match req.by {
        Some(by) => {
            // Every amount would be a row of its own.
            let money = |column: &str| {
                crate::fields::FIELDS.iter().any(|f| {
                    matches!(f.kind, crate::fields::FieldKind::Money) && crate::ingest::column_name(f.name) == column
                })
            };
            let column = resolve_column(loaded, by).ok_or_else(|| {
                let mut names: Vec<String> = loaded
                    .cases
                    .present
                    .iter()
                    .filter(|s| !money(crate::ingest::column_name(s)))
                    .map(|s| s.to_string())
                    .collect();
                names.extend(loaded.cases.extra_columns.iter().cloned());
                usage(format!("--by {by}: no such column; use one of {}", names.join(", ")))
            })?;
            if money(&column) {
                return Err(usage(format!(
                    "--by {by}: an amount of money is not a breakdown; use a column of categories, such as category, channel or tenure"
                )));
            }
            Some(column)
        }
        None => None,
    };
    check_as_of(&loaded.calendar, req.period)?;
    let bases = Bases::new(loaded)?;
    let earlier = match req.trend {
        0 => Vec::new(),
        n => req.period.previous(n, earliest_received(loaded).unwrap_or(req.period.start)),
    };
    // The period and `alongside` on this thread while the trend's periods are measured on the
    // other cores; then this thread measures trend periods too.
    let ((this, alongside), earlier) = crate::par::try_beside(
        || {
            let this = compute_one(loaded, &bases, req.period, req.profile, by.as_deref(), Rows::All);
            let alongside = this.as_ref().ok().map(|(m, timelines)| alongside(m, timelines));
            (this, alongside)
        },
        &earlier,
        "a trend period was not measured",
        |p| trend_period(loaded, &bases, p, req.profile),
    );
    let (mut m, timelines) = this?;
    m.trend = earlier?;
    // `alongside` ran whenever the period was measured.
    let alongside = alongside.ok_or_else(|| anyhow::anyhow!("the period's figures were not used"))??;
    Ok((Computed { metrics: m, timelines }, alongside))
}

/// A period is measured at an as-of the working-day calendar covers; past it the error names the
/// period and its as-of (its end, or `--as-of`) before any case is timed.
pub fn check_as_of(calendar: &crate::calendar::Calendar, period: &Period) -> Result<()> {
    let (first, last) = calendar.range();
    if (first..=last).contains(&period.as_of) {
        return Ok(());
    }
    Err(data(format!(
        "{} is measured as of {}, outside the working-day calendar ({first} to {last}); give a period or \
         --as-of inside it, or a bank-holidays file covering it with --holidays FILE",
        period.label, period.as_of
    )))
}

/// The figures of an earlier period, for a trend.
fn trend_period(loaded: &Loaded, bases: &Bases, period: &Period, profile: &Profile) -> Result<Metrics> {
    let mut earlier = compute_one(loaded, bases, period, profile, None, Rows::ReceivedByAsOf)?.0;
    // The peer comparison is the period's own; the trend carries figures only.
    earlier.peers = None;
    Ok(earlier)
}

/// The period's timelines alone (for the audit).
pub fn period_timelines(loaded: &Loaded, req: &Request) -> Result<Timelines> {
    timelines_of(&Bases::new(loaded)?, req.period, req.profile, Rows::All)
}

/// The as-of-independent part of the timeline under each profile met so far, made once and
/// shared by every period measured.
struct Bases<'a> {
    loaded: &'a Loaded,
    /// The cases, with complainant codes when the data has complainants, and what no profile
    /// changes (`TimelineBase::dated`).
    cases: DataFrame,
    made: std::sync::Mutex<Vec<(Profile, std::sync::Arc<TimelineBase>)>>,
}

impl<'a> Bases<'a> {
    fn new(loaded: &'a Loaded) -> Result<Bases<'a>> {
        let df = &loaded.cases.df;
        let with_codes = loaded.cases.present.contains("complainant_id");
        // The complainant codes (one pass over every id, on one core) are made while the dates
        // are looked up.
        let (codes, dated) = std::thread::scope(|scope| {
            let codes = scope.spawn(|| with_codes.then(|| repeat::complainant_codes(df)).transpose());
            let dated = TimelineBase::dated(df, &loaded.calendar);
            (codes.join().unwrap_or_else(|_| Err(anyhow::anyhow!("the complainants were not coded"))), dated)
        });
        let mut cases = dated?;
        if let Some(codes) = codes? {
            // Right after the cases' own columns, as when it was added before the dates.
            cases.insert_column(df.width(), codes)?;
        }
        Ok(Bases { loaded, cases, made: std::sync::Mutex::new(Vec::new()) })
    }

    /// How many of the cases, from the first, a timeline at `as_of` holds: all of them, or
    /// (`Rows::ReceivedByAsOf`) up to the last one received by `as_of`.
    fn rows(&self, rows: Rows, as_of: NaiveDate) -> Result<usize> {
        let all = self.cases.height();
        if rows == Rows::All {
            return Ok(all);
        }
        let received = self.cases.column("received_date")?.date()?;
        let as_of = crate::calendar::epoch_days(as_of);
        // From the end: in an export kept in the order complaints arrive, only the cases
        // received after as-of are passed over. A case with no received date was rejected.
        let later = received.phys.iter().rev().take_while(|d| d.is_none_or(|d| d > as_of)).count();
        Ok(all - later)
    }

    /// The timeline under `profile` at `as_of`, of the cases `rows` says.
    fn timeline(&self, profile: &Profile, as_of: NaiveDate, rows: usize) -> Result<Timeline> {
        let base = {
            // Held while a base is made, so two periods measured at once never make it twice.
            let mut made = self
                .made
                .lock()
                .map_err(|_| anyhow::anyhow!("a timeline base was being made when another period failed"))?;
            match made.iter().find(|(p, _)| p == profile) {
                Some((_, b)) => b.clone(),
                None => {
                    let b = std::sync::Arc::new(TimelineBase::on(&self.cases, profile, &self.loaded.calendar)?);
                    made.push((profile.clone(), b.clone()));
                    b
                }
            }
        };
        base.at_first(&self.loaded.calendar, as_of, rows)
    }
}

/// Which cases a period's timelines hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rows {
    /// Every case: the period's own timelines, which the audit and the pages list whole.
    All,
    /// The cases up to the last one received by as-of: enough for every figure of the period
    /// (a trend's). A case received after as-of counts in none — no date of it but the issue
    /// date (which no figure of the period reads) can be on or before as-of, since ingest drops
    /// a date before receipt (rule 2) — so leaving such cases out changes nothing, and in an
    /// export in the order complaints arrive each earlier period reads fewer of them.
    ReceivedByAsOf,
}

/// The timelines of every case for a period.
fn timelines_of(bases: &Bases, period: &Period, profile: &Profile, rows: Rows) -> Result<Timelines> {
    let rows = bases.rows(rows, period.as_of)?;
    let own = bases.timeline(profile, period.as_of, rows)?;
    let code_profile = Profile::code_in_force(period.start);
    let code =
        if code_profile == *profile { own.clone() } else { bases.timeline(&code_profile, period.as_of, rows)? };
    let tsm_profile = Profile::code_in_force(period.tsm_year().start);
    let tsm =
        if tsm_profile == code_profile { code.clone() } else { bases.timeline(&tsm_profile, period.as_of, rows)? };
    Ok(Timelines { own, code, tsm })
}

/// A column by its canonical name, any header spelling of a canonical field present in the data,
/// or an extra column's header (ignoring case, spaces and punctuation).
pub fn resolve_column(loaded: &Loaded, name: &str) -> Option<String> {
    let cases = &loaded.cases;
    if cases.present.contains(name) {
        return Some(crate::ingest::column_name(name).to_string());
    }
    if cases.extra_columns.iter().any(|c| c == name) {
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

/// The earliest received date in the data.
pub fn earliest_received(loaded: &Loaded) -> Option<NaiveDate> {
    received_dates(loaded).min()
}

/// The latest received date in the data.
pub fn latest_received(loaded: &Loaded) -> Option<NaiveDate> {
    received_dates(loaded).max()
}

/// The latest event recorded anywhere in the data — received, acknowledged, responded,
/// escalated, remedied, sent to the Ombudsman (not due dates, which are plans): the date the
/// export was true at, with where it is recorded (the first row holding it, in the first field
/// holding it as the fields are listed).
pub fn latest_event_at(loaded: &Loaded) -> Option<(NaiveDate, usize, &'static str)> {
    let events = crate::fields::FIELDS
        .iter()
        .filter(|f| f.kind == crate::fields::FieldKind::Date && !f.name.contains("due") && f.name != "issue_date");
    let mut latest: Option<(i32, &'static str, Int32Chunked)> = None;
    for f in events {
        if let Ok(c) = loaded.cases.df.column(f.name).and_then(|c| c.date().cloned()) {
            if let Some(max) = c.phys.max().filter(|m| latest.as_ref().is_none_or(|(l, _, _)| m > l)) {
                latest = Some((max, f.name, c.phys));
            }
        }
    }
    let (day, field, days) = latest?;
    let row = days.iter().position(|d| d == Some(day))?;
    Some((crate::calendar::from_epoch_days(day), row, field))
}

fn received_dates(loaded: &Loaded) -> impl Iterator<Item = NaiveDate> + '_ {
    let column = loaded.cases.df.column("received_date").ok().and_then(|c| c.date().ok());
    column.into_iter().flat_map(|c| c.phys.iter().flatten()).map(crate::calendar::from_epoch_days)
}

/// Every figure of one period.
fn compute_one(
    loaded: &Loaded,
    bases: &Bases,
    period: &Period,
    profile: &Profile,
    by: Option<&str>,
    rows: Rows,
) -> Result<(Metrics, Timelines)> {
    let cases = &loaded.cases;
    let present = |f: &str| cases.present.contains(f);
    let timelines = timelines_of(bases, period, profile, rows)?;
    let (tl, code_tl) = (&timelines.own, &timelines.code);
    let ack_recorded: Vec<bool> = (1..=3).map(|k| present(&format!("s{k}_ack_date"))).collect();
    let stages = timeliness::stage_metrics(tl, period, &ack_recorded)?;
    // The Code in force is often the landlord's own profile: its figures are the same ones.
    let code_stages = if code_tl.profile == tl.profile {
        stages.clone()
    } else {
        timeliness::stage_metrics(code_tl, period, &ack_recorded)?
    };

    let year = period.tsm_year();
    let tsm = tsm::tsm(&timelines.tsm, &year, &loaded.config.homes, present("tenure"))?;

    let df = &tl.df;
    let resolution::Closure { closed, resolved_at, resolution } =
        resolution::closure(df, period, profile.stages.len())?;
    let responses_1 = stages.first().map(|s| s.responses).unwrap_or(0);
    let received_1 = timeliness::received(&tl.stages[0], period);
    let ombudsman_present = ["ombudsman_referred_date", "ombudsman_evidence_requested_date", "ombudsman_determination"]
        .iter()
        .any(|f| present(f))
        || loaded.casework.source == crate::ingest::casework::CaseworkSource::File;
    let peers = match &loaded.peers {
        Some(years) => crate::peers::position::peers(
            years,
            &loaded.config.peers.clone().unwrap_or_default(),
            &loaded.config.landlord,
            &tsm,
        )?,
        None => None,
    };
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
        ombudsman: if ombudsman_present {
            Some(ombudsman::ombudsman(df, period, &loaded.calendar, &loaded.casework)?)
        } else {
            None
        },
        lessons: if present("lesson") { Some(lessons::lessons(df, period)?) } else { None },
        by_category: category::breakdown(tl, period, "category")?,
        bridge: tsm::bridges(&timelines.tsm, period, present("tenure"))?,
        peers,
        tsm,
        code: CodeComparison { profile: code_tl.profile.name.clone(), stages: code_stages },
        warnings: TimelineWarnings { clock_from_receipt: clock_from_receipt(tl, period)? },
        breakdown: match by {
            Some(column) => {
                Some(Breakdown { column: column.to_string(), rows: category::breakdown(tl, period, column)? })
            }
            None => None,
        },
        stages,
        trend: Vec::new(),
    };
    Ok((metrics, timelines))
}

/// Responses in the period whose clock started at receipt for want of an acknowledgement.
fn clock_from_receipt(tl: &Timeline, period: &Period) -> Result<u64> {
    let mut c = Counter::default();
    let mask = tl
        .stages
        .iter()
        .map(|s| timeliness::responses(s, period).and(col(s.clock_fallback.as_str())).cast(DataType::Int64))
        .reduce(|a, b| a + b)
        .unwrap_or(lit(0i64));
    let slot = c.value(mask.sum());
    Ok(c.run(tl.df.clone().lazy())?.n(slot))
}

/// What the Board report shows beyond metrics.json, for the period.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    /// Response times per stage (landlord's profile).
    pub response_times: Vec<ages::ResponseTimes>,
    /// Open complaints by age per stage at as-of.
    pub open_ages: Vec<ages::OpenAges>,
    /// The ten most frequent repeat complainants, without ids (empty without complainant ids).
    pub repeat_top: Vec<repeat::RepeatComplainant>,
    /// Lessons of complaints closed in the period, grouped (empty without lessons).
    pub lessons: Vec<lessons::LessonGroup>,
    /// Every lesson action overdue at as-of (empty without lessons).
    pub overdue_actions: Vec<lessons::LessonRecord>,
    /// Stage 1 by channel, when the data has channels.
    pub channels: Option<Vec<CategoryRow>>,
}

/// The Board's extra figures from the period's timeline under the landlord's profile.
pub fn detail(loaded: &Loaded, tl: &Timeline, period: &Period) -> Result<Detail> {
    let present = |f: &str| loaded.cases.present.contains(f);
    let has_lessons = present("lesson");
    Ok(Detail {
        response_times: ages::response_times(tl, period)?,
        open_ages: ages::open_ages(tl)?,
        repeat_top: if present("complainant_id") {
            repeat::top(&tl.df, period, loaded.config.repeat_threshold(), 10)?
        } else {
            Vec::new()
        },
        lessons: if has_lessons {
            lessons::group_for_board(lessons::closed_records(&tl.df, period, true)?, period.as_of)
        } else {
            Vec::new()
        },
        overdue_actions: if has_lessons { lessons::overdue_actions(&tl.df, period.as_of)? } else { Vec::new() },
        channels: if present("channel") { Some(category::breakdown(tl, period, "channel")?) } else { None },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bundled sample export, loaded with its config.
    fn sample() -> Loaded {
        let inputs = crate::Inputs {
            files: vec!["sample-data/complaints-export.csv".into()],
            config: Some("sample-data/complaints.toml".into()),
            ..crate::Inputs::default()
        };
        crate::load(&inputs).unwrap()
    }

    /// The trend measured on every core, beside the period, is the trend measured one period at
    /// a time.
    #[test]
    fn concurrent_trend_is_the_sequential_trend() {
        let loaded = sample();
        let period = Period::parse("2025/26 Q4", None).unwrap();
        let profile = crate::cmd::resolve_profile(&loaded.config, None).unwrap();
        let earlier = period.previous(8, earliest_received(&loaded).unwrap());
        assert_eq!(earlier.len(), 8);
        let bases = Bases::new(&loaded).unwrap();
        let one_by_one: Vec<Metrics> =
            earlier.iter().map(|p| trend_period(&loaded, &bases, p, &profile).unwrap()).collect();
        let request = Request { period: &period, profile: &profile, by: None, trend: 8 };
        let at_once = compute(&loaded, &request).unwrap().trend;
        assert_eq!(at_once, one_by_one);
        assert!(one_by_one.iter().any(|m| m.closed > 0), "the sample's trend has figures");
    }

    /// A trend period measured on the cases up to the last one received by its as-of has every
    /// figure it has measured on all of them: with the sample as it is and in the order its
    /// complaints arrived (where the earlier periods read far fewer cases).
    #[test]
    fn cases_received_after_as_of_change_no_figure() {
        let mut loaded = sample();
        let profile = crate::cmd::resolve_profile(&loaded.config, None).unwrap();
        let periods = Period::parse("2025/26 Q4", None).unwrap().previous(12, earliest_received(&loaded).unwrap());
        let as_arrived = {
            let df = &loaded.cases.df;
            df.sort(["received_date"], SortMultipleOptions::default().with_maintain_order(true)).unwrap()
        };
        for (order, df) in [("file", loaded.cases.df.clone()), ("arrival", as_arrived)] {
            loaded.cases.df = df;
            let bases = Bases::new(&loaded).unwrap();
            let mut fewer = 0;
            for p in &periods {
                let rows = bases.rows(Rows::ReceivedByAsOf, p.as_of).unwrap();
                assert!(rows > 0 && rows <= loaded.cases.df.height());
                fewer += usize::from(rows < loaded.cases.df.height());
                let some = compute_one(&loaded, &bases, p, &profile, None, Rows::ReceivedByAsOf).unwrap().0;
                let all = compute_one(&loaded, &bases, p, &profile, None, Rows::All).unwrap().0;
                assert_eq!(some, all, "{order} order, {}", p.label);
            }
            if order == "arrival" {
                assert_eq!(fewer, periods.len(), "every earlier period reads fewer cases");
            }
        }
    }
}
