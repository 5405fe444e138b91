-- R10: the scorecards' "overdue at month end" reads the tasks still open after their window
-- and those done only after the month end; without these it scanned every task of the store
-- (8 s on 5 million tasks, BENCHMARKS.md).
CREATE INDEX tasks_status_window_end ON tasks(status, window_end);
CREATE INDEX tasks_done_on ON tasks(done_on);
-- Fresh statistics, so the planner weighs the new indexes against the old ones fairly.
ANALYZE tasks;
