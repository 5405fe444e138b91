//! `aftercare verify`: the whole database checked at once — every register's numbering and
//! chain (`chain`), the audit log's chain and the anonymisations proven in it, and the heads
//! given out (`heads`). Its own module so that `chain` and `heads` need not know each other.

use super::chain::{self, Broken};
use super::heads;
use crate::db::DbConn;
use crate::domain::register::Register;
use diesel::QueryResult;

/// Walks every register, a batch of lines at a time: the numbering of each store and year
/// (every gap, duplicate and number out of order, and the counter against the last line) and
/// the hash chain (its first broken line); then the audit log's chain, the anonymisations,
/// and the heads given out (recorded in `chain_heads` and in the export manifests of the audit
/// log).
pub fn verify(conn: &mut DbConn) -> QueryResult<Vec<Broken>> {
    let mut broken = Vec::new();
    let proven = chain::proven_anonymisations(conn)?;
    let who: Vec<i32> = proven.iter().copied().collect();
    for register in Register::ALL {
        broken.extend(chain::verify_register(conn, register, &who)?);
    }
    for f in crate::models::audit::verify_chain(conn, chain::MAX_FINDINGS)? {
        broken.push(Broken::new("audit-log", f.at, f.reason));
    }
    broken.extend(chain::verify_anonymisations(conn, &proven)?);
    let given = heads::recorded_in_audit_log(conn)?;
    broken.extend(heads::check(conn, &given)?);
    Ok(broken)
}
