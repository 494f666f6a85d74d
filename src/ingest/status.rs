//! Lesson action statuses, normalised once at ingest from one list of spellings, so every
//! figure and page asks the same question "is it done?" the same way.

use serde::Serialize;

/// The column holding each case's normalised lesson status (an Int32 code of `LessonState`).
pub const LESSON_STATE: &str = "lesson_state";

/// Where a lesson's action stands. The text as recorded is kept in `lesson_status` for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum LessonState {
    /// No status recorded.
    NotRecorded = 0,
    /// Agreed but not started.
    Planned = 1,
    /// Under way.
    InProgress = 2,
    /// Done.
    Complete = 3,
    /// A status the tool does not know; treated as not done.
    Other = 4,
}

/// Spellings of a finished action.
const COMPLETE: &[&str] = &[
    "complete",
    "completed",
    "done",
    "closed",
    "implemented",
    "finished",
    "delivered",
    "achieved",
    "resolved",
    "actioned",
];
/// "Complete?" answered yes: done.
const YES: &[&str] = &["yes", "y", "true"];
/// "Complete?" answered no: not done, as "open" is.
const NO: &[&str] = &["no", "n", "false"];
/// Spellings of an action under way.
const IN_PROGRESS: &[&str] =
    &["in progress", "ongoing", "started", "underway", "under way", "in hand", "progressing", "wip", "active"];
/// Spellings of an action agreed but not started.
const PLANNED: &[&str] =
    &["planned", "open", "not started", "to do", "todo", "new", "pending", "agreed", "scheduled", "proposed"];

impl LessonState {
    /// Every state, by code.
    pub const ALL: [LessonState; 5] = [
        LessonState::NotRecorded,
        LessonState::Planned,
        LessonState::InProgress,
        LessonState::Complete,
        LessonState::Other,
    ];

    /// The state a recorded status means (case, spaces, hyphens and underscores ignored).
    pub fn parse(text: Option<&str>) -> LessonState {
        let Some(text) = text else { return LessonState::NotRecorded };
        let words: Vec<String> = text
            .split(|c: char| c.is_whitespace() || matches!(c, '-' | '_' | '.' | '/'))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        if words.is_empty() {
            return LessonState::NotRecorded;
        }
        let key = words.join(" ");
        // A column asking "Action complete?" answered yes or no.
        if YES.contains(&key.as_str()) {
            return LessonState::Complete;
        }
        if NO.contains(&key.as_str()) {
            return LessonState::Planned;
        }
        if COMPLETE.contains(&key.as_str()) {
            LessonState::Complete
        } else if IN_PROGRESS.contains(&key.as_str()) || key == "inprogress" {
            LessonState::InProgress
        } else if PLANNED.contains(&key.as_str()) {
            LessonState::Planned
        } else {
            LessonState::Other
        }
    }

    /// The state for a code from the `lesson_state` column.
    pub fn from_code(code: i32) -> LessonState {
        LessonState::ALL.get(code as usize).copied().unwrap_or(LessonState::Other)
    }

    /// Whether the action is done.
    pub fn is_complete(self) -> bool {
        self == LessonState::Complete
    }
}

#[cfg(test)]
mod tests {
    use super::LessonState::{self, *};

    #[test]
    fn spellings() {
        for (text, state) in [
            (None, NotRecorded),
            (Some("  "), NotRecorded),
            (Some("Complete"), Complete),
            (Some("COMPLETED"), Complete),
            (Some("Done"), Complete),
            (Some("closed"), Complete),
            (Some("Implemented"), Complete),
            (Some("In progress"), InProgress),
            (Some("in-progress"), InProgress),
            (Some("In_Progress"), InProgress),
            (Some("InProgress"), InProgress),
            (Some("Open"), Planned),
            (Some("Yes"), Complete),
            (Some("N"), Planned),
            (Some("Not started"), Planned),
            (Some("On hold"), Other),
        ] {
            assert_eq!(LessonState::parse(text), state, "{text:?}");
        }
    }
}
