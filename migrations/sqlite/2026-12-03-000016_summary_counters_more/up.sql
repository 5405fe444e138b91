-- Issue 14, R10, X6: the satisfaction figures (answers, declined, low; the mean, the CSI and
-- each aspect's mean) read per-(store, clerk or advisor, month) counters instead of the
-- month's answers row by row, as migration 000012 does for tasks and calls. A counter row
-- holds how many answers share the raw facts a figure looks at: the overall score (-1 for
-- none) and whether the customer declined, under aspect ''; or one aspect's score (of an
-- answer with an overall score, as the summary counts them). What each figure takes of them is
-- decided in Rust (`models::summary`). Triggers keep them in the same transaction as the
-- answer or aspect row; `aftercare summary rebuild` recomputes them from the view below and
-- `aftercare verify` compares the two.
CREATE VIEW summary_satisfaction_facts AS
SELECT cs.call_record_id AS call_record_id, cs.store_id AS store_id, 'clerk' AS grp,
       cs.handled_by_id AS who, date(cs.called_on, 'start of month') AS month, '' AS aspect,
       COALESCE(cs.score, -1) AS score, CASE WHEN cs.declined THEN 1 ELSE 0 END AS declined
FROM call_satisfaction cs
UNION ALL
SELECT cs.call_record_id, cs.store_id, 'advisor', COALESCE(cs.advisor_id, 0),
       date(cs.called_on, 'start of month'), '', COALESCE(cs.score, -1),
       CASE WHEN cs.declined THEN 1 ELSE 0 END
FROM call_satisfaction cs
UNION ALL
SELECT cs.call_record_id, cs.store_id, 'clerk', cs.handled_by_id,
       date(cs.called_on, 'start of month'), sa.aspect, sa.score, 0
FROM call_satisfaction cs JOIN satisfaction_aspects sa ON sa.call_record_id = cs.call_record_id
WHERE cs.score IS NOT NULL
UNION ALL
SELECT cs.call_record_id, cs.store_id, 'advisor', COALESCE(cs.advisor_id, 0),
       date(cs.called_on, 'start of month'), sa.aspect, sa.score, 0
FROM call_satisfaction cs JOIN satisfaction_aspects sa ON sa.call_record_id = cs.call_record_id
WHERE cs.score IS NOT NULL;

CREATE TABLE summary_satisfaction_counts (
    store_id INTEGER NOT NULL,
    grp TEXT NOT NULL,
    who INTEGER NOT NULL,
    month DATE NOT NULL,
    aspect TEXT NOT NULL,
    score INTEGER NOT NULL,
    declined INTEGER NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (store_id, month, grp, who, aspect, score, declined)
);
CREATE INDEX summary_satisfaction_counts_month ON summary_satisfaction_counts(month, grp);

INSERT INTO summary_satisfaction_counts (store_id, grp, who, month, aspect, score, declined, n)
SELECT store_id, grp, who, month, aspect, score, declined, COUNT(*)
FROM summary_satisfaction_facts GROUP BY store_id, grp, who, month, aspect, score, declined;

-- One place adds (delta 1) or takes out (delta -1) the facts of one answer: all of them
-- (aspect NULL), or only those of one aspect. The triggers below write a row to this view.
CREATE VIEW summary_satisfaction_change AS
SELECT 0 AS call_record_id, CAST(NULL AS TEXT) AS aspect, 0 AS delta WHERE 0;
CREATE TRIGGER summary_satisfaction_change INSTEAD OF INSERT ON summary_satisfaction_change BEGIN
  INSERT INTO summary_satisfaction_counts (store_id, grp, who, month, aspect, score, declined, n)
  SELECT store_id, grp, who, month, aspect, score, declined, NEW.delta * COUNT(*)
  FROM summary_satisfaction_facts
  WHERE call_record_id = NEW.call_record_id AND (NEW.aspect IS NULL OR aspect = NEW.aspect)
  GROUP BY store_id, grp, who, month, aspect, score, declined
  ON CONFLICT (store_id, month, grp, who, aspect, score, declined) DO UPDATE SET n = n + excluded.n;
END;

-- An answer: its overall facts and those of the aspects already beside it.
CREATE TRIGGER summary_satisfaction_insert AFTER INSERT ON call_satisfaction BEGIN
  INSERT INTO summary_satisfaction_change VALUES (NEW.call_record_id, NULL, 1);
END;
CREATE TRIGGER summary_satisfaction_update_old BEFORE UPDATE ON call_satisfaction BEGIN
  INSERT INTO summary_satisfaction_change VALUES (OLD.call_record_id, NULL, -1);
END;
CREATE TRIGGER summary_satisfaction_update_new AFTER UPDATE ON call_satisfaction BEGIN
  INSERT INTO summary_satisfaction_change VALUES (NEW.call_record_id, NULL, 1);
END;
CREATE TRIGGER summary_satisfaction_delete BEFORE DELETE ON call_satisfaction BEGIN
  INSERT INTO summary_satisfaction_change VALUES (OLD.call_record_id, NULL, -1);
END;

-- An aspect: its own facts (none while its answer is not there, or has no overall score).
CREATE TRIGGER summary_aspects_insert AFTER INSERT ON satisfaction_aspects BEGIN
  INSERT INTO summary_satisfaction_change VALUES (NEW.call_record_id, NEW.aspect, 1);
END;
CREATE TRIGGER summary_aspects_update_old BEFORE UPDATE ON satisfaction_aspects BEGIN
  INSERT INTO summary_satisfaction_change VALUES (OLD.call_record_id, OLD.aspect, -1);
END;
CREATE TRIGGER summary_aspects_update_new AFTER UPDATE ON satisfaction_aspects BEGIN
  INSERT INTO summary_satisfaction_change VALUES (NEW.call_record_id, NEW.aspect, 1);
END;
CREATE TRIGGER summary_aspects_delete BEFORE DELETE ON satisfaction_aspects BEGIN
  INSERT INTO summary_satisfaction_change VALUES (OLD.call_record_id, OLD.aspect, -1);
END;
