//! The annual outputs: the self-assessment page (`complaints self-assessment`), the annual
//! complaints performance and service improvement report (`complaints annual-report`) and
//! `tsm.csv`, the year's CH01/CH02 data items in the Regulator's layout.

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Serialize;

use super::assessment::{fill, load_form, Answers, Ctx, FormView};
use super::charts::Chart;
use super::html;
use super::views::{self, long_date, LessonRow, TableView};
use crate::config::Profile;
use crate::error::usage;
use crate::metrics::model::Metrics;
use crate::metrics::{self, Request};
use crate::output::{prepare_out, write_atomic};
use crate::period::{Length, Period};
use crate::timeline::Timeline;
use crate::Loaded;

/// The self-assessment page.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentView {
    /// Landlord.
    pub landlord: String,
    /// "2024/25".
    pub year: String,
    /// Dates in words.
    pub dates: String,
    /// As-of in words.
    pub as_of: String,
    /// The Code profile the figures are measured against.
    pub profile: String,
    /// Input counts in words.
    pub input_line: String,
    /// Completed by.
    pub completed_by: String,
    /// Approved by.
    pub approved_by: String,
    /// The filled-in form.
    pub form: FormView,
    /// Tool and version.
    pub generator: String,
}

/// The annual report.
#[derive(Debug, Clone, Serialize)]
pub struct AnnualView {
    /// Everything the self-assessment shows (the report contains it).
    pub a: AssessmentView,
    /// Executive summary sentences.
    pub summary: Vec<String>,
    /// Year-on-year charts.
    pub charts: Vec<Chart>,
    /// Timeliness this year.
    pub stage_table: TableView,
    /// Categories.
    pub categories: TableView,
    /// Complaints not accepted, by reason (the types of complaint refused).
    pub not_accepted: TableView,
    /// Refusals to escalate, by reason.
    pub refusals: TableView,
    /// Refusals in words.
    pub refusal_line: String,
    /// Ombudsman figures.
    pub ombudsman: TableView,
    /// The Ombudsman's annual letter, from the answers file.
    pub ombudsman_letter: String,
    /// Ombudsman findings of non-compliance and other reports, from the answers file.
    pub ombudsman_findings: String,
    /// Service improvements from learning.
    pub lessons: Vec<LessonRow>,
    /// Lessons in words.
    pub lessons_line: String,
    /// TSM table.
    pub tsm: TableView,
    /// The governing body's response.
    pub governing_body_response: String,
    /// Tool and version.
    pub generator: String,
}

/// Metrics, the Code timeline and the evidence context for a year.
struct Year {
    period: Period,
    profile: Profile,
    metrics: Metrics,
    timeline: Timeline,
}

fn year_data(loaded: &Loaded, year: &Period) -> Result<Year> {
    if year.length != Length::Year {
        return Err(usage(format!("--year {}: give a financial year such as 2024/25", year.label)));
    }
    let profile = Profile::code_in_force(year.start);
    let computed = metrics::compute_full(loaded, &Request { period: year, profile: &profile, by: None, trend: 4 })?;
    Ok(Year { period: year.clone(), profile, metrics: computed.metrics, timeline: computed.own })
}

fn assessment_view(
    loaded: &Loaded,
    y: &Year,
    answers: &Answers,
    form_name: &str,
    templates: Option<&Path>,
) -> Result<AssessmentView> {
    let form = load_form(form_name, templates)?;
    let ctx = Ctx {
        loaded,
        m: &y.metrics,
        tl: &y.timeline,
        year: &y.period,
        threshold: answers.assessment.contradiction_below.unwrap_or(90.0),
    };
    let given = if form_name == "seed-2020" { &answers.seed_answers } else { &answers.answers };
    let c = loaded.cases.ledger.counts();
    Ok(AssessmentView {
        landlord: if loaded.config.landlord.is_empty() { "Landlord".into() } else { loaded.config.landlord.clone() },
        year: y.period.label.clone(),
        dates: format!("{} to {}", long_date(y.period.start), long_date(y.period.end)),
        as_of: long_date(y.period.as_of),
        profile: format!("{} ({})", y.profile.name, y.profile.description),
        input_line: format!(
            "{}: {} rows read, {} used, {} rejected, {} duplicates superseded, {} values dropped.",
            c.files.join(", "),
            c.rows_read,
            c.rows_used,
            c.rows_rejected,
            c.duplicates,
            c.warnings
        ),
        completed_by: answers.assessment.completed_by.clone(),
        approved_by: answers.assessment.approved_by.clone(),
        form: fill(&form, given, &ctx)?,
        generator: format!("complaints {}", env!("CARGO_PKG_VERSION")),
    })
}

/// Writes `self-assessment.html`.
pub fn self_assessment(
    loaded: &Loaded,
    year: &Period,
    answers: &Path,
    form: &str,
    templates: Option<&Path>,
    out: &Path,
    inputs: &[PathBuf],
) -> Result<PathBuf> {
    prepare_out(out, &["self-assessment.html"], inputs)?;
    let answers = Answers::load(answers, templates)?;
    let tera = html::engine(templates)?;
    let y = year_data(loaded, year)?;
    let view = assessment_view(loaded, &y, &answers, form, templates)?;
    let page = html::render(&tera, "self-assessment.html.tera", &view)?;
    let path = out.join("self-assessment.html");
    write_atomic(&path, page.as_bytes())?;
    Ok(path)
}

/// Writes `annual-report.html` and `tsm.csv`.
pub fn annual_report(
    loaded: &Loaded,
    year: &Period,
    answers: &Path,
    templates: Option<&Path>,
    out: &Path,
    inputs: &[PathBuf],
) -> Result<Vec<PathBuf>> {
    prepare_out(out, &["annual-report.html", "tsm.csv"], inputs)?;
    let answers = Answers::load(answers, templates)?;
    let tera = html::engine(templates)?;
    let y = year_data(loaded, year)?;
    let a = assessment_view(loaded, &y, &answers, "code-2024", templates)?;
    let m = &y.metrics;
    let e = &m.escalation;
    let lessons = if m.lessons.is_some() { views::lessons(&y.timeline.df, &y.period)? } else { Vec::new() };
    let view = AnnualView {
        summary: views::summary(m, m.trend.last()),
        charts: views::trend_charts(m, "year"),
        stage_table: views::stage_table(m),
        categories: views::category_table("Stage 1 complaints by category", "Category", &m.by_category),
        not_accepted: views::counts_table("Types of complaint not accepted, by reason", "Reason", "Complaints", &m.not_accepted.by_reason),
        refusals: views::counts_table("Refusals to escalate, by reason", "Reason", "Refusals", &e.by_reason),
        refusal_line: format!(
            "{} residents asked to escalate to stage 2; {} requests were refused, {} of them with the reason explained in writing.",
            e.requests, e.refused, e.refused_explained
        ),
        ombudsman: match &m.ombudsman {
            Some(o) => {
                let mut map = o.determinations.clone();
                map.insert("Referrals notified in the year".into(), o.referrals);
                views::counts_table("Housing Ombudsman referrals and determinations", "", "Count", &map)
            }
            None => views::counts_table("Housing Ombudsman: not recorded in the export", "", "Count", &Default::default()),
        },
        ombudsman_letter: answers.assessment.ombudsman_annual_letter.clone(),
        ombudsman_findings: answers.assessment.ombudsman_findings.clone(),
        lessons_line: match &m.lessons {
            Some(l) => format!("{} lessons were recorded for complaints closed in the year; {} actions were overdue on {}.", l.recorded, l.overdue, long_date(y.period.as_of)),
            None => "Not recorded: the export has no lessons learned.".into(),
        },
        lessons,
        tsm: views::tsm_table(m),
        governing_body_response: answers.assessment.governing_body_response.clone(),
        generator: a.generator.clone(),
        a,
    };
    let page = html::render(&tera, "annual-report.html.tera", &view)?;
    let report = out.join("annual-report.html");
    write_atomic(&report, page.as_bytes())?;
    let tsm = out.join("tsm.csv");
    write_atomic(&tsm, tsm_csv(m, &loaded.config.landlord)?.as_bytes())?;
    Ok(vec![report, tsm])
}

/// The year's TSM complaints data items in the layout of the Regulator's published data (CH01/CH02
/// values, numerators and denominators, and responses within timescale without and with an
/// extension, for LCRA, LCHO and Combined). Values the data cannot give are left blank.
pub fn tsm_csv(m: &Metrics, landlord: &str) -> Result<String> {
    let t = &m.tsm;
    let mut headers = vec![
        "landlord_name".to_string(),
        "reporting_year".to_string(),
        "year_to".to_string(),
        "code_profile".to_string(),
    ];
    let mut row = vec![
        super::super::metrics::output::formula_safe(landlord),
        t.year.clone(),
        t.end.to_string(),
        t.profile.clone(),
    ];
    let n = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
    let f = |v: Option<f64>| v.map(|v| format!("{v:.1}")).unwrap_or_default();
    let tenures = [
        ("LCRA", &t.ch01.stage1.lcra, &t.ch02.stage1.lcra, &t.ch01.stage2.lcra, &t.ch02.stage2.lcra),
        ("LCHO", &t.ch01.stage1.lcho, &t.ch02.stage1.lcho, &t.ch01.stage2.lcho, &t.ch02.stage2.lcho),
        (
            "Combined",
            &t.ch01.stage1.combined,
            &t.ch02.stage1.combined,
            &t.ch01.stage2.combined,
            &t.ch02.stage2.combined,
        ),
    ];
    for (g, c11, c21, c12, c22) in tenures {
        for (suffix, value) in
            [("CH01_1", f(c11.per_1000)), ("CH02_1", f(c21.pct)), ("CH01_2", f(c12.per_1000)), ("CH02_2", f(c22.pct))]
        {
            headers.push(format!("{g}_{suffix}"));
            row.push(value);
        }
    }
    for (g, c11, c21, c12, c22) in tenures {
        let items = [
            ("CH01_1_Numerator", n(c11.num)),
            ("CH01_1_Denominator", n(c11.den)),
            ("CH02_1_Numerator", n(c21.num)),
            ("CH02_1_Denominator", n(c21.den)),
            ("S1_within_without_extension", n(c21.within_without_extension)),
            ("S1_within_with_extension", n(c21.within_with_extension)),
            ("CH01_2_Numerator", n(c12.num)),
            ("CH01_2_Denominator", n(c12.den)),
            ("CH02_2_Numerator", n(c22.num)),
            ("CH02_2_Denominator", n(c22.den)),
            ("S2_within_without_extension", n(c22.within_without_extension)),
            ("S2_within_with_extension", n(c22.within_with_extension)),
        ];
        for (suffix, value) in items {
            headers.push(format!("{g}_{suffix}"));
            row.push(value);
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&headers)?;
    w.write_record(&row)?;
    Ok(String::from_utf8(w.into_inner()?)?)
}
