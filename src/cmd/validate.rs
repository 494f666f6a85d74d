//! `complaints validate`: reads the exports and prints the data-quality ledger.

use anyhow::Result;

use crate::output::ledger::{self, Format};
use crate::Inputs;

/// What `validate` needs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The files and config.
    pub inputs: Inputs,
    /// Text for a person, JSON for a program.
    pub format: Format,
}

/// Prints the ledger; exit 1 when any row (of the case export or the casework file) was rejected.
pub fn run(o: &Options) -> Result<i32> {
    // Only the ledger is printed: the table is made with only the columns it reads.
    let loaded = crate::load_for_ledger(&o.inputs)?;
    super::print(&ledger::render(&loaded.cases.ledger, &loaded.casework, o.format)?)?;
    let clean = loaded.cases.ledger.rejected.is_empty() && loaded.casework.rejected.is_empty();
    Ok(if clean { 0 } else { 1 })
}
