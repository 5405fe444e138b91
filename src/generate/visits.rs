//! A visit and what follows it: the customer and vehicle first seen, its archive task and
//! plan, the follow-ups, and when the customer comes back (R2–R5, N1, X3, X8).

use super::rows::{ArchiveRow, Reg};
use super::sql::{table, V};
use super::tasks::TaskRow;
use super::words::{
    DESIRED, KEY_POINTS, MAINTENANCE_ITEMS, REMINDER_KEY_POINTS, REPAIR_ITEMS, SECOND_KEY_POINTS,
    SURNAMES,
};
use super::Gen;
use crate::domain::archive::Purpose;
use crate::domain::call::Category;
use crate::domain::maintenance::{next_maintenance_date, Reading};
use crate::domain::task::{TaskKind, TaskStatus};
use crate::domain::visit::VisitKind;
use crate::gen_row;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use rand::seq::SliceRandom;
use rand::Rng;

/// What was done at a visit, as the DMS would send it.
struct Service {
    kind: VisitKind,
    vehicle_id: Option<i32>,
    items: Vec<&'static str>,
    days: Option<i32>,
    km: Option<i32>,
    odometer: Option<i32>,
    desired: Option<String>,
    picked_up: Option<NaiveDateTime>,
}

/// A visit's archive task as it went: A10 if archived, the day the reminder reached the
/// customer if it did.
struct Archived {
    task: TaskRow,
    a10: Option<NaiveDate>,
    reminded: Option<NaiveDate>,
}

/// A planned contact of an archive: its id, purpose, date, key points and task.
type Planned = (i32, Purpose, NaiveDate, &'static str, i32);

impl Gen<'_> {
    /// A service visit or consultation with all that follows it (R2, R3, R4, R5, N1, X3).
    pub(super) fn visit(&mut self, c: usize) {
        let d = self.custs[c].next_visit;
        let store_id = self.stores[self.custs[c].store].id;
        let checked_in = self.at(d, 8, 17);
        let checked_in_utc = self.utc(checked_in);
        let kind = self.visit_kind();
        self.first_seen(c, store_id, kind, checked_in_utc);
        let customer_id = self.custs[c].id;
        let s = self.service(c, d, checked_in, kind);
        self.ids.visit += 1;
        let visit_id = self.ids.visit;
        let cur = s.odometer.map(|k| Reading { on: d, km: k });
        let archived = self.archive(c, visit_id, d, checked_in, &s, cur);
        let (advisor, advisor_id) = self.advisor(c);
        self.custs[c].last_visit_id = visit_id;
        self.custs[c].last_a10 = archived.a10;
        // The visit row, with A10 as the archive set it.
        let row = gen_row![
            visit_id,
            store_id,
            customer_id,
            s.vehicle_id,
            format!("DMS-{store_id}-{visit_id:08}"),
            &kind,
            checked_in_utc,
            d,
            s.picked_up.map(|p| self.utc(p)),
            s.picked_up.map(|p| p.date()),
            serde_json::to_string(&s.items).expect("strings"),
            s.days,
            s.km,
            archived.a10,
            s.desired.as_deref(),
            s.odometer,
            crate::domain::visit::VisitSource::Import.as_str(),
            V::Null,
            checked_in_utc,
            checked_in_utc,
            advisor.as_deref(),
            advisor_id,
        ];
        self.sink.push(table("visits"), row);
        self.emit_task(&archived.task);
        self.follow_ups(c, visit_id, d, checked_in, &s, advisor_id);
        self.after_visit(c, d, cur, &s.items, archived.a10, archived.reminded);
    }

    /// Mostly maintenance and repairs, a consultation now and then.
    fn visit_kind(&mut self) -> VisitKind {
        let kr: f64 = self.rng.gen();
        if kr < 0.1 {
            VisitKind::Consultation
        } else if kr < 0.6 {
            VisitKind::Maintenance
        } else {
            VisitKind::Repair
        }
    }

    /// The customer and the vehicle, at the first visit (R1: the clerk in turn).
    fn first_seen(&mut self, c: usize, store_id: i32, kind: VisitKind, at: NaiveDateTime) {
        if self.custs[c].id == 0 {
            self.ids.customer += 1;
            let cu = &mut self.custs[c];
            cu.id = self.ids.customer;
            let row = gen_row![
                cu.id,
                store_id,
                &cu.name,
                &cu.phone,
                &cu.address,
                cu.clerk,
                V::Null,
                at,
                at,
                false,
                false,
                V::Null,
                V::Null,
            ];
            self.sink.push(table("customers"), row);
        }
        if kind != VisitKind::Consultation && self.custs[c].vehicle_id.is_none() {
            self.ids.vehicle += 1;
            let cu = &mut self.custs[c];
            cu.vehicle_id = Some(self.ids.vehicle);
            let row = gen_row![
                self.ids.vehicle,
                store_id,
                cu.id,
                &cu.plate,
                cu.model,
                cu.vtype,
                at,
                at,
            ];
            self.sink.push(table("vehicles"), row);
        }
    }

    /// What was done at the visit on `d`, as the DMS would send it.
    fn service(
        &mut self,
        c: usize,
        d: NaiveDate,
        checked_in: NaiveDateTime,
        kind: VisitKind,
    ) -> Service {
        let vehicle_id = if kind == VisitKind::Consultation {
            None
        } else {
            self.custs[c].vehicle_id
        };
        let items: Vec<&'static str> = match kind {
            VisitKind::Consultation => vec!["咨询保养项目与价格"],
            VisitKind::Maintenance => {
                let n = self.rng.gen_range(1..3);
                MAINTENANCE_ITEMS
                    .choose_multiple(&mut self.rng, n)
                    .copied()
                    .collect()
            }
            VisitKind::Repair => vec![self.pick(&REPAIR_ITEMS)],
        };
        let (days, km) = if kind == VisitKind::Consultation {
            (None, None)
        } else {
            (
                Some(self.pick(&[90, 120, 180])),
                self.chance(0.7).then(|| self.pick(&[5000, 7500, 10000])),
            )
        };
        let odometer = vehicle_id.map(|_| {
            let cu = &self.custs[c];
            cu.base_km + cu.daily_km * (d - cu.first_visit).num_days() as i32
        });
        let desired = self.chance(0.2).then(|| self.pick(&DESIRED).to_string());
        // Pick-up: the same day for most, a few days later for some repairs.
        let picked_up = match kind {
            VisitKind::Consultation => None,
            VisitKind::Maintenance => {
                Some(checked_in + Duration::minutes(self.rng.gen_range(60..240)))
            }
            _ if self.chance(0.6) => {
                Some(checked_in + Duration::minutes(self.rng.gen_range(120..420)))
            }
            _ => {
                let day = d + Duration::days(self.rng.gen_range(1..4));
                Some(self.at(day, 10, 18))
            }
        };
        Service {
            kind,
            vehicle_id,
            items,
            days,
            km,
            odometer,
            desired,
            picked_up: picked_up.filter(|p| p.date() < self.today),
        }
    }

    /// R2: the archive task of the visit; archived, the archive is registered with its plan
    /// (R3) and the plan's calls are worked.
    fn archive(
        &mut self,
        c: usize,
        visit_id: i32,
        d: NaiveDate,
        checked_in: NaiveDateTime,
        s: &Service,
        cur: Option<Reading>,
    ) -> Archived {
        let mut task = self.new_task(
            c,
            TaskKind::Archive,
            Some(visit_id),
            self.cad.archive(d),
            checked_in,
        );
        let archived_at = self.archived_at(d, checked_in, task.window.end);
        let a10 = archived_at.and_then(|_| {
            next_maintenance_date(None, d, s.days, s.km, self.custs[c].last_reading, cur)
        });
        let history = self.custs[c].history.join("\n");
        let mut reminded = None;
        if let Some(at) = archived_at {
            let (by, _) = self.handler(self.custs[c].clerk, at.date());
            self.done(&mut task, at, by);
            let (plan, tasks) = self.plan(c, visit_id, d, at, a10);
            self.reg(Reg::Archive(ArchiveRow {
                customer: c,
                visit_id,
                task_id: task.id,
                visit_date: d,
                has_vehicle: s.vehicle_id.is_some(),
                items: s.items.join("；"),
                days: s.days,
                km: s.km,
                a10,
                desired: s.desired.clone(),
                history,
                due: task.window.end,
                at,
                by,
                plan,
            }));
            reminded = self.work_plan(c, tasks);
        }
        Archived {
            task,
            a10,
            reminded,
        }
    }

    /// When the visit of `d` was archived: mostly on time, some late, a few never (or not yet).
    fn archived_at(
        &mut self,
        d: NaiveDate,
        checked_in: NaiveDateTime,
        due: NaiveDate,
    ) -> Option<NaiveDateTime> {
        let ar: f64 = self.rng.gen();
        let at = if ar < 0.86 {
            let h = self.rng.gen_range(1..44);
            Some(checked_in + Duration::hours(h))
        } else if ar < 0.96 || d + Duration::days(14) < self.today {
            // Late: mostly a few days, now and then weeks (none stays missing for long).
            let days = if ar < 0.96 {
                self.rng.gen_range(1..5)
            } else {
                self.rng.gen_range(5..20)
            };
            let day = due + Duration::days(days);
            Some(self.at(day, 9, 18))
        } else {
            // Missing: only among the last two weeks' visits.
            None
        };
        at.filter(|t| t.date() < self.today)
    }

    /// R3: the plan of an archive made `at`: N1 (the maintenance reminder) and sometimes one
    /// more contact, each with its task.
    fn plan(
        &mut self,
        c: usize,
        visit_id: i32,
        d: NaiveDate,
        at: NaiveDateTime,
        a10: Option<NaiveDate>,
    ) -> (Vec<Planned>, Vec<TaskRow>) {
        let mut plan = Vec::new();
        let mut tasks = Vec::new();
        let mut contact = |g: &mut Self, kind, window, purpose, date, points| {
            g.ids.planned += 1;
            let mut t = g.new_task(c, kind, Some(visit_id), window, at);
            t.planned_contact_id = Some(g.ids.planned);
            plan.push((g.ids.planned, purpose, date, points, t.id));
            tasks.push(t);
        };
        if let Some(a10) = a10 {
            let window = self.cad.maintenance_reminder(a10);
            contact(
                self,
                TaskKind::MaintenanceReminder,
                window,
                Purpose::N1,
                a10,
                "提醒客户按期保养，预约进厂时间",
            );
        }
        if self.chance(0.15) {
            let (purpose, points) = self.pick(&[
                (Purpose::N3, "告知本月优惠服务活动：空调清洗八折"),
                (Purpose::N4, "邀请客户参加免费检测周，检查轮胎与刹车"),
                (Purpose::N2, "邀请参加车主联谊活动"),
            ]);
            let date = d + Duration::days(self.rng.gen_range(20..31));
            let window = self.cad.planned_contact(date);
            contact(
                self,
                TaskKind::PlannedContact,
                window,
                purpose,
                date,
                points,
            );
        }
        (plan, tasks)
    }

    /// The planned contacts and the reminder, worked when they come; the day the reminder
    /// reached the customer.
    fn work_plan(&mut self, c: usize, tasks: Vec<TaskRow>) -> Option<NaiveDate> {
        let mut reminded = None;
        for mut t in tasks {
            let category = if t.kind == TaskKind::MaintenanceReminder {
                Category::Reminder
            } else {
                Category::FollowUp
            };
            if let Some(mut call) = self.work(c, &mut t, category, true) {
                call.key_points = if category == Category::Reminder {
                    self.pick(&REMINDER_KEY_POINTS).into()
                } else {
                    self.pick(&KEY_POINTS).into()
                };
                if t.kind == TaskKind::MaintenanceReminder {
                    reminded = Some(call.at.date());
                }
                self.reg(Reg::Call(call));
            }
            self.emit_task(&t);
        }
        reminded
    }

    /// X8: the advisor who received the car: mostly as on the list, now and then typed with a
    /// space (still matched), rarely a name the list does not have, or none.
    fn advisor(&mut self, c: usize) -> (Option<String>, Option<i32>) {
        let list = &self.stores[self.custs[c].store].advisors;
        let (id, name) = list[self.rng.gen_range(0..list.len())].clone();
        let r: f64 = self.rng.gen();
        if r < 0.85 {
            (Some(name), Some(id))
        } else if r < 0.92 {
            let mut chars = name.chars();
            let first: String = chars.next().into_iter().collect();
            (Some(format!("{first} {}", chars.as_str())), Some(id))
        } else if r < 0.96 {
            (Some(format!("{}师傅", self.pick(&SURNAMES))), None)
        } else {
            (None, None)
        }
    }

    /// R4 / R5: the first follow-up from pick-up (or the consultation), then the second.
    fn follow_ups(
        &mut self,
        c: usize,
        visit_id: i32,
        d: NaiveDate,
        checked_in: NaiveDateTime,
        s: &Service,
        advisor_id: Option<i32>,
    ) {
        let p = if s.kind == VisitKind::Consultation {
            Some(d)
        } else {
            s.picked_up.map(|p| p.date())
        };
        let Some(p) = p else {
            return;
        };
        let opened = s.picked_up.unwrap_or(checked_in + Duration::minutes(40));
        let mut first = self.new_task(
            c,
            TaskKind::FirstFollowUp,
            Some(visit_id),
            self.cad.first_follow_up(p),
            opened,
        );
        let reached = self.work(c, &mut first, Category::FollowUp, true);
        // The second follow-up counts from the first call reached, or the day it was closed.
        let f = match (&reached, first.status) {
            (Some(call), _) => Some((call.at, call.at.date())),
            (None, TaskStatus::Closed) => first.done_at.map(|_| {
                let u = first.done_on.expect("closed on");
                (u.and_hms_opt(17, 0, 0).expect("time"), u)
            }),
            _ => None,
        };
        if let Some(mut call) = reached {
            call.key_points = self.pick(&KEY_POINTS).into();
            self.raise_items(c, &mut call);
            self.satisfaction(c, &mut call, advisor_id);
            self.reg(Reg::Call(call));
        }
        self.emit_task(&first);
        if let Some((at, f)) = f {
            let mut second = self.new_task(
                c,
                TaskKind::SecondFollowUp,
                Some(visit_id),
                self.cad.second_follow_up(f),
                at,
            );
            if let Some(mut call) = self.work(c, &mut second, Category::FollowUp, true) {
                call.key_points = self.pick(&SECOND_KEY_POINTS).into();
                self.raise_items(c, &mut call);
                self.satisfaction(c, &mut call, advisor_id);
                self.reg(Reg::Call(call));
            }
            self.emit_task(&second);
        }
    }

    /// X3 and A12 for the next visit: returning customers come back after the reminder;
    /// others later, or not at all.
    fn after_visit(
        &mut self,
        c: usize,
        d: NaiveDate,
        cur: Option<Reading>,
        items: &[&str],
        a10: Option<NaiveDate>,
        reminded: Option<NaiveDate>,
    ) {
        let cu = &mut self.custs[c];
        if let Some(r) = cur {
            cu.last_reading = Some(r);
        }
        cu.history.push(format!("{} {}", d, items.join("；")));
        cu.last_visit = Some(d);
        cu.visits += 1;
        cu.busy.retain(|b| *b + Duration::days(60) >= d);
        let back = match (a10, reminded) {
            (Some(_), Some(called)) if self.rng.gen_bool(0.75) => {
                called + Duration::days(self.rng.gen_range(1..21))
            }
            (Some(a10), _) if self.rng.gen_bool(0.4) => {
                a10 + Duration::days(self.rng.gen_range(0..60))
            }
            (Some(a10), _) => a10 + Duration::days(self.rng.gen_range(90..300)),
            (None, _) => d + Duration::days(self.rng.gen_range(120..400)),
        };
        self.custs[c].next_visit = back.max(d + Duration::days(14));
    }
}
