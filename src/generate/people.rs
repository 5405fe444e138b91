//! Stores, users, advisors and customers set up before the history, the clerks' absences
//! (R9) and who handles a task on a day.

use super::sql::{table, V};
use super::words::{DISTRICTS, GIVEN, ROADS, SURNAMES, VEHICLES};
use super::{Gen, Options, PASSWORD};
use crate::db::DbConn;
use crate::domain::maintenance::Reading;
use crate::domain::role::Role;
use crate::gen_row;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use rand::Rng;

/// A customer as the simulation follows them.
pub(super) struct Cust {
    pub(super) id: i32,
    pub(super) store: usize,
    pub(super) clerk: i32,
    pub(super) name: String,
    pub(super) phone: String,
    pub(super) address: String,
    pub(super) vehicle_id: Option<i32>,
    pub(super) plate: String,
    pub(super) model: &'static str,
    pub(super) vtype: &'static str,
    pub(super) daily_km: i32,
    pub(super) base_km: i32,
    pub(super) first_visit: NaiveDate,
    pub(super) next_visit: NaiveDate,
    pub(super) last_visit: Option<NaiveDate>,
    pub(super) last_reading: Option<Reading>,
    pub(super) history: Vec<String>,
    /// X4: days with an outbound follow-up or reminder call (recent ones only).
    pub(super) busy: Vec<NaiveDate>,
    pub(super) visits: u32,
    pub(super) flagged_on: Option<NaiveDate>,
    /// X7: the latest visit's id and A10, and when the last win-back task began.
    pub(super) last_visit_id: i32,
    pub(super) last_a10: Option<NaiveDate>,
    pub(super) last_win_back: Option<NaiveDate>,
}

pub(super) struct Store {
    pub(super) id: i32,
    pub(super) supervisor: i32,
    pub(super) clerks: Vec<i32>,
    pub(super) turn: usize,
    /// X8: the store's service advisors (id, name).
    pub(super) advisors: Vec<(i32, String)>,
}

impl Gen<'_> {
    /// Stores, users (one supervisor per store, a clerk per `customers_per_clerk`
    /// customers, at least two), an auditor and an administrator, and the customers.
    pub(super) fn setup(
        &mut self,
        conn: &mut DbConn,
        opts: &Options,
    ) -> anyhow::Result<Vec<(String, String)>> {
        let now = self.utc(self.start.and_hms_opt(8, 0, 0).expect("time"));
        let hash = crate::services::accounts::hash_password(PASSWORD)?;
        let mut existing = crate::models::store::all(conn)?;
        while existing.len() < opts.stores as usize {
            let n = existing.len() + 1;
            crate::models::store::insert(conn, &format!("s{n:02}"), &format!("分店{n:02}"), now)?;
            existing = crate::models::store::all(conn)?;
        }
        existing.truncate(opts.stores as usize);
        let logins = self.staff(&existing, opts, now, &hash);
        self.customers(opts);
        Ok(logins)
    }

    /// The users of each store (a supervisor and the clerks) with its advisors, an auditor and
    /// an administrator; the logins to print.
    fn staff(
        &mut self,
        existing: &[crate::models::store::Store],
        opts: &Options,
        now: NaiveDateTime,
        hash: &str,
    ) -> Vec<(String, String)> {
        let per_store = opts.customers.div_ceil(opts.stores);
        let clerks_per_store = per_store.div_ceil(opts.customers_per_clerk.max(1)).max(2);
        let mut logins = Vec::new();
        let mut user = |g: &mut Gen, store: Option<i32>, username: String, role: Role| -> i32 {
            g.ids.user += 1;
            let id = g.ids.user;
            let display = format!(
                "{}{}",
                SURNAMES[id as usize % SURNAMES.len()],
                GIVEN[(id as usize * 7) % GIVEN.len()]
            );
            g.sink.push(
                table("users"),
                gen_row![
                    id,
                    store,
                    &username,
                    &display,
                    role.as_str(),
                    hash,
                    V::Null,
                    true,
                    false,
                    now,
                    now
                ],
            );
            g.names.insert(id, display);
            if logins.len() < 8 || role != Role::Clerk {
                logins.push((username, role.as_str().to_string()));
            }
            id
        };
        for s in existing {
            let code = s.code.to_lowercase();
            let supervisor = user(
                self,
                Some(s.id),
                format!("{code}-zhuguan"),
                Role::Supervisor,
            );
            let clerks = (1..=clerks_per_store)
                .map(|k| user(self, Some(s.id), format!("{code}-clerk{k:03}"), Role::Clerk))
                .collect();
            let advisors = self.advisors(s.id, now);
            self.stores.push(Store {
                id: s.id,
                supervisor,
                clerks,
                turn: 0,
                advisors,
            });
        }
        user(self, None, "scale-auditor".into(), Role::Auditor);
        user(self, None, "scale-admin".into(), Role::Admin);

        logins
    }

    /// X8: four service advisors a store.
    fn advisors(&mut self, store_id: i32, now: NaiveDateTime) -> Vec<(i32, String)> {
        let mut advisors = Vec::new();
        for k in 0..4 {
            self.ids.advisor += 1;
            let name = format!(
                "{}{}",
                SURNAMES[(store_id as usize + k * 3) % SURNAMES.len()],
                GIVEN[(store_id as usize * 5 + k * 11) % GIVEN.len()]
            );
            self.sink.push(
                table("advisors"),
                gen_row![
                    self.ids.advisor,
                    store_id,
                    &name,
                    crate::domain::satisfaction::normalise_name(&name),
                    false,
                    now
                ],
            );
            advisors.push((self.ids.advisor, name));
        }
        advisors
    }

    /// The customers, dealt to the clerks of their store in turn (R1).
    fn customers(&mut self, opts: &Options) {
        let days = (self.today - self.start).num_days().max(1);
        for i in 0..opts.customers as usize {
            let store = i % self.stores.len();
            let st = &mut self.stores[store];
            let clerk = st.clerks[st.turn % st.clerks.len()];
            st.turn += 1;
            let cust = self.customer(i, store, clerk, days);
            self.custs.push(cust);
        }
    }

    /// Customer `i` of the list: most already come in the first months, the rest arrive
    /// over the period.
    fn customer(&mut self, i: usize, store: usize, clerk: i32, days: i64) -> Cust {
        let offset = if self.rng.gen_bool(0.55) {
            self.rng.gen_range(0..days.min(180))
        } else {
            self.rng.gen_range(0..days)
        };
        let first = self.start + Duration::days(offset);
        let name = format!("{}{}", self.pick(&SURNAMES), self.pick(&GIVEN));
        let phone = format!("13{:09}", 100_000_000 + (i as u64 * 7919) % 900_000_000);
        let address = format!(
            "上海市{}{}{}弄{}号{}室",
            self.pick(&DISTRICTS),
            self.pick(&ROADS),
            self.rng.gen_range(1..1500),
            self.rng.gen_range(1..40),
            self.rng.gen_range(101..2205)
        );
        const CITIES: [char; 12] = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M'];
        const PROVINCES: [char; 3] = ['沪', '苏', '浙'];
        let plate = format!(
            "{}{}{:05}",
            PROVINCES[(i / 1_200_000) % 3],
            CITIES[(i / 100_000) % 12],
            i % 100_000
        );
        let (model, vtype) = self.pick(&VEHICLES);
        let daily_km = self.rng.gen_range(15..90);
        let base_km = self.rng.gen_range(1_000..120_000);
        Cust {
            id: 0,
            store,
            clerk,
            name,
            phone,
            address,
            vehicle_id: None,
            plate,
            model,
            vtype,
            daily_km,
            base_km,
            first_visit: first,
            next_visit: first,
            last_visit: None,
            last_reading: None,
            history: Vec::new(),
            busy: Vec::new(),
            visits: 0,
            flagged_on: None,
            last_visit_id: 0,
            last_a10: None,
            last_win_back: None,
        }
    }
    /// R9: each clerk is away once a year for a few days; the next clerk of the store covers.
    pub(super) fn absences_plan(&mut self) {
        let years = ((self.today - self.start).num_days() / 365).max(1);
        for si in 0..self.stores.len() {
            let clerks = self.stores[si].clerks.clone();
            let sup = self.stores[si].supervisor;
            let store_id = self.stores[si].id;
            for (k, &clerk) in clerks.iter().enumerate() {
                let sub = clerks[(k + 1) % clerks.len()];
                for y in 0..years {
                    let from = self.start + Duration::days(y * 365 + self.rng.gen_range(20..340));
                    let to = from + Duration::days(self.rng.gen_range(2..7));
                    if to >= self.today {
                        continue;
                    }
                    // The substitute must be at work; nobody covers two colleagues at once.
                    let clash = |list: Option<&Vec<(NaiveDate, NaiveDate, i32)>>| {
                        list.is_some_and(|l| l.iter().any(|(f, t, _)| *f <= to && from <= *t))
                    };
                    if clash(self.absences.get(&sub))
                        || clash(self.absences.get(&clerk))
                        || self
                            .absences
                            .values()
                            .flatten()
                            .any(|(f, t, s)| (*s == sub || *s == clerk) && *f <= to && from <= *t)
                        || self.absences.iter().any(|(c, l)| {
                            *c == sub && l.iter().any(|(f, t, _)| *f <= to && from <= *t)
                        })
                    {
                        continue;
                    }
                    self.ids.absence += 1;
                    let created = self.utc(
                        (from - Duration::days(3))
                            .and_hms_opt(9, 30, 0)
                            .expect("time"),
                    );
                    self.sink.push(
                        table("absences"),
                        gen_row![
                            self.ids.absence,
                            store_id,
                            clerk,
                            sub,
                            from,
                            to,
                            "年假",
                            sup,
                            created,
                            V::Null
                        ],
                    );
                    self.absences
                        .entry(clerk)
                        .or_default()
                        .push((from, to, sub));
                }
            }
        }
    }

    /// Who works a task of `owner` on `day` (R9): the owner, or whoever covers for them.
    pub(super) fn handler(&self, owner: i32, day: NaiveDate) -> (i32, Option<i32>) {
        match self
            .absences
            .get(&owner)
            .and_then(|l| l.iter().find(|(f, t, _)| *f <= day && day <= *t))
        {
            Some((_, _, sub)) => (*sub, Some(owner)),
            None => (owner, None),
        }
    }
}
