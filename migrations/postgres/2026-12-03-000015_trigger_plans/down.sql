-- Back to row triggers for inserted tasks (migrations 000012 and 000013).
DROP TRIGGER queue_v_tasks_insert ON tasks;
DROP TRIGGER queue_v_tasks ON tasks;
CREATE TRIGGER queue_v_tasks AFTER INSERT OR UPDATE OR DELETE ON tasks
    FOR EACH ROW EXECUTE FUNCTION queue_v_tasks();
DROP FUNCTION queue_v_tasks_new_rows();
DROP TRIGGER summary_tasks_insert ON tasks;
CREATE TRIGGER summary_tasks_insert AFTER INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION summary_tasks_new();
DROP FUNCTION summary_tasks_new_rows();

-- Back to migration 000012's LANGUAGE sql functions.
DROP FUNCTION summary_task_add(INTEGER[], BIGINT, BOOLEAN);
CREATE FUNCTION summary_task_add(ids INTEGER[], delta BIGINT, advisor_only BOOLEAN) RETURNS void LANGUAGE sql AS $$
  INSERT INTO summary_task_counts (store_id, grp, who, month, day, kind, status, close_reason, done_pos, n)
  SELECT store_id, grp, who, month, day, kind, status, close_reason, done_pos, delta * COUNT(*)
  FROM summary_task_facts WHERE task_id = ANY(ids) AND (grp = 'advisor' OR NOT advisor_only)
  GROUP BY store_id, grp, who, month, day, kind, status, close_reason, done_pos
  ON CONFLICT (store_id, month, grp, who, day, kind, status, close_reason, done_pos)
  DO UPDATE SET n = summary_task_counts.n + excluded.n
$$;
DROP FUNCTION summary_call_add(INTEGER[], BIGINT, BOOLEAN);
CREATE FUNCTION summary_call_add(ids INTEGER[], delta BIGINT, advisor_only BOOLEAN) RETURNS void LANGUAGE sql AS $$
  INSERT INTO summary_call_counts (store_id, grp, who, month, direction, category, outcome, win_back, n)
  SELECT store_id, grp, who, month, direction, category, outcome, win_back, delta * COUNT(*)
  FROM summary_call_facts WHERE line_id = ANY(ids) AND (grp = 'advisor' OR NOT advisor_only)
  GROUP BY store_id, grp, who, month, direction, category, outcome, win_back
  ON CONFLICT (store_id, month, grp, who, direction, category, outcome, win_back)
  DO UPDATE SET n = summary_call_counts.n + excluded.n
$$;
