DROP TRIGGER archives_personal;
DROP TRIGGER archives_no_update;
CREATE TRIGGER archives_no_update BEFORE UPDATE OF archive_no, customer_name, address, phone, visit_date, vehicle_model, plate, vehicle_type, items, maintenance_interval_days, maintenance_interval_km, next_maintenance_date, desired_services, service_history, due_date, archived_at, archived_on, archived_by_id, archived_by ON archives
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;
DROP TRIGGER call_records_personal;
DROP TRIGGER call_records_no_update;
CREATE TRIGGER call_records_no_update BEFORE UPDATE OF record_no, direction, category, outcome, called_at, called_on, callback_at, customer_name, phone, plate, topics, key_points, satisfied, event_answer, handled_by_id, handled_by, covering_for_id ON call_records
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;
DROP TRIGGER call_register_personal;
DROP TRIGGER call_register_no_update;
CREATE TRIGGER call_register_no_update BEFORE UPDATE OF register_no, call_record_id, record_no, called_on, customer_name, phone, direction, category, outcome, handled_by_id, handled_by ON call_register
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;
DROP TRIGGER letter_register_personal;
DROP TRIGGER letter_register_no_update;
CREATE TRIGGER letter_register_no_update BEFORE UPDATE OF register_no, sent_on, customer_name, address, letter_kind, subject, body, related_to, handled_by_id, handled_by ON letter_register
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;
DROP TRIGGER anonymisations_no_update;
DROP TRIGGER anonymisations_no_delete;
DROP INDEX audit_log_walk;
DROP INDEX export_grants_grantee;
DROP TABLE export_grants;
DROP TABLE anonymise_pass;
DROP TABLE anonymisations;
