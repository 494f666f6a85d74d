//! Tera rendering: the built-in templates are compiled into the binary; a `--templates DIR`
//! holding files of the same names overrides them. Autoescaping is on for every template.

use std::path::Path;

use anyhow::{Context, Result};
use tera::Tera;

use crate::error::usage;

/// The built-in templates: (name, source).
pub const BUILTIN: [(&str, &str); 6] = [
    ("base.html.tera", include_str!("../../templates/base.html.tera")),
    ("macros.html.tera", include_str!("../../templates/macros.html.tera")),
    ("board-report.html.tera", include_str!("../../templates/board-report.html.tera")),
    ("lessons.html.tera", include_str!("../../templates/lessons.html.tera")),
    ("self-assessment.html.tera", include_str!("../../templates/self-assessment.html.tera")),
    ("annual-report.html.tera", include_str!("../../templates/annual-report.html.tera")),
];

/// A template engine with the built-ins, overridden by any same-named files in `dir`.
pub fn engine(dir: Option<&Path>) -> Result<Tera> {
    let mut tera = Tera::default();
    // Autoescape every template we render, whatever its suffix.
    tera.autoescape_on(vec![".html.tera", ".html"]);
    let mut sources: Vec<(String, String)> = BUILTIN.iter().map(|(n, s)| (n.to_string(), s.to_string())).collect();
    if let Some(dir) = dir {
        if !dir.is_dir() {
            return Err(usage(format!("--templates {}: not a folder", dir.display())));
        }
        for (name, source) in sources.iter_mut() {
            let path = dir.join(name.as_str());
            if path.exists() {
                *source = std::fs::read_to_string(&path)
                    .map_err(|e| usage(format!("{}: cannot read: {e}", path.display())))?;
            }
        }
    }
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
