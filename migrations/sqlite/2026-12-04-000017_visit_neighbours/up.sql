-- Issue 14, X7: each visit knows the date of the customer's visit before it and after it (by
-- visit date, then id — the order "latest visit" is read in everywhere). Two figures then read
-- an index instead of searching each customer's visits:
--   lost at D: the latest visit as of D is the one with visit_date <= D whose next visit is
--     after D (or none); lost when its A10 is more than lost_after_days before D;
--   won back: a visit is the first since a win-back task began when its previous visit (if
--     any) is before the task's window start.
-- Dates only, nothing configured: a change of lost_after_days needs no rebuild. Triggers keep
-- them in the same transaction as the visit; `aftercare summary rebuild` recomputes them and
-- `aftercare verify` compares them with the visits.
ALTER TABLE visits ADD COLUMN prev_visit_on DATE;
ALTER TABLE visits ADD COLUMN next_visit_on DATE;

-- What the two columns are, from the visits: the rebuild, `verify` and the triggers read it.
CREATE VIEW summary_visit_neighbours AS
SELECT id, customer_id,
       LAG(visit_date) OVER w AS prev_on,
       LEAD(visit_date) OVER w AS next_on
FROM visits
WINDOW w AS (PARTITION BY customer_id ORDER BY visit_date, id);

UPDATE visits SET prev_visit_on = n.prev_on, next_visit_on = n.next_on
FROM summary_visit_neighbours n WHERE n.id = visits.id;

-- Lost at D: the latest visits (next_visit_on NULL, or after D), by A10; covering, so the
-- figure reads no visit row.
CREATE INDEX visits_latest ON visits(next_visit_on, next_maintenance_date, visit_date, customer_id, advisor_id);

-- One customer's neighbours again (the triggers write the customer's id to this view).
CREATE VIEW summary_visit_neighbours_change AS SELECT 0 AS customer_id WHERE 0;
CREATE TRIGGER summary_visit_neighbours_change INSTEAD OF INSERT ON summary_visit_neighbours_change BEGIN
  UPDATE visits SET
    prev_visit_on = (SELECT p.visit_date FROM visits p WHERE p.customer_id = visits.customer_id
                     AND (p.visit_date, p.id) < (visits.visit_date, visits.id)
                     ORDER BY p.visit_date DESC, p.id DESC LIMIT 1),
    next_visit_on = (SELECT x.visit_date FROM visits x WHERE x.customer_id = visits.customer_id
                     AND (x.visit_date, x.id) > (visits.visit_date, visits.id)
                     ORDER BY x.visit_date, x.id LIMIT 1)
  WHERE customer_id = NEW.customer_id;
END;

CREATE TRIGGER summary_visit_neighbours_insert AFTER INSERT ON visits BEGIN
  INSERT INTO summary_visit_neighbours_change VALUES (NEW.customer_id);
END;
CREATE TRIGGER summary_visit_neighbours_update AFTER UPDATE OF visit_date, customer_id ON visits BEGIN
  INSERT INTO summary_visit_neighbours_change VALUES (OLD.customer_id);
  INSERT INTO summary_visit_neighbours_change SELECT NEW.customer_id WHERE NEW.customer_id <> OLD.customer_id;
END;
CREATE TRIGGER summary_visit_neighbours_delete AFTER DELETE ON visits BEGIN
  INSERT INTO summary_visit_neighbours_change VALUES (OLD.customer_id);
END;
