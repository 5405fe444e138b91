//! Items raised on a reached call (R4a, R4b) and complaints followed to the end
//! (escalated, solved, told; R4c, R4d).

use super::*;

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
        let clerk = self.custs[c].clerk;
        let sup = self.stores[self.custs[c].store].supervisor;
        let mut item = ItemRow {
            id: self.ids.item,
            clerk_id: clerk,
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
                return item;
            }
            let at = self.at(day, 9, 12).max(from + Duration::minutes(10));
            let (by, _) = self.handler(clerk, at.date());
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
            // The supervisor's solution the next day.
            let s = at.date() + Duration::days(1);
            if s >= self.today {
                return item;
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
                by: sup,
            });
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
                return item;
            }
            let tell_at = self.at(tell, 14, 18);
            let satisfied = round == 1 || self.chance(0.92);
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
            item.events.push(ItemEventRow {
                kind: ItemStep::Told,
                text: String::new(),
                at: t,
                on: tell,
                by,
            });
            if satisfied {
                item.status = ItemStatus::Closed;
                item.closed_on = Some(tell);
                item.events.push(ItemEventRow {
                    kind: ItemStep::Satisfied,
                    text: String::new(),
                    at: t,
                    on: tell,
                    by,
                });
                return item;
            }
            item.status = ItemStatus::Open;
            item.events.push(ItemEventRow {
                kind: ItemStep::Reopened,
                text: String::new(),
                at: t,
                on: tell,
                by,
            });
            from = tell_at;
        }
        item
    }
}
