//! The lessons-learned page for residents (`complaints lessons`): published lessons grouped by
//! theme as "what you told us / what we found / what we changed", a headline panel, and how to
//! complain — anonymised (redacted free text, no ids, owners or staff) with small numbers
//! suppressed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use polars::prelude::*;
use serde::Serialize;

use super::html;
use super::redact::Redactor;
use super::views::long_date;
use crate::calendar::from_epoch_days;
use crate::config::Profile;

use crate::metrics::frame::yes;
use crate::metrics::model::Metrics;
use crate::metrics::resolution::closed;
use crate::metrics::{self, Request};
use crate::output::{prepare_out, write_atomic};
use crate::period::Period;
use crate::Loaded;

/// The page's file name.
pub const OUTPUT: &str = "lessons.html";

/// A count as published: "fewer than 5" below the threshold.
pub fn published_count(n: u64, small: u64) -> String {
    if n < small {
        format!("fewer than {small}")
    } else {
        crate::validate::thousands(n as usize)
    }
}

/// A percentage as published: not shown when built on a small count.
fn published_pct(num: u64, den: u64, small: u64) -> Option<String> {
    if den == 0 || num < small || den < small || den - num < small && num != den {
        return None;
    }
    crate::metrics::model::ratio_1dp(num, den, 100).map(|p| format!("{p:.0}%"))
}

/// One published lesson.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// What you told us.
    pub told: String,
    /// What we found.
    pub found: String,
    /// What we changed (or will change).
    pub changed: String,
    /// Status of the change, in plain words.
    pub status: String,
    /// When it was or will be done.
    pub when: String,
}

/// The lessons of one theme.
#[derive(Debug, Clone, Serialize)]
pub struct Theme {
    /// Theme (category).
    pub name: String,
    /// Element id.
    pub id: String,
    /// Complaints about it this period, as published.
    pub complaints: String,
    /// Its lessons.
    pub items: Vec<Item>,
}

/// A headline figure.
#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    /// What it is.
    pub label: String,
    /// The figure as published.
    pub value: String,
}

/// Everything the lessons page shows.
#[derive(Debug, Clone, Serialize)]
pub struct LessonsView {
    /// Landlord.
    pub landlord: String,
    /// Period label.
    pub period: String,
    /// The dates in words.
    pub dates: String,
    /// Internal review copy: every page carries "NOT FOR PUBLICATION".
    pub unapproved: bool,
    /// The headline panel.
    pub headlines: Vec<Headline>,
    /// The most common themes, as published.
    pub common_themes: Vec<String>,
    /// Lessons by theme.
    pub themes: Vec<Theme>,
    /// How to complain (config text, or a default).
    pub how_to_complain: String,
    /// How to reach the Housing Ombudsman.
    pub ombudsman: String,
    /// The threshold below which counts are suppressed.
    pub small_number: u64,
    /// The date the figures are true at.
    pub as_of: String,
    /// The profile the figures are measured against.
    pub profile: String,
    /// Where the figures come from: file names (not paths) and data-quality counts.
    pub source: String,
    /// Tool and version.
    pub generator: String,
}

const DEFAULT_HOW_TO_COMPLAIN: &str = "You can complain to us in any way: by phone, email, letter, online or in person, and any member of staff can take your complaint. We acknowledge it within 5 working days and respond in full within 10 working days of acknowledging it. If you are unhappy with our response you can ask us to look at it again at stage 2.";

/// The text about the Housing Ombudsman residents are always given.
pub const OMBUDSMAN: &str = "You can contact the Housing Ombudsman Service at any time for advice, and ask it to investigate once you have had our final response. It is free, independent and impartial: www.housing-ombudsman.org.uk, telephone 0300 111 3000.";

fn status_words(status: &str) -> &'static str {
    match status.trim().to_lowercase().as_str() {
        "complete" | "completed" | "done" => "Done",
        "in progress" | "in-progress" | "ongoing" => "In progress",
        "open" | "not started" | "planned" => "Planned",
        _ => "To be confirmed",
    }
}

/// Builds the view: published lessons (or all, for internal review) of cases closed in the period.
pub fn view(loaded: &Loaded, m: &Metrics, period: &Period, include_unapproved: bool) -> Result<LessonsView> {
    let config = &loaded.config;
    let small = config.small_number.unwrap_or(5) as u64;
    let df = &loaded.cases.df;
    let text_values = |name: &str| -> Vec<String> {
        df.column(name)
            .ok()
            .and_then(|c| c.str().ok().map(|s| s.iter().flatten().map(str::to_string).collect()))
            .unwrap_or_default()
    };
    let mut identifiers = text_values("case_id");
    identifiers.extend(text_values("complainant_id"));
    let mut names = text_values("lesson_owner");
    names.extend(text_values("s1_handler"));
    names.extend(text_values("s2_handler"));
    let redactor = Redactor::new(&config.redact_patterns, identifiers, names)?;

    let mut mask = closed(period).and(col("lesson").is_not_null());
    if !include_unapproved {
        mask = mask.and(yes("lesson_publish"));
    }
    let records = super::views::lesson_records(df, mask)?;

    // Identical lessons of a theme are one item: (theme, lesson, action) → (complaints, statuses, dues).
    type Group = (u64, Vec<String>, Vec<i32>);
    let mut groups: BTreeMap<(String, String, String), Group> = BTreeMap::new();
    for r in records {
        let theme = if r.theme.is_empty() { "Other".to_string() } else { r.theme };
        let g = groups.entry((theme, r.lesson, r.action)).or_default();
        g.0 += 1;
        g.1.push(r.status);
        g.2.extend(r.due);
    }
    let received: BTreeMap<&str, u64> = m.by_category.iter().map(|c| (c.category.as_str(), c.received)).collect();
    let mut themes: BTreeMap<String, Theme> = BTreeMap::new();
    for ((theme, lesson, action), (n, sts, dues)) in groups {
        let done = sts.iter().all(|s| status_words(s) == "Done");
        let any_progress = sts.iter().any(|s| status_words(s) == "In progress");
        let status = if done {
            "Done"
        } else if any_progress {
            "In progress"
        } else {
            status_words(sts.first().map(String::as_str).unwrap_or(""))
        };
        let latest = dues.iter().max().map(|d| long_date(from_epoch_days(*d)));
        let when = match (status, latest) {
            ("Done", Some(d)) => format!("Completed by {d}"),
            (_, Some(d)) => format!("Due by {d}"),
            (_, None) => "Date to be confirmed".to_string(),
        };
        let published_theme = redactor.redact(&theme);
        let shown = published_count(n, small);
        let told = format!(
            "{} complaint{} about {} closed this period led to this lesson.",
            capitalise(&shown),
            if shown == "1" { "" } else { "s" },
            in_sentence(&published_theme)
        );
        let entry = themes.entry(published_theme.clone()).or_insert_with(|| Theme {
            id: format!("theme-{}", slug(&published_theme)),
            complaints: published_count(received.get(theme.as_str()).copied().unwrap_or(0), small),
            name: published_theme.clone(),
            items: Vec::new(),
        });
        entry.items.push(Item {
            told,
            found: redactor.redact(&lesson),
            changed: if action.is_empty() {
                "We are deciding what to change.".into()
            } else {
                redactor.redact(&action)
            },
            status: status.to_string(),
            when,
        });
    }

    let s1 = m.stages.first();
    let mut headlines = Vec::new();
    if let Some(s1) = s1 {
        headlines.push(Headline { label: "Complaints we received".into(), value: published_count(s1.received, small) });
        headlines.push(Headline {
            label: "Answered within our timescales".into(),
            value: published_pct(s1.within_timescale, s1.responses, small)
                .unwrap_or_else(|| "Not shown (too few to publish)".into()),
        });
    }
    if let Some(r) = m.resolution.get("1") {
        headlines.push(Headline {
            label: "Sorted out at the first stage".into(),
            value: published_pct(r.num, r.den, small).unwrap_or_else(|| "Not shown (too few to publish)".into()),
        });
    }
    let common_themes = m
        .by_category
        .iter()
        .filter(|c| c.received >= small && c.category != "not recorded")
        .take(3)
        .map(|c| format!("{} ({} complaints)", redactor.redact(&c.category), published_count(c.received, small)))
        .collect();
    Ok(LessonsView {
        landlord: if config.landlord.is_empty() { "Your landlord".into() } else { config.landlord.clone() },
        period: period.label.clone(),
        dates: format!("{} to {}", long_date(period.start), long_date(period.end)),
        unapproved: include_unapproved,
        headlines,
        common_themes,
        themes: themes.into_values().collect(),
        how_to_complain: if config.text.how_to_complain.trim().is_empty() {
            DEFAULT_HOW_TO_COMPLAIN.into()
        } else {
            config.text.how_to_complain.clone()
        },
        ombudsman: OMBUDSMAN.to_string(),
        small_number: small,
        as_of: long_date(period.as_of),
        profile: format!("{} ({})", m.profile, loaded.config.own_profile().description),
        source: {
            let c = &m.input;
            // File names only: a path can carry a person's name.
            let names: Vec<String> = c
                .files
                .iter()
                .map(|f| Path::new(f).file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default())
                .map(|n| redactor.redact(&n))
                .collect();
            format!(
                "{}: {} rows read, {} used, {} rejected, {} duplicates; {} values dropped",
                names.join(", "),
                c.rows_read,
                c.rows_used,
                c.rows_rejected,
                c.duplicates,
                c.warnings
            )
        },
        generator: format!("complaints {}", env!("CARGO_PKG_VERSION")),
    })
}

/// A theme inside a sentence: "Damp and mould" → "damp and mould", but "ASB handling" stays.
fn in_sentence(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), c.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            first.to_lowercase().collect::<String>() + &s[first.len_utf8()..]
        }
        _ => s.to_string(),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn slug(s: &str) -> String {
    let slug: String =
        s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    slug.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-")
}

/// Writes `lessons.html` for the period into `out`.
pub fn write(
    loaded: &Loaded,
    period: &Period,
    profile: &Profile,
    templates: Option<&Path>,
    out: &Path,
    inputs: &[PathBuf],
    include_unapproved: bool,
) -> Result<PathBuf> {
    let path = out.join(OUTPUT);
    prepare_out(out, &[OUTPUT], inputs)?;
    let tera = html::engine(templates)?;
    let m = metrics::compute(loaded, &Request { period, profile, by: None, trend: 0 })?;
    let mut view = view(loaded, &m, period, include_unapproved)?;
    view.profile = format!("{} ({})", profile.name, profile.description);
    let page = html::render(&tera, "lessons.html.tera", &view)?;
    write_atomic(&path, page.as_bytes())?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_numbers() {
        assert_eq!(published_count(4, 5), "fewer than 5");
        assert_eq!(published_count(5, 5), "5");
        assert_eq!(published_pct(3, 40, 5), None, "3 of 40 reveals a small count");
        assert_eq!(published_pct(38, 40, 5), None, "2 not within reveals a small count");
        assert_eq!(published_pct(40, 40, 5).as_deref(), Some("100%"));
        assert_eq!(published_pct(30, 40, 5).as_deref(), Some("75%"));
        assert_eq!(published_pct(4, 4, 5), None);
    }
}
