//! Writing output files: atomically (a temporary file renamed into place) and never over an input.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::error::usage;

/// Refuses an output path that is one of the input files.
pub fn refuse_inputs(out: &Path, inputs: &[PathBuf]) -> Result<()> {
    let canon = |p: &Path| std::fs::canonicalize(p).ok();
    let out_c = canon(out);
    for input in inputs {
        if input == out || (out_c.is_some() && canon(input) == out_c) {
            return Err(usage(format!("{}: is an input file; choose another output path", out.display())));
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file in the same folder, renamed into place.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        usage(format!("{}: cannot write: {e}", path.display()))
    })
}

/// Gets an output folder ready: refuses a folder that is an input file or whose `names` would
/// replace an input, then creates it.
pub fn prepare_out(out: &Path, names: &[&str], inputs: &[PathBuf]) -> Result<()> {
    if out.is_file() {
        refuse_inputs(out, inputs)?;
        return Err(usage(format!("--out {}: is a file; give a folder", out.display())));
    }
    for n in names {
        refuse_inputs(&out.join(n), inputs)?;
    }
    std::fs::create_dir_all(out).map_err(|e| usage(format!("{}: cannot create the folder: {e}", out.display())))
}
