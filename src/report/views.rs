//! What the Board report shows, prepared from the metrics and the timeline as plain strings and
//! numbers for the templates (which never see polars types). Also the executive summary.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::NaiveDate;
use polars::prelude::*;
use serde::Serialize;

use super::charts::{self, Chart, Layout, Marker, Series, Spec, Table};
use crate::calendar::from_epoch_days;
use crate::config::{Config, Target};
use crate::ingest::quality::Ledger;
use crate::metrics::frame::{days, within, yes};
use crate::metrics::model::{Metrics, Prop, StageMetrics};
use crate::metrics::repeat;
use crate::metrics::resolution::closed;
use crate::period::Period;
use crate::timeline::Timeline;
use crate::validate::thousands;

/// A long date: "31 December 2024".
pub fn long_date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// "84.2%" or "–" when there is nothing to divide by.
pub fn pct(p: &Prop) -> String {
    p.pct.map(|v| format!("{v:.1}%")).unwrap_or_else(|| "–".into())
}

fn count(n: u64) -> String {
    thousands(n as usize)
}

/// A headline figure with its RAG status and change on the previous period.
#[derive(Debug, Clone, Serialize)]
pub struct Tile {
    /// What it is.
    pub label: String,
    /// The figure.
    pub value: String,
    /// Numerator and denominator, in words.
    pub detail: String,
    /// `green`, `amber`, `red` or `none`.
    pub rag: String,
    /// The RAG status in words (colour is never the only signal).
    pub rag_label: String,
    /// The target in words.
    pub target: String,
    /// The change on the previous period in words.
    pub change: String,
}

/// A simple table with an optional caption.
#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    /// Caption.
    pub caption: String,
    /// The table.
    pub table: Table,
}

/// A repeat complainant, pseudonymised.
#[derive(Debug, Clone, Serialize)]
pub struct RepeatRow {
    /// "Complainant A".
    pub name: String,
    /// Stage 1 complaints in the 12 months.
    pub in_window: u64,
    /// Of those, received this period.
    pub this_period: u64,
    /// Categories of their complaints in the window.
    pub categories: String,
}

/// A lesson and its action, with the complaints it came from (identical lessons are grouped).
#[derive(Debug, Clone, Serialize)]
pub struct LessonRow {
    /// Theme (category).
    pub theme: String,
    /// What was learned.
    pub lesson: String,
    /// What changes.
    pub action: String,
    /// Team accountable.
    pub owner: String,
    /// Complaints closed this period that taught it.
    pub complaints: usize,
    /// Due date, or the range of due dates.
    pub due: String,
    /// Statuses, e.g. "3 complete, 1 open".
    pub status: String,
    /// Actions not complete and due before as-of.
    pub overdue: usize,
}

/// One input file on the cover.
#[derive(Debug, Clone, Serialize)]
pub struct FileRow {
    /// Path as given.
    pub path: String,
    /// Sheet, for spreadsheets.
    pub sheet: String,
    /// Rows read.
    pub rows: String,
}

/// Everything the Board report template shows.
#[derive(Debug, Clone, Serialize)]
pub struct BoardView {
    /// Landlord name.
    pub landlord: String,
    /// "2024/25 Q3".
    pub period: String,
    /// "1 October 2024 to 31 December 2024".
    pub dates: String,
    /// "31 December 2024".
    pub as_of: String,
    /// The landlord's profile, named and described.
    pub profile: String,
    /// The Code profile shown beside it.
    pub code_profile: String,
    /// The landlord's profile is the Code in force, so nothing is shown twice.
    pub profile_is_code: bool,
    /// Input files.
    pub files: Vec<FileRow>,
    /// Data-quality counts in words.
    pub input_line: String,
    /// Executive summary sentences.
    pub summary: Vec<String>,
    /// The manager's commentary.
    pub commentary: String,
    /// Headline tiles.
    pub tiles: Vec<Tile>,
    /// Trend charts.
    pub trend_charts: Vec<Chart>,
    /// Timeliness against both profiles this period.
    pub stage_table: TableView,
    /// Response-time histograms per stage.
    pub distribution_charts: Vec<Chart>,
    /// Stage 1 by category (chart) and tables.
    pub category_chart: Option<Chart>,
    /// Stage 1 by category.
    pub categories: TableView,
    /// Stage 1 by channel, when the data has channels.
    pub channels: Option<TableView>,
    /// Open and overdue cases by age.
    pub open_bands: TableView,
    /// Open / overdue totals in words.
    pub open_line: String,
    /// Refusals to escalate.
    pub refusals: TableView,
    /// Refusal totals in words.
    pub refusal_line: String,
    /// Complaints not accepted.
    pub not_accepted: TableView,
    /// Repeat complainants in words.
    pub repeat_line: String,
    /// The top ten, pseudonymised.
    pub repeat_top: Vec<RepeatRow>,
    /// Outcomes per stage.
    pub outcomes: TableView,
    /// Compensation in words.
    pub compensation_line: String,
    /// Satisfaction in words.
    pub satisfaction_line: String,
    /// Ombudsman figures.
    pub ombudsman: TableView,
    /// TSM table.
    pub tsm: TableView,
    /// The TSM year in words.
    pub tsm_line: String,
    /// Lesson actions by status.
    pub lesson_status: TableView,
    /// Lessons in words.
    pub lessons_line: String,
    /// The lessons themselves.
    pub lessons: Vec<LessonRow>,
    /// Every overdue action at as-of.
    pub overdue_actions: TableView,
    /// Data-quality summary.
    pub quality: TableView,
    /// How to see the full list.
    pub quality_command: String,
    /// Tool and version.
    pub generator: String,
}

fn rag(value: Option<f64>, target: Target) -> (&'static str, &'static str) {
    match value {
        None => ("none", "No data"),
        Some(v) if v >= target.green => ("green", "Green: on target"),
        Some(v) if v >= target.amber => ("amber", "Amber: below target"),
        Some(_) => ("red", "Red: well below target"),
    }
}

fn change_points(now: Option<f64>, before: Option<f64>, prev_label: &str) -> String {
    match (now, before) {
        (Some(a), Some(b)) => {
            let d = ((a - b) * 10.0).round() / 10.0;
            if d == 0.0 {
                format!("No change on {prev_label}")
            } else {
                format!("{} {:.1} points on {prev_label} ({b:.1}%)", if d > 0.0 { "Up" } else { "Down" }, d.abs())
            }
        }
        _ => format!("No figure for {prev_label}"),
    }
}

fn change_count(now: u64, before: Option<u64>, prev_label: &str) -> String {
    match before {
        Some(b) if b == now => format!("No change on {prev_label}"),
        Some(b) => {
            format!("{} {} on {prev_label} ({})", if now > b { "Up" } else { "Down" }, count(now.abs_diff(b)), count(b))
        }
        None => format!("No figure for {prev_label}"),
    }
}

fn stage(m: &Metrics, k: usize) -> Option<&StageMetrics> {
    m.stages.iter().find(|s| s.stage == k)
}

fn within_prop(s: &StageMetrics) -> Prop {
    Prop::new(s.within_timescale, s.responses)
}

/// The headline tiles.
pub fn tiles(m: &Metrics, prev: Option<&Metrics>, config: &Config) -> Vec<Tile> {
    let prev_label = prev.map(|p| p.period.label.clone()).unwrap_or_else(|| "the previous period".into());
    let t = &config.targets;
    let mut out = Vec::new();
    let s1 = stage(m, 1);
    if let Some(s1) = s1 {
        out.push(Tile {
            label: "Stage 1 complaints received".into(),
            value: count(s1.received),
            detail: format!("{} not accepted as complaints", count(m.not_accepted.total)),
            rag: "none".into(),
            rag_label: "Volume: no target".into(),
            target: "Higher volumes are not in themselves negative (Code 3.3)".into(),
            change: change_count(s1.received, prev.and_then(|p| stage(p, 1)).map(|s| s.received), &prev_label),
        });
    }
    let mut pct_tile = |label: &str, p: Prop, before: Option<Prop>, target: Target| {
        let (rag, rag_label) = rag(p.pct, target);
        out.push(Tile {
            label: label.into(),
            value: pct(&p),
            detail: format!("{} of {}", count(p.num), count(p.den)),
            rag: rag.into(),
            rag_label: rag_label.into(),
            target: format!("Target {:.0}% (amber from {:.0}%)", target.green, target.amber),
            change: change_points(p.pct, before.and_then(|b| b.pct), &prev_label),
        });
    };
    if let Some(s1) = s1 {
        let before = prev.and_then(|p| stage(p, 1));
        pct_tile(
            "Stage 1 responses within timescale",
            within_prop(s1),
            before.map(within_prop),
            t.stage1_within_timescale,
        );
        if let Some(a) = s1.ack_on_time {
            pct_tile(
                "Stage 1 acknowledged within 5 working days",
                a,
                before.and_then(|b| b.ack_on_time),
                t.ack_on_time,
            );
        }
    }
    if let Some(s2) = stage(m, 2) {
        let before = prev.and_then(|p| stage(p, 2));
        pct_tile(
            "Stage 2 responses within timescale",
            within_prop(s2),
            before.map(within_prop),
            t.stage2_within_timescale,
        );
    }
    if let Some(r) = m.resolution.get("1") {
        pct_tile(
            "Complaints resolved at stage 1",
            *r,
            prev.and_then(|p| p.resolution.get("1").copied()),
            t.stage1_resolution,
        );
    }
    let open: u64 = m.stages.iter().map(|s| s.open).sum();
    let overdue: u64 = m.stages.iter().map(|s| s.overdue).sum();
    out.push(Tile {
        label: format!("Open complaints at {}", long_date(m.period.as_of)),
        value: count(open),
        detail: format!("{} past their deadline", count(overdue)),
        rag: if overdue == 0 { "green" } else { "none" }.into(),
        rag_label: if overdue == 0 { "Green: none overdue".into() } else { format!("{} overdue", count(overdue)) },
        target: "No complaint should pass its deadline".into(),
        change: change_count(open, prev.map(|p| p.stages.iter().map(|s| s.open).sum()), &prev_label),
    });
    out
}

fn direction(now: f64, before: f64) -> &'static str {
    if now > before {
        "rose"
    } else if now < before {
        "fell"
    } else {
        "was unchanged"
    }
}

/// Plain-English sentences about what changed, generated from the figures.
pub fn summary(m: &Metrics, prev: Option<&Metrics>) -> Vec<String> {
    let mut out = Vec::new();
    let days = (m.period.end - m.period.start).num_days();
    let period_word = if m.period.label.contains('Q') {
        "quarter"
    } else if days > 300 {
        "year"
    } else {
        "period"
    };
    for s in &m.stages {
        let before = prev.and_then(|p| stage(p, s.stage));
        let now = within_prop(s);
        match (now.pct, before.and_then(|b| within_prop(b).pct)) {
            (Some(a), Some(b)) if (a - b).abs() >= 0.05 => out.push(format!(
                "{} responses within timescale {} from {b:.0}% to {a:.0}% this {period_word} ({} of {} responses).",
                s.name,
                direction(a, b),
                count(now.num),
                count(now.den)
            )),
            (Some(a), _) => out.push(format!(
                "{a:.0}% of {} responses were within timescale ({} of {}).",
                s.name.to_lowercase(),
                count(now.num),
                count(now.den)
            )),
            _ => {}
        }
    }
    if let (Some(s1), Some(p)) = (stage(m, 1), prev) {
        if let Some(p1) = stage(p, 1).filter(|p1| p1.received != s1.received) {
            out.push(format!(
                "{} stage 1 complaints were received, {} {} on {} ({}).",
                count(s1.received),
                if s1.received > p1.received { "up" } else { "down" },
                count(s1.received.abs_diff(p1.received)),
                p.period.label,
                count(p1.received)
            ));
        }
    }
    // The category that changed most, when the change is large enough to matter.
    if let Some(p) = prev {
        let before: BTreeMap<&str, u64> = p.by_category.iter().map(|c| (c.category.as_str(), c.received)).collect();
        let mut notable: Vec<(f64, String)> = Vec::new();
        for c in &m.by_category {
            let b = before.get(c.category.as_str()).copied().unwrap_or(0);
            if c.received >= 10 && b > 0 {
                let ratio = c.received as f64 / b as f64;
                if ratio >= 2.0 {
                    notable.push((
                        ratio,
                        format!(
                            "{} complaints {} (from {} to {}).",
                            c.category,
                            if ratio >= 2.95 { "more than tripled" } else { "doubled" },
                            b,
                            c.received
                        ),
                    ));
                } else if ratio >= 1.25 {
                    notable.push((
                        ratio,
                        format!(
                            "{} complaints rose by {:.0}% (from {} to {}).",
                            c.category,
                            (ratio - 1.0) * 100.0,
                            b,
                            c.received
                        ),
                    ));
                } else if ratio <= 0.6 {
                    notable.push((
                        1.0 / ratio,
                        format!(
                            "{} complaints fell by {:.0}% (from {} to {}).",
                            c.category,
                            (1.0 - ratio) * 100.0,
                            b,
                            c.received
                        ),
                    ));
                }
            }
        }
        notable.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        out.extend(notable.into_iter().take(2).map(|(_, s)| s));
    }
    let overdue: u64 = m.stages.iter().map(|s| s.overdue).sum();
    if overdue > 0 {
        out.push(format!(
            "{} complaints were past their deadline with no response on {}.",
            count(overdue),
            long_date(m.period.as_of)
        ));
    }
    if let Some(r) = m.resolution.get("1") {
        if let Some(v) = r.pct {
            out.push(format!(
                "{v:.0}% of complaints closed this {period_word} were resolved at stage 1 ({} of {}).",
                count(r.num),
                count(r.den)
            ));
        }
    }
    if let Some(o) = &m.ombudsman {
        let serious: u64 = o
            .determinations
            .iter()
            .filter(|(k, _)| k.contains("maladministration") && !k.starts_with("no "))
            .map(|(_, v)| v)
            .sum();
        if o.referrals > 0 {
            out.push(format!(
                "The Housing Ombudsman notified {} new referral{}{}.",
                count(o.referrals),
                if o.referrals == 1 { "" } else { "s" },
                if serious > 0 {
                    format!("; {serious} determination(s) of maladministration so far")
                } else {
                    String::new()
                }
            ));
        }
    }
    let c = &m.tsm.ch02.stage1.combined;
    if let (Some(p), Some(num), Some(den)) = (c.pct, c.num, c.den) {
        let open: u64 = den.saturating_sub(num);
        out.push(format!(
            "Year to date ({}), {p:.1}% of the stage 1 complaints made were answered within the Code's timescales by {} (TSM CH02: {} of {}; the {} not yet answered in time, including any still open, count against it).",
            m.tsm.year,
            long_date(m.period.as_of),
            count(num),
            count(den),
            count(open)
        ));
    }
    out
}

/// The trend charts: volumes, timeliness per stage split by extension, stage resolution.
pub fn trend_charts(m: &Metrics, unit: &str) -> Vec<Chart> {
    let periods: Vec<&Metrics> = m.trend.iter().chain(std::iter::once(m)).collect();
    let labels: Vec<String> = periods.iter().map(|p| short_label(&p.period.label)).collect();
    let span = format!("{} to {}", periods.first().map(|p| p.period.label.as_str()).unwrap_or(""), m.period.label);
    let mut charts = Vec::new();
    let stage_names: Vec<String> = m.stages.iter().map(|s| s.name.clone()).collect();
    charts.push(charts::render(Spec {
        id: "trend-volumes".into(),
        title: format!("Complaints received by {unit}"),
        desc: format!(
            "Bar chart of complaints received at each stage, {span}. This period: {}.",
            m.stages.iter().map(|s| format!("{} {}", s.name, s.received)).collect::<Vec<_>>().join(", ")
        ),
        categories: labels.clone(),
        series: stage_names
            .iter()
            .enumerate()
            .map(|(i, name)| Series {
                name: name.clone(),
                values: periods.iter().map(|p| p.stages.get(i).map(|s| s.received as f64)).collect(),
            })
            .collect(),
        layout: Layout::Grouped,
        y_label: "complaints".into(),
        y_max: None,
        markers: vec![],
        size: (680, 300),
    }));
    for (i, name) in stage_names.iter().enumerate().take(2) {
        let share =
            |p: &Metrics, f: fn(&StageMetrics) -> u64| p.stages.get(i).and_then(|s| Prop::new(f(s), s.responses).pct);
        let now = m.stages.get(i).map(within_prop);
        charts.push(charts::render(Spec {
            id: format!("trend-timeliness-{}", i + 1),
            title: format!("{name} responses within timescale"),
            desc: format!(
                "Stacked bars: the share of {} responses each {unit} sent within the limit, and within an agreed extension, {span}. This period: {} within timescale.",
                name.to_lowercase(),
                now.map(|p| pct(&p)).unwrap_or_else(|| "–".into())
            ),
            categories: labels.clone(),
            series: vec![
                Series { name: "Within the limit".into(), values: periods.iter().map(|p| share(p, |s| s.on_time)).collect() },
                Series { name: "Within an extension".into(), values: periods.iter().map(|p| share(p, |s| s.on_time_extended)).collect() },
            ],
            layout: Layout::Stacked,
            y_label: "% of responses".into(),
            y_max: Some(100.0),
            markers: vec![],
            size: (680, 280),
        }));
    }
    let keys: Vec<String> = m.resolution.keys().cloned().collect();
    charts.push(charts::render(Spec {
        id: "trend-resolution".into(),
        title: "Stage resolution".into(),
        desc: format!(
            "Lines: the share of complaints closed each {unit} that were resolved at each stage, {span}. This period: {}.",
            m.resolution.iter().map(|(k, p)| format!("stage {k} {}", pct(p))).collect::<Vec<_>>().join(", ")
        ),
        categories: labels,
        series: keys
            .iter()
            .map(|k| Series { name: format!("Resolved at stage {k}"), values: periods.iter().map(|p| p.resolution.get(k).and_then(|r| r.pct)).collect() })
            .collect(),
        layout: Layout::Lines,
        y_label: "% of closed complaints".into(),
        y_max: Some(100.0),
        markers: vec![],
        size: (680, 280),
    }));
    charts
}

fn short_label(label: &str) -> String {
    // "2024/25 Q3" → "24/25 Q3"
    label.strip_prefix("20").unwrap_or(label).to_string()
}

/// Response-time histograms in working days, with the limit and the extended limit marked.
pub fn distribution_charts(tl: &Timeline, p: &Period) -> Result<Vec<Chart>> {
    let mut out = Vec::new();
    for s in &tl.stages {
        let rule = &tl.profile.stages[s.k - 1];
        let mask = col(s.accepted.as_str()).and(within(col(s.resp.as_str()), p)).and(col(s.withdrawn.as_str()).not());
        let df = tl.df.clone().lazy().filter(mask).select([col(s.resp_wd.as_str())]).collect()?;
        let values: Vec<i32> = df.column(&s.resp_wd)?.i32()?.iter().flatten().collect();
        if values.is_empty() {
            continue;
        }
        let longest = (rule.response_days + rule.max_extension_days) as i32;
        let cap = (longest + 10).max(rule.response_days as i32 * 2);
        let mut bins = vec![0u64; cap as usize + 2];
        for v in &values {
            bins[(*v).clamp(0, cap + 1) as usize] += 1;
        }
        let categories: Vec<String> =
            (0..=cap + 1).map(|i| if i == cap + 1 { format!("{}+", cap + 1) } else { i.to_string() }).collect();
        let mut markers =
            vec![Marker { at: rule.response_days as f64 + 1.0, label: format!("limit {}", rule.response_days) }];
        if rule.max_extension_days > 0 {
            markers.push(Marker { at: longest as f64 + 1.0, label: format!("with extension {longest}") });
        }
        let within = values.iter().filter(|v| **v <= rule.response_days as i32).count();
        out.push(charts::render(Spec {
            id: format!("distribution-{}", s.k),
            title: format!("{}: working days to respond", rule.name),
            desc: format!(
                "Histogram of {} {} responses this period by working days from the clock start to the response. {} of them were within the {}-day limit; the dashed lines mark the limit and the limit with the largest extension ({} days).",
                values.len(),
                rule.name.to_lowercase(),
                within,
                rule.response_days,
                longest
            ),
            categories,
            series: vec![Series { name: "Responses".into(), values: bins.iter().map(|n| Some(*n as f64)).collect() }],
            layout: Layout::Grouped,
            y_label: "responses".into(),
            y_max: None,
            markers,
            size: (680, 260),
        }));
    }
    Ok(out)
}

/// Stage 1 received by category as a bar chart.
pub fn category_chart(m: &Metrics) -> Option<Chart> {
    if m.by_category.is_empty() {
        return None;
    }
    let rows: Vec<_> = m.by_category.iter().take(12).collect();
    Some(charts::render(Spec {
        id: "chart-categories".into(),
        title: "Stage 1 complaints by category".into(),
        desc: format!(
            "Bar chart of stage 1 complaints received this period by category. Most: {}.",
            rows.iter().take(3).map(|c| format!("{} ({})", c.category, c.received)).collect::<Vec<_>>().join(", ")
        ),
        categories: rows.iter().map(|c| c.category.clone()).collect(),
        series: vec![Series {
            name: "Received".into(),
            values: rows.iter().map(|c| Some(c.received as f64)).collect(),
        }],
        layout: Layout::Horizontal,
        y_label: "stage 1 complaints received".into(),
        y_max: None,
        markers: vec![],
        size: (680, 60 + 28 * rows.len() as u32),
    }))
}

/// A table of categories (or any breakdown).
pub fn category_table(caption: &str, first: &str, rows: &[crate::metrics::model::CategoryRow]) -> TableView {
    TableView {
        caption: caption.into(),
        table: Table {
            headers: vec![
                first.into(),
                "Received".into(),
                "Responses within timescale".into(),
                "Upheld or partly upheld".into(),
            ],
            rows: rows
                .iter()
                .map(|c| {
                    vec![
                        c.category.clone(),
                        count(c.received),
                        format!(
                            "{} ({} of {})",
                            pct(&c.within_timescale),
                            c.within_timescale.num,
                            c.within_timescale.den
                        ),
                        format!("{} ({} of {})", pct(&c.upheld), c.upheld.num, c.upheld.den),
                    ]
                })
                .collect(),
        },
    }
}

/// The stage figures against the landlord's profile and the Code, side by side.
pub fn stage_table(m: &Metrics) -> TableView {
    let same = m.profile == m.code.profile;
    let mut headers = vec!["".to_string()];
    for s in &m.stages {
        headers.push(if same { s.name.clone() } else { format!("{} ({})", s.name, m.profile) });
    }
    let mut all: Vec<&StageMetrics> = m.stages.iter().collect();
    if !same {
        for s in &m.code.stages {
            headers.push(format!("{} ({})", s.name, m.code.profile));
        }
        all.extend(&m.code.stages);
    }
    let row = |label: &str, f: &dyn Fn(&StageMetrics) -> String| {
        let mut r = vec![label.to_string()];
        r.extend(all.iter().map(|s| f(s)));
        r
    };
    let share = |n: u64, of: u64| format!("{} ({n})", pct(&Prop::new(n, of)));
    TableView {
        caption: if same {
            format!("Timeliness this period against the Code ({}), which is also the landlord's policy", m.code.profile)
        } else {
            format!("Timeliness this period against {} and, beside it, the Code ({})", m.profile, m.code.profile)
        },
        table: Table {
            headers,
            rows: vec![
                row("Received", &|s| count(s.received)),
                row("Acknowledged on time", &|s| {
                    s.ack_on_time
                        .as_ref()
                        .map(|a| format!("{} ({} of {})", pct(a), a.num, a.den))
                        .unwrap_or_else(|| "not recorded".into())
                }),
                row("Responses", &|s| count(s.responses)),
                row("Within the limit", &|s| share(s.on_time, s.responses)),
                row("Within an extension", &|s| share(s.on_time_extended, s.responses)),
                row("Late", &|s| share(s.late, s.responses)),
                row("Extension beyond the maximum", &|s| count(s.extension_over_max)),
                row("Median working days", &|s| s.median_wd.map(|v| format!("{v}")).unwrap_or_else(|| "–".into())),
                row("Open at as-of", &|s| count(s.open)),
                row("Overdue at as-of", &|s| count(s.overdue)),
            ],
        },
    }
}

/// Open and overdue cases at as-of in bands of working days since the stage started.
pub fn open_bands(tl: &Timeline) -> Result<(TableView, String)> {
    const BANDS: [(i32, i32, &str); 5] =
        [(0, 5, "0–5"), (6, 10, "6–10"), (11, 20, "11–20"), (21, 40, "21–40"), (41, i32::MAX, "over 40")];
    let mut rows = Vec::new();
    let mut totals = (0usize, 0usize);
    let mut headers = vec!["Working days since the stage started".to_string()];
    let mut columns: Vec<Vec<(usize, usize)>> = Vec::new();
    for s in &tl.stages {
        let rule = &tl.profile.stages[s.k - 1];
        headers.push(format!("{} open", rule.name));
        headers.push(format!("{} overdue", rule.name));
        let open = s.is_open();
        let df = tl
            .df
            .clone()
            .lazy()
            .filter(open)
            .select([col(s.start_to_asof_wd.as_str()), col(s.status.as_str())])
            .collect()?;
        let ages: Vec<Option<i32>> = df.column(&s.start_to_asof_wd)?.i32()?.iter().collect();
        let overdue_code = Some(crate::timeline::Status::Overdue as i32);
        let status: Vec<Option<i32>> = df.column(&s.status)?.i32()?.iter().collect();
        let mut col_counts = Vec::new();
        for (lo, hi, _) in BANDS {
            let in_band = |i: usize| ages[i].is_some_and(|a| a >= lo && a <= hi);
            let n = (0..ages.len()).filter(|i| in_band(*i)).count();
            let o = (0..ages.len()).filter(|i| in_band(*i) && status[*i] == overdue_code).count();
            col_counts.push((n, o));
        }
        totals.0 += ages.len();
        totals.1 += status.iter().filter(|s| **s == overdue_code).count();
        columns.push(col_counts);
    }
    for (b, (_, _, label)) in BANDS.iter().enumerate() {
        let mut r = vec![label.to_string()];
        for c in &columns {
            r.push(c[b].0.to_string());
            r.push(c[b].1.to_string());
        }
        rows.push(r);
    }
    let line = format!(
        "{} complaints were open on {}, {} of them past their deadline.",
        totals.0,
        long_date(tl.as_of),
        totals.1
    );
    Ok((TableView { caption: "Open complaints by age at the as-of date".into(), table: Table { headers, rows } }, line))
}

/// The top repeat complainants, pseudonymised in order of how often they complained.
pub fn repeat_top(tl: &Timeline, p: &Period, threshold: u32) -> Result<Vec<RepeatRow>> {
    let ids = repeat::repeat_ids(&tl.df, p, threshold)?;
    let (after, end) = repeat::window(p);
    let received = days("received_date");
    let in_window = yes("excluded").not().and(received.clone().gt(lit(after))).and(received.clone().lt_eq(lit(end)));
    let df = tl
        .df
        .clone()
        .lazy()
        .filter(in_window.and(col("complainant_id").is_not_null()))
        .select([col("complainant_id"), col("category"), within(received, p).alias("this")])
        .collect()?;
    let who: Vec<Option<&str>> = df.column("complainant_id")?.str()?.iter().collect();
    let cats: Vec<Option<&str>> = df.column("category")?.str()?.iter().collect();
    let this: Vec<Option<bool>> = df.column("this")?.bool()?.iter().collect();
    let mut out = Vec::new();
    for (rank, (id, n)) in ids.iter().take(10).enumerate() {
        let rows: Vec<usize> = (0..who.len()).filter(|i| who[*i] == Some(id.as_str())).collect();
        let mut categories: Vec<&str> = rows.iter().map(|i| cats[*i].unwrap_or("not recorded")).collect();
        categories.sort_unstable();
        categories.dedup();
        out.push(RepeatRow {
            name: format!("Complainant {}", pseudonym(rank)),
            in_window: *n,
            this_period: rows.iter().filter(|i| this[**i] == Some(true)).count() as u64,
            categories: categories.join(", "),
        });
    }
    Ok(out)
}

/// A, B, … Z, AA, AB …
pub fn pseudonym(rank: usize) -> String {
    let mut n = rank;
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (n % 26) as u8) as char);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    s
}

/// One recorded lesson, its text trimmed (blank when not recorded).
#[derive(Debug, Clone)]
pub struct LessonRecord {
    /// Category.
    pub theme: String,
    /// What was learned.
    pub lesson: String,
    /// The action.
    pub action: String,
    /// Team accountable.
    pub owner: String,
    /// Due date, epoch days.
    pub due: Option<i32>,
    /// Status as recorded.
    pub status: String,
}

/// The lessons of the cases where `mask` holds.
pub fn lesson_records(df: &DataFrame, mask: Expr) -> Result<Vec<LessonRecord>> {
    let frame = df
        .clone()
        .lazy()
        .filter(mask)
        .select([
            col("category"),
            col("lesson"),
            col("lesson_action"),
            col("lesson_owner"),
            days("lesson_due_date").alias("due"),
            col("lesson_status"),
        ])
        .collect()?;
    let text = |name: &str| -> Result<Vec<String>> {
        Ok(frame.column(name)?.str()?.iter().map(|v| v.unwrap_or("").trim().to_string()).collect())
    };
    let (theme, lesson, action, owner, status) =
        (text("category")?, text("lesson")?, text("lesson_action")?, text("lesson_owner")?, text("lesson_status")?);
    let due: Vec<Option<i32>> = frame.column("due")?.i32()?.iter().collect();
    Ok((0..frame.height())
        .map(|i| LessonRecord {
            theme: theme[i].clone(),
            lesson: lesson[i].clone(),
            action: action[i].clone(),
            owner: owner[i].clone(),
            due: due[i],
            status: status[i].clone(),
        })
        .collect())
}

/// Lessons recorded for cases closed in the period, identical ones grouped, by theme.
pub fn lessons(df: &DataFrame, p: &Period) -> Result<Vec<LessonRow>> {
    let records = lesson_records(df, closed(p).and(col("lesson").is_not_null()))?;
    let as_of = crate::calendar::epoch_days(p.as_of);
    // (theme, lesson, action, owner) → (due dates, statuses, overdue)
    type Group = (Vec<i32>, BTreeMap<String, usize>, usize);
    let mut groups: BTreeMap<(String, String, String, String), Group> = BTreeMap::new();
    for r in records {
        let theme = if r.theme.is_empty() { "not recorded".to_string() } else { r.theme };
        let g = groups.entry((theme, r.lesson, r.action, r.owner)).or_default();
        g.0.extend(r.due);
        let st = if r.status.is_empty() { "not recorded".to_string() } else { r.status.to_lowercase() };
        *g.1.entry(st).or_default() += 1;
        if !r.status.eq_ignore_ascii_case("complete") && r.due.is_some_and(|d| d < as_of) {
            g.2 += 1;
        }
    }
    Ok(groups
        .into_iter()
        .map(|((theme, lesson, action, owner), (dues, statuses, overdue))| {
            let short = |d: &i32| from_epoch_days(*d).format("%-d %b %Y").to_string();
            let first = dues.iter().min().map(short);
            let last = dues.iter().max().map(short);
            LessonRow {
                theme,
                lesson,
                action,
                owner,
                complaints: statuses.values().sum(),
                due: match (first, last) {
                    (Some(a), Some(b)) if a == b => a,
                    (Some(a), Some(b)) => format!("{a} – {b}"),
                    _ => String::new(),
                },
                status: statuses.iter().map(|(s, n)| format!("{n} {s}")).collect::<Vec<_>>().join(", "),
                overdue,
            }
        })
        .collect())
}

/// Every lesson action not complete and due before as-of, whenever its complaint closed.
pub fn overdue_actions(df: &DataFrame, as_of: NaiveDate) -> Result<TableView> {
    let as_of_days = crate::calendar::epoch_days(as_of);
    let status = col("lesson_status").str().to_lowercase().fill_null(lit(""));
    let mask = col("lesson")
        .is_not_null()
        .and(status.neq(lit("complete")))
        .and(days("lesson_due_date").lt(lit(as_of_days)))
        .and(days("received_date").lt_eq(lit(as_of_days)));
    let mut records = lesson_records(df, mask)?;
    records.sort_by(|x, y| (x.due, &x.theme, &x.action).cmp(&(y.due, &y.theme, &y.action)));
    let rows = records
        .into_iter()
        .map(|r| {
            let d = r.due.unwrap_or(as_of_days);
            vec![
                if r.theme.is_empty() { "not recorded".into() } else { r.theme },
                r.action,
                r.owner,
                long_date(from_epoch_days(d)),
                if r.status.is_empty() { "not recorded".into() } else { r.status },
                format!("{} days", as_of_days - d),
            ]
        })
        .collect();
    Ok(TableView {
        caption: format!("Lesson actions overdue on {}", long_date(as_of)),
        table: Table {
            headers: ["Theme", "Action", "Owner", "Due", "Status", "Overdue by"].map(String::from).to_vec(),
            rows,
        },
    })
}

/// TSM CH01 and CH02 for LCRA, LCHO and Combined at both stages.
pub fn tsm_table(m: &Metrics) -> TableView {
    let t = &m.tsm;
    let opt = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_else(|| "not known".into());
    let optf = |v: Option<f64>| v.map(|v| format!("{v:.1}")).unwrap_or_else(|| "not known".into());
    let mut rows = Vec::new();
    for (k, c1, c2) in [(1, &t.ch01.stage1, &t.ch02.stage1), (2, &t.ch01.stage2, &t.ch02.stage2)] {
        for (g, a, b) in
            [("LCRA", &c1.lcra, &c2.lcra), ("LCHO", &c1.lcho, &c2.lcho), ("Combined", &c1.combined, &c2.combined)]
        {
            rows.push(vec![
                format!("Stage {k}"),
                g.to_string(),
                opt(a.num),
                opt(a.den),
                optf(a.per_1000),
                b.pct.map(|v| format!("{v:.1}%")).unwrap_or_else(|| "not known".into()),
                opt(b.within_without_extension),
                opt(b.within_with_extension),
            ]);
        }
    }
    TableView {
        caption: format!("Tenant Satisfaction Measures, {} to {} ({})", t.year, long_date(t.end), t.profile),
        table: Table {
            headers: [
                "Stage",
                "Tenure",
                "Complaints (CH01 numerator)",
                "Homes",
                "CH01 per 1,000 homes",
                "CH02 within timescale",
                "Within, no extension",
                "Within, with extension",
            ]
            .map(String::from)
            .to_vec(),
            rows,
        },
    }
}

/// A two-column table from a map of counts.
pub fn counts_table(caption: &str, first: &str, second: &str, map: &BTreeMap<String, u64>) -> TableView {
    let mut rows: Vec<(&String, &u64)> = map.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    TableView {
        caption: caption.into(),
        table: Table {
            headers: vec![first.into(), second.into()],
            rows: rows.into_iter().map(|(k, v)| vec![k.clone(), count(*v)]).collect(),
        },
    }
}

/// The data-quality appendix.
pub fn quality(ledger: &Ledger) -> TableView {
    let c = ledger.counts();
    let mut rows = vec![
        vec!["Rows read".into(), count(c.rows_read as u64)],
        vec!["Rows used".into(), count(c.rows_used as u64)],
        vec!["Rows rejected (not used in any figure)".into(), count(c.rows_rejected as u64)],
        vec!["Duplicate rows (superseded by a later row of the same case)".into(), count(c.duplicates as u64)],
        vec!["Values dropped (row used without them)".into(), count(c.warnings as u64)],
    ];
    let mut by_rule: BTreeMap<&str, u64> = BTreeMap::new();
    for d in &ledger.dropped {
        *by_rule.entry(d.rule.heading()).or_default() += 1;
    }
    for (heading, n) in by_rule {
        rows.push(vec![format!("– {heading}"), count(n)]);
    }
    TableView {
        caption: "Data quality of the input".into(),
        table: Table { headers: vec!["".into(), "Count".into()], rows },
    }
}
