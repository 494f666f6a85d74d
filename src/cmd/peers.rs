//! `complaints peers import`: the Regulator's TSM workbook → the compact peers CSV.

use std::path::PathBuf;

use anyhow::Result;

use crate::peers::import;

/// What `peers import` needs.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The RSH workbook.
    pub workbook: PathBuf,
    /// The financial year of its returns.
    pub year: String,
    /// The CSV to write.
    pub out: PathBuf,
}

/// Writes the peers CSV and says how many landlords it holds.
pub fn import(o: &ImportOptions) -> Result<i32> {
    let published = import::import(&o.workbook, &o.year)?;
    if o.out == o.workbook {
        return Err(crate::error::usage("--out is the workbook itself; give another file"));
    }
    crate::fs::write_atomic(&o.out, published.to_csv()?.as_bytes())?;
    super::print(&format!(
        "wrote {} ({} landlords, {} returns, sheet {})\n",
        o.out.display(),
        published.landlords.len(),
        published.year,
        published.sheet
    ))?;
    Ok(0)
}
