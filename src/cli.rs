//! The command line of CONTRACT.md. Exit status: 0 success, 2 bad input (the message names
//! the line, field and reason), 1 anything else. Commands act with administrator rights and
//! what they change is written to the audit log as done from the command line.

use crate::clock::Clock;
use crate::config::Config;
use crate::db::{self, DbConn};
use crate::domain::error::FieldErrors;
use crate::i18n::I18N;
use crate::services::{self, accounts, Actor, Ctx, ServiceError};
use anyhow::Context;
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Parser, Debug)]
#[command(
    name = "aftercare",
    version,
    about = "After-sales follow-up CRM for car repair and service shops"
)]
pub struct Cli {
    /// sqlite://PATH (embedded, the default) or postgres://…
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        default_value = "sqlite://aftercare.db"
    )]
    pub database_url: String,
    /// Fixes the business date that every rule reads (tests, demos, replays).
    #[arg(long, global = true, env = "AFTERCARE_TODAY")]
    pub today: Option<NaiveDate>,
    /// TOML settings (time zone, cadence offsets, language, …).
    #[arg(long, global = true, env = "AFTERCARE_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Migrates the database if needed and starts the web app.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
        /// Loads the demo data into an empty database and prints the demo logins.
        #[arg(long)]
        demo: bool,
    },
    /// Applies pending migrations and exits.
    Migrate,
    /// Stores of the dealer group.
    Store {
        #[command(subcommand)]
        cmd: StoreCmd,
    },
    /// Users and roles.
    User {
        #[command(subcommand)]
        cmd: UserCmd,
    },
    /// API tokens.
    Token {
        #[command(subcommand)]
        cmd: TokenCmd,
    },
    /// Imports data exported from a dealer management system.
    Import {
        #[command(subcommand)]
        cmd: ImportCmd,
    },
    /// Writes a consistent copy of the database while the server may be running.
    Backup { file: PathBuf },
    /// Writes one register as CSV (UTF-8 with BOM) or an Excel workbook, default to standard
    /// output (CSV only).
    Export {
        /// archives, call-records, call-register or letter-register
        register: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        store: Option<String>,
        #[arg(long)]
        lang: Option<String>,
        #[arg(long)]
        output: Option<PathBuf>,
        /// utf-8 (with a BOM, the default) or gb18030 (for old Excel versions)
        #[arg(long)]
        encoding: Option<String>,
        /// csv (the default) or xlsx (an Excel workbook; needs --output)
        #[arg(long)]
        format: Option<String>,
        /// full (the default here: the command line has administrator rights) or masked
        #[arg(long)]
        phones: Option<String>,
    },
    /// Checks every register's numbering and hash chain, the audit log's chain, the
    /// anonymisations and the heads given out; names what is broken.
    Verify {
        /// Heads kept outside the database: an export manifest, a filed summary's heads, or
        /// the output of `aftercare heads`.
        #[arg(long)]
        heads: Option<PathBuf>,
    },
    /// Prints the current head of every chain as JSON, to keep outside the database.
    Heads,
    /// The supervisor's summaries (R10): the figures of a month or a year.
    Summary {
        #[command(subcommand)]
        cmd: SummaryCmd,
    },
    /// Scheduled jobs.
    Jobs {
        #[command(subcommand)]
        cmd: JobsCmd,
    },
    /// Demo and scale data.
    Demo {
        #[command(subcommand)]
        cmd: DemoCmd,
    },
}

#[derive(Subcommand, Debug)]
pub enum DemoCmd {
    /// Fills an empty database with a reproducible history of a dealer group (same seed and
    /// same --today, same data), in bulk.
    Generate {
        #[arg(long)]
        customers: u32,
        #[arg(long)]
        months: u32,
        #[arg(long, default_value_t = 1)]
        stores: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Customers per clerk: a store has one clerk per this many customers (at least two).
        #[arg(long, default_value_t = 2500)]
        customers_per_clerk: u32,
    },
}

#[derive(Subcommand, Debug)]
pub enum JobsCmd {
    /// Runs every scheduled job that is due now (running it twice changes nothing the second time).
    Run,
}

#[derive(Subcommand, Debug)]
pub enum SummaryCmd {
    /// A month's figures (YYYY-MM): the filed version when there is one, else the live draft.
    Monthly {
        period: String,
        /// json (CONTRACT.md's keys), html (the printed summary) or csv (the per-clerk table)
        #[arg(long, default_value = "json")]
        format: String,
        #[arg(long)]
        store: Option<String>,
    },
    /// A year's figures (YYYY), with its months.
    Yearly {
        period: String,
        #[arg(long, default_value = "json")]
        format: String,
        #[arg(long)]
        store: Option<String>,
    },
    /// Recomputes the counters the summaries keep from the rows (every month from --from on,
    /// or all); `verify` reports counters that disagree with the rows.
    Rebuild {
        /// The first month to recompute (YYYY-MM).
        #[arg(long)]
        from: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum StoreCmd {
    /// Adds a store.
    Add { code: String, name: String },
}

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Creates a user; the password is read from standard input.
    Add {
        name: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        store: Option<String>,
        /// The name shown on pages and in registers (default: the login name).
        #[arg(long)]
        display_name: Option<String>,
    },
    /// Disables a user: their sessions and tokens stop working at once.
    Disable { name: String },
}

#[derive(Subcommand, Debug)]
pub enum TokenCmd {
    /// Prints a new API token for that user.
    Create {
        name: String,
        #[arg(long, default_value = "cli")]
        label: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ImportCmd {
    /// Service visits and consultations (CSV in UTF-8 or GB18030, or an Excel workbook
    /// .xlsx/.xls; header row; see CONTRACT.md).
    Visits {
        file: PathBuf,
        /// utf-8 or gb18030 (CSV only; detected when not named)
        #[arg(long)]
        encoding: Option<String>,
        /// The sheet of a workbook to read (default: the first)
        #[arg(long)]
        sheet: Option<String>,
        /// Check the whole file and write nothing but the rejects file
        #[arg(long)]
        dry_run: bool,
        /// Every row through the form's path, one by one (slow; the bulk path's reference)
        #[arg(long, hide = true)]
        row_by_row: bool,
    },
}

/// A failure with its exit status.
struct Fail(i32, String);

impl From<anyhow::Error> for Fail {
    fn from(e: anyhow::Error) -> Self {
        Fail(1, format!("{e:#}"))
    }
}

pub fn main() -> i32 {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,actix_server=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => 0,
        Err(Fail(code, msg)) => {
            eprintln!("aftercare: {msg}");
            code
        }
    }
}

/// Opens the database, migrates it, and builds the context every service needs.
fn open(cli: &Cli) -> Result<(db::Pool, Ctx), Fail> {
    let config = Config::load(cli.config.as_deref())?;
    let pool = db::pool(&cli.database_url)?;
    let mut conn = pool
        .get()
        .with_context(|| format!("cannot connect to {}", db::redact(&cli.database_url)))?;
    let tz = services::setup::prepare(&mut conn, &config)?;
    let ctx = Ctx {
        clock: Clock::new(tz, cli.today),
        config: Arc::new(config),
    };
    Ok((pool, ctx))
}

fn lang(ctx: &Ctx) -> &str {
    &ctx.config.settings.language
}

/// A confirmation on standard output, in the configured language (issue 12).
fn say(ctx: &Ctx, key: &str, args: &[(&str, String)]) {
    println!("{}", I18N.t_args(lang(ctx), key, args));
}

/// A service error as the command line reports it.
fn fail(ctx: &Ctx, e: ServiceError) -> Fail {
    let l = lang(ctx);
    match e {
        ServiceError::Invalid(errs) => Fail(2, errors_text(l, &errs)),
        ServiceError::NotFound(what) => Fail(2, format!("{}: {what}", I18N.t(l, "err-not_found"))),
        ServiceError::Conflict(code) => Fail(2, I18N.t(l, &format!("err-{code}"))),
        ServiceError::Forbidden => Fail(1, I18N.t(l, "err-forbidden")),
        ServiceError::Db(e) => Fail(1, format!("database: {e}")),
        ServiceError::Other(e) => Fail(1, format!("{e:#}")),
    }
}

fn errors_text(lang: &str, errs: &FieldErrors) -> String {
    errs.0
        .iter()
        .map(|e| I18N.field_error(lang, e))
        .collect::<Vec<_>>()
        .join("; ")
}

fn run(cli: Cli) -> Result<(), Fail> {
    match &cli.command {
        Command::Serve { bind, demo } => serve(&cli, bind, *demo),
        Command::Migrate => {
            let (_, ctx) = open(&cli)?;
            say(
                &ctx,
                "cli-migrated",
                &[("url", db::redact(&cli.database_url))],
            );
            Ok(())
        }
        Command::Store {
            cmd: StoreCmd::Add { code, name },
        } => {
            let (pool, ctx) = open(&cli)?;
            let mut conn = conn(&pool)?;
            crate::services::stores::add(&mut conn, &ctx, &Actor::cli(), code, name, None)
                .map_err(|e| fail(&ctx, e))?;
            say(&ctx, "cli-store-added", &[("code", code.clone())]);
            Ok(())
        }
        Command::User {
            cmd:
                UserCmd::Add {
                    name,
                    role,
                    store,
                    display_name,
                },
        } => {
            let (pool, ctx) = open(&cli)?;
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .context("reading the password from standard input")?;
            let password = password.trim_end_matches(['\n', '\r']).to_string();
            let input = accounts::UserInput {
                username: name.clone(),
                display_name: display_name.clone().unwrap_or_default(),
                role: role.clone(),
                store: store.clone(),
                password,
            };
            let mut conn = conn(&pool)?;
            accounts::create_user(&mut conn, &ctx, &Actor::cli(), &input)
                .map_err(|e| fail(&ctx, e))?;
            let role_name = I18N.t(lang(&ctx), &format!("role-{role}"));
            say(
                &ctx,
                "cli-user-created",
                &[("name", name.clone()), ("role", role_name)],
            );
            Ok(())
        }
        Command::User {
            cmd: UserCmd::Disable { name },
        } => {
            let (pool, ctx) = open(&cli)?;
            accounts::disable_user(&mut *conn(&pool)?, &ctx, &Actor::cli(), name)
                .map_err(|e| fail(&ctx, e))?;
            say(&ctx, "cli-user-disabled", &[("name", name.clone())]);
            Ok(())
        }
        Command::Token {
            cmd: TokenCmd::Create { name, label },
        } => {
            let (pool, ctx) = open(&cli)?;
            let token =
                accounts::create_token(&mut *conn(&pool)?, &ctx, &Actor::cli(), name, label)
                    .map_err(|e| fail(&ctx, e))?;
            println!("{token}");
            Ok(())
        }
        Command::Import {
            cmd:
                ImportCmd::Visits {
                    file,
                    encoding,
                    sheet,
                    dry_run,
                    row_by_row,
                },
        } => import_visits(
            &cli,
            file,
            encoding.as_deref(),
            sheet.as_deref(),
            services::import::Options {
                dry_run: *dry_run,
                row_by_row: *row_by_row,
            },
        ),
        Command::Backup { file } => backup(&cli, file),
        Command::Export {
            register,
            from,
            to,
            store,
            lang,
            output,
            encoding,
            format,
            phones,
        } => export(
            &cli,
            ExportArgs {
                register,
                from,
                to,
                store: store.as_deref(),
                lang: lang.as_deref(),
                output: output.as_deref(),
                encoding: encoding.as_deref(),
                format: format.as_deref(),
                phones: phones.as_deref(),
            },
        ),
        Command::Verify { heads } => verify(&cli, heads.as_deref()),
        Command::Heads => heads(&cli),
        Command::Summary { cmd } => match cmd {
            SummaryCmd::Monthly {
                period,
                format,
                store,
            } => summary(
                &cli,
                crate::domain::summary::Kind::Monthly,
                period,
                format,
                store.as_deref(),
            ),
            SummaryCmd::Yearly {
                period,
                format,
                store,
            } => summary(
                &cli,
                crate::domain::summary::Kind::Yearly,
                period,
                format,
                store.as_deref(),
            ),
            SummaryCmd::Rebuild { from } => summary_rebuild(&cli, from.as_deref()),
        },
        Command::Demo {
            cmd:
                DemoCmd::Generate {
                    customers,
                    months,
                    stores,
                    seed,
                    customers_per_clerk,
                },
        } => {
            let (pool, ctx) = open(&cli)?;
            // The generator opens its own connections (SQLite: one, alone).
            drop(pool);
            let opts = crate::generate::Options {
                customers: *customers,
                months: *months,
                stores: *stores,
                seed: *seed,
                customers_per_clerk: *customers_per_clerk,
            };
            let summary = crate::generate::generate(&cli.database_url, &ctx, &opts)
                .map_err(|e| Fail(2, format!("{e:#}")))?;
            print_generated(&ctx, &summary);
            Ok(())
        }
        Command::Jobs { cmd: JobsCmd::Run } => {
            let (pool, ctx) = open(&cli)?;
            let done = crate::jobs::run_due(&pool, &ctx)?;
            if done.is_empty() {
                say(&ctx, "cli-no-job-due", &[]);
            }
            for (job, result) in done {
                println!("{job}: {}", I18N.done(lang(&ctx), &result));
            }
            Ok(())
        }
    }
}

fn conn(pool: &db::Pool) -> Result<db::PooledConn, Fail> {
    pool.get().map_err(|e| Fail(1, format!("database: {e}")))
}

fn serve(cli: &Cli, bind: &str, demo: bool) -> Result<(), Fail> {
    let (pool, ctx) = open(cli)?;
    if demo {
        let mut c = conn(&pool)?;
        let loaded = services::demo::load(&mut c, &ctx)?;
        say(
            &ctx,
            if loaded {
                "cli-demo-loaded"
            } else {
                "cli-demo-not-loaded"
            },
            &[],
        );
        say(&ctx, "cli-demo-logins", &[]);
        for (u, p, r) in services::demo::logins()? {
            println!("  {u:<10} {p:<22} {r}");
        }
    }
    if let Some(d) = ctx.clock.fixed() {
        say(&ctx, "cli-date-fixed", &[("date", d.to_string())]);
    }
    crate::jobs::spawn(pool.clone(), ctx.clone());
    db::spawn_checkpointer(&cli.database_url);
    let stopped = I18N.t(lang(&ctx), "cli-stopped");
    let rt = actix_web::rt::System::new();
    rt.block_on(async move {
        let app = crate::web::Application::build(pool, ctx, bind)?;
        println!("listening on http://{}", app.addr);
        // SIGTERM and SIGINT stop the server gracefully (actix-web): requests under way end,
        // then the pool's connections close.
        app.server.await.context("server")?;
        Ok::<(), anyhow::Error>(())
    })?;
    // At shutdown the WAL is copied back and cut to nothing: the database is one file again.
    if let Some(path) = db::sqlite_path(&cli.database_url) {
        db::checkpoint(&path, true, 5000).map_err(|e| Fail(1, format!("checkpoint: {e}")))?;
        println!("{stopped}");
    }
    Ok(())
}

fn import_visits(
    cli: &Cli,
    file: &PathBuf,
    encoding: Option<&str>,
    sheet: Option<&str>,
    opts: services::import::Options,
) -> Result<(), Fail> {
    use services::import::File;
    let bytes = std::fs::read(file).map_err(|e| Fail(2, format!("{}: {e}", file.display())))?;
    let (pool, ctx) = open(cli)?;
    let l = lang(&ctx).to_string();
    let named = encoding
        .map(|e| crate::domain::privacy::Encoding::parse(Some(e)))
        .transpose()
        .map_err(|e| {
            Fail(
                2,
                format!("{}: {}", file.display(), errors_text(&l, &e.into())),
            )
        })?;
    let workbook = file
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xls"));
    let source = if workbook {
        File::Workbook {
            bytes: &bytes,
            sheet,
        }
    } else {
        File::Csv {
            bytes: &bytes,
            encoding: named,
        }
    };
    let mut conn = conn(&pool)?;
    let report = match services::import::import(&mut conn, &ctx, &Actor::cli(), source, opts) {
        Ok(r) => r,
        Err(ServiceError::Invalid(errs)) => {
            return Err(Fail(
                2,
                format!("{}: {}", file.display(), errors_text(&l, &errs)),
            ))
        }
        Err(e) => return Err(fail(&ctx, e)),
    };
    if let Some(read) = report.read {
        println!(
            "{}",
            I18N.t_args(
                &l,
                if read.detected {
                    "import-read-detected"
                } else {
                    "import-read-named"
                },
                &[("encoding", read.encoding.charset().to_uppercase())]
            )
        );
    }
    if let Some(sheet) = &report.sheet {
        println!(
            "{}",
            I18N.t_args(&l, "import-read-sheet", &[("sheet", sheet.clone())])
        );
    }
    let rejects_path = rejects_path(file);
    if report.rejected.is_empty() {
        let _ = std::fs::remove_file(&rejects_path);
    } else {
        write_rejects(&rejects_path, &report, &l)?;
    }
    println!(
        "{}",
        I18N.t_args(
            &l,
            if report.dry_run {
                "import-dry-run-summary"
            } else {
                "import-summary"
            },
            &[
                ("imported", report.imported.to_string()),
                ("updated", report.updated.to_string()),
                ("rejected", report.rejected.len().to_string())
            ]
        )
    );
    if !report.dry_run {
        // A rerun of the same file (after fixing the rejects, or after an import cut short):
        // rows with an external_id update their visit, never duplicate it.
        println!("{}", I18N.t(&l, "import-rerun"));
    }
    if !report.rejected.is_empty() {
        println!(
            "{}",
            I18N.t_args(
                &l,
                "import-rejects-file",
                &[("path", rejects_path.display().to_string())]
            )
        );
        for r in report.rejected.iter().take(20) {
            eprintln!(
                "{}",
                I18N.t_args(
                    &l,
                    "cli-import-line",
                    &[
                        ("line", r.line.to_string()),
                        ("errors", errors_text(&l, &r.errors))
                    ]
                )
            );
        }
        return Err(Fail(
            2,
            I18N.t_args(
                &l,
                "import-some-rejected",
                &[("rejected", report.rejected.len().to_string())],
            ),
        ));
    }
    Ok(())
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
fn write_rejects(
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

fn backup(cli: &Cli, file: &std::path::Path) -> Result<(), Fail> {
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

/// `aftercare export`: into a temporary file beside the output, renamed when complete, so an
/// interrupted export never leaves a file that looks whole.
struct ExportArgs<'a> {
    register: &'a str,
    from: &'a str,
    to: &'a str,
    store: Option<&'a str>,
    lang: Option<&'a str>,
    output: Option<&'a std::path::Path>,
    encoding: Option<&'a str>,
    format: Option<&'a str>,
    phones: Option<&'a str>,
}

fn export(cli: &Cli, a: ExportArgs) -> Result<(), Fail> {
    use crate::domain::error::FieldErrors;
    use crate::domain::privacy::{Encoding, Phones};
    let (pool, ctx) = open(cli)?;
    let l = a.lang.unwrap_or(&ctx.config.settings.language).to_string();
    let ui = crate::i18n::supported(Some(&l)).unwrap_or(crate::i18n::DEFAULT_LANG);
    let bad = |e: FieldErrors| Fail(2, errors_text(ui, &e));
    let parsed =
        crate::registers::export::parse_query(a.register, Some(a.from), Some(a.to), a.lang);
    // Every problem of the command line at once.
    let mut errs = parsed.as_ref().err().cloned().unwrap_or_default();
    let encoding = errs.take(Encoding::parse(a.encoding));
    let phones = errs.take(Phones::parse(a.phones));
    let xlsx = match a.format.map(str::trim) {
        None | Some("csv") => false,
        Some("xlsx") => true,
        Some(other) => {
            errs.push(
                crate::domain::error::FieldError::new("format", "format-unknown")
                    .arg("value", other),
            );
            false
        }
    };
    if xlsx && a.output.is_none() {
        errs.push(crate::domain::error::FieldError::new(
            "output",
            "output-required-for-xlsx",
        ));
    }
    let (Ok((register, from, to, lang)), Some(encoding), Some(phones), true) =
        (parsed, encoding, phones, errs.is_empty())
    else {
        return Err(bad(errs));
    };
    let mut c = conn(&pool)?;
    let store_id = match a.store {
        Some(code) => Some(
            crate::models::store::by_code(&mut c, code)
                .map_err(|e| Fail(1, e.to_string()))?
                .ok_or_else(|| {
                    bad(
                        crate::domain::error::FieldError::new("store", "store-unknown")
                            .arg("value", code)
                            .into(),
                    )
                })?
                .id,
        ),
        None => None,
    };
    let mut q = crate::registers::export::Query {
        register,
        from,
        to,
        store_id,
        lang,
        phones: Phones::Full,
    };
    let actor = Actor::cli();
    let grant =
        crate::services::exports::authorise(&mut c, &ctx, &actor, &mut q, phones).map_err(|e| {
            match e {
                crate::services::ServiceError::Invalid(f) => bad(f),
                other => Fail(1, other.to_string()),
            }
        })?;
    let format = crate::registers::export::Format::Csv(encoding);
    let run = |c: &mut DbConn, out: &mut (dyn std::io::Write + Send)| {
        if xlsx {
            crate::services::exports::run_xlsx(c, &ctx, &actor, &q, grant, out)
        } else {
            crate::services::exports::run(c, &ctx, &actor, &q, format, grant, out)
        }
    };
    let manifest = match a.output {
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout());
            run(&mut c, &mut out)?
        }
        Some(path) => {
            // Written beside the target and renamed when complete: an export cut short (a
            // full disk, a signal) never leaves a file that looks whole.
            let tmp = path.with_extension("partial");
            let mut f = std::io::BufWriter::new(
                std::fs::File::create(&tmp)
                    .with_context(|| format!("creating {}", tmp.display()))?,
            );
            let m = run(&mut c, &mut f).inspect_err(|_| {
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
            manifest["file"] =
                serde_json::json!(path.file_name().map(|f| f.to_string_lossy().to_string()));
            let mpath = manifest_path(path);
            std::fs::write(
                &mpath,
                serde_json::to_vec_pretty(&manifest).context("manifest")?,
            )
            .with_context(|| format!("writing {}", mpath.display()))?;
            m
        }
    };
    eprintln!(
        "{}",
        I18N.t_args(
            ui,
            "export-done",
            &[
                ("lines", manifest.lines.to_string()),
                ("sha", manifest.sha256.clone())
            ]
        )
    );
    Ok(())
}

/// `FILE` → `FILE.manifest.json` (beside it, the whole name kept: `exp.csv.manifest.json`).
pub fn manifest_path(file: &std::path::Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".manifest.json");
    PathBuf::from(name)
}

/// `aftercare summary monthly|yearly PERIOD [--format json|html|csv] [--store CODE]`: the
/// filed version when there is one, else the live draft; exit 2 on a bad period, format or
/// store.
fn summary(
    cli: &Cli,
    kind: crate::domain::summary::Kind,
    period: &str,
    format: &str,
    store: Option<&str>,
) -> Result<(), Fail> {
    use crate::domain::error::FieldError;
    use crate::services::summaries as svc;
    let (pool, ctx) = open(cli)?;
    let l = lang(&ctx).to_string();
    let mut errs = FieldErrors::default();
    let p = errs.take(crate::domain::summary::Period::parse(
        kind,
        period,
        ctx.clock.today(),
    ));
    if !["json", "html", "csv"].contains(&format) {
        errs.push(FieldError::new("format", "summary-format-unknown").arg("value", format));
    }
    if !errs.is_empty() {
        return Err(Fail(2, errors_text(&l, &errs)));
    }
    let p = p.expect("checked");
    let mut c = conn(&pool)?;
    let store_id = svc::store_for(&mut c, &Actor::cli(), store).map_err(|e| fail(&ctx, e))?;
    let out = match format {
        "json" => {
            let contract = svc::contract(&mut c, &ctx, store_id, p).map_err(|e| fail(&ctx, e))?;
            serde_json::to_string_pretty(&contract).context("json")? + "\n"
        }
        _ => {
            let view = svc::view(&mut c, &ctx, store_id, p, None).map_err(|e| fail(&ctx, e))?;
            if format == "csv" {
                String::from_utf8(svc::clerks_csv(&view.snapshot, &l)?).context("csv")?
            } else {
                let templates = crate::web::render::Templates::load()?;
                crate::web::summaries::print_html(
                    &templates,
                    &l,
                    &view,
                    kind,
                    &ctx.clock,
                    "cli",
                    &ctx.clock.now_local().format("%Y-%m-%d %H:%M").to_string(),
                )?
            }
        }
    };
    print!("{out}");
    Ok(())
}

/// What `demo generate` wrote, where the time went, and the logins, in the configured
/// language; table names are the schema's own.
fn print_generated(ctx: &Ctx, summary: &crate::generate::Summary) {
    let l = lang(ctx);
    say(ctx, "cli-generate-rows", &[]);
    for (table, n) in &summary.rows {
        println!("  {table:<22} {n:>10}");
    }
    let secs = |s: f64| format!("{s:.1}");
    let p = &summary.phases;
    let tables = p
        .tables
        .iter()
        .map(|(t, s)| format!("{t} {}", secs(*s)))
        .collect::<Vec<_>>()
        .join(", ");
    say(
        ctx,
        "cli-generate-done",
        &[("seconds", secs(summary.seconds))],
    );
    say(
        ctx,
        "cli-generate-phases",
        &[
            ("simulate", secs(p.simulate)),
            ("write", secs(p.write)),
            ("tables", tables),
            ("indexes", secs(p.indexes)),
            ("counters", secs(p.counters)),
        ],
    );
    let logins = summary
        .logins
        .iter()
        .map(|(u, r)| format!("{u} ({})", I18N.t(l, &format!("role-{r}"))))
        .collect::<Vec<_>>()
        .join(", ");
    say(
        ctx,
        "cli-generate-logins",
        &[
            ("password", crate::generate::PASSWORD.to_string()),
            ("logins", logins),
        ],
    );
}

/// `aftercare summary rebuild [--from YYYY-MM]`: the summaries' counters recomputed from the
/// rows; exit 2 on a bad month.
fn summary_rebuild(cli: &Cli, from: Option<&str>) -> Result<(), Fail> {
    use crate::domain::summary::{Kind, Period};
    let (pool, ctx) = open(cli)?;
    let l = lang(&ctx).to_string();
    let from = match from {
        None => None,
        Some(f) => {
            let mut errs = FieldErrors::default();
            let p = errs.take(Period::parse(Kind::Monthly, f, ctx.clock.today()));
            if !errs.is_empty() {
                return Err(Fail(2, errors_text(&l, &errs)));
            }
            p
        }
    };
    let mut c = conn(&pool)?;
    let n = crate::services::summaries::rebuild(&mut c, &ctx, &Actor::cli(), from)
        .map_err(|e| fail(&ctx, e))?;
    println!(
        "{}",
        I18N.t_args(&l, "summary-rebuilt", &[("count", n.to_string())])
    );
    Ok(())
}

/// `aftercare verify [--heads FILE]`: exit 1 and every finding, each naming what was touched.
fn verify(cli: &Cli, heads: Option<&std::path::Path>) -> Result<(), Fail> {
    let (pool, ctx) = open(cli)?;
    let l = lang(&ctx).to_string();
    // The file is read first: a file that is not heads is bad input (exit 2), checked nothing.
    let given = match heads {
        None => vec![],
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Fail(2, format!("{}: {e}", path.display())))?;
            let v: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| Fail(2, format!("{}: {e}", path.display())))?;
            crate::registers::heads::parse(&v)
                .map_err(|e| Fail(2, format!("{}: {e}", path.display())))?
        }
    };
    let mut c = conn(&pool)?;
    let run = |c: &mut db::DbConn| -> diesel::QueryResult<_> {
        let mut broken = crate::registers::verify::verify(c)?;
        broken.extend(crate::registers::heads::check(c, &given)?);
        // R10: the summaries' counters against the rows they count.
        for (table, d) in crate::models::summary::disagreements(c, 100)? {
            broken.push(crate::registers::chain::Broken::new(
                table,
                format!("{}: rows {}, counter {}", d.key, d.from_rows, d.kept),
                "summary-counter-mismatch",
            ));
        }
        Ok(broken)
    };
    let broken = run(&mut c).map_err(|e| Fail(1, format!("verify: {e}")))?;
    if broken.is_empty() {
        println!("{}", I18N.t(&l, "verify-ok"));
        if heads.is_some() {
            println!(
                "{}",
                I18N.t_args(&l, "verify-heads-ok", &[("count", given.len().to_string())])
            );
        }
        return Ok(());
    }
    for b in &broken {
        println!(
            "{}",
            I18N.t_args(
                &l,
                "verify-broken",
                &[
                    ("register", b.register.to_string()),
                    ("line", b.number.clone()),
                    ("reason", I18N.t(&l, &format!("verify-{}", b.reason)))
                ]
            )
        );
    }
    Err(Fail(
        1,
        I18N.t_args(&l, "verify-failed", &[("count", broken.len().to_string())]),
    ))
}

/// `aftercare heads`: every chain's head now, as JSON (CONTRACT.md).
fn heads(cli: &Cli) -> Result<(), Fail> {
    let (pool, ctx) = open(cli)?;
    let mut c = conn(&pool)?;
    let heads =
        crate::registers::heads::current(&mut c).map_err(|e| Fail(1, format!("heads: {e}")))?;
    let out = serde_json::json!({
        "taken_at": ctx.clock.now_local().format("%Y-%m-%dT%H:%M:%S").to_string(),
        "heads": heads,
    });
    println!("{}", serde_json::to_string_pretty(&out).context("json")?);
    Ok(())
}
