//! How numbers, dates and money are written for people, everywhere: the tera filters of the same
//! names call these, and so do the few sentences built in Rust.

use chrono::NaiveDate;

use crate::metrics::model::Prop;

/// Thousands separators, as a UK reader expects: 1,234,567.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A percentage to one decimal, "84.2%", or "–" when there is nothing to divide by.
pub fn pct(p: &Prop) -> String {
    pct_value(p.pct)
}

/// A percentage value to one decimal, or "–".
pub fn pct_value(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}%")).unwrap_or_else(|| "–".into())
}

/// "84.2% (1,234 of 1,466)".
pub fn share(p: &Prop) -> String {
    format!("{} ({} of {})", pct(p), thousands(p.num), thousands(p.den))
}

/// A long date: "31 December 2024".
pub fn long_date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// A short date: "3 Sep 2024".
pub fn short_date(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// Pounds and pence with separators: "1,234.50".
pub fn money(pounds: f64) -> String {
    let pence = (pounds * 100.0).round() as u64;
    format!("{}.{:02}", thousands(pence / 100), pence % 100)
}

/// "1 working day", "5 working days".
pub fn working_days(n: u64) -> String {
    format!("{} working day{}", thousands(n), if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn forms() {
        assert_eq!(pct(&Prop::new(1, 3)), "33.3%");
        assert_eq!(pct(&Prop::new(0, 0)), "–");
        assert_eq!(share(&Prop::new(1234, 2000)), "61.7% (1,234 of 2,000)");
        assert_eq!(money(1234.5), "1,234.50");
        assert_eq!(working_days(1), "1 working day");
        assert_eq!(working_days(15), "15 working days");
        assert_eq!(long_date(NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()), "1 March 2025");
    }
}
