//! `aftercare import visits FILE`: CONTRACT.md's import through the bulk path (or row by
//! row), a summary in the configured language, and the rejected rows with line, field and
//! reason in a rejects file beside the input.

use super::*;

pub(super) fn import_visits(
    cli: &Cli,
    file: &PathBuf,
    encoding: Option<&str>,
    sheet: Option<&str>,
    opts: services::import::Options,
) -> Result<(), Fail> {
    let (pool, ctx) = open(cli)?;
    let l = lang(&ctx).to_string();
    let bytes = std::fs::read(file).map_err(|e| Fail(2, file_error(&l, file, &e)))?;
    let in_file =
        |errs: &FieldErrors| Fail(2, format!("{}: {}", file.display(), errors_text(&l, errs)));
    let source = source(file, &bytes, encoding, sheet).map_err(|e| in_file(&e))?;
    let mut conn = conn(&pool)?;
    let report = match services::import::import(&mut conn, &ctx, &Actor::cli(), source, opts) {
        Ok(r) => r,
        Err(ServiceError::Invalid(errs)) => return Err(in_file(&errs)),
        Err(e) => return Err(fail(&ctx, e)),
    };
    say_how_read(&l, &report);
    let rejects_path = rejects_path(file);
    if report.rejected.is_empty() {
        let _ = std::fs::remove_file(&rejects_path);
    } else {
        write_rejects(&rejects_path, &report, &l)?;
    }
    say_outcome(&l, &report, &rejects_path)
}

/// The file as the import reads it: a workbook by its extension (its sheet as named), else
/// CSV in the encoding named (else detected).
fn source<'a>(
    file: &std::path::Path,
    bytes: &'a [u8],
    encoding: Option<&str>,
    sheet: Option<&'a str>,
) -> Result<services::import::File<'a>, FieldErrors> {
    use services::import::File;
    let named = encoding
        .map(|e| crate::domain::privacy::Encoding::parse(Some(e)))
        .transpose()
        .map_err(FieldErrors::from)?;
    let workbook = file
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xls"));
    Ok(if workbook {
        File::Workbook { bytes, sheet }
    } else {
        File::Csv {
            bytes,
            encoding: named,
        }
    })
}

/// The character set detected or named, and the sheet read.
fn say_how_read(l: &str, report: &services::import::Report) {
    if let Some(read) = &report.read {
        let key = if read.detected {
            "import-read-detected"
        } else {
            "import-read-named"
        };
        let charset = read.encoding.charset().to_uppercase();
        println!("{}", I18N.t_args(l, key, &[("encoding", charset)]));
    }
    if let Some(sheet) = &report.sheet {
        println!(
            "{}",
            I18N.t_args(l, "import-read-sheet", &[("sheet", sheet.clone())])
        );
    }
}

/// The counts, what a rerun does, and the first rejected rows (exit 2 when there are any).
fn say_outcome(
    l: &str,
    report: &services::import::Report,
    rejects_path: &std::path::Path,
) -> Result<(), Fail> {
    let key = if report.dry_run {
        "import-dry-run-summary"
    } else {
        "import-summary"
    };
    let counts = [
        ("imported", report.imported.to_string()),
        ("updated", report.updated.to_string()),
        ("rejected", report.rejected.len().to_string()),
    ];
    println!("{}", I18N.t_args(l, key, &counts));
    if !report.dry_run {
        // A rerun of the same file (after fixing the rejects, or after an import cut short):
        // rows with an external_id update their visit, never duplicate it.
        println!("{}", I18N.t(l, "import-rerun"));
    }
    if report.rejected.is_empty() {
        return Ok(());
    }
    let path = rejects_path.display().to_string();
    println!(
        "{}",
        I18N.t_args(l, "import-rejects-file", &[("path", path)])
    );
    for r in report.rejected.iter().take(20) {
        let line = [
            ("line", r.line.to_string()),
            ("errors", errors_text(l, &r.errors)),
        ];
        eprintln!("{}", I18N.t_args(l, "cli-import-line", &line));
    }
    let rejected = [("rejected", report.rejected.len().to_string())];
    Err(Fail(2, I18N.t_args(l, "import-some-rejected", &rejected)))
}

/// `FILE.csv` → `FILE.rejects.csv`
pub fn rejects_path(file: &std::path::Path) -> PathBuf {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "import".into());
    file.with_file_name(format!("{stem}.rejects.csv"))
}

/// The rejected rows as they were, with their line number and the reasons, in the file's
/// columns so they can be corrected and imported again.
pub(super) fn write_rejects(
    path: &std::path::Path,
    report: &services::import::Report,
    lang: &str,
) -> Result<(), Fail> {
    let mut w =
        csv::Writer::from_path(path).with_context(|| format!("writing {}", path.display()))?;
    let mut header = vec!["line".to_string(), "reason".to_string()];
    header.extend(report.headers.iter().cloned());
    w.write_record(&header).context("rejects file")?;
    for r in &report.rejected {
        let mut row = vec![r.line.to_string(), errors_text(lang, &r.errors)];
        row.extend(r.record.iter().cloned());
        row.resize(header.len(), String::new());
        // R11: the cells as they were, but never a live formula when the file is opened.
        w.write_record(
            row.iter()
                .map(|c| crate::registers::export::neutralise(c).into_owned()),
        )
        .context("rejects file")?;
    }
    w.flush().context("rejects file")?;
    Ok(())
}
