//! R11: the four registers as CSV — CONTRACT.md's columns and headers in the chosen language
//! (zh-CN default, en), coded values translated too, UTF-8 with a BOM so Excel shows Chinese,
//! and cells that a spreadsheet would run as a formula neutralised. Lines are read in keyset
//! batches by id, so memory does not grow with the range. The same writer serves
//! `aftercare export` and `GET /api/v1/registers/{register}`.

//!
//! - `arguments`: what to export (`Query`, `parse_query`) and the pages' narrowing (`Filters`)
//! - `columns`: CONTRACT.md's column keys, headers and labels, and how a workbook types them
//! - `cells`: the lines as cells, in the export's column order, in the chosen language
//! - `sinks`: CSV (UTF-8 with a BOM, or GB18030), JSON and the workbook, written batch by
//!   batch while the next batch is read

mod arguments;
mod cells;
mod columns;
mod sinks;

pub use arguments::{parse_query, Filters, Query};
pub use cells::{count, neutralise, rows, satisfaction_cell};
pub use columns::{column_kind, headers, keys, labels};
pub use sinks::{write, write_xlsx, Format, Written, XlsxDraft};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r11_formula_cells_are_neutralised() {
        assert_eq!(neutralise("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(neutralise("+86 138"), "'+86 138");
        assert_eq!(neutralise("@cmd"), "'@cmd");
        assert_eq!(neutralise("王伟"), "王伟");
    }

    #[test]
    fn r11_export_arguments_are_checked() {
        assert!(parse_query(
            "call-register",
            Some("2026-11-01"),
            Some("2026-11-30"),
            None
        )
        .is_ok());
        let e =
            parse_query("calls", Some("2026-12-01"), Some("2026-11-01"), Some("fr")).unwrap_err();
        let codes: Vec<_> = e.0.iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            vec!["register-unknown", "from-after-to", "lang-unknown"]
        );
    }
}
