//! The Regulator's published TSM complaints data items (CH01, CH02) for every landlord, in the
//! compact CSV form `peers import` writes and the program embeds: one row per landlord, the
//! values as published, the Regulator's codes kept as codes.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use anyhow::Result;
use regex::Regex;
use serde::Serialize;

use crate::error::data;

/// The stock types the Regulator reports, as the columns name them.
pub const TENURES: [&str; 3] = ["lcra", "lcho", "combined"];

/// The complaints data items per stock type, in column order.
pub const ITEMS: [&str; 16] = [
    "ch01_1",
    "ch02_1",
    "ch01_2",
    "ch02_2",
    "ch01_1_num",
    "ch01_1_den",
    "ch02_1_num",
    "ch02_1_den",
    "s1_without_ext",
    "s1_with_ext",
    "ch01_2_num",
    "ch01_2_den",
    "ch02_2_num",
    "ch02_2_den",
    "s2_without_ext",
    "s2_with_ext",
];

/// The columns describing the landlord.
pub const LANDLORD_COLUMNS: [&str; 5] = ["landlord_name", "landlord_code", "landlord_type", "group_size", "region"];

/// The licence statement every use of the data carries.
pub const ATTRIBUTION: &str =
    "Contains public sector information licensed under the Open Government Licence v3.0 (Regulator of Social Housing, Tenant Satisfaction Measures).";

/// A published value: a number, one of the Regulator's codes, or nothing (not published that
/// year, or a blank cell).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Item {
    /// A number as published.
    Value(f64),
    /// `[X]`, `[U]`, `[E]`, `[Z]` or other text: not available.
    Coded(String),
    /// Not published.
    Absent,
}

impl Item {
    /// Reads a cell as written.
    pub fn read(text: &str) -> Item {
        let t = text.trim();
        if t.is_empty() {
            Item::Absent
        } else if let Ok(v) = t.replace(',', "").parse::<f64>() {
            Item::Value(v)
        } else {
            Item::Coded(t.to_string())
        }
    }

    /// The number, when there is one.
    pub fn value(&self) -> Option<f64> {
        match self {
            Item::Value(v) => Some(*v),
            _ => None,
        }
    }

    /// Why there is no number, in words.
    pub fn meaning(&self) -> String {
        match self {
            Item::Value(_) => String::new(),
            Item::Absent => "not published".into(),
            Item::Coded(c) => code_meaning(c).into(),
        }
    }
}

/// What a Regulator's code means.
pub fn code_meaning(code: &str) -> &'static str {
    match code {
        "[X]" => "[X] no data returned",
        "[U]" => "[U] not calculable",
        "[E]" => "[E] excluded by the Regulator (could not be quality-assured)",
        "[Z]" => "[Z] not required",
        _ => "not a number",
    }
}

/// One landlord's published complaints data items.
#[derive(Debug, Clone, PartialEq)]
pub struct Landlord {
    /// Name as published.
    pub name: String,
    /// The Regulator's code (e.g. `L4521`, `45UB`).
    pub code: String,
    /// `PRP` (housing association) or `LA`/`LARP` (local authority) as published.
    pub kind: String,
    /// Size band of the group (homes owned).
    pub size: String,
    /// Predominant region.
    pub region: String,
    /// `items[tenure][item]`, in `TENURES` × `ITEMS` order.
    pub items: Vec<Vec<Item>>,
}

impl Landlord {
    /// A data item for a stock type (`lcra`, `lcho`, `combined`).
    pub fn item(&self, tenure: &str, item: &str) -> &Item {
        let t = TENURES.iter().position(|x| *x == tenure);
        let i = ITEMS.iter().position(|x| *x == item);
        match (t, i) {
            (Some(t), Some(i)) => &self.items[t][i],
            _ => &Item::Absent,
        }
    }

    /// Housing association or local authority, whatever the year's label.
    pub fn is_local_authority(&self) -> bool {
        matches!(self.kind.as_str(), "LA" | "LARP")
    }
}

/// A year's published data.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    /// The financial year of the returns, e.g. `2024/25`.
    pub year: String,
    /// The workbook sheet it came from.
    pub sheet: String,
    /// Every landlord, in the workbook's order.
    pub landlords: Vec<Landlord>,
}

static FIRST_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^# Regulator of Social Housing: Tenant Satisfaction Measures, (\d{4}/\d{2}) returns \(sheet (.+)\)")
        .expect("valid regex")
});

/// The CSV's column names.
pub fn columns() -> Vec<String> {
    let mut out: Vec<String> = LANDLORD_COLUMNS.iter().map(|c| c.to_string()).collect();
    for t in TENURES {
        out.extend(ITEMS.iter().map(|i| format!("{t}_{i}")));
    }
    out
}

impl Published {
    /// The compact CSV: three comment lines (source, licence, codes), the header, one row per
    /// landlord with every value as published.
    pub fn to_csv(&self) -> Result<String> {
        let mut out = format!(
            "# Regulator of Social Housing: Tenant Satisfaction Measures, {} returns (sheet {}), complaints data items CH01 and CH02.\n# {ATTRIBUTION}\n# Values as published: [X] no data, [U] not calculable, [E] excluded by the Regulator, [Z] not required; blank: not published that year.\n",
            self.year, self.sheet
        );
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
        w.write_record(columns())?;
        for l in &self.landlords {
            let mut row = vec![l.name.clone(), l.code.clone(), l.kind.clone(), l.size.clone(), l.region.clone()];
            for items in &l.items {
                row.extend(items.iter().map(write_item));
            }
            w.write_record(row)?;
        }
        out.push_str(&String::from_utf8(w.into_inner().map_err(|e| data(format!("peers CSV: {e}")))?)?);
        Ok(out)
    }

    /// Reads the compact CSV; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Published> {
        let first = text.lines().next().unwrap_or("");
        let caps = FIRST_LINE.captures(first).ok_or_else(|| {
            data(format!("{origin}: not a peers file (its first line should name the Regulator's TSM year); make one with `complaints peers import`"))
        })?;
        let (year, sheet) = (caps[1].to_string(), caps[2].to_string());
        let body: String = text.lines().filter(|l| !l.starts_with('#')).map(|l| format!("{l}\n")).collect();
        let mut r = csv::ReaderBuilder::new().from_reader(body.as_bytes());
        let header: Vec<String> = r.headers()?.iter().map(str::to_string).collect();
        if header != columns() {
            return Err(data(format!("{origin}: the columns are not those `complaints peers import` writes")));
        }
        let mut landlords = Vec::new();
        for (i, rec) in r.records().enumerate() {
            let rec = rec.map_err(|e| data(format!("{origin}: row {}: {e}", i + 2)))?;
            let cell = |k: usize| rec.get(k).unwrap_or("").to_string();
            let items = (0..TENURES.len())
                .map(|t| (0..ITEMS.len()).map(|j| Item::read(&cell(5 + t * ITEMS.len() + j))).collect())
                .collect();
            landlords.push(Landlord {
                name: cell(0),
                code: cell(1),
                kind: cell(2),
                size: cell(3),
                region: cell(4),
                items,
            });
        }
        Ok(Published { year, sheet, landlords })
    }

    /// The landlord with this code.
    pub fn landlord(&self, code: &str) -> Option<&Landlord> {
        self.landlords.iter().find(|l| l.code.eq_ignore_ascii_case(code.trim()))
    }
}

fn write_item(i: &Item) -> String {
    match i {
        Item::Value(v) => crate::ingest::values::Cell::Number(*v).display(),
        Item::Coded(c) => c.clone(),
        Item::Absent => String::new(),
    }
}

/// The embedded data: 2023/24 and 2024/25, oldest first.
pub const EMBEDDED: [(&str, &str); 2] = [
    ("rsh-tsm-2023-24.csv", include_str!("data/rsh-tsm-2023-24.csv")),
    ("rsh-tsm-2024-25.csv", include_str!("data/rsh-tsm-2024-25.csv")),
];

/// Every year of published data: the embedded years and any `extra` files, by year (a later
/// file for the same year replaces the earlier).
pub fn load(extra: &[std::path::PathBuf]) -> Result<BTreeMap<String, Published>> {
    let mut out = BTreeMap::new();
    for (name, text) in EMBEDDED {
        let p = Published::parse(text, &format!("built-in {name}"))?;
        out.insert(p.year.clone(), p);
    }
    for path in extra {
        let text = std::fs::read_to_string(path)
            .map_err(|e| crate::error::usage(format!("{}: cannot read the peers file: {e}", path.display())))?;
        let p = Published::parse(&text, &path.display().to_string())?;
        out.insert(p.year.clone(), p);
    }
    Ok(out)
}
