//! Tenant Satisfaction Measures CH01 and CH02 for the financial year to date, against the Code
//! profile in force for that year, for LCRA, LCHO and Combined (SPEC §6 "TSM").

use anyhow::Result;
use polars::prelude::*;

use super::frame::{within, Counter};
use super::model::{ratio_1dp, Ch01, Ch02, HomeCounts, Tenures, Tsm, TsmStages};
use crate::config::Homes;
use crate::period::Period;
use crate::timeline::Timeline;

/// Homes by tenure; Combined is lcra + lcho when both are given, else the total.
pub fn home_counts(h: &Homes) -> HomeCounts {
    let combined = match (h.lcra, h.lcho) {
        (Some(a), Some(b)) => Some(a + b),
        _ => h.total,
    };
    HomeCounts { lcra: h.lcra, lcho: h.lcho, combined }
}

/// The normalised tenure, computed once per row (string work is the costly part).
const TENURE: &str = "__tenure";

fn tenure_is(t: &str) -> Expr {
    col(TENURE).eq(lit(t)).fill_null(lit(false))
}

/// CH01 and CH02. `tl` is the Code profile's timeline at the period's as-of; `year` the financial
/// year to date; `has_tenure` whether the data has a tenure column.
pub fn tsm(tl: &Timeline, year: &Period, homes: &Homes, has_tenure: bool) -> Result<Tsm> {
    let groups: [(&str, Option<Expr>); 3] = if has_tenure {
        [
            ("lcra", Some(tenure_is("LCRA"))),
            ("lcho", Some(tenure_is("LCHO"))),
            ("combined", Some(tenure_is("LCRA").or(tenure_is("LCHO")))),
        ]
    } else {
        [("lcra", None), ("lcho", None), ("combined", Some(lit(true)))]
    };
    let mut c = Counter::default();
    // (stage, group) → slots for complaints made, within without and with extension.
    let mut slots = std::collections::HashMap::new();
    for s in tl.stages.iter().take(2) {
        // Withdrawn complaints count; excluded ones and refused escalations do not.
        let made = col(s.accepted.as_str()).and(within(col(s.start.as_str()), year));
        for (g, mask) in &groups {
            if let Some(mask) = mask {
                let base = made.clone().and(mask.clone());
                let made_n = c.count(base.clone());
                let within_n = c.count(base.clone().and(col(s.within.as_str())));
                let ext_n = c.count(base.and(col(s.within_ext.as_str())));
                slots.insert((s.k, *g), (made_n, within_n, ext_n));
            }
        }
    }
    let lf = tl.df.clone().lazy();
    let lf = if has_tenure {
        lf.with_column(col("tenure").str().strip_chars(lit(NULL)).str().to_uppercase().alias(TENURE))
    } else {
        lf
    };
    let n = c.run(lf)?;
    let counts = home_counts(homes);
    let home = |g: &str| match g {
        "lcra" => counts.lcra,
        "lcho" => counts.lcho,
        _ => counts.combined,
    };
    let ch01 = |k: usize, g: &str| {
        let num = slots.get(&(k, g)).map(|(made, _, _)| n.n(*made));
        let den = home(g);
        Ch01 { num, den, per_1000: num.zip(den).and_then(|(a, b)| ratio_1dp(a, b, 1000)) }
    };
    let ch02 = |k: usize, g: &str| match slots.get(&(k, g)) {
        None => Ch02 { num: None, den: None, pct: None, within_without_extension: None, within_with_extension: None },
        Some((made, within, ext)) => {
            let (without, with, den) = (n.n(*within), n.n(*ext), n.n(*made));
            Ch02 {
                num: Some(without + with),
                den: Some(den),
                pct: ratio_1dp(without + with, den, 100),
                within_without_extension: Some(without),
                within_with_extension: Some(with),
            }
        }
    };
    let tenures01 = |k| Tenures { lcra: ch01(k, "lcra"), lcho: ch01(k, "lcho"), combined: ch01(k, "combined") };
    let tenures02 = |k| Tenures { lcra: ch02(k, "lcra"), lcho: ch02(k, "lcho"), combined: ch02(k, "combined") };
    Ok(Tsm {
        year: year.label.clone(),
        start: year.start,
        end: year.end,
        profile: tl.profile.name.clone(),
        homes: counts,
        ch01: TsmStages { stage1: tenures01(1), stage2: tenures01(2) },
        ch02: TsmStages { stage1: tenures02(1), stage2: tenures02(2) },
    })
}
