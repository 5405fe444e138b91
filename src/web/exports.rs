//! Streaming a register export to the browser or an API client: the export runs on a blocking
//! thread with its own database connection and hands 64 KiB chunks through a bounded channel,
//! so memory stays flat however long the range and a slow client slows the export instead of
//! filling memory. A client that goes away stops it (recorded as interrupted); a failure
//! half-way aborts the response, so the client never sees a cut-off file as complete.

use super::error::{AppError, AppResult};
use super::AppState;
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::privacy::{Encoding, Phones};
use crate::registers::export::{parse_query, Format, Query};
use crate::services::{exports, Actor};
use actix_web::HttpResponse;
use bytes::Bytes;
use std::io::Write;
use tokio::sync::mpsc;

/// The parameters of every export surface (`?from=&to=&lang=&format=&encoding=&phones=&store=`).
#[derive(Debug, serde::Deserialize, Default)]
pub struct ExportParams {
    pub from: Option<String>,
    pub to: Option<String>,
    pub lang: Option<String>,
    pub format: Option<String>,
    pub encoding: Option<String>,
    pub phones: Option<String>,
    pub store: Option<String>,
}

const CHUNK: usize = 64 * 1024;

/// The media type of an Excel workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CHANNEL: usize = 8;

struct ChannelWriter(mpsc::Sender<Result<Bytes, std::io::Error>>);

impl Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .blocking_send(Ok(Bytes::copy_from_slice(buf)))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client gone"))?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Checks the parameters and the actor's rights, then streams the register.
pub async fn respond(
    state: &AppState,
    actor: Actor,
    register: &str,
    p: &ExportParams,
    default_lang: &'static str,
) -> AppResult<HttpResponse> {
    let parsed = parse_query(
        register,
        p.from.as_deref(),
        p.to.as_deref(),
        Some(p.lang.as_deref().unwrap_or(default_lang)),
    );
    // Every problem of the request at once.
    let mut errs: FieldErrors = parsed.as_ref().err().cloned().unwrap_or_default();
    let format = match p.format.as_deref().map(str::trim) {
        None | Some("") | Some("csv") => errs
            .take(Encoding::parse(p.encoding.as_deref()))
            .map(Format::Csv),
        Some("json") => Some(Format::Json),
        Some("xlsx") => Some(Format::Xlsx),
        Some(other) => {
            errs.push(FieldError::new("format", "format-unknown").arg("value", other));
            None
        }
    };
    let phones = errs.take(Phones::parse(p.phones.as_deref()));
    let (Ok((reg, from, to, lang)), Some(format), Some(phones), true) =
        (parsed, format, phones, errs.is_empty())
    else {
        return Err(AppError::Invalid(errs));
    };
    let store_code = p.store.clone();
    let who = actor.clone();
    let (q, grant) = state
        .db(move |conn, ctx| {
            let store_id = match store_code
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                Some(code) => Some(crate::services::stores::by_code(conn, "store", code)?.id),
                None => who.store_id,
            };
            let mut q = Query {
                register: reg,
                from,
                to,
                store_id,
                lang,
                phones: Phones::Masked,
            };
            let grant = exports::authorise(conn, ctx, &who, &mut q, phones)?;
            Ok((q, grant))
        })
        .await?;
    let stream = stream_blocking(state, move |conn, ctx, out| {
        match format {
            Format::Xlsx => exports::run_xlsx(conn, ctx, &actor, &q, grant, out),
            _ => exports::run(conn, ctx, &actor, &q, format, grant, out),
        }
        .inspect_err(|e| tracing::warn!("export of {} stopped: {e:#}", q.register.key()))?;
        Ok(())
    });
    let (ctype, ext) = match format {
        Format::Csv(e) => (format!("text/csv; charset={}", e.charset()), "csv"),
        Format::Json => ("application/json".to_string(), "json"),
        Format::Xlsx => (XLSX.to_string(), "xlsx"),
    };
    let mut resp = HttpResponse::Ok();
    resp.content_type(ctype);
    if ext != "json" {
        resp.insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{}-{from}-{to}.{ext}\"", reg.key()),
        ));
    }
    Ok(resp.streaming(stream))
}

/// Runs `write` on a blocking thread with its own connection and streams what it writes. An
/// error after the first byte ends the stream with an error, which aborts the response.
pub fn stream_blocking<F>(
    state: &AppState,
    write: F,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>>
where
    F: FnOnce(
            &mut crate::db::DbConn,
            &crate::services::Ctx,
            &mut (dyn Write + Send),
        ) -> anyhow::Result<()>
        + Send
        + 'static,
{
    let (tx, mut rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(CHANNEL);
    let pool = state.pool.clone();
    let ctx = state.ctx.clone();
    actix_web::rt::task::spawn_blocking(move || {
        let fail = tx.clone();
        let result = pool
            .get()
            .map_err(anyhow::Error::from)
            .and_then(|mut conn| {
                let mut out = std::io::BufWriter::with_capacity(CHUNK, ChannelWriter(tx));
                write(&mut conn, &ctx, &mut out)?;
                out.flush()?;
                Ok(())
            });
        if let Err(e) = result {
            let _ = fail.blocking_send(Err(std::io::Error::other(e.to_string())));
        }
    });
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
}
