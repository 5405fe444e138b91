//! The command line of CONTRACT.md. Exit status: 0 success, 2 bad input (the message names
//! the line, field and reason), 1 anything else. Commands act with administrator rights and
//! what they change is written to the audit log as done from the command line.

mod admin;
mod demo;
mod export;
mod import;
mod registers;
mod serve;
mod summary;

pub use self::export::manifest_path;
use self::export::{backup, export, ExportArgs};
use self::import::import_visits;
pub use self::import::rejects_path;
use self::registers::{heads, verify};
use self::serve::serve;
use self::summary::{summary, summary_rebuild};
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

/// A file the command cannot read, named with the reason in the configured language.
fn file_error(lang: &str, path: &std::path::Path, e: &std::io::Error) -> String {
    let reason = match e.kind() {
        std::io::ErrorKind::NotFound => "cli-file-not-found",
        std::io::ErrorKind::PermissionDenied => "cli-file-permission",
        _ => "cli-file-unreadable",
    };
    format!("{}: {}", path.display(), I18N.t(lang, reason))
}

fn errors_text(lang: &str, errs: &FieldErrors) -> String {
    errs.0
        .iter()
        .map(|e| I18N.field_error(lang, e))
        .collect::<Vec<_>>()
        .join("; ")
}

/// One command: each is a function of the module named for what it does; a family of
/// subcommands goes through its own dispatch below.
fn run(cli: Cli) -> Result<(), Fail> {
    match &cli.command {
        Command::Serve { bind, demo } => serve(&cli, bind, *demo),
        Command::Migrate => admin::migrate(&cli),
        Command::Store { cmd } => store_cmd(&cli, cmd),
        Command::User { cmd } => user_cmd(&cli, cmd),
        Command::Token { cmd } => token_cmd(&cli, cmd),
        Command::Import { cmd } => import_cmd(&cli, cmd),
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
        Command::Summary { cmd } => summary_cmd(&cli, cmd),
        Command::Demo { cmd } => demo_cmd(&cli, cmd),
        Command::Jobs { cmd: JobsCmd::Run } => admin::jobs_run(&cli),
    }
}

fn store_cmd(cli: &Cli, cmd: &StoreCmd) -> Result<(), Fail> {
    match cmd {
        StoreCmd::Add { code, name } => admin::store_add(cli, code, name),
    }
}

fn user_cmd(cli: &Cli, cmd: &UserCmd) -> Result<(), Fail> {
    match cmd {
        UserCmd::Add {
            name,
            role,
            store,
            display_name,
        } => admin::user_add(cli, name, role, store, display_name),
        UserCmd::Disable { name } => admin::user_disable(cli, name),
    }
}

fn token_cmd(cli: &Cli, cmd: &TokenCmd) -> Result<(), Fail> {
    match cmd {
        TokenCmd::Create { name, label } => admin::token_create(cli, name, label),
    }
}

fn import_cmd(cli: &Cli, cmd: &ImportCmd) -> Result<(), Fail> {
    match cmd {
        ImportCmd::Visits {
            file,
            encoding,
            sheet,
            dry_run,
            row_by_row,
        } => import_visits(
            cli,
            file,
            encoding.as_deref(),
            sheet.as_deref(),
            services::import::Options {
                dry_run: *dry_run,
                row_by_row: *row_by_row,
            },
        ),
    }
}

fn demo_cmd(cli: &Cli, cmd: &DemoCmd) -> Result<(), Fail> {
    match cmd {
        DemoCmd::Generate {
            customers,
            months,
            stores,
            seed,
            customers_per_clerk,
        } => demo::generate(
            cli,
            crate::generate::Options {
                customers: *customers,
                months: *months,
                stores: *stores,
                seed: *seed,
                customers_per_clerk: *customers_per_clerk,
            },
        ),
    }
}

fn summary_cmd(cli: &Cli, cmd: &SummaryCmd) -> Result<(), Fail> {
    use crate::domain::summary::Kind;
    match cmd {
        SummaryCmd::Monthly {
            period,
            format,
            store,
        } => summary(cli, Kind::Monthly, period, format, store.as_deref()),
        SummaryCmd::Yearly {
            period,
            format,
            store,
        } => summary(cli, Kind::Yearly, period, format, store.as_deref()),
        SummaryCmd::Rebuild { from } => summary_rebuild(cli, from.as_deref()),
    }
}

fn conn(pool: &db::Pool) -> Result<db::PooledConn, Fail> {
    pool.get().map_err(|e| Fail(1, format!("database: {e}")))
}
