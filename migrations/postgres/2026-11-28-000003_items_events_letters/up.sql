-- Requests and complaints followed to the end (R4b–R4d), customer events (R6), and letters
-- with their register (R8).
ALTER TABLE items ADD COLUMN escalated_at TIMESTAMP;
ALTER TABLE items ADD COLUMN escalated_on DATE;
ALTER TABLE items ADD COLUMN solution TEXT;
ALTER TABLE items ADD COLUMN solved_at TIMESTAMP;
ALTER TABLE items ADD COLUMN solved_on DATE;
ALTER TABLE items ADD COLUMN told_on DATE;
ALTER TABLE items ADD COLUMN satisfied BOOLEAN;
ALTER TABLE items ADD COLUMN closed_on DATE;

-- An item's whole history, one line per step: raised, note, escalated, solved, told, reopened.
CREATE TABLE item_events (
    id SERIAL PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    on_date DATE NOT NULL,
    by_id INTEGER REFERENCES users(id),
    by_name TEXT NOT NULL
);
CREATE INDEX item_events_item ON item_events(item_id, id);

ALTER TABLE tasks ADD COLUMN item_id INTEGER;
ALTER TABLE tasks ADD COLUMN event_id INTEGER;
ALTER TABLE tasks ADD COLUMN note TEXT;
CREATE INDEX tasks_item ON tasks(item_id);

CREATE TABLE events (
    id SERIAL PRIMARY KEY,
    store_id INTEGER NOT NULL REFERENCES stores(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    place TEXT NOT NULL,
    content TEXT NOT NULL,
    audience TEXT NOT NULL,
    created_on DATE NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX events_store ON events(store_id, starts_on);

CREATE TABLE event_invitees (
    id SERIAL PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id),
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    notice_task_id INTEGER REFERENCES tasks(id),
    answer TEXT,
    UNIQUE (event_id, customer_id)
);

-- Letter templates with merge fields, per store, kind and language.
CREATE TABLE letter_templates (
    id SERIAL PRIMARY KEY,
    store_id INTEGER NOT NULL REFERENCES stores(id),
    kind TEXT NOT NULL,
    lang TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_by INTEGER REFERENCES users(id),
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (store_id, kind, lang)
);

-- 跟踪服务信函登记表: one line per letter sent.
CREATE TABLE letter_register (
    id SERIAL PRIMARY KEY,
    store_id INTEGER NOT NULL REFERENCES stores(id),
    register_no TEXT NOT NULL,
    sent_on DATE NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    customer_name TEXT NOT NULL,
    address TEXT NOT NULL,
    letter_kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    related_to TEXT NOT NULL,
    task_id INTEGER REFERENCES tasks(id),
    event_id INTEGER REFERENCES events(id),
    item_id INTEGER REFERENCES items(id),
    handled_by_id INTEGER NOT NULL REFERENCES users(id),
    handled_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (store_id, register_no)
);
CREATE INDEX letter_register_store_on ON letter_register(store_id, sent_on);
