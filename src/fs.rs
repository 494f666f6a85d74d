//! The file system as the commands use it: output written atomically (a temporary file renamed
//! into place) and never over an input; template and form overrides read from `--templates DIR`.

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
    write_atomic_parts(path, [bytes])
}

/// Writes `parts` one after another to `path`, as `write_atomic` does: a large output written
/// as it was made, in blocks, without joining them first.
pub fn write_atomic_parts<'a>(path: &Path, parts: impl IntoIterator<Item = &'a [u8]>) -> Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        for bytes in parts {
            f.write_all(bytes)?;
        }
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

/// Reads a text file the user pointed at, naming it in the error.
pub fn read_text(path: &Path, what: &str) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| usage(format!("{}: cannot read the {what}: {e}", path.display())))
}

/// The templates in `dir` that override built-in ones of the same names: (name, text).
pub fn template_overrides(dir: Option<&Path>) -> Result<Vec<(String, String)>> {
    let Some(dir) = dir else { return Ok(Vec::new()) };
    if !dir.is_dir() {
        return Err(usage(format!("--templates {}: not a folder", dir.display())));
    }
    let mut out = Vec::new();
    for (name, _) in crate::render::engine::BUILTIN {
        let path = dir.join(name);
        if path.exists() {
            out.push((name.to_string(), read_text(&path, "template")?));
        }
    }
    Ok(out)
}

/// A self-assessment form: `DIR/forms/NAME.toml` when the templates folder has one, else the
/// built-in form.
pub fn load_form(
    name: crate::render::assessment::FormName,
    dir: Option<&Path>,
) -> Result<crate::render::assessment::Form> {
    use crate::render::assessment::Form;
    match dir.map(|d| d.join("forms").join(format!("{}.toml", name.as_str()))).filter(|p| p.exists()) {
        Some(path) => Form::parse(&read_text(&path, "form")?, &path.display().to_string()),
        None => Form::parse(name.builtin(), &format!("built-in form {}", name.as_str())),
    }
}

/// The answers file, checked against both forms.
pub fn load_answers(path: &Path, dir: Option<&Path>) -> Result<crate::render::assessment::Answers> {
    use crate::render::assessment::{Answers, FormName};
    let text = read_text(path, "answers file")?;
    let (code, seed) = (load_form(FormName::Code2024, dir)?, load_form(FormName::Seed2020, dir)?);
    Answers::parse(&text, &path.display().to_string(), &code, &seed)
}
