//! Writing a `Metrics` document as JSON, as one CSV row per figure, or as a terminal table.

use std::fmt::Write;

use anyhow::Result;

use super::model::{Metrics, Prop, StageMetrics};

/// The JSON document (SPEC §6 keys).
pub fn to_json(m: &Metrics) -> Result<String> {
    Ok(serde_json::to_string_pretty(m)? + "\n")
}

/// A CSV cell that a spreadsheet will not run as a formula: a leading `=`, `+`, `-`, `@`, tab or
/// carriage return gets a `'` in front.
pub fn formula_safe(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// Rows of `metric,stage,breakdown,num,den,value`.
struct Rows {
    w: csv::Writer<Vec<u8>>,
}

impl Rows {
    fn new() -> Result<Rows> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["metric", "stage", "breakdown", "num", "den", "value"])?;
        Ok(Rows { w })
    }

    fn row(
        &mut self,
        metric: &str,
        stage: Option<usize>,
        breakdown: &str,
        num: Option<u64>,
        den: Option<u64>,
        value: Option<f64>,
    ) -> Result<()> {
        let opt = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
        self.w.write_record([
            metric.to_string(),
            stage.map(|s| s.to_string()).unwrap_or_default(),
            formula_safe(breakdown),
            opt(num),
            opt(den),
            value.map(|v| v.to_string()).unwrap_or_default(),
        ])?;
        Ok(())
    }

    fn count(&mut self, metric: &str, stage: Option<usize>, breakdown: &str, n: u64) -> Result<()> {
        self.row(metric, stage, breakdown, None, None, Some(n as f64))
    }

    fn prop(&mut self, metric: &str, stage: Option<usize>, breakdown: &str, p: &Prop) -> Result<()> {
        self.row(metric, stage, breakdown, Some(p.num), Some(p.den), p.pct)
    }
}

fn stage_rows(r: &mut Rows, prefix: &str, s: &StageMetrics) -> Result<()> {
    let k = Some(s.stage);
    let m = |name: &str| format!("{prefix}{name}");
    r.count(&m("received"), k, "", s.received)?;
    if let Some(a) = &s.ack_on_time {
        r.prop(&m("ack_on_time"), k, "", a)?;
    }
    r.count(&m("responses"), k, "", s.responses)?;
    for (name, n) in [
        ("on_time", s.on_time),
        ("on_time_extended", s.on_time_extended),
        ("late", s.late),
        ("within_timescale", s.within_timescale),
        ("extension_over_max", s.extension_over_max),
    ] {
        r.prop(&m(name), k, "", &Prop::new(n, s.responses))?;
    }
    r.row(&m("median_wd"), k, "", None, None, s.median_wd)?;
    r.count(&m("open"), k, "", s.open)?;
    r.count(&m("overdue"), k, "", s.overdue)?;
    for (outcome, n) in &s.outcomes {
        r.count(&m("outcome"), k, outcome, *n)?;
    }
    Ok(())
}

fn metric_rows(r: &mut Rows, m: &Metrics) -> Result<()> {
    for s in &m.stages {
        stage_rows(r, "", s)?;
    }
    for s in &m.code.stages {
        stage_rows(r, &format!("{}:", m.code.profile), s)?;
    }
    r.count("not_accepted", None, "", m.not_accepted.total)?;
    for (reason, n) in &m.not_accepted.by_reason {
        r.count("not_accepted", None, reason, *n)?;
    }
    r.count("closed", None, "", m.closed)?;
    for (k, prop) in &m.resolution {
        r.prop("resolved_at", k.parse().ok(), "", prop)?;
    }
    let e = &m.escalation;
    r.count("escalation_requests", Some(2), "", e.requests)?;
    r.prop("escalation_rate", Some(2), "", &e.rate)?;
    r.prop("refused", Some(2), "", &Prop::new(e.refused, e.requests))?;
    r.prop("refused_explained", Some(2), "", &Prop::new(e.refused_explained, e.refused))?;
    for (reason, n) in &e.by_reason {
        r.count("refused", Some(2), reason, *n)?;
    }
    if let Some(rep) = &m.repeat {
        r.count("repeat_complainants", Some(1), "", rep.complainants)?;
        r.count("repeat_complaints", Some(1), "", rep.complaints)?;
        r.count("complainant_not_recorded", Some(1), "", rep.complainant_not_recorded)?;
    }
    if let Some(c) = &m.compensation {
        r.row("compensation_total", None, "", None, None, Some(c.total))?;
        r.count("compensation_cases", None, "", c.cases)?;
    }
    if let Some(s) = &m.satisfaction {
        r.prop("satisfaction", None, "", s)?;
    }
    if let Some(o) = &m.ombudsman {
        r.count("ombudsman_referrals", None, "", o.referrals)?;
        for (d, n) in &o.determinations {
            r.count("ombudsman_determinations", None, d, *n)?;
        }
        r.prop("ombudsman_evidence_on_time", None, "", &o.evidence_on_time)?;
    }
    if let Some(l) = &m.lessons {
        r.count("lessons_recorded", None, "", l.recorded)?;
        for (status, n) in &l.actions {
            r.count("lesson_actions", None, status, *n)?;
        }
        r.count("lesson_actions_overdue", None, "", l.overdue)?;
    }
    for c in &m.by_category {
        r.count("category_received", Some(1), &c.category, c.received)?;
        r.prop("category_within_timescale", Some(1), &c.category, &c.within_timescale)?;
        r.prop("category_upheld", Some(1), &c.category, &c.upheld)?;
    }
    if let Some(b) = &m.breakdown {
        for c in &b.rows {
            let label = format!("{}={}", b.column, c.category);
            r.count("by_received", Some(1), &label, c.received)?;
            r.prop("by_within_timescale", Some(1), &label, &c.within_timescale)?;
        }
    }
    let t = &m.tsm;
    for (k, stage01, stage02) in [(1, &t.ch01.stage1, &t.ch02.stage1), (2, &t.ch01.stage2, &t.ch02.stage2)] {
        for (g, c1, c2) in [
            ("lcra", &stage01.lcra, &stage02.lcra),
            ("lcho", &stage01.lcho, &stage02.lcho),
            ("combined", &stage01.combined, &stage02.combined),
        ] {
            r.row("tsm_ch01", Some(k), g, c1.num, c1.den, c1.per_1000)?;
            r.row("tsm_ch02", Some(k), g, c2.num, c2.den, c2.pct)?;
            r.row("tsm_ch02_within_without_extension", Some(k), g, c2.within_without_extension, c2.den, None)?;
            r.row("tsm_ch02_within_with_extension", Some(k), g, c2.within_with_extension, c2.den, None)?;
        }
    }
    Ok(())
}

/// One CSV row per figure of the period (`metric,stage,breakdown,num,den,value`); TSM rows are
/// the financial year to date. Counts are in `value`; proportions give `num`, `den` and the
/// percentage in `value`.
pub fn to_csv(m: &Metrics) -> Result<String> {
    let mut r = Rows::new()?;
    metric_rows(&mut r, m)?;
    Ok(String::from_utf8(r.w.into_inner()?)?)
}

fn pct(p: &Prop) -> String {
    match p.pct {
        Some(v) => format!("{v:.1}% ({}/{})", p.num, p.den),
        None => format!("– (0/{})", p.den),
    }
}

fn share(n: u64, of: u64) -> String {
    pct(&Prop::new(n, of))
}

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "not recorded".into())
}

/// A readable terminal summary.
pub fn to_table(m: &Metrics) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} ({} to {}, as of {}), profile {}",
        m.period.label, m.period.start, m.period.end, m.period.as_of, m.profile
    );
    let i = &m.input;
    let _ = writeln!(
        o,
        "Input: {} rows read, {} used, {} rejected, {} duplicates, {} values dropped",
        i.rows_read, i.rows_used, i.rows_rejected, i.duplicates, i.warnings
    );
    for (title, stages) in [
        (format!("Against {}", m.profile), &m.stages),
        (format!("Against the Code ({})", m.code.profile), &m.code.stages),
    ] {
        let _ = writeln!(o, "\n{title}");
        let _ = writeln!(o, "  {:<28}{}", "", stages.iter().map(|s| format!("{:>24}", s.name)).collect::<String>());
        let line = |label: &str, f: &dyn Fn(&StageMetrics) -> String| {
            format!("  {label:<28}{}\n", stages.iter().map(|s| format!("{:>24}", f(s))).collect::<String>())
        };
        o.push_str(&line("received", &|s| s.received.to_string()));
        o.push_str(&line("acknowledged on time", &|s| {
            s.ack_on_time.as_ref().map(pct).unwrap_or_else(|| "not recorded".into())
        }));
        o.push_str(&line("responses", &|s| s.responses.to_string()));
        o.push_str(&line("  on time", &|s| share(s.on_time, s.responses)));
        o.push_str(&line("  on time with extension", &|s| share(s.on_time_extended, s.responses)));
        o.push_str(&line("  late", &|s| share(s.late, s.responses)));
        o.push_str(&line("  within timescale", &|s| share(s.within_timescale, s.responses)));
        o.push_str(&line("  extension over maximum", &|s| s.extension_over_max.to_string()));
        o.push_str(&line("median working days", &|s| opt(s.median_wd)));
        o.push_str(&line("open at as-of", &|s| s.open.to_string()));
        o.push_str(&line("  overdue", &|s| s.overdue.to_string()));
    }
    let _ = writeln!(o, "\nNot accepted: {}", m.not_accepted.total);
    let _ = writeln!(
        o,
        "Closed: {}  resolved at {}",
        m.closed,
        m.resolution.iter().map(|(k, p)| format!("stage {k}: {}", pct(p))).collect::<Vec<_>>().join(", ")
    );
    let e = &m.escalation;
    let _ = writeln!(
        o,
        "Escalation requests: {} (rate {}); refused {}, explained {}",
        e.requests,
        pct(&e.rate),
        e.refused,
        e.refused_explained
    );
    if let Some(r) = &m.repeat {
        let _ = writeln!(
            o,
            "Repeat complainants (≥{} in 12 months): {}, {} of this period's complaints",
            r.threshold, r.complainants, r.complaints
        );
    }
    if let Some(c) = &m.compensation {
        let _ = writeln!(o, "Compensation: £{:.2} over {} cases", c.total, c.cases);
    }
    if let Some(s) = &m.satisfaction {
        let _ = writeln!(o, "Satisfied with handling: {}", pct(s));
    }
    if let Some(om) = &m.ombudsman {
        let _ = writeln!(
            o,
            "Ombudsman: {} referrals; evidence within 15 working days {}",
            om.referrals,
            pct(&om.evidence_on_time)
        );
    }
    if let Some(l) = &m.lessons {
        let _ = writeln!(o, "Lessons: {} recorded, {} actions overdue", l.recorded, l.overdue);
    }
    let rows = m.breakdown.as_ref().map(|b| (b.column.as_str(), &b.rows)).unwrap_or(("category", &m.by_category));
    let _ = writeln!(o, "\nStage 1 by {}", rows.0);
    for c in rows.1 {
        let _ = writeln!(
            o,
            "  {:<30}{:>8} received   within timescale {:<22} upheld {}",
            c.category,
            c.received,
            pct(&c.within_timescale),
            pct(&c.upheld)
        );
    }
    let t = &m.tsm;
    let _ = writeln!(o, "\nTSM {} to {} ({})", t.year, t.end, t.profile);
    for (name, c1, c2) in [("stage 1", &t.ch01.stage1, &t.ch02.stage1), ("stage 2", &t.ch01.stage2, &t.ch02.stage2)] {
        for (g, a, b) in
            [("LCRA", &c1.lcra, &c2.lcra), ("LCHO", &c1.lcho, &c2.lcho), ("Combined", &c1.combined, &c2.combined)]
        {
            let _ = writeln!(
                o,
                "  CH01 {name} {g:<9} {:>8} per 1,000 ({} / {})   CH02 {:>7} ({} / {})",
                a.per_1000.map(|v| format!("{v:.1}")).unwrap_or_else(|| "–".into()),
                opt(a.num),
                opt(a.den),
                b.pct.map(|p| format!("{p:.1}%")).unwrap_or_else(|| "–".into()),
                opt(b.num),
                opt(b.den)
            );
        }
    }
    if m.warnings.clock_from_receipt > 0 {
        let _ = writeln!(
            o,
            "\nNote: {} responses were timed from receipt because no acknowledgement was recorded.",
            m.warnings.clock_from_receipt
        );
    }
    o
}
