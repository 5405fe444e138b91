//! Issue 11: the queue's answers served again from memory while nothing they show changed.
//!
//! An answer (the API's JSON, the page's HTML) is kept with the users whose queue versions it
//! was built on (`models::queue::versions`: the viewer, the clerk, whoever the clerk covers)
//! and those versions as they stood in the build's own snapshot. Triggers bump a user's
//! version in the same transaction as every write their queue shows (migration 000013), from
//! any process, so an answer is served again only while every one of its versions is
//! unchanged — one primary-key lookup a user — and, when a call-back agreed for today comes
//! due later (X2: the row then rises), only until that time. Nothing else is trusted: no
//! time-to-live, no invalidation by the write path.
//!
//! Memory is bounded: at most `max_bytes` of bodies and `max_entries` answers; the answer
//! used longest ago goes first.

use crate::db::DbConn;
use crate::models::queue as q;
use bytes::Bytes;
use chrono::NaiveDateTime;
use diesel::QueryResult;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// What an answer was built on: the users and their versions, in one snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Stamp {
    pub users: Vec<i32>,
    pub versions: Vec<i64>,
}

impl Stamp {
    /// The versions of `users` now (sorted, without repeats); None when one has no row.
    pub fn read(conn: &mut DbConn, users: &[i32]) -> QueryResult<Option<Stamp>> {
        let mut users = users.to_vec();
        users.sort_unstable();
        users.dedup();
        Ok(q::versions(conn, &users)?.map(|versions| Stamp { users, versions }))
    }

    /// Whether nothing these users' queues show has changed since.
    pub fn holds(&self, conn: &mut DbConn) -> QueryResult<bool> {
        Ok(q::versions(conn, &self.users)?.as_deref() == Some(&self.versions[..]))
    }
}

/// A kept answer.
#[derive(Debug)]
pub struct Entry {
    pub stamp: Stamp,
    /// The answer changes by itself at this local time (a call-back of today comes due).
    pub until: Option<NaiveDateTime>,
    pub etag: String,
    pub body: Bytes,
    used: AtomicU64,
}

impl Entry {
    pub fn new(stamp: Stamp, until: Option<NaiveDateTime>, etag: String, body: Bytes) -> Entry {
        Entry {
            stamp,
            until,
            etag,
            body,
            used: AtomicU64::new(0),
        }
    }
}

#[derive(Default)]
struct Inner {
    map: HashMap<String, Arc<Entry>>,
    bytes: usize,
}

pub struct QueueCache {
    inner: Mutex<Inner>,
    tick: AtomicU64,
    max_bytes: usize,
    max_entries: usize,
}

impl Default for QueueCache {
    /// 16 MiB of answers (about 350 first pages of 100 tasks), at most 1,024.
    fn default() -> Self {
        QueueCache::new(16 << 20, 1024)
    }
}

impl QueueCache {
    pub fn new(max_bytes: usize, max_entries: usize) -> QueueCache {
        QueueCache {
            inner: Mutex::new(Inner::default()),
            tick: AtomicU64::new(1),
            max_bytes,
            max_entries,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The kept answer of `key`, if any (not yet checked: see `fresh`).
    pub fn get(&self, key: &str) -> Option<Arc<Entry>> {
        let e = self.lock().map.get(key).cloned()?;
        e.used
            .store(self.tick.fetch_add(1, Ordering::Relaxed), Ordering::Relaxed);
        Some(e)
    }

    /// The kept answer of `key` when it still holds: versions unchanged and not past `until`.
    pub fn fresh(
        &self,
        conn: &mut DbConn,
        key: &str,
        now_local: NaiveDateTime,
    ) -> QueryResult<Option<Arc<Entry>>> {
        let Some(e) = self.get(key) else {
            return Ok(None);
        };
        if e.until.is_some_and(|u| now_local >= u) || !e.stamp.holds(conn)? {
            return Ok(None);
        }
        Ok(Some(e))
    }

    /// Keeps an answer, dropping the least recently used ones beyond the bounds.
    pub fn put(&self, key: String, e: Entry) {
        if e.body.len() > self.max_bytes / 4 {
            return;
        }
        e.used
            .store(self.tick.fetch_add(1, Ordering::Relaxed), Ordering::Relaxed);
        let mut g = self.lock();
        g.bytes += e.body.len();
        if let Some(old) = g.map.insert(key, Arc::new(e)) {
            g.bytes -= old.body.len();
        }
        while g.bytes > self.max_bytes || g.map.len() > self.max_entries {
            let Some(oldest) = g
                .map
                .iter()
                .min_by_key(|(_, e)| e.used.load(Ordering::Relaxed))
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some(old) = g.map.remove(&oldest) {
                g.bytes -= old.body.len();
            }
        }
    }

    /// How many answers and bytes are kept.
    pub fn size(&self) -> (usize, usize) {
        let g = self.lock();
        (g.map.len(), g.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: usize) -> Entry {
        Entry::new(
            Stamp {
                users: vec![1],
                versions: vec![1],
            },
            None,
            "\"t\"".into(),
            Bytes::from(vec![b'x'; n]),
        )
    }

    #[test]
    fn queue_cache_stays_inside_its_bounds_dropping_the_least_recently_used() {
        let c = QueueCache::new(1000, 3);
        c.put("a".into(), entry(200));
        c.put("b".into(), entry(200));
        c.put("c".into(), entry(200));
        assert!(c.get("a").is_some());
        c.put("d".into(), entry(200));
        assert_eq!(c.size(), (3, 600));
        assert!(c.get("b").is_none(), "b was used longest ago");
        assert!(c.get("a").is_some() && c.get("d").is_some());
        c.put("e".into(), entry(240));
        c.put("f".into(), entry(240));
        assert!(c.size().1 <= 1000 && c.size().0 <= 3);
        // Too big to keep at all.
        c.put("g".into(), entry(900));
        assert!(c.get("g").is_none());
        // A key kept again replaces its answer.
        c.put("f".into(), entry(10));
        assert!(c.size().1 <= 1000);
        assert_eq!(c.get("f").unwrap().body.len(), 10);
    }
}
