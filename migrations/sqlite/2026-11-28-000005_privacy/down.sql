PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE archives_old (
    id INTEGER PRIMARY KEY NOT NULL,
    store_id INTEGER NOT NULL REFERENCES stores(id),
    visit_id INTEGER NOT NULL UNIQUE REFERENCES visits(id),
    task_id INTEGER REFERENCES tasks(id),
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    archive_no TEXT NOT NULL,
    customer_name TEXT NOT NULL,
    address TEXT,
    phone TEXT NOT NULL,
    visit_date DATE NOT NULL,
    vehicle_model TEXT,
    plate TEXT,
    vehicle_type TEXT,
    items TEXT NOT NULL,
    maintenance_interval_days INTEGER,
    maintenance_interval_km INTEGER,
    next_maintenance_date DATE,
    desired_services TEXT,
    service_history TEXT NOT NULL,
    due_date DATE NOT NULL,
    archived_at TIMESTAMP NOT NULL,
    archived_on DATE NOT NULL,
    archived_by_id INTEGER NOT NULL REFERENCES users(id),
    archived_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    amends TEXT,
    amend_reason TEXT,
    UNIQUE (store_id, archive_no)
);
INSERT INTO archives_old SELECT id, store_id, visit_id, task_id, customer_id, archive_no, customer_name, address, phone, visit_date, vehicle_model, plate, vehicle_type, items, maintenance_interval_days, maintenance_interval_km, next_maintenance_date, desired_services, service_history, due_date, archived_at, archived_on, archived_by_id, archived_by, created_at, amends, amend_reason FROM archives;
DROP TABLE archives;
ALTER TABLE archives_old RENAME TO archives;
CREATE INDEX archives_store_on ON archives(store_id, archived_on);
CREATE INDEX archives_customer ON archives(customer_id);
CREATE TRIGGER archives_no_update BEFORE UPDATE OF archive_no, customer_name, address, phone, visit_date, vehicle_model, plate, vehicle_type, items, maintenance_interval_days, maintenance_interval_km, next_maintenance_date, desired_services, service_history, due_date, archived_at, archived_on, archived_by_id, archived_by ON archives
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;
CREATE TRIGGER archives_no_delete BEFORE DELETE ON archives
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
COMMIT;
PRAGMA foreign_keys = ON;
