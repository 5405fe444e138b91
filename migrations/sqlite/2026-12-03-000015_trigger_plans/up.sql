-- Issue 14: PostgreSQL's summary counter functions become plpgsql (see its up.sql);
-- SQLite's triggers hold their statements themselves: nothing to change.
SELECT 1;
