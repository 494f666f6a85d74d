//! The data-quality ledger as `complaints validate` prints it: a summary a complaints officer can
//! act on, or JSON (the SPEC §6 `input` object plus the full lists).

use std::collections::BTreeMap;
use std::fmt::Write;

use anyhow::Result;
use serde::Serialize;

use crate::ingest::casework::{Casework, CaseworkSource};
use crate::ingest::categories::MergeCandidate;
use crate::ingest::headers::{ColumnInfo, How};
use crate::ingest::quality::{
    DropRule, Dropped, InputCounts, LaterStage, Ledger, OtherKinds, OutsideTsm, Rejected, RowRef, StageRows, Superseded,
};

/// How `validate` prints the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A summary a complaints officer can read.
    Text,
    /// The SPEC `input` object plus the full lists.
    Json,
}

/// One header of one file in the JSON mapping.
#[derive(Debug, Serialize)]
pub struct ColumnJson<'a> {
    /// File as given.
    pub file: &'a str,
    /// Sheet, for spreadsheets.
    pub sheet: Option<&'a str>,
    /// The header and what it became.
    #[serde(flatten)]
    pub column: &'a ColumnInfo,
}

/// The JSON document `validate --format json` prints.
#[derive(Debug, Serialize)]
pub struct ValidateJson<'a> {
    /// SPEC §6 `input`.
    pub input: InputCounts,
    /// Every header of every file and the field it became.
    pub columns: Vec<ColumnJson<'a>>,
    /// Rejected rows.
    pub rejected: &'a [Rejected],
    /// Dropped values.
    pub dropped: &'a [Dropped],
    /// Superseded rows.
    pub superseded: &'a [Superseded],
    /// Category spellings that look like one theme.
    pub category_merges: &'a [MergeCandidate],
    /// Rows with no tenure: left out of the TSMs.
    pub tenure_not_recorded: &'a [RowRef],
    /// Superseded rows at another stage than the row used: one row per stage, it seems.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage_rows: Option<&'a StageRows>,
    /// Rows whose stage column names a later stage than any of their dates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub later_stage: Option<&'a LaterStage>,
    /// Tenures of used rows that are neither LCRA nor LCHO: outside the TSMs.
    pub tenures_outside_tsm: &'a [OutsideTsm],
    /// Rows whose column of case kinds says they are not complaints.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_kinds: Option<&'a OtherKinds>,
    /// The Ombudsman casework file, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ombudsman_casework: Option<&'a Casework>,
}

/// Renders the ledger (and the casework file's, when one was read) in the chosen format.
pub fn render(ledger: &Ledger, casework: &Casework, format: Format) -> Result<String> {
    let casework = (casework.source == CaseworkSource::File).then_some(casework);
    match format {
        Format::Json => {
            let columns = ledger
                .files
                .iter()
                .flat_map(|f| {
                    f.columns.iter().map(|c| ColumnJson { file: &f.path, sheet: f.sheet.as_deref(), column: c })
                })
                .collect();
            let doc = ValidateJson {
                input: ledger.counts(),
                columns,
                rejected: &ledger.rejected,
                dropped: &ledger.dropped,
                superseded: &ledger.superseded,
                category_merges: &ledger.category_merges,
                tenure_not_recorded: &ledger.tenure_not_recorded,
                stage_rows: ledger.stage_rows.as_ref(),
                later_stage: ledger.later_stage.as_ref(),
                other_kinds: ledger.other_kinds.as_ref(),
                tenures_outside_tsm: &ledger.tenures_outside_tsm,
                ombudsman_casework: casework,
            };
            Ok(serde_json::to_string_pretty(&doc)? + "\n")
        }
        Format::Text => {
            let mut o = text(ledger);
            if let Some(c) = casework {
                casework_text(&mut o, c);
            }
            Ok(o)
        }
    }
}

/// A count with separators.
fn thousands(n: usize) -> String {
    crate::format::thousands(n as u64)
}

fn quoted(v: &str) -> String {
    if v.is_empty() {
        "(blank)".to_string()
    } else {
        format!("\"{}\"", one_line(v))
    }
}

/// A header or cell on one line of the listing: each line break inside it (a header typed over
/// two lines in Excel, a note) shown as "↵", and each character that shows nothing (a zero-width
/// space pasted in with a date, a byte-order mark, a control character) named, as "<U+200B>",
/// so that a value that looks right can be seen not to be.
fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    let unseen = |c: char| c.is_control() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}');
    if !text.chars().any(unseen) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' | '\n' => {
                // "\r\n" is one line break.
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('↵');
            }
            c if unseen(c) => {
                let _ = write!(out, "<U+{:04X}>", c as u32);
            }
            c => out.push(c),
        }
    }
    out.into()
}

fn text(ledger: &Ledger) -> String {
    let c = ledger.counts();
    let mut o = String::new();
    let plural = if c.files.len() == 1 { "" } else { "s" };
    let _ = writeln!(o, "Checked {} file{plural}: {} rows read.", c.files.len(), thousands(c.rows_read));
    for f in &ledger.files {
        let sheet = f.sheet.as_ref().map(|s| format!(", sheet '{s}'")).unwrap_or_default();
        let _ = writeln!(
            o,
            "  {}{sheet}: header on row {}, {} rows, {} columns recognised{}",
            f.path,
            f.header_row,
            thousands(f.rows_read),
            f.fields.len(),
            if f.extra_columns.is_empty() {
                String::new()
            } else {
                format!(", kept as extra: {}", one_line(&f.extra_columns.join(", ")))
            }
        );
        columns_text(&mut o, &f.columns);
        let unsure = f.columns.iter().filter(|c| matches!(c.how, How::Inferred | How::Ambiguous)).count();
        if unsure > 0 {
            let _ = writeln!(
                o,
                "    {unsure} header{} read from {} words or left unused: check {}, and settle any under [columns] in the config (complaints init --from FILE writes one).",
                if unsure == 1 { " was" } else { "s were" },
                if unsure == 1 { "its" } else { "their" },
                if unsure == 1 { "it" } else { "them" }
            );
        }
    }
    counts(&mut o, &c);
    rejected(&mut o, ledger);
    dropped(&mut o, ledger);
    superseded(&mut o, ledger);
    later_stage(&mut o, ledger);
    other_kinds(&mut o, ledger);
    category_merges(&mut o, ledger);
    tenure_not_recorded(&mut o, ledger);
    tenures_outside_tsm(&mut o, ledger);
    let _ = writeln!(o);
    let footers = ledger.rejected.iter().filter(|r| r.reason.starts_with(crate::ingest::FOOTER)).count();
    if c.rows_rejected > 0 && footers == c.rows_rejected {
        let (n, lines) =
            if footers == 1 { ("row", "a totals or footer line") } else { ("rows", "totals or footer lines") };
        let _ = writeln!(
            o,
            "Result: {} {n} rejected (exit status 1), {lines} and no case: every case is usable.",
            thousands(footers)
        );
    } else if c.rows_rejected > 0 {
        let (n, them) = if c.rows_rejected == 1 { ("row", "it") } else { ("rows", "them") };
        let _ = writeln!(
            o,
            "Result: {} {n} rejected (exit status 1). Fix {them} in the export and run validate again.",
            thousands(c.rows_rejected)
        );
    } else {
        let _ = writeln!(o, "Result: every row is usable.");
    }
    o
}

/// Every header of a file and what it was read as, aligned.
fn columns_text(o: &mut String, columns: &[ColumnInfo]) {
    let width = columns.iter().map(|c| one_line(&c.header).chars().count()).max().unwrap_or(0).min(40);
    for col in columns {
        let _ = writeln!(o, "    {:<width$}  → {}", one_line(&col.header), one_line(&col.explain()));
    }
}

fn counts(o: &mut String, c: &InputCounts) {
    let _ = writeln!(o);
    let _ = writeln!(o, "  Rows used          {:>7}", thousands(c.rows_used));
    let _ = writeln!(o, "  Rows rejected      {:>7}   not used in any figure", thousands(c.rows_rejected));
    let _ =
        writeln!(o, "  Duplicate rows     {:>7}   superseded by a later row of the same case", thousands(c.duplicates));
    let _ = writeln!(
        o,
        "  Values dropped     {:>7}   row kept; the value is treated as not recorded",
        thousands(c.warnings)
    );
    let _ = writeln!(
        o,
        "  Check: {} read = {} used + {} rejected + {} duplicates",
        thousands(c.rows_read),
        thousands(c.rows_used),
        thousands(c.rows_rejected),
        thousands(c.duplicates)
    );
}

fn rejected(o: &mut String, ledger: &Ledger) {
    if !ledger.rejected.is_empty() {
        let _ = writeln!(
            o,
            "\nREJECTED ROWS ({}): give every row a case reference and a received date (e.g. 03/04/2024)",
            ledger.rejected.len()
        );
        let mut groups: BTreeMap<&str, Vec<&Rejected>> = BTreeMap::new();
        for r in &ledger.rejected {
            groups.entry(r.reason.as_str()).or_default().push(r);
        }
        for (reason, rows) in groups {
            let _ = writeln!(o, "  {reason} ({})", rows.len());
            for r in rows {
                let _ = writeln!(
                    o,
                    "    {} row {}, column \"{}\": {}",
                    r.file,
                    r.row,
                    one_line(&r.column),
                    quoted(&r.value)
                );
            }
        }
    }
}

fn dropped(o: &mut String, ledger: &Ledger) {
    if !ledger.dropped.is_empty() {
        let _ = writeln!(o, "\nVALUES DROPPED ({}): the row is used without them", ledger.dropped.len());
        let mut groups: BTreeMap<DropRule, Vec<&Dropped>> = BTreeMap::new();
        for d in &ledger.dropped {
            groups.entry(d.rule).or_default().push(d);
        }
        for (rule, rows) in groups {
            let _ = writeln!(o, "  {} ({}): {}", rule.heading(), rows.len(), rule.fix());
            for d in rows {
                let _ = writeln!(
                    o,
                    "    {} row {}, case {}, column \"{}\" = {}: {}",
                    d.file,
                    d.row,
                    one_line(&d.case_id),
                    one_line(&d.column),
                    quoted(&d.value),
                    d.reason
                );
            }
        }
    }
}

fn later_stage(o: &mut String, ledger: &Ledger) {
    let Some(s) = &ledger.later_stage else { return };
    let (case, value, k) = &s.example;
    let _ = writeln!(
        o,
        "\nROWS AT A LATER STAGE THAN THEIR DATES ({}): column \"{}\" names stage 2 or 3 in {} with no\n  date of that stage (case {case}: \"{}\", no stage {k} date). Each row's dates are read by their\n  headers, and a header naming no stage is stage 1's: if the export gives each complaint's dates at\n  its current stage, export each stage's dates in columns of their own, or map them under [columns].",
        thousands(s.rows),
        one_line(&s.column),
        if s.rows == 1 { "a row".to_string() } else { format!("{} rows", thousands(s.rows)) },
        one_line(value)
    );
}

fn other_kinds(o: &mut String, ledger: &Ledger) {
    let Some(k) = &ledger.other_kinds else { return };
    let mut kinds: Vec<String> =
        k.kinds.iter().take(5).map(|(kind, n)| format!("{} ({})", quoted(kind), thousands(*n))).collect();
    if k.kinds.len() > 5 {
        kinds.push(format!("and {} other kinds", k.kinds.len() - 5));
    }
    let _ = writeln!(
        o,
        "\nROWS THAT MAY NOT BE COMPLAINTS ({}): column \"{}\" says {} (first: case {}).\n  Every row is counted as a complaint in every figure: export the complaints alone, or check\n  that these are complaints.",
        thousands(k.rows),
        one_line(&k.column),
        kinds.join(", "),
        one_line(&k.example)
    );
}

fn superseded(o: &mut String, ledger: &Ledger) {
    if !ledger.superseded.is_empty() {
        let _ = writeln!(
            o,
            "\nDUPLICATE CASES ({}): the later row is used; not an error, but check the export",
            ledger.superseded.len()
        );
        if let Some(s) = &ledger.stage_rows {
            let (case, was, now) = &s.example;
            let _ = writeln!(
                o,
                "  {} of them {} at another stage than the row used (\"{}\": case {case}, \"{}\" then \"{}\"): the export\n  \
                 seems to give each stage of a complaint a row of its own, and only the last row of each is used,\n  \
                 so the earlier stages' dates are not. Export one row per complaint, each stage's dates in\n  \
                 columns of their own (Stage 1 Response Sent, Stage 2 Response Sent …).",
                thousands(s.rows),
                if s.rows == 1 { "is" } else { "are" },
                one_line(&s.column),
                one_line(was),
                one_line(now)
            );
        }
        for s in &ledger.superseded {
            let _ = writeln!(
                o,
                "    case {}: {} row {} superseded by {} row {}",
                s.case_id, s.file, s.row, s.by_file, s.by_row
            );
        }
    }
}

fn category_merges(o: &mut String, ledger: &Ledger) {
    if ledger.category_merges.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "\nCATEGORY SPELLINGS THAT MAY BE ONE THEME ({}): if they are, merge them under [categories] in the config",
        ledger.category_merges.len()
    );
    for m in &ledger.category_merges {
        let names: Vec<String> =
            m.spellings.iter().map(|(s, n)| format!("\"{s}\" ({})", thousands(*n as usize))).collect();
        let main = &m.spellings[0].0;
        let lines: Vec<String> = m.spellings[1..].iter().map(|(s, _)| format!("\"{s}\" = \"{main}\"")).collect();
        let _ = writeln!(o, "    {}: e.g. {}", names.join(", "), lines.join(", "));
    }
}

fn tenure_not_recorded(o: &mut String, ledger: &Ledger) {
    let rows = &ledger.tenure_not_recorded;
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "\nTENURE NOT RECORDED ({}): these complaints are left out of the TSMs (CH01, CH02); record the tenure in the case-management system",
        thousands(rows.len())
    );
    for r in rows.iter().take(20) {
        let _ = writeln!(o, "    {} row {}, case {}", r.file, r.row, r.case_id);
    }
    if rows.len() > 20 {
        let _ = writeln!(o, "    … and {} more (every one is in validate --format json)", thousands(rows.len() - 20));
    }
}

/// The tenures the TSMs do not count, and the `[tenures]` lines for those that seem low cost
/// rental or home ownership.
fn tenures_outside_tsm(o: &mut String, ledger: &Ledger) {
    let tenures = &ledger.tenures_outside_tsm;
    if tenures.is_empty() {
        return;
    }
    let rows: usize = tenures.iter().map(|t| t.rows).sum();
    let mut named: Vec<String> =
        tenures.iter().take(10).map(|t| format!("{} ({})", quoted(&t.tenure), thousands(t.rows))).collect();
    if tenures.len() > 10 {
        named.push(format!("and {} more", tenures.len() - 10));
    }
    let _ = writeln!(
        o,
        "\nTENURES OUTSIDE THE TSMs ({}): {}.\n  TSM CH01 and CH02 count LCRA (low cost rental) and LCHO (low cost home ownership) only, so\n  these complaints are left out of them. If any of these tenures is one of the two, say so under\n  [tenures] in the config.",
        if rows == 1 { "1 row".to_string() } else { format!("{} rows", thousands(rows)) },
        named.join(", ")
    );
    // One line maps every spelling that differs only by case, spaces or punctuation.
    let mut lines = std::collections::BTreeSet::new();
    let seem: Vec<&OutsideTsm> = tenures
        .iter()
        .filter(|t| t.seems.is_some() && lines.insert(crate::ingest::categories::plain(&t.tenure)))
        .collect();
    if !seem.is_empty() {
        let _ = writeln!(o, "  These seem to be; check, then add to the config:\n    [tenures]");
        for t in seem {
            let _ = writeln!(o, "    {} = \"{}\"", toml_string(&t.tenure), t.seems.unwrap_or_default());
        }
    }
}

/// A TOML basic string (a tenure as written, for a line of the config).
fn toml_string(s: &str) -> String {
    toml::Value::String(one_line(s).into_owned()).to_string()
}

/// The casework file's own ledger: its columns, rows used and rejected, values dropped, and the
/// investigations of complaints the case export does not have.
fn casework_text(o: &mut String, c: &Casework) {
    for f in &c.files {
        let _ = writeln!(
            o,
            "\nOMBUDSMAN CASEWORK {}: header on row {}, {} rows read, {} used, {} rejected, {} values dropped",
            f.path,
            f.header_row,
            thousands(f.rows_read),
            thousands(c.records.len()),
            thousands(c.rejected.len()),
            thousands(c.dropped.len())
        );
        columns_text(o, &f.columns);
    }
    for r in &c.rejected {
        let _ = writeln!(
            o,
            "  rejected: {} row {}, column \"{}\" = {}: {}",
            r.file,
            r.row,
            one_line(&r.column),
            quoted(&r.value),
            r.reason
        );
    }
    for d in &c.dropped {
        let _ = writeln!(
            o,
            "  value dropped: {} row {}, column \"{}\" = {}: {}",
            d.file,
            d.row,
            one_line(&d.column),
            quoted(&d.value),
            d.reason
        );
    }
    for u in &c.not_in_export {
        let _ = writeln!(
            o,
            "  not in the case export (counted): Ombudsman ref. {}, case {}, rows {}",
            if u.ombudsman_ref.is_empty() { "(none)" } else { &u.ombudsman_ref },
            if u.case_id.is_empty() { "(none given)" } else { &u.case_id },
            u.rows.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(", ")
        );
    }
    if !c.rejected.is_empty() {
        let _ = writeln!(
            o,
            "Casework result: {} row{} rejected (exit status 1): each needs a reference, a decision date, and a finding or an order.",
            thousands(c.rejected.len()),
            if c.rejected.len() == 1 { "" } else { "s" }
        );
    }
}

#[cfg(test)]
mod tests {
    use super::one_line;

    /// A value is listed as it is, on one line, with what cannot be seen named.
    #[test]
    fn what_cannot_be_seen_is_named() {
        assert_eq!(one_line("01/04/2024"), "01/04/2024");
        assert_eq!(one_line("Date\r\nReceived"), "Date↵Received");
        assert_eq!(one_line("01/04/2024\u{200B}"), "01/04/2024<U+200B>");
        assert_eq!(one_line("\u{FEFF}Outcome"), "<U+FEFF>Outcome");
        assert_eq!(one_line("a\tb\u{7}"), "a<U+0009>b<U+0007>");
        assert_eq!(one_line("£5 é"), "£5 é");
    }
}
