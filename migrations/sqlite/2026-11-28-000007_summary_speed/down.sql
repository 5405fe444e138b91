DROP INDEX tasks_done_on;
DROP INDEX tasks_status_window_end;
