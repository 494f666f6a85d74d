//! How the landlord compares: its CH01 and CH02 among the latest published returns of its peers,
//! as a table and strip charts, with the Regulator's data credited.

use serde::Serialize;

use super::charts::{self, Chart, Strip};
use crate::metrics::model::Metrics;
use crate::peers::position::Position;

/// One figure's place, for the page.
#[derive(Debug, Clone, Serialize)]
pub struct PeerRow {
    /// "CH01 stage 1, LCRA".
    pub label: String,
    /// `ch01` or `ch02`.
    pub measure: String,
    /// The position with its figures.
    pub p: Position,
    /// The quartile band in words ("top quartile" …), for the landlord's own figure.
    pub band: String,
    /// `green`/`amber`/`red` for CH02 (by quartile); empty for CH01, which carries no RAG.
    pub class: &'static str,
}

/// The peers part of a page.
#[derive(Debug, Clone, Serialize)]
pub struct PeersView {
    /// The year of the published returns.
    pub year: String,
    /// Who the peers are.
    pub group_label: String,
    /// The landlord as published, when its code is set.
    pub published_name: Option<String>,
    /// The licence statement.
    pub attribution: String,
    /// Every position.
    pub rows: Vec<PeerRow>,
    /// A strip chart per LCRA figure.
    pub charts: Vec<Chart>,
}

fn band_words(measure: &str, band: u8) -> &'static str {
    match (measure, band) {
        ("ch02", 4) => "top quartile (among the quickest)",
        ("ch02", 3) => "above the median",
        ("ch02", 2) => "below the median",
        ("ch02", _) => "bottom quartile (among the slowest)",
        (_, 4) => "highest quarter (most complaints per 1,000 homes)",
        (_, 3) => "above the median",
        (_, 2) => "below the median",
        (_, _) => "lowest quarter (fewest complaints per 1,000 homes)",
    }
}

fn band_class(measure: &str, band: Option<u8>) -> &'static str {
    match (measure, band) {
        ("ch02", Some(3 | 4)) => "green",
        ("ch02", Some(2)) => "amber",
        ("ch02", Some(_)) => "red",
        _ => "",
    }
}

/// The peers view of a page, when the figures carry a peers block. `ours_label` names the
/// landlord's figure ("us, 2025/26 to date").
pub fn view(m: &Metrics, ours_label: &str) -> Option<PeersView> {
    let peers = m.peers.as_ref()?;
    let rows: Vec<PeerRow> = peers
        .positions
        .iter()
        .map(|p| PeerRow {
            label: format!("{} stage {}, {}", p.measure.to_uppercase(), p.stage, p.tenure.to_uppercase()),
            measure: p.measure.clone(),
            band: p.band.map(|b| band_words(&p.measure, b).to_string()).unwrap_or_else(|| "–".into()),
            class: band_class(&p.measure, p.band),
            p: p.clone(),
        })
        .collect();
    let charts = rows
        .iter()
        .filter(|r| r.p.tenure == "lcra")
        .filter_map(|r| {
            let q = r.p.quartiles?;
            let mut ours: Vec<(String, f64)> = r.p.ours.map(|v| (ours_label.to_string(), v)).into_iter().collect();
            if let Some(v) = r.p.ours_published {
                ours.push((format!("us, published {}", peers.year), v));
            }
            let unit = if r.measure == "ch01" { "complaints per 1,000 homes" } else { "% answered within the Code's timescales" };
            Some(charts::strip(Strip {
                id: format!("peers-{}-{}-{}", r.p.measure, r.p.stage, r.p.tenure),
                title: format!("{}: {} landlords' {} returns", r.label, r.p.n, peers.year),
                desc: format!(
                    "Each dot is one landlord's published {} figure ({} landlords: {}); the dashed lines are the lower quartile {:.1}, median {:.1} and upper quartile {:.1}; the triangle is ours{}.",
                    peers.year,
                    r.p.n,
                    peers.group_label,
                    q.lower,
                    q.median,
                    q.upper,
                    r.p.ours.map(|v| format!(", {v:.1}")).unwrap_or_default()
                ),
                values: r.p.values.clone(),
                quartiles: [q.lower, q.median, q.upper],
                ours,
                x_label: unit.into(),
                x_max: (r.measure == "ch02").then_some(100.0),
            }))
        })
        .collect();
    Some(PeersView {
        year: peers.year.clone(),
        group_label: peers.group_label.clone(),
        published_name: peers.published_name.clone(),
        attribution: peers.attribution.clone(),
        rows,
        charts,
    })
}
