//! R11: exports as Excel workbooks (what auditors open in Excel or WPS). One writer for the
//! four registers, the audit log and the summary's per-clerk table: a data sheet written row
//! by row in rust_xlsxwriter's constant-memory mode (rows go to a temporary file, so a
//! million-line register does not grow memory), its header row in the chosen language, frozen
//! and filtered, every cell text except dates (real dates), each column sized to its content;
//! and a second sheet with the manifest. No cell is ever a formula: text goes in as text, so
//! `=HYPERLINK(…)` stays the characters it was (no neutralising needed, unlike CSV).

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::io::Write;

/// What a column holds, which decides how its cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text, also numbers, plates, phones and codes: Excel must not turn `13800138000` into
    /// 1.38E+10 or drop a leading zero.
    Text,
    /// `YYYY-MM-DD`, written as an Excel date.
    Date,
    /// `YYYY-MM-DD HH:MM[:SS]`, written as an Excel date and time.
    DateTime,
    /// A figure (a count or a rate), written as a number.
    Number,
}

/// Widest a column gets, in Excel character units; longer text stays whole in the cell.
const MAX_WIDTH: usize = 60;

/// A workbook being written: the data sheet first, then `finish` with the manifest.
pub struct Book {
    wb: Workbook,
    kinds: Vec<Kind>,
    widths: Vec<usize>,
    /// The next row of the data sheet (0 is the header).
    row: u32,
    text: Format,
    date: Format,
    datetime: Format,
    head: Format,
}

fn err(e: XlsxError) -> anyhow::Error {
    anyhow::anyhow!("xlsx: {e}")
}

/// How wide `s` shows, in Excel character units (a CJK character takes two).
fn width(s: &str) -> usize {
    s.lines()
        .map(|l| {
            l.chars()
                .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
                .sum::<usize>()
        })
        .max()
        .unwrap_or(0)
}

impl Book {
    /// A workbook whose first sheet is called `sheet` with these headers and column kinds.
    pub fn new(sheet: &str, headers: &[String], kinds: Vec<Kind>) -> anyhow::Result<Book> {
        let mut wb = Workbook::new();
        let text = Format::new().set_num_format("@");
        let head = Format::new().set_bold().set_num_format("@");
        let ws = wb.add_worksheet_with_constant_memory().map_err(err)?;
        ws.set_name(sheet_name(sheet)).map_err(err)?;
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &head)
                .map_err(err)?;
        }
        let mut widths: Vec<usize> = headers.iter().map(|h| width(h) + 3).collect();
        for (w, k) in widths.iter_mut().zip(&kinds) {
            *w = (*w).max(match k {
                Kind::Date => 11,
                Kind::DateTime => 17,
                _ => 0,
            });
        }
        Ok(Book {
            wb,
            kinds,
            widths,
            row: 1,
            text,
            date: Format::new().set_num_format("yyyy-mm-dd"),
            datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
            head,
        })
    }

    fn data(&mut self) -> anyhow::Result<&mut Worksheet> {
        self.wb.worksheet_from_index(0).map_err(err)
    }

    /// One line of the data sheet. A date cell that is empty or not a date is written as text.
    pub fn line(&mut self, cells: &[String]) -> anyhow::Result<()> {
        let row = self.row;
        let (text, date, datetime) = (self.text.clone(), self.date.clone(), self.datetime.clone());
        let kinds = self.kinds.clone();
        for (c, cell) in cells.iter().enumerate() {
            if let Some(w) = self.widths.get_mut(c) {
                *w = (*w).max(width(cell) + 1);
            }
            if cell.is_empty() {
                continue;
            }
            let col = c as u16;
            let kind = kinds.get(c).copied().unwrap_or(Kind::Text);
            let ws = self.data()?;
            match kind {
                Kind::Date => match chrono::NaiveDate::parse_from_str(cell, "%Y-%m-%d") {
                    Ok(d) => ws.write_datetime_with_format(row, col, d, &date),
                    Err(_) => ws.write_string_with_format(row, col, cell, &text),
                },
                Kind::DateTime => match parse_datetime(cell) {
                    Some(t) => ws.write_datetime_with_format(row, col, t, &datetime),
                    None => ws.write_string_with_format(row, col, cell, &text),
                },
                Kind::Number => match cell.parse::<f64>() {
                    Ok(n) if n.is_finite() => ws.write_number(row, col, n),
                    _ => ws.write_string_with_format(row, col, cell, &text),
                },
                Kind::Text => ws.write_string_with_format(row, col, cell, &text),
            }
            .map_err(err)?;
        }
        self.row += 1;
        Ok(())
    }

    /// The lines written so far (without the header).
    pub fn lines(&self) -> u32 {
        self.row - 1
    }

    /// Freezes and filters the header, sizes the columns, adds the manifest sheet (`name`,
    /// label–value pairs, then an optional table), and writes the workbook into `out`.
    pub fn finish(
        mut self,
        manifest_name: &str,
        pairs: &[(String, String)],
        table: Option<(&[String], &[Vec<String>])>,
        out: &mut (dyn Write + Send),
    ) -> anyhow::Result<()> {
        let last_row = self.row - 1;
        let cols = self.widths.len() as u16;
        let widths = self.widths.clone();
        let head = self.head.clone();
        let text = self.text.clone();
        {
            let ws = self.data()?;
            ws.set_freeze_panes(1, 0).map_err(err)?;
            if cols > 0 {
                ws.autofilter(0, 0, last_row, cols - 1).map_err(err)?;
            }
            for (c, w) in widths.iter().enumerate() {
                ws.set_column_width(c as u16, (*w).min(MAX_WIDTH) as f64)
                    .map_err(err)?;
            }
        }
        let ws = self.wb.add_worksheet();
        ws.set_name(sheet_name(manifest_name)).map_err(err)?;
        let mut r = 0u32;
        let mut w0 = 10;
        let mut w1 = 10;
        for (k, v) in pairs {
            ws.write_string_with_format(r, 0, k, &head).map_err(err)?;
            ws.write_string_with_format(r, 1, v, &text).map_err(err)?;
            w0 = w0.max(width(k) + 2);
            w1 = w1.max(width(v) + 1);
            r += 1;
        }
        let mut tw = vec![0usize; 0];
        if let Some((headers, rows)) = table {
            r += 1;
            for (c, h) in headers.iter().enumerate() {
                ws.write_string_with_format(r, c as u16, h, &head)
                    .map_err(err)?;
                tw.push(width(h) + 2);
            }
            for row in rows {
                r += 1;
                for (c, v) in row.iter().enumerate() {
                    ws.write_string_with_format(r, c as u16, v, &text)
                        .map_err(err)?;
                    if let Some(w) = tw.get_mut(c) {
                        *w = (*w).max(width(v) + 1);
                    }
                }
            }
        }
        let mut all = vec![w0, w1];
        for (c, w) in tw.iter().enumerate() {
            if c < 2 {
                all[c] = all[c].max(*w);
            } else {
                all.push(*w);
            }
        }
        for (c, w) in all.iter().enumerate() {
            ws.set_column_width(c as u16, (*w).min(MAX_WIDTH) as f64)
                .map_err(err)?;
        }
        self.wb.save_to_writer(out).map_err(err)?;
        Ok(())
    }
}

/// `2026-11-03 14:05` or `2026-11-03 14:05:09`.
fn parse_datetime(s: &str) -> Option<chrono::NaiveDateTime> {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S"))
        .ok()
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(s: &str) -> String {
    s.chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r11_xlsx_widths_count_cjk_double_and_names_are_cleaned() {
        assert_eq!(width("沪A·12345"), 2 + 1 + 1 + 5);
        assert_eq!(width("ab\nabcd"), 4);
        assert_eq!(sheet_name("a/b:c"), "a_b_c");
    }
}
