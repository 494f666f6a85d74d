//! Category spellings: the landlord's `[categories]` merges applied once at ingest, so every
//! figure and page agrees; and the spellings that look like one theme, for `validate` to suggest.

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use polars::prelude::*;
use serde::Serialize;

/// Words that say the same thing in category names.
const SYNONYMS: &[(&str, &str)] = &[
    ("asb", "anti social behaviour"),
    ("antisocial", "anti social"),
    ("behavior", "behaviour"),
    ("neighbor", "neighbour"),
    ("neighbors", "neighbours"),
    ("&", "and"),
    ("d&m", "damp and mould"),
    ("mold", "mould"),
    ("comms", "communication"),
];

/// Words that add nothing to a theme's name.
const FILLER: &[&str] = &["handling", "issue", "issues", "complaint", "complaints", "general", "and", "the", "of"];

/// The key two spellings of one theme share: lower case, no punctuation, synonyms expanded,
/// plurals and filler words dropped ("ASB Handling" and "Anti-Social Behaviour" share one).
pub fn theme_key(name: &str) -> String {
    let lower = name.to_lowercase().replace('&', " & ");
    let mut words: Vec<String> = Vec::new();
    for raw in lower.split(|c: char| !(c.is_alphanumeric() || c == '&')).filter(|w| !w.is_empty()) {
        let expanded = SYNONYMS.iter().find(|(w, _)| *w == raw).map(|(_, s)| *s).unwrap_or(raw);
        for w in expanded.split(' ') {
            if FILLER.contains(&w) {
                continue;
            }
            let single = if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") { &w[..w.len() - 1] } else { w };
            words.push(single.to_string());
        }
    }
    words.concat()
}

/// Case, spaces and punctuation ignored: how a `[categories]` key matches a value.
pub fn plain(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Replaces every spelling of a text column's values that the config maps (`[categories]`,
/// `[tenures]`; ignoring case, spaces and punctuation) with the landlord's name for it.
pub fn respell(df: &mut DataFrame, column: &str, map: &BTreeMap<String, String>) -> Result<()> {
    if map.is_empty() {
        return Ok(());
    }
    let by_key: HashMap<String, &str> = map.iter().map(|(k, v)| (plain(k), v.as_str())).collect();
    let merged: StringChunked =
        df.column(column)?.str()?.iter().map(|v| v.map(|t| by_key.get(&plain(t)).copied().unwrap_or(t))).collect();
    df.with_column(merged.with_name(column.into()).into_column())?;
    Ok(())
}

/// Spellings of a category that look like one theme, with how many cases each has.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MergeCandidate {
    /// (spelling as written, cases), most cases first.
    pub spellings: Vec<(String, u64)>,
}

/// Category values that differ only by case, punctuation, plurals or a known synonym.
pub fn candidates(df: &DataFrame) -> Result<Vec<MergeCandidate>> {
    // Counted by hash (a million rows, a few dozen spellings), then put in name order.
    let mut counted: PlHashMap<&str, u64> = PlHashMap::new();
    for v in df.column("category")?.str()?.iter().flatten() {
        *counted.entry(v).or_default() += 1;
    }
    let mut counts: Vec<(&str, u64)> = counted.into_iter().collect();
    counts.sort_unstable();
    let mut groups: BTreeMap<String, Vec<(String, u64)>> = BTreeMap::new();
    for (name, n) in counts {
        groups.entry(theme_key(name)).or_default().push((name.to_string(), n));
    }
    let mut out: Vec<MergeCandidate> = groups
        .into_values()
        .filter(|g| g.len() > 1)
        .map(|mut spellings| {
            spellings.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            MergeCandidate { spellings }
        })
        .collect();
    out.sort_by(|a, b| a.spellings[0].0.cmp(&b.spellings[0].0));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::theme_key;

    #[test]
    fn one_theme_many_spellings() {
        assert_eq!(theme_key("ASB Handling"), theme_key("Anti-Social Behaviour"));
        assert_eq!(theme_key("Anti social behavior"), theme_key("ASB"));
        assert_eq!(theme_key("Damp & Mould"), theme_key("damp and mould"));
        assert_eq!(theme_key("Repairs"), theme_key("repair"));
        assert_ne!(theme_key("Repairs"), theme_key("Estate services"));
        assert_ne!(theme_key("Staff conduct"), theme_key("Communication"));
    }
}
