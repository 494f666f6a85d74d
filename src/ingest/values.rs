//! Cell values and their parsing into typed field values: dates (day-first, serials, times
//! ignored), booleans, money, outcomes and determinations (SPEC §2 "Values").

use std::borrow::Cow;
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::fields::FieldKind;

/// One cell as read from a file, before it is given a meaning.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// Nothing in the cell (or only whitespace).
    Empty,
    /// Text as written.
    Text(&'a str),
    /// A number cell (XLSX/ODS).
    Number(f64),
    /// A date or date-time cell (XLSX/ODS), time dropped.
    Date(NaiveDate),
    /// A boolean cell (XLSX/ODS).
    Bool(bool),
}

impl Cell<'_> {
    /// The cell as the user would see it, for messages.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.to_string(),
            Cell::Number(n) => format_number(*n),
            Cell::Date(d) => d.format("%d/%m/%Y").to_string(),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        }
    }

    /// Whether the cell holds nothing but whitespace.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => trimmed(t).is_empty(),
            _ => false,
        }
    }
}

/// `text` without the whitespace around it, as `str::trim` gives it. Most cells have none, which
/// their first and last bytes show without decoding them (a printable ASCII byte is a whole
/// character, and not whitespace).
pub fn trimmed(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (None, _) => text,
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A parsed field value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// Text (trimmed, never empty); also normalised outcomes and determinations.
    Text(Cow<'a, str>),
    /// A date.
    Date(NaiveDate),
    /// A yes/no.
    Bool(bool),
    /// Money in whole pence.
    Pence(i64),
}

/// The normalised stage outcomes.
pub const OUTCOMES: [&str; 4] = ["upheld", "partly upheld", "not upheld", "withdrawn"];

/// The normalised Ombudsman determinations.
pub const DETERMINATIONS: [&str; 6] = [
    "severe maladministration",
    "maladministration",
    "service failure",
    "no maladministration",
    "reasonable redress",
    "outside jurisdiction",
];

/// Parses a cell as `kind`. `Ok(None)` is "not recorded"; `Err` is the reason the value was not
/// understood.
pub fn parse<'a>(cell: &Cell<'a>, kind: FieldKind, date_format: Option<&str>) -> Result<Option<Value<'a>>, String> {
    if cell.is_blank() {
        return Ok(match kind {
            FieldKind::Bool { blank_false: true } => Some(Value::Bool(false)),
            _ => None,
        });
    }
    match kind {
        FieldKind::Text => Ok(Some(Value::Text(match cell {
            Cell::Text(t) => Cow::Borrowed(trimmed(t)),
            other => Cow::Owned(other.display()),
        }))),
        FieldKind::Date => parse_date(cell, date_format).map(|d| Some(Value::Date(d))),
        FieldKind::Bool { .. } => parse_bool(cell).map(|b| Some(Value::Bool(b))),
        FieldKind::Money => parse_money(cell).map(|p| Some(Value::Pence(p))),
        FieldKind::Outcome => match cell {
            Cell::Text(t) => normalise_outcome(t),
            other => normalise_outcome(&other.display()),
        }
        .map(|o| Some(Value::Text(Cow::Borrowed(o)))),
        FieldKind::Determination => {
            normalise_determination(&cell.display()).map(|o| Some(Value::Text(Cow::Borrowed(o))))
        }
    }
}

/// Excel's day zero for serial dates (serial 1 = 1900-01-01 with its 1900 leap-year bug; every
/// serial in our range is after it).
fn excel_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid")
}

/// An Excel serial date: a number 20000–80000 (1954–2119); any fraction is a time and ignored.
pub fn from_excel_serial(n: f64) -> Option<NaiveDate> {
    if !(20000.0..80001.0).contains(&n) {
        return None;
    }
    Some(excel_epoch() + chrono::Duration::days(n.floor() as i64))
}

static ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})(?:[T ]{TIME})?$")).expect("valid regex"));
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^(\d{{1,2}})([/.\-])(\d{{1,2}})([/.\-])(\d{{4}}|\d{{2}})(?:,?\s+{TIME})?$"))
        .expect("valid regex")
});
static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^(?:[A-Za-z]{{3,9}},?\s+)?(\d{{1,2}})(?:st|nd|rd|th)?[\s\-]+([A-Za-z]{{3,9}})\.?,?[\s\-]+(\d{{4}}|\d{{2}})(?:,?\s+{TIME})?$"))
        .expect("valid regex")
});
static SERIAL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{5}(?:\.\d+)?$").expect("valid regex"));
/// A time of day, which is ignored: `14:30`, `14:30:05.123`, `2:30 PM`, `14:30:00Z`, `+01:00`.
const TIME: &str = r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:Z|[+\-]\d{2}:?\d{2})?";

fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_lowercase();
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    MONTHS
        .iter()
        .position(|m| lower.len() >= 3 && (m.starts_with(&lower) || (lower == "sept" && *m == "september")))
        .map(|i| i as u32 + 1)
}

fn year_from(text: &str) -> Option<i32> {
    let y: i32 = text.parse().ok()?;
    Some(if text.len() == 2 { 2000 + y } else { y })
}

/// Parses a date cell. Day-first always: `03/04/2024` is 3 April 2024.
pub fn parse_date(cell: &Cell, date_format: Option<&str>) -> Result<NaiveDate, String> {
    match cell {
        Cell::Date(d) => Ok(*d),
        Cell::Number(n) => {
            from_excel_serial(*n).ok_or_else(|| "a number that is not an Excel date serial (20000–80000)".to_string())
        }
        Cell::Bool(_) => Err("a TRUE/FALSE cell, not a date".into()),
        Cell::Empty => Err("blank".into()),
        Cell::Text(t) => {
            let t = trimmed(t);
            match (date_format, fast_date(t.as_bytes())) {
                (None, Some(d)) => Ok(d),
                _ => parse_date_text(t, date_format),
            }
        }
    }
}

/// `DD/MM/YYYY` and `YYYY-MM-DD`, the two forms almost every export uses, without regexes.
fn fast_date(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32))
    };
    if b[2] == b'/' && b[5] == b'/' {
        NaiveDate::from_ymd_opt(num(6..10)? as i32, num(3..5)?, num(0..2)?)
    } else if b[4] == b'-' && b[7] == b'-' {
        NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
    } else {
        None
    }
}

fn parse_date_text(t: &str, date_format: Option<&str>) -> Result<NaiveDate, String> {
    if SERIAL.is_match(t) {
        let n: f64 = t.parse().map_err(|_| "not a date".to_string())?;
        return from_excel_serial(n).ok_or_else(|| "a number that is not an Excel date serial (20000–80000)".into());
    }
    if let Some(f) = date_format {
        // The configured format wins; a time part after it is still ignored.
        return NaiveDate::parse_and_remainder(t, f)
            .ok()
            .filter(|(_, rest)| rest.is_empty() || rest.starts_with([' ', 'T']))
            .map(|(d, _)| d)
            .ok_or_else(|| format!("not a date in the configured date_format '{f}'"));
    }
    let invalid = || "not a real calendar date".to_string();
    if let Some(c) = ISO.captures(t) {
        return NaiveDate::from_ymd_opt(
            c[1].parse().map_err(|_| invalid())?,
            c[2].parse().map_err(|_| invalid())?,
            c[3].parse().map_err(|_| invalid())?,
        )
        .ok_or_else(invalid);
    }
    if let Some(c) = NUMERIC.captures(t) {
        if c[2] != c[4] {
            return Err("mixed separators in a date".into());
        }
        let year = year_from(&c[5]).ok_or_else(invalid)?;
        return NaiveDate::from_ymd_opt(
            year,
            c[3].parse().map_err(|_| invalid())?,
            c[1].parse().map_err(|_| invalid())?,
        )
        .ok_or_else(invalid);
    }
    if let Some(c) = NAMED.captures(t) {
        let month = month_number(&c[2]).ok_or_else(|| format!("'{}' is not a month", &c[2]))?;
        let year = year_from(&c[3]).ok_or_else(invalid)?;
        return NaiveDate::from_ymd_opt(year, month, c[1].parse().map_err(|_| invalid())?).ok_or_else(invalid);
    }
    Err("not a date (use DD/MM/YYYY or YYYY-MM-DD)".into())
}

/// yes/no, y/n, true/false, 1/0, x (blank handled by the caller).
pub fn parse_bool(cell: &Cell) -> Result<bool, String> {
    match cell {
        Cell::Bool(b) => Ok(*b),
        Cell::Number(n) if *n == 1.0 => Ok(true),
        Cell::Number(n) if *n == 0.0 => Ok(false),
        Cell::Text(t) => {
            // Compared without allocating: a million-row export has ten million of these.
            let t = trimmed(t);
            let is = |words: &[&str]| words.iter().any(|w| t.eq_ignore_ascii_case(w));
            if is(&["yes", "y", "true", "t", "1", "x"]) {
                Ok(true)
            } else if is(&["no", "n", "false", "f", "0"]) {
                Ok(false)
            } else {
                Err("not yes/no (use yes/no, y/n, true/false, 1/0 or x)".into())
            }
        }
        _ => Err("not yes/no".into()),
    }
}

/// Pounds to whole pence: `1234.5`, `£1,234.50`, `GBP 20`. Negative amounts are refused.
pub fn parse_money(cell: &Cell) -> Result<i64, String> {
    let pounds = match cell {
        Cell::Number(n) => *n,
        Cell::Text(t) => {
            let cleaned: String = t
                .trim()
                .trim_start_matches("GBP")
                .chars()
                .filter(|c| !matches!(c, '£' | ',' | ' ' | '\u{a0}'))
                .collect();
            let ok = !cleaned.is_empty()
                && cleaned.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-')
                && cleaned.split_once('.').is_none_or(|(_, p)| p.len() <= 2 && !p.contains('.'));
            if !ok {
                return Err("not an amount of money (write e.g. £1,234.50)".into());
            }
            cleaned.parse::<f64>().map_err(|_| "not an amount of money (write e.g. £1,234.50)".to_string())?
        }
        _ => return Err("not an amount of money".into()),
    };
    if !pounds.is_finite() || pounds < 0.0 {
        return Err("a negative amount of money".into());
    }
    Ok((pounds * 100.0).round() as i64)
}

fn squash(text: &str) -> String {
    text.trim().to_lowercase().replace(['-', '_', '/'], " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// upheld / partly upheld / not upheld / withdrawn.
pub fn normalise_outcome(text: &str) -> Result<&'static str, String> {
    // The usual spellings first, without allocating.
    let trimmed = trimmed(text);
    if let Some(o) = OUTCOMES.iter().find(|o| trimmed.eq_ignore_ascii_case(o)) {
        return Ok(o);
    }
    match squash(text).as_str() {
        "upheld" | "fully upheld" => Ok("upheld"),
        "partly upheld" | "partially upheld" | "part upheld" | "upheld in part" => Ok("partly upheld"),
        "not upheld" | "unfounded" => Ok("not upheld"),
        "withdrawn" | "withdrawn by resident" | "withdrawn by customer" => Ok("withdrawn"),
        _ => Err("not an outcome (upheld, partly upheld, not upheld or withdrawn)".into()),
    }
}

/// An Ombudsman determination, normalised.
pub fn normalise_determination(text: &str) -> Result<&'static str, String> {
    match squash(text).as_str() {
        "severe maladministration" => Ok("severe maladministration"),
        "maladministration" => Ok("maladministration"),
        "service failure" => Ok("service failure"),
        "no maladministration" => Ok("no maladministration"),
        "reasonable redress" | "redress" => Ok("reasonable redress"),
        "outside jurisdiction" | "outside of jurisdiction" | "no jurisdiction" => Ok("outside jurisdiction"),
        _ => Err(format!("not an Ombudsman determination ({})", DETERMINATIONS.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn date(t: &str) -> Result<NaiveDate, String> {
        parse_date(&Cell::Text(t), None)
    }

    #[test]
    fn every_date_form_is_day_first() {
        let cases = [
            ("2024-04-03", d(2024, 4, 3)),
            ("2024-4-3", d(2024, 4, 3)),
            ("03/04/2024", d(2024, 4, 3)),
            ("3/4/24", d(2024, 4, 3)),
            ("03-04-2024", d(2024, 4, 3)),
            ("03.04.2024", d(2024, 4, 3)),
            ("03-Apr-2024", d(2024, 4, 3)),
            ("3 Apr 2024", d(2024, 4, 3)),
            ("03 April 2024", d(2024, 4, 3)),
            ("3 Sept 2024", d(2024, 9, 3)),
            ("3rd April 2024", d(2024, 4, 3)),
            ("Wednesday 3 April 2024", d(2024, 4, 3)),
            ("03/04/2024 14:30", d(2024, 4, 3)),
            ("03/04/2024 2:30 PM", d(2024, 4, 3)),
            ("2024-04-03T14:30:00", d(2024, 4, 3)),
            ("2024-04-03 14:30:00.000", d(2024, 4, 3)),
            ("2024-04-03T14:30:00+01:00", d(2024, 4, 3)),
            ("03-Apr-2024 09:00", d(2024, 4, 3)),
            ("45385", d(2024, 4, 3)),
            ("45385.5", d(2024, 4, 3)),
            ("  03/04/2024 ", d(2024, 4, 3)),
        ];
        for (text, expected) in cases {
            assert_eq!(date(text), Ok(expected), "{text}");
        }
        assert_eq!(parse_date(&Cell::Number(45385.0), None), Ok(d(2024, 4, 3)));
    }

    #[test]
    fn impossible_dates_are_refused() {
        for bad in
            ["31/02/2024", "2024-13-01", "13/13/2024", "03/04-2024", "tomorrow", "3 Foo 2024", "12345", "99999", "N/A"]
        {
            assert!(date(bad).is_err(), "{bad}");
        }
        assert!(parse_date(&Cell::Number(100.0), None).is_err());
    }

    #[test]
    fn configured_date_format_wins() {
        let us = Some("%m/%d/%Y");
        assert_eq!(parse_date(&Cell::Text("04/03/2024"), us), Ok(d(2024, 4, 3)));
        assert_eq!(parse_date(&Cell::Text("04/03/2024 10:00"), us), Ok(d(2024, 4, 3)));
        assert!(parse_date(&Cell::Text("2024-04-03"), us).is_err());
    }

    #[test]
    fn booleans_and_blanks() {
        let t = |s: &'static str| Cell::Text(s);
        for yes in ["yes", "Y", "TRUE", "1", "x", "X"] {
            assert_eq!(parse(&t(yes), FieldKind::Bool { blank_false: false }, None), Ok(Some(Value::Bool(true))));
        }
        for no in ["no", "N", "false", "0"] {
            assert_eq!(parse(&t(no), FieldKind::Bool { blank_false: false }, None), Ok(Some(Value::Bool(false))));
        }
        assert_eq!(parse(&t(" "), FieldKind::Bool { blank_false: true }, None), Ok(Some(Value::Bool(false))));
        assert_eq!(parse(&t(""), FieldKind::Bool { blank_false: false }, None), Ok(None));
        assert!(parse(&t("maybe"), FieldKind::Bool { blank_false: true }, None).is_err());
    }

    #[test]
    fn money() {
        let t = |s: &str| parse_money(&Cell::Text(s));
        assert_eq!(t("£1,234.50"), Ok(123450));
        assert_eq!(t("1234.5"), Ok(123450));
        assert_eq!(t("£ 75"), Ok(7500));
        assert_eq!(t("GBP 20.00"), Ok(2000));
        assert_eq!(parse_money(&Cell::Number(99.99)), Ok(9999));
        for bad in ["£12.345", "ten pounds", "-£50", "£", "1.2.3"] {
            assert!(t(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn outcomes_and_determinations() {
        assert_eq!(normalise_outcome("Partially Upheld"), Ok("partly upheld"));
        assert_eq!(normalise_outcome("part-upheld"), Ok("partly upheld"));
        assert_eq!(normalise_outcome(" NOT UPHELD "), Ok("not upheld"));
        assert!(normalise_outcome("resolved").is_err());
        assert_eq!(normalise_determination("Severe Maladministration"), Ok("severe maladministration"));
        assert_eq!(normalise_determination("Redress"), Ok("reasonable redress"));
        assert!(normalise_determination("maybe").is_err());
    }
}
