//! Rendering: typed figures in, self-contained HTML out. Views (`board`, `lessons`, `annual`,
//! `assessment`) arrange the figures; `charts` draws SVG; `engine` runs tera with the `filters`;
//! `redact` cleans text for publication. Nothing here runs a data-frame query or touches the
//! file system.

pub mod annual;
pub mod assessment;
pub mod board;
pub mod charts;
pub mod engine;
pub mod filters;
pub mod governance;
pub mod lessons;
pub mod peers;
pub mod redact;
pub mod summary;

use crate::config::Config;

/// The landlord's name from the config, or `fallback` when none is set.
pub fn landlord_name(config: &Config, fallback: &str) -> String {
    if config.landlord.is_empty() {
        fallback.into()
    } else {
        config.landlord.clone()
    }
}

/// Tool and version, for the pages' footers.
pub fn generator() -> String {
    format!("complaints {}", env!("CARGO_PKG_VERSION"))
}
