//! The landlord's `complaints.toml`: landlord, homes, policy profile (built-in or custom), holidays,
//! column mapping, targets and report text. Unknown keys are rejected with the line and the fix.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::usage;
use crate::fields;

/// The whole configuration file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The landlord's name, shown on every report.
    pub landlord: String,
    /// Profile to measure against: `code-2024`, `code-2022` or a name under `[profiles]`.
    /// Defaults to `code-2024`.
    pub profile: Option<String>,
    /// Bank-holiday division: `england-and-wales` (default), `scotland` or `northern-ireland`.
    pub division: Option<String>,
    /// Extra GOV.UK `bank-holidays.json` files, relative to the config file.
    pub holidays: Vec<PathBuf>,
    /// Days the landlord's offices are closed (e.g. a Christmas shutdown), `YYYY-MM-DD`.
    pub closure_days: Vec<NaiveDate>,
    /// A chrono format (e.g. `%d/%m/%Y`) that overrides date detection for text dates.
    pub date_format: Option<String>,
    /// Stage 1 complaints in 12 months that make a repeat complainant (default 2).
    pub repeat_threshold: Option<u32>,
    /// Homes owned, for TSM CH01.
    pub homes: Homes,
    /// Canonical field = header text in the export; wins over the built-in synonyms.
    pub columns: BTreeMap<String, String>,
    /// Category spelling = the name to report it under (`"Anti-Social Behaviour" = "ASB"`).
    pub categories: BTreeMap<String, String>,
    /// Tenure as written in the export = the stock type to count it as: `LCRA` (low cost rental)
    /// or `LCHO` (low cost home ownership) for the TSMs (`"General Needs" = "LCRA"`), or any other
    /// name.
    pub tenures: BTreeMap<String, String>,
    /// Custom policy profiles by name.
    pub profiles: BTreeMap<String, ProfileConfig>,
    /// RAG targets for the Board report, in percent.
    pub targets: Targets,
    /// Free text for report sections.
    pub text: ReportText,
    /// Counts below this are shown as "fewer than N" on published pages (default 5).
    pub small_number: Option<u32>,
    /// Regular expressions for references to redact from published text (tenancy refs, case refs …).
    pub redact_patterns: Vec<String>,
    /// Words and phrases confirmed not to be personal data (a scheme's or contractor's name): never
    /// removed from published text, never listed as suspects for review.
    pub redact_allow: Vec<String>,
    /// The Ombudsman casework file (findings and orders), relative to the config file.
    pub ombudsman: Option<PathBuf>,
    /// Casework field = header text in the casework file; wins over the built-in spellings.
    pub ombudsman_columns: BTreeMap<String, String>,
    /// The answers file (self-assessment answers, actions, statements), relative to the config
    /// file: used by the Board report, and by the annual outputs when `--answers` is not given.
    pub answers: Option<PathBuf>,
    /// The governing body's Member Responsible for Complaints.
    pub mrc: Option<Mrc>,
    /// Comparison with other landlords' published TSM figures.
    pub peers: Option<PeersConfig>,
    /// The Chromium-family browser `--pdf` prints with (default: found on PATH or in the usual
    /// install folders).
    pub browser: Option<PathBuf>,
}

/// `[peers]`: who the landlord is in the Regulator's data and who its peers are.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct PeersConfig {
    /// The landlord's code with the Regulator of Social Housing (e.g. `L4521`).
    pub rsh_code: Option<String>,
    /// `all` (default), `same-type`, `same-size` or `same-region`.
    pub group: Option<String>,
    /// Peers files made by `complaints peers import` (newer years), relative to the config file.
    pub files: Vec<PathBuf>,
}

/// The peer groups.
pub const PEER_GROUPS: [&str; 4] = ["all", "same-type", "same-size", "same-region"];

/// The Member Responsible for Complaints (Code 9.5–9.7).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Mrc {
    /// Their name.
    pub name: String,
    /// Their role on the governing body ("Board member", "Chair of the Customer Committee").
    #[serde(default)]
    pub role: String,
}

/// Homes owned, by tenure (TSM CH01 denominators).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Homes {
    /// All homes (used for Combined when `lcra` and `lcho` are not both given).
    pub total: Option<u64>,
    /// Low cost rental accommodation.
    pub lcra: Option<u64>,
    /// Low cost home ownership.
    pub lcho: Option<u64>,
}

/// A RAG target: at or above `green` is green, at or above `amber` amber, else red.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Green threshold, percent.
    pub green: f64,
    /// Amber threshold, percent.
    pub amber: f64,
}

/// Board report targets (percent). Each defaults to a sensible Code-based level.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Targets {
    /// Acknowledgements within the limit, stage 1.
    pub ack_on_time: Target,
    /// Stage 1 responses within timescale (with extension).
    pub stage1_within_timescale: Target,
    /// Stage 2 responses within timescale (with extension).
    pub stage2_within_timescale: Target,
    /// Complaints resolved at stage 1.
    pub stage1_resolution: Target,
}

impl Default for Targets {
    fn default() -> Self {
        Targets {
            ack_on_time: Target { green: 95.0, amber: 85.0 },
            stage1_within_timescale: Target { green: 90.0, amber: 80.0 },
            stage2_within_timescale: Target { green: 90.0, amber: 80.0 },
            stage1_resolution: Target { green: 80.0, amber: 70.0 },
        }
    }
}

/// Text the manager writes for the reports.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ReportText {
    /// The complaints manager's commentary on the quarter.
    pub commentary: String,
    /// How residents can complain (lessons page).
    pub how_to_complain: String,
}

/// A custom profile as written in the config.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ProfileConfig {
    /// What the policy is (e.g. "Customer Complaints Policy 2024").
    #[serde(default)]
    pub description: String,
    /// One to three stages, in order.
    pub stages: Vec<StageRule>,
}

/// When a stage's response clock starts.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ClockStart {
    /// Receipt (stage 1) or the escalation request (later stages).
    #[serde(alias = "receipt", alias = "request", alias = "escalation")]
    Start,
    /// The acknowledgement of this stage.
    #[serde(alias = "ack")]
    Acknowledgement,
}

/// The timescales of one stage.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StageRule {
    /// The policy's name for the stage ("Stage 1", "Appeal panel" …).
    pub name: String,
    /// Acknowledgement limit in working days from the stage's start; absent = no limit.
    #[serde(default)]
    pub ack_days: Option<u32>,
    /// Response limit in working days.
    pub response_days: u32,
    /// Where the response clock starts: `receipt`/`request` or `acknowledgement`.
    pub response_from: ClockStart,
    /// The largest extension the policy allows, in working days.
    #[serde(default)]
    pub max_extension_days: u32,
}

/// A policy profile: the rules for each stage.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Profile {
    /// `code-2024`, `code-2022` or the config's name for it.
    pub name: String,
    /// What it is.
    pub description: String,
    /// One to three stages.
    pub stages: Vec<StageRule>,
}

fn stage(name: &str, ack: u32, response: u32, from: ClockStart, max_ext: u32) -> StageRule {
    StageRule {
        name: name.to_string(),
        ack_days: Some(ack),
        response_days: response,
        response_from: from,
        max_extension_days: max_ext,
    }
}

impl Profile {
    /// The Housing Ombudsman's Complaint Handling Code 2024 (statutory from 1 April 2024).
    pub fn code_2024() -> Profile {
        Profile {
            name: "code-2024".into(),
            description: "Housing Ombudsman Complaint Handling Code 2024".into(),
            stages: vec![
                stage("Stage 1", 5, 10, ClockStart::Acknowledgement, 10),
                stage("Stage 2", 5, 20, ClockStart::Acknowledgement, 20),
            ],
        }
    }

    /// The Housing Ombudsman's Complaint Handling Code 2022.
    pub fn code_2022() -> Profile {
        Profile {
            name: "code-2022".into(),
            description: "Housing Ombudsman Complaint Handling Code 2022".into(),
            stages: vec![
                stage("Stage 1", 5, 10, ClockStart::Start, 10),
                stage("Stage 2", 5, 20, ClockStart::Start, 10),
            ],
        }
    }

    /// The Code profile in force for a period starting on `start`: 2024 from 1 April 2024.
    pub fn code_in_force(start: NaiveDate) -> Profile {
        if start >= NaiveDate::from_ymd_opt(2024, 4, 1).expect("valid") {
            Profile::code_2024()
        } else {
            Profile::code_2022()
        }
    }

    /// A built-in profile by name.
    pub fn builtin(name: &str) -> Option<Profile> {
        match name {
            "code-2024" => Some(Profile::code_2024()),
            "code-2022" => Some(Profile::code_2022()),
            _ => None,
        }
    }

    /// The rules of stage `k` (1-based), if the profile has it.
    pub fn stage(&self, k: usize) -> Option<&StageRule> {
        k.checked_sub(1).and_then(|i| self.stages.get(i))
    }
}

/// The starter config `complaints init` writes: every setting explained, none of them anyone's
/// in particular. `{{COLUMNS}}` is where `init --from` puts the export's mapping.
pub const STARTER: &str = include_str!("../templates/starter/complaints.toml");

/// The starter config with `columns` as the body of its `[columns]` table.
pub fn starter(columns: &str, tenures: &str) -> String {
    let tenures = if tenures.is_empty() {
        "# \"General Needs\" = \"LCRA\"\n# \"Shared Ownership\" = \"LCHO\"\n"
    } else {
        tenures
    };
    STARTER.replace("{{COLUMNS}}\n", columns).replace("{{TENURES}}\n", tenures)
}

impl Config {
    /// Reads and checks a config file.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| usage(format!("{}: cannot read the config file: {e}", path.display())))?;
        let mut config = Config::parse(&text).map_err(|e| usage(format!("{}: {e}", path.display())))?;
        // Holiday files are relative to the config file, like every path in it.
        let base = path.parent().unwrap_or(Path::new("."));
        config.holidays = config.holidays.iter().map(|p| base.join(p)).collect();
        config.ombudsman = config.ombudsman.map(|p| base.join(p));
        config.answers = config.answers.map(|p| base.join(p));
        if let Some(peers) = config.peers.as_mut() {
            peers.files = peers.files.iter().map(|p| base.join(p)).collect();
        }
        Ok(config)
    }

    /// Parses and checks config text; the error names the line, the key and the expected form.
    pub fn parse(text: &str) -> std::result::Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|e| describe_toml_error(text, &e))?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> std::result::Result<(), String> {
        for (name, p) in &self.profiles {
            if Profile::builtin(name).is_some() {
                return Err(format!("profiles.{name}: '{name}' is a built-in profile; give yours another name"));
            }
            if p.stages.is_empty() || p.stages.len() > 3 {
                return Err(format!(
                    "profiles.{name}.stages: a profile has one to three stages ([[profiles.{name}.stages]] tables); found {}",
                    p.stages.len()
                ));
            }
            for (i, s) in p.stages.iter().enumerate() {
                if s.response_days == 0 {
                    return Err(format!(
                        "profiles.{name}.stages[{}].response_days: must be 1 or more working days",
                        i + 1
                    ));
                }
            }
        }
        if let Some(p) = &self.profile {
            if Profile::builtin(p).is_none() && !self.profiles.contains_key(p) {
                let mut known: Vec<String> = vec!["code-2024".into(), "code-2022".into()];
                known.extend(self.profiles.keys().cloned());
                return Err(format!(
                    "profile: no profile named '{p}'; use one of {} or add [profiles.{p}]",
                    known.join(", ")
                ));
            }
        }
        if let Some(d) = &self.division {
            if !crate::calendar::DIVISIONS.contains(&d.as_str()) {
                return Err(format!(
                    "division: '{d}' is not a division; use one of {}",
                    crate::calendar::DIVISIONS.join(", ")
                ));
            }
        }
        for (key, header) in &self.columns {
            if fields::field(key).is_none() {
                return Err(format!(
                    "columns.{key}: '{key}' is not a canonical field; write `canonical_field = \"Header in your export\"` (fields: case_id, received_date, s1_response_date, … see README)"
                ));
            }
            if header.trim().is_empty() {
                return Err(format!("columns.{key}: give the header text of the column in your export"));
            }
        }
        for (key, header) in &self.ombudsman_columns {
            if !crate::fields::CASEWORK_FIELDS.iter().any(|f| f.name == key) {
                let names: Vec<&str> = crate::fields::CASEWORK_FIELDS.iter().map(|f| f.name).collect();
                return Err(format!(
                    "ombudsman_columns.{key}: '{key}' is not a casework field; use one of {}",
                    names.join(", ")
                ));
            }
            if header.trim().is_empty() {
                return Err(format!(
                    "ombudsman_columns.{key}: give the header text of the column in your casework file"
                ));
            }
        }
        if let Some(g) = self.peers.as_ref().and_then(|p| p.group.as_deref()) {
            if !PEER_GROUPS.contains(&g) {
                return Err(format!("peers.group: '{g}' is not a peer group; use one of {}", PEER_GROUPS.join(", ")));
            }
        }
        if let Some(m) = &self.mrc {
            if m.name.trim().is_empty() {
                return Err("mrc.name: give the Member Responsible for Complaints' name".into());
            }
        }
        if let Some(f) = &self.date_format {
            let probe = NaiveDate::from_ymd_opt(2024, 4, 3).expect("valid").format(f).to_string();
            if NaiveDate::parse_from_str(&probe, f).is_err() {
                return Err(format!(
                    "date_format: '{f}' is not a chrono date format that can be read back (e.g. \"%d/%m/%Y\")"
                ));
            }
        }
        for (i, pattern) in self.redact_patterns.iter().enumerate() {
            if pattern.trim().is_empty() {
                return Err(format!("redact_patterns[{}]: an empty pattern would match everything", i + 1));
            }
        }
        Ok(())
    }

    /// The landlord's own profile (default `code-2024`).
    pub fn own_profile(&self) -> Profile {
        let name = self.profile.as_deref().unwrap_or("code-2024");
        // `check` made sure a named profile exists.
        Profile::builtin(name).or_else(|| self.profile_named(name)).unwrap_or_else(Profile::code_2024)
    }

    /// A profile defined under `[profiles]`.
    pub fn profile_named(&self, name: &str) -> Option<Profile> {
        self.profiles.get(name).map(|p| Profile {
            name: name.to_string(),
            description: p.description.clone(),
            stages: p.stages.clone(),
        })
    }

    /// The repeat-complainant threshold (default 2).
    pub fn repeat_threshold(&self) -> u32 {
        self.repeat_threshold.unwrap_or(2)
    }

    /// The bank-holiday division (default England and Wales).
    pub fn division(&self) -> &str {
        self.division.as_deref().unwrap_or(crate::calendar::DEFAULT_DIVISION)
    }
}

/// Turns a toml error into one line: `line N (`text`): message`.
fn describe_toml_error(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim().replace('\n', " ");
    match e.span() {
        Some(span) => {
            let line_no = text[..span.start.min(text.len())].matches('\n').count() + 1;
            let line = text.lines().nth(line_no - 1).unwrap_or("").trim();
            format!("line {line_no} (`{line}`): {message}")
        }
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_line_and_key() {
        let err = Config::parse("landlord = \"X\"\nprofle = \"code-2024\"\n").unwrap_err();
        assert!(err.contains("line 2"), "{err}");
        assert!(err.contains("profle"), "{err}");
        assert!(err.contains("expected one of"), "{err}");
    }

    #[test]
    fn unknown_profile_is_named() {
        let err = Config::parse("profile = \"mine\"\n").unwrap_err();
        assert!(err.contains("mine") && err.contains("code-2024"), "{err}");
    }

    #[test]
    fn custom_profile_with_three_stages() {
        let c = Config::parse(
            r#"
profile = "three"
[[profiles.three.stages]]
name = "Stage 1"
ack_days = 5
response_days = 10
response_from = "receipt"
[[profiles.three.stages]]
name = "Stage 2"
response_days = 10
response_from = "request"
[[profiles.three.stages]]
name = "Appeal panel"
response_days = 20
response_from = "acknowledgement"
max_extension_days = 5
"#,
        )
        .unwrap();
        let p = c.own_profile();
        assert_eq!(p.stages.len(), 3);
        assert_eq!(p.stages[1].ack_days, None);
        assert_eq!(p.stages[2].response_from, ClockStart::Acknowledgement);
    }

    #[test]
    fn bad_column_key_is_named() {
        let err = Config::parse("[columns]\nrecieved = \"Date\"\n").unwrap_err();
        assert!(err.contains("columns.recieved"), "{err}");
    }

    #[test]
    fn the_starter_config_loads_and_belongs_to_nobody() {
        let c = Config::parse(&starter("", "")).unwrap();
        assert!(c.closure_days.is_empty() && c.text.commentary.is_empty() && c.homes == Homes::default());
        Config::parse(include_str!("../sample-data/complaints.toml")).unwrap();
    }
}
