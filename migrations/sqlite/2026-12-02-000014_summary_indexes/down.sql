DROP INDEX tasks_event;
DROP INDEX visits_customer_date;
