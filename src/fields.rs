//! The canonical case fields (SPEC §2): name, value type and the header spellings real
//! case-management exports use for each.

/// How a field's cells are parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Trimmed text; whitespace-only is blank.
    Text,
    /// A calendar date (day-first; time parts ignored).
    Date,
    /// yes/no; `blank_false` says whether a blank cell means "no" or "not recorded".
    Bool {
        /// Blank means false rather than not recorded.
        blank_false: bool,
    },
    /// Pounds and pence, held as whole pence.
    Money,
    /// upheld / partly upheld / not upheld / withdrawn.
    Outcome,
    /// An Ombudsman determination.
    Determination,
}

/// One canonical field.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// Canonical column name.
    pub name: &'static str,
    /// Value type.
    pub kind: FieldKind,
    /// Header spellings seen in real exports (matched ignoring case, spaces and punctuation).
    pub synonyms: &'static [&'static str],
}

const TEXT: FieldKind = FieldKind::Text;
const DATE: FieldKind = FieldKind::Date;
const FLAG: FieldKind = FieldKind::Bool { blank_false: true };
const BOOL: FieldKind = FieldKind::Bool { blank_false: false };

macro_rules! field {
    ($name:literal, $kind:expr, [$($syn:literal),* $(,)?]) => {
        Field { name: $name, kind: $kind, synonyms: &[$($syn),*] }
    };
}

/// Every canonical field, in the order of SPEC §2.
pub const FIELDS: &[Field] = &[
    field!(
        "case_id",
        TEXT,
        [
            "Case Ref",
            "Case Reference",
            "Complaint Reference",
            "Complaint Ref",
            "Reference No",
            "Reference Number",
            "Case Number",
            "Case No",
            "Complaint ID",
            "Complaint Number",
            "Ref",
            "Reference",
            "Case ID"
        ]
    ),
    field!(
        "complainant_id",
        TEXT,
        [
            "Complainant Ref",
            "Complainant Reference",
            "Customer Ref",
            "Customer Reference",
            "Customer ID",
            "Customer Number",
            "Tenant Ref",
            "Tenant ID",
            "Tenancy Ref",
            "Tenancy Reference",
            "Contact ID",
            "Contact Ref",
            "Household Ref",
            "Person Ref",
            "Party Ref"
        ]
    ),
    field!(
        "received_date",
        DATE,
        [
            "Date Received",
            "Received Date",
            "Complaint Received Date",
            "Complaint Date",
            "Date Logged",
            "Logged Date",
            "Date Complaint Received",
            "Received",
            "Date Opened",
            "Opened Date",
            "Stage 1 Received",
            "S1 Received Date",
            "Date Raised",
            "Created Date",
            "Date Created"
        ]
    ),
    field!(
        "category",
        TEXT,
        [
            "Complaint Category",
            "Service Area",
            "Complaint Type",
            "Type",
            "Category",
            "Subject",
            "Service",
            "Theme",
            "Department",
            "Complaint Subject"
        ]
    ),
    field!(
        "channel",
        TEXT,
        [
            "Channel",
            "Contact Method",
            "Method Received",
            "How Received",
            "Received Via",
            "Source",
            "Complaint Source",
            "Method"
        ]
    ),
    field!("tenure", TEXT, ["Tenure", "Tenure Type", "Tenancy Type", "Property Tenure", "TSM Tenure", "Stock Type"]),
    field!(
        "excluded",
        FLAG,
        [
            "Excluded",
            "Not Accepted",
            "Complaint Not Accepted",
            "Exclusion Applied",
            "Rejected",
            "Declined",
            "Not a Complaint"
        ]
    ),
    field!(
        "exclusion_reason",
        TEXT,
        [
            "Exclusion Reason",
            "Reason Not Accepted",
            "Not Accepted Reason",
            "Reason for Exclusion",
            "Rejection Reason",
            "Decline Reason"
        ]
    ),
    // The other way round from `excluded`: "Complaint Accepted?" Yes/No. A case it says was not
    // accepted is excluded (ingest reads it into `excluded`).
    field!(
        "accepted",
        BOOL,
        [
            "Complaint Accepted",
            "Accepted as Complaint",
            "Accepted as a Complaint",
            "Accepted as Formal Complaint",
            "Was the Complaint Accepted",
            "Is it a Complaint",
            "Accepted Y/N"
        ]
    ),
    field!(
        "s1_ack_date",
        DATE,
        [
            "S1 Ack Date",
            "Stage 1 Acknowledged",
            "Stage 1 Acknowledgement Date",
            "Stage 1 Ack Date",
            "Date Acknowledged",
            "Acknowledged Date",
            "Acknowledgement Date",
            "S1 Acknowledged",
            "Ack Date",
            "Stage One Acknowledged"
        ]
    ),
    field!(
        "s1_extended",
        FLAG,
        [
            "S1 Extended",
            "Stage 1 Extended",
            "Stage 1 Extension",
            "Extension Agreed",
            "S1 Extension Agreed",
            "Stage 1 Extension Agreed",
            "Extended",
            "Extension"
        ]
    ),
    field!(
        "s1_due_date",
        DATE,
        [
            "S1 Due Date",
            "Stage 1 Due Date",
            "Stage 1 Target Date",
            "Extended Target Date",
            "S1 Extended Due Date",
            "Stage 1 Extended Due",
            "Revised Due Date",
            "Extended Due Date",
            "Target Date",
            "Due Date"
        ]
    ),
    field!(
        "s1_response_date",
        DATE,
        [
            "S1 Response Date",
            "Stage 1 Response Sent",
            "Stage 1 Response Date",
            "Stage 1 Responded",
            "Stage 1 Closed",
            "S1 Closed Date",
            "Date Responded",
            "Response Date",
            "Response Sent",
            "Stage 1 Completed",
            "S1 Response Sent",
            "Stage One Response Date"
        ]
    ),
    field!(
        "s1_outcome",
        FieldKind::Outcome,
        ["S1 Outcome", "Stage 1 Outcome", "Outcome", "Stage 1 Decision", "Stage 1 Result", "Decision", "Finding"]
    ),
    field!(
        "s2_requested_date",
        DATE,
        [
            "S2 Requested Date",
            "Escalation Requested",
            "Escalation Request Date",
            "Date Escalated",
            "Escalated Date",
            "Stage 2 Requested",
            "Stage 2 Request Date",
            "S2 Escalation Date",
            "Escalation Date",
            "Stage 2 Received",
            "S2 Received Date",
            "Date Escalation Requested"
        ]
    ),
    field!(
        "s2_refused",
        FLAG,
        [
            "S2 Refused",
            "Escalation Refused",
            "Stage 2 Refused",
            "Escalation Declined",
            "Stage 2 Declined",
            "Refused Escalation"
        ]
    ),
    field!(
        "s2_refusal_reason",
        TEXT,
        [
            "S2 Refusal Reason",
            "Escalation Refusal Reason",
            "Reason Escalation Refused",
            "Stage 2 Refusal Reason",
            "Escalation Declined Reason",
            "Refusal Reason"
        ]
    ),
    field!(
        "s2_refusal_explained",
        BOOL,
        [
            "S2 Refusal Explained",
            "Refusal Explained",
            "Refusal Explained in Writing",
            "Escalation Refusal Explained",
            "Refusal Letter Sent",
            "Reason Given to Resident"
        ]
    ),
    field!(
        "s2_ack_date",
        DATE,
        [
            "S2 Ack Date",
            "Stage 2 Acknowledged",
            "Stage 2 Acknowledgement Date",
            "Stage 2 Ack Date",
            "Escalation Acknowledged",
            "S2 Acknowledged",
            "Escalation Ack Date",
            "Stage Two Acknowledged"
        ]
    ),
    field!(
        "s2_extended",
        FLAG,
        [
            "S2 Extended",
            "Stage 2 Extended",
            "Stage 2 Extension",
            "S2 Extension Agreed",
            "Stage 2 Extension Agreed",
            "Escalation Extended"
        ]
    ),
    field!(
        "s2_due_date",
        DATE,
        [
            "S2 Due Date",
            "Stage 2 Due Date",
            "Stage 2 Target Date",
            "S2 Extended Due Date",
            "Stage 2 Extended Due",
            "Stage 2 Extended Target Date",
            "Stage 2 Revised Due Date",
            "Escalation Due Date"
        ]
    ),
    field!(
        "s2_response_date",
        DATE,
        [
            "S2 Response Date",
            "Stage 2 Response Sent",
            "Stage 2 Response Date",
            "Stage 2 Responded",
            "Stage 2 Closed",
            "S2 Closed Date",
            "Final Response Date",
            "Stage 2 Completed",
            "S2 Response Sent",
            "Stage Two Response Date"
        ]
    ),
    field!(
        "s2_outcome",
        FieldKind::Outcome,
        ["S2 Outcome", "Stage 2 Outcome", "Stage 2 Decision", "Stage 2 Result", "Escalation Outcome", "Final Outcome"]
    ),
    field!(
        "s3_requested_date",
        DATE,
        [
            "S3 Requested Date",
            "Stage 3 Requested",
            "Stage 3 Request Date",
            "Appeal Requested",
            "Appeal Request Date",
            "Panel Requested",
            "S3 Received Date",
            "Stage 3 Received"
        ]
    ),
    field!(
        "s3_refused",
        FLAG,
        ["S3 Refused", "Stage 3 Refused", "Appeal Refused", "Stage 3 Declined", "Appeal Declined"]
    ),
    field!(
        "s3_refusal_reason",
        TEXT,
        ["S3 Refusal Reason", "Stage 3 Refusal Reason", "Appeal Refusal Reason", "Appeal Declined Reason"]
    ),
    field!(
        "s3_refusal_explained",
        BOOL,
        ["S3 Refusal Explained", "Stage 3 Refusal Explained", "Appeal Refusal Explained"]
    ),
    field!(
        "s3_ack_date",
        DATE,
        [
            "S3 Ack Date",
            "Stage 3 Acknowledged",
            "Stage 3 Acknowledgement Date",
            "Stage 3 Ack Date",
            "Appeal Acknowledged",
            "S3 Acknowledged"
        ]
    ),
    field!(
        "s3_extended",
        FLAG,
        ["S3 Extended", "Stage 3 Extended", "Stage 3 Extension", "Appeal Extended", "S3 Extension Agreed"]
    ),
    field!(
        "s3_due_date",
        DATE,
        [
            "S3 Due Date",
            "Stage 3 Due Date",
            "Stage 3 Target Date",
            "Appeal Due Date",
            "S3 Extended Due Date",
            "Stage 3 Extended Due"
        ]
    ),
    field!(
        "s3_response_date",
        DATE,
        [
            "S3 Response Date",
            "Stage 3 Response Sent",
            "Stage 3 Response Date",
            "Appeal Response Date",
            "Panel Decision Date",
            "S3 Closed Date",
            "Stage 3 Closed"
        ]
    ),
    field!(
        "s3_outcome",
        FieldKind::Outcome,
        ["S3 Outcome", "Stage 3 Outcome", "Appeal Outcome", "Panel Outcome", "Stage 3 Decision"]
    ),
    field!(
        "issue_date",
        DATE,
        [
            "Issue Date",
            "Date of Issue",
            "Incident Date",
            "Date Issue Occurred",
            "Date of Incident",
            "Issue Occurred",
            "Date Became Aware",
            "Awareness Date",
            "Event Date"
        ]
    ),
    field!(
        "s1_handler",
        TEXT,
        [
            "S1 Handler",
            "Stage 1 Handler",
            "Stage 1 Officer",
            "Stage 1 Investigator",
            "Handling Officer",
            "Case Officer",
            "Investigating Officer",
            "Stage 1 Owner",
            "Assigned To"
        ]
    ),
    field!(
        "s2_handler",
        TEXT,
        [
            "S2 Handler",
            "Stage 2 Handler",
            "Stage 2 Officer",
            "Stage 2 Investigator",
            "Stage 2 Owner",
            "Reviewing Officer",
            "Escalation Handler"
        ]
    ),
    field!(
        "remedy_due_date",
        DATE,
        ["Remedy Due Date", "Remedy Due", "Remedy Target Date", "Putting Right Due", "Remedy Deadline"]
    ),
    field!(
        "remedy_completed_date",
        DATE,
        [
            "Remedy Completed Date",
            "Remedy Completed",
            "Remedy Done",
            "Action Completed Date",
            "Remedy Completion Date",
            "Putting Right Completed"
        ]
    ),
    field!(
        "compensation",
        FieldKind::Money,
        [
            "Compensation",
            "Compensation Paid",
            "Compensation Amount",
            "Compensation Awarded",
            "Amount Awarded",
            "Redress Amount",
            "Goodwill Payment",
            "Compensation (£)",
            "Total Compensation"
        ]
    ),
    field!(
        "satisfied",
        BOOL,
        [
            "Satisfied",
            "Satisfied with Handling",
            "Customer Satisfied",
            "Resident Satisfied",
            "Satisfaction",
            "Survey Satisfied",
            "Satisfied With Complaint Handling"
        ]
    ),
    field!(
        "ombudsman_referred_date",
        DATE,
        [
            "Ombudsman Referred Date",
            "Ombudsman Referral Date",
            "HOS Referral Date",
            "Referred to Ombudsman",
            "Date Referred to Ombudsman",
            "Ombudsman Notified",
            "HOS Notified Date"
        ]
    ),
    field!(
        "ombudsman_evidence_requested_date",
        DATE,
        [
            "Ombudsman Evidence Requested Date",
            "Evidence Requested",
            "HOS Evidence Requested",
            "Ombudsman Evidence Requested",
            "Evidence Request Date",
            "Date Evidence Requested"
        ]
    ),
    field!(
        "ombudsman_evidence_sent_date",
        DATE,
        [
            "Ombudsman Evidence Sent Date",
            "Evidence Sent",
            "HOS Evidence Sent",
            "Ombudsman Evidence Sent",
            "Evidence Provided Date",
            "Date Evidence Sent"
        ]
    ),
    field!(
        "ombudsman_determination",
        FieldKind::Determination,
        [
            "Ombudsman Determination",
            "HOS Determination",
            "Ombudsman Outcome",
            "HOS Outcome",
            "Ombudsman Finding",
            "Determination"
        ]
    ),
    field!(
        "ombudsman_determination_date",
        DATE,
        [
            "Ombudsman Determination Date",
            "HOS Determination Date",
            "HOS Decision Date",
            "Ombudsman Decision Date",
            "Date of Determination",
            "Determination Date",
            "Date Determined",
            "Ombudsman Outcome Date",
            "HOS Outcome Date"
        ]
    ),
    field!(
        "lesson",
        TEXT,
        [
            "Lesson",
            "Lesson Learned",
            "Lessons Learned",
            "Learning",
            "Learning Point",
            "What We Learned",
            "Lessons Learnt"
        ]
    ),
    field!(
        "lesson_action",
        TEXT,
        [
            "Lesson Action",
            "Action Taken",
            "Improvement Action",
            "Service Improvement",
            "What We Changed",
            "Learning Action",
            "Action"
        ]
    ),
    field!(
        "lesson_owner",
        TEXT,
        ["Lesson Owner", "Action Owner", "Improvement Owner", "Responsible Team", "Learning Owner"]
    ),
    field!(
        "lesson_due_date",
        DATE,
        [
            "Lesson Due Date",
            "Action Due Date (Lesson)",
            "Improvement Due Date",
            "Learning Action Due",
            "Lesson Action Due",
            "Action Target Date"
        ]
    ),
    field!(
        "lesson_status",
        TEXT,
        ["Lesson Status", "Action Status", "Improvement Status", "Learning Status", "Lesson Action Status"]
    ),
    field!(
        "lesson_publish",
        FLAG,
        ["Lesson Publish", "Publish Lesson", "Approved for Publication", "Publish", "OK to Publish", "Publishable"]
    ),
];

/// The fields of an Ombudsman casework file: one row per finding or order the Housing
/// Ombudsman made on an investigation (SPEC §2, "Ombudsman casework").
pub const CASEWORK_FIELDS: &[Field] = &[
    field!(
        "case_id",
        TEXT,
        [
            "Case Ref",
            "Complaint Ref",
            "Complaint Reference",
            "Our Ref",
            "Our Reference",
            "Landlord Ref",
            "Landlord Reference",
            "Internal Ref",
            "Case Reference",
            "Complaint ID"
        ]
    ),
    field!(
        "ombudsman_ref",
        TEXT,
        [
            "Ombudsman Ref",
            "Ombudsman Reference",
            "HOS Ref",
            "HOS Reference",
            "HOS Case Ref",
            "HOS Case Number",
            "Ombudsman Case Ref",
            "Ombudsman Case Number",
            "Ombudsman Case ID",
            "Case ID",
            "Their Ref"
        ]
    ),
    field!(
        "finding",
        FieldKind::Determination,
        [
            "Finding",
            "Findings",
            "Finding Outcome",
            "Determination",
            "Outcome",
            "Ombudsman Finding",
            "Ombudsman Determination",
            "HOS Finding",
            "HOS Determination",
            "Decision"
        ]
    ),
    field!(
        "finding_about",
        TEXT,
        [
            "Element",
            "Complaint Element",
            "Finding About",
            "Issue",
            "Category",
            "Complaint Category",
            "Complaint Description",
            "Subject",
            "Aspect"
        ]
    ),
    field!(
        "decision_date",
        DATE,
        [
            "Decision Date",
            "Date of Decision",
            "Determination Date",
            "Date of Determination",
            "Date Determined",
            "Report Date",
            "Finding Date",
            "HOS Decision Date"
        ]
    ),
    field!("order", TEXT, ["Order", "Orders", "Order Text", "Order Details", "What Was Ordered", "Order Made"]),
    field!("order_type", TEXT, ["Order Type", "Type of Order", "Order Category", "Order Kind"]),
    field!(
        "order_amount",
        FieldKind::Money,
        [
            "Order Amount",
            "Amount",
            "Amount £",
            "Compensation",
            "Compensation Ordered",
            "Compensation Amount",
            "Amount Ordered"
        ]
    ),
    field!(
        "order_due_date",
        DATE,
        ["Order Due Date", "Due Date", "Comply By", "Compliance Due", "Compliance Due Date", "Deadline", "Due By"]
    ),
    field!(
        "order_complied_date",
        DATE,
        [
            "Date Complied",
            "Complied Date",
            "Complied On",
            "Compliance Date",
            "Date of Compliance",
            "Evidence of Compliance Sent",
            "Compliance Evidence Sent",
            "Completed Date",
            "Date Completed"
        ]
    ),
];

/// Required fields: a row without them is rejected.
pub const REQUIRED: [&str; 2] = ["case_id", "received_date"];

/// The field with this canonical name.
pub fn field(name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.name == name)
}

/// Headers are compared ignoring case, spaces, punctuation and underscores.
pub fn normalise_header(h: &str) -> String {
    h.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The canonical case field a header means by name or built-in synonym, if any.
pub fn match_header(header: &str) -> Option<&'static Field> {
    match_header_in(FIELDS, header)
}

/// The field of `fields` a header means by name or built-in synonym, if any.
pub fn match_header_in(fields: &'static [Field], header: &str) -> Option<&'static Field> {
    let key = normalise_header(header);
    if key.is_empty() {
        return None;
    }
    fields.iter().find(|f| normalise_header(f.name) == key || f.synonyms.iter().any(|s| normalise_header(s) == key))
}

/// The stage of a staged field (`s{k}_…`), none for any other.
pub fn field_stage(field: &str) -> Option<usize> {
    field.strip_prefix('s')?.split_once('_')?.0.parse().ok()
}

/// The stage-k date fields in stage order, used by the data-quality rules.
pub fn stage_date_fields(stage: usize) -> [String; 4] {
    ["requested", "ack", "due", "response"].map(|p| format!("s{stage}_{p}_date"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn no_spelling_means_two_fields() {
        let mut seen: HashMap<String, &str> = HashMap::new();
        for f in FIELDS {
            for s in f.synonyms.iter().chain(std::iter::once(&f.name)) {
                if let Some(other) = seen.insert(normalise_header(s), f.name) {
                    assert_eq!(other, f.name, "'{s}' is a synonym of both {other} and {}", f.name);
                }
            }
        }
    }

    #[test]
    fn every_date_field_has_five_spellings() {
        for f in FIELDS.iter().filter(|f| f.kind == FieldKind::Date) {
            assert!(f.synonyms.len() >= 5, "{} has {} synonyms", f.name, f.synonyms.len());
        }
    }
}
