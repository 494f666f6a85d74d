//! Reports: the quarterly Board pack (`complaints report`) — views prepared from the metrics and
//! timeline, charts drawn to SVG, rendered through tera, written atomically beside metrics.json,
//! metrics.csv and cases-audit.csv.

pub mod annual;
pub mod assessment;
pub mod charts;
pub mod html;
pub mod lessons;
pub mod redact;
pub mod views;

use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::{Datelike, NaiveDate};

use self::views::BoardView;
use crate::config::Profile;
use crate::error::data;
use crate::metrics::model::Metrics;
use crate::metrics::{self, Request};
use crate::output::write_atomic;
use crate::period::{financial_year_of, Period};
use crate::timeline::Timeline;
use crate::Loaded;

/// The files `report` writes, in order.
pub const OUTPUTS: [&str; 4] = ["board-report.html", "metrics.json", "metrics.csv", "cases-audit.csv"];

/// The latest quarter that has ended by the latest complaint received in the data.
pub fn latest_complete_quarter(loaded: &Loaded, as_of: Option<NaiveDate>) -> Result<Period> {
    let c = loaded.cases.df.column("received_date")?.date()?;
    let latest = c
        .phys
        .iter()
        .flatten()
        .max()
        .map(crate::calendar::from_epoch_days)
        .ok_or_else(|| data("no complaints in the data to report on"))?;
    let latest = as_of.map_or(latest, |a| latest.min(a));
    // The quarter containing `latest`; if `latest` is not its last day, the one before.
    let fy = financial_year_of(latest);
    let q = ((latest.month() + 8) % 12) / 3 + 1;
    let label = format!("{fy}/{:02} Q{q}", (fy + 1) % 100);
    let p = Period::parse(&label, None)?;
    let p = if p.end == latest {
        p
    } else {
        p.previous(1, NaiveDate::MIN).pop().ok_or_else(|| data("no complete quarter in the data"))?
    };
    Period::new(p.label, p.start, p.end, p.length, as_of)
}

/// Builds the Board report and its companion files into `out`.
pub fn board(
    loaded: &Loaded,
    period: &Period,
    profile: &Profile,
    templates: Option<&Path>,
    out: &Path,
    inputs: &[PathBuf],
) -> Result<Vec<PathBuf>> {
    crate::output::prepare_out(out, &OUTPUTS, inputs)?;
    let tera = html::engine(templates)?;
    let metrics::Computed { metrics: m, own: tl, code: code_tl } =
        metrics::compute_full(loaded, &Request { period, profile, by: None, trend: 8 })?;
    let view = board_view(loaded, &m, &tl, period)?;
    let html = html::render(&tera, "board-report.html.tera", &view)?;
    let audit = crate::audit::audit_csv(&tl, &code_tl, period, &period.tsm_year())?;
    let contents = [html, metrics::output::to_json(&m)?, metrics::output::to_csv(&m)?, audit];
    let mut written = Vec::new();
    for (name, body) in OUTPUTS.iter().zip(contents) {
        let path = out.join(name);
        write_atomic(&path, body.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

fn board_view(loaded: &Loaded, m: &Metrics, tl: &Timeline, period: &Period) -> Result<BoardView> {
    use views::*;
    let config = &loaded.config;
    let prev = m.trend.last();
    let ledger = &loaded.cases.ledger;
    let counts = ledger.counts();
    let (open_table, open_line) = open_bands(tl)?;
    let e = &m.escalation;
    let refusal_rows: Vec<Vec<String>> = e.by_reason.iter().map(|(k, v)| vec![k.clone(), v.to_string()]).collect();
    let mut outcome_rows = Vec::new();
    let outcome_names = ["upheld", "partly upheld", "not upheld", "not recorded"];
    for name in
        outcome_names.into_iter().filter(|n| m.stages.iter().any(|s| s.outcomes.get(*n).is_some_and(|v| *v > 0)))
    {
        let mut row = vec![name.to_string()];
        row.extend(m.stages.iter().map(|s| s.outcomes.get(name).copied().unwrap_or(0).to_string()));
        outcome_rows.push(row);
    }
    let mut outcome_headers = vec!["Outcome".to_string()];
    outcome_headers.extend(m.stages.iter().map(|s| format!("{} responses", s.name)));
    let repeat_line = match &m.repeat {
        Some(r) => {
            let received = m.stages.first().map(|s| s.received).unwrap_or(0);
            format!(
                "{} residents made {} or more stage 1 complaints in the 12 months to {}; {} of this period's {} stage 1 complaints ({}) came from them.{}",
                r.complainants,
                r.threshold,
                long_date(period.end),
                r.complaints,
                received,
                pct(&crate::metrics::model::Prop::new(r.complaints, received)),
                if r.complainant_not_recorded > 0 { format!(" {} complaints had no complainant reference.", r.complainant_not_recorded) } else { String::new() }
            )
        }
        None => "Not recorded: the export has no complainant reference.".into(),
    };
    let repeat_top = if m.repeat.is_some() { repeat_top(tl, period, config.repeat_threshold())? } else { Vec::new() };
    let ombudsman = match &m.ombudsman {
        Some(o) => {
            let mut rows = vec![
                vec!["Referrals notified this period".to_string(), o.referrals.to_string()],
                vec![
                    "Evidence sent within 15 working days".to_string(),
                    format!("{} ({} of {})", pct(&o.evidence_on_time), o.evidence_on_time.num, o.evidence_on_time.den),
                ],
            ];
            for (k, v) in &o.determinations {
                rows.push(vec![format!("Determination: {k}"), v.to_string()]);
            }
            TableView {
                caption: "Housing Ombudsman".into(),
                table: charts::Table { headers: vec!["".into(), "Count".into()], rows },
            }
        }
        None => TableView {
            caption: "Housing Ombudsman: not recorded in the export".into(),
            table: charts::Table { headers: vec![], rows: vec![] },
        },
    };
    let lessons_rows = if m.lessons.is_some() { lessons(&tl.df, period)? } else { Vec::new() };
    let lessons_line = match &m.lessons {
        Some(l) => format!(
            "{} lessons were recorded for complaints closed this period; {} actions were overdue on {}.",
            l.recorded,
            l.overdue,
            long_date(period.as_of)
        ),
        None => "Not recorded: the export has no lessons learned.".into(),
    };
    let channels = if loaded.cases.present.contains("channel") {
        Some(category_table(
            "Stage 1 complaints by channel",
            "Channel",
            &crate::metrics::category::breakdown(tl, period, "channel")?,
        ))
    } else {
        None
    };
    let quality_files: Vec<String> = counts.files.iter().map(|f| format!("\"{f}\"")).collect();
    Ok(BoardView {
        landlord: if config.landlord.is_empty() { "Landlord".into() } else { config.landlord.clone() },
        period: period.label.clone(),
        dates: format!("{} to {}", long_date(period.start), long_date(period.end)),
        as_of: long_date(period.as_of),
        profile: format!("{} ({})", m.profile, tl.profile.description),
        code_profile: m.code.profile.clone(),
        profile_is_code: m.code.profile == m.profile,
        files: ledger
            .files
            .iter()
            .map(|f| FileRow { path: f.path.clone(), sheet: f.sheet.clone().unwrap_or_default(), rows: crate::validate::thousands(f.rows_read) })
            .collect(),
        input_line: format!(
            "{} rows read: {} used, {} rejected, {} duplicates superseded; {} values dropped.",
            counts.rows_read, counts.rows_used, counts.rows_rejected, counts.duplicates, counts.warnings
        ),
        summary: summary(m, prev),
        commentary: config.text.commentary.clone(),
        tiles: tiles(m, prev, config),
        trend_charts: trend_charts(m, "quarter"),
        stage_table: stage_table(m),
        distribution_charts: distribution_charts(tl, period)?,
        category_chart: category_chart(m),
        categories: category_table("Stage 1 complaints by category", "Category", &m.by_category),
        channels,
        open_bands: open_table,
        open_line,
        refusals: TableView { caption: "Refusals to escalate by reason".into(), table: charts::Table { headers: vec!["Reason".into(), "Refusals".into()], rows: refusal_rows } },
        refusal_line: format!(
            "{} residents asked to escalate to stage 2 ({} of stage 1 responses); {} requests were refused, {} of them with the reason explained in writing.",
            e.requests,
            pct(&e.rate),
            e.refused,
            e.refused_explained
        ),
        not_accepted: counts_table("Complaints not accepted, by reason", "Reason", "Complaints", &m.not_accepted.by_reason),
        repeat_line,
        repeat_top,
        outcomes: TableView { caption: "Outcomes of responses this period".into(), table: charts::Table { headers: outcome_headers, rows: outcome_rows } },
        compensation_line: match &m.compensation {
            Some(c) => format!("£{} was awarded in compensation on {} complaints answered this period.", money(c.total), c.cases),
            None => "Compensation: not recorded in the export.".into(),
        },
        satisfaction_line: match &m.satisfaction {
            Some(s) => format!("{} of surveyed residents whose complaint closed this period were satisfied with how it was handled ({} of {}).", pct(s), s.num, s.den),
            None => "Satisfaction with complaint handling: not recorded in the export.".into(),
        },
        ombudsman,
        tsm: tsm_table(m),
        tsm_line: format!("CH01 counts complaints received in the year to date per 1,000 homes; CH02 the share of those complaints answered within the Code's timescales by {}.", long_date(period.as_of)),
        lesson_status: match &m.lessons {
            Some(l) => counts_table("Lesson actions by status", "Status", "Actions", &l.actions),
            None => TableView { caption: String::new(), table: charts::Table { headers: vec![], rows: vec![] } },
        },
        lessons_line,
        lessons: lessons_rows,
        overdue_actions: if m.lessons.is_some() {
            overdue_actions(&tl.df, period.as_of)?
        } else {
            TableView { caption: String::new(), table: charts::Table { headers: vec![], rows: vec![] } }
        },
        quality: quality(ledger),
        quality_command: format!("complaints validate {}", quality_files.join(" ")),
        generator: format!("complaints {}", env!("CARGO_PKG_VERSION")),
    })
}

fn money(pounds: f64) -> String {
    let pence = (pounds * 100.0).round() as u64;
    format!("{}.{:02}", crate::validate::thousands((pence / 100) as usize), pence % 100)
}
