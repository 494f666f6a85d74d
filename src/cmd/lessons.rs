//! `complaints lessons`: the residents' lessons-learned page (or the internal review copy).

use std::path::PathBuf;

use anyhow::Result;

use super::Measure;
use crate::metrics::{self, lessons, Request};
use crate::render::engine;
use crate::render::lessons::{self as page, LessonsInput, OUTPUT};
use crate::Inputs;

/// The review page's file name.
pub const REVIEW: &str = "lessons-review.html";

/// What `lessons` needs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The files and config.
    pub inputs: Inputs,
    /// Period, as-of and profile.
    pub measure: Measure,
    /// Include lessons not approved for publication (internal review copy).
    pub include_unapproved: bool,
    /// Also write lessons-review.html: every lesson with its removals and suspects marked.
    pub review: bool,
    /// Template overrides.
    pub templates: Option<PathBuf>,
    /// The folder to write into.
    pub out: PathBuf,
    /// Whether to print the page to PDF too.
    pub pdf: super::Pdf,
}

/// Writes `lessons.html`.
pub fn run(o: &Options) -> Result<i32> {
    let prepared = super::prepare_redaction();
    let (loaded, (period, profile, tera)) = crate::load_after(&o.inputs, |config, calendar| {
        let (period, profile) = super::resolve(config, calendar, &o.measure)?;
        crate::fs::prepare_out(&o.out, &[OUTPUT, REVIEW], &o.inputs.files)?;
        Ok((period, profile, engine::engine(&crate::fs::template_overrides(o.templates.as_deref())?)?))
    })?;
    let path = o.out.join(OUTPUT);
    let computed = metrics::compute_full(&loaded, &Request { period: &period, profile: &profile, by: None, trend: 0 })?;
    let redactor = super::redactor(&loaded, prepared)?;
    let all = lessons::group_for_residents(lessons::closed_records(&computed.timelines.own.df, &period, true)?);
    let shown: Vec<_> = all.iter().filter(|l| l.approved || o.include_unapproved).cloned().collect();
    let review = page::review(&loaded.config, &computed.metrics, &all, &redactor, o.include_unapproved);
    let view = page::view(LessonsInput {
        config: &loaded.config,
        profile: &profile,
        m: &computed.metrics,
        lessons: shown,
        redactor: &redactor,
        unapproved: o.include_unapproved,
    });
    crate::fs::write_atomic(&path, engine::render(&tera, "lessons.html.tera", &view)?.as_bytes())?;
    let mut written = vec![path];
    if o.review {
        let review_path = o.out.join(REVIEW);
        crate::fs::write_atomic(&review_path, engine::render(&tera, "lessons-review.html.tera", &review)?.as_bytes())?;
        written.push(review_path);
    }
    super::print_written(&written)?;
    super::print_pdfs(&written, &o.pdf, &loaded.config)?;
    if review.suspects > 0 {
        let see = if o.review { format!("see {REVIEW}") } else { "run again with --review to see them".to_string() };
        eprintln!(
            "{} suspected personal-data items left for review: {see}",
            crate::format::thousands(review.suspects as u64)
        );
    }
    Ok(0)
}
