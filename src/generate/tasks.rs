//! A task row as the simulation carries it: opened, done or closed, then written.

use super::sql::table;
use super::Gen;
use crate::domain::cadence::Window;
use crate::domain::call::Outcome;
use crate::domain::task::{CloseReason, TaskKind, TaskStatus};
use crate::gen_row;
use chrono::{NaiveDate, NaiveDateTime};

#[derive(Clone)]
pub(super) struct TaskRow {
    pub(super) id: i32,
    pub(super) store_id: i32,
    pub(super) kind: TaskKind,
    pub(super) customer_id: i32,
    pub(super) visit_id: Option<i32>,
    pub(super) clerk_id: i32,
    pub(super) window: Window,
    pub(super) status: TaskStatus,
    pub(super) close_reason: Option<CloseReason>,
    pub(super) done_at: Option<NaiveDateTime>,
    pub(super) done_on: Option<NaiveDate>,
    pub(super) done_by: Option<i32>,
    pub(super) attempts: i32,
    pub(super) callback_at: Option<NaiveDateTime>,
    pub(super) callback_on: Option<NaiveDate>,
    pub(super) planned_contact_id: Option<i32>,
    pub(super) created_at: NaiveDateTime,
    pub(super) updated_at: NaiveDateTime,
    pub(super) last_attempt_at: Option<NaiveDateTime>,
    pub(super) last_outcome: Option<Outcome>,
    pub(super) item_id: Option<i32>,
    pub(super) event_id: Option<i32>,
    pub(super) note: Option<String>,
}

impl Gen<'_> {
    /// An open task of customer `c` for their clerk, created at `created` (local time).
    pub(super) fn new_task(
        &mut self,
        c: usize,
        kind: TaskKind,
        visit_id: Option<i32>,
        window: Window,
        created: NaiveDateTime,
    ) -> TaskRow {
        self.ids.task += 1;
        let cu = &self.custs[c];
        let created = self.utc(created);
        TaskRow {
            id: self.ids.task,
            store_id: self.stores[cu.store].id,
            kind,
            customer_id: cu.id,
            visit_id,
            clerk_id: cu.clerk,
            window,
            status: TaskStatus::Open,
            close_reason: None,
            done_at: None,
            done_on: None,
            done_by: None,
            attempts: 0,
            callback_at: None,
            callback_on: None,
            planned_contact_id: None,
            created_at: created,
            updated_at: created,
            last_attempt_at: None,
            last_outcome: None,
            item_id: None,
            event_id: None,
            note: None,
        }
    }

    /// The task row as it stands, to be written.
    pub(super) fn emit_task(&mut self, t: &TaskRow) {
        let row = gen_row![
            t.id,
            t.store_id,
            &t.kind,
            t.customer_id,
            t.visit_id,
            t.clerk_id,
            t.window.start,
            t.window.end,
            &t.status,
            t.close_reason.as_ref(),
            t.done_at,
            t.done_on,
            t.done_by,
            t.attempts,
            t.callback_at,
            t.planned_contact_id,
            t.created_at,
            t.updated_at,
            t.callback_on,
            t.last_attempt_at,
            t.last_outcome.as_ref(),
            t.item_id,
            t.event_id,
            t.note.as_deref(),
        ];
        self.sink.push(table("tasks"), row);
    }

    /// Done by `by` at `at_local`.
    pub(super) fn done(&self, t: &mut TaskRow, at_local: NaiveDateTime, by: i32) {
        let at = self.utc(at_local);
        t.status = TaskStatus::Done;
        t.done_at = Some(at);
        t.done_on = Some(at_local.date());
        t.done_by = Some(by);
        t.updated_at = at;
    }

    /// Closed without being done, for `reason`.
    pub(super) fn closed(
        &self,
        t: &mut TaskRow,
        reason: CloseReason,
        at_local: NaiveDateTime,
        by: i32,
    ) {
        self.done(t, at_local, by);
        t.status = TaskStatus::Closed;
        t.close_reason = Some(reason);
    }
}
