-- R11 integrity: the audit log becomes a hash chain like the registers (src/models/audit.rs),
-- and the tables that prove what happened refuse UPDATE, DELETE and TRUNCATE, ids included.
-- The rows written before this migration are chained, in id order, by the first
-- `migrate`/`serve` after it (src/db/migrate.rs: the hashes are computed in Rust).
CREATE TABLE audit_chain (
    seq INTEGER PRIMARY KEY,
    audit_id INTEGER NOT NULL UNIQUE,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();
CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();

-- Every column of the audit log, the id too (000004 listed the columns and left the id out).
DROP TRIGGER audit_log_no_update ON audit_log;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();

CREATE TRIGGER chain_heads_no_update BEFORE UPDATE ON chain_heads FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();
CREATE TRIGGER chain_heads_no_delete BEFORE DELETE ON chain_heads FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();

-- The ids of register lines and of their chain rows never move either.
CREATE TRIGGER archives_no_update_id BEFORE UPDATE OF id, store_id, created_at ON archives FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();
CREATE TRIGGER call_records_no_update_id BEFORE UPDATE OF id, store_id, amends, amend_reason ON call_records FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();
CREATE TRIGGER call_register_no_update_id BEFORE UPDATE OF id, store_id, amends, amend_reason ON call_register FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();
CREATE TRIGGER letter_register_no_update_id BEFORE UPDATE OF id, store_id, amends, amend_reason ON letter_register FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();
CREATE TRIGGER register_chain_no_update_id BEFORE UPDATE OF id, created_at ON register_chain FOR EACH ROW EXECUTE FUNCTION aftercare_append_only();

-- TRUNCATE fires no row trigger: refuse it on every protected table.
CREATE TRIGGER archives_no_truncate BEFORE TRUNCATE ON archives FOR EACH STATEMENT EXECUTE FUNCTION aftercare_append_only();
CREATE TRIGGER call_records_no_truncate BEFORE TRUNCATE ON call_records FOR EACH STATEMENT EXECUTE FUNCTION aftercare_append_only();
CREATE TRIGGER call_register_no_truncate BEFORE TRUNCATE ON call_register FOR EACH STATEMENT EXECUTE FUNCTION aftercare_append_only();
CREATE TRIGGER letter_register_no_truncate BEFORE TRUNCATE ON letter_register FOR EACH STATEMENT EXECUTE FUNCTION aftercare_append_only();
CREATE TRIGGER register_chain_no_truncate BEFORE TRUNCATE ON register_chain FOR EACH STATEMENT EXECUTE FUNCTION aftercare_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION aftercare_append_only();
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain FOR EACH STATEMENT EXECUTE FUNCTION aftercare_append_only();
CREATE TRIGGER chain_heads_no_truncate BEFORE TRUNCATE ON chain_heads FOR EACH STATEMENT EXECUTE FUNCTION aftercare_append_only();
CREATE TRIGGER anonymisations_no_truncate BEFORE TRUNCATE ON anonymisations FOR EACH STATEMENT EXECUTE FUNCTION aftercare_append_only();
