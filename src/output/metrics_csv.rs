//! metrics.csv (one row per figure) and the formula-safe cell every CSV the tool writes uses.

use anyhow::Result;

use crate::metrics::model::{Metrics, Prop, StageMetrics};

/// Whether a spreadsheet would run the cell as a formula: it starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return.
pub fn reads_as_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A CSV cell that a spreadsheet will not run as a formula: one that `reads_as_formula` gets a
/// `'` in front.
pub fn formula_safe(cell: &str) -> String {
    if reads_as_formula(cell) {
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
    r.count(&m("answered_date_unknown"), k, "", s.answered_date_unknown)?;
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
        r.prop("resolved_at", Some(*k), "", prop)?;
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
        let d = &o.decisions;
        r.count("ombudsman_decided", None, "", d.decided)?;
        for (f, n) in &d.findings {
            r.count("ombudsman_findings", None, f, *n)?;
        }
        r.count("ombudsman_adverse_findings", None, "", d.adverse)?;
        r.prop("ombudsman_maladministration_rate", None, "", &d.maladministration_rate)?;
        r.count("ombudsman_findings_undated", None, "", d.undated)?;
        if let Some(x) = &o.orders {
            r.count("ombudsman_orders_issued", None, "", x.issued)?;
            for (k, n) in &x.issued_by_kind {
                r.count("ombudsman_orders_issued", None, k, *n)?;
            }
            r.row("ombudsman_compensation_ordered", None, "", None, None, Some(x.compensation_ordered))?;
            r.count("ombudsman_orders_due", None, "", x.due)?;
            r.count("ombudsman_orders_complied_on_time", None, "", x.complied_on_time)?;
            r.count("ombudsman_orders_complied_late", None, "", x.complied_late)?;
            r.count("ombudsman_orders_due_not_complied", None, "", x.due_not_complied)?;
            r.count("ombudsman_orders_outstanding", None, "", x.outstanding)?;
            r.count("ombudsman_orders_overdue", None, "", x.overdue)?;
            r.count("ombudsman_orders_no_due_date", None, "", x.no_due_date)?;
        }
    }
    if let Some(l) = &m.lessons {
        r.count("lessons_recorded", None, "", l.recorded)?;
        for (status, n) in &l.actions {
            r.count("lesson_actions", None, status, *n)?;
        }
        r.count("lesson_actions_overdue", None, "", l.overdue)?;
    }
    if let Some(p) = &m.peers {
        // breakdown: "lcra ch01" …; the peers' year and group are in metrics.json.
        for x in &p.positions {
            let b = format!("{} {}", x.tenure, x.measure);
            let k = Some(x.stage);
            r.row("peer_ours", k, &b, None, None, x.ours)?;
            r.row("peer_ours_published", k, &b, None, None, x.ours_published)?;
            r.count("peer_n", k, &b, x.n as u64)?;
            if let Some(q) = x.quartiles {
                r.row("peer_lower_quartile", k, &b, None, None, Some(q.lower))?;
                r.row("peer_median", k, &b, None, None, Some(q.median))?;
                r.row("peer_upper_quartile", k, &b, None, None, Some(q.upper))?;
            }
            r.row("peer_band", k, &b, None, None, x.band.map(f64::from))?;
            r.row("peer_percentile", k, &b, None, None, x.percentile)?;
        }
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
            for (name, n) in [
                ("late", c2.late),
                ("overdue", c2.overdue),
                ("pending", c2.pending),
                ("answered_date_unknown", c2.answered_date_unknown),
                ("withdrawn_unanswered", c2.withdrawn_unanswered),
            ] {
                r.row(&format!("tsm_ch02_{name}"), Some(k), g, n, c2.den, None)?;
            }
            let final_value = c2.r#final.map(|f| if f { 1.0 } else { 0.0 });
            r.row("tsm_ch02_final", Some(k), g, None, None, final_value)?;
            r.row("tsm_ch02_best_pct", Some(k), g, None, None, c2.best_pct)?;
        }
        let b = if k == 1 { &t.bridge.stage1 } else { &t.bridge.stage2 };
        r.count("tsm_bridge_received", Some(k), "", b.received)?;
        r.count("tsm_bridge_not_accepted", Some(k), "", b.not_accepted)?;
        for (tenure, n) in &b.outside_tsm {
            r.count("tsm_bridge_outside_tsm", Some(k), tenure, *n)?;
        }
        r.count("tsm_bridge_tenure_not_recorded", Some(k), "", b.tenure_not_recorded)?;
        r.count("tsm_bridge_counted", Some(k), "", b.counted)?;
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
