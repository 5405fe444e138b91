//! Embedded migrations, one set per backend with the same folder names. They run from
//! `aftercare migrate` and at the start of `serve`, never by surprise elsewhere.
//! (`embed_migrations!` does not notice a new migration file by itself: touch this file.)

use super::DbConn;
use diesel::migration::MigrationVersion;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Applies every pending migration; returns the versions applied. (`services::setup::prepare`
/// then chains the audit rows written before the audit log was a chain.)
pub fn run_pending(conn: &mut DbConn) -> Res<Vec<String>> {
    let applied: Vec<String> = {
        let applied: Vec<MigrationVersion> = match conn {
            DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE)?,
            DbConn::Postgresql(c) => c.run_pending_migrations(POSTGRES)?,
        };
        applied.into_iter().map(|v| v.to_string()).collect()
    };
    Ok(applied)
}

/// Reverts every migration (for the up → down → up check).
pub fn revert_all(conn: &mut DbConn) -> Res<usize> {
    let reverted = match conn {
        DbConn::Sqlite(c) => c.revert_all_migrations(SQLITE)?,
        DbConn::Postgresql(c) => c.revert_all_migrations(POSTGRES)?,
    };
    Ok(reverted.len())
}
