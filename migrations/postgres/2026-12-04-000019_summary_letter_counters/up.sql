-- Issue 14, R8/R10: the summaries' letter figures read per-(store, clerk or advisor, month,
-- kind) counters, as the call figures do (migration 000012), instead of each month's letter
-- lines with their task and visit for the advisor (X8). A line counts on its own date, for
-- who sent it and for the advisor of its task's visit; amendment lines are not letters.
-- Lines are append-only (000005): a line is counted once when written (once per statement,
-- as tasks are since 000015), again only when its task changes; a visit given another
-- advisor moves its letters' advisor counters.
-- `aftercare summary rebuild` recomputes them from the views below and `verify` compares.
CREATE VIEW summary_letter_facts_clerk AS
SELECT l.id AS line_id, gt.visit_id AS visit_id, l.store_id AS store_id, 'clerk' AS grp,
       l.handled_by_id AS who, CAST(date_trunc('month', l.sent_on) AS DATE) AS month, l.letter_kind AS letter_kind
FROM letter_register l LEFT JOIN tasks gt ON gt.id = l.task_id
WHERE l.amends IS NULL;
CREATE VIEW summary_letter_facts_advisor AS
SELECT l.id AS line_id, gt.visit_id AS visit_id, l.store_id AS store_id, 'advisor' AS grp,
       COALESCE(gv.advisor_id, 0) AS who, CAST(date_trunc('month', l.sent_on) AS DATE) AS month, l.letter_kind AS letter_kind
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

CREATE FUNCTION summary_letter_add(ids INTEGER[], delta BIGINT, advisor_only BOOLEAN) RETURNS void LANGUAGE sql AS $$
  INSERT INTO summary_letter_counts (store_id, grp, who, month, letter_kind, n)
  SELECT store_id, grp, who, month, letter_kind, delta * COUNT(*)
  FROM summary_letter_facts WHERE line_id = ANY(ids) AND (grp = 'advisor' OR NOT advisor_only)
  GROUP BY store_id, grp, who, month, letter_kind
  ON CONFLICT (store_id, month, grp, who, letter_kind)
  DO UPDATE SET n = summary_letter_counts.n + excluded.n
$$;

CREATE FUNCTION summary_letters_new_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM summary_letter_add(ARRAY(SELECT id FROM new_rows), 1, FALSE);
  RETURN NULL;
END $$;
CREATE TRIGGER summary_letters_insert AFTER INSERT ON letter_register REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION summary_letters_new_rows();
CREATE FUNCTION summary_letters_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM summary_letter_add(ARRAY[OLD.id], -1, FALSE);
  RETURN NEW;
END $$;
CREATE FUNCTION summary_letters_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM summary_letter_add(ARRAY[NEW.id], 1, FALSE);
  RETURN NULL;
END $$;
CREATE TRIGGER summary_letters_task_old BEFORE UPDATE OF task_id ON letter_register
FOR EACH ROW WHEN (OLD.task_id IS DISTINCT FROM NEW.task_id) EXECUTE FUNCTION summary_letters_old();
CREATE TRIGGER summary_letters_task_new AFTER UPDATE OF task_id ON letter_register
FOR EACH ROW WHEN (OLD.task_id IS DISTINCT FROM NEW.task_id) EXECUTE FUNCTION summary_letters_new();

CREATE FUNCTION summary_visits_advisor_letters() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d BIGINT := CASE WHEN TG_WHEN = 'BEFORE' THEN -1 ELSE 1 END;
BEGIN
  PERFORM summary_letter_add(ARRAY(SELECT l.id FROM tasks gt JOIN letter_register l ON l.task_id = gt.id
    WHERE gt.visit_id = NEW.id), d, TRUE);
  IF TG_WHEN = 'BEFORE' THEN RETURN NEW; END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER summary_visits_advisor_letters_old BEFORE UPDATE OF advisor_id ON visits
FOR EACH ROW WHEN (OLD.advisor_id IS DISTINCT FROM NEW.advisor_id) EXECUTE FUNCTION summary_visits_advisor_letters();
CREATE TRIGGER summary_visits_advisor_letters_new AFTER UPDATE OF advisor_id ON visits
FOR EACH ROW WHEN (OLD.advisor_id IS DISTINCT FROM NEW.advisor_id) EXECUTE FUNCTION summary_visits_advisor_letters();
