//! The executive summary: plain-English sentences about what changed, generated from the figures
//! (numbers written through `crate::format`, like the templates' filters).

use std::collections::BTreeMap;

use super::board::within_prop;
use crate::config::Targets;
use crate::format::{long_date, thousands};
use crate::metrics::model::{Metrics, StageMetrics};

fn stage(m: &Metrics, k: usize) -> Option<&StageMetrics> {
    m.stages.iter().find(|s| s.stage == k)
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

/// "quarter", "year" or "period", for sentences.
pub fn period_word(m: &Metrics) -> &'static str {
    let days = (m.period.end - m.period.start).num_days();
    if m.period.label.contains('Q') {
        "quarter"
    } else if days > 300 {
        "year"
    } else {
        "period"
    }
}

/// A percentage for a sentence: whole numbers, but one decimal within a point of its target so
/// rounding never carries a figure across it ("89.8%", not "90%").
pub fn pct_near(v: f64, target: Option<f64>) -> String {
    match target {
        Some(t) if (v - t).abs() < 1.0 => format!("{v:.1}%"),
        _ => format!("{v:.0}%"),
    }
}

/// Every sentence of the summary, in order; figures near their targets keep a decimal.
pub fn summary(m: &Metrics, prev: Option<&Metrics>, targets: &Targets) -> Vec<String> {
    let word = period_word(m);
    // A severe maladministration finding always leads.
    let mut out = severe(m, word);
    out.extend(timeliness(m, prev, word, targets));
    out.extend(volumes(m, prev));
    if let Some(p) = prev {
        out.extend(categories(m, p));
    }
    let overdue: u64 = m.stages.iter().map(|s| s.overdue).sum();
    if overdue > 0 {
        out.push(format!(
            "{} complaints were past their deadline with no response on {}.",
            thousands(overdue),
            long_date(m.period.as_of)
        ));
    }
    if let Some(v) = m.resolution.get(&1).and_then(|r| r.pct.map(|v| (v, r))) {
        out.push(format!(
            "{} of complaints closed this {word} were resolved at stage 1 ({} of {}).",
            pct_near(v.0, Some(targets.stage1_resolution.green)),
            thousands(v.1.num),
            thousands(v.1.den)
        ));
    }
    out.extend(ombudsman(m));
    out.extend(tsm(m));
    out
}

fn timeliness(m: &Metrics, prev: Option<&Metrics>, word: &str, targets: &Targets) -> Vec<String> {
    let mut out = Vec::new();
    for s in &m.stages {
        let now = within_prop(s);
        let before = prev.and_then(|p| stage(p, s.stage)).and_then(|b| within_prop(b).pct);
        let target = match s.stage {
            1 => Some(targets.stage1_within_timescale.green),
            2 => Some(targets.stage2_within_timescale.green),
            _ => None,
        };
        // Direction and change compare the unrounded figures.
        match (now.pct, before) {
            (Some(a), Some(b)) if (a - b).abs() >= 0.05 => out.push(format!(
                "{} responses within timescale {} from {} to {} this {word} ({} of {} responses).",
                s.name,
                direction(a, b),
                pct_near(b, target),
                pct_near(a, target),
                thousands(now.num),
                thousands(now.den)
            )),
            (Some(a), _) => out.push(format!(
                "{} of {} responses were within timescale ({} of {}).",
                pct_near(a, target),
                s.name.to_lowercase(),
                thousands(now.num),
                thousands(now.den)
            )),
            _ => {}
        }
    }
    out
}

fn volumes(m: &Metrics, prev: Option<&Metrics>) -> Option<String> {
    let (s1, p) = (stage(m, 1)?, prev?);
    let p1 = stage(p, 1).filter(|p1| p1.received != s1.received)?;
    Some(format!(
        "{} stage 1 complaints were received, {} {} on {} ({}).",
        thousands(s1.received),
        if s1.received > p1.received { "up" } else { "down" },
        thousands(s1.received.abs_diff(p1.received)),
        p.period.label,
        thousands(p1.received)
    ))
}

/// The categories that changed most, when the change is large enough to matter.
fn categories(m: &Metrics, p: &Metrics) -> Vec<String> {
    let before: BTreeMap<&str, u64> = p.by_category.iter().map(|c| (c.category.as_str(), c.received)).collect();
    let mut notable: Vec<(f64, String)> = Vec::new();
    for c in &m.by_category {
        let b = before.get(c.category.as_str()).copied().unwrap_or(0);
        if c.received < 10 || b == 0 {
            continue;
        }
        let ratio = c.received as f64 / b as f64;
        let (from, to) = (thousands(b), thousands(c.received));
        let sentence = if ratio >= 2.0 {
            let how = if ratio >= 2.95 { "more than tripled" } else { "doubled" };
            format!("{} complaints {how} (from {from} to {to}).", c.category)
        } else if ratio >= 1.25 {
            format!("{} complaints rose by {:.0}% (from {from} to {to}).", c.category, (ratio - 1.0) * 100.0)
        } else if ratio <= 0.6 {
            format!("{} complaints fell by {:.0}% (from {from} to {to}).", c.category, (1.0 - ratio) * 100.0)
        } else {
            continue;
        };
        notable.push((if ratio < 1.0 { 1.0 / ratio } else { ratio }, sentence));
    }
    notable.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    notable.into_iter().take(2).map(|(_, s)| s).collect()
}

/// Every severe maladministration finding decided in the period, by name.
fn severe(m: &Metrics, word: &str) -> Vec<String> {
    let Some(o) = &m.ombudsman else { return Vec::new() };
    o.decisions
        .severe
        .iter()
        .map(|s| {
            let about = if s.about.is_empty() { String::new() } else { format!(" about {}", s.about.to_lowercase()) };
            format!(
                "The Housing Ombudsman found severe maladministration{about} in a decision issued on {}, this {word}.",
                long_date(s.decision_date)
            )
        })
        .collect()
}

/// Referrals, the decisions issued and their findings, and orders overdue.
fn ombudsman(m: &Metrics) -> Vec<String> {
    let Some(o) = &m.ombudsman else { return Vec::new() };
    let mut out = Vec::new();
    if o.referrals > 0 {
        out.push(format!(
            "The Housing Ombudsman notified {} new referral{}.",
            thousands(o.referrals),
            if o.referrals == 1 { "" } else { "s" }
        ));
    }
    let d = &o.decisions;
    if d.decided > 0 {
        let findings: u64 = d.findings.values().sum();
        out.push(format!(
            "It issued {} decision{} with {} finding{}: {} of maladministration or service failure{}.",
            thousands(d.decided),
            if d.decided == 1 { "" } else { "s" },
            thousands(findings),
            if findings == 1 { "" } else { "s" },
            thousands(d.adverse),
            match d.maladministration_rate.pct {
                Some(p) => format!(" (a maladministration rate of {p:.1}%)"),
                None => String::new(),
            }
        ));
    }
    if let Some(x) = o.orders.as_ref().filter(|x| x.overdue > 0) {
        out.push(format!(
            "{} of the Ombudsman's orders {} past {} due date and not complied with on {}.",
            thousands(x.overdue),
            if x.overdue == 1 { "was" } else { "were" },
            if x.overdue == 1 { "its" } else { "their" },
            long_date(m.period.as_of)
        ));
    }
    out
}

fn tsm(m: &Metrics) -> Option<String> {
    let c = &m.tsm.ch02.stage1.combined;
    let (p, num, den) = (c.pct?, c.num?, c.den?);
    let basis = match (c.pending.unwrap_or(0), c.best_pct) {
        (0, _) => "This figure is final: no complaint of the year is still within its timescale.".to_string(),
        (pending, Some(best)) => format!(
            "It is provisional: {} of the {} were still within their timescale, so it can still rise to {best:.1}%.",
            thousands(pending),
            thousands(den)
        ),
        (pending, None) => format!("It is provisional: {} were still within their timescale.", thousands(pending)),
    };
    Some(format!(
        "Year to date ({}), {p:.1}% of the stage 1 complaints made were answered within the Code's timescales by {} (TSM CH02: {} of {}). {basis}",
        m.tsm.year,
        long_date(m.tsm.as_of),
        thousands(num),
        thousands(den)
    ))
}
