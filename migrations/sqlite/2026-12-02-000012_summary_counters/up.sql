-- Issue 14, R10: the summaries' task and call figures read per-(store, clerk or advisor,
-- month) counters instead of scanning the month's rows. Each counter row holds how many
-- rows share the raw facts a figure looks at; what each figure takes of them (due, on time,
-- late, missed …) is decided in Rust (`models::summary`, from `domain::task`), so the facts
-- here are only the stored values and where `done_on` lies against the window
-- (`domain::task::state_on`: -1 before, 0 inside, 1 after, 9 not done).
-- Triggers keep the counters in the same transaction as the row that changes them (the
-- BEFORE trigger takes the old row's facts out while it is still in place, the AFTER
-- trigger puts the new row's in); `aftercare summary rebuild` recomputes them from the
-- views below and `aftercare verify` compares the two.

-- An open task keeps its window end as `day` (the summary counts an open task as missed once
-- its window ended before the period's end, or today); any other task counts by its month.
CREATE VIEW summary_task_facts_clerk AS
SELECT t.id AS task_id, t.visit_id AS visit_id, t.store_id AS store_id, 'clerk' AS grp,
       t.clerk_id AS who, date(t.window_end, 'start of month') AS month,
       CASE WHEN t.status = 'open' THEN t.window_end ELSE date(t.window_end, 'start of month') END AS day,
       t.kind AS kind, t.status AS status, COALESCE(t.close_reason, '') AS close_reason,
       CASE WHEN t.done_on IS NULL THEN 9 WHEN t.done_on < t.window_start THEN -1
            WHEN t.done_on > t.window_end THEN 1 ELSE 0 END AS done_pos
FROM tasks t;
CREATE VIEW summary_task_facts_advisor AS
SELECT t.id AS task_id, t.visit_id AS visit_id, t.store_id AS store_id, 'advisor' AS grp, COALESCE(v.advisor_id, 0) AS who,
       date(t.window_end, 'start of month') AS month,
       CASE WHEN t.status = 'open' THEN t.window_end ELSE date(t.window_end, 'start of month') END AS day,
       t.kind AS kind, t.status AS status, COALESCE(t.close_reason, '') AS close_reason,
       CASE WHEN t.done_on IS NULL THEN 9 WHEN t.done_on < t.window_start THEN -1
            WHEN t.done_on > t.window_end THEN 1 ELSE 0 END AS done_pos
FROM tasks t LEFT JOIN visits v ON v.id = t.visit_id;
CREATE VIEW summary_task_facts AS
SELECT * FROM summary_task_facts_clerk UNION ALL SELECT * FROM summary_task_facts_advisor;

-- A call counts on its own local date, for who made it and for the advisor of its task's
-- visit (X8); amendment lines are not calls.
CREATE VIEW summary_call_facts_clerk AS
SELECT c.id AS line_id, gt.visit_id AS visit_id, c.store_id AS store_id, 'clerk' AS grp,
       c.handled_by_id AS who, date(c.called_on, 'start of month') AS month,
       c.direction AS direction, c.category AS category, c.outcome AS outcome,
       CASE WHEN gt.kind = 'win_back' THEN 1 ELSE 0 END AS win_back
FROM call_register c LEFT JOIN call_records gr ON gr.id = c.call_record_id
     LEFT JOIN tasks gt ON gt.id = gr.task_id
WHERE c.amends IS NULL;
CREATE VIEW summary_call_facts_advisor AS
SELECT c.id AS line_id, gt.visit_id AS visit_id, c.store_id AS store_id, 'advisor' AS grp, COALESCE(gv.advisor_id, 0) AS who,
       date(c.called_on, 'start of month') AS month, c.direction AS direction, c.category AS category, c.outcome AS outcome,
       CASE WHEN gt.kind = 'win_back' THEN 1 ELSE 0 END AS win_back
FROM call_register c LEFT JOIN call_records gr ON gr.id = c.call_record_id
     LEFT JOIN tasks gt ON gt.id = gr.task_id LEFT JOIN visits gv ON gv.id = gt.visit_id
WHERE c.amends IS NULL;
CREATE VIEW summary_call_facts AS
SELECT * FROM summary_call_facts_clerk UNION ALL SELECT * FROM summary_call_facts_advisor;

CREATE TABLE summary_task_counts (
    store_id INTEGER NOT NULL,
    grp TEXT NOT NULL,
    who INTEGER NOT NULL,
    month DATE NOT NULL,
    day DATE NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    close_reason TEXT NOT NULL,
    done_pos INTEGER NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (store_id, month, grp, who, day, kind, status, close_reason, done_pos)
);
CREATE INDEX summary_task_counts_month ON summary_task_counts(month, grp);

CREATE TABLE summary_call_counts (
    store_id INTEGER NOT NULL,
    grp TEXT NOT NULL,
    who INTEGER NOT NULL,
    month DATE NOT NULL,
    direction TEXT NOT NULL,
    category TEXT NOT NULL,
    outcome TEXT NOT NULL,
    win_back INTEGER NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (store_id, month, grp, who, direction, category, outcome, win_back)
);
CREATE INDEX summary_call_counts_month ON summary_call_counts(month, grp);

INSERT INTO summary_task_counts (store_id, grp, who, month, day, kind, status, close_reason, done_pos, n)
SELECT store_id, grp, who, month, day, kind, status, close_reason, done_pos, COUNT(*)
FROM summary_task_facts GROUP BY store_id, grp, who, month, day, kind, status, close_reason, done_pos;
INSERT INTO summary_call_counts (store_id, grp, who, month, direction, category, outcome, win_back, n)
SELECT store_id, grp, who, month, direction, category, outcome, win_back, COUNT(*)
FROM summary_call_facts GROUP BY store_id, grp, who, month, direction, category, outcome, win_back;

-- Tasks.
CREATE TRIGGER summary_tasks_insert AFTER INSERT ON tasks BEGIN
  INSERT INTO summary_task_counts (store_id, grp, who, month, day, kind, status, close_reason, done_pos, n)
  SELECT store_id, grp, who, month, day, kind, status, close_reason, done_pos, 1
  FROM summary_task_facts WHERE task_id = NEW.id
  ON CONFLICT (store_id, month, grp, who, day, kind, status, close_reason, done_pos) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER summary_tasks_update_old BEFORE UPDATE OF store_id, clerk_id, visit_id, kind, window_start, window_end, status, close_reason, done_on ON tasks
WHEN OLD.store_id IS NOT NEW.store_id OR OLD.clerk_id IS NOT NEW.clerk_id OR OLD.visit_id IS NOT NEW.visit_id
  OR OLD.kind IS NOT NEW.kind OR OLD.window_start IS NOT NEW.window_start OR OLD.window_end IS NOT NEW.window_end
  OR OLD.status IS NOT NEW.status OR OLD.close_reason IS NOT NEW.close_reason OR OLD.done_on IS NOT NEW.done_on
BEGIN
  INSERT INTO summary_task_counts (store_id, grp, who, month, day, kind, status, close_reason, done_pos, n)
  SELECT store_id, grp, who, month, day, kind, status, close_reason, done_pos, -1
  FROM summary_task_facts WHERE task_id = OLD.id
  ON CONFLICT (store_id, month, grp, who, day, kind, status, close_reason, done_pos) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER summary_tasks_update_new AFTER UPDATE OF store_id, clerk_id, visit_id, kind, window_start, window_end, status, close_reason, done_on ON tasks
WHEN OLD.store_id IS NOT NEW.store_id OR OLD.clerk_id IS NOT NEW.clerk_id OR OLD.visit_id IS NOT NEW.visit_id
  OR OLD.kind IS NOT NEW.kind OR OLD.window_start IS NOT NEW.window_start OR OLD.window_end IS NOT NEW.window_end
  OR OLD.status IS NOT NEW.status OR OLD.close_reason IS NOT NEW.close_reason OR OLD.done_on IS NOT NEW.done_on
BEGIN
  INSERT INTO summary_task_counts (store_id, grp, who, month, day, kind, status, close_reason, done_pos, n)
  SELECT store_id, grp, who, month, day, kind, status, close_reason, done_pos, 1
  FROM summary_task_facts WHERE task_id = NEW.id
  ON CONFLICT (store_id, month, grp, who, day, kind, status, close_reason, done_pos) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER summary_tasks_delete BEFORE DELETE ON tasks BEGIN
  INSERT INTO summary_task_counts (store_id, grp, who, month, day, kind, status, close_reason, done_pos, n)
  SELECT store_id, grp, who, month, day, kind, status, close_reason, done_pos, -1
  FROM summary_task_facts WHERE task_id = OLD.id
  ON CONFLICT (store_id, month, grp, who, day, kind, status, close_reason, done_pos) DO UPDATE SET n = n + excluded.n;
END;

-- Calls.
CREATE TRIGGER summary_calls_insert AFTER INSERT ON call_register BEGIN
  INSERT INTO summary_call_counts (store_id, grp, who, month, direction, category, outcome, win_back, n)
  SELECT store_id, grp, who, month, direction, category, outcome, win_back, 1
  FROM summary_call_facts WHERE line_id = NEW.id
  ON CONFLICT (store_id, month, grp, who, direction, category, outcome, win_back) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER summary_calls_update_old BEFORE UPDATE OF store_id, call_record_id, called_on, direction, category, outcome, handled_by_id, amends ON call_register
WHEN OLD.store_id IS NOT NEW.store_id OR OLD.call_record_id IS NOT NEW.call_record_id OR OLD.called_on IS NOT NEW.called_on
  OR OLD.direction IS NOT NEW.direction OR OLD.category IS NOT NEW.category OR OLD.outcome IS NOT NEW.outcome
  OR OLD.handled_by_id IS NOT NEW.handled_by_id OR OLD.amends IS NOT NEW.amends
BEGIN
  INSERT INTO summary_call_counts (store_id, grp, who, month, direction, category, outcome, win_back, n)
  SELECT store_id, grp, who, month, direction, category, outcome, win_back, -1
  FROM summary_call_facts WHERE line_id = OLD.id
  ON CONFLICT (store_id, month, grp, who, direction, category, outcome, win_back) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER summary_calls_update_new AFTER UPDATE OF store_id, call_record_id, called_on, direction, category, outcome, handled_by_id, amends ON call_register
WHEN OLD.store_id IS NOT NEW.store_id OR OLD.call_record_id IS NOT NEW.call_record_id OR OLD.called_on IS NOT NEW.called_on
  OR OLD.direction IS NOT NEW.direction OR OLD.category IS NOT NEW.category OR OLD.outcome IS NOT NEW.outcome
  OR OLD.handled_by_id IS NOT NEW.handled_by_id OR OLD.amends IS NOT NEW.amends
BEGIN
  INSERT INTO summary_call_counts (store_id, grp, who, month, direction, category, outcome, win_back, n)
  SELECT store_id, grp, who, month, direction, category, outcome, win_back, 1
  FROM summary_call_facts WHERE line_id = NEW.id
  ON CONFLICT (store_id, month, grp, who, direction, category, outcome, win_back) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER summary_calls_delete BEFORE DELETE ON call_register BEGIN
  INSERT INTO summary_call_counts (store_id, grp, who, month, direction, category, outcome, win_back, n)
  SELECT store_id, grp, who, month, direction, category, outcome, win_back, -1
  FROM summary_call_facts WHERE line_id = OLD.id
  ON CONFLICT (store_id, month, grp, who, direction, category, outcome, win_back) DO UPDATE SET n = n + excluded.n;
END;

-- X8: a visit given (or changed) its service advisor moves its tasks' and their calls'
-- advisor counters.
CREATE TRIGGER summary_visits_advisor_old BEFORE UPDATE OF advisor_id ON visits
WHEN OLD.advisor_id IS NOT NEW.advisor_id
BEGIN
  INSERT INTO summary_task_counts (store_id, grp, who, month, day, kind, status, close_reason, done_pos, n)
  SELECT store_id, grp, who, month, day, kind, status, close_reason, done_pos, -COUNT(*)
  FROM summary_task_facts_advisor WHERE task_id IN (SELECT id FROM tasks WHERE visit_id = OLD.id)
  GROUP BY store_id, grp, who, month, day, kind, status, close_reason, done_pos
  ON CONFLICT (store_id, month, grp, who, day, kind, status, close_reason, done_pos) DO UPDATE SET n = n + excluded.n;
  INSERT INTO summary_call_counts (store_id, grp, who, month, direction, category, outcome, win_back, n)
  SELECT store_id, grp, who, month, direction, category, outcome, win_back, -COUNT(*)
  FROM summary_call_facts_advisor WHERE line_id IN (SELECT c.id FROM tasks gt JOIN call_records gr ON gr.task_id = gt.id JOIN call_register c ON c.call_record_id = gr.id WHERE gt.visit_id = OLD.id)
  GROUP BY store_id, grp, who, month, direction, category, outcome, win_back
  ON CONFLICT (store_id, month, grp, who, direction, category, outcome, win_back) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER summary_visits_advisor_new AFTER UPDATE OF advisor_id ON visits
WHEN OLD.advisor_id IS NOT NEW.advisor_id
BEGIN
  INSERT INTO summary_task_counts (store_id, grp, who, month, day, kind, status, close_reason, done_pos, n)
  SELECT store_id, grp, who, month, day, kind, status, close_reason, done_pos, COUNT(*)
  FROM summary_task_facts_advisor WHERE task_id IN (SELECT id FROM tasks WHERE visit_id = NEW.id)
  GROUP BY store_id, grp, who, month, day, kind, status, close_reason, done_pos
  ON CONFLICT (store_id, month, grp, who, day, kind, status, close_reason, done_pos) DO UPDATE SET n = n + excluded.n;
  INSERT INTO summary_call_counts (store_id, grp, who, month, direction, category, outcome, win_back, n)
  SELECT store_id, grp, who, month, direction, category, outcome, win_back, COUNT(*)
  FROM summary_call_facts_advisor WHERE line_id IN (SELECT c.id FROM tasks gt JOIN call_records gr ON gr.task_id = gt.id JOIN call_register c ON c.call_record_id = gr.id WHERE gt.visit_id = NEW.id)
  GROUP BY store_id, grp, who, month, direction, category, outcome, win_back
  ON CONFLICT (store_id, month, grp, who, direction, category, outcome, win_back) DO UPDATE SET n = n + excluded.n;
END;

-- The advisor triggers find a visit's calls through their records; X5's return rate reads
-- the month's done maintenance reminders only.
CREATE INDEX call_register_record ON call_register(call_record_id);
CREATE INDEX tasks_kind_status_window_end ON tasks(kind, status, window_end);
-- Issue 14: the export's first batch finds the ids around a date range of all stores (and
-- streams by id) on these, reading the index only.
CREATE INDEX call_register_on_id ON call_register(called_on, id);
CREATE INDEX call_records_on_id ON call_records(called_on, id);
CREATE INDEX letter_register_on_id ON letter_register(sent_on, id);
CREATE INDEX archives_on_id ON archives(archived_on, id);
-- Fresh statistics, so the planner weighs the new index against tasks_item fairly.
ANALYZE tasks;
ANALYZE call_register;
ANALYZE call_records;
ANALYZE letter_register;
ANALYZE archives;
