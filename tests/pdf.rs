//! `--pdf`: the page printed through a Chromium-family browser, and every way that can fail
//! leaving the HTML written and no partial PDF.

use std::path::Path;
use std::process::Command as Std;

use assert_cmd::Command;

const SAMPLE: &str = "sample-data/complaints-export.csv";
const CONFIG: &str = "sample-data/complaints.toml";

/// Runs `report --pdf` on the sample into `out` with extra arguments and environment.
fn report(out: &Path, extra: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut cmd = Command::cargo_bin("complaints").unwrap();
    cmd.args(["report", SAMPLE, "--config", CONFIG, "--out", out.to_str().unwrap(), "--pdf"]).args(extra);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stderr).into())
}

fn leftovers(out: &Path) -> Vec<String> {
    std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".pdf") || n.contains(".part"))
        .collect()
}

#[test]
fn no_browser_is_a_one_line_error_and_the_html_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a");
    let (code, err) = report(&out, &["--browser", "/nonexistent/chromium"], &[]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("--browser /nonexistent/chromium: no such program"), "{err}");
    assert!(out.join("board-report.html").exists());
    assert!(leftovers(&out).is_empty());

    // Nothing on PATH or in the folders searched.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let out = dir.path().join("b");
    let e = empty.to_str().unwrap();
    let (code, err) = report(&out, &[], &[("PATH", e), ("COMPLAINTS_BROWSER_DIRS", e)]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("no Chromium-family browser found") && err.contains("chromium, chromium-browser, google-chrome"),
        "{err}"
    );
    assert!(out.join("board-report.html").exists());
}

#[test]
fn a_failing_or_hanging_browser_leaves_no_partial_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a");
    let (code, err) = report(&out, &["--browser", "/bin/false"], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("/bin/false: the browser failed"), "{err}");
    assert!(out.join("board-report.html").exists());
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));

    // A browser that writes half a file and hangs is stopped after the time limit.
    let script = dir.path().join("hang.sh");
    std::fs::write(&script, "#!/bin/sh\nfor a in \"$@\"; do case \"$a\" in --print-to-pdf=*) echo half > \"${a#--print-to-pdf=}\";; esac; done\nsleep 30\n").unwrap();
    Std::new("chmod").arg("+x").arg(&script).status().unwrap();
    let out = dir.path().join("b");
    let started = std::time::Instant::now();
    let (code, err) = report(&out, &["--browser", script.to_str().unwrap()], &[("COMPLAINTS_BROWSER_TIMEOUT", "2")]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("did not finish printing within 2 s"), "{err}");
    assert!(started.elapsed().as_secs() < 20);
    assert!(out.join("board-report.html").exists());
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

/// The first of Debian's and the usual browsers present, and poppler's tools.
fn tools() -> Option<()> {
    let has = |p: &str| Path::new(p).exists();
    let browser = ["/usr/bin/chromium", "/usr/bin/google-chrome", "/usr/bin/chromium-browser"].iter().any(|b| has(b));
    let poppler = has("/usr/bin/pdfinfo") && has("/usr/bin/pdftotext");
    (browser && poppler).then_some(())
}

#[test]
fn the_board_report_prints_to_a4_with_page_numbers_and_the_landlord() {
    if tools().is_none() {
        println!("SKIPPED: no Chromium-family browser or poppler-utils here (.ci/run installs both)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a");
    let (code, err) = report(&out, &[], &[]);
    assert_eq!(code, 0, "{err}");
    let pdf = out.join("board-report.pdf");
    let info = String::from_utf8(Std::new("pdfinfo").arg(&pdf).output().unwrap().stdout).unwrap();
    assert!(info.contains("(A4)"), "{info}");
    let pages: usize = info.lines().find(|l| l.starts_with("Pages:")).unwrap()[6..].trim().parse().unwrap();
    assert!(pages > 10, "{pages}");
    for n in 1..=pages {
        let text = String::from_utf8(
            Std::new("pdftotext")
                .args(["-f", &n.to_string(), "-l", &n.to_string()])
                .arg(&pdf)
                .arg("-")
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        assert!(text.contains(&format!("Page {n} of {pages}")), "page {n}: {text}");
        assert!(text.contains("Northvale Homes"), "page {n}");
    }
}
