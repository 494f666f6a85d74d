//! `peers import`: reads a Regulator of Social Housing TSM workbook with calamine and keeps the
//! complaints data items, found by their data-item codes ("(CH02 1 Numerator)") and, for the
//! extension split that has no code, by the extension's length (10 working days is stage 1's,
//! 20 stage 2's) — never by column position, and never by the stage words, which some published
//! sheets get wrong.

use std::ops::ControlFlow;
use std::path::Path;
use std::sync::LazyLock;

use anyhow::Result;
use regex::Regex;

use super::data::{Item, Landlord, Published, ITEMS, TENURES};
use crate::error::data;
use crate::ingest::source::{open_spreadsheet, Source};

static CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\((CH0[12]) ?([12])(?: (Numerator|Denominator))?\)").expect("valid regex"));
static TENURE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*(LCRA|LCHO|Combined)\s*-").expect("valid regex"));
static EXTENSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(without|with) the use of the (10|20) (?:working )?day extension").expect("valid regex")
});

/// Where each data item sits in the sheet.
struct Layout {
    header_row: usize,
    landlord: [usize; 5],
    /// `items[tenure][item]`: the column, when the sheet has it.
    items: Vec<Vec<Option<usize>>>,
}

/// The item a header names, as (tenure index, item index).
fn item_of(header: &str) -> Option<(usize, usize)> {
    let tenure = TENURE.captures(header)?;
    let t = TENURES.iter().position(|x| x.eq_ignore_ascii_case(&tenure[1]))?;
    let name = if let Some(c) = CODE.captures(header) {
        let base = format!("{}_{}", c[1].to_lowercase(), &c[2]);
        match c.get(3).map(|m| m.as_str()) {
            Some("Numerator") => format!("{base}_num"),
            Some("Denominator") => format!("{base}_den"),
            _ => base,
        }
    } else if let Some(e) = EXTENSION.captures(header) {
        let stage = if &e[2] == "10" { 1 } else { 2 };
        let with = if e[1].eq_ignore_ascii_case("without") { "without" } else { "with" };
        format!("s{stage}_{with}_ext")
    } else {
        return None;
    };
    Some((t, ITEMS.iter().position(|i| *i == name)?))
}

/// The landlord column a header names.
fn landlord_column(header: &str) -> Option<usize> {
    let h = header.trim().to_lowercase();
    ["landlord name", "landlord code", "landlord type", "landlord group size", "landlord predominant region"]
        .iter()
        .position(|p| h.starts_with(p))
}

/// Finds the header row with the complaints data items in a sheet.
fn layout(source: &Source) -> Result<Option<Layout>> {
    let head = source.head(40)?;
    for (row, cells) in head {
        let mut landlord = [usize::MAX; 5];
        let mut items = vec![vec![None; ITEMS.len()]; TENURES.len()];
        for (col, h) in cells.iter().enumerate() {
            if let Some(i) = landlord_column(h) {
                if landlord[i] == usize::MAX {
                    landlord[i] = col;
                }
            }
            if let Some((t, i)) = item_of(h) {
                if items[t][i].is_some() {
                    return Err(data(format!("row {row}: two columns are data item {}_{}", TENURES[t], ITEMS[i])));
                }
                items[t][i] = Some(col);
            }
        }
        let found = items.iter().flatten().filter(|c| c.is_some()).count();
        if landlord.iter().all(|c| *c != usize::MAX) && found >= 12 {
            return Ok(Some(Layout { header_row: row, landlord, items }));
        }
    }
    Ok(None)
}

/// Reads the complaints data items of every landlord in an RSH TSM workbook.
pub fn import(path: &Path, year: &str) -> Result<Published> {
    let shown = path.display();
    crate::period::Period::parse(year, None).map_err(|_| {
        crate::error::usage(format!("--year {year}: give the financial year of the returns, e.g. 2024/25"))
    })?;
    for source in open_spreadsheet(path, None)? {
        let Some(layout) = layout(&source).map_err(|e| data(format!("{shown}: {e:#}")))? else { continue };
        let mut landlords = Vec::new();
        source
            .for_each_row(|row, cells| {
                if row <= layout.header_row {
                    return Ok(ControlFlow::Continue(()));
                }
                let text = |c: usize| cells.get(c).map(|x| x.display().trim().to_string()).unwrap_or_default();
                let code = text(layout.landlord[1]);
                if code.is_empty() {
                    return Ok(ControlFlow::Continue(()));
                }
                let items = layout
                    .items
                    .iter()
                    .map(|cols| cols.iter().map(|c| c.map(|c| Item::read(&text(c))).unwrap_or(Item::Absent)).collect())
                    .collect();
                landlords.push(Landlord {
                    name: text(layout.landlord[0]),
                    code,
                    kind: text(layout.landlord[2]),
                    size: text(layout.landlord[3]),
                    region: text(layout.landlord[4]),
                    items,
                });
                Ok(ControlFlow::Continue(()))
            })
            .map_err(|e| data(format!("{shown}: {e:#}")))?;
        let sheet = source.sheet().unwrap_or("").to_string();
        return Ok(Published { year: year.to_string(), sheet, landlords });
    }
    Err(data(format!(
        "{shown}: no sheet has the TSM complaints data items (headers such as 'LCRA - … (CH01 1 Numerator)'); is it the Regulator's full TSM dataset?"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_by_code_not_by_words() {
        let name = |h: &str| item_of(h).map(|(t, i)| format!("{}_{}", TENURES[t], ITEMS[i]));
        assert_eq!(
            name("LCRA - Number of stage one complaints ... (CH01 1 Numerator)").as_deref(),
            Some("lcra_ch01_1_num")
        );
        // The words say stage two; the code says stage one: the code wins.
        assert_eq!(
            name("LCHO - Number of stage two complaints (CH02 1 Denominator)5").as_deref(),
            Some("lcho_ch02_1_den")
        );
        assert_eq!(name("Combined - Proportion ... timescales (CH02 2)").as_deref(), Some("combined_ch02_2"));
        assert_eq!(
            name("LCRA - Out of the number of stage two complaints ... – without the use of the 10 day extension")
                .as_deref(),
            Some("lcra_s1_without_ext")
        );
        assert_eq!(
            name("LCRA - Out of ... – with the use of the 20 day extension").as_deref(),
            Some("lcra_s2_with_ext")
        );
        assert_eq!(name("LCRA - Has CH02 been calculated using the standard maximum timescales"), None);
    }
}
