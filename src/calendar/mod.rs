//! Working days: UK bank holidays (embedded GOV.UK data plus `--holidays` files), closure days, and
//! constant-time `wd` / `deadline` lookups into a precomputed cumulative working-day index.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;

use crate::error::usage;

/// The England and Wales bank holidays 2012–2030 in GOV.UK's `bank-holidays.json` format.
/// 2029 and 2030 are computed from the standing rules and say so in their `notes`.
const BUILTIN_HOLIDAYS: &str = include_str!("bank-holidays.json");

/// The division used when the config does not name one.
pub const DEFAULT_DIVISION: &str = "england-and-wales";

/// The divisions GOV.UK publishes.
pub const DIVISIONS: [&str; 3] = ["england-and-wales", "scotland", "northern-ireland"];

/// `num_days_from_ce` of 1970-01-01, the day polars counts `Date` values from.
const UNIX_EPOCH_CE: i32 = 719_163;

/// Days since 1970-01-01, the physical value of a polars `Date`.
pub fn epoch_days(d: NaiveDate) -> i32 {
    // Plain arithmetic: this runs for every date of every case read.
    d.num_days_from_ce() - UNIX_EPOCH_CE
}

/// The date for a polars `Date` physical value (clamped to the dates chrono can hold).
pub fn from_epoch_days(days: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(days.saturating_add(UNIX_EPOCH_CE)).unwrap_or(if days < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

#[derive(Debug, Deserialize)]
struct GovDivision {
    events: Vec<GovEvent>,
}

#[derive(Debug, Deserialize)]
struct GovEvent {
    title: String,
    date: NaiveDate,
    #[serde(default)]
    notes: String,
}

/// One non-working day other than a weekend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// "Christmas Day", "Closure day" …
    pub title: String,
    /// GOV.UK's notes ("Substitute day"), or our own mark for computed years.
    pub notes: String,
}

/// A working-day calendar over a fixed range of whole years.
#[derive(Debug, Clone)]
pub struct Calendar {
    first: NaiveDate,
    last: NaiveDate,
    first_epoch: i32,
    /// `cum[i]` = number of working days among `first ..= first + i`.
    cum: Vec<u32>,
    /// Epoch days of every working day in order; `working[k]` has `cum == k + 1`.
    working: Vec<i32>,
    holidays: BTreeMap<NaiveDate, Holiday>,
}

/// A date the calendar cannot answer for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{date} is outside the working-day calendar ({first} to {last}); give a bank-holidays file covering it with --holidays FILE")]
pub struct OutOfRange {
    /// The date asked about.
    pub date: NaiveDate,
    /// First date the calendar knows.
    pub first: NaiveDate,
    /// Last date the calendar knows.
    pub last: NaiveDate,
}

impl Calendar {
    /// The built-in England and Wales calendar with no closure days.
    pub fn builtin() -> Calendar {
        Calendar::build(DEFAULT_DIVISION, &[], &[]).expect("the embedded holidays are valid")
    }

    /// Builds a calendar for `division` from the built-in data (England and Wales only), any
    /// `bank-holidays.json` files given, and the landlord's closure days.
    pub fn build(division: &str, holiday_files: &[&Path], closures: &[NaiveDate]) -> Result<Calendar> {
        if !DIVISIONS.contains(&division) {
            return Err(usage(format!(
                "unknown bank-holiday division '{division}': use one of {}",
                DIVISIONS.join(", ")
            )));
        }
        let mut events: Vec<GovEvent> = Vec::new();
        if division == DEFAULT_DIVISION {
            events.extend(parse_division(BUILTIN_HOLIDAYS, division).context("the built-in bank holidays")?);
        }
        for path in holiday_files {
            let text = std::fs::read_to_string(path)
                .map_err(|e| usage(format!("{}: cannot read the bank-holidays file: {e}", path.display())))?;
            let parsed = parse_division(&text, division).map_err(|e| usage(format!("{}: {e:#}", path.display())))?;
            events.extend(parsed);
        }
        if events.is_empty() {
            return Err(usage(format!(
                "no bank holidays are known for '{division}': download GOV.UK's bank-holidays.json and give it with --holidays FILE"
            )));
        }
        let mut holidays = BTreeMap::new();
        for e in events {
            holidays.entry(e.date).or_insert(Holiday { title: e.title, notes: e.notes });
        }
        let first_year = holidays.keys().next().map(|d| d.year()).unwrap_or(2012);
        let last_year = holidays.keys().next_back().map(|d| d.year()).unwrap_or(2030);
        let first = NaiveDate::from_ymd_opt(first_year, 1, 1).expect("valid");
        let last = NaiveDate::from_ymd_opt(last_year, 12, 31).expect("valid");
        for &c in closures {
            if c >= first && c <= last {
                holidays.entry(c).or_insert(Holiday { title: "Closure day".into(), notes: "from the config".into() });
            }
        }
        Ok(Calendar::index(first, last, holidays))
    }

    fn index(first: NaiveDate, last: NaiveDate, holidays: BTreeMap<NaiveDate, Holiday>) -> Calendar {
        let first_epoch = epoch_days(first);
        let days = (last - first).num_days() as usize + 1;
        let mut cum = Vec::with_capacity(days);
        let mut working = Vec::new();
        let mut count = 0u32;
        for i in 0..days {
            let d = first + chrono::Duration::days(i as i64);
            let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
            if !weekend && !holidays.contains_key(&d) {
                count += 1;
                working.push(first_epoch + i as i32);
            }
            cum.push(count);
        }
        Calendar { first, last, first_epoch, cum, working, holidays }
    }

    /// First and last date the calendar can count working days for.
    pub fn range(&self) -> (NaiveDate, NaiveDate) {
        (self.first, self.last)
    }

    /// Bank holidays and closure days, in date order.
    pub fn holidays(&self) -> &BTreeMap<NaiveDate, Holiday> {
        &self.holidays
    }

    fn slot(&self, epoch: i32) -> Result<usize, OutOfRange> {
        let i = epoch - self.first_epoch;
        if i < 0 || i as usize >= self.cum.len() {
            return Err(OutOfRange { date: from_epoch_days(epoch), first: self.first, last: self.last });
        }
        Ok(i as usize)
    }

    /// The working-day ordinal of a polars `Date` physical value: working days from the start of
    /// the calendar up to and including it, so `wd(s, e) = ordinal(e) − ordinal(s)`.
    pub fn ordinal_epoch(&self, epoch: i32) -> Result<i32, OutOfRange> {
        Ok(self.cum[self.slot(epoch)?] as i32)
    }

    /// Whether `d` is a working day.
    pub fn is_working_day(&self, d: NaiveDate) -> Result<bool, OutOfRange> {
        let i = self.slot(epoch_days(d))?;
        let before = if i == 0 { 0 } else { self.cum[i - 1] };
        Ok(self.cum[i] > before)
    }

    /// Working days d with `start < d <= end` (negative when `end` is before `start`).
    pub fn wd(&self, start: NaiveDate, end: NaiveDate) -> Result<i32, OutOfRange> {
        self.wd_epoch(epoch_days(start), epoch_days(end))
    }

    /// `wd` on polars `Date` physical values.
    pub fn wd_epoch(&self, start: i32, end: i32) -> Result<i32, OutOfRange> {
        let s = self.slot(start)?;
        let e = self.slot(end)?;
        Ok(self.cum[e] as i32 - self.cum[s] as i32)
    }

    /// The n-th working day after `start` (`start` itself when n is 0).
    pub fn deadline(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, OutOfRange> {
        self.deadline_epoch(epoch_days(start), n).map(from_epoch_days)
    }

    /// `deadline` on polars `Date` physical values.
    pub fn deadline_epoch(&self, start: i32, n: u32) -> Result<i32, OutOfRange> {
        let s = self.slot(start)?;
        if n == 0 {
            return Ok(start);
        }
        let k = self.cum[s] as usize + n as usize - 1;
        // The error is built only when needed: this runs for every case and stage.
        self.working.get(k).copied().ok_or_else(|| OutOfRange {
            date: self.last + chrono::Duration::days(1),
            first: self.first,
            last: self.last,
        })
    }
}

fn parse_division(text: &str, division: &str) -> Result<Vec<GovEvent>> {
    let mut all: BTreeMap<String, GovDivision> = serde_json::from_str(text)
        .context("not in GOV.UK's bank-holidays.json format ({\"england-and-wales\": {\"division\": …, \"events\": [{\"title\", \"date\": \"YYYY-MM-DD\", …}]}})")?;
    match all.remove(division) {
        Some(d) => Ok(d.events),
        None => anyhow::bail!(
            "has no '{division}' division (it has: {})",
            all.keys().cloned().collect::<Vec<_>>().join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Epoch days are days since 1970-01-01 as date subtraction counts them, both ways, from
    /// 1800 to 2200; beyond chrono's range the date is clamped, not a panic.
    #[test]
    fn epoch_days_count_from_1970() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        assert_eq!(epoch_days(epoch), 0);
        let mut d = NaiveDate::from_ymd_opt(1800, 1, 1).unwrap();
        while d.year() < 2200 {
            let n = epoch_days(d);
            assert_eq!(n as i64, (d - epoch).num_days(), "{d}");
            assert_eq!(from_epoch_days(n), d);
            d = d.succ_opt().unwrap();
        }
        assert_eq!(from_epoch_days(i32::MAX), NaiveDate::MAX);
        assert_eq!(from_epoch_days(i32::MIN), NaiveDate::MIN);
    }

    /// England and Wales bank holidays for `year` from the standing rules alone (no one-off
    /// holidays or moves). Used to compute years GOV.UK has not yet published, and tested against
    /// every year it has.
    fn standing_rules_england_and_wales(year: i32) -> Vec<NaiveDate> {
        let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d).expect("valid date");
        let easter = easter_sunday(year);
        let mut days = vec![
            next_weekday(ymd(1, 1)),
            easter - chrono::Duration::days(2),
            easter + chrono::Duration::days(1),
            NaiveDate::from_weekday_of_month_opt(year, 5, Weekday::Mon, 1).expect("valid"),
            last_monday(year, 5),
            last_monday(year, 8),
        ];
        // Christmas and Boxing Day: a holiday on a weekend moves to the next weekday not taken.
        let christmas = next_weekday(ymd(12, 25));
        let mut boxing = next_weekday(ymd(12, 26));
        if boxing <= christmas {
            boxing = next_weekday(christmas + chrono::Duration::days(1));
        }
        days.push(christmas);
        days.push(boxing);
        days.sort();
        days
    }

    fn next_weekday(mut d: NaiveDate) -> NaiveDate {
        while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            d += chrono::Duration::days(1);
        }
        d
    }

    fn last_monday(year: i32, month: u32) -> NaiveDate {
        let mut d = NaiveDate::from_ymd_opt(year, month + 1, 1).expect("valid") - chrono::Duration::days(1);
        while d.weekday() != Weekday::Mon {
            d -= chrono::Duration::days(1);
        }
        d
    }

    /// Western (Gregorian) Easter Sunday, by the anonymous Gregorian algorithm.
    fn easter_sunday(year: i32) -> NaiveDate {
        let a = year % 19;
        let b = year / 100;
        let c = year % 100;
        let d = b / 4;
        let e = b % 4;
        let f = (b + 8) / 25;
        let g = (b - f + 1) / 3;
        let h = (19 * a + b - d - g + 15) % 30;
        let i = c / 4;
        let k = c % 4;
        let l = (32 + 2 * e + 2 * i - h - k) % 7;
        let m = (a + 11 * h + 22 * l) / 451;
        let month = (h + l - 7 * m + 114) / 31;
        let day = (h + l - 7 * m + 114) % 31 + 1;
        NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("valid Easter")
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn standing_rules_match_every_published_year_without_one_offs() {
        let cal = Calendar::builtin();
        // Years with a one-off holiday or a moved holiday are the exceptions the rules cannot know.
        for year in 2012..=2030 {
            if [2012, 2020, 2022, 2023].contains(&year) {
                continue;
            }
            let published: Vec<NaiveDate> = cal.holidays().keys().copied().filter(|h| h.year() == year).collect();
            assert_eq!(published, standing_rules_england_and_wales(year), "year {year}");
        }
    }

    #[test]
    fn computed_years_are_marked() {
        let cal = Calendar::builtin();
        let h = &cal.holidays()[&d(2029, 12, 25)];
        assert!(h.notes.contains("Computed"));
        assert!(!cal.holidays()[&d(2028, 12, 25)].notes.contains("Computed"));
    }

    #[test]
    fn out_of_range_is_an_error() {
        let cal = Calendar::builtin();
        assert!(cal.wd(d(2011, 12, 31), d(2012, 1, 5)).is_err());
        assert!(cal.deadline(d(2030, 12, 30), 5).is_err());
        assert!(cal.wd(d(2012, 1, 1), d(2030, 12, 31)).is_ok());
    }

    #[test]
    fn closures_are_not_working_days() {
        let cal = Calendar::build(DEFAULT_DIVISION, &[], &[d(2024, 12, 27)]).unwrap();
        assert!(!cal.is_working_day(d(2024, 12, 27)).unwrap());
        assert_eq!(cal.wd(d(2024, 12, 24), d(2024, 12, 31)).unwrap(), 2);
    }
}
