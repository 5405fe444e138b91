DROP INDEX tasks_queue_start;
DROP INDEX tasks_queue_end;
CREATE INDEX tasks_queue ON tasks(store_id, clerk_id, status, window_start);
