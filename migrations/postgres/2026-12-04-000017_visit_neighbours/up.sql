-- Issue 14, X7: each visit knows the date of the customer's visit before it and after it (by
-- visit date, then id). See the SQLite migration of the same name for what reads them.
ALTER TABLE visits ADD COLUMN prev_visit_on DATE, ADD COLUMN next_visit_on DATE;

CREATE VIEW summary_visit_neighbours AS
SELECT id, customer_id,
       LAG(visit_date) OVER w AS prev_on,
       LEAD(visit_date) OVER w AS next_on
FROM visits
WINDOW w AS (PARTITION BY customer_id ORDER BY visit_date, id);

UPDATE visits v SET prev_visit_on = n.prev_on, next_visit_on = n.next_on
FROM summary_visit_neighbours n WHERE n.id = v.id;

CREATE INDEX visits_latest ON visits(next_visit_on, next_maintenance_date, visit_date, customer_id, advisor_id);

-- One customer's neighbours again; only the rows that change are written.
CREATE FUNCTION summary_visit_neighbours_of(cid INTEGER) RETURNS void LANGUAGE sql AS $$
  UPDATE visits v SET prev_visit_on = n.prev_on, next_visit_on = n.next_on
  FROM (SELECT id, LAG(visit_date) OVER w AS prev_on, LEAD(visit_date) OVER w AS next_on
        FROM visits WHERE customer_id = cid
        WINDOW w AS (ORDER BY visit_date, id)) n
  WHERE n.id = v.id
    AND (v.prev_visit_on IS DISTINCT FROM n.prev_on OR v.next_visit_on IS DISTINCT FROM n.next_on)
$$;
CREATE FUNCTION summary_visit_neighbours_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM summary_visit_neighbours_of(OLD.customer_id); END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.customer_id <> OLD.customer_id) THEN
    PERFORM summary_visit_neighbours_of(NEW.customer_id);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER summary_visit_neighbours AFTER INSERT OR DELETE OR UPDATE OF visit_date, customer_id
  ON visits FOR EACH ROW EXECUTE FUNCTION summary_visit_neighbours_row();
