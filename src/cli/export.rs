//! `aftercare export` (R11: a register as CSV, JSON or a workbook, with its manifest) and
//! `aftercare backup` (a consistent copy of the database while it runs).

use super::*;

/// `aftercare export`: into a temporary file beside the output, renamed when complete, so an
/// interrupted export never leaves a file that looks whole.
pub(super) struct ExportArgs<'a> {
    pub(super) register: &'a str,
    pub(super) from: &'a str,
    pub(super) to: &'a str,
    pub(super) store: Option<&'a str>,
    pub(super) lang: Option<&'a str>,
    pub(super) output: Option<&'a std::path::Path>,
    pub(super) encoding: Option<&'a str>,
    pub(super) format: Option<&'a str>,
    pub(super) phones: Option<&'a str>,
}

pub(super) fn export(cli: &Cli, a: ExportArgs) -> Result<(), Fail> {
    use crate::domain::privacy::Phones;
    let (pool, ctx) = open(cli)?;
    let l = a.lang.unwrap_or(&ctx.config.settings.language).to_string();
    let ui = crate::i18n::supported(Some(&l)).unwrap_or(crate::i18n::DEFAULT_LANG);
    let bad = |e: FieldErrors| Fail(2, errors_text(ui, &e));
    let p = arguments(&a).map_err(bad)?;
    let mut c = conn(&pool)?;
    let store_id = match a.store {
        Some(code) => Some(store_of(&mut c, code).map_err(|e| match e {
            ServiceError::Invalid(f) => bad(f),
            other => Fail(1, other.to_string()),
        })?),
        None => None,
    };
    let mut q = crate::registers::export::Query {
        register: p.register,
        from: p.from,
        to: p.to,
        store_id,
        lang: p.lang,
        phones: Phones::Full,
    };
    let actor = Actor::cli();
    let grant = crate::services::exports::authorise(&mut c, &ctx, &actor, &mut q, p.phones)
        .map_err(|e| match e {
            ServiceError::Invalid(f) => bad(f),
            other => Fail(1, other.to_string()),
        })?;
    let format = crate::registers::export::Format::Csv(p.encoding);
    let run = |c: &mut DbConn, out: &mut (dyn std::io::Write + Send)| {
        if p.xlsx {
            crate::services::exports::run_xlsx(c, &ctx, &actor, &q, grant, out)
        } else {
            crate::services::exports::run(c, &ctx, &actor, &q, format, grant, out)
        }
    };
    let manifest = match a.output {
        None => run(&mut c, &mut std::io::BufWriter::new(std::io::stdout()))?,
        Some(path) => into_file(path, |out| run(&mut c, out))?,
    };
    let done = [
        ("lines", manifest.lines.to_string()),
        ("sha", manifest.sha256.clone()),
    ];
    eprintln!("{}", I18N.t_args(ui, "export-done", &done));
    Ok(())
}

/// An export's command line, checked.
struct Parsed {
    register: crate::domain::register::Register,
    from: NaiveDate,
    to: NaiveDate,
    lang: &'static str,
    encoding: crate::domain::privacy::Encoding,
    /// Whole or masked phones as asked (None: the role's default).
    phones: Option<crate::domain::privacy::Phones>,
    xlsx: bool,
}

/// Every problem of the command line at once.
fn arguments(a: &ExportArgs) -> Result<Parsed, FieldErrors> {
    use crate::domain::error::FieldError;
    use crate::domain::privacy::{Encoding, Phones};
    let parsed =
        crate::registers::export::parse_query(a.register, Some(a.from), Some(a.to), a.lang);
    let mut errs = parsed.as_ref().err().cloned().unwrap_or_default();
    let encoding = errs.take(Encoding::parse(a.encoding));
    let phones = errs.take(Phones::parse(a.phones));
    let xlsx = match a.format.map(str::trim) {
        None | Some("csv") => false,
        Some("xlsx") => true,
        Some(other) => {
            errs.push(FieldError::new("format", "format-unknown").arg("value", other));
            false
        }
    };
    if xlsx && a.output.is_none() {
        errs.push(FieldError::new("output", "output-required-for-xlsx"));
    }
    match (parsed, encoding, phones, errs.is_empty()) {
        (Ok((register, from, to, lang)), Some(encoding), Some(phones), true) => Ok(Parsed {
            register,
            from,
            to,
            lang,
            encoding,
            phones,
            xlsx,
        }),
        _ => Err(errs),
    }
}

/// The store of `--store CODE`.
fn store_of(c: &mut DbConn, code: &str) -> Result<i32, ServiceError> {
    use crate::domain::error::FieldError;
    crate::models::store::by_code(c, code)?
        .map(|s| s.id)
        .ok_or_else(|| {
            FieldError::new("store", "store-unknown")
                .arg("value", code)
                .into()
        })
}

/// Runs the export into `path`: written beside it and renamed when complete, so an export
/// cut short (a full disk, a signal) never leaves a file that looks whole; its manifest
/// written beside it.
fn into_file(
    path: &std::path::Path,
    run: impl FnOnce(
        &mut (dyn std::io::Write + Send),
    ) -> anyhow::Result<crate::services::exports::Manifest>,
) -> Result<crate::services::exports::Manifest, Fail> {
    let tmp = path.with_extension("partial");
    let mut f = std::io::BufWriter::new(
        std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?,
    );
    let m = run(&mut f).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })?;
    f.into_inner()
        .map_err(|e| anyhow::anyhow!("writing the export: {e}"))
        .and_then(|f| Ok(f.sync_all()?))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })?;
    std::fs::rename(&tmp, path)
        .with_context(|| format!("moving the export to {}", path.display()))?;
    let mut manifest = serde_json::to_value(&m).context("manifest")?;
    manifest["file"] = serde_json::json!(path.file_name().map(|f| f.to_string_lossy().to_string()));
    let mpath = manifest_path(path);
    std::fs::write(
        &mpath,
        serde_json::to_vec_pretty(&manifest).context("manifest")?,
    )
    .with_context(|| format!("writing {}", mpath.display()))?;
    Ok(m)
}

/// `FILE` → `FILE.manifest.json` (beside it, the whole name kept: `exp.csv.manifest.json`).
pub fn manifest_path(file: &std::path::Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".manifest.json");
    PathBuf::from(name)
}

pub(super) fn backup(cli: &Cli, file: &std::path::Path) -> Result<(), Fail> {
    let (pool, ctx) = open(cli)?;
    let mut c = conn(&pool)?;
    match &mut *c {
        DbConn::Postgresql(_) => Err(Fail(2, I18N.t(lang(&ctx), "cli-backup-postgres"))),
        DbConn::Sqlite(_) => {
            if file.exists() {
                return Err(Fail(
                    2,
                    I18N.t_args(
                        lang(&ctx),
                        "cli-backup-exists",
                        &[("path", file.display().to_string())],
                    ),
                ));
            }
            crate::jobs::sqlite_copy(&mut c, file)
                .map_err(|e| Fail(1, format!("backup: {e:#}")))?;
            say(
                &ctx,
                "cli-backup-written",
                &[("path", file.display().to_string())],
            );
            Ok(())
        }
    }
}
