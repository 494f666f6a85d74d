//! The per-case audit (`cases-audit.csv`): one row per case and stage relevant to the period, with
//! every date used, the clock start, deadlines, elapsed working days and status, so any figure
//! can be re-derived in a spreadsheet.

use anyhow::Result;
use polars::prelude::*;

use super::metrics_csv::formula_safe;
use crate::calendar::from_epoch_days;
use crate::config::ClockStart;
use crate::metrics::frame::within;
use crate::period::Period;
use crate::timeline::{Status, Timeline, REASONS};

/// The audit's columns, in order.
pub const COLUMNS: [&str; 30] = [
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

/// Writes the audit of `own` (the landlord's profile) with `code` (the Code profile) beside it.
pub fn audit_csv(own: &Timeline, code: &Timeline, period: &Period, tsm_year: &Period) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    for s in &own.stages {
        let k = s.k;
        let rule = &own.profile.stages[k - 1];
        let code_stage = code.stages.get(k - 1);
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
        if let Some(cs) = code_stage {
            // The Code timeline has the same rows in the same order.
            for (from, to) in
                [(&cs.deadline, "code_deadline"), (&cs.resp_wd, "code_resp_wd"), (&cs.status, "code_status")]
            {
                frame.with_column(
                    code.df.column(from)?.as_materialized_series().clone().with_name(to.into()).into_column(),
                )?;
            }
            select.extend([col("code_deadline"), col("code_resp_wd"), col("code_status")]);
        }
        let df = frame.lazy().filter(relevant).select(select).collect()?;
        let case_id = text(&df, "case_id")?;
        let file = text(&df, "source_file")?;
        let row = ints(&df, "source_row")?;
        let category = text(&df, "category")?;
        let tenure = text(&df, "tenure")?;
        let received = ints(&df, "received")?;
        let start = ints(&df, &s.start)?;
        let ack = ints(&df, &s.ack)?;
        let ack_wd = ints(&df, &s.ack_wd)?;
        let clock = ints(&df, &s.clock)?;
        let fallback = bools(&df, &s.clock_fallback)?;
        let extended = bools(&df, &s.extended)?;
        let due = ints(&df, &s.due)?;
        let deadline = ints(&df, &s.deadline)?;
        let ext_deadline = ints(&df, &s.ext_deadline)?;
        let resp = ints(&df, &s.resp)?;
        let resp_wd = ints(&df, &s.resp_wd)?;
        let outcome = text(&df, "outcome")?;
        let status = status_names(&df, &s.status)?;
        let reason: Vec<Option<String>> = ints(&df, &s.reason)?
            .into_iter()
            .map(|c| c.and_then(|c| REASONS.get(c as usize)).filter(|r| !r.is_empty()).map(|r| r.to_string()))
            .collect();
        let in_p = bools(&df, "in_p")?;
        let resp_in_p = bools(&df, "resp_in_p")?;
        let open = bools(&df, "open")?;
        let in_tsm = bools(&df, "in_tsm")?;
        let (code_deadline, code_wd, code_status) = if code_stage.is_some() {
            (ints(&df, "code_deadline")?, ints(&df, "code_resp_wd")?, status_names(&df, "code_status")?)
        } else {
            (vec![None; df.height()], vec![None; df.height()], vec![None; df.height()])
        };
        let basis_start = if k == 1 { "receipt" } else { "escalation request" };
        for i in 0..df.height() {
            let basis = match (rule.response_from, fallback[i]) {
                (ClockStart::Start, _) => basis_start.to_string(),
                (ClockStart::Acknowledgement, Some(true)) => format!("{basis_start} (no acknowledgement)"),
                (ClockStart::Acknowledgement, _) => "acknowledgement".to_string(),
            };
            let num = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
            let t = |v: &Option<String>| formula_safe(v.as_deref().unwrap_or(""));
            w.write_record([
                t(&case_id[i]),
                t(&file[i]),
                num(row[i]),
                k.to_string(),
                formula_safe(&rule.name),
                t(&category[i]),
                t(&tenure[i]),
                date(received[i]),
                date(start[i]),
                date(ack[i]),
                num(ack_wd[i]),
                date(clock[i]),
                basis,
                yes_no(extended[i]),
                date(due[i]),
                date(deadline[i]),
                date(ext_deadline[i]),
                date(resp[i]),
                num(resp_wd[i]),
                t(&outcome[i]),
                t(&status[i]),
                t(&reason[i]),
                yes_no(in_p[i]),
                yes_no(resp_in_p[i]),
                yes_no(open[i]),
                yes_no(in_tsm[i]),
                code.profile.name.clone(),
                date(code_deadline[i]),
                num(code_wd[i]),
                t(&code_status[i]),
            ])?;
        }
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}
