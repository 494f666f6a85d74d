//! tsm.csv: the year's TSM complaints data items in the Regulator's layout.

use anyhow::Result;

use super::metrics_csv::formula_safe;
use crate::metrics::model::Metrics;

/// The year's TSM complaints data items in the layout of the Regulator's published data (CH01/CH02
/// values, numerators and denominators, and responses within timescale without and with an
/// extension, for LCRA, LCHO and Combined). Values the data cannot give are left blank.
pub fn tsm_csv(m: &Metrics, landlord: &str) -> Result<String> {
    let t = &m.tsm;
    let mut headers = vec![
        "landlord_name".to_string(),
        "reporting_year".to_string(),
        "year_to".to_string(),
        "code_profile".to_string(),
    ];
    let mut row = vec![formula_safe(landlord), t.year.clone(), t.end.to_string(), t.profile.clone()];
    let n = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
    let f = |v: Option<f64>| v.map(|v| format!("{v:.1}")).unwrap_or_default();
    let tenures = [
        ("LCRA", &t.ch01.stage1.lcra, &t.ch02.stage1.lcra, &t.ch01.stage2.lcra, &t.ch02.stage2.lcra),
        ("LCHO", &t.ch01.stage1.lcho, &t.ch02.stage1.lcho, &t.ch01.stage2.lcho, &t.ch02.stage2.lcho),
        (
            "Combined",
            &t.ch01.stage1.combined,
            &t.ch02.stage1.combined,
            &t.ch01.stage2.combined,
            &t.ch02.stage2.combined,
        ),
    ];
    for (g, c11, c21, c12, c22) in tenures {
        for (suffix, value) in
            [("CH01_1", f(c11.per_1000)), ("CH02_1", f(c21.pct)), ("CH01_2", f(c12.per_1000)), ("CH02_2", f(c22.pct))]
        {
            headers.push(format!("{g}_{suffix}"));
            row.push(value);
        }
    }
    for (g, c11, c21, c12, c22) in tenures {
        let items = [
            ("CH01_1_Numerator", n(c11.num)),
            ("CH01_1_Denominator", n(c11.den)),
            ("CH02_1_Numerator", n(c21.num)),
            ("CH02_1_Denominator", n(c21.den)),
            ("S1_within_without_extension", n(c21.within_without_extension)),
            ("S1_within_with_extension", n(c21.within_with_extension)),
            ("CH01_2_Numerator", n(c12.num)),
            ("CH01_2_Denominator", n(c12.den)),
            ("CH02_2_Numerator", n(c22.num)),
            ("CH02_2_Denominator", n(c22.den)),
            ("S2_within_without_extension", n(c22.within_without_extension)),
            ("S2_within_with_extension", n(c22.within_with_extension)),
        ];
        for (suffix, value) in items {
            headers.push(format!("{g}_{suffix}"));
            row.push(value);
        }
    }
    // The basis, after the Regulator's items: the date responses were counted to, whether any
    // complaint of the year was still within its timescale then, and how many.
    let pending: Vec<u64> =
        tenures.iter().flat_map(|(_, _, c21, _, c22)| [c21.pending, c22.pending]).map(|p| p.unwrap_or(0)).collect();
    let any_pending = pending.iter().any(|p| *p > 0);
    headers.push("responses_counted_to".into());
    row.push(t.as_of.to_string());
    headers.push("basis".into());
    row.push(if any_pending { "provisional" } else { "final" }.into());
    for (g, _, c21, _, c22) in tenures {
        for (k, c) in [(1, c21), (2, c22)] {
            headers.push(format!("{g}_S{k}_pending"));
            row.push(n(c.pending));
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&headers)?;
    w.write_record(&row)?;
    Ok(String::from_utf8(w.into_inner()?)?)
}
