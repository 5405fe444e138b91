-- R11: register lines are never updated or deleted, also not by a stray SQL statement; each
-- register is a hash chain per store and year (see src/registers/chain.rs).
CREATE TABLE register_chain (
    id SERIAL PRIMARY KEY,
    store_id INTEGER NOT NULL,
    register TEXT NOT NULL,
    year INTEGER NOT NULL,
    line_id INTEGER NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    personal_digest TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (register, line_id)
);
CREATE INDEX register_chain_walk ON register_chain(store_id, register, year, id);

-- The chain heads given out (in export manifests, filed summaries): verify checks the chains
-- against them, so a rewrite of a whole chain does not pass.
CREATE TABLE chain_heads (
    id SERIAL PRIMARY KEY,
    store_id INTEGER NOT NULL,
    register TEXT NOT NULL,
    year INTEGER NOT NULL,
    line_count INTEGER NOT NULL,
    head_hash TEXT NOT NULL,
    purpose TEXT NOT NULL,
    given_at TIMESTAMP NOT NULL
);

-- Amendments: a line that corrects an earlier one names it and says why.
ALTER TABLE archives ADD COLUMN amends TEXT;
ALTER TABLE archives ADD COLUMN amend_reason TEXT;
ALTER TABLE call_records ADD COLUMN amends TEXT;
ALTER TABLE call_records ADD COLUMN amend_reason TEXT;
ALTER TABLE call_register ADD COLUMN amends TEXT;
ALTER TABLE call_register ADD COLUMN amend_reason TEXT;
ALTER TABLE letter_register ADD COLUMN amends TEXT;
ALTER TABLE letter_register ADD COLUMN amend_reason TEXT;

CREATE FUNCTION aftercare_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'register lines are append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER archives_no_update BEFORE UPDATE OF archive_no, customer_name, address, phone, visit_date, vehicle_model, plate, vehicle_type, items, maintenance_interval_days, maintenance_interval_km, next_maintenance_date, desired_services, service_history, due_date, archived_at, archived_on, archived_by_id, archived_by ON archives FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();

CREATE TRIGGER archives_no_delete BEFORE DELETE ON archives FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();

CREATE TRIGGER call_records_no_update BEFORE UPDATE OF record_no, direction, category, outcome, called_at, called_on, callback_at, customer_name, phone, plate, topics, key_points, satisfied, event_answer, handled_by_id, handled_by, covering_for_id ON call_records FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();

CREATE TRIGGER call_records_no_delete BEFORE DELETE ON call_records FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();

CREATE TRIGGER call_register_no_update BEFORE UPDATE OF register_no, call_record_id, record_no, called_on, customer_name, phone, direction, category, outcome, handled_by_id, handled_by ON call_register FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();

CREATE TRIGGER call_register_no_delete BEFORE DELETE ON call_register FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();

CREATE TRIGGER letter_register_no_update BEFORE UPDATE OF register_no, sent_on, customer_name, address, letter_kind, subject, body, related_to, handled_by_id, handled_by ON letter_register FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();

CREATE TRIGGER letter_register_no_delete BEFORE DELETE ON letter_register FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();

CREATE TRIGGER register_chain_no_update BEFORE UPDATE OF store_id, register, year, line_id, prev_hash, hash, personal_digest ON register_chain FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();

CREATE TRIGGER register_chain_no_delete BEFORE DELETE ON register_chain FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();

CREATE TRIGGER audit_log_no_update BEFORE UPDATE OF at, local_date, store_id, actor_id, actor, action, subject, detail, ip, result ON audit_log FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();
