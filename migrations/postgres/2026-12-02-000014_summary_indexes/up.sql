-- Issue 14: the summaries' slowest figures seek instead of scanning.
-- X7 "lost" joins each customer to its latest visit (models::satisfaction::lost_from).
CREATE INDEX visits_customer_date ON visits(customer_id, visit_date, id);
-- R6: the events a clerk announced (models::summary::events_per_clerk) reach their tasks.
CREATE INDEX tasks_event ON tasks(event_id);
