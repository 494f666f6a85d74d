//! Finding the header row (it may sit below title rows) and giving every header its meaning: the
//! config's `[columns]` first, then the known spellings, then recognition from the header's words
//! with its cells as a check (`recognise`). Every header's outcome is kept so it can be shown.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::recognise::{self, cells_fit};
use super::values::Cell;
use crate::fields::{self, normalise_header, Field};

/// A kind of input file: its fields, where the config maps its headers, and how a header is
/// recognised from its words. The case export and the Ombudsman casework file are two.
#[derive(Debug)]
pub struct Schema {
    /// What the file is, for messages ("case export").
    pub what: &'static str,
    /// Its fields.
    pub fields: &'static [Field],
    /// The config table mapping its headers (`columns`).
    pub config_table: &'static str,
    /// Headers to name when none is found ("'Case Ref' and 'Date Received'").
    pub examples: &'static str,
    /// The fields a header's words could mean.
    pub candidates: fn(&str) -> Vec<&'static Field>,
    /// The field a header of identifier words alone ("Ref No", "Reference", "ID") is when no
    /// other header names it (the case export's case reference); none for a file where such a
    /// header could be either of two references.
    pub bare_reference: Option<&'static str>,
}

impl Schema {
    /// The field of this name.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The field a header means by name or built-in spelling, if any.
    pub fn match_header(&self, header: &str) -> Option<&'static Field> {
        fields::match_header_in(self.fields, header)
    }
}

/// The case export (SPEC §2).
pub static CASES: Schema = Schema {
    what: "case export",
    fields: fields::FIELDS,
    config_table: "columns",
    examples: "'Case Ref' and 'Date Received'",
    candidates: recognise::candidates,
    bare_reference: Some("case_id"),
};

/// How a header was given its meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum How {
    /// Named in the config's `[columns]`.
    Config,
    /// A built-in spelling.
    Known,
    /// Recognised from its words (check it).
    Inferred,
    /// Kept as a column of its own, not a field.
    Extra,
    /// Could be more than one field (or another header claims the same one): not used.
    Ambiguous,
}

/// One header of one file and what it became.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnInfo {
    /// Position in the file, 0-based.
    #[serde(skip)]
    pub index: usize,
    /// The header as written ("Column N" when blank).
    pub header: String,
    /// The field it became (none for extra and ambiguous columns).
    pub field: Option<String>,
    /// How.
    pub how: How,
    /// For an ambiguous column: the fields it could be.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<String>,
    /// For an extra column that also fits a field another header took: that header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lost_to: Option<String>,
    /// A word on how it was read (a header naming no stage read as stage 1's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The config table that maps this file's headers.
    #[serde(skip)]
    pub config_table: &'static str,
}

impl ColumnInfo {
    /// What became of the header, in words: "case_id (known spelling)", "not used: could be …".
    pub fn explain(&self) -> String {
        let note = self.note.as_ref().map(|n| format!("; {n}")).unwrap_or_default();
        let field = self.field.as_deref().unwrap_or("");
        match self.how {
            How::Config => format!("{field} (from [{}] in the config{note})", self.config_table),
            How::Known => format!("{field} (known spelling{note})"),
            How::Inferred => format!("{field} (recognised from its words{note}: check)"),
            How::Extra => match (&self.lost_to, &self.note) {
                (Some(winner), _) => format!("kept as an extra column (it also fits a field \"{winner}\" gives)"),
                (None, Some(note)) => format!("kept as an extra column ({note})"),
                (None, None) => "kept as an extra column".to_string(),
            },
            How::Ambiguous => {
                let first = self.candidates.first().map(String::as_str).unwrap_or("field");
                let could = if self.candidates.len() == 1 {
                    format!("{first}, which another header could be too")
                } else {
                    self.candidates.join(" or ")
                };
                format!(
                    "not used: it could be {could}; to use it, write {first} = \"{}\" under [{}] in the config",
                    self.header, self.config_table
                )
            }
        }
    }
}

/// The columns of one file and what they mean.
#[derive(Debug, Clone)]
pub struct ColumnMap {
    /// The kind of file.
    pub schema: &'static Schema,
    /// Row number of the header in the file.
    pub header_row: usize,
    /// Every column, in file order.
    pub columns: Vec<ColumnInfo>,
}

impl ColumnMap {
    /// The header as written for a canonical field, if the file has it.
    pub fn header_for(&self, name: &str) -> Option<&str> {
        self.columns.iter().find(|c| c.field.as_deref() == Some(name)).map(|c| c.header.as_str())
    }

    /// (column index, field, header) for every column that became a field.
    pub fn fields(&self) -> impl Iterator<Item = (usize, &'static Field, &str)> {
        self.columns.iter().filter_map(|c| {
            c.field.as_deref().and_then(|n| self.schema.field(n)).map(|f| (c.index, f, c.header.as_str()))
        })
    }

    /// (column index, header) for every column kept as it is (extra or ambiguous).
    pub fn extras(&self) -> impl Iterator<Item = (usize, &str)> {
        self.columns.iter().filter(|c| c.field.is_none()).map(|c| (c.index, c.header.as_str()))
    }
}

/// What the header reading needs to know.
#[derive(Debug, Clone, Copy)]
pub struct Hints<'a> {
    /// The kind of file.
    pub schema: &'static Schema,
    /// The config's `[columns]` (or the schema's table): canonical field → header text.
    pub config: &'a BTreeMap<String, String>,
    /// The config's `date_format`, for reading sample cells.
    pub date_format: Option<&'a str>,
}

/// Gives every header its meaning. `samples` are the rows below the header (for the cells'
/// check of a guess from words).
pub fn map_headers(headers: &[String], samples: &[Vec<String>], hints: Hints) -> Vec<ColumnInfo> {
    map_headers_under(headers, None, samples, hints)
}

/// The group heading each header falls under in a row of headings above it ("Stage 1" over
/// "Acknowledged, Responded", "Stage 2" over the same again, "Ombudsman" over "Referred", as a
/// spreadsheet with merged headings exports them): a heading holds from its column rightwards up
/// to the next one. Only a row naming two stages or more is such a row — a title above the
/// header is not — and a header naming a stage of its own is read without its heading.
fn group_headings(headers: &[String], above: &[String]) -> Vec<Option<String>> {
    let stage = |text: &str| recognise::stage_of(&recognise::words(text));
    let named: BTreeSet<usize> = above.iter().filter_map(|t| stage(t)).collect();
    if named.len() < 2 {
        return vec![None; headers.len()];
    }
    let mut current: Option<String> = None;
    headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            if let Some(heading) = above.get(i).map(|t| t.trim()).filter(|t| !t.is_empty()) {
                current = Some(heading.to_string());
            }
            current.clone().filter(|_| stage(h).is_none())
        })
        .collect()
}

/// `map_headers` for a header with the row above it (`group_headings`): a header is read with
/// its group's heading ("Acknowledged" under "Stage 2" is `s2_ack_date`).
fn map_headers_under(
    headers: &[String],
    above: Option<&[String]>,
    samples: &[Vec<String>],
    hints: Hints,
) -> Vec<ColumnInfo> {
    let groups = above.map(|above| group_headings(headers, above)).unwrap_or_else(|| vec![None; headers.len()]);
    // The text the spellings and words are read from.
    let read: Vec<String> = headers
        .iter()
        .zip(&groups)
        .map(|(h, g)| match g {
            Some(heading) => format!("{heading} {h}"),
            None => h.clone(),
        })
        .collect();
    let mut cols: Vec<ColumnInfo> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| ColumnInfo {
            index: i,
            header: if h.trim().is_empty() { format!("Column {}", i + 1) } else { h.clone() },
            field: None,
            how: How::Extra,
            candidates: Vec::new(),
            lost_to: None,
            note: None,
            config_table: hints.schema.config_table,
        })
        .collect();
    by_config(&mut cols, headers, &read, hints.config);
    by_known_spelling(&mut cols, &read, samples, hints);
    by_words(&mut cols, &read, samples, hints);
    by_bare_reference(&mut cols, hints);
    for (c, group) in cols.iter_mut().zip(&groups) {
        let Some(field) = c.field.as_deref().filter(|_| c.how != How::Config) else { continue };
        c.note = match group {
            Some(heading) => Some(format!("read with the heading above it, '{heading}'")),
            None if field == "accepted" => Some("a No makes the complaint not accepted".into()),
            None if field.starts_with("s1_") && recognise::stage_of(&recognise::words(&c.header)).is_none() => {
                Some("names no stage: read as stage 1".into())
            }
            None => None,
        };
    }
    by_tenancy_cells(&mut cols, samples, hints);
    cols
}

/// Pass 5: a header that is only "Tenancy" or "Tenant" says no more than that it is about the
/// tenancy; its cells say which field it is. Tenures ("General Needs", "LCRA", "Shared
/// Ownership") make it the tenure, references ("T100234") the complainant's; anything else (a
/// tenant's name) leaves it an extra column. Only for a file whose schema has a tenure.
fn by_tenancy_cells(cols: &mut [ColumnInfo], samples: &[Vec<String>], hints: Hints) {
    if hints.schema.field("tenure").is_none() || hints.schema.field("complainant_id").is_none() {
        return;
    }
    for i in 0..cols.len() {
        let bare = ["tenancy", "tenant"].contains(&crate::fields::normalise_header(&cols[i].header).as_str());
        if !bare || cols[i].how != How::Extra || cols[i].lost_to.is_some() {
            continue;
        }
        let cells: Vec<&str> =
            samples.iter().filter_map(|r| r.get(i)).map(|t| t.trim()).filter(|t| !t.is_empty()).collect();
        let most = |n: usize| !cells.is_empty() && n * 10 >= cells.len() * 6;
        let (field, note) = if most(cells.iter().filter(|t| recognise::is_tenure_text(t)).count()) {
            ("tenure", "its cells are tenures")
        } else if most(cells.iter().filter(|t| recognise::is_reference_text(t)).count()) {
            ("complainant_id", "its cells are references")
        } else {
            continue;
        };
        if cols.iter().any(|c| c.field.as_deref() == Some(field)) {
            continue;
        }
        claim(&mut cols[i], field, How::Inferred);
        cols[i].note = Some(note.into());
    }
}

/// Pass 4: when no header names the schema's reference (and the config does not map it), the
/// first header left unused whose words are only identifier words ("Ref No", "Reference", "ID")
/// is it: an export's own reference column, which many systems head with no other word. Only in
/// a row two other headers of which are fields already, so that a bare "Reference" never makes a
/// title or report-parameter row above the header look like the header.
fn by_bare_reference(cols: &mut [ColumnInfo], hints: Hints) {
    let Some(field) = hints.schema.bare_reference else { return };
    let claimed = cols.iter().filter(|c| c.field.is_some()).count();
    if claimed < 2 || hints.config.contains_key(field) || cols.iter().any(|c| c.field.as_deref() == Some(field)) {
        return;
    }
    let bare = |header: &str| recognise::concepts(&recognise::words(header)) == [recognise::Concept::Id];
    if let Some(c) = cols.iter_mut().find(|c| c.how == How::Extra && c.lost_to.is_none() && bare(&c.header)) {
        claim(c, field, How::Inferred);
    }
}

fn claim(c: &mut ColumnInfo, field: &str, how: How) {
    c.field = Some(field.to_string());
    c.how = how;
}

/// Pass 1: the config's own mapping. A header the file repeats under group headings
/// ("Acknowledged" under "Stage 1" and again under "Stage 2") is the field's whose stage its
/// heading names, else the first of them not yet taken.
fn by_config(cols: &mut [ColumnInfo], headers: &[String], read: &[String], config: &BTreeMap<String, String>) {
    for (field, header) in config {
        let key = normalise_header(header);
        let open: Vec<usize> =
            (0..headers.len()).filter(|&i| normalise_header(&headers[i]) == key && cols[i].field.is_none()).collect();
        let stage = crate::fields::field_stage(field);
        let same_stage = open
            .iter()
            .copied()
            .find(|&i| stage.is_some() && recognise::stage_of(&recognise::words(&read[i])) == stage);
        if let Some(i) = same_stage.or(open.first().copied()) {
            claim(&mut cols[i], field, How::Config);
        }
    }
}

/// Pass 2: canonical names and known spellings, for fields the config did not map; a field
/// claimed twice keeps the column whose words say it more closely (`recognise::closeness`:
/// "Extended Target Date" over "Target Date"), else the first.
fn by_known_spelling(cols: &mut [ColumnInfo], headers: &[String], samples: &[Vec<String>], hints: Hints) {
    for (i, h) in headers.iter().enumerate() {
        if cols[i].field.is_some() {
            continue;
        }
        let Some(f) = hints.schema.match_header(h) else { continue };
        if hints.config.contains_key(f.name) {
            continue;
        }
        // "Type" is a category in many exports, but in some its cells say what kind of case each
        // row is ("Complaint", "Compliment", "Service Request"): not a service area.
        if f.name == "category"
            && recognise::is_kinds_column(samples.iter().filter_map(|r| r.get(i)).map(String::as_str))
        {
            cols[i].note = Some(KINDS_NOTE.into());
            continue;
        }
        match cols.iter().position(|c| c.field.as_deref() == Some(f.name)) {
            Some(w)
                if cols[w].how == How::Known
                    && recognise::closeness(f.name, h) > recognise::closeness(f.name, &headers[w]) =>
            {
                hand_over(cols, w, i, f.name, How::Known);
            }
            Some(w) => cols[i].lost_to = Some(cols[w].header.clone()),
            None => claim(&mut cols[i], f.name, How::Known),
        }
    }
}

/// Why a header that could be the category is not: its cells are kinds of case.
const KINDS_NOTE: &str = "its cells are kinds of case, not service areas";

/// Pass 3: recognition from words for the headers left, confirmed by their cells and settled by
/// their neighbours; what stays unsettled is ambiguous.
fn by_words(cols: &mut [ColumnInfo], headers: &[String], samples: &[Vec<String>], hints: Hints) {
    let taken: Vec<String> = cols.iter().filter_map(|c| c.field.clone()).collect();
    let mut guesses: Vec<(usize, Vec<&'static Field>)> = Vec::new();
    for i in 0..headers.len() {
        if cols[i].field.is_some() || cols[i].lost_to.is_some() {
            continue;
        }
        let column: Vec<Cell> =
            samples.iter().map(|r| r.get(i).map(|t| Cell::Text(t.as_str())).unwrap_or(Cell::Empty)).collect();
        let fits: Vec<&'static Field> = (hints.schema.candidates)(&headers[i])
            .into_iter()
            .filter(|f| cells_fit(f, &column, hints.date_format))
            .collect();
        let any_stage = any_stage(&fits);
        let (open, gone): (Vec<&Field>, Vec<&Field>) =
            fits.into_iter().partition(|f| !taken.iter().any(|t| t == f.name));
        // A header that could be any stage's ("Date Closed") when another header has one stage's
        // field is the complaint's end at whatever stage: not the stage left over.
        if open.is_empty() || (any_stage && !gone.is_empty()) {
            let Some(f) = gone.first() else { continue };
            let Some(w) = cols.iter().position(|c| c.field.as_deref() == Some(f.name)) else { continue };
            // "Stage 2 Revised Target Date" beside "Stage 2 Target Date": the closer one has it.
            if let [only] = gone[..] {
                if cols[w].how == How::Known
                    && recognise::closeness(only.name, &headers[i]) > recognise::closeness(only.name, &headers[w])
                {
                    hand_over(cols, w, i, only.name, How::Inferred);
                    continue;
                }
            }
            cols[i].lost_to = Some(cols[w].header.clone());
            continue;
        }
        guesses.push((i, open));
    }
    // Headers that name one stage are settled first; a header that could be any stage's
    // ("Target Resolution Date") then sees what they took, as it does a known spelling's above.
    let (any_stage_guesses, one_stage): (Vec<_>, Vec<_>) = guesses.into_iter().partition(|(_, open)| any_stage(open));
    for (i, open) in one_stage.iter().chain(&any_stage_guesses) {
        if any_stage(open) {
            let claimer = open.iter().find_map(|f| cols.iter().position(|c| c.field.as_deref() == Some(f.name)));
            if let Some(w) = claimer {
                cols[*i].lost_to = Some(cols[w].header.clone());
                continue;
            }
        }
        let choice = if open.len() == 1 { Some(open[0]) } else { by_neighbours(cols, headers, *i, open) };
        match choice {
            Some(f) => claim(&mut cols[*i], f.name, How::Inferred),
            None => {
                cols[*i].how = How::Ambiguous;
                cols[*i].candidates = open.iter().map(|f| f.name.to_string()).collect();
            }
        }
    }
    // Two headers recognised as the same field: the one whose words say it most closely when
    // it alone does ("Stage 1 Responded On" beside "Resolved On"; the other kept as an extra
    // column), else neither is used.
    for i in 0..cols.len() {
        let Some(f) = cols[i].field.clone().filter(|_| cols[i].how == How::Inferred) else { continue };
        let rivals: Vec<usize> =
            (0..cols.len()).filter(|&j| cols[j].how == How::Inferred && cols[j].field.as_deref() == Some(&f)).collect();
        if rivals.len() < 2 {
            continue;
        }
        let closeness = |j: &usize| recognise::closeness(&f, &headers[*j]);
        let best = rivals.iter().map(closeness).max().unwrap_or(0);
        let closest: Vec<usize> = rivals.iter().copied().filter(|j| closeness(j) == best).collect();
        if let [winner] = closest[..] {
            for j in rivals.into_iter().filter(|&j| j != winner) {
                cols[j].field = None;
                cols[j].how = How::Extra;
                cols[j].lost_to = Some(cols[winner].header.clone());
            }
            continue;
        }
        for j in rivals {
            cols[j].field = None;
            cols[j].how = How::Ambiguous;
            cols[j].candidates = vec![f.clone()];
        }
    }
}

/// Column `from` gives `field` to column `to`, whose words say it more closely, and is kept as
/// an extra column naming it.
fn hand_over(cols: &mut [ColumnInfo], from: usize, to: usize, field: &str, how: How) {
    // Headers the field went past before now go past the header that has it.
    let (was, now) = (cols[from].header.clone(), cols[to].header.clone());
    for c in cols.iter_mut().filter(|c| c.lost_to.as_deref() == Some(was.as_str())) {
        c.lost_to = Some(now.clone());
    }
    cols[from].field = None;
    cols[from].how = How::Extra;
    cols[from].lost_to = Some(now);
    claim(&mut cols[to], field, how);
}

/// Whether a header's words could be the same field at two stages or more (an end word such
/// as "closed" names none).
fn any_stage(fits: &[&'static Field]) -> bool {
    let staged: Vec<(usize, &str)> =
        fits.iter().filter_map(|f| Some((crate::fields::field_stage(f.name)?, f.name.split_once('_')?.1))).collect();
    staged.iter().any(|(k, base)| staged.iter().any(|(l, other)| k != l && base == other))
}

/// Settles a header that could be fields of different families (an "Action Due Date" could be a
/// lesson's or a remedy's) by the columns beside it: the family most of its neighbours belong to
/// wins; a tie, or candidates of one family, stays unsettled.
fn by_neighbours(cols: &[ColumnInfo], headers: &[String], i: usize, open: &[&'static Field]) -> Option<&'static Field> {
    let families: Vec<&str> = open.iter().map(|f| recognise::family(f.name)).collect();
    if families.windows(2).all(|w| w[0] == w[1]) {
        return None;
    }
    let lo = i.saturating_sub(4);
    let hi = (i + 4).min(headers.len() - 1);
    let mut votes: BTreeMap<&str, usize> = BTreeMap::new();
    for j in (lo..=hi).filter(|&j| j != i) {
        let family = cols[j].field.as_deref().map(recognise::family).or_else(|| recognise::family_hint(&headers[j]));
        if let Some(fam) = family {
            *votes.entry(fam).or_default() += 1;
        }
    }
    let score = |f: &&'static Field| votes.get(recognise::family(f.name)).copied().unwrap_or(0);
    let best = open.iter().map(score).max().unwrap_or(0);
    let winners: Vec<&&'static Field> = open.iter().filter(|f| score(f) == best).collect();
    (best > 0 && winners.len() == 1).then(|| *winners[0])
}

/// How many rows from the top may hold title text above the header.
pub const HEADER_SEARCH_ROWS: usize = 30;

/// The first row near the top where at least two headers become fields. `head` is the first
/// non-blank rows of a file as (row number, cell texts).
pub fn locate_header(head: &[(usize, Vec<String>)], hints: Hints) -> Option<ColumnMap> {
    for (n, (row, headers)) in head.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let samples: Vec<Vec<String>> = head[n + 1..].iter().map(|(_, cells)| cells.clone()).collect();
        // The row right above, when there is one, may hold group headings.
        let above =
            n.checked_sub(1).map(|m| &head[m]).filter(|(r, _)| r + 1 == *row).map(|(_, cells)| cells.as_slice());
        let columns = map_headers_under(headers, above, &samples, hints);
        if columns.iter().filter(|c| c.field.is_some()).count() >= 2 {
            return Some(ColumnMap { schema: hints.schema, header_row: *row, columns });
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

    fn hints(config: &BTreeMap<String, String>) -> Hints<'_> {
        Hints { schema: &CASES, config, date_format: None }
    }

    fn outcome(cols: &[ColumnInfo]) -> Vec<(Option<&str>, How)> {
        cols.iter().map(|c| (c.field.as_deref(), c.how)).collect()
    }

    #[test]
    fn known_inferred_and_extra() {
        let none = BTreeMap::new();
        let cols = map_headers(
            &h(&["Case Ref", "Date Received", "Stage 1 Response Sent", "Ward", "Tenant Reference"]),
            &[],
            hints(&none),
        );
        assert_eq!(
            outcome(&cols),
            [
                (Some("case_id"), How::Known),
                (Some("received_date"), How::Known),
                (Some("s1_response_date"), How::Known),
                (None, How::Extra),
                (Some("complainant_id"), How::Inferred),
            ]
        );
    }

    /// "Ref No" alone is the case reference when nothing else is; beside "Complaint Ref" an "ID"
    /// stays a column of its own.
    #[test]
    fn a_bare_reference_is_the_case_reference_when_no_header_is() {
        let none = BTreeMap::new();
        let cols = map_headers(&h(&["Person Ref", "Ref No", "Date Received", "ID"]), &[], hints(&none));
        assert_eq!(
            outcome(&cols),
            [
                (Some("complainant_id"), How::Known),
                (Some("case_id"), How::Inferred),
                (Some("received_date"), How::Known),
                (None, How::Extra),
            ]
        );
        let cols = map_headers(&h(&["ID", "Complaint Ref", "Date Received"]), &[], hints(&none));
        assert_eq!(outcome(&cols)[..2], [(None, How::Extra), (Some("case_id"), How::Known)]);
        let mut cfg = BTreeMap::new();
        cfg.insert("case_id".to_string(), "Our Key".to_string());
        let cols = map_headers(&h(&["Reference", "Date Received", "Tenure"]), &[], hints(&cfg));
        assert_eq!(outcome(&cols)[0], (None, How::Extra), "the config names the reference elsewhere");
        // A report-parameter row above the header: one field beside a bare reference is no header.
        let cols = map_headers(&h(&["Report Ref", "Date Received"]), &[], hints(&none));
        assert_eq!(outcome(&cols)[0], (None, How::Extra));
    }

    /// Group headings above the header ("Stage 1" over three columns, "Stage 2" over the next
    /// three, as merged cells export) give the columns under them their stage; a header naming
    /// its own stage keeps it, and a heading naming no stage ends the group before it. A title
    /// naming one stage is no group row.
    #[test]
    fn stage_headings_above_the_header_give_the_stage() {
        let none = BTreeMap::new();
        let row = |n: usize, cells: &[&str]| (n, h(cells));
        let head = [
            row(1, &["", "", "Stage 1", "", "Stage 2", "", "", "Ombudsman"]),
            row(
                2,
                &[
                    "Case Ref",
                    "Date Received",
                    "Acknowledged",
                    "Responded",
                    "Acknowledged",
                    "Stage 3 Response",
                    "Responded",
                    "Referred",
                ],
            ),
        ];
        let map = locate_header(&head, hints(&none)).unwrap();
        assert_eq!(map.header_row, 2);
        let fields: Vec<Option<&str>> = map.columns.iter().map(|c| c.field.as_deref()).collect();
        assert_eq!(
            fields,
            [
                Some("case_id"),
                Some("received_date"),
                Some("s1_ack_date"),
                Some("s1_response_date"),
                Some("s2_ack_date"),
                Some("s3_response_date"),
                Some("s2_response_date"),
                Some("ombudsman_referred_date"),
            ]
        );
        assert_eq!(map.columns[4].note.as_deref(), Some("read with the heading above it, 'Stage 2'"));
        assert_eq!(map.columns[5].note, None);

        let titled = [row(1, &["Stage 2 complaints", "", ""]), row(2, &["Case Ref", "Date Received", "Acknowledged"])];
        let map = locate_header(&titled, hints(&none)).unwrap();
        assert_eq!(map.columns[2].field.as_deref(), Some("s1_ack_date"));
        assert_eq!(map.columns[2].note.as_deref(), Some("names no stage: read as stage 1"));
        // Not the row right above: no group.
        let apart = [row(1, &["", "Stage 1", "Stage 2"]), row(3, &["Case Ref", "Date Received", "Acknowledged"])];
        assert_eq!(locate_header(&apart, hints(&none)).unwrap().columns[2].field.as_deref(), Some("s1_ack_date"));
    }

    /// The config naming a header the file repeats under group headings gives it to the column
    /// under the field's stage, whichever comes first.
    #[test]
    fn the_config_takes_a_repeated_header_under_its_stage() {
        let mut cfg = BTreeMap::new();
        cfg.insert("s2_ack_date".to_string(), "Acknowledged".to_string());
        let head = [
            (1, h(&["", "", "Stage 1", "Stage 2"])),
            (2, h(&["Case Ref", "Date Received", "Acknowledged", "Acknowledged"])),
        ];
        let map = locate_header(&head, hints(&cfg)).unwrap();
        let got: Vec<(Option<&str>, How)> = outcome(&map.columns)[2..].to_vec();
        assert_eq!(got, [(Some("s1_ack_date"), How::Known), (Some("s2_ack_date"), How::Config)]);
    }

    #[test]
    fn config_wins_over_synonyms() {
        let mut cfg = BTreeMap::new();
        cfg.insert("received_date".to_string(), "Logged On".to_string());
        let cols = map_headers(&h(&["Case Ref", "Date Received", "Logged on"]), &[], hints(&cfg));
        assert_eq!(
            outcome(&cols),
            [(Some("case_id"), How::Known), (None, How::Extra), (Some("received_date"), How::Config)]
        );
        assert_eq!(
            cols[1].lost_to.as_deref(),
            Some("Logged on"),
            "it fits the field the config gave to another header"
        );
    }

    #[test]
    fn cells_veto_a_guess() {
        let none = BTreeMap::new();
        let samples = vec![h(&["C1", "01/04/2024", "Plumbing"]), h(&["C2", "02/04/2024", "Roofing"])];
        // "Received Date Note" reads as a received date, but its cells are not dates.
        let cols = map_headers(&h(&["Case Ref", "Date Received", "Logged On"]), &samples, hints(&none));
        assert_eq!(cols[2].lost_to.as_deref(), None);
        assert_eq!(cols[2].how, How::Extra);
    }

    #[test]
    fn neighbours_settle_and_rivals_are_reported() {
        let none = BTreeMap::new();
        let lesson =
            map_headers(&h(&["Case Ref", "Date Received", "Lesson Learned", "Action Due Date"]), &[], hints(&none));
        assert_eq!(lesson[3].field.as_deref(), Some("lesson_due_date"));
        let alone = map_headers(&h(&["Case Ref", "Date Received", "Action Due Date"]), &[], hints(&none));
        assert_eq!(alone[2].how, How::Ambiguous);
        assert_eq!(alone[2].candidates, ["remedy_due_date", "lesson_due_date"]);
        let two = map_headers(&h(&["Case Ref", "Date Received", "Tenant Reference", "Resident ID"]), &[], hints(&none));
        assert_eq!((two[2].how, two[3].how), (How::Ambiguous, How::Ambiguous));
    }

    /// A recorded due date is the agreed (extended) deadline: a due date that says it was
    /// extended or revised takes the field from a plain target date, known spelling or not.
    #[test]
    fn an_extended_due_date_is_the_due_date() {
        let none = BTreeMap::new();
        let cols = map_headers(
            &h(&[
                "Case Ref",
                "Date Received",
                "Target Date",
                "Extended Target Date",
                "Stage 2 Target Date",
                "Stage 2 Revised Target Date",
                "Response due",
                "Extended deadline",
            ]),
            &[],
            hints(&none),
        );
        assert_eq!(
            outcome(&cols)[2..],
            [
                (None, How::Extra),
                (Some("s1_due_date"), How::Known),
                (None, How::Extra),
                (Some("s2_due_date"), How::Inferred),
                (None, How::Extra),
                (None, How::Extra),
            ]
        );
        assert_eq!(cols[2].lost_to.as_deref(), Some("Extended Target Date"));
        assert_eq!(cols[4].lost_to.as_deref(), Some("Stage 2 Revised Target Date"));
        // Alone, the plain and the extended deadline: the extended one.
        let words = map_headers(&h(&["Case ref", "Received", "Response due", "Extended deadline"]), &[], hints(&none));
        assert_eq!(outcome(&words)[2..], [(None, How::Extra), (Some("s1_due_date"), How::Inferred)]);
    }

    /// A closing date names no stage: beside a header that names stage 1's response, it is the
    /// complaint's end (kept as an extra column), never stage 2's response by elimination, and
    /// the header naming the stage keeps the field.
    #[test]
    fn a_closing_date_is_not_the_stage_left_over() {
        let none = BTreeMap::new();
        let known = map_headers(
            &h(&["Case Ref", "Date Received", "Resolved On", "Stage 1 Response Date", "Stage 2 Requested"]),
            &[],
            hints(&none),
        );
        assert_eq!((known[2].field.as_deref(), known[2].how), (None, How::Extra));
        assert_eq!(known[2].lost_to.as_deref(), Some("Stage 1 Response Date"));
        let inferred = map_headers(
            &h(&["Case Number", "Created On", "Resolved On", "Stage 1 Due Date", "Stage 1 Responded On"]),
            &[],
            hints(&none),
        );
        assert_eq!(
            outcome(&inferred)[2..],
            [(None, How::Extra), (Some("s1_due_date"), How::Known), (Some("s1_response_date"), How::Inferred)]
        );
        assert_eq!(inferred[2].lost_to.as_deref(), Some("Stage 1 Responded On"));
        // "Responded" says response, "Closed" only the end: the response date is "Responded".
        let plain = map_headers(&h(&["Case ref", "Received", "Responded", "Closed"]), &[], hints(&none));
        assert_eq!(outcome(&plain)[2..], [(Some("s1_response_date"), How::Inferred), (None, How::Extra)]);
        // Neither names a stage: neither is used, as before.
        let neither = map_headers(&h(&["Case Ref", "Date Received", "Replied On", "Answered On"]), &[], hints(&none));
        assert_eq!((neither[2].how, neither[3].how), (How::Ambiguous, How::Ambiguous));
    }
}
