-- R11 integrity: the audit log becomes a hash chain like the registers (src/models/audit.rs),
-- and the tables that prove what happened refuse UPDATE and DELETE, ids included.
-- The rows written before this migration are chained, in id order, by the first
-- `migrate`/`serve` after it (src/db/migrate.rs: SQL here has no SHA-256).
CREATE TABLE audit_chain (
    seq INTEGER PRIMARY KEY NOT NULL,
    audit_id INTEGER NOT NULL UNIQUE,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;
CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;

-- Every column of the audit log, the id too (000004 listed the columns and left the id out).
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;

CREATE TRIGGER chain_heads_no_update BEFORE UPDATE ON chain_heads
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;
CREATE TRIGGER chain_heads_no_delete BEFORE DELETE ON chain_heads
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;

-- The ids of register lines and of their chain rows never move either.
CREATE TRIGGER archives_no_update_id BEFORE UPDATE OF id, store_id, created_at ON archives
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;
CREATE TRIGGER call_records_no_update_id BEFORE UPDATE OF id, store_id, amends, amend_reason ON call_records
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;
CREATE TRIGGER call_register_no_update_id BEFORE UPDATE OF id, store_id, amends, amend_reason ON call_register
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;
CREATE TRIGGER letter_register_no_update_id BEFORE UPDATE OF id, store_id, amends, amend_reason ON letter_register
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;
CREATE TRIGGER register_chain_no_update_id BEFORE UPDATE OF id, created_at ON register_chain
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;
