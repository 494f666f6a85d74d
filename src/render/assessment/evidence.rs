//! The self-assessment's evidence from data: each form provision names `Hook`s (checked when the
//! form loads), and each hook is one function from the year's figures to sentences, fields the
//! data lacks, and any contradiction of a declared "Yes".

use serde::{Deserialize, Serialize};

use crate::config::Profile;
use crate::format::{long_date, pct, share, thousands};
use crate::metrics::handling::Handling;
use crate::metrics::model::{Metrics, Prop, StageMetrics};
use crate::metrics::ombudsman::EVIDENCE_DAYS;
use crate::period::Period;

/// The data checks a provision can name in the form TOML (`evidence = ["ack1", …]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Hook {
    /// Stage 1 acknowledgements within the limit.
    Ack1,
    /// Stage 2 acknowledgements within the limit.
    Ack2,
    /// Stage 1 responses within timescale.
    Response1,
    /// Stage 2 responses within timescale.
    Response2,
    /// Stage 1 extensions and those beyond the maximum.
    Extension1,
    /// Stage 2 extensions and those beyond the maximum.
    Extension2,
    /// Stage 2 decided by someone other than the stage 1 handler.
    Handlers,
    /// Remedies carried out by their due date.
    Remedies,
    /// Complaints accepted over 12 months after the issue arose.
    IssueAge,
    /// Complaints not accepted, by reason.
    Exclusions,
    /// Complaints not accepted, and whether a reason was recorded (Code 2.4).
    NotAccepted,
    /// What a response letter says: the case data cannot show it.
    LetterContent,
    /// Refusals to escalate, their reasons and explanations.
    Refusals,
    /// Refusals to escalate: the counts.
    RefusalCount,
    /// Refusals to escalate: the reasons.
    RefusalReasons,
    /// Refusals to escalate explained in writing.
    RefusalExplained,
    /// The number of stages.
    Stages,
    /// Escalation requests.
    Escalation,
    /// Complaints received per stage.
    Volumes,
    /// Channels complaints came through.
    Channels,
    /// Complete records.
    Records,
    /// Stage 1 outcomes recorded.
    Outcomes1,
    /// Stage 2 outcomes recorded.
    Outcomes2,
    /// Compensation paid.
    Compensation,
    /// Ombudsman referrals and determinations.
    Ombudsman,
    /// Ombudsman evidence requests answered in time.
    Evidence,
    /// The annual report.
    AnnualReport,
    /// Lessons learned.
    Lessons,
    /// The most common categories.
    Categories,
    /// Stage resolution at every stage.
    Resolution,
    /// Resolution at stage 1.
    Resolution1,
    /// Resolution at stage 2.
    Resolution2,
    /// Timeliness per stage.
    Timeliness,
    /// Extensions per stage.
    Extensions,
    /// Satisfaction with complaint handling.
    Satisfaction,
    /// Repeat complainants.
    Repeat,
}

/// What the data says about a provision.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Evidence {
    /// Sentences with figures, numerator and denominator, and the period.
    pub lines: Vec<String>,
    /// Why a declared "Yes" is contradicted, if it is.
    pub contradicts: Option<String>,
    /// Fields that would evidence it but are missing from the data.
    pub missing: Vec<String>,
    /// Where a timescale figure falls short of 100%: the shortfall with its count (shown always;
    /// flagged when below the contradiction threshold).
    pub shortfall: Vec<String>,
    /// Notes for whoever completes the form (the draft shows them; the final never does).
    pub notes: Vec<String>,
}

/// What the hooks read.
pub struct Ctx<'a> {
    /// The year's metrics against the Code in force.
    pub m: &'a Metrics,
    /// The year's handling checks.
    pub handling: &'a Handling,
    /// The Code profile the year is measured against.
    pub profile: &'a Profile,
    /// The landlord's own profile (for the stages check).
    pub own_profile: &'a Profile,
    /// The year.
    pub year: &'a Period,
    /// Fields the data has.
    pub present: &'a dyn Fn(&str) -> bool,
    /// Contradiction threshold, percent.
    pub threshold: f64,
    /// The answers file's facts about the annual report (where and when it was published).
    pub meta: &'a super::Meta,
}

impl Ctx<'_> {
    fn stage(&self, k: usize) -> Option<&StageMetrics> {
        self.m.stages.iter().find(|s| s.stage == k)
    }

    /// "in 2024/25", or "in 2024/25 to 31 December 2024" when the year is cut at as-of.
    fn in_year(&self) -> String {
        let full = Period::financial_year(crate::period::financial_year_of(self.year.start), None)
            .map(|p| p.end == self.year.end)
            .unwrap_or(true);
        if full {
            format!("in {}", self.year.label)
        } else {
            format!("in {} to {}", self.year.label, long_date(self.year.end))
        }
    }

    /// Records the fields the data lacks; true when it has them all.
    fn need(&self, e: &mut Evidence, fields: &[&str]) -> bool {
        let missing: Vec<String> = fields.iter().filter(|f| !(self.present)(f)).map(|f| f.to_string()).collect();
        e.missing.extend(missing.iter().cloned());
        missing.is_empty()
    }
}

fn below(p: &Prop, threshold: f64) -> bool {
    p.pct.is_some_and(|v| v < threshold)
}

/// Records a timescale shortfall: `missed` of `p.den` (`what`) when the figure is below 100%, and
/// flags it (`flag`) when below the threshold.
fn shortfall(e: &mut Evidence, c: &Ctx, p: &Prop, missed: u64, what: &str, flag: String) {
    if missed == 0 || p.den == 0 {
        return;
    }
    e.shortfall.push(format!(
        "Shortfall: {} of {} {what} ({}).",
        thousands(missed),
        thousands(p.den),
        pct(&Prop::new(missed, p.den))
    ));
    if below(p, c.threshold) {
        e.contradicts = Some(flag);
    }
}

/// Runs one evidence check.
pub fn evidence(hook: Hook, c: &Ctx) -> Evidence {
    let mut e = Evidence::default();
    match hook {
        Hook::Ack1 => ack(c, 1, &mut e),
        Hook::Ack2 => ack(c, 2, &mut e),
        Hook::Response1 => response(c, 1, &mut e),
        Hook::Response2 => response(c, 2, &mut e),
        Hook::Extension1 => extension(c, 1, &mut e),
        Hook::Extension2 => extension(c, 2, &mut e),
        Hook::Handlers => handlers(c, &mut e),
        Hook::Remedies => remedies(c, &mut e),
        Hook::IssueAge => issue_age(c, &mut e),
        Hook::Exclusions => exclusions(c, &mut e),
        Hook::NotAccepted => not_accepted(c, &mut e),
        Hook::LetterContent => letter_content(&mut e),
        Hook::Refusals | Hook::RefusalCount | Hook::RefusalReasons | Hook::RefusalExplained => {
            refusals(c, hook, &mut e)
        }
        Hook::Stages => stages(c, &mut e),
        Hook::Escalation => escalation(c, &mut e),
        Hook::Volumes => volumes(c, &mut e),
        Hook::Channels => channels(c, &mut e),
        Hook::Records => records(c, &mut e),
        Hook::Outcomes1 => outcomes(c, 1, &mut e),
        Hook::Outcomes2 => outcomes(c, 2, &mut e),
        Hook::Compensation => compensation(c, &mut e),
        Hook::Ombudsman => ombudsman(c, &mut e),
        Hook::Evidence => ombudsman_evidence(c, &mut e),
        Hook::AnnualReport => annual_report(c, &mut e),
        Hook::Lessons => lessons(c, &mut e),
        Hook::Categories => categories(c, &mut e),
        Hook::Resolution => resolution(c, None, &mut e),
        Hook::Resolution1 => resolution(c, Some(1), &mut e),
        Hook::Resolution2 => resolution(c, Some(2), &mut e),
        Hook::Timeliness => timeliness(c, &mut e),
        Hook::Extensions => extensions(c, &mut e),
        Hook::Satisfaction => satisfaction(c, &mut e),
        Hook::Repeat => repeat(c, &mut e),
    }
    e
}

fn ack(c: &Ctx, k: usize, e: &mut Evidence) {
    if !c.need(e, &[&format!("s{k}_ack_date")]) {
        return;
    }
    let (Some(a), Some(limit)) = (c.stage(k).and_then(|s| s.ack_on_time), c.profile.stage(k).and_then(|r| r.ack_days))
    else {
        return;
    };
    let days = crate::format::working_days(limit as u64);
    e.lines.push(format!("Stage {k} complaints acknowledged within {days} {}: {}.", c.in_year(), share(&a)));
    let flag = format!("only {} of stage {k} complaints were acknowledged within {days}", pct(&a));
    shortfall(e, c, &a, a.den - a.num, &format!("stage {k} complaints were not acknowledged within {days}"), flag);
}

fn response(c: &Ctx, k: usize, e: &mut Evidence) {
    let Some(s) = c.stage(k) else { return };
    let limit = c.profile.stage(k).map(|r| r.response_days).unwrap_or(0);
    let within = Prop::new(s.within_timescale, s.responses);
    e.lines.push(format!(
        "Of {} stage {k} responses {}: {} within {limit} working days, {} within an agreed extension, {} late. Within timescale: {}.",
        thousands(s.responses),
        c.in_year(),
        share(&Prop::new(s.on_time, s.responses)),
        share(&Prop::new(s.on_time_extended, s.responses)),
        share(&Prop::new(s.late, s.responses)),
        share(&within)
    ));
    if let Some(mw) = s.median_wd {
        e.lines.push(format!("Median: {mw} working days."));
    }
    let flag = format!("{} of stage {k} responses were within timescale", pct(&within));
    shortfall(e, c, &within, s.late, &format!("stage {k} responses were late"), flag);
}

fn extension(c: &Ctx, k: usize, e: &mut Evidence) {
    let Some(s) = c.stage(k) else { return };
    let max = c.profile.stage(k).map(|r| r.max_extension_days).unwrap_or(0);
    e.lines.push(format!(
        "Stage {k} responses sent within an extension {}: {}; extensions with a recorded due date beyond the {max}-working-day maximum: {}.",
        c.in_year(),
        thousands(s.on_time_extended),
        thousands(s.extension_over_max)
    ));
    if s.extension_over_max > 0 {
        e.shortfall.push(format!(
            "Shortfall: {} stage {k} extensions went beyond the {max}-working-day maximum.",
            thousands(s.extension_over_max)
        ));
        e.contradicts =
            Some(format!("{} stage {k} extensions went beyond {max} working days", thousands(s.extension_over_max)));
    }
}

fn handlers(c: &Ctx, e: &mut Evidence) {
    let present = c.need(e, &["s1_handler", "s2_handler"]);
    let Some(h) = c.handling.handlers.filter(|_| present) else { return };
    let different = Prop::new(h.both_recorded - h.same, h.both_recorded);
    e.lines.push(format!(
        "Stage 2 responses {} decided by someone other than the stage 1 handler: {}.",
        c.in_year(),
        share(&different)
    ));
    if h.same > 0 {
        e.contradicts = Some(format!("{} stage 2 complaints were decided by their stage 1 handler", thousands(h.same)));
    }
}

fn remedies(c: &Ctx, e: &mut Evidence) {
    let present = c.need(e, &["remedy_due_date", "remedy_completed_date"]);
    let Some(r) = c.handling.remedies.filter(|_| present) else { return };
    let on_time = Prop::new(r.on_time, r.due);
    e.lines.push(format!(
        "Remedies due {}: {} carried out by their due date, {} late, {} not recorded as done by {}.",
        c.in_year(),
        share(&on_time),
        thousands(r.late),
        thousands(r.outstanding),
        long_date(c.year.as_of)
    ));
    let flag = format!("{} of remedies were carried out by their due date", pct(&on_time));
    shortfall(e, c, &on_time, r.due - r.on_time, "remedies were not carried out by their due date", flag);
}

fn issue_age(c: &Ctx, e: &mut Evidence) {
    let present = c.need(e, &["issue_date"]);
    let Some(a) = c.handling.issue_age.filter(|_| present) else { return };
    e.lines.push(format!(
        "Complaints accepted {} more than 12 months after the issue arose (discretion used): {} of {} with an issue date recorded.",
        c.in_year(),
        thousands(a.over_12_months),
        thousands(a.with_issue_date)
    ));
}

fn exclusions(c: &Ctx, e: &mut Evidence) {
    let n = &c.m.not_accepted;
    let reasons = if n.by_reason.is_empty() {
        String::new()
    } else {
        format!(
            " ({})",
            n.by_reason.iter().map(|(k, v)| format!("{k}: {}", thousands(*v))).collect::<Vec<_>>().join("; ")
        )
    };
    e.lines.push(format!("Complaints not accepted {}: {}{reasons}.", c.in_year(), thousands(n.total)));
}

fn refusals(c: &Ctx, hook: Hook, e: &mut Evidence) {
    let r = &c.m.escalation;
    if hook != Hook::RefusalReasons {
        e.lines.push(format!(
            "Escalation requests {}: {}; refused: {}; refusals explained to the resident in writing: {}.",
            c.in_year(),
            thousands(r.requests),
            thousands(r.refused),
            thousands(r.refused_explained)
        ));
    }
    let no_reason = r.by_reason.get("not recorded").copied().unwrap_or(0);
    if hook != Hook::RefusalCount && r.refused > 0 {
        let reasons: Vec<String> = r.by_reason.iter().map(|(k, v)| format!("{k} ({})", thousands(*v))).collect();
        e.lines.push(format!("Reasons: {}.", reasons.join("; ")));
    }
    if !matches!(hook, Hook::Refusals | Hook::RefusalExplained) || r.refused == 0 {
        return;
    }
    let unexplained = r.refused - r.refused_explained;
    let mut gaps = Vec::new();
    if unexplained > 0 {
        gaps.push(format!(
            "{} of {} refusals to escalate were not explained in writing",
            thousands(unexplained),
            thousands(r.refused)
        ));
    }
    if no_reason > 0 && hook == Hook::Refusals {
        gaps.push(format!("{} had no reason recorded", thousands(no_reason)));
    }
    if !gaps.is_empty() {
        e.shortfall.push(format!("Shortfall: {}.", gaps.join("; ")));
        e.contradicts = Some(gaps.join("; "));
    }
}

fn not_accepted(c: &Ctx, e: &mut Evidence) {
    let n = &c.m.not_accepted;
    let no_reason = n.by_reason.get("not recorded").copied().unwrap_or(0);
    e.lines.push(format!(
        "Complaints not accepted {}: {}; with the reason recorded: {}.",
        c.in_year(),
        thousands(n.total),
        share(&Prop::new(n.total - no_reason, n.total))
    ));
    if no_reason > 0 {
        e.shortfall.push(format!(
            "Shortfall: {} of {} complaints not accepted have no reason recorded, so the explanation given cannot be evidenced from the data.",
            thousands(no_reason),
            thousands(n.total)
        ));
        e.contradicts = Some(format!("{} complaints not accepted have no reason recorded", thousands(no_reason)));
    }
    e.lines.push("Whether each resident was told in writing, with the right to go to the Ombudsman, is not in the case data: evidence it from the letters.".into());
}

fn letter_content(e: &mut Evidence) {
    e.lines.push(
        "The case data cannot show what a response letter says; evidence this provision from a sample of letters or a quality check."
            .into(),
    );
}

fn stages(c: &Ctx, e: &mut Evidence) {
    let stages = c.own_profile.stages.len();
    let third = c.handling.third_stage;
    e.lines.push(format!(
        "The landlord's policy profile has {stages} stage{}; cases {} with a third stage recorded: {}.",
        if stages == 1 { "" } else { "s" },
        c.in_year(),
        thousands(third)
    ));
    if stages > 2 || third > 0 {
        e.contradicts =
            Some(format!("the data shows a third stage ({} cases; the policy has {stages} stages)", thousands(third)));
    }
}

fn escalation(c: &Ctx, e: &mut Evidence) {
    let r = &c.m.escalation;
    e.lines.push(format!(
        "Escalation requests {}: {} ({} of stage 1 responses); {} refused.",
        c.in_year(),
        thousands(r.requests),
        pct(&r.rate),
        thousands(r.refused)
    ));
}

fn volumes(c: &Ctx, e: &mut Evidence) {
    let parts = |m: &Metrics| -> String {
        m.stages.iter().map(|s| format!("stage {} {}", s.stage, thousands(s.received))).collect::<Vec<_>>().join(", ")
    };
    e.lines.push(format!("Complaints received {}: {}.", c.in_year(), parts(c.m)));
    if let Some(prev) = c.m.trend.last() {
        e.lines.push(format!("{}: {}.", prev.period.label, parts(prev)));
    }
}

fn channels(c: &Ctx, e: &mut Evidence) {
    let present = c.need(e, &["channel"]);
    let Some(rows) = c.handling.channels.as_ref().filter(|_| present) else { return };
    e.lines.push(format!(
        "Stage 1 complaints {} came through {} channels: {}.",
        c.in_year(),
        rows.len(),
        rows.iter().map(|r| format!("{} {}", r.category, thousands(r.received))).collect::<Vec<_>>().join(", ")
    ));
}

fn records(c: &Ctx, e: &mut Evidence) {
    e.lines.push(format!(
        "Complaints {} with received, acknowledged and response dates and an outcome all recorded: {}.",
        c.in_year(),
        share(&c.handling.complete_records)
    ));
}

fn outcomes(c: &Ctx, k: usize, e: &mut Evidence) {
    let Some(s) = c.stage(k) else { return };
    let recorded: u64 = s.outcomes.iter().filter(|(o, _)| o.as_str() != "not recorded").map(|(_, v)| v).sum();
    e.lines.push(format!(
        "Stage {k} responses {} with an outcome recorded: {}.",
        c.in_year(),
        share(&Prop::new(recorded, s.responses))
    ));
}

fn compensation(c: &Ctx, e: &mut Evidence) {
    let present = c.need(e, &["compensation"]);
    let Some(comp) = c.m.compensation.as_ref().filter(|_| present) else { return };
    e.lines.push(format!(
        "Compensation {}: £{} on {} complaints.",
        c.in_year(),
        crate::format::money(comp.total),
        thousands(comp.cases)
    ));
}

fn ombudsman(c: &Ctx, e: &mut Evidence) {
    let Some(o) = &c.m.ombudsman else {
        c.need(e, &["ombudsman_referred_date", "ombudsman_determination"]);
        return;
    };
    let determinations = if o.determinations.is_empty() {
        "none recorded".to_string()
    } else {
        o.determinations.iter().map(|(k, v)| format!("{k} {}", thousands(*v))).collect::<Vec<_>>().join(", ")
    };
    e.lines.push(format!(
        "Ombudsman referrals {}: {}; determinations: {determinations}; evidence sent within {EVIDENCE_DAYS} working days: {}.",
        c.in_year(),
        thousands(o.referrals),
        share(&o.evidence_on_time)
    ));
}

fn ombudsman_evidence(c: &Ctx, e: &mut Evidence) {
    let Some(o) = &c.m.ombudsman else {
        c.need(e, &["ombudsman_evidence_requested_date", "ombudsman_evidence_sent_date"]);
        return;
    };
    e.lines.push(format!(
        "Ombudsman evidence requests {} answered within {EVIDENCE_DAYS} working days: {}.",
        c.in_year(),
        share(&o.evidence_on_time)
    ));
    let p = o.evidence_on_time;
    let flag = format!("{} of evidence requests were answered within {EVIDENCE_DAYS} working days", pct(&p));
    shortfall(
        e,
        c,
        &p,
        p.den - p.num,
        &format!("evidence requests were not answered within {EVIDENCE_DAYS} working days"),
        flag,
    );
    // Any late evidence is a breach of the Ombudsman's own deadline, whatever the threshold.
    if p.num < p.den {
        e.contradicts =
            Some(format!("{} of evidence requests were answered within {EVIDENCE_DAYS} working days", pct(&p)));
    }
}

fn annual_report(c: &Ctx, e: &mut Evidence) {
    let m = c.meta;
    if m.report_url.trim().is_empty() && m.published_on.is_none() && m.board_date.is_none() {
        e.notes.push(
            "Give report_url, published_on and board_date under [assessment] in the answers file, and they are shown here as the evidence."
                .into(),
        );
        return;
    }
    if let Some(d) = m.board_date {
        e.lines.push(format!("The annual complaints performance and service improvement report was considered by the governing body on {}.", long_date(d)));
    }
    match (m.report_url.trim(), m.published_on) {
        ("", Some(d)) => e.lines.push(format!("It was published on {}.", long_date(d))),
        (url, Some(d)) => e.lines.push(format!("It was published on {} at {url}.", long_date(d))),
        ("", None) => {}
        (url, None) => e.lines.push(format!("It is published at {url}.")),
    }
}

fn lessons(c: &Ctx, e: &mut Evidence) {
    let present = c.need(e, &["lesson"]);
    let Some(l) = c.m.lessons.as_ref().filter(|_| present) else { return };
    e.lines.push(format!(
        "Lessons recorded for complaints closed {}: {}; actions: {}; overdue at {}: {}.",
        c.in_year(),
        thousands(l.recorded),
        l.actions.iter().map(|(k, v)| format!("{k} {}", thousands(*v))).collect::<Vec<_>>().join(", "),
        long_date(c.year.as_of),
        thousands(l.overdue)
    ));
}

fn categories(c: &Ctx, e: &mut Evidence) {
    let top: Vec<String> =
        c.m.by_category.iter().take(5).map(|r| format!("{} {}", r.category, thousands(r.received))).collect();
    e.lines.push(format!("Most common stage 1 complaint categories {}: {}.", c.in_year(), top.join(", ")));
}

fn resolution(c: &Ctx, stage: Option<usize>, e: &mut Evidence) {
    for (k, p) in c.m.resolution.iter().filter(|(k, _)| stage.is_none_or(|s| s == **k)) {
        e.lines.push(format!("Complaints closed {} that were resolved at stage {k}: {}.", c.in_year(), share(p)));
    }
}

fn timeliness(c: &Ctx, e: &mut Evidence) {
    for s in &c.m.stages {
        e.lines.push(format!(
            "Stage {}: {} within the Code's timescale; {} within an extension ({} responses).",
            s.stage,
            pct(&Prop::new(s.on_time, s.responses)),
            pct(&Prop::new(s.on_time_extended, s.responses)),
            thousands(s.responses)
        ));
    }
}

fn extensions(c: &Ctx, e: &mut Evidence) {
    for s in &c.m.stages {
        e.lines.push(format!(
            "Stage {}: {} responses within an extension; {} beyond the maximum extension.",
            s.stage,
            thousands(s.on_time_extended),
            thousands(s.extension_over_max)
        ));
    }
}

fn satisfaction(c: &Ctx, e: &mut Evidence) {
    match &c.m.satisfaction {
        Some(s) => e.lines.push(format!(
            "Residents surveyed after their complaint closed {} who were satisfied with its handling: {}.",
            c.in_year(),
            share(s)
        )),
        None => {
            c.need(e, &["satisfied"]);
        }
    }
}

fn repeat(c: &Ctx, e: &mut Evidence) {
    match &c.m.repeat {
        Some(r) => e.lines.push(format!(
            "Residents with {} or more stage 1 complaints in the 12 months to {}: {}; they made {} of the year's complaints.",
            r.threshold,
            long_date(c.year.end),
            thousands(r.complainants),
            thousands(r.complaints)
        )),
        None => {
            c.need(e, &["complainant_id"]);
        }
    }
}
