-- Issue 14: the summary figures still read from the rows (visits, consultations and won
-- back; the 30-day return; overdue at the period's end; the events a clerk gave notice of)
-- read each row's table page after its index entry: tens of thousands of scattered pages a
-- month, most of the time in the reads (BENCHMARKS.md, stop 26). Seven indexes become wider
-- in place of themselves, so those figures read the indexes alone and no index is added for
-- an import to write.
DROP INDEX IF EXISTS visits_store_date;
CREATE INDEX IF NOT EXISTS visits_store_date_cover ON visits(store_id, visit_date, kind, customer_id, advisor_id, prev_visit_on);
DROP INDEX IF EXISTS tasks_visit;
CREATE INDEX IF NOT EXISTS tasks_visit_cover ON tasks(visit_id, kind, clerk_id);
DROP INDEX IF EXISTS tasks_kind_customer;
CREATE INDEX IF NOT EXISTS tasks_kind_customer_cover ON tasks(kind, customer_id, window_start);
DROP INDEX IF EXISTS tasks_kind_status_window_end;
CREATE INDEX IF NOT EXISTS tasks_kind_status_window_end_cover ON tasks(kind, status, window_end, store_id, customer_id, done_on, clerk_id, visit_id);
DROP INDEX IF EXISTS tasks_done_on;
CREATE INDEX IF NOT EXISTS tasks_done_on_cover ON tasks(done_on, status, window_end, clerk_id, store_id);
DROP INDEX IF EXISTS tasks_status_window_end;
CREATE INDEX IF NOT EXISTS tasks_status_window_end_cover ON tasks(status, window_end, clerk_id, store_id);
DROP INDEX IF EXISTS tasks_event;
CREATE INDEX IF NOT EXISTS tasks_event_cover ON tasks(event_id, kind, clerk_id);
-- Without statistics for the new indexes SQLite's planner prefers the old ones' neighbours
-- (a skip-scan of visits_latest for a month's visits).
ANALYZE visits_store_date_cover;
ANALYZE tasks_visit_cover;
ANALYZE tasks_kind_customer_cover;
ANALYZE tasks_kind_status_window_end_cover;
ANALYZE tasks_done_on_cover;
ANALYZE tasks_status_window_end_cover;
ANALYZE tasks_event_cover;
