//! `complaints self-assessment`: the Ombudsman self-assessment form for a financial year.

use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::NaiveDate;

use crate::config::Profile;
use crate::error::usage;
use crate::metrics::handling::{self, Handling};
use crate::metrics::model::Metrics;
use crate::metrics::{self, Computed, Request};
use crate::period::{Length, Period};
use crate::render::annual::{self, YearInput};
use crate::render::assessment::{FormName, FormView};
use crate::render::engine;
use crate::{Inputs, Loaded};

/// What `self-assessment` needs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The files and config.
    pub inputs: Inputs,
    /// The financial year, e.g. "2024/25".
    pub year: String,
    /// The date the data is true at.
    pub as_of: Option<NaiveDate>,
    /// The answers file (else the config's `answers`).
    pub answers: Option<PathBuf>,
    /// Which form.
    pub form: FormName,
    /// The form to publish: no internal notes, and every "No" and flagged "Yes" must carry
    /// commentary and an action with an owner and a date.
    pub final_form: bool,
    /// Template and form overrides.
    pub templates: Option<PathBuf>,
    /// The folder to write into.
    pub out: PathBuf,
    /// Whether to print the page to PDF too.
    pub pdf: super::Pdf,
}

/// A financial year's figures against the Code in force, with four years of trend.
pub struct Year {
    /// The year (cut at as-of).
    pub period: Period,
    /// The Code profile in force.
    pub profile: Profile,
    /// The figures and timelines.
    pub computed: Computed,
    /// The self-assessment's data checks.
    pub handling: Handling,
}

impl Year {
    /// The year's figures.
    pub fn metrics(&self) -> &Metrics {
        &self.computed.metrics
    }

    /// What the annual pages are built from, for this year.
    pub fn input<'a>(
        &'a self,
        loaded: &'a Loaded,
        present: &'a dyn Fn(&str) -> bool,
        answers: &'a crate::render::assessment::Answers,
        redactor: &'a crate::render::redact::Redactor,
        tsm_check: Option<crate::peers::check::Check>,
    ) -> YearInput<'a> {
        YearInput {
            config: &loaded.config,
            year: &self.period,
            profile: &self.profile,
            m: self.metrics(),
            handling: &self.handling,
            present,
            answers,
            ledger: &loaded.cases.ledger,
            redactor,
            casework: &loaded.casework,
            tsm_check,
        }
    }
}

/// `--year`: a financial year, at `as_of` when given.
pub fn financial_year(text: &str, as_of: Option<NaiveDate>) -> Result<Period> {
    let period = Period::parse(text, as_of)?;
    if period.length != Length::Year {
        return Err(usage(format!("--year {}: give a financial year such as 2024/25", period.label)));
    }
    Ok(period)
}

/// What the self-assessment and the annual report need besides the data, read before it: the
/// answers file (and its path), the form, the templates; `--year` checked.
pub struct Prepared {
    /// The answers file's path.
    pub answers_path: PathBuf,
    /// The landlord's answers.
    pub answers: crate::render::assessment::Answers,
    /// The form.
    pub form: crate::render::assessment::Form,
    /// The templates.
    pub tera: tera::Tera,
}

/// Reads and checks everything a year's page needs but the data.
pub fn prepare(
    config: &crate::config::Config,
    year: &str,
    form: FormName,
    answers: Option<&PathBuf>,
    templates: Option<&Path>,
) -> Result<Prepared> {
    financial_year(year, None)?;
    let answers_path = super::answers_path(answers, config)?;
    Ok(Prepared {
        answers: crate::fs::load_answers(&answers_path, templates)?,
        answers_path,
        form: crate::fs::load_form(form, templates)?,
        tera: engine::engine(&crate::fs::template_overrides(templates)?)?,
    })
}

/// Measures a financial year.
pub fn year(loaded: &Loaded, text: &str, as_of: Option<NaiveDate>) -> Result<Year> {
    let period = financial_year(text, as_of)?;
    let profile = Profile::code_in_force(period.start);
    let computed = metrics::compute_full(loaded, &Request { period: &period, profile: &profile, by: None, trend: 4 })?;
    let handling = handling::handling(loaded, &computed.timelines.own, &period)?;
    Ok(Year { period, profile, computed, handling })
}

/// Writes `self-assessment.html`.
pub fn run(o: &Options) -> Result<i32> {
    let prepared = super::prepare_redaction();
    let (loaded, Prepared { answers_path, answers, form, tera }) = crate::load_after(&o.inputs, |config, _| {
        crate::fs::prepare_out(&o.out, &["self-assessment.html"], &o.inputs.files)?;
        prepare(config, &o.year, o.form, o.answers.as_ref(), o.templates.as_deref())
    })?;
    let y = year(&loaded, &o.year, o.as_of)?;
    let present = |f: &str| loaded.cases.present.contains(f);
    let redactor = super::redactor(&loaded, prepared)?;
    let input = y.input(&loaded, &present, &answers, &redactor, None);
    let view = annual::assessment_view(&input, &form, !o.final_form);
    if o.final_form {
        final_form_check(&view.form, &answers_path)?;
    }
    let path = o.out.join("self-assessment.html");
    crate::fs::write_atomic(&path, engine::render(&tera, "self-assessment.html.tera", &view)?.as_bytes())?;
    super::print_written(std::slice::from_ref(&path))?;
    super::print_pdfs(&[path], &o.pdf, &loaded.config)?;
    Ok(0)
}

/// A form to publish assesses every provision, and every "No" and every flagged "Yes" says what
/// is being done about it: one message naming every provision that stops it.
fn final_form_check(form: &FormView, answers: &Path) -> Result<()> {
    let mut problems = Vec::new();
    let unassessed = form.unassessed();
    if !unassessed.is_empty() {
        problems
            .push(format!("provisions {} have no answer (comply = \"yes\", \"no\" or \"n/a\")", unassessed.join(", ")));
    }
    let lacking = form.lacking_actions();
    if !lacking.is_empty() {
        problems.push(format!(
            "provisions {} answered No, or Yes where the data shows a shortfall, need commentary and at least one action with an owner and a due date (actions = [{{ action = \"…\", owner = \"…\", due = 2026-06-30 }}])",
            lacking.join(", ")
        ));
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(usage(format!(
        "--final: in {}, {}; the draft shows what the data found",
        answers.display(),
        problems.join("; and ")
    )))
}
