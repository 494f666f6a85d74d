//! The lessons-learned page for residents: published lessons grouped by theme as "what you told
//! us / what we found / what we changed", a headline panel, and how to complain — anonymised
//! (redacted free text, no ids, owners or staff) with small numbers suppressed.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::redact::{Piece, PieceKind, Redactor};
use crate::config::{Config, Profile};
use crate::ingest::status::LessonState;
use crate::metrics::lessons::PublicLesson;
use crate::metrics::model::{Metrics, PeriodInfo};

/// The page's file name.
pub const OUTPUT: &str = "lessons.html";

/// A count as published: "fewer than 5" below the threshold.
pub fn published_count(n: u64, small: u64) -> String {
    if n < small {
        format!("fewer than {small}")
    } else {
        crate::format::thousands(n)
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
    /// Complaints that led to it, as published.
    pub complaints: String,
    /// What we found.
    pub found: String,
    /// What we changed (or will change); empty when no action is recorded.
    pub changed: String,
    /// Where the action stands.
    pub state: LessonState,
    /// When it is due (never read as the date it was done: no completion date is recorded).
    pub due: Option<NaiveDate>,
    /// Not done and past its due date at as-of.
    pub running_late: bool,
    /// The complaint count was too small to publish.
    pub suppressed: bool,
}

/// The lessons of one theme.
#[derive(Debug, Clone, Serialize)]
pub struct Theme {
    /// Theme (category).
    pub name: String,
    /// The theme inside a sentence ("damp and mould").
    pub in_sentence: String,
    /// Element id.
    pub id: String,
    /// Complaints about it this period, as published.
    pub complaints: String,
    /// Its lessons.
    pub items: Vec<Item>,
}

/// A percentage as published: `value` is absent when it rests on too few complaints to publish.
#[derive(Debug, Clone, Serialize)]
pub struct Published {
    /// "85%".
    pub value: Option<String>,
}

/// How the headline count relates to the Regulator's, as published.
#[derive(Debug, Clone, Serialize)]
pub struct PublishedBridge {
    /// Complaints from tenants and shared owners (counted in the TSMs).
    pub counted: String,
    /// Complaints from other tenures (leaseholders, market rent …); None when there are none.
    pub outside: Option<String>,
    /// Complaints with no tenure recorded; None when there are none.
    pub not_recorded: Option<String>,
}

/// The headline panel, as published; a figure the data cannot give is absent.
#[derive(Debug, Clone, Serialize)]
pub struct Headlines {
    /// Complaints received.
    pub received: Option<String>,
    /// Share answered within timescale.
    pub within: Option<Published>,
    /// Share resolved at stage 1.
    pub resolved: Option<Published>,
    /// How the complaints received relate to the Regulator's count (when the data has tenures
    /// and the two differ).
    pub bridge: Option<PublishedBridge>,
}

/// Everything the lessons page shows.
#[derive(Debug, Clone, Serialize)]
pub struct LessonsView {
    /// Landlord.
    pub landlord: String,
    /// The period.
    pub period: PeriodInfo,
    /// Internal review copy: every page carries "NOT FOR PUBLICATION".
    pub unapproved: bool,
    /// The headline panel.
    pub headlines: Headlines,
    /// The most common themes: (name, complaints as published).
    pub common_themes: Vec<(String, String)>,
    /// Lessons by theme.
    pub themes: Vec<Theme>,
    /// How to complain (config text; empty for the default wording).
    pub how_to_complain: String,
    /// The profile the figures are measured against (its limits word the default text).
    pub profile: Profile,
    /// The threshold below which counts are suppressed.
    pub small_number: u64,
    /// Where the figures come from: file names (not paths).
    pub files: Vec<String>,
    /// Data-quality counts.
    pub input: crate::ingest::quality::InputCounts,
    /// Tool and version.
    pub generator: String,
}

/// What the lessons page is built from.
pub struct LessonsInput<'a> {
    /// The config.
    pub config: &'a Config,
    /// The profile measured against.
    pub profile: &'a Profile,
    /// The period's figures.
    pub m: &'a Metrics,
    /// The lessons to show, grouped.
    pub lessons: Vec<PublicLesson>,
    /// The redactor for every free-text value.
    pub redactor: &'a Redactor,
    /// Internal review copy.
    pub unapproved: bool,
}

/// Builds the view.
pub fn view(input: LessonsInput) -> LessonsView {
    let LessonsInput { config, profile, m, lessons, redactor, unapproved } = input;
    let published = super::published(m, redactor);
    let m = &published;
    let small = config.small_number.unwrap_or(5) as u64;
    let received: BTreeMap<&str, u64> = m.by_category.iter().map(|c| (c.category.as_str(), c.received)).collect();
    let mut themes: BTreeMap<String, Theme> = BTreeMap::new();
    for l in lessons {
        // Theme names are the landlord's categories: no name heuristics, so a heading is always
        // the category it names, whatever a person or team in the data is called; only what
        // patterns recognise (an email address, a postcode) is removed, as from the figures'
        // category names, which the counts are looked up by.
        let theme = redactor.redact_identifiers(&l.theme);
        let entry = themes.entry(theme.clone()).or_insert_with(|| Theme {
            id: format!("theme-{}", slug(&theme)),
            complaints: published_count(received.get(theme.as_str()).copied().unwrap_or(0), small),
            in_sentence: in_sentence(&theme),
            name: theme.clone(),
            items: Vec::new(),
        });
        let state = group_state(&l.states);
        entry.items.push(Item {
            complaints: published_count(l.complaints, small),
            found: redactor.redact(&l.lesson),
            changed: redactor.redact(&l.action),
            state,
            due: l.latest_due,
            running_late: !state.is_complete() && l.latest_due.is_some_and(|d| d < m.period.as_of),
            suppressed: l.complaints < small,
        });
    }
    let s1 = m.stages.first();
    LessonsView {
        landlord: super::landlord_name(config, "Your landlord"),
        period: m.period.clone(),
        unapproved,
        headlines: Headlines {
            received: s1.map(|s| published_count(s.received, small)),
            within: s1.map(|s| Published { value: published_pct(s.within_timescale, s.responses, small) }),
            resolved: m.resolution.get(&1).map(|r| Published { value: published_pct(r.num, r.den, small) }),
            bridge: published_bridge(m, small),
        },
        common_themes: m
            .by_category
            .iter()
            .filter(|c| c.received >= small && c.category != "not recorded")
            .take(3)
            .map(|c| (c.category.clone(), published_count(c.received, small)))
            .collect(),
        themes: themes.into_values().collect(),
        how_to_complain: config.text.how_to_complain.trim().to_string(),
        profile: profile.clone(),
        small_number: small,
        // File names, internal copy only (and then the names, not paths: a path can carry a
        // person's name); the published page carries no internal detail.
        files: if unapproved {
            m.input
                .files
                .iter()
                .map(|f| Path::new(f).file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default())
                .map(|n| redactor.redact(&n))
                .collect()
        } else {
            Vec::new()
        },
        input: m.input.clone(),
        generator: super::generator(),
    }
}

/// The headline's complaints split by whether the Regulator's measures count them.
fn published_bridge(m: &Metrics, small: u64) -> Option<PublishedBridge> {
    let b = &m.bridge.stage1;
    let outside: u64 = b.outside_tsm.values().sum();
    if outside == 0 && b.tenure_not_recorded == 0 {
        return None;
    }
    let some = |n: u64| (n > 0).then(|| published_count(n, small));
    Some(PublishedBridge {
        counted: published_count(b.counted, small),
        outside: some(outside),
        not_recorded: some(b.tenure_not_recorded),
    })
}

/// One state for a group of identical lessons: done when every action is, else in progress when
/// any is, else the first one's.
fn group_state(states: &[LessonState]) -> LessonState {
    if states.iter().all(|s| s.is_complete()) {
        LessonState::Complete
    } else if states.contains(&LessonState::InProgress) {
        LessonState::InProgress
    } else {
        states.first().copied().unwrap_or(LessonState::NotRecorded)
    }
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

fn slug(s: &str) -> String {
    let slug: String =
        s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    slug.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-")
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

/// One lesson on the review page, its text marked.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewItem {
    /// Theme.
    pub theme: String,
    /// Approved for publication.
    pub approved: bool,
    /// What was learned, marked.
    pub lesson: Vec<Piece>,
    /// The action, marked.
    pub action: Vec<Piece>,
    /// Pieces removed.
    pub removed: usize,
    /// Suspected personal data left in.
    pub suspects: usize,
}

/// The review page for the person who approves publication.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewView {
    /// Landlord.
    pub landlord: String,
    /// The period.
    pub period: PeriodInfo,
    /// Every lesson of the period, approved or not.
    pub items: Vec<ReviewItem>,
    /// Pieces removed from the lessons to be published.
    pub removed: usize,
    /// Suspected personal data left in the lessons to be published.
    pub suspects: usize,
    /// Tool and version.
    pub generator: String,
}

/// Marks every lesson's text; `publishing_all` counts the unapproved ones as published too.
pub fn review(
    config: &Config,
    m: &Metrics,
    lessons: &[PublicLesson],
    redactor: &Redactor,
    publishing_all: bool,
) -> ReviewView {
    let items: Vec<ReviewItem> = lessons
        .iter()
        .map(|l| {
            let (lesson, action) = (redactor.review(&l.lesson), redactor.review(&l.action));
            let count = |k: PieceKind| lesson.iter().chain(&action).filter(|p| p.kind == k).count();
            ReviewItem {
                theme: l.theme.clone(),
                approved: l.approved,
                removed: count(PieceKind::Removed),
                suspects: count(PieceKind::Suspect),
                lesson,
                action,
            }
        })
        .collect();
    let published = |i: &&ReviewItem| i.approved || publishing_all;
    ReviewView {
        landlord: super::landlord_name(config, "Your landlord"),
        period: m.period.clone(),
        removed: items.iter().filter(published).map(|i| i.removed).sum(),
        suspects: items.iter().filter(published).map(|i| i.suspects).sum(),
        items,
        generator: super::generator(),
    }
}
