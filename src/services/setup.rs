//! Preparing a database: migrations, the first store (`main`), and the time zone, which is
//! fixed in the database when it is created (RULES.md: changing it later is a deliberate
//! command, not a config edit).

use crate::config::Config;
use crate::db::{migrate, DbConn};
use crate::models::{store, trunc};
use anyhow::Context;

pub const TIMEZONE_KEY: &str = "timezone";

/// Migrates, creates the `main` store in an empty database, and returns the database's time
/// zone (storing the configured one if the database has none yet).
pub fn prepare(conn: &mut DbConn, config: &Config) -> anyhow::Result<chrono_tz::Tz> {
    migrate::run_pending(conn).map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
    // The audit rows written before the audit log was a chain are chained once, here.
    crate::models::audit::seal_backlog(conn)?;
    let tz = match store::meta_get(conn, TIMEZONE_KEY)? {
        Some(tz) => tz
            .parse::<chrono_tz::Tz>()
            .map_err(|e| anyhow::anyhow!("the database's time zone {tz:?}: {e}"))?,
        None => {
            store::meta_set(conn, TIMEZONE_KEY, &config.settings.timezone)?;
            config.tz()
        }
    };
    if tz.name() != config.settings.timezone {
        tracing::warn!(
            "the configuration names time zone {} but this database was created with {}; the database's zone is used",
            config.settings.timezone,
            tz.name()
        );
    }
    if store::all(conn)?.is_empty() {
        // The first store's name is what letters are signed with until an admin renames it.
        let name = crate::i18n::I18N.t(&config.settings.language, "store-default-name");
        store::insert(conn, "main", &name, trunc(chrono::Utc::now().naive_utc()))
            .context("creating the first store")?;
    }
    Ok(tz)
}
