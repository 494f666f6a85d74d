//! `complaints init`: writes a commented example config to start from.

use std::path::PathBuf;

use anyhow::Result;

use crate::error::usage;

/// What `init` needs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where to write.
    pub path: PathBuf,
    /// Overwrite an existing file.
    pub force: bool,
}

/// Writes the example config.
pub fn run(o: &Options) -> Result<i32> {
    if o.path.exists() && !o.force {
        return Err(usage(format!("{}: already exists; give another path or --force to overwrite", o.path.display())));
    }
    crate::fs::write_atomic(&o.path, crate::config::EXAMPLE.as_bytes())?;
    println!(
        "Wrote {}: edit the landlord, homes and profile, then run `complaints validate FILE --config {}`.",
        o.path.display(),
        o.path.display()
    );
    Ok(0)
}
