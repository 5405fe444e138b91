DROP TRIGGER register_chain_no_update_id;
DROP TRIGGER letter_register_no_update_id;
DROP TRIGGER call_register_no_update_id;
DROP TRIGGER call_records_no_update_id;
DROP TRIGGER archives_no_update_id;
DROP TRIGGER chain_heads_no_delete;
DROP TRIGGER chain_heads_no_update;
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OF at, local_date, store_id, actor_id, actor, action, subject, detail, ip, result ON audit_log
BEGIN SELECT RAISE(ABORT, 'register lines are append-only'); END;
DROP TRIGGER audit_chain_no_delete;
DROP TRIGGER audit_chain_no_update;
DROP TABLE audit_chain;
DELETE FROM app_meta WHERE key = 'audit_chain_genesis';
