//! The metrics.json document.

use anyhow::Result;

use crate::metrics::model::Metrics;

/// The JSON document (SPEC §6 keys).
pub fn to_json(m: &Metrics) -> Result<String> {
    Ok(serde_json::to_string_pretty(m)? + "\n")
}
