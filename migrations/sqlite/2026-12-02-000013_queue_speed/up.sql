-- Issue 11: a clerk's queue is served from memory while nothing it shows has changed. Each
-- user has a version here that every write touching what their queue (or the queue they
-- look at) shows bumps, in the writing transaction itself, by triggers — so writes from any
-- process (the server, the CLI's import, the jobs, sqlite3) are seen. One row per user, so
-- writers for different clerks never wait on each other's row (PostgreSQL).
CREATE TABLE queue_versions (
    user_id INTEGER PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL DEFAULT 0
);
INSERT INTO queue_versions (user_id, version) SELECT id, 0 FROM users;

-- Tasks: whoever held the task before and after.
CREATE TRIGGER queue_v_tasks_ins AFTER INSERT ON tasks BEGIN
    UPDATE queue_versions SET version = version + 1 WHERE user_id = NEW.clerk_id;
END;
CREATE TRIGGER queue_v_tasks_upd AFTER UPDATE ON tasks BEGIN
    UPDATE queue_versions SET version = version + 1 WHERE user_id IN (OLD.clerk_id, NEW.clerk_id);
END;
CREATE TRIGGER queue_v_tasks_del AFTER DELETE ON tasks BEGIN
    UPDATE queue_versions SET version = version + 1 WHERE user_id = OLD.clerk_id;
END;

-- Absences (R9 cover): the absent clerk and the substitute.
CREATE TRIGGER queue_v_absences_ins AFTER INSERT ON absences BEGIN
    UPDATE queue_versions SET version = version + 1 WHERE user_id IN (NEW.clerk_id, NEW.substitute_id);
END;
CREATE TRIGGER queue_v_absences_upd AFTER UPDATE ON absences BEGIN
    UPDATE queue_versions SET version = version + 1
     WHERE user_id IN (OLD.clerk_id, OLD.substitute_id, NEW.clerk_id, NEW.substitute_id);
END;
CREATE TRIGGER queue_v_absences_del AFTER DELETE ON absences BEGIN
    UPDATE queue_versions SET version = version + 1 WHERE user_id IN (OLD.clerk_id, OLD.substitute_id);
END;

-- What a queue row shows of the customer, the vehicle and the visit: the clerks holding
-- the customer's open tasks, and the customer's clerk before and after.
CREATE TRIGGER queue_v_customers_upd AFTER UPDATE OF name, phone, clerk_id, call_hours, no_calls, store_id ON customers BEGIN
    UPDATE queue_versions SET version = version + 1
     WHERE user_id IN (OLD.clerk_id, NEW.clerk_id)
        OR user_id IN (SELECT clerk_id FROM tasks WHERE customer_id = NEW.id AND status = 'open');
END;
CREATE TRIGGER queue_v_vehicles_upd AFTER UPDATE OF plate, model, customer_id ON vehicles BEGIN
    UPDATE queue_versions SET version = version + 1
     WHERE user_id IN (SELECT clerk_id FROM tasks WHERE customer_id IN (OLD.customer_id, NEW.customer_id) AND status = 'open');
END;
CREATE TRIGGER queue_v_visits_upd AFTER UPDATE OF vehicle_id ON visits BEGIN
    UPDATE queue_versions SET version = version + 1
     WHERE user_id IN (SELECT clerk_id FROM tasks WHERE visit_id = NEW.id);
END;

-- Users (names, roles, the store's list of clerks) and events (the group rows' titles):
-- everyone of the store.
CREATE TRIGGER queue_v_users_ins AFTER INSERT ON users BEGIN
    INSERT INTO queue_versions (user_id, version) VALUES (NEW.id, 0);
    UPDATE queue_versions SET version = version + 1
     WHERE user_id IN (SELECT id FROM users WHERE store_id = NEW.store_id);
END;
CREATE TRIGGER queue_v_users_upd AFTER UPDATE ON users BEGIN
    UPDATE queue_versions SET version = version + 1
     WHERE user_id IN (OLD.id, NEW.id)
        OR user_id IN (SELECT id FROM users WHERE store_id IN (OLD.store_id, NEW.store_id));
END;
CREATE TRIGGER queue_v_events_ins AFTER INSERT ON events BEGIN
    UPDATE queue_versions SET version = version + 1
     WHERE user_id IN (SELECT id FROM users WHERE store_id = NEW.store_id);
END;
CREATE TRIGGER queue_v_events_upd AFTER UPDATE ON events BEGIN
    UPDATE queue_versions SET version = version + 1
     WHERE user_id IN (SELECT id FROM users WHERE store_id IN (OLD.store_id, NEW.store_id));
END;

-- A login kept in memory is checked against its user's version: a session ended or a token
-- revoked (from any process) bumps it, as does any change of the user (disabled, password).
CREATE TRIGGER queue_v_sessions_del AFTER DELETE ON sessions BEGIN
    UPDATE queue_versions SET version = version + 1 WHERE user_id = OLD.user_id;
END;
CREATE TRIGGER queue_v_tokens_upd AFTER UPDATE OF revoked_at, user_id ON api_tokens BEGIN
    UPDATE queue_versions SET version = version + 1 WHERE user_id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER queue_v_tokens_del AFTER DELETE ON api_tokens BEGIN
    UPDATE queue_versions SET version = version + 1 WHERE user_id = OLD.user_id;
END;
