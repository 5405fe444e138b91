//! Items raised on a reached call (R4a, R4b), complaints followed to the end (escalated,
//! solved, told; R4c, R4d), and the satisfaction asked on a follow-up, a low score opening a
//! complaint (X6).

use super::rows::{CallRow, ItemEventRow, ItemRow, Reg};
use super::words::{COMPLAINTS, SOLUTIONS, WISHES};
use super::Gen;
use crate::domain::call::{Category, Direction, ItemKind, Outcome};
use crate::domain::item::{ItemStatus, ItemStep};
use crate::domain::task::TaskKind;
use chrono::{Duration, NaiveDateTime};
use rand::Rng;

impl Gen<'_> {
    /// R4a / R4b: sometimes the customer raises something on a reached follow-up call:
    /// mostly answered on the call, sometimes a complaint left open and followed to the end.
    pub(super) fn raise_items(&mut self, c: usize, call: &mut CallRow) {
        let r: f64 = self.rng.gen();
        if r < 0.05 {
            let (kind, text, answer) = self.pick(&WISHES);
            self.ids.item += 1;
            let at = self.utc(call.at);
            call.items.push(ItemRow {
                id: self.ids.item,
                clerk_id: self.custs[c].clerk,
                kind,
                text: text.into(),
                answered: true,
                answer: Some(answer.into()),
                status: ItemStatus::Answered,
                escalated: None,
                solution: None,
                solved: None,
                told_on: None,
                satisfied: None,
                closed_on: None,
                events: vec![
                    ItemEventRow {
                        kind: ItemStep::Raised,
                        text: text.into(),
                        at,
                        on: call.at.date(),
                        by: call.handler,
                    },
                    ItemEventRow {
                        kind: ItemStep::Note,
                        text: answer.into(),
                        at,
                        on: call.at.date(),
                        by: call.handler,
                    },
                ],
            });
        } else if r < 0.07 {
            let item = self.complaint(c, call);
            call.items.push(item);
        }
    }

    /// A complaint left open on `call` (R4b), escalated by C + 2 mostly (R4c), solved by the
    /// supervisor, the customer told on the day (R4d); unsatisfied reopens it once.
    pub(super) fn complaint(&mut self, c: usize, call: &CallRow) -> ItemRow {
        self.ids.item += 1;
        let text = self.pick(&COMPLAINTS);
        let mut item = ItemRow {
            id: self.ids.item,
            clerk_id: self.custs[c].clerk,
            kind: ItemKind::Complaint,
            text: text.into(),
            answered: false,
            answer: None,
            status: ItemStatus::Open,
            escalated: None,
            solution: None,
            solved: None,
            told_on: None,
            satisfied: None,
            closed_on: None,
            events: vec![ItemEventRow {
                kind: ItemStep::Raised,
                text: text.into(),
                at: self.utc(call.at),
                on: call.at.date(),
                by: call.handler,
            }],
        };
        let mut from = call.at;
        for round in 0..2 {
            // Each step stops the story where it is still to happen (on or after today).
            let Some(escalated) = self.escalate(c, &mut item, from) else {
                return item;
            };
            let Some(solved) = self.solve(c, &mut item, escalated) else {
                return item;
            };
            let Some(reopened) = self.tell(c, &mut item, solved, round == 1) else {
                return item;
            };
            from = reopened;
        }
        item
    }

    /// R4c: the escalation task from `from`, done by C + 2 mostly; when it was escalated.
    fn escalate(
        &mut self,
        c: usize,
        item: &mut ItemRow,
        from: NaiveDateTime,
    ) -> Option<NaiveDateTime> {
        let mut esc = self.new_task(
            c,
            TaskKind::Escalation,
            None,
            self.cad.escalation(from.date()),
            from,
        );
        esc.item_id = Some(item.id);
        let r: f64 = self.rng.gen();
        let day = if r < 0.9 {
            from.date() + Duration::days(self.rng.gen_range(0..=2))
        } else {
            esc.window.end + Duration::days(self.rng.gen_range(1..4))
        };
        if day >= self.today {
            self.emit_task(&esc);
            return None;
        }
        let at = self.at(day, 9, 12).max(from + Duration::minutes(10));
        let (by, _) = self.handler(self.custs[c].clerk, at.date());
        item.status = ItemStatus::Escalated;
        item.escalated = Some((self.utc(at), at.date()));
        item.events.push(ItemEventRow {
            kind: ItemStep::Escalated,
            text: "需要主管决定处理办法".into(),
            at: self.utc(at),
            on: at.date(),
            by,
        });
        self.done(&mut esc, at, by);
        self.emit_task(&esc);
        Some(at)
    }

    /// The supervisor's solution the day after the escalation; when it was given.
    fn solve(
        &mut self,
        c: usize,
        item: &mut ItemRow,
        escalated: NaiveDateTime,
    ) -> Option<NaiveDateTime> {
        let s = escalated.date() + Duration::days(1);
        if s >= self.today {
            return None;
        }
        let solved_at = self.at(s, 9, 11);
        let solution = self.pick(&SOLUTIONS);
        item.status = ItemStatus::Solved;
        item.solution = Some(solution.into());
        item.solved = Some((self.utc(solved_at), s));
        item.events.push(ItemEventRow {
            kind: ItemStep::Solved,
            text: solution.into(),
            at: self.utc(solved_at),
            on: s,
            by: self.stores[self.custs[c].store].supervisor,
        });
        Some(solved_at)
    }

    /// R4d: the solution call, mostly on the day; satisfied closes the item, else it is
    /// reopened (the second time the customer is satisfied) and this is when.
    fn tell(
        &mut self,
        c: usize,
        item: &mut ItemRow,
        solved_at: NaiveDateTime,
        last_round: bool,
    ) -> Option<NaiveDateTime> {
        let s = solved_at.date();
        let mut sol = self.new_task(
            c,
            TaskKind::SolutionCall,
            None,
            self.cad.solution_call(s),
            solved_at,
        );
        sol.item_id = Some(item.id);
        let tell = if self.chance(0.88) {
            s
        } else {
            s + Duration::days(1)
        };
        if tell >= self.today {
            self.emit_task(&sol);
            return None;
        }
        let tell_at = self.at(tell, 14, 18);
        let satisfied = last_round || self.chance(0.92);
        let mut told = self.call(
            c,
            Some(&sol),
            Direction::Outbound,
            Category::Solution,
            Outcome::Reached,
            tell_at,
            if satisfied {
                "已告知解决办法，客户满意".into()
            } else {
                "已告知解决办法，客户仍不满意，要求进一步处理".into()
            },
        );
        told.satisfied = Some(satisfied);
        let by = told.handler;
        self.done(&mut sol, tell_at, by);
        sol.last_attempt_at = Some(self.utc(tell_at));
        sol.last_outcome = Some(Outcome::Reached);
        self.emit_task(&sol);
        self.reg(Reg::Call(told));
        let t = self.utc(tell_at);
        item.told_on = Some(tell);
        item.satisfied = Some(satisfied);
        let step = |kind| ItemEventRow {
            kind,
            text: String::new(),
            at: t,
            on: tell,
            by,
        };
        item.events.push(step(ItemStep::Told));
        if satisfied {
            item.status = ItemStatus::Closed;
            item.closed_on = Some(tell);
            item.events.push(step(ItemStep::Satisfied));
            return None;
        }
        item.status = ItemStatus::Open;
        item.events.push(step(ItemStep::Reopened));
        Some(tell_at)
    }

    /// X6: the satisfaction of a reached follow-up: mostly 4–5, some 3, a few low (1–2, which
    /// opens a complaint unless the call raised one), some declined, some not asked.
    pub(super) fn satisfaction(&mut self, c: usize, call: &mut CallRow, advisor_id: Option<i32>) {
        let r: f64 = self.rng.gen();
        if r < 0.06 {
            return; // not asked
        }
        let score = if r < 0.13 {
            None
        } else {
            let s: f64 = self.rng.gen();
            Some(match s {
                s if s < 0.02 => 1,
                s if s < 0.06 => 2,
                s if s < 0.18 => 3,
                s if s < 0.55 => 4,
                _ => 5,
            })
        };
        let mut aspects = Vec::new();
        if let Some(sc) = score {
            if self.chance(0.7) {
                for a in crate::domain::satisfaction::ASPECTS {
                    let v: i32 = (sc + self.rng.gen_range(-1..=1)).clamp(1, 5);
                    aspects.push((a, v));
                }
            }
            if sc <= 2 && !call.items.iter().any(|i| i.kind == ItemKind::Complaint) {
                let mut item = self.complaint(c, call);
                let text = format!("跟踪服务电话满意度评分 {sc} 分（X6）");
                item.text = text.clone();
                if let Some(e) = item.events.first_mut() {
                    e.text = text;
                }
                call.items.push(item);
            }
        }
        call.satisfaction = Some((score, aspects, advisor_id));
    }
}
