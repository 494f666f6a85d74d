//! The Board report's view: the period's figures (`Metrics`), what the pages show beyond them
//! (`Detail`) and the ledger, arranged for `board-report.html.tera`. Numbers and dates stay
//! numbers and dates; the template writes the sentences and formats through the filters.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::assessment::Answers;
use super::charts::{self, Chart, Layout, Marker, Series, Spec};
use super::governance::{ombudsman_view, tracked_actions, OmbudsmanView, TrackedAction};
use super::summary;
use crate::config::{Config, Mrc, Profile, Target};
use crate::ingest::casework::Casework;
use crate::ingest::quality::{InputCounts, LaterStage, Ledger, OtherKinds, StageRows};
use crate::metrics::ages::AGE_BANDS;
use crate::metrics::lessons::LessonGroup;
use crate::metrics::model::{CategoryRow, Ch01, Ch02, Metrics, PeriodInfo, Prop, StageMetrics};
use crate::metrics::Detail;

/// A percentage figure with its RAG status against a target and the change on the previous
/// period.
#[derive(Debug, Clone, Serialize)]
pub struct PctTile {
    /// The figure.
    pub prop: Prop,
    /// `green`, `amber`, `red` or `none`.
    pub rag: &'static str,
    /// The target.
    pub target: Target,
    /// The previous period's percentage, if it had one.
    pub prev: Option<f64>,
    /// The change in points, to one decimal (when both periods have a figure).
    pub change: Option<f64>,
}

/// A count with the previous period's.
#[derive(Debug, Clone, Serialize)]
pub struct CountTile {
    /// The count.
    pub n: u64,
    /// The previous period's, if known.
    pub prev: Option<u64>,
}

/// The headline figures; each is absent when the profile has no such stage.
#[derive(Debug, Clone, Serialize)]
pub struct Tiles {
    /// Stage 1 complaints received.
    pub received: Option<CountTile>,
    /// Complaints not accepted.
    pub not_accepted: u64,
    /// Stage 1 responses within timescale.
    pub s1_within: Option<PctTile>,
    /// Stage 1 acknowledged within the limit (when recorded).
    pub s1_ack: Option<PctTile>,
    /// Stage 2 responses within timescale.
    pub s2_within: Option<PctTile>,
    /// Complaints resolved at stage 1.
    pub resolved_1: Option<PctTile>,
    /// Open complaints at as-of.
    pub open: CountTile,
    /// Of those, overdue.
    pub overdue: u64,
}

/// One column of the timeliness table: a stage under a profile.
#[derive(Debug, Clone, Serialize)]
pub struct StageColumn {
    /// The profile's name.
    pub profile: String,
    /// The stage's figures.
    pub s: StageMetrics,
    /// Within the limit, of responses.
    pub on_time: Prop,
    /// Within an extension, of responses.
    pub on_time_extended: Prop,
    /// Late, of responses.
    pub late: Prop,
}

impl StageColumn {
    fn new(profile: &str, s: &StageMetrics) -> StageColumn {
        StageColumn {
            profile: profile.to_string(),
            s: s.clone(),
            on_time: Prop::new(s.on_time, s.responses),
            on_time_extended: Prop::new(s.on_time_extended, s.responses),
            late: Prop::new(s.late, s.responses),
        }
    }
}

/// A label and a count (reasons, statuses).
#[derive(Debug, Clone, Serialize)]
pub struct Count {
    /// What is counted.
    pub label: String,
    /// How many.
    pub n: u64,
}

/// Counts from a map, largest first (ties by label).
pub fn sorted_counts(map: &BTreeMap<String, u64>) -> Vec<Count> {
    let mut rows: Vec<Count> = map.iter().map(|(k, v)| Count { label: k.clone(), n: *v }).collect();
    rows.sort_by(|a, b| b.n.cmp(&a.n).then_with(|| a.label.cmp(&b.label)));
    rows
}

/// Open complaints in one age band, per stage.
#[derive(Debug, Clone, Serialize)]
pub struct AgeRow {
    /// "0–5", "over 40" …
    pub band: &'static str,
    /// (open, overdue) per stage, in the order of `BoardView::open_stages`.
    pub stages: Vec<(u64, u64)>,
}

/// A repeat complainant, pseudonymised.
#[derive(Debug, Clone, Serialize)]
pub struct RepeatRow {
    /// "A", "B" … (shown as "Complainant A").
    pub pseudonym: String,
    /// Stage 1 complaints in the 12 months.
    pub in_window: u64,
    /// Of those, received this period.
    pub this_period: u64,
    /// Categories of their complaints in the window.
    pub categories: Vec<String>,
}

/// One outcome and its count at each stage.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeRow {
    /// The normalised outcome.
    pub outcome: String,
    /// Responses per stage with it.
    pub counts: Vec<u64>,
}

/// One row of the TSM table.
#[derive(Debug, Clone, Serialize)]
pub struct TsmRow {
    /// 1 or 2.
    pub stage: usize,
    /// "LCRA", "LCHO" or "Combined".
    pub tenure: &'static str,
    /// CH01.
    pub ch01: Ch01,
    /// CH02.
    pub ch02: Ch02,
}

/// One line of the bridge from complaints received to the TSM count.
#[derive(Debug, Clone, Serialize)]
pub struct BridgeRow {
    /// `received`, `not_accepted`, `outside`, `not_recorded` or `counted`.
    pub kind: &'static str,
    /// The tenure, for an `outside` line.
    pub tenure: String,
    /// Stage 1 and stage 2.
    pub counts: [u64; 2],
}

/// The bridge as table rows, the tenures outside the TSMs one line each.
pub fn bridge_rows(b: &crate::metrics::model::Bridge) -> Vec<BridgeRow> {
    let (s1, s2) = (&b.stage1, &b.stage2);
    let row = |kind, counts| BridgeRow { kind, tenure: String::new(), counts };
    let mut rows =
        vec![row("received", [s1.received, s2.received]), row("not_accepted", [s1.not_accepted, s2.not_accepted])];
    let tenures: std::collections::BTreeSet<&String> = s1.outside_tsm.keys().chain(s2.outside_tsm.keys()).collect();
    for t in tenures {
        let n = |m: &BTreeMap<String, u64>| m.get(t).copied().unwrap_or(0);
        rows.push(BridgeRow { kind: "outside", tenure: t.clone(), counts: [n(&s1.outside_tsm), n(&s2.outside_tsm)] });
    }
    rows.push(row("not_recorded", [s1.tenure_not_recorded, s2.tenure_not_recorded]));
    rows.push(row("counted", [s1.counted, s2.counted]));
    rows
}

/// Identical lessons grouped, for the table.
#[derive(Debug, Clone, Serialize)]
pub struct LessonRow {
    /// Theme.
    pub theme: String,
    /// What was learned.
    pub lesson: String,
    /// What changes.
    pub action: String,
    /// Team accountable.
    pub owner: String,
    /// Complaints that taught it.
    pub complaints: usize,
    /// Earliest due date.
    pub first_due: Option<NaiveDate>,
    /// Latest due date.
    pub last_due: Option<NaiveDate>,
    /// Actions by status as recorded.
    pub statuses: Vec<Count>,
    /// Actions overdue.
    pub overdue: usize,
}

/// An overdue lesson action.
#[derive(Debug, Clone, Serialize)]
pub struct OverdueRow {
    /// Theme.
    pub theme: String,
    /// The action.
    pub action: String,
    /// Team accountable.
    pub owner: String,
    /// Due date.
    pub due: NaiveDate,
    /// Status as recorded ("not recorded" when blank).
    pub status: String,
    /// Days past due at as-of.
    pub days_overdue: i64,
}

/// One header of an input file and what it became.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnView {
    /// The header as written.
    pub header: String,
    /// What became of it, in words.
    pub explain: String,
    /// Recognised from its words (to check) or left unused as ambiguous.
    pub unsure: bool,
}

/// One input file on the cover and in the appendix.
#[derive(Debug, Clone, Serialize)]
pub struct FileRow {
    /// Path as given.
    pub path: String,
    /// Sheet, for spreadsheets.
    pub sheet: Option<String>,
    /// Rows read.
    pub rows_read: usize,
    /// Every header and what it became.
    pub columns: Vec<ColumnView>,
}

/// The input files with their headers' meanings.
pub fn file_rows(ledger: &Ledger) -> Vec<FileRow> {
    use crate::ingest::headers::How;
    ledger
        .files
        .iter()
        .map(|f| FileRow {
            path: f.path.clone(),
            sheet: f.sheet.clone(),
            rows_read: f.rows_read,
            columns: f
                .columns
                .iter()
                .map(|c| ColumnView {
                    header: c.header.clone(),
                    explain: c.explain(),
                    unsure: matches!(c.how, How::Inferred | How::Ambiguous),
                })
                .collect(),
        })
        .collect()
}

/// Everything the Board report template shows.
#[derive(Debug, Clone, Serialize)]
pub struct BoardView {
    /// Landlord name.
    pub landlord: String,
    /// Every figure of the period (with the trend).
    pub m: Metrics,
    /// The period.
    pub period: PeriodInfo,
    /// The landlord's profile.
    pub profile: Profile,
    /// The landlord's profile is the Code in force, so nothing is shown twice.
    pub profile_is_code: bool,
    /// The label of the previous period ("the previous period" without one).
    pub prev_label: String,
    /// Input files.
    pub files: Vec<FileRow>,
    /// Data-quality counts.
    pub input: InputCounts,
    /// Executive summary sentences.
    pub summary: Vec<String>,
    /// The manager's commentary.
    pub commentary: String,
    /// Headline tiles.
    pub tiles: Tiles,
    /// Timeliness columns: the landlord's stages, then the Code's when it differs.
    pub stage_columns: Vec<StageColumn>,
    /// Trend charts.
    pub trend_charts: Vec<Chart>,
    /// Response-time histograms per stage.
    pub distribution_charts: Vec<Chart>,
    /// Stage 1 by category (chart).
    pub category_chart: Option<Chart>,
    /// Stage 1 by channel, when the data has channels.
    pub channels: Option<Vec<CategoryRow>>,
    /// Stage names of the open-age table.
    pub open_stages: Vec<String>,
    /// Open complaints by age band.
    pub open_ages: Vec<AgeRow>,
    /// Open at as-of, all stages.
    pub open: u64,
    /// Of those, overdue.
    pub overdue: u64,
    /// Refusals to escalate by reason.
    pub refusal_reasons: Vec<Count>,
    /// Complaints not accepted by reason.
    pub not_accepted_reasons: Vec<Count>,
    /// This period's stage 1 complaints from repeat complainants, of all stage 1 complaints.
    pub repeat_share: Option<Prop>,
    /// The top ten repeat complainants, pseudonymised.
    pub repeat_top: Vec<RepeatRow>,
    /// Outcomes per stage.
    pub outcomes: Vec<OutcomeRow>,
    /// Ombudsman determinations.
    pub determinations: Vec<Count>,
    /// The Ombudsman's evidence limit in working days.
    pub evidence_days: u32,
    /// TSM rows.
    pub tsm: Vec<TsmRow>,
    /// From stage 1 and 2 complaints received in the TSM year to the CH01 numerators.
    pub tsm_bridge: Vec<BridgeRow>,
    /// Answered with no readable response date, all stages.
    pub answered_date_unknown: u64,
    /// Superseded rows at another stage than the row used: an export with a row per stage.
    pub stage_rows: Option<StageRows>,
    /// Rows whose stage column names a later stage than any of their dates.
    pub later_stage: Option<LaterStage>,
    /// Rows whose column of case kinds says they are not complaints.
    pub other_kinds: Option<OtherKinds>,
    /// Lesson actions by status.
    pub lesson_statuses: Vec<Count>,
    /// The lessons, identical ones grouped.
    pub lessons: Vec<LessonRow>,
    /// Every overdue action at as-of.
    pub overdue_actions: Vec<OverdueRow>,
    /// Dropped values by rule heading.
    pub dropped_by_rule: Vec<Count>,
    /// The command that lists every finding.
    pub quality_command: String,
    /// Tool and version.
    pub generator: String,
    /// The Member Responsible for Complaints.
    pub mrc: Option<Mrc>,
    /// Their statement (answers file).
    pub mrc_statement: String,
    /// The Ombudsman's decisions, orders and failure orders.
    pub ombudsman: Option<OmbudsmanView>,
    /// Whether an answers file was given (for the self-assessment actions).
    pub answers_given: bool,
    /// The self-assessment's actions not yet complete, overdue first.
    pub open_actions: Vec<TrackedAction>,
    /// Of those, overdue.
    pub overdue_assessment_actions: usize,
    /// Casework rows the case export does not have, and the casework's rejected rows.
    pub casework_quality: CaseworkQuality,
    /// The TSMs among peers (when configured).
    pub peers: Option<super::peers::PeersView>,
}

/// How the Ombudsman casework file read.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CaseworkQuality {
    /// The file, when one was given.
    pub file: Option<String>,
    /// Rows read.
    pub rows_read: usize,
    /// Rows used.
    pub rows_used: usize,
    /// Rows rejected, with their reasons.
    pub rejected: Vec<crate::ingest::quality::Rejected>,
    /// Values dropped.
    pub dropped: usize,
    /// Rows whose case the case export does not have (listed, still counted).
    pub not_in_export: Vec<crate::ingest::casework::Unmatched>,
    /// Determinations in the export with no date.
    pub undated: usize,
}

impl CaseworkQuality {
    /// The casework's ledger for the appendix.
    pub fn of(c: &Casework) -> CaseworkQuality {
        CaseworkQuality {
            file: c.files.first().map(|f| f.path.clone()),
            rows_read: c.rows_read(),
            rows_used: c.records.len(),
            rejected: c.rejected.clone(),
            dropped: c.dropped.len(),
            not_in_export: c.not_in_export.clone(),
            undated: c.undated.len(),
        }
    }
}

/// What the Board view is built from.
pub struct BoardInput<'a> {
    /// The config (landlord, targets, commentary).
    pub config: &'a Config,
    /// The landlord's profile.
    pub profile: &'a Profile,
    /// The period's figures.
    pub m: &'a Metrics,
    /// What the pages show beyond them.
    pub detail: &'a Detail,
    /// The data-quality ledger.
    pub ledger: &'a Ledger,
    /// The Ombudsman casework.
    pub casework: &'a Casework,
    /// The answers file, when given (MRC statement, failure orders, self-assessment actions).
    pub answers: Option<&'a Answers>,
}

/// Builds the Board report's view.
pub fn view(input: &BoardInput) -> BoardView {
    let BoardInput { config, profile, m, detail, ledger, casework, answers } = *input;
    // The Board report is internal: text is shown as recorded.
    let as_recorded = |t: &str| t.to_string();
    let open_actions: Vec<TrackedAction> = answers
        .map(|a| tracked_actions(a, m.period.as_of, &as_recorded).into_iter().filter(|x| !x.complete).collect())
        .unwrap_or_default();
    let prev = m.trend.last();
    let open_stages: Vec<String> = detail.open_ages.iter().map(|a| a.name.clone()).collect();
    BoardView {
        landlord: super::landlord_name(config, "Landlord"),
        m: m.clone(),
        period: m.period.clone(),
        profile: profile.clone(),
        profile_is_code: m.code.profile == m.profile,
        prev_label: prev.map(|p| p.period.label.clone()).unwrap_or_else(|| "the previous period".into()),
        files: file_rows(ledger),
        input: ledger.counts(),
        summary: summary::summary(m, prev, &config.targets),
        commentary: config.text.commentary.clone(),
        tiles: tiles(m, prev, config),
        stage_columns: stage_columns(m),
        trend_charts: trend_charts(m, "quarter"),
        distribution_charts: distribution_charts(detail),
        category_chart: category_chart(m),
        channels: detail.channels.clone(),
        open_ages: AGE_BANDS
            .iter()
            .enumerate()
            .map(|(b, (_, _, band))| AgeRow { band, stages: detail.open_ages.iter().map(|a| a.bands[b]).collect() })
            .collect(),
        open_stages,
        open: detail.open_ages.iter().map(|a| a.open).sum(),
        overdue: detail.open_ages.iter().map(|a| a.overdue).sum(),
        refusal_reasons: m.escalation.by_reason.iter().map(|(k, v)| Count { label: k.clone(), n: *v }).collect(),
        not_accepted_reasons: sorted_counts(&m.not_accepted.by_reason),
        repeat_share: m
            .repeat
            .as_ref()
            .map(|r| Prop::new(r.complaints, m.stages.first().map(|s| s.received).unwrap_or(0))),
        repeat_top: detail
            .repeat_top
            .iter()
            .map(|r| RepeatRow {
                pseudonym: pseudonym(r.rank),
                in_window: r.in_window,
                this_period: r.this_period,
                categories: r.categories.clone(),
            })
            .collect(),
        outcomes: outcome_rows(m),
        determinations: m
            .ombudsman
            .as_ref()
            .map(|o| o.determinations.iter().map(|(k, v)| Count { label: k.clone(), n: *v }).collect())
            .unwrap_or_default(),
        evidence_days: crate::metrics::ombudsman::EVIDENCE_DAYS as u32,
        tsm: tsm_rows(m),
        tsm_bridge: bridge_rows(&m.tsm.bridge),
        answered_date_unknown: m.stages.iter().map(|s| s.answered_date_unknown).sum(),
        stage_rows: ledger.stage_rows.clone(),
        later_stage: ledger.later_stage.clone(),
        other_kinds: ledger.other_kinds.clone(),
        lesson_statuses: m.lessons.as_ref().map(|l| sorted_counts(&l.actions)).unwrap_or_default(),
        lessons: lesson_rows(&detail.lessons),
        overdue_actions: overdue_rows(detail, m.period.as_of),
        dropped_by_rule: dropped_by_rule(ledger),
        quality_command: format!(
            "complaints validate {}",
            ledger.files.iter().map(|f| format!("\"{}\"", f.path)).collect::<Vec<_>>().join(" ")
        ),
        generator: super::generator(),
        mrc: config.mrc.clone(),
        mrc_statement: answers.map(|a| a.assessment.mrc_statement.clone()).unwrap_or_default(),
        ombudsman: ombudsman_view(
            m,
            ledger.files.iter().any(|f| f.fields.iter().any(|(name, _)| name == "ombudsman_referred_date")),
            answers,
            casework.not_in_export.len(),
            &as_recorded,
        ),
        answers_given: answers.is_some(),
        overdue_assessment_actions: open_actions.iter().filter(|x| x.overdue).count(),
        open_actions,
        casework_quality: CaseworkQuality::of(casework),
        peers: super::peers::view(m, &format!("us, {} to date", m.tsm.year)),
    }
}

fn rag(value: Option<f64>, target: Target) -> &'static str {
    match value {
        None => "none",
        Some(v) if v >= target.green => "green",
        Some(v) if v >= target.amber => "amber",
        Some(_) => "red",
    }
}

fn pct_tile(p: Prop, before: Option<Prop>, target: Target) -> PctTile {
    let prev = before.and_then(|b| b.pct);
    let change = p.pct.zip(prev).map(|(a, b)| ((a - b) * 10.0).round() / 10.0);
    PctTile { prop: p, rag: rag(p.pct, target), target, prev, change }
}

fn stage(m: &Metrics, k: usize) -> Option<&StageMetrics> {
    m.stages.iter().find(|s| s.stage == k)
}

/// Responses within timescale as a proportion of responses.
pub fn within_prop(s: &StageMetrics) -> Prop {
    Prop::new(s.within_timescale, s.responses)
}

/// The headline tiles.
pub fn tiles(m: &Metrics, prev: Option<&Metrics>, config: &Config) -> Tiles {
    let t = &config.targets;
    let before = |k: usize| prev.and_then(|p| stage(p, k));
    Tiles {
        received: stage(m, 1).map(|s| CountTile { n: s.received, prev: before(1).map(|b| b.received) }),
        not_accepted: m.not_accepted.total,
        s1_within: stage(m, 1).map(|s| pct_tile(within_prop(s), before(1).map(within_prop), t.stage1_within_timescale)),
        s1_ack: stage(m, 1)
            .and_then(|s| s.ack_on_time)
            .map(|a| pct_tile(a, before(1).and_then(|b| b.ack_on_time), t.ack_on_time)),
        s2_within: stage(m, 2).map(|s| pct_tile(within_prop(s), before(2).map(within_prop), t.stage2_within_timescale)),
        resolved_1: m
            .resolution
            .get(&1)
            .map(|r| pct_tile(*r, prev.and_then(|p| p.resolution.get(&1).copied()), t.stage1_resolution)),
        open: CountTile {
            n: m.stages.iter().map(|s| s.open).sum(),
            prev: prev.map(|p| p.stages.iter().map(|s| s.open).sum()),
        },
        overdue: m.stages.iter().map(|s| s.overdue).sum(),
    }
}

/// The timeliness columns: the landlord's stages, then the Code's when the profiles differ.
pub fn stage_columns(m: &Metrics) -> Vec<StageColumn> {
    let mut out: Vec<StageColumn> = m.stages.iter().map(|s| StageColumn::new(&m.profile, s)).collect();
    if m.profile != m.code.profile {
        out.extend(m.code.stages.iter().map(|s| StageColumn::new(&m.code.profile, s)));
    }
    out
}

fn outcome_rows(m: &Metrics) -> Vec<OutcomeRow> {
    ["upheld", "partly upheld", "not upheld", "not recorded"]
        .into_iter()
        .filter(|name| m.stages.iter().any(|s| s.outcomes.get(*name).is_some_and(|v| *v > 0)))
        .map(|name| OutcomeRow {
            outcome: name.to_string(),
            counts: m.stages.iter().map(|s| s.outcomes.get(name).copied().unwrap_or(0)).collect(),
        })
        .collect()
}

/// The TSM table: stages 1 and 2, LCRA, LCHO and Combined.
pub fn tsm_rows(m: &Metrics) -> Vec<TsmRow> {
    let t = &m.tsm;
    let mut rows = Vec::new();
    for (k, c1, c2) in [(1, &t.ch01.stage1, &t.ch02.stage1), (2, &t.ch01.stage2, &t.ch02.stage2)] {
        for (tenure, ch01, ch02) in
            [("LCRA", c1.lcra, c2.lcra), ("LCHO", c1.lcho, c2.lcho), ("Combined", c1.combined, c2.combined)]
        {
            rows.push(TsmRow { stage: k, tenure, ch01, ch02 });
        }
    }
    rows
}

/// The lesson groups for the table.
pub fn lesson_rows(groups: &[LessonGroup]) -> Vec<LessonRow> {
    groups
        .iter()
        .map(|g| LessonRow {
            theme: g.theme.clone(),
            lesson: g.lesson.clone(),
            action: g.action.clone(),
            owner: g.owner.clone(),
            complaints: g.complaints,
            first_due: g.first_due,
            last_due: g.last_due,
            statuses: g.statuses.iter().map(|(k, v)| Count { label: k.clone(), n: *v as u64 }).collect(),
            overdue: g.overdue,
        })
        .collect()
}

fn overdue_rows(detail: &Detail, as_of: NaiveDate) -> Vec<OverdueRow> {
    detail
        .overdue_actions
        .iter()
        .map(|r| {
            let due = r.due.unwrap_or(as_of);
            OverdueRow {
                theme: if r.theme.is_empty() { "not recorded".into() } else { r.theme.clone() },
                action: r.action.clone(),
                owner: r.owner.clone(),
                due,
                status: if r.status.is_empty() { "not recorded".into() } else { r.status.clone() },
                days_overdue: (as_of - due).num_days(),
            }
        })
        .collect()
}

fn dropped_by_rule(ledger: &Ledger) -> Vec<Count> {
    let mut by_rule: BTreeMap<&str, u64> = BTreeMap::new();
    for d in &ledger.dropped {
        *by_rule.entry(d.rule.heading()).or_default() += 1;
    }
    by_rule.into_iter().map(|(k, n)| Count { label: k.to_string(), n }).collect()
}

/// A, B, … Z, AA, AB …
pub fn pseudonym(rank: usize) -> String {
    let mut n = rank;
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (n % 26) as u8) as char);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    s
}

fn short_label(label: &str) -> String {
    // "2024/25 Q3" → "24/25 Q3"
    label.strip_prefix("20").unwrap_or(label).to_string()
}

/// The trend charts: volumes, timeliness per stage split by extension, stage resolution.
pub fn trend_charts(m: &Metrics, unit: &str) -> Vec<Chart> {
    let periods: Vec<&Metrics> = m.trend.iter().chain(std::iter::once(m)).collect();
    let labels: Vec<String> = periods.iter().map(|p| short_label(&p.period.label)).collect();
    let span = format!("{} to {}", periods.first().map(|p| p.period.label.as_str()).unwrap_or(""), m.period.label);
    let mut charts = vec![volume_chart(m, &periods, &labels, &span, unit)];
    for (i, s) in m.stages.iter().enumerate().take(2) {
        charts.push(timeliness_chart(s, i, &periods, &labels, &span, unit));
    }
    charts.push(resolution_chart(m, &periods, labels, &span, unit));
    charts
}

fn volume_chart(m: &Metrics, periods: &[&Metrics], labels: &[String], span: &str, unit: &str) -> Chart {
    charts::render(Spec {
        id: "trend-volumes".into(),
        title: format!("Complaints received by {unit}"),
        desc: format!(
            "Bar chart of complaints received at each stage, {span}. This period: {}.",
            m.stages
                .iter()
                .map(|s| format!("{} {}", s.name, crate::format::thousands(s.received)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        categories: labels.to_vec(),
        series: m
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| Series {
                name: s.name.clone(),
                values: periods.iter().map(|p| p.stages.get(i).map(|s| s.received as f64)).collect(),
            })
            .collect(),
        layout: Layout::Grouped,
        y_label: "complaints".into(),
        y_max: None,
        markers: vec![],
        size: (680, 300),
    })
}

fn timeliness_chart(
    s: &StageMetrics,
    i: usize,
    periods: &[&Metrics],
    labels: &[String],
    span: &str,
    unit: &str,
) -> Chart {
    let share =
        |p: &Metrics, f: fn(&StageMetrics) -> u64| p.stages.get(i).and_then(|s| Prop::new(f(s), s.responses).pct);
    charts::render(Spec {
        id: format!("trend-timeliness-{}", i + 1),
        title: format!("{} responses within timescale", s.name),
        desc: format!(
            "Stacked bars: the share of {} responses each {unit} sent within the limit, and within an agreed extension, {span}. This period: {} within timescale.",
            s.name.to_lowercase(),
            crate::format::pct(&within_prop(s))
        ),
        categories: labels.to_vec(),
        series: vec![
            Series { name: "Within the limit".into(), values: periods.iter().map(|p| share(p, |s| s.on_time)).collect() },
            Series {
                name: "Within an extension".into(),
                values: periods.iter().map(|p| share(p, |s| s.on_time_extended)).collect(),
            },
        ],
        layout: Layout::Stacked,
        y_label: "% of responses".into(),
        y_max: Some(100.0),
        markers: vec![],
        size: (680, 280),
    })
}

fn resolution_chart(m: &Metrics, periods: &[&Metrics], labels: Vec<String>, span: &str, unit: &str) -> Chart {
    charts::render(Spec {
        id: "trend-resolution".into(),
        title: "Stage resolution".into(),
        desc: format!(
            "Lines: the share of complaints closed each {unit} that were resolved at each stage, {span}. This period: {}.",
            m.resolution.iter().map(|(k, p)| format!("stage {k} {}", crate::format::pct(p))).collect::<Vec<_>>().join(", ")
        ),
        categories: labels,
        series: m
            .resolution
            .keys()
            .map(|k| Series {
                name: format!("Resolved at stage {k}"),
                values: periods.iter().map(|p| p.resolution.get(k).and_then(|r| r.pct)).collect(),
            })
            .collect(),
        layout: Layout::Lines,
        y_label: "% of closed complaints".into(),
        y_max: Some(100.0),
        markers: vec![],
        size: (680, 280),
    })
}

/// Response-time histograms in working days, with the limit and the extended limit marked.
pub fn distribution_charts(detail: &Detail) -> Vec<Chart> {
    detail
        .response_times
        .iter()
        .map(|t| {
            let longest = (t.limit + t.max_extension) as i32;
            let cap = (longest + 10).max(t.limit as i32 * 2);
            let mut bins = vec![0u64; cap as usize + 2];
            for (days, n) in &t.by_days {
                bins[(*days).clamp(0, cap + 1) as usize] += n;
            }
            let categories: Vec<String> =
                (0..=cap + 1).map(|i| if i == cap + 1 { format!("{}+", cap + 1) } else { i.to_string() }).collect();
            let mut markers = vec![Marker { at: t.limit as f64 + 1.0, label: format!("limit {}", t.limit) }];
            if t.max_extension > 0 {
                markers.push(Marker { at: longest as f64 + 1.0, label: format!("with extension {longest}") });
            }
            charts::render(Spec {
                id: format!("distribution-{}", t.stage),
                title: format!("{}: working days to respond", t.name),
                desc: format!(
                    "Histogram of {} {} responses this period by working days from the clock start to the response. {} of them were within the {}-day limit; the dashed lines mark the limit and the limit with the largest extension ({} days).",
                    crate::format::thousands(t.total()),
                    t.name.to_lowercase(),
                    crate::format::thousands(t.within_limit()),
                    t.limit,
                    longest
                ),
                categories,
                series: vec![Series { name: "Responses".into(), values: bins.iter().map(|n| Some(*n as f64)).collect() }],
                layout: Layout::Grouped,
                y_label: "responses".into(),
                y_max: None,
                markers,
                size: (680, 260),
            })
        })
        .collect()
}

/// Stage 1 received by category as a bar chart.
pub fn category_chart(m: &Metrics) -> Option<Chart> {
    if m.by_category.is_empty() {
        return None;
    }
    let rows: Vec<_> = m.by_category.iter().take(12).collect();
    Some(charts::render(Spec {
        id: "chart-categories".into(),
        title: "Stage 1 complaints by category".into(),
        desc: format!(
            "Bar chart of stage 1 complaints received this period by category. Most: {}.",
            rows.iter()
                .take(3)
                .map(|c| format!("{} ({})", c.category, crate::format::thousands(c.received)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        categories: rows.iter().map(|c| c.category.clone()).collect(),
        series: vec![Series {
            name: "Received".into(),
            values: rows.iter().map(|c| Some(c.received as f64)).collect(),
        }],
        layout: Layout::Horizontal,
        y_label: "stage 1 complaints received".into(),
        y_max: None,
        markers: vec![],
        size: (680, 60 + 28 * rows.len() as u32),
    }))
}
