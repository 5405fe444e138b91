//! The per-clerk table of a summary as CSV and as an Excel workbook, headed in the reader's
//! language.

use super::snapshot::Snapshot;
use crate::domain::summary::Figures;

/// The per-clerk table: the figure keys, then one line per clerk and one for the store
/// (period, clerk, name, every figure by its key; empty where there is nothing to divide).
fn clerks_table(s: &Snapshot) -> (Vec<String>, Vec<Vec<String>>) {
    let keys: Vec<String> = s.totals.flat().keys().cloned().collect();
    let line = |clerk: &str, name: &str, f: &Figures| -> Vec<String> {
        let flat = f.flat();
        let mut rec = vec![s.period.clone(), clerk.to_string(), name.to_string()];
        rec.extend(keys.iter().map(|k| match flat.get(k).copied().flatten() {
            None => String::new(),
            Some(v) if v.fract() == 0.0 && !k.ends_with("rate") => format!("{v:.0}"),
            Some(v) => format!("{v}"),
        }));
        rec
    };
    let mut rows: Vec<Vec<String>> = s
        .clerks
        .iter()
        .map(|c| line(&c.username, &c.display_name, &c.figures))
        .collect();
    rows.push(line("", "", &s.totals));
    (keys, rows)
}

/// The per-clerk table as CSV (UTF-8 with BOM): one line per clerk and one for the store,
/// every figure by its key.
pub fn clerks_csv(s: &Snapshot, lang: &str) -> anyhow::Result<Vec<u8>> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let (keys, rows) = clerks_table(s);
        w.write_record(clerks_head(&keys, lang))?;
        for r in rows {
            w.write_record(&r)?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// The per-clerk table's header row in `lang` (issue 12: CONTRACT.md fixes the JSON's keys,
/// not this table's columns, so the CSV speaks the reader's language like the workbook).
fn clerks_head(keys: &[String], lang: &str) -> Vec<String> {
    use crate::i18n::I18N;
    let mut head = vec![
        I18N.t(lang, "sum-col-period"),
        I18N.t(lang, "sum-col-clerk"),
        I18N.t(lang, "sum-line-clerk"),
    ];
    head.extend(keys.iter().map(|k| I18N.coded(lang, "sum-fig", k)));
    head
}

/// The per-clerk table as an Excel workbook: headers in `lang`, figures as numbers, and a
/// sheet saying which period, store and version it is.
pub fn clerks_xlsx(
    s: &Snapshot,
    lang: &str,
    filed: Option<i32>,
    out: &mut (dyn std::io::Write + Send),
) -> anyhow::Result<()> {
    use crate::i18n::I18N;
    use crate::registers::xlsx::{Book, Kind};
    let (keys, rows) = clerks_table(s);
    let head = clerks_head(&keys, lang);
    let mut kinds = vec![Kind::Text; 3];
    kinds.extend(keys.iter().map(|_| Kind::Number));
    let mut book = Book::new(&I18N.t(lang, "sum-clerks-title"), &head, kinds)?;
    for r in &rows {
        book.line(r)?;
    }
    let t = |k: &str| I18N.t(lang, &format!("manifest-{k}"));
    let pairs = vec![
        (t("period"), s.period.clone()),
        (
            t("filed"),
            filed.map(|v| v.to_string()).unwrap_or_else(|| "-".into()),
        ),
        (t("lines"), rows.len().to_string()),
    ];
    book.finish(&t("sheet"), &pairs, None, out)
}
