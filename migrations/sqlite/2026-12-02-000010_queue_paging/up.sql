-- Issue 11: the queue is read one page at a time by its key (RULES.md, "Tasks"). What is
-- open now is read by window end, what is upcoming by window start, ties by id; each index
-- also carries what the queue filters on (kind, call-back day) and, for the counts and the
-- ETag, what changes when a task is worked, so counting a clerk's queue reads the index only.
DROP INDEX tasks_queue;
CREATE INDEX tasks_queue_end ON tasks(store_id, clerk_id, status, window_end, id, window_start, kind, callback_on);
CREATE INDEX tasks_queue_start ON tasks(store_id, clerk_id, status, window_start, id, window_end, kind, callback_on, attempts, updated_at, callback_at, event_id);
ANALYZE tasks;
