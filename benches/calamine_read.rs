//! Baseline for the XLSX benchmark: calamine alone reading every cell of a workbook's first
//! sheet, so `complaints metrics` on the same file can be compared with the floor set by
//! parsing it. Run: `cargo bench --bench calamine_read -- FILE.xlsx`.

use calamine::{open_workbook_auto, Reader};

fn main() {
    let path = std::env::args().skip(1).find(|a| !a.starts_with('-')).expect("give the workbook path");
    let start = std::time::Instant::now();
    let mut book = open_workbook_auto(&path).expect("a workbook");
    let name = book.sheet_names().first().cloned().expect("a sheet");
    let range = book.worksheet_range(&name).expect("the first sheet");
    let filled = range.used_cells().count();
    println!("calamine read {path}: {} rows, {filled} cells in {:.2?}", range.height(), start.elapsed());
}
