-- Issue 11: a clerk's queue is served from memory while nothing it shows has changed. Each
-- user has a version here that every write touching what their queue (or the queue they
-- look at) shows bumps, in the writing transaction itself, by triggers — so writes from any
-- process (the server, the CLI's import, the jobs, psql) are seen. One row per user, so
-- writers for different clerks never wait on each other's row.
CREATE TABLE queue_versions (
    user_id INTEGER PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL DEFAULT 0
);
INSERT INTO queue_versions (user_id, version) SELECT id, 0 FROM users;

-- Tasks: whoever held the task before and after.
CREATE FUNCTION queue_v_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE queue_versions SET version = version + 1 WHERE user_id = NEW.clerk_id;
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE queue_versions SET version = version + 1 WHERE user_id IN (OLD.clerk_id, NEW.clerk_id);
    ELSE
        UPDATE queue_versions SET version = version + 1 WHERE user_id = OLD.clerk_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER queue_v_tasks AFTER INSERT OR UPDATE OR DELETE ON tasks
    FOR EACH ROW EXECUTE FUNCTION queue_v_tasks();

-- Absences (R9 cover): the absent clerk and the substitute.
CREATE FUNCTION queue_v_absences() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE queue_versions SET version = version + 1 WHERE user_id IN (OLD.clerk_id, OLD.substitute_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE queue_versions SET version = version + 1 WHERE user_id IN (NEW.clerk_id, NEW.substitute_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER queue_v_absences AFTER INSERT OR UPDATE OR DELETE ON absences
    FOR EACH ROW EXECUTE FUNCTION queue_v_absences();

-- What a queue row shows of the customer, the vehicle and the visit: the clerks holding
-- the customer's open tasks, and the customer's clerk before and after.
CREATE FUNCTION queue_v_customers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE queue_versions SET version = version + 1
     WHERE user_id IN (OLD.clerk_id, NEW.clerk_id)
        OR user_id IN (SELECT clerk_id FROM tasks WHERE customer_id = NEW.id AND status = 'open');
    RETURN NULL;
END $$;
CREATE TRIGGER queue_v_customers AFTER UPDATE OF name, phone, clerk_id, call_hours, no_calls, store_id ON customers
    FOR EACH ROW EXECUTE FUNCTION queue_v_customers();

CREATE FUNCTION queue_v_vehicles() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE queue_versions SET version = version + 1
     WHERE user_id IN (SELECT clerk_id FROM tasks WHERE customer_id IN (OLD.customer_id, NEW.customer_id) AND status = 'open');
    RETURN NULL;
END $$;
CREATE TRIGGER queue_v_vehicles AFTER UPDATE OF plate, model, customer_id ON vehicles
    FOR EACH ROW EXECUTE FUNCTION queue_v_vehicles();

CREATE FUNCTION queue_v_visits() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE queue_versions SET version = version + 1
     WHERE user_id IN (SELECT clerk_id FROM tasks WHERE visit_id = NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER queue_v_visits AFTER UPDATE OF vehicle_id ON visits
    FOR EACH ROW EXECUTE FUNCTION queue_v_visits();

-- Users (names, roles, the store's list of clerks) and events (the group rows' titles):
-- everyone of the store.
CREATE FUNCTION queue_v_users() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO queue_versions (user_id, version) VALUES (NEW.id, 0);
        UPDATE queue_versions SET version = version + 1
         WHERE user_id IN (SELECT id FROM users WHERE store_id = NEW.store_id);
    ELSE
        UPDATE queue_versions SET version = version + 1
         WHERE user_id IN (OLD.id, NEW.id)
            OR user_id IN (SELECT id FROM users WHERE store_id IN (OLD.store_id, NEW.store_id));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER queue_v_users AFTER INSERT OR UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION queue_v_users();

CREATE FUNCTION queue_v_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        UPDATE queue_versions SET version = version + 1
         WHERE user_id IN (SELECT id FROM users WHERE store_id = OLD.store_id);
    END IF;
    UPDATE queue_versions SET version = version + 1
     WHERE user_id IN (SELECT id FROM users WHERE store_id = NEW.store_id);
    RETURN NULL;
END $$;
CREATE TRIGGER queue_v_events AFTER INSERT OR UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION queue_v_events();

-- A login kept in memory is checked against its user's version: a session ended or a token
-- revoked (from any process) bumps it, as does any change of the user (disabled, password).
CREATE FUNCTION queue_v_logins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        UPDATE queue_versions SET version = version + 1 WHERE user_id IN (OLD.user_id, NEW.user_id);
    ELSE
        UPDATE queue_versions SET version = version + 1 WHERE user_id = OLD.user_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER queue_v_sessions AFTER DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION queue_v_logins();
CREATE TRIGGER queue_v_tokens AFTER UPDATE OF revoked_at, user_id OR DELETE ON api_tokens
    FOR EACH ROW EXECUTE FUNCTION queue_v_logins();
