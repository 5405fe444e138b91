//! Register lines (archives, call records and register, letters) held until their month,
//! then numbered without gaps and chained in date order (R11) as they are written.

use super::rows::{Answer, ArchiveRow, CallRow, ItemRow, LetterRow, Reg};
use super::sql::{table, V};
use super::Gen;
use crate::domain::archive::Purpose;
use crate::domain::call::EventAnswer;
use crate::domain::register::Register;
use crate::domain::satisfaction::WinBackReason;
use crate::gen_row;
use crate::models::archive::Archive;
use crate::models::call::{CallRecord, RegisterLine};
use crate::models::letter::LetterLine;
use crate::registers::chain;
use chrono::{Datelike, NaiveDate, NaiveDateTime};

impl Gen<'_> {
    /// The simulated month (from the start) a date falls in.
    pub(super) fn month_key(&self, d: NaiveDate) -> u32 {
        let mut m =
            (d.year() - self.start.year()) * 12 + d.month() as i32 - self.start.month() as i32;
        if d.day() < self.start.day() {
            m -= 1;
        }
        m.max(0) as u32
    }

    /// A register line held until its month is written.
    pub(super) fn reg(&mut self, r: Reg) {
        let k = self.month_key(r.at().date());
        self.buckets.entry(k).or_default().push(r);
    }

    /// The next number of a register, per store and year, without gaps (R11).
    pub(super) fn number(&mut self, store_id: i32, reg: Register, year: i32) -> String {
        let n = self.counters.entry((store_id, reg, year)).or_insert(0);
        *n += 1;
        crate::domain::register::format(reg, year, *n)
    }

    /// The line's link in its chain, sealed as `chain::append` does.
    pub(super) fn chain(&mut self, reg: Register, line: &chain::Line, created: NaiveDateTime) {
        let key = (line.store_id, reg, line.year);
        let prev = self.heads.get(&key).cloned().unwrap_or_default();
        let (digest, hash) = chain::seal(&self.salt, &prev, line);
        self.sink.push(
            table("register_chain"),
            gen_row![
                line.store_id,
                reg.key(),
                line.year,
                line.id,
                prev,
                hash.clone(),
                digest,
                created
            ],
        );
        self.heads.insert(key, hash);
    }

    /// Writes the register lines of the months up to `upto` (all with `None`), each month in
    /// date order: numbers and chains follow the order the lines were written in.
    pub(super) fn flush_buckets(&mut self, upto: Option<u32>) -> anyhow::Result<()> {
        let keys: Vec<u32> = self
            .buckets
            .keys()
            .copied()
            .filter(|k| upto.is_none_or(|u| *k <= u))
            .collect();
        for k in keys {
            let lines = self.buckets.remove(&k).unwrap_or_default();
            // Sorted by index: the lines themselves are large to move.
            let mut order: Vec<(NaiveDateTime, usize)> =
                lines.iter().enumerate().map(|(i, r)| (r.at(), i)).collect();
            order.sort_unstable();
            let mut slots: Vec<Option<Reg>> = lines.into_iter().map(Some).collect();
            for r in order.into_iter().filter_map(|(_, i)| slots[i].take()) {
                match r {
                    Reg::Archive(a) => self.write_archive(a),
                    Reg::Call(c) => self.write_call(c),
                    Reg::Letter(l) => self.write_letter(l),
                }
            }
        }
        Ok(())
    }

    /// A user's display name, as a register line records it.
    pub(super) fn name(&self, id: i32) -> String {
        self.names.get(&id).cloned().unwrap_or_default()
    }

    /// R2: the archive sheet, its plan and its link in the chain.
    pub(super) fn write_archive(&mut self, a: ArchiveRow) {
        let cu = &self.custs[a.customer];
        let store_id = self.stores[cu.store].id;
        let archived_at = self.utc(a.at);
        let number = self.number(store_id, Register::Archives, a.at.date().year());
        self.ids.archive += 1;
        let cu = &self.custs[a.customer];
        let row = Archive {
            id: self.ids.archive,
            store_id,
            visit_id: a.visit_id,
            task_id: Some(a.task_id),
            customer_id: cu.id,
            archive_no: number,
            customer_name: cu.name.clone(),
            address: Some(cu.address.clone()),
            phone: cu.phone.clone(),
            visit_date: a.visit_date,
            vehicle_model: a.has_vehicle.then(|| cu.model.to_string()),
            plate: a.has_vehicle.then(|| cu.plate.clone()),
            vehicle_type: a.has_vehicle.then(|| cu.vtype.to_string()),
            items: a.items,
            maintenance_interval_days: a.days,
            maintenance_interval_km: a.km,
            next_maintenance_date: a.a10,
            desired_services: a.desired,
            service_history: a.history,
            due_date: a.due,
            archived_at,
            archived_on: a.at.date(),
            archived_by_id: a.by,
            archived_by: self.name(a.by),
            created_at: archived_at,
        };
        self.sink.push(
            table("archives"),
            gen_row![
                row.id,
                row.store_id,
                row.visit_id,
                row.task_id,
                row.customer_id,
                &row.archive_no,
                &row.customer_name,
                row.address.as_deref(),
                &row.phone,
                row.visit_date,
                row.vehicle_model.as_deref(),
                row.plate.as_deref(),
                row.vehicle_type.as_deref(),
                &row.items,
                row.maintenance_interval_days,
                row.maintenance_interval_km,
                row.next_maintenance_date,
                row.desired_services.as_deref(),
                &row.service_history,
                row.due_date,
                row.archived_at,
                row.archived_on,
                row.archived_by_id,
                &row.archived_by,
                row.created_at,
            ],
        );
        self.write_plan(&row, &a.plan);
        self.chain(Register::Archives, &chain::archive_line(&row), archived_at);
    }

    /// R3: the archive's planned contacts.
    fn write_plan(&mut self, row: &Archive, plan: &[(i32, Purpose, NaiveDate, &'static str, i32)]) {
        for (id, purpose, date, points, task_id) in plan {
            self.sink.push(
                table("planned_contacts"),
                gen_row![
                    *id,
                    row.store_id,
                    row.id,
                    row.customer_id,
                    purpose,
                    *date,
                    *points,
                    *task_id,
                    row.archived_at
                ],
            );
        }
    }

    /// A call: its record, the answers asked on it, its register line and the items raised.
    pub(super) fn write_call(&mut self, c: CallRow) {
        let store_id = self.stores[self.custs[c.customer].store].id;
        let year = c.at.date().year();
        let record_no = self.number(store_id, Register::CallRecords, year);
        let register_no = self.number(store_id, Register::CallRegister, year);
        let called_at = self.utc(c.at);
        self.ids.call_record += 1;
        let cu = &self.custs[c.customer];
        let handled_by = self.name(c.handler);
        let rec = CallRecord {
            id: self.ids.call_record,
            store_id,
            record_no,
            customer_id: cu.id,
            task_id: c.task_id,
            direction: c.direction,
            category: c.category,
            outcome: c.outcome,
            called_at,
            called_on: c.at.date(),
            callback_at: c.callback_at,
            customer_name: cu.name.clone(),
            phone: cu.phone.clone(),
            plate: cu.vehicle_id.map(|_| cu.plate.clone()),
            topics: c.topics,
            key_points: c.key_points,
            satisfied: c.satisfied,
            event_answer: c.event_answer,
            handled_by_id: c.handler,
            handled_by: handled_by.clone(),
            covering_for_id: c.covering,
            created_at: called_at,
        };
        self.write_call_record(&rec);
        self.write_answers(&rec, &c.satisfaction, c.win_back);
        self.write_register_line(&rec, register_no, handled_by);
        self.write_items(&rec, c.items);
    }

    /// The call record and its link in the chain.
    fn write_call_record(&mut self, rec: &CallRecord) {
        self.sink.push(
            table("call_records"),
            gen_row![
                rec.id,
                rec.store_id,
                &rec.record_no,
                rec.customer_id,
                rec.task_id,
                &rec.direction,
                &rec.category,
                &rec.outcome,
                rec.called_at,
                rec.called_on,
                rec.callback_at,
                &rec.customer_name,
                &rec.phone,
                rec.plate.as_deref(),
                &rec.topics,
                &rec.key_points,
                rec.satisfied,
                rec.event_answer.map(EventAnswer::as_str),
                rec.handled_by_id,
                &rec.handled_by,
                rec.covering_for_id,
                rec.created_at,
            ],
        );
        self.chain(
            Register::CallRecords,
            &chain::call_record_line(rec),
            rec.called_at,
        );
    }

    /// X6: the satisfaction asked, each aspect on its row; X7: the win-back reason.
    fn write_answers(
        &mut self,
        rec: &CallRecord,
        satisfaction: &Option<Answer>,
        win_back: Option<(WinBackReason, &'static str)>,
    ) {
        if let Some((score, aspects, advisor_id)) = satisfaction {
            let text = aspects
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",");
            self.sink.push(
                table("call_satisfaction"),
                gen_row![
                    rec.id,
                    rec.store_id,
                    rec.customer_id,
                    rec.called_on,
                    rec.handled_by_id,
                    *advisor_id,
                    *score,
                    score.is_none(),
                    &text
                ],
            );
            for (k, v) in aspects {
                self.sink
                    .push(table("satisfaction_aspects"), gen_row![rec.id, *k, *v]);
            }
        }
        if let (Some((reason, text)), Some(task)) = (win_back, rec.task_id) {
            self.sink.push(
                table("win_back_answers"),
                gen_row![rec.id, task, &reason, text],
            );
        }
    }

    /// The call's line in the call register, and its link in the chain.
    fn write_register_line(&mut self, rec: &CallRecord, register_no: String, handled_by: String) {
        self.ids.call_register += 1;
        let line = RegisterLine {
            id: self.ids.call_register,
            store_id: rec.store_id,
            register_no,
            call_record_id: rec.id,
            record_no: rec.record_no.clone(),
            called_on: rec.called_on,
            customer_name: rec.customer_name.clone(),
            phone: rec.phone.clone(),
            direction: rec.direction,
            category: rec.category,
            outcome: rec.outcome,
            handled_by_id: rec.handled_by_id,
            handled_by,
            created_at: rec.called_at,
        };
        self.sink.push(
            table("call_register"),
            gen_row![
                line.id,
                line.store_id,
                &line.register_no,
                line.call_record_id,
                &line.record_no,
                line.called_on,
                &line.customer_name,
                &line.phone,
                &line.direction,
                &line.category,
                &line.outcome,
                line.handled_by_id,
                &line.handled_by,
                line.created_at,
            ],
        );
        self.chain(
            Register::CallRegister,
            &chain::register_line(&line),
            rec.called_at,
        );
    }

    /// The items raised on the call, each with its events.
    fn write_items(&mut self, rec: &CallRecord, items: Vec<ItemRow>) {
        for it in items {
            let (esc_at, esc_on) = it.escalated.unzip();
            let (sol_at, sol_on) = it.solved.unzip();
            self.sink.push(
                table("items"),
                gen_row![
                    it.id,
                    rec.store_id,
                    rec.customer_id,
                    rec.id,
                    it.clerk_id,
                    &it.kind,
                    &it.text,
                    it.answered,
                    it.answer.as_deref(),
                    &it.status,
                    rec.called_at,
                    rec.called_on,
                    rec.called_at,
                    esc_at,
                    esc_on,
                    it.solution.as_deref(),
                    sol_at,
                    sol_on,
                    it.told_on,
                    it.satisfied,
                    it.closed_on,
                ],
            );
            for e in &it.events {
                let by_name = self.name(e.by);
                self.sink.push(
                    table("item_events"),
                    gen_row![it.id, &e.kind, &e.text, e.at, e.on, e.by, by_name],
                );
            }
        }
    }

    /// A letter's line in the letter register and its link in the chain.
    pub(super) fn write_letter(&mut self, x: LetterRow) {
        let store_id = self.stores[self.custs[x.customer].store].id;
        let register_no = self.number(store_id, Register::LetterRegister, x.at.date().year());
        self.ids.letter += 1;
        let cu = &self.custs[x.customer];
        let line = LetterLine {
            id: self.ids.letter,
            store_id,
            register_no,
            sent_on: x.at.date(),
            customer_id: cu.id,
            customer_name: cu.name.clone(),
            address: cu.address.clone(),
            letter_kind: x.kind,
            subject: x.subject,
            body: x.body,
            related_to: x.related_to,
            task_id: Some(x.task_id),
            event_id: x.event_id,
            item_id: None,
            handled_by_id: x.handler,
            handled_by: self.name(x.handler),
            created_at: self.utc(x.at),
        };
        self.sink.push(
            table("letter_register"),
            gen_row![
                line.id,
                line.store_id,
                &line.register_no,
                line.sent_on,
                line.customer_id,
                &line.customer_name,
                &line.address,
                &line.letter_kind,
                &line.subject,
                &line.body,
                &line.related_to,
                line.task_id,
                line.event_id,
                V::Null,
                line.handled_by_id,
                &line.handled_by,
                line.created_at,
            ],
        );
        self.chain(
            Register::LetterRegister,
            &chain::letter_line(&line),
            line.created_at,
        );
    }
}
