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
    stage(path, parts)?.commit()
}

/// An output written and synced to a temporary file beside its place, not yet renamed into it:
/// a large file can be written while other work goes on, and only put in place once everything
/// it goes with is ready. Dropped uncommitted, the temporary file is removed.
#[derive(Debug)]
pub struct Staged {
    tmp: PathBuf,
    path: PathBuf,
    committed: bool,
}

impl Staged {
    /// Renames the written file into its place.
    pub fn commit(mut self) -> Result<()> {
        let renamed = std::fs::rename(&self.tmp, &self.path);
        self.committed = renamed.is_ok();
        renamed.map_err(|e| cannot_write(&self.path, e))
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Writes `parts` to a temporary file beside `path` and syncs it (see `Staged`).
pub fn stage<'a>(path: &Path, parts: impl IntoIterator<Item = &'a [u8]>) -> Result<Staged> {
    let mut staging = staging(path)?;
    for bytes in parts {
        staging.write(bytes)?;
    }
    staging.finish()
}

/// A `Staged` output being written, a part at a time as each is made.
pub struct Staging {
    file: std::fs::File,
    staged: Staged,
}

/// Starts writing `path` to a temporary file beside it (see `Staged`).
pub fn staging(path: &Path) -> Result<Staging> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let file = std::fs::File::create(&tmp).map_err(|e| cannot_write(path, e))?;
    Ok(Staging { file, staged: Staged { tmp, path: path.to_path_buf(), committed: false } })
}

impl Staging {
    /// Appends `bytes`.
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.file.write_all(bytes).map_err(|e| cannot_write(&self.staged.path, e))
    }

    /// Syncs what was written: staged, ready to be put in place.
    pub fn finish(self) -> Result<Staged> {
        self.file.sync_all().map_err(|e| cannot_write(&self.staged.path, e))?;
        Ok(self.staged)
    }

    /// `finish` on a thread of its own (syncing waits on the disk, not the cores).
    pub fn finish_beside(self) -> Syncing {
        Syncing(Some(std::thread::spawn(move || self.finish())))
    }
}

/// A `Staging` being finished on a thread of its own: waited for when asked, or when dropped, so
/// that no temporary file outlives the program.
pub struct Syncing(Option<std::thread::JoinHandle<Result<Staged>>>);

impl Syncing {
    /// The staged file, once synced.
    pub fn wait(mut self) -> Result<Staged> {
        match self.0.take().map(std::thread::JoinHandle::join) {
            Some(Ok(staged)) => staged,
            _ => Err(anyhow::anyhow!("an output was not written")),
        }
    }
}

impl Drop for Syncing {
    fn drop(&mut self) {
        if let Some(thread) = self.0.take() {
            // The staged file, if any, is dropped with the result: its temporary file removed.
            let _ = thread.join();
        }
    }
}

fn cannot_write(path: &Path, e: std::io::Error) -> anyhow::Error {
    usage(format!("{}: cannot write: {e}", path.display()))
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
