-- Issue 14 (import): the summary counters' row triggers call summary_task_add once per row,
-- and as a LANGUAGE sql function it is planned again on every call (about 1.5 ms: the facts
-- views are a UNION ALL with joins), which bounded any write of many tasks. Inserted tasks
-- are therefore counted once per statement instead (below).
--
-- Not done, on purpose: making summary_task_add / summary_call_add plpgsql with a forced
-- generic plan. A session's generic plan is made on its first call; on a new database (empty
-- tables) it scans call_register and tasks in full, and a pooled connection keeps that plan
-- for its life — 100,000 call lines written in one statement took over ten minutes where the
-- re-planned sql function takes seconds (tests/api/r11_privacy.rs, seen at the merge).

-- Inserted tasks are counted once per statement, over all the rows it inserted (a transition
-- table): a multi-row INSERT of the bulk import makes one call, not one per row; a single-row
-- INSERT is counted exactly as before. Updates and deletes stay row by row.
CREATE FUNCTION summary_tasks_new_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM summary_task_add(ARRAY(SELECT id FROM new_rows), 1, FALSE);
  RETURN NULL;
END $$;
DROP TRIGGER summary_tasks_insert ON tasks;
CREATE TRIGGER summary_tasks_insert AFTER INSERT ON tasks REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION summary_tasks_new_rows();

-- The clerks of inserted tasks: their queue version moves once per statement.
CREATE FUNCTION queue_v_tasks_new_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE queue_versions SET version = version + 1 WHERE user_id IN (SELECT clerk_id FROM new_rows);
  RETURN NULL;
END $$;
DROP TRIGGER queue_v_tasks ON tasks;
CREATE TRIGGER queue_v_tasks AFTER UPDATE OR DELETE ON tasks
    FOR EACH ROW EXECUTE FUNCTION queue_v_tasks();
CREATE TRIGGER queue_v_tasks_insert AFTER INSERT ON tasks REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION queue_v_tasks_new_rows();
