//! The data-quality ledger (SPEC §2): rejected rows, dropped values, superseded duplicates, and
//! the rules that decide them. Nothing read is lost: every row is used, rejected or superseded.

use serde::Serialize;

use super::values::Value;
use crate::fields::{self, FieldKind, FIELDS};

/// Why a value was dropped, in the order the rules are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DropRule {
    /// Rule 1: the value could not be understood.
    Unparseable,
    /// Rule 1b: a date the working-day calendar cannot count (outside its years).
    OutsideCalendar,
    /// Rule 2: a date (other than `issue_date`) before `received_date`.
    BeforeReceived,
    /// Rule 3: a stage-k date with no stage-(k−1) response.
    NoPreviousResponse,
    /// Rule 4: an acknowledgement after the response of the same stage.
    AckAfterResponse,
    /// Ombudsman casework: an order's due or compliance date before the decision.
    BeforeDecision,
}

impl DropRule {
    /// A heading for the group in `validate` output.
    pub fn heading(self) -> &'static str {
        match self {
            DropRule::Unparseable => "Values that could not be read",
            DropRule::OutsideCalendar => "Dates outside the working-day calendar",
            DropRule::BeforeReceived => "Dates before the complaint was received",
            DropRule::NoPreviousResponse => "Later-stage dates with no response at the stage before",
            DropRule::AckAfterResponse => "Acknowledgements dated after the response",
            DropRule::BeforeDecision => "Ombudsman order dates before the decision",
        }
    }

    /// What the complaints officer should do about it.
    pub fn fix(self) -> &'static str {
        match self {
            DropRule::Unparseable => {
                "correct the value in the case-management system, or map the column in [columns] if it is the wrong one"
            }
            DropRule::OutsideCalendar => {
                "correct the date (probably mistyped), or give a bank-holidays file covering it with --holidays FILE"
            }
            DropRule::BeforeReceived => "check the received date and this date; one of them is mistyped",
            DropRule::NoPreviousResponse => {
                "record the previous stage's response date, or check the escalation was entered on the right case"
            }
            DropRule::AckAfterResponse => "check the acknowledgement and response dates of this stage",
            DropRule::BeforeDecision => "check the order's dates against the Ombudsman's determination",
        }
    }
}

/// A row that is not used at all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rejected {
    /// File as given.
    pub file: String,
    /// Row number in the file.
    pub row: usize,
    /// The column at fault, as headed in the file.
    pub column: String,
    /// The value found (empty when blank).
    pub value: String,
    /// Why the row cannot be used.
    pub reason: String,
}

/// A value dropped from a row that is otherwise used; it is treated as not recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dropped {
    /// File as given.
    pub file: String,
    /// The file's position on the command line (the same file given twice is two sources).
    #[serde(skip)]
    pub file_index: usize,
    /// Row number in the file.
    pub row: usize,
    /// The case the row belongs to.
    pub case_id: String,
    /// Column as headed in the file.
    pub column: String,
    /// Canonical field.
    pub field: String,
    /// The value as written.
    pub value: String,
    /// Which rule dropped it.
    pub rule: DropRule,
    /// Why, in words.
    pub reason: String,
}

/// A row replaced by a later row of the same case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Superseded {
    /// The case reference.
    pub case_id: String,
    /// File of the superseded row.
    pub file: String,
    /// Row of the superseded row.
    pub row: usize,
    /// File of the row used instead.
    pub by_file: String,
    /// Row of the row used instead.
    pub by_row: usize,
}

/// What was read from one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileSummary {
    /// Path as given.
    pub path: String,
    /// Sheet read, for spreadsheets.
    pub sheet: Option<String>,
    /// Row number of the header.
    pub header_row: usize,
    /// Data rows read (blank rows and rows above the header are not rows).
    pub rows_read: usize,
    /// (canonical field, header as written) for every recognised column.
    pub fields: Vec<(String, String)>,
    /// Headers kept as extra columns.
    pub extra_columns: Vec<String>,
    /// Every header and what it became (config, known, inferred, extra or ambiguous).
    pub columns: Vec<crate::ingest::headers::ColumnInfo>,
}

impl FileSummary {
    /// What was read from a file whose header `map` found in `source`.
    pub fn of(path: &str, source: &super::source::Source, map: &super::headers::ColumnMap, rows_read: usize) -> Self {
        FileSummary {
            path: path.to_string(),
            sheet: source.sheet().map(str::to_string),
            header_row: map.header_row,
            rows_read,
            fields: map.fields().map(|(_, f, h)| (f.name.to_string(), h.to_string())).collect(),
            extra_columns: map.extras().map(|(_, h)| h.to_string()).collect(),
            columns: map.columns.clone(),
        }
    }
}

/// The SPEC §6 `input` object.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct InputCounts {
    /// Paths as given.
    pub files: Vec<String>,
    /// Rows read from every file.
    pub rows_read: usize,
    /// Rows used (one per case).
    pub rows_used: usize,
    /// Rows rejected.
    pub rows_rejected: usize,
    /// Values dropped from used rows.
    pub warnings: usize,
    /// Rows superseded by a later row of the same case.
    pub duplicates: usize,
}

/// Everything found about the input's quality.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Ledger {
    /// Per-file summaries.
    pub files: Vec<FileSummary>,
    /// Rows used.
    pub rows_used: usize,
    /// Rejected rows.
    pub rejected: Vec<Rejected>,
    /// Dropped values.
    pub dropped: Vec<Dropped>,
    /// Superseded rows.
    pub superseded: Vec<Superseded>,
    /// Category spellings in the used rows that look like one theme.
    pub category_merges: Vec<crate::ingest::categories::MergeCandidate>,
    /// Used rows with a tenure column but no tenure: left out of the TSMs.
    pub tenure_not_recorded: Vec<RowRef>,
    /// Superseded rows whose stage column differs from the row used instead: an export giving
    /// each stage of a complaint a row of its own.
    pub stage_rows: Option<StageRows>,
    /// Rows whose stage column names a later stage than any of their dates: one row per
    /// complaint at its current stage, it seems.
    pub later_stage: Option<LaterStage>,
    /// Rows whose column of case kinds says they are not complaints ("Compliment", "Service
    /// Request"): an export of every kind of case, it seems.
    pub other_kinds: Option<OtherKinds>,
    /// Tenures of used rows that are neither LCRA nor LCHO: outside the TSMs.
    pub tenures_outside_tsm: Vec<OutsideTsm>,
}

/// A tenure the used rows have that the TSMs do not count (neither LCRA nor LCHO).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutsideTsm {
    /// As written (after the config's `[tenures]`).
    pub tenure: String,
    /// Rows with it.
    pub rows: usize,
    /// The stock type it seems to be ("General Needs": LCRA), to map it to under `[tenures]`.
    pub seems: Option<&'static str>,
}

/// Rows used whose column naming the kind of case ("Type": "Complaint", "Compliment",
/// "Service Request") says another kind than a complaint. Every row is counted as a complaint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OtherKinds {
    /// The column, as headed.
    pub column: String,
    /// Such rows.
    pub rows: usize,
    /// Each kind other than a complaint as written, with its rows: most first, then by name.
    pub kinds: Vec<(String, usize)>,
    /// The first such row's case reference.
    pub example: String,
}

/// Rows used whose column naming the stage says stage 2 or 3 ("Stage 2") while they have no date
/// of that stage: their dates are read by their headers, which may name another stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaterStage {
    /// The column, as headed.
    pub column: String,
    /// Such rows.
    pub rows: usize,
    /// The first: its reference, its value there and the stage that names.
    pub example: (String, String, usize),
}

/// Cases whose rows differ in a column naming the stage ("Stage 1" in the row superseded,
/// "Stage 2" in the row used): the export looks like one row per stage, which is read as one
/// complaint's later row superseding the earlier, so the earlier stage's dates are not used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageRows {
    /// The column, as headed.
    pub column: String,
    /// Superseded rows whose value there differs from the row used instead.
    pub rows: usize,
    /// The first such case: its reference, its value in the superseded row and in the row used.
    pub example: (String, String, String),
}

/// A used row, named for a warning.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowRef {
    /// File as given.
    pub file: String,
    /// Row number in the file.
    pub row: usize,
    /// The case reference.
    pub case_id: String,
}

impl Ledger {
    /// The counts, where `rows_read = rows_used + rows_rejected + duplicates`.
    pub fn counts(&self) -> InputCounts {
        InputCounts {
            files: self.files.iter().map(|f| f.path.clone()).collect(),
            rows_read: self.files.iter().map(|f| f.rows_read).sum(),
            rows_used: self.rows_used,
            rows_rejected: self.rejected.len(),
            warnings: self.dropped.len(),
            duplicates: self.superseded.len(),
        }
    }
}

/// Position of a canonical field in `FIELDS`.
pub fn index_of(name: &str) -> usize {
    FIELDS.iter().position(|f| f.name == name).unwrap_or_else(|| panic!("unknown field {name}"))
}

/// Where a row came from and how to describe its cells, for ledger entries.
pub struct RowContext<'r> {
    /// File as given.
    pub file: &'r str,
    /// The file's position on the command line.
    pub file_index: usize,
    /// Row number in the file.
    pub row: usize,
    /// The case reference.
    pub case_id: &'r str,
    /// Header as written per entry of `FIELDS` (empty when the file has no such column).
    pub headers: &'r [String],
    /// The value as written per entry of `FIELDS`.
    pub raw: &'r dyn Fn(usize) -> String,
}

impl RowContext<'_> {
    /// Drops value `i` for `rule`, recording why.
    pub fn drop_value(
        &self,
        values: &mut [Option<Value>],
        i: usize,
        rule: DropRule,
        reason: String,
        out: &mut Vec<Dropped>,
    ) {
        values[i] = None;
        out.push(Dropped {
            file: self.file.to_string(),
            file_index: self.file_index,
            row: self.row,
            case_id: self.case_id.to_string(),
            column: self.headers[i].clone(),
            field: FIELDS[i].name.to_string(),
            value: (self.raw)(i),
            rule,
            reason,
        });
    }
}

fn date_of(values: &[Option<Value>], i: usize) -> Option<chrono::NaiveDate> {
    match values[i] {
        Some(Value::Date(d)) => Some(d),
        _ => None,
    }
}

/// The dates working days are counted over: a value outside the calendar cannot be timed.
/// (Worked out once per field in `RULE_FIELDS`; rows ask the list.)
pub fn counted_in_working_days(field: &str) -> bool {
    field == "received_date"
        || field.starts_with("ombudsman_evidence")
        || (field.starts_with('s')
            && ["requested", "ack", "due", "response"].iter().any(|p| field.ends_with(&format!("{p}_date"))))
}

/// Rule 1b: drops working-day dates outside `range` (the received date is checked before, and
/// rejects the row).
pub fn check_calendar_range(
    values: &mut [Option<Value>],
    ctx: &RowContext,
    range: (chrono::NaiveDate, chrono::NaiveDate),
    out: &mut Vec<Dropped>,
) {
    for &i in &RULE_FIELDS.timed_after_receipt {
        if let Some(d) = date_of(values, i).filter(|d| *d < range.0 || *d > range.1) {
            ctx.drop_value(values, i, DropRule::OutsideCalendar, outside_calendar(d, range), out);
        }
    }
}

/// Why a date outside the calendar cannot be used.
pub fn outside_calendar(d: chrono::NaiveDate, range: (chrono::NaiveDate, chrono::NaiveDate)) -> String {
    format!(
        "{} is outside the working-day calendar ({} to {})",
        d.format("%d/%m/%Y"),
        range.0.format("%d/%m/%Y"),
        range.1.format("%d/%m/%Y")
    )
}

/// Applies rules 2–4 to a row (rule 1 is applied while parsing), in order; a value dropped by one
/// rule is not tested by the next.
pub fn apply_rules(values: &mut [Option<Value>], ctx: &RowContext, out: &mut Vec<Dropped>) {
    let idx = &*RULE_FIELDS;
    let Some(received) = date_of(values, idx.received) else { return };
    // Rule 2: no date other than issue_date before received_date.
    for &i in &idx.dates_after_receipt {
        if let Some(d) = date_of(values, i) {
            if d < received {
                let reason = format!(
                    "{} is before the complaint was received ({})",
                    d.format("%d/%m/%Y"),
                    received.format("%d/%m/%Y")
                );
                ctx.drop_value(values, i, DropRule::BeforeReceived, reason, out);
            }
        }
    }
    // Rule 3: stage-k dates need a stage-(k−1) response; stages in order so a drop cascades.
    for k in 2..=3 {
        if date_of(values, idx.response[k - 2]).is_some() {
            continue;
        }
        for &i in &idx.stage_dates[k - 2] {
            if values[i].is_some() {
                let reason = format!("there is no stage {} response, so a stage {k} date cannot stand", k - 1);
                ctx.drop_value(values, i, DropRule::NoPreviousResponse, reason, out);
            }
        }
    }
    // Rule 4: an acknowledgement after the same stage's response is dropped.
    for k in 1..=3 {
        let (ack, response) = (idx.ack[k - 1], idx.response[k - 1]);
        if let (Some(a), Some(r)) = (date_of(values, ack), date_of(values, response)) {
            if a > r {
                let reason = format!("acknowledged after the stage {k} response ({})", r.format("%d/%m/%Y"));
                ctx.drop_value(values, ack, DropRule::AckAfterResponse, reason, out);
            }
        }
    }
}

/// Positions in `FIELDS` the rules use, worked out once rather than for every row.
pub struct RuleFields {
    /// `received_date`.
    pub received: usize,
    /// `case_id`.
    pub case_id: usize,
    /// The dates working days are counted over, but `received_date`.
    timed_after_receipt: Vec<usize>,
    /// Every date field but `received_date` and `issue_date`.
    dates_after_receipt: Vec<usize>,
    /// `s{k}_ack_date`, k = 1..=3.
    ack: [usize; 3],
    /// `s{k}_response_date`, k = 1..=3.
    response: [usize; 3],
    /// The requested/ack/due/response dates of stages 2 and 3.
    stage_dates: [[usize; 4]; 2],
}

/// Positions in `FIELDS` the rules and the row parser use.
pub static RULE_FIELDS: std::sync::LazyLock<RuleFields> = std::sync::LazyLock::new(|| {
    let received = index_of("received_date");
    let issue = index_of("issue_date");
    RuleFields {
        received,
        case_id: index_of("case_id"),
        timed_after_receipt: FIELDS
            .iter()
            .enumerate()
            .filter(|(i, f)| *i != received && counted_in_working_days(f.name))
            .map(|(i, _)| i)
            .collect(),
        dates_after_receipt: FIELDS
            .iter()
            .enumerate()
            .filter(|(i, f)| f.kind == FieldKind::Date && *i != received && *i != issue)
            .map(|(i, _)| i)
            .collect(),
        ack: [1, 2, 3].map(|k| index_of(&format!("s{k}_ack_date"))),
        response: [1, 2, 3].map(|k| index_of(&format!("s{k}_response_date"))),
        stage_dates: [2, 3].map(|k| fields::stage_date_fields(k).map(|name| index_of(&name))),
    }
});
