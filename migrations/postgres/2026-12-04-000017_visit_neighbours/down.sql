DROP TRIGGER summary_visit_neighbours ON visits;
DROP FUNCTION summary_visit_neighbours_row();
DROP FUNCTION summary_visit_neighbours_of(INTEGER);
DROP INDEX visits_latest;
DROP VIEW summary_visit_neighbours;
ALTER TABLE visits DROP COLUMN next_visit_on, DROP COLUMN prev_visit_on;
