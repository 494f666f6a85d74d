//! The timeline step: for every case and stage, at an as-of date and under one profile — clock
//! start, elapsed working days, deadline, extended deadline and status (SPEC §3–4, §6 edge cases).
//! Working days are differences of a per-date ordinal from the calendar's cumulative index, so
//! everything after the lookups is plain polars expressions.

use anyhow::Result;
use chrono::NaiveDate;
use polars::prelude::*;

use crate::calendar::{epoch_days, Calendar};
use crate::config::{ClockStart, Profile, StageRule};
use crate::error::data;
use crate::ingest::{SOURCE_FILE, SOURCE_ROW};

/// Largest number of stages a case can have (fields `s1_…` to `s3_…`).
pub const MAX_STAGES: usize = 3;

/// Where a case stands at a stage, as of the timeline's date. Held as a small integer column
/// (string columns built by long `when` chains are the costly part of a timeline); Int32, a
/// type every polars build has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Status {
    /// Not accepted, escalation refused, or the stage not started by as-of.
    NotApplicable = 0,
    /// Withdrawn at this stage.
    Withdrawn = 1,
    /// Responded within the limit.
    OnTime = 2,
    /// Responded after the limit but within the extended deadline.
    OnTimeExtended = 3,
    /// Responded late.
    Late = 4,
    /// No response at as-of and past the (extended) deadline.
    Overdue = 5,
    /// No response at as-of, still within time.
    Open = 6,
    /// Answered — an outcome or a later stage is recorded — but no readable response date in
    /// the files: never open or overdue, left out of timeliness.
    AnsweredDateUnknown = 7,
}

impl Status {
    /// Every status, by code.
    pub const ALL: [Status; 8] = [
        Status::NotApplicable,
        Status::Withdrawn,
        Status::OnTime,
        Status::OnTimeExtended,
        Status::Late,
        Status::Overdue,
        Status::Open,
        Status::AnsweredDateUnknown,
    ];

    /// The name used in the audit.
    pub fn name(self) -> &'static str {
        match self {
            Status::NotApplicable => "not_applicable",
            Status::Withdrawn => "withdrawn",
            Status::OnTime => "on_time",
            Status::OnTimeExtended => "on_time_extended",
            Status::Late => "late",
            Status::Overdue => "overdue",
            Status::Open => "open",
            Status::AnsweredDateUnknown => "answered_date_unknown",
        }
    }

    /// The status for a code from the timeline.
    pub fn from_code(code: u8) -> Option<Status> {
        Status::ALL.get(code as usize).copied()
    }
}

/// Short reasons for statuses that are not obvious, by code (0 = none).
pub const REASONS: [&str; 14] = [
    "",
    "not accepted as a complaint",
    "received after as-of",
    "not escalated to this stage by as-of",
    "escalation refused",
    "withdrawn: left out of timeliness",
    "met a recorded due date beyond the policy's maximum extension",
    "extended: met the recorded due date",
    "extended, no due date recorded: met the limit plus the maximum extension",
    "extended, but answered after the extended deadline",
    "answered after the deadline with no extension",
    "no response by as-of and past the deadline",
    "no acknowledgement recorded: clock started at receipt",
    "answered (an outcome or a later stage is recorded) but no readable response date: left out of timeliness",
];

/// Per-stage column names in the timeline frame.
#[derive(Debug, Clone)]
pub struct StageCols {
    /// Stage number, 1-based.
    pub k: usize,
    /// Stage start (receipt or escalation request), epoch days, null if not started by as-of.
    pub start: String,
    /// Acknowledgement at as-of.
    pub ack: String,
    /// Response at as-of.
    pub resp: String,
    /// Recorded due date (a plan: not cut at as-of).
    pub due: String,
    /// Clock start.
    pub clock: String,
    /// Whether the clock fell back to receipt for want of an acknowledgement.
    pub clock_fallback: String,
    /// Deadline `deadline(clock, limit)`.
    pub deadline: String,
    /// Extended deadline (recorded due date, else `deadline(clock, limit + max)`), when extended.
    pub ext_deadline: String,
    /// Accepted at this stage (stage 1: not excluded; later: requested and not refused).
    pub accepted: String,
    /// Withdrawn at this stage.
    pub withdrawn: String,
    /// Extended (flag or a recorded due date after the deadline).
    pub extended: String,
    /// Recorded due date beyond limit + maximum extension.
    pub over_max: String,
    /// Working days from start to acknowledgement.
    pub ack_wd: String,
    /// Working days from start to as-of (for acknowledgements still awaited).
    pub start_to_asof_wd: String,
    /// Working days from clock to response.
    pub resp_wd: String,
    /// Working days from clock to as-of.
    pub clock_to_asof_wd: String,
    /// Working days from clock to the recorded due date.
    pub due_wd: String,
    /// Responded within the limit (whatever the outcome, for TSM CH02).
    pub within: String,
    /// Responded after the limit but within the extended deadline.
    pub within_ext: String,
    /// The `Status` code (Int32).
    pub status: String,
    /// The name the audit gives `reason(s)`, the code into `REASONS` for a status that is not
    /// obvious (Int32, 0 = none); not a column of the timeline itself.
    pub reason: String,
}

impl StageCols {
    fn new(k: usize) -> Self {
        let c = |s: &str| format!("t{k}_{s}");
        StageCols {
            k,
            start: c("start"),
            ack: c("ack"),
            resp: c("resp"),
            due: c("due"),
            clock: c("clock"),
            clock_fallback: c("clock_fallback"),
            deadline: c("deadline"),
            ext_deadline: c("ext_deadline"),
            accepted: c("accepted"),
            withdrawn: c("withdrawn"),
            extended: c("extended"),
            over_max: c("over_max"),
            ack_wd: c("ack_wd"),
            start_to_asof_wd: c("start_asof_wd"),
            resp_wd: c("resp_wd"),
            clock_to_asof_wd: c("clock_asof_wd"),
            due_wd: c("due_wd"),
            within: c("within"),
            within_ext: c("within_ext"),
            status: c("status"),
            reason: c("reason"),
        }
    }

    /// Rows with this status.
    pub fn is(&self, status: Status) -> Expr {
        col(self.status.as_str()).eq(lit(status as i32))
    }

    /// Rows open at as-of (overdue or not).
    pub fn is_open(&self) -> Expr {
        self.is(Status::Open).or(self.is(Status::Overdue))
    }

    /// Columns holding dates as epoch days, for which working-day ordinals are looked up.
    fn ordinal_inputs(&self) -> [&str; 5] {
        [&self.start, &self.ack, &self.resp, &self.due, &self.clock]
    }
}

/// Name of the ordinal column for an epoch-day column.
fn ord(name: &str) -> String {
    format!("{name}__n")
}

/// The case table with per-stage timeline columns for one profile at one as-of date.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// Cases plus the `t{k}_…` columns (dates as epoch-day Int32).
    pub df: DataFrame,
    /// The profile measured against.
    pub profile: Profile,
    /// Column names per stage of the profile.
    pub stages: Vec<StageCols>,
}

/// An event column cut at as-of: an event dated after it has not happened yet.
fn by_as_of(name: &str, as_of: i32) -> Expr {
    let e = col(name).cast(DataType::Int32);
    when(e.clone().gt(lit(as_of))).then(lit(NULL).cast(DataType::Int32)).otherwise(e)
}

fn flag(name: &str) -> Expr {
    col(name).fill_null(lit(false))
}

/// Working days between two ordinal columns.
fn wd_between(from: &str, to: &str) -> Expr {
    col(ord(to)) - col(ord(from))
}

impl Timeline {
    /// Builds the timeline of every case under `profile` at `as_of`.
    pub fn build(cases: &DataFrame, profile: &Profile, calendar: &Calendar, as_of: NaiveDate) -> Result<Timeline> {
        TimelineBase::new(cases, profile, calendar)?.at(calendar, as_of)
    }
}

/// The part of a timeline that does not depend on the as-of date: every stage date's working-day
/// ordinal and the deadlines each possible clock start gives. A timeline at any as-of is then
/// plain expressions over it — what had happened by that date — so the periods of a trend share
/// one set of calendar lookups.
#[derive(Debug, Clone)]
pub struct TimelineBase {
    df: DataFrame,
    profile: Profile,
    stages: Vec<StageCols>,
}

/// Names of a stage's as-of-independent columns.
struct BaseCols {
    k: usize,
    start: String,
    ack: String,
    resp: String,
}

impl BaseCols {
    fn new(k: usize) -> BaseCols {
        BaseCols {
            k,
            start: if k == 1 { "received_date".into() } else { format!("s{k}_requested_date") },
            ack: format!("s{k}_ack_date"),
            resp: format!("s{k}_response_date"),
        }
    }

    /// `b{k}_{what}`.
    fn b(&self, what: &str) -> String {
        format!("b{}_{what}", self.k)
    }
}

/// Working-day ordinal of `ombudsman_evidence_requested_date` (null outside the calendar).
pub const EVIDENCE_REQUESTED_N: &str = "b_evidence_requested_n";
/// Working-day ordinal of `ombudsman_evidence_sent_date` (null outside the calendar).
pub const EVIDENCE_SENT_N: &str = "b_evidence_sent_n";

/// `b{k}_withdrawn`: the stage's outcome is "withdrawn" (as-of does not change it).
fn withdrawn_flag(k: usize) -> String {
    format!("b{k}_withdrawn")
}

/// `b{k}_answered_unknown`: `answered_date_unknown(k)`, which as-of does not change either.
fn answered_unknown_flag(k: usize) -> String {
    format!("b{k}_answered_unknown")
}

/// Working-day ordinals of an epoch-day column, `None` where the calendar has no such day (the
/// timeline reports it only if the date counts at its as-of).
fn lenient_ordinals(calendar: &Calendar, values: &Int32Chunked) -> Int32Chunked {
    values.iter().map(|v| v.and_then(|v| calendar.ordinal_epoch(v).ok())).collect()
}

/// Deadlines `n` working days after each clock start, `None` where the calendar ends first.
fn lenient_deadlines(calendar: &Calendar, clock: &Int32Chunked, n: u32) -> Int32Chunked {
    clock.iter().map(|v| v.and_then(|v| calendar.deadline_epoch(v, n).ok())).collect()
}

fn epoch_column(df: &DataFrame, name: &str) -> Result<Int32Chunked> {
    Ok(df.column(name)?.cast(&DataType::Int32)?.i32()?.clone())
}

/// A column of calendar lookups: `to` from the epoch days of `from` — their working-day
/// ordinals, or with `deadline` the deadline that many working days on.
struct Lookup {
    from: String,
    to: String,
    deadline: Option<u32>,
}

/// Adds the `lookups`' columns to `df` in the order given. Each is a pass over every case that
/// reads nothing but its own column, so they are shared out between the cores.
fn add_lookups(df: &mut DataFrame, calendar: &Calendar, lookups: &[Lookup]) -> Result<()> {
    let source = &*df;
    let columns = crate::par::try_map_in_order(lookups, "a calendar lookup was not made", |l| {
        let days = epoch_column(source, &l.from)?;
        let made = match l.deadline {
            None => lenient_ordinals(calendar, &days),
            Some(n) => lenient_deadlines(calendar, &days, n),
        };
        Ok(made.with_name(l.to.as_str().into()).into_column())
    })?;
    for column in columns {
        df.with_column(column)?;
    }
    Ok(())
}

impl TimelineBase {
    /// The calendar lookups for every case under `profile`.
    pub fn new(cases: &DataFrame, profile: &Profile, calendar: &Calendar) -> Result<TimelineBase> {
        TimelineBase::on(&TimelineBase::dated(cases, calendar)?, profile, calendar)
    }

    /// The cases with what no profile changes: the outcome flags, and the working-day ordinal of
    /// every stage date and Ombudsman evidence date. Every profile's base is made on this frame,
    /// so a trend spanning two Codes looks each date up once.
    pub fn dated(cases: &DataFrame, calendar: &Calendar) -> Result<DataFrame> {
        // Outcome text is compared once here, not in every timeline.
        let flags: Vec<Expr> = (1..=MAX_STAGES)
            .flat_map(|k| {
                [
                    col(format!("s{k}_outcome")).eq(lit("withdrawn")).fill_null(lit(false)).alias(withdrawn_flag(k)),
                    answered_date_unknown(k).alias(answered_unknown_flag(k)),
                ]
            })
            .collect();
        let mut df = cases.clone().lazy().with_columns(flags).collect()?;
        // The Ombudsman evidence dates' ordinals, for its 15-working-day measure.
        let mut lookups: Vec<Lookup> = [
            ("ombudsman_evidence_requested_date", EVIDENCE_REQUESTED_N),
            ("ombudsman_evidence_sent_date", EVIDENCE_SENT_N),
        ]
        .into_iter()
        .filter(|(from, _)| df.column(from).is_ok())
        .map(|(from, to)| Lookup { from: from.to_string(), to: to.to_string(), deadline: None })
        .collect();
        for k in 1..=MAX_STAGES {
            let b = BaseCols::new(k);
            let due = format!("s{k}_due_date");
            for (from, what) in [(&b.start, "start_n"), (&b.ack, "ack_n"), (&b.resp, "resp_n"), (&due, "due_n")] {
                lookups.push(Lookup { from: from.clone(), to: b.b(what), deadline: None });
            }
        }
        add_lookups(&mut df, calendar, &lookups)?;
        Ok(df)
    }

    /// The base under `profile` on a frame from `dated`: the deadlines of each possible clock.
    pub fn on(dated: &DataFrame, profile: &Profile, calendar: &Calendar) -> Result<TimelineBase> {
        let stages: Vec<StageCols> = (1..=profile.stages.len().min(MAX_STAGES)).map(StageCols::new).collect();
        let mut lookups = Vec::new();
        for s in &stages {
            let b = BaseCols::new(s.k);
            let rule = &profile.stages[s.k - 1];
            let mut clocks = vec![(b.start.clone(), "start")];
            if rule.response_from == ClockStart::Acknowledgement {
                clocks.push((b.ack.clone(), "ack"));
            }
            let longest = rule.response_days + rule.max_extension_days;
            for (from, what) in clocks {
                for (name, n) in [("dl", rule.response_days), ("long", longest)] {
                    lookups.push(Lookup { from: from.clone(), to: b.b(&format!("{name}_{what}")), deadline: Some(n) });
                }
            }
        }
        let mut df = dated.clone();
        add_lookups(&mut df, calendar, &lookups)?;
        Ok(TimelineBase { df, profile: profile.clone(), stages })
    }

    /// The timeline at `as_of`: what had happened by then, and where every case stood.
    pub fn at(&self, calendar: &Calendar, as_of: NaiveDate) -> Result<Timeline> {
        self.at_first(calendar, as_of, self.df.height())
    }

    /// `at` for the first `rows` cases only (a slice, nothing copied).
    pub fn at_first(&self, calendar: &Calendar, as_of: NaiveDate, rows: usize) -> Result<Timeline> {
        let asof = epoch_days(as_of);
        let asof_n = calendar.ordinal_epoch(asof).map_err(|e| data(format!("--as-of: {e}")))?;
        let mut lf =
            self.df.slice(0, rows).lazy().with_column(lit(asof_n).alias("asof__n")).with_columns(final_columns(asof));
        for s in &self.stages {
            lf = lf.with_columns(dates_at(s, &self.profile.stages[s.k - 1], asof));
        }
        for s in &self.stages {
            lf = lf.with_columns(calendar_at(s, &self.profile.stages[s.k - 1]));
        }
        let checked = lf.collect()?;
        for s in &self.stages {
            check_calendar(&checked, s, &self.profile.stages[s.k - 1], calendar)?;
        }
        let mut lf = checked.lazy();
        for s in &self.stages {
            lf = classify(lf, s, &self.profile.stages[s.k - 1], asof);
        }
        Ok(Timeline { df: lf.collect()?, profile: self.profile.clone(), stages: self.stages.clone() })
    }
}

/// The highest stage a case had reached by as-of (k when `s{k}_requested_date` ≤ as-of and
/// that escalation was not refused; 1 otherwise).
pub const FINAL_STAGE: &str = "final__stage";
/// The response date at that stage, cut at as-of.
pub const FINAL_RESPONSE: &str = "final__response";
/// Whether the complaint was withdrawn at that stage.
pub const FINAL_WITHDRAWN: &str = "final__withdrawn";

/// The final stage reached by as-of, its response (cut at as-of) and whether it was withdrawn:
/// what "closed" asks, worked out once per timeline rather than in every count.
fn final_columns(asof: i32) -> [Expr; 3] {
    let flag = |name: String| col(name).fill_null(lit(false));
    let reached = |k: usize| {
        by_as_of(&format!("s{k}_requested_date"), asof).is_not_null().and(flag(format!("s{k}_refused")).not())
    };
    let stage = when(reached(3)).then(lit(3)).when(reached(2)).then(lit(2)).otherwise(lit(1));
    let pick = |k: usize| col(format!("s{k}_response_date"));
    let response = when(stage.clone().eq(lit(3)))
        .then(pick(3))
        .when(stage.clone().eq(lit(2)))
        .then(pick(2))
        .otherwise(pick(1))
        .cast(DataType::Int32);
    [
        stage.clone().alias(FINAL_STAGE),
        when(response.clone().gt(lit(asof)))
            .then(lit(NULL).cast(DataType::Int32))
            .otherwise(response)
            .alias(FINAL_RESPONSE),
        when(stage.clone().eq(lit(3)))
            .then(col(withdrawn_flag(3)))
            .when(stage.eq(lit(2)))
            .then(col(withdrawn_flag(2)))
            .otherwise(col(withdrawn_flag(1)))
            .alias(FINAL_WITHDRAWN),
    ]
}

/// Phase 1 for one stage: start, acknowledgement, response and due date as at as-of, and the
/// clock start.
fn dates_at(s: &StageCols, rule: &StageRule, asof: i32) -> [Expr; 6] {
    let b = BaseCols::new(s.k);
    let start = by_as_of(&b.start, asof);
    let ack = by_as_of(&b.ack, asof);
    let (clock, fallback) = match rule.response_from {
        ClockStart::Start => (start.clone(), lit(false)),
        ClockStart::Acknowledgement => {
            (coalesce(&[ack.clone(), start.clone()]), ack.clone().is_null().and(start.clone().is_not_null()))
        }
    };
    [
        start.alias(s.start.as_str()),
        ack.alias(s.ack.as_str()),
        by_as_of(&b.resp, asof).alias(s.resp.as_str()),
        col(format!("s{}_due_date", s.k)).cast(DataType::Int32).alias(s.due.as_str()),
        clock.alias(s.clock.as_str()),
        fallback.alias(s.clock_fallback.as_str()),
    ]
}

/// Phase 2 for one stage, from the base: the ordinal of each date that had happened, and the
/// deadlines of the clock that started.
fn calendar_at(s: &StageCols, rule: &StageRule) -> Vec<Expr> {
    let b = BaseCols::new(s.k);
    let null = || lit(NULL).cast(DataType::Int32);
    let known = |date: &str, column: String| when(col(date).is_not_null()).then(col(column)).otherwise(null());
    // The clock is the acknowledgement when one had been sent (under an acknowledgement profile),
    // else the stage's start.
    let by_clock = |what: &str| match rule.response_from {
        ClockStart::Start => known(&s.start, b.b(&format!("{what}_start"))),
        ClockStart::Acknowledgement => when(col(s.ack.as_str()).is_not_null())
            .then(col(b.b(&format!("{what}_ack"))))
            .when(col(s.start.as_str()).is_not_null())
            .then(col(b.b(&format!("{what}_start"))))
            .otherwise(null()),
    };
    let clock_n = match rule.response_from {
        ClockStart::Start => known(&s.start, b.b("start_n")),
        ClockStart::Acknowledgement => when(col(s.ack.as_str()).is_not_null())
            .then(col(b.b("ack_n")))
            .when(col(s.start.as_str()).is_not_null())
            .then(col(b.b("start_n")))
            .otherwise(null()),
    };
    vec![
        known(&s.start, b.b("start_n")).alias(ord(&s.start)),
        known(&s.ack, b.b("ack_n")).alias(ord(&s.ack)),
        known(&s.resp, b.b("resp_n")).alias(ord(&s.resp)),
        // A due date is a plan, not cut at as-of: its ordinal is the base's as it stands.
        col(b.b("due_n")).alias(ord(&s.due)),
        clock_n.alias(ord(&s.clock)),
        by_clock("dl").alias(s.deadline.as_str()),
        by_clock("long").alias(format!("t{}_longest", s.k)),
    ]
}

/// A date that counts at as-of with no working-day ordinal, or a clock whose deadline falls
/// after the calendar's end, is an error naming the case (as when the lookups were made per
/// as-of).
fn check_calendar(df: &DataFrame, s: &StageCols, rule: &StageRule, calendar: &Calendar) -> Result<()> {
    let whats = ["start", "acknowledgement", "response", "due date", "clock start"];
    for (name, what) in s.ordinal_inputs().into_iter().zip(whats) {
        let (dates, ords) = (df.column(name)?.i32()?, df.column(&ord(name))?.i32()?);
        if dates.null_count() == ords.null_count() {
            continue;
        }
        if let Some(row) = (0..df.height()).find(|&i| dates.get(i).is_some() && ords.get(i).is_none()) {
            let e =
                calendar.ordinal_epoch(dates.get(row).unwrap_or(0)).err().map(|e| e.to_string()).unwrap_or_default();
            return Err(data(format!("{}: stage {} {what} {e}", describe_row(df, row), s.k)));
        }
    }
    let clock = df.column(&s.clock)?.i32()?;
    for (name, n) in [
        (s.deadline.clone(), rule.response_days),
        (format!("t{}_longest", s.k), rule.response_days + rule.max_extension_days),
    ] {
        let deadline = df.column(&name)?.i32()?;
        if clock.null_count() == deadline.null_count() {
            continue;
        }
        if let Some(row) = (0..df.height()).find(|&i| clock.get(i).is_some() && deadline.get(i).is_none()) {
            let e = calendar
                .deadline_epoch(clock.get(row).unwrap_or(0), n)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            return Err(data(format!("{}: the deadline {n} working days on: {e}", describe_row(df, row))));
        }
    }
    Ok(())
}

/// Phase 3 for one stage: acceptance, withdrawal, extension, elapsed working days, whether
/// answered within the limit or an extension, and the status and its reason.
fn classify(lf: LazyFrame, s: &StageCols, rule: &StageRule, asof: i32) -> LazyFrame {
    let k = s.k;
    let accepted = if k == 1 {
        col(s.start.as_str()).is_not_null().and(flag("excluded").not())
    } else {
        col(s.start.as_str()).is_not_null().and(flag(&format!("s{k}_refused")).not())
    };
    let due_recorded = col(s.due.as_str()).is_not_null();
    let extended =
        flag(&format!("s{k}_extended")).or(due_recorded.clone().and(col(s.due.as_str()).gt(col(s.deadline.as_str()))));
    let ext_deadline = when(extended.clone())
        .then(coalesce(&[col(s.due.as_str()), col(format!("t{k}_longest"))]))
        .otherwise(lit(NULL).cast(DataType::Int32));
    let longest = (rule.response_days + rule.max_extension_days) as i32;
    let on_time = col(s.resp_wd.as_str()).lt_eq(lit(rule.response_days as i32));
    let on_time_ext = col(s.extended.as_str()).and(col(s.resp.as_str()).lt_eq(col(s.ext_deadline.as_str())));
    let responded = col(s.resp.as_str()).is_not_null();
    lf.with_columns([
        accepted.alias(s.accepted.as_str()),
        col(withdrawn_flag(k)).alias(s.withdrawn.as_str()),
        extended.alias(s.extended.as_str()),
        ext_deadline.alias(s.ext_deadline.as_str()),
        wd_between(&s.start, &s.ack).alias(s.ack_wd.as_str()),
        (col("asof__n") - col(ord(&s.start))).alias(s.start_to_asof_wd.as_str()),
        wd_between(&s.clock, &s.resp).alias(s.resp_wd.as_str()),
        (col("asof__n") - col(ord(&s.clock))).alias(s.clock_to_asof_wd.as_str()),
        wd_between(&s.clock, &s.due).alias(s.due_wd.as_str()),
    ])
    .with_column(
        col(s.extended.as_str())
            .and(col(s.due.as_str()).is_not_null())
            .and(col(s.due_wd.as_str()).gt(lit(longest)))
            .alias(s.over_max.as_str()),
    )
    .with_columns([
        responded.clone().and(on_time.clone()).alias(s.within.as_str()),
        responded.and(on_time.clone().not()).and(on_time_ext.clone()).alias(s.within_ext.as_str()),
    ])
    .with_column(status(s, rule, asof, on_time, on_time_ext).cast(DataType::Int32).alias(s.status.as_str()))
}

/// The `Status` code of a stage.
fn status(s: &StageCols, rule: &StageRule, asof: i32, on_time: Expr, on_time_ext: Expr) -> Expr {
    let longest = (rule.response_days + rule.max_extension_days) as i32;
    let overdue = when(col(s.due.as_str()).is_not_null())
        .then(lit(asof).gt(col(s.due.as_str())))
        .when(col(s.extended.as_str()))
        .then(col(s.clock_to_asof_wd.as_str()).gt(lit(longest)))
        .otherwise(col(s.clock_to_asof_wd.as_str()).gt(lit(rule.response_days as i32)));
    let responded = col(s.resp.as_str()).is_not_null();
    let code = |st: Status| lit(st as i32);
    let answered_unknown = col(answered_unknown_flag(s.k));
    when(col(s.accepted.as_str()).not())
        .then(code(Status::NotApplicable))
        .when(col(s.withdrawn.as_str()))
        .then(code(Status::Withdrawn))
        .when(responded.clone().and(on_time))
        .then(code(Status::OnTime))
        .when(responded.clone().and(on_time_ext))
        .then(code(Status::OnTimeExtended))
        .when(responded)
        .then(code(Status::Late))
        .when(answered_unknown)
        .then(code(Status::AnsweredDateUnknown))
        .when(overdue)
        .then(code(Status::Overdue))
        .otherwise(code(Status::Open))
}

/// A stage answered but with no readable response date in the files (not merely one after
/// as-of): its own outcome is recorded (and is not "withdrawn"), or a later stage has begun.
fn answered_date_unknown(k: usize) -> Expr {
    let own = col(format!("s{k}_outcome")).is_not_null().and(col(format!("s{k}_outcome")).neq(lit("withdrawn")));
    let later = (k + 1..=MAX_STAGES)
        .map(|j| col(format!("s{j}_outcome")).is_not_null().or(col(format!("s{j}_requested_date")).is_not_null()))
        .fold(lit(false), |a, b| a.or(b));
    col(format!("s{k}_response_date")).is_null().and(own.or(later).fill_null(lit(false)))
}

/// The code into `REASONS` explaining a stage's status (Int32; only the audit asks it, so it
/// is not a column of every timeline).
pub fn reason(s: &StageCols) -> Expr {
    let r = |i: i32| lit(i);
    let not_applicable = if s.k == 1 {
        when(flag("excluded")).then(r(1)).otherwise(r(2))
    } else {
        when(col(s.start.as_str()).is_null()).then(r(3)).otherwise(r(4))
    };
    let st = |x: Status| col(s.status.as_str()).eq(lit(x as i32));
    when(st(Status::NotApplicable))
        .then(not_applicable)
        .when(st(Status::Withdrawn))
        .then(r(5))
        .when(col(s.over_max.as_str()).and(st(Status::OnTimeExtended)))
        .then(r(6))
        .when(st(Status::OnTimeExtended).and(col(s.due.as_str()).is_not_null()))
        .then(r(7))
        .when(st(Status::OnTimeExtended))
        .then(r(8))
        .when(st(Status::Late).and(col(s.extended.as_str())))
        .then(r(9))
        .when(st(Status::Late))
        .then(r(10))
        .when(st(Status::Overdue))
        .then(r(11))
        .when(st(Status::AnsweredDateUnknown))
        .then(r(13))
        .when(col(s.clock_fallback.as_str()))
        .then(r(12))
        .otherwise(r(0))
}

/// Names the case behind a row, for errors.
fn describe_row(df: &DataFrame, row: usize) -> String {
    let file = df.column(SOURCE_FILE).ok().and_then(|c| c.str().ok().and_then(|s| s.get(row).map(str::to_string)));
    let line = df.column(SOURCE_ROW).ok().and_then(|c| c.u32().ok().and_then(|s| s.get(row)));
    let case = df.column("case_id").ok().and_then(|c| c.str().ok().and_then(|s| s.get(row).map(str::to_string)));
    format!(
        "{} row {}, case {}",
        file.unwrap_or_default(),
        line.map(|l| l.to_string()).unwrap_or_default(),
        case.unwrap_or_default()
    )
}

/// Working-day ordinals of a whole epoch-day column; a date outside the calendar is an error
/// naming the case.
pub fn ordinals(calendar: &Calendar, values: &Int32Chunked, df: &DataFrame, what: &str) -> Result<Int32Chunked> {
    let mut out: Vec<Option<i32>> = Vec::with_capacity(values.len());
    for (row, v) in values.iter().enumerate() {
        out.push(match v {
            Some(v) => {
                Some(calendar.ordinal_epoch(v).map_err(|e| data(format!("{}: {what} {e}", describe_row(df, row))))?)
            }
            None => None,
        });
    }
    Ok(Int32Chunked::from_iter(out))
}
