//! `--format xlsx`: the tables of `table.rs` as an Excel workbook of one
//! sheet, its header row bold and frozen, an autofilter on it, columns sized
//! to their contents, and numbers stored as numbers.

use super::table::{Table, TableSink};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::io::{self, Write};

pub struct Xlsx;

/// Excel's limit on the characters of one cell.
const MAX_CELL: usize = 32_767;
/// The widest a column is sized to, in pixels (about 60 characters).
const MAX_WIDTH_PX: u32 = 420;

/// A cell that is a plain decimal number (a grade, count, code or page),
/// not an id, date or code with leading zeros.
fn as_number(cell: &str) -> Option<f64> {
    let plain = !cell.is_empty()
        && cell.len() <= 15
        && cell.chars().all(|c| c.is_ascii_digit() || c == '.')
        && cell.matches('.').count() <= 1
        && !(cell.len() > 1 && cell.starts_with('0') && !cell.starts_with("0."));
    plain.then(|| cell.parse().ok()).flatten()
}

fn workbook(table: &Table) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(table.name)?;
    let bold = Format::new().set_bold();
    for (c, name) in table.header.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, name, &bold)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            match as_number(cell) {
                Some(n) => sheet.write_number(r, c as u16, n)?,
                None if cell.is_empty() => sheet,
                None => {
                    let end = cell.char_indices().nth(MAX_CELL).map_or(cell.len(), |(i, _)| i);
                    sheet.write_string(r, c as u16, &cell[..end])?
                }
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_col = table.header.len().saturating_sub(1) as u16;
    sheet.autofilter(0, 0, table.rows.len() as u32, last_col)?;
    sheet.set_autofit_max_width(MAX_WIDTH_PX);
    sheet.autofit();
    book.save_to_buffer()
}

impl TableSink for Xlsx {
    fn write(&self, w: &mut dyn Write, table: &Table) -> io::Result<()> {
        let bytes = workbook(table).map_err(|e| io::Error::other(format!("cannot write the xlsx file: {e}")))?;
        w.write_all(&bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_numbers_and_codes_stay_text() {
        assert_eq!(as_number("384"), Some(384.0));
        assert_eq!(as_number("1.235"), Some(1.235));
        for text in ["", "2019-01-14", "E08000036", "007", "1e5", "inf", "NaN", "1.2.3", "leeds-2019-01-ilacs#24"] {
            assert_eq!(as_number(text), None, "{text}");
        }
    }
}
