//! R10, X5: the supervisor's monthly summary over a fixed, hand-built history — a few dozen
//! visits, tasks, calls, items, events and letters across September and October 2026 and three
//! clerks — every figure computed by hand here and compared with the summary, on both
//! backends; filing freezes the figures; bad input is refused with its reason.

use crate::helpers::*;
use crate::{both_backends, count_rows};
use diesel::RunQueryDsl;
use serde_json::{json, Value};

pub(crate) const TODAY: &str = "2026-11-05";
const T: &str = "'2026-10-01 00:00:00'";

struct Hist<'a> {
    env: &'a TestEnv,
}

fn d(s: &str) -> String {
    format!("'{s}'")
}

fn opt(s: Option<&str>) -> String {
    s.map(d).unwrap_or_else(|| "NULL".into())
}

impl Hist<'_> {
    fn sql(&self, s: &str) {
        self.env.with(|c| {
            diesel::sql_query(s)
                .execute(c)
                .unwrap_or_else(|e| panic!("{s}: {e}"));
        });
    }

    fn customer(&self, id: i32, clerk: i32) {
        self.sql(&format!("INSERT INTO customers (id, store_id, name, phone, clerk_id, created_at, updated_at) VALUES ({id}, 1, '客户{id}', '1380000{id}', {clerk}, {T}, {T})"));
    }

    /// A visit (or consultation) with its archive task (window D … D + 2) when a clerk is given.
    fn visit(
        &self,
        id: i32,
        cust: i32,
        kind: &str,
        on: &str,
        archive: Option<(i32, &str, Option<&str>)>,
    ) {
        self.sql(&format!("INSERT INTO visits (id, store_id, customer_id, kind, checked_in_at, visit_date, items, source, created_at, updated_at) VALUES ({id}, 1, {cust}, '{kind}', {T}, {}, '', 'test', {T}, {T})", d(on)));
        if let Some((clerk, status, done)) = archive {
            let date: chrono::NaiveDate = on.parse().unwrap();
            let end = (date + chrono::Duration::days(2)).to_string();
            self.task(
                id,
                "archive",
                cust,
                clerk,
                on,
                &end,
                status,
                done,
                None,
                Some(id),
                None,
                None,
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn task(
        &self,
        id: i32,
        kind: &str,
        cust: i32,
        clerk: i32,
        ws: &str,
        we: &str,
        status: &str,
        done: Option<&str>,
        reason: Option<&str>,
        visit: Option<i32>,
        item: Option<i32>,
        event: Option<i32>,
    ) {
        let n = |v: Option<i32>| v.map(|v| v.to_string()).unwrap_or_else(|| "NULL".into());
        self.sql(&format!("INSERT INTO tasks (id, store_id, kind, customer_id, visit_id, clerk_id, window_start, window_end, status, close_reason, done_on, attempts, created_at, updated_at, item_id, event_id) VALUES ({id}, 1, '{kind}', {cust}, {}, {clerk}, {}, {}, '{status}', {}, {}, 0, {T}, {T}, {}, {})",
            n(visit), d(ws), d(we), opt(reason), opt(done), n(item), n(event)));
    }

    /// One call: its record and its register line (an amendment line when `amends`).
    #[allow(clippy::too_many_arguments)]
    fn call(
        &self,
        id: i32,
        cust: i32,
        clerk: i32,
        on: &str,
        dir: &str,
        cat: &str,
        outcome: &str,
        amends: Option<&str>,
    ) {
        if amends.is_none() {
            self.sql(&format!("INSERT INTO call_records (id, store_id, record_no, customer_id, direction, category, outcome, called_at, called_on, customer_name, phone, topics, key_points, handled_by_id, handled_by, created_at) VALUES ({id}, 1, 'JL-{id}', {cust}, '{dir}', '{cat}', '{outcome}', {T}, {}, 'c', 'p', '', '', {clerk}, 'h', {T})", d(on)));
        }
        let rec = if amends.is_some() { 2001 } else { id };
        self.sql(&format!("INSERT INTO call_register (id, store_id, register_no, call_record_id, record_no, called_on, customer_name, phone, direction, category, outcome, handled_by_id, handled_by, created_at, amends) VALUES ({id}, 1, 'DH-{id}', {rec}, 'JL-{rec}', {}, 'c', 'p', '{dir}', '{cat}', '{outcome}', {clerk}, 'h', {T}, {})", d(on), opt(amends)));
    }

    #[allow(clippy::too_many_arguments)]
    fn item(
        &self,
        id: i32,
        cust: i32,
        clerk: i32,
        call: i32,
        raised: &str,
        answered: bool,
        status: &str,
        escalated: Option<&str>,
        solved: Option<&str>,
        told: Option<&str>,
        satisfied: Option<bool>,
        closed: Option<&str>,
    ) {
        let sat = satisfied
            .map(|s| if s { "TRUE" } else { "FALSE" })
            .unwrap_or("NULL");
        self.sql(&format!("INSERT INTO items (id, store_id, customer_id, call_record_id, clerk_id, kind, text, answered_on_call, status, raised_at, raised_on, created_at, escalated_on, solved_on, told_on, satisfied, closed_on) VALUES ({id}, 1, {cust}, {call}, {clerk}, 'request', 't', {}, '{status}', {T}, {}, {T}, {}, {}, {}, {sat}, {})",
            if answered { "TRUE" } else { "FALSE" }, d(raised), opt(escalated), opt(solved), opt(told), opt(closed)));
    }

    fn event(&self, id: i32, starts: &str) {
        self.sql(&format!("INSERT INTO events (id, store_id, kind, title, starts_on, ends_on, place, content, audience, created_on, created_at) VALUES ({id}, 1, 'get_together', '联谊会{id}', {s}, {s}, 'p', 'c', 'all', '2026-09-01', {T})", s = d(starts)));
    }

    fn letter(&self, id: i32, cust: i32, clerk: i32, on: &str, kind: &str, amends: Option<&str>) {
        self.sql(&format!("INSERT INTO letter_register (id, store_id, register_no, sent_on, customer_id, customer_name, address, letter_kind, subject, body, related_to, handled_by_id, handled_by, created_at, amends) VALUES ({id}, 1, 'XH-{id}', {}, {cust}, 'c', 'a', '{kind}', 's', 'b', '', {clerk}, 'h', {T}, {})", d(on), opt(amends)));
    }
}

/// The history of September and October 2026 (see the figures below for what each line is).
pub(crate) fn history(env: &TestEnv) -> (i32, i32, i32) {
    let (a, b, c) = (
        env.user("clerka", "clerk"),
        env.user("clerkb", "clerk"),
        env.user("clerkc", "clerk"),
    );
    let h = Hist { env };
    for (id, clerk) in [
        (1001, a),
        (1002, a),
        (1003, b),
        (1004, b),
        (1005, c),
        (1006, c),
    ] {
        h.customer(id, clerk);
    }
    // Visits and their archives (R2).
    h.visit(
        801,
        1001,
        "repair",
        "2026-10-20",
        Some((a, "done", Some("2026-10-21"))),
    ); // on time
    h.visit(
        802,
        1002,
        "maintenance",
        "2026-10-03",
        Some((a, "done", Some("2026-10-07"))),
    ); // late
    h.visit(803, 1001, "repair", "2026-10-10", Some((a, "open", None))); // missed
    h.visit(
        804,
        1002,
        "consultation",
        "2026-10-14",
        Some((a, "done", Some("2026-10-15"))),
    );
    h.visit(
        805,
        1001,
        "repair",
        "2026-09-30",
        Some((a, "done", Some("2026-10-02"))),
    ); // Sep visit, Oct archive
    h.visit(
        806,
        1003,
        "repair",
        "2026-10-05",
        Some((b, "done", Some("2026-10-06"))),
    );
    h.visit(
        807,
        1004,
        "repair",
        "2026-10-30",
        Some((b, "done", Some("2026-10-31"))),
    ); // archive ends in Nov
    h.visit(
        808,
        1005,
        "repair",
        "2026-10-12",
        Some((c, "done", Some("2026-10-13"))),
    );
    h.visit(
        809,
        1005,
        "consultation",
        "2026-10-21",
        Some((c, "done", Some("2026-10-25"))),
    ); // late
    h.visit(
        810,
        1003,
        "consultation",
        "2026-09-10",
        Some((b, "done", Some("2026-09-11"))),
    );
    h.visit(
        811,
        1006,
        "repair",
        "2026-09-25",
        Some((c, "done", Some("2026-09-26"))),
    );
    h.visit(812, 1006, "repair", "2026-11-03", None); // C's reminded customer comes back (X5)
                                                      // First follow-ups (R4).
    h.task(
        101,
        "first_follow_up",
        1001,
        a,
        "2026-10-04",
        "2026-10-08",
        "done",
        Some("2026-10-06"),
        None,
        None,
        None,
        None,
    );
    h.task(
        102,
        "first_follow_up",
        1002,
        a,
        "2026-10-10",
        "2026-10-14",
        "done",
        Some("2026-10-16"),
        None,
        None,
        None,
        None,
    );
    h.task(
        103,
        "first_follow_up",
        1001,
        a,
        "2026-10-20",
        "2026-10-24",
        "open",
        None,
        None,
        None,
        None,
        None,
    );
    h.task(
        104,
        "first_follow_up",
        1002,
        a,
        "2026-10-27",
        "2026-10-31",
        "open",
        None,
        None,
        None,
        None,
        None,
    );
    h.task(
        105,
        "first_follow_up",
        1003,
        b,
        "2026-10-05",
        "2026-10-09",
        "done",
        Some("2026-10-03"),
        None,
        None,
        None,
        None,
    );
    h.task(
        106,
        "first_follow_up",
        1004,
        b,
        "2026-10-12",
        "2026-10-16",
        "closed",
        Some("2026-10-17"),
        Some("unreachable"),
        None,
        None,
        None,
    );
    h.task(
        107,
        "first_follow_up",
        1003,
        b,
        "2026-10-15",
        "2026-10-19",
        "closed",
        Some("2026-10-15"),
        Some("refuses_channel"),
        None,
        None,
        None,
    );
    h.task(
        108,
        "first_follow_up",
        1005,
        c,
        "2026-10-01",
        "2026-10-05",
        "done",
        Some("2026-10-05"),
        None,
        None,
        None,
        None,
    );
    h.task(
        109,
        "first_follow_up",
        1005,
        c,
        "2026-10-28",
        "2026-11-01",
        "open",
        None,
        None,
        None,
        None,
        None,
    );
    h.task(
        110,
        "first_follow_up",
        1001,
        a,
        "2026-09-05",
        "2026-09-09",
        "done",
        Some("2026-09-07"),
        None,
        None,
        None,
        None,
    );
    // Second follow-ups (R5).
    h.task(
        111,
        "second_follow_up",
        1001,
        a,
        "2026-10-10",
        "2026-10-17",
        "done",
        Some("2026-10-12"),
        None,
        None,
        None,
        None,
    );
    h.task(
        112,
        "second_follow_up",
        1003,
        b,
        "2026-10-20",
        "2026-10-27",
        "done",
        Some("2026-10-29"),
        None,
        None,
        None,
        None,
    );
    // Calls (R7): outbound and inbound, one in September, one in November, and a line (2001)
    // with an amendment line (220) that is not a call of its own.
    for (id, cust, clerk, on, dir, cat, outcome) in [
        (
            201,
            1001,
            a,
            "2026-10-06",
            "outbound",
            "follow_up",
            "reached",
        ),
        (
            202,
            1002,
            a,
            "2026-10-12",
            "outbound",
            "follow_up",
            "reached",
        ),
        (
            203,
            1002,
            a,
            "2026-10-16",
            "outbound",
            "follow_up",
            "reached",
        ),
        (
            204,
            1001,
            a,
            "2026-10-20",
            "outbound",
            "follow_up",
            "no_answer",
        ),
        (
            205,
            1001,
            a,
            "2026-10-21",
            "outbound",
            "follow_up",
            "no_answer",
        ),
        (206, 1001, a, "2026-10-22", "outbound", "follow_up", "busy"),
        (207, 1002, a, "2026-10-08", "inbound", "inquiry", "reached"),
        (
            208,
            1003,
            b,
            "2026-10-03",
            "outbound",
            "follow_up",
            "reached",
        ),
        (
            209,
            1003,
            b,
            "2026-10-29",
            "outbound",
            "follow_up",
            "reached",
        ),
        (
            210,
            1004,
            b,
            "2026-10-14",
            "outbound",
            "follow_up",
            "wrong_number",
        ),
        (
            211,
            1004,
            b,
            "2026-10-13",
            "outbound",
            "follow_up",
            "refused",
        ),
        (
            212,
            1004,
            b,
            "2026-10-15",
            "outbound",
            "follow_up",
            "callback_requested",
        ),
        (
            213,
            1004,
            b,
            "2026-10-18",
            "inbound",
            "complaint",
            "reached",
        ),
        (
            214,
            1005,
            c,
            "2026-10-05",
            "outbound",
            "follow_up",
            "reached",
        ),
        (
            215,
            1005,
            c,
            "2026-10-09",
            "outbound",
            "follow_up",
            "no_answer",
        ),
        (216, 1006, c, "2026-10-11", "inbound", "inquiry", "reached"),
        (217, 1006, c, "2026-10-25", "inbound", "other", "reached"),
        (
            218,
            1001,
            a,
            "2026-09-30",
            "outbound",
            "follow_up",
            "reached",
        ),
        (
            219,
            1005,
            c,
            "2026-11-01",
            "outbound",
            "follow_up",
            "no_answer",
        ),
        (
            2001,
            1001,
            a,
            "2026-10-07",
            "outbound",
            "follow_up",
            "reached",
        ),
    ] {
        h.call(id, cust, clerk, on, dir, cat, outcome, None);
    }
    h.call(
        220,
        1001,
        a,
        "2026-10-07",
        "outbound",
        "follow_up",
        "reached",
        Some("DH-2001"),
    );
    // Items (R4a–R4d) and their escalations.
    h.item(
        301,
        1001,
        a,
        201,
        "2026-10-06",
        true,
        "answered",
        None,
        None,
        None,
        None,
        None,
    );
    h.item(
        302,
        1002,
        a,
        202,
        "2026-10-12",
        false,
        "closed",
        Some("2026-10-13"),
        Some("2026-10-20"),
        Some("2026-10-20"),
        Some(true),
        Some("2026-10-20"),
    );
    h.item(
        303,
        1003,
        b,
        208,
        "2026-10-03",
        false,
        "closed",
        Some("2026-10-08"),
        Some("2026-10-09"),
        Some("2026-10-10"),
        Some(true),
        Some("2026-10-10"),
    );
    h.item(
        304,
        1004,
        b,
        213,
        "2026-10-18",
        false,
        "open",
        None,
        None,
        None,
        None,
        None,
    );
    h.item(
        305,
        1005,
        c,
        214,
        "2026-10-05",
        false,
        "open",
        None,
        Some("2026-10-07"),
        Some("2026-10-07"),
        Some(false),
        None,
    );
    h.item(
        306,
        1006,
        c,
        216,
        "2026-10-25",
        true,
        "answered",
        None,
        None,
        None,
        None,
        None,
    );
    h.item(
        307,
        1001,
        a,
        204,
        "2026-10-28",
        false,
        "closed",
        Some("2026-10-29"),
        Some("2026-11-02"),
        Some("2026-11-02"),
        Some(true),
        Some("2026-11-02"),
    );
    h.task(
        401,
        "escalation",
        1002,
        a,
        "2026-10-12",
        "2026-10-14",
        "done",
        Some("2026-10-13"),
        None,
        None,
        Some(302),
        None,
    );
    h.task(
        402,
        "escalation",
        1003,
        b,
        "2026-10-03",
        "2026-10-05",
        "done",
        Some("2026-10-08"),
        None,
        None,
        Some(303),
        None,
    );
    h.task(
        403,
        "escalation",
        1004,
        b,
        "2026-10-18",
        "2026-10-20",
        "open",
        None,
        None,
        None,
        Some(304),
        None,
    );
    h.task(
        404,
        "escalation",
        1005,
        c,
        "2026-10-05",
        "2026-10-07",
        "closed",
        Some("2026-10-07"),
        Some("superseded"),
        None,
        Some(305),
        None,
    );
    h.task(
        405,
        "escalation",
        1001,
        a,
        "2026-10-28",
        "2026-10-30",
        "done",
        Some("2026-10-29"),
        None,
        None,
        Some(307),
        None,
    );
    // Events (R6): one starts in October, one in November; notices and letters.
    h.event(501, "2026-10-25");
    h.event(502, "2026-11-20");
    h.task(
        511,
        "event_notice",
        1001,
        a,
        "2026-10-01",
        "2026-10-11",
        "done",
        Some("2026-10-09"),
        None,
        None,
        None,
        Some(501),
    );
    h.task(
        512,
        "event_notice",
        1003,
        b,
        "2026-10-01",
        "2026-10-11",
        "done",
        Some("2026-10-13"),
        None,
        None,
        None,
        Some(501),
    );
    h.task(
        513,
        "event_notice",
        1005,
        c,
        "2026-10-01",
        "2026-10-11",
        "closed",
        Some("2026-10-02"),
        Some("refuses_channel"),
        None,
        None,
        Some(501),
    );
    h.task(
        514,
        "event_notice",
        1002,
        a,
        "2026-10-20",
        "2026-11-06",
        "done",
        Some("2026-10-28"),
        None,
        None,
        None,
        Some(502),
    );
    h.task(
        521,
        "event_letter",
        1001,
        a,
        "2026-10-09",
        "2026-10-11",
        "done",
        Some("2026-10-10"),
        None,
        None,
        None,
        Some(501),
    );
    h.task(
        522,
        "event_letter",
        1003,
        b,
        "2026-10-13",
        "2026-10-15",
        "closed",
        Some("2026-10-14"),
        Some("waived"),
        None,
        None,
        Some(501),
    );
    h.task(
        523,
        "event_letter",
        1002,
        a,
        "2026-10-28",
        "2026-10-30",
        "done",
        Some("2026-10-31"),
        None,
        None,
        None,
        Some(502),
    );
    // Letters (R8), one amendment line.
    h.letter(601, 1001, a, "2026-10-10", "invitation", None);
    h.letter(602, 1002, a, "2026-10-31", "invitation", None);
    h.letter(603, 1001, a, "2026-10-22", "notice", None);
    h.letter(604, 1003, b, "2026-10-12", "reply", None);
    h.letter(605, 1004, b, "2026-10-17", "notice", None);
    h.letter(606, 1004, b, "2026-10-19", "notice", Some("XH-605"));
    // Maintenance reminders (N1) and returns (X5).
    h.task(
        701,
        "maintenance_reminder",
        1001,
        a,
        "2026-10-03",
        "2026-10-10",
        "done",
        Some("2026-10-05"),
        None,
        None,
        None,
        None,
    ); // back on 10-10
    h.task(
        702,
        "maintenance_reminder",
        1002,
        a,
        "2026-10-13",
        "2026-10-20",
        "done",
        Some("2026-10-15"),
        None,
        None,
        None,
        None,
    ); // not back
    h.task(
        703,
        "maintenance_reminder",
        1003,
        b,
        "2026-10-20",
        "2026-10-27",
        "open",
        None,
        None,
        None,
        None,
        None,
    );
    h.task(
        704,
        "maintenance_reminder",
        1006,
        c,
        "2026-10-01",
        "2026-10-08",
        "done",
        Some("2026-10-02"),
        None,
        None,
        None,
        None,
    ); // back on 11-03
    h.task(
        705,
        "maintenance_reminder",
        1005,
        c,
        "2026-10-02",
        "2026-10-09",
        "closed",
        Some("2026-10-03"),
        Some("refuses_channel"),
        None,
        None,
        None,
    );
    (a, b, c)
}

/// FIGURES from a list of the non-zero counts (everything else 0) and the rates.
fn figures(
    counts: &[(&str, i64)],
    reach: Option<f64>,
    median: Option<f64>,
    ret: Option<f64>,
) -> Value {
    let mut f = json!({
        "visits": 0, "consultations": 0,
        "archives_due": 0, "archives_on_time": 0, "archives_late": 0, "archives_missed": 0,
        "first_follow_ups_due": 0, "first_follow_ups_on_time": 0, "first_follow_ups_late": 0, "first_follow_ups_early": 0, "first_follow_ups_missed": 0,
        "second_follow_ups_due": 0, "second_follow_ups_on_time": 0, "second_follow_ups_late": 0, "second_follow_ups_early": 0, "second_follow_ups_missed": 0,
        "outbound_calls": 0, "reached_calls": 0, "reach_rate": reach,
        "failed_calls": {"no_answer": 0, "busy": 0, "refused": 0, "wrong_number": 0},
        "inbound_inquiries": 0, "inbound_complaints": 0,
        "items_raised": 0, "items_answered_on_call": 0, "items_escalated": 0, "items_escalated_late": 0, "items_solved": 0,
        "items_customer_told_same_day": 0, "items_satisfied": 0, "items_open_at_end": 0, "median_days_to_close": median,
        "events": 0, "event_notices_due": 0, "event_notices_on_time": 0, "event_letters_sent_on_time": 0, "event_letters_waived": 0,
        "letters": {"notice": 0, "invitation": 0, "reply": 0},
        "maintenance_reminders_due": 0, "maintenance_reminders_done": 0, "returned_within_30_days": 0, "return_rate": ret,
    });
    // X6–X8 (issue 16): nothing of them in this month.
    let x6_x8 = json!({
        "satisfaction_answers": 0, "satisfaction_declined": 0, "satisfaction_mean": null, "satisfaction_low": 0, "csi": null,
        "aspects": {"reception": null, "repair_quality": null, "on_time": null, "price_explained": null, "returned_clean": null},
        "lost_customers": 0, "win_back_calls": 0, "won_back": 0,
    });
    for (k, v) in x6_x8.as_object().unwrap() {
        f[k] = v.clone();
    }
    for (k, v) in counts {
        match k.split_once('.') {
            Some((a, b)) => f[a][b] = json!(v),
            None => {
                assert!(f.get(*k).is_some(), "{k}");
                f[*k] = json!(v)
            }
        }
    }
    f
}

fn expected_totals() -> Value {
    figures(
        &[
            ("visits", 6),
            ("consultations", 2),
            ("archives_due", 8),
            ("archives_on_time", 5),
            ("archives_late", 2),
            ("archives_missed", 1),
            ("first_follow_ups_due", 7),
            ("first_follow_ups_on_time", 2),
            ("first_follow_ups_late", 1),
            ("first_follow_ups_early", 1),
            ("first_follow_ups_missed", 2),
            ("second_follow_ups_due", 2),
            ("second_follow_ups_on_time", 1),
            ("second_follow_ups_late", 1),
            ("outbound_calls", 14),
            ("reached_calls", 7),
            ("failed_calls.no_answer", 3),
            ("failed_calls.busy", 1),
            ("failed_calls.refused", 1),
            ("failed_calls.wrong_number", 1),
            ("inbound_inquiries", 2),
            ("inbound_complaints", 1),
            ("items_raised", 7),
            ("items_answered_on_call", 2),
            ("items_escalated", 3),
            ("items_escalated_late", 1),
            ("items_solved", 4),
            ("items_customer_told_same_day", 3),
            ("items_satisfied", 3),
            ("items_open_at_end", 3),
            ("events", 1),
            ("event_notices_due", 2),
            ("event_notices_on_time", 1),
            ("event_letters_sent_on_time", 1),
            ("event_letters_waived", 1),
            ("letters.notice", 2),
            ("letters.invitation", 2),
            ("letters.reply", 1),
            ("maintenance_reminders_due", 4),
            ("maintenance_reminders_done", 3),
            ("returned_within_30_days", 2),
        ],
        Some(0.5),
        Some(3.5),
        Some(2.0 / 3.0),
    )
}

fn expected_clerks() -> Value {
    let a = figures(
        &[
            ("visits", 3),
            ("consultations", 1),
            ("archives_due", 5),
            ("archives_on_time", 3),
            ("archives_late", 1),
            ("archives_missed", 1),
            ("first_follow_ups_due", 4),
            ("first_follow_ups_on_time", 1),
            ("first_follow_ups_late", 1),
            ("first_follow_ups_missed", 1),
            ("second_follow_ups_due", 1),
            ("second_follow_ups_on_time", 1),
            ("outbound_calls", 7),
            ("reached_calls", 4),
            ("failed_calls.no_answer", 2),
            ("failed_calls.busy", 1),
            ("inbound_inquiries", 1),
            ("items_raised", 3),
            ("items_answered_on_call", 1),
            ("items_escalated", 2),
            ("items_solved", 2),
            ("items_customer_told_same_day", 2),
            ("items_satisfied", 2),
            ("items_open_at_end", 1),
            ("events", 1),
            ("event_notices_due", 1),
            ("event_notices_on_time", 1),
            ("event_letters_sent_on_time", 1),
            ("letters.notice", 1),
            ("letters.invitation", 2),
            ("maintenance_reminders_due", 2),
            ("maintenance_reminders_done", 2),
            ("returned_within_30_days", 1),
        ],
        Some(4.0 / 7.0),
        Some(4.0),
        Some(0.5),
    );
    let b = figures(
        &[
            ("visits", 2),
            ("archives_due", 1),
            ("archives_on_time", 1),
            ("first_follow_ups_due", 2),
            ("first_follow_ups_early", 1),
            ("first_follow_ups_missed", 1),
            ("second_follow_ups_due", 1),
            ("second_follow_ups_late", 1),
            ("outbound_calls", 5),
            ("reached_calls", 2),
            ("failed_calls.refused", 1),
            ("failed_calls.wrong_number", 1),
            ("inbound_complaints", 1),
            ("items_raised", 2),
            ("items_escalated", 1),
            ("items_escalated_late", 1),
            ("items_solved", 1),
            ("items_satisfied", 1),
            ("items_open_at_end", 1),
            ("events", 1),
            ("event_notices_due", 1),
            ("event_letters_waived", 1),
            ("letters.notice", 1),
            ("letters.reply", 1),
            ("maintenance_reminders_due", 1),
        ],
        Some(0.4),
        Some(7.0),
        None,
    );
    let c = figures(
        &[
            ("visits", 1),
            ("consultations", 1),
            ("archives_due", 2),
            ("archives_on_time", 1),
            ("archives_late", 1),
            ("first_follow_ups_due", 1),
            ("first_follow_ups_on_time", 1),
            ("outbound_calls", 2),
            ("reached_calls", 1),
            ("failed_calls.no_answer", 1),
            ("inbound_inquiries", 1),
            ("items_raised", 2),
            ("items_answered_on_call", 1),
            ("items_solved", 1),
            ("items_customer_told_same_day", 1),
            ("items_open_at_end", 1),
            ("events", 1),
            ("maintenance_reminders_due", 1),
            ("maintenance_reminders_done", 1),
            ("returned_within_30_days", 1),
        ],
        Some(0.5),
        Some(0.0),
        Some(1.0),
    );
    let mut out = Vec::new();
    for (name, f) in [("clerka", a), ("clerkb", b), ("clerkc", c)] {
        let mut m = serde_json::Map::new();
        m.insert("clerk".into(), json!(name));
        m.extend(f.as_object().unwrap().clone());
        out.push(Value::Object(m));
    }
    Value::Array(out)
}

fn expected_september() -> Value {
    figures(
        &[
            ("visits", 2),
            ("consultations", 1),
            ("archives_due", 2),
            ("archives_on_time", 2),
            ("first_follow_ups_due", 1),
            ("first_follow_ups_on_time", 1),
            ("outbound_calls", 1),
            ("reached_calls", 1),
        ],
        Some(1.0),
        None,
        None,
    )
}

fn diff(label: &str, got: &Value, want: &Value) {
    if got == want {
        return;
    }
    if let (Some(g), Some(w)) = (got.as_object(), want.as_object()) {
        for (k, wv) in w {
            assert_eq!(g.get(k), Some(wv), "{label}: {k}");
        }
        assert_eq!(
            g.len(),
            w.len(),
            "{label}: keys {:?}",
            g.keys().collect::<Vec<_>>()
        );
    }
    assert_eq!(got, want, "{label}");
}

both_backends!(
    r10_x5_every_figure_of_a_hand_built_month_matches_the_hand_count,
    |b| {
        let env = TestEnv::new(b, TODAY);
        history(&env);
        env.user("boss", "supervisor");
        let app = env.spawn();
        let api = Api::new(&app, &env.token("boss"));
        let r = api.get("/api/v1/summaries/monthly/2026-10");
        assert_eq!(r.status, 200, "{}", r.body);
        let j = r.json();
        assert_eq!(j["period"], "2026-10");
        assert_eq!(j["filed"], false);
        assert_eq!(j["store"], "main");
        let keys: Vec<&String> = j.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 6, "{keys:?}");
        diff("totals", &j["totals"], &expected_totals());
        diff("previous", &j["previous"], &expected_september());
        let clerks = j["clerks"].as_array().unwrap();
        let want = expected_clerks();
        assert_eq!(clerks.len(), 3, "{clerks:?}");
        for (g, w) in clerks.iter().zip(want.as_array().unwrap()) {
            diff(w["clerk"].as_str().unwrap(), g, w);
        }
        // The command line prints the same figures (the group: store null).
        let (code, out, err) = cli(
            &env.db,
            TODAY,
            &["summary", "monthly", "2026-10", "--format", "json"],
            None,
        );
        assert_eq!(code, 0, "{err}");
        let cj: Value = serde_json::from_str(&out).unwrap();
        diff("cli totals", &cj["totals"], &expected_totals());
        assert_eq!(cj["store"], Value::Null);
        // Every figure links to its lines: "late first follow-ups: 1" opens that one task.
        let mut br = Browser::new(&app);
        br.login("boss");
        let page = br.get("/summaries/monthly/2026-10");
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page
            .body
            .contains("/summaries/monthly/2026-10/lines?figure=first_follow_ups_late"));
        assert!(page.body.contains("<svg"), "charts as SVG in the page");
        for (figure, clerk, ids) in [
            ("first_follow_ups_late", None, vec!["102"]),
            ("first_follow_ups_missed", None, vec!["103", "106"]),
            ("items_open_at_end", None, vec!["305", "304", "307"]),
            ("failed_calls.no_answer", None, vec!["215", "204", "205"]),
            ("returned_within_30_days", None, vec!["704", "701"]),
            ("archives_missed", Some(env_id(&env, "clerka")), vec!["803"]),
            ("letters.notice", None, vec!["605", "603"]),
        ] {
            let path = match clerk {
                Some(c) => format!("/summaries/monthly/2026-10/lines?figure={figure}&clerk={c}"),
                None => format!("/summaries/monthly/2026-10/lines?figure={figure}"),
            };
            let l = br.get(&path);
            assert_eq!(l.status, 200, "{path}: {}", l.body);
            let mut found: Vec<&str> = l
                .body
                .split("data-id=\"")
                .skip(1)
                .map(|s| s.split('"').next().unwrap())
                .collect();
            found.sort_unstable();
            let mut ids = ids;
            ids.sort_unstable();
            assert_eq!(found, ids, "{figure}");
        }
        // A line speaks the reader's language: the stored codes (outcome, kind, status) are
        // shown as words, in Chinese here and in English below.
        let l = br.get("/summaries/monthly/2026-10/lines?figure=failed_calls.no_answer");
        assert!(l.body.contains(">无人接听<"), "{}", l.body);
        assert!(!l.body.contains(">no_answer<"), "{}", l.body);
        let l = br.get("/summaries/monthly/2026-10/lines?figure=first_follow_ups_late");
        assert!(
            l.body.contains(">第一次跟踪服务<") && l.body.contains(">已完成<"),
            "{}",
            l.body
        );
        // The same page in English.
        let mut en = Browser::new(&app);
        en.accept_language = "en".into();
        en.login("boss");
        let l = en.get("/summaries/monthly/2026-10/lines?figure=letters.notice");
        assert!(l.body.contains(">Notice<"), "{}", l.body);
        let page = en.get("/summaries/monthly/2026-10");
        assert!(
            page.body.contains("Monthly summary 2026-10"),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("Late first follow-ups")
                || page.body.contains("First follow-ups late")
        );
        // The per-clerk CSV and the yearly summary.
        let csv = br.get("/summaries/monthly/2026-10/clerks.csv");
        assert_eq!(csv.status, 200);
        assert_eq!(
            csv.body.lines().count(),
            5,
            "header, three clerks, the store"
        );
        let y = br.get("/summaries/yearly/2026");
        assert_eq!(y.status, 200, "{}", y.body);
        assert!(y.body.contains("trend-rates"));
    }
);

fn env_id(env: &TestEnv, name: &str) -> i32 {
    use aftercare::db::schema::users;
    use diesel::prelude::*;
    env.with(|c| {
        users::table
            .filter(users::username.eq(name))
            .select(users::id)
            .first(c)
            .unwrap()
    })
}

both_backends!(
    r10_filing_freezes_the_figures_and_a_correction_is_a_new_version,
    |b| {
        let env = TestEnv::new(b, TODAY);
        history(&env);
        env.user("boss", "supervisor");
        let app = env.spawn();
        let api = Api::new(&app, &env.token("boss"));
        // One real call, so the registers have a chain whose head filing records.
        let v = api.visit("13900000001", "沪A·10001", "2026-10-02T09:00");
        api.call(json!({"customer_id": v["customer_id"], "direction": "inbound", "category": "inquiry", "outcome": "reached", "called_at": "2026-10-20T10:00", "key_points": "问保养"}));
        let mut br = Browser::new(&app);
        br.login("boss");
        br.get("/summaries/monthly/2026-10");
        // A draft may be saved half-written; it is kept as version 1.
        let r = br.post(
            "/summaries/monthly/2026-10/report",
            &[
                ("went_well", "草稿"),
                ("problems", ""),
                ("measures", ""),
                ("meeting_on", ""),
                ("attendees", ""),
            ],
        );
        assert_eq!(r.status, 303, "{}", r.body);
        assert!(br.get("/summaries/monthly/2026-10").body.contains("草稿"));
        // Filing without the written assessment is refused, naming each part.
        let r = br.post(
            "/summaries/monthly/2026-10/file",
            &[
                ("went_well", "好"),
                ("problems", ""),
                ("measures", ""),
                ("meeting_on", ""),
                ("attendees", ""),
            ],
        );
        assert_eq!(r.status, 422, "{}", r.body);
        for field in ["存在的问题", "下月改进措施", "本部工作会日期", "参加人员"]
        {
            assert!(r.body.contains(field), "{field}");
        }
        let report = [
            ("went_well", "回访及时"),
            ("problems", "接通率偏低"),
            ("measures", "改在晚上回访"),
            ("meeting_on", "2026-11-03"),
            ("attendees", "王芳、李强、张敏"),
        ];
        let r = br.post("/summaries/monthly/2026-10/file", &report);
        assert_eq!(r.status, 303, "{}", r.body);
        let filed = api.get("/api/v1/summaries/monthly/2026-10").json();
        assert_eq!(filed["filed"], true);
        assert_eq!(filed["totals"]["inbound_inquiries"], 3);
        let heads: String = env.with(|c| {
            use diesel::prelude::*;
            aftercare::db::schema::summaries::table
                .select(aftercare::db::schema::summaries::chain_heads)
                .first(c)
                .unwrap()
        });
        assert!(heads.contains("call-register"), "{heads}");
        // Data added afterwards: the live figures move, the filed summary does not.
        Hist { env: &env }.call(
            230,
            1001,
            env_id(&env, "clerka"),
            "2026-10-23",
            "outbound",
            "follow_up",
            "reached",
            None,
        );
        let again = api.get("/api/v1/summaries/monthly/2026-10").json();
        assert_eq!(again, filed);
        let live = env.with(|c| {
            let p = aftercare::domain::summary::Period::month(2026, 10);
            aftercare::services::summaries::draft(c, &env.ctx, Some(1), p).unwrap()
        });
        assert_eq!(live.totals.outbound_calls, 15);
        // The database itself refuses to change a filed summary.
        let changed =
            env.with(|c| diesel::sql_query("UPDATE summaries SET went_well = 'x'").execute(c));
        assert!(changed.is_err());
        // Filing twice is refused; a correction is a new version and keeps the old.
        let r = br.post("/summaries/monthly/2026-10/file", &report);
        assert_eq!(r.status, 409, "{}", r.body);
        assert!(r.body.contains("已存档"), "{}", r.body);
        br.get("/summaries/monthly/2026-10");
        let r = br.post(
            "/summaries/monthly/2026-10/correct",
            &[("reason", "补录一通电话")],
        );
        assert_eq!(r.status, 303, "{}", r.body);
        br.get("/summaries/monthly/2026-10");
        let r = br.post("/summaries/monthly/2026-10/file", &report);
        assert_eq!(r.status, 303, "{}", r.body);
        assert_eq!(
            api.get("/api/v1/summaries/monthly/2026-10").json()["totals"]["outbound_calls"],
            15
        );
        let old = br.get("/summaries/monthly/2026-10?version=1");
        assert!(old.body.contains("filed-banner"));
        let archive = br.get("/summaries");
        assert_eq!(
            archive.body.matches("data-status=\"filed\"").count(),
            2,
            "{}",
            archive.body
        );
        let print = br.get("/summaries/monthly/2026-10/print");
        assert_eq!(print.status, 200);
        assert!(print.body.contains("接通率偏低") && print.body.contains("<svg"));
    }
);

both_backends!(
    r10_bad_periods_unfinished_months_and_other_clerks_scorecards_are_refused,
    |b| {
        let env = TestEnv::new(b, TODAY);
        let (a, bb, _) = history(&env);
        env.user("boss", "supervisor");
        let app = env.spawn();
        let api = Api::new(&app, &env.token("boss"));
        let r = api.get("/api/v1/summaries/monthly/2026-12");
        assert_eq!(r.status, 422);
        assert_eq!(r.json()["error"]["code"], "summary-period-future");
        let r = api.get("/api/v1/summaries/monthly/2026-1");
        assert_eq!(r.status, 422);
        assert_eq!(r.json()["error"]["field"], "period");
        let (code, _, err) = cli(&env.db, TODAY, &["summary", "monthly", "2026-13"], None);
        assert_eq!(code, 2, "{err}");
        let (code, _, err) = cli(
            &env.db,
            TODAY,
            &["summary", "yearly", "2026", "--format", "pdf"],
            None,
        );
        assert_eq!(code, 2, "{err}");
        let mut br = Browser::new(&app);
        br.login("boss");
        br.get("/summaries/monthly/2026-11");
        let r = br.post(
            "/summaries/monthly/2026-11/file",
            &[
                ("went_well", "a"),
                ("problems", "b"),
                ("measures", "c"),
                ("meeting_on", "2026-11-03"),
                ("attendees", "d"),
            ],
        );
        assert_eq!(r.status, 422);
        assert!(r.body.contains("尚未结束"), "{}", r.body);
        // A clerk sees their own scorecard, not a colleague's; and no summary pages.
        let mut clerk = Browser::new(&app);
        clerk.login("clerka");
        let own = clerk.get(&format!("/summaries/monthly/2026-10/scorecard/{a}"));
        assert_eq!(own.status, 200, "{}", own.body);
        assert!(own.body.contains("data-score=\"overdue_at_end\""));
        let other = clerk.get(&format!("/summaries/monthly/2026-10/scorecard/{bb}"));
        assert_eq!(other.status, 403);
        assert!(
            other.body.contains("只能查看自己的评分卡"),
            "{}",
            other.body
        );
        assert_eq!(clerk.get("/summaries/monthly/2026-10").status, 403);
    }
);

both_backends!(
    r10_the_scheduler_drafts_last_month_on_the_first_and_twice_changes_nothing,
    |b| {
        let env = TestEnv::new(b, "2027-01-01");
        history(&env);
        let run = || cli(&env.db, "2027-01-01", &["jobs", "run"], None);
        let (code, out, err) = run();
        assert_eq!(code, 0, "{err}");
        assert!(
            out.contains("2026-12：已起草 1 份草稿") && out.contains("2026：已起草 1 份草稿"),
            "{out}"
        );
        let count = || count_rows!(env, summaries);
        assert_eq!(count(), 2);
        run();
        assert_eq!(count(), 2);
    }
);
