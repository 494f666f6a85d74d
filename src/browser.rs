//! Printing a written page to PDF through a Chromium-family browser already on the machine
//! (Chromium, Google Chrome or Microsoft Edge), headless, with the browser's own header and
//! footer off: the page's print stylesheet gives the running header and the page numbers.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::error::usage;

/// Program names looked for on `PATH`.
const NAMES: [&str; 9] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "microsoft-edge",
    "microsoft-edge-stable",
    "msedge",
    "chrome.exe",
];

/// Where the browsers install themselves on Linux, macOS and Windows.
const USUAL: [&str; 12] = [
    "/usr/bin/chromium",
    "/usr/bin/google-chrome",
    "/snap/bin/chromium",
    "/opt/google/chrome/chrome",
    "/opt/microsoft/msedge/msedge",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    r"C:\Program Files\Microsoft\Edge\Application\msedge.exe",
];

/// How long a browser may take to print one page before it is stopped.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// The browser to print with: `given` (`--browser` or the config's `browser`), else the first of
/// the known names on `PATH`, else the usual install folders. `COMPLAINTS_BROWSER_DIRS` (folders
/// separated like `PATH`) replaces the usual folders, for a locked-down machine or a test.
pub fn find(given: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = given {
        if path.is_file() {
            return Ok(path.to_path_buf());
        }
        return Err(usage(format!(
            "--browser {}: no such program; give the path of Chromium, Google Chrome or Microsoft Edge (or drop --browser to search for one)",
            path.display()
        )));
    }
    let on_path: Vec<PathBuf> =
        std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect()).unwrap_or_default();
    let usual: Vec<PathBuf> = match std::env::var_os("COMPLAINTS_BROWSER_DIRS") {
        Some(dirs) => std::env::split_paths(&dirs).flat_map(|d| NAMES.iter().map(move |n| d.join(n))).collect(),
        None => USUAL.iter().map(PathBuf::from).collect(),
    };
    let candidates = on_path.iter().flat_map(|d| NAMES.iter().map(move |n| d.join(n))).chain(usual.iter().cloned());
    for c in candidates {
        if c.is_file() {
            return Ok(c);
        }
    }
    Err(usage(format!(
        "--pdf: no Chromium-family browser found (looked for {} on PATH and in {}); install Chromium, or give its path with --browser PATH or browser = \"…\" in the config — the HTML was written",
        NAMES.join(", "),
        if std::env::var_os("COMPLAINTS_BROWSER_DIRS").is_some() {
            "COMPLAINTS_BROWSER_DIRS".to_string()
        } else {
            "the usual install folders".to_string()
        }
    )))
}

/// Prints `html` to `pdf` with `browser`, stopping it after `timeout`. The PDF appears whole or
/// not at all: it is printed to a temporary name beside it and renamed when it is a PDF.
pub fn print_pdf(browser: &Path, html: &Path, pdf: &Path, timeout: Duration) -> Result<()> {
    let html = std::fs::canonicalize(html).map_err(|e| usage(format!("{}: {e}", html.display())))?;
    let dir = pdf.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = pdf.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "out.pdf".into());
    let part = dir.join(format!(".{name}.{}.part", std::process::id()));
    let profile = std::env::temp_dir().join(format!("complaints-browser-{}-{}", std::process::id(), name));
    let result = run(browser, &html, &part, &profile, timeout);
    let _ = std::fs::remove_dir_all(&profile);
    let checked = result.and_then(|()| {
        let head = std::fs::read(&part).map(|b| b.starts_with(b"%PDF")).unwrap_or(false);
        if head {
            std::fs::rename(&part, pdf).map_err(|e| usage(format!("{}: cannot write: {e}", pdf.display())))
        } else {
            Err(usage(format!("{}: the browser {} wrote no PDF", pdf.display(), browser.display())))
        }
    });
    if checked.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    checked
}

fn run(browser: &Path, html: &Path, part: &Path, profile: &Path, timeout: Duration) -> Result<()> {
    let url = format!("file://{}", html.display().to_string().replace('\\', "/").replace(' ', "%20"));
    let log = profile.with_extension("log");
    let log_file = std::fs::create_dir_all(profile)
        .and_then(|()| std::fs::File::create(&log))
        .map_err(|e| usage(format!("{}: cannot make a browser profile: {e}", profile.display())))?;
    let mut child = Command::new(browser)
        .args([
            "--headless",
            // The page is a local file the tool just wrote; the sandbox cannot start as root.
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            "--print-to-pdf-no-header",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", part.display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log_file)
        .spawn()
        .map_err(|e| usage(format!("{}: cannot run the browser: {e}", browser.display())))?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| usage(format!("{}: {e}", browser.display())))? {
            break status;
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            let _ = std::fs::remove_file(&log);
            return Err(usage(format!(
                "{}: the browser did not finish printing within {} s and was stopped; the HTML was written",
                browser.display(),
                timeout.as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let said = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    if status.success() {
        return Ok(());
    }
    let last = said.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
    Err(usage(format!(
        "{}: the browser failed ({status}){}; the HTML was written",
        browser.display(),
        if last.is_empty() { String::new() } else { format!(": {last}") }
    )))
}

/// The time limit: `COMPLAINTS_BROWSER_TIMEOUT` seconds when set (for slow machines), else
/// `TIMEOUT`.
pub fn timeout() -> Duration {
    std::env::var("COMPLAINTS_BROWSER_TIMEOUT")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
        .unwrap_or(TIMEOUT)
}
