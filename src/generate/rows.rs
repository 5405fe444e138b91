//! The rows the simulation carries until they are written: calls with their items and
//! answers, archives and letters, and the register lines waiting for their month. Apart from
//! the modules that make and write them, which all share them.

use crate::domain::archive::Purpose;
use crate::domain::call::{Category, Direction, EventAnswer, ItemKind, Outcome};
use crate::domain::item::{ItemStatus, ItemStep};
use crate::domain::letter::LetterKind;
use crate::domain::satisfaction::WinBackReason;
use chrono::{NaiveDate, NaiveDateTime};

/// X6: a generated answer: the score (None: declined), the aspects, the visit's advisor.
pub(super) type Answer = (Option<i32>, Vec<(&'static str, i32)>, Option<i32>);

pub(super) struct CallRow {
    pub(super) customer: usize,
    pub(super) task_id: Option<i32>,
    pub(super) direction: Direction,
    pub(super) category: Category,
    pub(super) outcome: Outcome,
    pub(super) at: NaiveDateTime,
    pub(super) callback_at: Option<NaiveDateTime>,
    pub(super) topics: String,
    pub(super) key_points: String,
    pub(super) satisfied: Option<bool>,
    pub(super) event_answer: Option<EventAnswer>,
    pub(super) handler: i32,
    pub(super) covering: Option<i32>,
    pub(super) items: Vec<ItemRow>,
    /// X6: the answer (score, or None for declined), the aspects, the visit's advisor.
    pub(super) satisfaction: Option<Answer>,
    /// X7: the reason a lost customer gave, with the win-back task.
    pub(super) win_back: Option<(WinBackReason, &'static str)>,
}

pub(super) struct ItemEventRow {
    pub(super) kind: ItemStep,
    pub(super) text: String,
    pub(super) at: NaiveDateTime,
    pub(super) on: NaiveDate,
    pub(super) by: i32,
}

pub(super) struct ItemRow {
    pub(super) id: i32,
    pub(super) clerk_id: i32,
    pub(super) kind: ItemKind,
    pub(super) text: String,
    pub(super) answered: bool,
    pub(super) answer: Option<String>,
    pub(super) status: ItemStatus,
    pub(super) escalated: Option<(NaiveDateTime, NaiveDate)>,
    pub(super) solution: Option<String>,
    pub(super) solved: Option<(NaiveDateTime, NaiveDate)>,
    pub(super) told_on: Option<NaiveDate>,
    pub(super) satisfied: Option<bool>,
    pub(super) closed_on: Option<NaiveDate>,
    pub(super) events: Vec<ItemEventRow>,
}

pub(super) struct ArchiveRow {
    pub(super) customer: usize,
    pub(super) visit_id: i32,
    pub(super) task_id: i32,
    pub(super) visit_date: NaiveDate,
    pub(super) has_vehicle: bool,
    pub(super) items: String,
    pub(super) days: Option<i32>,
    pub(super) km: Option<i32>,
    pub(super) a10: Option<NaiveDate>,
    pub(super) desired: Option<String>,
    pub(super) history: String,
    pub(super) due: NaiveDate,
    pub(super) at: NaiveDateTime,
    pub(super) by: i32,
    pub(super) plan: Vec<(i32, Purpose, NaiveDate, &'static str, i32)>,
}

pub(super) struct LetterRow {
    pub(super) customer: usize,
    pub(super) kind: LetterKind,
    pub(super) subject: String,
    pub(super) body: String,
    pub(super) related_to: String,
    pub(super) task_id: i32,
    pub(super) event_id: Option<i32>,
    pub(super) at: NaiveDateTime,
    pub(super) handler: i32,
}

/// A register line waiting for its month: numbered and chained in date order when written.
pub(super) enum Reg {
    Archive(ArchiveRow),
    Call(CallRow),
    Letter(LetterRow),
}

impl Reg {
    /// When the line happened: its place in the month's order.
    pub(super) fn at(&self) -> NaiveDateTime {
        match self {
            Reg::Archive(a) => a.at,
            Reg::Call(c) => c.at,
            Reg::Letter(l) => l.at,
        }
    }
}
