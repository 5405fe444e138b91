-- The foundation: stores, accounts, customers, vehicles, visits, tasks and archives.
-- Timestamps are UTC; every *_on / *_date column is the shop's local date, computed in Rust.
CREATE TABLE app_meta (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE stores (
    id INTEGER PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    last_assigned_clerk_id INTEGER,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY NOT NULL,
    store_id INTEGER REFERENCES stores(id),
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    lang TEXT,
    active_for_assignment BOOLEAN NOT NULL DEFAULT 1,
    disabled BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY NOT NULL,
    username TEXT NOT NULL,
    ip TEXT NOT NULL,
    attempted_at TIMESTAMP NOT NULL,
    succeeded BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_user ON login_attempts(username, attempted_at);
CREATE INDEX login_attempts_ip ON login_attempts(ip, attempted_at);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY NOT NULL,
    at TIMESTAMP NOT NULL,
    local_date DATE NOT NULL,
    store_id INTEGER,
    actor_id INTEGER,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    ip TEXT,
    result TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);

CREATE TABLE customers (
    id INTEGER PRIMARY KEY NOT NULL,
    store_id INTEGER NOT NULL REFERENCES stores(id),
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    address TEXT,
    clerk_id INTEGER REFERENCES users(id),
    merged_into_id INTEGER REFERENCES customers(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX customers_store_phone ON customers(store_id, phone);
CREATE INDEX customers_store_clerk ON customers(store_id, clerk_id);
CREATE INDEX customers_store_name ON customers(store_id, name);

CREATE TABLE vehicles (
    id INTEGER PRIMARY KEY NOT NULL,
    store_id INTEGER NOT NULL REFERENCES stores(id),
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    plate TEXT NOT NULL,
    model TEXT,
    vehicle_type TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (store_id, plate)
);
CREATE INDEX vehicles_customer ON vehicles(customer_id);

CREATE TABLE visits (
    id INTEGER PRIMARY KEY NOT NULL,
    store_id INTEGER NOT NULL REFERENCES stores(id),
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    vehicle_id INTEGER REFERENCES vehicles(id),
    external_id TEXT,
    kind TEXT NOT NULL,
    checked_in_at TIMESTAMP NOT NULL,
    visit_date DATE NOT NULL,
    picked_up_at TIMESTAMP,
    picked_up_on DATE,
    items TEXT NOT NULL,
    maintenance_interval_days INTEGER,
    maintenance_interval_km INTEGER,
    next_maintenance_date DATE,
    desired_services TEXT,
    odometer_km INTEGER,
    source TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (store_id, external_id)
);
CREATE INDEX visits_store_customer ON visits(store_id, customer_id, visit_date);
CREATE INDEX visits_store_date ON visits(store_id, visit_date);
CREATE INDEX visits_vehicle ON visits(vehicle_id, visit_date);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY NOT NULL,
    store_id INTEGER NOT NULL REFERENCES stores(id),
    kind TEXT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    visit_id INTEGER REFERENCES visits(id),
    clerk_id INTEGER NOT NULL REFERENCES users(id),
    window_start DATE NOT NULL,
    window_end DATE NOT NULL,
    status TEXT NOT NULL,
    close_reason TEXT,
    done_at TIMESTAMP,
    done_on DATE,
    done_by INTEGER REFERENCES users(id),
    attempts INTEGER NOT NULL DEFAULT 0,
    callback_at TIMESTAMP,
    planned_contact_id INTEGER,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX tasks_queue ON tasks(store_id, clerk_id, status, window_start);
CREATE INDEX tasks_visit ON tasks(visit_id, kind);
CREATE INDEX tasks_customer ON tasks(customer_id);
CREATE INDEX tasks_store_window_end ON tasks(store_id, window_end);

CREATE TABLE register_counters (
    store_id INTEGER NOT NULL REFERENCES stores(id),
    register TEXT NOT NULL,
    year INTEGER NOT NULL,
    last_no INTEGER NOT NULL,
    PRIMARY KEY (store_id, register, year)
);

CREATE TABLE archives (
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
    UNIQUE (store_id, archive_no)
);
CREATE INDEX archives_store_on ON archives(store_id, archived_on);
CREATE INDEX archives_customer ON archives(customer_id);

CREATE TABLE planned_contacts (
    id INTEGER PRIMARY KEY NOT NULL,
    store_id INTEGER NOT NULL REFERENCES stores(id),
    archive_id INTEGER NOT NULL REFERENCES archives(id),
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    purpose TEXT NOT NULL,
    planned_date DATE NOT NULL,
    talking_points TEXT NOT NULL,
    task_id INTEGER REFERENCES tasks(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX planned_contacts_archive ON planned_contacts(archive_id);

CREATE TABLE customer_merges (
    id INTEGER PRIMARY KEY NOT NULL,
    store_id INTEGER NOT NULL REFERENCES stores(id),
    kept_id INTEGER NOT NULL REFERENCES customers(id),
    merged_id INTEGER NOT NULL REFERENCES customers(id),
    merged_name TEXT NOT NULL,
    merged_phone TEXT NOT NULL,
    merged_by INTEGER REFERENCES users(id),
    merged_at TIMESTAMP NOT NULL,
    moved TEXT NOT NULL
);
