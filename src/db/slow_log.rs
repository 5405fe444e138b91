//! The slow-query log: with `AFTERCARE_SLOW_QUERY_MS=N` set, every statement that takes N ms
//! or more is logged (warn, target `aftercare::slow_query`) with its time and SQL, so a
//! figure that got slow on a shop's data can be traced to its query without a profiler.

use diesel::connection::{Instrumentation, InstrumentationEvent};
use std::time::{Duration, Instant};

/// The environment variable that turns the log on, in milliseconds.
pub const ENV: &str = "AFTERCARE_SLOW_QUERY_MS";

/// The threshold set in the environment, if any.
pub fn threshold() -> Option<Duration> {
    std::env::var(ENV)
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_millis)
}

/// Times `conn`'s statements when the log is on (nothing otherwise).
pub fn attach(conn: &mut impl diesel::Connection) {
    if let Some(t) = threshold() {
        conn.set_instrumentation(SlowLog::new(t));
    }
}

/// One connection's timer: a connection runs one statement at a time.
pub struct SlowLog {
    threshold: Duration,
    started: Option<Instant>,
}

impl SlowLog {
    pub fn new(threshold: Duration) -> SlowLog {
        SlowLog {
            threshold,
            started: None,
        }
    }
}

impl Instrumentation for SlowLog {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        match event {
            InstrumentationEvent::StartQuery { .. } => self.started = Some(Instant::now()),
            InstrumentationEvent::FinishQuery { query, .. } => {
                let Some(t) = self.started.take() else { return };
                let took = t.elapsed();
                if took >= self.threshold {
                    let sql = query.to_string();
                    let sql: String = sql.split_whitespace().collect::<Vec<_>>().join(" ");
                    tracing::warn!(
                        target: "aftercare::slow_query",
                        "{} ms: {}",
                        took.as_millis(),
                        sql
                    );
                }
            }
            _ => {}
        }
    }
}
