DROP TRIGGER summary_visit_neighbours_delete;
DROP TRIGGER summary_visit_neighbours_update;
DROP TRIGGER summary_visit_neighbours_insert;
DROP TRIGGER summary_visit_neighbours_change;
DROP VIEW summary_visit_neighbours_change;
DROP INDEX visits_latest;
DROP VIEW summary_visit_neighbours;
ALTER TABLE visits DROP COLUMN next_visit_on;
ALTER TABLE visits DROP COLUMN prev_visit_on;
