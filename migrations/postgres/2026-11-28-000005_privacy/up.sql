-- R11 privacy: anonymisation on request or after the retention period, and full-phone export
-- grants. Register lines stay append-only; the one exception is the personal columns of an
-- anonymised customer's lines, and only inside the anonymising transaction (a row in
-- anonymise_pass, which must name a recorded anonymisation). The chains keep verifying
-- because personal fields enter them as a salted digest (src/registers/chain.rs).
CREATE TABLE anonymisations (
    id SERIAL PRIMARY KEY,
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
    id SERIAL PRIMARY KEY,
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

CREATE TRIGGER anonymisations_no_update BEFORE UPDATE ON anonymisations FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();
CREATE TRIGGER anonymisations_no_delete BEFORE DELETE ON anonymisations FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();

CREATE FUNCTION aftercare_personal_guard() RETURNS trigger AS $$
DECLARE
    customer INTEGER;
BEGIN
    IF TG_TABLE_NAME = 'call_register' THEN
        SELECT customer_id INTO customer FROM call_records WHERE id = OLD.call_record_id;
    ELSE
        customer := OLD.customer_id;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM anonymise_pass WHERE customer_id = customer) THEN
        RAISE EXCEPTION 'register lines are append-only: % on % refused', TG_OP, TG_TABLE_NAME;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

-- The update triggers of 000004, split: content columns never change; personal columns only
-- for a customer with a pass.
DROP TRIGGER archives_no_update ON archives;
CREATE TRIGGER archives_personal BEFORE UPDATE OF customer_name, address, phone ON archives FOR EACH ROW EXECUTE FUNCTION aftercare_personal_guard();

DROP TRIGGER call_records_no_update ON call_records;
CREATE TRIGGER call_records_no_update BEFORE UPDATE OF record_no, direction, category, outcome, called_at, called_on, callback_at, plate, topics, key_points, satisfied, event_answer, handled_by_id, handled_by, covering_for_id ON call_records FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();
CREATE TRIGGER call_records_personal BEFORE UPDATE OF customer_name, phone ON call_records FOR EACH ROW EXECUTE FUNCTION aftercare_personal_guard();

DROP TRIGGER call_register_no_update ON call_register;
CREATE TRIGGER call_register_no_update BEFORE UPDATE OF register_no, call_record_id, record_no, called_on, direction, category, outcome, handled_by_id, handled_by ON call_register FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();
CREATE TRIGGER call_register_personal BEFORE UPDATE OF customer_name, phone ON call_register FOR EACH ROW EXECUTE FUNCTION aftercare_personal_guard();

DROP TRIGGER letter_register_no_update ON letter_register;
CREATE TRIGGER letter_register_no_update BEFORE UPDATE OF register_no, sent_on, letter_kind, subject, related_to, handled_by_id, handled_by ON letter_register FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();
CREATE TRIGGER letter_register_personal BEFORE UPDATE OF customer_name, address, body ON letter_register FOR EACH ROW EXECUTE FUNCTION aftercare_personal_guard();

-- An archive sheet is corrected by an amendment line (R11): a second line for the same visit;
-- one original sheet per visit.
ALTER TABLE archives DROP CONSTRAINT archives_visit_id_key;
CREATE UNIQUE INDEX archives_visit ON archives(visit_id) WHERE amends IS NULL;
CREATE TRIGGER archives_no_update BEFORE UPDATE OF archive_no, visit_date, vehicle_model, plate, vehicle_type, items, maintenance_interval_days, maintenance_interval_km, next_maintenance_date, desired_services, service_history, due_date, archived_at, archived_on, archived_by_id, archived_by, amends, amend_reason ON archives FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();
