-- The clerk's day: contact preferences (X4), the phone flag (X1), calls with their two
-- registers (R7), items raised on calls (R4a), absences and cover (R9), scheduled jobs.
ALTER TABLE customers ADD COLUMN no_calls BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE customers ADD COLUMN no_letters BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE customers ADD COLUMN call_hours TEXT;
ALTER TABLE customers ADD COLUMN phone_flagged_on DATE;

ALTER TABLE tasks ADD COLUMN callback_on DATE;
ALTER TABLE tasks ADD COLUMN last_attempt_at TIMESTAMP;
ALTER TABLE tasks ADD COLUMN last_outcome TEXT;

-- 跟踪服务电话记录表: the detail of each call.
CREATE TABLE call_records (
    id SERIAL PRIMARY KEY,
    store_id INTEGER NOT NULL REFERENCES stores(id),
    record_no TEXT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    task_id INTEGER REFERENCES tasks(id),
    direction TEXT NOT NULL,
    category TEXT NOT NULL,
    outcome TEXT NOT NULL,
    called_at TIMESTAMP NOT NULL,
    called_on DATE NOT NULL,
    callback_at TIMESTAMP,
    customer_name TEXT NOT NULL,
    phone TEXT NOT NULL,
    plate TEXT,
    topics TEXT NOT NULL,
    key_points TEXT NOT NULL,
    satisfied BOOLEAN,
    event_answer TEXT,
    handled_by_id INTEGER NOT NULL REFERENCES users(id),
    handled_by TEXT NOT NULL,
    covering_for_id INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (store_id, record_no)
);
CREATE INDEX call_records_store_on ON call_records(store_id, called_on);
CREATE INDEX call_records_customer ON call_records(customer_id, called_at);
CREATE INDEX call_records_task ON call_records(task_id);

-- 跟踪服务电话登记表: one ledger line per call.
CREATE TABLE call_register (
    id SERIAL PRIMARY KEY,
    store_id INTEGER NOT NULL REFERENCES stores(id),
    register_no TEXT NOT NULL,
    call_record_id INTEGER NOT NULL REFERENCES call_records(id),
    record_no TEXT NOT NULL,
    called_on DATE NOT NULL,
    customer_name TEXT NOT NULL,
    phone TEXT NOT NULL,
    direction TEXT NOT NULL,
    category TEXT NOT NULL,
    outcome TEXT NOT NULL,
    handled_by_id INTEGER NOT NULL REFERENCES users(id),
    handled_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (store_id, register_no)
);
CREATE INDEX call_register_store_on ON call_register(store_id, called_on);

-- Requests, wishes and complaints raised on calls (R4a), followed to the end.
CREATE TABLE items (
    id SERIAL PRIMARY KEY,
    store_id INTEGER NOT NULL REFERENCES stores(id),
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    call_record_id INTEGER NOT NULL REFERENCES call_records(id),
    clerk_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    answered_on_call BOOLEAN NOT NULL,
    answer TEXT,
    status TEXT NOT NULL,
    raised_at TIMESTAMP NOT NULL,
    raised_on DATE NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX items_store_status ON items(store_id, status);
CREATE INDEX items_customer ON items(customer_id);
CREATE INDEX items_call ON items(call_record_id);

-- R9: a clerk away from … to …, and who covers.
CREATE TABLE absences (
    id SERIAL PRIMARY KEY,
    store_id INTEGER NOT NULL REFERENCES stores(id),
    clerk_id INTEGER NOT NULL REFERENCES users(id),
    substitute_id INTEGER NOT NULL REFERENCES users(id),
    from_date DATE NOT NULL,
    to_date DATE NOT NULL,
    note TEXT,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    cancelled_at TIMESTAMP
);
CREATE INDEX absences_store_dates ON absences(store_id, from_date, to_date);

-- Scheduled jobs: the last run of each, so a job runs once per schedule and catches up once.
CREATE TABLE job_runs (
    job TEXT PRIMARY KEY NOT NULL,
    last_run_at TIMESTAMP NOT NULL,
    last_result TEXT NOT NULL
);

-- The supervisors' morning digest: tasks that became overdue since the day before.
CREATE TABLE digests (
    id SERIAL PRIMARY KEY,
    store_id INTEGER NOT NULL REFERENCES stores(id),
    for_date DATE NOT NULL,
    overdue_tasks INTEGER NOT NULL,
    detail TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (store_id, for_date)
);
