//! `complaints-generate`: a reproducible generator of realistic case-management exports — the
//! bundled sample data (CSV with title rows, mixed date styles and a few bad rows; XLSX with real
//! date cells) and tidy million-row CSVs for benchmarks. A developer tool behind the `generate`
//! feature: `cargo run --features generate --bin complaints-generate -- --help`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::{Datelike, NaiveDate};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use clap::Parser;
use complaints::calendar::Calendar;

/// Write realistic synthetic case exports (CSV and XLSX) for demonstrations and benchmarks.
#[derive(Debug, Parser)]
#[command(name = "complaints-generate", version, about)]
struct GenerateArgs {
    /// Number of cases.
    #[arg(long, default_value_t = 3000)]
    cases: usize,
    /// Random seed; the same seed gives the same files.
    #[arg(long, default_value_t = 2024)]
    seed: u64,
    /// Folder to write into.
    #[arg(long, default_value = "sample-data")]
    out: PathBuf,
    /// Write a tidy CSV only (no title rows, bad rows or XLSX): for benchmarks.
    #[arg(long)]
    clean: bool,
    /// With --clean: dates written day-first (31/03/2025) as CRM exports write them, not ISO.
    #[arg(long)]
    day_first: bool,
    /// With --clean: the cases in the order they were received (as many systems export them),
    /// not the order they were generated in. The same cases either way.
    #[arg(long)]
    in_arrival_order: bool,
    /// File name stem.
    #[arg(long, default_value = "complaints-export")]
    name: String,
}

fn main() {
    match write(&GenerateArgs::parse()) {
        Ok(paths) => {
            for p in paths {
                println!("wrote {}", p.display());
            }
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(2);
        }
    }
}

/// A yes/no/blank flag as an export holds it.
type Flag = Option<bool>;

/// One synthetic case with every field an export can carry.
#[derive(Debug, Clone, Default)]
struct Case {
    case_id: String,
    complainant_id: String,
    received: Option<NaiveDate>,
    category: &'static str,
    channel: &'static str,
    tenure: &'static str,
    excluded: bool,
    exclusion_reason: &'static str,
    s1_ack: Option<NaiveDate>,
    s1_extended: Flag,
    s1_due: Option<NaiveDate>,
    s1_response: Option<NaiveDate>,
    s1_outcome: &'static str,
    s2_requested: Option<NaiveDate>,
    s2_refused: bool,
    s2_refusal_reason: &'static str,
    s2_refusal_explained: Flag,
    s2_ack: Option<NaiveDate>,
    s2_extended: Flag,
    s2_due: Option<NaiveDate>,
    s2_response: Option<NaiveDate>,
    s2_outcome: &'static str,
    issue: Option<NaiveDate>,
    s1_handler: &'static str,
    s2_handler: &'static str,
    remedy_due: Option<NaiveDate>,
    remedy_done: Option<NaiveDate>,
    compensation_pence: Option<i64>,
    satisfied: Flag,
    hos_referred: Option<NaiveDate>,
    hos_evidence_requested: Option<NaiveDate>,
    hos_evidence_sent: Option<NaiveDate>,
    hos_determination: &'static str,
    hos_decided: Option<NaiveDate>,
    lesson: String,
    lesson_action: String,
    lesson_owner: &'static str,
    lesson_due: Option<NaiveDate>,
    lesson_status: &'static str,
    lesson_publish: Flag,
    ward: &'static str,
    property_type: &'static str,
    /// Cells to write verbatim instead of the typed value (the planted bad values), by header.
    overrides: Vec<(&'static str, String)>,
}

/// (weight, category, lesson, action, owner)
const CATEGORIES: &[(u32, &str, &str, &str, &str)] = &[
    (32, "Repairs", "Repeat visits were booked without checking whether the first operative had ordered parts.", "Operatives now record parts ordered on the job, and schedulers check before rebooking.", "Repairs Service"),
    (15, "Damp and mould", "Damp and mould reports were closed after a mould wash without a survey of the cause.", "Every damp and mould report now gets a surveyor's inspection within 10 working days and a follow-up visit after 6 weeks.", "Asset Management"),
    (9, "Communication", "Residents were not told when appointments changed.", "Text message alerts now go out whenever an appointment is moved.", "Customer Services"),
    (8, "ASB handling", "Action plans for anti-social behaviour cases were not shared with the person reporting.", "Every ASB case now has a written action plan sent to the resident within 5 working days.", "Neighbourhoods"),
    (7, "Staff conduct", "A visit was not carried out with the courtesy residents expect.", "All frontline staff have completed refreshed customer care training.", "People Team"),
    (7, "Estate services", "Communal cleaning was missed without residents being told.", "Cleaning schedules are now published for each block and missed cleans are reported weekly.", "Estate Services"),
    (6, "Rent and service charges", "Service charge statements were hard to understand.", "Statements have been redesigned with a resident panel and now explain each charge.", "Income Team"),
    (5, "Lettings", "New tenants moved into homes with outstanding repairs.", "A void standard checklist is now signed off before keys are handed over.", "Lettings"),
    (4, "Complaint handling", "Complaint responses did not always answer every point raised.", "Responses now follow a template that lists each point and our answer to it.", "Feedback Team"),
    (4, "Gas and heating", "Heating breakdowns over weekends waited until Monday.", "The out-of-hours contractor now attends heating breakdowns for vulnerable residents within 24 hours.", "Building Safety"),
    (3, "Other", "Calls about parking permits were passed between teams.", "One named team now owns parking enquiries.", "Customer Services"),
];
const CHANNELS: &[(u32, &str)] = &[
    (38, "Phone"),
    (24, "Email"),
    (16, "Online portal"),
    (6, "Letter"),
    (6, "In person"),
    (5, "Social media"),
    (5, "Webchat"),
];
const TENURES: &[(u32, &str)] = &[(88, "LCRA"), (9, "LCHO"), (3, "Leasehold")];
const EXCLUSIONS: &[&str] = &[
    "First-time service request",
    "Insurance liability claim",
    "Legal proceedings started",
    "Raised more than 12 months after the issue",
    "Already dealt with under the complaints policy",
    "Level of rent or service charge",
];
const REFUSALS: &[(u32, &str)] = &[
    (4, "New issue not raised at stage 1"),
    (3, "Legal proceedings started"),
    (2, "Escalation requested after the deadline"),
    (1, ""),
];
const STAFF_S1: &[&str] =
    &["J. Okafor", "S. Patel", "M. Hughes", "R. Nowak", "L. Brennan", "K. Ahmed", "D. Evans", "T. Lewis"];
const STAFF_S2: &[&str] =
    &["A. Clarke (Feedback Manager)", "P. Singh (Head of Service)", "H. Morgan (Head of Service)"];
const WARDS: &[&str] = &["Northgate", "Riverside", "Castle", "Millfield", "St Anne's", "Westbrook"];
const PROPERTY_TYPES: &[&str] = &["House", "Flat", "Maisonette", "Bungalow", "Sheltered flat"];
const DETERMINATIONS: &[(u32, &str)] = &[
    (4, "Service failure"),
    (4, "Maladministration"),
    (1, "Severe maladministration"),
    (3, "No maladministration"),
    (2, "Reasonable redress"),
    (1, "Outside jurisdiction"),
];

fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[(u32, T)]) -> T {
    items.choose_weighted(rng, |(w, _)| *w).map(|(_, t)| *t).expect("non-empty weights")
}

fn chance(rng: &mut ChaCha8Rng, p: f64) -> bool {
    rng.random_bool(p.clamp(0.0, 1.0))
}

/// How well the landlord answered stage 1 in a quarter: a dip in winter 2024/25, then recovery.
fn stage1_on_time_rate(d: NaiveDate) -> f64 {
    let q = (d.year() - 2023) * 4 + ((d.month() as i32 + 8) % 12) / 3;
    match q {
        0..=3 => 0.80,
        4 | 5 => 0.84,
        6 => 0.72,
        7 => 0.70,
        8 => 0.78,
        _ => 0.86,
    }
}

/// Generates `n` cases received between 1 April 2023 and 31 March 2026, exported on 10 April 2026.
/// The state every step of generation shares.
struct Gen<'c> {
    rng: ChaCha8Rng,
    cal: &'c Calendar,
    /// The export's date: nothing after it has happened.
    export: NaiveDate,
}

impl Gen<'_> {
    fn seen(&self, d: Option<NaiveDate>) -> Option<NaiveDate> {
        d.filter(|d| *d <= self.export)
    }

    fn chance(&mut self, p: f64) -> bool {
        chance(&mut self.rng, p)
    }
}

fn generate_cases(n: usize, seed: u64, cal: &Calendar) -> Vec<Case> {
    let mut g =
        Gen { rng: ChaCha8Rng::seed_from_u64(seed), cal, export: NaiveDate::from_ymd_opt(2026, 4, 10).expect("valid") };
    let mut cases = Vec::with_capacity(n);
    for i in 0..n {
        let (mut c, texts) = basics(&mut g, i, n);
        let Some(received) = c.received else { continue };
        if g.chance(0.04) {
            c.excluded = true;
            c.exclusion_reason = EXCLUSIONS.choose(&mut g.rng).copied().unwrap_or("Other");
            let ack_wd = g.rng.random_range(1..4);
            c.s1_ack = g.seen(cal.deadline(received, ack_wd).ok());
            cases.push(c);
            continue;
        }
        let Some(response) = stage1(&mut g, &mut c, received) else {
            cases.push(c);
            continue;
        };
        let outcome = pick(&mut g.rng, &[(30, "Upheld"), (24, "Partly upheld"), (43, "Not upheld"), (3, "Withdrawn")]);
        c.s1_outcome = outcome;
        let upheld = matches!(outcome, "Upheld" | "Partly upheld");
        if upheld {
            putting_right(&mut g, &mut c, response, texts);
        }
        // Stage 2: about one in six stage 1 responses is escalated.
        if outcome != "Withdrawn" && g.chance(if upheld { 0.12 } else { 0.22 }) {
            stage2(&mut g, &mut c, response);
        }
        if g.chance(0.35) {
            c.satisfied = Some(g.chance(if upheld { 0.65 } else { 0.4 }));
        }
        cases.push(c);
    }
    cases
}

/// The lesson, action and owner of a category.
type LessonTexts = (&'static str, &'static str, &'static str);

/// Who complained, when, about what and how.
fn basics(g: &mut Gen, i: usize, n: usize) -> (Case, LessonTexts) {
    let first = NaiveDate::from_ymd_opt(2023, 4, 1).expect("valid");
    let span = 1096;
    // A pool of households; a few complain often.
    let households = (n * 5).max(10);
    let frequent = (n / 100).max(2);
    let rng = &mut g.rng;
    let mut c = Case::default();
    // Volumes grow over the three years and damp and mould peaks in winter.
    let received = loop {
        let offset = (rng.random::<f64>().powf(0.85) * span as f64) as i64;
        let d = first + chrono::Duration::days(offset);
        if d.weekday().number_from_monday() <= 5 || chance(rng, 0.15) {
            break d;
        }
    };
    let winter = matches!(received.month(), 11 | 12 | 1 | 2);
    let (_, category, lesson, action, owner) = *CATEGORIES
        .choose_weighted(rng, |c| if winter && c.1 == "Damp and mould" { c.0 * 2 } else { c.0 })
        .expect("categories");
    c.case_id = format!("CMP-{}{:05}", received.format("%y"), i + 1);
    let household = if chance(rng, 0.08) { rng.random_range(0..frequent) } else { rng.random_range(0..households) };
    c.complainant_id = format!("T{:06}", 100_000 + household * 7);
    c.received = Some(received);
    c.category = category;
    c.channel = pick(rng, CHANNELS);
    c.tenure = pick(rng, TENURES);
    c.ward = WARDS.choose(rng).copied().unwrap_or("Castle");
    c.property_type = PROPERTY_TYPES.choose(rng).copied().unwrap_or("Flat");
    let back = if chance(rng, 0.03) { rng.random_range(370..500) } else { rng.random_range(0..90) };
    c.issue = Some(received - chrono::Duration::days(back));
    (c, (lesson, action, owner))
}

/// Stage 1: acknowledgement, then the response measured from it (Code 2024). The response date,
/// if there is one by the export.
fn stage1(g: &mut Gen, c: &mut Case, received: NaiveDate) -> Option<NaiveDate> {
    let ack_wd = if g.chance(0.9) { g.rng.random_range(0..=4) } else { g.rng.random_range(6..=10) };
    let ack = g.cal.deadline(received, ack_wd).ok();
    c.s1_ack = if g.chance(0.04) { None } else { g.seen(ack) };
    let clock = c.s1_ack.unwrap_or(received);
    c.s1_handler = STAFF_S1.choose(&mut g.rng).copied().unwrap_or("J. Okafor");
    let on_time = stage1_on_time_rate(received);
    let roll: f64 = g.rng.random();
    let response_wd = if roll < on_time {
        c.s1_extended = Some(false);
        g.rng.random_range(3..=10)
    } else if roll < on_time + 0.09 {
        let ext = if g.chance(0.08) { g.rng.random_range(12..=15) } else { g.rng.random_range(4..=10) };
        c.s1_extended = Some(true);
        c.s1_due = if g.chance(0.8) { g.cal.deadline(clock, 10 + ext).ok() } else { None };
        g.rng.random_range(11..=10 + ext)
    } else {
        c.s1_extended = if g.chance(0.3) { None } else { Some(false) };
        g.rng.random_range(11..=28)
    };
    c.s1_response = g.cal.deadline(clock, response_wd).ok().filter(|d| *d <= g.export);
    c.s1_response
}

/// For an upheld complaint: compensation, a remedy and sometimes a lesson learned.
fn putting_right(g: &mut Gen, c: &mut Case, response: NaiveDate, (lesson, action, owner): LessonTexts) {
    if g.chance(0.5) {
        let pounds = *[25, 50, 75, 100, 150, 250, 400, 750, 1200].choose(&mut g.rng).unwrap_or(&50) as i64;
        c.compensation_pence = Some(pounds * 100 + if g.chance(0.2) { 50 } else { 0 });
    }
    if g.chance(0.6) {
        let due = response + chrono::Duration::days(g.rng.random_range(10..40));
        c.remedy_due = Some(due);
        let done = if g.chance(0.82) {
            Some(due - chrono::Duration::days(g.rng.random_range(0..10)))
        } else if g.chance(0.7) {
            Some(due + chrono::Duration::days(g.rng.random_range(1..30)))
        } else {
            None
        };
        c.remedy_done = g.seen(done);
    }
    if g.chance(0.3) {
        c.lesson = lesson.to_string();
        c.lesson_action = action.to_string();
        c.lesson_owner = owner;
        let due = response + chrono::Duration::days(g.rng.random_range(20..120));
        c.lesson_due = Some(due);
        c.lesson_status = if due < g.export - chrono::Duration::days(30) {
            pick(&mut g.rng, &[(8, "Complete"), (1, "In progress"), (1, "Open")])
        } else {
            pick(&mut g.rng, &[(2, "Complete"), (3, "In progress"), (2, "Open")])
        };
        c.lesson_publish = Some(g.chance(0.75));
    }
}

/// Stage 2: the request, a refusal or the review and its response.
fn stage2(g: &mut Gen, c: &mut Case, response: NaiveDate) {
    let requested = g.cal.deadline(response, g.rng.random_range(1..=15)).ok().filter(|d| *d <= g.export);
    c.s2_requested = requested;
    let Some(requested) = requested else { return };
    if g.chance(0.09) {
        c.s2_refused = true;
        c.s2_refusal_reason = pick(&mut g.rng, REFUSALS);
        c.s2_refusal_explained = Some(g.chance(0.7));
        return;
    }
    let ack_wd = if g.chance(0.9) { g.rng.random_range(1..=5) } else { g.rng.random_range(6..=9) };
    c.s2_ack = g.seen(g.cal.deadline(requested, ack_wd).ok());
    let clock = c.s2_ack.unwrap_or(requested);
    c.s2_handler =
        if g.chance(0.03) { c.s1_handler } else { STAFF_S2.choose(&mut g.rng).copied().unwrap_or("A. Clarke") };
    let roll: f64 = g.rng.random();
    let wd = if roll < 0.74 {
        c.s2_extended = Some(false);
        g.rng.random_range(8..=20)
    } else if roll < 0.88 {
        let ext = g.rng.random_range(5..=20);
        c.s2_extended = Some(true);
        c.s2_due = g.cal.deadline(clock, 20 + ext).ok();
        g.rng.random_range(21..=20 + ext)
    } else {
        c.s2_extended = Some(false);
        g.rng.random_range(21..=45)
    };
    c.s2_response = g.cal.deadline(clock, wd).ok().filter(|d| *d <= g.export);
    if let Some(r2) = c.s2_response {
        c.s2_outcome = pick(&mut g.rng, &[(25, "Upheld"), (25, "Partly upheld"), (47, "Not upheld"), (3, "Withdrawn")]);
        if g.chance(0.12) {
            ombudsman(g, c, r2);
        }
    }
}

/// A referral to the Housing Ombudsman after the final response, its evidence request and
/// sometimes a determination.
fn ombudsman(g: &mut Gen, c: &mut Case, final_response: NaiveDate) {
    let referred = final_response + chrono::Duration::days(g.rng.random_range(20..150));
    c.hos_referred = g.seen(Some(referred));
    if c.hos_referred.is_none() {
        return;
    }
    let req = referred + chrono::Duration::days(g.rng.random_range(0..30));
    c.hos_evidence_requested = g.seen(Some(req));
    let wd = if g.chance(0.85) { g.rng.random_range(3..=15) } else { g.rng.random_range(16..=30) };
    let sent = g.cal.deadline(req, wd).ok();
    c.hos_evidence_sent = c.hos_evidence_requested.and(g.seen(sent));
    if g.chance(0.6) {
        c.hos_determination = pick(&mut g.rng, DETERMINATIONS);
    }
}

/// Plants the untidiness real exports have: rows that must be rejected, values that must be
/// dropped, and cases exported twice.
fn make_messy(cases: &mut Vec<Case>, rng: &mut ChaCha8Rng) {
    let n = cases.len();
    if n < 50 {
        return;
    }
    let at = |rng: &mut ChaCha8Rng| rng.random_range(0..n);
    // Rejected rows.
    let i = at(rng);
    cases[i].case_id = String::new();
    let i = at(rng);
    cases[i].overrides.push(("Date Received", String::new()));
    let i = at(rng);
    cases[i].overrides.push(("Date Received", "31/02/2025".into()));
    let i = at(rng);
    cases[i].overrides.push(("Date Received", "TBC".into()));
    // Dropped values, one of each kind.
    let i = at(rng);
    cases[i].overrides.push(("Stage 1 Response Sent", "awaiting sign-off".into()));
    let i = at(rng);
    cases[i].overrides.push(("Stage 1 Outcome", "Resolved".into()));
    let i = at(rng);
    cases[i].overrides.push(("Compensation Paid", "fifty pounds".into()));
    let i = at(rng);
    cases[i].overrides.push(("Extension Agreed", "maybe".into()));
    if let Some(c) =
        cases.iter_mut().find(|c| c.s1_ack.is_some() && c.s1_response.is_some() && c.s2_requested.is_none())
    {
        // An acknowledgement keyed after the response.
        c.s1_ack = c.s1_response.map(|r| r + chrono::Duration::days(2));
    }
    if let Some(c) = cases.iter_mut().rev().find(|c| c.s2_response.is_some() && c.lesson.is_empty()) {
        // A stage 1 response date lost in the export: its stage 2 dates cannot stand.
        c.overrides.push(("Stage 1 Response Sent", String::new()));
    }
    if let Some(c) = cases.iter_mut().find(|c| c.s1_response.is_some() && c.remedy_due.is_some()) {
        // A year typo: a date before the complaint was received.
        c.remedy_done = c.received.map(|r| r - chrono::Duration::days(365));
    }
    // Duplicates: a handful of cases exported twice, the later row updated.
    for _ in 0..6 {
        let i = at(rng);
        let mut again = cases[i].clone();
        if again.s1_outcome.is_empty() {
            again.s1_outcome = "Not upheld";
        }
        cases.push(again);
    }
}

/// The columns of the CRM-style export: header, then how to render a case.
const HEADERS: &[&str] = &[
    "Complaint Reference",
    "Customer Ref",
    "Date Received",
    "Service Area",
    "Contact Method",
    "Tenure Type",
    "Not Accepted",
    "Reason Not Accepted",
    "Stage 1 Acknowledged",
    "Extension Agreed",
    "Extended Target Date",
    "Stage 1 Response Sent",
    "Stage 1 Outcome",
    "Escalation Requested",
    "Escalation Refused",
    "Escalation Refusal Reason",
    "Refusal Explained",
    "Stage 2 Acknowledged",
    "Stage 2 Extended",
    "Stage 2 Due Date",
    "Stage 2 Response Sent",
    "Stage 2 Outcome",
    "Date Became Aware",
    "Stage 1 Officer",
    "Stage 2 Officer",
    "Remedy Due",
    "Remedy Completed",
    "Compensation Paid",
    "Satisfied with Handling",
    "HOS Referral Date",
    "Evidence Requested",
    "Evidence Sent",
    "HOS Outcome",
    "HOS Decision Date",
    "Lesson Learned",
    "What We Changed",
    "Action Owner",
    "Lesson Due Date",
    "Action Status",
    "Approved for Publication",
    "Ward",
    "Property Type",
];

/// A cell before it is written: text or a date.
#[derive(Debug, Clone, PartialEq)]
enum Out {
    Text(String),
    Date(NaiveDate),
}

fn flag(f: Flag) -> Out {
    Out::Text(match f {
        Some(true) => "Yes".into(),
        Some(false) => "No".into(),
        None => String::new(),
    })
}

fn date(d: Option<NaiveDate>) -> Out {
    d.map(Out::Date).unwrap_or(Out::Text(String::new()))
}

fn text(s: &str) -> Out {
    Out::Text(s.to_string())
}

fn row_of(c: &Case) -> Vec<Out> {
    let money = c
        .compensation_pence
        .map(|p| format!("£{}.{:02}", complaints::format::thousands((p / 100) as u64), p % 100))
        .unwrap_or_default();
    let mut row = vec![
        text(&c.case_id),
        text(&c.complainant_id),
        date(c.received),
        text(c.category),
        text(c.channel),
        text(c.tenure),
        Out::Text(if c.excluded { "Y".into() } else { String::new() }),
        text(c.exclusion_reason),
        date(c.s1_ack),
        flag(c.s1_extended),
        date(c.s1_due),
        date(c.s1_response),
        text(c.s1_outcome),
        date(c.s2_requested),
        Out::Text(if c.s2_refused {
            "Yes".into()
        } else if c.s2_requested.is_some() {
            "No".into()
        } else {
            String::new()
        }),
        text(c.s2_refusal_reason),
        flag(c.s2_refusal_explained),
        date(c.s2_ack),
        flag(c.s2_extended),
        date(c.s2_due),
        date(c.s2_response),
        text(c.s2_outcome),
        date(c.issue),
        text(c.s1_handler),
        text(c.s2_handler),
        date(c.remedy_due),
        date(c.remedy_done),
        Out::Text(money),
        flag(c.satisfied),
        date(c.hos_referred),
        date(c.hos_evidence_requested),
        date(c.hos_evidence_sent),
        text(c.hos_determination),
        date(c.hos_decided),
        text(&c.lesson),
        text(&c.lesson_action),
        text(c.lesson_owner),
        date(c.lesson_due),
        text(c.lesson_status),
        flag(c.lesson_publish),
        text(c.ward),
        text(c.property_type),
    ];
    for (header, value) in &c.overrides {
        if let Some(i) = HEADERS.iter().position(|h| h == header) {
            row[i] = Out::Text(value.clone());
        }
    }
    row
}

/// Dates as different teams key them: mostly DD/MM/YYYY, some with times, some named months.
fn date_text(d: NaiveDate, style: u32) -> String {
    match style % 20 {
        0 => d.format("%d-%b-%Y").to_string(),
        1 => format!("{} 09:15", d.format("%Y-%m-%d")),
        2 => d.format("%-d/%-m/%y").to_string(),
        3 => d.format("%-d %B %Y").to_string(),
        _ => d.format("%d/%m/%Y").to_string(),
    }
}

fn csv_cell(o: &Out, style: u32) -> String {
    match o {
        Out::Text(t) => t.clone(),
        Out::Date(d) => date_text(*d, style),
    }
}

/// Writes the files and returns their paths.
fn write(args: &GenerateArgs) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(&args.out).with_context(|| format!("{}: cannot create", args.out.display()))?;
    let cal = Calendar::builtin();
    let mut cases = generate_cases(args.cases, args.seed, &cal);
    if args.clean {
        if args.in_arrival_order {
            // Stable: cases received the same day keep their order.
            cases.sort_by_key(|c| c.received);
        }
        let path = args.out.join(format!("{}.csv", args.name));
        write_clean_csv(&cases, &path, if args.day_first { "%d/%m/%Y" } else { "%Y-%m-%d" })?;
        return Ok(vec![path]);
    }
    // The Ombudsman's casework has a random stream of its own, so the cases stay as they were.
    let casework = casework(&mut cases, &mut ChaCha8Rng::seed_from_u64(args.seed ^ 0xca5e));
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed ^ 0x5eed);
    make_messy(&mut cases, &mut rng);
    let csv_path = args.out.join(format!("{}.csv", args.name));
    write_messy_csv(&cases, &csv_path, &mut rng)?;
    let xlsx_path = args.out.join(format!("{}.xlsx", args.name));
    write_xlsx(&cases, &xlsx_path)?;
    let casework_path = args.out.join("ombudsman-casework.csv");
    write_casework(&casework, &casework_path)?;
    Ok(vec![csv_path, xlsx_path, casework_path])
}

/// One row of the Ombudsman casework file: a finding, an order, or both.
#[derive(Debug, Clone, Default)]
struct CaseworkRow {
    hos_ref: String,
    case_id: String,
    element: String,
    finding: &'static str,
    decided: Option<NaiveDate>,
    order: String,
    order_type: &'static str,
    amount: Option<u32>,
    due: Option<NaiveDate>,
    complied: Option<NaiveDate>,
}

const EXPORTED: (i32, u32, u32) = (2026, 4, 10);

/// Gives every determined referral a decision date (in the export too) and writes the
/// Ombudsman's findings on each element of the complaint and its orders, with the landlord's
/// compliance: mostly on time, some late, a few outstanding past their date. Two investigations
/// are of complaints older than the export, and one row is one a real register would have to
/// reject (a finding nobody can read).
fn casework(cases: &mut [Case], rng: &mut ChaCha8Rng) -> Vec<CaseworkRow> {
    let export = NaiveDate::from_ymd_opt(EXPORTED.0, EXPORTED.1, EXPORTED.2).expect("valid");
    let mut rows = Vec::new();
    let mut serial = 0u32;
    for c in cases.iter_mut() {
        let Some(referred) = c.hos_referred else { continue };
        if c.hos_determination.is_empty() {
            continue;
        }
        let room = (export - referred).num_days().max(2);
        let days = if room > 450 { rng.random_range(120..=420) } else { rng.random_range(room / 2..room) };
        let decided = referred + chrono::Duration::days(days);
        c.hos_decided = Some(decided);
        serial += 1;
        let hos_ref = format!("{}{:05}", referred.year(), 10000 + serial * 37 % 90000);
        investigation(rng, &mut rows, &hos_ref, &c.case_id, c.category, c.hos_determination, decided, export);
    }
    // Complaints received before the export's first year, decided within it.
    let older = [
        ("CMP-2201877", "Damp and mould", "Severe maladministration", (2024, 10, 17)),
        ("CMP-2203012", "Repairs", "Maladministration", (2025, 11, 6)),
    ];
    for (case_id, category, finding, (y, m, d)) in older {
        serial += 1;
        let hos_ref = format!("{}{:05}", y - 1, 10000 + serial * 37 % 90000);
        let decided = NaiveDate::from_ymd_opt(y, m, d).expect("valid");
        investigation(rng, &mut rows, &hos_ref, case_id, category, finding, decided, export);
    }
    // A row nobody can use: the finding is not one the Ombudsman makes, and no order is given.
    if let Some(first) = rows.first().cloned() {
        rows.push(CaseworkRow {
            finding: "Partly maladministration",
            order: String::new(),
            order_type: "",
            amount: None,
            due: None,
            complied: None,
            element: "Communication".into(),
            ..first
        });
    }
    rows
}

/// The findings and orders of one investigation.
#[allow(clippy::too_many_arguments)]
fn investigation(
    rng: &mut ChaCha8Rng,
    rows: &mut Vec<CaseworkRow>,
    hos_ref: &str,
    case_id: &str,
    category: &str,
    headline: &'static str,
    decided: NaiveDate,
    export: NaiveDate,
) {
    let base = CaseworkRow {
        hos_ref: hos_ref.to_string(),
        case_id: case_id.to_string(),
        decided: Some(decided),
        ..CaseworkRow::default()
    };
    let mut findings = vec![(
        format!("The landlord's response to the resident's reports about {}", category.to_lowercase()),
        headline,
    )];
    if headline != "Outside jurisdiction" && chance(rng, 0.6) {
        let handling = pick(
            rng,
            &[(4, "Service failure"), (3, "Maladministration"), (2, "No maladministration"), (2, "Reasonable redress")],
        );
        findings.push(("The landlord's complaint handling".to_string(), handling));
    }
    for (element, finding) in findings {
        rows.push(CaseworkRow { element, finding, ..base.clone() });
        let (apology, money, works, review) = match finding {
            "Severe maladministration" => (true, Some(rng.random_range(10..=30) * 100), true, true),
            "Maladministration" => (chance(rng, 0.7), Some(rng.random_range(3..=15) * 50), chance(rng, 0.3), false),
            "Service failure" => (chance(rng, 0.3), Some(rng.random_range(1..=8) * 50), false, false),
            _ => (false, None, false, false),
        };
        let mut orders: Vec<(String, &'static str, Option<u32>, i64)> = Vec::new();
        if apology {
            orders.push(("Apologise to the resident in writing".into(), "Apology", None, 28));
        }
        if let Some(pounds) = money {
            orders.push((format!("Pay the resident £{pounds} compensation"), "Compensation", Some(pounds), 28));
        }
        if works && matches!(category, "Repairs" | "Damp and mould" | "Gas and heating") {
            orders.push(("Inspect the home and complete the outstanding repairs".into(), "Works", None, 56));
        }
        if review {
            orders.push((
                "Review its handling of similar cases and report what it will change".into(),
                "Review",
                None,
                84,
            ));
        }
        for (order, order_type, amount, days) in orders {
            let due = decided + chrono::Duration::days(days);
            let complied = compliance(rng, decided, due, export);
            // Registers often give the decision date once per investigation, not on every order.
            let dated = if chance(rng, 0.3) { None } else { Some(decided) };
            rows.push(CaseworkRow {
                order,
                order_type,
                amount,
                due: Some(due),
                complied,
                decided: dated,
                ..base.clone()
            });
        }
    }
}

/// When the landlord complied with an order due on `due`: mostly on time, some late, a few not at
/// all; nothing after the export.
fn compliance(rng: &mut ChaCha8Rng, decided: NaiveDate, due: NaiveDate, export: NaiveDate) -> Option<NaiveDate> {
    let roll: f64 = rng.random();
    let when = if roll < 0.8 {
        let early = rng.random_range(0..=(due - decided).num_days().min(20));
        due - chrono::Duration::days(early)
    } else if roll < 0.93 {
        due + chrono::Duration::days(rng.random_range(1..=45))
    } else {
        return None;
    };
    (when <= export).then_some(when)
}

fn write_casework(rows: &[CaseworkRow], path: &PathBuf) -> Result<()> {
    let file = std::fs::File::create(path).with_context(|| format!("{}: cannot create", path.display()))?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
    w.write_record([
        "HOS Ref",
        "Complaint Ref",
        "Complaint Element",
        "Finding",
        "Decision Date",
        "Order",
        "Order Type",
        "Amount (£)",
        "Comply By",
        "Date Complied",
    ])?;
    let day = |d: Option<NaiveDate>| d.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default();
    for r in rows {
        w.write_record([
            r.hos_ref.clone(),
            r.case_id.clone(),
            if r.order.is_empty() { r.element.clone() } else { String::new() },
            r.finding.to_string(),
            day(r.decided),
            r.order.clone(),
            r.order_type.to_string(),
            r.amount.map(|a| format!("{a}.00")).unwrap_or_default(),
            day(r.due),
            day(r.complied),
        ])?;
    }
    w.flush()?;
    Ok(())
}

fn write_messy_csv(cases: &[Case], path: &PathBuf, rng: &mut ChaCha8Rng) -> Result<()> {
    let file = std::fs::File::create(path).with_context(|| format!("{}: cannot create", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    // Title rows above the header, as case-management reports print them.
    writeln!(out, "Northvale Homes - Complaints case export,,,")?;
    writeln!(out, "Report run 10/04/2026 09:12 by Feedback Team,,,")?;
    writeln!(out)?;
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(out);
    w.write_record(HEADERS)?;
    for c in cases {
        let style: u32 = rng.random_range(0..1000);
        w.write_record(row_of(c).iter().map(|o| csv_cell(o, style)))?;
    }
    w.flush()?;
    Ok(())
}

fn write_clean_csv(cases: &[Case], path: &PathBuf, date_format: &str) -> Result<()> {
    let file = std::fs::File::create(path).with_context(|| format!("{}: cannot create", path.display()))?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::with_capacity(1 << 20, file));
    w.write_record(HEADERS)?;
    for c in cases {
        w.write_record(row_of(c).iter().map(|o| match o {
            Out::Text(t) => t.clone(),
            Out::Date(d) => d.format(date_format).to_string(),
        }))?;
    }
    w.flush()?;
    Ok(())
}

fn write_xlsx(cases: &[Case], path: &PathBuf) -> Result<()> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    // A fixed creation time keeps the file byte-for-byte reproducible.
    let created = ExcelDateTime::from_ymd(2026, 4, 10)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created).set_title("Complaints case export"));
    let sheet = book.add_worksheet();
    sheet.set_name("Cases")?;
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    let bold = Format::new().set_bold();
    sheet.write_string_with_format(0, 0, "Northvale Homes - Complaints case export", &bold)?;
    sheet.write_string(1, 0, "Report run 10/04/2026 09:12 by Feedback Team")?;
    for (col, h) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(3, col as u16, *h, &bold)?;
    }
    for (i, c) in cases.iter().enumerate() {
        let row = 4 + i as u32;
        for (col, cell) in row_of(c).into_iter().enumerate() {
            match cell {
                Out::Text(t) if t.is_empty() => {}
                Out::Text(t) => {
                    sheet.write_string(row, col as u16, t)?;
                }
                Out::Date(d) => {
                    let x = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    sheet.write_datetime_with_format(row, col as u16, &x, &date_format)?;
                }
            }
        }
    }
    book.save(path).with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(())
}
