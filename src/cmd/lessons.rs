//! `complaints lessons`: the residents' lessons-learned page (or the internal review copy).

use std::path::PathBuf;

use anyhow::Result;

use super::Measure;
use crate::metrics::{self, lessons, Request};
use crate::render::engine;
use crate::render::lessons::{self as page, LessonsInput, OUTPUT};
use crate::render::redact::Redactor;
use crate::{Inputs, Loaded};

/// What `lessons` needs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The files and config.
    pub inputs: Inputs,
    /// Period, as-of and profile.
    pub measure: Measure,
    /// Include lessons not approved for publication (internal review copy).
    pub include_unapproved: bool,
    /// Template overrides.
    pub templates: Option<PathBuf>,
    /// The folder to write into.
    pub out: PathBuf,
}

/// The redactor for this data: the config's patterns, every case and complainant reference, and
/// every staff and owner name.
pub fn redactor(loaded: &Loaded) -> Result<Redactor> {
    let cases = &loaded.cases;
    let mut identifiers = cases.texts("case_id");
    identifiers.extend(cases.texts("complainant_id"));
    let mut names = cases.texts("lesson_owner");
    names.extend(cases.texts("s1_handler"));
    names.extend(cases.texts("s2_handler"));
    Redactor::new(&loaded.config.redact_patterns, identifiers, names)
}

/// Writes `lessons.html`.
pub fn run(o: &Options) -> Result<i32> {
    let loaded = crate::load(&o.inputs)?;
    let (period, profile) = super::resolve(&loaded.config, &o.measure)?;
    let path = o.out.join(OUTPUT);
    crate::fs::prepare_out(&o.out, &[OUTPUT], &o.inputs.files)?;
    let tera = engine::engine(&crate::fs::template_overrides(o.templates.as_deref())?)?;
    let computed = metrics::compute_full(&loaded, &Request { period: &period, profile: &profile, by: None, trend: 0 })?;
    let records = lessons::closed_records(&computed.timelines.own.df, &period, o.include_unapproved)?;
    let redactor = redactor(&loaded)?;
    let view = page::view(LessonsInput {
        config: &loaded.config,
        profile: &profile,
        m: &computed.metrics,
        lessons: lessons::group_for_residents(records),
        redactor: &redactor,
        unapproved: o.include_unapproved,
    });
    crate::fs::write_atomic(&path, engine::render(&tera, "lessons.html.tera", &view)?.as_bytes())?;
    super::print_written(&[path]);
    Ok(0)
}
