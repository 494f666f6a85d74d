//! Finding the header row (it may sit below title rows) and mapping its headers to canonical
//! fields: the config's `[columns]` first, then the built-in synonyms; other columns are kept.

use std::collections::BTreeMap;

use crate::fields::{self, normalise_header, Field};

/// The columns of one file and what they mean.
#[derive(Debug, Clone)]
pub struct ColumnMap {
    /// Row number of the header in the file.
    pub header_row: usize,
    /// (column index, field, header as written).
    pub fields: MappedColumns,
    /// (column index, header as written) for columns that are not canonical fields.
    pub extras: ExtraColumns,
}

impl ColumnMap {
    /// The header as written for a canonical field, if the file has it.
    pub fn header_for(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(_, f, _)| f.name == name).map(|(_, _, h)| h.as_str())
    }
}

/// Recognised columns: (column index, field, header as written).
pub type MappedColumns = Vec<(usize, &'static Field, String)>;
/// Other columns: (column index, header as written).
pub type ExtraColumns = Vec<(usize, String)>;

/// Maps one row of headers. Config mappings win; a field claimed twice keeps the first column.
pub fn map_headers(headers: &[String], config_columns: &BTreeMap<String, String>) -> (MappedColumns, ExtraColumns) {
    let by_config: BTreeMap<String, &'static Field> = config_columns
        .iter()
        .filter_map(|(field, header)| fields::field(field).map(|f| (normalise_header(header), f)))
        .collect();
    let mut claimed: Vec<&'static str> = Vec::new();
    let mut assigned: Vec<Option<&'static Field>> = vec![None; headers.len()];
    // Pass 1: the config's own mapping.
    for (i, h) in headers.iter().enumerate() {
        if let Some(f) = by_config.get(&normalise_header(h)) {
            if !claimed.contains(&f.name) {
                claimed.push(f.name);
                assigned[i] = Some(f);
            }
        }
    }
    // Pass 2: canonical names and synonyms, for fields the config did not map.
    let config_fields: Vec<&str> = config_columns.keys().map(String::as_str).collect();
    for (i, h) in headers.iter().enumerate() {
        if assigned[i].is_some() {
            continue;
        }
        if let Some(f) = fields::match_header(h) {
            if !claimed.contains(&f.name) && !config_fields.contains(&f.name) {
                claimed.push(f.name);
                assigned[i] = Some(f);
            }
        }
    }
    let mut mapped = Vec::new();
    let mut extras = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        match assigned[i] {
            Some(f) => mapped.push((i, f, h.clone())),
            None => extras.push((i, if h.is_empty() { format!("Column {}", i + 1) } else { h.clone() })),
        }
    }
    (mapped, extras)
}

/// How many rows from the top may hold title text above the header.
pub const HEADER_SEARCH_ROWS: usize = 30;

/// The first row near the top where at least two headers are recognised. `head` is the first
/// non-blank rows of a file as (row number, header texts).
pub fn locate_header(head: &[(usize, Vec<String>)], config_columns: &BTreeMap<String, String>) -> Option<ColumnMap> {
    for (row, headers) in head.iter().take(HEADER_SEARCH_ROWS) {
        let (fields, extras) = map_headers(headers, config_columns);
        if fields.len() >= 2 {
            return Some(ColumnMap { header_row: *row, fields, extras });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn synonyms_and_unknowns() {
        let (mapped, extras) =
            map_headers(&h(&["Case Ref", "Date Received", "Stage 1 Response Sent", "Ward"]), &BTreeMap::new());
        let names: Vec<_> = mapped.iter().map(|(_, f, _)| f.name).collect();
        assert_eq!(names, ["case_id", "received_date", "s1_response_date"]);
        assert_eq!(extras, vec![(3, "Ward".to_string())]);
    }

    #[test]
    fn config_wins_over_synonyms() {
        let mut cfg = BTreeMap::new();
        cfg.insert("received_date".to_string(), "Logged On".to_string());
        let (mapped, extras) = map_headers(&h(&["Case Ref", "Date Received", "Logged on"]), &cfg);
        let got: Vec<_> = mapped.iter().map(|(i, f, _)| (*i, f.name)).collect();
        assert_eq!(got, [(0, "case_id"), (2, "received_date")]);
        assert_eq!(extras[0].1, "Date Received");
    }
}
