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
}

impl Answers {
    /// Parses an answers file and checks every provision number against the forms it answers.
    pub fn parse(text: &str, origin: &str, code_2024: &Form, seed_2020: &Form) -> Result<Answers> {
        let answers: Answers = toml::from_str(text).map_err(|e| toml_error(origin, text, &e))?;
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
    /// Fields that would evidence it, when missing.
    pub missing: Vec<String>,
    /// The landlord's evidence.
    pub evidence: String,
    /// The landlord's commentary.
    pub commentary: String,
    /// Why the data contradicts a declared "Yes".
    pub flag: String,
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

/// Fills in a form from the answers and the data.
/// The landlord's own text (evidence, commentary) goes through `redact`: the form is published.
pub fn fill(form: &Form, answers: &BTreeMap<String, Answer>, ctx: &Ctx, redact: &dyn Fn(&str) -> String) -> FormView {
    let mut sections: Vec<Section> = Vec::new();
    let (mut yes, mut no, mut na, mut not_assessed, mut flagged, mut evidenced) = (0, 0, 0, 0, 0, 0);
    for p in &form.provision {
        let answer = answers.get(&p.number);
        let mut data = Vec::new();
        let mut missing = Vec::new();
        let mut contradicts = Vec::new();
        for hook in &p.evidence {
            let e = evidence::evidence(*hook, ctx);
            data.extend(e.lines);
            missing.extend(e.missing);
            contradicts.extend(e.contradicts);
        }
        missing.sort();
        missing.dedup();
        if !data.is_empty() {
            evidenced += 1;
        }
        let comply = answer.and_then(|a| a.comply);
        let (label, class) = match (p.introductory, comply) {
            (true, _) => ("Introductory", "intro"),
            (false, None) if p.from_data && !data.is_empty() => ("Answered from data", "data"),
            (false, Some(Comply::Yes)) => ("Yes", "yes"),
            (false, Some(Comply::No)) => ("No", "no"),
            (false, Some(Comply::NotApplicable)) => ("N/A", "na"),
            (false, None) => ("Not yet assessed", "unassessed"),
        };
        let answered_by_data = p.from_data && comply.is_none() && !data.is_empty();
        if !(p.introductory || answered_by_data) {
            match comply {
                Some(Comply::Yes) => yes += 1,
                Some(Comply::No) => no += 1,
                Some(Comply::NotApplicable) => na += 1,
                None => not_assessed += 1,
            }
        }
        let flag = if comply == Some(Comply::Yes) && !contradicts.is_empty() {
            flagged += 1;
            format!("Answered Yes, but the data shows {}.", contradicts.join("; and "))
        } else {
            String::new()
        };
        let row = Row {
            number: p.number.clone(),
            requirement: p.requirement.clone(),
            comply: label.into(),
            comply_class: class.into(),
            data,
            missing,
            evidence: answer.map(|a| redact(&a.evidence)).unwrap_or_default(),
            commentary: answer.map(|a| redact(&a.commentary)).unwrap_or_default(),
            flag,
        };
        match sections.last_mut() {
            Some(s) if s.number == p.section => s.rows.push(row),
            _ => sections.push(Section { number: p.section, title: p.section_title.clone(), rows: vec![row] }),
        }
    }
    FormView {
        title: form.title.clone(),
        name: form.name.clone(),
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
