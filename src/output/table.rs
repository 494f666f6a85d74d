//! The terminal summary of a metrics document (`complaints metrics`, the default format).

use std::fmt::Write;

use crate::metrics::model::{Metrics, Prop, StageMetrics};

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
        stage_section(&mut o, &title, stages);
    }
    other_section(&mut o, m);
    category_section(&mut o, m);
    tsm_section(&mut o, m);
    peers_section(&mut o, m);
    if m.warnings.clock_from_receipt > 0 {
        let _ = writeln!(
            o,
            "\nNote: {} responses were timed from receipt because no acknowledgement was recorded.",
            m.warnings.clock_from_receipt
        );
    }
    o
}

fn stage_section(o: &mut String, title: &str, stages: &[StageMetrics]) {
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

fn other_section(o: &mut String, m: &Metrics) {
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
            "Ombudsman: {} referrals; evidence within {} working days {}",
            om.referrals,
            crate::metrics::ombudsman::EVIDENCE_DAYS,
            pct(&om.evidence_on_time)
        );
        let d = &om.decisions;
        let _ = writeln!(
            o,
            "Ombudsman decisions issued: {}; findings {}; adverse {}; maladministration rate {}",
            d.decided,
            d.findings.values().sum::<u64>(),
            d.adverse,
            pct(&d.maladministration_rate)
        );
        if let Some(x) = &om.orders {
            let _ = writeln!(
                o,
                "Ombudsman orders: {} made, {} due ({} on time, {} late), {} outstanding, {} overdue",
                x.issued, x.due, x.complied_on_time, x.complied_late, x.outstanding, x.overdue
            );
        }
    }
    if let Some(l) = &m.lessons {
        let _ = writeln!(o, "Lessons: {} recorded, {} actions overdue", l.recorded, l.overdue);
    }
}

fn category_section(o: &mut String, m: &Metrics) {
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
}

fn tsm_section(o: &mut String, m: &Metrics) {
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
}

fn peers_section(o: &mut String, m: &Metrics) {
    let Some(p) = &m.peers else { return };
    let _ = writeln!(o, "\nAmong {} ({} published returns; {})", p.group_label, p.year, p.attribution);
    let f = |v: Option<f64>| v.map(|v| format!("{v:.1}")).unwrap_or_else(|| "–".into());
    for x in &p.positions {
        let q = x.quartiles;
        let _ = writeln!(
            o,
            "  {} stage {} {:<5} ours {:>6} (published {:>6})  LQ {:>6} median {:>6} UQ {:>6}  n {:>3}  quartile {}  percentile {}",
            x.measure.to_uppercase(),
            x.stage,
            x.tenure.to_uppercase(),
            f(x.ours),
            f(x.ours_published),
            f(q.map(|q| q.lower)),
            f(q.map(|q| q.median)),
            f(q.map(|q| q.upper)),
            x.n,
            x.band.map(|b| b.to_string()).unwrap_or_else(|| "–".into()),
            f(x.percentile)
        );
    }
}
