//! What the governing body and its Member Responsible for Complaints are told (Code 9.5–9.7):
//! the Ombudsman's decisions and orders, Complaint Handling Failure Orders, and the
//! self-assessment's actions until they are done.

use chrono::NaiveDate;
use serde::Serialize;

use super::assessment::{Answers, FailureOrder};
use super::board::Count;
use crate::ingest::status::LessonState;
use crate::ingest::values::DETERMINATIONS;
use crate::metrics::model::{Decisions, Metrics, Orders, Prop, SevereFinding};

/// The Ombudsman section of the Board and annual reports.
#[derive(Debug, Clone, Serialize)]
pub struct OmbudsmanView {
    /// The case export records referrals and evidence requests.
    pub referrals_recorded: bool,
    /// Where the findings come from, in words.
    pub source: &'static str,
    /// The period's decisions.
    pub decisions: Decisions,
    /// Every finding, in the Ombudsman's order of seriousness, with its count.
    pub findings: Vec<Count>,
    /// The maladministration rate.
    pub rate: Prop,
    /// The severe maladministration findings decided in the period.
    pub severe: Vec<SevereFinding>,
    /// Orders and compliance (from a casework file).
    pub orders: Option<Orders>,
    /// Orders issued in the period by kind.
    pub orders_by_kind: Vec<Count>,
    /// Complaint Handling Failure Orders issued in the period or not yet complied with.
    pub failure_orders: Vec<FailureOrderRow>,
    /// Casework rows whose case the export does not have.
    pub not_in_export: usize,
}

/// A Complaint Handling Failure Order for the page.
#[derive(Debug, Clone, Serialize)]
pub struct FailureOrderRow {
    /// Issued on.
    pub date: NaiveDate,
    /// Type.
    pub kind: String,
    /// What it concerned.
    pub concerned: String,
    /// The Ombudsman's reference.
    pub ombudsman_ref: String,
    /// Complied on (by as-of).
    pub complied: Option<NaiveDate>,
}

/// The Ombudsman section's view. `answers` gives the Complaint Handling Failure Orders;
/// `redact` applies to published text.
pub fn ombudsman_view(
    m: &Metrics,
    referrals_recorded: bool,
    answers: Option<&Answers>,
    not_in_export: usize,
    redact: &dyn Fn(&str) -> String,
) -> Option<OmbudsmanView> {
    let o = m.ombudsman.as_ref()?;
    let d = &o.decisions;
    let source = match d.source.as_str() {
        "casework_file" => "the Ombudsman casework file",
        "export" => "the determinations and their dates in the case export",
        _ => "no record of the Ombudsman's decisions",
    };
    let findings = DETERMINATIONS
        .iter()
        .map(|f| Count { label: capitalise(f), n: d.findings.get(*f).copied().unwrap_or(0) })
        .collect();
    let orders_by_kind = o
        .orders
        .as_ref()
        .map(|x| x.issued_by_kind.iter().map(|(k, n)| Count { label: capitalise(k), n: *n }).collect())
        .unwrap_or_default();
    let failure_orders =
        answers.map(|a| failure_orders(&a.complaint_handling_failure_orders, m, redact)).unwrap_or_default();
    let mut severe = d.severe.clone();
    for s in &mut severe {
        s.about = redact(&s.about);
    }
    Some(OmbudsmanView {
        referrals_recorded,
        source,
        decisions: d.clone(),
        findings,
        rate: d.maladministration_rate,
        severe,
        orders: o.orders.clone(),
        orders_by_kind,
        failure_orders,
        not_in_export,
    })
}

/// Failure orders issued in the period, and earlier ones not complied with by as-of.
fn failure_orders(all: &[FailureOrder], m: &Metrics, redact: &dyn Fn(&str) -> String) -> Vec<FailureOrderRow> {
    let p = &m.period;
    let mut rows: Vec<FailureOrderRow> = all
        .iter()
        .filter_map(|o| {
            let date = o.date.filter(|d| *d <= p.as_of)?;
            let complied = o.complied.filter(|c| *c <= p.as_of);
            let relevant = (p.start <= date && date <= p.end) || complied.is_none();
            relevant.then(|| FailureOrderRow {
                date,
                kind: redact(&o.kind),
                concerned: redact(&o.concerned),
                ombudsman_ref: o.ombudsman_ref.clone(),
                complied,
            })
        })
        .collect();
    rows.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.ombudsman_ref.cmp(&b.ombudsman_ref)));
    rows
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// One self-assessment action, tracked.
#[derive(Debug, Clone, Serialize)]
pub struct TrackedAction {
    /// The provision it answers.
    pub provision: String,
    /// What will be done.
    pub action: String,
    /// Who is accountable.
    pub owner: String,
    /// When it is due.
    pub due: Option<NaiveDate>,
    /// Where it stands, as written ("not recorded" when blank).
    pub status: String,
    /// Complete, by its status.
    pub complete: bool,
    /// Not complete and past its due date at as-of.
    pub overdue: bool,
}

/// Every action of the self-assessment (2024 Code answers), overdue ones first, then by due date
/// and provision.
pub fn tracked_actions(answers: &Answers, as_of: NaiveDate, redact: &dyn Fn(&str) -> String) -> Vec<TrackedAction> {
    let mut out: Vec<TrackedAction> = answers
        .answers
        .iter()
        .flat_map(|(number, a)| a.actions.iter().map(move |x| (number, x)))
        .map(|(number, x)| {
            let complete = LessonState::parse(Some(&x.status)).is_complete();
            TrackedAction {
                provision: number.clone(),
                action: redact(&x.action),
                owner: redact(&x.owner),
                due: x.due,
                status: if x.status.trim().is_empty() { "not recorded".into() } else { x.status.trim().to_string() },
                complete,
                overdue: !complete && x.due.is_some_and(|d| d < as_of),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (!a.overdue, a.due.is_none(), a.due, provision_key(&a.provision)).cmp(&(
            !b.overdue,
            b.due.is_none(),
            b.due,
            provision_key(&b.provision),
        ))
    });
    out
}

/// "6.13" sorts after "6.2".
fn provision_key(number: &str) -> Vec<u32> {
    number.split('.').map(|p| p.parse().unwrap_or(u32::MAX)).collect()
}
