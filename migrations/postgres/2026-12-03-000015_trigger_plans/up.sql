-- Issue 14 (import): the summary counters' row triggers call summary_task_add once per row,
-- and as a LANGUAGE sql function it is planned again on every call (about 1.5 ms: the facts
-- views are a UNION ALL with joins), which bounded any write of many tasks. Inserted tasks
-- are therefore counted once per statement instead (below).
--
-- Left out on purpose, for now: making summary_task_add / summary_call_add plpgsql with a
-- forced generic plan (about 15x cheaper per row in a rough test). A session's generic plan is
-- made at its first call and kept for the life of a pooled connection; made on a new
-- database's empty tables it would scan tasks and call_register in full on every call. Note
-- that a LANGUAGE sql function keeps one plan for the whole outer statement too, so a single
-- INSERT … SELECT of 100,000 call lines (tests/api/r11_privacy.rs) is slow either way.

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
