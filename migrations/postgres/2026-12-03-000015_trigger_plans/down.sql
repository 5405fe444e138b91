-- Back to row triggers for inserted tasks (migrations 000012 and 000013).
DROP TRIGGER queue_v_tasks_insert ON tasks;
DROP TRIGGER queue_v_tasks ON tasks;
CREATE TRIGGER queue_v_tasks AFTER INSERT OR UPDATE OR DELETE ON tasks
    FOR EACH ROW EXECUTE FUNCTION queue_v_tasks();
DROP FUNCTION queue_v_tasks_new_rows();
DROP TRIGGER summary_tasks_insert ON tasks;
CREATE TRIGGER summary_tasks_insert AFTER INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION summary_tasks_new();
DROP FUNCTION summary_tasks_new_rows();
