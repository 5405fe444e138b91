-- X8: the service advisors the admin keeps; a DMS's free text is matched by normalised name.
CREATE TABLE advisors (
    id INTEGER PRIMARY KEY NOT NULL,
    store_id INTEGER NOT NULL REFERENCES stores(id),
    name TEXT NOT NULL,
    norm_name TEXT NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX advisors_store_norm ON advisors(store_id, norm_name);
-- X8: the advisor as typed, and the advisor of the list it matched (NULL: unmatched).
ALTER TABLE visits ADD COLUMN advisor TEXT;
ALTER TABLE visits ADD COLUMN advisor_id INTEGER;
CREATE INDEX visits_advisor ON visits(advisor_id);
-- X6: the satisfaction of a reached first or second follow-up, one row per call that asked;
-- the advisor of the task's visit is kept beside it so the summaries group by it directly.
CREATE TABLE call_satisfaction (
    call_record_id INTEGER PRIMARY KEY NOT NULL REFERENCES call_records(id),
    store_id INTEGER NOT NULL,
    customer_id INTEGER NOT NULL,
    called_on DATE NOT NULL,
    handled_by_id INTEGER NOT NULL,
    advisor_id INTEGER,
    score INTEGER,
    declined BOOLEAN NOT NULL,
    aspects TEXT NOT NULL
);
CREATE INDEX call_satisfaction_on ON call_satisfaction(called_on);
CREATE TABLE satisfaction_aspects (
    call_record_id INTEGER NOT NULL REFERENCES call_records(id),
    aspect TEXT NOT NULL,
    score INTEGER NOT NULL,
    PRIMARY KEY (call_record_id, aspect)
);
-- X7: why a lost customer stopped coming, recorded on the reached win-back call.
CREATE TABLE win_back_answers (
    call_record_id INTEGER PRIMARY KEY NOT NULL REFERENCES call_records(id),
    task_id INTEGER NOT NULL,
    reason TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX tasks_kind_customer ON tasks(kind, customer_id);
