//! Events with their notice calls, answers and letters (R6).

use super::rows::{CallRow, LetterRow, Reg};
use super::sql::table;
use super::tasks::TaskRow;
use super::words::VEHICLES;
use super::Gen;
use crate::domain::call::{Category, EventAnswer, Topic};
use crate::domain::event::EventKind;
use crate::domain::letter::LetterKind;
use crate::domain::task::{CloseReason, TaskKind};
use crate::gen_row;
use chrono::{Duration, Months, NaiveDate, NaiveDateTime};
use rand::Rng;

/// The events a store holds in turn: kind, title, content and the letter that follows a
/// notice call.
const EVENTS: [(EventKind, &str, &str, LetterKind); 4] = [
    (
        EventKind::FreeService,
        "免费检测周",
        "免费检测刹车、轮胎、蓄电池和灯光",
        LetterKind::Notice,
    ),
    (
        EventKind::GetTogether,
        "车主联谊会",
        "车主交流、抽奖与茶点",
        LetterKind::Invitation,
    ),
    (
        EventKind::Offer,
        "保养优惠月",
        "机油保养套餐八五折",
        LetterKind::Notice,
    ),
    (
        EventKind::KnowledgeEvening,
        "用车知识讲座",
        "冬季用车与安全驾驶讲座",
        LetterKind::Invitation,
    ),
];

/// An event as its invitees hear of it.
struct Announced {
    id: i32,
    title: String,
    content: &'static str,
    starts: NaiveDate,
    created: NaiveDate,
    created_at: NaiveDateTime,
    letter_kind: LetterKind,
}

impl Gen<'_> {
    /// R6: an event announced on the first day of the month to the store's drivers of one
    /// vehicle type seen in the last three months; notice calls by E − 14, letters by P + 2
    /// or waived.
    pub(super) fn event(&mut self, s: usize, created: NaiveDate, m: u32) {
        let (kind, title, content, letter_kind) = EVENTS[(m as usize / 3) % EVENTS.len()];
        let vtype = VEHICLES[(m as usize / 3 + s) % VEHICLES.len()].1;
        let starts = created + Duration::days(self.rng.gen_range(30..45));
        let ends = starts + Duration::days(if kind == EventKind::FreeService { 6 } else { 0 });
        let since = created
            .checked_sub_months(Months::new(3))
            .unwrap_or(created);
        let store_id = self.stores[s].id;
        let sup = self.stores[s].supervisor;
        let invitees = self.audience(s, vtype, since);
        if invitees.is_empty() || created >= self.today {
            return;
        }
        self.ids.event += 1;
        let ev = Announced {
            id: self.ids.event,
            title: format!("{}{}", created.format("%Y年%-m月"), title),
            content,
            starts,
            created,
            created_at: created.and_hms_opt(9, 0, 0).expect("time"),
            letter_kind,
        };
        let audience = crate::domain::event::Audience {
            vehicle_type: Some(vtype.into()),
            last_visit_months: Some(3),
            clerk_id: None,
        };
        self.sink.push(
            table("events"),
            gen_row![
                ev.id,
                store_id,
                &kind,
                &ev.title,
                starts,
                ends,
                "本店服务大厅",
                content,
                serde_json::to_string(&audience).expect("audience"),
                created,
                sup,
                self.utc(ev.created_at),
            ],
        );
        for c in invitees {
            self.invite(c, &ev);
        }
    }

    /// The store's customers seen since `since` who drive a `vtype`.
    fn audience(&self, s: usize, vtype: &str, since: NaiveDate) -> Vec<usize> {
        (0..self.custs.len())
            .filter(|&c| {
                let cu = &self.custs[c];
                cu.store == s
                    && cu.id != 0
                    && cu.vehicle_id.is_some()
                    && cu.vtype == vtype
                    && cu.last_visit.is_some_and(|v| v >= since)
            })
            .collect()
    }

    /// An invitee: the notice call with the answer, then the letter, and the invitee row.
    fn invite(&mut self, c: usize, ev: &Announced) {
        let mut notice = self.new_task(
            c,
            TaskKind::EventNotice,
            None,
            self.cad.event_notice(ev.created, ev.starts),
            ev.created_at,
        );
        notice.event_id = Some(ev.id);
        let mut answer = None;
        if let Some(mut call) = self.work(c, &mut notice, Category::EventNotice, false) {
            let a = self.pick(&[
                EventAnswer::Coming,
                EventAnswer::Coming,
                EventAnswer::NotComing,
                EventAnswer::Undecided,
            ]);
            answer = Some(a);
            call.event_answer = Some(a);
            call.key_points = format!("已电话通知{}，客户答复：{a}", ev.title);
            call.topics = Topic::C5.as_str().into();
            let letter = self.letter(c, ev, &call);
            self.reg(Reg::Call(call));
            self.emit_task(&letter);
        }
        self.emit_task(&notice);
        self.ids.invitee += 1;
        let row = gen_row![
            self.ids.invitee,
            ev.id,
            self.custs[c].id,
            notice.id,
            answer.as_ref()
        ];
        self.sink.push(table("event_invitees"), row);
    }

    /// The letter task after a reached notice call: waived now and then, else the letter
    /// sent within two days.
    fn letter(&mut self, c: usize, ev: &Announced, call: &CallRow) -> TaskRow {
        let p = call.at.date();
        let mut letter = self.new_task(
            c,
            TaskKind::EventLetter,
            None,
            self.cad.event_letter(p),
            call.at,
        );
        letter.event_id = Some(ev.id);
        let sent = p + Duration::days(self.rng.gen_range(0..3));
        if self.chance(0.35) {
            // Waived with a reason (视情况需要).
            let at = call.at + Duration::minutes(5);
            let by = call.handler;
            self.closed(&mut letter, CloseReason::Waived, at, by);
            letter.note = Some("客户已在电话中确认，无需寄信".into());
        } else if sent < self.today {
            let at = self.at(sent, 10, 17).max(call.at + Duration::minutes(5));
            let (by, _) = self.handler(letter.clerk_id, at.date());
            let name = self.custs[c].name.clone();
            let (title, content) = (&ev.title, ev.content);
            self.reg(Reg::Letter(LetterRow {
                customer: c,
                kind: ev.letter_kind,
                subject: title.clone(),
                body: format!(
                    "尊敬的{name}：本店将于{}举办{title}，内容：{content}。地点：本店服务大厅。欢迎光临。",
                    ev.starts.format("%Y年%-m月%-d日")
                ),
                related_to: format!("event {}", ev.id),
                task_id: letter.id,
                event_id: Some(ev.id),
                at,
                handler: by,
            }));
            self.done(&mut letter, at, by);
        }
        letter
    }
}
