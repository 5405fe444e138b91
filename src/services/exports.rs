//! R11: exporting a register as a use case — who may export what (store, date range, whole
//! phone numbers), the export itself, and its record: a manifest (lines, first and last
//! number, the file's SHA-256, each chain's head — recorded, so `verify` can later tell a
//! rewritten chain) that goes into the audit log, on screen and beside `--output`. The command
//! line, the register pages and the API all export through here.

use super::{audit, Actor, Ctx, SResult, ServiceError};
use crate::db::{write_tx, DbConn};
use crate::domain::error::FieldError;
use crate::domain::privacy::{check_range, Encoding, Phones};
use crate::domain::role::Role;
use crate::models::{privacy, store, trunc};
use crate::registers::export::{self, Format, Query};
use chrono::Datelike;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::Write;

/// Whether `actor` may export `q` (store, range) and how phones go out. Fills in `q.phones`
/// and gives back the grant that allows whole numbers, if one was needed. Runs before a byte
/// is written, so a refusal is a clean error, never a cut-off file.
pub fn authorise(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    q: &mut Query,
    requested: Option<Phones>,
) -> SResult<Option<i32>> {
    if actor.store_id.is_some() && q.store_id != actor.store_id {
        return Err(ServiceError::Forbidden);
    }
    let cli = actor.user_id.is_none();
    if !cli {
        check_range(
            actor.role,
            q.from,
            q.to,
            ctx.config.settings.privacy.export_max_days,
        )?;
    }
    let sees_all = cli || actor.role == Role::Supervisor;
    let (phones, grant) = match requested {
        Some(Phones::Full) if !sees_all => {
            let grant = actor
                .user_id
                .map(|me| privacy::active_grant(conn, me, ctx.clock.today()))
                .transpose()?
                .flatten();
            match grant {
                Some(g) => (Phones::Full, Some(g)),
                None => return Err(FieldError::new("phones", "phones-full-needs-grant").into()),
            }
        }
        Some(p) => (p, None),
        None if sees_all => (Phones::Full, None),
        None => (Phones::Masked, None),
    };
    q.phones = phones;
    Ok(grant)
}

#[derive(Debug, Clone, Serialize)]
pub struct Head {
    pub store: String,
    pub year: i32,
    pub lines_in_chain: i32,
    pub head: String,
}

/// What an export holds, to check a file against later.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub register: String,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub store: Option<String>,
    pub lang: String,
    pub format: String,
    pub encoding: String,
    pub phones: String,
    pub lines: usize,
    pub first_number: Option<String>,
    pub last_number: Option<String>,
    pub bytes: u64,
    pub sha256: String,
    /// xlsx: the SHA-256 of the data as the UTF-8 CSV export would write it (the workbook's
    /// manifest sheet cannot hold the hash of the file it is in).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_sha256: Option<String>,
    pub chain_heads: Vec<Head>,
    pub exported_by: String,
    pub exported_at: chrono::NaiveDateTime,
}

/// Counts and hashes the bytes on their way out.
struct Tally<W: Write> {
    out: W,
    sha: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Tally<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.sha.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Records an export cut short in the audit log, as far as it still can be (issue 12:
/// structured, shown translated): its range and why — the client gone (a broken pipe) or
/// another write error, whose text is kept as the library said it.
fn record_interrupted(conn: &mut DbConn, ctx: &Ctx, actor: &Actor, q: &Query, e: &anyhow::Error) {
    let gone = e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    });
    let detail = audit::detail(&[
        ("from", q.from.to_string().into()),
        ("to", q.to.to_string().into()),
        (
            "reason",
            if gone { "client_gone" } else { "write_failed" }.into(),
        ),
        ("error", e.to_string().into()),
    ]);
    let _ = audit::record(
        conn,
        ctx,
        actor,
        "register.export",
        q.register.key(),
        &detail,
        "interrupted",
    );
}

/// Writes the export (after `authorise`) and records it. An export that fails half-way (the
/// client gone, the disk full) is logged as interrupted and returns the error.
pub fn run(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    q: &Query,
    format: Format,
    grant: Option<i32>,
    out: &mut dyn Write,
) -> anyhow::Result<Manifest> {
    let mut tally = Tally {
        out,
        sha: Sha256::new(),
        bytes: 0,
    };
    let written = match export::write(conn, q, format, ctx.clock.tz(), &mut tally) {
        Ok(w) => w,
        Err(e) => {
            record_interrupted(conn, ctx, actor, q, &e);
            return Err(e);
        }
    };
    let (bytes, sha) = (tally.bytes, hex::encode(tally.sha.finalize()));
    let now = trunc(ctx.clock.now_utc());
    write_tx(conn, |conn| {
        let manifest = manifest(conn, actor, q, format, &written, now)?;
        let manifest = Manifest {
            bytes,
            sha256: sha,
            ..manifest
        };
        record(conn, ctx, actor, q, grant, &manifest)?;
        Ok::<_, anyhow::Error>(manifest)
    })
}

/// The manifest of what was written, the chain heads recorded (inside the caller's
/// transaction); `bytes` and `sha256` still to fill in.
fn manifest(
    conn: &mut DbConn,
    actor: &Actor,
    q: &Query,
    format: Format,
    written: &export::Written,
    now: chrono::NaiveDateTime,
) -> anyhow::Result<Manifest> {
    let stores: Vec<(i32, String)> = store::all(conn)?
        .into_iter()
        .filter(|s| q.store_id.is_none_or(|id| id == s.id))
        .map(|s| (s.id, s.code))
        .collect();
    let mut heads = Vec::new();
    for (id, code) in &stores {
        for year in q.from.year()..=q.to.year() {
            if let Some((count, head)) = crate::models::register_chain::record_head(
                conn, *id, q.register, year, "export", now,
            )? {
                heads.push(Head {
                    store: code.clone(),
                    year,
                    lines_in_chain: count,
                    head,
                });
            }
        }
    }
    let (format_key, encoding) = match format {
        Format::Csv(e) => ("csv", e),
        Format::Json => ("json", Encoding::Utf8),
        Format::Xlsx => ("xlsx", Encoding::Utf8),
    };
    Ok(Manifest {
        register: q.register.key().into(),
        from: q.from,
        to: q.to,
        store: q
            .store_id
            .and_then(|id| stores.iter().find(|s| s.0 == id).map(|s| s.1.clone())),
        lang: q.lang.into(),
        format: format_key.into(),
        encoding: encoding.key().into(),
        phones: q.phones.key().into(),
        lines: written.lines,
        first_number: written.first.clone(),
        last_number: written.last.clone(),
        bytes: 0,
        sha256: String::new(),
        data_sha256: None,
        chain_heads: heads,
        exported_by: actor.name.clone(),
        exported_at: now,
    })
}

/// The export's line in the audit log, with its manifest.
fn record(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    q: &Query,
    grant: Option<i32>,
    manifest: &Manifest,
) -> anyhow::Result<()> {
    let mut detail = serde_json::to_value(manifest).map_err(anyhow::Error::from)?;
    if let Some(g) = grant {
        detail["grant"] = serde_json::json!(g);
    }
    audit::record(
        conn,
        ctx,
        actor,
        "register.export",
        q.register.key(),
        &detail.to_string(),
        "ok",
    )?;
    Ok(())
}

/// Like `run`, as an Excel workbook: the data sheet, then (the chain heads recorded) the
/// manifest sheet — range, lines, first and last number, the data's SHA-256 (that of the
/// UTF-8 CSV of the same lines), chain heads — then the file, whose own SHA-256 goes into the
/// manifest kept in the audit log and beside `--output`.
pub fn run_xlsx(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    q: &Query,
    grant: Option<i32>,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<Manifest> {
    let (written, draft) = match export::write_xlsx(conn, q, ctx.clock.tz()) {
        Ok(w) => w,
        Err(e) => {
            record_interrupted(conn, ctx, actor, q, &e);
            return Err(e);
        }
    };
    let now = trunc(ctx.clock.now_utc());
    let mut m = write_tx(conn, |conn| {
        manifest(conn, actor, q, Format::Xlsx, &written, now)
    })?;
    m.data_sha256 = Some(draft.data_sha256.clone());
    let sheet = crate::i18n::I18N.t(q.lang, "manifest-sheet");
    let pairs = manifest_pairs(q.lang, &m, &draft.data_sha256);
    let (head_cols, head_rows) = chain_heads_table(q.lang, &m);
    let mut tally = Tally {
        out,
        sha: Sha256::new(),
        bytes: 0,
    };
    if let Err(e) = draft
        .book
        .finish(&sheet, &pairs, Some((&head_cols, &head_rows)), &mut tally)
    {
        record_interrupted(conn, ctx, actor, q, &e);
        return Err(e);
    }
    m.bytes = tally.bytes;
    m.sha256 = hex::encode(tally.sha.finalize());
    write_tx(conn, |conn| record(conn, ctx, actor, q, grant, &m))?;
    Ok(m)
}

/// The manifest sheet's label–value pairs, in the reader's language: what was exported, its
/// numbers, the data's digest, how phones were shown, and by whom and when.
fn manifest_pairs(l: &str, m: &Manifest, data_sha256: &str) -> Vec<(String, String)> {
    let t = |k: &str| crate::i18n::I18N.t(l, &format!("manifest-{k}"));
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        (
            t("register"),
            crate::i18n::I18N.t(l, &format!("register-title-{}", m.register)),
        ),
        (t("from"), m.from.to_string()),
        (t("to"), m.to.to_string()),
        (t("store"), opt(&m.store)),
        (t("lines"), m.lines.to_string()),
        (t("first-number"), opt(&m.first_number)),
        (t("last-number"), opt(&m.last_number)),
        (t("data-sha256"), data_sha256.to_string()),
        (
            t("phones"),
            crate::i18n::I18N.t(l, &format!("manifest-phones-{}", m.phones)),
        ),
        (t("exported-by"), m.exported_by.clone()),
        (
            t("exported-at"),
            m.exported_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        ),
    ]
}

/// R11: the chains' heads at the export (store, year, lines, head hash), with their column
/// names, so the file can be checked against the registers later.
fn chain_heads_table(l: &str, m: &Manifest) -> (Vec<String>, Vec<Vec<String>>) {
    let head_cols: Vec<String> = ["head-store", "head-year", "head-lines", "head-hash"]
        .iter()
        .map(|k| crate::i18n::I18N.t(l, &format!("manifest-{k}")))
        .collect();
    let head_rows: Vec<Vec<String>> = m
        .chain_heads
        .iter()
        .map(|h| {
            vec![
                h.store.clone(),
                h.year.to_string(),
                h.lines_in_chain.to_string(),
                h.head.clone(),
            ]
        })
        .collect();
    (head_cols, head_rows)
}

/// The exports recorded in the audit log, newest first, with their manifests (for the
/// register pages: "shown on screen").
pub fn recent(
    conn: &mut DbConn,
    store_id: Option<i32>,
    limit: i64,
) -> SResult<Vec<(crate::models::audit::AuditRow, Option<serde_json::Value>)>> {
    let rows = crate::models::audit::of_action(conn, "register.export", store_id, limit)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let m = serde_json::from_str(&r.detail).ok();
            (r, m)
        })
        .collect())
}
