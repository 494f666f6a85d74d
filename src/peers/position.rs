//! A landlord's place among its peers: the inclusive quartiles (as a spreadsheet's
//! `QUARTILE.INC`), the quartile band and the percentile rank of its CH01 and CH02 figures among
//! the latest published returns of the chosen group.

use std::collections::BTreeMap;

use anyhow::Result;
use serde::{Deserialize, Serialize};

use super::data::{Landlord, Published, ATTRIBUTION};
use crate::config::PeersConfig;
use crate::error::usage;
use crate::metrics::model::{Tenures, Tsm};

/// Fewer reporting peers than this and a stock type's position is not shown (LCHO mostly).
pub const MIN_PEERS: usize = 10;

/// `QUARTILE.INC`: the value at rank `q·(n−1)` of the sorted values, interpolating linearly;
/// `None` for no values.
pub fn quartile_inc(sorted: &[f64], q: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let h = q.clamp(0.0, 1.0) * (n - 1) as f64;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// The percentile rank of `x` among `values`: the share below it, counting ties as half
/// (mid-rank), in percent to one decimal; `None` for no values.
pub fn percentile_rank(values: &[f64], x: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let below = values.iter().filter(|v| **v < x).count() as f64;
    let equal = values.iter().filter(|v| **v == x).count() as f64;
    Some(((below + equal / 2.0) / values.len() as f64 * 1000.0).round() / 10.0)
}

/// The quartile band of `x`: 1 below the lower quartile, 2 up to the median, 3 up to the upper
/// quartile, 4 at or above it.
pub fn band(x: f64, q: &Quartiles) -> u8 {
    if x < q.lower {
        1
    } else if x < q.median {
        2
    } else if x < q.upper {
        3
    } else {
        4
    }
}

/// Lower quartile, median and upper quartile.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Quartiles {
    /// `QUARTILE.INC(…, 1)`.
    pub lower: f64,
    /// `QUARTILE.INC(…, 2)`.
    pub median: f64,
    /// `QUARTILE.INC(…, 3)`.
    pub upper: f64,
}

impl Quartiles {
    /// The quartiles of some values (sorted here).
    pub fn of(values: &[f64]) -> Option<Quartiles> {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        Some(Quartiles {
            lower: quartile_inc(&v, 0.25)?,
            median: quartile_inc(&v, 0.5)?,
            upper: quartile_inc(&v, 0.75)?,
        })
    }
}

/// One figure's place among the peers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Position {
    /// `ch01` or `ch02`.
    pub measure: String,
    /// Stage 1 or 2.
    pub stage: usize,
    /// `lcra` or `lcho`.
    pub tenure: String,
    /// The landlord's figure, year to date, from its case data.
    pub ours: Option<f64>,
    /// The landlord's own published figure for the peers' year.
    pub ours_published: Option<f64>,
    /// Peers with a usable figure.
    pub n: usize,
    /// Their quartiles (rounded to one decimal).
    pub quartiles: Option<Quartiles>,
    /// The quartile band of `ours` (1 lowest values … 4 highest).
    pub band: Option<u8>,
    /// The percentile rank of `ours`.
    pub percentile: Option<f64>,
    /// The quartile band of `ours_published`.
    pub published_band: Option<u8>,
    /// Every peer's figure, ascending (for the strip chart; not in metrics.json).
    #[serde(skip)]
    pub values: Vec<f64>,
}

/// The `peers` block of metrics.json.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Peers {
    /// The year of the published returns compared with.
    pub year: String,
    /// `all`, `same-type`, `same-size` or `same-region`.
    pub group: String,
    /// The group in words ("all landlords", "housing associations" …).
    pub group_label: String,
    /// The landlord's code with the Regulator, when set.
    pub rsh_code: Option<String>,
    /// Its name as published.
    pub published_name: Option<String>,
    /// The licence statement.
    pub attribution: String,
    /// CH01 and CH02 for stages 1 and 2, LCRA and (with enough peers) LCHO.
    pub positions: Vec<Position>,
}

/// The published year to compare a TSM year with: the latest not after it, else the earliest.
pub fn year_for<'a>(years: &'a BTreeMap<String, Published>, tsm_year: &str) -> Option<&'a Published> {
    years.range(..=tsm_year.to_string()).next_back().map(|(_, p)| p).or_else(|| years.values().next())
}

/// The landlord a code names, or an error naming the key and the closest codes and names.
pub fn find<'a>(p: &'a Published, code: &str, landlord: &str) -> Result<&'a Landlord> {
    if let Some(l) = p.landlord(code) {
        return Ok(l);
    }
    let by_code = p.landlords.iter().min_by(|a, b| {
        strsim::normalized_levenshtein(&b.code, code).total_cmp(&strsim::normalized_levenshtein(&a.code, code))
    });
    let by_name = p.landlords.iter().min_by(|a, b| {
        let s = |l: &Landlord| strsim::normalized_levenshtein(&l.name.to_lowercase(), &landlord.to_lowercase());
        s(b).total_cmp(&s(a))
    });
    let mut close: Vec<String> =
        by_name.into_iter().chain(by_code).map(|l| format!("{} ({})", l.code, l.name)).collect();
    close.dedup();
    Err(usage(format!(
        "peers.rsh_code: '{code}' is not a landlord in the Regulator's {} returns; close matches: {}",
        p.year,
        close.join(", ")
    )))
}

/// Who counts as a peer.
fn in_group(group: &str, me: Option<&Landlord>, l: &Landlord) -> bool {
    match (group, me) {
        ("same-type", Some(m)) => l.is_local_authority() == m.is_local_authority(),
        ("same-size", Some(m)) => l.size == m.size,
        ("same-region", Some(m)) => l.region == m.region,
        _ => true,
    }
}

fn group_label(group: &str, me: Option<&Landlord>) -> String {
    match (group, me) {
        ("same-type", Some(m)) if m.is_local_authority() => "local authorities".into(),
        ("same-type", Some(_)) => "housing associations".into(),
        ("same-size", Some(m)) => format!("landlords owning {} homes", m.size),
        ("same-region", Some(m)) => format!("landlords in the {} region", m.region),
        _ => "all landlords".into(),
    }
}

/// A landlord's usable published figure: its value, when the value and its denominator are
/// numbers above zero (missing, zero or coded figures are left out).
pub fn usable(l: &Landlord, tenure: &str, measure: &str, stage: usize) -> Option<f64> {
    let value = l.item(tenure, &format!("{measure}_{stage}")).value()?;
    let den = l.item(tenure, &format!("{measure}_{stage}_den")).value()?;
    (value > 0.0 && den > 0.0).then_some(value)
}

fn ours(tsm: &Tsm, measure: &str, stage: usize, tenure: &str) -> Option<f64> {
    fn pick<'a, T>(t: &'a Tenures<T>, tenure: &str) -> Option<&'a T> {
        match tenure {
            "lcra" => Some(&t.lcra),
            "lcho" => Some(&t.lcho),
            _ => None,
        }
    }
    match (measure, stage) {
        ("ch01", 1) => pick(&tsm.ch01.stage1, tenure)?.per_1000,
        ("ch01", _) => pick(&tsm.ch01.stage2, tenure)?.per_1000,
        ("ch02", 1) => pick(&tsm.ch02.stage1, tenure)?.pct,
        (_, _) => pick(&tsm.ch02.stage2, tenure)?.pct,
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The peers block for a TSM year to date.
pub fn peers(
    years: &BTreeMap<String, Published>,
    config: &PeersConfig,
    landlord: &str,
    tsm: &Tsm,
) -> Result<Option<Peers>> {
    let Some(p) = year_for(years, &tsm.year) else { return Ok(None) };
    let me = match &config.rsh_code {
        Some(code) => Some(find(p, code, landlord)?),
        None => None,
    };
    let group = config.group.as_deref().unwrap_or("all");
    if group != "all" && me.is_none() {
        return Err(usage(format!(
            "peers.group = \"{group}\" needs peers.rsh_code, to know which {group} landlords are peers"
        )));
    }
    let mut positions = Vec::new();
    for tenure in ["lcra", "lcho"] {
        for measure in ["ch01", "ch02"] {
            for stage in [1, 2] {
                let mut values: Vec<f64> = p
                    .landlords
                    .iter()
                    .filter(|l| in_group(group, me, l))
                    .filter_map(|l| usable(l, tenure, measure, stage))
                    .collect();
                if values.len() < MIN_PEERS {
                    continue;
                }
                values.sort_by(f64::total_cmp);
                let q = Quartiles::of(&values);
                let mine = ours(tsm, measure, stage, tenure);
                let published = me.and_then(|m| m.item(tenure, &format!("{measure}_{stage}")).value());
                positions.push(Position {
                    measure: measure.into(),
                    stage,
                    tenure: tenure.into(),
                    ours: mine,
                    ours_published: published,
                    n: values.len(),
                    quartiles: q.map(|q| Quartiles {
                        lower: round1(q.lower),
                        median: round1(q.median),
                        upper: round1(q.upper),
                    }),
                    band: mine.zip(q).map(|(x, q)| band(x, &q)),
                    percentile: mine.and_then(|x| percentile_rank(&values, x)),
                    published_band: published.zip(q).map(|(x, q)| band(x, &q)),
                    values,
                });
            }
        }
    }
    Ok(Some(Peers {
        year: p.year.clone(),
        group: group.into(),
        group_label: group_label(group, me),
        rsh_code: me.map(|m| m.code.clone()),
        published_name: me.map(|m| m.name.clone()),
        attribution: ATTRIBUTION.into(),
        positions,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_worked_by_hand() {
        // n = 5: ranks 1, 2, 3 of 0..4 → 2, 3, 4 exactly.
        assert_eq!(Quartiles::of(&[5.0, 1.0, 4.0, 2.0, 3.0]), Some(Quartiles { lower: 2.0, median: 3.0, upper: 4.0 }));
        // n = 4: h = 0.75 → 1 + 0.75·(2 − 1) = 1.75; median 2.5; h = 2.25 → 3 + 0.25 = 3.25.
        assert_eq!(Quartiles::of(&[1.0, 2.0, 3.0, 4.0]), Some(Quartiles { lower: 1.75, median: 2.5, upper: 3.25 }));
        // Ties: [1, 2, 2, 2, 9] → 2, 2, 2.
        assert_eq!(Quartiles::of(&[2.0, 9.0, 2.0, 1.0, 2.0]), Some(Quartiles { lower: 2.0, median: 2.0, upper: 2.0 }));
        // n = 1: every quartile is the value; n = 0: none.
        assert_eq!(Quartiles::of(&[7.5]), Some(Quartiles { lower: 7.5, median: 7.5, upper: 7.5 }));
        assert_eq!(Quartiles::of(&[]), None);
    }

    #[test]
    fn percentile_ranks_and_bands_by_hand() {
        let v = [1.0, 2.0, 2.0, 2.0, 9.0];
        // 2: one below, three equal → (1 + 1.5) / 5 = 50%.
        assert_eq!(percentile_rank(&v, 2.0), Some(50.0));
        assert_eq!(percentile_rank(&v, 10.0), Some(100.0));
        assert_eq!(percentile_rank(&v, 0.0), Some(0.0));
        assert_eq!(percentile_rank(&[3.0], 3.0), Some(50.0));
        assert_eq!(percentile_rank(&[], 3.0), None);
        let q = Quartiles { lower: 1.75, median: 2.5, upper: 3.25 };
        assert_eq!([band(1.0, &q), band(1.75, &q), band(2.5, &q), band(3.25, &q), band(9.0, &q)], [1, 2, 3, 4, 4]);
    }

    #[test]
    fn coded_zero_and_missing_figures_are_left_out() {
        let row = |v: &str, den: &str| {
            let text = format!(
                "# Regulator of Social Housing: Tenant Satisfaction Measures, 2024/25 returns (sheet S), complaints data items CH01 and CH02.\n{}\nA,L1,PRP,<5000,South,{v},,,,,{den}{}\n",
                super::super::data::columns().join(","),
                ",".repeat(16 * 3 - 6)
            );
            let p = Published::parse(&text, "test").unwrap();
            usable(&p.landlords[0], "lcra", "ch01", 1)
        };
        assert_eq!(row("34.3", "1000"), Some(34.3));
        assert_eq!(row("[E]", "1000"), None);
        assert_eq!(row("[U]", "0"), None);
        assert_eq!(row("0", "1000"), None);
        assert_eq!(row("12", "[X]"), None);
        assert_eq!(row("12", ""), None);
    }
}
