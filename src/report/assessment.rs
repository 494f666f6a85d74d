//! The Ombudsman self-assessment (`complaints self-assessment`): the form's provisions (data under
//! templates/forms/), the landlord's answers (answers.toml), evidence filled in from the case data,
//! and the contradictions between a declared "Yes" and what the data shows.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::views::{long_date, pct};
use crate::calendar::epoch_days;
use crate::error::{data, usage};
use crate::metrics::frame::{days, days_by, within, yes, Counter};
use crate::metrics::model::{Metrics, Prop, StageMetrics};
use crate::period::Period;
use crate::timeline::Timeline;
use crate::Loaded;

/// The built-in forms: (name, source).
pub const FORMS: [(&str, &str); 2] = [
    ("code-2024", include_str!("../../templates/forms/code-2024.toml")),
    ("seed-2020", include_str!("../../templates/forms/seed-2020.toml")),
];

/// A self-assessment form: its provisions (or questions) in order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    /// `code-2024` or `seed-2020`.
    pub name: String,
    /// Title shown on the page.
    pub title: String,
    /// Provisions in order.
    pub provision: Vec<Provision>,
}

/// One provision (or question) of a form.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provision {
    /// "6.3".
    pub number: String,
    /// Section number.
    pub section: u32,
    /// Section title.
    pub section_title: String,
    /// The requirement in the project's own words.
    pub requirement: String,
    /// Data checks that evidence it.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// An introductory statement, not assessed.
    #[serde(default)]
    pub introductory: bool,
    /// A question the data answers with figures rather than yes or no.
    #[serde(default)]
    pub from_data: bool,
}

/// Loads a form by name: `DIR/forms/NAME.toml` when given, else the built-in one.
pub fn load_form(name: &str, templates: Option<&Path>) -> Result<Form> {
    let builtin = FORMS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s).ok_or_else(|| {
        usage(format!(
            "--form {name}: no such form; use {}",
            FORMS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(" or ")
        ))
    })?;
    let (text, origin) = match templates.map(|d| d.join("forms").join(format!("{name}.toml"))).filter(|p| p.exists()) {
        Some(path) => (
            std::fs::read_to_string(&path).map_err(|e| usage(format!("{}: cannot read: {e}", path.display())))?,
            path.display().to_string(),
        ),
        None => (builtin.to_string(), format!("built-in form {name}")),
    };
    toml::from_str(&text).map_err(|e| usage(format!("{origin}: {}", e.message())))
}

/// Comply: yes / no / not applicable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Comply {
    /// Complies.
    #[serde(alias = "Yes", alias = "YES", alias = "y")]
    Yes,
    /// Does not comply.
    #[serde(alias = "No", alias = "NO", alias = "n")]
    No,
    /// Not applicable.
    #[serde(rename = "n/a", alias = "na", alias = "N/A")]
    NotApplicable,
}

/// The landlord's answer to one provision.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// yes / no / n/a.
    pub comply: Option<Comply>,
    /// Evidence relied on.
    #[serde(default)]
    pub evidence: String,
    /// Commentary or explanation (and, where not complying, the actions and dates).
    #[serde(default)]
    pub commentary: String,
}

/// Who completed and approved the assessment, and the texts for the annual report.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Meta {
    /// Completed by (role).
    pub completed_by: String,
    /// Approved by (governing body and date).
    pub approved_by: String,
    /// A declared "Yes" is flagged when the data's figure is below this percentage (default 90).
    pub contradiction_below: Option<f64>,
    /// The governing body's response to the annual report.
    pub governing_body_response: String,
    /// A summary of the Ombudsman's annual letter about the landlord.
    pub ombudsman_annual_letter: String,
    /// Other relevant Ombudsman reports or findings (including any finding of non-compliance).
    pub ombudsman_findings: String,
}

/// The answers file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Answers {
    /// About the assessment.
    pub assessment: Meta,
    /// Answers to the 2024 Code form, by provision number.
    pub answers: BTreeMap<String, Answer>,
    /// Answers to the 2020-era form, by question number.
    pub seed_answers: BTreeMap<String, Answer>,
}

impl Answers {
    /// Reads and checks an answers file against the forms it answers.
    pub fn load(path: &Path, templates: Option<&Path>) -> Result<Answers> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| usage(format!("{}: cannot read the answers file: {e}", path.display())))?;
        let answers: Answers = toml::from_str(&text).map_err(|e| {
            let line = e.span().map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            usage(format!(
                "{}{}: {}",
                path.display(),
                line.map(|l| format!(" line {l}")).unwrap_or_default(),
                e.message().replace('\n', " ")
            ))
        })?;
        for (form, table, given) in
            [("code-2024", "answers", &answers.answers), ("seed-2020", "seed_answers", &answers.seed_answers)]
        {
            let f = load_form(form, templates)?;
            for number in given.keys() {
                if !f.provision.iter().any(|p| &p.number == number) {
                    return Err(usage(format!(
                        "{}: [{table}.\"{number}\"] is not a provision of the {form} form (they run {} to {}); check the number",
                        path.display(),
                        f.provision.first().map(|p| p.number.as_str()).unwrap_or(""),
                        f.provision.last().map(|p| p.number.as_str()).unwrap_or("")
                    )));
                }
            }
        }
        Ok(answers)
    }
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
}

/// What evidence hooks need.
pub struct Ctx<'a> {
    /// Cases and config.
    pub loaded: &'a Loaded,
    /// The year's metrics against the Code in force.
    pub m: &'a Metrics,
    /// The Code timeline at the year's as-of.
    pub tl: &'a Timeline,
    /// The year.
    pub year: &'a Period,
    /// Contradiction threshold, percent.
    pub threshold: f64,
}

impl Ctx<'_> {
    fn present(&self, f: &str) -> bool {
        self.loaded.cases.present.contains(f)
    }

    fn stage(&self, k: usize) -> Option<&StageMetrics> {
        self.m.stages.iter().find(|s| s.stage == k)
    }

    fn in_year(&self) -> String {
        // The page header gives the dates; a cut at as-of is said here.
        let full = Period::financial_year(crate::period::financial_year_of(self.year.start), None)
            .map(|p| p.end == self.year.end)
            .unwrap_or(true);
        if full {
            format!("in {}", self.year.label)
        } else {
            format!("in {} to {}", self.year.label, long_date(self.year.end))
        }
    }
}

fn share(p: &Prop) -> String {
    format!("{} ({} of {})", pct(p), p.num, p.den)
}

fn below(p: &Prop, threshold: f64) -> bool {
    p.pct.is_some_and(|v| v < threshold)
}

/// Runs one evidence check.
pub fn evidence(hook: &str, c: &Ctx) -> Result<Evidence> {
    let mut e = Evidence::default();
    let year = c.in_year();
    let need = |e: &mut Evidence, fields: &[&str]| -> bool {
        let missing: Vec<String> = fields.iter().filter(|f| !c.present(f)).map(|f| f.to_string()).collect();
        e.missing.extend(missing.iter().cloned());
        missing.is_empty()
    };
    match hook {
        "ack1" | "ack2" => {
            let k = if hook == "ack1" { 1 } else { 2 };
            if need(&mut e, &[&format!("s{k}_ack_date")]) {
                if let Some(a) = c.stage(k).and_then(|s| s.ack_on_time) {
                    e.lines.push(format!("Stage {k} complaints acknowledged within 5 working days {year}: {}.", share(&a)));
                    if below(&a, c.threshold) {
                        e.contradicts = Some(format!("only {} of stage {k} complaints were acknowledged within 5 working days", pct(&a)));
                    }
                }
            }
        }
        "response1" | "response2" => {
            let k = if hook == "response1" { 1 } else { 2 };
            if let Some(s) = c.stage(k) {
                let limit = c.tl.profile.stage(k).map(|r| r.response_days).unwrap_or(0);
                let within = Prop::new(s.within_timescale, s.responses);
                e.lines.push(format!(
                    "Of {} stage {k} responses {year}: {} within {limit} working days, {} within an agreed extension, {} late. Within timescale: {}.",
                    s.responses,
                    share(&Prop::new(s.on_time, s.responses)),
                    share(&Prop::new(s.on_time_extended, s.responses)),
                    share(&Prop::new(s.late, s.responses)),
                    share(&within)
                ));
                if let Some(mw) = s.median_wd {
                    e.lines.push(format!("Median: {mw} working days."));
                }
                if below(&within, c.threshold) {
                    e.contradicts = Some(format!("{} of stage {k} responses were within timescale", pct(&within)));
                }
            }
        }
        "extension1" | "extension2" => {
            let k = if hook == "extension1" { 1 } else { 2 };
            if let Some(s) = c.stage(k) {
                let max = c.tl.profile.stage(k).map(|r| r.max_extension_days).unwrap_or(0);
                e.lines.push(format!(
                    "Stage {k} responses sent within an extension {year}: {}; extensions with a recorded due date beyond the {max}-working-day maximum: {}.",
                    s.on_time_extended, s.extension_over_max
                ));
                if s.extension_over_max > 0 {
                    e.contradicts = Some(format!("{} stage {k} extensions went beyond {max} working days", s.extension_over_max));
                }
            }
        }
        "handlers" => {
            if need(&mut e, &["s1_handler", "s2_handler"]) {
                let as_of = epoch_days(c.year.as_of);
                let both = within(days_by("s2_response_date", as_of), c.year).and(col("s1_handler").is_not_null()).and(col("s2_handler").is_not_null());
                let same = both.clone().and(
                    col("s1_handler").str().strip_chars(lit(NULL)).str().to_lowercase().eq(col("s2_handler").str().strip_chars(lit(NULL)).str().to_lowercase()),
                );
                let mut k = Counter::default();
                k.count("both", both);
                k.count("same", same);
                let n = k.run(c.loaded.cases.df.clone().lazy())?;
                let different = Prop::new(n.n("both") - n.n("same"), n.n("both"));
                e.lines.push(format!("Stage 2 responses {year} decided by someone other than the stage 1 handler: {}.", share(&different)));
                if n.n("same") > 0 {
                    e.contradicts = Some(format!("{} stage 2 complaints were decided by their stage 1 handler", n.n("same")));
                }
            }
        }
        "remedies" => {
            if need(&mut e, &["remedy_due_date", "remedy_completed_date"]) {
                let as_of = epoch_days(c.year.as_of);
                let due = within(days("remedy_due_date"), c.year);
                let done = days_by("remedy_completed_date", as_of);
                let mut k = Counter::default();
                k.count("due", due.clone());
                k.count("on_time", due.clone().and(done.clone().lt_eq(days("remedy_due_date"))));
                k.count("late", due.clone().and(done.clone().gt(days("remedy_due_date"))));
                k.count("outstanding", due.and(done.is_null()));
                let n = k.run(c.loaded.cases.df.clone().lazy())?;
                let on_time = Prop::new(n.n("on_time"), n.n("due"));
                e.lines.push(format!(
                    "Remedies due {year}: {} carried out by their due date, {} late, {} not recorded as done by {}.",
                    share(&on_time),
                    n.n("late"),
                    n.n("outstanding"),
                    long_date(c.year.as_of)
                ));
                if below(&on_time, c.threshold) {
                    e.contradicts = Some(format!("{} of remedies were carried out by their due date", pct(&on_time)));
                }
            }
        }
        "issue_age" => {
            if need(&mut e, &["issue_date"]) {
                let received = days("received_date");
                let accepted = yes("excluded").not().and(within(received.clone(), c.year)).and(col("issue_date").is_not_null());
                let df = c.loaded.cases.df.clone().lazy().filter(accepted).select([col("received_date"), col("issue_date")]).collect()?;
                let r = df.column("received_date")?.date()?.phys.clone();
                let i = df.column("issue_date")?.date()?.phys.clone();
                let old = r
                    .iter()
                    .zip(i.iter())
                    .filter(|(r, i)| match (r, i) {
                        (Some(r), Some(i)) => {
                            let (r, i) = (crate::calendar::from_epoch_days(*r), crate::calendar::from_epoch_days(*i));
                            i.checked_add_months(chrono::Months::new(12)).is_some_and(|limit| r > limit)
                        }
                        _ => false,
                    })
                    .count();
                e.lines.push(format!(
                    "Complaints accepted {year} more than 12 months after the issue arose (discretion used): {old} of {} with an issue date recorded.",
                    df.height()
                ));
            }
        }
        "exclusions" => {
            let n = &c.m.not_accepted;
            e.lines.push(format!(
                "Complaints not accepted {year}: {}{}.",
                n.total,
                if n.by_reason.is_empty() { String::new() } else { format!(" ({})", n.by_reason.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("; ")) }
            ));
        }
        "refusals" | "refusal_count" | "refusal_reasons" | "refusal_explained" => {
            let r = &c.m.escalation;
            if hook != "refusal_reasons" {
                e.lines.push(format!("Escalation requests {year}: {}; refused: {}; refusals explained to the resident in writing: {}.", r.requests, r.refused, r.refused_explained));
            }
            if hook != "refusal_count" && r.refused > 0 {
                e.lines.push(format!("Reasons: {}.", r.by_reason.iter().map(|(k, v)| format!("{k} ({v})")).collect::<Vec<_>>().join("; ")));
            }
            if matches!(hook, "refusals" | "refusal_explained") && r.refused_explained < r.refused {
                e.contradicts = Some(format!("{} of {} refusals to escalate were not explained in writing", r.refused - r.refused_explained, r.refused));
            }
        }
        "stages" => {
            let stages = c.loaded.config.own_profile().stages.len();
            let as_of = epoch_days(c.year.as_of);
            let third = ["s3_requested_date", "s3_ack_date", "s3_response_date"].iter().map(|f| days_by(f, as_of).is_not_null()).reduce(|a, b| a.or(b)).expect("three fields");
            let mut k = Counter::default();
            k.count("third", third.and(within(days("received_date"), c.year).or(within(days_by("s3_requested_date", as_of), c.year))));
            let n = k.run(c.loaded.cases.df.clone().lazy())?;
            e.lines.push(format!(
                "The landlord's policy profile has {stages} stage{}; cases {year} with a third stage recorded: {}.",
                if stages == 1 { "" } else { "s" },
                n.n("third")
            ));
            if stages > 2 || n.n("third") > 0 {
                e.contradicts = Some(format!("the data shows a third stage ({} cases; the policy has {stages} stages)", n.n("third")));
            }
        }
        "escalation" => {
            let r = &c.m.escalation;
            e.lines.push(format!("Escalation requests {year}: {} ({} of stage 1 responses); {} refused.", r.requests, pct(&r.rate), r.refused));
        }
        "volumes" => {
            let parts: Vec<String> = c.m.stages.iter().map(|s| format!("stage {} {}", s.stage, s.received)).collect();
            e.lines.push(format!("Complaints received {year}: {}.", parts.join(", ")));
            if let Some(prev) = c.m.trend.last() {
                let before: Vec<String> = prev.stages.iter().map(|s| format!("stage {} {}", s.stage, s.received)).collect();
                e.lines.push(format!("{}: {}.", prev.period.label, before.join(", ")));
            }
        }
        "channels" => {
            if need(&mut e, &["channel"]) {
                let rows = crate::metrics::category::breakdown(c.tl, c.year, "channel")?;
                e.lines.push(format!(
                    "Stage 1 complaints {year} came through {} channels: {}.",
                    rows.len(),
                    rows.iter().map(|r| format!("{} {}", r.category, r.received)).collect::<Vec<_>>().join(", ")
                ));
            }
        }
        "records" => {
            let as_of = epoch_days(c.year.as_of);
            let accepted = yes("excluded").not().and(within(days("received_date"), c.year));
            let complete = accepted.clone().and(col("s1_ack_date").is_not_null()).and(days_by("s1_response_date", as_of).is_not_null()).and(col("s1_outcome").is_not_null());
            let mut k = Counter::default();
            k.count("all", accepted);
            k.count("complete", complete);
            let n = k.run(c.loaded.cases.df.clone().lazy())?;
            e.lines.push(format!(
                "Complaints {year} with received, acknowledged and response dates and an outcome all recorded: {}.",
                share(&Prop::new(n.n("complete"), n.n("all")))
            ));
        }
        "outcomes1" | "outcomes2" => {
            let k = if hook == "outcomes1" { 1 } else { 2 };
            if let Some(s) = c.stage(k) {
                let recorded: u64 = s.outcomes.iter().filter(|(o, _)| o.as_str() != "not recorded").map(|(_, v)| v).sum();
                e.lines.push(format!("Stage {k} responses {year} with an outcome recorded: {}.", share(&Prop::new(recorded, s.responses))));
            }
        }
        "compensation" => {
            if need(&mut e, &["compensation"]) {
                if let Some(comp) = &c.m.compensation {
                    e.lines.push(format!("Compensation {year}: £{:.2} on {} complaints.", comp.total, comp.cases));
                }
            }
        }
        "ombudsman" => {
            match &c.m.ombudsman {
                Some(o) => e.lines.push(format!(
                    "Ombudsman referrals {year}: {}; determinations: {}; evidence sent within 15 working days: {}.",
                    o.referrals,
                    if o.determinations.is_empty() { "none recorded".to_string() } else { o.determinations.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ") },
                    share(&o.evidence_on_time)
                )),
                None => {
                    need(&mut e, &["ombudsman_referred_date", "ombudsman_determination"]);
                }
            }
        }
        "evidence" => match &c.m.ombudsman {
            Some(o) => {
                e.lines.push(format!("Ombudsman evidence requests {year} answered within 15 working days: {}.", share(&o.evidence_on_time)));
                if o.evidence_on_time.num < o.evidence_on_time.den {
                    e.contradicts = Some(format!("{} of evidence requests were answered within 15 working days", pct(&o.evidence_on_time)));
                }
            }
            None => {
                need(&mut e, &["ombudsman_evidence_requested_date", "ombudsman_evidence_sent_date"]);
            }
        },
        "annual_report" => {
            e.lines.push(format!("The annual complaints performance and service improvement report for {} can be produced from this data with `complaints annual-report`.", c.year.label));
        }
        "lessons" => {
            if need(&mut e, &["lesson"]) {
                if let Some(l) = &c.m.lessons {
                    e.lines.push(format!(
                        "Lessons recorded for complaints closed {year}: {}; actions: {}; overdue at {}: {}.",
                        l.recorded,
                        l.actions.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", "),
                        long_date(c.year.as_of),
                        l.overdue
                    ));
                }
            }
        }
        "categories" => {
            let top: Vec<String> = c.m.by_category.iter().take(5).map(|r| format!("{} {}", r.category, r.received)).collect();
            e.lines.push(format!("Most common stage 1 complaint categories {year}: {}.", top.join(", ")));
        }
        "resolution" | "resolution1" | "resolution2" => {
            let keys: Vec<&str> = match hook {
                "resolution1" => vec!["1"],
                "resolution2" => vec!["2"],
                _ => c.m.resolution.keys().map(String::as_str).collect(),
            };
            for k in keys {
                if let Some(p) = c.m.resolution.get(k) {
                    e.lines.push(format!("Complaints closed {year} that were resolved at stage {k}: {}.", share(p)));
                }
            }
        }
        "timeliness" => {
            for s in &c.m.stages {
                e.lines.push(format!(
                    "Stage {}: {} within the Code's timescale; {} within an extension ({} responses).",
                    s.stage,
                    pct(&Prop::new(s.on_time, s.responses)),
                    pct(&Prop::new(s.on_time_extended, s.responses)),
                    s.responses
                ));
            }
        }
        "extensions" => {
            for s in &c.m.stages {
                e.lines.push(format!("Stage {}: {} responses within an extension; {} beyond the maximum extension.", s.stage, s.on_time_extended, s.extension_over_max));
            }
        }
        "satisfaction" => match &c.m.satisfaction {
            Some(s) => e.lines.push(format!("Residents surveyed after their complaint closed {year} who were satisfied with its handling: {}.", share(s))),
            None => {
                need(&mut e, &["satisfied"]);
            }
        },
        "repeat" => match &c.m.repeat {
            Some(r) => e.lines.push(format!(
                "Residents with {} or more stage 1 complaints in the 12 months to {}: {}; they made {} of the year's complaints.",
                r.threshold,
                long_date(c.year.end),
                r.complainants,
                r.complaints
            )),
            None => {
                need(&mut e, &["complainant_id"]);
            }
        },
        other => return Err(data(format!("form: unknown evidence check '{other}'"))),
    }
    Ok(e)
}

/// One row of the rendered form.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Provision number.
    pub number: String,
    /// Requirement.
    pub requirement: String,
    /// "Yes", "No", "N/A", "Not yet assessed" or "Introductory".
    pub comply: String,
    /// CSS class for the answer.
    pub comply_class: String,
    /// Evidence from the data.
    pub data: Vec<String>,
    /// Fields that would evidence it, when missing.
    pub missing: String,
    /// The landlord's evidence.
    pub evidence: String,
    /// The landlord's commentary.
    pub commentary: String,
    /// Why the data contradicts a declared "Yes".
    pub flag: String,
}

/// A section of the form.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// Section number.
    pub number: u32,
    /// Title.
    pub title: String,
    /// Rows.
    pub rows: Vec<Row>,
}

/// The rendered form.
#[derive(Debug, Clone, Serialize)]
pub struct FormView {
    /// Form title.
    pub title: String,
    /// Form name.
    pub name: String,
    /// Sections in order.
    pub sections: Vec<Section>,
    /// Counts: yes, no, n/a, not yet assessed, flagged.
    pub yes: usize,
    /// No answers.
    pub no: usize,
    /// Not applicable answers.
    pub not_applicable: usize,
    /// Provisions without an answer.
    pub not_assessed: usize,
    /// Rows whose "Yes" the data contradicts.
    pub flagged: usize,
    /// Rows with evidence from data.
    pub evidenced: usize,
    /// Threshold used for contradictions.
    pub threshold: String,
}

/// Fills in a form from the answers and the data.
pub fn fill(form: &Form, answers: &BTreeMap<String, Answer>, ctx: &Ctx) -> Result<FormView> {
    let mut sections: Vec<Section> = Vec::new();
    let (mut yes, mut no, mut na, mut not_assessed, mut flagged, mut evidenced) = (0, 0, 0, 0, 0, 0);
    for p in &form.provision {
        let answer = answers.get(&p.number);
        let mut data = Vec::new();
        let mut missing = Vec::new();
        let mut contradicts = Vec::new();
        for hook in &p.evidence {
            let e = evidence(hook, ctx)?;
            data.extend(e.lines);
            missing.extend(e.missing);
            contradicts.extend(e.contradicts);
        }
        missing.sort();
        missing.dedup();
        if !data.is_empty() {
            evidenced += 1;
        }
        let comply = answer.and_then(|a| a.comply);
        let (label, class) = match (p.introductory, comply) {
            (true, _) => ("Introductory", "intro"),
            (false, None) if p.from_data && !data.is_empty() => ("Answered from data", "data"),
            (false, Some(Comply::Yes)) => ("Yes", "yes"),
            (false, Some(Comply::No)) => ("No", "no"),
            (false, Some(Comply::NotApplicable)) => ("N/A", "na"),
            (false, None) => ("Not yet assessed", "unassessed"),
        };
        let answered_by_data = p.from_data && comply.is_none() && !data.is_empty();
        if !(p.introductory || answered_by_data) {
            match comply {
                Some(Comply::Yes) => yes += 1,
                Some(Comply::No) => no += 1,
                Some(Comply::NotApplicable) => na += 1,
                None => not_assessed += 1,
            }
        }
        let flag = if comply == Some(Comply::Yes) && !contradicts.is_empty() {
            flagged += 1;
            format!("Answered Yes, but the data shows {}.", contradicts.join("; and "))
        } else {
            String::new()
        };
        let row = Row {
            number: p.number.clone(),
            requirement: p.requirement.clone(),
            comply: label.into(),
            comply_class: class.into(),
            data,
            missing: if missing.is_empty() {
                String::new()
            } else {
                format!("Not in the data: the fields {} would evidence this.", missing.join(", "))
            },
            evidence: answer.map(|a| a.evidence.clone()).unwrap_or_default(),
            commentary: answer.map(|a| a.commentary.clone()).unwrap_or_default(),
            flag,
        };
        match sections.last_mut() {
            Some(s) if s.number == p.section => s.rows.push(row),
            _ => sections.push(Section { number: p.section, title: p.section_title.clone(), rows: vec![row] }),
        }
    }
    Ok(FormView {
        title: form.title.clone(),
        name: form.name.clone(),
        sections,
        yes,
        no,
        not_applicable: na,
        not_assessed,
        flagged,
        evidenced,
        threshold: format!("{:.0}%", ctx.threshold),
    })
}
