//! Rendering: typed figures in, self-contained HTML out. Views (`board`, `lessons`, `annual`,
//! `assessment`) arrange the figures; `charts` draws SVG; `engine` runs tera with the `filters`;
//! `redact` cleans text for publication. Nothing here runs a data-frame query or touches the
//! file system.

pub mod annual;
pub mod assessment;
pub mod board;
pub mod charts;
pub mod engine;
pub mod filters;
pub mod governance;
pub mod lessons;
pub mod peers;
pub mod redact;
pub mod summary;

use std::collections::BTreeMap;

use crate::config::Config;
use crate::metrics::model::{BridgeStage, CategoryRow, Metrics};
use redact::Redactor;

/// The landlord's name from the config, or `fallback` when none is set.
pub fn landlord_name(config: &Config, fallback: &str) -> String {
    if config.landlord.is_empty() {
        fallback.into()
    } else {
        config.landlord.clone()
    }
}

/// Tool and version, for the pages' footers.
pub fn generator() -> String {
    format!("complaints {}", env!("CARGO_PKG_VERSION"))
}

/// The figures as a published page may quote them: the names of categories (and of any other
/// breakdown, and tenures outside the TSMs) with what patterns recognise as personal data removed,
/// and the free-text reasons for not accepting a complaint or refusing an escalation, and the
/// lesson statuses as recorded, through the whole redactor — in the trend's periods too. Two
/// keys that read the same once redacted are counted together.
pub fn published(m: &Metrics, redactor: &Redactor) -> Metrics {
    let mut m = m.clone();
    let names = |rows: &mut Vec<CategoryRow>| {
        rows.iter_mut().for_each(|r| r.category = redactor.redact_identifiers(&r.category))
    };
    let rekey = |map: &BTreeMap<String, u64>, f: &dyn Fn(&str) -> String| {
        let mut out: BTreeMap<String, u64> = BTreeMap::new();
        for (k, n) in map {
            *out.entry(f(k)).or_default() += n;
        }
        out
    };
    let text = |k: &str| redactor.redact(k);
    let ids = |k: &str| redactor.redact_identifiers(k);
    let bridge = |b: &mut BridgeStage| b.outside_tsm = rekey(&b.outside_tsm, &ids);
    names(&mut m.by_category);
    if let Some(b) = m.breakdown.as_mut() {
        names(&mut b.rows);
    }
    m.not_accepted.by_reason = rekey(&m.not_accepted.by_reason, &text);
    m.escalation.by_reason = rekey(&m.escalation.by_reason, &text);
    if let Some(l) = m.lessons.as_mut() {
        l.actions = rekey(&l.actions, &text);
    }
    for b in [&mut m.bridge.stage1, &mut m.bridge.stage2, &mut m.tsm.bridge.stage1, &mut m.tsm.bridge.stage2] {
        bridge(b);
    }
    m.trend = m.trend.iter().map(|t| published(t, redactor)).collect();
    m
}
