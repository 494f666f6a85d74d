//! The per-case audit (`cases-audit.csv`): one row per case and stage relevant to the period, with
//! every date used, the clock start, deadlines, elapsed working days and status, so any figure
//! can be re-derived in a spreadsheet.

use anyhow::Result;
use polars::prelude::*;

use super::metrics_csv::formula_safe;
use crate::calendar::from_epoch_days;
use crate::config::ClockStart;
use crate::metrics::frame::within;
use crate::metrics::Timelines;
use crate::period::Period;
use crate::timeline::{StageCols, Status, Timeline, REASONS};

/// The audit's columns, in order.
pub const COLUMNS: [&str; 33] = [
    "case_id",
    "source_file",
    "source_row",
    "stage",
    "stage_name",
    "category",
    "tenure",
    "received_date",
    "stage_start",
    "ack_date",
    "ack_wd",
    "clock_start",
    "clock_basis",
    "extended",
    "due_date",
    "deadline",
    "extended_deadline",
    "response_date",
    "response_wd",
    "outcome",
    "status",
    "reason",
    "received_in_period",
    "responded_in_period",
    "open_at_as_of",
    "received_in_tsm_year",
    "code_profile",
    "code_deadline",
    "code_response_wd",
    "code_status",
    "tsm_tenure",
    "tsm_cohort",
    "tsm_within",
];

fn text(df: &DataFrame, name: &str) -> Result<Vec<Option<String>>> {
    Ok(df.column(name)?.cast(&DataType::String)?.str()?.iter().map(|v| v.map(str::to_string)).collect())
}

fn ints(df: &DataFrame, name: &str) -> Result<Vec<Option<i64>>> {
    Ok(df.column(name)?.cast(&DataType::Int64)?.i64()?.iter().collect())
}

fn status_names(df: &DataFrame, name: &str) -> Result<Vec<Option<String>>> {
    Ok(ints(df, name)?
        .into_iter()
        .map(|c| c.and_then(|c| Status::from_code(c as u8)).map(|s| s.name().to_string()))
        .collect())
}

fn bools(df: &DataFrame, name: &str) -> Result<Vec<Option<bool>>> {
    Ok(df.column(name)?.cast(&DataType::Boolean)?.bool()?.iter().collect())
}

fn date(v: Option<i64>) -> String {
    v.map(|d| from_epoch_days(d as i32).format("%Y-%m-%d").to_string()).unwrap_or_default()
}

fn yes_no(v: Option<bool>) -> String {
    match v {
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
        None => String::new(),
    }
}

/// Writes the audit of the landlord's profile with the Code profile beside it, and where each
/// case stands in the TSMs (so a spreadsheet filter reproduces CH01 and CH02).
pub fn audit_csv(t: &Timelines, period: &Period, tsm_year: &Period) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    for s in &t.own.stages {
        let mut df = stage_frame(&t.own, &t.code, s, period, tsm_year)?;
        let tsm = tsm_columns(t, s.k, tsm_year)?;
        let keep = stage_mask(&t.own, s, period, tsm_year)?;
        for c in tsm {
            df.with_column(c.filter(&keep)?)?;
        }
        write_stage(&mut w, &df, s, &t.own, &t.code)?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// The rows of a stage the audit lists.
fn relevant(s: &StageCols, period: &Period, tsm_year: &Period) -> Expr {
    col(s.start.as_str()).is_not_null().and(
        within(col(s.start.as_str()), period)
            .or(within(col(s.resp.as_str()), period))
            .or(s.is_open())
            .or(within(col(s.start.as_str()), tsm_year)),
    )
}

fn stage_mask(own: &Timeline, s: &StageCols, period: &Period, tsm_year: &Period) -> Result<BooleanChunked> {
    let df = own.df.clone().lazy().select([relevant(s, period, tsm_year).alias("keep")]).collect()?;
    Ok(df.column("keep")?.bool()?.clone())
}

/// `tsm_tenure`, `tsm_cohort` and `tsm_within` of every case at stage k, from the TSM timeline.
fn tsm_columns(t: &Timelines, k: usize, year: &Period) -> Result<Vec<Column>> {
    let n = t.tsm.df.height();
    let tenure: StringChunked = t
        .tsm
        .df
        .column("tenure")?
        .str()?
        .iter()
        .map(|v| {
            Some(v.map(|t| t.trim().to_uppercase()).filter(|t| !t.is_empty()).unwrap_or_else(|| "not recorded".into()))
        })
        .collect();
    let Some(s) = t.tsm.stages.get(k - 1).filter(|_| k <= 2) else {
        let blank = StringChunked::full(PlSmallStr::EMPTY, "", n);
        return Ok(vec![
            tenure.with_name("tsm_tenure".into()).into_column(),
            blank.clone().with_name("tsm_cohort".into()).into_column(),
            blank.with_name("tsm_within".into()).into_column(),
        ]);
    };
    let cohort = crate::metrics::tsm::made(s, year);
    let place = crate::metrics::tsm::place(s, year);
    let df = t
        .tsm
        .df
        .clone()
        .lazy()
        .select([when(cohort).then(lit("yes")).otherwise(lit("no")).alias("tsm_cohort"), place.alias("tsm_within")])
        .collect()?;
    Ok(vec![
        tenure.with_name("tsm_tenure".into()).into_column(),
        df.column("tsm_cohort")?.clone(),
        df.column("tsm_within")?.clone(),
    ])
}

/// The rows of one stage relevant to the period, with the Code timeline's columns beside them.
fn stage_frame(
    own: &Timeline,
    code: &Timeline,
    s: &StageCols,
    period: &Period,
    tsm_year: &Period,
) -> Result<DataFrame> {
    let k = s.k;
    let relevant = col(s.start.as_str()).is_not_null().and(
        within(col(s.start.as_str()), period)
            .or(within(col(s.resp.as_str()), period))
            .or(s.is_open())
            .or(within(col(s.start.as_str()), tsm_year)),
    );
    let mut select = vec![
        col("case_id"),
        col("source_file"),
        col("source_row"),
        col("category"),
        col("tenure"),
        col("received_date").cast(DataType::Int32).alias("received"),
        col(s.start.as_str()),
        col(s.ack.as_str()),
        col(s.ack_wd.as_str()),
        col(s.clock.as_str()),
        col(s.clock_fallback.as_str()),
        col(s.extended.as_str()),
        col(s.due.as_str()),
        col(s.deadline.as_str()),
        col(s.ext_deadline.as_str()),
        col(s.resp.as_str()),
        col(s.resp_wd.as_str()),
        col(format!("s{k}_outcome")).alias("outcome"),
        col(s.status.as_str()),
        col(s.reason.as_str()),
        within(col(s.start.as_str()), period).alias("in_p"),
        within(col(s.resp.as_str()), period).alias("resp_in_p"),
        s.is_open().alias("open"),
        within(col(s.start.as_str()), tsm_year).alias("in_tsm"),
    ];
    let mut frame = own.df.clone();
    if let Some(cs) = code.stages.get(k - 1) {
        // The Code timeline has the same rows in the same order.
        for (from, to) in [(&cs.deadline, "code_deadline"), (&cs.resp_wd, "code_resp_wd"), (&cs.status, "code_status")]
        {
            frame.with_column(
                code.df.column(from)?.as_materialized_series().clone().with_name(to.into()).into_column(),
            )?;
        }
        select.extend([col("code_deadline"), col("code_resp_wd"), col("code_status")]);
    }
    Ok(frame.lazy().filter(relevant).select(select).collect()?)
}

/// Writes one stage's rows.
fn write_stage(
    w: &mut csv::Writer<Vec<u8>>,
    df: &DataFrame,
    s: &StageCols,
    own: &Timeline,
    code: &Timeline,
) -> Result<()> {
    let k = s.k;
    let rule = &own.profile.stages[k - 1];
    let t = |name: &str| -> Result<Vec<String>> {
        Ok(text(df, name)?.into_iter().map(|v| formula_safe(v.as_deref().unwrap_or(""))).collect())
    };
    let dates = |name: &str| -> Result<Vec<String>> { Ok(ints(df, name)?.into_iter().map(date).collect()) };
    let nums = |name: &str| -> Result<Vec<String>> {
        Ok(ints(df, name)?.into_iter().map(|v| v.map(|v| v.to_string()).unwrap_or_default()).collect())
    };
    let flags = |name: &str| -> Result<Vec<String>> { Ok(bools(df, name)?.into_iter().map(yes_no).collect()) };
    let statuses = |name: &str| -> Result<Vec<String>> {
        Ok(status_names(df, name)?.into_iter().map(|v| formula_safe(v.as_deref().unwrap_or(""))).collect())
    };
    let blank = vec![String::new(); df.height()];
    let has_code = code.stages.get(k - 1).is_some();
    let reason: Vec<String> = ints(df, &s.reason)?
        .into_iter()
        .map(|c| formula_safe(c.and_then(|c| REASONS.get(c as usize)).copied().unwrap_or("")))
        .collect();
    let fallback = bools(df, &s.clock_fallback)?;
    let basis_start = if k == 1 { "receipt" } else { "escalation request" };
    let basis: Vec<String> = fallback
        .iter()
        .map(|f| match (rule.response_from, f) {
            (ClockStart::Start, _) => basis_start.to_string(),
            (ClockStart::Acknowledgement, Some(true)) => format!("{basis_start} (no acknowledgement)"),
            (ClockStart::Acknowledgement, _) => "acknowledgement".to_string(),
        })
        .collect();
    let columns: Vec<Vec<String>> = vec![
        t("case_id")?,
        t("source_file")?,
        nums("source_row")?,
        vec![k.to_string(); df.height()],
        vec![formula_safe(&rule.name); df.height()],
        t("category")?,
        t("tenure")?,
        dates("received")?,
        dates(&s.start)?,
        dates(&s.ack)?,
        nums(&s.ack_wd)?,
        dates(&s.clock)?,
        basis,
        flags(&s.extended)?,
        dates(&s.due)?,
        dates(&s.deadline)?,
        dates(&s.ext_deadline)?,
        dates(&s.resp)?,
        nums(&s.resp_wd)?,
        t("outcome")?,
        statuses(&s.status)?,
        reason,
        flags("in_p")?,
        flags("resp_in_p")?,
        flags("open")?,
        flags("in_tsm")?,
        vec![code.profile.name.clone(); df.height()],
        if has_code { dates("code_deadline")? } else { blank.clone() },
        if has_code { nums("code_resp_wd")? } else { blank.clone() },
        if has_code { statuses("code_status")? } else { blank },
        t("tsm_tenure")?,
        t("tsm_cohort")?,
        t("tsm_within")?,
    ];
    for i in 0..df.height() {
        w.write_record(columns.iter().map(|c| c[i].as_str()))?;
    }
    Ok(())
}
