//! The metrics document (SPEC §6 `metrics.json`): plain serde types. Key names are a public
//! interface; `VERSION` changes when they do.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ingest::quality::InputCounts;

/// Version of the document's keys and meanings.
pub const VERSION: u32 = 1;

/// A proportion with its numerator and denominator; `pct` rounded half-up to one decimal, null
/// when the denominator is 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Prop {
    /// Numerator.
    pub num: u64,
    /// Denominator.
    pub den: u64,
    /// Percentage, one decimal.
    pub pct: Option<f64>,
}

/// `round_half_up(num / den × scale, 1 decimal)` in exact integer arithmetic.
pub fn ratio_1dp(num: u64, den: u64, scale: u64) -> Option<f64> {
    if den == 0 {
        return None;
    }
    let tenths = (2 * num as u128 * scale as u128 * 10 + den as u128) / (2 * den as u128);
    Some(tenths as f64 / 10.0)
}

impl Prop {
    /// A proportion of `num` out of `den`.
    pub fn new(num: u64, den: u64) -> Prop {
        Prop { num, den, pct: ratio_1dp(num, den, 100) }
    }
}

/// The period measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodInfo {
    /// "2024/25 Q2".
    pub label: String,
    /// First day.
    pub start: NaiveDate,
    /// Last day (cut at as-of).
    pub end: NaiveDate,
    /// The date the data is true at.
    pub as_of: NaiveDate,
}

/// One stage's figures under one profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageMetrics {
    /// 1, 2 or 3.
    pub stage: usize,
    /// The profile's name for the stage.
    pub name: String,
    /// Complaints received at this stage in the period (stage 1: accepted; later: not refused).
    pub received: u64,
    /// Acknowledged within the limit; null when the data has no acknowledgement dates or the
    /// profile no acknowledgement limit.
    pub ack_on_time: Option<Prop>,
    /// Responses sent in the period (not withdrawn).
    pub responses: u64,
    /// Of `responses`: within the limit.
    pub on_time: u64,
    /// Of `responses`: after the limit, extended, within the extended deadline.
    pub on_time_extended: u64,
    /// Of `responses`: neither.
    pub late: u64,
    /// Of `responses`: extended with a recorded due date beyond limit + maximum extension.
    pub extension_over_max: u64,
    /// `on_time + on_time_extended`.
    pub within_timescale: u64,
    /// Median working days from clock start to response; null with no responses.
    pub median_wd: Option<f64>,
    /// Cases at this stage with no response at as-of.
    pub open: u64,
    /// Of `open`: past their (extended) deadline.
    pub overdue: u64,
    /// Cases at this stage answered (an outcome or a later stage recorded) with no readable
    /// response date: neither open nor in timeliness.
    #[serde(default)]
    pub answered_date_unknown: u64,
    /// `responses` by outcome.
    pub outcomes: BTreeMap<String, u64>,
}

/// Complaints not accepted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotAccepted {
    /// Excluded cases received in the period.
    pub total: u64,
    /// By `exclusion_reason` ("not recorded" when blank).
    pub by_reason: BTreeMap<String, u64>,
}

/// Escalation requests and refusals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Escalation {
    /// Cases with `s2_requested_date` in the period.
    pub requests: u64,
    /// `requests / responses[1]`.
    pub rate: Prop,
    /// Of `requests`: refused.
    pub refused: u64,
    /// Of `refused`: explained to the resident in writing.
    pub refused_explained: u64,
    /// `refused` by reason.
    pub by_reason: BTreeMap<String, u64>,
}

/// Repeat complainants over the 12 months ending on the period end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Repeat {
    /// Complaints that make a repeat complainant.
    pub threshold: u32,
    /// Complainants with at least `threshold` stage 1 complaints in the window.
    pub complainants: u64,
    /// This period's stage 1 complaints from them.
    pub complaints: u64,
    /// This period's stage 1 complaints with no complainant id.
    pub complainant_not_recorded: u64,
}

/// Compensation for cases with a stage 1 or 2 response in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compensation {
    /// Pounds, rounded to pence.
    pub total: f64,
    /// Cases with compensation above zero.
    pub cases: u64,
}

/// Housing Ombudsman activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ombudsman {
    /// Referrals notified in the period.
    pub referrals: u64,
    /// Determinations of the cases referred in the period.
    pub determinations: BTreeMap<String, u64>,
    /// Evidence requests dated in the period answered within 15 working days.
    pub evidence_on_time: Prop,
    /// The Ombudsman's decisions issued in the period, by the date of the decision.
    #[serde(default)]
    pub decisions: Decisions,
    /// Orders the Ombudsman made and their compliance (from a casework file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orders: Option<Orders>,
}

/// The Ombudsman's decisions issued in the period (counted by decision date, whenever the case
/// was referred).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Decisions {
    /// `casework_file` or `export` (the case export's determinations and their dates).
    pub source: String,
    /// Investigations decided in the period.
    pub decided: u64,
    /// Findings made in the period, by finding (every finding listed, zero when none).
    pub findings: BTreeMap<String, u64>,
    /// Severe maladministration, maladministration and service failure findings.
    pub adverse: u64,
    /// Adverse findings ÷ findings on the merits (every finding but outside jurisdiction).
    pub maladministration_rate: Prop,
    /// Every severe maladministration finding decided in the period.
    pub severe: Vec<SevereFinding>,
    /// Determinations with no decision date (export only): in no period.
    pub undated: u64,
}

/// A severe maladministration finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SevereFinding {
    /// The Ombudsman's reference (empty when not recorded).
    pub ombudsman_ref: String,
    /// The landlord's case reference (empty when not recorded).
    pub case_id: String,
    /// The date of the decision.
    pub decision_date: NaiveDate,
    /// What the finding was about.
    pub about: String,
}

/// The Ombudsman's orders and the landlord's compliance with them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Orders {
    /// Orders made in decisions issued in the period.
    pub issued: u64,
    /// Of those, by kind (apology, compensation, works, review, other).
    pub issued_by_kind: BTreeMap<String, u64>,
    /// Compensation ordered in the period's decisions, pounds.
    pub compensation_ordered: f64,
    /// Orders due in the period.
    pub due: u64,
    /// Of those, complied with by the due date.
    pub complied_on_time: u64,
    /// Of those, complied with after the due date (by as-of).
    pub complied_late: u64,
    /// Of those, not complied with by as-of.
    pub due_not_complied: u64,
    /// Every order made by as-of and not complied with by as-of, whenever due.
    pub outstanding: u64,
    /// Of those, past their due date at as-of.
    pub overdue: u64,
    /// Of the outstanding, those with no due date recorded.
    pub no_due_date: u64,
    /// The overdue orders, oldest due first.
    pub overdue_orders: Vec<OverdueOrder>,
}

/// An order past its due date and not complied with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverdueOrder {
    /// The Ombudsman's reference.
    pub ombudsman_ref: String,
    /// The landlord's case reference.
    pub case_id: String,
    /// Apology, compensation, works, review or other.
    pub kind: String,
    /// What was ordered.
    pub order: String,
    /// Compensation ordered, pounds.
    pub amount: Option<f64>,
    /// The date of the decision.
    pub decision_date: NaiveDate,
    /// The date to comply by.
    pub due: NaiveDate,
    /// Calendar days past due at as-of.
    pub days_overdue: i64,
}

/// Lessons learned from cases closed in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lessons {
    /// Closed cases with a lesson.
    pub recorded: u64,
    /// Those lessons' actions by status.
    pub actions: BTreeMap<String, u64>,
    /// Of those: not complete and due before as-of.
    pub overdue: u64,
}

/// Stage 1 figures for one category (or one value of a `--by` column).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryRow {
    /// The category as written ("not recorded" when blank).
    pub category: String,
    /// `received[1]` in the category.
    pub received: u64,
    /// `within_timescale[1] / responses[1]`.
    pub within_timescale: Prop,
    /// (upheld + partly upheld) / `responses[1]`.
    pub upheld: Prop,
}

/// A CH01 item: complaints per 1,000 homes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ch01 {
    /// Complaints received.
    pub num: Option<u64>,
    /// Homes.
    pub den: Option<u64>,
    /// Per 1,000 homes, one decimal.
    pub per_1000: Option<f64>,
}

/// A CH02 item: complaints made in the year responded to within Code timescales, with the whole
/// cohort accounted for: `den` = `num` + `late` + `overdue` + `pending` +
/// `answered_date_unknown` + `withdrawn_unanswered`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Ch02 {
    /// Responded within timescale.
    pub num: Option<u64>,
    /// Complaints received.
    pub den: Option<u64>,
    /// Percentage, one decimal.
    pub pct: Option<f64>,
    /// Within the limit.
    pub within_without_extension: Option<u64>,
    /// Within an extension the Code allows.
    pub within_with_extension: Option<u64>,
    /// Answered after the timescale.
    #[serde(default)]
    pub late: Option<u64>,
    /// Not answered by as-of and past the timescale.
    #[serde(default)]
    pub overdue: Option<u64>,
    /// Not answered by as-of and still within the timescale: the figure is provisional while any
    /// are pending.
    #[serde(default)]
    pub pending: Option<u64>,
    /// Answered (an outcome or a later stage recorded) with no readable response date.
    #[serde(default)]
    pub answered_date_unknown: Option<u64>,
    /// Withdrawn without a response.
    #[serde(default)]
    pub withdrawn_unanswered: Option<u64>,
    /// No complaint is pending: the figure cannot change.
    #[serde(default, rename = "final")]
    pub r#final: Option<bool>,
    /// The percentage if every pending complaint is answered in time (the top of the range a
    /// provisional figure can still reach; `pct` is the bottom).
    #[serde(default)]
    pub best_pct: Option<f64>,
}

/// LCRA, LCHO and Combined parts of a TSM item.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Tenures<T> {
    /// Low cost rental accommodation.
    pub lcra: T,
    /// Low cost home ownership.
    pub lcho: T,
    /// LCRA + LCHO (every accepted complaint when the data has no tenure).
    pub combined: T,
}

/// Stage 1 and stage 2 of a TSM item.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TsmStages<T> {
    /// Stage 1.
    pub stage1: Tenures<T>,
    /// Stage 2.
    pub stage2: Tenures<T>,
}

/// Homes by tenure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HomeCounts {
    /// LCRA homes.
    pub lcra: Option<u64>,
    /// LCHO homes.
    pub lcho: Option<u64>,
    /// lcra + lcho when both are given, else the total.
    pub combined: Option<u64>,
}

/// Tenant Satisfaction Measures CH01 and CH02 for the financial year to date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tsm {
    /// The year to date measured ("2024/25").
    pub year: String,
    /// First day of the year.
    pub start: NaiveDate,
    /// Last day counted (the year's end or as-of).
    pub end: NaiveDate,
    /// The date responses are counted up to (may be after the year's end).
    #[serde(default = "epoch")]
    pub as_of: NaiveDate,
    /// The Code profile the timescales come from.
    pub profile: String,
    /// Homes.
    pub homes: HomeCounts,
    /// Complaints per 1,000 homes.
    pub ch01: TsmStages<Ch01>,
    /// Complaints responded to within Code timescales.
    pub ch02: TsmStages<Ch02>,
    /// From complaints received to the CH01 numerators.
    #[serde(default)]
    pub bridge: Bridge,
}

fn epoch() -> NaiveDate {
    NaiveDate::default()
}

/// How complaints received in the year become the CH01 numerator at one stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BridgeStage {
    /// Started at the stage in the year (received, or escalation requested), accepted or not.
    pub received: u64,
    /// Of those, not accepted as complaints (or escalation refused).
    pub not_accepted: u64,
    /// Accepted, of a tenure outside the TSMs (market rent, leasehold …), by tenure as written.
    pub outside_tsm: BTreeMap<String, u64>,
    /// Accepted with no tenure recorded: left out of the TSMs (a data problem).
    pub tenure_not_recorded: u64,
    /// The CH01 numerator (Combined).
    pub counted: u64,
}

/// The bridge at both stages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Bridge {
    /// Stage 1.
    pub stage1: BridgeStage,
    /// Stage 2.
    pub stage2: BridgeStage,
}

/// Stage figures against the Code profile in force, side by side with the landlord's own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeComparison {
    /// `code-2024` or `code-2022`.
    pub profile: String,
    /// The stages under it.
    pub stages: Vec<StageMetrics>,
}

/// A breakdown of stage 1 volumes and timeliness by any column (`--by`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    /// The column.
    pub column: String,
    /// One row per value.
    pub rows: Vec<CategoryRow>,
}

/// Counts of things the timeline had to assume.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineWarnings {
    /// Responses in the period whose clock started at receipt because no acknowledgement was
    /// recorded (profiles measuring from acknowledgement).
    pub clock_from_receipt: u64,
}

/// Every figure for one period and one profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Document version.
    pub version: u32,
    /// The period.
    pub period: PeriodInfo,
    /// The landlord's profile name.
    pub profile: String,
    /// Input counts.
    pub input: InputCounts,
    /// Per stage of the profile.
    pub stages: Vec<StageMetrics>,
    /// Complaints not accepted.
    pub not_accepted: NotAccepted,
    /// Complaints closed in the period.
    pub closed: u64,
    /// Of `closed`, by final stage (JSON keys "1", "2" …).
    pub resolved_at: BTreeMap<usize, u64>,
    /// Stage resolution proportions by stage.
    pub resolution: BTreeMap<usize, Prop>,
    /// Escalations.
    pub escalation: Escalation,
    /// Repeat complainants; null without complainant ids.
    pub repeat: Option<Repeat>,
    /// Compensation; null without a compensation column.
    pub compensation: Option<Compensation>,
    /// Satisfied / surveyed among closed cases; null without a satisfaction column.
    pub satisfaction: Option<Prop>,
    /// Ombudsman; null without Ombudsman columns.
    pub ombudsman: Option<Ombudsman>,
    /// Lessons; null without a lesson column.
    pub lessons: Option<Lessons>,
    /// Stage 1 by category.
    pub by_category: Vec<CategoryRow>,
    /// TSM CH01/CH02.
    pub tsm: Tsm,
    /// The period's complaints from received to those of TSM tenures (the year to date's is
    /// `tsm.bridge`).
    #[serde(default)]
    pub bridge: Bridge,
    /// The stages against the Code profile in force for the period.
    pub code: CodeComparison,
    /// Assumptions counted.
    pub warnings: TimelineWarnings,
    /// `--by` breakdown, when asked for.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub breakdown: Option<Breakdown>,
    /// The previous periods of the same length, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub trend: Vec<Metrics>,
    /// The TSMs among other landlords' published figures (only when peers are configured).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub peers: Option<crate::peers::position::Peers>,
}
