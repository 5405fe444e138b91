//! X7: lost customers won back. The nightly job opens one `win_back` task (window L … L+14)
//! for the clerk of each customer lost on L — whose latest visit's A10 is more than
//! `cadence.lost_after_days` past — at most one a customer per `lost_after_days`, so running
//! it twice opens nothing the second time. A reached call on the task records why the
//! customer stopped coming (`services::calls`); the customer's next visit closes it
//! (`services::visits`), and counts as won back in the summaries.

use super::{Ctx, SResult};
use crate::db::{write_tx, DbConn};
use crate::domain::task::TaskKind;
use crate::models::task::{self, NewTask};
use crate::models::{satisfaction, trunc};

/// Opens the win-back tasks due today; returns how many it opened.
pub fn open_tasks(conn: &mut DbConn, ctx: &Ctx) -> SResult<usize> {
    let cadence = ctx.cadence();
    let today = ctx.clock.today();
    let before = cadence.lost_since(today);
    let now = trunc(ctx.clock.now_utc());
    write_tx(conn, |conn| {
        // At most one per customer per lost_after_days: none if one started after `before`.
        let lost = satisfaction::lost_to_win_back(conn, today, before, before)?;
        for l in &lost {
            task::insert(
                conn,
                &NewTask {
                    store_id: l.store_id,
                    kind: TaskKind::WinBack,
                    customer_id: l.customer_id,
                    visit_id: Some(l.visit_id),
                    clerk_id: l.clerk_id.expect("only customers with a clerk"),
                    window: cadence.win_back(today),
                    planned_contact_id: None,
                    item_id: None,
                    event_id: None,
                },
                now,
            )?;
        }
        Ok(lost.len())
    })
}
