-- R11 privacy: anonymisation on request or after the retention period, and full-phone export
-- grants. Register lines stay append-only; the one exception is the personal columns of an
-- anonymised customer's lines, and only inside the anonymising transaction (a row in
-- anonymise_pass, which must name a recorded anonymisation). The chains keep verifying
-- because personal fields enter them as a salted digest (src/registers/chain.rs).
-- (Runs outside diesel's transaction, see metadata.toml: SQLite turns foreign keys off only
-- outside a transaction, and the archives rebuild below needs that.)
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE anonymisations (
    id INTEGER PRIMARY KEY NOT NULL,
    store_id INTEGER NOT NULL REFERENCES stores(id),
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    by_id INTEGER REFERENCES users(id),
    by_name TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    UNIQUE (customer_id)
);

CREATE TABLE anonymise_pass (
    customer_id INTEGER PRIMARY KEY NOT NULL REFERENCES anonymisations(customer_id)
);

CREATE TABLE export_grants (
    id INTEGER PRIMARY KEY NOT NULL,
    store_id INTEGER REFERENCES stores(id),
    grantee_id INTEGER NOT NULL REFERENCES users(id),
    granted_by_id INTEGER NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL,
    granted_at TIMESTAMP NOT NULL,
    expires_on DATE NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX export_grants_grantee ON export_grants(grantee_id, expires_on);
CREATE INDEX audit_log_walk ON audit_log(local_date, id);

CREATE TRIGGER anonymisations_no_update BEFORE UPDATE ON anonymisations
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;
CREATE TRIGGER anonymisations_no_delete BEFORE DELETE ON anonymisations
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;

-- The update triggers of 000004, split: content columns never change; personal columns only
-- for a customer with a pass.

DROP TRIGGER call_records_no_update;
CREATE TRIGGER call_records_no_update BEFORE UPDATE OF record_no, direction, category, outcome, called_at, called_on, callback_at, plate, topics, key_points, satisfied, event_answer, handled_by_id, handled_by, covering_for_id ON call_records
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;
CREATE TRIGGER call_records_personal BEFORE UPDATE OF customer_name, phone ON call_records
WHEN NOT EXISTS (SELECT 1 FROM anonymise_pass WHERE customer_id = OLD.customer_id)
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;

DROP TRIGGER call_register_no_update;
CREATE TRIGGER call_register_no_update BEFORE UPDATE OF register_no, call_record_id, record_no, called_on, direction, category, outcome, handled_by_id, handled_by ON call_register
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;
CREATE TRIGGER call_register_personal BEFORE UPDATE OF customer_name, phone ON call_register
WHEN NOT EXISTS (SELECT 1 FROM anonymise_pass p JOIN call_records r ON r.customer_id = p.customer_id WHERE r.id = OLD.call_record_id)
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;

DROP TRIGGER letter_register_no_update;
CREATE TRIGGER letter_register_no_update BEFORE UPDATE OF register_no, sent_on, letter_kind, subject, related_to, handled_by_id, handled_by ON letter_register
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;
CREATE TRIGGER letter_register_personal BEFORE UPDATE OF customer_name, address, body ON letter_register
WHEN NOT EXISTS (SELECT 1 FROM anonymise_pass WHERE customer_id = OLD.customer_id)
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;

-- An archive sheet is corrected by an amendment line (R11): a second line for the same visit.
-- SQLite cannot drop the column's UNIQUE (visit_id) in place, so the table is rebuilt (the
-- documented way: foreign keys off, copy, swap, check) with one original sheet per visit.
CREATE TABLE archives_new (
    id INTEGER PRIMARY KEY NOT NULL,
    store_id INTEGER NOT NULL REFERENCES stores(id),
    visit_id INTEGER NOT NULL REFERENCES visits(id),
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
INSERT INTO archives_new SELECT id, store_id, visit_id, task_id, customer_id, archive_no, customer_name, address, phone, visit_date, vehicle_model, plate, vehicle_type, items, maintenance_interval_days, maintenance_interval_km, next_maintenance_date, desired_services, service_history, due_date, archived_at, archived_on, archived_by_id, archived_by, created_at, amends, amend_reason FROM archives;
DROP TABLE archives;
ALTER TABLE archives_new RENAME TO archives;
CREATE INDEX archives_store_on ON archives(store_id, archived_on);
CREATE INDEX archives_customer ON archives(customer_id);
CREATE UNIQUE INDEX archives_visit ON archives(visit_id) WHERE amends IS NULL;
CREATE TRIGGER archives_no_update BEFORE UPDATE OF archive_no, visit_date, vehicle_model, plate, vehicle_type, items, maintenance_interval_days, maintenance_interval_km, next_maintenance_date, desired_services, service_history, due_date, archived_at, archived_on, archived_by_id, archived_by, amends, amend_reason ON archives
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;
CREATE TRIGGER archives_no_delete BEFORE DELETE ON archives
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;
CREATE TRIGGER archives_personal BEFORE UPDATE OF customer_name, address, phone ON archives
WHEN NOT EXISTS (SELECT 1 FROM anonymise_pass WHERE customer_id = OLD.customer_id)
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
