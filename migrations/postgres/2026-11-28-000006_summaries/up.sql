-- R10: the supervisor's monthly (小结) and yearly (总结) summaries. A draft holds the figures
-- as last drafted and the written report being written; a filed version is immutable (the
-- triggers below), with its figures frozen, who filed it and when, and the head of each
-- register's hash chain at that moment. A correction is a new version; the old one stays.
CREATE TABLE summaries (
    id SERIAL PRIMARY KEY,
    store_id INTEGER REFERENCES stores(id),
    kind TEXT NOT NULL,
    period TEXT NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    figures TEXT NOT NULL,
    went_well TEXT NOT NULL,
    problems TEXT NOT NULL,
    measures TEXT NOT NULL,
    meeting_on DATE,
    attendees TEXT NOT NULL,
    correction_reason TEXT,
    chain_heads TEXT NOT NULL,
    drafted_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL,
    filed_at TIMESTAMP,
    filed_by_id INTEGER,
    filed_by TEXT
);
CREATE INDEX summaries_period ON summaries(store_id, kind, period, version);

CREATE FUNCTION aftercare_summary_filed() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'filed' THEN
        RAISE EXCEPTION 'filed summaries are immutable';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER summaries_filed_no_update BEFORE UPDATE ON summaries FOR EACH ROW EXECUTE FUNCTION aftercare_summary_filed();
CREATE TRIGGER summaries_filed_no_delete BEFORE DELETE ON summaries FOR EACH ROW EXECUTE FUNCTION aftercare_summary_filed();

-- The figures are aggregate queries over a month of calls: an index that covers them.
CREATE INDEX call_register_summary ON call_register(store_id, called_on, handled_by_id, direction, outcome, category, amends);
CREATE INDEX letter_register_summary ON letter_register(store_id, sent_on, handled_by_id, letter_kind, amends);
CREATE INDEX items_store_raised ON items(store_id, raised_on);
