//! Recognising a header from its words when no known spelling matches: the header is split into
//! words (case, punctuation, underscores, camelCase, letters against digits), the words are read
//! as concepts (a stage marker, an event, a person, an identifier …), and each field's rule says
//! which concepts it needs and which rule it out. The column's cells confirm or veto the guess.
//! What the words cannot settle is reported as ambiguous, never guessed.

use crate::fields::{Field, FieldKind, FIELDS};
use crate::ingest::values::{parse, Cell};

/// Splits a header into lower-case words: "Stage1ResponseDate" → stage, 1, response, date;
/// "S2 Target Date" → s, 2, target, date; "stage_1_sla_date" → stage, 1, sla, date.
pub fn words(header: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let chars: Vec<char> = header.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            push(&mut out, &mut word);
            if c == '£' {
                out.push("£".into());
            }
            continue;
        }
        if let Some(&prev) = i.checked_sub(1).and_then(|j| chars.get(j)) {
            let next = chars.get(i + 1).copied();
            let boundary = (prev.is_lowercase() && c.is_uppercase())
                || (prev.is_alphabetic() && c.is_numeric())
                || (prev.is_numeric() && c.is_alphabetic())
                // "HOSReferral": a capital followed by a lower-case letter starts a word.
                || (prev.is_uppercase() && c.is_uppercase() && next.is_some_and(char::is_lowercase));
            if boundary {
                push(&mut out, &mut word);
            }
        }
        word.extend(c.to_lowercase());
    }
    push(&mut out, &mut word);
    out
}

fn push(out: &mut Vec<String>, word: &mut String) {
    if !word.is_empty() {
        out.push(std::mem::take(word));
    }
}

/// What a header's words say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Concept {
    /// The complaint itself (case, complaint, enquiry …).
    Case,
    /// An identifier (ref, id, number …).
    Id,
    /// A person (tenant, customer, resident …).
    Person,
    /// A date or time.
    Date,
    /// Received, logged, created, opened …
    Received,
    /// Category, type, subject, theme …
    Category,
    /// Channel, method, source …
    Channel,
    /// Tenure.
    Tenure,
    /// Not accepted as a complaint.
    Excluded,
    /// A reason.
    Reason,
    /// Acknowledged.
    Ack,
    /// Extended, extension.
    Extension,
    /// Due, target, deadline, SLA.
    Due,
    /// Response, reply.
    Response,
    /// Closed, resolved, completed — an end that may be any stage's.
    Closed,
    /// Outcome, result, decision, finding.
    Outcome,
    /// Requested, request.
    Request,
    /// Escalated, escalation (a stage 2 marker as well).
    Escalation,
    /// Refused, declined, rejected.
    Refused,
    /// Explained, letter, informed.
    Explained,
    /// The issue or incident complained about.
    Issue,
    /// Handler, officer, owner, reviewer.
    Handler,
    /// Remedy, putting things right.
    Remedy,
    /// Done, carried out.
    Done,
    /// Money: compensation, redress, amount, £.
    Money,
    /// Satisfied, satisfaction.
    Satisfied,
    /// The Housing Ombudsman.
    Ombudsman,
    /// Referred, referral.
    Referred,
    /// Evidence.
    Evidence,
    /// Sent, submitted, provided.
    Sent,
    /// Lesson, learning.
    Lesson,
    /// Action, improvement, change.
    Action,
    /// Status, state, progress.
    Status,
    /// Publish, publication, website.
    Publish,
    /// A place (office, region, ward, patch …): not a category.
    Place,
    /// A property attribute: not a category.
    Property,
    /// Contact details (phone, email, address, postcode): never a field.
    Contact,
    /// Who changed or created the record, and when it was last touched: never a field.
    Audit,
    /// A qualifier meaning "not the main one" (sub, secondary, other).
    Sub,
    /// A duration or count of days: never a date field.
    Measure,
    /// A team rather than a person.
    Team,
    /// Accepted as a complaint (and, with a "not" before it, `Excluded` too).
    Accepted,
}

use Concept::*;

/// Words and the concepts they carry. A word may carry two ("decision" is an outcome, or a
/// response when dated).
const LEXICON: &[(&str, &[Concept])] = &[
    ("case", &[Case]),
    ("complaint", &[Case]),
    ("complaints", &[Case]),
    ("enquiry", &[Case]),
    ("inquiry", &[Case]),
    ("feedback", &[Case]),
    ("ticket", &[Case]),
    ("record", &[Case]),
    ("matter", &[Case]),
    ("ref", &[Id]),
    ("reference", &[Id]),
    ("refno", &[Id]),
    ("id", &[Id]),
    ("identifier", &[Id]),
    ("no", &[Id]),
    ("number", &[Id]),
    ("num", &[Id]),
    ("nbr", &[Id]),
    ("code", &[Id]),
    ("key", &[Id]),
    ("urn", &[Id]),
    ("tenant", &[Person]),
    ("tenants", &[Person]),
    ("customer", &[Person]),
    ("customers", &[Person]),
    ("resident", &[Person]),
    ("residents", &[Person]),
    ("complainant", &[Person]),
    ("contact", &[Person]),
    ("household", &[Person]),
    ("person", &[Person]),
    ("party", &[Person]),
    ("client", &[Person]),
    ("occupant", &[Person]),
    ("tenancy", &[Person]),
    // "TEN_REF": housing systems' abbreviation of tenant.
    ("ten", &[Person]),
    ("account", &[Person]),
    ("applicant", &[Person]),
    ("caller", &[Person]),
    ("individual", &[Person]),
    ("date", &[Date]),
    ("dt", &[Date]),
    ("time", &[Date]),
    ("datetime", &[Date]),
    ("timestamp", &[Date]),
    ("when", &[Date]),
    ("utc", &[Date]),
    ("day", &[Date]),
    ("received", &[Received]),
    // Abbreviations housing systems write in upper-case column names (DATE_RECD, STG1_RESP).
    ("recd", &[Received]),
    ("rcvd", &[Received]),
    ("recv", &[Received]),
    ("receipt", &[Received]),
    ("logged", &[Received]),
    ("log", &[Received]),
    ("created", &[Received]),
    ("opened", &[Received]),
    ("raised", &[Received]),
    ("reported", &[Received]),
    ("registered", &[Received]),
    ("submitted", &[Received, Sent]),
    ("lodged", &[Received]),
    ("recorded", &[Received]),
    ("made", &[Received]),
    ("start", &[Received]),
    ("category", &[Category]),
    ("categories", &[Category]),
    ("cat", &[Category]),
    ("type", &[Category]),
    ("subject", &[Category]),
    ("area", &[Category]),
    ("service", &[Category]),
    ("theme", &[Category]),
    ("topic", &[Category]),
    ("nature", &[Category]),
    ("department", &[Category]),
    ("classification", &[Category]),
    ("kind", &[Category]),
    ("channel", &[Channel]),
    ("method", &[Channel]),
    ("source", &[Channel]),
    ("via", &[Channel]),
    ("medium", &[Channel]),
    ("route", &[Channel]),
    ("origin", &[Channel]),
    ("mode", &[Channel]),
    ("how", &[Channel]),
    ("tenure", &[Tenure]),
    ("stock", &[Tenure]),
    ("ownership", &[Tenure]),
    ("excluded", &[Excluded]),
    ("exclusion", &[Excluded]),
    ("exclude", &[Excluded]),
    ("notaccepted", &[Excluded]),
    ("accepted", &[Accepted]),
    ("nonaccepted", &[Excluded]),
    ("reason", &[Reason]),
    ("reasons", &[Reason]),
    ("why", &[Reason]),
    ("grounds", &[Reason]),
    ("rationale", &[Reason]),
    ("ack", &[Ack]),
    ("ackd", &[Ack]),
    ("acked", &[Ack]),
    ("acknowledged", &[Ack]),
    ("acknowledgement", &[Ack]),
    ("acknowledgment", &[Ack]),
    ("acknowledge", &[Ack]),
    ("extension", &[Extension]),
    ("extended", &[Extension]),
    ("extend", &[Extension]),
    ("ext", &[Extension]),
    ("due", &[Due]),
    ("target", &[Due]),
    ("tgt", &[Due]),
    ("deadline", &[Due]),
    ("sla", &[Due]),
    ("expected", &[Due]),
    ("response", &[Response]),
    ("resp", &[Response]),
    ("responded", &[Response]),
    ("respond", &[Response]),
    ("reply", &[Response]),
    ("replied", &[Response]),
    ("answered", &[Response]),
    ("answer", &[Response]),
    ("closed", &[Closed]),
    ("closure", &[Closed]),
    ("resolution", &[Closed, Outcome]),
    ("complete", &[Closed, Done]),
    ("resolved", &[Closed]),
    ("completed", &[Closed, Done]),
    ("completion", &[Closed, Done]),
    ("finished", &[Closed, Done]),
    ("outcome", &[Outcome]),
    ("outcomes", &[Outcome]),
    ("result", &[Outcome]),
    ("finding", &[Outcome]),
    ("findings", &[Outcome]),
    ("decision", &[Outcome]),
    ("determination", &[Outcome]),
    ("verdict", &[Outcome]),
    ("upheld", &[Outcome]),
    ("requested", &[Request]),
    ("request", &[Request]),
    ("req", &[Request]),
    ("asked", &[Request]),
    ("escalated", &[Escalation]),
    ("escalation", &[Escalation]),
    ("esc", &[Escalation]),
    ("escalate", &[Escalation]),
    ("refused", &[Refused]),
    ("refusal", &[Refused]),
    ("refuse", &[Refused]),
    ("declined", &[Refused]),
    ("decline", &[Refused]),
    ("declining", &[Refused]),
    ("refusing", &[Refused]),
    ("rejected", &[Refused]),
    ("rejection", &[Refused]),
    ("denied", &[Refused]),
    ("explained", &[Explained]),
    ("explanation", &[Explained]),
    ("letter", &[Explained]),
    ("informed", &[Explained]),
    ("told", &[Explained]),
    ("communicated", &[Explained]),
    ("writing", &[Explained]),
    ("issue", &[Issue]),
    ("issues", &[Issue]),
    ("incident", &[Issue]),
    ("problem", &[Issue]),
    ("occurred", &[Issue]),
    ("occurrence", &[Issue]),
    ("aware", &[Issue]),
    ("awareness", &[Issue]),
    ("arose", &[Issue]),
    ("happened", &[Issue]),
    ("handler", &[Handler]),
    ("handled", &[Handler]),
    ("officer", &[Handler]),
    ("investigator", &[Handler]),
    ("investigating", &[Handler]),
    ("owner", &[Handler]),
    ("assigned", &[Handler]),
    ("assignee", &[Handler]),
    ("caseworker", &[Handler]),
    ("manager", &[Handler]),
    ("responsible", &[Handler]),
    ("reviewer", &[Handler]),
    ("reviewing", &[Handler]),
    ("adviser", &[Handler]),
    ("advisor", &[Handler]),
    ("agent", &[Handler]),
    ("lead", &[Handler]),
    ("remedy", &[Remedy]),
    ("remedies", &[Remedy]),
    ("putting", &[Remedy]),
    ("done", &[Done]),
    ("carried", &[Done]),
    ("actioned", &[Done]),
    ("delivered", &[Done]),
    ("implemented", &[Done]),
    ("compensation", &[Money]),
    // "COMP_REF" is the complaint's reference, "COMP_AMT" its compensation.
    ("comp", &[Case, Money]),
    ("redress", &[Money]),
    ("goodwill", &[Money]),
    ("payment", &[Money]),
    ("paid", &[Money]),
    ("amount", &[Money]),
    ("amt", &[Money]),
    ("award", &[Money]),
    ("awarded", &[Money]),
    ("financial", &[Money]),
    ("£", &[Money]),
    ("gbp", &[Money]),
    ("satisfied", &[Satisfied]),
    ("satisfaction", &[Satisfied]),
    ("happy", &[Satisfied]),
    ("ombudsman", &[Ombudsman]),
    ("hos", &[Ombudsman]),
    ("hoso", &[Ombudsman]),
    ("referred", &[Referred]),
    ("referral", &[Referred]),
    ("refer", &[Referred]),
    ("notified", &[Referred]),
    ("notification", &[Referred]),
    ("evidence", &[Evidence]),
    ("sent", &[Sent]),
    ("provided", &[Sent]),
    ("supplied", &[Sent]),
    ("returned", &[Sent]),
    ("send", &[Sent]),
    ("issued", &[Sent]),
    ("lesson", &[Lesson]),
    ("lessons", &[Lesson]),
    ("learning", &[Lesson]),
    ("learnings", &[Lesson]),
    ("learned", &[Lesson]),
    ("learnt", &[Lesson]),
    ("action", &[Action]),
    ("actions", &[Action]),
    ("improvement", &[Action, Lesson]),
    ("improvements", &[Action, Lesson]),
    ("change", &[Action]),
    ("changes", &[Action]),
    ("changed", &[Action]),
    ("status", &[Status]),
    ("state", &[Status]),
    ("progress", &[Status]),
    ("publish", &[Publish]),
    ("publication", &[Publish]),
    ("published", &[Publish]),
    ("publishable", &[Publish]),
    ("publicly", &[Publish]),
    ("website", &[Publish]),
    ("externally", &[Publish]),
    ("office", &[Place]),
    ("region", &[Place]),
    ("ward", &[Place]),
    ("patch", &[Place]),
    ("district", &[Place]),
    ("locality", &[Place]),
    ("scheme", &[Place]),
    ("estate", &[Place]),
    ("location", &[Place]),
    ("site", &[Place]),
    ("zone", &[Place]),
    ("block", &[Place]),
    ("property", &[Property]),
    ("dwelling", &[Property]),
    ("building", &[Property]),
    ("asset", &[Property]),
    ("bedrooms", &[Property]),
    ("phone", &[Contact]),
    ("telephone", &[Contact]),
    ("tel", &[Contact]),
    ("mobile", &[Contact]),
    ("landline", &[Contact]),
    ("email", &[Contact]),
    ("mail", &[Contact]),
    ("address", &[Contact]),
    ("postcode", &[Contact]),
    ("birth", &[Contact]),
    ("dob", &[Contact]),
    ("modified", &[Audit]),
    ("updated", &[Audit]),
    ("edited", &[Audit]),
    ("amended", &[Audit]),
    ("last", &[Audit]),
    ("sub", &[Sub]),
    ("subcategory", &[Sub, Category]),
    ("secondary", &[Sub]),
    ("days", &[Measure]),
    ("hours", &[Measure]),
    ("duration", &[Measure]),
    ("elapsed", &[Measure]),
    ("age", &[Measure]),
    ("team", &[Team]),
    ("teams", &[Team]),
];

/// The stage a header names, if it names one: "Stage 2", "S2", "Stage Two", "second", "final",
/// "review", "escalation", "appeal" (2) and "panel", "third" (3); "first", "initial" (1).
pub fn stage_of(words: &[String]) -> Option<usize> {
    let number = |w: &str| match w {
        "1" | "one" | "i" => Some(1),
        "2" | "two" | "ii" => Some(2),
        "3" | "three" | "iii" => Some(3),
        _ => None,
    };
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).map(String::as_str);
        // "ST1_ACK_DATE" (as some housing systems abbreviate it): "st" before a number.
        if matches!(w.as_str(), "stage" | "s" | "st" | "stg" | "level" | "lvl" | "step") {
            if let Some(k) = next.and_then(number) {
                return Some(k);
            }
        }
    }
    for w in words {
        match w.as_str() {
            "first" | "initial" | "informal" => return Some(1),
            "second" | "final" | "review" | "reviewed" | "appeal" | "escalated" | "escalation" | "escalate" => {
                return Some(2)
            }
            "third" | "panel" => return Some(3),
            _ => {}
        }
    }
    None
}

/// The concepts a header's words carry.
pub fn concepts(words: &[String]) -> Vec<Concept> {
    let mut out: Vec<Concept> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        // "not accepted", "non acceptance": an exclusion.
        if matches!(w.as_str(), "not" | "non" | "un") && words.get(i + 1).is_some_and(|n| n.starts_with("accept")) {
            out.push(Excluded);
        }
        if let Some((_, cs)) = LEXICON.iter().find(|(word, _)| word == w) {
            out.extend(cs.iter().copied());
        }
    }
    // "Created On", "Escalated On": a date when it ends the header ("Publish on Website" is not).
    if words.last().is_some_and(|w| w == "on" || w == "at") {
        out.push(Date);
    }
    // "Date of Complaint", "Complaint Date": a date of the complaint itself, and nothing else,
    // is when it was received.
    if out.contains(&Case) && out.contains(&Date) && out.iter().all(|c| matches!(c, Case | Date)) {
        out.push(Received);
    }
    // "Outcome Date", "Decision Date": when the response was made.
    if out.contains(&Outcome) && out.contains(&Date) {
        out.push(Response);
    }
    // "HOS Ref Date", "Ombudsman Ref Date": a dated Ombudsman "ref" is the referral (its
    // reference number has no date).
    if out.contains(&Ombudsman) && out.contains(&Date) && words.iter().any(|w| w == "ref") {
        out.push(Referred);
    }
    // "Tenancy Type": the tenure.
    if words.windows(2).any(|w| w[0] == "tenancy" && w[1] == "type") {
        out.push(Tenure);
    }
    // "Contact Number", "Contact No": a telephone number, unless it says reference or id.
    let has = |w: &str| words.iter().any(|x| x == w);
    if has("contact") && (has("number") || has("no") || has("num")) && !(has("ref") || has("reference") || has("id")) {
        out.push(Contact);
    }
    // "Created By", "Handled By": who, not when.
    if words.last().is_some_and(|w| w == "by") && !out.contains(&Due) {
        out.retain(|c| *c != Date && *c != Received);
        if !out.contains(&Handler) {
            out.push(Audit);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// How a field is recognised from concepts.
struct Rule {
    /// The field (for staged fields, stage 1's name; the stage is worked out).
    field: &'static str,
    /// Groups of concepts: the header must carry at least one concept of every group.
    all: &'static [&'static [Concept]],
    /// Concepts that rule the field out.
    none: &'static [Concept],
    /// The field exists per stage (`s{k}_…`).
    staged: bool,
}

const NEVER: &[Concept] = &[Contact, Audit, Place, Property, Sub, Measure];

macro_rules! rule {
    ($field:literal, [$($all:expr),*], [$($none:expr),*], $staged:expr) => {
        Rule { field: $field, all: &[$($all),*], none: &[$($none),*], staged: $staged }
    };
}

const RULES: &[Rule] = &[
    rule!("case_id", [&[Case], &[Id]], [Person, Ombudsman, Evidence, Date], false),
    rule!("complainant_id", [&[Person], &[Id]], [Ombudsman, Date, Tenure, Category], false),
    rule!(
        "received_date",
        [&[Received]],
        [
            Issue, Escalation, Ack, Response, Due, Referred, Evidence, Channel, Request, Extension, Lesson, Action,
            Remedy, Ombudsman, Outcome
        ],
        false
    ),
    rule!("category", [&[Category]], [Tenure, Channel, Person, Date, Lesson, Action, Outcome, Money, Reason], false),
    rule!("channel", [&[Channel]], [Date, Ombudsman, Money], false),
    rule!("tenure", [&[Tenure]], [Date], false),
    rule!("excluded", [&[Excluded]], [Reason, Date, Escalation], false),
    rule!("exclusion_reason", [&[Excluded], &[Reason]], [Date, Escalation], false),
    rule!(
        "accepted",
        [&[Accepted]],
        [Excluded, Reason, Date, Escalation, Refused, Extension, Outcome, Ombudsman, Evidence, Remedy, Lesson, Action],
        false
    ),
    rule!("s1_ack_date", [&[Ack]], [Ombudsman, Evidence, Due, Extension], true),
    rule!("s1_extended", [&[Extension]], [Date, Due, Reason, Ombudsman], true),
    rule!("s1_due_date", [&[Due]], [Ack, Remedy, Lesson, Action, Ombudsman, Evidence, Issue], true),
    rule!(
        "s1_response_date",
        [&[Response, Closed]],
        [Due, Ack, Request, Ombudsman, Evidence, Remedy, Lesson, Action, Refused, Issue],
        true
    ),
    rule!("s1_outcome", [&[Outcome]], [Date, Ombudsman, Reason, Refused, Satisfied, Lesson, Action, Money], true),
    rule!(
        "s1_requested_date",
        [&[Request, Escalation, Received]],
        [Refused, Ack, Response, Due, Ombudsman, Evidence, Extension, Reason, Outcome, Closed],
        true
    ),
    rule!("s1_refused", [&[Refused]], [Reason, Explained, Date, Excluded], true),
    rule!("s1_refusal_reason", [&[Refused], &[Reason]], [Date, Excluded], true),
    rule!("s1_refusal_explained", [&[Refused], &[Explained]], [Date, Excluded], true),
    rule!("issue_date", [&[Issue]], [Category, Outcome, Reason], false),
    rule!("s1_handler", [&[Handler]], [Lesson, Action, Ombudsman, Date, Remedy, Team], true),
    rule!("remedy_due_date", [&[Remedy, Action], &[Due]], [Lesson, Ombudsman], false),
    rule!("remedy_completed_date", [&[Remedy], &[Done, Closed]], [Due, Lesson], false),
    rule!("compensation", [&[Money]], [Date, Reason, Ombudsman, Id], false),
    rule!("satisfied", [&[Satisfied]], [Date], false),
    rule!("ombudsman_referred_date", [&[Ombudsman], &[Referred, Received]], [Evidence, Outcome], false),
    rule!("ombudsman_evidence_requested_date", [&[Evidence], &[Request, Received]], [Sent], false),
    rule!("ombudsman_evidence_sent_date", [&[Evidence], &[Sent]], [], false),
    rule!("ombudsman_determination", [&[Ombudsman], &[Outcome]], [Date, Sent], false),
    // "Ombudsman Decision Issued" is a date: the decision was issued then.
    rule!("ombudsman_determination_date", [&[Ombudsman], &[Outcome], &[Date, Sent]], [Evidence, Referred], false),
    rule!("lesson", [&[Lesson]], [Action, Handler, Due, Status, Publish, Date], false),
    rule!("lesson_action", [&[Action]], [Due, Status, Handler, Date, Remedy, Publish, Money, Done, Closed], false),
    rule!("lesson_owner", [&[Lesson, Action], &[Handler]], [Date], false),
    rule!("lesson_due_date", [&[Lesson, Action], &[Due]], [Remedy], false),
    // "Action Status", and "Action Complete?" answered yes or no.
    rule!("lesson_status", [&[Lesson, Action], &[Status, Done]], [Date, Due, Remedy], false),
    rule!("lesson_publish", [&[Publish]], [Date], false),
];

/// The fields a header's words could mean, before its cells and neighbours are consulted.
/// Staged fields get the header's stage (stage 1 when it names none, except an end word such as
/// "closed", which could be any stage's and so gives every stage).
pub fn candidates(header: &str) -> Vec<&'static Field> {
    let words = words(header);
    let cs = concepts(&words);
    if cs.iter().any(|c| NEVER.contains(c)) {
        return Vec::new();
    }
    let stage = stage_of(&words);
    let mut out = Vec::new();
    for r in RULES {
        let fits =
            r.all.iter().all(|group| group.iter().any(|c| cs.contains(c))) && !r.none.iter().any(|c| cs.contains(c));
        if !fits {
            continue;
        }
        let base = r.field.strip_prefix("s1_");
        match (r.staged, base) {
            (true, Some(base)) => {
                // An escalation request, refusal or explanation is about stage 2 at the least.
                let later_only = r.field.contains("requested") || r.field.contains("refus");
                // "Stage 2 Opened": a later stage's start; a bare "received" is the complaint's.
                if r.field.contains("requested")
                    && stage.is_none_or(|k| k < 2)
                    && !(cs.contains(&Request) || cs.contains(&Escalation))
                {
                    continue;
                }
                let stages: Vec<usize> = match stage {
                    Some(k) => vec![k],
                    None if later_only => vec![2],
                    // "Date Closed": the end of whichever stage was last; its outcome
                    // ("Resolution Type") names no stage, so is stage 1's like any other.
                    None if base == "response_date" && !cs.contains(&Response) && cs.contains(&Closed) => vec![1, 2],
                    None => vec![1],
                };
                for k in stages {
                    if let Some(f) = FIELDS.iter().find(|f| f.name == format!("s{k}_{base}")) {
                        out.push(f);
                    }
                }
            }
            _ => {
                if let Some(f) = FIELDS.iter().find(|f| f.name == r.field) {
                    // A stage-less field that names a later stage belongs to that stage's rules.
                    if stage.is_none_or(|k| k == 1) || !matches!(r.field, "received_date") {
                        out.push(f);
                    }
                }
            }
        }
    }
    // A stage 1 handler named for stage 2 is the stage 2 handler, and so on: handled above.
    out
}

/// Whether a column's sample cells are consistent with a field: most of the non-blank cells
/// must read as the field's kind, and a text field must not be a column of dates. With no cells
/// the words alone decide.
pub fn cells_fit(field: &Field, cells: &[Cell], date_format: Option<&str>) -> bool {
    let filled: Vec<&Cell> = cells.iter().filter(|c| !c.is_blank()).collect();
    if filled.is_empty() {
        return true;
    }
    let share = |ok: usize| ok * 10 >= filled.len() * 6;
    let reads = filled.iter().filter(|c| parse(c, field.kind, date_format).is_ok()).count();
    match field.kind {
        FieldKind::Text => {
            let dates = filled.iter().filter(|c| parse(c, FieldKind::Date, date_format).is_ok()).count();
            let contact = filled.iter().filter(|c| looks_like_contact(c)).count();
            // "Complaint", "Compliment": the kind of case, not the service area it is about.
            let texts: Vec<&str> =
                filled.iter().filter_map(|c| if let Cell::Text(t) = c { Some(*t) } else { None }).collect();
            let kinds = field.name == "category" && is_kinds_column(texts);
            dates * 10 < filled.len() * 8 && contact * 10 < filled.len() * 5 && !kinds
        }
        _ => share(reads),
    }
}

/// A tenure as housing systems write one: the Regulator's LCRA and LCHO, or the kinds of
/// tenancy and home they stand for ("General Needs", "Shared Ownership", "Leasehold").
pub fn is_tenure_text(text: &str) -> bool {
    const TENURES: [&str; 22] = [
        "lcra",
        "lcho",
        "general needs",
        "social rent",
        "affordable rent",
        "shared ownership",
        "leasehold",
        "freehold",
        "supported",
        "sheltered",
        "intermediate",
        "market rent",
        "temporary",
        "rent to buy",
        "extra care",
        "older people",
        "assured",
        "secure",
        "introductory",
        "starter",
        "licence",
        "keyworker",
    ];
    // "General Needs", "GENERAL_NEEDS", "general-needs".
    let words = words(text).join(" ");
    TENURES.iter().any(|t| words.contains(t))
}

/// What kind of case a cell of a column of case kinds says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseKind {
    /// "Complaint", "Formal Complaint", "Stage 1 Complaint".
    Complaint,
    /// Another kind of contact a case-management system records beside complaints:
    /// "Compliment", "Service Request", "MP Enquiry", "Comment", "Non-complaint".
    Other,
}

/// The kind of case a cell says, if it says one.
pub fn case_kind(text: &str) -> Option<CaseKind> {
    const OTHER: [&str; 21] = [
        "compliment",
        "compliments",
        "comment",
        "comments",
        "enquiry",
        "enquiries",
        "inquiry",
        "query",
        "queries",
        "suggestion",
        "suggestions",
        "request",
        "requests",
        "feedback",
        "praise",
        "thanks",
        "foi",
        "sar",
        "concern",
        "concerns",
        "information",
    ];
    let words = words(text);
    let complaint = words.iter().position(|w| w == "complaint" || w == "complaints");
    match complaint {
        // "Not a complaint", "Non-complaint".
        Some(at) if words[..at].iter().any(|w| w == "not" || w == "non") => Some(CaseKind::Other),
        Some(_) => Some(CaseKind::Complaint),
        None if words.iter().any(|w| OTHER.contains(&w.as_str())) => Some(CaseKind::Other),
        None => None,
    }
}

/// Whether a column's cells are kinds of case ("Complaint", "Compliment", "Service Request")
/// rather than service areas or anything else: at least one says complaint, and nine in ten of
/// those filled say a kind.
pub fn is_kinds_column<'a>(cells: impl IntoIterator<Item = &'a str>) -> bool {
    is_kinds_column_counted(cells.into_iter().map(|c| (c, 1)))
}

/// `is_kinds_column` of each value written with how many cells hold it.
pub fn is_kinds_column_counted<'a>(values: impl IntoIterator<Item = (&'a str, usize)>) -> bool {
    let (mut filled, mut kinds, mut complaints) = (0, 0, 0);
    for (value, n) in values.into_iter().map(|(v, n)| (v.trim(), n)).filter(|(v, _)| !v.is_empty()) {
        filled += n;
        match case_kind(value) {
            Some(CaseKind::Complaint) => (kinds, complaints) = (kinds + n, complaints + n),
            Some(CaseKind::Other) => kinds += n,
            None => {}
        }
    }
    complaints > 0 && kinds * 10 >= filled * 9
}

/// Whether a header may name the kind of case a row is ("Type", "Case Type", "Feedback Type",
/// "Record Kind"; not "Property Type"): the columns whose cells `is_kinds_column` reads.
pub fn may_name_kinds(header: &str) -> bool {
    let words = words(header);
    words.iter().any(|w| matches!(w.as_str(), "type" | "types" | "kind" | "kinds"))
        && words.iter().all(|w| {
            matches!(
                w.as_str(),
                "type"
                    | "types"
                    | "kind"
                    | "kinds"
                    | "case"
                    | "feedback"
                    | "record"
                    | "enquiry"
                    | "inquiry"
                    | "complaint"
                    | "contact"
                    | "ticket"
                    | "request"
                    | "interaction"
                    | "service"
                    | "sub"
                    | "of"
                    | "main"
            )
        })
}

/// The TSMs' stock type a tenure as housing systems write it seems to be: `LCRA` for low cost
/// rental (general needs, social or affordable rent, supported and older people's housing),
/// `LCHO` for shared ownership; none for others (leasehold, market or intermediate rent), which
/// the TSMs do not count.
pub fn stock_type(tenure: &str) -> Option<&'static str> {
    const LCRA: [&str; 9] = [
        "general needs",
        "social rent",
        "affordable rent",
        "supported",
        "sheltered",
        "older people",
        "extra care",
        "low cost rental",
        "lcra",
    ];
    const LCHO: [&str; 4] = ["shared ownership", "shared owner", "low cost home ownership", "lcho"];
    let words = words(tenure).join(" ");
    let has = |list: &[&str]| list.iter().any(|t| words.contains(t));
    match (has(&LCRA), has(&LCHO)) {
        (true, false) => Some("LCRA"),
        (false, true) => Some("LCHO"),
        _ => None,
    }
}

/// Whether a row is a line a report writes below or between its cases, not a case: its first
/// filled cell begins "Total", "Grand total", "Count", "Report generated", "Printed", "Page 2
/// of 5", "End of report", "Number of records" … .
pub fn is_footer_line(cells: &[Cell]) -> bool {
    let Some(first) = cells.iter().find(|c| !c.is_blank()) else { return false };
    let Cell::Text(text) = first else { return false };
    let words = words(text);
    let starts = |phrase: &[&str]| words.len() >= phrase.len() && words.iter().zip(phrase).all(|(w, p)| w == p);
    const FOOTERS: [&[&str]; 16] = [
        &["total"],
        &["totals"],
        &["grand", "total"],
        &["subtotal"],
        &["sub", "total"],
        &["count"],
        &["sum"],
        &["report", "generated"],
        &["report", "run"],
        &["generated"],
        &["printed"],
        &["exported"],
        &["page"],
        &["end", "of", "report"],
        &["number", "of"],
        &["records"],
    ];
    FOOTERS.iter().any(|phrase| starts(phrase))
}

/// A reference as systems write one: one word with a digit in it ("T100234", "TEN-0001"), not a
/// date ("01/04/2024": a tenancy's start is no reference).
pub fn is_reference_text(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && t.len() <= 24
        && !t.contains(char::is_whitespace)
        && t.chars().any(|c| c.is_ascii_digit())
        && parse(&Cell::Text(t), FieldKind::Date, None).is_err()
}

/// An email address or a UK phone number: never an identifier or a category.
fn looks_like_contact(cell: &Cell) -> bool {
    let Cell::Text(t) = cell else { return false };
    let t = t.trim();
    let digits = t.chars().filter(char::is_ascii_digit).count();
    t.contains('@')
        || (t.starts_with(['0', '+'])
            && (10..=13).contains(&digits)
            && t.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)))
}

/// How closely a header's words say a field, for choosing between two headers that both could
/// be it: naming the field's stage counts most ("Stage 1 Responded On" over "Responded"); then
/// a due date that was extended or revised (the agreed deadline a recorded due date is, over
/// the policy target) and a response date that says "response" (over one saying only "closed",
/// which may be any stage's end); compensation that says so (over a goodwill payment); and a
/// category that says so (over a subject line or a type).
pub fn closeness(field: &str, header: &str) -> u8 {
    let words = words(header);
    // "Compensation Offered" over "Goodwill Payment": the field is the compensation awarded.
    if field == "compensation" {
        return u8::from(words.iter().any(|w| w.starts_with("compensation")));
    }
    // "Complaint Category" over "Subject" (a helpdesk's title line) or "Type".
    if field == "category" {
        return u8::from(words.iter().any(|w| w.starts_with("categor")));
    }
    if crate::fields::field_stage(field).is_none() {
        return 0;
    }
    let stage = if stage_of(&words).is_some() { 2 } else { 0 };
    let moved = field.ends_with("_due_date") && revises(&words);
    let says_response = field.ends_with("_response_date") && concepts(&words).contains(&Response);
    stage + u8::from(moved) + u8::from(says_response)
}

/// Whether a due date's words say it was moved: extended, revised, agreed, amended, new.
fn revises(words: &[String]) -> bool {
    words
        .iter()
        .any(|w| matches!(w.as_str(), "extended" | "extension" | "ext" | "revised" | "agreed" | "amended" | "new"))
}

/// Which family a field belongs to, for settling a header by its neighbours.
pub fn family(field: &str) -> &'static str {
    if field.starts_with("lesson") {
        "lesson"
    } else if field.starts_with("remedy") || field == "compensation" {
        "remedy"
    } else if field.starts_with("ombudsman") {
        "ombudsman"
    } else if let Some(k) = crate::fields::field_stage(field) {
        match k {
            1 => "stage 1",
            2 => "stage 2",
            _ => "stage 3",
        }
    } else {
        "case"
    }
}

/// Words of a header that name a family though the header is no field of it ("Remedy Offered"
/// beside "Action Due Date" says the remedy family is near).
pub fn family_hint(header: &str) -> Option<&'static str> {
    let cs = concepts(&words(header));
    if cs.contains(&Lesson) {
        Some("lesson")
    } else if cs.contains(&Remedy) || cs.contains(&Money) {
        Some("remedy")
    } else if cs.contains(&Ombudsman) {
        Some("ombudsman")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(h: &str) -> Vec<&'static str> {
        candidates(h).iter().map(|f| f.name).collect()
    }

    #[test]
    fn tenures_as_written_and_the_stock_type_they_seem() {
        for (tenure, seems) in [
            ("General Needs", Some("LCRA")),
            ("general_needs", Some("LCRA")),
            ("Affordable Rent", Some("LCRA")),
            ("Supported Housing", Some("LCRA")),
            ("Housing for Older People", Some("LCRA")),
            ("Shared Ownership", Some("LCHO")),
            ("SHARED-OWNERSHIP", Some("LCHO")),
            ("Leasehold", None),
            ("Market Rent", None),
            ("Intermediate Rent", None),
            ("", None),
        ] {
            assert_eq!(stock_type(tenure), seems, "{tenure}");
        }
        assert!(is_tenure_text("GENERAL_NEEDS") && is_tenure_text("Shared Ownership") && !is_tenure_text("Jane Smith"));
    }

    #[test]
    fn cells_say_the_kind_of_case() {
        use CaseKind::{Complaint, Other};
        for (cell, kind) in [
            ("Complaint", Some(Complaint)),
            ("Formal complaint", Some(Complaint)),
            ("Stage 1 Complaint", Some(Complaint)),
            ("COMPLAINTS", Some(Complaint)),
            ("Compliment", Some(Other)),
            ("Service Request", Some(Other)),
            ("MP Enquiry", Some(Other)),
            ("Councillor enquiry", Some(Other)),
            ("Comment", Some(Other)),
            ("Non-complaint", Some(Other)),
            ("Not a complaint", Some(Other)),
            ("Freedom of Information", Some(Other)),
            ("Repairs", None),
            ("Damp and mould", None),
            ("", None),
        ] {
            assert_eq!(case_kind(cell), kind, "{cell}");
        }
        assert!(is_kinds_column(["Complaint", "Compliment", "Service Request", " ", "Complaint"]));
        assert!(is_kinds_column(["Complaint", "Complaint"]), "one kind alone is still no service area");
        assert!(!is_kinds_column(["Compliment", "Comment"]), "no complaint: not a column of complaints' kinds");
        assert!(!is_kinds_column(["Complaint", "Repairs", "Estates"]), "service areas");
        assert!(!is_kinds_column(std::iter::empty()));
        for header in ["Type", "Case Type", "Feedback Type", "RecordType", "Kind of case"] {
            assert!(may_name_kinds(header), "{header}");
        }
        for header in ["Category", "Stage", "Typed By", "Property Type", "Tenancy Type"] {
            assert!(!may_name_kinds(header), "{header}");
        }
    }

    #[test]
    fn words_split_every_way_headers_are_written() {
        assert_eq!(words("Stage1ResponseDate"), ["stage", "1", "response", "date"]);
        assert_eq!(words("stage_1_sla_date"), ["stage", "1", "sla", "date"]);
        assert_eq!(words("S2 Target Date"), ["s", "2", "target", "date"]);
        assert_eq!(words("HOSReferralDate"), ["hos", "referral", "date"]);
        assert_eq!(words("Comp Amount (£)"), ["comp", "amount", "£"]);
    }

    #[test]
    fn stages() {
        assert_eq!(stage_of(&words("Date Final Response Sent (S2)")), Some(2));
        assert_eq!(stage_of(&words("Stage One Reply Date")), Some(1));
        assert_eq!(stage_of(&words("Review Officer")), Some(2));
        assert_eq!(stage_of(&words("Response Date")), None);
        assert_eq!(stage_of(&words("ST2_RESPONSE_DATE")), Some(2));
        assert_eq!(stage_of(&words("1st Response Date")), None);
    }

    #[test]
    fn candidates_from_words() {
        assert_eq!(names("Tenant Reference"), ["complainant_id"]);
        assert_eq!(names("Stage 2 Extended Due Date"), ["s2_due_date"]);
        assert_eq!(names("Date Closed"), ["s1_response_date", "s2_response_date"]);
        assert_eq!(names("Action Due Date"), ["remedy_due_date", "lesson_due_date"]);
        assert!(names("Property Type").is_empty());
        assert!(names("Created By").is_empty());
        assert!(names("Last Modified On").is_empty());
        assert_eq!(names("ST2_ACK_DATE"), ["s2_ack_date"]);
        assert_eq!(names("ST1_RESPONSE_DATE"), ["s1_response_date"]);
        assert_eq!(names("HOS_REF_DATE"), ["ombudsman_referred_date"]);
        assert_eq!(names("Ombudsman Ref Date"), ["ombudsman_referred_date"]);
        assert!(names("HOS Ref").is_empty(), "the Ombudsman's reference is no date: {:?}", names("HOS Ref"));
        assert_eq!(names("Date of Complaint"), ["received_date"]);
        assert_eq!(names("Complaint Case Date"), ["received_date"]);
        assert!(names("Complaint Closed Date").iter().all(|f| *f != "received_date"));
    }
}
