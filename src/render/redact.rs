//! The redactor for text that will be published: removes email addresses, UK phone numbers, UK
//! postcodes, house-number-and-street addresses, the landlord's own reference patterns and any
//! known identifiers or staff names, replacing each with "[removed]".

use std::sync::LazyLock;

use anyhow::Result;
use regex::{Captures, Regex};

use crate::error::usage;

/// What replaces each removed piece.
pub const REMOVED: &str = "[removed]";

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}").expect("valid regex")
});

/// A candidate phone number: +44 or a leading 0, then digits with single spaces, hyphens or
/// brackets; the digit count is checked separately.
static PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\+\s?44\s?(?:\(0\)\s?)?|\(?0)\d(?:[\s\-)]{0,2}\d){8,11}").expect("valid regex"));

static POSTCODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}\b").expect("valid regex"));

const STREET_WORDS: &str = "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Court|Ct|Place|Pl|Crescent|Cres|Gardens|Gdns|Grove|Terrace|Walk|Row|Hill|Park|Square|Sq|Mews|View|Rise|Green|Parade|Mount|Vale|Meadow|Meadows|Fields|Wharf|Yard|Estate|House|Towers";

static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:(?:Flat|Apartment|Apt|Unit|Room)\s+\d+[A-Za-z]?,?\s+)?\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][A-Za-z'\-]+\s+){{1,3}}(?:{STREET_WORDS})\b\.?"
    ))
    .expect("valid regex")
});

/// Removes personal data from text meant for publication.
#[derive(Debug, Clone)]
pub struct Redactor {
    patterns: Vec<Regex>,
    /// Identifiers (case and complainant references) removed wherever they appear as a word.
    identifiers: std::collections::HashSet<String>,
    /// Names (staff, lesson owners) removed wherever they appear, ignoring case.
    names: Option<Regex>,
}

impl Redactor {
    /// A redactor with the built-in patterns, the config's reference patterns, and the data's
    /// identifiers and names.
    pub fn new(
        config_patterns: &[String],
        identifiers: impl IntoIterator<Item = String>,
        names: impl IntoIterator<Item = String>,
    ) -> Result<Redactor> {
        let mut patterns = Vec::new();
        for (i, p) in config_patterns.iter().enumerate() {
            patterns.push(
                Regex::new(p).map_err(|e| {
                    usage(format!("redact_patterns[{}]: '{p}' is not a regular expression: {e}", i + 1))
                })?,
            );
        }
        let mut names: Vec<String> = names
            .into_iter()
            .map(|n| n.trim().to_string())
            .filter(|n| n.chars().filter(|c| c.is_alphabetic()).count() >= 3)
            .collect();
        // Longest first, so "J. Okafor-Smith" goes before "J. Okafor".
        names.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        names.dedup();
        let names = if names.is_empty() {
            None
        } else {
            let alternation = names.iter().map(|n| regex::escape(n)).collect::<Vec<_>>().join("|");
            // Escaped literals always form a valid pattern, but thousands of names can pass the
            // default size limit: allow more, and report rather than panic if even that is hit.
            let pattern = format!(r"(?i)(?:^|\b|\s)(?:{alternation})(?:\b|$)");
            Some(regex::RegexBuilder::new(&pattern).size_limit(1 << 28).build().map_err(|e| {
                crate::error::data(format!("the staff and owner names in the data are too many to redact: {e}"))
            })?)
        };
        let identifiers = identifiers.into_iter().map(|s| s.trim().to_lowercase()).filter(|s| s.len() >= 3).collect();
        Ok(Redactor { patterns, identifiers, names })
    }

    /// The text with every match replaced by "[removed]".
    pub fn redact(&self, text: &str) -> String {
        let mut out = EMAIL.replace_all(text, REMOVED).into_owned();
        out = PHONE
            .replace_all(&out, |c: &Captures| {
                let m = &c[0];
                let digits = m.chars().filter(|ch| ch.is_ascii_digit()).count();
                let international = m.trim_start().starts_with('+');
                // UK numbers: 0 + 9 or 10 digits; +44 + 9 or 10 digits (a "(0)" adds one).
                let ok = if international { (11..=13).contains(&digits) } else { (10..=11).contains(&digits) };
                if ok {
                    REMOVED.to_string()
                } else {
                    m.to_string()
                }
            })
            .into_owned();
        out = POSTCODE.replace_all(&out, REMOVED).into_owned();
        out = ADDRESS.replace_all(&out, REMOVED).into_owned();
        for p in &self.patterns {
            out = p.replace_all(&out, REMOVED).into_owned();
        }
        if let Some(names) = &self.names {
            out = names
                .replace_all(&out, |c: &Captures| {
                    let lead = if c[0].starts_with(char::is_whitespace) { " " } else { "" };
                    format!("{lead}{REMOVED}")
                })
                .into_owned();
        }
        if !self.identifiers.is_empty() {
            out = redact_identifiers(&out, &self.identifiers);
        }
        out
    }
}

/// Replaces words (runs of letters, digits, `-`, `/`, `_`) that are known identifiers.
fn redact_identifiers(text: &str, ids: &std::collections::HashSet<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            let trimmed = word.trim_end_matches(['-', '/', '_']);
            if ids.contains(&trimmed.to_lowercase()) {
                out.push_str(REMOVED);
                out.push_str(&word[trimmed.len()..]);
            } else {
                out.push_str(word);
            }
            word.clear();
        }
    };
    for ch in text.chars() {
        if ch.is_alphanumeric() || matches!(ch, '-' | '/' | '_') {
            word.push(ch);
        } else {
            flush(&mut word, &mut out);
            out.push(ch);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactor() -> Redactor {
        Redactor::new(
            &[r"\bTEN-\d{6}\b".to_string(), r"(?i)\bref(?:erence)?\s*no\.?\s*\d+".to_string()],
            ["T100234".to_string(), "CMP-2400123".to_string()],
            ["J. Okafor".to_string(), "Priya Singh".to_string(), "Repairs Service".to_string()],
        )
        .unwrap()
    }

    #[test]
    fn removes_personal_data() {
        let r = redactor();
        let cases = [
            ("Email jane.doe@example.co.uk about it", "Email [removed] about it"),
            ("contact: j_smith+complaints@mail.northvale.org.", "contact: [removed]."),
            ("Call 07700 900123 today", "Call [removed] today"),
            ("Call 07700900123.", "Call [removed]."),
            ("mobile +44 7700 900123", "mobile [removed]"),
            ("mobile +447700900123", "mobile [removed]"),
            ("landline 0121 496 0000 or (0121) 496 0001", "landline [removed] or [removed]"),
            ("London 020 7946 0000", "London [removed]"),
            ("+44 (0)20 7946 0000 ext 2", "[removed] ext 2"),
            ("freephone 0800-123-4567", "freephone [removed]"),
            ("at LS1 4AP yesterday", "at [removed] yesterday"),
            ("postcode sw1a1aa", "postcode [removed]"),
            ("M1 2AB and B33 8TH", "[removed] and [removed]"),
            ("lives at 14 Acacia Avenue, Leeds", "lives at [removed], Leeds"),
            ("Flat 3, 22 High Street", "[removed]"),
            ("from 7B Castle Road.", "from [removed]"),
            ("tenancy TEN-004512 was checked", "tenancy [removed] was checked"),
            ("our Ref No. 55812", "our [removed]"),
            ("case CMP-2400123 and T100234", "case [removed] and [removed]"),
            ("case cmp-2400123, reopened", "case [removed], reopened"),
            ("J. Okafor did not call back", "[removed] did not call back"),
            ("as priya singh said", "as [removed] said"),
        ];
        for (input, expected) in cases {
            assert_eq!(r.redact(input), expected, "{input}");
        }
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        let r = redactor();
        for keep in [
            "Stage 2 response sent within 10 working days",
            "We paid £1,234.50 in compensation",
            "Received 03/04/2024, answered 17/04/2024",
            "Between 2024-04-01 and 2025-03-31",
            "A surveyor visits within 10 working days and again after 6 weeks",
            "Complaints rose by 45% in 2025/26 Q3",
            "Call us on the number in your tenancy handbook",
            "We now check 100% of damp and mould cases",
            "Section 6.3 of the Code",
            "Repairs were booked for 3 visits",
            "12345678",
        ] {
            assert_eq!(r.redact(keep), keep, "{keep}");
        }
    }

    #[test]
    fn a_bad_config_pattern_is_named() {
        let err = Redactor::new(&["(unclosed".to_string()], [], []).unwrap_err().to_string();
        assert!(err.contains("redact_patterns[1]"), "{err}");
    }
}
