//! Lessons learned: the figures (recorded, actions by status, overdue), the lesson records pages
//! list, and their groupings. "Done" is always the status normalised at ingest.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::NaiveDate;
use polars::prelude::*;

use super::frame::{days, group_counts, rows_where, texts, yes, Counter};
use super::model::Lessons;
use super::resolution::closed;
use crate::calendar::{epoch_days, from_epoch_days};
use crate::ingest::status::{LessonState, LESSON_STATE};
use crate::period::Period;

/// The action is done (the normalised status is complete).
pub fn done() -> Expr {
    col(LESSON_STATE).eq(lit(LessonState::Complete as i32)).fill_null(lit(false))
}

/// Not done and due before `as_of`.
pub fn overdue_at(as_of: NaiveDate) -> Expr {
    done().not().and(days("lesson_due_date").lt(lit(epoch_days(as_of)))).fill_null(lit(false))
}

/// The status as recorded, lower-cased, for counting actions by status.
fn status_text() -> Expr {
    col("lesson_status").str().to_lowercase().fill_null(lit("not recorded"))
}

/// Cases closed in the period with a lesson recorded.
pub fn closed_with_lesson(p: &Period) -> Expr {
    closed(p).and(col("lesson").is_not_null())
}

/// Lessons recorded for cases closed in the period, their actions by status, and overdue actions.
pub fn lessons(df: &DataFrame, p: &Period) -> Result<Lessons> {
    let recorded = rows_where(df, closed_with_lesson(p))?;
    let mut c = Counter::default();
    let recorded_n = c.value(len());
    let overdue = c.count(overdue_at(p.as_of));
    let n = c.run(recorded.clone())?;
    Ok(Lessons {
        recorded: n.n(recorded_n),
        actions: group_counts(recorded, lit(true), status_text())?,
        overdue: n.n(overdue),
    })
}

/// One recorded lesson and its action (text trimmed; blank when not recorded).
#[derive(Debug, Clone, PartialEq)]
pub struct LessonRecord {
    /// Category of the complaint.
    pub theme: String,
    /// What was learned.
    pub lesson: String,
    /// The action.
    pub action: String,
    /// Team accountable.
    pub owner: String,
    /// When the action is due.
    pub due: Option<NaiveDate>,
    /// The status as recorded.
    pub status: String,
    /// The status normalised.
    pub state: LessonState,
    /// Approved for publication.
    pub publish: bool,
}

impl LessonRecord {
    /// Not done and due before `as_of`.
    pub fn overdue_at(&self, as_of: NaiveDate) -> bool {
        !self.state.is_complete() && self.due.is_some_and(|d| d < as_of)
    }
}

/// The lessons of the cases where `mask` holds, in file order.
pub fn records(df: &DataFrame, mask: Expr) -> Result<Vec<LessonRecord>> {
    let frame = df
        .clone()
        .lazy()
        .filter(mask)
        .select([
            col("category"),
            col("lesson"),
            col("lesson_action"),
            col("lesson_owner"),
            days("lesson_due_date").alias("due"),
            col("lesson_status"),
            col(LESSON_STATE),
            yes("lesson_publish").alias("publish"),
        ])
        .collect()?;
    let (theme, lesson, action, owner, status) = (
        texts(&frame, "category")?,
        texts(&frame, "lesson")?,
        texts(&frame, "lesson_action")?,
        texts(&frame, "lesson_owner")?,
        texts(&frame, "lesson_status")?,
    );
    let due: Vec<Option<i32>> = frame.column("due")?.i32()?.iter().collect();
    let state: Vec<Option<i32>> = frame.column(LESSON_STATE)?.i32()?.iter().collect();
    let publish: Vec<Option<bool>> = frame.column("publish")?.bool()?.iter().collect();
    Ok((0..frame.height())
        .map(|i| LessonRecord {
            theme: theme[i].clone(),
            lesson: lesson[i].clone(),
            action: action[i].clone(),
            owner: owner[i].clone(),
            due: due[i].map(from_epoch_days),
            status: status[i].clone(),
            state: state[i].map(LessonState::from_code).unwrap_or(LessonState::NotRecorded),
            publish: publish[i].unwrap_or(false),
        })
        .collect())
}

/// Lessons of cases closed in the period; only those approved for publication unless `all`.
pub fn closed_records(df: &DataFrame, p: &Period, all: bool) -> Result<Vec<LessonRecord>> {
    let mut mask = closed_with_lesson(p);
    if !all {
        mask = mask.and(yes("lesson_publish"));
    }
    records(df, mask)
}

/// Every lesson action not done and due before as-of, whenever its complaint closed, oldest
/// first.
pub fn overdue_actions(df: &DataFrame, as_of: NaiveDate) -> Result<Vec<LessonRecord>> {
    let mask =
        col("lesson").is_not_null().and(overdue_at(as_of)).and(days("received_date").lt_eq(lit(epoch_days(as_of))));
    let mut out = records(df, mask)?;
    out.sort_by(|x, y| (x.due, &x.theme, &x.action).cmp(&(y.due, &y.theme, &y.action)));
    Ok(out)
}

/// Identical lessons (same theme, lesson, action and owner) taken together, for the Board.
#[derive(Debug, Clone, PartialEq)]
pub struct LessonGroup {
    /// Theme ("not recorded" when blank).
    pub theme: String,
    /// What was learned.
    pub lesson: String,
    /// The action.
    pub action: String,
    /// Team accountable.
    pub owner: String,
    /// Complaints that taught it.
    pub complaints: usize,
    /// Earliest due date.
    pub first_due: Option<NaiveDate>,
    /// Latest due date.
    pub last_due: Option<NaiveDate>,
    /// Actions by status as recorded (lower-cased; "not recorded" when blank).
    pub statuses: BTreeMap<String, usize>,
    /// Actions not done and due before as-of.
    pub overdue: usize,
}

/// Groups lesson records for the Board, by theme, lesson, action and owner.
pub fn group_for_board(records: Vec<LessonRecord>, as_of: NaiveDate) -> Vec<LessonGroup> {
    let mut groups: BTreeMap<(String, String, String, String), LessonGroup> = BTreeMap::new();
    for r in records {
        let theme = if r.theme.is_empty() { "not recorded".to_string() } else { r.theme.clone() };
        let overdue = r.overdue_at(as_of);
        let g =
            groups.entry((theme.clone(), r.lesson.clone(), r.action.clone(), r.owner.clone())).or_insert_with(|| {
                LessonGroup {
                    theme,
                    lesson: r.lesson.clone(),
                    action: r.action.clone(),
                    owner: r.owner.clone(),
                    complaints: 0,
                    first_due: None,
                    last_due: None,
                    statuses: BTreeMap::new(),
                    overdue: 0,
                }
            });
        g.complaints += 1;
        g.first_due = g.first_due.into_iter().chain(r.due).min();
        g.last_due = g.last_due.into_iter().chain(r.due).max();
        let st = if r.status.is_empty() { "not recorded".to_string() } else { r.status.to_lowercase() };
        *g.statuses.entry(st).or_default() += 1;
        g.overdue += usize::from(overdue);
    }
    groups.into_values().collect()
}

/// Identical lessons of a theme (same lesson and action) taken together, for residents.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicLesson {
    /// Theme ("Other" when blank).
    pub theme: String,
    /// What was learned.
    pub lesson: String,
    /// The action.
    pub action: String,
    /// Complaints that taught it.
    pub complaints: u64,
    /// The normalised status of each complaint's action.
    pub states: Vec<LessonState>,
    /// The latest due date.
    pub latest_due: Option<NaiveDate>,
    /// At least one of its complaints' lessons is approved for publication.
    pub approved: bool,
}

/// Groups lesson records for the residents' page, by theme, lesson and action.
pub fn group_for_residents(records: Vec<LessonRecord>) -> Vec<PublicLesson> {
    let mut groups: BTreeMap<(String, String, String), PublicLesson> = BTreeMap::new();
    for r in records {
        let theme = if r.theme.is_empty() { "Other".to_string() } else { r.theme.clone() };
        let g = groups.entry((theme.clone(), r.lesson.clone(), r.action.clone())).or_insert_with(|| PublicLesson {
            theme,
            lesson: r.lesson.clone(),
            action: r.action.clone(),
            complaints: 0,
            states: Vec::new(),
            latest_due: None,
            approved: false,
        });
        g.approved |= r.publish;
        g.complaints += 1;
        g.states.push(r.state);
        g.latest_due = g.latest_due.into_iter().chain(r.due).max();
    }
    groups.into_values().collect()
}
