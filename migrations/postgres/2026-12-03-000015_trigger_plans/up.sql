-- Issue 14 (import): the summary counters' row triggers call summary_task_add and
-- summary_call_add once per row. As LANGUAGE sql functions they were planned again on every
-- call (about 1.5 ms each: the facts views are a UNION ALL with joins), which bounded any
-- write of many tasks — a bulk import at some 500 rows/s whatever the client did. The same
-- statements in plpgsql keep one generic plan per session (the ids array is the only
-- parameter, and the plan is the same index look-up whatever it holds): about 0.1 ms a call.
-- What they count is unchanged.
CREATE OR REPLACE FUNCTION summary_task_add(ids INTEGER[], delta BIGINT, advisor_only BOOLEAN) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO summary_task_counts (store_id, grp, who, month, day, kind, status, close_reason, done_pos, n)
  SELECT store_id, grp, who, month, day, kind, status, close_reason, done_pos, delta * COUNT(*)
  FROM summary_task_facts WHERE task_id = ANY(ids) AND (grp = 'advisor' OR NOT advisor_only)
  GROUP BY store_id, grp, who, month, day, kind, status, close_reason, done_pos
  ON CONFLICT (store_id, month, grp, who, day, kind, status, close_reason, done_pos)
  DO UPDATE SET n = summary_task_counts.n + excluded.n;
END $$;
ALTER FUNCTION summary_task_add(INTEGER[], BIGINT, BOOLEAN) SET plan_cache_mode = force_generic_plan;
CREATE OR REPLACE FUNCTION summary_call_add(ids INTEGER[], delta BIGINT, advisor_only BOOLEAN) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO summary_call_counts (store_id, grp, who, month, direction, category, outcome, win_back, n)
  SELECT store_id, grp, who, month, direction, category, outcome, win_back, delta * COUNT(*)
  FROM summary_call_facts WHERE line_id = ANY(ids) AND (grp = 'advisor' OR NOT advisor_only)
  GROUP BY store_id, grp, who, month, direction, category, outcome, win_back
  ON CONFLICT (store_id, month, grp, who, direction, category, outcome, win_back)
  DO UPDATE SET n = summary_call_counts.n + excluded.n;
END $$;
ALTER FUNCTION summary_call_add(INTEGER[], BIGINT, BOOLEAN) SET plan_cache_mode = force_generic_plan;

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
