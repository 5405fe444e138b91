//! Calls: a call task worked the way a clerk does (failed attempts, call-backs, late and
//! missed calls, unreachable with its letter), inbound calls, and the win-back calls to lost
//! customers (X7).

use super::rows::{CallRow, LetterRow, Reg};
use super::tasks::TaskRow;
use super::words::{COMPLAINTS, INQUIRIES};
use super::Gen;
use crate::domain::call::{Category, Direction, Outcome, Topic};
use crate::domain::letter::LetterKind;
use crate::domain::satisfaction::WinBackReason;
use crate::domain::task::{CloseReason, TaskKind};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use rand::Rng;

impl Gen<'_> {
    /// X4: the first day from `day` on without an outbound follow-up call to this customer.
    pub(super) fn free_day(&self, c: usize, mut day: NaiveDate) -> NaiveDate {
        while self.custs[c].busy.contains(&day) {
            day += Duration::days(1);
        }
        day
    }

    /// A call, written later with its month.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn call(
        &mut self,
        c: usize,
        task: Option<&TaskRow>,
        direction: Direction,
        category: Category,
        outcome: Outcome,
        at: NaiveDateTime,
        key_points: String,
    ) -> CallRow {
        let owner = task.map(|t| t.clerk_id).unwrap_or(self.custs[c].clerk);
        let (handler, covering) = self.handler(owner, at.date());
        let topics = if outcome == Outcome::Reached && category != Category::Solution {
            let second = self.pick(&[Topic::C2, Topic::C3, Topic::C4, Topic::C5]);
            format!("{},{second}", Topic::C1)
        } else {
            String::new()
        };
        CallRow {
            customer: c,
            task_id: task.map(|t| t.id),
            direction,
            category,
            outcome,
            at,
            callback_at: None,
            topics,
            key_points,
            satisfied: None,
            event_answer: None,
            handler,
            covering,
            items: Vec::new(),
            satisfaction: None,
            win_back: None,
        }
    }

    /// Works a call task the way a clerk does: most reached inside the window, some after a
    /// failed attempt or a call-back, some late; a few never reached, closed as unreachable
    /// (X1) with a letter. Returns the reached call (still to be completed and registered)
    /// or `None`. The task row is complete when this returns, except when it returns a call.
    pub(super) fn work(
        &mut self,
        c: usize,
        t: &mut TaskRow,
        category: Category,
        x4: bool,
    ) -> Option<CallRow> {
        let w = t.window;
        if w.start >= self.today {
            return None;
        }
        let len = (w.end - w.start).num_days();
        let r: f64 = self.rng.gen();
        if r < 0.04 {
            self.never_reached(c, t, category, x4);
            return None;
        }
        let mut day = if r < 0.86 {
            w.start + Duration::days(self.rng.gen_range(0..=len))
        } else if r < 0.97 {
            w.end + Duration::days(self.rng.gen_range(1..6))
        } else {
            // Missed: still open after its window (or done far too late).
            w.end + Duration::days(self.rng.gen_range(8..40))
        };
        if x4 {
            day = self.free_day(c, day);
        }
        // A failed attempt the day before, or a call-back asked for on the day.
        let f: f64 = self.rng.gen();
        if f < 0.1 && day - Duration::days(1) >= w.start {
            self.failed_before(c, t, category, x4, day);
        }
        if day >= self.today {
            return None;
        }
        let mut at = self.at(day, 9, 16);
        if f > 0.95 {
            at = self.call_back(c, t, category, day, at);
        }
        if x4 {
            self.custs[c].busy.push(day);
        }
        let call = self.call(
            c,
            Some(t),
            Direction::Outbound,
            category,
            Outcome::Reached,
            at,
            String::new(),
        );
        let by = call.handler;
        self.done(t, at, by);
        t.last_attempt_at = Some(self.utc(at));
        t.last_outcome = Some(Outcome::Reached);
        Some(call)
    }

    /// A failed attempt at `at`, registered and counted on its task.
    fn failed(
        &mut self,
        c: usize,
        t: &mut TaskRow,
        category: Category,
        outcome: Outcome,
        at: NaiveDateTime,
    ) {
        let call = self.call(
            c,
            Some(t),
            Direction::Outbound,
            category,
            outcome,
            at,
            String::new(),
        );
        t.attempts += 1;
        t.last_attempt_at = Some(self.utc(at));
        t.last_outcome = Some(outcome);
        t.updated_at = self.utc(at);
        self.reg(Reg::Call(call));
    }

    /// X1: three failed attempts on three days, then closed as unreachable (with its letter).
    fn never_reached(&mut self, c: usize, t: &mut TaskRow, category: Category, x4: bool) {
        let mut day = t.window.start;
        for _ in 0..3 {
            day = if x4 { self.free_day(c, day) } else { day };
            if day >= self.today {
                return;
            }
            let at = self.at(day, 9, 18);
            let outcome = self.pick(&[
                Outcome::NoAnswer,
                Outcome::NoAnswer,
                Outcome::Busy,
                Outcome::WrongNumber,
            ]);
            self.failed(c, t, category, outcome, at);
            if x4 {
                self.custs[c].busy.push(day);
            }
            day += Duration::days(1);
        }
        let u = day - Duration::days(1);
        let at = self.at(u, 17, 18);
        let (by, _) = self.handler(t.clerk_id, u);
        self.closed(t, CloseReason::Unreachable, at, by);
        self.unreachable(c, t, u);
    }

    /// A failed attempt the day before `day` (X4: unless the customer had a call that day).
    fn failed_before(
        &mut self,
        c: usize,
        t: &mut TaskRow,
        category: Category,
        x4: bool,
        day: NaiveDate,
    ) {
        let prev = day - Duration::days(1);
        if (x4 && self.custs[c].busy.contains(&prev)) || prev >= self.today {
            return;
        }
        let at = self.at(prev, 9, 18);
        let outcome = self.pick(&[Outcome::NoAnswer, Outcome::NoAnswer, Outcome::Busy]);
        self.failed(c, t, category, outcome, at);
        if x4 {
            self.custs[c].busy.push(prev);
        }
    }

    /// X2: the customer asks at `at` to be called back at 17:00 the same day; when the call
    /// back is made.
    fn call_back(
        &mut self,
        c: usize,
        t: &mut TaskRow,
        category: Category,
        day: NaiveDate,
        at: NaiveDateTime,
    ) -> NaiveDateTime {
        let cb = day.and_hms_opt(17, 0, 0).expect("time");
        let mut call = self.call(
            c,
            Some(t),
            Direction::Outbound,
            category,
            Outcome::CallbackRequested,
            at,
            "客户正在开车，约定下午五点回电".into(),
        );
        call.callback_at = Some(self.utc(cb));
        t.last_attempt_at = Some(self.utc(at));
        t.last_outcome = Some(Outcome::CallbackRequested);
        t.callback_at = Some(self.utc(cb));
        t.callback_on = Some(day);
        self.reg(Reg::Call(call));
        cb + Duration::minutes(self.rng.gen_range(0..30))
    }

    /// X1: the unreachable letter (sent the next day) and the phone flagged.
    pub(super) fn unreachable(&mut self, c: usize, t: &TaskRow, u: NaiveDate) {
        self.custs[c].flagged_on = Some(u);
        let mut letter = self.new_task(
            c,
            TaskKind::UnreachableLetter,
            t.visit_id,
            self.cad.unreachable_letter(u),
            u.and_hms_opt(17, 30, 0).expect("time"),
        );
        let sent = u + Duration::days(1);
        if sent < self.today {
            let at = self.at(sent, 10, 17);
            let (by, _) = self.handler(t.clerk_id, sent);
            let name = self.custs[c].name.clone();
            self.reg(Reg::Letter(LetterRow {
                customer: c,
                kind: LetterKind::Notice,
                subject: "未能联系到您的通知".into(),
                body: format!("尊敬的{name}：近日多次致电未能联系到您，请拨打本店服务电话与我们联系，以便安排回访与保养。"),
                related_to: format!("task {}", letter.id),
                task_id: letter.id,
                event_id: None,
                at,
                handler: by,
            }));
            self.done(&mut letter, at, by);
        }
        self.emit_task(&letter);
    }

    /// An inbound inquiry or complaint (R7), without a task.
    pub(super) fn inbound(&mut self, c: usize, day: NaiveDate) {
        let at = self.at(day, 9, 18);
        let complaint = self.chance(0.15);
        let (category, text) = if complaint {
            (
                Category::Complaint,
                format!("客户来电投诉：{}", self.pick(&COMPLAINTS)),
            )
        } else {
            (Category::Inquiry, self.pick(&INQUIRIES).to_string())
        };
        let mut call = self.call(
            c,
            None,
            Direction::Inbound,
            category,
            Outcome::Reached,
            at,
            text,
        );
        call.topics = Topic::C6.as_str().into();
        if complaint {
            let item = self.complaint(c, &call);
            call.items.push(item);
        }
        self.reg(Reg::Call(call));
    }

    /// X7: on the 1st of a month (the nightly job, month by month here) a customer lost then —
    /// the latest visit's A10 more than `lost_after_days` past — gets a win-back task for their
    /// clerk, at most one per `lost_after_days`; the customer's next visit inside the window
    /// closes it (won back), else the clerk calls (reached mostly, with the reason).
    pub(super) fn win_back(&mut self, c: usize, l: NaiveDate) {
        const REASONS: [(WinBackReason, &str); 6] = [
            (WinBackReason::Moved, "已搬到外地"),
            (WinBackReason::SoldCar, "车已卖掉"),
            (WinBackReason::OtherShop, "在家附近的修理厂保养"),
            (WinBackReason::Price, "觉得保养价格偏高"),
            (WinBackReason::Dissatisfied, "上次维修等待时间太长"),
            (WinBackReason::Other, "工作忙，暂时不用车"),
        ];
        let cu = &self.custs[c];
        let lost_before = self.cad.lost_since(l);
        let lost = cu.last_a10.is_some_and(|a| a < lost_before)
            && cu.last_visit.is_some_and(|v| v < l)
            && cu.next_visit >= l
            && cu.last_win_back.is_none_or(|w| w <= lost_before);
        if !lost || l >= self.today {
            return;
        }
        self.custs[c].last_win_back = Some(l);
        let visit = self.custs[c].last_visit_id;
        let opened = l.and_hms_opt(3, 45, 0).expect("time");
        let mut t = self.new_task(
            c,
            TaskKind::WinBack,
            Some(visit),
            self.cad.win_back(l),
            opened,
        );
        let next = self.custs[c].next_visit;
        if next <= t.window.end && next < self.today {
            // Came back before the call: closed by the visit (won back).
            let at = next.and_hms_opt(9, 0, 0).expect("time");
            let by = t.clerk_id;
            self.closed(&mut t, CloseReason::Returned, at, by);
        } else if let Some(mut call) = self.work(c, &mut t, Category::FollowUp, true) {
            let (reason, text) = self.pick(&REASONS);
            call.key_points = text.into();
            call.win_back = Some((reason, text));
            self.reg(Reg::Call(call));
        }
        self.emit_task(&t);
    }
}
