//! The Ombudsman self-assessment: the form's provisions (data under templates/forms/), the
//! landlord's answers (answers.toml), the evidence filled in from the figures (`evidence`) and the
//! contradictions between a declared "Yes" and what the data shows.

pub mod evidence;

use std::collections::BTreeMap;

use anyhow::Result;
use serde::{Deserialize, Serialize};

use self::evidence::{Ctx, Hook};
use crate::error::usage;

/// The built-in forms: (name, source).
pub const FORMS: [(&str, &str); 2] = [
    ("code-2024", include_str!("../../../templates/forms/code-2024.toml")),
    ("seed-2020", include_str!("../../../templates/forms/seed-2020.toml")),
];

/// Which self-assessment form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormName {
    /// The Housing Ombudsman's Complaint Handling Code 2024, provision by provision.
    #[value(name = "code-2024")]
    Code2024,
    /// The 2020-era question form (seeds/002).
    #[value(name = "seed-2020")]
    Seed2020,
}

impl FormName {
    /// The form's name, as its file is called.
    pub fn as_str(self) -> &'static str {
        match self {
            FormName::Code2024 => "code-2024",
            FormName::Seed2020 => "seed-2020",
        }
    }

    /// The built-in TOML.
    pub fn builtin(self) -> &'static str {
        FORMS.iter().find(|(n, _)| *n == self.as_str()).map(|(_, s)| *s).unwrap_or_default()
    }
}

/// A date written as a TOML date (`2025-12-31`) or a string (`"2025-12-31"`).
pub fn toml_date<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<chrono::NaiveDate>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Date(toml::value::Datetime),
        Text(String),
    }
    let text = match Option::<Either>::deserialize(d)? {
        None => return Ok(None),
        Some(Either::Date(dt)) => dt.to_string(),
        Some(Either::Text(t)) => t,
    };
    text.trim()
        .parse()
        .map(Some)
        .map_err(|_| serde::de::Error::custom(format!("'{text}' is not a date; write it as 2025-12-31")))
}

/// The line of a byte offset in `text`, 1-based.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// A toml error as one line naming the origin and the line.
fn toml_error(origin: &str, text: &str, e: &toml::de::Error) -> anyhow::Error {
    let line = e.span().map(|s| format!(" line {}", line_of(text, s.start))).unwrap_or_default();
    usage(format!("{origin}{line}: {}", e.message().trim().replace('\n', " ")))
}

/// A self-assessment form: its provisions (or questions) in order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    /// `code-2024` or `seed-2020`.
    pub name: String,
    /// Title shown on the page.
    pub title: String,
    /// Provisions in order.
    pub provision: Vec<Provision>,
}

/// One provision (or question) of a form.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provision {
    /// "6.3".
    pub number: String,
    /// Section number.
    pub section: u32,
    /// Section title.
    pub section_title: String,
    /// The requirement in the project's own words.
    pub requirement: String,
    /// Data checks that evidence it (an unknown name is an error when the form loads).
    #[serde(default)]
    pub evidence: Vec<Hook>,
    /// An introductory statement, not assessed.
    #[serde(default)]
    pub introductory: bool,
    /// A question the data answers with figures rather than yes or no.
    #[serde(default)]
    pub from_data: bool,
}

impl Form {
    /// Parses a form; `origin` names it in errors ("built-in form code-2024" or its path).
    pub fn parse(text: &str, origin: &str) -> Result<Form> {
        toml::from_str(text).map_err(|e| toml_error(origin, text, &e))
    }
}

/// Comply: yes / no / not applicable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Comply {
    /// Complies.
    #[serde(alias = "Yes", alias = "YES", alias = "y")]
    Yes,
    /// Does not comply.
    #[serde(alias = "No", alias = "NO", alias = "n")]
    No,
    /// Not applicable.
    #[serde(rename = "n/a", alias = "na", alias = "N/A")]
    NotApplicable,
}

/// The landlord's answer to one provision.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// yes / no / n/a.
    pub comply: Option<Comply>,
    /// Evidence relied on.
    #[serde(default)]
    pub evidence: String,
    /// Commentary or explanation (and, where not complying, the actions and dates).
    #[serde(default)]
    pub commentary: String,
    /// What will be done, by whom and when (required for a "No" or a flagged "Yes" in the final
    /// form; tracked in the Board report until done).
    #[serde(default)]
    pub actions: Vec<AssessmentAction>,
}

/// An action the self-assessment commits to.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AssessmentAction {
    /// What will be done.
    pub action: String,
    /// Who is accountable (a role or team).
    #[serde(default)]
    pub owner: String,
    /// When it is due.
    #[serde(default, deserialize_with = "toml_date")]
    pub due: Option<chrono::NaiveDate>,
    /// Where it stands (planned, in progress, complete …).
    #[serde(default)]
    pub status: String,
}

/// Who completed and approved the assessment, and the texts for the annual report.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Meta {
    /// Completed by (role).
    pub completed_by: String,
    /// Approved by (governing body and date).
    pub approved_by: String,
    /// A declared "Yes" is flagged when the data's figure is below this percentage (default 90).
    pub contradiction_below: Option<f64>,
    /// The governing body's response to the annual report.
    pub governing_body_response: String,
    /// A summary of the Ombudsman's annual letter about the landlord.
    pub ombudsman_annual_letter: String,
    /// Other relevant Ombudsman reports or findings (including any finding of non-compliance).
    pub ombudsman_findings: String,
    /// Where the annual complaints performance and service improvement report is published.
    pub report_url: String,
    /// When it was published.
    #[serde(deserialize_with = "toml_date")]
    pub published_on: Option<chrono::NaiveDate>,
    /// When the governing body considered it.
    #[serde(deserialize_with = "toml_date")]
    pub board_date: Option<chrono::NaiveDate>,
    /// The Member Responsible for Complaints' statement (Board report and annual report).
    pub mrc_statement: String,
}

/// A Complaint Handling Failure Order the Ombudsman issued to the landlord.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FailureOrder {
    /// When it was issued.
    #[serde(deserialize_with = "toml_date")]
    pub date: Option<chrono::NaiveDate>,
    /// Its type (e.g. "failure to progress a complaint", "failure to provide information").
    #[serde(rename = "type", default)]
    pub kind: String,
    /// What it concerned.
    #[serde(default)]
    pub concerned: String,
    /// The Ombudsman's reference.
    #[serde(default)]
    pub ombudsman_ref: String,
    /// When the landlord complied.
    #[serde(default, deserialize_with = "toml_date")]
    pub complied: Option<chrono::NaiveDate>,
}

/// The answers file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Answers {
    /// About the assessment.
    pub assessment: Meta,
    /// Answers to the 2024 Code form, by provision number.
    pub answers: BTreeMap<String, Answer>,
    /// Answers to the 2020-era form, by question number.
    pub seed_answers: BTreeMap<String, Answer>,
    /// Complaint Handling Failure Orders the Ombudsman issued.
    pub complaint_handling_failure_orders: Vec<FailureOrder>,
}

impl Answers {
    /// Parses an answers file and checks every provision number against the forms it answers.
    pub fn parse(text: &str, origin: &str, code_2024: &Form, seed_2020: &Form) -> Result<Answers> {
        let answers: Answers = toml::from_str(text).map_err(|e| toml_error(origin, text, &e))?;
        if let Some(i) = answers.complaint_handling_failure_orders.iter().position(|o| o.date.is_none()) {
            return Err(usage(format!(
                "{origin}: complaint_handling_failure_orders[{}] has no date; write date = 2025-06-30",
                i + 1
            )));
        }
        for (f, table, given) in
            [(code_2024, "answers", &answers.answers), (seed_2020, "seed_answers", &answers.seed_answers)]
        {
            for number in given.keys() {
                if !f.provision.iter().any(|p| &p.number == number) {
                    return Err(usage(format!(
                        "{origin}: [{table}.\"{number}\"] is not a provision of the {} form (they run {} to {}); check the number",
                        f.name,
                        f.provision.first().map(|p| p.number.as_str()).unwrap_or(""),
                        f.provision.last().map(|p| p.number.as_str()).unwrap_or("")
                    )));
                }
            }
        }
        Ok(answers)
    }
}

/// One row of the rendered form.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Provision number.
    pub number: String,
    /// Requirement.
    pub requirement: String,
    /// "Yes", "No", "N/A", "Not yet assessed" or "Introductory".
    pub comply: String,
    /// CSS class for the answer.
    pub comply_class: String,
    /// Evidence from the data.
    pub data: Vec<String>,
    /// Timescale shortfalls with their counts.
    pub shortfall: Vec<String>,
    /// Fields that would evidence it, when missing.
    pub missing: Vec<String>,
    /// Notes for whoever completes the form (draft only).
    pub notes: Vec<String>,
    /// The landlord's evidence.
    pub evidence: String,
    /// The landlord's commentary.
    pub commentary: String,
    /// The actions it commits to.
    pub actions: Vec<AssessmentAction>,
    /// Why the data contradicts a declared "Yes" (draft only).
    pub flag: String,
    /// The data contradicts a declared "Yes".
    pub flagged: bool,
}

/// A section of the form.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// Section number.
    pub number: u32,
    /// Title.
    pub title: String,
    /// Rows.
    pub rows: Vec<Row>,
}

/// The rendered form.
#[derive(Debug, Clone, Serialize)]
pub struct FormView {
    /// Form title.
    pub title: String,
    /// Form name.
    pub name: String,
    /// The working draft (notes and checks shown) rather than the form to publish.
    pub draft: bool,
    /// Sections in order.
    pub sections: Vec<Section>,
    /// Counts: yes, no, n/a, not yet assessed, flagged.
    pub yes: usize,
    /// No answers.
    pub no: usize,
    /// Not applicable answers.
    pub not_applicable: usize,
    /// Provisions without an answer.
    pub not_assessed: usize,
    /// Rows whose "Yes" the data contradicts.
    pub flagged: usize,
    /// Rows with evidence from data.
    pub evidenced: usize,
    /// Threshold used for contradictions, percent.
    pub threshold: f64,
}

impl FormView {
    /// The provisions a published form cannot go out with as they stand: every "No" and every
    /// "Yes" the data contradicts needs commentary and at least one action with an owner and a
    /// due date.
    pub fn lacking_actions(&self) -> Vec<String> {
        self.sections
            .iter()
            .flat_map(|s| &s.rows)
            .filter(|r| r.comply_class == "no" || r.flagged)
            .filter(|r| {
                r.commentary.trim().is_empty()
                    || r.actions.is_empty()
                    || r.actions.iter().any(|a| a.owner.trim().is_empty() || a.due.is_none())
            })
            .map(|r| r.number.clone())
            .collect()
    }

    /// The provisions with no answer: a published form assesses every one.
    pub fn unassessed(&self) -> Vec<String> {
        self.sections
            .iter()
            .flat_map(|s| &s.rows)
            .filter(|r| r.comply_class == "unassessed")
            .map(|r| r.number.clone())
            .collect()
    }
}

/// What the data says about one provision, from all its hooks.
#[derive(Default)]
struct Found {
    data: Vec<String>,
    shortfall: Vec<String>,
    missing: Vec<String>,
    notes: Vec<String>,
    contradicts: Vec<String>,
}

fn found(p: &Provision, ctx: &Ctx) -> Found {
    let mut f = Found::default();
    for hook in &p.evidence {
        let e = evidence::evidence(*hook, ctx);
        f.data.extend(e.lines);
        f.shortfall.extend(e.shortfall);
        f.missing.extend(e.missing);
        f.notes.extend(e.notes);
        f.contradicts.extend(e.contradicts);
    }
    f.missing.sort();
    f.missing.dedup();
    f
}

fn label(p: &Provision, comply: Option<Comply>, from_data: bool) -> (&'static str, &'static str) {
    match (p.introductory, comply) {
        (true, _) => ("Introductory", "intro"),
        (false, None) if from_data => ("Answered from data", "data"),
        (false, Some(Comply::Yes)) => ("Yes", "yes"),
        (false, Some(Comply::No)) => ("No", "no"),
        (false, Some(Comply::NotApplicable)) => ("N/A", "na"),
        (false, None) => ("Not yet assessed", "unassessed"),
    }
}

/// Fills in a form from the answers and the data; `draft` keeps the notes and checks for whoever
/// completes it. The landlord's own text goes through `redact`: the form is published.
pub fn fill(
    form: &Form,
    answers: &BTreeMap<String, Answer>,
    ctx: &Ctx,
    redact: &dyn Fn(&str) -> String,
    draft: bool,
) -> FormView {
    let mut sections: Vec<Section> = Vec::new();
    let (mut yes, mut no, mut na, mut not_assessed, mut flagged, mut evidenced) = (0, 0, 0, 0, 0, 0);
    for p in &form.provision {
        let answer = answers.get(&p.number);
        let f = found(p, ctx);
        evidenced += usize::from(!f.data.is_empty());
        let comply = answer.and_then(|a| a.comply);
        let answered_by_data = p.from_data && comply.is_none() && !f.data.is_empty();
        let (label, class) = label(p, comply, answered_by_data);
        if !(p.introductory || answered_by_data) {
            match comply {
                Some(Comply::Yes) => yes += 1,
                Some(Comply::No) => no += 1,
                Some(Comply::NotApplicable) => na += 1,
                None => not_assessed += 1,
            }
        }
        let is_flagged = comply == Some(Comply::Yes) && !f.contradicts.is_empty();
        flagged += usize::from(is_flagged);
        let row = Row {
            number: p.number.clone(),
            requirement: p.requirement.clone(),
            comply: label.into(),
            comply_class: class.into(),
            data: f.data,
            shortfall: f.shortfall,
            missing: if draft { f.missing } else { Vec::new() },
            notes: if draft { f.notes } else { Vec::new() },
            evidence: answer.map(|a| redact(&a.evidence)).unwrap_or_default(),
            commentary: answer.map(|a| redact(&a.commentary)).unwrap_or_default(),
            actions: answer
                .map(|a| {
                    a.actions
                        .iter()
                        .map(|x| AssessmentAction { action: redact(&x.action), owner: redact(&x.owner), ..x.clone() })
                        .collect()
                })
                .unwrap_or_default(),
            flag: if is_flagged && draft {
                format!("Answered Yes, but the data shows {}.", f.contradicts.join("; and "))
            } else {
                String::new()
            },
            flagged: is_flagged,
        };
        match sections.last_mut() {
            Some(s) if s.number == p.section => s.rows.push(row),
            _ => sections.push(Section { number: p.section, title: p.section_title.clone(), rows: vec![row] }),
        }
    }
    FormView {
        title: form.title.clone(),
        name: form.name.clone(),
        draft,
        sections,
        yes,
        no,
        not_applicable: na,
        not_assessed,
        flagged,
        evidenced,
        threshold: ctx.threshold,
    }
}
