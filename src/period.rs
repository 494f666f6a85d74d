//! Reporting periods (SPEC §5): financial years, quarters, months and explicit ranges, the as-of
//! date, and the previous periods of the same length for trends.

use anyhow::Result;
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use crate::error::usage;

/// How long a period is; trends step back by the same length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Length {
    /// A financial year, 1 April – 31 March.
    Year,
    /// A financial quarter (Q1 = Apr–Jun).
    Quarter,
    /// A calendar month.
    Month,
    /// Any other range of days.
    Range,
}

/// One reporting period, both ends inclusive, cut at `as_of` when that falls earlier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    /// "2024/25", "2024/25 Q2", "July 2024", "2024-07-01 to 2024-09-30".
    pub label: String,
    /// First day.
    pub start: NaiveDate,
    /// Last day (after any cut at as-of).
    pub end: NaiveDate,
    /// The date the data is true at.
    pub as_of: NaiveDate,
    /// Kind of period.
    #[serde(skip)]
    pub length: Length,
}

/// The forms `--period` accepts, for error messages.
pub const ACCEPTED_FORMS: &str =
    "2024/25 or 2024-25 (financial year), 2024/25 Q2 or 2024-25-Q2 (quarter; Q1 = Apr–Jun), 2024-07 (month), 2024-07-01..2024-09-30 (range)";

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn last_day_of_month(y: i32, m: u32) -> NaiveDate {
    let first = ymd(y, m, 1).expect("valid month");
    first + Months::new(1) - chrono::Duration::days(1)
}

/// The financial year (its starting calendar year) containing `d`.
pub fn financial_year_of(d: NaiveDate) -> i32 {
    if d.month() >= 4 {
        d.year()
    } else {
        d.year() - 1
    }
}

fn year_label(start_year: i32) -> String {
    format!("{}/{:02}", start_year, (start_year + 1) % 100)
}

impl Period {
    /// Parses `--period` text with an optional `--as-of`.
    pub fn parse(text: &str, as_of: Option<NaiveDate>) -> Result<Period> {
        let (label, start, end, length) = parse_range(text.trim())
            .ok_or_else(|| usage(format!("--period '{text}' is not a period; use {ACCEPTED_FORMS}")))?;
        Period::new(label, start, end, length, as_of)
    }

    /// A period from its parts; as-of defaults to the end, and the end is cut at as-of.
    pub fn new(
        label: String,
        start: NaiveDate,
        end: NaiveDate,
        length: Length,
        as_of: Option<NaiveDate>,
    ) -> Result<Period> {
        let as_of = as_of.unwrap_or(end);
        if as_of < start {
            return Err(usage(format!("--as-of {as_of} is before the period {label} starts ({start})")));
        }
        Ok(Period { label, start, end: end.min(as_of), as_of, length })
    }

    /// The financial year `start_year`/`start_year+1`.
    pub fn financial_year(start_year: i32, as_of: Option<NaiveDate>) -> Result<Period> {
        let start = ymd(start_year, 4, 1).ok_or_else(|| usage(format!("no financial year {start_year}")))?;
        let end = ymd(start_year + 1, 3, 31).expect("valid");
        Period::new(year_label(start_year), start, end, Length::Year, as_of)
    }

    /// The financial quarter (Q1 = April–June) containing `d`, whole, with its end as as-of.
    pub fn quarter_containing(d: NaiveDate) -> Period {
        let fy = financial_year_of(d);
        let q = ((d.month() + 8) % 12) / 3 + 1;
        let (label, start, end) = quarter(fy, q);
        Period { label, start, end, as_of: end, length: Length::Quarter }
    }

    /// The latest quarter that has ended by `latest` (the last complaint received, or as-of
    /// when that is earlier), measured at `as_of`.
    pub fn latest_complete_quarter(latest: NaiveDate, as_of: Option<NaiveDate>) -> Result<Period> {
        let latest = as_of.map_or(latest, |a| latest.min(a));
        let q = Period::quarter_containing(latest);
        // The quarter containing `latest` when it is its last day; else the one before.
        let q = if q.end == latest { q } else { Period::quarter_containing(q.start - chrono::Duration::days(1)) };
        Period::new(q.label, q.start, q.end, q.length, as_of)
    }

    /// The financial year to date that contains this period's end (TSM reporting), up to as-of.
    pub fn tsm_year(&self) -> Period {
        // The period's end is never after as-of, so as-of is inside or after this year.
        Period::financial_year(financial_year_of(self.end), Some(self.as_of)).expect("as-of is not before the year")
    }

    /// Up to `n` earlier periods of the same length, oldest first, that start on or after
    /// `earliest`. Each earlier period is whole, with its own end as its as-of date.
    pub fn previous(&self, n: usize, earliest: NaiveDate) -> Vec<Period> {
        let step = match self.length {
            Length::Year => Months::new(12),
            Length::Quarter => Months::new(3),
            Length::Month => Months::new(1),
            Length::Range => return Vec::new(),
        };
        let mut out = Vec::new();
        let mut start = self.start;
        for _ in 0..n {
            start = start - step;
            let end = start + step - chrono::Duration::days(1);
            if end < earliest {
                break;
            }
            out.push(Period { label: label_for(self.length, start), start, end, as_of: end, length: self.length });
        }
        out.reverse();
        out
    }
}

fn label_for(length: Length, start: NaiveDate) -> String {
    match length {
        Length::Year => year_label(start.year()),
        Length::Quarter => {
            let fy = financial_year_of(start);
            let q = ((start.month() + 8) % 12) / 3 + 1;
            format!("{} Q{q}", year_label(fy))
        }
        Length::Month => start.format("%B %Y").to_string(),
        Length::Range => String::new(),
    }
}

/// Quarter `q` (1–4) of the financial year starting in `fy`: label, first and last day.
fn quarter(fy: i32, q: u32) -> (String, NaiveDate, NaiveDate) {
    let (y, m) = if q == 4 { (fy + 1, 1) } else { (fy, 3 * q + 1) };
    let start = ymd(y, m, 1).expect("the first of a month");
    (format!("{} Q{q}", year_label(fy)), start, last_day_of_month(y, m + 2))
}

/// Parses the financial year part: `2024/25`, `2024-25`, `2024/2025`, `2024-2025`.
fn parse_fy(text: &str) -> Option<i32> {
    let (a, b) = text.split_once(['/', '-'])?;
    let y: i32 = a.parse().ok().filter(|_| a.len() == 4)?;
    let next: i32 = b.parse().ok()?;
    let ok = match b.len() {
        2 => next == (y + 1) % 100,
        4 => next == y + 1,
        _ => false,
    };
    ok.then_some(y)
}

fn parse_range(text: &str) -> Option<(String, NaiveDate, NaiveDate, Length)> {
    // An explicit range.
    if let Some((a, b)) = text.split_once("..") {
        let s = NaiveDate::parse_from_str(a.trim(), "%Y-%m-%d").ok()?;
        let e = NaiveDate::parse_from_str(b.trim(), "%Y-%m-%d").ok()?;
        if e < s {
            return None;
        }
        return Some((format!("{s} to {e}"), s, e, Length::Range));
    }
    // A quarter: "2024/25 Q2", "2024-25-Q2", "2024-25 Q2".
    let upper = text.to_uppercase();
    if let Some(pos) = upper.rfind('Q') {
        let q: u32 = upper[pos + 1..].trim().parse().ok().filter(|q| (1..=4).contains(q))?;
        let fy = parse_fy(upper[..pos].trim().trim_end_matches(['-', ' ']))?;
        let (label, s, e) = quarter(fy, q);
        return Some((label, s, e, Length::Quarter));
    }
    // A financial year; "2011-12" is the year 2011/12, never December 2011.
    if let Some(fy) = parse_fy(text) {
        return Some((year_label(fy), ymd(fy, 4, 1)?, ymd(fy + 1, 3, 31)?, Length::Year));
    }
    // A month: "2024-07".
    let (y, m) = text.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    let s = ymd(y, m, 1)?;
    Some((s.format("%B %Y").to_string(), s, last_day_of_month(y, m), Length::Month))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        ymd(y, m, day).unwrap()
    }

    #[test]
    fn every_accepted_form() {
        let cases = [
            ("2024/25", "2024/25", d(2024, 4, 1), d(2025, 3, 31)),
            ("2024-25", "2024/25", d(2024, 4, 1), d(2025, 3, 31)),
            ("2024/25 Q2", "2024/25 Q2", d(2024, 7, 1), d(2024, 9, 30)),
            ("2024-25-Q2", "2024/25 Q2", d(2024, 7, 1), d(2024, 9, 30)),
            ("2024/25 Q4", "2024/25 Q4", d(2025, 1, 1), d(2025, 3, 31)),
            ("2024/25 q1", "2024/25 Q1", d(2024, 4, 1), d(2024, 6, 30)),
            ("2024-07", "July 2024", d(2024, 7, 1), d(2024, 7, 31)),
            ("2024-02", "February 2024", d(2024, 2, 1), d(2024, 2, 29)),
            ("2024-07-01..2024-09-30", "2024-07-01 to 2024-09-30", d(2024, 7, 1), d(2024, 9, 30)),
            ("2011-12", "2011/12", d(2011, 4, 1), d(2012, 3, 31)),
            ("1999/00", "1999/00", d(1999, 4, 1), d(2000, 3, 31)),
        ];
        for (text, label, s, e) in cases {
            let p = Period::parse(text, None).unwrap();
            assert_eq!((p.label.as_str(), p.start, p.end, p.as_of), (label, s, e, e), "{text}");
        }
    }

    #[test]
    fn bad_period_lists_the_forms() {
        for bad in ["2024", "2024/26", "Q2", "2024-13", "2024-09-30..2024-07-01", "next year"] {
            let err = Period::parse(bad, None).unwrap_err().to_string();
            assert!(err.contains("2024/25 Q2") && err.contains(bad), "{bad}: {err}");
        }
    }

    #[test]
    fn as_of_cuts_the_period() {
        let p = Period::parse("2024/25 Q2", Some(d(2024, 8, 15))).unwrap();
        assert_eq!((p.end, p.as_of), (d(2024, 8, 15), d(2024, 8, 15)));
        assert!(Period::parse("2024/25 Q2", Some(d(2024, 6, 1))).is_err());
    }

    #[test]
    fn previous_quarters_and_tsm_year() {
        let p = Period::parse("2025/26 Q1", None).unwrap();
        let prev = p.previous(8, d(2024, 4, 1));
        let labels: Vec<_> = prev.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2024/25 Q1", "2024/25 Q2", "2024/25 Q3", "2024/25 Q4"]);
        let q3 = Period::parse("2024/25 Q3", None).unwrap().tsm_year();
        assert_eq!((q3.start, q3.end), (d(2024, 4, 1), d(2024, 12, 31)));
    }
}
