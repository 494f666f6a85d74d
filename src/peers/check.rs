//! `tsm-check`: the landlord's published TSM return beside the same data items worked out from its
//! case records, item by item, with the cases that could explain each difference.

use serde::Serialize;

use super::data::{Item, Landlord};
use crate::metrics::model::{Ch01, Ch02, Tenures, Tsm};
use crate::metrics::tsm::CohortCase;

/// How one data item compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The same.
    Matches,
    /// Different.
    Differs,
    /// The Regulator coded or did not publish it.
    NotComparable,
    /// The case data cannot give it (no home counts in the config, no tenure column).
    NotInData,
}

/// One data item of the return.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckRow {
    /// `lcra`, `lcho` or `combined`.
    pub tenure: String,
    /// Stage 1 or 2.
    pub stage: usize,
    /// The Regulator's data item ("CH02 1 Numerator", "within, without extension" …).
    pub item: String,
    /// As published: a number, or the code and what it means.
    pub published: String,
    /// From the case data.
    pub ours: Option<u64>,
    /// Case data less published.
    pub difference: Option<i64>,
    /// How it compares.
    pub outcome: Outcome,
    /// What the cases listed are.
    pub cases_are: String,
    /// The cases that could explain a difference.
    pub cases: Vec<String>,
}

/// The whole reconciliation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// The landlord as published.
    pub landlord: String,
    /// Its code.
    pub code: String,
    /// The year of the return.
    pub year: String,
    /// Every item, tenure by tenure and stage by stage.
    pub rows: Vec<CheckRow>,
}

impl Check {
    /// Items that differ.
    pub fn differences(&self) -> usize {
        self.rows.iter().filter(|r| r.outcome == Outcome::Differs).count()
    }
}

/// The items of one stage: (published item, name, our value, which cases could explain a
/// difference when ours is lower, when ours is higher).
fn items(k: usize, ch01: &Ch01, ch02: &Ch02) -> [(String, &'static str, Option<u64>, Cases, Cases); 6] {
    [
        (format!("ch01_{k}_num"), "CH01 numerator (complaints made)", ch01.num, Cases::LeftOut, Cases::Withdrawn),
        (format!("ch01_{k}_den"), "CH01 denominator (homes owned)", ch01.den, Cases::None, Cases::None),
        (
            format!("ch02_{k}_num"),
            "CH02 numerator (answered within timescale)",
            ch02.num,
            Cases::NotInTime,
            Cases::InTime,
        ),
        (format!("ch02_{k}_den"), "CH02 denominator (complaints made)", ch02.den, Cases::LeftOut, Cases::Withdrawn),
        (
            format!("s{k}_without_ext"),
            "within timescale without an extension",
            ch02.within_without_extension,
            Cases::NotInTime,
            Cases::Within,
        ),
        (
            format!("s{k}_with_ext"),
            "within timescale with an extension",
            ch02.within_with_extension,
            Cases::NotInTime,
            Cases::WithinExtension,
        ),
    ]
}

/// Which cases of the case data could explain a difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cases {
    None,
    /// Started in the year but left out of the count: not accepted, or no TSM tenure.
    LeftOut,
    /// Withdrawn or answered with no date: counted here, often left out of a return.
    Withdrawn,
    /// Counted, but not answered within timescale here.
    NotInTime,
    /// Answered within timescale here.
    InTime,
    /// Within without an extension.
    Within,
    /// Within with an extension.
    WithinExtension,
}

impl Cases {
    fn describe(self) -> &'static str {
        match self {
            Cases::None => "",
            Cases::LeftOut => {
                "complaints started in the year that the case data leaves out (not accepted, or no LCRA/LCHO tenure)"
            }
            Cases::Withdrawn => {
                "complaints counted here that a return may leave out (withdrawn, or answered with no date)"
            }
            Cases::NotInTime => {
                "complaints the case data does not count as answered in time (late, open, pending, no date)"
            }
            Cases::InTime => "complaints the case data counts as answered in time",
            Cases::Within => "complaints the case data counts as answered in time without an extension",
            Cases::WithinExtension => "complaints the case data counts as answered in time with an extension",
        }
    }

    fn fits(self, c: &CohortCase, tenure: &str) -> bool {
        let tenure_ok = match tenure {
            "lcra" => c.tenure == "LCRA",
            "lcho" => c.tenure == "LCHO",
            _ => c.tenure == "LCRA" || c.tenure == "LCHO",
        };
        match self {
            Cases::None => false,
            Cases::LeftOut => !c.accepted || !(c.tenure == "LCRA" || c.tenure == "LCHO"),
            Cases::Withdrawn => {
                tenure_ok && matches!(c.place.as_str(), "withdrawn, not answered" | "answered, date not recorded")
            }
            Cases::NotInTime => {
                tenure_ok && c.accepted && !matches!(c.place.as_str(), "within" | "within with extension" | "")
            }
            Cases::InTime => tenure_ok && matches!(c.place.as_str(), "within" | "within with extension"),
            Cases::Within => tenure_ok && c.place == "within",
            Cases::WithinExtension => tenure_ok && c.place == "within with extension",
        }
    }
}

fn tenure_of<'a, T>(t: &'a Tenures<T>, tenure: &str) -> &'a T {
    match tenure {
        "lcra" => &t.lcra,
        "lcho" => &t.lcho,
        _ => &t.combined,
    }
}

/// Reconciles a landlord's published return with the TSMs from its case data. `cohorts[k-1]`
/// are the complaints started at stage k in the year; `tenures` the stock types to check.
pub fn check(l: &Landlord, year: &str, tsm: &Tsm, cohorts: &[Vec<CohortCase>; 2], tenures: &[&str]) -> Check {
    let mut rows = Vec::new();
    for tenure in tenures {
        for k in [1usize, 2] {
            let (ch01, ch02) = match k {
                1 => (tenure_of(&tsm.ch01.stage1, tenure), tenure_of(&tsm.ch02.stage1, tenure)),
                _ => (tenure_of(&tsm.ch01.stage2, tenure), tenure_of(&tsm.ch02.stage2, tenure)),
            };
            for (code, name, ours, lower, higher) in items(k, ch01, ch02) {
                let published = l.item(tenure, &code);
                let (outcome, difference) = match (published, ours) {
                    (Item::Value(p), Some(o)) => {
                        let d = o as i64 - p.round() as i64;
                        (
                            if d == 0 && (p - p.round()).abs() < 1e-9 { Outcome::Matches } else { Outcome::Differs },
                            Some(d),
                        )
                    }
                    (Item::Value(_), None) => (Outcome::NotInData, None),
                    _ => (Outcome::NotComparable, None),
                };
                let which = match difference {
                    Some(d) if d < 0 => lower,
                    Some(d) if d > 0 => higher,
                    _ => Cases::None,
                };
                let cases: Vec<String> = if outcome == Outcome::Differs {
                    cohorts[k - 1].iter().filter(|c| which.fits(c, tenure)).map(|c| c.case_id.clone()).collect()
                } else {
                    Vec::new()
                };
                rows.push(CheckRow {
                    tenure: tenure.to_string(),
                    stage: k,
                    item: name.to_string(),
                    published: match published {
                        Item::Value(v) => crate::ingest::values::Cell::Number(*v).display(),
                        other => other.meaning(),
                    },
                    ours,
                    difference,
                    outcome,
                    cases_are: if cases.is_empty() { String::new() } else { which.describe().to_string() },
                    cases,
                });
            }
        }
    }
    Check { landlord: l.name.clone(), code: l.code.clone(), year: year.to_string(), rows }
}

/// The reconciliation as text for the terminal: one line per item, the cases under a difference.
pub fn to_text(c: &Check) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let _ = writeln!(o, "TSM return {} of {} ({}) beside the case data", c.year, c.landlord, c.code);
    let mut last = (String::new(), 0);
    for r in &c.rows {
        if (r.tenure.clone(), r.stage) != last {
            let _ = writeln!(o, "\n{} stage {}", r.tenure.to_uppercase(), r.stage);
            last = (r.tenure.clone(), r.stage);
        }
        let ours = r.ours.map(|v| v.to_string()).unwrap_or_else(|| "not in the case data".into());
        let verdict = match r.outcome {
            Outcome::Matches => "matches".to_string(),
            Outcome::Differs => format!("DIFFERS by {:+}", r.difference.unwrap_or(0)),
            Outcome::NotComparable => "not comparable".to_string(),
            Outcome::NotInData => "not in the case data".to_string(),
        };
        let _ = writeln!(o, "  {:<44} published {:<40} case data {:<10} {verdict}", r.item, r.published, ours);
        if !r.cases.is_empty() {
            let shown: Vec<&str> = r.cases.iter().take(50).map(String::as_str).collect();
            let more = r.cases.len().saturating_sub(shown.len());
            let _ = writeln!(
                o,
                "      {} ({}): {}{}",
                r.cases_are,
                r.cases.len(),
                shown.join(", "),
                if more > 0 { format!(" and {more} more (see the audit)") } else { String::new() }
            );
        }
    }
    let d = c.differences();
    let nc = c.rows.iter().filter(|r| r.outcome == Outcome::NotComparable).count();
    let _ = writeln!(
        o,
        "\nResult: {} of {} items differ; {nc} not comparable (coded or not published by the Regulator).{}",
        d,
        c.rows.len(),
        if d > 0 { " Exit status 1." } else { "" }
    );
    o
}
