//! Tera rendering: the built-in templates are compiled into the binary; templates of the same
//! names read by the command from `--templates DIR` override them. Autoescaping is on for every
//! template, and the formatting filters (`filters.rs`) are registered.

use anyhow::{Context, Result};
use tera::Tera;

use crate::error::usage;

/// The built-in templates: (name, source).
pub const BUILTIN: [(&str, &str); 7] = [
    ("base.html.tera", include_str!("../../templates/base.html.tera")),
    ("macros.html.tera", include_str!("../../templates/macros.html.tera")),
    ("board-report.html.tera", include_str!("../../templates/board-report.html.tera")),
    ("lessons.html.tera", include_str!("../../templates/lessons.html.tera")),
    ("lessons-review.html.tera", include_str!("../../templates/lessons-review.html.tera")),
    ("self-assessment.html.tera", include_str!("../../templates/self-assessment.html.tera")),
    ("annual-report.html.tera", include_str!("../../templates/annual-report.html.tera")),
];

/// A template engine with the built-ins, each replaced by an override of the same name.
pub fn engine(overrides: &[(String, String)]) -> Result<Tera> {
    let mut tera = Tera::default();
    // Autoescape every template we render, whatever its suffix.
    tera.autoescape_on(vec![".html.tera", ".html"]);
    super::filters::register(&mut tera);
    let sources: Vec<(String, String)> = BUILTIN
        .iter()
        .map(|(name, source)| {
            let text = overrides.iter().find(|(n, _)| n == name).map(|(_, t)| t.as_str()).unwrap_or(source);
            (name.to_string(), text.to_string())
        })
        .collect();
    tera.add_raw_templates(sources).map_err(|e| usage(format!("templates: {}", describe(&e))))?;
    Ok(tera)
}

/// Renders one template with a serialisable view under the name `r`.
pub fn render<T: serde::Serialize>(tera: &Tera, name: &str, view: &T) -> Result<String> {
    let mut ctx = tera::Context::new();
    ctx.insert("r", view);
    tera.render(name, &ctx)
        .map_err(|e| usage(format!("template {name}: {}", describe(&e))))
        .context("rendering the report")
}

/// Tera's error and its causes on one line.
fn describe(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}
