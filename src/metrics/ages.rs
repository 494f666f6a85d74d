//! How long things take: response times in working days (the Board's histograms) and the age of
//! open complaints at as-of in bands.

use std::collections::BTreeMap;

use anyhow::Result;
use polars::prelude::*;

use super::timeliness::responses;
use crate::period::Period;
use crate::timeline::{Status, Timeline};

/// Working days from clock start to response of one stage's responses in the period.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseTimes {
    /// Stage number.
    pub stage: usize,
    /// The profile's name for the stage.
    pub name: String,
    /// The response limit in working days.
    pub limit: u32,
    /// The largest extension the profile allows.
    pub max_extension: u32,
    /// Responses by working days taken.
    pub by_days: BTreeMap<i32, u64>,
}

impl ResponseTimes {
    /// How many responses there are.
    pub fn total(&self) -> u64 {
        self.by_days.values().sum()
    }

    /// How many took at most the limit.
    pub fn within_limit(&self) -> u64 {
        self.by_days.range(..=self.limit as i32).map(|(_, n)| n).sum()
    }
}

/// Response times for every stage that had responses in the period.
pub fn response_times(tl: &Timeline, p: &Period) -> Result<Vec<ResponseTimes>> {
    let mut out = Vec::new();
    for s in &tl.stages {
        let rule = &tl.profile.stages[s.k - 1];
        let df = tl.df.clone().lazy().filter(responses(s, p)).select([col(s.resp_wd.as_str())]).collect()?;
        let mut by_days = BTreeMap::new();
        for v in df.column(&s.resp_wd)?.i32()?.iter().flatten() {
            *by_days.entry(v).or_insert(0u64) += 1;
        }
        if by_days.is_empty() {
            continue;
        }
        out.push(ResponseTimes {
            stage: s.k,
            name: rule.name.clone(),
            limit: rule.response_days,
            max_extension: rule.max_extension_days,
            by_days,
        });
    }
    Ok(out)
}

/// The age bands open complaints are counted in: working days since the stage started.
pub const AGE_BANDS: [(i32, i32, &str); 5] =
    [(0, 5, "0–5"), (6, 10, "6–10"), (11, 20, "11–20"), (21, 40, "21–40"), (41, i32::MAX, "over 40")];

/// Open and overdue complaints of one stage at as-of, by age band.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenAges {
    /// Stage number.
    pub stage: usize,
    /// The profile's name for the stage.
    pub name: String,
    /// (open, of which overdue) per entry of `AGE_BANDS`.
    pub bands: Vec<(u64, u64)>,
    /// All open at the stage.
    pub open: u64,
    /// Of those, overdue.
    pub overdue: u64,
}

/// Open complaints at as-of for every stage, by working days since the stage started.
pub fn open_ages(tl: &Timeline) -> Result<Vec<OpenAges>> {
    let mut out = Vec::new();
    for s in &tl.stages {
        let df = tl
            .df
            .clone()
            .lazy()
            .filter(s.is_open())
            .select([col(s.start_to_asof_wd.as_str()), s.is(Status::Overdue).alias("overdue")])
            .collect()?;
        let ages = df.column(&s.start_to_asof_wd)?.i32()?;
        let overdue = df.column("overdue")?.bool()?;
        let mut bands = vec![(0u64, 0u64); AGE_BANDS.len()];
        for (age, late) in ages.iter().zip(overdue.iter()) {
            let late = late.unwrap_or(false);
            if let Some(b) = age.and_then(|a| AGE_BANDS.iter().position(|(lo, hi, _)| a >= *lo && a <= *hi)) {
                bands[b].0 += 1;
                bands[b].1 += u64::from(late);
            }
        }
        out.push(OpenAges {
            stage: s.k,
            name: tl.profile.stages[s.k - 1].name.clone(),
            bands,
            open: df.height() as u64,
            overdue: overdue.iter().filter(|v| *v == Some(true)).count() as u64,
        });
    }
    Ok(out)
}
