//! The simulation month by month: each month simulated on this thread and written as one
//! transaction on another, then the closing statements (counters, last clerks, flagged
//! phones, sequences).

use super::sql;
use super::{Gen, Options, Phases};
use chrono::{Duration, Months, NaiveDate};
use rand::Rng;
use std::collections::BTreeMap;

impl Gen<'_> {
    /// One month: events first (their audience is the customers seen before), then visits,
    /// then inbound calls.
    pub(super) fn month(&mut self, from: NaiveDate, to: NaiveDate, m: u32) -> anyhow::Result<()> {
        if m % 3 == 1 {
            for s in 0..self.stores.len() {
                self.event(s, from, m);
            }
        }
        for c in 0..self.custs.len() {
            // X7: the win-back job of the 1st.
            if self.custs[c].visits > 0 {
                self.win_back(c, from);
            }
            while self.custs[c].next_visit < to && self.custs[c].next_visit < self.today {
                self.visit(c);
            }
            // Inbound inquiries and complaints.
            if self.custs[c].visits > 0 && self.chance(0.012) {
                let span = (to - from).num_days().max(1);
                let day = from + Duration::days(self.rng.gen_range(0..span));
                if day < self.today && Some(day) >= self.custs[c].last_visit {
                    self.inbound(c, day);
                }
            }
        }
        Ok(())
    }

    /// The months simulated on this thread and written on another, one transaction each
    /// (at most two months wait between them).
    pub(super) fn run(
        &mut self,
        w: &mut sql::Writer,
        opts: &Options,
        phases: &mut Phases,
    ) -> anyhow::Result<()> {
        let sqlite = w.is_sqlite();
        let (tx, rx) = std::sync::mpsc::sync_channel::<sql::Job>(2);
        std::thread::scope(|s| {
            let writer = s.spawn(move || w.serve(rx));
            let t = std::time::Instant::now();
            let simulated = self.simulate(&tx, opts, sqlite);
            phases.simulate = t.elapsed().as_secs_f64();
            drop(tx);
            let spent = writer
                .join()
                .map_err(|_| anyhow::anyhow!("the writer thread panicked"))??;
            simulated?;
            phases.write = spent.total();
            phases.tables = spent.slowest(3);
            Ok(())
        })
    }

    fn simulate(
        &mut self,
        tx: &std::sync::mpsc::SyncSender<sql::Job>,
        opts: &Options,
        sqlite: bool,
    ) -> anyhow::Result<()> {
        let send = |job: sql::Job| {
            tx.send(job)
                .map_err(|_| anyhow::anyhow!("the writer thread stopped"))
        };
        for m in 0..opts.months {
            let from = self.start + Months::new(m);
            let to = (self.start + Months::new(m + 1)).min(self.today);
            self.month(from, to, m)?;
            self.flush_buckets(Some(m))?;
            send(sql::Job::Transaction(self.sink.take(), Vec::new()))?;
        }
        self.flush_buckets(None)?;
        let last = self.finish(sqlite);
        send(sql::Job::Transaction(self.sink.take(), last))?;
        Ok(())
    }

    /// The counters of the numbers given, the last clerk assigned per store (R1), the flagged
    /// phones (X1), and PostgreSQL's sequences after explicit ids.
    fn finish(&self, sqlite: bool) -> Vec<String> {
        let mut out = Vec::new();
        for ((store_id, reg, year), n) in &self.counters {
            out.push(format!(
                "DELETE FROM register_counters WHERE store_id = {store_id} AND register = '{}' AND year = {year}",
                reg.key()
            ));
            out.push(format!(
                "INSERT INTO register_counters (store_id, register, year, last_no) VALUES ({store_id}, '{}', {year}, {n})",
                reg.key()
            ));
        }
        for s in &self.stores {
            let last = s.clerks[(s.turn + s.clerks.len() - 1) % s.clerks.len()];
            out.push(format!(
                "UPDATE stores SET last_assigned_clerk_id = {last} WHERE id = {}",
                s.id
            ));
        }
        let mut flagged: BTreeMap<NaiveDate, Vec<i32>> = BTreeMap::new();
        for cu in &self.custs {
            if let (Some(d), true) = (cu.flagged_on, cu.id != 0) {
                flagged.entry(d).or_default().push(cu.id);
            }
        }
        for (d, ids) in flagged {
            for chunk in ids.chunks(500) {
                let list = chunk
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(",");
                out.push(format!(
                    "UPDATE customers SET phone_flagged_on = '{}' WHERE id IN ({list})",
                    d.format("%Y-%m-%d")
                ));
            }
        }
        if !sqlite {
            // The tables keyed by their call record have no sequence of their own.
            let keyed = [
                "call_satisfaction",
                "satisfaction_aspects",
                "win_back_answers",
            ];
            for (t, _) in sql::TABLES.iter().filter(|(t, _)| !keyed.contains(t)) {
                out.push(format!(
                    "SELECT setval(pg_get_serial_sequence('{t}', 'id'), GREATEST((SELECT MAX(id) FROM {t}), 1))"
                ));
            }
        }
        out
    }
}
