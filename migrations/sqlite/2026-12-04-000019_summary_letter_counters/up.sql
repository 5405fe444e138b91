-- Issue 14, R8/R10: the summaries' letter figures read per-(store, clerk or advisor, month,
-- kind) counters, as the call figures do (migration 000012), instead of each month's letter
-- lines with their task and visit for the advisor (X8). A line counts on its own date, for
-- who sent it and for the advisor of its task's visit; amendment lines are not letters.
-- Lines are append-only (000005): a line is counted once when written, again only when its
-- task changes; a visit given another advisor moves its letters' advisor counters.
-- `aftercare summary rebuild` recomputes them from the views below and `verify` compares.
CREATE VIEW summary_letter_facts_clerk AS
SELECT l.id AS line_id, gt.visit_id AS visit_id, l.store_id AS store_id, 'clerk' AS grp,
       l.handled_by_id AS who, date(l.sent_on, 'start of month') AS month, l.letter_kind AS letter_kind
FROM letter_register l LEFT JOIN tasks gt ON gt.id = l.task_id
WHERE l.amends IS NULL;
CREATE VIEW summary_letter_facts_advisor AS
SELECT l.id AS line_id, gt.visit_id AS visit_id, l.store_id AS store_id, 'advisor' AS grp,
       COALESCE(gv.advisor_id, 0) AS who, date(l.sent_on, 'start of month') AS month, l.letter_kind AS letter_kind
FROM letter_register l LEFT JOIN tasks gt ON gt.id = l.task_id LEFT JOIN visits gv ON gv.id = gt.visit_id
WHERE l.amends IS NULL;
CREATE VIEW summary_letter_facts AS
SELECT * FROM summary_letter_facts_clerk UNION ALL SELECT * FROM summary_letter_facts_advisor;

CREATE TABLE summary_letter_counts (
    store_id INTEGER NOT NULL,
    grp TEXT NOT NULL,
    who INTEGER NOT NULL,
    month DATE NOT NULL,
    letter_kind TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (store_id, month, grp, who, letter_kind)
);
CREATE INDEX summary_letter_counts_month ON summary_letter_counts(month, grp);
-- The advisor triggers find a visit's letters through their tasks.
CREATE INDEX letter_register_task ON letter_register(task_id);

INSERT INTO summary_letter_counts (store_id, grp, who, month, letter_kind, n)
SELECT store_id, grp, who, month, letter_kind, COUNT(*)
FROM summary_letter_facts GROUP BY store_id, grp, who, month, letter_kind;

CREATE TRIGGER summary_letters_insert AFTER INSERT ON letter_register BEGIN
  INSERT INTO summary_letter_counts (store_id, grp, who, month, letter_kind, n)
  SELECT store_id, grp, who, month, letter_kind, 1
  FROM summary_letter_facts WHERE line_id = NEW.id
  ON CONFLICT (store_id, month, grp, who, letter_kind) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER summary_letters_task_old BEFORE UPDATE OF task_id ON letter_register
WHEN OLD.task_id IS NOT NEW.task_id
BEGIN
  INSERT INTO summary_letter_counts (store_id, grp, who, month, letter_kind, n)
  SELECT store_id, grp, who, month, letter_kind, -1
  FROM summary_letter_facts WHERE line_id = OLD.id
  ON CONFLICT (store_id, month, grp, who, letter_kind) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER summary_letters_task_new AFTER UPDATE OF task_id ON letter_register
WHEN OLD.task_id IS NOT NEW.task_id
BEGIN
  INSERT INTO summary_letter_counts (store_id, grp, who, month, letter_kind, n)
  SELECT store_id, grp, who, month, letter_kind, 1
  FROM summary_letter_facts WHERE line_id = NEW.id
  ON CONFLICT (store_id, month, grp, who, letter_kind) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER summary_visits_advisor_letters_old BEFORE UPDATE OF advisor_id ON visits
WHEN OLD.advisor_id IS NOT NEW.advisor_id
BEGIN
  INSERT INTO summary_letter_counts (store_id, grp, who, month, letter_kind, n)
  SELECT store_id, grp, who, month, letter_kind, -COUNT(*)
  FROM summary_letter_facts_advisor WHERE line_id IN (SELECT l.id FROM tasks gt JOIN letter_register l ON l.task_id = gt.id WHERE gt.visit_id = OLD.id)
  GROUP BY store_id, grp, who, month, letter_kind
  ON CONFLICT (store_id, month, grp, who, letter_kind) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER summary_visits_advisor_letters_new AFTER UPDATE OF advisor_id ON visits
WHEN OLD.advisor_id IS NOT NEW.advisor_id
BEGIN
  INSERT INTO summary_letter_counts (store_id, grp, who, month, letter_kind, n)
  SELECT store_id, grp, who, month, letter_kind, COUNT(*)
  FROM summary_letter_facts_advisor WHERE line_id IN (SELECT l.id FROM tasks gt JOIN letter_register l ON l.task_id = gt.id WHERE gt.visit_id = NEW.id)
  GROUP BY store_id, grp, who, month, letter_kind
  ON CONFLICT (store_id, month, grp, who, letter_kind) DO UPDATE SET n = n + excluded.n;
END;
