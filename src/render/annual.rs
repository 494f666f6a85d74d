//! The annual pages: the self-assessment (`complaints self-assessment`) and the annual complaints
//! performance and service improvement report (`complaints annual-report`), which contains it.

use serde::Serialize;

use super::assessment::evidence::Ctx;
use super::assessment::{fill, Answers, Form, FormView};
use super::board::{self, Count, LessonRow, StageColumn, TsmRow};
use super::charts::Chart;
use super::governance::{ombudsman_view, tracked_actions, OmbudsmanView, TrackedAction};
use crate::config::{Config, Profile};
use crate::ingest::quality::InputCounts;
use crate::metrics::handling::Handling;
use crate::metrics::lessons::LessonGroup;
use crate::metrics::model::{Metrics, PeriodInfo};
use crate::period::Period;

/// The self-assessment page.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentView {
    /// Landlord.
    pub landlord: String,
    /// The year.
    pub period: PeriodInfo,
    /// The Code profile the figures are measured against.
    pub profile: Profile,
    /// Input files as given.
    pub files: Vec<String>,
    /// Input counts.
    pub input: InputCounts,
    /// Headers read from their words or left unused, explained.
    pub unsure_columns: Vec<String>,
    /// Completed by.
    pub completed_by: String,
    /// Approved by.
    pub approved_by: String,
    /// The filled-in form.
    pub form: FormView,
    /// The working draft, marked so on every page, with notes and checks for whoever completes it.
    pub draft: bool,
    /// Tool and version.
    pub generator: String,
}

/// When the year's TSMs were measured.
#[derive(Debug, Clone, Serialize)]
pub struct Basis {
    /// As-of was taken from the export (its latest event) rather than given.
    pub from_export: bool,
    /// The TSMs measured at the year end, when the report's as-of is later.
    pub year_end: Option<crate::metrics::model::Tsm>,
}

/// The annual report.
#[derive(Debug, Clone, Serialize)]
pub struct AnnualView {
    /// When the TSMs were measured.
    pub basis: Basis,
    /// From complaints received in the year to the TSM count.
    pub tsm_bridge: Vec<board::BridgeRow>,
    /// CH02 at the year end, beside the report's (when the report is measured later).
    pub tsm_year_end: Vec<TsmRow>,
    /// Everything the self-assessment shows (the report contains it).
    pub a: AssessmentView,
    /// The year's figures with the previous years as the trend.
    pub m: Metrics,
    /// Executive summary sentences.
    pub summary: Vec<String>,
    /// Year-on-year charts.
    pub charts: Vec<Chart>,
    /// Timeliness columns.
    pub stage_columns: Vec<StageColumn>,
    /// Complaints not accepted, by reason (the types of complaint refused).
    pub not_accepted_reasons: Vec<Count>,
    /// Refusals to escalate, by reason.
    pub refusal_reasons: Vec<Count>,
    /// Ombudsman determinations.
    pub determinations: Vec<Count>,
    /// The Ombudsman's annual letter, from the answers file.
    pub ombudsman_letter: String,
    /// Ombudsman findings of non-compliance and other reports, from the answers file.
    pub ombudsman_findings: String,
    /// Service improvements from learning.
    pub lessons: Vec<LessonRow>,
    /// TSM rows.
    pub tsm: Vec<TsmRow>,
    /// The governing body's response.
    pub governing_body_response: String,
    /// Tool and version.
    pub generator: String,
    /// The Member Responsible for Complaints.
    pub mrc: Option<crate::config::Mrc>,
    /// Their statement.
    pub mrc_statement: String,
    /// The Ombudsman's decisions, orders and failure orders in the year.
    pub ombudsman: Option<OmbudsmanView>,
    /// Every action the self-assessment committed to, with where it stands.
    pub actions: Vec<TrackedAction>,
    /// The TSMs among peers (when configured).
    pub peers: Option<super::peers::PeersView>,
    /// The published return beside the case data (when the landlord's code is set and the
    /// year's return is published).
    pub tsm_check: Option<crate::peers::check::Check>,
}

/// What the annual pages are built from.
pub struct YearInput<'a> {
    /// The config.
    pub config: &'a Config,
    /// The year (cut at as-of).
    pub year: &'a Period,
    /// The Code profile in force for the year.
    pub profile: &'a Profile,
    /// The year's figures (with previous years as the trend).
    pub m: &'a Metrics,
    /// The self-assessment's data checks.
    pub handling: &'a Handling,
    /// Fields the data has.
    pub present: &'a dyn Fn(&str) -> bool,
    /// The answers file.
    pub answers: &'a Answers,
    /// The data-quality ledger (for the headers' meanings).
    pub ledger: &'a crate::ingest::quality::Ledger,
    /// The redactor for every free-text value (both pages are published).
    pub redactor: &'a crate::render::redact::Redactor,
    /// The Ombudsman casework.
    pub casework: &'a crate::ingest::casework::Casework,
    /// The published return beside the case data, when it can be made.
    pub tsm_check: Option<crate::peers::check::Check>,
}

/// The self-assessment page's view for one form.
pub fn assessment_view(input: &YearInput, form: &Form, draft: bool) -> AssessmentView {
    // A published page: the evidence quotes reasons as recorded, which can carry personal data.
    form_view(input, &super::published(input.m, input.redactor), form, draft)
}

/// `assessment_view` with the figures as published (`super::published`).
fn form_view(input: &YearInput, published: &Metrics, form: &Form, draft: bool) -> AssessmentView {
    let own_profile = input.config.own_profile();
    let ctx = Ctx {
        m: published,
        handling: input.handling,
        profile: input.profile,
        own_profile: &own_profile,
        year: input.year,
        present: input.present,
        threshold: input.answers.assessment.contradiction_below.unwrap_or(90.0),
        meta: &input.answers.assessment,
    };
    let given = if form.name == "seed-2020" { &input.answers.seed_answers } else { &input.answers.answers };
    let redact = |t: &str| input.redactor.redact(t);
    AssessmentView {
        landlord: super::landlord_name(input.config, "Landlord"),
        period: input.m.period.clone(),
        profile: input.profile.clone(),
        files: input.m.input.files.clone(),
        input: input.m.input.clone(),
        unsure_columns: board::file_rows(input.ledger)
            .iter()
            .flat_map(|f| f.columns.iter().filter(|c| c.unsure).map(|c| format!("\"{}\": {}", c.header, c.explain)))
            .collect(),
        completed_by: redact(&input.answers.assessment.completed_by),
        approved_by: redact(&input.answers.assessment.approved_by),
        form: fill(form, given, &ctx, &redact, draft),
        draft,
        generator: super::generator(),
    }
}

/// The annual report's view, with the lessons of complaints closed in the year.
pub fn annual_view(input: &YearInput, form: &Form, lessons: &[LessonGroup], basis: Basis) -> AnnualView {
    // A published page: category names and reasons as recorded can carry personal data.
    let published = super::published(input.m, input.redactor);
    let m = &published;
    let meta = &input.answers.assessment;
    let redact = |t: &str| input.redactor.redact(t);
    let tsm_year_end = basis
        .year_end
        .as_ref()
        .map(|t| {
            let mut at_end = m.clone();
            at_end.tsm = t.clone();
            board::tsm_rows(&at_end)
        })
        .unwrap_or_default();
    AnnualView {
        tsm_bridge: board::bridge_rows(&m.tsm.bridge),
        tsm_year_end,
        basis,
        a: form_view(input, m, form, false),
        m: m.clone(),
        // The summary quotes category names and what Ombudsman findings were about: redacted.
        summary: super::summary::summary(m, m.trend.last(), &input.config.targets).iter().map(|t| redact(t)).collect(),
        charts: board::trend_charts(m, "year"),
        stage_columns: board::stage_columns(m),
        not_accepted_reasons: board::sorted_counts(&m.not_accepted.by_reason),
        refusal_reasons: board::sorted_counts(&m.escalation.by_reason),
        determinations: m.ombudsman.as_ref().map(|o| board::sorted_counts(&o.determinations)).unwrap_or_default(),
        ombudsman_letter: redact(&meta.ombudsman_annual_letter),
        ombudsman_findings: redact(&meta.ombudsman_findings),
        lessons: board::lesson_rows(lessons)
            .into_iter()
            .map(|mut l| {
                l.theme = input.redactor.redact_identifiers(&l.theme);
                l.lesson = redact(&l.lesson);
                l.action = redact(&l.action);
                l.owner = String::new();
                l
            })
            .collect(),
        tsm: board::tsm_rows(m),
        governing_body_response: redact(&meta.governing_body_response),
        generator: super::generator(),
        mrc: input.config.mrc.clone(),
        mrc_statement: redact(&meta.mrc_statement),
        ombudsman: ombudsman_view(
            m,
            (input.present)("ombudsman_referred_date"),
            Some(input.answers),
            input.casework.not_in_export.len(),
            &redact,
        ),
        actions: tracked_actions(input.answers, m.period.as_of, &redact),
        peers: super::peers::view(m, &format!("us, {}", m.tsm.year)),
        tsm_check: input.tsm_check.clone(),
    }
}
